"""`passpredict passes`: the coming passes of satellites over observers, in any format.

Parsing and printing only: the prediction is `passpredict.products.predict` (one run) or
`passpredict.runs.batch` (in chunks, locally or on Dask), the joining of chunks
`passpredict.runs.merge`, the output `passpredict.output`. Heavy modules are imported inside
the command, so that `passpredict --help` and the other commands need none of them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click

from passpredict.cli.chunk_runner import chunk_runner, start_runner
from passpredict.cli.messages import note, verbosity_options, warn, warn_stale
from passpredict.cli.options import (
    duration_option,
    length_option,
    magnetic_option,
    observer_options,
    resolve_observers,
    strict_elements,
    tle_file_option,
    window,
    zone_options,
)
from passpredict.inputs.param_types import INSTANT, FiniteFloat

#: Longest window a single `passes` call accepts (days).
MAX_WINDOW_DAYS = 400.0
#: Highest --frequency-mhz (1 THz): past radio, a Doppler shift means nothing here.
MAX_FREQUENCY_MHZ = 1e6
#: How far `passes --next N` looks when no window is given (days).
NEXT_SEARCH_DAYS = 30.0
#: Most processes `--workers` starts: one a core pays, more only add start-up time (each is
#: a process with the ephemeris loaded); 256 is more cores than one machine has. A mistyped
#: `--workers 100000` started workers until the machine gave out.
MAX_LOCAL_WORKERS = 256
#: A Dask scheduler address over TCP: [tcp|tls|ws|wss://]host:port (an IPv6 host in brackets).
_SCHEDULER_ADDRESS = re.compile(
    r"(?:(?:tcp|tls|ws|wss)://)?(?:\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]@]+):(?P<port>[0-9]{1,5})"
)

if TYPE_CHECKING:
    from passpredict.products.predict import Prediction


def _twilight_option(ctx: click.Context, param: click.Parameter, value: str) -> float:
    from passpredict.products.visibility import parse_twilight

    try:
        return parse_twilight(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def _scheduler_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check --scheduler's address while parsing (Dask's own 'missing port number in address'
    came after the elements were read, exit 1, naming neither the option nor the form).
    A ``ucx://`` address (Dask's other network transport) is passed on as given."""
    if value is None:
        return None
    address = value.strip()
    example = "e.g. tcp://10.0.0.5:8786 (8786 is Dask's default port)"
    if not address:
        raise click.BadParameter(f"the address is empty; give the scheduler's, {example}")
    scheme = address.split("://")[0] if "://" in address else "tcp"
    if scheme == "ucx":
        return address
    if scheme not in ("tcp", "tls", "ws", "wss"):
        raise click.BadParameter(
            f"{value!r}: Dask schedulers listen on tcp://, tls://, ws://, wss:// or ucx://, "
            f"not {scheme}://; {example}"
        )
    match = _SCHEDULER_ADDRESS.fullmatch(address)
    if match is None or not 1 <= int(match["port"]) <= 65535:
        raise click.BadParameter(f"{value!r} is not a scheduler address HOST:PORT; {example}")
    return address


@click.command("passes")
@click.argument("satellites", nargs=-1, metavar="[SATELLITE]...")
@observer_options
@click.option(
    "--start",
    type=INSTANT,
    metavar="ISO8601",
    help="Window start with an offset, e.g. 2026-11-25T18:00+04:00. Default: now.",
)
@length_option("--days", "days", MAX_WINDOW_DAYS, "3")
@click.option("--end", type=INSTANT, metavar="ISO8601", help="Window end (instead of --days).")
@click.option(
    "--min-elevation",
    "min_elevation_deg",
    type=FiniteFloat(-90, 90, max_open=True),
    default=10.0,
    show_default=True,
    metavar="DEG",
    help="Minimum elevation: rise and set are the crossings of this height.",
)
@tle_file_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "jsonl", "csv", "ics", "parquet"]),
    default="table",
    show_default=True,
    help="jsonl: JSON Lines, one pass (or GEO look, note) a line with its 'type'. "
    "ics: an iCalendar file, one event per complete pass. parquet: one row per pass "
    "(to stdout, redirected to a file; extra: passpredict[notebooks]).",
)
@zone_options
@click.option(
    "--twilight",
    "twilight_deg",
    default="civil",
    show_default=True,
    metavar="civil|nautical|astronomical|DEG",
    callback=_twilight_option,
    help="How dark the sky must be for a visible pass: the Sun below -6, -12, -18 deg or DEG.",
)
@click.option("--visible-only", is_flag=True, help="Keep only passes with a visible part.")
@click.option(
    "--std-mag",
    "std_mags",
    multiple=True,
    metavar="MAG|NORAD=MAG",
    help="Standard magnitude (1000 km, 90 deg phase) for the brightness estimate (repeatable).",
)
@click.option(
    "--frequency-mhz",
    type=FiniteFloat(min=0, max=MAX_FREQUENCY_MHZ, min_open=True),
    metavar="F",
    help="Downlink frequency: adds range rate and Doppler shift at rise, culmination and set.",
)
@click.option(
    "--group",
    metavar="NAME",
    help="Every satellite of a CelesTrak group in the element store, e.g. active "
    "(fetch it first: 'passpredict tle refresh --group NAME').",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=MAX_LOCAL_WORKERS),
    metavar="N",
    help="Search on a local Dask cluster of N processes (extra: passpredict[distributed]).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    callback=_scheduler_option,
    help="Search on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://10.0.0.5:8786.",
)
@click.option(
    "--next",
    "next_count",
    type=click.IntRange(min=1),
    metavar="N",
    help="Only the next N passes (without --days/--end, searched over 30 days).",
)
@click.option(
    "--alarm",
    "alarm",
    callback=duration_option,
    metavar="DURATION",
    help="With --format ics: a reminder (VALARM) this long before each pass, e.g. 10m.",
)
@magnetic_option
@verbosity_options
def passes(
    satellites: tuple[str, ...],
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    days: float | None,
    end: datetime | None,
    min_elevation_deg: float,
    tle_file: Path | None,
    output_format: str,
    zone: tzinfo | None,
    use_utc: bool,
    twilight_deg: float,
    visible_only: bool,
    std_mags: tuple[str, ...],
    frequency_mhz: float | None,
    group: str | None,
    workers: int | None,
    scheduler: str | None,
    next_count: int | None,
    alarm: timedelta | None,
    magnetic: bool,
) -> None:
    """Show the coming passes of satellites over observers.

    SATELLITE is a NORAD number or a name (case-insensitive; aliases such as azerspace-1,
    azersky, spot7, is-38). Without one: the tracked satellites (AZERSPACE 1, AZERSPACE 2
    (IS-38), SPOT 7), or every satellite in --tle-file. Geostationary satellites are shown as a
    fixed point in the sky, and as passes where their daily wobble crosses the threshold.
    Elevations are geometric (no refraction).

    Each pass says whether it can be seen: the satellite sunlit while the sky is dark
    (--twilight), with the visible part and an estimated magnitude (needs a standard
    magnitude: --std-mag). See docs/visibility.md.

    Large runs (a whole --group over many observers) go in chunks of satellites, with a
    progress bar on a terminal; JSON and CSV are then written chunk by chunk as they come
    (passes grouped by chunk, by time within each), so memory does not grow with the result.
    --workers or --scheduler run the chunks on Dask. See docs/performance.md.

    Stale element sets get one warning line (--verbose lists them): the age quoted is the
    one the table and JSON show, at the window start; a set is judged stale on the furthest
    time it predicts.

    Each pass carries the error bar of its times for the age of its set (time_uncertainty_s;
    the table shows it past a second). --magnetic adds compass bearings (WMM2025).
    """
    # imported here, not at the top: `passpredict --help` and the other commands need none of it
    from passpredict.engine.ephemeris import load_astronomy
    from passpredict.home import home_dir
    from passpredict.inputs.sources import ElementSourceError, select_element_sets, select_group
    from passpredict.products.magnitude import parse_std_magnitudes
    from passpredict.products.predict import predict
    from passpredict.products.visibility import VisibilityOptions
    from passpredict.runs import batch
    from passpredict.runs.batch import merge_predictions, plan_chunks, predict_batch
    from tle_cache.parse_errors import ElementParseError

    out = sys.stdout  # taken before any progress bar could stand in for it
    binary_out: BinaryIO | None = None  # --format parquet's stdout
    if zone is not None and use_utc:
        raise click.UsageError("--tz and --utc exclude each other; give one")
    if group is not None and tle_file is not None:
        raise click.UsageError("--group and --tle-file exclude each other; give one")
    if workers is not None and scheduler is not None:
        raise click.UsageError("--workers and --scheduler exclude each other; give one")
    if alarm is not None and output_format != "ics":
        raise click.UsageError("--alarm needs --format ics (it adds calendar reminders)")
    if output_format == "parquet":
        from passpredict.cli.parquet import parquet_stdout

        binary_out = parquet_stdout()  # checked before any computing
    if next_count is not None and days is None and end is None:
        days = NEXT_SEARCH_DAYS
    # a calendar holds whole passes only: its next N are the next N with a rise and a set (a
    # pass in progress at the start is left out before counting, not after)
    calendar_next = next_count is not None and output_format == "ics"
    # a cluster starts while the elements are read; shut down when the command ends, however
    early = start_runner(workers, scheduler)
    run_errors: tuple[type[Exception], ...] = (ValueError,)
    if early is not None:
        click.get_current_context().call_on_close(early.close)
        # only a cluster raises it; its module (concurrent.futures, logging) stays out otherwise
        from passpredict.runs.distributed import DistributedError

        run_errors = (ValueError, DistributedError)
    now = datetime.now(UTC)  # the only clock read: default start and calendar stamp
    start_utc, end_utc = window(
        start if start is not None else now,
        None if days is None else timedelta(days=days),
        end,
        length_flag="--days",
        max_days=MAX_WINDOW_DAYS,
    )
    end_utc = end_utc or start_utc + timedelta(days=3.0)
    observers = resolve_observers(observer_names, lat, lon, alt, zone)
    bearings: Callable[[Prediction], Prediction] = _unchanged
    if magnetic:
        from passpredict.cli.magnetic import pass_declinations

        bearings = pass_declinations(observers, start_utc, end_utc)
    try:
        if group is not None:
            selection = select_group(
                group, satellites, home_dir(), start_utc=start_utc, end_utc=end_utc
            )
        else:
            selection = select_element_sets(
                satellites,
                tle_file,
                home_dir(),
                start_utc=start_utc,
                end_utc=end_utc,
                strict=strict_elements(),
                now_utc=now,
            )
    except (ElementParseError, ElementSourceError) as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="SATELLITE") from None
    for warning in selection.warnings:
        warn(warning)
    element_sets = selection.element_sets
    if not element_sets:
        raise click.ClickException("no element sets to predict from")

    try:
        magnitudes = parse_std_magnitudes(std_mags, [es.norad_id for es in element_sets])
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--std-mag'") from None
    _warn_unused_magnitudes(std_mags, element_sets)
    frequency_hz = None if frequency_mhz is None else frequency_mhz * 1e6

    try:
        astronomy = load_astronomy()
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    duration_s = (end_utc - start_utc).total_seconds()
    budget = batch.DEFAULT_PREDICTION_CHUNK_CELLS
    plan = plan_chunks(element_sets, len(observers), duration_s, budget)  # made once, used twice
    in_chunks = len(plan) > 1
    try:
        if not (in_chunks or workers or scheduler):
            prediction = predict(
                element_sets,
                observers,
                start_utc,
                end_utc,
                min_elevation_deg,
                timescale=astronomy.timescale,
                visibility=VisibilityOptions(astronomy, twilight_deg, magnitudes),
                radio=frequency_hz is not None,
            )
            prediction = bearings(prediction)
        else:
            from passpredict.runs.merge import (  # only for a run in chunks
                STREAM_FORMATS,
                merge_as_columns,
                native_columns,
                stream_writer,
                warning_cues,
            )

            # streamed chunk by chunk, json, jsonl and csv cannot keep only the first --next
            # passes of the whole run (they come grouped by chunk): those are merged first
            streamed = output_format in STREAM_FORMATS and next_count is None
            # on a cluster the workers write the passes too: the text comes back, not the
            # passes (batch.predict_text_job); compass bearings are added here, so not then
            writing = None
            if early is not None and streamed and not magnetic:
                writing = batch.ChunkWriting(output_format, frequency_hz, visible_only)
                visible_only = False  # done where each chunk runs
            with chunk_runner(early, len(element_sets)) as (runner, progress):
                chunks = predict_batch(
                    element_sets,
                    observers,
                    start_utc,
                    end_utc,
                    min_elevation_deg,
                    twilight_deg=twilight_deg,
                    std_magnitudes=magnitudes,
                    radio=frequency_hz is not None,
                    astronomy=astronomy,
                    runner=runner,
                    progress=progress,
                    writing=writing,
                    chunks=plan,
                    run_cells=batch.DEFAULT_PREDICTION_RUN_CELLS,
                )
                chunks = map(bearings, chunks)
                if visible_only:
                    chunks = (chunk.visible_only() for chunk in chunks)
                if calendar_next:
                    chunks = (chunk.complete_only() for chunk in chunks)
                first = next(chunks, None)  # a look at how the chunks hold their passes
                as_columns = native_columns(output_format, first, streamed)
                # handed on, not kept: held here, the first chunk would live to the end
                chunks = _handed_over([] if first is None else [first], chunks)
                del first
                if streamed:
                    stream = stream_writer(output_format, magnetic)
                    seen: list[Any] = []  # what to warn about, said once at the end
                    stream(
                        out, chunks, frequency_hz, on_chunk=lambda p: seen.append(warning_cues(p))
                    )
                    _print_warnings(seen)
                    return
                if as_columns:  # (cut to --next below, with the rest)
                    prediction = merge_as_columns(chunks)
                else:
                    prediction = merge_predictions(list(chunks))
                visible_only = False  # done chunk by chunk
    except run_errors as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    if visible_only:
        prediction = prediction.visible_only()
    if next_count is not None:  # before the warnings: the ages are judged on what is shown
        if calendar_next:
            prediction = prediction.complete_only()
        prediction = prediction.first(next_count)
    _print_warnings([prediction])

    if output_format == "json":
        from passpredict.output.formats import write_json

        write_json(out, prediction, frequency_hz)
    elif output_format == "jsonl":
        from passpredict.output.formats import write_jsonl

        write_jsonl(out, prediction, frequency_hz)
    elif output_format == "csv":
        from passpredict.output.formats import write_csv

        write_csv(out, prediction, frequency_hz)
    elif output_format == "parquet":
        from passpredict.cli.parquet import emit_parquet

        assert binary_out is not None
        emit_parquet(binary_out, prediction, frequency_hz)
    elif output_format == "ics":
        from passpredict.output.ical import count_complete_passes, write_ics

        left_out = len(prediction.passes) - count_complete_passes(prediction)
        if left_out:
            note(f"{left_out} pass(es) cut by the window ends left out of the calendar")
        write_ics(out, prediction, now, frequency_hz, alarm)
    else:
        from passpredict.output.tables import render_table
        from passpredict.output.terminal import output_width, table_console

        console = table_console(out, output_width(out))
        render_table(prediction, console, UTC if use_utc else zone, frequency_hz, magnetic)


#: The formats written chunk by chunk as the chunks come (memory bounded by a chunk).
def _print_warnings(predictions: Sequence[Any]) -> None:
    """Warn once for all chunks: stale element sets grouped, other warnings one line each."""
    warn_stale([s for p in predictions for s in p.stale])
    for text in dict.fromkeys(w for p in predictions for w in p.warnings):
        warn(text)


def _handed_over(head: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    """Yield the items of `head`, then of `rest`, keeping none of them once yielded."""
    while head:
        yield head.pop(0)
    yield from rest


def _unchanged(prediction: Any) -> Any:
    return prediction


def _warn_unused_magnitudes(std_mags: Sequence[str], element_sets: Sequence[Any]) -> None:
    """Warn about `--std-mag NORAD=MAG` for a satellite that is not in the run (a typo?)."""
    from passpredict.products.magnitude import unused_magnitudes

    unused = unused_magnitudes(std_mags, [es.norad_id for es in element_sets])
    if unused:
        listed = ", ".join(repr(t) for t in unused)
        warn(
            f"--std-mag {listed}: no such satellite in this run, so it is not used; "
            "check the NORAD number"
        )
