"""Click parameter types and shared options: validation lives here, not in the commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import click

from passpredict.home import observers_file
from passpredict.observers import (
    ObserverFileError,
    adhoc_observer,
    all_observers,
    default_observer,
    find_observer,
)
from passpredict.records import Observer
from passpredict.timeutil import load_zone, parse_instant


class InstantType(click.ParamType):
    """An ISO 8601 date-time with an offset, as an aware UTC datetime."""

    name = "ISO8601"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, datetime):
            return value
        try:
            return parse_instant(str(value), "date-time")
        except ValueError as error:
            self.fail(str(error), param, ctx)


class ZoneType(click.ParamType):
    """An IANA time-zone name."""

    name = "ZONE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, tzinfo):
            return value
        try:
            return load_zone(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


INSTANT = InstantType()
ZONE = ZoneType()


def resolve_observers(
    names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    zone: tzinfo | None,
) -> list[Observer]:
    """Return the observers named by `--observer`/`--lat`/`--lon`/`--alt`, default Baku.

    Every command that takes observers calls this, so they all accept and refuse the same
    input with the same one-line messages (exit 2 for a bad value, 1 for a broken file).
    """
    if (lat is None) != (lon is None):
        raise click.UsageError(
            "--lat and --lon go together; give both, e.g. --lat 40.41 --lon 49.87"
        )
    chosen: list[Observer] = []
    if names:
        try:
            known = all_observers(observers_file())
        except ObserverFileError as error:
            raise click.ClickException(str(error)) from None
        for name in names:
            try:
                chosen.append(find_observer(name, known))
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint="'--observer'") from None
    if lat is not None and lon is not None:
        try:
            chosen.append(adhoc_observer(lat, lon, alt, getattr(zone, "key", None)))
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    return chosen or [default_observer()]


def observer_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --observer (repeatable), --lat, --lon and --alt; resolve them with
    `resolve_observers(observer_names, lat, lon, alt, zone)`."""
    options = (
        click.option(
            "--observer",
            "observer_names",
            multiple=True,
            metavar="NAME",
            help="Named observer (repeatable); see 'passpredict observers list'. Default: Baku.",
        ),
        click.option("--lat", type=float, metavar="DEG", help="Ad-hoc observer latitude, north +."),
        click.option("--lon", type=float, metavar="DEG", help="Ad-hoc observer longitude, east +."),
        click.option(
            "--alt",
            type=float,
            default=0.0,
            show_default=True,
            metavar="M",
            help="Ad-hoc observer height above the WGS84 ellipsoid, metres.",
        ),
    )
    for option in reversed(options):
        function = option(function)
    return function


def tle_file_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --tle-file PATH (TLE/3LE, OMM JSON or CSV instead of the element store)."""
    return click.option(
        "--tle-file",
        type=click.Path(path_type=Path),
        metavar="PATH",
        help="Read element sets (TLE/3LE, OMM JSON or OMM CSV) from this file instead.",
    )(function)


def zone_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --tz ZONE and --utc (parameters `zone` and `use_utc`) for table times."""
    function = click.option(
        "--utc", "use_utc", is_flag=True, help="Show times in UTC (table output)."
    )(function)
    return click.option(
        "--tz", "zone", type=ZONE, help="Show times in this IANA zone (table output)."
    )(function)
