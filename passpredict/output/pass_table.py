"""The pass table of one observer, in the widest layout that fits (see `tables.render_table`).

The rows may come from a prediction's columns a slice at a time (`observer_passes`), so that a
table of a million passes never holds a million records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, tzinfo

import numpy as np
from rich.cells import cell_len

from passpredict.output.grid import (
    Column,
    Heading,
    Line,
    Row,
    grid_lines,
    header_widths,
    lines_width,
)
from passpredict.output.pass_cells import compass_cell, uncertainty_cell
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
    passes: Iterable[Pass],
    zone: tzinfo,
    seeing: bool,
    frequency_hz: float | None,
    width: int | None,
    magnetic: bool = False,
) -> Iterator[Line]:
    """Yield one observer's passes in the widest layout that fits `width` (see `render_table`).

    Two steps, so that the table streams: each pass is turned into the texts of every layout
    as it comes (`passes` may be a stream of records built a slice at a time,
    `observer_passes`), kept packed into one string per pass (`_PackedRows`) while the
    column widths are measured; then the lines of the chosen layout are made from the packed
    texts and yielded a chunk at a time. The whole table is never held as rows or lines.
    """
    doppler_on = frequency_hz is not None
    rows = _PackedRows()
    for p in passes:
        visible = visible_cell(p, zone) if seeing else ""
        magnitude = magnitude_cell(p) if seeing else ""
        doppler = None if frequency_hz is None else doppler_cell(p, frequency_hz)
        day, rise_dated, rise_plain = rise_texts(p, zone)
        error = uncertainty_cell(p)
        compass = compass_cell(p) if magnetic else None
        rows.add(
            day,
            (
                clean(p.satellite),  # the one text from outside: the others are made here
                rise_dated,
                rise_plain,
                point_text(p.culmination, zone),
                f"{p.max_elevation_deg:.1f}°",
                point_text(p.set, zone) if p.set else "(after window)",
                ""
                if p.rise is None or p.set is None
                else printed_duration(p.rise.time_utc, p.set.time_utc),
                visible,
                magnitude,
                doppler or "",
                compass or "",
                error,
            ),
            # under the row only in the narrowest layout: never without a width
            [] if width is None else pass_detail(p, visible, magnitude, doppler, error, compass),
        )
    rows.finish()

    def layout(day_headings: bool, inline: bool) -> tuple[list[Column], list[int]]:
        """The columns of a layout and, for each, the index of its text in a packed row."""
        columns = [
            (Column("Satellite", shrink=True), _SATELLITE),
            (Column("Rise"), _RISE_PLAIN if day_headings else _RISE_DATED),
            (Column("Culmination"), _CULMINATION),
            (Column("Max el", "right"), _MAX_EL),
            (Column("Set"), _SET),
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


# The texts of a packed row (`_PackedRows`), in order; the detail parts follow them.
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
#: Between the texts of a packed row, and between the rows of a chunk: control characters,
#: which no text holds (`clean` replaces them in the satellite's name, the one text from
#: outside; the others are made from numbers and fixed words by `table_cells`).
_FIELD_SEP = "\x1f"
_ROW_SEP = "\x1e"


class _PackedRows:
    """The texts of a table's passes, one string per pass and one per chunk of
    `TABLE_SLICE_ROWS` passes, with the widest text of each kind and what is shown at all.

    A pass as one string costs a fraction of the memory of its texts as objects in rows
    (a string, a tuple, a grid row and a line each), and the lines are made from it a chunk
    at a time (`items`).
    """

    def __init__(self) -> None:
        self.widths = [0] * _DETAIL
        self.show_mag = False
        self.show_error = False
        self._chunks: list[str] = []
        self._rows: list[tuple[str, ...]] = []  # the texts of the chunk being filled
        self._packed: list[str] = []
        self._day: date | None = None

    def add(self, day: date, texts: tuple[str, ...], detail: list[str]) -> None:
        """Add a pass: its local date (a day heading goes before the first of each day), its
        texts from `_SATELLITE` to `_ERROR`, and its detail parts."""
        heading = ""
        if day != self._day:
            self._day = day
            heading = day.strftime("%a %d %b %Y")
        self._rows.append(texts)
        self._packed.append(_FIELD_SEP.join([heading, *texts, *detail]))
        if len(self._rows) >= TABLE_SLICE_ROWS:
            self.finish()

    def finish(self) -> None:
        """Measure and pack the rows added since the last chunk into a chunk."""
        if not self._rows:
            return
        widths = self.widths
        for k, column in enumerate(zip(*self._rows, strict=True), _SATELLITE):
            sizes = map(len, column) if "".join(column).isascii() else map(cell_len, column)
            widths[k] = max(widths[k], *sizes)
            if k == _MAGNITUDE and any(column):
                self.show_mag = True
            elif k == _ERROR and any(column):
                self.show_error = True
        self._chunks.append(_ROW_SEP.join(self._packed))
        self._rows, self._packed = [], []

    def items(self, fields: list[int], day_headings: bool, inline: bool) -> Iterator[Row | Heading]:
        """Yield the grid items of a layout (its texts `fields`), unpacking a chunk at a time."""
        for chunk in self._chunks:
            for row in chunk.split(_ROW_SEP):
                texts = row.split(_FIELD_SEP)
                if day_headings and texts[_HEADING]:
                    yield Heading(texts[_HEADING])
                detail = () if inline else tuple(texts[_DETAIL:])
                yield Row(tuple([texts[k] for k in fields]), detail)


#: Records built at a time when a table is drawn from a prediction's columns.
TABLE_SLICE_ROWS = 4096


def observer_passes(prediction: Prediction, observer: str) -> Iterator[Pass]:
    """Yield the passes of one observer, in order; from the columns a slice at a time when the
    prediction holds its passes as columns (`LazyPasses`), so that no more than a slice of
    records is alive at once."""
    if not isinstance(prediction.passes, LazyPasses):
        yield from (p for p in prediction.passes if p.observer == observer)
        return
    columns = prediction.passes.columns
    rows = np.flatnonzero(columns.observer == observer)
    for begin in range(0, rows.size, TABLE_SLICE_ROWS):
        yield from columns.take(rows[begin : begin + TABLE_SLICE_ROWS]).to_passes()


def has_passes(prediction: Prediction, observer: str) -> bool:
    """Whether one observer has any pass in the prediction (records or columns)."""
    if isinstance(prediction.passes, LazyPasses):
        return bool((prediction.passes.columns.observer == observer).any())
    return any(p.observer == observer for p in prediction.passes)
