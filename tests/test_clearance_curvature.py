"""The curvature bound of the shadow clearance, which lets the sign-change finder skip samples.

The bound must hold for real orbits (measured second differences of the clearance near its
zeros stay under it), and skipping by it must not change a crossing (the finder's answer
with and without it is the same to the last bit).
"""

import lzma
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from passpredict.engine.crossings import span_crossings
from passpredict.engine.orbits import apogee_radius_km, max_speed_km_s, speed_and_apogee_km
from passpredict.engine.propagate import propagate_grid
from passpredict.engine.shadow import (
    CURVATURE_MARGIN,
    clearance_and_sunward_km,
    clearance_curvature_bound_km_s2,
    shadow_clearance_km,
    sunward_curvature_bound_km_s2,
)
from passpredict.engine.sun import SunTrack
from passpredict.engine.time_axis import TimeBase
from tle_cache.parse import parse_text, read_file

DATA = Path(__file__).parent / "data" / "tle"
START = datetime(2026, 5, 8, tzinfo=UTC)
TURN_RAD_S = 8e-5  # the visibility module's bound on the Sun's turn rate


def _sets():
    visual = read_file(DATA / "celestrak_visual_2026-05-07.txt")
    text = lzma.decompress((DATA / "celestrak_active_2026-05-07.txt.xz").read_bytes()).decode()
    active = parse_text(text)
    # a few orbits of every kind: LEO, MEO, GEO, Molniya-like, highly elliptical
    picked = [es for es in active if es.eccentricity > 0.5][:6]
    picked += [es for es in active if 0.9 < es.omm["MEAN_MOTION"] < 1.1][:6]
    picked += [es for es in active if 1.9 < es.omm["MEAN_MOTION"] < 2.1][:6]
    return visual + picked


def _sampled(astronomy, sets, step_s):
    """The clearance and the sunward distance (km) of `sets` every `step_s` over 8 hours."""
    hours = 8.0
    timebase = TimeBase.create(START, START + timedelta(hours=hours), astronomy.timescale)
    seconds = np.arange(0.0, hours * 3600.0 + step_s, step_s)
    sun = SunTrack.create(astronomy, timebase, 0.0, float(seconds[-1]))
    r, _, ok = propagate_grid([es.satrec() for es in sets], timebase, seconds)
    clearance, sunward = clearance_and_sunward_km(r, sun.ecef_km(seconds)[None, :, :])
    clearance[~ok] = np.nan
    sunward[~ok] = np.nan
    return clearance, sunward


def test_the_bound_holds_for_real_orbits_near_the_shadow_edge(astronomy):
    sets = _sets()
    step_s = 2.0
    clearance, _ = _sampled(astronomy, sets, step_s)
    # a second difference is f'' somewhere in its stencil; near a zero (|f| < 100 km, so
    # well inside the bound's premise for 20 s intervals) it must stay under the bound
    bend = np.diff(clearance, 2, axis=1) / step_s**2
    near = np.nanmax(np.abs(np.stack([clearance[:, :-2], clearance[:, 1:-1], clearance[:, 2:]])), 0)
    speed = np.array([max_speed_km_s(es) for es in sets])
    apogee = np.array([apogee_radius_km(es) for es in sets])
    bound = clearance_curvature_bound_km_s2(speed, apogee, TURN_RAD_S, 20.0) / CURVATURE_MARGIN
    measured = np.where(near < 100.0, np.abs(bend), 0.0)
    assert np.count_nonzero(near < 100.0) > 1000  # the test looks where it matters
    assert np.all(np.nan_to_num(measured) <= bound[:, None])
    # and the bound is not idle: for LEO it is within a few times the real curvature
    leo = apogee < 8000.0
    assert np.all(bound[leo] < 10.0 * np.nanmax(measured[leo], axis=1).max())


def test_skipping_by_the_bound_changes_no_crossing(astronomy):
    sets = _sets()
    hours = 24.0
    timebase = TimeBase.create(START, START + timedelta(hours=hours), astronomy.timescale)
    sun = SunTrack.create(astronomy, timebase, 0.0, hours * 3600.0)
    satrecs = [es.satrec() for es in sets]
    speed = np.array([max_speed_km_s(es) for es in sets])
    apogee = np.array([apogee_radius_km(es) for es in sets])

    def clearance(index, seconds):
        from passpredict.engine.propagate import propagate_pairs

        r, _, ok = propagate_pairs(satrecs, index, timebase, seconds)
        r[~ok] = np.nan
        return shadow_clearance_km(r, sun.ecef_km(seconds))

    def bend(index, width_s):
        return clearance_curvature_bound_km_s2(speed[index], apogee[index], TURN_RAD_S, width_s)

    n = len(sets)
    args = (clearance, np.zeros(n), np.full(n, hours * 3600.0), 20.0, speed + TURN_RAD_S * apogee)
    plain, plain_start = span_crossings(*args)
    bent, bent_start = span_crossings(*args, max_curvature=bend)
    assert plain.span.size > 2 * n  # most satellites enter and leave the shadow
    np.testing.assert_array_equal(bent.span, plain.span)
    np.testing.assert_array_equal(bent.seconds, plain.seconds)
    np.testing.assert_array_equal(bent.rising, plain.rising)
    np.testing.assert_array_equal(bent_start, plain_start)


def test_the_sunward_bound_holds_for_real_orbits_everywhere(astronomy):
    # unlike the clearance's, this bound assumes no zero: it must hold at every instant
    sets = _sets()
    step_s = 2.0
    _, sunward = _sampled(astronomy, sets, step_s)
    bend = np.abs(np.diff(sunward, 2, axis=1)) / step_s**2
    speed, apogee = speed_and_apogee_km(sets)
    bound = sunward_curvature_bound_km_s2(speed, apogee, TURN_RAD_S) / CURVATURE_MARGIN
    assert np.all(np.nan_to_num(bend) <= bound[:, None])
    # not idle: for LEO within a few times the real curvature
    leo = apogee < 8000.0
    assert np.all(bound[leo] < 5.0 * np.nanmax(bend[leo], axis=1).max())
    # and the array form of the speed and apogee bounds is the per-set one
    np.testing.assert_allclose(speed, [max_speed_km_s(es) for es in sets], rtol=1e-15)
    np.testing.assert_allclose(apogee, [apogee_radius_km(es) for es in sets], rtol=1e-15)
