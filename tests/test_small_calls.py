"""Small calls of the pass search: one satellite, one observer, a repeated window.

A call on one pair takes shortcuts the general path does not (one scan-step group, no
regrouping, no sort by satellite before SGP4) and finds its time axis and observer geometry
already computed when the window or the places were seen before. None of that may change a
bit: every pair searched alone must give exactly the rows the same pair gets inside a call on
many satellites of several scan steps and many observers, and a repeated call exactly what
a fresh time axis gives. (Whether those rows are right is for tests/test_passes_oracle.py.)
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.engine.ephemeris import load_timescale
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.passes import PassTable, coarse_step_s, search_passes
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle"
START = datetime(2026, 5, 7, 18, 30, tzinfo=UTC)
OBSERVERS = [
    Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku"),
    Observer("Tromsø", 69.65, 18.96, 10.0),
    Observer("Quito", -0.1807, -78.4678, 2850.0),
    Observer("McMurdo", -77.85, 166.67, 10.0),
]
FIELDS = [f.name for f in dataclasses.fields(PassTable)]
WINDOWS = 4


@pytest.fixture(scope="module")
def searchable():
    element_sets = read_file(DATA, now_utc=START)
    return [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]


def windows() -> list[tuple[datetime, float, float]]:
    """Random windows (start, days, threshold): starts anywhere in a day, to the microsecond."""
    rng = np.random.default_rng(20261202)
    return [
        (
            START + timedelta(microseconds=int(rng.integers(0, 86_400_000_000))),
            float(rng.choice([0.3, 1.0, 2.5, 7.0])),
            float(rng.choice([0.0, 10.0, 25.0])),
        )
        for _ in range(WINDOWS)
    ]


def rows(table: PassTable, keep: np.ndarray | slice = slice(None)) -> dict[str, bytes]:
    return {name: getattr(table, name)[keep].tobytes() for name in FIELDS[2:]}


@pytest.mark.parametrize(("start", "days", "threshold_deg"), windows())
def test_one_pair_alone_gives_the_rows_it_gets_among_many(
    searchable, timescale, start, days, threshold_deg
):
    assert len({coarse_step_s(es) for es in searchable}) > 1  # the general path: groups
    end = start + timedelta(days=days)
    duration_s = (end - start).total_seconds()
    timebase = TimeBase.create(start, end, timescale)
    everything = search_passes(searchable, OBSERVERS, timebase, duration_s, threshold_deg)
    assert len(everything) > 0
    for i, es in enumerate(searchable):
        for j, observer in enumerate(OBSERVERS):
            # a fresh time axis each time, as a caller on one pair would build it
            alone_axis = TimeBase.create(start, end, timescale)
            alone = search_passes([es], [observer], alone_axis, duration_s, threshold_deg)
            assert not alone.satellite_index.any() and not alone.observer_index.any()
            among = (everything.satellite_index == i) & (everything.observer_index == j)
            assert rows(alone) == rows(everything, among), (
                es.name,
                observer.name,
            )


def test_a_repeated_window_gives_what_a_fresh_time_axis_gives(searchable, timescale):
    start, days, threshold_deg = windows()[0]
    end = start + timedelta(days=days)
    duration_s = (end - start).total_seconds()
    first = TimeBase.create(start, end, timescale)
    again = TimeBase.create(start, end, timescale)  # finds what `first` computed
    fresh = TimeBase.create(start, end, load_timescale())  # a timescale of its own
    assert again.ut1_minus_tai_s.tobytes() == fresh.ut1_minus_tai_s.tobytes()
    assert again.tai_minus_utc_s.tobytes() == fresh.tai_minus_utc_s.tobytes()
    assert again.node_s.tobytes() == fresh.node_s.tobytes()
    tables = [
        search_passes(searchable[:5], OBSERVERS[:1], axis, duration_s, threshold_deg)
        for axis in (first, again, fresh)
    ]
    assert len(tables[0]) > 0
    for table in tables[1:]:
        assert rows(table) == rows(tables[0])


def test_axes_of_other_windows_do_not_share_derived_arrays(timescale):
    # the same UT1 table and start day, another start time or length: other grids
    a = TimeBase.create(START, START + timedelta(days=1), timescale)
    b = TimeBase.create(START + timedelta(seconds=1), START + timedelta(days=1), timescale)
    grid_a = a.derived(("test", 60.0), lambda: a.gmst_rad(np.arange(0.0, 600.0, 60.0)))
    grid_b = b.derived(("test", 60.0), lambda: b.gmst_rad(np.arange(0.0, 600.0, 60.0)))
    assert grid_a is not grid_b
    assert not np.array_equal(grid_a, grid_b)
    assert grid_b.tobytes() == b.gmst_rad(np.arange(0.0, 600.0, 60.0)).tobytes()


@pytest.mark.parametrize("max_order", [1, 2, 3])
def test_stacked_horner_gives_what_one_pass_per_derivative_gives(max_order):
    # the stacked tables (`_padded_chain`) against Horner's rule on each derivative's own
    # coefficients, (j + 1) c_{j+1} / length of the one before, written out here
    from passpredict.engine.passes import guesses

    rng = np.random.default_rng(max_order)
    n = 37
    coefficients = rng.normal(scale=7000.0, size=(6, 3, n))
    length_s = rng.uniform(10.0, 1000.0, size=n)
    tau = rng.uniform(0.0, 1.0, size=n)
    chain = [list(coefficients)]
    for _ in range(max_order):
        below = chain[-1]
        chain.append([(j + 1) * below[j + 1] / length_s for j in range(len(below) - 1)])
    for order in range(1, max_order + 1):
        stacked = guesses._Quintic(coefficients, length_s, max_order).derivatives(tau, order)
        assert len(stacked) == order + 1
        for k, c in enumerate(chain[: order + 1]):
            value = c[-1] * tau + c[-2]
            for coefficient in c[-3::-1]:
                value = value * tau + coefficient
            assert stacked[k].tobytes() == value.tobytes()


def test_the_track_sampled_once_per_grid_interval_gives_what_each_row_gives():
    # With more intervals than the grid has, the first guesses interpolate and sample the
    # track once per grid interval and gather: the same coefficients and the same
    # sin(elevation) as every row's own interpolation, bit for bit.
    from passpredict.engine.passes import guesses

    rng = np.random.default_rng(11)
    n_sat, n_t, rows = 3, 9, 40
    seconds = np.append(np.arange(0.0, 7.5 * 900.0, 900.0), 7.5 * 900.0)[:n_t]
    r = rng.normal(scale=4000.0, size=(3, n_sat, n_t)) + 7000.0
    v = rng.normal(scale=5.0, size=(3, n_sat, n_t))
    s, k = rng.integers(0, n_sat, rows), rng.integers(0, n_t - 1, rows)
    obs = rng.normal(scale=6000.0, size=(3, rows))
    up = obs / np.sqrt((obs * obs).sum(axis=0))
    flat = np.concatenate((s * n_t + k, s * n_t + k + 1))
    r_ends, v_ends = r.reshape(3, -1)[:, flat], v.reshape(3, -1)[:, flat]
    own = guesses._Quintic.between(r_ends, v_ends, seconds[k + 1] - seconds[k])
    on_grid = guesses._Quintic.on_grid(r, v, seconds)
    gathered = on_grid.take_flat(s * (n_t - 1) + k)
    assert gathered.c.tobytes() == own.c.tobytes()
    assert gathered.length_s.tobytes() == own.length_s.tobytes()
    tau = guesses._SUBSTEP_FRACTIONS
    shared = (guesses._track_positions(on_grid.c, tau), s * (n_t - 1) + k)
    for block in (7, guesses.SUBSTEP_BLOCK_INTERVALS):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(guesses, "SUBSTEP_BLOCK_INTERVALS", block)
            want = guesses._sin_elevation_on(own, tau, obs, up, 0.17)
            got = guesses._sin_elevation_on(gathered, tau, obs, up, 0.17, shared)
        assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize(("start", "days", "threshold_deg"), windows()[:2])
def test_the_small_input_shortcuts_change_no_answer(
    searchable, timescale, monkeypatch, start, days, threshold_deg
):
    # Small grids skip the orbit-plane screen, and few maxima skip `_may_reach`: every pair
    # and several observers, with both shortcuts always taken and never taken.
    from passpredict.engine.passes import bracket, scan

    end = start + timedelta(days=days)
    duration_s = (end - start).total_seconds()
    timebase = TimeBase.create(start, end, timescale)

    def search(shortcuts: bool, element_sets, observers) -> PassTable:
        monkeypatch.setattr(scan, "_SCREEN_MIN_SAMPLES", 10**9 if shortcuts else 0)
        monkeypatch.setattr(bracket, "_SCREENED_MAXIMA_MIN", 10**9 if shortcuts else -1)
        return search_passes(element_sets, observers, timebase, duration_s, threshold_deg)

    cases = [([es], [observer]) for es in searchable for observer in OBSERVERS[:2]]
    cases.append((searchable, OBSERVERS[:1]))
    found = 0
    for element_sets, observers in cases:
        general = search(False, element_sets, observers)
        shortcut = search(True, element_sets, observers)
        assert rows(shortcut) == rows(general), (element_sets[0].name, observers[0].name)
        assert shortcut.satellite_index.tobytes() == general.satellite_index.tobytes()
        assert shortcut.observer_index.tobytes() == general.observer_index.tobytes()
        found += len(general)
    assert found > 50


def test_one_satellite_plane_states_are_what_satrec_array_gives(searchable):
    # The orbit-plane screen runs SGP4 for one satellite into arrays of its own (issue 11).
    from sgp4.api import SatrecArray

    from passpredict.engine.passes import scan

    whole = np.full(29, 2461168.5)
    fraction = np.linspace(0.0, 7.0, 29)
    for es in searchable:
        ours = scan._plane_states([es.satrec()], whole, fraction)
        theirs = SatrecArray([es.satrec()]).sgp4(whole, fraction)
        for a, b in zip(ours, theirs, strict=True):
            assert a.dtype == b.dtype and a.shape == b.shape
            assert a.tobytes() == b.tobytes(), es.name


def test_joining_roots_with_nothing_gives_what_concatenation_gives():
    # `_join` hands back its one part with roots as it is, without the concatenations.
    from passpredict.engine.passes import assemble
    from passpredict.engine.passes.refine import Refined

    rng = np.random.default_rng(11)
    some = Refined(
        sat=np.arange(4),
        obs=np.zeros(4, np.intp),
        seconds=rng.uniform(0.0, 86400.0, 4),
        increasing=np.array([True, False, True, False]),
        last_sin_elevation=rng.uniform(-1.0, 1.0, 4),
        position_km=rng.normal(size=(3, 4)).T,
    )
    none = assemble._NO_ROOTS
    for parts in ((some, none, none), (none, some, none), (none, none, some), (none, none)):
        joined = assemble._join(*parts)
        for name in Refined._fields:
            expected = np.concatenate([getattr(part, name) for part in parts])
            got = np.asarray(getattr(joined, name))
            assert got.dtype == expected.dtype and got.shape == expected.shape
            assert np.ascontiguousarray(got).tobytes() == expected.tobytes()


def test_the_scan_masks_exactly_the_pairs_can_ever_rise_rules_out(searchable):
    # the scan's latitude limits come from one array expression, with the scalar function
    # deciding the doubtful sets: every comparison must be `can_ever_rise`'s, also for
    # observers on a set's limit and a hair beyond it
    from passpredict.engine.orbits import can_ever_rise, rise_latitude_limit_deg
    from passpredict.engine.passes import scan

    for min_elevation_deg in (0.0, 10.0, 25.0):
        limits = [rise_latitude_limit_deg(es, min_elevation_deg) for es in searchable]
        on_edge = sorted({lat for lat in limits if 0.0 < lat < 90.0})[:8]
        latitudes = np.array(
            [0.0, 40.4093, 69.65, *on_edge, *(np.nextafter(lat, 90.0) for lat in on_edge)]
        )
        got = scan._latitude_limits_deg(searchable, latitudes, min_elevation_deg)
        reachable = latitudes[None, :] <= got[:, None]
        expected = [
            [can_ever_rise(es, float(lat), min_elevation_deg) for lat in latitudes]
            for es in searchable
        ]
        assert on_edge
        assert reachable.tolist() == expected
