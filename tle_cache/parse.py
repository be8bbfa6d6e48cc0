"""Read element sets from TLE/3LE text, OMM JSON and OMM CSV, and validate every record.

Everything that enters the cache passes through here, so a set that comes out is one SGP4 can
use: checksums verified, fields in their columns, elements within physical ranges. Errors name the
source, the place (``line N`` for text, ``record N`` for JSON, ``row N`` for CSV) and the fix.

Two entry points for the two needs: `parse_text` is strict (a user's file must be right, so the
first bad record stops it), `parse_records` is lenient (a group of thousands of objects should
not be lost to one bad record; the bad ones come back as errors). Both refuse a body that is not
element data at all (an HTML page, CelesTrak's "No GP data found", an empty or truncated
document): that is never an empty success.

No clock is read here: the "epoch too far in the future" check runs only when the caller passes
`now_utc`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tle_cache.elements import OMM_KEYS, ElementSet, format_omm_epoch, parse_omm_epoch

#: Sputnik 1 was launched on 1957-10-04: an earlier epoch means a misread year.
FIRST_LAUNCH_UTC = datetime(1957, 10, 4, tzinfo=UTC)
#: How far past `now_utc` an epoch may lie. Real sets of high orbits run 2 to 3 days ahead of
#: the download; a month ahead means a wrong year or a corrupted day field.
FUTURE_EPOCH_ALLOWANCE = timedelta(days=30)
#: Mean motion limit, rev/day: an orbit grazing the surface makes about 17.
MAX_MEAN_MOTION_REV_PER_DAY = 20.0
#: Largest catalog number TLE columns 3-7 can carry (Alpha-5 ``Z9999``).
ALPHA5_MAX = 339999

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

_DECIMAL_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_INTEGER_RE = re.compile(r"^[+-]?\d+$")
_EXPONENT_RE = re.compile(r"^([+-]?)(\d{1,5})([+-]\d)$")
_DESIGNATOR_RE = re.compile(r"^(\d\d)(\d{3})([A-Z]{1,3})$")

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
    the 1-based JSON record or None; `source` the file path or URL ("" when unknown); `problem`
    the message without the source and place, for callers that print them their own way.
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
    _refuse_non_element_body(body, source)
    if body[0] in "[{":
        return _parse_json(body, source, now_utc)
    first_line = body.split("\n", 1)[0].strip()
    if _is_csv_header(first_line):
        return _parse_csv(text, source, now_utc)
    if not any(line.lstrip()[:2] in ("1 ", "2 ") for line in _split_lines(body)):
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
    return parse_text(text, source, now_utc=now_utc)


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


def tle_checksum(line: str) -> int:
    """Return the TLE checksum of a line: the mod-10 sum over columns 1-68.

    Digits count their value, '-' counts 1, everything else (letters, '+', '.', spaces) 0.
    """
    total = sum(int(ch) if ch in "0123456789" else ch == "-" for ch in line[:68])
    return total % 10


def alpha5_to_int(field: str) -> int:
    """Return the catalog number in TLE columns 3-7, plain (``25544``) or Alpha-5 (``A0001``)."""
    field = field.strip()
    if field and field[0].isalpha():
        letter, digits = field[0].upper(), field[1:]
        if letter in "IO":
            raise ValueError(
                f"Alpha-5 catalog number {field!r} uses the letter {letter}, which Alpha-5 "
                "skips (it looks like a digit)"
            )
        if letter not in _ALPHA5_LETTERS or not re.fullmatch(r"\d{4}", digits):
            raise ValueError(f"Alpha-5 catalog number {field!r} is not a letter and 4 digits")
        return (_ALPHA5_LETTERS.index(letter) + 10) * 10000 + int(digits)
    if not re.fullmatch(r"\d{1,5}", field):
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
    cells = {cell.strip().removeprefix("\ufeff") for cell in next(csv.reader([line]))}
    return bool(cells & {"OBJECT_NAME", "NORAD_CAT_ID", "EPOCH"})


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
        _check_ranges(omm, epoch, now_utc, _tle_label, {"EPOCH": line1[0]}, line2[0])
    except _FieldError as exc:
        raise ElementParseError(exc.problem, source=source, line_number=exc.line_number) from None
    if name is not None:
        object_name = name[1].strip()
        object_name = object_name[2:].strip() if object_name.startswith("0 ") else object_name
    else:
        object_name = ""
    omm["OBJECT_NAME"] = object_name or "UNKNOWN"
    omm = {key: omm[key] for key in OMM_KEYS}
    return ElementSet(
        norad_id=omm["NORAD_CAT_ID"],
        name=omm["OBJECT_NAME"],
        epoch_utc=epoch,
        omm=omm,
        tle_lines=(line1[1], line2[1]),
        source=source,
    )


_TLE_FIELD_LABELS = {
    "INCLINATION": (2, "inclination", "9-16"),
    "RA_OF_ASC_NODE": (2, "right ascension of the node", "18-25"),
    "ECCENTRICITY": (2, "eccentricity", "27-33"),
    "ARG_OF_PERICENTER": (2, "argument of perigee", "35-42"),
    "MEAN_ANOMALY": (2, "mean anomaly", "44-51"),
    "MEAN_MOTION": (2, "mean motion", "53-63"),
    "EPOCH": (1, "epoch", "19-32"),
}


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
    if not classification.isalpha():
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
    if not year_text.isdigit():
        raise _FieldError(
            f"TLE line 1 epoch year (columns 19-20, two digits like '24') is {year_text!r}", n1
        )
    day_text = field(1, 21, 32, "epoch day", re.compile(r"\d{1,3}\.\d+"), "127.82853009")
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
    if not ephemeris_type.isdigit():
        raise _FieldError(f"TLE line 1 ephemeris type (column 63, like '0') is {t1[62]!r}", n1)
    element_set_no = _digits(1, line1, 65, 68, "element set number", "  999")

    inclination = field(2, 9, 16, "inclination", _DECIMAL_RE, " 51.6393")
    node = field(2, 18, 25, "right ascension of the node", _DECIMAL_RE, "160.4574")
    eccentricity_text = t2[26:33]
    if not re.fullmatch(r"\d{7}", eccentricity_text):
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
    if not re.fullmatch(r" *\d*", text):
        raise _FieldError(
            f"TLE line {number} {label} (columns {first}-{last}, digits like {like!r}) is {text!r}",
            line[0],
        )
    return int(text) if text.strip() else 0


# --------------------------------------------------------------------------- OMM JSON and CSV


def _parse_json(
    body: str, source: str, now_utc: datetime | None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    try:
        document = json.loads(body)
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
        except _FieldError as exc:
            errors.append(
                ElementParseError(
                    exc.problem,
                    source=source,
                    record_number=number,
                    where=f"record {number}{_object_label(item)}",
                )
            )
    return sets, errors


def _parse_csv(
    text: str, source: str, now_utc: datetime | None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    while not any(header):  # skip leading blank lines; the caller saw a header row
        header = [cell.strip() for cell in next(reader)]
    missing = [key for key in OMM_REQUIRED_KEYS if key not in header]
    if missing:
        raise ElementParseError(
            f"the CSV header lacks {', '.join(missing)}; CelesTrak's FORMAT=CSV header names "
            f"all of {', '.join(OMM_KEYS)}",
            source=source,
            line_number=reader.line_num,
            where=f"row {reader.line_num}",
        )
    sets: list[ElementSet] = []
    errors: list[ElementParseError] = []
    rows = 0
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        row = dict(zip(header, cells, strict=False))
        where = f"row {reader.line_num}{_object_label(row)}"
        try:
            if len(cells) != len(header):
                raise _FieldError(
                    f"has {len(cells)} cells but the header has {len(header)}: the row is cut "
                    "short or has stray commas"
                )
            sets.append(_omm_set(row, source, now_utc))
        except _FieldError as exc:
            errors.append(
                ElementParseError(
                    exc.problem, source=source, line_number=reader.line_num, where=where
                )
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
    if str(item.get("NORAD_CAT_ID", "")).strip():
        parts.append(f"NORAD {str(item['NORAD_CAT_ID']).strip()}")
    if str(item.get("OBJECT_NAME", "")).strip():
        parts.append(repr(str(item["OBJECT_NAME"]).strip()))
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
        elif isinstance(value, str):
            omm[key] = value.strip()
        else:
            raise _FieldError(f"{key} is {value!r}, expected a string")
    try:
        epoch = parse_omm_epoch(omm["EPOCH"])
    except ValueError:
        raise _FieldError(
            f"EPOCH is {omm['EPOCH']!r}, expected ISO 8601 UTC like '2024-05-06T19:53:04.999776'"
        ) from None
    omm["EPOCH"] = format_omm_epoch(epoch)
    if omm["NORAD_CAT_ID"] < 0:
        raise _FieldError(f"NORAD_CAT_ID is {omm['NORAD_CAT_ID']}, expected a catalog number >= 0")
    _check_ranges(omm, epoch, now_utc, str, {}, None)
    return ElementSet(
        norad_id=omm["NORAD_CAT_ID"],
        name=omm["OBJECT_NAME"] or "UNKNOWN",
        epoch_utc=epoch,
        omm=omm,
        source=source,
    )


def _omm_float(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _FieldError(f"{key} is {value!r}, expected a number")
    if isinstance(value, str):
        if not _NUMBER_RE.fullmatch(value.strip()):
            raise _FieldError(
                f"{key} is {value!r}, expected a number like '0.000358' or '.9508E-4'"
            )
        value = float(value)
    return float(value)


def _omm_int(key: str, value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _INTEGER_RE.fullmatch(value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _FieldError(f"{key} is {value!r}, expected a whole number")
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
    mean_motion = omm["MEAN_MOTION"]
    if not 0 < mean_motion < MAX_MEAN_MOTION_REV_PER_DAY:
        raise _FieldError(
            f"{label('MEAN_MOTION')} is {mean_motion:g} rev/day; it must be above 0 and below "
            f"{MAX_MEAN_MOTION_REV_PER_DAY:g} (no orbit above the ground is faster)",
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
