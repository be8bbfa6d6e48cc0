"""`passpredict plot sun-outages` and `plot eclipses`: a geostationary satellite's seasons.

The same outages and eclipses as `passpredict sun-outages` and `eclipses`
(`passpredict.products.geo`), drawn by `passpredict.output.plots.sun_outages` and
`passpredict.output.plots.eclipses`: a panel per season, a bar per day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import click

from passpredict.cli.geo_options import outage_threshold_options
from passpredict.cli.messages import verbosity_options, warn_stale
from passpredict.cli.options import (
    length_option,
    observer_options,
    resolve_observers,
    tle_file_option,
)
from passpredict.cli.plot_options import (
    DEFAULT_GEO_SEASONS,
    MAX_GEO_PLOT_DAYS,
    OUTPUT_OPTION,
    check_output,
    draw,
    element_sets_for,
)
from passpredict.engine.ephemeris import load_astronomy
from passpredict.inputs.param_types import INSTANT, ZONE
from passpredict.products.staleness import stale_elements
from passpredict.records import Observer


def geo_window(
    start: datetime | None, days: float | None, default_days: float
) -> tuple[datetime, datetime, float | None]:
    start_utc = start if start is not None else datetime.now(UTC)
    return start_utc, start_utc + timedelta(days=default_days if days is None else days), days


def _one_observer(observers: list[Observer]) -> Observer:
    if len(observers) > 1:
        raise click.UsageError(
            "a sun-outage picture is for one observer; give one --observer or --lat/--lon"
        )
    return observers[0]


@click.command("sun-outages")
@click.argument("satellite")
@observer_options
@click.option(
    "--start",
    type=INSTANT,
    metavar="ISO8601",
    help="Window start with an offset, e.g. 2026-09-01T00:00Z. Default: now.",
)
@length_option("--days", "days", MAX_GEO_PLOT_DAYS)
@outage_threshold_options
@tle_file_option
@click.option("--tz", "zone", type=ZONE, help="Show times in this IANA zone.")
@OUTPUT_OPTION
@verbosity_options
def sun_outages_plot_command(
    satellite: str,
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    days: float | None,
    threshold_deg: float | None,
    dish_m: float | None,
    frequency_ghz: float | None,
    tle_file: Path | None,
    zone: tzinfo | None,
    output: Path,
) -> None:
    """Draw the sun outages of a geostationary SATELLITE: a panel per season, a bar per day.

    Same outages as 'passpredict sun-outages' (threshold from --threshold-deg, or a --dish-m
    dish at --frequency-ghz; default a 1.2 m dish at 11.7 GHz). Default window: the next two
    seasons. Times are the observer's local time (--tz to choose another zone).
    """
    from passpredict.cli.geo_options import sun_outages_between
    from passpredict.output.plots import sun_outage_calendar
    from passpredict.products.geo.sun_outages import (
        DEFAULT_SEARCH_DAYS,
        group_seasons,
        outage_threshold,
    )

    file_format = check_output(output)
    try:
        threshold = outage_threshold(threshold_deg, dish_m, frequency_ghz).threshold_deg
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    observer = _one_observer(resolve_observers(observer_names, lat, lon, alt, zone))
    start_utc, end_utc, days = geo_window(start, days, DEFAULT_SEARCH_DAYS)
    (element_set,) = element_sets_for((satellite,), tle_file, start_utc, end_utc)
    outages = sun_outages_between(element_set, observer, start_utc, end_utc, threshold)
    if days is None:  # the next two seasons, as 'passpredict sun-outages' shows them
        seasons = group_seasons(outages, observer.latitude_deg)[:DEFAULT_GEO_SEASONS]
        outages = [o for s in seasons for o in s.outages]
        end_utc = max((o.end_utc for o in outages), default=end_utc)
    stale = stale_elements(element_set, start_utc, end_utc)
    warn_stale([stale] if stale else [])
    draw(
        lambda: sun_outage_calendar(outages, observers=[observer], zone=zone),
        output,
        file_format,
        f"{element_set.name}, {len(outages)} outage days",
    )


@click.command("eclipses")
@click.argument("satellite")
@click.option(
    "--start",
    type=INSTANT,
    metavar="ISO8601",
    help="Window start with an offset, e.g. 2026-08-01T00:00Z. Default: now.",
)
@length_option("--days", "days", MAX_GEO_PLOT_DAYS)
@tle_file_option
@click.option("--tz", "zone", type=ZONE, help="Show times in this IANA zone (default: UTC).")
@OUTPUT_OPTION
@verbosity_options
def eclipses_plot_command(
    satellite: str,
    start: datetime | None,
    days: float | None,
    tle_file: Path | None,
    zone: tzinfo | None,
    output: Path,
) -> None:
    """Draw the eclipse seasons of a geostationary SATELLITE: a panel per season, a bar a night.

    Each bar is one passage through the Earth's shadow (pale: penumbra, dark: umbra) on a
    noon-to-noon time axis. Same eclipses as 'passpredict eclipses'; default window: the next
    two seasons. Times in UTC unless --tz.
    """
    from passpredict.engine.orbits import OrbitClass, classify
    from passpredict.output.plots.eclipses import eclipse_season_chart
    from passpredict.products.geo.eclipses import DEFAULT_GEO_SEARCH_DAYS, find_eclipses
    from passpredict.products.geo.eclipses import group_seasons as eclipse_seasons

    file_format = check_output(output)
    start_utc, end_utc, days = geo_window(start, days, DEFAULT_GEO_SEARCH_DAYS)
    (element_set,) = element_sets_for((satellite,), tle_file, start_utc, end_utc)
    if classify(element_set) is not OrbitClass.GEOSTATIONARY:
        raise click.BadParameter(
            f"{element_set.name} (NORAD {element_set.norad_id}) is not geostationary: it has no "
            "eclipse seasons to draw; 'passpredict eclipses' lists its eclipses",
            param_hint="SATELLITE",
        )
    astronomy = load_astronomy()
    try:
        eclipses = find_eclipses(element_set, start_utc, end_utc, astronomy)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    if days is None:
        seasons = eclipse_seasons(eclipses)[:DEFAULT_GEO_SEASONS]
        eclipses = [e for s in seasons for e in s.eclipses]
        end_utc = max((e.penumbra_exit_utc for e in eclipses), default=end_utc)
    stale = stale_elements(element_set, start_utc, end_utc)
    warn_stale([stale] if stale else [])
    draw(
        lambda: eclipse_season_chart(eclipses, zone=zone),
        output,
        file_format,
        f"{element_set.name}, {len(eclipses)} eclipses",
    )
