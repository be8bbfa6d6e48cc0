"""`passpredict sun-outages`: when the Sun passes behind a geostationary satellite.

Parsing and printing only: the outages are `passpredict.products.geo.sun_outages`, the JSON
and CSV `passpredict.output.geo_json`, the table `passpredict.output.geo_text`, the calendar
`passpredict.output.outage_ical`. Conventions as in `passpredict.cli.geo_options`.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import click

from passpredict.cli.geo_options import (
    DEFAULT_SEASONS,
    calendar_format_options,
    load_element_set,
    now_utc,
    observer_options,
    outage_threshold_options,
    resolve_observer,
    search_window,
    sun_outages_between,
    table_zone,
    warn_if_stale,
    window_options,
)
from passpredict.engine.stationkeeping import window_held
from passpredict.output.emit import CsvRows, Output, emit
from passpredict.output.geo_json import outage_document, outage_rows
from passpredict.output.geo_text import print_outages
from passpredict.products.geo.sun_outages import (
    DEFAULT_SEARCH_DAYS,
    group_seasons,
    outage_threshold,
)


@click.command("sun-outages")
@click.argument("satellite")
@observer_options
@window_options
@outage_threshold_options
@calendar_format_options
@click.pass_context
def sun_outages_command(
    ctx: click.Context,
    satellite: str,
    observer_name: str | None,
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    days: float | None,
    end: datetime | None,
    threshold_deg: float | None,
    dish_m: float | None,
    frequency_ghz: float | None,
    tle_file: Path | None,
    output_format: str,
    zone: tzinfo | None,
    use_utc: bool,
) -> None:
    """When the Sun passes behind a geostationary SATELLITE and blinds the dish.

    For each day of each outage season: start, peak (closest approach) and end, and the least
    Sun-satellite separation. The threshold is --threshold-deg, or half the half-power
    beamwidth (70 λ/D) of a --dish-m dish at --frequency-ghz plus the Sun's radius (default: a
    1.2 m dish at 11.7 GHz, 1.01°). Default window: the next two seasons (spring and autumn).
    `--format ics` writes an iCalendar file, one event per day, whose UIDs stay the same when
    fresher elements move an outage by seconds (re-importing updates, not duplicates).
    """
    observer = resolve_observer(observer_name, lat, lon, alt)
    zone_shown = table_zone(observer, zone, use_utc)
    start_utc, end_utc = search_window(ctx, start, days, end)
    try:
        threshold = outage_threshold(threshold_deg, dish_m, frequency_ghz)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    search_end = end_utc or start_utc + timedelta(days=DEFAULT_SEARCH_DAYS)
    es = load_element_set(satellite, tle_file, start_utc, search_end)
    outages = sun_outages_between(es, observer, start_utc, search_end, threshold.threshold_deg)
    seasons = group_seasons(outages, observer.latitude_deg)
    searched_end = search_end  # the cuts of the seasons are judged against it
    if end_utc is None:
        seasons = seasons[:DEFAULT_SEASONS]
        search_end = seasons[-1].last.end_utc if seasons else search_end
    station_kept = window_held(es, start_utc, search_end)
    warn_if_stale(es, start_utc, search_end)

    def document() -> dict[str, Any]:
        return outage_document(
            es, observer, start_utc, search_end, threshold, station_kept, seasons, searched_end
        )

    def rows() -> CsvRows:
        return outage_rows(seasons, start_utc, searched_end)

    def table() -> None:
        print_outages(
            es, observer, seasons, threshold, zone_shown, start_utc, search_end, searched_end
        )

    def ics() -> str:
        from passpredict.output.outage_ical import outages_to_ics

        outages = [o for s in seasons for o in s.outages]
        return outages_to_ics(outages, [observer], now_utc(ctx), {es.norad_id: es.epoch_utc})

    emit(sys.stdout, output_format, Output(document, rows, table, ics=ics))
