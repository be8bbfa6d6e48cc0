"""What `passpredict geo`, `sun-outages` and `eclipses` share: options, the clock, the inputs.

The three geostationary commands take the same observer, window and format options and choose
their element set the same way. Data goes to stdout, warnings to stderr; exit 0 on success (no
outage in the window is a success), 1 on a runtime error, 2 on a usage error (including a
satellite that is not geostationary, for `geo` and `sun-outages`); one-line errors, never a
traceback. Tables are in the observer's time zone (`--tz` / `--utc` override), JSON and CSV in
UTC. Tests may fix the clock with ``obj={"now_utc": ...}``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from passpredict.cli.messages import verbosity_options, warn_stale
from passpredict.cli.options import (
    ALTITUDE_HELP,
    LATITUDE_HELP,
    LONGITUDE_HELP,
    chosen_element_sets,
    length_option,
    strict_option,
    window,
)
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
    INSTANT,
    LATITUDE,
    LONGITUDE,
    ZONE,
    FilePath,
    FiniteFloat,
)
from passpredict.output.tables import observer_zone
from passpredict.products.geo.sun_outages import DEFAULT_DISH_M, DEFAULT_FREQUENCY_GHZ
from passpredict.products.staleness import stale_elements
from passpredict.records import Observer
from tle_cache.elements import ElementSet

if TYPE_CHECKING:
    from passpredict.products.geo.sun_outages import SunOutage

#: Longest window accepted (days).
MAX_WINDOW_DAYS = 800.0
#: Seasons shown by default (the next spring and autumn ones).
DEFAULT_SEASONS = 2


def now_utc(ctx: click.Context) -> datetime:
    """Return the command's one clock reading (tests may fix it via ``obj={"now_utc": ...}``)."""
    obj = ctx.find_root().obj
    fixed = obj.get("now_utc") if isinstance(obj, dict) else None
    return fixed if fixed is not None else datetime.now(UTC)


def load_element_set(
    query: str, tle_file: Path | None, start_utc: datetime, end_utc: datetime | None = None
) -> ElementSet:
    """Return the element set for one SATELLITE argument and window: the one place data is chosen.

    Today that is `passpredict.inputs.sources` (a --tle-file, else the local store seeded from the
    bundled snapshot; the set nearest the window); warnings go to stderr.
    """
    clock_utc = now_utc(click.get_current_context())
    selection = chosen_element_sets([query], tle_file, start_utc, end_utc, clock_utc)
    if not selection.element_sets:
        raise click.BadParameter(f"no element set for {query!r}", param_hint="SATELLITE")
    return selection.element_sets[0]


def watched_geostationary_sets(tle_file: Path | None, when_utc: datetime) -> list[ElementSet]:
    """Return the element sets `geo` points at without a SATELLITE: the geostationary ones of
    the watch list (as `passes` takes the watch list), or of --tle-file, in their order; the
    others (SPOT 7 of the default list) are left out. None: a usage error naming the fix."""
    from passpredict.engine.orbits import OrbitClass, classify

    clock_utc = now_utc(click.get_current_context())
    selection = chosen_element_sets([], tle_file, when_utc, None, clock_utc)
    sets = [es for es in selection.element_sets if classify(es) is OrbitClass.GEOSTATIONARY]
    if not sets:
        where, other = (
            (f"is in {tle_file}", "a --tle-file that holds one")
            if tle_file is not None
            else ("is watched", "watch one ('passpredict tle add NORAD')")
        )
        raise click.UsageError(
            f"no geostationary satellite {where}: give a SATELLITE (a NORAD number or a "
            f"name, e.g. 'passpredict geo 39079'), {other}, or list them all with --arc"
        )
    return sets


def resolve_observer(
    name: str | None, lat: float | None, lon: float | None, alt: float
) -> Observer:
    """Return the observer the options name: --observer, or --lat/--lon, or the default."""
    if name is not None and lat is not None:
        raise click.UsageError("--observer and --lat/--lon exclude each other; give one")
    if (lat is None) != (lon is None):
        raise click.UsageError(
            "--lat and --lon go together; give both, e.g. --lat 40.41 --lon 49.87"
        )
    if lat is not None and lon is not None:
        try:
            return adhoc_observer(lat, lon, alt)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    if name is None:
        return default_observer()
    try:
        known = all_observers(observers_file())
    except ObserverFileError as error:
        raise click.ClickException(str(error)) from None
    try:
        return find_observer(name, known)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--observer'") from None


def table_zone(observer: Observer, zone: tzinfo | None, use_utc: bool) -> tzinfo:
    """Return the zone tables are printed in: --tz, --utc, else the observer's."""
    if zone is not None and use_utc:
        raise click.UsageError("--tz and --utc exclude each other; give one")
    return observer_zone(observer, UTC if use_utc else zone)


def search_window(
    ctx: click.Context, start: datetime | None, days: float | None, end: datetime | None
) -> tuple[datetime, datetime | None]:
    """Return the window start and its end (`None`: the command's default)."""
    return window(
        start if start is not None else now_utc(ctx),
        None if days is None else timedelta(days=days),
        end,
        length_flag="--days",
        max_days=MAX_WINDOW_DAYS,
    )


def warn_if_stale(
    es: ElementSet, start_utc: datetime, end_utc: datetime, start: str = "the window start"
) -> None:
    """Warn about old elements exactly as `passes` does (`passpredict.products.staleness`)."""
    report = stale_elements(es, start_utc, end_utc)
    warn_stale([report] if report is not None else [], start)


def sun_outages_between(
    es: ElementSet, observer: Observer, start_utc: datetime, end_utc: datetime, threshold_deg: float
) -> list[SunOutage]:
    """Return the sun outages of `es` seen by `observer` in the window (`sun-outages`, its plot).

    A satellite that is not geostationary is a usage error on SATELLITE (exit 2), a search that
    fails a runtime error (exit 1); the ephemeris is closed either way.
    """
    from passpredict.engine.ephemeris import load_astronomy
    from passpredict.products.geo.pointing import NotGeostationaryError
    from passpredict.products.geo.sun_outages import find_sun_outages

    astronomy = load_astronomy()
    try:
        return find_sun_outages(es, observer, start_utc, end_utc, astronomy, threshold_deg)
    except NotGeostationaryError as error:
        raise click.BadParameter(str(error), param_hint="SATELLITE") from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()


def format_options(f: Callable[..., Any], extra: tuple[str, ...] = ()) -> Callable[..., Any]:
    """Add --tle-file, --strict, --format, --tz, --utc and the verbosity options."""
    f = verbosity_options(f)
    f = click.option("--utc", "use_utc", is_flag=True, help="Show table times in UTC.")(f)
    f = click.option("--tz", "zone", type=ZONE, help="Show table times in this IANA zone.")(f)
    f = click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json", "csv", *extra]),
        default="table",
        show_default=True,
    )(f)
    return click.option(
        "--tle-file",
        type=FilePath("elements.tle", exists=True, dir_okay=False),
        metavar="PATH",
        help="Read element sets (TLE/3LE, OMM JSON or CSV) from this file instead.",
    )(strict_option(f))


def calendar_format_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The format options plus ``--format ics`` (an iCalendar file)."""
    return format_options(f, ("ics",))


def observer_options(f: Callable[..., Any], many: bool = False) -> Callable[..., Any]:
    """Add --observer (repeatable with `many`), --lat, --lon and --alt."""
    f = click.option("--alt", type=ELEVATION, default=0.0, show_default=True, help=ALTITUDE_HELP)(f)
    f = click.option("--lon", type=LONGITUDE, help=LONGITUDE_HELP)(f)
    f = click.option("--lat", type=LATITUDE, help=LATITUDE_HELP)(f)
    return click.option(
        "--observer",
        "observer_names" if many else "observer_name",
        metavar="NAME",
        multiple=many,
        help="Named observer; see 'passpredict observers list'. Default: Baku."
        + (" Repeat for several." if many else ""),
    )(f)


def observers_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The observer options with a repeatable --observer (`geo`: one row per pair)."""
    return observer_options(f, many=True)


def outage_threshold_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --threshold-deg, --dish-m and --frequency-ghz: how near the Sun may come before a
    dish is blinded (`sun-outages` and `plot sun-outages`; the choice is
    `passpredict.products.geo.sun_outages.outage_threshold`)."""
    f = click.option(
        "--frequency-ghz",
        type=FiniteFloat(0, 100, min_open=True),
        metavar="GHZ",
        help=f"Downlink frequency, for the threshold (default {DEFAULT_FREQUENCY_GHZ:g}).",
    )(f)
    f = click.option(
        "--dish-m",
        type=FiniteFloat(0, 100, min_open=True),
        metavar="M",
        help=f"Dish diameter, for the threshold (default {DEFAULT_DISH_M:g}).",
    )(f)
    return click.option(
        "--threshold-deg",
        type=FiniteFloat(0, 10, min_open=True),
        metavar="DEG",
        help="Outage while the Sun is within this angle of the satellite.",
    )(f)


def window_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --start, --days and --end."""
    f = click.option("--end", type=INSTANT, metavar="ISO8601", help="Window end (or --days).")(f)
    f = length_option("--days", "days", MAX_WINDOW_DAYS)(f)
    return click.option(
        "--start",
        type=INSTANT,
        metavar="ISO8601",
        help="Window start with an offset, e.g. 2026-09-01T00:00Z. Default: now.",
    )(f)
