"""The value types both entry points parse with: the command line's options
(`passpredict.cli.options`) and the web API's query parameters (`passpredict.web.params`).

They are click parameter types, so that a value is checked by one piece of code whichever
way it comes in, and a bad one gets the same words. Limits they keep:
- an instant lies between `EARLIEST_UTC` and `LATEST_UTC`, the span of the JPL DE421 ephemeris
  shipped by skyfield-data (1899-07-29 to 2053-10-09) less the longest window, so that every
  command can compute the Sun anywhere it looks;
- every other number is finite (`FiniteFloat`): NaN and infinities are usage errors.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import click

from passpredict.inputs.observers import parse_coordinate
from passpredict.records import Observer
from passpredict.timeutil import load_zone, parse_instant

#: The first and last instant a command accepts (see the module docstring).
EARLIEST_UTC = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_UTC = datetime(2051, 1, 1, tzinfo=UTC)
#: The longest window of any command (sun-outages, eclipses), in days: with `LATEST_UTC` it
#: keeps every computed time inside DE421.
LONGEST_WINDOW_DAYS = 800.0
#: The shortest window, in seconds: `timedelta` counts microseconds, so a length above 0 but
#: under one (``--days 1e-320``, ``days=1e-320``) made a window that ends where it starts.
SHORTEST_WINDOW_S = 1e-6


class FiniteFloat(click.FloatRange):
    """A float in an optional range that is never NaN or infinite (click lets those through)."""

    name = "float"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return super().convert(number, param, ctx)


class FilePath(click.Path):
    """A file path as a `Path`, never empty.

    click turns an empty argument (``--tle-file ""``, a shell variable that was not set) into
    ``Path("")``, which is ``Path(".")``, the current directory: the errors that followed spoke
    of a directory the user never named (``.: is a directory``), or were a traceback (``-o ""``
    on the plots). An empty name is refused here, with an example of a good one.
    """

    def __init__(self, example: str, **kwargs: Any) -> None:
        super().__init__(path_type=Path, **kwargs)
        self.example = example

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail(f"the file name is empty; give one, e.g. {self.example}", param, ctx)
        return super().convert(value, param, ctx)


class InstantType(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.4
    """An ISO 8601 date-time with an offset, as an aware UTC datetime."""

    name = "ISO8601"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        span = (
            f"{value} is outside the supported span {EARLIEST_UTC:%Y-%m-%d} to "
            f"{LATEST_UTC:%Y-%m-%d} (that of the JPL DE421 ephemeris passpredict ships)"
        )
        try:
            instant = parse_instant(str(value), "date-time")
        except ValueError as error:
            self.fail(str(error), param, ctx)
        except OverflowError:  # e.g. 9999-12-31T23:00-05:00 is in the year 10000 in UTC
            self.fail(span, param, ctx)
        if not EARLIEST_UTC <= instant < LATEST_UTC:  # compared before converting: no overflow
            self.fail(span, param, ctx)
        return instant.astimezone(UTC)


class ZoneType(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.4
    """An IANA time-zone name."""

    name = "ZONE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tzinfo:
        if isinstance(value, tzinfo):
            return value
        try:
            return load_zone(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class ObserverNumberType(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.4
    """A number for one field of an `Observer`, range-checked by the record itself, so that the
    command line and the library say the same thing. Latitude and longitude take a hemisphere
    letter instead of a sign (``12.05S``, ``77.04W``):
    `passpredict.inputs.observers.parse_coordinate`,
    the one parser of every command."""

    def __init__(self, field: str, metavar: str) -> None:
        self.field = field
        self.name = field
        self.metavar = metavar

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.metavar

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, bool):
            self.fail(f"{self.field} must be a number, got {value!r}", param, ctx)
        try:
            if isinstance(value, int | float):
                number = float(value)
            elif self.field == "latitude_deg":
                number = parse_coordinate(value, "latitude")
            elif self.field == "longitude_deg":
                number = parse_coordinate(value, "longitude")
            else:
                number = float(str(value).strip())
            fields: dict[str, Any] = {"latitude_deg": 0.0, "longitude_deg": 0.0, self.field: number}
            Observer("probe", **fields)
        except ValueError as error:
            message = str(error)
            if message.startswith("could not convert"):
                message = f"{self.field} must be a number, got {value!r}"
            self.fail(message, param, ctx)
        return number


INSTANT = InstantType()
ZONE = ZoneType()
LATITUDE = ObserverNumberType("latitude_deg", "DEG")
LONGITUDE = ObserverNumberType("longitude_deg", "DEG")
ELEVATION = ObserverNumberType("elevation_m", "M")
