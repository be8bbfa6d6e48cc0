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
  21 km lower near the poles; for a LEO satellite that moves the entry or exit by a few
  seconds, more on grazing crossings, so we use the ellipsoid.

Scaling z by a/b turns the ellipsoid into a sphere of radius a and keeps straight lines
straight, so "does the line meet the ellipsoid" is the classic line-sphere test in scaled
coordinates. Everything takes and returns numpy arrays; nothing here reads a clock.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.frames import WGS84_A_KM, WGS84_F


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
    scale = np.array([1.0, 1.0, 1.0 / (1.0 - flattening)])
    p = np.asarray(r_sat_ecef_km, dtype=float) * scale
    towards_sun = np.asarray(r_sun_ecef_km, dtype=float) * scale - p
    towards_sun = towards_sun / np.linalg.norm(towards_sun, axis=-1, keepdims=True)
    # Distance along the line (towards the Sun) to the point closest to the Earth's centre;
    # if that point is behind the satellite, the satellite itself is the closest point.
    along = np.maximum(-np.einsum("...j,...j->...", p, towards_sun), 0.0)
    closest = p + along[..., None] * towards_sun
    return np.linalg.norm(closest, axis=-1) - WGS84_A_KM


def is_sunlit(
    r_sat_ecef_km: NDArray[np.float64],
    r_sun_ecef_km: NDArray[np.float64],
    flattening: float = WGS84_F,
) -> NDArray[np.bool_]:
    """Return whether satellites at `r_sat_ecef_km` see the centre of the Sun."""
    return shadow_clearance_km(r_sat_ecef_km, r_sun_ecef_km, flattening) > 0.0
