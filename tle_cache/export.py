"""Write element sets back out as 3LE text, OMM JSON or OMM CSV.

For exporting a cache, sharing the sets a prediction used, and round-trip tests of the parser.
TLE output reuses the publisher's original lines when the set came from a TLE (so nothing is
rounded twice) and formats new lines from the OMM fields otherwise; OMM output always uses
CelesTrak's 17 keys in CelesTrak's order, so `tle_cache.parse.parse_text` reads all three back.

Every export reads back to the same sets, names included, whatever the store holds:

- each set is validated by the parser first (`parse_omm_record`), so a NaN or infinite value,
  which no format can carry and the parser refuses, is refused here with its message instead
  of being written as ``nan``;
- names are cleaned again (`tle_cache.names.clean_name`; a store written by an older version
  may hold a name with a line break, which in TLE text would forge an extra element set);
- a TLE name line that would read as a TLE line or lose a prefix (it starts with ``0 ``,
  ``1 `` or ``2 ``) is written with the ``0 `` name prefix of CelesTrak's 3LE format, which
  the parser removes;
- CSV text cells get the formula guard of `tle_cache.names.csv_text` (a leading ``'`` before
  ``= + - @``), which the OMM CSV reader removes again.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tle_cache.elements import OMM_KEYS, ElementSet, format_omm_epoch
from tle_cache.names import clean_name, csv_text
from tle_cache.parse import (
    ALPHA5_MAX,
    ElementParseError,
    int_to_alpha5,
    parse_omm_record,
    parse_tle_lines,
    tle_checksum,
)


def to_tle_text(sets: Iterable[ElementSet]) -> str:
    """Return the sets as 3LE text (name line, line 1, line 2; ``\\n`` line endings).

    Raises ValueError for a set that TLE columns cannot hold, chiefly a catalog number above
    Alpha-5's 339999: such objects exist only as OMM, so write them with `to_omm_json` or
    `to_omm_csv`.
    """
    out: list[str] = []
    for element_set in sets:
        if element_set.tle_lines is not None:
            line1, line2 = element_set.tle_lines
            parse_tle_lines(line1, line2, source=element_set.source)  # it must read back
        else:
            line1, line2 = format_tle_lines(element_set)
        out.extend((_tle_name_line(element_set.name), line1, line2))
    return "".join(line + "\n" for line in out)


def _tle_name_line(name: str) -> str:
    """Return a 3LE name line that reads back as exactly `name` (cleaned)."""
    name = clean_name(name) or "UNKNOWN"
    return "0 " + name if name.startswith(("0 ", "1 ", "2 ")) else name


def to_omm_json(sets: Iterable[ElementSet]) -> str:
    """Return the sets as a JSON list of OMM objects (CelesTrak's keys and key order)."""
    records = [_omm_record(element_set) for element_set in sets]
    return json.dumps(records, indent=4) + "\n"


def to_omm_csv(sets: Iterable[ElementSet]) -> str:
    """Return the sets as OMM CSV: CelesTrak's header row, then one row per set."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OMM_KEYS)
    for element_set in sets:
        record = _omm_record(element_set)
        writer.writerow([_csv_cell(record[key]) for key in OMM_KEYS])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    return csv_text(value) if isinstance(value, str) else value


def format_tle_lines(element_set: ElementSet) -> tuple[str, str]:
    """Format TLE line 1 and line 2 from a set's OMM fields, with their checksums.

    TLE columns hold less than OMM: the epoch is rounded to 1e-8 day (0.86 ms), eccentricity
    is cut to 7 digits, BSTAR and the second derivative to 5 significant digits, the
    revolution number to 5 digits (it wraps, as in published TLEs). Raises ValueError for
    what does not fit at all.
    """
    omm = _omm_record(element_set)
    norad_id = omm["NORAD_CAT_ID"]
    if norad_id > ALPHA5_MAX:
        raise ValueError(
            f"NORAD {norad_id} ({element_set.name}) cannot be written as TLE: catalog numbers "
            f"above {ALPHA5_MAX} do not fit columns 3-7 even in Alpha-5; use to_omm_json or "
            "to_omm_csv"
        )
    catalog = int_to_alpha5(norad_id)
    epoch_field = _tle_epoch(element_set.epoch_utc)
    element_set_no = omm["ELEMENT_SET_NO"]
    if not 0 <= element_set_no <= 9999:
        raise ValueError(f"ELEMENT_SET_NO {element_set_no} does not fit TLE columns 65-68")
    line1 = (
        f"1 {catalog}{omm['CLASSIFICATION_TYPE'][:1] or 'U'} {_tle_designator(omm['OBJECT_ID'])} "
        f"{epoch_field} {_tle_decimal(omm['MEAN_MOTION_DOT'], 'MEAN_MOTION_DOT')} "
        f"{_tle_exponent(omm['MEAN_MOTION_DDOT'], 'MEAN_MOTION_DDOT')} "
        f"{_tle_exponent(omm['BSTAR'], 'BSTAR')} {omm['EPHEMERIS_TYPE'] % 10} "
        f"{element_set_no:4d}"
    )
    eccentricity = round(omm["ECCENTRICITY"] * 1e7)
    if eccentricity > 9999999:
        raise ValueError(f"ECCENTRICITY {omm['ECCENTRICITY']} rounds to 1, which TLE cannot hold")
    line2 = (
        f"2 {catalog} {omm['INCLINATION']:8.4f} {omm['RA_OF_ASC_NODE']:8.4f} "
        f"{eccentricity:07d} {omm['ARG_OF_PERICENTER']:8.4f} {omm['MEAN_ANOMALY']:8.4f} "
        f"{omm['MEAN_MOTION']:11.8f}{omm['REV_AT_EPOCH'] % 100000:5d}"
    )
    lines = line1 + str(tle_checksum(line1)), line2 + str(tle_checksum(line2))
    try:  # what the columns round (a mean motion of 19.999999999 prints as 20) must read back
        parse_tle_lines(*lines)
    except ElementParseError as exc:
        raise ValueError(
            f"NORAD {norad_id} ({element_set.name}) cannot be written as TLE: rounded to its "
            f"columns it reads {exc.problem}; use to_omm_json or to_omm_csv"
        ) from None
    return lines


def _omm_record(element_set: ElementSet) -> dict[str, Any]:
    """Return the set's OMM fields checked and normalised (numbers as numbers, key order)."""
    # The store may hand us sets whose OMM values are all strings; normalise them the way
    # the parser does, so every writer sees the same types.
    record = dict(parse_omm_record(element_set.omm, element_set.source).omm)
    record["EPOCH"] = format_omm_epoch(element_set.epoch_utc)
    return record


def _tle_epoch(epoch_utc: datetime) -> str:
    """Format an epoch as TLE columns 19-32: two-digit year, day of year to 8 decimals."""
    epoch_utc = epoch_utc.astimezone(UTC)
    year = epoch_utc.year
    start = datetime(year, 1, 1, tzinfo=UTC)
    day = f"{(epoch_utc - start).total_seconds() / 86400.0 + 1.0:012.8f}"
    days_in_year = (datetime(year + 1, 1, 1, tzinfo=UTC) - start).days
    if float(day) >= days_in_year + 1:  # rounded up past the year's last instant
        year, day = year + 1, "001.00000000"
    if not 1957 <= year <= 2056:
        raise ValueError(f"epoch year {year} cannot be written as a two-digit TLE year")
    return f"{year % 100:02d}{day}"


def _tle_designator(object_id: str) -> str:
    """Format ``1998-067A`` as TLE columns 10-17 (``98067A  ``); blank when unknown."""
    if object_id in ("", "UNKNOWN"):
        return " " * 8
    match = re.fullmatch(r"(\d{4})-(\d{3})([A-Z]{1,3})", object_id)
    if match is None:
        raise ValueError(
            f"OBJECT_ID {object_id!r} is not a designator like '1998-067A', so it cannot be "
            "written in TLE columns 10-17"
        )
    year, launch, piece = match.groups()
    return f"{year[2:]}{launch}{piece}".ljust(8)


def _tle_decimal(value: float, key: str) -> str:
    """Format n-dot/2 as TLE columns 34-43: sign, no leading zero, 8 decimals (``-.00000045``)."""
    digits = f"{abs(value):.8f}"
    if not digits.startswith("0."):
        raise ValueError(f"{key} {value} does not fit TLE columns 34-43 (|value| < 1)")
    return ("-" if value < 0 and digits != "0.00000000" else " ") + digits[1:]


def _tle_exponent(value: float, key: str) -> str:
    """Format a value as a TLE exponent field (`` 27310-3`` for 0.2731e-3)."""
    if value == 0:
        return " 00000+0"
    mantissa, exponent = f"{abs(value):.4e}".split("e")
    power = int(exponent) + 1  # 2.7310e-04 is 0.27310e-3
    if power > 9:
        raise ValueError(f"{key} {value} is too large for a TLE exponent field")
    if power < -9:
        return " 00000+0"  # below the field's resolution: TLE can only say zero
    sign = "-" if value < 0 else " "
    return f"{sign}{mantissa.replace('.', '')}{power:+d}"
