"""The geostationary arc from one place: which satellites a dish could be on, and how far apart.

Satellites a degree apart on the arc (Azerspace-1 at 46.0 E, Azerspace-2 at 45.0 E) look
almost the same from the ground, and a dish a degree off receives the neighbour. `geo_arc`
lists every geostationary satellite above the horizon from an observer with its pointing and,
when a target is named, the angle between each one and the target as seen from the observer:
the separation that tells the installer which satellite the dish is on.

An offset dish (the usual satellite-TV dish) has its feed below the beam, so its beam leaves
the face at the offset angle above the face's axis: the dish is mounted with its axis (the
normal to the rim) at the look elevation minus the offset, and looks tilted down by that much.
`dish_face_elevation_deg` gives that angle, what the elevation scale of such a mount is set to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from skyfield.timelib import Timescale

from passpredict.engine.orbits import OrbitClass, classify
from passpredict.products.geo.pointing import GeoPointing, geo_pointing
from passpredict.records import Observer
from tle_cache.elements import ElementSet

#: Offset angles an offset-fed dish can have: real ones are 17-30 deg.
MAX_OFFSET_DEG = 45.0


@dataclass(frozen=True)
class ArcEntry:
    """One geostationary satellite seen from the observer, with its separation from the target.

    `separation_deg` is the angle between this satellite and the target as seen from the
    observer (`None` without a target; 0 for the target itself).
    """

    pointing: GeoPointing
    separation_deg: float | None


def dish_face_elevation_deg(elevation_deg: float, offset_deg: float) -> float:
    """Return the elevation of an offset dish's axis for a beam at `elevation_deg`.

    The beam of an offset-fed dish points `offset_deg` above the axis of its face, so the face
    is set `offset_deg` lower than the satellite: at 43.1 deg elevation a 22.3 deg offset dish
    is mounted at 20.8 deg. Raises `ValueError` for an offset outside 0 to 45 deg.
    """
    if not (math.isfinite(offset_deg) and 0.0 <= offset_deg <= MAX_OFFSET_DEG):
        raise ValueError(
            f"offset_deg must be between 0 and {MAX_OFFSET_DEG:g} degrees (an offset dish's "
            f"offset angle, typically 17 to 30), got {offset_deg!r}"
        )
    return elevation_deg - offset_deg


def separation_deg(a: GeoPointing, b: GeoPointing) -> float:
    """Return the angle (deg) between two pointings from the same observer."""
    u, w = _direction(a), _direction(b)
    cross = float(np.linalg.norm(np.cross(u, w)))
    return math.degrees(math.atan2(cross, float(u @ w)))


def geo_arc(
    element_sets: Sequence[ElementSet],
    observer: Observer,
    when_utc: datetime,
    timescale: Timescale,
    *,
    near: ElementSet | None = None,
    min_elevation_deg: float = 0.0,
) -> list[ArcEntry]:
    """Return the geostationary satellites above `min_elevation_deg`, west to east on the arc.

    Only sets classified geostationary are considered (inclined geosynchronous satellites
    wander too far to share a fixed dish). With `near`, each entry carries its separation from
    that satellite, which is listed even when below the threshold, so the answer always says
    where the target is. Sorted by sub-satellite longitude, west to east.
    """
    target = geo_pointing(near, observer, when_utc, timescale) if near is not None else None
    entries: list[ArcEntry] = []
    seen: set[int] = set()
    for es in element_sets:
        if es.norad_id in seen or classify(es) is not OrbitClass.GEOSTATIONARY:
            continue
        seen.add(es.norad_id)
        is_target = near is not None and es.norad_id == near.norad_id
        pointing = target if is_target else geo_pointing(es, observer, when_utc, timescale)
        if pointing.elevation_deg < min_elevation_deg and not is_target:
            continue
        separation = None if target is None else separation_deg(pointing, target)
        entries.append(ArcEntry(pointing, separation))
    if target is not None and near.norad_id not in seen:
        entries.append(ArcEntry(target, 0.0))
    return sorted(entries, key=lambda e: _west_to_east(e.pointing, observer))


def _direction(p: GeoPointing) -> np.ndarray:
    az, el = math.radians(p.azimuth_deg), math.radians(p.elevation_deg)
    return np.array([math.cos(el) * math.sin(az), math.cos(el) * math.cos(az), math.sin(el)])


def _west_to_east(p: GeoPointing, observer: Observer) -> float:
    """Sort key: sub-satellite longitude measured from the observer's antimeridian eastwards."""
    return (p.subsatellite_longitude_deg - observer.longitude_deg + 180.0) % 360.0
