"""Chunks run several to a `predict` call (`passpredict.runs.grouped`): the same chunks come out.

`predict_batch(run_cells=...)` runs consecutive chunks in one call and cuts the answer back:
each chunk's prediction must be the one its own call gives, field for field and as written
text byte for byte, so that a streamed output (passes by time within a chunk) cannot change.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from passpredict.engine.passes import PassTable
from passpredict.runs.batch import (
    plan_chunks,
    predict_batch,
    write_csv_stream,
    write_json_stream,
    write_jsonl_stream,
)
from passpredict.runs.grouped import _lookup, group_chunks, unique_satellites
from tests.test_batch import DATA, END, OBSERVERS, SMALL_CHUNK_CELLS, START
from tle_cache.parse import read_file


@pytest.fixture(scope="module")
def element_sets():
    return read_file(DATA, now_utc=START)


@pytest.fixture(scope="module")
def astronomy():
    from passpredict.engine.ephemeris import load_astronomy

    loaded = load_astronomy()
    yield loaded
    loaded.ephemeris.close()


def assert_same_chunk(grouped, alone) -> None:
    """The same prediction, field for field; its passes as the same arrays."""
    for name in ("satellites", "geostationary", "notes", "warnings", "stale", "observers"):
        assert getattr(grouped, name) == getattr(alone, name), name
    for name in PassTable.__dataclass_fields__:
        a, b = getattr(grouped.table, name), getattr(alone.table, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True), name
    ours, theirs = grouped.columns, alone.columns
    assert len(ours) == len(theirs)
    for name in ("satellite", "norad_id", "observer"):
        assert getattr(ours, name).tolist() == getattr(theirs, name).tolist(), name
    for name in ("rise_s", "culmination_s", "set_s", "points", "time_uncertainty_s"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name), equal_nan=True), name
    assert replace(grouped, passes=(), table=None) == replace(alone, passes=(), table=None)


@pytest.mark.parametrize(
    ("min_elevation_deg", "radio", "days_later"),
    [(10.0, False, 0), (10.0, True, 0), (80.0, False, 0), (10.0, False, 9)],
)
def test_grouped_chunks_are_the_chunks_of_a_call_each(
    element_sets, astronomy, min_elevation_deg, radio, days_later
):
    later = timedelta(days=days_later)  # 9 days on, the low orbits' sets are stale
    arguments = (element_sets, OBSERVERS, START + later, END + later, min_elevation_deg)
    options = dict(twilight_deg=-6.0, radio=radio, astronomy=astronomy, max_cells=SMALL_CHUNK_CELLS)
    alone = list(predict_batch(*arguments, **options))
    grouped = list(predict_batch(*arguments, run_cells=4 * SMALL_CHUNK_CELLS, **options))
    assert len(alone) == len(grouped) > 5
    assert any(chunk.geostationary for chunk in alone)
    assert any(chunk.notes for chunk in alone)
    assert any(chunk.stale for chunk in alone) is (days_later > 0)
    for ours, theirs in zip(grouped, alone, strict=True):
        assert_same_chunk(ours, theirs)
    frequency_hz = 437e6 if radio else None
    for write in (write_csv_stream, write_json_stream, write_jsonl_stream):
        texts = []
        for chunks in (alone, grouped):
            out = io.StringIO()
            write(out, chunks, frequency_hz)
            texts.append(out.getvalue())
        assert texts[0] == texts[1], write.__name__


def test_progress_counts_every_chunk_as_before(element_sets, astronomy):
    seen: dict[str, list[tuple[int, int]]] = {"alone": [], "grouped": []}
    for key, run_cells in (("alone", None), ("grouped", 10**9)):
        chunks = predict_batch(
            element_sets,
            OBSERVERS,
            START,
            END,
            10.0,
            astronomy=astronomy,
            max_cells=SMALL_CHUNK_CELLS,
            run_cells=run_cells,
            progress=lambda done, total, key=key: seen[key].append((done, total)),
        )
        for _ in chunks:
            pass
    assert seen["grouped"] == seen["alone"] and len(seen["alone"]) > 5


def test_two_sets_of_one_satellite_run_a_call_per_chunk(element_sets, astronomy):
    twice = [*element_sets, element_sets[0]]  # no cut by NORAD number: chunks run alone
    assert unique_satellites(element_sets) and not unique_satellites(twice)
    options = dict(astronomy=astronomy, max_cells=SMALL_CHUNK_CELLS)
    alone = list(predict_batch(twice, OBSERVERS, START, END, 10.0, **options))
    grouped = list(predict_batch(twice, OBSERVERS, START, END, 10.0, run_cells=10**9, **options))
    for ours, theirs in zip(grouped, alone, strict=True):
        assert_same_chunk(ours, theirs)


def test_groups_hold_consecutive_chunks_and_one_satellite_chunks_alone(element_sets):
    chunks = plan_chunks(element_sets, len(OBSERVERS), 86400.0, SMALL_CHUNK_CELLS)
    groups = group_chunks(chunks, 3)
    assert [k for group in groups for k in group] == list(range(len(chunks)))
    assert all(1 <= len(group) <= 3 for group in groups) and any(len(g) > 1 for g in groups)
    for group in groups:
        assert len(group) == 1 or all(chunks[k].size > 1 for k in group)
    sizes = [np.arange(n) for n in (3, 1, 2, 2, 2, 1, 1, 5)]
    assert group_chunks(sizes, 2) == [[0], [1], [2, 3], [4], [5], [6], [7]]


def test_lookup_by_a_dense_table_and_by_a_search_agree():
    keys = np.array([5, 2, 900_000, 7], dtype=np.int64)
    values = np.arange(4)
    dense, searched = _lookup(keys, values), _lookup(keys + 10**9, values)
    assert dense([7, 5, 900_000, 2]).tolist() == [3, 0, 2, 1]
    assert searched(np.array([7, 5, 900_000, 2]) + 10**9).tolist() == [3, 0, 2, 1]
