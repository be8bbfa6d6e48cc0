"""The look-angle table of a sampled track (``passpredict track``), one per observer."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

import numpy as np

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
    """Print one table of look angles per observer, in the observer's local time."""
    from rich.table import Table  # here, not at the top: the passes table does not use it

    for t in tracks:
        zone = observer_zone(t.observer, zone_override)
        offset = t.start_utc.astimezone(zone).strftime("%z")
        above = "" if min_elevation_deg is None else f", samples above {min_elevation_deg:g} deg"
        console.print(
            f"[bold]{safe(t.satellite)}[/bold] from [bold]{safe(t.observer.name)}[/bold] "
            f"{place_text(t.observer)}; times in {zone} (UTC{offset[:3]}:{offset[3:]}), every "
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
                time_text(times[k], zone, True),
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
