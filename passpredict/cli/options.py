"""Click parameter types and shared options: validation lives here, not in the commands.

Limits every command shares, checked while parsing, before any date arithmetic:
- an instant (`--start`, `--end`, `--at`) lies between `EARLIEST_UTC` and `LATEST_UTC`
  (`passpredict.inputs.param_types`: the value types the web API parses with too);
- a length (`--days`, `--minutes`, `--hours`) is finite, positive and at most the command's
  longest window, so `start + length` can never overflow;
- every other number is finite (`FiniteFloat`): NaN and infinities are usage errors (exit 2).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from passpredict.home import observers_file
from passpredict.inputs.observers import (
    ObserverFileError,
    adhoc_observer,
    all_observers,
    default_observer,
    find_observer,
)
from passpredict.inputs.param_types import (
    ELEVATION,
    LATITUDE,
    LONGITUDE,
    SHORTEST_WINDOW_S,
    ZONE,
    FilePath,
    FiniteFloat,
)
from passpredict.records import Observer

if TYPE_CHECKING:
    from passpredict.inputs.sources import Selection


#: What `--lat`, `--lon` and `--alt` mean, the same words in every help text.
LATITUDE_HELP = "Ad-hoc observer latitude, degrees: north positive, or with N/S (12.05S)."
LONGITUDE_HELP = "Ad-hoc observer longitude, degrees: east positive, or with E/W (77.04W)."
ALTITUDE_HELP = (
    "Height in metres above the WGS84 ellipsoid (a GPS height; a height above sea level "
    "differs by the geoid, at most about 100 m, which moves a rise or set by under a second)."
)


#: Seconds in each unit a window length is given in.
SECONDS_PER_UNIT = {"days": 86400.0, "hours": 3600.0, "minutes": 60.0}


class LengthType(FiniteFloat):
    """A window length: finite, at least a microsecond, at most the command's longest window."""

    def __init__(self, unit: str, max_value: float) -> None:
        super().__init__(min=0, max=max_value, min_open=True)
        self.unit = unit
        self.max_value = max_value  # click types FloatRange.max as optional

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if not 0 < number <= self.max_value:
            self.fail(
                f"a window is more than 0 and at most {self.max_value:g} {self.unit} here, got "
                f"{number:g}; split a longer one into several runs",
                param,
                ctx,
            )
        if number * SECONDS_PER_UNIT[self.unit] < SHORTEST_WINDOW_S:
            self.fail(
                f"a window is at least a microsecond long, got {number:g} {self.unit}; "
                "give a longer one",
                param,
                ctx,
            )
        return number


def length_option(
    name: str, unit: str, max_value: float, default_text: str | None = None, **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add a window-length option (`--days`, `--minutes`, `--hours`): finite, positive, and at
    most `max_value` of `unit`, refused while parsing (exit 2), before any date arithmetic."""
    default = f" (default {default_text})" if default_text else ""
    return click.option(
        name,
        type=LengthType(unit, max_value),
        metavar="N",
        help=f"Window length in {unit}{default}.",
        **kwargs,
    )


def window(
    start_utc: datetime,
    length: timedelta | None,
    end_utc: datetime | None,
    *,
    length_flag: str,
    max_days: float,
) -> tuple[datetime, datetime | None]:
    """Return (start, end) of a window from --start and --days/--minutes/--hours or --end.

    `length` comes from a `length_option` (already bounded), so the sum cannot overflow. The
    end is None when neither is given (the command's default applies). Refuses an end before
    the start or a window longer than `max_days` with a usage error naming both options.
    """
    if length is not None and end_utc is not None:
        raise click.UsageError(f"{length_flag} and --end exclude each other; give one")
    end = start_utc + length if length is not None else end_utc
    if end is None:
        return start_utc, None
    if end <= start_utc:
        raise click.UsageError(
            f"the window end {end.isoformat()} is not after its start {start_utc.isoformat()}; "
            f"give a later --end or a longer {length_flag}"
        )
    if end - start_utc > timedelta(days=max_days):
        raise click.UsageError(
            f"the window is longer than {max_days:g} days; split it into shorter runs"
        )
    return start_utc, end


def unique_observers(observers: Sequence[Observer]) -> list[Observer]:
    """Drop repeated observers (same name and coordinates), keeping the first of each.

    `--observer Baku --observer baku` is one place: predicting it twice would print every
    pass twice. Two entries with the same coordinates but different names are kept (a user may
    name a place on purpose).
    """
    seen: set[tuple[str, float, float, float]] = set()
    kept: list[Observer] = []
    for observer in observers:
        key = (observer.name, observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
        if key not in seen:
            seen.add(key)
            kept.append(observer)
    return kept


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
    return unique_observers(chosen) or [default_observer()]


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
        click.option("--lat", type=LATITUDE, help=LATITUDE_HELP),
        click.option("--lon", type=LONGITUDE, help=LONGITUDE_HELP),
        click.option(
            "--alt",
            type=ELEVATION,
            default=0.0,
            show_default=True,
            help=ALTITUDE_HELP,
        ),
    )
    for option in reversed(options):
        function = option(function)
    return function


def tle_file_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --tle-file PATH (TLE/3LE, OMM JSON or CSV instead of the element store) and --strict."""
    return click.option(
        "--tle-file",
        type=FilePath("elements.tle", exists=True, dir_okay=False),
        metavar="PATH",
        help="Read element sets (TLE/3LE, OMM JSON or OMM CSV) from this file instead.",
    )(strict_option(function))


_STRICT_KEY = "passpredict.strict_elements"


def _remember_strict(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[_STRICT_KEY] = value
    return value


def strict_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --strict; it travels in the click context (read it with `strict_elements`)."""
    return click.option(
        "--strict",
        is_flag=True,
        expose_value=False,
        callback=_remember_strict,
        help="Refuse a --tle-file with any bad record (default: skip it with a warning).",
    )(function)


def strict_elements() -> bool:
    """Return whether the running command was given --strict (see `strict_option`)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_STRICT_KEY))


def chosen_element_sets(
    satellites: Sequence[str],
    tle_file: Path | None,
    start_utc: datetime,
    end_utc: datetime | None,
    now_utc: datetime,
    report_warnings: bool = True,
) -> Selection:
    """Return the element sets for SATELLITE arguments and a window, its errors as click errors.

    The one place the commands call `passpredict.inputs.sources` with --tle-file and --strict: a
    bad file or store is a runtime error (exit 1), a bad SATELLITE a usage error (exit 2); the
    selection's warnings go to stderr unless `report_warnings` is false. Imported on call, so a
    command's --help loads no element-set code.
    """
    from passpredict.cli.messages import warn
    from passpredict.home import home_dir
    from passpredict.inputs.sources import ElementSourceError, select_element_sets
    from tle_cache.parse import ElementParseError

    try:
        selection = select_element_sets(
            satellites,
            tle_file,
            home_dir(),
            start_utc=start_utc,
            end_utc=end_utc,
            strict=strict_elements(),
            now_utc=now_utc,
        )
    except (ElementParseError, ElementSourceError) as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="SATELLITE") from None
    if report_warnings:
        for warning in selection.warnings:
            warn(warning)
    return selection


def zone_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --tz ZONE and --utc (parameters `zone` and `use_utc`) for table times."""
    function = click.option(
        "--utc", "use_utc", is_flag=True, help="Show times in UTC (table output)."
    )(function)
    return click.option(
        "--tz", "zone", type=ZONE, help="Show times in this IANA zone (table output)."
    )(function)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> timedelta:
    """Parse ``90``, ``90s``, ``5m``, ``2h``, ``1d`` (no unit: seconds)."""
    match = _DURATION.match(str(text))
    seconds = float(match.group(1)) * _UNITS[match.group(2)] if match else math.inf
    if seconds > 7 * 86400:  # the limit on the duration itself, not on its number (was: 9d passed)
        raise ValueError(f"{text!r} is not a duration; give e.g. 30s, 5m or 1h (at most 7d)")
    return timedelta(seconds=seconds)


def duration_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> timedelta | None:
    """Click callback: a `parse_duration` text as a timedelta (None stays None)."""
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def magnetic_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--magnetic`: compass bearings beside the true azimuths (`passpredict.cli.magnetic`)."""
    return click.option(
        "--magnetic",
        is_flag=True,
        help="Also give compass (magnetic) azimuths, from the World Magnetic Model (WMM2025).",
    )(function)
