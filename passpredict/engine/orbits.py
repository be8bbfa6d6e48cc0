"""Orbit classification: decide which kind of answer an element set gets before any search.

The classes follow libpredict and the SGP4/SDP4 split (see docs: anchors.md):
- `geostationary`: geosynchronous (0.9 < n < 1.1 rev/day, e < 0.2, i < 70 deg) and also
  nearly circular and equatorial (e < 0.01, i < 3 deg), so it hangs at a fixed azimuth and
  elevation; it gets a look-angle record, and passes only where its daily wobble crosses the
  threshold (`passpredict.products.geo.look`).
- `geosynchronous`: geosynchronous but inclined or eccentric; it traces a figure of eight and
  may rise and set, so it goes through the pass search with a deep-space step.
- `deep-space`: period of 225 minutes or more (SDP4).
- `leo-meo`: everything else.
`decayed` is not decided from the elements but from SGP4 refusing to propagate them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np

from tle_cache.elements import ElementSet

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Earth's gravitational parameter (km^3/s^2) and radii (km), WGS72 as used by SGP4.
MU_KM3_S2 = 398600.8
EARTH_EQUATORIAL_RADIUS_KM = 6378.135
#: The smallest geocentric radius of the Earth's surface, used for "can it ever rise" bounds.
EARTH_POLAR_RADIUS_KM = 6356.75
DEEP_SPACE_PERIOD_MIN = 225.0


class OrbitClass(StrEnum):
    GEOSTATIONARY = "geostationary"
    GEOSYNCHRONOUS = "geosynchronous"
    DEEP_SPACE = "deep-space"
    LEO_MEO = "leo-meo"
    DECAYED = "decayed"


def classify(elements: ElementSet) -> OrbitClass:
    """Return the orbit class of an element set from its mean elements."""
    n = elements.mean_motion_rev_per_day
    e = elements.eccentricity
    i = elements.inclination_deg
    if 0.9 < n < 1.1 and e < 0.2 and i < 70.0:
        if e < 0.01 and i < 3.0:
            return OrbitClass.GEOSTATIONARY
        return OrbitClass.GEOSYNCHRONOUS
    if elements.period_min >= DEEP_SPACE_PERIOD_MIN:
        return OrbitClass.DEEP_SPACE
    return OrbitClass.LEO_MEO


def semi_major_axis_km(elements: ElementSet) -> float:
    """Return the semi-major axis implied by the mean motion (Kepler's third law)."""
    return float(_semi_major_axis_km(elements.mean_motion_rev_per_day))


def apogee_radius_km(elements: ElementSet) -> float:
    return semi_major_axis_km(elements) * (1.0 + elements.eccentricity)


def perigee_radius_km(elements: ElementSet) -> float:
    return semi_major_axis_km(elements) * (1.0 - elements.eccentricity)


def max_speed_km_s(elements: ElementSet) -> float:
    """Return an upper bound of the satellite's speed in the Earth-fixed frame.

    Perigee speed (vis-viva) plus the Earth-rotation speed at apogee, with 10 % margin for
    the mean-to-osculating difference and drag.
    """
    a = semi_major_axis_km(elements)
    return float(_max_speed_km_s(a, elements.eccentricity))


def speed_and_apogee_km(
    element_sets: Sequence[ElementSet],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return `max_speed_km_s` (km/s) and `apogee_radius_km` (km) of every set, as arrays.

    The same formulas on arrays: one call for a whole catalogue instead of a Python loop.
    """
    n_rev_day = np.array([es.mean_motion_rev_per_day for es in element_sets], dtype=float)
    e = np.array([es.eccentricity for es in element_sets], dtype=float)
    a = _semi_major_axis_km(n_rev_day)
    return _max_speed_km_s(a, e), a * (1.0 + e)


def semi_major_axes_km(n_rev_day: NDArray[np.float64]) -> NDArray[np.float64]:
    """`semi_major_axis_km` on an array of mean motions (rev/day); km."""
    axes: NDArray[np.float64] = _semi_major_axis_km(np.asarray(n_rev_day, dtype=float))
    return axes


def _semi_major_axis_km(n_rev_day: Any) -> Any:
    n_rad_s = n_rev_day * 2.0 * math.pi / 86400.0
    return (MU_KM3_S2 / (n_rad_s * n_rad_s)) ** (1.0 / 3.0)


def _max_speed_km_s(a_km: Any, e: Any) -> Any:
    """Vis-viva at perigee plus the Earth's rotation at apogee, +10 % (floats or arrays)."""
    v_perigee = np.sqrt(MU_KM3_S2 * (2.0 / (a_km * (1.0 - e)) - 1.0 / a_km))
    v_rotation = 7.2921e-5 * (a_km * (1.0 + e))
    return 1.1 * (v_perigee + v_rotation)


def can_ever_rise(elements: ElementSet, latitude_deg: float, min_elevation_deg: float) -> bool:
    """Tell whether the satellite can ever reach `min_elevation_deg` from this latitude.

    The sub-satellite point never goes further from the equator than the inclination (or
    180 deg minus it); from a radius r the satellite is above elevation E only within the Earth
    central angle acos(R cos E / r) - E of its sub-point. We take the apogee radius, the polar
    Earth radius and a 1 deg margin so the test can only err towards searching.
    """
    return abs(latitude_deg) <= rise_latitude_limit_deg(elements, min_elevation_deg)


def rise_latitude_limits_deg(
    element_sets: Sequence[ElementSet], min_elevation_deg: float
) -> NDArray[np.float64]:
    """`rise_latitude_limit_deg` of every set, as one array (-inf: rises nowhere).

    The same formula on arrays; numpy's functions may differ from `math`'s in the last bit,
    so a caller that must agree with `can_ever_rise` exactly uses this as a screen with a
    margin and decides the pairs near the limit with the scalar function.
    """
    i = np.array([es.inclination_deg for es in element_sets], dtype=float)
    n_rev_day = np.array([es.mean_motion_rev_per_day for es in element_sets], dtype=float)
    e = np.array([es.eccentricity for es in element_sets], dtype=float)
    r = _semi_major_axis_km(n_rev_day) * (1.0 + e)
    e_rad = math.radians(max(min_elevation_deg, -90.0))
    ratio = EARTH_POLAR_RADIUS_KM * math.cos(e_rad) / r
    central_deg = np.degrees(np.arccos(np.minimum(ratio, 1.0)) - e_rad)
    limits: NDArray[np.float64] = np.minimum(i, 180.0 - i) + central_deg + 1.0
    limits[ratio >= 1.0] = -np.inf
    return limits


def rise_latitude_limit_deg(elements: ElementSet, min_elevation_deg: float) -> float:
    """Return the |latitude| (deg) beyond which `can_ever_rise` is False (-inf: everywhere).

    One number per satellite and threshold, for testing many observers at once.
    """
    i = elements.inclination_deg
    reach_deg = min(i, 180.0 - i)
    r = apogee_radius_km(elements)
    e_rad = math.radians(max(min_elevation_deg, -90.0))
    ratio = EARTH_POLAR_RADIUS_KM * math.cos(e_rad) / r
    if ratio >= 1.0:
        return -math.inf
    central_deg = math.degrees(math.acos(ratio) - e_rad)
    # geodetic vs geocentric latitude differ by at most 0.2 deg
    return reach_deg + central_deg + 1.0
