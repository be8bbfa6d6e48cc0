"""`assemble` sorts events and culmination candidates by quicksort where the order is unique,
and must give exactly `np.lexsort`'s (stable) order everywhere, ties and NaN included."""

from __future__ import annotations

import numpy as np
import pytest

from passpredict.engine.passes import assemble


@pytest.mark.parametrize("ties", ["none", "across pairs", "within a pair", "nan", "few"])
def test_the_event_order_is_lexsorts(ties):
    rng = np.random.default_rng(len(ties))
    n, n_pairs = (40, 7) if ties == "few" else (5000, 700)
    pair = rng.integers(0, n_pairs, n).astype(np.intp)
    t = rng.uniform(0.0, 86400.0, n)
    rise = rng.random(n) < 0.5
    if ties == "across pairs":
        t[::7] = 0.0  # the window's start, for many pairs
        t[pair == pair[0]] = rng.uniform(1.0, 2.0, np.count_nonzero(pair == pair[0]))
        t[np.flatnonzero(pair == pair[0])[0]] = 0.0
    elif ties == "within a pair":
        same = np.flatnonzero(pair == pair[3])
        t[same[:2]] = 123.0
        rise[same[:2]] = [True, False]
    elif ties == "nan":
        t[5] = np.nan
    got = assemble._event_order(pair, t, rise, n_pairs)
    assert got.tobytes() == np.lexsort((rise, t, pair)).tobytes()


def test_highest_in_spans_with_tied_keys_is_the_stable_sorts():
    cand_pair = np.array([0, 0, 1, 1, 1], dtype=np.intp)
    cand_t = np.array([5.0, 5.0, 2.0, 3.0, 3.0])
    cand_sin = np.array([0.4, 0.5, 0.1, 0.3, 0.3])
    best = assemble._highest_in_spans(
        cand_pair,
        cand_t,
        cand_sin,
        np.array([0, 1]),
        np.array([4.0, 1.0]),
        np.array([6.0, 4.0]),
        10.0,
    )
    assert best.tolist() == [1, 3]


@pytest.mark.parametrize("ties", ["none", "window start", "shared starts", "one row", "few rows"])
def test_the_table_order_is_lexsorts(ties):
    from passpredict.engine.passes import table

    rng = np.random.default_rng(len(ties))
    n = {"one row": 1, "few rows": 40}.get(ties, 4000)
    satellite = rng.integers(0, 90, n).astype(np.intp)
    observer = rng.integers(0, 40, n).astype(np.intp)
    start = rng.uniform(0.0, 86400.0, n)
    if ties == "window start":
        start[rng.random(n) < 0.05] = 0.0
        start[3] = -0.0
    elif ties == "shared starts":
        start[::3] = np.round(start[::3] / 5000.0) * 5000.0
    got = table._lexsorted(start, satellite, observer)
    assert got.tobytes() == np.lexsort((observer, satellite, start)).tobytes()


@pytest.mark.parametrize("n", [5, 64, 65, 3000])
def test_highest_in_spans_by_quicksort_is_the_stable_sorts(n, monkeypatch):
    # Many candidates take the quicksort with its tie check, a few the stable sort straight
    # away (`_FEW_TO_SORT`): both must pick the same candidate, ties in the keys included.
    rng = np.random.default_rng(n)
    cand_pair = rng.integers(0, 7, n).astype(np.intp)
    cand_t = np.round(rng.uniform(0.0, 100.0, n))  # whole seconds: many equal keys
    cand_sin = np.round(rng.uniform(0.0, 1.0, n), 1)  # and equal heights
    pass_pair = np.arange(7, dtype=np.intp)
    span_start = rng.uniform(0.0, 40.0, 7)
    span_end = span_start + rng.uniform(0.0, 60.0, 7)
    args = (cand_pair, cand_t, cand_sin, pass_pair, span_start, span_end, 100.0)
    monkeypatch.setattr(assemble, "_FEW_TO_SORT", 0)
    by_quicksort = assemble._highest_in_spans(*args)
    monkeypatch.setattr(assemble, "_FEW_TO_SORT", 10**9)
    by_stable_sort = assemble._highest_in_spans(*args)
    assert by_quicksort.tolist() == by_stable_sort.tolist()
