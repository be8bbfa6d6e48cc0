"""Read element sets from TLE/3LE text, OMM JSON and OMM CSV, and validate every record.

Everything that enters the cache passes through here, so a set that comes out is one SGP4 can
use: checksums verified, fields in their columns, elements within physical ranges. Errors name the
source, the place (``line N`` for text, ``record N`` for JSON, ``row N`` for CSV) and the fix.

Two entry points for the two needs: `parse_text` is strict (a user's file must be right, so the
first bad record stops it), `parse_records` is lenient (a group of thousands of objects should
not be lost to one bad record; the bad ones come back as errors). Both refuse a body that is not
element data at all (an HTML page, CelesTrak's "No GP data found", an empty or truncated
document): that is never an empty success.

This module tells the format (`tle_cache.sniff`) and hands the text to its reader; it is the
public face of them all, so every name callers use is importable from here:

- `tle_cache.tle_text`: TLE text, grouped into sets (`parse_tle_lines` for one set), on top of
  `tle_cache.tle_columns` (one line pair's columns, checksum, Alpha-5) and, for the sets in
  CelesTrak's exact layout, `tle_cache.tle_fast` (the same sets, read in one go);
- `tle_cache.omm_json` and `tle_cache.omm_csv`: OMM JSON and CSV, on top of
  `tle_cache.omm_fields` (one OMM record, `parse_omm_record`);
- `tle_cache.element_checks`: the ranges and the SGP4 check every set passes, whatever its
  format, and their reasons;
- `tle_cache.parse_errors`: `ElementParseError` and the wording of messages.

Any failure inside one record, whatever raised it, is that record's `ElementParseError` with
its line or record number; nothing else escapes. No clock is read here: the "epoch too far in
the future" check runs only when the caller passes `now_utc` (every command passes it:
refresh, import and ``--tle-file`` follow one rule).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tle_cache.element_checks import (
    FIRST_LAUNCH_UTC,
    FUTURE_EPOCH_ALLOWANCE,
    MAX_ABS_BSTAR_PER_EARTH_RADIUS,
    MAX_ABS_MEAN_MOTION_DDOT,
    MAX_ABS_MEAN_MOTION_DOT,
    MAX_MEAN_MOTION_REV_PER_DAY,
    MAX_NORAD_ID,
    MIN_MEAN_MOTION_REV_PER_DAY,
    check_now,
)
from tle_cache.elements import ElementSet
from tle_cache.parse_errors import ElementParseError
from tle_cache.sniff import is_csv_header, refuse_non_element_body, split_lines, starts_like_tle
from tle_cache.tle_columns import ALPHA5_MAX, alpha5_to_int, int_to_alpha5, tle_checksum
from tle_cache.tle_text import parse_tle_lines, parse_tle_text

if TYPE_CHECKING:
    from tle_cache.omm_fields import OMM_REQUIRED_KEYS, parse_omm_record

__all__ = [
    "ALPHA5_MAX",
    "FIRST_LAUNCH_UTC",
    "FUTURE_EPOCH_ALLOWANCE",
    "MAX_ABS_BSTAR_PER_EARTH_RADIUS",
    "MAX_ABS_MEAN_MOTION_DDOT",
    "MAX_ABS_MEAN_MOTION_DOT",
    "MAX_MEAN_MOTION_REV_PER_DAY",
    "MAX_NORAD_ID",
    "MIN_MEAN_MOTION_REV_PER_DAY",
    "OMM_REQUIRED_KEYS",
    "SKIPPED_SHOWN",
    "ElementParseError",
    "alpha5_to_int",
    "int_to_alpha5",
    "parse_omm_record",
    "parse_records",
    "parse_text",
    "parse_tle_lines",
    "read_file",
    "read_file_records",
    "skipped_warnings",
    "tle_checksum",
]

#: The line breaks of `tle_cache.sniff.split_lines`: CR, LF or CRLF.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Skipped records named one by one in a warning; the rest are counted (`skipped_warnings`).
SKIPPED_SHOWN = 5


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
    check_now(now_utc)
    text = text.removeprefix("\ufeff")
    body = text.strip()
    if not body:
        raise ElementParseError("is empty: it holds no element sets", source=source)
    # The first 8 lines and the rest: all that the TLE and CSV tests look at, without
    # splitting a whole catalogue a second time (parse_tle_text splits it, numbering lines).
    lines = _LINE_BREAK.split(body, maxsplit=8)
    if starts_like_tle(lines):
        return parse_tle_text(text, source, now_utc)
    refuse_non_element_body(body, source)
    # the OMM readers (and json, csv) only for OMM data: TLE text, such as the bundled
    # sets every store open reads, needs none of them (issue 11: start-up time)
    if body[0] in "[{":
        from tle_cache.omm_json import parse_json

        return parse_json(body, source, now_utc)
    if is_csv_header(lines[0].strip()):
        from tle_cache.omm_csv import parse_csv

        return parse_csv(text, source, now_utc)
    if not any(line.lstrip()[:2] in ("1 ", "2 ") for line in split_lines(body)):
        raise ElementParseError(
            f"does not look like element data (TLE, OMM JSON or OMM CSV): it starts with "
            f"{body[:40]!r}",
            source=source,
        )
    return parse_tle_text(text, source, now_utc)


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


def __getattr__(name: str) -> Any:
    """Re-export the OMM record names from `tle_cache.omm_fields`, imported on first use."""
    if name in ("OMM_REQUIRED_KEYS", "parse_omm_record"):
        from tle_cache import omm_fields

        return getattr(omm_fields, name)
    raise AttributeError(f"module 'tle_cache.parse' has no attribute {name!r}")
