"""A geostationary satellite's eclipse seasons as a picture: one panel per season, a bar a night.

Around each equinox a geostationary satellite crosses the Earth's shadow once a day, near
local midnight at its longitude, for up to 72 minutes; operators plan battery loads around
these seasons. The chart shows each night's passage as a bar on a time-of-night axis (a day
from twelve hours before the eclipses' mean middle, noon to noon for a satellite at night in
the display zone, so a passage across midnight stays one bar): pale for the penumbra, dark for
the umbra. Returns a matplotlib figure without pyplot, like the other pictures of
`passpredict.output.plots`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from passpredict.extras import import_optional
from passpredict.output.plots.style import (
    GRID,
    centred_day_start_min,
    display_zone,
    figure,
    zone_label,
)
from passpredict.products.geo.eclipses import Eclipse

#: Consecutive eclipses further apart than this start a new season.
SEASON_GAP = timedelta(days=30)
_PENUMBRA = "#9fb6cd"
_UMBRA = "#1f3a5f"


def _axis_start_min(eclipses: Sequence[Eclipse], zone: tzinfo) -> float:
    """Return where the chart's day starts: twelve hours before the eclipses' mean middle.

    A fixed noon start broke the seasons of a satellite whose eclipses fall near noon in the
    display zone (a Pacific satellite near 180 E in UTC, the default): a bar cut at the top
    of the axis, and nights skipped or doubled when the entry crossed noon.
    """
    return centred_day_start_min(
        [e.penumbra_entry_utc + (e.penumbra_exit_utc - e.penumbra_entry_utc) / 2 for e in eclipses],
        zone,
    )


def _night_minutes(when: datetime, zone: tzinfo, start_min: float) -> float:
    """Minutes since the chart's day started (local): `start_min` is 0, a day later 1440."""
    local = when.astimezone(zone)
    return (local.hour * 60.0 + local.minute + local.second / 60.0 - start_min) % 1440.0


def _daytime(start_min: float) -> bool:
    """Whether the eclipses (mid-axis, twelve hours after `start_min`) fall in local daytime,
    06:00 to 18:00: then a column is labelled by its calendar date, not by its evening's."""
    return 360.0 <= (start_min + 720.0) % 1440.0 < 1080.0


def _night_of(when: datetime, zone: tzinfo, start_min: float) -> date:
    """The local date a passage is labelled by: the date of the evening before it for a night
    eclipse (so a passage across midnight keeps one date), its calendar date for a day one."""
    day = (when.astimezone(zone) - timedelta(minutes=start_min)).date()
    # a day eclipse on an axis started the evening before belongs to the next calendar date
    return day + timedelta(days=1) if _daytime(start_min) and start_min >= 720.0 else day


def eclipse_season_chart(
    eclipses: Sequence[Eclipse],
    *,
    zone: str | tzinfo | None = None,
    title: str | None = None,
) -> Any:
    """Return a chart of eclipse seasons: one panel per season, one bar per night.

    `eclipses` are `passpredict.products.geo.eclipses.Eclipse` records of one satellite. Times are
    in
    `zone` (default UTC). Raises `ValueError` when there is nothing to draw.
    """
    import_optional("matplotlib", "plotting")
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    if not eclipses:
        raise ValueError("no eclipses to draw; widen the window to an equinox season")
    names = {e.satellite for e in eclipses}
    if len(names) > 1:
        raise ValueError(f"an eclipse chart is for one satellite; got {', '.join(sorted(names))}")
    display = display_zone(zone, None)
    day_start = _axis_start_min(eclipses, display)
    ordered = sorted(eclipses, key=lambda e: e.penumbra_entry_utc)
    seasons: list[list[Eclipse]] = []
    for eclipse in ordered:
        if seasons and eclipse.penumbra_entry_utc - seasons[-1][-1].penumbra_entry_utc < SEASON_GAP:
            seasons[-1].append(eclipse)
        else:
            seasons.append([eclipse])
    fig = figure(max(6.0, 4.6 * len(seasons)), 5.0)
    axes = fig.subplots(1, len(seasons), sharey=True, squeeze=False)[0]
    lows, highs = [], []
    for ax, season in zip(axes, seasons, strict=True):
        first_night = _night_of(season[0].penumbra_entry_utc, display, day_start)
        for eclipse in season:
            x = (_night_of(eclipse.penumbra_entry_utc, display, day_start) - first_night).days
            low = _night_minutes(eclipse.penumbra_entry_utc, display, day_start)
            high = low + eclipse.duration_s / 60.0
            lows.append(low)
            highs.append(high)
            ax.bar(x, high - low, bottom=low, width=0.8, color=_PENUMBRA)
            if eclipse.umbra_entry_utc is not None:
                u_low = _night_minutes(eclipse.umbra_entry_utc, display, day_start)
                ax.bar(x, eclipse.umbra_duration_s / 60.0, bottom=u_low, width=0.8, color=_UMBRA)
        nights = (_night_of(season[-1].penumbra_entry_utc, display, day_start) - first_night).days
        ax.set_xlim(-0.8, nights + 0.8)
        ax.xaxis.set_major_locator(MultipleLocator(5 if nights > 20 else 2))
        ax.xaxis.set_major_formatter(
            FuncFormatter(
                lambda value, _pos, d0=first_night: f"{d0 + timedelta(days=round(value)):%d %b}"
            )
        )
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
        longest = max(season, key=lambda e: e.duration_s)
        minutes = round(longest.duration_s / 60)
        umbra = round(longest.umbra_duration_s / 60)
        last_night = _night_of(season[-1].penumbra_entry_utc, display, day_start)
        ax.set_title(
            f"{first_night:%d %b} - {last_night:%d %b %Y}: "
            f"{len(season)} nights\nlongest {minutes} min ({umbra} min umbra) on "
            f"{_night_of(longest.penumbra_entry_utc, display, day_start):%d %b}",
            fontsize=9,
        )
        zone_name = getattr(display, "key", display)
        ax.set_xlabel(
            f"date ({zone_name})"
            if _daytime(day_start)
            else f"night of (date of the evening, {zone_name})"
        )
        ax.grid(axis="y", color=GRID, lw=0.6)
    pad = 10.0
    axes[0].set_ylim(min(lows) - pad, max(highs) + pad)
    axes[0].yaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _pos: (
                f"{int(((value + day_start) // 60) % 24):02d}:{int((value + day_start) % 60):02d}"
            )
        )
    )
    axes[0].set_ylabel(f"time ({zone_label(display, ordered[0].penumbra_entry_utc)})")
    handles = [
        Patch(color=_PENUMBRA, label="penumbra (part of the Sun hidden)"),
        Patch(color=_UMBRA, label="umbra (full shadow)"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=8)
    kept = " (held at station)" if any(e.station_kept for e in ordered) else ""
    fig.suptitle(title or f"Eclipse seasons of {ordered[0].satellite}{kept}", fontsize=11)
    return fig
