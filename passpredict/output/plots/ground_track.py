"""The ground-track map: where a satellite passes over the Earth, and who sees it.

Plate carrée over the Natural Earth country outlines shipped with the package
(`passpredict.output.worldmap`); the track from `passpredict.products.track.ground_track`, bold
where an observer sees the satellite above the threshold, with each observer's coverage circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.time_axis import TimeBase
from passpredict.output.plots.style import (
    BORDER,
    GRID,
    LAND,
    WATER,
    display_zone,
    figure,
    halo,
    note_stale,
    zone_label,
)
from passpredict.output.worldmap import country_rings
from passpredict.products.staleness import stale_elements
from passpredict.products.track import coverage_circle, earth_fixed_km, ground_track
from passpredict.records import Observer
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet


def ground_track_map(
    element_set: ElementSet,
    observers: Sequence[Observer],
    start_utc: datetime,
    end_utc: datetime,
    *,
    timescale: Timescale,
    min_elevation_deg: float = 10.0,
    step_s: float = 20.0,
    zone: str | tzinfo | None = None,
    extent: tuple[float, float, float, float] | None = None,
    title: str | None = None,
) -> Any:
    """Return a world map of the satellite's ground track with each observer's coverage circle.

    The map is plate carrée (longitude east and latitude north in degrees) over Natural Earth
    country outlines shipped with the package. The track is bold where the satellite stands at
    least `min_elevation_deg` above one of the observers; the dashed circle around each observer
    encloses the sub-satellite points seen that high (for the track's mean height, spherical
    Earth). Dots mark regular local times. `extent` is (lon_min, lon_max, lat_min, lat_max).
    """
    start = require_aware(start_utc, "start_utc")
    end = require_aware(end_utc, "end_utc")
    if end <= start:
        raise ValueError(
            f"the window must end after it starts: start {start.isoformat()}, end {end.isoformat()}"
        )
    track = ground_track(element_set, start, end, step_s=step_s, timescale=timescale)
    display = display_zone(zone, observers[0] if observers else None)
    fig = figure(11.0, 6.4)
    ax = fig.add_subplot()
    lon_min, lon_max, lat_min, lat_max = extent or (-180.0, 180.0, -90.0, 90.0)
    _world(ax, (lon_min, lon_max, lat_min, lat_max))

    seen = np.zeros(len(track), dtype=bool)
    if observers:
        timebase = TimeBase.create(start, end, timescale)
        r, _ = earth_fixed_km(element_set, timebase, track.seconds, timescale)
        for observer in observers:
            _, el, _ = look_angles(
                r, observer_ecef_km([observer])[0], observer_enu_basis([observer])[0]
            )
            seen |= el >= min_elevation_deg

    lon, lat, seen_f = _split_at_jumps(track.longitude_deg, track.latitude_deg, seen)
    label = f"{element_set.name} ground track"
    seen_label = f"above {min_elevation_deg:g}° for an observer"
    if _is_a_point(track.longitude_deg, track.latitude_deg, (lon_min, lon_max, lat_min, lat_max)):
        # a geostationary track (held at station, or drifting a hundredth of the map) is a
        # line of no visible length: drawn as one, its legend entries named nothing on the map
        x, y = float(np.nanmedian(track.longitude_deg)), float(np.nanmedian(track.latitude_deg))
        ax.plot(x, y, "o", color="#1f4e79", ms=5, zorder=4.5, label=label)
        if seen.any():
            ax.plot(x, y, "o", color="#e67e22", ms=13, zorder=4, label=seen_label)
    else:
        ax.plot(lon, lat, "-", color="#1f4e79", lw=1.2, label=label)
        bold = np.where(seen_f > 0.5, lat, np.nan)
        if np.isfinite(bold).any():
            ax.plot(lon, bold, "-", color="#e67e22", lw=3.2, label=seen_label)
    _time_marks(ax, track, display, (lon_min, lon_max, lat_min, lat_max))
    _mark_decay(ax, track, display)

    mean_height = float(np.nanmean(track.altitude_km))
    for number, observer in enumerate(observers):
        circle_lat, circle_lon = coverage_circle(observer, mean_height, min_elevation_deg)
        c_lon, c_lat = _split_at_jumps(circle_lon, circle_lat)
        ax.plot(c_lon, c_lat, "--", color="#c0392b", lw=1.2)
        ax.plot(observer.longitude_deg, observer.latitude_deg, "^", color="#c0392b", ms=8, zorder=6)
        # Neighbouring observers get their names on alternate sides of their markers.
        right = number % 2 == 0
        ax.annotate(
            observer.name,
            (observer.longitude_deg, observer.latitude_deg),
            xytext=(6, 6) if right else (-6, -6),
            textcoords="offset points",
            ha="left" if right else "right",
            va="bottom" if right else "top",
            fontsize=9,
            color="#8e1b10",
            path_effects=halo(),
            zorder=5,
        )
    if observers:
        ax.plot(
            [],
            [],
            "--",
            color="#c0392b",
            lw=1.2,
            label=f"seen above {min_elevation_deg:g}° inside (height {mean_height:,.0f} km)",
        )
    # below the map, not on it: inside, any corner hides a stretch of track or a coverage
    # circle for some observer (McMurdo's circle runs along the bottom left)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 4), fontsize=8)
    kept = " (held at station)" if track.station_kept else ""
    local_start = start.astimezone(display)
    local_end = end.astimezone(display)
    span = (
        f"{local_start:%a %d %b %Y %H:%M}–{local_end:%H:%M}"
        if local_start.date() == local_end.date()
        else f"{local_start:%d %b %Y %H:%M} – {local_end:%d %b %Y %H:%M}"
    )
    ax.set_title(
        title or f"{element_set.name} ground track{kept}, {span} ({zone_label(display, start)})",
        fontsize=11,
    )
    stale = stale_elements(element_set, start, end)
    note_stale(fig, [stale] if stale else [])
    return fig


def _world(ax: Any, extent: tuple[float, float, float, float]) -> None:
    """Draw water, land with country borders and a labelled graticule in plate carrée."""
    from matplotlib.collections import PolyCollection

    lon_min, lon_max, lat_min, lat_max = extent
    ax.set_facecolor(WATER)
    ax.add_collection(
        PolyCollection(
            [ring for ring in country_rings()],
            facecolors=LAND,
            edgecolors=BORDER,
            linewidths=0.4,
            zorder=0.5,
        )
    )
    span = max(lon_max - lon_min, lat_max - lat_min)
    step = 30.0 if span > 120 else 10.0 if span > 40 else 5.0
    ax.set_xticks(np.arange(np.ceil(lon_min / step) * step, lon_max + 1e-9, step))
    ax.set_yticks(np.arange(np.ceil(lat_min / step) * step, lat_max + 1e-9, step))
    ax.grid(color=GRID, linewidth=0.6, zorder=0.6)
    ax.set_axisbelow(False)
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    ax.set_aspect("equal")
    ax.set_xlabel("longitude (deg, east positive)")
    ax.set_ylabel("latitude (deg, north positive)")


def _is_a_point(
    lon_deg: NDArray[np.float64], lat_deg: NDArray[np.float64], extent: tuple[float, ...]
) -> bool:
    """Say whether the track spans under 1% of the map's width and height: a dot, not a line."""
    finite = np.isfinite(lon_deg) & np.isfinite(lat_deg)
    lon, lat = lon_deg[finite], lat_deg[finite]
    if lon.size == 0:
        return False
    # the longitude spread measured the short way round, so a track at 180 E is one point
    ring = np.sort(lon)
    lon_spread = 360.0 - float(np.max(np.diff(np.append(ring, ring[0] + 360.0))))
    lon_min, lon_max, lat_min, lat_max = extent
    return lon_spread < 0.01 * (lon_max - lon_min) and float(np.ptp(lat)) < 0.01 * (
        lat_max - lat_min
    )


def _time_marks(ax: Any, track: Any, zone: tzinfo, extent: tuple[float, ...]) -> None:
    """Mark the track at round local times, about a dozen over the window, and its start."""
    duration_s = float(track.seconds[-1]) if len(track) else 0.0
    candidates = (60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
    every = next((c for c in candidates if duration_s / c <= 12), 86400)
    start_local = track.start_utc.astimezone(zone)
    midnight = start_local.replace(hour=0, minute=0, second=0, microsecond=0)
    offset = (start_local - midnight).total_seconds()
    first = every - offset % every if offset % every else 0.0
    marks = np.arange(first, duration_s + 1e-6, every)
    lon = np.interp(marks, track.seconds, np.unwrap(np.radians(track.longitude_deg)))
    lon = np.mod(np.degrees(lon) + 180.0, 360.0) - 180.0
    lat = np.interp(marks, track.seconds, track.latitude_deg)
    lon_min, lon_max, lat_min, lat_max = extent
    fmt = "%H:%M" if duration_s <= 86400 else "%d %b %H:%M"
    for s, x, y in zip(marks, lon, lat, strict=True):
        if not (lon_min <= x <= lon_max and lat_min <= y <= lat_max):
            continue
        ax.plot(x, y, "o", color="#1f4e79", ms=3.5)
        when = (track.start_utc + timedelta(seconds=float(s))).astimezone(zone)
        ax.annotate(
            when.strftime(fmt),
            (x, y),
            xytext=(4, -9),
            textcoords="offset points",
            fontsize=7,
            color="#1f4e79",
            path_effects=halo(2.5),
        )
    x0, y0 = track.longitude_deg[0], track.latitude_deg[0]
    if np.isfinite(x0) and lon_min <= x0 <= lon_max and lat_min <= y0 <= lat_max:
        ax.plot(x0, y0, "s", color="#1f4e79", ms=6, label="start")


def _mark_decay(ax: Any, track: Any, zone: tzinfo) -> None:
    """Mark where SGP4 gives up on decayed elements, so a track that stops says why."""
    good = np.flatnonzero(np.isfinite(track.latitude_deg) & np.isfinite(track.longitude_deg))
    if good.size == 0 or good[-1] == len(track) - 1:
        return
    last = good[-1]
    when = (track.start_utc + timedelta(seconds=float(track.seconds[last]))).astimezone(zone)
    ax.plot(
        track.longitude_deg[last],
        track.latitude_deg[last],
        "X",
        color="#8e1b10",
        ms=9,
        zorder=6,
        label=f"SGP4 gives up after {when:%d %b %H:%M} (decayed elements)",
    )


def _split_at_jumps(
    lon_deg: NDArray[np.float64], lat_deg: NDArray[np.float64], *others: NDArray[Any]
) -> tuple[NDArray[np.float64], ...]:
    """Insert NaN where the longitude jumps across the antimeridian, so a line breaks there."""
    jumps = np.flatnonzero(np.abs(np.diff(lon_deg)) > 180.0) + 1
    result = [np.insert(lon_deg.astype(float), jumps, np.nan)]
    result.append(np.insert(lat_deg.astype(float), jumps, np.nan))
    for other in others:
        result.append(np.insert(other.astype(float), jumps, np.nan))
    return tuple(result)
