"""Read element sets from TLE/3LE text, OMM JSON and OMM CSV, and validate every record.

Everything that enters the cache passes through here, so a set that comes out is one SGP4 can
use: checksums verified, fields in their columns, elements within physical ranges. Errors name the
source, the place (``line N`` for text, ``record N`` for JSON, ``row N`` for CSV) and the fix.

Two entry points for the two needs: `parse_text` is strict (a user's file must be right, so the
first bad record stops it), `parse_records` is lenient (a group of thousands of objects should
not be lost to one bad record; the bad ones come back as errors). Both refuse a body that is not
element data at all (an HTML page, CelesTrak's "No GP data found", an empty or truncated
document): that is never an empty success.

A set that comes out is finite and propagatable: every number is finite and within the range
below, the integer fields fit the TLE columns and the C types behind SGP4, and SGP4 starts and
propagates the set at its own epoch without an error code or a NaN. Any failure inside one
record, whatever raised it, is that record's `ElementParseError` with its line or record number;
nothing else escapes. Text is untrusted: TLE lines must be printable ASCII (sgp4's own reader
counts bytes, so a non-ASCII digit shifts every later column), numbers ASCII digits only, and
names are cleaned where they enter (`tle_cache.names.clean_name`).

Ranges (chosen so that every one of the 15,347 objects in CelesTrak's active group of
2026-05-07 parses, with room to spare): inclination 0-180 deg, node, perigee, anomaly 0-360 deg,
eccentricity 0 to below 1, mean motion 0.01 to below 20 rev/day, BSTAR below 10 per Earth
radius in size (the largest real one is 3.4), the mean-motion derivatives below 1 rev/day^2 and
1 rev/day^3 in size (the first is the TLE field's own limit; the largest real ones are 0.13 and
0.04), NORAD_CAT_ID 1 to 999,999,999, EPHEMERIS_TYPE 0-9, ELEMENT_SET_NO 0-9999, REV_AT_EPOCH
0-99999 (the TLE columns), CLASSIFICATION_TYPE one ASCII letter.

The format is told by the content, not the first character alone: text whose first record has a
TLE line 1 and line 2 is TLE even when its first name starts with ``[`` or ``<``.

No clock is read here: the "epoch too far in the future" check runs only when the caller passes
`now_utc` (every command passes it: refresh, import and ``--tle-file`` follow one rule).
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sgp4.api import SGP4_ERRORS

from tle_cache.elements import OMM_KEYS, ElementSet, format_omm_epoch, parse_omm_epoch
from tle_cache.names import clean_name, csv_untext

#: Sputnik 1 was launched on 1957-10-04: an earlier epoch means a misread year.
FIRST_LAUNCH_UTC = datetime(1957, 10, 4, tzinfo=UTC)
#: How far past `now_utc` an epoch may lie. Real sets of high orbits run 2 to 3 days ahead of
#: the download; a month ahead means a wrong year or a corrupted day field.
FUTURE_EPOCH_ALLOWANCE = timedelta(days=30)
#: Mean motion limit, rev/day: an orbit grazing the surface makes about 17.
MAX_MEAN_MOTION_REV_PER_DAY = 20.0
#: Slowest mean motion, rev/day: a 100-day period puts the orbit some 900,000 km out, past
#: where the Earth rather than the Moon and Sun holds it (SGP4 is meaningless there). The
#: slowest active object is at 0.28; TESS, in a 13.7-day lunar-resonant orbit, at 0.073.
MIN_MEAN_MOTION_REV_PER_DAY = 0.01
#: Largest catalog number TLE columns 3-7 can carry (Alpha-5 ``Z9999``).
ALPHA5_MAX = 339999
#: Largest catalog number an OMM may carry: nine digits, CelesTrak's announced limit.
MAX_NORAD_ID = 999_999_999
#: Size limits of the drag terms (see the module docstring for why these values).
MAX_ABS_BSTAR_PER_EARTH_RADIUS = 10.0
MAX_ABS_MEAN_MOTION_DOT = 1.0
MAX_ABS_MEAN_MOTION_DDOT = 1.0
#: Skipped records named one by one in a warning; the rest are counted (`skipped_warnings`).
SKIPPED_SHOWN = 5

_TLE_LENGTH = 69
# python-sgp4 prints the same templates above a bad line; they show where each field sits.
_TLE_TEMPLATES = {
    1: "1 NNNNNC NNNNNAAA NNNNN.NNNNNNNN +.NNNNNNNN +NNNNN-N +NNNNN-N N NNNNN",
    2: "2 NNNNN NNN.NNNN NNN.NNNN NNNNNNN NNN.NNNN NNN.NNNN NN.NNNNNNNNNNNNNN",
}
_TLE_SPACE_COLUMNS = {1: (2, 9, 18, 33, 44, 53, 62, 64), 2: (2, 8, 17, 26, 34, 43, 52)}
# Alpha-5 puts a letter for the ten-thousands in column 3; I and O are skipped (they look
# like 1 and 0), so A=10 ... H=17, J=18 ... N=22, P=23 ... Z=33.
_ALPHA5_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

# ASCII only (re.ASCII): `\d` alone also matches Arabic-Indic and other digits, which sgp4's
# own TLE reader sees as several bytes each, shifting every later column.
_DECIMAL_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)", re.ASCII)
_NUMBER_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_INTEGER_RE = re.compile(r"[+-]?\d+", re.ASCII)
_EXPONENT_RE = re.compile(r"([+-]?)(\d{1,5})([+-]\d)", re.ASCII)
_DESIGNATOR_RE = re.compile(r"(\d\d)(\d{3})([A-Z]{1,3})", re.ASCII)
_NOT_PRINTABLE_ASCII_RE = re.compile(r"[^ -~]")
_EPOCH_DAY_RE = re.compile(r"\d{1,3}\.\d+", re.ASCII)
# What an OMM EPOCH may look like: ISO 8601 date and time, UTC or with an offset.
_OMM_EPOCH_RE = re.compile(
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,12})?)?(Z|[+-]\d\d:?\d\d)?", re.ASCII
)

_OMM_FLOAT_KEYS = (
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "BSTAR",
    "MEAN_MOTION_DOT",
    "MEAN_MOTION_DDOT",
)
_OMM_INT_KEYS = ("NORAD_CAT_ID", "EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH")
#: Integer ranges: what the TLE columns hold, which also fits every C type behind SGP4.
_INT_RANGES = {
    "NORAD_CAT_ID": (1, MAX_NORAD_ID),
    "EPHEMERIS_TYPE": (0, 9),
    "ELEMENT_SET_NO": (0, 9999),
    "REV_AT_EPOCH": (0, 99999),
}
_OMM_TEXT_KEYS = ("OBJECT_NAME", "OBJECT_ID", "CLASSIFICATION_TYPE", "EPOCH")
_CLASSIFICATION_RE = re.compile(r"[A-Za-z]")
_FOUR_DIGITS_RE = re.compile(r"\d{4}", re.ASCII)
_CATALOG_DIGITS_RE = re.compile(r"\d{1,5}", re.ASCII)
_TWO_DIGITS_RE = re.compile(r"\d\d", re.ASCII)
_SEVEN_DIGITS_RE = re.compile(r"\d{7}", re.ASCII)
_RIGHT_ALIGNED_DIGITS_RE = re.compile(r" *\d*", re.ASCII)
#: Checksum value of each byte of a UTF-8 encoded line: the ASCII digits their value, '-' 1,
#: every other byte 0 (a non-ASCII character's bytes are all >= 0x80, so it counts 0 too).
_CHECKSUM_VALUES = bytes(
    int(chr(b)) if chr(b) in "0123456789" else 1 if chr(b) == "-" else 0 for b in range(256)
)
#: What is stripped around a number: ASCII blanks only. str.strip() would also remove the
#: separators U+001C-U+001F (and more), which a number must not hide.
_ASCII_SPACE = " \t\r\n\f\v"
#: Longest integer text converted at all: anything longer is out of every range anyway, and
#: Python refuses to convert over 4,300 digits.
_MAX_INTEGER_DIGITS = 30
#: Keys without which SGP4 cannot start; the others get CelesTrak's usual values.
OMM_REQUIRED_KEYS: tuple[str, ...] = ("NORAD_CAT_ID", "EPOCH", *_OMM_FLOAT_KEYS)
_OMM_DEFAULTS: dict[str, Any] = {
    "OBJECT_NAME": "UNKNOWN",
    "OBJECT_ID": "",
    "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U",
    "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 0,
}


class ElementParseError(ValueError):
    """Element data that cannot be used, with where it is wrong and how to fix it.

    `line_number` is the 1-based line of the text (TLE lines, CSV rows) or None; `record_number`
    the 1-based JSON record or None; `source` the file path or URL ("" when unknown); `where`
    the place as printed (``row 3 (NORAD 25544 'ISS')``) or None; `problem` the message without
    the source and place, for callers that print them their own way.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str = "",
        line_number: int | None = None,
        record_number: int | None = None,
        where: str | None = None,
    ) -> None:
        if where is None and line_number is not None:
            where = f"line {line_number}"
        elif where is None and record_number is not None:
            where = f"record {record_number}"
        self.problem = problem
        self.source = source
        self.line_number = line_number
        self.record_number = record_number
        self.where = where
        super().__init__(": ".join(part for part in (source, where, problem) if part))


class _FieldError(Exception):
    """A bad field inside one record; the caller adds the source and the place."""

    def __init__(self, problem: str, line_number: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line_number = line_number


# --------------------------------------------------------------------------- entry points


def parse_text(text: str, source: str = "", *, now_utc: datetime | None = None) -> list[ElementSet]:
    """Parse element data in any format CelesTrak serves, refusing the first bad record.

    The format is detected: OMM JSON (a list of objects or one object, compact or pretty),
    OMM CSV (a header naming the OMM keys, any column order) or TLE text (3LE or 2LE, names
    with or without the ``0 `` prefix, any line endings, a BOM). Use this for a user's file,
    where one bad record means the file needs fixing.
    """
    sets, errors = parse_records(text, source, now_utc=now_utc)
    if errors:
        raise errors[0]
    return sets


def parse_records(
    text: str, source: str = "", *, now_utc: datetime | None = None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    """Parse element data leniently: return the good sets and an error for each bad record.

    For whole groups, where one corrupted record should not cost the other thousands. A body
    that is not element data at all (an HTML page, CelesTrak's plain-text answers, an empty
    body, truncated JSON, garbage) still raises `ElementParseError`: it never comes back as
    an empty success.
    """
    _check_now(now_utc)
    text = text.removeprefix("\ufeff")
    body = text.strip()
    if not body:
        raise ElementParseError("is empty: it holds no element sets", source=source)
    lines = _split_lines(body)
    if _starts_like_tle(lines):
        return _parse_tle(text, source, now_utc)
    _refuse_non_element_body(body, source)
    if body[0] in "[{":
        return _parse_json(body, source, now_utc)
    if _is_csv_header(lines[0].strip()):
        return _parse_csv(text, source, now_utc)
    if not any(line.lstrip()[:2] in ("1 ", "2 ") for line in lines):
        raise ElementParseError(
            f"does not look like element data (TLE, OMM JSON or OMM CSV): it starts with "
            f"{body[:40]!r}",
            source=source,
        )
    return _parse_tle(text, source, now_utc)


def read_file(path: str | Path, *, now_utc: datetime | None = None) -> list[ElementSet]:
    """Read an element file (TLE, OMM JSON or OMM CSV; UTF-8, BOM or not), strictly.

    The source of each set and of every error is the path as given.
    """
    return parse_text(_read_text(path), str(path), now_utc=now_utc)


def read_file_records(
    path: str | Path, *, now_utc: datetime | None = None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    """Read an element file leniently: the good sets and an error for each bad record.

    The policy of ``--tle-file`` and ``tle import`` (without ``--strict``): a bad record is
    skipped with a warning. A file with no good record at all raises the first record's error
    (with how many more there were), so a broken file is never an empty success.
    """
    source = str(path)
    sets, errors = parse_records(_read_text(path), source, now_utc=now_utc)
    if not sets and errors:
        first = errors[0]
        more = f" (and {len(errors) - 1:,} more bad records)" if len(errors) > 1 else ""
        raise ElementParseError(
            f"{first.problem}{more}; the file holds no valid element set",
            source=first.source,
            line_number=first.line_number,
            record_number=first.record_number,
            where=first.where,
        )
    return sets, errors


def skipped_warnings(
    errors: Sequence[ElementParseError | str], *, shown: int = SKIPPED_SHOWN, hint: str = ""
) -> list[str]:
    """Return the warning lines for skipped records: the first `shown` named, the rest counted.

    So a broken 20,000-line file gives a few lines, not 20,000. `hint` ends the last line
    (e.g. how to refuse such a file instead).
    """
    lines = [f"skipped a bad record: {error}" for error in errors[:shown]]
    rest = len(errors) - shown
    if rest > 0:
        lines.append(f"... and {rest:,} more bad record(s) skipped")
    if lines and hint:
        lines[-1] += f" ({hint})"
    return lines


def _read_text(path: str | Path) -> str:
    """Return a file's text (UTF-8, BOM dropped), or raise a one-line `ElementParseError`."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ElementParseError("no such file; check the path", source=source) from None
    except IsADirectoryError:
        raise ElementParseError(
            "is a directory, not an element file; name a .tle, .json or .csv file inside it",
            source=source,
        ) from None
    except OSError as exc:
        raise ElementParseError(
            f"cannot be read ({exc.strerror}); check its permissions", source=source
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ElementParseError(
            f"is not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x}); element files "
            "are plain ASCII: is this a compressed or binary file?",
            source=source,
        ) from None
    return text


def parse_tle_lines(
    line1: str,
    line2: str,
    name: str | None = None,
    source: str = "",
    *,
    now_utc: datetime | None = None,
) -> ElementSet:
    """Validate one TLE (two lines and an optional name) and return its `ElementSet`.

    Errors say ``line 1`` / ``line 2`` (``line 0`` for the name) of this set.
    """
    _check_now(now_utc)
    numbered_name = None if name is None else (0, name.rstrip())
    return _tle_set(numbered_name, (1, line1.rstrip()), (2, line2.rstrip()), source, now_utc)


def parse_omm_record(
    fields: Mapping[str, Any], source: str = "", *, now_utc: datetime | None = None
) -> ElementSet:
    """Validate one OMM record (a JSON object or a CSV row as a mapping) into an `ElementSet`.

    Values may be numbers or strings (CSV decimals without a leading zero are fine). The
    result's `omm` holds the 17 CelesTrak keys in CelesTrak's order, as numbers and strings.
    """
    _check_now(now_utc)
    try:
        return _omm_set(fields, source, now_utc)
    except _FieldError as exc:
        raise ElementParseError(exc.problem, source=source) from None
    except Exception as exc:  # whatever else a hostile value raises is this record's error
        raise ElementParseError(_unexpected(exc), source=source) from None


def tle_checksum(line: str) -> int:
    """Return the TLE checksum of a line: the mod-10 sum over columns 1-68.

    Digits count their value, '-' counts 1, everything else (letters, '+', '.', spaces) 0.
    """
    # one C-level pass (translate, then sum the bytes): was 11 str.count calls per line
    return sum(line[:68].encode("utf-8", "surrogatepass").translate(_CHECKSUM_VALUES)) % 10


def alpha5_to_int(field: str) -> int:
    """Return the catalog number in TLE columns 3-7, plain (``25544``) or Alpha-5 (``A0001``)."""
    field = field.strip()
    if field and field[0].isascii() and field[0].isalpha():
        letter, digits = field[0].upper(), field[1:]
        if letter in "IO":
            raise ValueError(
                f"Alpha-5 catalog number {field!r} uses the letter {letter}, which Alpha-5 "
                "skips (it looks like a digit)"
            )
        if letter not in _ALPHA5_LETTERS or not _FOUR_DIGITS_RE.fullmatch(digits):
            raise ValueError(f"Alpha-5 catalog number {field!r} is not a letter and 4 digits")
        return (_ALPHA5_LETTERS.index(letter) + 10) * 10000 + int(digits)
    if not _CATALOG_DIGITS_RE.fullmatch(field):
        raise ValueError(f"catalog number {field!r} is not 5 digits or Alpha-5 like 'A0001'")
    return int(field)


def int_to_alpha5(norad_id: int) -> str:
    """Return the 5-character TLE catalog field for `norad_id` (Alpha-5 from 100000 up)."""
    if not 0 <= norad_id <= ALPHA5_MAX:
        raise ValueError(
            f"catalog number {norad_id} does not fit TLE columns 3-7 (Alpha-5 ends at "
            f"{ALPHA5_MAX}); write it as OMM JSON or CSV instead"
        )
    if norad_id < 100000:
        return f"{norad_id:05d}"
    return _ALPHA5_LETTERS[norad_id // 10000 - 10] + f"{norad_id % 10000:04d}"


# --------------------------------------------------------------------------- format detection


def _check_now(now_utc: datetime | None) -> None:
    if now_utc is not None and now_utc.tzinfo is None:
        raise ValueError(
            f"now_utc must be timezone-aware, got {now_utc!r}; pass datetime.now(datetime.UTC)"
        )


def _split_lines(text: str) -> list[str]:
    # Not str.splitlines(): that also splits on form feeds and Unicode separators.
    return re.split(r"\r\n|\r|\n", text)


def _starts_like_tle(lines: Sequence[str]) -> bool:
    """Tell whether the first record is a TLE: line 1 then line 2, after a name or not.

    Checked before the first character is looked at, so that a 3LE file whose first name
    starts with ``[``, ``{`` or ``<`` is not taken for JSON or XML.
    """
    first = [line.lstrip() for line in lines[:8] if line.strip()][:3]
    return any(a.startswith("1 ") and b.startswith("2 ") for a, b in itertools.pairwise(first))


def _refuse_non_element_body(body: str, source: str) -> None:
    """Raise for the answers that are not element data: HTML, XML, KVN, CelesTrak's notes."""
    head = body[:1000].lower()
    if head.startswith(("<!doctype html", "<html")) or (head.startswith("<") and "<html" in head):
        raise ElementParseError(
            "looks like an HTML page, not element data (an error, login or redirect page?); "
            "check the URL and that it asks for FORMAT=TLE, JSON or CSV",
            source=source,
        )
    if head.startswith("<"):
        raise ElementParseError(
            "is XML (OMM XML is not read here); ask for FORMAT=JSON or FORMAT=CSV instead",
            source=source,
        )
    if head.startswith("ccsds_omm_vers"):
        raise ElementParseError(
            "is OMM KVN, which is not read here; ask for FORMAT=JSON or FORMAT=CSV instead",
            source=source,
        )
    if head.startswith("no gp data found"):
        raise ElementParseError(
            "answered 'No GP data found': no such object or group; check the catalog number, "
            "designator or group name",
            source=source,
        )
    if head.startswith("gp data has not updated"):
        raise ElementParseError(
            "answered 'GP data has not updated since your last successful download': there is "
            "nothing new; keep the cached sets and ask again after the next 2-hour update",
            source=source,
        )


def _is_csv_header(line: str) -> bool:
    if "," not in line:
        return False
    try:
        cells = {cell.strip().removeprefix("\ufeff") for cell in next(csv.reader([line]))}
    except csv.Error:
        return False
    return bool(cells & {"OBJECT_NAME", "NORAD_CAT_ID", "EPOCH"})


def _show(value: Any, limit: int = 40) -> str:
    """Return `value` for a message: its repr cut short; a container only by its type.

    Values come from untrusted files: a 140,000-character name or a 5,000-digit number must
    still give a one-line message of readable length.
    """
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 100:
            return f"a whole number of about {value.bit_length() * math.log10(2):,.0f} digits"
        return str(value)
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(str(value))
        return f"{str(value)[:limit]!r}... ({len(value):,} characters)"
    return f"a JSON {type(value).__name__}"


def _unexpected(exc: Exception) -> str:
    """Describe an exception no check foresaw (the record is refused either way)."""
    return f"cannot be read ({type(exc).__name__}: {_show(str(exc), 120)})"


# --------------------------------------------------------------------------- TLE text

_Line = tuple[int, str]  # (1-based line number, right-stripped text)


def _parse_tle(
    text: str, source: str, now_utc: datetime | None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    """Group the lines into (name?, line 1, line 2) records and validate each."""
    lines = [(n, s.rstrip()) for n, s in enumerate(_split_lines(text), 1) if s.strip()]
    sets: list[ElementSet] = []
    errors: list[ElementParseError] = []

    def fail(line_number: int, problem: str) -> None:
        errors.append(ElementParseError(problem, source=source, line_number=line_number))

    def is_line(index: int, number: int) -> bool:
        # A line that starts "1 " / "2 ", or a long line (no name is 64 characters) in the
        # place of one, so that a corrupted column 1 is reported on its own line.
        if index >= len(lines):
            return False
        content = lines[index][1]
        if content.startswith(f"{number} "):
            return True
        other = "2 " if number == 1 else "1 "
        return len(content) >= 64 and not content.startswith(other)

    def is_line1(index: int) -> bool:
        return lines[index][1].startswith("1 ") or (
            len(lines[index][1]) >= 64 and index + 1 < len(lines) and is_line(index + 1, 2)
        )

    i = 0
    while i < len(lines):
        name: _Line | None = None
        if lines[i][1].startswith("2 "):
            fail(
                lines[i][0],
                "TLE line 2 without a line 1 before it; a set is an optional name "
                "line, then line 1, then line 2",
            )
            i += 1
            continue
        if not is_line1(i):
            name = lines[i]
            i += 1
            if i == len(lines):
                fail(
                    name[0],
                    f"name line {name[1]!r} is the last line: its two TLE lines are "
                    "missing (was the text cut off?)",
                )
                break
            if not is_line1(i):
                if lines[i][1].startswith("2 "):
                    fail(
                        lines[i][0],
                        f"TLE line 2 follows name line {name[1]!r} without a line 1 between them",
                    )
                    i += 1
                else:
                    fail(
                        name[0],
                        f"name line {name[1]!r} is not followed by a TLE line 1 "
                        f"(line {lines[i][0]} starts {lines[i][1][:20]!r})",
                    )
                continue
        line1 = lines[i]
        i += 1
        if not is_line(i, 2):
            try:
                _check_tle_line(1, line1)
            except _FieldError as exc:
                fail(line1[0], exc.problem)
            else:
                where = "is the last line" if i == len(lines) else "is not followed by a line 2"
                fail(line1[0], f"TLE line 1 {where}: line 2 is missing (was the text cut off?)")
            continue
        line2 = lines[i]
        i += 1
        try:
            sets.append(_tle_set(name, line1, line2, source, now_utc))
        except ElementParseError as exc:
            errors.append(exc)
    return sets, errors


def _check_tle_line(number: int, line: _Line) -> None:
    """Check length, column 1, the blank separator columns and the checksum of one line."""
    line_number, text = line
    template = _TLE_TEMPLATES[number]
    bad = _NOT_PRINTABLE_ASCII_RE.search(text)
    if bad is not None:
        column, char = bad.start() + 1, bad.group()
        kind = "a control character" if char.isascii() else "not ASCII"
        raise _FieldError(
            f"TLE line {number} column {column} is {char!r} (U+{ord(char):04X}), {kind}: "
            "TLE lines hold printable ASCII only (digits 0-9, letters, '+-. ')",
            line_number,
        )
    if len(text) != _TLE_LENGTH:
        hint = "it was cut short" if len(text) < _TLE_LENGTH else "remove what follows column 69"
        raise _FieldError(
            f"TLE line {number} is {len(text)} characters long, expected 69 ({hint}; "
            f"layout {template!r})",
            line_number,
        )
    if text[0] != str(number):
        raise _FieldError(
            f"TLE line {number} must start with '{number}' in column 1, found {text[0]!r}",
            line_number,
        )
    for column in _TLE_SPACE_COLUMNS[number]:
        if text[column - 1] != " ":
            raise _FieldError(
                f"TLE line {number} column {column} must be a space, found "
                f"{text[column - 1]!r}: a field is shifted (layout {template!r})",
                line_number,
            )
    printed = text[68]
    computed = tle_checksum(text)
    if printed not in "0123456789":
        raise _FieldError(
            f"TLE line {number} column 69 must be the checksum digit, found {printed!r} "
            f"(computed {computed})",
            line_number,
        )
    if int(printed) != computed:
        raise _FieldError(
            f"TLE line {number} checksum digit is {printed}, computed {computed} (mod-10 sum of "
            "columns 1-68: digits count their value, '-' counts 1); a character was changed: "
            "fetch the set again or fix the typo",
            line_number,
        )


def _tle_set(
    name: _Line | None, line1: _Line, line2: _Line, source: str, now_utc: datetime | None
) -> ElementSet:
    """Validate one TLE record and build its `ElementSet`, OMM fields computed from the lines."""
    try:
        _check_tle_line(1, line1)
        _check_tle_line(2, line2)
        omm = _tle_fields(line1, line2)
        epoch = omm.pop("_epoch")
        line_of = {key: line1[0] for key in _TLE_LINE1_KEYS}
        _check_ranges(omm, epoch, now_utc, _tle_label, line_of, line2[0])
        if name is not None:
            object_name = clean_name(name[1])
            object_name = object_name[2:].strip() if object_name.startswith("0 ") else object_name
        else:
            object_name = ""
        omm["OBJECT_NAME"] = object_name or "UNKNOWN"
        omm = {key: omm[key] for key in OMM_KEYS}
        element_set = ElementSet(
            norad_id=omm["NORAD_CAT_ID"],
            name=omm["OBJECT_NAME"],
            epoch_utc=epoch,
            omm=omm,
            tle_lines=(line1[1], line2[1]),
            source=source,
        )
        _check_propagates(element_set, line1[0])
        _check_sgp4_reads_the_same(element_set, line1[0], line2[0])
    except _FieldError as exc:
        raise ElementParseError(exc.problem, source=source, line_number=exc.line_number) from None
    except Exception as exc:  # whatever else a hostile line raises is this record's error
        raise ElementParseError(_unexpected(exc), source=source, line_number=line1[0]) from None
    return element_set


# What SGP4's own TLE reader (sgp4's C++ twoline2rv, which reads numbers with sscanf and so
# skips spaces wherever they are) makes of each field, against the value our column reader
# took, with the tolerance of the field's printed digits. Found by the fuzz (issue 16): a
# mean motion field of blanks and '1.0' whose digits run on into the revolution number read
# as 1.0 rev/day here and 1.048853 in SGP4, 1,160 km apart at the epoch.
_SGP4_FIELDS = (
    ("MEAN_MOTION", "no_kozai", 2 * math.pi / 1440.0, 1e-8),
    ("INCLINATION", "inclo", math.pi / 180.0, 1e-4),
    ("RA_OF_ASC_NODE", "nodeo", math.pi / 180.0, 1e-4),
    ("ARG_OF_PERICENTER", "argpo", math.pi / 180.0, 1e-4),
    ("MEAN_ANOMALY", "mo", math.pi / 180.0, 1e-4),
    ("ECCENTRICITY", "ecco", 1.0, 1e-7),
    ("BSTAR", "bstar", 1.0, 1e-9),
)


def _check_sgp4_reads_the_same(
    element_set: ElementSet, line1_number: int, line2_number: int
) -> None:
    """Refuse TLE lines that SGP4's reader takes differently from their columns (`_FieldError`).

    The propagated model comes from the lines themselves (`ElementSet.satrec`), the stored OMM
    fields from our column reader; a layout where the two part (digits shifted across a
    field's columns) would make every prediction disagree with the stored set.
    """
    sat = element_set.satrec()
    for key, attribute, to_model, digits in _SGP4_FIELDS:
        ours = element_set.omm[key]
        theirs = getattr(sat, attribute) / to_model
        if not abs(theirs - ours) <= digits * max(1.0, abs(ours)) * 0.5 + 1e-12:
            line = line2_number if _TLE_FIELD_LABELS[key][0] == 2 else line1_number
            raise _FieldError(
                f"{_tle_label(key)} reads as {ours:g} from its columns but SGP4 reads the line "
                f"as {theirs:g}: the field's digits are shifted out of their columns; fetch the "
                "set again or fix the layout",
                line,
            )


_TLE_FIELD_LABELS = {
    "INCLINATION": (2, "inclination", "9-16"),
    "RA_OF_ASC_NODE": (2, "right ascension of the node", "18-25"),
    "ECCENTRICITY": (2, "eccentricity", "27-33"),
    "ARG_OF_PERICENTER": (2, "argument of perigee", "35-42"),
    "MEAN_ANOMALY": (2, "mean anomaly", "44-51"),
    "MEAN_MOTION": (2, "mean motion", "53-63"),
    "REV_AT_EPOCH": (2, "revolution number", "64-68"),
    "EPOCH": (1, "epoch", "19-32"),
    "NORAD_CAT_ID": (1, "catalog number", "3-7"),
    "MEAN_MOTION_DOT": (1, "mean motion derivative", "34-43"),
    "MEAN_MOTION_DDOT": (1, "second derivative of mean motion", "45-52"),
    "BSTAR": (1, "BSTAR drag term", "54-61"),
    "EPHEMERIS_TYPE": (1, "ephemeris type", "63"),
    "ELEMENT_SET_NO": (1, "element set number", "65-68"),
}
_TLE_LINE1_KEYS = tuple(key for key, (number, _, _) in _TLE_FIELD_LABELS.items() if number == 1)


def _tle_label(key: str) -> str:
    number, label, columns = _TLE_FIELD_LABELS[key]
    return f"TLE line {number} {label} (columns {columns})"


def _tle_fields(line1: _Line, line2: _Line) -> dict[str, Any]:
    """Read the fields of two checked lines into OMM keys (plus ``_epoch``, a datetime)."""
    n1, t1 = line1
    n2, t2 = line2

    def field(number: int, first: int, last: int, label: str, pattern: re.Pattern, like: str):
        line_number, text = line1 if number == 1 else line2
        value = text[first - 1 : last]
        if not pattern.fullmatch(value.strip()):
            raise _FieldError(
                f"TLE line {number} {label} (columns {first}-{last}, like {like!r}) is {value!r}",
                line_number,
            )
        return value.strip()

    def catalog(line: _Line, number: int) -> int:
        try:
            return alpha5_to_int(line[1][2:7])
        except ValueError as exc:
            raise _FieldError(f"TLE line {number} columns 3-7: {exc}", line[0]) from None

    norad_id = catalog(line1, 1)
    if catalog(line2, 2) != norad_id:
        raise _FieldError(
            f"TLE line 2 catalog number (columns 3-7) is {t2[2:7]!r} but line 1 has "
            f"{t1[2:7]!r}: the two lines belong to different sets",
            n2,
        )
    classification = t1[7].strip() or "U"
    if not _CLASSIFICATION_RE.fullmatch(classification):
        raise _FieldError(f"TLE line 1 classification (column 8, like 'U') is {t1[7]!r}", n1)
    designator = t1[9:17].strip()
    if designator:
        match = _DESIGNATOR_RE.fullmatch(designator)
        if match is None:
            raise _FieldError(
                f"TLE line 1 international designator (columns 10-17: launch year, launch "
                f"number, piece, like '98067A  ') is {t1[9:17]!r}",
                n1,
            )
        year, launch, piece = match.groups()
        object_id = f"{_full_year(int(year))}-{launch}{piece}"
    else:
        object_id = ""

    year_text = t1[18:20]
    if not _TWO_DIGITS_RE.fullmatch(year_text):
        raise _FieldError(
            f"TLE line 1 epoch year (columns 19-20, two digits like '24') is {year_text!r}", n1
        )
    day_text = field(1, 21, 32, "epoch day", _EPOCH_DAY_RE, "127.82853009")
    year = _full_year(int(year_text))
    days_in_year = (datetime(year + 1, 1, 1) - datetime(year, 1, 1)).days
    day = Decimal(day_text)
    if not 1 <= day < days_in_year + 1:
        raise _FieldError(
            f"TLE line 1 epoch day (columns 21-32) is {day_text}; {year} has days 1 to "
            f"{days_in_year}.99999999",
            n1,
        )
    epoch = datetime(year, 1, 1, tzinfo=UTC) + timedelta(
        microseconds=round((day - 1) * 86_400_000_000)
    )

    ndot = field(1, 34, 43, "mean motion derivative", _DECIMAL_RE, " .00015698")
    nddot = _exponent(line1, 45, 52, "second derivative of mean motion")
    bstar = _exponent(line1, 54, 61, "BSTAR drag term")
    ephemeris_type = t1[62].strip() or "0"
    if ephemeris_type not in "0123456789":
        raise _FieldError(f"TLE line 1 ephemeris type (column 63, like '0') is {t1[62]!r}", n1)
    element_set_no = _digits(1, line1, 65, 68, "element set number", "  999")

    inclination = field(2, 9, 16, "inclination", _DECIMAL_RE, " 51.6393")
    node = field(2, 18, 25, "right ascension of the node", _DECIMAL_RE, "160.4574")
    eccentricity_text = t2[26:33]
    if not _SEVEN_DIGITS_RE.fullmatch(eccentricity_text):
        raise _FieldError(
            f"TLE line 2 eccentricity (columns 27-33, 7 digits after an implied '0.', like "
            f"'0003580' for 0.000358) is {eccentricity_text!r}",
            n2,
        )
    perigee = field(2, 35, 42, "argument of perigee", _DECIMAL_RE, "140.6673")
    anomaly = field(2, 44, 51, "mean anomaly", _DECIMAL_RE, "205.7250")
    mean_motion = field(2, 53, 63, "mean motion", _DECIMAL_RE, "15.50957674")
    revolutions = _digits(2, line2, 64, 68, "revolution number", "45212")

    return {
        "OBJECT_ID": object_id,
        "EPOCH": format_omm_epoch(epoch),
        "MEAN_MOTION": float(mean_motion),
        "ECCENTRICITY": float("0." + eccentricity_text),
        "INCLINATION": float(inclination),
        "RA_OF_ASC_NODE": float(node),
        "ARG_OF_PERICENTER": float(perigee),
        "MEAN_ANOMALY": float(anomaly),
        "EPHEMERIS_TYPE": int(ephemeris_type),
        "CLASSIFICATION_TYPE": classification,
        "NORAD_CAT_ID": norad_id,
        "ELEMENT_SET_NO": element_set_no,
        "REV_AT_EPOCH": revolutions,
        "BSTAR": bstar,
        "MEAN_MOTION_DOT": float(ndot),
        "MEAN_MOTION_DDOT": nddot,
        "_epoch": epoch,
    }


def _full_year(two_digits: int) -> int:
    """Return the year of a two-digit TLE year: 57-99 are 1957-1999, 00-56 are 2000-2056."""
    return 1900 + two_digits if two_digits >= 57 else 2000 + two_digits


def _exponent(line: _Line, first: int, last: int, label: str) -> float:
    """Read a line-1 exponent field such as `` 27310-3`` (0.27310e-3, the point implied)."""
    text = line[1][first - 1 : last]
    match = _EXPONENT_RE.fullmatch(text.strip())
    if match is None:
        raise _FieldError(
            f"TLE line 1 {label} (columns {first}-{last}: sign, 5 digits after an implied "
            f"'0.', exponent, like ' 27310-3' for 0.2731e-3) is {text!r}",
            line[0],
        )
    sign, mantissa, exponent = match.groups()
    return float(f"{sign}0.{mantissa}e{exponent}")


def _digits(number: int, line: _Line, first: int, last: int, label: str, like: str) -> int:
    """Read a right-aligned unsigned integer field (blank reads as 0)."""
    text = line[1][first - 1 : last]
    if not _RIGHT_ALIGNED_DIGITS_RE.fullmatch(text):
        raise _FieldError(
            f"TLE line {number} {label} (columns {first}-{last}, digits like {like!r}) is {text!r}",
            line[0],
        )
    return int(text) if text.strip() else 0


# --------------------------------------------------------------------------- OMM JSON and CSV


class _JsonNumberText(str):
    """A JSON integer too long to convert, kept as its digits so only its record fails."""


def _json_int(text: str) -> int | str:
    # json.loads would convert it with int(), which refuses over 4,300 digits with a
    # ValueError that loses the whole document; such a number fits no field anyway.
    return int(text) if len(text) <= _MAX_INTEGER_DIGITS else _JsonNumberText(text)


def _parse_json(
    body: str, source: str, now_utc: datetime | None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    try:
        document = json.loads(body, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(body) or exc.msg.startswith("Unterminated string"):
            raise ElementParseError(
                f"is truncated JSON: the document stops after {len(body)} characters, before "
                "its brackets close; download it again",
                source=source,
            ) from None
        raise ElementParseError(
            f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
            source=source,
        ) from None
    except RecursionError:
        raise ElementParseError(
            "is JSON nested too deeply to be OMM (a list of flat objects); it is not element data",
            source=source,
        ) from None
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise ElementParseError(
            f"is a JSON {type(document).__name__}, not an OMM object or a list of them",
            source=source,
        )
    if not document:
        raise ElementParseError("is an empty JSON list: it holds no element sets", source=source)
    if not any(isinstance(item, dict) and item.keys() & set(OMM_KEYS) for item in document):
        raise ElementParseError(
            "is JSON but holds no OMM records (no NORAD_CAT_ID, EPOCH... keys); ask for "
            "FORMAT=JSON from gp.php",
            source=source,
        )
    sets: list[ElementSet] = []
    errors: list[ElementParseError] = []
    for number, item in enumerate(document, 1):
        try:
            if not isinstance(item, dict):
                raise _FieldError(f"is a JSON {type(item).__name__}, not an OMM object")
            sets.append(_omm_set(item, source, now_utc))
        except Exception as exc:  # a _FieldError, or whatever else a hostile value raises
            problem = exc.problem if isinstance(exc, _FieldError) else _unexpected(exc)
            errors.append(
                ElementParseError(
                    problem,
                    source=source,
                    record_number=number,
                    where=f"record {number}{_object_label(item)}",
                )
            )
    return sets, errors


def _parse_csv(
    text: str, source: str, now_utc: datetime | None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    """Read OMM CSV line by line, so that a row the csv module cannot read is that row's error.

    A row is one physical line (CR, LF or CRLF ends it, as in TLE text): OMM CSV never quotes
    a line break, and a bare CR in a cell must not stop the rest of the file.
    """
    header: list[str] = []
    sets: list[ElementSet] = []
    errors: list[ElementParseError] = []
    rows = 0
    for line_number, line in enumerate(_split_lines(text), 1):
        where = f"row {line_number}"
        try:
            cells = next(csv.reader([line]), [])
        except csv.Error as exc:
            if not header:
                raise ElementParseError(
                    f"the CSV header cannot be read ({exc})", source=source, where=where
                ) from None
            rows += 1
            errors.append(
                ElementParseError(
                    f"cannot be read as CSV ({exc})",
                    source=source,
                    line_number=line_number,
                    where=where,
                )
            )
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, also before the header
        if not header:
            header = [cell.strip() for cell in cells]
            missing = [key for key in OMM_REQUIRED_KEYS if key not in header]
            if missing:
                raise ElementParseError(
                    f"the CSV header lacks {', '.join(missing)}; CelesTrak's FORMAT=CSV header "
                    f"names all of {', '.join(OMM_KEYS)}",
                    source=source,
                    line_number=line_number,
                    where=where,
                )
            continue
        rows += 1
        row = dict(zip(header, cells, strict=False))
        for key in _OMM_TEXT_KEYS:
            if isinstance(row.get(key), str):
                row[key] = csv_untext(row[key])  # undo the formula guard of our own export
        where = f"row {line_number}{_object_label(row)}"
        try:
            if len(cells) != len(header):
                raise _FieldError(
                    f"has {len(cells)} cells but the header has {len(header)}: the row is cut "
                    "short or has stray commas"
                )
            sets.append(_omm_set(row, source, now_utc))
        except Exception as exc:  # a _FieldError, or whatever else a hostile cell raises
            problem = exc.problem if isinstance(exc, _FieldError) else _unexpected(exc)
            errors.append(
                ElementParseError(problem, source=source, line_number=line_number, where=where)
            )
    if rows == 0:
        raise ElementParseError(
            "has a CSV header but no rows: it holds no element sets", source=source
        )
    return sets, errors


def _object_label(item: Any) -> str:
    """Name the object in an error (`` (NORAD 25544 'ISS (ZARYA)')``) when the record says."""
    if not isinstance(item, dict):
        return ""
    parts = []
    norad_id = item.get("NORAD_CAT_ID")
    if isinstance(norad_id, int | str) and str(norad_id).strip():
        parts.append(f"NORAD {_show(norad_id, 12).strip(chr(39))}")
    name = item.get("OBJECT_NAME")
    if isinstance(name, str) and clean_name(name):
        parts.append(_show(clean_name(name), 30))
    return f" ({' '.join(parts)})" if parts else ""


def _omm_set(fields: Mapping[str, Any], source: str, now_utc: datetime | None) -> ElementSet:
    """Validate one OMM mapping and build its `ElementSet` (raises `_FieldError`)."""
    values = {key: fields.get(key) for key in OMM_KEYS}
    for key, value in values.items():
        if isinstance(value, str) and not value.strip():
            values[key] = None
    missing = [key for key in OMM_REQUIRED_KEYS if values[key] is None]
    if missing:
        raise _FieldError(
            f"lacks {', '.join(missing)}; an OMM record needs {', '.join(OMM_REQUIRED_KEYS)}"
        )
    omm: dict[str, Any] = {}
    for key in OMM_KEYS:
        value = values[key]
        if value is None:
            omm[key] = _OMM_DEFAULTS[key]
        elif key in _OMM_FLOAT_KEYS:
            omm[key] = _omm_float(key, value)
        elif key in _OMM_INT_KEYS:
            omm[key] = _omm_int(key, value)
        elif isinstance(value, str) and not isinstance(value, _JsonNumberText):
            omm[key] = value.strip() if key == "EPOCH" else clean_name(value)
        else:
            raise _FieldError(f"{key} is {_show(value)}, expected a string")
    if not _CLASSIFICATION_RE.fullmatch(omm["CLASSIFICATION_TYPE"]):
        raise _FieldError(
            f"CLASSIFICATION_TYPE is {_show(omm['CLASSIFICATION_TYPE'])}, expected one letter "
            "like 'U' (unclassified)"
        )
    omm["OBJECT_NAME"] = omm["OBJECT_NAME"] or "UNKNOWN"  # also when cleaning left nothing
    epoch = _omm_epoch(omm["EPOCH"])
    omm["EPOCH"] = format_omm_epoch(epoch)
    _check_ranges(omm, epoch, now_utc, str, {}, None)
    element_set = ElementSet(
        norad_id=omm["NORAD_CAT_ID"],
        name=omm["OBJECT_NAME"],
        epoch_utc=epoch,
        omm=omm,
        source=source,
    )
    _check_propagates(element_set, None)
    return element_set


def _omm_epoch(text: str) -> datetime:
    """Read an OMM EPOCH: ISO 8601 in ASCII digits, a year Python's datetime can hold in UTC."""
    problem = f"EPOCH is {_show(text)}, expected ISO 8601 UTC like '2024-05-06T19:53:04.999776'"
    if not _OMM_EPOCH_RE.fullmatch(text):
        raise _FieldError(problem)
    try:
        return parse_omm_epoch(text)
    except (ValueError, OverflowError):  # a bad date, or an offset that leaves year 1-9999
        raise _FieldError(problem) from None


def _omm_float(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _FieldError(f"{key} is {_show(value)}, expected a number")
    if isinstance(value, str):
        text = value.strip(_ASCII_SPACE)
        if not _NUMBER_RE.fullmatch(text):
            raise _FieldError(
                f"{key} is {_show(value)}, expected a number like '0.000358' or '.9508E-4'"
            )
        value = text
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _FieldError(f"{key} is {_show(value)}, not a finite number")
    return number


def _omm_int(key: str, value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _INTEGER_RE.fullmatch(value.strip(_ASCII_SPACE)):
        if len(value.strip(_ASCII_SPACE)) > _MAX_INTEGER_DIGITS:
            low, high = _INT_RANGES[key]
            raise _FieldError(f"{key} is {_show(value)}; it must be from {low} to {high:,}")
        value = int(value.strip(_ASCII_SPACE))
    if isinstance(value, bool) or not isinstance(value, int):
        raise _FieldError(f"{key} is {_show(value)}, expected a whole number")
    return value


# --------------------------------------------------------------------------- shared checks

_RANGES = {
    # key: (low, high, high included?, unit)
    "INCLINATION": (0.0, 180.0, True, "degrees"),
    "RA_OF_ASC_NODE": (0.0, 360.0, True, "degrees"),
    "ARG_OF_PERICENTER": (0.0, 360.0, True, "degrees"),
    "MEAN_ANOMALY": (0.0, 360.0, True, "degrees"),
    "ECCENTRICITY": (0.0, 1.0, False, ""),
}
_SIZE_LIMITS = {
    # key: (largest size, excluded; unit)
    "BSTAR": (MAX_ABS_BSTAR_PER_EARTH_RADIUS, "per Earth radius"),
    "MEAN_MOTION_DOT": (MAX_ABS_MEAN_MOTION_DOT, "rev/day^2"),
    "MEAN_MOTION_DDOT": (MAX_ABS_MEAN_MOTION_DDOT, "rev/day^3"),
}


def _check_ranges(
    omm: Mapping[str, Any],
    epoch: datetime,
    now_utc: datetime | None,
    label: Callable[[str], str],
    line_of: Mapping[str, int],
    default_line: int | None,
) -> None:
    """Check the elements are physical and the epoch plausible; raise `_FieldError` if not.

    `label(key)` names the field the way the user's format does; `line_of` / `default_line`
    give the line a problem is reported on (TLE only).
    """
    for key, (low, high, high_included, unit) in _RANGES.items():
        value = omm[key]
        if not (low <= value <= high if high_included else low <= value < high):
            top = f"{high:g}" if high_included else f"below {high:g}"
            raise _FieldError(
                f"{label(key)} is {value:g}{' ' + unit if unit else ''}; it must be from "
                f"{low:g} to {top}",
                line_of.get(key, default_line),
            )
    for key, (limit, unit) in _SIZE_LIMITS.items():
        value = omm[key]
        if not abs(value) < limit:
            raise _FieldError(
                f"{label(key)} is {value:g} {unit}; its size must be below {limit:g} (no real "
                "set comes near)",
                line_of.get(key, default_line),
            )
    for key, (low, high) in _INT_RANGES.items():
        value = omm[key]
        if not low <= value <= high:
            raise _FieldError(
                f"{label(key)} is {_show(value)}; it must be from {low} to {high:,} (what TLE "
                "columns and SGP4 hold)",
                line_of.get(key, default_line),
            )
    mean_motion = omm["MEAN_MOTION"]
    if not MIN_MEAN_MOTION_REV_PER_DAY <= mean_motion < MAX_MEAN_MOTION_REV_PER_DAY:
        raise _FieldError(
            f"{label('MEAN_MOTION')} is {mean_motion:g} rev/day; it must be from "
            f"{MIN_MEAN_MOTION_REV_PER_DAY:g} to below {MAX_MEAN_MOTION_REV_PER_DAY:g} (no orbit "
            "above the ground is faster, none held by the Earth much slower)",
            line_of.get("MEAN_MOTION", default_line),
        )
    if epoch < FIRST_LAUNCH_UTC:
        raise _FieldError(
            f"{label('EPOCH')} is {format_omm_epoch(epoch)}, before the first launch "
            "(1957-10-04); the year is wrong",
            line_of.get("EPOCH", default_line),
        )
    if now_utc is not None and epoch > now_utc + FUTURE_EPOCH_ALLOWANCE:
        raise _FieldError(
            f"{label('EPOCH')} is {format_omm_epoch(epoch)}, more than "
            f"{FUTURE_EPOCH_ALLOWANCE.days} days after now ({format_omm_epoch(now_utc)}); the "
            "year or day is wrong",
            line_of.get("EPOCH", default_line),
        )


def _check_propagates(element_set: ElementSet, line_number: int | None) -> None:
    """Check SGP4 starts the set and gives a finite position at its epoch (`_FieldError`)."""
    try:
        sat = element_set.satrec()
        error, position, velocity = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
    except Exception as exc:  # the C extension refusing a value the checks above let by
        cause = exc.__cause__ if isinstance(exc.__cause__, Exception) else exc
        problem = f"SGP4 cannot use these elements: {_unexpected(cause)}"
        raise _FieldError(problem, line_number) from None
    if error != 0:
        reason = SGP4_ERRORS.get(error, f"error {error}")
        raise _FieldError(
            f"SGP4 cannot propagate these elements even at their epoch ({reason})", line_number
        )
    if not all(math.isfinite(x) for x in (*position, *velocity)):
        raise _FieldError("SGP4 gives a non-finite position at the epoch", line_number)
