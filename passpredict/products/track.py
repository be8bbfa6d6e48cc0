"""A satellite in an observer's sky over time: azimuth, elevation, range and range rate.

This is what an antenna rotator or a tracking script wants: the look angles on a regular time
grid, with the range rate for Doppler correction (`passpredict.products.radio`). Results are
parallel
numpy arrays, one entry per sample, in the style of Skyfield's `find_events`.

The same conventions as the pass search apply (`passpredict.engine.frames`): SGP4 with WGS72
constants, Earth rotation by GMST 1982 at UT1, observers on WGS84, geometric elevation (no
refraction). The elements are propagated as they are: for a geostationary satellite weeks from
its epoch, 'passpredict geo' holds it at its station instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.propagate import propagate_points
from passpredict.engine.time_axis import TimeBase
from passpredict.products.radio import range_rate_km_s
from passpredict.records import Observer
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet

#: Most samples one track may hold (a day at 0.1 s); more is a mistake, not a request.
MAX_TRACK_SAMPLES = 1_000_000


@dataclass(frozen=True)
class Track:
    """Look angles of one satellite from one observer on a time grid (parallel arrays).

    `seconds` count from `start_utc`. `ok` is False where SGP4 could not propagate (decayed
    elements); the other arrays hold NaN there. `declination_deg` is the magnetic declination
    at each sample when compass bearings are asked for (`with_declinations`), else None.
    """

    satellite: str
    norad_id: int
    observer: Observer
    start_utc: datetime
    step_s: float
    seconds: NDArray[np.float64]
    azimuth_deg: NDArray[np.float64]
    elevation_deg: NDArray[np.float64]
    range_km: NDArray[np.float64]
    range_rate_km_s: NDArray[np.float64]
    ok: NDArray[np.bool_]
    declination_deg: NDArray[np.float64] | None = None

    def __len__(self) -> int:
        return int(self.seconds.size)

    @property
    def azimuth_magnetic_deg(self) -> NDArray[np.float64] | None:
        """The compass bearing of each sample (true azimuth minus the declination), NaN where
        the model gives none; None without declinations."""
        if self.declination_deg is None:
            return None
        from passpredict.products.magnetic import magnetic_azimuth_deg

        return magnetic_azimuth_deg(self.azimuth_deg, self.declination_deg)

    def with_declinations(self, declination_deg: NDArray[np.float64]) -> Track:
        """Return the track with the declination (deg) at each sample, for compass bearings."""
        return replace(self, declination_deg=np.asarray(declination_deg, dtype=float))

    def times_utc(self) -> list[datetime]:
        """Return the sample times as aware UTC datetimes (microsecond resolution)."""
        return [self.start_utc + timedelta(microseconds=round(s * 1e6)) for s in self.seconds]


def sample_seconds(start_utc: datetime, end_utc: datetime, step_s: float) -> NDArray[np.float64]:
    """Return the grid start, start + step, ... up to and including `end_utc` if it falls on it."""
    start = require_aware(start_utc, "start")
    end = require_aware(end_utc, "end")
    if not step_s > 0.0:
        raise ValueError(f"step_s must be positive, got {step_s!r}")
    duration_s = (end - start).total_seconds()
    if duration_s < 0.0:
        raise ValueError(
            f"the track must end after it starts: start {start.isoformat()}, end {end.isoformat()}"
        )
    count = int(np.floor(duration_s / step_s + 1e-9)) + 1
    if count > MAX_TRACK_SAMPLES:
        raise ValueError(
            f"{count:,} samples requested ({duration_s:g} s at {step_s:g} s steps); the limit is "
            f"{MAX_TRACK_SAMPLES:,}: use a longer step or a shorter window"
        )
    return np.arange(count) * float(step_s)


def track(
    element_set: ElementSet,
    observers: Sequence[Observer],
    start_utc: datetime,
    end_utc: datetime,
    step_s: float,
    *,
    timescale: Timescale,
) -> list[Track]:
    """Return the satellite's look angles and range rate from each observer, every `step_s`."""
    start = require_aware(start_utc, "start")
    seconds = sample_seconds(start, end_utc, step_s)
    timebase = TimeBase.create(start, require_aware(end_utc, "end"), timescale)
    r, v, ok = propagate_points(element_set.satrec(), timebase, seconds)
    r[~ok] = np.nan
    v[~ok] = np.nan
    tracks = []
    for observer in observers:
        obs = observer_ecef_km([observer])[0]
        enu = observer_enu_basis([observer])[0]
        az, el, rng = look_angles(r, obs, enu)
        tracks.append(
            Track(
                satellite=element_set.name,
                norad_id=element_set.norad_id,
                observer=observer,
                start_utc=start,
                step_s=float(step_s),
                seconds=seconds,
                azimuth_deg=az,
                elevation_deg=el,
                range_km=rng,
                range_rate_km_s=range_rate_km_s(r, v, obs),
                ok=ok,
            )
        )
    return tracks
