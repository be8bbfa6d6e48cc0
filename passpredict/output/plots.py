"""Pictures of predictions: sky charts, ground tracks and pass timelines (matplotlib, optional).

Every function returns a `matplotlib.figure.Figure` built without pyplot: no global figure
state, no GUI backend, nothing shown. Save it with `fig.savefig("sky.png")`; a notebook displays
it when it is a cell's value. Times on every axis and label are local to the observer
(`Observer.timezone`, UTC when it has none) unless a `zone` is given, and the zone is written
on the figure. Geometry comes from `passpredict.products.track`, the engine's own, so a plotted
rise
sits exactly where the pass table puts it.

Passes may carry visibility information (issue 5: `visible`, `visible_start`, `visible_end`);
when they do, the sky chart draws the visible part bold and the rest dashed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.time_axis import TimeBase
from passpredict.extras import import_optional
from passpredict.output.tables import compass
from passpredict.output.worldmap import country_rings
from passpredict.products.predict import Prediction
from passpredict.products.track import (
    coverage_circle,
    earth_fixed_km,
    ground_track,
    pass_track,
)
from passpredict.records import GeoLook, Observer, Pass
from passpredict.timeutil import load_zone, require_aware
from tle_cache.elements import ElementSet

_LAND = "#e4dfcf"
_WATER = "#eef4f8"
_BORDER = "#a8a294"
_GRID = "#c6ccd2"

# --- shared helpers -----------------------------------------------------------------------------


def _figure(width_in: float, height_in: float) -> Any:
    """Return a new Figure with the Agg canvas attached (works with no display, any backend)."""
    import_optional("matplotlib", "plotting")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _zone(zone: str | tzinfo | None, observer: Observer | None) -> tzinfo:
    """Return the display zone: the one given, else the observer's, else UTC."""
    if zone is not None:
        return load_zone(zone) if isinstance(zone, str) else zone
    if observer is not None and observer.timezone:
        return load_zone(observer.timezone)
    return ZoneInfo("UTC")


def zone_label(zone: tzinfo, when_utc: datetime) -> str:
    """Return e.g. "Asia/Baku, UTC+04:00": the zone's name and its offset at `when_utc`."""
    name = getattr(zone, "key", None) or str(zone)
    offset = when_utc.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{name}, UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _find_observer(name: str, observers: Sequence[Observer]) -> Observer:
    for observer in observers:
        if observer.name == name:
            return observer
    known = ", ".join(o.name for o in observers) or "none"
    raise ValueError(f"no observer named {name!r} among those given ({known}); pass it too")


def _find_elements(item: Pass, element_sets: Sequence[ElementSet]) -> ElementSet:
    """Return the element set of the pass's satellite, the epoch nearest the pass if several."""
    matching = [es for es in element_sets if es.norad_id == item.norad_id]
    if not matching:
        raise ValueError(
            f"no element set for {item.satellite} (NORAD {item.norad_id}) among those given; "
            "pass the element sets the passes were predicted from"
        )
    peak = item.culmination.time_utc
    return min(matching, key=lambda es: abs((es.epoch_utc - peak).total_seconds()))


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


def _attribute_time(value: Any) -> datetime | None:
    """Return a datetime from a field that may hold a datetime or a point with `time_utc`."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return getattr(value, "time_utc", None)


def visible_window(item: Pass) -> tuple[datetime, datetime] | bool | None:
    """Return the visible part of a pass as (start, end), or whether it has visibility at all.

    Reads the visibility fields of issue 5 when the pass carries them, either on the pass or on
    its `visibility` record: `visible` (bool) and `visible_start` / `visible_end` (pass points
    or datetimes). Returns None when the pass carries no visibility information, False when it
    cannot be seen, and the whole pass when it is visible but has no sub-window.
    """
    source = getattr(item, "visibility", item)
    if source is None:
        return None
    start = _attribute_time(getattr(source, "visible_start", None))
    end = _attribute_time(getattr(source, "visible_end", None))
    if start is not None and end is not None:
        return (start, end)
    visible = getattr(source, "visible", None)
    if visible is None:
        return None
    if not visible:
        return False
    first = item.rise.time_utc if item.rise else item.culmination.time_utc
    last = item.set.time_utc if item.set else item.culmination.time_utc
    return (first, last)


def _halo(width: float = 3.0) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


# --- sky chart ----------------------------------------------------------------------------------


def sky_chart(
    passes: Sequence[Pass],
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    *,
    timescale: Timescale,
    looks: Sequence[GeoLook] = (),
    zone: str | tzinfo | None = None,
    step_s: float = 5.0,
    title: str | None = None,
) -> Any:
    """Return a polar chart of one observer's sky with the paths of `passes` (and GEO looks).

    Azimuth runs clockwise from north at the top; elevation runs inward, 90 deg at the centre
    and the horizon at the rim. Each pass is drawn from rise to set with an arrow for its
    direction of travel, its rise time (local) at the start and its highest point marked; a
    pass's visible part is bold when the pass carries visibility information. Geostationary
    `looks` appear as stars. All passes and looks must be for the same observer.
    Raises `ValueError` when there is nothing to draw or the inputs do not belong together.
    """
    if not passes and not looks:
        raise ValueError("no passes or looks to draw; widen the window or lower the threshold")
    names = {p.observer for p in passes} | {g.observer for g in looks}
    if len(names) > 1:
        raise ValueError(
            f"a sky chart shows one observer's sky; got passes over {', '.join(sorted(names))}; "
            "select one observer's passes"
        )
    observer = _find_observer(names.pop(), observers)
    display = _zone(zone, observer)
    fig = _figure(7.6, 8.2)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_rlim(0.0, 90.0)
    ax.set_rticks([0.0, 30.0, 60.0, 90.0])
    ax.set_yticklabels(["90°", "60°", "30°", "0°"], fontsize=8, color="#555555")
    ax.set_rlabel_position(202.5)
    ticks = np.arange(0.0, 360.0, 45.0)
    ax.set_xticks(np.radians(ticks))
    ax.set_xticklabels([f"{compass(t)}\n{t:.0f}°" for t in ticks], fontsize=9)
    ax.grid(color=_GRID, linewidth=0.8)

    thresholds = sorted(
        {p.min_elevation_deg for p in passes} | {g.min_elevation_deg for g in looks}
    )
    circle = np.linspace(0.0, 2.0 * np.pi, 361)
    for threshold in sorted(thresholds):
        if threshold > 0:
            ax.plot(circle, np.full_like(circle, 90.0 - threshold), ":", color="#888888", lw=1.0)
            ax.text(
                np.radians(212.0),
                90.0 - threshold,
                f"{threshold:g}° min",
                fontsize=7,
                color="#666666",
                ha="center",
                va="center",
                path_effects=_halo(),
            )

    colours = _colour_cycle(len(passes))
    any_visibility = False
    for index, item in enumerate(passes):
        colour = colours[index]
        track = pass_track(
            item, _find_elements(item, element_sets), observer, timescale=timescale, step_s=step_s
        )
        theta = np.radians(track.azimuth_deg)
        radius = 90.0 - np.clip(track.elevation_deg, 0.0, 90.0)
        window = visible_window(item)
        any_visibility |= window is not None
        if window is None or window is False:
            style = "--" if window is False else "-"
            ax.plot(theta, radius, style, color=colour, lw=1.4 if window is False else 1.8)
        else:
            lo = (window[0] - track.start_utc).total_seconds()
            hi = (window[1] - track.start_utc).total_seconds()
            inside = (track.seconds >= lo - 1e-6) & (track.seconds <= hi + 1e-6)
            ax.plot(theta, radius, "--", color=colour, lw=1.4)
            ax.plot(np.where(inside, theta, np.nan), radius, "-", color=colour, lw=3.2)
        _travel_arrows(ax, theta, radius, colour)
        peak = item.culmination
        ax.plot(
            np.radians(peak.azimuth_deg),
            90.0 - peak.elevation_deg,
            "o",
            color=colour,
            ms=5,
            mec="white",
        )
        start = item.rise or item.culmination
        ax.text(
            np.radians(start.azimuth_deg),
            90.0 - max(start.elevation_deg, 0.0) + 4.0,
            start.time_utc.astimezone(display).strftime("%H:%M"),
            color=colour,
            fontsize=8,
            ha="center",
            va="center",
            path_effects=_halo(),
        )
        ax.plot([], [], "-", color=colour, lw=2.5, label=_pass_label(item, display))

    for number, look in enumerate(looks):
        ax.plot(
            np.radians(look.azimuth_deg),
            90.0 - max(look.elevation_deg, 0.0),
            "*",
            ms=14,
            color="#c0392b",
            mec="white",
        )
        ax.annotate(
            f"{look.satellite}\naz {look.azimuth_deg:.1f}°, el {look.elevation_deg:.1f}°",
            (np.radians(look.azimuth_deg), 90.0 - max(look.elevation_deg, 0.0)),
            xytext=(10, 6 - 26 * (number % 2)),
            textcoords="offset points",
            fontsize=8,
            path_effects=_halo(),
        )

    if looks:
        ax.plot([], [], "*", ms=12, ls="", color="#c0392b", label="geostationary: a fixed point")
    if any_visibility:
        ax.plot([], [], "-", color="#333333", lw=3.2, label="visible part (sunlit, dark sky)")
        ax.plot([], [], "--", color="#333333", lw=1.4, label="not visible")
    first = min([p.start_utc for p in passes] + [g.time_utc for g in looks])
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.07),
        fontsize=8,
        frameon=False,
        ncol=1 if len(passes) <= 6 else 2,
        title=(
            f"times {zone_label(display, first)}; azimuth clockwise from north, "
            "elevation inward (90° at the centre)"
        ),
        title_fontsize=8,
    )
    names = [p.satellite for p in passes] + [g.satellite for g in looks]
    default_title = f"{', '.join(dict.fromkeys(names))} over {observer.name}"
    ax.set_title(title or default_title, fontsize=13, pad=30)
    return fig


def _colour_cycle(count: int) -> list[Any]:
    from matplotlib import colormaps

    palette = colormaps["tab10"].colors if count <= 10 else colormaps["tab20"].colors
    return [palette[i % len(palette)] for i in range(count)]


def _travel_arrows(ax: Any, theta: NDArray[np.float64], radius: NDArray[np.float64], colour: Any):
    """Draw arrowheads a third and two thirds along the track, pointing the way it moves."""
    valid = np.flatnonzero(np.isfinite(theta) & np.isfinite(radius))
    if valid.size < 3:
        return
    for fraction in (0.33, 0.7):
        i = valid[int(fraction * (valid.size - 1))]
        j = min(i + 1, valid[-1])
        if j == i:
            continue
        ax.annotate(
            "",
            xy=(theta[j], radius[j]),
            xytext=(theta[i], radius[i]),
            arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.5, "mutation_scale": 16},
        )


def _pass_label(item: Pass, zone: tzinfo) -> str:
    start = (item.rise or item.culmination).time_utc.astimezone(zone)
    end = (item.set or item.culmination).time_utc.astimezone(zone)
    rise = compass(item.rise.azimuth_deg) if item.rise else "…"
    fall = compass(item.set.azimuth_deg) if item.set else "…"
    return (
        f"{item.satellite}  {start:%a %d %b %H:%M}–{end:%H:%M}  "
        f"max {item.max_elevation_deg:.0f}°  {rise}→{fall}"
    )


# --- ground track -------------------------------------------------------------------------------


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
    display = _zone(zone, observers[0] if observers else None)
    fig = _figure(11.0, 6.4)
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
    ax.plot(lon, lat, "-", color="#1f4e79", lw=1.2, label=f"{element_set.name} ground track")
    bold = np.where(seen_f > 0.5, lat, np.nan)
    if np.isfinite(bold).any():
        ax.plot(
            lon,
            bold,
            "-",
            color="#e67e22",
            lw=3.2,
            label=f"above {min_elevation_deg:g}° for an observer",
        )
    _time_marks(ax, track, display, (lon_min, lon_max, lat_min, lat_max))

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
            path_effects=_halo(),
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
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
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
    return fig


def _world(ax: Any, extent: tuple[float, float, float, float]) -> None:
    """Draw water, land with country borders and a labelled graticule in plate carrée."""
    from matplotlib.collections import PolyCollection

    lon_min, lon_max, lat_min, lat_max = extent
    ax.set_facecolor(_WATER)
    ax.add_collection(
        PolyCollection(
            [ring for ring in country_rings()],
            facecolors=_LAND,
            edgecolors=_BORDER,
            linewidths=0.4,
            zorder=0.5,
        )
    )
    span = max(lon_max - lon_min, lat_max - lat_min)
    step = 30.0 if span > 120 else 10.0 if span > 40 else 5.0
    ax.set_xticks(np.arange(np.ceil(lon_min / step) * step, lon_max + 1e-9, step))
    ax.set_yticks(np.arange(np.ceil(lat_min / step) * step, lat_max + 1e-9, step))
    ax.grid(color=_GRID, linewidth=0.6, zorder=0.6)
    ax.set_axisbelow(False)
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    ax.set_aspect("equal")
    ax.set_xlabel("longitude (deg, east positive)")
    ax.set_ylabel("latitude (deg, north positive)")


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
            path_effects=_halo(2.5),
        )
    x0, y0 = track.longitude_deg[0], track.latitude_deg[0]
    if np.isfinite(x0) and lon_min <= x0 <= lon_max and lat_min <= y0 <= lat_max:
        ax.plot(x0, y0, "s", color="#1f4e79", ms=6, label="start")


# --- timeline -----------------------------------------------------------------------------------


def pass_timeline(
    data: Prediction | Sequence[Pass],
    *,
    zone: str | tzinfo | None = None,
    start_utc: datetime | None = None,
    end_utc: datetime | None = None,
    title: str | None = None,
) -> Any:
    """Return a timeline of passes: one row per satellite and observer, one bar per pass.

    Bars run from rise to set, coloured by the pass's highest elevation; a tick marks the
    culmination so even a one-minute pass shows, and a black triangle above it marks a pass
    with a part visible by eye (when the passes carry visibility). Given a `Prediction`, the
    window is its own and each geostationary look is a full-width row (shaded when it stays
    above the threshold). The x axis is local time of the first observer (or `zone`), with a
    line at each midnight.
    """
    import_optional("matplotlib", "plotting")
    from matplotlib import colormaps, dates
    from matplotlib.colors import Normalize

    if isinstance(data, Prediction):
        passes = list(data.passes)
        looks = list(data.geostationary)
        observers = list(data.observers)
        start = start_utc or data.start_utc
        end = end_utc or data.end_utc
    else:
        passes = list(data)
        looks = []
        observers = []
        if not passes and (start_utc is None or end_utc is None):
            raise ValueError("no passes to draw; give start_utc and end_utc for an empty timeline")
        start = start_utc or min(p.start_utc for p in passes)
        end = end_utc or max((p.set or p.culmination).time_utc for p in passes)
    start = require_aware(start, "start_utc")
    end = require_aware(end, "end_utc")
    display = _zone(zone, observers[0] if observers else None)

    rows: dict[tuple[str, str], int] = {}
    for key in [(p.satellite, p.observer) for p in passes] + [
        (g.satellite, g.observer) for g in looks
    ]:
        rows.setdefault(key, len(rows))
    fig = _figure(11.0, 1.6 + 0.42 * max(len(rows), 1))
    ax = fig.add_subplot()
    cmap = colormaps["viridis"]
    norm = Normalize(0.0, 90.0)

    def num(when: datetime) -> float:
        return float(dates.date2num(when))

    any_visible = False

    for item in passes:
        y = rows[(item.satellite, item.observer)]
        left = num(item.rise.time_utc if item.rise else start)
        right = num(item.set.time_utc if item.set else end)
        colour = cmap(norm(item.max_elevation_deg))
        ax.barh(y, right - left, left=left, height=0.55, color=colour, edgecolor=colour, lw=0.8)
        ax.plot(num(item.culmination.time_utc), y, "|", color=colour, ms=13, mew=1.6)
        window = visible_window(item)
        if isinstance(window, tuple):
            middle = window[0] + (window[1] - window[0]) / 2
            ax.plot(num(middle), y - 0.42, "v", color="black", ms=5, zorder=4)
            any_visible = True
    for look in looks:
        y = rows[(look.satellite, look.observer)]
        always = look.always_above_min_elevation
        ax.barh(
            y,
            num(end) - num(start),
            left=num(start),
            height=0.55,
            color=cmap(norm(max(look.elevation_deg, 0.0))) if always else "#dddddd",
            alpha=0.35,
            lw=0.0,
        )
        if always:
            state = f"always in view at {look.elevation_deg:.1f}° (geostationary)"
        elif look.never_above_horizon:
            state = "never above the horizon (geostationary)"
        else:
            state = f"not always above {look.min_elevation_deg:g}° (geostationary)"
        ax.text(
            num(start) + 0.01 * (num(end) - num(start)),
            y,
            state,
            va="center",
            fontsize=8,
            color="#222222",
        )

    midnight = start.astimezone(display).replace(hour=0, minute=0, second=0, microsecond=0)
    while midnight <= end:
        if midnight >= start:
            ax.axvline(num(midnight), color="#999999", lw=0.8, ls=":")
        midnight = (midnight + timedelta(hours=26)).replace(hour=0)
    ax.set_yticks(list(rows.values()))
    ax.set_yticklabels([f"{sat} · {obs}" for sat, obs in rows], fontsize=9)
    ax.set_ylim(len(rows) - 0.5, -0.5) if rows else ax.set_ylim(-0.5, 0.5)
    ax.set_xlim(num(start), num(end))
    _time_axis(ax, start, end, display)
    ax.set_xlabel(f"local time ({zone_label(display, start)})")
    ax.grid(axis="x", color=_GRID, lw=0.6)
    from matplotlib.cm import ScalarMappable

    if any_visible:
        ax.plot([], [], "v", color="black", ms=5, ls="", label="visible by eye (sunlit, dark sky)")
        ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, pad=0.01, aspect=12)
    bar.set_label("highest elevation (deg)")
    parts = [f"{len(passes)} passes"]
    if looks:
        parts.append(f"{len({g.satellite for g in looks})} geostationary")
    thresholds = sorted(
        {p.min_elevation_deg for p in passes} | {g.min_elevation_deg for g in looks}
    )
    above = f" above {', '.join(f'{t:g}°' for t in thresholds)}" if thresholds else ""
    ax.set_title(title or f"Passes{above}: {', '.join(parts)}", fontsize=11)
    return fig


def _time_axis(ax: Any, start: datetime, end: datetime, zone: tzinfo) -> None:
    """Label a date axis in local time: hours for a day, days (and 6-hour ticks) for a week."""
    from matplotlib import dates

    span_days = (end - start).total_seconds() / 86400.0
    if span_days <= 1.5:
        major = dates.HourLocator(interval=2 if span_days <= 0.75 else 3, tz=zone)
        ax.xaxis.set_major_locator(major)
        ax.xaxis.set_major_formatter(dates.DateFormatter("%H:%M", tz=zone))
    elif span_days <= 12:
        ax.xaxis.set_major_locator(dates.DayLocator(tz=zone))
        ax.xaxis.set_major_formatter(dates.DateFormatter("%a %d %b", tz=zone))
        if span_days <= 5:
            ax.xaxis.set_minor_locator(dates.HourLocator(byhour=(6, 12, 18), tz=zone))
            ax.xaxis.set_minor_formatter(dates.DateFormatter("%H:%M", tz=zone))
            ax.tick_params(axis="x", which="minor", labelsize=7, labelcolor="#666666")
            ax.tick_params(axis="x", which="major", pad=12)
    else:
        locator = dates.AutoDateLocator(tz=zone, minticks=5, maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=zone))


# --- sun-outage calendar ------------------------------------------------------------------------


def sun_outage_calendar(
    outages: Sequence[Any],
    *,
    observers: Sequence[Observer] = (),
    zone: str | tzinfo | None = None,
    title: str | None = None,
) -> Any:
    """Return a calendar of sun outages: one panel per season, one bar per day.

    `outages` are `passpredict.products.geo.sun_outages.SunOutage` records for one observer (one or
    more
    satellites). Each bar spans the outage's local start and end time on its local date, a dot
    marks the peak (closest approach of the Sun); satellites get their own colours, side by
    side. Seasons are runs of days less than 30 days apart. Times are local to the observer
    (found by name in `observers`) unless `zone` is given.
    """
    import_optional("matplotlib", "plotting")
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    if not outages:
        raise ValueError("no sun outages to draw; widen the window to an equinox season")
    names = {o.observer for o in outages}
    if len(names) > 1:
        raise ValueError(
            f"a sun-outage calendar is for one observer; got {', '.join(sorted(names))}"
        )
    name = names.pop()
    observer = next((o for o in observers if o.name == name), None)
    display = _zone(zone, observer)
    ordered = sorted(outages, key=lambda o: o.peak_utc)
    seasons: list[list[Any]] = []
    for outage in ordered:
        if seasons and (outage.peak_utc - seasons[-1][-1].peak_utc) < timedelta(days=30):
            seasons[-1].append(outage)
        else:
            seasons.append([outage])
    satellites = list(dict.fromkeys(o.satellite for o in ordered))
    colours = dict(zip(satellites, _colour_cycle(len(satellites)), strict=True))
    width = 0.7 / len(satellites)

    def minutes_of_day(when: datetime) -> float:
        local = when.astimezone(display)
        return local.hour * 60.0 + local.minute + local.second / 60.0

    fig = _figure(max(6.0, 4.2 * len(seasons)), 5.2)
    axes = fig.subplots(1, len(seasons), sharey=True, squeeze=False)[0]
    lows = [minutes_of_day(o.start_utc) for o in ordered]
    highs = [minutes_of_day(o.end_utc) for o in ordered]
    for ax, season in zip(axes, seasons, strict=True):
        first_day = season[0].peak_utc.astimezone(display).date()
        for outage in season:
            day = (outage.peak_utc.astimezone(display).date() - first_day).days
            x = day + (satellites.index(outage.satellite) - (len(satellites) - 1) / 2) * width
            low, high = minutes_of_day(outage.start_utc), minutes_of_day(outage.end_utc)
            colour = colours[outage.satellite]
            ax.bar(x, high - low, bottom=low, width=width * 0.9, color=colour, alpha=0.75)
            ax.plot(x, minutes_of_day(outage.peak_utc), "o", color=colour, ms=4, mec="white")
        days = (season[-1].peak_utc.astimezone(display).date() - first_day).days
        ax.set_xlim(-0.8, days + 0.8)
        ax.xaxis.set_major_locator(MultipleLocator(1 if days <= 10 else 2))
        ax.xaxis.set_major_formatter(
            FuncFormatter(
                lambda value, _pos, d0=first_day: f"{d0 + timedelta(days=round(value)):%d %b}"
            )
        )
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
        longest = max(season, key=lambda o: (o.end_utc - o.start_utc).total_seconds())
        minutes, seconds = divmod(round((longest.end_utc - longest.start_utc).total_seconds()), 60)
        ax.set_title(
            f"{first_day:%B %Y}: {len(season)} outages\nlongest {minutes} min {seconds:02d} s "
            f"on {longest.peak_utc.astimezone(display):%d %b}",
            fontsize=9,
        )
        ax.set_xlabel("local date")
        ax.grid(axis="y", color=_GRID, lw=0.6)
    pad = 5.0
    axes[0].set_ylim(min(lows) - pad, max(highs) + pad)
    axes[0].yaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: f"{int(value // 60) % 24:02d}:{int(value % 60):02d}")
    )
    axes[0].set_ylabel(f"local time ({zone_label(display, ordered[0].peak_utc)})")
    handles = [Line2D([], [], color=colours[s], lw=6, alpha=0.75, label=s) for s in satellites]
    handles.append(Line2D([], [], color="#333333", marker="o", ls="", ms=4, label="peak"))
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=8)
    threshold = ", ".join(f"{t:.2f}°" for t in sorted({o.threshold_deg for o in ordered}))
    fig.suptitle(
        title or f"Sun outages at {name}: Sun within {threshold} of the satellite", fontsize=11
    )
    return fig
