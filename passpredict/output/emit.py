"""One way for a command to print its result in the format asked: JSON, CSV or a table.

A command says once what each format is made of (`Output`: callables, so only the format
asked for is built) and `emit` writes it with the conventions of every passpredict output:
JSON indented by two, ending in a newline; iCalendar text as `ics` returns it (CRLF lines);
CSV with a header, ``\\n`` lines and the cells of
`passpredict.output.formats.csv_cell` (booleans ``true`` / ``false``, None empty, the formula guard
on
text); the table printed by the command's own renderer. The pass outputs of `passes`, written
from arrays, are `passpredict.output.formats` and `passpredict.output.pass_output`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from passpredict.output.formats import csv_cell
from passpredict.output.json_text import indented_json

CsvRows = tuple[Sequence[dict[str, Any]], Sequence[str]]


@dataclass(frozen=True)
class Output:
    """A command's result in each format: `json` returns the document, `csv` the rows and
    their columns, `table` prints the table, `ics` (for commands that offer it) returns an
    iCalendar file. `ensure_ascii` is `json.dumps`'s (the commands
    that always wrote ``\\u`` escapes keep them)."""

    json: Callable[[], Any]
    csv: Callable[[], CsvRows]
    table: Callable[[], None]
    ensure_ascii: bool = True
    ics: Callable[[], str] | None = None


def csv_text(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> str:
    """Return rows as CSV text under a header of `fields` (a missing key is an empty cell)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(row.get(k)) for k in fields})
    return out.getvalue()


def emit(out: TextIO, output_format: str, output: Output) -> None:
    """Write `output` in `output_format` (``json``, ``csv``, ``ics``; anything else: the table)."""
    if output_format == "ics" and output.ics is not None:
        out.write(output.ics())
    elif output_format == "json":
        # json.dumps(indent=2)'s bytes, a list of records a column at a time
        out.write(indented_json(output.json(), ensure_ascii=output.ensure_ascii) + "\n")
    elif output_format == "csv":
        out.write(csv_text(*output.csv()))
    else:
        output.table()
