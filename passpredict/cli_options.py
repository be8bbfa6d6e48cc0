"""Click parameter types and shared options: validation lives here, not in the commands."""

from __future__ import annotations

from datetime import datetime, tzinfo
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
