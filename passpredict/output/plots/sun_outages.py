"""The sun-outage calendar: one panel per season, one bar per day (geostationary dishes).

Each bar spans a day's outage from its local start to its end, a dot marks the peak; the
outages are `passpredict.products.geo.sun_outages.SunOutage` records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from passpredict.extras import import_optional
from passpredict.output.plots.style import (
    GRID,
    centred_day_start_min,
    colour_cycle,
    display_zone,
    figure,
    zone_label,
)
from passpredict.records import Observer


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
    display = display_zone(zone, observer)
    ordered = sorted(outages, key=lambda o: o.peak_utc)
    seasons: list[list[Any]] = []
    for outage in ordered:
        if seasons and (outage.peak_utc - seasons[-1][-1].peak_utc) < timedelta(days=30):
            seasons[-1].append(outage)
        else:
            seasons.append([outage])
    satellites = list(dict.fromkeys(o.satellite for o in ordered))
    colours = dict(zip(satellites, colour_cycle(len(satellites)), strict=True))
    width = 0.7 / len(satellites)

    # the axis is a day centred on the outages, not midnight to midnight: in a zone far from
    # the observer's (--tz), an outage across midnight was a bar from its end down to its start
    day_start = centred_day_start_min([o.peak_utc for o in ordered], display)

    def minutes_of_day(when: datetime) -> float:
        local = when.astimezone(display)
        return (local.hour * 60.0 + local.minute + local.second / 60.0 - day_start) % 1440.0

    def minutes_after_start(outage: Any) -> tuple[float, float]:
        low = minutes_of_day(outage.start_utc)
        return low, low + (outage.end_utc - outage.start_utc).total_seconds() / 60.0

    fig = figure(max(6.0, 4.2 * len(seasons)), 5.2)
    axes = fig.subplots(1, len(seasons), sharey=True, squeeze=False)[0]
    lows = [minutes_after_start(o)[0] for o in ordered]
    highs = [minutes_after_start(o)[1] for o in ordered]
    for ax, season in zip(axes, seasons, strict=True):
        first_day = season[0].peak_utc.astimezone(display).date()
        for outage in season:
            day = (outage.peak_utc.astimezone(display).date() - first_day).days
            x = day + (satellites.index(outage.satellite) - (len(satellites) - 1) / 2) * width
            low, high = minutes_after_start(outage)
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
        ax.grid(axis="y", color=GRID, lw=0.6)
    pad = 5.0
    axes[0].set_ylim(min(lows) - pad, max(highs) + pad)
    axes[0].yaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _pos: (
                f"{int((value + day_start) // 60) % 24:02d}:{int((value + day_start) % 60):02d}"
            )
        )
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
