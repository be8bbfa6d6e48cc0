"""Human output of a prediction: tables per observer, in the observer's local time.

The tables are drawn by `passpredict.output.grid` to fit the width `passpredict.output.terminal`
decides
(see `render_table` for the layouts); every name is cleaned of control sequences there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import TYPE_CHECKING

import numpy as np
from rich.cells import cell_len

from passpredict.inputs.sources import selection_line
from passpredict.output.grid import Column, Grid, Line, limit, print_lines
from passpredict.output.pass_table import (
    TABLE_SLICE_ROWS,
    has_passes,
    observer_texts,
    passes_lines,
)
from passpredict.output.table_cells import (
    VISIBLE_MARK,
    compass,
    format_age_days,
    format_duration,
    observer_zone,
    offset_text,
    place_text,
    printed_duration,
    round_to_second,
)
from passpredict.output.terminal import clean, wrap, wrap_parts
from passpredict.output.track_table import render_tracks
from passpredict.products.columns import LazyPasses
from passpredict.products.predict import Prediction
from passpredict.products.visibility import TWILIGHT_DEG, twilight_name
from passpredict.records import GeoLook

if TYPE_CHECKING:  # a type only: a table to a pipe or file is printed without rich's console
    from passpredict.output.terminal import TableConsole

# Names other modules import from here (the cells and the track table were here before
# issue 12).
__all__ = [
    "TABLE_SLICE_ROWS",
    "VISIBLE_MARK",
    "compass",
    "format_age_days",
    "format_duration",
    "observer_zone",
    "printed_duration",
    "render_table",
    "render_tracks",
    "round_to_second",
]


def render_table(
    prediction: Prediction,
    console: TableConsole,
    zone_override: tzinfo | None,
    frequency_hz: float | None = None,
    magnetic: bool = False,
) -> None:
    """Print the prediction: element sets used, then one table per observer.

    `magnetic`: a Compass column with the magnetic azimuths at rise, culmination and set
    (the passes carry them: `passpredict.products.pass_extras.with_declinations`).

    With visibility, the header names the twilight and each pass says when it can be seen
    (marked with a star) and how bright it gets; with `frequency_hz`, the Doppler shift at
    rise, culmination and set.

    The tables fit the console's width (`passpredict.output.terminal`): the widest layout that fits
    is used. Wide: one line per pass, the date on each rise. Narrower: the date as a heading
    over each day's passes. Narrowest (80 columns): visibility, magnitude and Doppler move to
    a second line under each pass, and long satellite names are cut (the element-set table
    above has them whole). Narrower still (below 80 columns), whole columns fold under the
    row, least important first: Duration, Culmination, Set, Max el (`passpredict.output.grid`,
    the rule of every table). A column with nothing in it (Mag without --std-mag) is left out.
    Times are rounded to the second; durations are the difference of the printed times.
    """
    print_lines(console, _lines(prediction, limit(console), zone_override, frequency_hz, magnetic))


def _lines(
    prediction: Prediction,
    width: int | None,
    zone_override: tzinfo | None,
    frequency_hz: float | None,
    magnetic: bool,
) -> Iterator[Line]:
    """The lines of `render_table`, as they are made (a pass table streams: `passes_lines`)."""
    yield from _elements_lines(prediction, width)
    for observer in prediction.observers:
        zone = observer_zone(observer, zone_override)
        offset = offset_text(zone, prediction.start_utc, prediction.end_utc)
        yield Line("")
        heading = [
            clean(f"{observer.name} {place_text(observer)}"),
            f"times in {zone} ({offset}), minimum elevation {prediction.min_elevation_deg:g} deg",
        ]
        yield from (Line(x, True) for x in wrap_parts(heading, width))
        if prediction.twilight_deg is not None:
            yield from (Line(x) for x in wrap_parts(_sky_note(prediction), width))
        if frequency_hz is not None:
            doppler_note = f"Doppler at rise, culmination, set for {frequency_hz / 1e6:g} MHz"
            yield from (Line(x) for x in wrap(doppler_note, width))
        if magnetic:
            compass_note = "Compass: magnetic azimuths at rise, culmination, set (WMM2025)"
            yield from (Line(x) for x in wrap(compass_note, width))
        looks = [g for g in prediction.geostationary if g.observer == observer.name]
        if looks:
            yield from _geo_lines(looks, width)
        for note in prediction.notes:
            if note.observer in (None, observer.name):
                text = clean(f"{note.satellite}: {note.reason}")
                yield from (Line(x) for x in wrap(text, width, "  ", "    "))
        if not has_passes(prediction, observer.name):
            # a geostationary satellite above, always up or down, has no passes but is there
            other = " other" if looks else ""
            yield Line(f"  No{other} passes in the window.")
            continue
        seeing = prediction.twilight_deg is not None
        texts = observer_texts(prediction, observer.name, zone, seeing, frequency_hz, magnetic)
        yield from passes_lines(texts, seeing, frequency_hz, width, magnetic)


def _elements_lines(prediction: Prediction, width: int | None) -> list[Line]:
    """The element sets used; the source goes under the row when the line is too narrow."""
    columns = [
        Column("Satellite"),
        Column("NORAD", "right"),
        Column("Orbit"),
        Column("Epoch (UTC)"),
        Column("Age d", "right"),
    ]
    rows = []
    for s in prediction.satellites:
        age = format_age_days(s.age_days) + (" stale" if s.stale else "")
        cells = (s.name, str(s.norad_id), s.orbit.value, f"{s.epoch_utc:%Y-%m-%d %H:%M}", age)
        rows.append((cells, s.source))
    wide = Grid([*columns, Column("Source")])
    for cells, source in rows:
        wide.add_row(*cells, source)
    grid = wide
    if width is not None and wide.natural_width() > width:
        grid = Grid([Column(c.header, c.justify, shrink=c.header == "Satellite") for c in columns])
        for cells, _source in rows:
            grid.add_row(*cells)
        # a name cut to fit is given whole under its row, with the source
        room = grid.fitted_widths(width)[0]
        grid = Grid(grid.columns)
        for cells, source in rows:
            whole = [f"name: {cells[0]}"] if cell_len(clean(cells[0])) > room else []
            grid.add_row(*cells, detail=[*whole, f"source: {source}"])
    footnote = [
        "Age d: days from the epoch to the window start (negative: epoch later)",
        "stale: too old for its orbit somewhere in the window",
    ]
    chosen = selection_line(prediction.satellites)  # why these sets (passpredict.inputs.sources)
    return (
        [Line("Element sets", True)]
        + grid.render(width)
        + [Line(x) for x in (wrap(clean(chosen), width) if chosen else [])]
        + [Line(x) for x in wrap_parts(footnote, width)]
    )


def _sky_note(prediction: Prediction) -> list[str]:
    twilight = prediction.twilight_deg
    named = (
        f" ({twilight_name(twilight)})"
        if twilight is not None and twilight in TWILIGHT_DEG.values()
        else ""
    )
    if isinstance(prediction.passes, LazyPasses):
        seen = prediction.passes.columns.visibility
        known = seen is not None and bool(np.isfinite(seen.std_magnitude).any())
    else:
        known = any(
            p.visibility and p.visibility.std_magnitude is not None for p in prediction.passes
        )
    magnitude = (
        "Mag = estimated magnitude at the brightest visible point"
        if known
        else "Mag needs a standard magnitude (--std-mag)"
    )
    return [
        f"{VISIBLE_MARK} visible = sunlit while the Sun is below {twilight:g}°{named}",
        magnitude,
    ]


def _geo_status(look: GeoLook) -> str:
    if look.crosses_min_elevation:  # its crossings are in the pass table below
        return "crosses min. elevation: see passes"
    if look.never_above_horizon:
        return "never up (below horizon)"
    if look.always_above_min_elevation:
        return "always up"
    if look.always_above_horizon:
        return "always up, below min. elevation"
    return "at the horizon, below min. elevation"


def _geo_lines(looks: list[GeoLook], width: int | None) -> list[Line]:
    """Geostationary satellites: a fixed point in the sky, not passes.

    The status goes under the row when the line would be too wide for the terminal.
    """
    columns = [
        Column("Satellite", shrink=True),
        Column("Azimuth", "right"),
        Column("Elevation", "right"),
        Column("Range", "right"),
    ]
    rows = []
    for look in looks:
        cells = (
            look.satellite,
            f"{look.azimuth_deg:.2f}° {compass(look.azimuth_deg)}",
            f"{look.elevation_deg:z.2f}°",
            f"{look.range_km:,.0f} km",
            f"{look.elevation_min_deg:z.2f}°..{look.elevation_max_deg:z.2f}°",
        )
        rows.append((cells, _geo_status(look) + (", held at station" if look.station_kept else "")))
    grid = Grid([*columns, Column("Elevation over window", "right"), Column("Status")])
    for cells, status in rows:
        grid.add_row(*cells, status)
    if width is not None and grid.natural_width() > width:
        grid = Grid([*columns, Column("Over window", "right")])
        for cells, status in rows:
            grid.add_row(*cells, detail=[status])
    title = "Fixed in the sky (geostationary; see 'passpredict geo')"
    return [*(Line(x) for x in wrap(title, width)), *grid.render(width)]
