"""The central-angle bounds that drop bracketed maxima (`bracket._may_reach`) are bounds.

A maximum may be dropped only if the satellite stays below the threshold all through its
grid interval: here every dropped maximum of a mixed set of orbits over places spread over
the globe is checked against SGP4 itself, every 2 s of its interval. (That dropping them
changes no pass table is for tests/test_small_calls.py and the pass-table comparisons.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from passpredict.engine.ephemeris import load_timescale
from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.passes.bracket import _may_reach
from passpredict.engine.passes.elevation import Track
from passpredict.engine.passes.scan import coarse_step_s, scan
from passpredict.engine.propagate import propagate_pairs
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle"
START = datetime(2026, 5, 7, 18, 30, tzinfo=UTC)
SAMPLE_S = 2.0


def spread_observers(count: int) -> list[Observer]:
    """`count` places on a Fibonacci lattice, at sea level."""
    k = np.arange(count) + 0.5
    latitudes = np.degrees(np.arcsin(1.0 - 2.0 * k / count))
    longitudes = (np.degrees(np.pi * (1.0 + 5.0**0.5) * k) + 180.0) % 360.0 - 180.0
    return [
        Observer(f"place {n}", float(a), float(b), 0.0)
        for n, (a, b) in enumerate(zip(latitudes, longitudes, strict=True))
    ]


def test_every_dropped_maximum_stays_below_the_threshold():
    sets = [
        es for es in read_file(DATA, now_utc=START) if classify(es) is not OrbitClass.GEOSTATIONARY
    ]
    observers = spread_observers(40)
    timescale = load_timescale()
    duration_s = 86400.0
    timebase = TimeBase.create(START, START + timedelta(seconds=duration_s), timescale)
    obs_ecef, enu = observer_ecef_km(observers), observer_enu_basis(observers)
    obs_cm, up = np.ascontiguousarray(obs_ecef.T), np.ascontiguousarray(enu[:, 2, :].T)
    dropped_total = 0
    for min_elevation_deg in (0.0, 10.0, 25.0):
        groups: dict[float, list] = {}
        for es in sets:
            groups.setdefault(coarse_step_s(es), []).append(es)
        for step_s, group in groups.items():
            track = Track([es.satrec() for es in group], obs_cm, up, timebase)
            grid = scan(group, observers, track, obs_ecef, duration_s, step_s, min_elevation_deg)
            rate = grid.rate
            valid = grid.ok[:, None, :-1] & grid.ok[:, None, 1:] & grid.reachable[..., None]
            s, o, k = ((rate[..., :-1] > 0) & (rate[..., 1:] <= 0) & valid).nonzero()
            keep = _may_reach(group, grid, obs_cm, s, o, k, min_elevation_deg)
            s, o, k = s[~keep], o[~keep], k[~keep]
            if s.size == 0:
                continue
            dropped_total += s.size
            offsets = np.arange(0.0, step_s + SAMPLE_S, SAMPLE_S)
            times = np.minimum(grid.seconds[k][:, None] + offsets, grid.seconds[k + 1][:, None])
            sat = np.repeat(s, offsets.size)
            r, _, ok = propagate_pairs(track.satrecs, sat, timebase, times.ravel())
            obs = np.repeat(o, offsets.size)
            _, elevation, _ = look_angles(r, obs_ecef[obs], enu[obs])
            assert np.all(elevation[ok] < min_elevation_deg), (step_s, min_elevation_deg)
    assert dropped_total > 1000  # the bounds do drop maxima
