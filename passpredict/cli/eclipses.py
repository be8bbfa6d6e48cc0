"""`passpredict eclipses`: when a satellite passes through Earth's shadow.

Parsing and printing only: the eclipses are `passpredict.products.geo.eclipses`, the JSON and
CSV `passpredict.output.geo_json`, the table `passpredict.output.geo_text`. Conventions as in
`passpredict.cli.geo_options`.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import click

from passpredict.cli.geo_options import (
    DEFAULT_SEASONS,
    format_options,
    load_element_set,
    search_window,
    table_zone,
    warn_if_stale,
    window_options,
)
from passpredict.cli.messages import warn
from passpredict.engine.ephemeris import load_astronomy
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.stationkeeping import window_held
from passpredict.inputs.observers import default_observer
from passpredict.output.emit import Output, emit
from passpredict.output.geo_json import eclipse_document, eclipse_rows
from passpredict.output.geo_text import print_eclipses
from passpredict.products.geo.eclipses import (
    DEFAULT_GEO_SEARCH_DAYS,
    DEFAULT_SEARCH_DAYS,
    find_eclipses,
    group_seasons,
)


@click.command("eclipses")
@click.argument("satellite")
@window_options
@click.option(
    "--summary", is_flag=True, help="Geostationary: show only the season summaries (table)."
)
@format_options
@click.pass_context
def eclipses_command(
    ctx: click.Context,
    satellite: str,
    start: datetime | None,
    days: float | None,
    end: datetime | None,
    summary: bool,
    tle_file: Path | None,
    output_format: str,
    zone: tzinfo | None,
    use_utc: bool,
) -> None:
    """When SATELLITE passes through Earth's shadow.

    Each eclipse's penumbra (partial shadow) and umbra (full shadow) entry and exit. For a
    geostationary satellite, also the eclipse seasons (first day, last day, longest eclipse);
    default window: its next two seasons. Other orbits: one eclipse per orbit; default window
    one day. Tables are in Baku time unless --tz or --utc is given.
    """
    zone_shown = table_zone(default_observer(), zone, use_utc)
    start_utc, end_utc = search_window(ctx, start, days, end)
    es = load_element_set(satellite, tle_file, start_utc, end_utc)
    geostationary = classify(es) is OrbitClass.GEOSTATIONARY
    if summary and not geostationary:  # seasons are a geostationary satellite's; say so
        warn(
            f"--summary shows a geostationary satellite's eclipse seasons; {es.name} "
            f"({es.norad_id}) is not geostationary (one eclipse per orbit): every eclipse "
            "is listed; drop --summary"
        )
    default_days = DEFAULT_GEO_SEARCH_DAYS if geostationary else DEFAULT_SEARCH_DAYS
    search_end = end_utc or start_utc + timedelta(days=default_days)
    astronomy = load_astronomy()
    try:
        eclipses = find_eclipses(es, start_utc, search_end, astronomy)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    seasons = group_seasons(eclipses) if geostationary else []
    searched_end = search_end  # the cuts of the seasons are judged against it
    if geostationary and end_utc is None:
        seasons = seasons[:DEFAULT_SEASONS]
        eclipses = [e for s in seasons for e in s.eclipses]
        search_end = seasons[-1].last.penumbra_exit_utc if seasons else search_end
    station_kept = window_held(es, start_utc, search_end)
    warn_if_stale(es, start_utc, search_end)

    def document() -> dict[str, Any]:
        shown = seasons if geostationary else None
        return eclipse_document(
            es, start_utc, search_end, station_kept, shown, eclipses, searched_end
        )

    def table() -> None:
        print_eclipses(
            es, eclipses, seasons, summary, zone_shown, start_utc, search_end, searched_end
        )

    def rows() -> tuple[list[dict[str, Any]], list[str]]:
        shown = seasons if geostationary else None
        return eclipse_rows(eclipses, shown, start_utc, searched_end)

    emit(sys.stdout, output_format, Output(document, rows, table))
