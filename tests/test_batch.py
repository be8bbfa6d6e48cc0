"""Chunked runs (`passpredict.runs.batch`): the same answers as one call and as one call per pair.

The engine's answer must not depend on how a run is cut: a satellite's scan grid depends only
on its own period, and every computation is elementwise, so the comparisons here are exact.
"""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.passes import PassTable, concatenate_tables, search_passes, sort_table
from passpredict.engine.time_axis import TimeBase
from passpredict.output.formats import to_csv, to_json
from passpredict.products.predict import predict
from passpredict.records import Observer
from passpredict.runs.batch import (
    ChunkWriting,
    WrittenChunk,
    grid_samples,
    plan_chunks,
    predict_batch,
    run_batch,
    search_batch,
    write_csv_stream,
    write_json_stream,
    write_jsonl_stream,
)
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle"
OBSERVERS = [
    Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku"),
    Observer("Tromsø", 69.65, 18.96, 10.0),
    Observer("Quito", -0.1807, -78.4678, 2850.0),
]
START = datetime(2026, 5, 7, 18, 30, tzinfo=UTC)
END = START + timedelta(days=1)
DURATION_S = (END - START).total_seconds()
#: Small enough that the 20 satellites fall into many chunks.
SMALL_CHUNK_CELLS = 1000


@pytest.fixture(scope="module")
def element_sets():
    return read_file(DATA, now_utc=START)


@pytest.fixture(scope="module")
def searchable(element_sets):
    return [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]


@pytest.fixture(scope="module")
def timebase(timescale):
    return TimeBase.create(START, END, timescale)


def assert_tables_identical(a: PassTable, b: PassTable) -> None:
    for name in PassTable.__dataclass_fields__:
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name


def test_chunks_cover_every_satellite_in_order_within_the_budget(searchable):
    chunks = plan_chunks(searchable, len(OBSERVERS), DURATION_S, SMALL_CHUNK_CELLS)
    assert len(chunks) > 5
    assert np.array_equal(np.concatenate(chunks), np.arange(len(searchable)))
    for chunk, following in zip(chunks, [*chunks[1:], None], strict=True):
        cells = sum(grid_samples(searchable[i], DURATION_S) * len(OBSERVERS) for i in chunk)
        assert chunk.size == 1 or cells <= SMALL_CHUNK_CELLS
        if following is not None:  # and as full as it can be: the next one would not fit
            more = grid_samples(searchable[following[0]], DURATION_S) * len(OBSERVERS)
            assert cells + more > SMALL_CHUNK_CELLS


def test_a_satellite_larger_than_the_budget_gets_a_chunk_of_its_own(searchable):
    chunks = plan_chunks(searchable, len(OBSERVERS), DURATION_S, max_cells=1)
    assert [c.tolist() for c in chunks] == [[i] for i in range(len(searchable))]
    with pytest.raises(ValueError, match="max_cells must be at least 1"):
        plan_chunks(searchable, 1, DURATION_S, max_cells=0)


def test_batch_single_pairs_and_one_call_are_identical(searchable, timebase):
    whole = search_passes(searchable, OBSERVERS, timebase, DURATION_S, 10.0)
    batch = run_batch(
        searchable, OBSERVERS, timebase, DURATION_S, 10.0, max_cells=SMALL_CHUNK_CELLS
    )
    pairs = []
    for i, es in enumerate(searchable):
        for j, observer in enumerate(OBSERVERS):
            t = search_passes([es], [observer], timebase, DURATION_S, 10.0)
            n = len(t)
            pairs.append(
                PassTable(
                    np.full(n, i), np.full(n, j), t.rise_s, t.culmination_s, t.set_s, t.points
                )
            )
    single = sort_table(concatenate_tables(pairs))
    assert len(whole) > 100
    assert_tables_identical(batch, whole)
    assert_tables_identical(single, whole)


def test_chunks_arrive_in_order_with_global_indices_and_progress(searchable, timebase):
    seen = []
    tables = list(
        search_batch(
            searchable,
            OBSERVERS,
            timebase,
            DURATION_S,
            0.0,
            max_cells=SMALL_CHUNK_CELLS,
            progress=lambda done, total: seen.append((done, total)),
        )
    )
    chunks = plan_chunks(searchable, len(OBSERVERS), DURATION_S, SMALL_CHUNK_CELLS)
    assert len(tables) == len(chunks) == len(seen)
    assert seen[-1] == (len(searchable), len(searchable))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    for chunk, table in zip(chunks, tables, strict=True):
        assert set(table.satellite_index.tolist()) <= set(chunk.tolist())


def test_chunked_memory_stays_below_one_call(searchable, timebase):
    # One chunked run first, untraced: what a process keeps after its first run (the Sun's
    # nodes per timescale, cached texts and dates) is not a run's working memory, and whether
    # an earlier test made it decided the test (0.52 in a fresh process, 0.46 after).
    run_batch(searchable, OBSERVERS, timebase, 3 * DURATION_S, 0.0, max_cells=SMALL_CHUNK_CELLS)

    def peak(max_cells: int) -> int:
        tracemalloc.start()
        run_batch(searchable, OBSERVERS, timebase, 3 * DURATION_S, 0.0, max_cells=max_cells)
        peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak_bytes

    assert peak(SMALL_CHUNK_CELLS) < 0.5 * peak(10**9)


def _prediction(element_sets, timescale):
    return predict(element_sets, OBSERVERS, START, END, 10.0, timescale=timescale)


def test_json_stream_has_the_content_of_to_json(element_sets, timescale):
    chunks = list(
        predict_batch(
            element_sets,
            OBSERVERS,
            START,
            END,
            10.0,
            astronomy=_Astronomy(timescale),
            max_cells=SMALL_CHUNK_CELLS,
        )
    )
    assert len(chunks) > 5
    out = io.StringIO()
    write_json_stream(out, chunks)
    streamed = json.loads(out.getvalue())
    expected = json.loads(to_json(_prediction(element_sets, timescale)))
    assert list(streamed) == ["window", "observers", "passes", *_rest_keys()]
    assert set(streamed) == set(expected)
    for key in expected:
        assert _canonical(streamed[key]) == _canonical(expected[key]), key
    assert len(streamed["passes"]) > 100 and streamed["geostationary"]


def test_csv_stream_has_the_rows_of_to_csv(element_sets, timescale):
    chunks = predict_batch(
        element_sets,
        OBSERVERS,
        START,
        END,
        10.0,
        astronomy=_Astronomy(timescale),
        max_cells=SMALL_CHUNK_CELLS,
    )
    out = io.StringIO()
    write_csv_stream(out, chunks)
    streamed = list(csv.DictReader(io.StringIO(out.getvalue())))
    expected = list(csv.DictReader(io.StringIO(to_csv(_prediction(element_sets, timescale)))))
    assert _canonical(streamed) == _canonical(expected)
    kinds = [row["kind"] for row in streamed]
    assert kinds == sorted(kinds, key=lambda kind: kind == "geostationary")  # passes first


@pytest.mark.parametrize("output_format", ["csv", "json", "jsonl"])
def test_chunks_written_where_they_run_give_the_same_text(element_sets, output_format):
    from passpredict.engine.ephemeris import load_astronomy

    stream = {"csv": write_csv_stream, "json": write_json_stream, "jsonl": write_jsonl_stream}
    write = stream[output_format]
    astronomy = load_astronomy()
    try:
        # at 80 deg some chunks have no pass (the json writer's separators)
        for frequency_hz, visible_only, min_elevation_deg in (
            (None, False, 10.0),
            (437e6, True, 10.0),
            (None, False, 80.0),
        ):
            options = dict(
                twilight_deg=-6.0,
                radio=frequency_hz is not None,
                astronomy=astronomy,
                max_cells=SMALL_CHUNK_CELLS,
            )
            arguments = (element_sets, OBSERVERS, START, END, min_elevation_deg)
            chunks = predict_batch(*arguments, **options)
            if visible_only:
                chunks = (chunk.visible_only() for chunk in chunks)
            here = io.StringIO()
            write(here, chunks, frequency_hz)
            writing = ChunkWriting(output_format, frequency_hz, visible_only)
            written = list(predict_batch(*arguments, writing=writing, **options))
            assert all(isinstance(chunk, WrittenChunk) for chunk in written)
            assert all(not chunk.prediction.passes for chunk in written)  # only the text travels
            counts = [chunk.pass_count for chunk in written]
            assert (0 in counts) is (min_elevation_deg == 80.0) and sum(counts) > 0
            there = io.StringIO()
            write(there, written, frequency_hz)
            assert there.getvalue() == here.getvalue()
            assert "geostationary" in here.getvalue()
    finally:
        astronomy.ephemeris.close()


def _rest_keys() -> list[str]:
    return ["satellites", "geostationary", "notes", "warnings"]


def _canonical(value):
    if isinstance(value, list):
        return sorted(json.dumps(v, sort_keys=True) for v in value)
    return value


class _Astronomy:
    """Only the timescale: these runs ask for no visibility."""

    def __init__(self, timescale):
        self.timescale = timescale


def test_the_orbit_plane_screen_never_changes_an_answer(searchable, timebase):
    """One observer: most grid samples are skipped as provably invisible. Five observers all
    round: no sample is skipped. The passes over the first observer must be the same."""
    many = [
        *OBSERVERS,
        Observer("McMurdo", -77.8419, 166.6863, 10.0),
        Observer("Singapore", 1.3521, 103.8198, 15.0),
    ]
    unscreened = search_passes(searchable, many, timebase, DURATION_S, 10.0)
    for j, observer in enumerate(OBSERVERS):
        screened = search_passes(searchable, [observer], timebase, DURATION_S, 10.0)
        rows = unscreened.observer_index == j
        assert rows.sum() == len(screened) > 20
        for name in ("satellite_index", "rise_s", "culmination_s", "set_s", "points"):
            expected = getattr(unscreened, name)[rows]
            assert np.array_equal(getattr(screened, name), expected, equal_nan=True), name
