"""Vectorised geometry: SGP4 output to Earth-fixed coordinates, and look angles from observers.

SGP4 gives positions in the TEME frame. Following Vallado et al. (2006), "Revisiting Spacetrack
Report #3", the Earth-fixed (pseudo-Earth-fixed, PEF) position is TEME rotated about z by the
Greenwich mean sidereal time of the IAU 1982 model, evaluated at UT1. This is exactly what
Skyfield's `TEME_to_ITRF` does with polar motion off (its default), so our look angles match
Skyfield's to well under a millisecond of time; polar motion (< 0.5 arcsec) is neglected.

Observers sit on the WGS84 ellipsoid. No refraction is applied: elevations are geometric.
All functions take and return numpy arrays; nothing here reads a clock.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from passpredict.records import Observer

#: WGS84 ellipsoid.
WGS84_A_KM = 6378.137
WGS84_F = 1.0 / 298.257223563
#: Earth's rotation rate used with GMST 1982 (rad/s), as in Vallado's TEME->PEF velocity term.
EARTH_ROTATION_RAD_S = 7.292115146706979e-5

_J2000_JD = 2451545.0
_SECONDS_PER_DAY = 86400.0


def gmst82_rad(jd_ut1_whole: ArrayLike, jd_ut1_fraction: ArrayLike) -> NDArray[np.float64]:
    """Return Greenwich mean sidereal time (IAU 1982 model) in radians, for UT1 Julian dates.

    The date is split in a whole and a fraction part to keep microsecond precision.
    """
    fraction = np.asarray(jd_ut1_fraction, dtype=float)
    if isinstance(jd_ut1_whole, float):  # (a time axis' one day: the same difference, in Python)
        days = np.add(jd_ut1_whole - _J2000_JD, fraction)
    else:
        days = np.add(np.asarray(jd_ut1_whole, dtype=float) - _J2000_JD, fraction)
    if np.ndim(days) == 0:
        return _gmst82_written_out(days)
    # Vallado's gstime, split so the large daily term keeps its precision: the term
    # 876600 h * 3600 s * t equals the days since J2000 times 86400 s, and whole days
    # add whole turns, so only the fraction of the day is kept. The operations of
    # `_gmst82_written_out` in its order, into two arrays (a catalogue's visibility asks
    # for some 600,000 angles: its temporaries cost as much as the arithmetic), with the
    # day's fraction as days - floor(days): the bits of days % 1.0 (both exact for any
    # finite days, +0.0 on whole days; tests/test_frames.py), 15x cheaper.
    t = days / 36525.0
    seconds = np.floor(days)
    np.subtract(days, seconds, out=seconds)
    seconds *= _SECONDS_PER_DAY
    seconds += 67310.54841
    term = np.multiply(t, 8640184.812866, out=days)  # days: no longer read
    seconds += term
    np.multiply(t, 0.093104, out=term)
    term *= t
    seconds += term
    np.multiply(t, 6.2e-6, out=term)
    term *= t
    term *= t
    seconds -= term
    seconds *= np.pi / 43200.0
    return _mod_two_pi(seconds)


#: 2 pi split in a head of 26 significant bits and the exact rest: n * head is exact for
#: n < 2^27, n * tail (27 bits at most) for n < 2^26.
_TWO_PI = 2.0 * np.pi
_TWO_PI_HEAD = float((np.array(_TWO_PI).view(np.int64) & ~np.int64(2**27 - 1)).view(np.float64))
_TWO_PI_TAIL = _TWO_PI - _TWO_PI_HEAD
#: Angles (rad) `_mod_two_pi` reduces itself: n * 2 pi below 2^20, far above any sidereal
#: angle this side of the year 3000 (about 600 rad a century after J2000).
_REDUCED_BELOW_RAD = 2.0**20
#: How close to 0 or 2 pi a remainder is handed to `np.mod` (a quotient may round to the
#: next whole number there).
_NEAR_WHOLE_TURN_RAD = 1e-9


def _mod_two_pi(angle_rad: NDArray[np.float64]) -> NDArray[np.float64]:
    """`np.mod(angle_rad, 2 pi)`, to the bit, in place, in half its time (its division
    with remainder is most of gmst82_rad's time), for angles in [0, 2^20) rad.

    With n = floor(angle / 2 pi), angle - n 2 pi is subtracted as n head, then n tail
    (`_TWO_PI_HEAD`, `_TWO_PI_TAIL`): both products and the first difference are exact, so
    the result is exact where n is right, as np.mod's (fmod's) remainder of a positive angle
    is. A remainder within `_NEAR_WHOLE_TURN_RAD` of 0 or 2 pi (n may be one off there),
    and any negative, huge or NaN angle, goes to np.mod itself (tests/test_frames.py).
    """
    if not angle_rad.size or not (angle_rad.min() >= 0.0 and angle_rad.max() < _REDUCED_BELOW_RAD):
        reduced: NDArray[np.float64] = np.mod(angle_rad, _TWO_PI, out=angle_rad)
        return reduced
    turns = angle_rad / _TWO_PI
    np.floor(turns, out=turns)
    remainder = np.multiply(turns, _TWO_PI_HEAD)
    np.subtract(angle_rad, remainder, out=remainder)
    turns *= _TWO_PI_TAIL
    remainder -= turns
    near = (remainder < _NEAR_WHOLE_TURN_RAD) | (remainder > _TWO_PI - _NEAR_WHOLE_TURN_RAD)
    if np.count_nonzero(near):
        remainder[near] = np.mod(angle_rad[near], _TWO_PI)
    return remainder


def _gmst82_written_out(days: NDArray[np.float64]) -> NDArray[np.float64]:
    """`gmst82_rad` of `days` since J2000 (UT1), as the formula reads: the reference for
    the in-place arithmetic there (the same operations in the same order)."""
    t = days / 36525.0
    seconds = (
        67310.54841
        + (days % 1.0) * _SECONDS_PER_DAY
        + 8640184.812866 * t
        + 0.093104 * t * t
        - 6.2e-6 * t * t * t
    )
    gmst_rad: NDArray[np.float64] = np.mod(seconds * (np.pi / 43200.0), 2.0 * np.pi)
    return gmst_rad


#: Points per block of `teme_to_ecef`: its few temporaries then stay in cache.
ROTATION_BLOCK_POINTS = 8192


def teme_to_ecef(
    r_teme_km: NDArray[np.float64],
    v_teme_km_s: NDArray[np.float64],
    gmst_rad: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Rotate TEME position/velocity (..., 3) to the Earth-fixed frame at sidereal angle `gmst_rad`.

    The velocity gains the -omega x r term of the rotating frame. Over more than
    `ROTATION_BLOCK_POINTS` points the results are written in place, by blocks along the
    first axis (a catalogue's grid is 1.5 million points): every element sees the same
    operations in the same order whatever the block, so the same bits.
    """
    cos_g = np.cos(gmst_rad)
    sin_g = np.sin(gmst_rad)
    if r_teme_km.size <= 3 * ROTATION_BLOCK_POINTS:  # small: no blocks
        x, y, z = r_teme_km[..., 0], r_teme_km[..., 1], r_teme_km[..., 2]
        vx, vy, vz = v_teme_km_s[..., 0], v_teme_km_s[..., 1], v_teme_km_s[..., 2]
        xe = cos_g * x + sin_g * y
        ye = -sin_g * x + cos_g * y
        vxe = cos_g * vx + sin_g * vy + EARTH_ROTATION_RAD_S * ye
        vye = -sin_g * vx + cos_g * vy - EARTH_ROTATION_RAD_S * xe
        return _components_last(xe, ye, z), _components_last(vxe, vye, vz)
    shape = np.broadcast_shapes(r_teme_km.shape[:-1], cos_g.shape)
    r_ecef, v_ecef = np.empty((*shape, 3)), np.empty((*shape, 3))
    cos_g, sin_g = np.broadcast_to(cos_g, shape), np.broadcast_to(sin_g, shape)
    r_in = np.broadcast_to(r_teme_km, (*shape, 3))
    v_in = np.broadcast_to(v_teme_km_s, (*shape, 3))
    rows = max(1, ROTATION_BLOCK_POINTS // max(1, int(np.prod(shape[1:]))))
    for j0 in range(0, shape[0], rows):
        b = slice(j0, j0 + rows)
        _rotate(r_in[b], v_in[b], cos_g[b], sin_g[b], r_ecef[b], v_ecef[b])
    return r_ecef, v_ecef


def _rotate(
    r: NDArray[np.float64],
    v: NDArray[np.float64],
    cos_g: NDArray[np.float64],
    sin_g: NDArray[np.float64],
    r_out: NDArray[np.float64],
    v_out: NDArray[np.float64],
) -> None:
    """`teme_to_ecef` on one block, into `r_out` and `v_out` (..., 3)."""
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    vx, vy = v[..., 0], v[..., 1]
    xe, ye = r_out[..., 0], r_out[..., 1]
    minus_sin = -sin_g
    # xe = cos_g * x + sin_g * y; ye = -sin_g * x + cos_g * y
    np.multiply(cos_g, x, out=xe)
    xe += sin_g * y
    np.multiply(minus_sin, x, out=ye)
    ye += cos_g * y
    r_out[..., 2] = z
    # vxe = cos_g * vx + sin_g * vy + w * ye; vye = -sin_g * vx + cos_g * vy - w * xe
    vxe, vye = v_out[..., 0], v_out[..., 1]
    np.multiply(cos_g, vx, out=vxe)
    vxe += sin_g * vy
    vxe += EARTH_ROTATION_RAD_S * ye
    np.multiply(minus_sin, vx, out=vye)
    vye += cos_g * vy
    vye -= EARTH_ROTATION_RAD_S * xe
    v_out[..., 2] = v[..., 2]


def _components_last(
    x: NDArray[np.float64], y: NDArray[np.float64], z: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return `np.stack([x, y, z], axis=-1)` (same values, same layout), without
    `np.stack`'s overhead, which on a few points costs more than the arithmetic."""
    out = np.empty((*np.shape(x), 3))
    out[..., 0], out[..., 1], out[..., 2] = x, y, z
    return out


def observer_ecef_km(observers: list[Observer]) -> NDArray[np.float64]:
    """Return the Earth-fixed positions (n_obs, 3) of observers on the WGS84 ellipsoid."""
    lat = np.radians([o.latitude_deg for o in observers])
    lon = np.radians([o.longitude_deg for o in observers])
    h_km = np.array([o.elevation_m for o in observers]) / 1000.0
    e2 = WGS84_F * (2.0 - WGS84_F)
    n = WGS84_A_KM / np.sqrt(1.0 - e2 * np.sin(lat) ** 2)
    return np.stack(
        [
            (n + h_km) * np.cos(lat) * np.cos(lon),
            (n + h_km) * np.cos(lat) * np.sin(lon),
            (n * (1.0 - e2) + h_km) * np.sin(lat),
        ],
        axis=-1,
    )


def observer_enu_basis(observers: list[Observer]) -> NDArray[np.float64]:
    """Return unit vectors (n_obs, 3, 3): rows east, north, up, for each observer."""
    lat = np.radians([o.latitude_deg for o in observers])
    lon = np.radians([o.longitude_deg for o in observers])
    sl, cl = np.sin(lat), np.cos(lat)
    so, co = np.sin(lon), np.cos(lon)
    east = np.stack([-so, co, np.zeros_like(so)], axis=-1)
    north = np.stack([-sl * co, -sl * so, cl], axis=-1)
    up = np.stack([cl * co, cl * so, sl], axis=-1)
    return np.stack([east, north, up], axis=-2)


def look_angles(
    r_ecef_km: NDArray[np.float64],
    obs_ecef_km: NDArray[np.float64],
    enu_basis: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return azimuth (deg, from north through east), elevation (deg) and range (km).

    `r_ecef_km` (..., 3) and the observer arrays broadcast against each other.
    """
    e, n, u, range_km = _east_north_up(r_ecef_km, obs_ecef_km, enu_basis)
    azimuth_deg = np.mod(np.degrees(np.arctan2(e, n)), 360.0)
    return azimuth_deg, _elevation_deg(u, range_km), range_km


def elevation_deg(
    r_ecef_km: NDArray[np.float64],
    obs_ecef_km: NDArray[np.float64],
    enu_basis: NDArray[np.float64],
) -> NDArray[np.float64]:
    """`look_angles`' elevation (deg) alone, bit for bit: without the azimuth's arctangent,
    a third of the cost (the Sun's altitude at the observers needs no azimuth)."""
    _, _, u, range_km = _east_north_up(r_ecef_km, obs_ecef_km, enu_basis)
    return _elevation_deg(u, range_km)


def _east_north_up(
    r_ecef_km: NDArray[np.float64],
    obs_ecef_km: NDArray[np.float64],
    enu_basis: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The line of sight's east, north and up components and its length (km)."""
    rho = r_ecef_km - obs_ecef_km
    e = np.einsum("...j,...j->...", rho, enu_basis[..., 0, :])
    n = np.einsum("...j,...j->...", rho, enu_basis[..., 1, :])
    u = np.einsum("...j,...j->...", rho, enu_basis[..., 2, :])
    range_km = np.sqrt(e * e + n * n + u * u)
    return e, n, u, range_km


def _elevation_deg(u: NDArray[np.float64], range_km: NDArray[np.float64]) -> NDArray[np.float64]:
    # np.minimum(np.maximum()): np.clip's values (NaN stays NaN) without its Python overhead
    elevation: NDArray[np.float64] = np.degrees(
        np.arcsin(np.minimum(np.maximum(u / range_km, -1.0), 1.0))
    )
    return elevation


def sin_elevation_and_rate(
    r_ecef_km: NDArray[np.float64],
    v_ecef_km_s: NDArray[np.float64],
    obs_ecef_km: NDArray[np.float64],
    up: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return sin(elevation), its time derivative (1/s) and the range (km).

    The derivative is analytic: with rho the line of sight and u the local up vector,
    d/dt (rho.u / |rho|) = (rho_dot.u)/|rho| - (rho.u)(rho.rho_dot)/|rho|^3.
    Its sign is the sign of the elevation rate, which is what the pass search brackets.
    """
    rho = r_ecef_km - obs_ecef_km
    range_km = np.sqrt(np.einsum("...j,...j->...", rho, rho))
    rho_u = np.einsum("...j,...j->...", rho, up)
    rate = (
        np.einsum("...j,...j->...", v_ecef_km_s, up) / range_km
        - rho_u * np.einsum("...j,...j->...", rho, v_ecef_km_s) / range_km**3
    )
    return rho_u / range_km, rate, range_km


def geodetic_from_ecef(
    r_ecef_km: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return WGS84 geodetic latitude (deg), longitude (deg, -180..180) and height (km).

    Bowring's method with two iterations: well under a metre (and a milliarcsecond of
    latitude) for any height above the surface.
    """
    x, y, z = r_ecef_km[..., 0], r_ecef_km[..., 1], r_ecef_km[..., 2]
    a = WGS84_A_KM
    b = a * (1.0 - WGS84_F)
    e2 = WGS84_F * (2.0 - WGS84_F)
    ep2 = e2 / (1.0 - e2)
    p = np.hypot(x, y)
    beta = np.arctan2(a * z, b * p)
    for _ in range(2):
        phi = np.arctan2(z + ep2 * b * np.sin(beta) ** 3, p - e2 * a * np.cos(beta) ** 3)
        beta = np.arctan2((1.0 - WGS84_F) * np.sin(phi), np.cos(phi))
    sin_phi = np.sin(phi)
    n = a / np.sqrt(1.0 - e2 * sin_phi**2)
    height = p * np.cos(phi) + (z + e2 * n * sin_phi) * sin_phi - n
    return np.degrees(phi), np.degrees(np.arctan2(y, x)), height
