"""Where a satellite is in an observer's sky at given instants, for the live loops.

The same geometry as `track` and `geo`: SGP4 propagated as it is for every orbit but the
geostationary, which is held at its station as `geo` holds it (`passpredict.engine.stationkeeping`),
so the rotator points where `geo` says. Range rates: SGP4's velocity, or for a held position
the central difference of positions 1 s apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.propagate import propagate_points
from passpredict.engine.stationkeeping import SatelliteTrack
from passpredict.engine.time_axis import TimeBase
from passpredict.products.radio import range_rate_km_s
from passpredict.records import Observer
from tle_cache.elements import ElementSet

_VELOCITY_STEP_S = 0.5
#: A time base covers this long; a loop that runs longer gets a new one.
_TIMEBASE_SPAN = timedelta(days=2)


class Target:
    """One satellite seen from one observer."""

    def __init__(self, element_set: ElementSet, observer: Observer, timescale: Timescale):
        self.element_set = element_set
        self.observer = observer
        self.timescale = timescale
        self.geostationary = classify(element_set) is OrbitClass.GEOSTATIONARY
        self._obs = observer_ecef_km([observer])[0]
        self._enu = observer_enu_basis([observer])[0]
        self._timebase: TimeBase | None = None
        self._track: SatelliteTrack | None = None

    def _base(self, first: datetime, last: datetime) -> TimeBase:
        tb = self._timebase
        if tb is None or first < tb.start_utc or last > tb.start_utc + _TIMEBASE_SPAN:
            tb = TimeBase.create(first, first + _TIMEBASE_SPAN, self.timescale)
            self._timebase = tb
            self._track = SatelliteTrack.create(self.element_set, tb, self.timescale, hold=True)
        return tb

    def look(
        self, times_utc: Sequence[datetime]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Return azimuth (deg), elevation (deg) and range rate (km/s) at each instant."""
        tb = self._base(min(times_utc), max(times_utc))
        seconds = np.array([(t - tb.start_utc).total_seconds() for t in times_utc])
        if self.geostationary:
            assert self._track is not None
            both = np.concatenate([seconds - _VELOCITY_STEP_S, seconds, seconds + _VELOCITY_STEP_S])
            r3 = self._track.ecef_km(both)[0].reshape(3, seconds.size, 3)
            r, v = r3[1], (r3[2] - r3[0]) / (2.0 * _VELOCITY_STEP_S)
        else:
            r, v, ok = propagate_points(self.element_set.satrec(), tb, seconds)
            if not ok.all():
                raise ValueError(
                    f"SGP4 cannot propagate {self.element_set.name} ({self.element_set.norad_id}) "
                    "to these times (decayed or unusable elements)"
                )
        az, el, _ = look_angles(r, self._obs, self._enu)
        return az, el, range_rate_km_s(r, v, self._obs)
