"""Sampled tracks: a satellite's look angles from an observer, and the points under it, over time.

One record for look angles on a time grid, `Track`: azimuth, elevation, range and range rate,
parallel numpy arrays in the style of Skyfield's `find_events`. What an antenna rotator or a
tracking script wants (`passpredict track`, the station, the web page of a pass; the range
rate for Doppler correction, `passpredict.products.radio`), and what a sky chart draws. Two
samplers fill it, because the two uses want different grids (the record is the same):

- `track` samples a rotator's cadence: start, start + step, ..., the end only when it falls on
  the grid (a rotator is driven at a steady rate), several observers at once. The elements are
  propagated as they are: for a geostationary satellite weeks from its epoch, 'passpredict geo'
  holds it at its station instead.
- `look_track` and `pass_track` sample for pictures and tables: the window's end is always a
  sample (a pass track ends on its set, where the table says), and a geostationary set far
  from its epoch is held at station as in `passpredict.products.geo.look`, so a chart agrees
  with 'passpredict geo'.

`GroundTrack` (sub-satellite points for maps) is the other record here: a different quantity,
with no observer; its grid is the pictures' one. The pass search (`passpredict.engine.passes`)
finds a handful of instants per pass; these fill in the path between them with the same
conventions (`passpredict.engine.frames`): SGP4 with WGS72 constants, Earth rotation by GMST
1982 at UT1, observers on WGS84, geometric elevation (no refraction).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import (
    geodetic_from_ecef,
    look_angles,
    observer_ecef_km,
    observer_enu_basis,
)
from passpredict.engine.orbits import OrbitClass, classify, semi_major_axis_km
from passpredict.engine.propagate import propagate_points
from passpredict.engine.stationkeeping import SatelliteTrack
from passpredict.engine.time_axis import TimeBase
from passpredict.products.radio import range_rate_km_s
from passpredict.records import Observer, Pass
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet

#: Most samples one track may hold (a day at 0.1 s); more is a mistake, not a request.
MAX_TRACK_SAMPLES = 1_000_000
#: Most samples of one picture's track; a finer step over a long window is refused, not truncated.
MAX_PICTURE_SAMPLES = 200_000
#: Mean Earth radius (km) for the spherical visibility-circle approximation.
MEAN_EARTH_RADIUS_KM = 6371.0


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
    return np.arange(count, dtype=np.float64) * float(step_s)


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
    return _tracks(element_set, observers, start, step_s, seconds, r, v, ok)


def _tracks(
    element_set: ElementSet,
    observers: Sequence[Observer],
    start: datetime,
    step_s: float,
    seconds: NDArray[np.float64],
    r: NDArray[np.float64],
    v: NDArray[np.float64],
    ok: NDArray[np.bool_],
) -> list[Track]:
    """Return one `Track` per observer from Earth-fixed states (NaN where not `ok`)."""
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


# --- tracks for pictures: the end always a sample, geostationary sets held at station -------


@dataclass(frozen=True)
class GroundTrack:
    """Sub-satellite points (WGS84 geodetic) at regular times, as parallel arrays."""

    satellite: str
    norad_id: int
    start_utc: datetime
    seconds: NDArray[np.float64]
    latitude_deg: NDArray[np.float64]
    longitude_deg: NDArray[np.float64]
    altitude_km: NDArray[np.float64]
    station_kept: bool

    def __len__(self) -> int:
        return int(self.seconds.size)

    @property
    def times_utc(self) -> list[datetime]:
        """Return the sample times as aware UTC datetimes."""
        return [self.start_utc + timedelta(seconds=float(s)) for s in self.seconds]


def sample_seconds_to_end(duration_s: float, step_s: float) -> NDArray[np.float64]:
    """Return 0, step, 2 step, ... and `duration_s` itself (the end is always a sample)."""
    if not step_s > 0:
        raise ValueError(f"step_s must be positive, got {step_s!r}")
    if duration_s < 0:
        raise ValueError(f"the window must not end before it starts, got {duration_s:g} s")
    count = math.ceil(duration_s / step_s)
    if count > MAX_PICTURE_SAMPLES:
        raise ValueError(
            f"{count} samples of {step_s:g} s over {duration_s:g} s is more than "
            f"{MAX_PICTURE_SAMPLES}; use a larger step or a shorter window"
        )
    seconds = np.arange(count) * step_s
    return np.append(seconds[seconds < duration_s], duration_s)


def earth_fixed_states(
    element_set: ElementSet,
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    timescale: Timescale,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_], bool]:
    """Return Earth-fixed positions (n, 3) km and velocities (n, 3) km/s, where SGP4 succeeded,
    and whether the satellite was held at station.

    A geostationary set is held at station far from its epoch (`passpredict.engine.stationkeeping`),
    exactly as the look-angle records are; every other orbit is plain SGP4.
    """
    if classify(element_set) is OrbitClass.GEOSTATIONARY:
        held_track = SatelliteTrack.create(element_set, timebase, timescale, hold=True)
        r, v, held = held_track.ecef_state_km(seconds)
        return r, v, np.ones(len(seconds), dtype=bool), bool(held.any())
    r, v, ok = propagate_points(element_set.satrec(), timebase, seconds)
    return r, v, ok, False


def earth_fixed_km(
    element_set: ElementSet,
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    timescale: Timescale,
) -> tuple[NDArray[np.float64], bool]:
    """Return Earth-fixed positions (n, 3) km, NaN where SGP4 failed, and whether held at station
    (`earth_fixed_states` without the velocities)."""
    r, _, ok, station_kept = earth_fixed_states(element_set, timebase, seconds, timescale)
    return np.where(ok[:, None], r, np.nan), station_kept


def look_track(
    element_set: ElementSet,
    observer: Observer,
    start_utc: datetime,
    end_utc: datetime,
    *,
    step_s: float,
    timescale: Timescale,
) -> Track:
    """Return the look angles and range rate of a satellite from `observer` every `step_s`,
    the window's end included (the pictures' grid; geostationary sets held at station)."""
    start = require_aware(start_utc, "start_utc")
    end = require_aware(end_utc, "end_utc")
    seconds = sample_seconds_to_end((end - start).total_seconds(), step_s)
    timebase = TimeBase.create(start, end, timescale)
    r, v, ok, _ = earth_fixed_states(element_set, timebase, seconds, timescale)
    (one,) = _tracks(element_set, [observer], start, step_s, seconds, r, v, ok)
    return one


def pass_track(
    item: Pass,
    element_set: ElementSet,
    observer: Observer,
    *,
    timescale: Timescale,
    step_s: float = 5.0,
    margin_s: float = 0.0,
) -> Track:
    """Return the look angles over one pass, from rise to set (plus `margin_s` either side).

    A pass in progress at the window start has no rise; its track starts at the window start
    (`Pass.window_start_utc`), where the prediction starts, not before it: a sky chart drew the
    part before the window as if the pass rose there. A pass in progress at the window end has
    no set, and the record does not hold the window end: its track reaches out from the
    culmination by the known half of the pass (or ten minutes when neither end is known).
    """
    if item.norad_id != element_set.norad_id:
        raise ValueError(
            f"the pass is of NORAD {item.norad_id} but the element set is of NORAD "
            f"{element_set.norad_id}; give the set the pass was predicted from"
        )
    peak = item.culmination.time_utc
    before = (peak - item.rise.time_utc).total_seconds() if item.rise else None
    after = (item.set.time_utc - peak).total_seconds() if item.set else None
    default = 600.0
    before = before if before is not None else (after if after is not None else default)
    after = after if after is not None else before
    start = peak - timedelta(seconds=before + margin_s)
    if item.rise is None and item.window_start_utc is not None:
        start = max(start, item.window_start_utc - timedelta(seconds=margin_s))
    end = peak + timedelta(seconds=after + margin_s)
    return look_track(element_set, observer, start, end, step_s=step_s, timescale=timescale)


def ground_track(
    element_set: ElementSet,
    start_utc: datetime,
    end_utc: datetime,
    *,
    step_s: float,
    timescale: Timescale,
) -> GroundTrack:
    """Return the sub-satellite point (geodetic latitude, longitude, height) every `step_s`.

    Samples where SGP4 fails (decayed elements) are NaN. Raises `ValueError` when it fails at
    every sample: there is no track to draw or export, and an empty map (or an empty GeoJSON
    line) would look like an answer.
    """
    start = require_aware(start_utc, "start_utc")
    end = require_aware(end_utc, "end_utc")
    seconds = sample_seconds_to_end((end - start).total_seconds(), step_s)
    timebase = TimeBase.create(start, end, timescale)
    r, station_kept = earth_fixed_km(element_set, timebase, seconds, timescale)
    if not np.isfinite(r).all(axis=1).any():
        raise ValueError(
            f"SGP4 cannot propagate {element_set.name} ({element_set.norad_id}) at any time "
            f"from {start.astimezone(UTC):%Y-%m-%d %H:%M} to {end.astimezone(UTC):%Y-%m-%d %H:%M}"
            f" UTC: its elements (epoch {element_set.epoch_utc:%Y-%m-%d}) have decayed or are "
            "unusable there; choose a window nearer the epoch or fresher elements"
        )
    lat, lon, alt = geodetic_from_ecef(r)
    return GroundTrack(
        element_set.name,
        element_set.norad_id,
        start,
        seconds,
        lat,
        lon,
        alt,
        station_kept,
    )


def coverage_radius_deg(altitude_km: float, min_elevation_deg: float) -> float:
    """Return the Earth-central angle from an observer to the edge of its coverage circle.

    A satellite at `altitude_km` is seen at `min_elevation_deg` or higher when its sub-satellite
    point lies within this angle of the observer (spherical Earth of mean radius):
    lambda = acos(R cos(el) / (R + h)) - el.
    """
    if altitude_km <= 0:
        raise ValueError(f"altitude_km must be positive, got {altitude_km!r}")
    el = math.radians(min_elevation_deg)
    ratio = MEAN_EARTH_RADIUS_KM * math.cos(el) / (MEAN_EARTH_RADIUS_KM + altitude_km)
    return math.degrees(math.acos(ratio) - el)


def coverage_circle(
    observer: Observer,
    altitude_km: float,
    min_elevation_deg: float,
    points: int = 361,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (latitude_deg, longitude_deg) of the observer's coverage circle, `points` long.

    Inside it, a satellite at `altitude_km` stands at least `min_elevation_deg` high for the
    observer. Longitudes are wrapped to -180..180 (a plot must break the line at the jump).
    """
    radius = math.radians(coverage_radius_deg(altitude_km, min_elevation_deg))
    lat0 = math.radians(observer.latitude_deg)
    lon0 = math.radians(observer.longitude_deg)
    bearing = np.linspace(0.0, 2.0 * math.pi, points)
    lat = np.arcsin(
        math.sin(lat0) * math.cos(radius) + math.cos(lat0) * math.sin(radius) * np.cos(bearing)
    )
    lon = lon0 + np.arctan2(
        np.sin(bearing) * math.sin(radius) * math.cos(lat0),
        math.cos(radius) - math.sin(lat0) * np.sin(lat),
    )
    lon = np.mod(lon + math.pi, 2.0 * math.pi) - math.pi
    return np.degrees(lat), np.degrees(lon)


def mean_altitude_km(element_set: ElementSet) -> float:
    """Return the height of the mean orbit above the mean Earth radius (km)."""
    return semi_major_axis_km(element_set) - MEAN_EARTH_RADIUS_KM
