"""The pass table of one observer, in the widest layout that fits (see `tables.render_table`).

The texts come a slice of passes at a time (`observer_texts`), so that a table of a million
passes never holds a million of anything: from a prediction's columns as arrays
(`pass_table_texts.pass_texts`, what the command line draws: no `Pass` record is built), or
from its records one by one (`record_texts`, the reference the columns are held to).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, tzinfo

import numpy as np
from rich.cells import cell_len

from passpredict.output.grid import (
    Block,
    Column,
    Heading,
    Line,
    grid_lines,
    header_widths,
    lines_width,
    one_cell_each,
)
from passpredict.output.pass_cells import compass_cell, uncertainty_cell
from passpredict.output.pass_table_texts import PassTexts, pass_texts
from passpredict.output.table_cells import (
    doppler_cell,
    magnitude_cell,
    pass_detail,
    point_text,
    printed_duration,
    rise_texts,
    visible_cell,
)
from passpredict.output.terminal import clean
from passpredict.products.columns import LazyPasses
from passpredict.products.predict import Prediction
from passpredict.records import Pass


def passes_lines(
    chunks: Iterable[PassTexts],
    seeing: bool,
    frequency_hz: float | None,
    width: int | None,
    magnetic: bool = False,
) -> Iterator[Line]:
    """Yield one observer's passes in the widest layout that fits `width` (see `render_table`).

    Two steps, so that the table streams: the texts of every layout come a slice of passes at
    a time (`chunks`, from `observer_texts`) and are kept packed, one string per kind of text
    and slice (`_PackedRows`), while the column widths are measured; then the lines of the
    chosen layout are made from the packed texts and yielded a slice at a time. The whole
    table is never held as rows or lines.
    """
    doppler_on = frequency_hz is not None
    rows = _PackedRows()
    for texts in chunks:
        rows.add(texts, width is not None, doppler_on, magnetic)

    def layout(day_headings: bool, inline: bool) -> tuple[list[Column], list[int]]:
        """The columns of a layout and, for each, the index of its kind of text (`_MAX_EL`...)."""
        columns = [
            # the priorities: what stays in the row in a terminal too narrow for it (`grid`)
            (Column("Satellite", shrink=True), _SATELLITE),
            (Column("Rise", priority=3), _RISE_PLAIN if day_headings else _RISE_DATED),
            (Column("Culmination"), _CULMINATION),
            (Column("Max el", "right", priority=2), _MAX_EL),
            (Column("Set", priority=1), _SET),
            (Column("Duration", "right"), _DURATION),
        ]
        if inline and seeing:
            columns.append((Column("Visible"), _VISIBLE))
            if rows.show_mag:
                columns.append((Column("Mag", "right"), _MAGNITUDE))
        if inline and doppler_on:
            columns.append((Column("Doppler kHz", "right"), _DOPPLER))
        if inline and magnetic:
            columns.append((Column("Compass", "right"), _COMPASS))
        if inline and rows.show_error:
            columns.append((Column("Times ±", "right"), _ERROR))
        return [c for c, _ in columns], [k for _, k in columns]

    def natural(columns: list[Column], fields: list[int]) -> list[int]:
        heads = header_widths(columns)
        return [max(head, rows.widths[k]) for head, k in zip(heads, fields, strict=True)]

    day_headings, inline = False, True
    columns, fields = layout(day_headings, inline)
    if width is not None and lines_width(natural(columns, fields)) > width:
        day_headings = True
        columns, fields = layout(day_headings, inline)
        if lines_width(natural(columns, fields)) > width:
            inline = False
            columns, fields = layout(day_headings, inline)
    items = rows.items(fields, day_headings, inline)
    yield from grid_lines(columns, natural(columns, fields), items, width)


# The kinds of text of a packed slice (`_PackedRows`), in order; the detail parts follow them.
(
    _HEADING,
    _SATELLITE,
    _RISE_DATED,
    _RISE_PLAIN,
    _CULMINATION,
    _MAX_EL,
    _SET,
    _DURATION,
    _VISIBLE,
    _MAGNITUDE,
    _DOPPLER,
    _COMPASS,
    _ERROR,
) = range(13)
_DETAIL = 13
#: Between the texts of a packed column (one per pass), and between a pass's detail parts:
#: control characters, which no text holds (`clean` replaces them in the satellite's name, the
#: one text from outside; the others are made from numbers and fixed words).
_ROW_SEP = "\x1e"
_PART_SEP = "\x1f"


class _PackedRows:
    """The texts of a table's passes, packed one string per kind of text and chunk of
    `TABLE_SLICE_ROWS` passes, with the widest text of each kind and what is shown at all.

    A column of texts as one string costs a fraction of the memory of its texts as objects
    (a string each, in tuples, rows and lines), and the lines are made from it a chunk at a
    time (`items`), a column at a time (`grid.Block`).
    """

    def __init__(self) -> None:
        self.widths = [0] * _DETAIL
        self.show_mag = False
        self.show_error = False
        self._chunks: list[list[str]] = []
        self._day: date | None = None

    def add(self, texts: PassTexts, detailed: bool, doppler_on: bool, magnetic: bool) -> None:
        """Add a slice of passes: measure its texts and pack them into a chunk; `detailed`:
        with the detail parts of the narrowest layout (only a table with a width has it)."""
        n = len(texts.days)
        if not n:
            return
        cells = texts.cells()
        blank = [""] * n
        if not doppler_on:
            cells[_DOPPLER - _SATELLITE] = blank
        if not magnetic:
            cells[_COMPASS - _SATELLITE] = blank
        for k, column in enumerate(cells, _SATELLITE):
            self.widths[k] = max(self.widths[k], column_width(column))
        self.show_mag = self.show_mag or any(texts.magnitude)
        self.show_error = self.show_error or any(texts.error)
        headings = []
        for day in texts.days:
            if day != self._day:
                self._day = day
                headings.append(day.strftime("%a %d %b %Y"))
            else:
                headings.append("")
        details = blank
        if detailed:
            details = [
                _PART_SEP.join(parts)
                for parts in map(
                    pass_detail,
                    texts.visible,
                    texts.magnitude,
                    texts.doppler if doppler_on else [None] * n,
                    texts.error,
                    texts.compass if magnetic else [None] * n,
                )
            ]
        self._chunks.append([_ROW_SEP.join(column) for column in (headings, *cells, details)])

    def items(
        self, fields: list[int], day_headings: bool, inline: bool
    ) -> Iterator[Block | Heading]:
        """Yield the grid items of a layout (its texts `fields`), unpacking a chunk at a time:
        blocks of rows between day headings; without `inline`, with the details under each."""
        for chunk in self._chunks:
            columns = [chunk[k].split(_ROW_SEP) for k in fields]
            details = None
            if not inline:
                details = [
                    tuple(detail.split(_PART_SEP)) if detail else ()
                    for detail in chunk[_DETAIL].split(_ROW_SEP)
                ]
            headings = chunk[_HEADING].split(_ROW_SEP) if day_headings else []
            starts = [i for i, heading in enumerate(headings) if heading]  # of days
            if not starts or starts[0] > 0:
                starts.insert(0, 0)
            for begin, end in itertools.pairwise([*starts, len(columns[0])]):
                if headings and headings[begin]:
                    yield Heading(headings[begin])
                yield Block(
                    [column[begin:end] for column in columns],
                    None if details is None else details[begin:end],
                )


#: Passes whose texts are made at a time when a table is drawn (`observer_texts`).
TABLE_SLICE_ROWS = 4096


def observer_texts(
    prediction: Prediction,
    observer: str,
    zone: tzinfo,
    seeing: bool,
    frequency_hz: float | None,
    magnetic: bool,
) -> Iterator[PassTexts]:
    """Yield the table texts of one observer's passes, in order, a slice at a time: from the
    columns (`pass_table_texts.pass_texts`) when the prediction holds its passes as columns
    (`LazyPasses`, what the command line makes), else from the records (`record_texts`)."""
    if not isinstance(prediction.passes, LazyPasses):
        mine = [p for p in prediction.passes if p.observer == observer]
        for begin in range(0, len(mine), TABLE_SLICE_ROWS):
            yield record_texts(
                mine[begin : begin + TABLE_SLICE_ROWS], zone, seeing, frequency_hz, magnetic
            )
        return
    columns = prediction.passes.columns
    rows = np.flatnonzero(columns.observer == observer)
    for begin in range(0, rows.size, TABLE_SLICE_ROWS):
        part = columns.take(rows[begin : begin + TABLE_SLICE_ROWS])
        yield pass_texts(part, zone, seeing, frequency_hz, magnetic)


def record_texts(
    passes: Sequence[Pass],
    zone: tzinfo,
    seeing: bool,
    frequency_hz: float | None,
    magnetic: bool,
) -> PassTexts:
    """The table texts of pass records, one pass at a time by the cells of `table_cells` and
    `pass_cells`: the reference `pass_texts` is held to."""
    rises = [rise_texts(p, zone) for p in passes]
    return PassTexts(
        days=[r[0] for r in rises],
        satellite=[clean(p.satellite) for p in passes],
        rise_dated=[r[1] for r in rises],
        rise_plain=[r[2] for r in rises],
        culmination=[point_text(p.culmination, zone) for p in passes],
        max_elevation=[f"{p.max_elevation_deg:z.1f}°" for p in passes],
        set=[point_text(p.set, zone) if p.set else "(after window)" for p in passes],
        duration=[
            ""
            if p.rise is None or p.set is None
            else printed_duration(p.rise.time_utc, p.set.time_utc)
            for p in passes
        ],
        visible=[visible_cell(p, zone) if seeing else "" for p in passes],
        magnitude=[magnitude_cell(p) if seeing else "" for p in passes],
        doppler=[] if frequency_hz is None else [doppler_cell(p, frequency_hz) for p in passes],
        compass=[compass_cell(p) for p in passes] if magnetic else [],
        error=[uncertainty_cell(p) for p in passes],
    )


def column_width(texts: Sequence[str]) -> int:
    """The widest of `texts` in terminal cells (0 for none): by `len` when every character
    is one cell (ASCII or the tables' own marks: `grid.one_cell_each`), else by `cell_len`."""
    if not texts:
        return 0
    if one_cell_each("".join(texts)):
        return max(map(len, texts))
    return max(map(cell_len, texts))


def has_passes(prediction: Prediction, observer: str) -> bool:
    """Whether one observer has any pass in the prediction (records or columns)."""
    if isinstance(prediction.passes, LazyPasses):
        return bool((prediction.passes.columns.observer == observer).any())
    return any(p.observer == observer for p in prediction.passes)
