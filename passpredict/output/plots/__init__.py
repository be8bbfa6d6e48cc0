"""Pictures of predictions (matplotlib, optional): one module per picture, sharing a style.

`sky` (the sky chart), `ground_track` (the world map), `timeline` (passes on a time axis),
`sun_outages` (the outage calendar), `eclipses` (the eclipse seasons) and `style` (the figure
without pyplot, the display zone, colours). Every function returns a `matplotlib.figure.Figure`
built without pyplot; save it with `fig.savefig("sky.png")`, a notebook shows it as a cell's
value. Times are local to the observer unless a `zone` is given, and the zone is written on
the figure. matplotlib is imported when a picture is drawn, not when this package is.

The old path `passpredict.plots` (the notebooks) is this package.
"""

from __future__ import annotations

from passpredict.output.plots.eclipses import eclipse_season_chart
from passpredict.output.plots.ground_track import ground_track_map
from passpredict.output.plots.sky import sky_chart
from passpredict.output.plots.style import visible_window, zone_label
from passpredict.output.plots.sun_outages import sun_outage_calendar
from passpredict.output.plots.timeline import pass_timeline

__all__ = [
    "eclipse_season_chart",
    "ground_track_map",
    "pass_timeline",
    "sky_chart",
    "sun_outage_calendar",
    "visible_window",
    "zone_label",
]
