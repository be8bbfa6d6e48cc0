"""Culminations over every orbit class of a batch: the highest point, also for slow orbits.

Regression: SGP4 returns velocities that differ from the derivative of its own positions by
0.1 to 2 m/s for deep-space (SDP4) and eccentric orbits. Seen from the ground such a satellite
may move by only a few m/s, so the root of the elevation rate computed from those velocities
put slow culminations seconds away from the real maximum (SHIJIAN-29B over Baku, 2026-05-08,
was 58831.7 s after midnight instead of 58836.1 s; a Beidou IGSO 3.4 s off, also because the
scan's rate put the maximum in the wrong grid interval). The engine now differentiates those
satellites' positions itself, on the grid and in the refinement.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.propagate import propagate_points
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer
from passpredict.runs.batch import run_batch
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle"
OBSERVERS = [
    Observer("Baku", 40.4093, 49.8671, -28.0),
    Observer("Quito", -0.1807, -78.4678, 2850.0),
    Observer("Sydney", -33.8688, 151.2093, 58.0),
]
START = datetime(2026, 5, 7, 18, 30, tzinfo=UTC)
END = START + timedelta(days=2)
#: Dense sampling of the model's own elevation around each culmination.
SAMPLE_S = 0.02
HALF_SPAN_S = 20.0
CULMINATION_TOL_S = 0.1


def test_culminations_are_the_highest_point_for_every_orbit_class(timescale):
    element_sets = [
        es for es in read_file(DATA, now_utc=START) if classify(es) is not OrbitClass.GEOSTATIONARY
    ]
    timebase = TimeBase.create(START, END, timescale)
    duration_s = (END - START).total_seconds()
    table = run_batch(element_sets, OBSERVERS, timebase, duration_s, 5.0, max_cells=2000)
    obs_ecef, enu = observer_ecef_km(OBSERVERS), observer_enu_basis(OBSERVERS)
    checked_deep = 0
    for i in range(len(table)):
        t = table.culmination_s[i]
        if not HALF_SPAN_S < t < duration_s - HALF_SPAN_S:
            continue
        es = element_sets[table.satellite_index[i]]
        o = table.observer_index[i]
        seconds = np.arange(t - HALF_SPAN_S, t + HALF_SPAN_S, SAMPLE_S)
        r, _, _ = propagate_points(es.satrec(), timebase, seconds)
        _, elevation, _ = look_angles(r, obs_ecef[o], enu[o])
        if elevation.argmax() in (0, seconds.size - 1):
            continue  # a pass whose highest point lies at its rise or set (window cut)
        assert seconds[elevation.argmax()] == pytest.approx(t, abs=CULMINATION_TOL_S), es.name
        assert table.points[i, 1, 1] == pytest.approx(elevation.max(), abs=1e-6)
        checked_deep += es.satrec().method == "d"
    assert checked_deep >= 5  # Galileo, O3B, TDRS 3 and COSMOS 2552 passes were checked
