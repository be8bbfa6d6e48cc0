"""Human output of a prediction: tables per observer, in the observer's local time.

The tables are drawn by `passpredict.output.grid` to fit the width `passpredict.output.terminal`
decides
(see `render_table` for the layouts); every name is cleaned of control sequences there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np
from rich.cells import cell_len
from rich.console import Console

from passpredict.inputs.sources import selection_line
from passpredict.output.grid import Column, Grid, Line, limit, print_lines
from passpredict.output.pass_cells import compass_cell, uncertainty_cell
from passpredict.output.terminal import clean, safe, wrap, wrap_parts
from passpredict.products.columns import LazyPasses
from passpredict.products.predict import Prediction
from passpredict.products.radio import doppler_shift_hz
from passpredict.products.visibility import TWILIGHT_DEG, twilight_name
from passpredict.records import GeoLook, Observer, Pass, PassPoint

if TYPE_CHECKING:  # a type only: the default passes table imports no track code
    from passpredict.products.track import Track

_COMPASS = (
    "N",
    "NNE",
    "NE",
    "ENE",
    "E",
    "ESE",
    "SE",
    "SSE",
    "S",
    "SSW",
    "SW",
    "WSW",
    "W",
    "WNW",
    "NW",
    "NNW",
)


def compass(azimuth_deg: float) -> str:
    """Return the 16-point compass direction of an azimuth (0 = north, 90 = east)."""
    return _COMPASS[round(azimuth_deg % 360.0 / 22.5) % 16]


def observer_zone(observer: Observer, override: tzinfo | None) -> tzinfo:
    """Return the display zone: the override, else the observer's own zone, else UTC."""
    if override is not None:
        return override
    return ZoneInfo(observer.timezone or "UTC")


def round_to_second(value: datetime) -> datetime:
    """Return `value` rounded to the nearest second (half a second rounds up).

    Tables print whole seconds: a rise at 09:19:57.6 prints 09:19:58, not 09:19:57.
    """
    return (value + _HALF_SECOND).replace(microsecond=0)


_HALF_SECOND = timedelta(microseconds=500_000)


def _time(value: datetime, zone: tzinfo, with_date: bool) -> str:
    local = round_to_second(value).astimezone(zone)
    return local.strftime("%a %d %b %H:%M:%S" if with_date else "%H:%M:%S")


def format_duration(seconds: float) -> str:
    """Return a duration as ``9m21s`` or, from an hour, ``1h07m29s`` (whole seconds)."""
    whole = round(seconds)
    if whole >= 3600:
        return f"{whole // 3600}h{whole % 3600 // 60:02d}m{whole % 60:02d}s"
    return f"{whole // 60}m{whole % 60:02d}s"


def printed_duration(start_utc: datetime, end_utc: datetime) -> str:
    """Return the duration between two table times as printed (each rounded to the second).

    The difference of the rounded times, not the rounded difference, so that a table's
    durations always agree with its own start and end columns (JSON keeps exact values).
    """
    return format_duration((round_to_second(end_utc) - round_to_second(start_utc)).total_seconds())


def format_age_days(age_days: float) -> str:
    """Return an age in days to 0.1, never ``-0.0``."""
    return f"{round(age_days, 1) + 0.0:.1f}"


def _point(point: PassPoint, zone: tzinfo, with_date: bool = False) -> str:
    return f"{_time(point.time_utc, zone, with_date)} {compass(point.azimuth_deg):>3}"


def _place(observer: Observer) -> str:
    lat = f"{abs(observer.latitude_deg):.4f}{'N' if observer.latitude_deg >= 0 else 'S'}"
    lon = f"{abs(observer.longitude_deg):.4f}{'E' if observer.longitude_deg >= 0 else 'W'}"
    where = f"{lat} {lon}, {observer.elevation_m:g} m"
    return f"({where})" if observer.name != f"{lat} {lon}" else f"({observer.elevation_m:g} m)"


#: Marks a pass with a visible part in the table.
VISIBLE_MARK = "★"


def _visible_cell(p: Pass, zone: tzinfo) -> str:
    """Say when a pass can be seen, or why not."""
    v = p.visibility
    if v is None:
        return ""
    if v.visible_start is not None and v.visible_end is not None:
        whole = v.visible_start.time_utc == p.start_utc and (
            p.set is not None and v.visible_end.time_utc == p.set.time_utc
        )
        if whole:
            return f"{VISIBLE_MARK} whole pass"
        return (
            f"{VISIBLE_MARK} {_time(v.visible_start.time_utc, zone, False)}-"
            f"{_time(v.visible_end.time_utc, zone, False)}"
        )
    return f"- {_hidden_reason(p)}"


def _hidden_reason(p: Pass) -> str:
    v = p.visibility
    assert v is not None
    if not v.sunlit:
        return "in shadow"
    if v.sun_elevation_deg > 0.0:
        return "daylight"
    return "twilight"


def _magnitude_cell(p: Pass) -> str:
    v = p.visibility
    if v is None:
        return ""
    value = v.brightest_magnitude if v.visible else None
    return "" if value is None else f"~{value:+.1f}"


def _doppler_cell(p: Pass, frequency_hz: float) -> str:
    shifts = []
    for point in (p.rise, p.culmination, p.set):
        if point is None or point.range_rate_km_s is None:
            shifts.append("-")
        else:
            shift_hz = float(doppler_shift_hz(point.range_rate_km_s, frequency_hz))
            shifts.append(f"{round(shift_hz / 1e3, 2) + 0.0:+.2f}")  # never -0.00
    return " ".join(shifts)


def _pass_detail(
    p: Pass,
    visible: str,
    magnitude: str,
    doppler: str | None,
    error: str = "",
    compass: str | None = None,
) -> list[str]:
    """The extra columns of a pass as one line of text, for the narrow layout."""
    parts = []
    if visible.startswith(VISIBLE_MARK):
        rest = visible[len(VISIBLE_MARK) :].strip()
        parts.append(
            f"{VISIBLE_MARK} visible, {rest}"
            if rest == "whole pass"
            else f"{VISIBLE_MARK} visible {rest}"
        )
    elif visible:
        parts.append(f"not visible ({_hidden_reason(p)})")
    if magnitude:
        parts.append(f"mag {magnitude}")
    if doppler is not None:
        parts.append(f"Doppler {doppler} kHz")
    if compass is not None:
        parts.append(f"compass {compass}")
    if error:
        parts.append(f"times {error}")
    return parts


def render_table(
    prediction: Prediction,
    console: Console,
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
    above has them whole). A column with nothing in it (Mag without --std-mag) is left out.
    Times are rounded to the second; durations are the difference of the printed times.
    """
    width = limit(console)
    out: list[Line] = []
    out += _elements_lines(prediction, width)
    for observer in prediction.observers:
        zone = observer_zone(observer, zone_override)
        offset = prediction.start_utc.astimezone(zone).strftime("%z")
        out.append(Line(""))
        heading = [
            clean(f"{observer.name} {_place(observer)}"),
            f"times in {zone} (UTC{offset[:3]}:{offset[3:]}), minimum elevation "
            f"{prediction.min_elevation_deg:g} deg",
        ]
        out += [Line(x, True) for x in wrap_parts(heading, width)]
        if prediction.twilight_deg is not None:
            out += [Line(x) for x in wrap_parts(_sky_note(prediction), width)]
        if frequency_hz is not None:
            note = f"Doppler at rise, culmination, set for {frequency_hz / 1e6:g} MHz"
            out += [Line(x) for x in wrap(note, width)]
        if magnetic:
            note = "Compass: magnetic azimuths at rise, culmination, set (WMM2025)"
            out += [Line(x) for x in wrap(note, width)]
        looks = [g for g in prediction.geostationary if g.observer == observer.name]
        if looks:
            out += _geo_lines(looks, width)
        for note in prediction.notes:
            if note.observer in (None, observer.name):
                text = clean(f"{note.satellite}: {note.reason}")
                out += [Line(x) for x in wrap(text, width, "  ", "    ")]
        if not _has_passes(prediction, observer.name):
            # a geostationary satellite above, always up or down, has no passes but is there
            other = " other" if looks else ""
            out.append(Line(f"  No{other} passes in the window."))
            continue
        passes = _observer_passes(prediction, observer.name)
        seeing = prediction.twilight_deg is not None
        out += _passes_lines(passes, zone, seeing, frequency_hz, width, magnetic)
    print_lines(console, out)


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
        room = width - (grid.natural_width() - grid.column_widths()[0])
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


def _passes_lines(
    passes: Iterable[Pass],
    zone: tzinfo,
    seeing: bool,
    frequency_hz: float | None,
    width: int | None,
    magnetic: bool = False,
) -> list[Line]:
    """One observer's passes in the widest layout that fits `width` (see `render_table`).

    Each pass is turned into the texts of every layout as it comes and then let go, so that
    `passes` may be a stream of records built a slice at a time (`_observer_passes`).
    """
    rows = []
    for p in passes:
        visible = _visible_cell(p, zone) if seeing else ""
        magnitude = _magnitude_cell(p) if seeing else ""
        doppler = None if frequency_hz is None else _doppler_cell(p, frequency_hz)
        start = round_to_second(p.start_utc).astimezone(zone)
        if p.rise is not None:
            rise_dated, rise_plain = _point(p.rise, zone, with_date=True), _point(p.rise, zone)
        else:
            rise_dated = f"{_time(p.start_utc, zone, True)} (in progress)"
            rise_plain = "(in progress)"
        cells = (
            p.satellite,
            _point(p.culmination, zone),
            f"{p.max_elevation_deg:.1f}°",
            _point(p.set, zone) if p.set else "(after window)",
            ""
            if p.rise is None or p.set is None
            else printed_duration(p.rise.time_utc, p.set.time_utc),
        )
        error = uncertainty_cell(p)
        compass = compass_cell(p) if magnetic else None
        detail = tuple(_pass_detail(p, visible, magnitude, doppler, error, compass))
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
                    row.append(error)
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


def _observer_passes(prediction: Prediction, observer: str) -> Iterator[Pass]:
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


def _has_passes(prediction: Prediction, observer: str) -> bool:
    if isinstance(prediction.passes, LazyPasses):
        return bool((prediction.passes.columns.observer == observer).any())
    return any(p.observer == observer for p in prediction.passes)


def _sky_note(prediction: Prediction) -> list[str]:
    twilight = prediction.twilight_deg
    named = f" ({twilight_name(twilight)})" if twilight in TWILIGHT_DEG.values() else ""
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
            f"{look.elevation_deg:.2f}°",
            f"{look.range_km:,.0f} km",
            f"{look.elevation_min_deg:.2f}°..{look.elevation_max_deg:.2f}°",
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
    return [Line(title), *grid.render(width)]


def render_tracks(
    tracks: list[Track],
    console: Console,
    zone_override: tzinfo | None,
    frequency_hz: float | None = None,
    min_elevation_deg: float | None = None,
) -> None:
    """Print one table of look angles per observer, in the observer's local time."""
    from rich.table import Table  # here, not at the top: the passes table does not use it

    for t in tracks:
        zone = observer_zone(t.observer, zone_override)
        offset = t.start_utc.astimezone(zone).strftime("%z")
        above = "" if min_elevation_deg is None else f", samples above {min_elevation_deg:g} deg"
        console.print(
            f"[bold]{safe(t.satellite)}[/bold] from [bold]{safe(t.observer.name)}[/bold] "
            f"{_place(t.observer)}; times in {zone} (UTC{offset[:3]}:{offset[3:]}), every "
            f"{t.step_s:g} s{above}"
        )
        table = Table(show_edge=False, pad_edge=False)
        bearings = t.azimuth_magnetic_deg
        headers = ["Time", "Azimuth", "Elevation", "Range km", "Range rate km/s"]
        if bearings is not None:
            headers.insert(2, "Compass (WMM2025)")
        if frequency_hz is not None:
            headers.append(f"Doppler Hz at {frequency_hz / 1e6:g} MHz")
        for header in headers:
            table.add_column(header, justify="left" if header == "Time" else "right")
        keep = t.ok.copy()
        if min_elevation_deg is not None:
            keep &= t.elevation_deg >= min_elevation_deg
        doppler = (
            None if frequency_hz is None else doppler_shift_hz(t.range_rate_km_s, frequency_hz)
        )
        times = t.times_utc()
        for k in np.flatnonzero(keep):
            row = [
                _time(times[k], zone, True),
                f"{t.azimuth_deg[k]:.2f}° {compass(float(t.azimuth_deg[k])):>3}",
                f"{t.elevation_deg[k]:.2f}°",
                f"{t.range_km[k]:,.1f}",
                f"{t.range_rate_km_s[k]:+.4f}",
            ]
            if bearings is not None:
                row.insert(2, f"{bearings[k]:.2f}°" if np.isfinite(bearings[k]) else "-")
            if doppler is not None:
                row.append(f"{doppler[k]:+,.0f}")
            table.add_row(*row)
        if not keep.any():
            console.print("  No samples above the minimum elevation.")
        else:
            console.print(table)
        console.print()
