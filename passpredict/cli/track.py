"""`passpredict track`: look angles, range rate and Doppler over time, for antenna rotators.

Parsing and printing only; the computation is `passpredict.products.track`. Same conventions as
`passes`: satellites by name or NORAD number, observers by name or --lat/--lon, --start
defaulting to now (read once, here), data on stdout, warnings on stderr.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import click

from passpredict.cli.messages import verbosity_options, warn, warn_stale
from passpredict.cli.options import (
    chosen_element_sets,
    length_option,
    magnetic_option,
    observer_options,
    resolve_observers,
    tle_file_option,
    window,
    zone_options,
)
from passpredict.cli.station import (
    LIVE_OPTIONS,
    next_pass_window,
    refuse_unused_station_options,
    run_station,
    station_options,
)
from passpredict.engine.ephemeris import load_timescale
from passpredict.inputs.param_types import INSTANT, FiniteFloat
from passpredict.output.emit import Output, emit
from passpredict.output.formats import tracks_csv_rows, tracks_document
from passpredict.output.tables import render_tracks
from passpredict.output.terminal import make_console, output_width
from passpredict.products.staleness import REFRESH_HINT, stale_elements
from passpredict.products.track import track

#: Longest track (minutes): 400 days, the longest `passes` window.
MAX_TRACK_MINUTES = 400 * 24 * 60.0
#: Highest --frequency-mhz (1 THz), as for `passes`.
MAX_FREQUENCY_MHZ = 1e6


@click.command("track")
@click.argument("satellite", metavar="SATELLITE")
@observer_options
@click.option(
    "--start",
    type=INSTANT,
    metavar="ISO8601",
    help="First sample, with an offset, e.g. 2026-11-25T18:00+04:00. Default: now.",
)
@click.option("--end", type=INSTANT, metavar="ISO8601", help="Last sample (or --minutes).")
@length_option("--minutes", "minutes", MAX_TRACK_MINUTES, "60")
@click.option(
    "--step",
    "step_s",
    type=FiniteFloat(min=0.01, max=86400.0),
    default=10.0,
    show_default=True,
    metavar="S",
    help="Seconds between samples.",
)
@click.option(
    "--min-elevation",
    "min_elevation_deg",
    type=FiniteFloat(-90, 90),
    metavar="DEG",
    help="Print only samples at or above this elevation (default: every sample).",
)
@click.option(
    "--frequency-mhz",
    type=FiniteFloat(min=0, max=MAX_FREQUENCY_MHZ, min_open=True),
    metavar="F",
    help="Downlink frequency: adds the Doppler shift of each sample.",
)
@tle_file_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@zone_options
@magnetic_option
@station_options
@verbosity_options
def track_command(
    satellite: str,
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    end: datetime | None,
    minutes: float | None,
    step_s: float,
    min_elevation_deg: float | None,
    frequency_mhz: float | None,
    tle_file: Path | None,
    output_format: str,
    zone: tzinfo | None,
    use_utc: bool,
    magnetic: bool,
    **station: Any,
) -> None:
    """Print where SATELLITE is in the sky, sample by sample: azimuth, elevation, range and
    range rate (and the Doppler shift with --frequency-mhz), for pointing an antenna.

    Range rate is negative while the satellite approaches; the Doppler shift is that of a
    signal sent by the satellite (pre-correct an uplink by the opposite amount). Elevations
    are geometric (no refraction).

    Driving a station (see README, Ground station): --rotctld and --rigctld run a live loop
    (pre-position, track with flip and cable-wrap planning, Doppler, park) for --passes N or
    until Ctrl-C; --plan prints how each pass will be flown; --dry-run prints the commands
    instead of sending them; --speed N runs on a simulated clock from --start.

    --magnetic adds the compass bearing of each sample (WMM2025): an observer in the model's
    blackout zone is a usage error; times outside its dates get the true azimuth only.
    """
    if zone is not None and use_utc:
        raise click.UsageError("--tz and --utc exclude each other; give one")
    start_utc, end_utc = window(
        start if start is not None else datetime.now(UTC),
        None if minutes is None else timedelta(minutes=minutes),
        end,
        length_flag="--minutes",
        max_days=MAX_TRACK_MINUTES / 1440.0,
    )
    explicit_end = end_utc
    end_utc = end_utc or start_utc + timedelta(minutes=60.0)
    observers = resolve_observers(observer_names, lat, lon, alt, zone)
    live = any(station[name] for name in LIVE_OPTIONS)
    refuse_unused_station_options(click.get_current_context(), station)
    selection = chosen_element_sets([satellite], tle_file, start_utc, end_utc, datetime.now(UTC))
    (element_set,) = selection.element_sets
    stale = stale_elements(element_set, start_utc, end_utc)
    warn_stale([stale] if stale else [])
    if live:
        if len(observers) != 1:
            raise click.UsageError("a station has one observer; give one --observer")
        run_station(
            element_set,
            observers[0],
            start,
            explicit_end,
            min_elevation_deg,
            output_format,
            station,
        )
        return
    if station["next_pass"]:
        start_utc, end_utc = next_pass_window(
            element_set, observers[0], start_utc, min_elevation_deg or 0.0
        )
    try:
        tracks = track(
            element_set, observers, start_utc, end_utc, step_s, timescale=load_timescale()
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if not tracks[0].ok.any():
        raise click.ClickException(
            f"SGP4 cannot propagate the elements of {element_set.name} ({element_set.norad_id}) "
            f"to these times (decayed or unusable); {REFRESH_HINT}"
        )
    if magnetic:
        tracks = _with_declinations(tracks, start_utc, end_utc)
    frequency_hz = None if frequency_mhz is None else frequency_mhz * 1e6
    table_zone = UTC if use_utc else zone

    def table() -> None:
        # the width of every human table: the terminal's (or COLUMNS), none for a pipe
        console = make_console(sys.stdout, output_width(sys.stdout))
        render_tracks(tracks, console, table_zone, frequency_hz, min_elevation_deg)

    output = Output(
        json=lambda: tracks_document(
            tracks, element_set.epoch_utc, frequency_hz, min_elevation_deg
        ),
        csv=lambda: tracks_csv_rows(tracks, frequency_hz, min_elevation_deg),
        table=table,
        ensure_ascii=False,
    )
    emit(sys.stdout, output_format, output)


def _with_declinations(tracks: list[Any], start_utc: datetime, end_utc: datetime) -> list[Any]:
    """The tracks with the declination at each sample (`passpredict.cli.magnetic`'s policy)."""
    from passpredict.cli.magnetic import magnetic_policy

    policy = magnetic_policy([t.observer for t in tracks], start_utc, end_utc, required=True)
    for problem in policy.problems:
        warn(problem)
    out = []
    for t in tracks:
        values = policy.declinations_deg(t.observer, t.start_utc, t.seconds)
        out.append(t if values is None else t.with_declinations(values))
    return out
