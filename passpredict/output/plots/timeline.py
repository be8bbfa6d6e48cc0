"""The pass timeline: passes of several satellites over several observers on one time axis.

One row per satellite and observer, one bar per pass coloured by its highest elevation; a
`Prediction`'s geostationary looks as full-width rows. Local time of the first observer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from passpredict.extras import import_optional
from passpredict.output.plots.style import (
    GRID,
    display_zone,
    figure,
    note_stale,
    visible_window,
    zone_label,
)
from passpredict.products.predict import Prediction
from passpredict.records import Pass
from passpredict.timeutil import require_aware


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
    line at each midnight. A window without passes is drawn with a line saying so (and, from a
    `Prediction`, its notes on why: decayed elements, an orbit that never rises there).
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
        threshold: float | None = data.min_elevation_deg
        notes = [f"{n.satellite} ({n.norad_id}): {n.reason}" for n in data.notes]
    else:
        passes = list(data)
        looks = []
        observers = []
        threshold = None
        notes = []
        if not passes and (start_utc is None or end_utc is None):
            raise ValueError("no passes to draw; give start_utc and end_utc for an empty timeline")
        start = start_utc or min(p.start_utc for p in passes)
        end = end_utc or max((p.set or p.culmination).time_utc for p in passes)
    start = require_aware(start, "start_utc")
    end = require_aware(end, "end_utc")
    display = display_zone(zone, observers[0] if observers else None)

    rows: dict[tuple[str, str], int] = {}
    for key in [(p.satellite, p.observer) for p in passes] + [
        (g.satellite, g.observer) for g in looks
    ]:
        rows.setdefault(key, len(rows))
    fig = figure(11.0, 1.6 + 0.42 * max(len(rows), 1))
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

    if not rows:
        # an empty window is an answer, but a blank frame does not read as one: say it, and
        # why when the prediction knows (decayed elements, an orbit that never rises here)
        above = f" above {threshold:g}°" if threshold is not None else ""
        message = "\n".join([f"no passes{above} in this window", *notes[:3]])
        ax.text(
            0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=9,
            color="#444444", wrap=True,
        )  # fmt: skip
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
    # the ticks of a day's timeline are hours only, and no tick shows the year: the label
    # says where the axis starts, so a picture taken out of its context still has its date
    first = start.astimezone(display)
    ax.set_xlabel(f"local time ({zone_label(display, start)}) from {first:%a %d %b %Y %H:%M}")
    ax.grid(axis="x", color=GRID, lw=0.6)
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
        {p.min_elevation_deg for p in passes}
        | {g.min_elevation_deg for g in looks}
        | ({threshold} if threshold is not None else set())
    )
    above = f" above {', '.join(f'{t:g}°' for t in thresholds)}" if thresholds else ""
    ax.set_title(title or f"Passes{above}: {', '.join(parts)}", fontsize=11)
    if isinstance(data, Prediction):
        note_stale(fig, data.stale)
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
