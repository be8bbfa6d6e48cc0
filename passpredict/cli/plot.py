"""`passpredict plot`: the group of picture commands, one module per family.

`plot sky` and `plot timeline` (passes: `passpredict.cli.plot_passes`), `plot track` (the
ground track as a picture or GeoJSON: `passpredict.cli.plot_track`), `plot sun-outages` and
`plot eclipses` (geostationary seasons: `passpredict.cli.plot_geo`); what they share is in
`passpredict.cli.plot_options`, the pictures themselves in `passpredict.output.plots`.
"""

from __future__ import annotations

import click

from passpredict.cli.plot_geo import eclipses_plot_command, sun_outages_plot_command
from passpredict.cli.plot_passes import sky_command, timeline_command
from passpredict.cli.plot_track import track_command


@click.group("plot", context_settings={"help_option_names": ["-h", "--help"]})
def plot_group() -> None:
    """Draw passes as pictures: a sky chart, a ground track, a timeline, sun outages or eclipses.

    Times on the pictures are the observer's local time (--tz to choose another zone).
    Needs matplotlib: pip install 'passpredict[notebooks]'.
    """


for _command in (
    sky_command,
    track_command,
    timeline_command,
    sun_outages_plot_command,
    eclipses_plot_command,
):
    plot_group.add_command(_command)
