"""Read OMM CSV (CelesTrak's FORMAT=CSV): a header naming the OMM keys, in any order, and rows.

A row is one physical line (CR, LF or CRLF ends it) and each bad row is that row's error
(``row N``, the line the user's editor shows). Not `sgp4.omm.parse_csv` (issue 12), which is a
`csv.DictReader` over the file: there a quoted line break or a stray quote joins the lines after
it into one row, so row numbers part from line numbers and one bad row takes good ones with it;
a short row is padded with None and a long one spills into a None key without a word; and a
field over the csv module's size limit ends a plain loop over the rows.
"""

from __future__ import annotations

import csv
from datetime import datetime

from tle_cache.elements import OMM_KEYS, ElementSet
from tle_cache.names import csv_untext
from tle_cache.omm_fields import OMM_REQUIRED_KEYS, OMM_TEXT_KEYS, object_label, omm_set
from tle_cache.parse_errors import ElementParseError, FieldError, record_problem
from tle_cache.sniff import split_lines


def parse_csv(
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
    for line_number, line in enumerate(split_lines(text), 1):
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
        for key in OMM_TEXT_KEYS:
            if isinstance(row.get(key), str):
                row[key] = csv_untext(row[key])  # undo the formula guard of our own export
        where = f"row {line_number}{object_label(row)}"
        try:
            if len(cells) != len(header):
                raise FieldError(
                    f"has {len(cells)} cells but the header has {len(header)}: the row is cut "
                    "short or has stray commas"
                )
            sets.append(omm_set(row, source, now_utc))
        except Exception as exc:  # a FieldError, or whatever else a hostile cell raises
            problem = record_problem(exc)
            errors.append(
                ElementParseError(problem, source=source, line_number=line_number, where=where)
            )
    if rows == 0:
        raise ElementParseError(
            "has a CSV header but no rows: it holds no element sets", source=source
        )
    return sets, errors
