"""`passpredict observers`: list, add and remove the named places passes are predicted for.

Data goes to stdout, messages to stderr. Exit status 1 is a runtime problem (the user's
observers file is broken or cannot be written), 2 a usage problem (a bad latitude, an unknown
or taken name). Library errors become click exceptions here, at one boundary, so the user
never sees a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from passpredict import home
from passpredict.cli.options import ALTITUDE_HELP
from passpredict.inputs import observers as obs
from passpredict.inputs.param_types import ELEVATION, LATITUDE, LONGITUDE, FilePath
from passpredict.inputs.zones import zone_at
from passpredict.output.grid import Column, Grid, print_lines
from passpredict.output.terminal import output_width, table_console
from passpredict.products.horizon import read_mask_file
from passpredict.records import Observer

T = TypeVar("T")


class TimezoneType(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.4
    """An IANA time zone name such as ``Asia/Baku``, checked against the zone database."""

    name = "timezone"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "ZONE"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        try:
            return obs.validate_timezone(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


TIMEZONE = TimezoneType()


def _call(function: Callable[..., T], *args: object) -> T:
    """Run a library call, turning its errors into click's: file trouble exits 1, bad input 2."""
    try:
        return function(*args)
    except obs.ObserverFileError as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@click.group("observers")
def observers_group() -> None:
    """List, add and remove the places passes are predicted for.

    Four places are built in (Baku is the default); your own are kept in observers.toml in
    the passpredict home directory (set PASSPREDICT_HOME to move it).
    """


@observers_group.command("list")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)
def list_command(output_format: str) -> None:
    """Show the built-in and your own observers."""
    path = home.observers_file()
    observers = _call(obs.all_observers, path)
    builtins = obs.builtin_observers()
    if output_format == "json":
        rows = [_as_json(o, o in builtins) for o in observers]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    # the width every table fits (COLUMNS, the terminal, else none: a pipe is never cut)
    width = output_width(sys.stdout)
    print_lines(table_console(sys.stdout, width), _table(observers, builtins).render(width))
    click.echo(f"Your observers are kept in {path}", err=True)


@observers_group.command("add")
@click.argument("name")
@click.option(
    "--lat",
    "latitude_deg",
    type=LATITUDE,
    required=True,
    help="Latitude, degrees: north positive, or with N/S (12.05S).",
)
@click.option(
    "--lon",
    "longitude_deg",
    type=LONGITUDE,
    required=True,
    help="Longitude, degrees: east positive, or with E/W (77.04W).",
)
@click.option(
    "--alt", "elevation_m", type=ELEVATION, default=0.0, show_default=True, help=ALTITUDE_HELP
)
@click.option(
    "--tz",
    "timezone",
    type=TIMEZONE,
    default=None,
    help="IANA time zone for displayed times, e.g. Asia/Baku.  [default: the zone of that place]",
)
@click.option(
    "--horizon",
    "horizon_file",
    type=FilePath("skyline.txt", dir_okay=False),
    help="Horizon mask: a file of 'az_deg el_deg' lines (azimuths increasing, 0-360; "
    "elevations -5..90). Passes then rise and set where the satellite clears it.",
)
def add_command(
    name: str,
    latitude_deg: float,
    longitude_deg: float,
    elevation_m: float,
    timezone: str | None,
    horizon_file: Path | None,
) -> None:
    """Save a place under NAME.

    Latitude and longitude are WGS84 decimal degrees, signed (north and east positive) or
    with a hemisphere letter, as everywhere in passpredict; --alt is the height above the
    WGS84 ellipsoid, as for --alt on every command. For example:

    \b
        passpredict observers add "My Roof" --lat 40.39 --lon 49.85 --alt 30 --tz Asia/Baku
        passpredict observers add Lima --lat 12.05S --lon 77.04W
        passpredict observers add Roof --lat 40.39 --lon 49.85 --horizon skyline.txt

    Without --tz the place gets the IANA zone of its coordinates (looked up offline; UTC
    where none is known, e.g. on the polar ice): Lima gets America/Lima. With --horizon, rise
    and set are where the satellite clears the skyline (or --min-elevation, whichever is
    higher); a pass that ducks behind an obstacle is split in two.
    """
    path = home.observers_file()
    horizon = None
    if horizon_file is not None:
        horizon = _call(read_mask_file, horizon_file).points()
    looked_up = False
    if timezone is None:
        timezone = _call(zone_at, latitude_deg, longitude_deg)
        looked_up = timezone is not None
    observer = _call(
        obs.make_observer, name, latitude_deg, longitude_deg, elevation_m, timezone, horizon
    )
    target = home.observers_config_file()
    _call(obs.add_user_observer, target, observer, path)
    _say_moved(path, target)
    how = " (time zone of that place; give --tz to choose another)" if looked_up else ""
    click.echo(f"Added {_describe(observer)} to {target}{how}", err=True)


@observers_group.command("remove")
@click.argument("name")
def remove_command(name: str) -> None:
    """Delete your observer NAME (built-in observers cannot be removed)."""
    path = home.observers_file()
    target = home.observers_config_file()
    _call(obs.remove_user_observer, target, name, path)
    _say_moved(path, target)
    click.echo(f"Removed {name.strip()!r} from {target}", err=True)


def _say_moved(read_from: Path, target: Path) -> None:
    """One line on stderr when a write moved the file from its old location (once: the old
    file is gone afterwards)."""
    if read_from != target:
        click.echo(
            f"Moved your observers from {read_from} to {target} (the config directory)",
            err=True,
        )


def _as_json(observer: Observer, builtin: bool) -> dict[str, object]:
    """The observer's JSON; `horizon_deg` ([azimuth, elevation] pairs) only if it has one."""
    row: dict[str, object] = {
        "name": observer.name,
        "latitude_deg": observer.latitude_deg,
        "longitude_deg": observer.longitude_deg,
        "elevation_m": observer.elevation_m,
        "timezone": observer.timezone,
        "builtin": builtin,
    }
    if observer.horizon:
        row["horizon_deg"] = [list(p) for p in observer.horizon]
    return row


def _table(observers: list[Observer], builtins: list[Observer]) -> Grid:
    """Lay the observers out as a table; in a narrow terminal long names are cut and the
    columns of least priority fold under the row (`passpredict.output.grid`'s rule)."""
    table = Grid(
        [
            Column("Name", shrink=True),
            Column("Lat °N", "right", priority=2),
            Column("Lon °E", "right", priority=2),
            Column("Elev m", "right", priority=1),
            Column("Time zone", priority=1),
            Column("Kind"),
        ]
    )
    default = obs.default_observer()
    for o in observers:
        kind = "default" if o == default else "built-in" if o in builtins else "yours"
        table.add_row(
            o.name,
            f"{o.latitude_deg:z.4f}",
            f"{o.longitude_deg:z.4f}",
            f"{o.elevation_m:z.0f}",
            o.timezone or "UTC",
            kind,
        )
    return table


def _describe(observer: Observer) -> str:
    where = obs.coordinates_name(observer.latitude_deg, observer.longitude_deg)
    zone = observer.timezone or "UTC"
    return f"{observer.name!r} ({where}, {observer.elevation_m:zg} m, {zone})"
