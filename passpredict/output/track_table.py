"""The look-angle table of a sampled track (``passpredict track``), one per observer."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

import numpy as np

from passpredict.output.grid import Column, Grid, limit, print_lines
from passpredict.output.table_cells import compass, observer_zone, place_text, time_text
from passpredict.output.terminal import safe
from passpredict.products.radio import doppler_shift_hz

if TYPE_CHECKING:  # types only: the default passes table imports no track code, no rich console
    from rich.console import Console

    from passpredict.products.track import Track


def render_tracks(
    tracks: list[Track],
    console: Console,
    zone_override: tzinfo | None,
    frequency_hz: float | None = None,
    min_elevation_deg: float | None = None,
) -> None:
    """Print one table of look angles per observer, in the observer's local time.

    The table fits the console's width by the rule of every table (`passpredict.output.grid`):
    in a narrow terminal the columns of least priority (range, range rate, then Doppler and
    compass) fold under each sample's row; elevation and azimuth stay beside the time longest.
    """
    for t in tracks:
        zone = observer_zone(t.observer, zone_override)
        offset = t.start_utc.astimezone(zone).strftime("%z")
        above = "" if min_elevation_deg is None else f", samples above {min_elevation_deg:g} deg"
        console.print(
            f"[bold]{safe(t.satellite)}[/bold] from [bold]{safe(t.observer.name)}[/bold] "
            f"{place_text(t.observer)}; times in {zone} (UTC{offset[:3]}:{offset[3:]}), every "
            f"{t.step_s:g} s{above}"
        )
        bearings = t.azimuth_magnetic_deg
        columns = [
            Column("Time"),
            Column("Azimuth", "right", priority=2),
            Column("Elevation", "right", priority=3),
            Column("Range km", "right"),
            Column("Range rate km/s", "right"),
        ]
        if bearings is not None:
            columns.insert(2, Column("Compass (WMM2025)", "right", priority=1))
        if frequency_hz is not None:
            columns.append(Column(f"Doppler Hz at {frequency_hz / 1e6:g} MHz", "right", priority=1))
        table = Grid(columns)
        keep = t.ok.copy()
        if min_elevation_deg is not None:
            keep &= t.elevation_deg >= min_elevation_deg
        doppler = (
            None if frequency_hz is None else doppler_shift_hz(t.range_rate_km_s, frequency_hz)
        )
        times = t.times_utc()
        for k in np.flatnonzero(keep):
            row = [
                time_text(times[k], zone, True),
                f"{t.azimuth_deg[k]:.2f}° {compass(float(t.azimuth_deg[k])):>3}",
                f"{t.elevation_deg[k]:z.2f}°",
                f"{t.range_km[k]:,.1f}",
                f"{t.range_rate_km_s[k]:+z.4f}",
            ]
            if bearings is not None:
                row.insert(2, f"{bearings[k]:.2f}°" if np.isfinite(bearings[k]) else "-")
            if doppler is not None:
                row.append(f"{doppler[k]:+,.0f}")
            table.add_row(*row)
        if not keep.any():
            console.print("  No samples above the minimum elevation.")
        else:
            print_lines(console, table.render(limit(console)))
        console.print()
