"""The pass table of one observer, in the widest layout that fits (see `tables.render_table`).

The rows may come from a prediction's columns a slice at a time (`observer_passes`), so that a
table of a million passes never holds a million records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import tzinfo

import numpy as np

from passpredict.output.grid import Column, Grid, Line
from passpredict.output.pass_cells import compass_cell, uncertainty_cell
from passpredict.output.table_cells import (
    doppler_cell,
    magnitude_cell,
    pass_detail,
    point_text,
    printed_duration,
    round_to_second,
    time_text,
    visible_cell,
)
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
) -> list[Line]:
    """One observer's passes in the widest layout that fits `width` (see `render_table`).

    Each pass is turned into the texts of every layout as it comes and then let go, so that
    `passes` may be a stream of records built a slice at a time (`observer_passes`).
    """
    rows = []
    for p in passes:
        visible = visible_cell(p, zone) if seeing else ""
        magnitude = magnitude_cell(p) if seeing else ""
        doppler = None if frequency_hz is None else doppler_cell(p, frequency_hz)
        start = round_to_second(p.start_utc).astimezone(zone)
        if p.rise is not None:
            rise_dated, rise_plain = (
                point_text(p.rise, zone, with_date=True),
                point_text(p.rise, zone),
            )
        else:
            rise_dated = f"{time_text(p.start_utc, zone, True)} (in progress)"
            rise_plain = "(in progress)"
        cells = (
            p.satellite,
            point_text(p.culmination, zone),
            f"{p.max_elevation_deg:.1f}°",
            point_text(p.set, zone) if p.set else "(after window)",
            ""
            if p.rise is None or p.set is None
            else printed_duration(p.rise.time_utc, p.set.time_utc),
        )
        error = uncertainty_cell(p)
        compass = compass_cell(p) if magnetic else None
        detail = tuple(pass_detail(p, visible, magnitude, doppler, error, compass))
        rows.append(
            (
                start.date(),
                *(rise_dated, rise_plain, cells, visible, magnitude, doppler, detail, error),
                compass,
            )
        )
    show_mag = any(r[5] for r in rows)
    show_error = any(r[8] for r in rows)

    def build(day_headings: bool, inline: bool) -> Grid:
        columns = [
            Column("Satellite", shrink=True),
            Column("Rise"),
            Column("Culmination"),
            Column("Max el", "right"),
            Column("Set"),
            Column("Duration", "right"),
        ]
        if inline and seeing:
            columns.append(Column("Visible"))
            if show_mag:
                columns.append(Column("Mag", "right"))
        if inline and frequency_hz is not None:
            columns.append(Column("Doppler kHz", "right"))
        if inline and magnetic:
            columns.append(Column("Compass", "right"))
        if inline and show_error:
            columns.append(Column("Times ±", "right"))
        grid = Grid(columns)
        day = None
        for date, rise_dated, rise_plain, cells, visible, magnitude, doppler, detail, *more in rows:
            error, compass = more
            if day_headings and date != day:
                day = date
                grid.add_heading(date.strftime("%a %d %b %Y"))
            row = [cells[0], rise_plain if day_headings else rise_dated, *cells[1:]]
            if inline:
                if seeing:
                    row.append(visible)
                    if show_mag:
                        row.append(magnitude)
                if doppler is not None:
                    row.append(doppler)
                if compass is not None:
                    row.append(compass)
                if show_error:
                    row.append(error or "")
            grid.add_row(*row, detail=() if inline else detail)
        return grid

    grid = build(day_headings=False, inline=True)
    if width is not None and grid.natural_width() > width:
        grid = build(day_headings=True, inline=True)
        if grid.natural_width() > width:
            grid = build(day_headings=True, inline=False)
    return grid.render(width)


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
