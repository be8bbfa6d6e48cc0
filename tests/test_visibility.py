"""Visibility building blocks: twilight choices, interval logic, the sign-change finder."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.engine.crossings import Crossings
from passpredict.engine.shadow import is_sunlit, shadow_clearance_km
from passpredict.engine.sun import SunTrack
from passpredict.engine.time_axis import TimeBase
from passpredict.products.predict import predict
from passpredict.products.visibility import (
    VisibilityOptions,
    _intersect,
    _intervals,
    _visible_windows,
    parse_twilight,
    span_crossings,
    twilight_name,
)
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "visibility"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")


def test_twilight_names_and_degrees():
    assert parse_twilight("civil") == -6.0
    assert parse_twilight(" Nautical ") == -12.0
    assert parse_twilight("astronomical") == -18.0
    assert parse_twilight("-9") == -9.0
    assert parse_twilight("0") == 0.0
    assert twilight_name(-12.0) == "nautical twilight"
    assert twilight_name(-9.0) == "Sun below -9 deg"
    with pytest.raises(ValueError, match=r"between -90 and 0 deg, got 6\.0"):
        parse_twilight("6")
    with pytest.raises(ValueError, match="neither civil, nautical, astronomical"):
        parse_twilight("dusk")


def test_intervals_from_switches():
    assert _intervals(0.0, 10.0, True, np.array([3.0, 5.0]), np.array([False, True])) == [
        (0.0, 3.0),
        (5.0, 10.0),
    ]
    assert _intervals(0.0, 10.0, False, np.array([]), np.array([], bool)) == []
    assert _intersect([(0.0, 3.0), (5.0, 10.0)], [(2.0, 6.0)]) == [(2.0, 3.0), (5.0, 6.0)]


def test_span_crossings_finds_a_dip_between_two_samples():
    # f dips below zero for 4 s around t = 105 s, between two 20 s samples that are both
    # positive: only the rate bound tells the finder to look closer.
    def f(span, t):
        return np.abs(t - 105.0) - 2.0 + 10.0 * span

    found, at_start = span_crossings(
        f, np.array([0.0, 0.0]), np.array([200.0, 200.0]), 20.0, np.array([1.0, 1.0])
    )
    assert list(found.span) == [0, 0]
    assert found.seconds == pytest.approx([103.0, 107.0], abs=1e-3)
    assert list(found.rising) == [False, True]
    assert at_start == pytest.approx([103.0, 113.0])


def test_shadow_clearance_geometry():
    sun = np.array([1.5e12, 0.0, 0.0])  # far enough for parallel rays
    behind = np.array([-7000.0, 0.0, 0.0])  # on the night side, on the shadow axis
    beside = np.array([0.0, 7000.0, 0.0])  # at the terminator, sunlit
    over_pole = np.array([-7000.0, 0.0, 6400.0])  # behind but high above the pole
    clearance = shadow_clearance_km(np.stack([behind, beside, over_pole]), sun)
    assert clearance[0] == pytest.approx(-6378.137, abs=1e-6)
    assert clearance[1] == pytest.approx(7000.0 - 6378.137, abs=0.01)
    # in the z-stretched frame the pole is at 6378.137: 6400 km up clears it by 6400 * a / b
    assert clearance[2] == pytest.approx(6400.0 / (1 - 1 / 298.257223563) - 6378.137, abs=0.01)
    assert list(is_sunlit(np.stack([behind, beside, over_pole]), sun)) == [False, True, True]


def test_sun_track_refuses_times_it_was_not_computed_for(astronomy):
    start = datetime(2026, 8, 22, tzinfo=UTC)
    timebase = TimeBase.create(start, start + timedelta(hours=2), astronomy.timescale)
    sun = SunTrack.create(astronomy, timebase, 0.0, 7200.0)
    assert np.linalg.norm(sun.ecef_km([0.0, 7200.0]), axis=-1) == pytest.approx(1.511e8, rel=3e-3)
    with pytest.raises(ValueError, match="widen the track"):
        sun.ecef_km([270000.0])  # the nodes reach 2.5 steps (30 h) past the span


def test_visible_only_and_its_precondition(astronomy):
    iss = max(read_file(DATA / "iss_25544_2026-08-21_22.tle"), key=lambda es: es.epoch_utc)
    start = datetime(2026, 8, 22, 12, tzinfo=UTC)
    plain = predict([iss], [BAKU], start, start + timedelta(days=1), timescale=astronomy.timescale)
    assert plain.twilight_deg is None and plain.passes[0].visibility is None
    with pytest.raises(ValueError, match="visibility was not computed"):
        plain.visible_only()
    seen = predict(
        [iss],
        [BAKU],
        start,
        start + timedelta(days=1),
        timescale=astronomy.timescale,
        visibility=VisibilityOptions(astronomy),
    )
    kept = seen.visible_only()
    assert 0 < len(kept.passes) < len(seen.passes)
    assert all(p.visibility.visible for p in kept.passes)
    # the same passes as without visibility, only enriched
    assert [p.culmination.time_utc for p in seen.passes] == [
        p.culmination.time_utc for p in plain.passes
    ]
    with pytest.raises(ValueError, match="between -90 and 0"):
        VisibilityOptions(astronomy, twilight_deg=3.0)


def _sample_visibility(astronomy):
    """Return a function giving the visibility columns of 150 sets of every orbit kind x
    three observers x one day, where passes cross the terminator (both ways), stay in
    daylight and stay deep in shadow, and cross the twilight altitude or stay clear of it."""
    import lzma

    from tle_cache.parse import parse_text

    tle = Path(__file__).parent / "data" / "tle" / "celestrak_active_2026-05-07.txt.xz"
    active = parse_text(lzma.decompress(tle.read_bytes()).decode())
    sets = active[::100][:150]
    observers = [
        BAKU,
        Observer("Tromso", 69.65, 18.96, 0.0, "UTC"),
        Observer("Quito", -0.18, -78.47, 2850.0, "UTC"),
    ]
    start = datetime(2026, 5, 8, tzinfo=UTC)
    options = VisibilityOptions(astronomy)

    def run():
        return predict(
            sets,
            observers,
            start,
            start + timedelta(days=1),
            timescale=astronomy.timescale,
            visibility=options,
        ).columns.visibility

    return run


def test_passes_settled_from_their_points_have_the_crossings_of_sampling(astronomy, monkeypatch):
    # The pre-screen (`_far_from_terminator`) settles passes from the search's rise,
    # culmination and set points; the visibility must be that of sampling every pass, to
    # the last bit.
    from passpredict.products import visibility as vis

    run = _sample_visibility(astronomy)
    settled: list[int] = []
    screen = vis._far_from_terminator

    def counted(*args):
        far, lit, lit_culm = screen(*args)
        settled.append(int(far.sum()))
        return far, lit, lit_culm

    monkeypatch.setattr(vis, "_far_from_terminator", counted)
    screened = run()
    monkeypatch.setattr(vis, "_far_from_terminator", lambda *a: screen(*a[:-1], False))
    sampled = run()
    n = screened.sunlit.size
    assert n > 500 and settled[0] > n // 3  # the screen is not idle
    assert 0 < np.count_nonzero(~np.isnan(sampled.shadow_entry_s)) < n  # edges crossed
    for name in vars(sampled):
        np.testing.assert_array_equal(getattr(screened, name), getattr(sampled, name), name)


def test_passes_steady_in_twilight_have_the_dusk_of_sampling(astronomy, monkeypatch):
    # Passes whose Sun stays clear of the twilight altitude by the rate bound are settled
    # from their three points (`_steady_darkness`); the visibility must be that of sampling
    # the Sun's altitude over every pass, to the last bit.
    from passpredict.products import visibility as vis

    run = _sample_visibility(astronomy)
    settled: list[int] = []
    steady = vis._steady_darkness

    def counted(*args):
        found = steady(*args)
        settled.append(int(found.sum()))
        return found

    monkeypatch.setattr(vis, "_steady_darkness", counted)
    screened = run()
    monkeypatch.setattr(vis, "_steady_darkness", lambda depth, _: np.zeros(len(depth), bool))
    sampled = run()
    n = screened.sunlit.size
    assert n > 500 and n // 2 < settled[0] < n  # most passes settle, not all
    assert 0 < np.count_nonzero(sampled.visible) < n  # some passes seen, at dusk and dawn
    for name in vars(sampled):
        np.testing.assert_array_equal(getattr(screened, name), getattr(sampled, name), name)


def _windows_one_by_one(span_start, span_end, lit0, dark0, shadow, dusk):
    """The sweep of every pass on its own, from `_intervals` and `_intersect`."""
    sunlit, entry, exit_, windows = [], [], [], []
    for i in range(span_start.size):
        s, d = shadow.span == i, dusk.span == i
        lit = _intervals(span_start[i], span_end[i], lit0[i], shadow.seconds[s], shadow.rising[s])
        dark = _intervals(span_start[i], span_end[i], dark0[i], dusk.seconds[d], dusk.rising[d])
        sunlit.append(bool(lit))
        switches = list(zip(shadow.seconds[s], shadow.rising[s], strict=True))
        entry.append(next((t for t, up in switches if not up), np.nan))
        exit_.append(next((t for t, up in switches if up), np.nan))
        windows += [(i, lo, hi) for lo, hi in _intersect(lit, dark)]
    return sunlit, entry, exit_, windows


def _switches(rng, span_start, span_end, counts):
    span = np.repeat(np.arange(counts.size), counts)
    # inside the span, on its ends now and then (a switch at the very start or end)
    where = rng.choice(4, span.size, p=[0.8, 0.1, 0.05, 0.05])
    u = np.where(where == 0, rng.uniform(size=span.size), np.where(where == 1, 0.0, 1.0))
    seconds = span_start[span] + u * (span_end[span] - span_start[span])
    order = np.lexsort((seconds, span))
    return Crossings(span[order], seconds[order], rng.uniform(size=span.size)[order] < 0.5)


def test_visible_windows_on_arrays_are_the_sweep_of_each_pass():
    # _visible_windows settles passes with no switch and with a single switch on arrays, the
    # rest one by one: every case gives what the plain sweep of each pass gives
    rng = np.random.default_rng(3)
    n = 4000
    span_start = np.round(rng.uniform(0.0, 80000.0, n), 1)
    span_end = span_start + np.where(rng.uniform(size=n) < 0.05, 0.0, rng.uniform(0.0, 900.0, n))
    lit0, dark0 = rng.uniform(size=n) < 0.5, rng.uniform(size=n) < 0.5
    kinds = rng.choice(4, (2, n), p=[0.5, 0.35, 0.1, 0.05])  # 0..3 switches of each kind
    shadow = _switches(rng, span_start, span_end, kinds[0])
    dusk = _switches(rng, span_start, span_end, kinds[1])
    sunlit, entry, exit_, owner, lo, hi = _visible_windows(
        span_start, span_end, lit0, dark0, shadow, dusk
    )
    want_sunlit, want_entry, want_exit, want_windows = _windows_one_by_one(
        span_start, span_end, lit0, dark0, shadow, dusk
    )
    assert sunlit.tolist() == want_sunlit
    assert np.array_equal(entry, want_entry, equal_nan=True)
    assert np.array_equal(exit_, want_exit, equal_nan=True)
    assert list(zip(owner.tolist(), lo.tolist(), hi.tolist(), strict=True)) == want_windows


def test_standard_magnitudes_by_set_are_those_of_standard_magnitude(monkeypatch):
    # the per-set table is `standard_magnitude` set by set: the caller's figure first, then
    # the published one, NaN for none (with none published, with one, with both)
    from passpredict.products import magnitude
    from passpredict.products.visibility import _std_by_satellite

    sets = read_file(Path(__file__).parent / "data" / "tle" / "celestrak_visual_2026-05-07.txt")[:4]
    ids = [es.norad_id for es in sets]

    def expected(supplied):
        found = [magnitude.standard_magnitude(i, supplied) for i in ids]
        return np.array([np.nan if f is None else f.magnitude for f in found])

    for supplied in ({}, {ids[1]: 4.5}, {ids[0]: "3", ids[2]: -1.0}):
        np.testing.assert_array_equal(_std_by_satellite(sets, supplied), expected(supplied))
        published = magnitude.StandardMagnitude(2.0, "test")
        monkeypatch.setitem(magnitude.STANDARD_MAGNITUDES, ids[2], published)
        monkeypatch.setitem(magnitude.STANDARD_MAGNITUDES, ids[3], published)
        np.testing.assert_array_equal(_std_by_satellite(sets, supplied), expected(supplied))
        monkeypatch.undo()


def test_skipping_by_the_suns_curvature_changes_no_dusk(astronomy, monkeypatch):
    # The Sun's altitude bends slowly (`altitude_curvature_bound_deg_s2`), which spares the
    # 1 s resampling beside each dusk; without the bound (inf: nothing skipped by it) the
    # visibility is the same to the last bit.
    from passpredict.engine import crossings
    from passpredict.products import visibility as vis

    run = _sample_visibility(astronomy)
    bounds: list[float] = []
    bound = vis.altitude_curvature_bound_deg_s2

    def recorded(*args):
        found = bound(*args)
        bounds.append(float(np.min(found)))
        return found

    resampled: list[int] = []
    screen = crossings._screened

    def counted(f, owner, t, *rest):
        resampled.append(t.size)
        return screen(f, owner, t, *rest)

    monkeypatch.setattr(vis, "altitude_curvature_bound_deg_s2", recorded)
    monkeypatch.setattr(crossings, "_screened", counted)
    bent = run()
    with_bound = sum(resampled)
    resampled.clear()
    monkeypatch.setattr(
        vis, "altitude_curvature_bound_deg_s2", lambda a, r, w: np.full(np.shape(w), np.inf)
    )
    plain = run()
    assert bounds and with_bound < sum(resampled)  # the bound was used and spared samples
    for name in vars(plain):
        np.testing.assert_array_equal(getattr(bent, name), getattr(plain, name), name)
