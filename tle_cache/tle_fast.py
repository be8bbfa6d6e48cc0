"""A fast path for the TLE sets that are plainly right, the checked path for all others.

A catalogue is some 15,000 sets in CelesTrak's exact layout; the checked reader
(`tle_cache.tle_text._tle_set`) spends ~35 us on each, one small check and one message at a
time. `fast_tle_set` reads a set whose two lines match the strict templates below with one
regular expression per line (`fast_record_set`: a clean 3LE record's three lines by one,
from the text) and runs the same range, SGP4 and read-back checks inline (issue 11: a
catalogue's parse was 0.53 s CPU, now 0.25 s). It only ever *accepts*: whatever it is not
sure of (a field laid out otherwise than CelesTrak prints it, a value out of range, a check
that fails, anything raising) gives None, and the caller reads the set on the checked path,
which builds the same `ElementSet` or the one error message it has always given. So a set
read here is field for field, bit for bit, the set the checked path reads
(tests/tle_cache/test_tle_fast.py holds the two paths side by side on varied and broken input).

Why each template is a subset of what the checked path accepts, with the same values:
printable ASCII of length 69 (the fixed-width groups add up to 69 characters of ASCII
classes), the blank separator columns, digits right-aligned where the checked path strips a
field (a decimal's leading blanks, never blanks inside), the checksum compared as there.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zlib import adler32

from sgp4.api import WGS72, Satrec

from tle_cache.element_checks import (
    FIRST_LAUNCH_UTC,
    FUTURE_EPOCH_ALLOWANCE,
    MAX_ABS_BSTAR_PER_EARTH_RADIUS,
    MAX_ABS_MEAN_MOTION_DDOT,
    MAX_ABS_MEAN_MOTION_DOT,
    MAX_MEAN_MOTION_REV_PER_DAY,
    MIN_MEAN_MOTION_REV_PER_DAY,
)
from tle_cache.elements import ElementSet

# Line 1: catalog number (5 digits or Alpha-5 with a capital letter), classification letter,
# designator (5 digits and 1-3 capitals, left-aligned, or blank), epoch (2 + 3 digits, a
# point, 8 digits: the microseconds are then an exact integer), the mean motion derivative
# (sign or blank, point, 8 digits), the two exponent fields (sign or blank, 5 digits, signed
# exponent digit), ephemeris type digit, element set number (1-4 digits, right-aligned),
# checksum digit.
_LINE1 = (
    r"1 ([0-9]{5}|[A-HJ-NP-Z][0-9]{4})([A-Za-z]) "
    r"([0-9]{5}(?:[A-Z]{3}|[A-Z]{2} |[A-Z]  )| {8}) "
    r"([0-9]{2})([0-9]{3})\.([0-9]{8}) "
    r"([ +-]\.[0-9]{8}) "
    r"([ +-])([0-9]{5})([+-][0-9]) "
    r"([ +-])([0-9]{5})([+-][0-9]) "
    r"([0-9]) "
    r"([0-9]{4}| [0-9]{3}|  [0-9]{2}|   [0-9])"
    r"([0-9])"
)
# An angle: 1-3 digits right-aligned in three columns, a point, 4 digits.
_ANGLE = r"((?:[0-9]{3}| [0-9]{2}|  [0-9])\.[0-9]{4})"
# Line 2: catalog number, four angles and the eccentricity (7 digits) between them, mean
# motion (1-2 digits right-aligned, a point, 8 digits), revolution number (1-5 digits,
# right-aligned), checksum digit.
_LINE2 = (
    r"2 ([0-9]{5}|[A-HJ-NP-Z][0-9]{4}) "
    + _ANGLE
    + " "
    + _ANGLE
    + r" ([0-9]{7}) "
    + _ANGLE
    + " "
    + _ANGLE
    + r" ((?:[0-9]{2}| [0-9])\.[0-9]{8})"
    r"([0-9]{5}| [0-9]{4}|  [0-9]{3}|   [0-9]{2}|    [0-9])"
    r"([0-9])"
)
# A record of a clean 3LE file, from a line's start: a name line (any text: the caller checks
# it is one), line 1 and line 2 in the strict layouts, blanks after them (lines are read
# right-stripped), each ended by a line break as `sniff.split_lines` splits (CRLF before CR),
# the last perhaps by the end of the text. Groups: the name line, line 1, its 16 fields,
# line 2, its 9 fields.
_RECORD = rf"([^\r\n]*)(?:\r\n|\r|\n)({_LINE1}) *(?:\r\n|\r|\n)({_LINE2}) *(?:\r\n|\r|\n|\Z)"
_ALPHA5_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Checksum value of each ASCII byte: digits their value, '-' 1, all else 0 (`tle_checksum`).
_CHECKSUM_VALUES = bytes(
    int(chr(b)) if chr(b) in "0123456789" else 1 if chr(b) == "-" else 0 for b in range(256)
)
#: The year of each two-digit TLE year: 57-99 are 1957-1999, 00-56 are 2000-2056.
_FULL_YEARS = {f"{n:02d}": 1900 + n if n >= 57 else 2000 + n for n in range(100)}
#: 1e-8 day of the epoch field, in microseconds: 86,400,000,000 / 1e8.
_MICROSECONDS_PER_EPOCH_DIGIT = 864
# The read-back tolerances of `tle_text._SGP4_FIELDS`, written out (the same expressions).
_REV_PER_DAY = 2 * math.pi / 1440.0
_RADIANS_PER_DEGREE = math.pi / 180.0


@functools.cache
def _date_of(year: int, day: int) -> tuple[int, int, str]:
    """Month, day of month and ``YYYY-MM-DDT`` of a day of the year, made once per day: most
    sets of a catalogue share a few days (at most 100 years of 366 days)."""
    start = datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day - 1)
    return start.month, start.day, start.strftime("%Y-%m-%dT")


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Compile line 1's, line 2's and a record's pattern on first use, not at import: ~3 ms
    that every command would pay at start-up (issue 11), most never reading a catalogue."""
    return re.compile(_LINE1), re.compile(_LINE2), re.compile(_RECORD)


def clean_record_pattern() -> re.Pattern[str]:
    """Return the pattern of a clean 3LE record (see `_RECORD`), compiled once."""
    return _patterns()[2]


def fast_tle_set(
    name: str | None, line1: str, line2: str, source: str, now_utc: datetime | None
) -> ElementSet | None:
    """Return the `ElementSet` of a set in the strict layout that passes every check, else None.

    `name` is the name line as read (right-stripped) or None. None means "not sure": read the
    set on the checked path, which gives the same set or the error.
    """
    try:
        return _fast_tle_set(name, line1, line2, source, now_utc)
    except Exception:  # anything unforeseen: the checked path decides and words it
        return None


def fast_record_set(
    name: str, groups: tuple[str, ...], source: str, now_utc: datetime | None
) -> ElementSet | None:
    """Return the `ElementSet` of a `clean_record_pattern` match's groups, or None.

    `name` is the name line right-stripped; None as from `fast_tle_set`.
    """
    try:
        return _set_of_fields(
            name, groups[1], groups[18], groups[2:18], groups[19:], source, now_utc
        )
    except Exception:  # anything unforeseen: the checked path decides and words it
        return None


def _fast_tle_set(
    name: str | None, line1: str, line2: str, source: str, now_utc: datetime | None
) -> ElementSet | None:
    line1_pattern, line2_pattern, _ = _patterns()
    match1 = line1_pattern.fullmatch(line1)
    match2 = line2_pattern.fullmatch(line2)
    if match1 is None or match2 is None:
        return None
    return _set_of_fields(name, line1, line2, match1.groups(), match2.groups(), source, now_utc)


def _set_of_fields(
    name: str | None,
    line1: str,
    line2: str,
    fields1: tuple[str, ...],
    fields2: tuple[str, ...],
    source: str,
    now_utc: datetime | None,
) -> ElementSet | None:
    """Build and check the set of two lines in the strict layouts from their fields."""
    (
        catalog,
        classification,
        designator,
        year_text,
        day_text,
        fraction_text,
        ndot_text,
        nddot_sign,
        nddot_mantissa,
        nddot_exponent,
        bstar_sign,
        bstar_mantissa,
        bstar_exponent,
        ephemeris_type,
        element_set_no,
        checksum1,
    ) = fields1
    (
        catalog2,
        inclination_text,
        node_text,
        eccentricity_text,
        perigee_text,
        anomaly_text,
        mean_motion_text,
        revolutions,
        checksum2,
    ) = fields2
    if catalog2 != catalog:
        return None
    # tle_checksum's sum of the checksum values of columns 1-68, taken by Adler-32 (C, half
    # the time of sum() over the bytes): its low 16 bits are 1 + the bytes' sum mod 65521,
    # and 68 values of at most 9 sum to at most 612
    values = (line1 + line2).encode("ascii").translate(_CHECKSUM_VALUES)
    if ((adler32(values[:68]) & 0xFFFF) - 1) % 10 != int(checksum1) or (
        (adler32(values[69:137]) & 0xFFFF) - 1
    ) % 10 != int(checksum2):
        return None
    letter = catalog[0]
    if letter.isdigit():
        norad_id = int(catalog)
    else:
        norad_id = (_ALPHA5_LETTERS.index(letter) + 10) * 10000 + int(catalog[1:])
    year = _FULL_YEARS[year_text]
    day = int(day_text)
    days_in_year = 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365
    if not 1 <= day <= days_in_year:
        return None
    month, day_of_month, date_text = _date_of(year, day)
    # The checked path's epoch, the day's start plus (day - 1) * 86,400,000,000 us, exact
    # integer arithmetic: so the same time of day, split into its fields, within the day
    # (8 digits of fraction are at most 86,399,999,136 us).
    hour, microseconds = divmod(int(fraction_text) * _MICROSECONDS_PER_EPOCH_DIGIT, 3_600_000_000)
    minute, microseconds = divmod(microseconds, 60_000_000)
    second, microseconds = divmod(microseconds, 1_000_000)
    epoch = datetime(year, month, day_of_month, hour, minute, second, microseconds, tzinfo=UTC)
    if epoch < FIRST_LAUNCH_UTC or (
        now_utc is not None and epoch > now_utc + FUTURE_EPOCH_ALLOWANCE
    ):
        return None
    inclination = float(inclination_text)
    node = float(node_text)
    eccentricity = float("0." + eccentricity_text)
    perigee = float(perigee_text)
    anomaly = float(anomaly_text)
    mean_motion = float(mean_motion_text)
    ndot = float(ndot_text)
    nddot = float(f"{nddot_sign.strip()}0.{nddot_mantissa}e{nddot_exponent}")
    bstar = float(f"{bstar_sign.strip()}0.{bstar_mantissa}e{bstar_exponent}")
    if not (
        inclination <= 180.0
        and node <= 360.0
        and perigee <= 360.0
        and anomaly <= 360.0
        and abs(bstar) < MAX_ABS_BSTAR_PER_EARTH_RADIUS
        and abs(ndot) < MAX_ABS_MEAN_MOTION_DOT
        and abs(nddot) < MAX_ABS_MEAN_MOTION_DDOT
        and norad_id >= 1
        and MIN_MEAN_MOTION_REV_PER_DAY <= mean_motion < MAX_MEAN_MOTION_REV_PER_DAY
    ):
        return None
    if name is None:
        object_name = ""
    elif name.isascii() and name.isprintable():  # what clean_name leaves as it is, bar blanks
        object_name = name.strip()
        object_name = object_name[2:].strip() if object_name.startswith("0 ") else object_name
    else:
        return None
    designator = designator.rstrip()
    object_id = f"{_FULL_YEARS[designator[:2]]}-{designator[2:]}" if designator else ""
    object_name = object_name or "UNKNOWN"
    omm: dict[str, Any] = {
        "OBJECT_NAME": object_name,
        "OBJECT_ID": object_id,
        # format_omm_epoch's "%Y-%m-%dT%H:%M:%S.%f" of the UTC epoch
        "EPOCH": f"{date_text}{hour:02d}:{minute:02d}:{second:02d}.{microseconds:06d}",
        "MEAN_MOTION": mean_motion,
        "ECCENTRICITY": eccentricity,
        "INCLINATION": inclination,
        "RA_OF_ASC_NODE": node,
        "ARG_OF_PERICENTER": perigee,
        "MEAN_ANOMALY": anomaly,
        "EPHEMERIS_TYPE": int(ephemeris_type),
        "CLASSIFICATION_TYPE": classification,
        "NORAD_CAT_ID": norad_id,
        "ELEMENT_SET_NO": int(element_set_no),
        "REV_AT_EPOCH": int(revolutions),
        "BSTAR": bstar,
        "MEAN_MOTION_DOT": ndot,
        "MEAN_MOTION_DDOT": nddot,
    }
    # ElementSet.satrec's record of these lines, and the constructor's set (a UTC epoch)
    sat = Satrec.twoline2rv(line1, line2, WGS72)
    element_set = ElementSet.from_parsed_tle(
        norad_id, object_name, epoch, omm, (line1, line2), source, sat
    )
    # check_propagates: SGP4 starts the set and gives a finite state at its epoch (a sum of
    # six numbers is finite only if each is)
    error, position, velocity = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
    if error != 0 or not math.isfinite(sum(position) + sum(velocity)):
        return None
    # _check_sgp4_reads_the_same, each comparison as written there, the tolerance of the
    # printed digits (0.5e-8 rev/day, 0.5e-4 deg, 0.5e-7, 0.5e-9) scaled by max(1.0, abs(x));
    # for the values that cannot be negative here, by (x if x > 1.0 else 1.0), the same number
    if not (
        abs(sat.no_kozai / _REV_PER_DAY - mean_motion)
        <= 1e-8 * (mean_motion if mean_motion > 1.0 else 1.0) * 0.5 + 1e-12
        and abs(sat.inclo / _RADIANS_PER_DEGREE - inclination)
        <= 1e-4 * (inclination if inclination > 1.0 else 1.0) * 0.5 + 1e-12
        and abs(sat.nodeo / _RADIANS_PER_DEGREE - node)
        <= 1e-4 * (node if node > 1.0 else 1.0) * 0.5 + 1e-12
        and abs(sat.argpo / _RADIANS_PER_DEGREE - perigee)
        <= 1e-4 * (perigee if perigee > 1.0 else 1.0) * 0.5 + 1e-12
        and abs(sat.mo / _RADIANS_PER_DEGREE - anomaly)
        <= 1e-4 * (anomaly if anomaly > 1.0 else 1.0) * 0.5 + 1e-12
        and abs(sat.ecco - eccentricity) <= 1e-7 * 1.0 * 0.5 + 1e-12  # eccentricity < 1
        and abs(sat.bstar - bstar) <= 1e-9 * max(1.0, abs(bstar)) * 0.5 + 1e-12
    ):
        return None
    return element_set
