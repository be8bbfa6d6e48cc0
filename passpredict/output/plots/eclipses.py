"""A geostationary satellite's eclipse seasons as a picture: one panel per season, a bar a night.

Around each equinox a geostationary satellite crosses the Earth's shadow once a day, near
local midnight at its longitude, for up to 72 minutes; operators plan battery loads around
these seasons. The chart shows each night's passage as a bar on a time-of-night axis (from
noon to noon, so a passage across midnight stays one bar): pale for the penumbra, dark for the
umbra. Returns a matplotlib figure without pyplot, like the other pictures of
`passpredict.output.plots`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from passpredict.extras import import_optional
from passpredict.output.plots.style import GRID, display_zone, figure, zone_label
from passpredict.products.geo.eclipses import Eclipse

#: Consecutive eclipses further apart than this start a new season.
SEASON_GAP = timedelta(days=30)
_PENUMBRA = "#9fb6cd"
_UMBRA = "#1f3a5f"


def _night_minutes(when: datetime, zone: tzinfo) -> float:
    """Minutes since the noon before (local): 12:00 is 0, midnight 720, 11:59 next day 1439."""
    local = when.astimezone(zone)
    return ((local.hour - 12) % 24) * 60.0 + local.minute + local.second / 60.0


def _night_of(when: datetime, zone: tzinfo) -> date:
    """The local date of the evening a passage belongs to (noon to noon)."""
    return (when.astimezone(zone) - timedelta(hours=12)).date()


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
        first_night = _night_of(season[0].penumbra_entry_utc, display)
        for eclipse in season:
            x = (_night_of(eclipse.penumbra_entry_utc, display) - first_night).days
            low = _night_minutes(eclipse.penumbra_entry_utc, display)
            high = low + eclipse.duration_s / 60.0
            lows.append(low)
            highs.append(high)
            ax.bar(x, high - low, bottom=low, width=0.8, color=_PENUMBRA)
            if eclipse.umbra_entry_utc is not None:
                u_low = _night_minutes(eclipse.umbra_entry_utc, display)
                ax.bar(x, eclipse.umbra_duration_s / 60.0, bottom=u_low, width=0.8, color=_UMBRA)
        nights = (_night_of(season[-1].penumbra_entry_utc, display) - first_night).days
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
        ax.set_title(
            f"{first_night:%d %b} - {_night_of(season[-1].penumbra_entry_utc, display):%d %b %Y}: "
            f"{len(season)} nights\nlongest {minutes} min ({umbra} min umbra) on "
            f"{_night_of(longest.penumbra_entry_utc, display):%d %b}",
            fontsize=9,
        )
        ax.set_xlabel(f"night of (date of the evening, {getattr(display, 'key', display)})")
        ax.grid(axis="y", color=GRID, lw=0.6)
    pad = 10.0
    axes[0].set_ylim(min(lows) - pad, max(highs) + pad)
    axes[0].yaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _pos: f"{int((value // 60 + 12) % 24):02d}:{int(value % 60):02d}"
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
