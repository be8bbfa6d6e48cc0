"""The `passpredict` command line: parsing and printing only, every computation is in the library.

Conventions of every command: data on stdout, warnings and progress on stderr; exit 0 on
success (an empty result is a success), 1 on a runtime error, 2 on a usage error; one-line
error messages, never a traceback.
"""

from __future__ import annotations

import functools
import itertools
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from passpredict import __version__
from passpredict.cli.lazy import LazyGroup
from passpredict.cli.messages import note, show_progress, verbosity_options, warn, warn_stale
from passpredict.cli.options import (
    INSTANT,
    FiniteFloat,
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

if TYPE_CHECKING:
    from passpredict.runs.batch import Progress, Runner

#: Longest window a single `passes` call accepts (days).
MAX_WINDOW_DAYS = 400.0
#: Highest --frequency-mhz (1 THz): past radio, a Doppler shift means nothing here.
MAX_FREQUENCY_MHZ = 1e6
#: How far `passes --next N` looks when no window is given (days).
NEXT_SEARCH_DAYS = 30.0
#: Exit status after Ctrl-C: 128 + SIGINT, what a shell reports for a program it interrupted.
EXIT_INTERRUPTED = 130


class _OneLineErrors(LazyGroup):
    """The root group: every error is one line on stderr, usage errors included.

    Click prints a usage error as the command's usage, a hint and the message on three lines;
    we print `Error: <message> (see 'passpredict passes --help')` instead, with the same exit
    codes (2 usage, 1 runtime). A closed pipe (`passpredict passes | head`) exits quietly.
    Ctrl-C (SIGINT) exits 130, the shell's 128 + 2, so a script can tell it from a failure.
    """

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as error:
            where = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            click.echo(f"Error: {error.format_message()}{where}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort as error:
            if isinstance(error.__cause__, KeyboardInterrupt):
                click.echo("Interrupted.", err=True)
                sys.exit(EXIT_INTERRUPTED)
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except KeyboardInterrupt:  # outside click's own handling, e.g. while cleaning up
            click.echo("\nInterrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()  # nothing more can be written; do not complain about it
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="passpredict")
@verbosity_options
def main() -> None:
    """Predict when satellites can be seen or contacted from places on Earth.

    Start with 'passpredict passes'. State (element store, your observers) lives in one
    directory: $PASSPREDICT_HOME, or the platform's user data directory.

    Data goes to stdout, warnings and progress to stderr. Warnings are one line per kind;
    --verbose lists what is behind each, --quiet prints errors only (here or on any command).
    """


def _twilight_option(ctx: click.Context, param: click.Parameter, value: str) -> float:
    from passpredict.products.visibility import parse_twilight

    try:
        return parse_twilight(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


@main.command()
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
    type=click.IntRange(min=1),
    metavar="N",
    help="Search on a local Dask cluster of N processes (extra: passpredict[distributed]).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
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
    zone,
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
    from passpredict.runs.distributed import DistributedError
    from tle_cache.parse import ElementParseError

    out = sys.stdout  # taken before any progress bar could stand in for it
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

        out = parquet_stdout()  # checked before any computing
    if next_count is not None and days is None and end is None:
        days = NEXT_SEARCH_DAYS
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
    bearings = _unchanged
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
    in_chunks = len(plan_chunks(element_sets, len(observers), duration_s, budget)) > 1
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
            _print_warnings([prediction])
        else:
            with _chunk_runner(workers, scheduler, len(element_sets)) as (runner, progress):
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
                )
                chunks = map(bearings, chunks)
                if visible_only:
                    chunks = (chunk.visible_only() for chunk in chunks)
                first = next(chunks, None)  # a look at how the chunks hold their passes
                chunks = itertools.chain([] if first is None else [first], chunks)
                if output_format in STREAM_FORMATS:
                    stream = _stream_writer(output_format, magnetic)
                    seen: list = []  # what to warn about, said once at the end
                    stream(out, chunks, frequency_hz, on_chunk=lambda p: seen.append(_cues(p)))
                    _print_warnings(seen)
                    return
                if _native_columns(output_format, first):
                    prediction = _merge_as_columns(chunks, next_count)
                    next_count = None
                else:
                    prediction = merge_predictions(list(chunks))
                _print_warnings([prediction])
                visible_only = False  # done chunk by chunk
    except (ValueError, DistributedError) as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    if visible_only:
        prediction = prediction.visible_only()
    if next_count is not None:
        prediction = replace(prediction, passes=prediction.passes[:next_count], table=None)

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

        emit_parquet(out, prediction, frequency_hz)
    elif output_format == "ics":
        from passpredict.output.ical import count_complete_passes, write_ics

        left_out = len(prediction.passes) - count_complete_passes(prediction)
        if left_out:
            note(f"{left_out} pass(es) cut by the window ends left out of the calendar")
        write_ics(out, prediction, now, frequency_hz, alarm)
    else:
        from passpredict.output.tables import render_table
        from passpredict.output.terminal import make_console, output_width

        console = make_console(out, output_width(out))
        render_table(prediction, console, UTC if use_utc else zone, frequency_hz, magnetic)


#: The formats written chunk by chunk as the chunks come (memory bounded by a chunk).
STREAM_FORMATS = ("json", "jsonl", "csv")


def _stream_writer(output_format: str, magnetic: bool) -> Any:
    """The chunk-by-chunk writer of a format in `STREAM_FORMATS` (imported when used)."""
    from passpredict.runs import batch

    return {
        "json": batch.write_json_stream,
        "jsonl": batch.write_jsonl_stream,
        "csv": functools.partial(batch.write_csv_stream, magnetic=magnetic),
    }[output_format]


def _unchanged(prediction: Any) -> Any:
    return prediction


def _native_columns(output_format: str, first: Any) -> bool:
    """Whether the table or calendar is drawn from merged columns: when the chunks hold their
    passes as columns already (`LazyPasses`). From records, turning each chunk into columns
    and back costs 8 s of CPU on the whole catalogue for 50 MB of memory (measured)."""
    from passpredict.products.columns import LazyPasses

    if output_format not in ("table", "ics", "parquet") or first is None:
        return False
    return isinstance(first.passes, LazyPasses)


def _merge_as_columns(chunks: Iterable[Any], next_count: int | None) -> Any:
    """Join chunk predictions keeping their passes as columns (`LazyPasses`), in time order
    as `merge_predictions` sorts them: each chunk's records are let go as it comes, so a large
    table holds arrays, not a record per pass (the table builds records a slice at a time)."""
    import numpy as np

    from passpredict.products.columns import LazyPasses, concatenate_columns
    from passpredict.runs.batch import merge_predictions

    parts, rest = [], []
    for chunk in chunks:
        if len(chunk.passes):
            parts.append(chunk.columns)
        rest.append(replace(chunk, passes=(), table=None))
    merged = merge_predictions(rest)
    if not parts:
        return merged
    columns = concatenate_columns(parts)
    start_us = columns.times_utc(columns.start_s).view(np.int64)
    order = np.argsort(start_us, kind="stable")[:next_count]
    return replace(merged, passes=LazyPasses(columns.take(order)))


def _cues(prediction: Any) -> Any:
    """Keep of a streamed chunk only what the warnings need (not its passes)."""
    return replace(prediction, passes=(), satellites=(), geostationary=(), notes=(), table=None)


def _print_warnings(predictions: Sequence[Any]) -> None:
    """Warn once for all chunks: stale element sets grouped, other warnings one line each."""
    warn_stale([s for p in predictions for s in p.stale])
    for text in dict.fromkeys(w for p in predictions for w in p.warnings):
        warn(text)


def _warn_unused_magnitudes(std_mags: Sequence[str], element_sets: Sequence[Any]) -> None:
    """Warn about `--std-mag NORAD=MAG` for a satellite that is not in the run (a typo?)."""
    in_run = {es.norad_id for es in element_sets}
    unused = []
    for text in std_mags:
        key, sep, _ = text.partition("=")
        if sep and int(key) not in in_run:
            unused.append(text)
    if unused:
        listed = ", ".join(repr(t) for t in unused)
        warn(
            f"--std-mag {listed}: no such satellite in this run, so it is not used; "
            "check the NORAD number"
        )


@contextmanager
def _chunk_runner(
    workers: int | None, scheduler: str | None, n_satellites: int
) -> Iterator[tuple[Runner | None, Progress | None]]:
    """Yield where chunks run (Dask, or here) and a progress callback (a bar on a terminal)."""
    from rich.console import Console
    from rich.progress import Progress as ProgressBar

    with _dask_or_local(workers, scheduler) as runner:
        if not (show_progress() and sys.stderr.isatty()):
            yield runner, None
            return
        # redirect_stdout=False: by default rich sends everything written to sys.stdout while
        # the bar is live to its own console, here the terminal: the data would miss a file
        with ProgressBar(
            console=Console(stderr=True), transient=True, redirect_stdout=False
        ) as bar:
            task = bar.add_task("satellites", total=n_satellites)
            yield runner, lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def _dask_or_local(workers: int | None, scheduler: str | None) -> Iterator[Runner | None]:
    if workers is None and scheduler is None:
        yield None
        return
    from passpredict.runs.distributed import dask_runner

    with dask_runner(scheduler=scheduler, workers=workers) as runner:
        yield runner
