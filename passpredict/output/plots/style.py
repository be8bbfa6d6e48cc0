"""What every picture shares: a figure without pyplot, the display zone, colours and halos.

Every plot function returns a `matplotlib.figure.Figure` built without pyplot: no global figure
state, no GUI backend, nothing shown. Times on every axis and label are local to the observer
(`Observer.timezone`, UTC when it has none) unless a `zone` is given, and the zone is written
on the figure (`zone_label`). `visible_window` reads the visibility of a pass (issue 5), which
the sky chart and the timeline both draw. `settle_layout` makes a figure fit itself on a plain
`savefig`, `note_stale` writes stale elements on the picture, and `centred_day_start_min`
centres the season charts' time-of-day axis on their events.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from passpredict.extras import import_optional
from passpredict.products.staleness import StaleElements
from passpredict.records import Observer, Pass
from passpredict.timeutil import load_zone

LAND = "#e4dfcf"
WATER = "#eef4f8"
BORDER = "#a8a294"
GRID = "#c6ccd2"


def figure(width_in: float, height_in: float) -> Any:
    """Return a new Figure with the Agg canvas attached (works with no display, any backend)."""
    import_optional("matplotlib", "plotting")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def settle_layout(fig: Any) -> Any:
    """Run the figure's constrained layout once now, and return the figure.

    matplotlib's constrained layout needs two passes to settle around a fixed-aspect axes (the
    polar sky chart): after one pass, the one `savefig` makes, a chart with few legend entries
    had its title cut at the top edge and its legend at the bottom. Running it here as well
    makes a plain `fig.savefig(...)` right; a notebook's inline display (which saves with
    `bbox_inches="tight"`) never showed the fault.
    """
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    return fig


#: Colour of the line on a figure that says its elements are stale.
WARNING_COLOUR = "#8e1b10"


def note_stale(fig: Any, stale: Sequence[StaleElements]) -> None:
    """Write on the figure that its element sets are stale, and what that does to it.

    The command line warns on stderr, but a picture saved into a report travels without it:
    a sky chart from half-year-old elements of a low orbit shows passes hours from where the
    satellite is. The rule is the library's (`passpredict.products.staleness`); nothing is
    written for fresh elements.
    """
    if not stale:
        return
    worst = max(stale, key=lambda s: s.worst_age_days)
    names = list(dict.fromkeys(s.name for s in stale))
    who = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    text = (
        f"Stale elements: {who}, up to {worst.worst_age_days:.0f} days from the epoch (over "
        f"{worst.limit_days:g} is stale for a {worst.orbit.value} orbit): {worst.consequence}"
    )
    # above everything (a figure's suptitle, which the layout makes room for), wrapped to the
    # figure's width: about 14 characters of 8-point text an inch
    width_chars = int(fig.get_size_inches()[0] * 14)
    fig.suptitle(textwrap.fill(text, width_chars), fontsize=8, color=WARNING_COLOUR)


def centred_day_start_min(times_utc: Sequence[datetime], zone: tzinfo) -> float:
    """Return the start (minutes after local midnight, a whole hour) of a 24-hour time-of-day
    axis with `times_utc` in its middle: twelve hours before their mean local clock time.

    The season charts draw one bar a day on such an axis; a fixed start (noon for eclipses,
    midnight for sun outages) cuts the bars that cross it, which happens in a display zone far
    from the satellite's (a Pacific satellite in UTC, or `--tz` half a world away). The mean
    is taken on the clock's circle, so 23:50 and 00:10 average to midnight.
    """
    angles = []
    for when in times_utc:
        local = when.astimezone(zone)
        minutes = local.hour * 60.0 + local.minute + local.second / 60.0
        angles.append(2.0 * math.pi * minutes / 1440.0)
    mean = math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))
    middle_min = (mean / (2.0 * math.pi) * 1440.0) % 1440.0
    return float(round(((middle_min - 720.0) % 1440.0) / 60.0) % 24 * 60)


def display_zone(zone: str | tzinfo | None, observer: Observer | None) -> tzinfo:
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


def _attribute_time(value: Any) -> datetime | None:
    """Return a datetime from a field that may hold a datetime or a point with `time_utc`."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return getattr(value, "time_utc", None)


def visible_window(item: Pass) -> tuple[datetime, datetime] | Literal[False] | None:
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


def halo(width: float = 3.0) -> list[Any]:
    """Return the path effect that outlines text or lines in white, to read them over a map."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


def colour_cycle(count: int) -> list[Any]:
    """Return `count` distinct colours (tab10, or tab20 for more than ten)."""
    from matplotlib import colormaps

    # tab10 and tab20 are ListedColormaps (a list of colours); the registry types them Colormap
    cmap: Any = colormaps["tab10" if count <= 10 else "tab20"]
    palette = cmap.colors
    return [palette[i % len(palette)] for i in range(count)]
