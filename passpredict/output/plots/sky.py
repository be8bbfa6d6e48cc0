"""The sky chart: one observer's sky with the paths of passes, and geostationary satellites.

A polar chart, azimuth clockwise from north at the top, elevation inward (90 deg at the
centre). The paths are sampled by `passpredict.products.track.pass_track`, the engine's own
geometry, so a plotted rise sits exactly where the pass table puts it. A pass's visible part
(issue 5: satellite sunlit, sky dark) is bold, the rest dashed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.output.plots.style import (
    GRID,
    colour_cycle,
    display_zone,
    figure,
    halo,
    note_stale,
    settle_layout,
    visible_window,
    zone_label,
)
from passpredict.output.tables import compass
from passpredict.products.staleness import StaleElements, stale_elements
from passpredict.products.track import pass_track
from passpredict.records import GeoLook, Observer, Pass
from tle_cache.elements import ElementSet


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
    display = display_zone(zone, observer)
    fig = figure(7.6, 8.2)
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
    ax.grid(color=GRID, linewidth=0.8)

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
                path_effects=halo(),
            )

    colours = colour_cycle(len(passes))
    any_visibility = False
    rise_labels: list[Any] = []
    geo_labels: list[Any] = []
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
        # the time where the drawn path starts: the rise, or the window start for a pass
        # already up then (labelled at the culmination before, mid-path, as if it rose there)
        rise_label = ax.text(
            theta[0],
            radius[0] + 4.0,
            track.start_utc.astimezone(display).strftime("%H:%M"),
            color=colour,
            fontsize=8,
            ha="center",
            va="center",
            path_effects=halo(),
        )
        rise_labels.append(rise_label)
        ax.plot([], [], "-", color=colour, lw=2.5, label=_pass_label(item, display))

    for number, look in enumerate(looks):
        # one below the horizon is drawn hollow on the rim, where it would rise if it could:
        # a filled star there would read as a satellite sitting on the horizon
        below = look.elevation_deg < 0.0
        ax.plot(
            np.radians(look.azimuth_deg),
            90.0 - max(look.elevation_deg, 0.0),
            "*",
            ms=14,
            color="#c0392b",
            mec="#c0392b" if below else "white",
            mfc="none" if below else "#c0392b",
        )
        where = " (below the horizon)" if below else ""
        geo_label = ax.annotate(
            f"{look.satellite}\naz {look.azimuth_deg:.1f}°, el {look.elevation_deg:.1f}°{where}",
            (np.radians(look.azimuth_deg), 90.0 - max(look.elevation_deg, 0.0)),
            xytext=(10, 6 - 26 * (number % 2)),
            textcoords="offset points",
            fontsize=8,
            path_effects=halo(),
        )
        geo_labels.append(geo_label)

    if looks:
        ax.plot([], [], "*", ms=12, ls="", color="#c0392b", label="geostationary: a fixed point")
    if any(look.elevation_deg < 0.0 for look in looks):
        ax.plot(
            [], [], "*", ms=12, ls="", color="#c0392b", mfc="none", label="... below the horizon"
        )
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
    satellites = [p.satellite for p in passes] + [g.satellite for g in looks]
    default_title = f"{', '.join(dict.fromkeys(satellites))} over {observer.name}"
    ax.set_title(title or default_title, fontsize=13, pad=30)
    note_stale(fig, _stale(passes, looks, element_sets))
    settle_layout(fig)
    _declutter(fig, ax, rise_labels, geo_labels)
    return fig


def _declutter(fig: Any, ax: Any, rise_labels: Sequence[Any], geo_labels: Sequence[Any]) -> None:
    """Keep the chart's labels apart: at a polar site a day's passes crowd the same sky.

    A geostationary label that would cover a compass label (N 0°, E 90°, ...) moves to the
    first free side of its star. A rise time that would cover a label already kept (compass,
    elevation, geostationary or an earlier rise time) is left out: the legend still names that
    pass with its start time. Boxes come from the renderer after the layout has settled.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    kept = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    compass_boxes = list(kept)
    for label in geo_labels:
        x, y = label.get_position()
        for offset in ((x, y), (-abs(x), y), (x, y - 26.0), (-abs(x), y - 26.0), (x, y + 26.0)):
            label.set_position(offset)
            label.set_horizontalalignment("right" if offset[0] < 0 else "left")
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in compass_boxes):
                break
        else:
            label.set_position((x, y))
            label.set_horizontalalignment("left")
        kept.append(label.get_window_extent(renderer))
    kept += [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
    for label in rise_labels:
        box = label.get_window_extent(renderer)
        if any(box.overlaps(other) for other in kept):
            label.set_visible(False)
        else:
            kept.append(box)


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


def _stale(
    passes: Sequence[Pass], looks: Sequence[GeoLook], element_sets: Sequence[ElementSet]
) -> list[StaleElements]:
    """Return the stale reports of the element sets the chart draws, over the chart's span."""
    reports: list[StaleElements] = []
    for norad_id in dict.fromkeys([p.norad_id for p in passes] + [g.norad_id for g in looks]):
        times = [p.start_utc for p in passes if p.norad_id == norad_id]
        times += [(p.set or p.culmination).time_utc for p in passes if p.norad_id == norad_id]
        times += [g.time_utc for g in looks if g.norad_id == norad_id]
        matching = [es for es in element_sets if es.norad_id == norad_id]
        if not matching:
            continue
        first, last = min(times), max(times)
        nearest = min(matching, key=lambda es: abs((es.epoch_utc - first).total_seconds()))
        report = stale_elements(nearest, first, last)
        if report is not None:
            reports.append(report)
    return reports


def _travel_arrows(
    ax: Any, theta: NDArray[np.float64], radius: NDArray[np.float64], colour: Any
) -> None:
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
    start = item.start_utc.astimezone(zone)
    end = (item.set or item.culmination).time_utc.astimezone(zone)
    rise = compass(item.rise.azimuth_deg) if item.rise else "…"
    fall = compass(item.set.azimuth_deg) if item.set else "…"
    return (
        f"{item.satellite}  {start:%a %d %b %H:%M}–{end:%H:%M}  "
        f"max {item.max_elevation_deg:.0f}°  {rise}→{fall}"
    )
