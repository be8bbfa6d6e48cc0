"""Sampled tracks for plots and tables: look angles over a pass, sub-satellite points over a window.

The pass search (`passpredict.engine.passes`) finds a handful of instants per pass; a picture needs
the
path in between. These functions sample it on a regular grid with the engine's own geometry
(SGP4, GMST 1982 rotation, WGS84 observers, geometric elevation), so a plotted rise sits exactly
where the pass table says it does. Geostationary satellites far from their epoch are held at
station as in `passpredict.products.geo.look`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

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
from passpredict.records import Observer, Pass
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet

#: Mean Earth radius (km) for the spherical visibility-circle approximation.
MEAN_EARTH_RADIUS_KM = 6371.0
#: Most samples one track may hold; a finer step over a long window is refused, not truncated.
MAX_SAMPLES = 200_000


@dataclass(frozen=True)
class LookTrack:
    """A satellite as seen by one observer at regular times: parallel arrays, one per quantity.

    `seconds` count from `start_utc`; samples SGP4 could not compute are NaN.
    """

    satellite: str
    norad_id: int
    observer: str
    start_utc: datetime
    seconds: NDArray[np.float64]
    azimuth_deg: NDArray[np.float64]
    elevation_deg: NDArray[np.float64]
    range_km: NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.seconds.size)

    @property
    def times_utc(self) -> list[datetime]:
        """Return the sample times as aware UTC datetimes."""
        return [self.start_utc + timedelta(seconds=float(s)) for s in self.seconds]


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


def sample_seconds(duration_s: float, step_s: float) -> NDArray[np.float64]:
    """Return 0, step, 2 step, ... and `duration_s` itself (the end is always a sample)."""
    if not step_s > 0:
        raise ValueError(f"step_s must be positive, got {step_s!r}")
    if duration_s < 0:
        raise ValueError(f"the window must not end before it starts, got {duration_s:g} s")
    count = math.ceil(duration_s / step_s)
    if count > MAX_SAMPLES:
        raise ValueError(
            f"{count} samples of {step_s:g} s over {duration_s:g} s is more than {MAX_SAMPLES}; "
            "use a larger step or a shorter window"
        )
    seconds = np.arange(count) * step_s
    return np.append(seconds[seconds < duration_s], duration_s)


def earth_fixed_km(
    element_set: ElementSet,
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    timescale: Timescale,
) -> tuple[NDArray[np.float64], bool]:
    """Return Earth-fixed positions (n, 3) km, NaN where SGP4 failed, and whether held at station.

    A geostationary set is held at station far from its epoch (`passpredict.engine.stationkeeping`),
    exactly as the look-angle records are; every other orbit is plain SGP4.
    """
    if classify(element_set) is OrbitClass.GEOSTATIONARY:
        track = SatelliteTrack.create(element_set, timebase, timescale, hold=True)
        r, held = track.ecef_km(seconds)
        return r, bool(held.any())
    r, _, ok = propagate_points(element_set.satrec(), timebase, seconds)
    return np.where(ok[:, None], r, np.nan), False


def look_track(
    element_set: ElementSet,
    observer: Observer,
    start_utc: datetime,
    end_utc: datetime,
    *,
    step_s: float,
    timescale: Timescale,
) -> LookTrack:
    """Return the azimuth, elevation and range of a satellite from `observer` every `step_s`."""
    start = require_aware(start_utc, "start_utc")
    end = require_aware(end_utc, "end_utc")
    seconds = sample_seconds((end - start).total_seconds(), step_s)
    timebase = TimeBase.create(start, end, timescale)
    r, _ = earth_fixed_km(element_set, timebase, seconds, timescale)
    az, el, rng = look_angles(r, observer_ecef_km([observer])[0], observer_enu_basis([observer])[0])
    return LookTrack(
        element_set.name, element_set.norad_id, observer.name, start, seconds, az, el, rng
    )


def pass_track(
    item: Pass,
    element_set: ElementSet,
    observer: Observer,
    *,
    timescale: Timescale,
    step_s: float = 5.0,
    margin_s: float = 0.0,
) -> LookTrack:
    """Return the look angles over one pass, from rise to set (plus `margin_s` either side).

    A pass in progress at a window end has no rise or set; its track then reaches out from the
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
    """Return the sub-satellite point (geodetic latitude, longitude, height) every `step_s`."""
    start = require_aware(start_utc, "start_utc")
    end = require_aware(end_utc, "end_utc")
    seconds = sample_seconds((end - start).total_seconds(), step_s)
    timebase = TimeBase.create(start, end, timescale)
    r, station_kept = earth_fixed_km(element_set, timebase, seconds, timescale)
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
