"""Pointing a dish at a geostationary satellite, and the Sun as the GEO products see it.

`geo_pointing` answers "where do I point": azimuth, elevation and slant range from a WGS84
observer, the sub-satellite point, the polarisation skew (LNB tilt) and the daily wobble of the
look angles over one sidereal day (the figure-of-eight from inclination and the east-west swing
from eccentricity). Far from the element epoch the satellite is held at station
(`passpredict.engine.stationkeeping`), and the record says so.

The Sun for the sun-outage and eclipse searches is `passpredict.engine.sun.SunTrack`: Skyfield's
apparent geocentric Sun at hourly nodes, interpolated (within 0.01 arcsec of Skyfield, at a tiny
fraction of its per-instant cost: a year at five-minute steps takes a fraction of a second
instead of seven).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import (
    geodetic_from_ecef,
    look_angles,
    observer_ecef_km,
    observer_enu_basis,
)
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.rootfind import find_roots
from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS, SIDEREAL_DAY_S, SatelliteTrack
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet

#: Samples over one sidereal day for the wobble; the libration is a slow sinusoid, so a
#: 10-minute grid gives its extremes to well under a thousandth of a degree.
WOBBLE_SAMPLES = 145
#: A satellite is in view when its geometric elevation is above this (no refraction, as every
#: elevation passpredict gives): `geo` pointing and the sun outages share the one definition.
HORIZON_ELEVATION_DEG = 0.0


class NotGeostationaryError(ValueError):
    """The satellite does not hang still in the sky; it needs the pass search instead."""


def require_geostationary(element_set: ElementSet) -> None:
    """Raise `NotGeostationaryError`, pointing to `passpredict passes`, unless the set is GEO."""
    orbit = classify(element_set)
    if orbit is not OrbitClass.GEOSTATIONARY:
        raise NotGeostationaryError(
            f"{element_set.name} (NORAD {element_set.norad_id}) is not geostationary (orbit "
            f"class {orbit.value}, period {element_set.period_min:.1f} min, inclination "
            f"{element_set.inclination_deg:.2f} deg): it rises and sets; use "
            f"'passpredict passes {element_set.norad_id}' for its passes"
        )


@dataclass(frozen=True)
class GeoPointing:
    """Where to point at a geostationary satellite from one place, at one time.

    Angles are geometric (no refraction). `polarisation_skew_deg` is the angle to turn a
    linearly polarised feed (LNB) from the local vertical so that it lines up with the
    satellite's vertical (parallel to Earth's axis): positive is clockwise as seen from behind
    the dish, looking at the satellite. The `*_min_deg` / `*_max_deg` fields span one sidereal
    day from `time_utc`: the daily wobble (a minimum may exceed its maximum when the swing
    straddles north, or the antimeridian for longitudes).
    """

    satellite: str
    norad_id: int
    observer: str
    time_utc: datetime
    epoch_utc: datetime
    station_kept: bool
    azimuth_deg: float
    elevation_deg: float
    range_km: float
    subsatellite_longitude_deg: float
    subsatellite_latitude_deg: float
    polarisation_skew_deg: float
    azimuth_min_deg: float
    azimuth_max_deg: float
    elevation_min_deg: float
    elevation_max_deg: float
    longitude_min_deg: float
    longitude_max_deg: float
    latitude_min_deg: float
    latitude_max_deg: float

    @property
    def above_horizon(self) -> bool:
        return self.elevation_deg > HORIZON_ELEVATION_DEG

    @property
    def always_above_horizon(self) -> bool:
        return self.elevation_min_deg > HORIZON_ELEVATION_DEG

    @property
    def never_above_horizon(self) -> bool:
        return self.elevation_max_deg <= HORIZON_ELEVATION_DEG

    @property
    def azimuth_wobble_deg(self) -> float:
        """Peak-to-peak daily swing of the azimuth (the extremes may straddle north)."""
        return (self.azimuth_max_deg - self.azimuth_min_deg) % 360.0

    @property
    def elevation_wobble_deg(self) -> float:
        """Peak-to-peak daily swing of the elevation."""
        return self.elevation_max_deg - self.elevation_min_deg


def geo_pointing(
    element_set: ElementSet,
    observer: Observer,
    when_utc: datetime,
    timescale: Timescale,
    *,
    horizon_days: float = HOLD_HORIZON_DAYS,
) -> GeoPointing:
    """Return the pointing of a geostationary satellite from `observer` at `when_utc`.

    Raises `NotGeostationaryError` for any other orbit.
    """
    require_geostationary(element_set)
    when = require_aware(when_utc, "when_utc")
    timebase = TimeBase.create(when, when + timedelta(seconds=SIDEREAL_DAY_S), timescale)
    track = SatelliteTrack.create(
        element_set, timebase, timescale, hold=True, horizon_days=horizon_days
    )
    seconds = np.linspace(0.0, SIDEREAL_DAY_S, WOBBLE_SAMPLES)
    r, held = track.ecef_km(seconds)
    obs = observer_ecef_km([observer])[0]
    enu = observer_enu_basis([observer])[0]
    az, el, rng = look_angles(r, obs, enu)
    lon = np.degrees(np.arctan2(r[:, 1], r[:, 0]))
    lat = geodetic_latitude_deg(r)
    daz = _wrap180(az - az[0])
    dlon = _wrap180(lon - lon[0])
    return GeoPointing(
        satellite=element_set.name,
        norad_id=element_set.norad_id,
        observer=observer.name,
        time_utc=when,
        epoch_utc=element_set.epoch_utc,
        station_kept=bool(held[0]),
        azimuth_deg=float(az[0]),
        elevation_deg=float(el[0]),
        range_km=float(rng[0]),
        subsatellite_longitude_deg=float(lon[0]),
        subsatellite_latitude_deg=float(lat[0]),
        polarisation_skew_deg=float(polarisation_skew_deg(r[0], observer)),
        azimuth_min_deg=float(np.mod(az[0] + daz.min(), 360.0)),
        azimuth_max_deg=float(np.mod(az[0] + daz.max(), 360.0)),
        elevation_min_deg=float(el.min()),
        elevation_max_deg=float(el.max()),
        longitude_min_deg=float(_wrap180(lon[0] + dlon.min())),
        longitude_max_deg=float(_wrap180(lon[0] + dlon.max())),
        latitude_min_deg=float(lat.min()),
        latitude_max_deg=float(lat.max()),
    )


def polarisation_skew_deg(r_ecef_km: ArrayLike, observer: Observer) -> NDArray[np.float64]:
    """Return the feed rotation that aligns the local vertical with the satellite's vertical.

    Both directions are projected on the plane across the line of sight d: the observer's up
    vector and Earth's axis (a geostationary satellite's "vertical" polarisation is parallel
    to it). The skew is the angle from the first to the second, right-handed about d, which a
    person behind the dish looking along d sees as clockwise, folded into [-90, 90) deg since
    a polarisation is a line. For a satellite due south (or north) it is zero; the textbook
    approximation is atan(sin(dlon) / tan(lat)).
    """
    r = np.asarray(r_ecef_km, dtype=float)
    d = r - observer_ecef_km([observer])[0]
    d = d / np.linalg.norm(d, axis=-1, keepdims=True)
    up = observer_enu_basis([observer])[0][2]
    axis = np.array([0.0, 0.0, 1.0])
    local = up - np.einsum("...j,j->...", d, up)[..., None] * d
    sat = axis - np.einsum("...j,j->...", d, axis)[..., None] * d
    sine = np.einsum("...j,...j->...", d, np.cross(local, sat))
    cosine = np.einsum("...j,...j->...", local, sat)
    # a polarisation is a line, not an arrow: fold the angle into [-90, 90)
    skew_deg: NDArray[np.float64] = (
        np.mod(np.degrees(np.arctan2(sine, cosine)) + 90.0, 180.0) - 90.0
    )
    return skew_deg


def geodetic_latitude_deg(r_ecef_km: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the WGS84 geodetic latitude (deg) of Earth-fixed points."""
    return geodetic_from_ecef(r_ecef_km)[0]


def _wrap180(angle_deg: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.mod(np.asarray(angle_deg) + 180.0, 360.0) - 180.0


# --- searching for dips -------------------------------------------------------------------------

_INVERSE_PHI = (math.sqrt(5.0) - 1.0) / 2.0


def minimise(
    f: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    tolerance: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Golden-section search for the minimum of `f` in each bracket [a, b], all at once.

    `f` maps an array of points to values. Returns the minimising points and the values there;
    each bracket shrinks to `tolerance` (a unimodal function is assumed in each bracket).
    """
    a = np.array(a, dtype=float)
    b = np.array(b, dtype=float)
    if a.size == 0:
        return a, a.copy()
    c = b - _INVERSE_PHI * (b - a)
    d = a + _INVERSE_PHI * (b - a)
    fc, fd = f(c), f(d)
    width = float(np.max(b - a))
    steps = max(0, math.ceil(math.log(tolerance / width) / math.log(_INVERSE_PHI))) if width else 0
    for _ in range(steps):
        left = fc < fd  # the minimum lies in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        x = np.where(left, b - _INVERSE_PHI * (b - a), a + _INVERSE_PHI * (b - a))
        fx = f(x)
        c, d, fc, fd = (
            np.where(left, x, d),
            np.where(left, c, x),
            np.where(left, fx, fd),
            np.where(left, fc, fx),
        )
    best = np.where(fc < fd, c, d)
    return best, np.minimum(fc, fd)


@dataclass(frozen=True)
class Dips:
    """Intervals where a function of time dips below zero, one per local minimum.

    Parallel arrays, seconds from the search's time origin: the minimum and its value, and the
    entry and exit (the zero crossings on either side).
    """

    minimum_s: NDArray[np.float64]
    minimum_value: NDArray[np.float64]
    entry_s: NDArray[np.float64]
    exit_s: NDArray[np.float64]


def find_dips(
    f: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    grid_s: NDArray[np.float64],
    margin: float,
    tolerance_s: float,
) -> Dips:
    """Find every interval where `f` < 0, sampling `f` on `grid_s` first.

    A dip can hide between two samples; `margin` must bound how far `f` can fall below its
    sampled values (its largest rate of change times half the step), so every local minimum of
    the samples below `margin` is refined (golden section) and kept when the true minimum is
    negative. The crossings are then found between the minimum and the nearest samples that are
    not negative (Illinois root finding, to `tolerance_s`). Dips whose crossing lies beyond the
    grid's ends are dropped: callers pad the grid.
    """
    values = f(grid_s)
    n = grid_s.size
    inner = np.arange(1, n - 1)
    is_min = (
        (values[inner] <= values[inner - 1])
        & (values[inner] <= values[inner + 1])
        & (values[inner] < margin)
    )
    idx = inner[is_min]
    # a flat bottom sampled twice gives two neighbouring minima: keep the first
    idx = idx[np.concatenate([[True], np.diff(idx) > 1])] if idx.size else idx
    t_min, f_min = minimise(f, grid_s[idx - 1], grid_s[idx + 1], tolerance_s / 10.0)
    below = f_min < 0.0
    t_min, f_min = t_min[below], f_min[below]
    nonneg = np.flatnonzero(values >= 0.0)
    pos = np.searchsorted(grid_s[nonneg], t_min)
    inside = (pos > 0) & (pos < nonneg.size)
    t_min, f_min, pos = t_min[inside], f_min[inside], pos[inside]
    left, right = nonneg[pos - 1], nonneg[pos]
    f_min_array = f_min.copy()

    def g(points: NDArray[np.float64], _: NDArray[np.intp]) -> NDArray[np.float64]:
        return f(points)

    entry = find_roots(g, grid_s[left], t_min, values[left], f_min_array, tolerance_s)
    exit_ = find_roots(g, t_min, grid_s[right], f_min_array, values[right], tolerance_s)
    return Dips(t_min, f_min, entry, exit_)
