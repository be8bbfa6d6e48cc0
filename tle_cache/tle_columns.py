"""The columns of one TLE line pair: layout, checksum, Alpha-5 catalog numbers, field values.

A TLE line is 69 printable ASCII characters whose fields sit in fixed columns (the templates
below, which python-sgp4 prints above a bad line too). `check_tle_line` checks the layout and
the checksum of one line, `tle_fields` reads the fields of a checked pair into OMM keys, naming
the line, the columns and an example of the field when one is wrong. Text is untrusted: the
lines must be printable ASCII (sgp4's own reader counts bytes, so a non-ASCII digit shifts every
later column), numbers ASCII digits only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tle_cache.element_checks import CLASSIFICATION_RE
from tle_cache.elements import format_omm_epoch
from tle_cache.parse_errors import FieldError

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

# ASCII only (re.ASCII): `\d` alone also matches Arabic-Indic and other digits, which sgp4's
# own TLE reader sees as several bytes each, shifting every later column.
_DECIMAL_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)", re.ASCII)
_EXPONENT_RE = re.compile(r"([+-]?)(\d{1,5})([+-]\d)", re.ASCII)
_DESIGNATOR_RE = re.compile(r"(\d\d)(\d{3})([A-Z]{1,3})", re.ASCII)
_NOT_PRINTABLE_ASCII_RE = re.compile(r"[^ -~]")
_EPOCH_DAY_RE = re.compile(r"\d{1,3}\.\d+", re.ASCII)
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

Line = tuple[int, str]  # (1-based line number, right-stripped text)


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


def check_tle_line(number: int, line: Line) -> None:
    """Check length, column 1, the blank separator columns and the checksum of one line."""
    line_number, text = line
    template = _TLE_TEMPLATES[number]
    bad = _NOT_PRINTABLE_ASCII_RE.search(text)
    if bad is not None:
        column, char = bad.start() + 1, bad.group()
        kind = "a control character" if char.isascii() else "not ASCII"
        raise FieldError(
            f"TLE line {number} column {column} is {char!r} (U+{ord(char):04X}), {kind}: "
            "TLE lines hold printable ASCII only (digits 0-9, letters, '+-. ')",
            line_number,
        )
    if len(text) != _TLE_LENGTH:
        hint = "it was cut short" if len(text) < _TLE_LENGTH else "remove what follows column 69"
        raise FieldError(
            f"TLE line {number} is {len(text)} characters long, expected 69 ({hint}; "
            f"layout {template!r})",
            line_number,
        )
    if text[0] != str(number):
        raise FieldError(
            f"TLE line {number} must start with '{number}' in column 1, found {text[0]!r}",
            line_number,
        )
    for column in _TLE_SPACE_COLUMNS[number]:
        if text[column - 1] != " ":
            raise FieldError(
                f"TLE line {number} column {column} must be a space, found "
                f"{text[column - 1]!r}: a field is shifted (layout {template!r})",
                line_number,
            )
    printed = text[68]
    computed = tle_checksum(text)
    if printed not in "0123456789":
        raise FieldError(
            f"TLE line {number} column 69 must be the checksum digit, found {printed!r} "
            f"(computed {computed})",
            line_number,
        )
    if int(printed) != computed:
        raise FieldError(
            f"TLE line {number} checksum digit is {printed}, computed {computed} (mod-10 sum of "
            "columns 1-68: digits count their value, '-' counts 1); a character was changed: "
            "fetch the set again or fix the typo",
            line_number,
        )


TLE_FIELD_LABELS = {
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
TLE_LINE1_KEYS = tuple(key for key, (number, _, _) in TLE_FIELD_LABELS.items() if number == 1)


def tle_label(key: str) -> str:
    """Name an OMM key's field the way a TLE user sees it: line, name and columns."""
    number, label, columns = TLE_FIELD_LABELS[key]
    return f"TLE line {number} {label} (columns {columns})"


def tle_fields(line1: Line, line2: Line) -> dict[str, Any]:
    """Read the fields of two checked lines into OMM keys (plus ``_epoch``, a datetime)."""
    n1, t1 = line1
    n2, t2 = line2

    def field(number: int, first: int, last: int, label: str, pattern: re.Pattern, like: str):
        line_number, text = line1 if number == 1 else line2
        value = text[first - 1 : last]
        if not pattern.fullmatch(value.strip()):
            raise FieldError(
                f"TLE line {number} {label} (columns {first}-{last}, like {like!r}) is {value!r}",
                line_number,
            )
        return value.strip()

    def catalog(line: Line, number: int) -> int:
        try:
            return alpha5_to_int(line[1][2:7])
        except ValueError as exc:
            raise FieldError(f"TLE line {number} columns 3-7: {exc}", line[0]) from None

    norad_id = catalog(line1, 1)
    if catalog(line2, 2) != norad_id:
        raise FieldError(
            f"TLE line 2 catalog number (columns 3-7) is {t2[2:7]!r} but line 1 has "
            f"{t1[2:7]!r}: the two lines belong to different sets",
            n2,
        )
    classification = t1[7].strip() or "U"
    if not CLASSIFICATION_RE.fullmatch(classification):
        raise FieldError(f"TLE line 1 classification (column 8, like 'U') is {t1[7]!r}", n1)
    designator = t1[9:17].strip()
    if designator:
        match = _DESIGNATOR_RE.fullmatch(designator)
        if match is None:
            raise FieldError(
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
        raise FieldError(
            f"TLE line 1 epoch year (columns 19-20, two digits like '24') is {year_text!r}", n1
        )
    day_text = field(1, 21, 32, "epoch day", _EPOCH_DAY_RE, "127.82853009")
    year = _full_year(int(year_text))
    days_in_year = (datetime(year + 1, 1, 1) - datetime(year, 1, 1)).days
    day = Decimal(day_text)
    if not 1 <= day < days_in_year + 1:
        raise FieldError(
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
        raise FieldError(f"TLE line 1 ephemeris type (column 63, like '0') is {t1[62]!r}", n1)
    element_set_no = _digits(1, line1, 65, 68, "element set number", "  999")

    inclination = field(2, 9, 16, "inclination", _DECIMAL_RE, " 51.6393")
    node = field(2, 18, 25, "right ascension of the node", _DECIMAL_RE, "160.4574")
    eccentricity_text = t2[26:33]
    if not _SEVEN_DIGITS_RE.fullmatch(eccentricity_text):
        raise FieldError(
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


def _exponent(line: Line, first: int, last: int, label: str) -> float:
    """Read a line-1 exponent field such as `` 27310-3`` (0.27310e-3, the point implied)."""
    text = line[1][first - 1 : last]
    match = _EXPONENT_RE.fullmatch(text.strip())
    if match is None:
        raise FieldError(
            f"TLE line 1 {label} (columns {first}-{last}: sign, 5 digits after an implied "
            f"'0.', exponent, like ' 27310-3' for 0.2731e-3) is {text!r}",
            line[0],
        )
    sign, mantissa, exponent = match.groups()
    return float(f"{sign}0.{mantissa}e{exponent}")


def _digits(number: int, line: Line, first: int, last: int, label: str, like: str) -> int:
    """Read a right-aligned unsigned integer field (blank reads as 0)."""
    text = line[1][first - 1 : last]
    if not _RIGHT_ALIGNED_DIGITS_RE.fullmatch(text):
        raise FieldError(
            f"TLE line {number} {label} (columns {first}-{last}, digits like {like!r}) is {text!r}",
            line[0],
        )
    return int(text) if text.strip() else 0
