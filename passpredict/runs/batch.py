"""Many satellites x many observers in bounded memory: chunked runs, progress, streaming.

The engine (`passpredict.engine.passes.search_passes`) holds arrays of shape (satellites, observers,
grid samples); for a whole CelesTrak catalogue over many observers that would be gigabytes. A
batch splits the satellites into consecutive chunks whose grid stays under a budget of cells
(`plan_chunks`), runs the chunks one after another, or on a Dask cluster
(`passpredict.runs.distributed`), and hands back each chunk's result as soon as it is done, in chunk
order, so that output can be written while the rest is computed.

Two levels:
- `search_batch` / `run_batch`: the engine's `PassTable` arrays, chunk by chunk or whole;
- `predict_batch`: `passpredict.products.predict.predict` on each chunk (orbit classes, notes,
  geostationary looks, visibility and range rates included), for the command line;
  `write_json_stream` and `write_csv_stream` write its chunks as they come.

Chunking never changes an answer: a satellite's scan grid depends only on its own period, and
every computation of the engine is elementwise (`passpredict.engine.passes` writes its dot products
out for that reason), so a batch returns exactly the passes of one call, and of one call per
(satellite, observer) pair. `tests/test_batch.py` checks it bit for bit.
"""

from __future__ import annotations

import functools
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple, Protocol, TextIO

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.passes import (
    PassTable,
    coarse_step_s,
    concatenate_tables,
    search_passes,
    sort_table,
)
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer
from passpredict.runs.grouped import group_chunks, split_prediction, unique_satellites
from tle_cache.elements import ElementSet

#: Grid cells (satellites x observers x scan samples) per chunk. The engine keeps a few dozen
#: arrays of this many doubles alive at its peak: about 0.3 GB at 1.5 million cells.
DEFAULT_CHUNK_CELLS = 1_500_000
#: The same for `predict_batch`, whose chunks also hold every pass as records with their
#: visibility: a whole catalogue over one observer for a day peaked at 1 GB in one chunk.
DEFAULT_PREDICTION_CHUNK_CELLS = 250_000
#: Grid cells of the consecutive chunks the command line runs in one `predict` call in this
#: process (`predict_batch(run_cells=...)`, `passpredict.runs.grouped`): the whole catalogue
#: over one observer for a day (1.46 million cells, 6 chunks) in 2 calls instead of 6, ~0.05 s
#: of CPU less; the run's peak resident memory 168 MB instead of 142 (the engine alone's,
#: benchmarks/engine_only.py, 207 MB; measured 2026-12-03).
DEFAULT_PREDICTION_RUN_CELLS = 1_000_000

#: progress(satellites_done, satellites_total), called after each chunk.
Progress = Callable[[int, int], None]


class Runner(Protocol):
    """Runs a function over many argument tuples; yields the results in argument order."""

    def map(
        self, function: Callable[..., Any], arguments: Iterable[tuple[Any, ...]]
    ) -> Iterator[Any]: ...


class LocalRunner:
    """Runs each chunk in this process, one after another, only when its result is wanted."""

    def map(
        self, function: Callable[..., Any], arguments: Iterable[tuple[Any, ...]]
    ) -> Iterator[Any]:
        for args in arguments:
            yield function(*args)


def grid_samples(element_set: ElementSet, duration_s: float) -> int:
    """Return how many scan samples the engine takes of this satellite over the window."""
    return math.ceil(duration_s / coarse_step_s(element_set)) + 1


def plan_chunks(
    element_sets: Sequence[ElementSet],
    n_observers: int,
    duration_s: float,
    max_cells: int | None = None,
) -> list[NDArray[np.intp]]:
    """Split the satellites, in order, into chunks of at most `max_cells` grid cells.

    A chunk holds at least one satellite, however long its grid. Returns the satellite
    indices of each chunk. `max_cells` defaults to `DEFAULT_CHUNK_CELLS`.
    """
    max_cells = DEFAULT_CHUNK_CELLS if max_cells is None else max_cells
    if max_cells < 1:
        raise ValueError(f"max_cells must be at least 1, got {max_cells!r}")
    cells = [grid_samples(es, duration_s) * max(n_observers, 1) for es in element_sets]
    # each chunk runs as far as its running total stays within the budget: one search of
    # the running sums per chunk, not a Python step per satellite
    total = np.cumsum(np.asarray(cells, dtype=np.int64))
    chunks: list[NDArray[np.intp]] = []
    begin = 0
    while begin < total.size:
        before = int(total[begin - 1]) if begin else 0
        end = max(int(np.searchsorted(total, before + max_cells, side="right")), begin + 1)
        chunks.append(np.arange(begin, end))
        begin = end
    return chunks


def portable(element_sets: Iterable[ElementSet]) -> list[ElementSet]:
    """Return copies without the cached SGP4 model, which cannot be pickled to a worker."""
    return [replace(es, _satrec_cache=[]) for es in element_sets]


def search_chunk(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
) -> PassTable:
    """Search one chunk; a module-level function, so that a worker process can run it."""
    return search_passes(element_sets, observers, timebase, duration_s, min_elevation_deg)


def search_batch(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
    *,
    max_cells: int | None = None,
    progress: Progress | None = None,
    runner: Runner | None = None,
) -> Iterator[PassTable]:
    """Search passes chunk by chunk; yield each chunk's table as it is done, in chunk order.

    `satellite_index` in every table refers to `element_sets` as a whole. Each table is
    sorted like `search_passes`' output; across chunks, passes come chunk after chunk.
    """
    element_sets = list(element_sets)
    observers = list(observers)
    chunks = plan_chunks(element_sets, len(observers), duration_s, max_cells)
    runner = runner or LocalRunner()
    shipped = not isinstance(runner, LocalRunner)
    arguments = (
        (
            portable(element_sets[i] for i in chunk)
            if shipped
            else [element_sets[i] for i in chunk],
            observers,
            timebase,
            duration_s,
            min_elevation_deg,
        )
        for chunk in chunks
    )
    done = 0
    for chunk, table in zip(chunks, runner.map(search_chunk, arguments), strict=True):
        done += chunk.size
        if progress is not None:
            progress(done, len(element_sets))
        yield replace(table, satellite_index=chunk[table.satellite_index])


def run_batch(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
    *,
    max_cells: int | None = None,
    progress: Progress | None = None,
    runner: Runner | None = None,
) -> PassTable:
    """Search passes in chunks and return them all, ordered as `search_passes` orders them."""
    tables = list(
        search_batch(
            element_sets,
            observers,
            timebase,
            duration_s,
            min_elevation_deg,
            max_cells=max_cells,
            progress=progress,
            runner=runner,
        )
    )
    return sort_table(concatenate_tables(tables))


# --- predictions chunk by chunk (the command line's path) ---------------------------------


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class PredictionJob(NamedTuple):
    """Everything `predict` needs for one chunk, in picklable form (every field given).

    `twilight_deg` None: no visibility. A worker process loads its own ephemeris.
    """

    element_sets: list[ElementSet]
    observers: list[Observer]
    start_utc: datetime
    end_utc: datetime
    min_elevation_deg: float
    twilight_deg: float | None
    std_magnitudes: Mapping[int, float]
    radio: bool


def predict_job(job: PredictionJob, astronomy: Any = None) -> Any:
    """Run `predict` for one chunk; load the timescale and ephemeris once per process."""
    from passpredict.products.predict import predict
    from passpredict.products.visibility import VisibilityOptions

    astronomy = astronomy if astronomy is not None else _process_astronomy()
    visibility = None
    if job.twilight_deg is not None:
        visibility = VisibilityOptions(astronomy, job.twilight_deg, dict(job.std_magnitudes))
    return predict(
        job.element_sets,
        job.observers,
        job.start_utc,
        job.end_utc,
        job.min_elevation_deg,
        timescale=astronomy.timescale,
        visibility=visibility,
        radio=job.radio,
    )


class ChunkWriting(NamedTuple):
    """How `predict_text_job` writes a chunk's passes where it is computed.

    `output_format`: ``csv``, ``json`` or ``jsonl``, as the stream writers of that format
    (`write_csv_stream`, `write_json_stream`, `write_jsonl_stream`) write a chunk's passes;
    `visible_only`: only the passes with a visible part (`Prediction.visible_only`).
    """

    output_format: str
    frequency_hz: float | None
    visible_only: bool


class WrittenChunk(NamedTuple):
    """A chunk's passes as the text its stream writer would write (`pass_count` of them), with its
    prediction less its passes (for the geostationary rows, the notes and the warnings).

    The json text is the pass objects joined by the writer's separator, without the one
    before the first: the writer knows whether other passes came before."""

    prediction: Any
    text: str
    pass_count: int


def predict_text_job(
    job: PredictionJob, writing: ChunkWriting, astronomy: Any = None
) -> WrittenChunk:
    """Run `predict_job` and write its passes here, as the stream writer of the format would.

    For a Dask worker: the chunk's text travels back instead of its passes' arrays, so the
    client only copies text to its output while the workers compute and write the following
    chunks, and the last chunk is not written after all the others.
    """
    from passpredict.output.formats import csv_columns, write_csv_passes, write_jsonl
    from passpredict.output.pass_output import write_json_objects

    prediction = predict_job(job, astronomy)
    if writing.visible_only:
        prediction = prediction.visible_only()
    text = io.StringIO()
    columns = prediction.columns  # the prediction's own arrays (`LazyPasses`)
    count = len(columns)
    if writing.output_format == "csv":
        write_csv_passes(text, prediction, writing.frequency_hz, csv_columns(False))
    elif writing.output_format == "jsonl":
        write_jsonl(text, _passes_only(prediction), writing.frequency_hz)
    elif writing.output_format == "json":
        count = write_json_objects(text, columns, writing.frequency_hz, True, 4, "", _JSON_BETWEEN)
    else:
        raise ValueError(f"no stream writer for {writing.output_format!r}")
    return WrittenChunk(replace(prediction, passes=(), table=None), text.getvalue(), count)


#: The modules `predict_job` and `predict_text_job` import: a worker imports them ahead of
#: its first chunk (`warm_up`; a local cluster's fork server, `passpredict.runs.distributed`,
#: before any worker).
WORKER_MODULES = (
    "passpredict.products.predict",
    "passpredict.products.visibility",
    "passpredict.output.formats",
    "passpredict.output.pass_output",
)


def warm_up() -> None:
    """Import what `predict_job` needs and load this process's timescale and ephemeris, ahead
    of the first chunk (a Dask worker runs this while the client still reads its elements)."""
    import importlib

    for name in WORKER_MODULES:
        importlib.import_module(name)
    _process_astronomy()


@functools.cache
def _process_astronomy() -> Any:
    from passpredict.engine.ephemeris import load_astronomy

    return load_astronomy()


def predict_batch(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    start_utc: datetime,
    end_utc: datetime,
    min_elevation_deg: float,
    *,
    twilight_deg: float | None = None,
    std_magnitudes: Mapping[int, float] | None = None,
    radio: bool = False,
    astronomy: Any = None,
    max_cells: int | None = None,
    progress: Progress | None = None,
    runner: Runner | None = None,
    writing: ChunkWriting | None = None,
    chunks: Sequence[NDArray[np.intp]] | None = None,
    run_cells: int | None = None,
) -> Iterator[Any]:
    """Yield one `Prediction` per chunk of satellites, in chunk order, as each is done.

    `astronomy` (from `passpredict.engine.ephemeris.load_astronomy`) is used by chunks run in this
    process; a remote worker loads its own. With `writing`, a `WrittenChunk` per chunk instead,
    its passes written where it ran (`predict_text_job`). `chunks`: the plan the caller made
    already, `plan_chunks(element_sets, len(observers), duration_s, max_cells)`, so that it is
    not made twice (a catalogue's plan costs ~20 ms: a scan step per set); None plans here.
    `run_cells`: in this process (the `LocalRunner`, without `writing`), consecutive chunks of
    up to this many cells in all run as one `predict` call, and its answer is cut back into
    the chunks' own predictions (`passpredict.runs.grouped`: the same ones, fewer calls);
    None: a call per chunk. Either way one prediction per chunk comes out.
    """
    element_sets = list(element_sets)
    observers = list(observers)
    duration_s = (end_utc - start_utc).total_seconds()
    if max_cells is None:
        max_cells = DEFAULT_PREDICTION_CHUNK_CELLS
    if chunks is None:
        chunks = plan_chunks(element_sets, len(observers), duration_s, max_cells)
    runner = runner or LocalRunner()
    local = isinstance(runner, LocalRunner)
    groups = [[k] for k in range(len(chunks))]  # the chunks each call runs
    if local and writing is None and run_cells is not None and unique_satellites(element_sets):
        groups = group_chunks(chunks, max(1, run_cells // max_cells))
    jobs = (
        PredictionJob(
            _chunk_sets(element_sets, [chunks[k] for k in group], local),
            observers,
            start_utc,
            end_utc,
            min_elevation_deg,
            twilight_deg,
            dict(std_magnitudes or {}),
            radio,
        )
        for group in groups
    )
    here = astronomy if local else None
    function: Callable[..., Any] = predict_job
    arguments: Iterator[tuple[Any, ...]] = ((job, here) for job in jobs)
    if writing is not None:
        function = predict_text_job
        arguments = ((job, writing, here) for job in jobs)
    # Not a zip of the groups and the results: zip keeps the last result until the next one
    # is computed, and so would a local variable; a call's prediction is let go once it is
    # cut (its parts hold copies), each part once handed out (peak RSS 186 -> 168 MB).
    done = 0
    results = runner.map(function, arguments)
    for group in groups:
        parts = [next(results, None)]
        if parts[0] is None:
            raise RuntimeError(f"the runner gave fewer results than the {len(groups)} calls")
        if len(group) > 1:
            parts = split_prediction(parts.pop(), [chunks[k].size for k in group])
        parts.reverse()
        for k in group:
            done += chunks[k].size
            if progress is not None:
                progress(done, len(element_sets))
            yield parts.pop()
    if next(results, None) is not None:
        raise RuntimeError(f"the runner gave more results than the {len(groups)} calls")


def _chunk_sets(
    element_sets: list[ElementSet], chunks: list[NDArray[np.intp]], local: bool
) -> list[ElementSet]:
    """The sets of consecutive chunks, in order; copies that can be pickled unless `local`."""
    picked = (element_sets[i] for chunk in chunks for i in chunk)
    return list(picked) if local else portable(picked)


def merge_predictions(predictions: Sequence[Any]) -> Any:
    """Join chunk predictions into one, passes in time order as `predict` gives them."""
    from passpredict.products.columns import LazyPasses, concatenate_columns, start_microseconds

    first = predictions[0]
    passes: Any
    if all(isinstance(p.passes, LazyPasses) for p in predictions):
        # columns in, columns out: no record is built (a stable sort, as the records' own)
        joined = concatenate_columns([p.passes.columns for p in predictions])
        passes = LazyPasses(joined.take(np.argsort(start_microseconds(joined), kind="stable")))
    else:
        passes = [p for prediction in predictions for p in prediction.passes]
        passes.sort(key=lambda p: p.start_utc)
        passes = tuple(passes)
    return replace(
        first,
        satellites=tuple(s for p in predictions for s in p.satellites),
        passes=passes,
        geostationary=tuple(g for p in predictions for g in p.geostationary),
        notes=tuple(n for p in predictions for n in p.notes),
        warnings=tuple(w for p in predictions for w in p.warnings),
        stale=tuple(s for p in predictions for s in p.stale),
        table=None,
    )


# --- streaming output ------------------------------------------------------------------------


def write_json_stream(
    out: TextIO,
    predictions: Iterable[Any],
    frequency_hz: float | None = None,
    on_chunk: Callable[[Any], None] | None = None,
) -> None:
    """Write chunk predictions as one JSON document while they come, passes first.

    The document has the keys of `passpredict.output.formats.to_json`; only their order differs:
    `window`, `observers` and `passes` first (passes chunk after chunk, by time within a
    chunk), then `satellites`, `geostationary`, `notes` and `warnings`, which are small and
    complete only at the end; and each pass is written on one line. Memory holds one chunk's
    passes at a time. A `WrittenChunk` among them has its passes written already.
    """
    from passpredict.output.formats import prediction_dict, satellite_columns
    from passpredict.output.json_text import indented_json, records_json
    from passpredict.output.pass_output import write_json_objects

    rest: list[Any] = []
    written = 0
    for chunk in predictions:
        prediction = chunk.prediction if isinstance(chunk, WrittenChunk) else chunk
        if on_chunk is not None:
            on_chunk(prediction)
        if not rest:
            head = prediction_dict(_without_rows(prediction), frequency_hz)
            out.write("{\n")
            for key in ("window", "observers"):
                out.write(f"  {json.dumps(key)}: {indented_json(head[key], 2)},\n")
            out.write('  "passes": [')
        # one compact line per pass, written from the pass arrays (passpredict.output.pass_output)
        first = _JSON_BETWEEN if written else "\n    "
        if isinstance(chunk, WrittenChunk):  # written where it ran (`predict_text_job`)
            if chunk.pass_count:
                out.write(first + chunk.text)
            written += chunk.pass_count
        else:
            columns = prediction.columns
            written += write_json_objects(out, columns, frequency_hz, True, 4, first, _JSON_BETWEEN)
        rest.append(replace(prediction, passes=(), table=None))
    if not rest:
        raise ValueError("no predictions to write")
    out.write("\n  ],\n" if written else "],\n")
    merged = merge_predictions(rest)
    # json.dumps(indent=2)'s layout from the C encoder's pieces (passpredict.output.json_text);
    # the satellites straight from their columns, without a dict each
    out.write(f'  "satellites": {records_json(satellite_columns(merged.satellites), 2)},\n')
    tail = prediction_dict(replace(merged, satellites=()), frequency_hz)
    keys = ("geostationary", "notes", "warnings")
    for n, key in enumerate(keys):
        out.write(f"  {json.dumps(key)}: {indented_json(tail[key], 2)}")
        out.write(",\n" if n < len(keys) - 1 else "\n")
    out.write("}\n")


#: What `write_json_stream` writes between two passes.
_JSON_BETWEEN = ",\n    "


def _passes_only(prediction: Any) -> Any:
    # what `write_jsonl_stream` writes of a chunk as it comes: its passes
    return replace(prediction, geostationary=(), notes=(), table=None)


def _without_rows(prediction: Any) -> Any:
    return replace(
        prediction,
        passes=(),
        satellites=(),
        geostationary=(),
        notes=(),
        warnings=(),
        stale=(),
        table=None,
    )


def write_csv_stream(
    out: TextIO,
    predictions: Iterable[Any],
    frequency_hz: float | None = None,
    on_chunk: Callable[[Any], None] | None = None,
    magnetic: bool = False,
) -> None:
    """Write chunk predictions as the CSV of `passpredict.output.formats.to_csv`, while they come.

    Pass rows come chunk after chunk (by time within a chunk); the geostationary rows, few,
    come last, as in `to_csv`. `magnetic`: the chunks carry declinations (the header gets
    the compass-bearing columns, `formats.csv_columns`). A `WrittenChunk` among them (not with
    `magnetic`) has its rows written already: they are copied as they are.
    """
    from passpredict.output.formats import csv_columns, write_csv_geostationary, write_csv_passes

    names = csv_columns(magnetic)
    out.write(",".join(names) + "\n")
    stationary: list[Any] = []
    for chunk in predictions:
        written = isinstance(chunk, WrittenChunk)
        prediction = chunk.prediction if written else chunk
        if on_chunk is not None:
            on_chunk(prediction)
        if written:  # its rows written where it ran (`predict_text_job`)
            out.write(chunk.text)
        else:
            write_csv_passes(out, prediction, frequency_hz, names)
        if prediction.geostationary:
            stationary.append(replace(prediction, passes=(), table=None))
    if stationary:
        write_csv_geostationary(out, merge_predictions(stationary), names)


def write_jsonl_stream(
    out: TextIO,
    predictions: Iterable[Any],
    frequency_hz: float | None = None,
    on_chunk: Callable[[Any], None] | None = None,
) -> None:
    """Write chunk predictions as JSON Lines (`passpredict.output.formats.write_jsonl`) while they
    come: pass lines chunk after chunk (by time within a chunk), then the geostationary
    looks and notes of every chunk. A `WrittenChunk` among them has its lines written
    already."""
    from passpredict.output.formats import write_jsonl, write_jsonl_extras

    rest: list[Any] = []
    for chunk in predictions:
        written = isinstance(chunk, WrittenChunk)
        prediction = chunk.prediction if written else chunk
        if on_chunk is not None:
            on_chunk(prediction)
        if written:  # its lines written where it ran (`predict_text_job`)
            out.write(chunk.text)
        else:
            write_jsonl(out, _passes_only(prediction), frequency_hz)
        rest.append(replace(prediction, passes=(), table=None))
    if rest:
        write_jsonl_extras(out, merge_predictions(rest))
