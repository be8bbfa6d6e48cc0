"""Earth's shadow for satellites: the Sun over a window, and whether a satellite is sunlit.

The model: a satellite is in shadow when the straight line from it to the centre of the
apparent Sun passes through the Earth, taken as the WGS84 ellipsoid. The Sun is Skyfield's
apparent geocentric Sun (DE421, light time and annual aberration: the direction sunlight
arrives from in the Earth's frame), so the shadow axis is where it really is to about an
arcsecond.

What the model leaves out, and what it costs in time:
- The Sun is a disc 0.53 deg wide, so a satellite fades through the penumbra instead of
  switching off: about 8 to 10 s for the ISS on a typical crossing, longer on a grazing one. The
  time computed here is the moment the Sun's centre sets for the satellite, the middle of the
  fade (PREDICT and gpredict use the end of the fade, the umbra).
- The atmosphere refracts and absorbs the last rays: the satellite reddens and dims a few
  seconds before the geometric shadow.
- A spherical Earth (Skyfield's `is_sunlit`, radius 6378.137 km) puts the shadow edge up to
  21 km lower near the poles; for a LEO satellite that moves the entry or exit by seconds,
  up to about a minute where the orbit meets the shadow at a shallow angle (seen against
  `is_sunlit` in 2026-12 checks), so we use the ellipsoid.

Scaling z by a/b turns the ellipsoid into a sphere of radius a and keeps straight lines
straight, so "does the line meet the ellipsoid" is the classic line-sphere test in scaled
coordinates. Everything takes and returns numpy arrays; nothing here reads a clock.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.frames import EARTH_ROTATION_RAD_S, WGS84_A_KM, WGS84_F
from passpredict.engine.orbits import EARTH_POLAR_RADIUS_KM, MU_KM3_S2


def shadow_clearance_km(
    r_sat_ecef_km: NDArray[np.float64],
    r_sun_ecef_km: NDArray[np.float64],
    flattening: float = WGS84_F,
) -> NDArray[np.float64]:
    """Return how far above the Earth the line from the satellite to the Sun passes (km).

    Positive: sunlit; negative: in shadow; zero: the Sun's centre is on the Earth's limb as
    seen from the satellite. When the Sun is on the satellite's side of the Earth the value is
    the satellite's own height. Measured in the coordinates where the ellipsoid is a sphere of
    the equatorial radius (within 0.34 % of kilometres), it is continuous in time, which is
    what the root finder needs. Arrays (..., 3) broadcast against each other.
    """
    return clearance_and_sunward_km(r_sat_ecef_km, r_sun_ecef_km, flattening)[0]


def clearance_and_sunward_km(
    r_sat_ecef_km: NDArray[np.float64],
    r_sun_ecef_km: NDArray[np.float64],
    flattening: float = WGS84_F,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return `shadow_clearance_km` and how far sunward the satellite is (km, scaled frame).

    The second value is the satellite's distance from the plane through the Earth's centre
    perpendicular to its line of sight to the Sun, positive on the Sun's side. Where it is
    positive the satellite is sunlit at any height (the line to the Sun leads away from the
    Earth), and unlike the clearance it changes slowly through a daylight pass
    (`sunward_curvature_bound_km_s2`), which lets a whole pass be settled from a few points.
    """
    # on the three coordinates' own arrays (..., not (..., 3)): the same operations in the
    # same order as on the vectors, the scale (1, 1, 1 / (1 - f)) included, and the dot
    # product summed as `einsum` summed its three terms, ((x + z) + y) + 0 (its two-lane
    # loop; the zero makes -0 +0), so the same bits (tests/test_shadow_length.py holds the
    # two equal), without the strided passes and `einsum`'s set-up: 1.2x to 1.8x faster
    # (and into a few arrays of its own, in place: the same operations, 1.3x faster again)
    k = 1.0 / (1.0 - flattening)
    sat = np.asarray(r_sat_ecef_km, dtype=float)
    sun = np.asarray(r_sun_ecef_km, dtype=float)
    px, py, pz = sat[..., 0], sat[..., 1], sat[..., 2] * k
    tx, ty = np.subtract(sun[..., 0], px), np.subtract(sun[..., 1], py)
    tz = np.subtract(sun[..., 2] * k, pz)
    if np.ndim(tx) == 0:  # one satellite and one Sun: numbers, not arrays to write into
        return _clearance_and_sunward_written_out(sat, sun, k)
    length = np.multiply(tx, tx)
    term = np.multiply(ty, ty)
    length += term
    length += np.multiply(tz, tz, out=term)
    np.sqrt(length, out=length)
    tx /= length
    ty /= length
    tz /= length
    sunward_km: NDArray[np.float64] = np.multiply(px, tx)
    sunward_km += np.multiply(pz, tz, out=term)
    sunward_km += np.multiply(py, ty, out=term)
    sunward_km += 0.0
    # Distance along the line (towards the Sun) to the point closest to the Earth's centre;
    # if that point is behind the satellite, the satellite itself is the closest point.
    along = np.negative(sunward_km, out=length)  # length: no longer read
    np.maximum(along, 0.0, out=along)
    # |p + along t|: each coordinate along t_c + p_c (p_c + along t_c), squared, summed
    clearance_km: NDArray[np.float64] = np.multiply(along, tx, out=tx)
    clearance_km += px
    clearance_km *= clearance_km
    for t_c, p_c in ((ty, py), (tz, pz)):
        np.multiply(along, t_c, out=term)
        term += p_c
        term *= term
        clearance_km += term
    np.sqrt(clearance_km, out=clearance_km)
    clearance_km -= WGS84_A_KM
    return clearance_km, sunward_km


def _clearance_and_sunward_written_out(
    sat: NDArray[np.float64], sun: NDArray[np.float64], k: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """`clearance_and_sunward_km` as the formulas read (scale k = 1 / (1 - f)): the
    reference for the in-place arithmetic there (the same operations in the same order)."""
    px, py, pz = sat[..., 0], sat[..., 1], sat[..., 2] * k
    tx, ty, tz = sun[..., 0] - px, sun[..., 1] - py, sun[..., 2] * k - pz
    length = np.sqrt((tx * tx + ty * ty) + tz * tz)
    tx, ty, tz = tx / length, ty / length, tz / length
    sunward_km: NDArray[np.float64] = ((px * tx + pz * tz) + py * ty) + 0.0
    along = np.maximum(-sunward_km, 0.0)
    cx, cy, cz = px + along * tx, py + along * ty, pz + along * tz
    clearance_km: NDArray[np.float64] = np.sqrt((cx * cx + cy * cy) + cz * cz) - WGS84_A_KM
    return clearance_km, sunward_km


def vector_length(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the length of each vector x (..., 3): `np.linalg.norm(x, axis=-1)`, bit for bit.

    The norm squares x and sums the three squares left to right (a reduction over an axis
    of three is not split), then takes the root; written out, the same operations in the
    same order skip the reduction's set-up, which costs more than the sum on three
    numbers: 2.7x faster (tests/test_shadow_length.py holds the two equal).
    """
    x0, x1, x2 = x[..., 0], x[..., 1], x[..., 2]
    length: NDArray[np.float64] = np.sqrt((x0 * x0 + x1 * x1) + x2 * x2)
    return length


def is_sunlit(
    r_sat_ecef_km: NDArray[np.float64],
    r_sun_ecef_km: NDArray[np.float64],
    flattening: float = WGS84_F,
) -> NDArray[np.bool_]:
    """Return whether satellites at `r_sat_ecef_km` see the centre of the Sun."""
    return shadow_clearance_km(r_sat_ecef_km, r_sun_ecef_km, flattening) > 0.0


#: Safety factor on the curvature bound, over and above the margins of its terms.
CURVATURE_MARGIN = 1.5


def clearance_curvature_bound_km_s2(
    max_speed_km_s: NDArray[np.float64],
    apogee_radius_km: NDArray[np.float64],
    sun_turn_rate_rad_s: float,
    span_s: NDArray[np.float64] | float,
    flattening: float = WGS84_F,
) -> NDArray[np.float64]:
    """Bound |d^2 clearance / dt^2| (km/s^2) on any `span_s` long interval where it has a zero.

    With q the closest point of the line to the Sun to the Earth's centre (scaled
    coordinates, `shadow_clearance_km`), clearance = |q| - a; q is the satellite's own
    position p on the Sun's side and p minus its component along the unit Sun direction s
    beyond the terminator (the two join with equal first derivatives, so the bound holds
    across the join). With k the scale's largest factor, v and R the satellite's speed and
    apogee radius, W the sun's turn rate (|ds/dt| <= W, |d^2s/dt^2| <= 2 W^2):

    - |dq/dt| <= L = k v + 2 k R W, so over an interval holding a zero |q| >= a - L span;
    - |d^2q/dt^2| <= k g + 4 k v W + 6 k R W^2, g the Earth-fixed acceleration: gravity at
      that radius (10 % over mu/r^2, for J2 and drag), Coriolis 2 omega v and centrifugal
      omega^2 R;
    - |d^2|q|/dt^2| <= |dq/dt|^2 / |q| + |d^2q/dt^2|,

    all times `CURVATURE_MARGIN`. With it, an interval of width w whose two values share a
    sign and are both larger than bound w^2 / 8 holds no zero (f minus its chord is at most
    bound w^2 / 8 in size): `passpredict.engine.crossings.span_crossings` skips its 1 s
    resampling.
    """
    k = 1.0 / (1.0 - flattening)
    speed = np.asarray(max_speed_km_s, dtype=float)
    radius = np.asarray(apogee_radius_km, dtype=float)
    turn = sun_turn_rate_rad_s
    rate = k * speed + 2.0 * k * radius * turn
    # (an orbit so fast that |q| could fall below half the Earth's radius gets no bound)
    far = WGS84_A_KM - rate * span_s < 0.5 * WGS84_A_KM
    nearest_km = np.where(far, 0.5 * WGS84_A_KM, WGS84_A_KM - rate * span_s)
    gravity = 1.1 * MU_KM3_S2 / (nearest_km / k) ** 2
    omega = EARTH_ROTATION_RAD_S
    fixed_frame = gravity + 2.0 * omega * speed + omega * omega * radius
    accel = k * fixed_frame + 4.0 * k * speed * turn + 6.0 * k * radius * turn * turn
    bound = CURVATURE_MARGIN * (rate * rate / nearest_km + accel)
    return np.where(far, np.inf, bound)


def sunward_curvature_bound_km_s2(
    max_speed_km_s: NDArray[np.float64],
    apogee_radius_km: NDArray[np.float64],
    sun_turn_rate_rad_s: float,
    flattening: float = WGS84_F,
) -> NDArray[np.float64]:
    """Bound |d^2 h / dt^2| (km/s^2) of the sunward distance h (`clearance_and_sunward_km`).

    h = p . s with p the satellite's scaled position and s the unit direction to the Sun, so
    h'' = p'' . s + 2 p' . s' + p . s''; with the terms of `clearance_curvature_bound_km_s2`
    (k the scale's largest factor, v the speed, R the apogee radius, W the Sun's turn rate,
    gravity taken at the polar radius, the lowest a propagating satellite can be):
    |h''| <= k (g + 2 omega v + omega^2 R) + 2 k v W + 2 k R W^2, times `CURVATURE_MARGIN`.
    No zero is assumed, so the bound holds over any interval: a pass whose h stays above
    bound * w^2 / 8 on both halves (width w each) is sunlit throughout.
    """
    k = 1.0 / (1.0 - flattening)
    speed = np.asarray(max_speed_km_s, dtype=float)
    radius = np.asarray(apogee_radius_km, dtype=float)
    turn = sun_turn_rate_rad_s
    gravity = 1.1 * MU_KM3_S2 / EARTH_POLAR_RADIUS_KM**2
    omega = EARTH_ROTATION_RAD_S
    fixed_frame = gravity + 2.0 * omega * speed + omega * omega * radius
    bound: NDArray[np.float64] = (
        CURVATURE_MARGIN * k * (fixed_frame + 2.0 * speed * turn + 2.0 * radius * turn * turn)
    )
    return bound
