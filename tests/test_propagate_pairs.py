"""`propagate_pairs`: indices in order skip the sort, and every order gives the same bits;
`propagate_positions` gives its positions, bit for bit."""

from datetime import UTC, datetime

import numpy as np

from passpredict.engine.propagate import propagate_pairs, propagate_points, propagate_positions
from passpredict.engine.time_axis import TimeBase
from tle_cache.bundled import load_bundled


def test_pairs_in_any_order_are_each_satellites_own_positions_bit_for_bit(timescale):
    start = datetime(2026, 6, 1, tzinfo=UTC)
    timebase = TimeBase.create(start, datetime(2026, 6, 2, tzinfo=UTC), timescale)
    satrecs = [es.satrec() for es in load_bundled()]  # three satellites
    rng = np.random.default_rng(11)
    # in order (the visibility's shadow search), with repeats and a satellite left out
    index = np.sort(rng.choice([0, 2], size=40))
    seconds = rng.uniform(0.0, 86400.0, size=index.size)
    in_order = propagate_pairs(satrecs, index, timebase, seconds)
    shuffle = rng.permutation(index.size)
    shuffled = propagate_pairs(satrecs, index[shuffle], timebase, seconds[shuffle])
    for got, again in zip(in_order, shuffled, strict=True):
        assert got[shuffle].tobytes() == again.tobytes()
    # and each point is what its own satellite's propagation gives
    for s in np.unique(index):
        rows = np.flatnonzero(index == s)
        own = propagate_points(satrecs[s], timebase, seconds[rows])
        for got, expected in zip(in_order, own, strict=True):
            assert got[rows].tobytes() == expected.tobytes()


def test_positions_alone_are_the_pairs_positions_bit_for_bit(timescale):
    start = datetime(2026, 6, 1, tzinfo=UTC)
    timebase = TimeBase.create(start, datetime(2026, 6, 2, tzinfo=UTC), timescale)
    satrecs = [es.satrec() for es in load_bundled()]
    rng = np.random.default_rng(12)
    for size in (1, 7, 20_000):  # (over 8,192 points `teme_to_ecef` works in blocks)
        index = rng.integers(0, len(satrecs), size=size)
        for ordered in (np.sort(index), index):
            seconds = rng.uniform(0.0, 86400.0, size=size)
            gmst = timebase.gmst_rad(seconds)
            r, _, ok = propagate_pairs(satrecs, ordered, timebase, seconds, gmst)
            rotation = np.cos(gmst), np.sin(gmst)
            alone, alone_ok = propagate_positions(satrecs, ordered, timebase, seconds, rotation)
            assert alone.tobytes() == r.tobytes()
            assert alone_ok.tobytes() == ok.tobytes()
