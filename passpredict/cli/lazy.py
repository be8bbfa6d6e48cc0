"""Subcommands imported only when they run: what keeps `passpredict passes` and `--help` quick.

Importing every subcommand's module at start-up pulled in requests and urllib3 (`tle` ->
`tle_cache.fetch`), the station code, the plots and the GEO products for a command that needs
none of them: 88% of a default `passpredict passes` was imports (issue 11). A `LazyGroup`
knows each subcommand by name, module and attribute, and imports the module the first time
the command is looked up (to run it, or for its own `--help`). The group's `--help` lists
every name with its short help from the table below, without importing anything; the test
suite checks that table against the commands themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import NamedTuple

import click


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class LazyCommand(NamedTuple):
    """Where a subcommand lives, and the first paragraph of its help (what a list shows)."""

    module: str
    attr: str
    summary: str


#: The root group's subcommands.
SUBCOMMANDS: Mapping[str, LazyCommand] = {
    "eclipses": LazyCommand(
        "passpredict.cli.eclipses",
        "eclipses_command",
        "When SATELLITE passes through Earth's shadow.",
    ),
    "geo": LazyCommand(
        "passpredict.cli.geo",
        "geo_command",
        "Where to point a dish at a geostationary SATELLITE.",
    ),
    "observers": LazyCommand(
        "passpredict.cli.observers",
        "observers_group",
        "List, add and remove the places passes are predicted for.",
    ),
    "passes": LazyCommand(
        "passpredict.cli.passes", "passes", "Show the coming passes of satellites over observers."
    ),
    "plot": LazyCommand(
        "passpredict.cli.plot",
        "plot_group",
        "Draw passes as pictures: a sky chart, a ground track, a timeline, sun outages or "
        "eclipses.",
    ),
    "serve": LazyCommand(
        "passpredict.cli.serve",
        "serve_command",
        "Serve passes, the sky now, dish pointing and the element store as a local web page.",
    ),
    "sun-outages": LazyCommand(
        "passpredict.cli.sun_outages",
        "sun_outages_command",
        "When the Sun passes behind a geostationary SATELLITE and blinds the dish.",
    ),
    "tle": LazyCommand(
        "passpredict.cli.tle",
        "tle_group",
        "Keep element sets fresh from CelesTrak in a local store (every set is kept).",
    ),
    "track": LazyCommand(
        "passpredict.cli.track",
        "track_command",
        "Print where SATELLITE is in the sky, sample by sample: azimuth, elevation, range and "
        "range rate (and the Doppler shift with --frequency-mhz), for pointing an antenna.",
    ),
    "watch": LazyCommand(
        "passpredict.cli.watch",
        "watch_command",
        "Wait for passes and run CMD before each AOS (--before) and at LOS.",
    ),
}


class LazyGroup(click.Group):
    """A click group whose `lazy` subcommands are imported on first use (module docstring)."""

    lazy: Mapping[str, LazyCommand] = SUBCOMMANDS

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(load_command(self.lazy[cmd_name]), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the subcommands as click does, taking unloaded ones' help from the table."""
        names = self.list_commands(ctx)
        shown = [n for n in names if n not in self.commands or not self.commands[n].hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name in shown)
        rows = []
        for name in shown:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                # a stand-in command shortens the summary exactly as the real one would
                stand_in = click.Command(name, help=self.lazy[name].summary)
                rows.append((name, stand_in.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def load_command(entry: LazyCommand) -> click.Command:
    """Import the module of a subcommand and return the command."""
    command = getattr(importlib.import_module(entry.module), entry.attr)
    if not isinstance(command, click.Command):
        raise TypeError(f"{entry.module}.{entry.attr} is not a click command")
    return command
