"""Eclipses: when a satellite passes through Earth's shadow, and GEO eclipse seasons.

The shadow is conical, cast by the Sun's finite disk: seen from the satellite, the Earth has
angular radius rho_E = asin(R / |r|), the Sun rho_S = asin(R_sun / |s - r|), and their centres
are theta apart. The satellite is in the umbra when theta < rho_E - rho_S (the Earth hides the
whole disk) and in the penumbra (partly lit) when theta < rho_E + rho_S. The Earth is the WGS84
ellipsoid: scaling every z coordinate by a / b turns it into a sphere of radius a, lines stay
lines, so "does the Earth hide this point of the Sun" is unchanged; only the Sun's disk is
stretched by 0.3 %, about 3 arcsec. The atmosphere is not modelled (it dims the light near the
umbra edge; published eclipse times often add some 50 km to the radius).

The Sun is Skyfield's apparent geocentric Sun (`passpredict.engine.sun.SunTrack`): light time and
annual aberration move the shadow axis by 20 arcsec, about 1 s of eclipse time at GEO. A
geostationary satellite is held at station beyond the horizon (`passpredict.engine.stationkeeping`).

A geostationary satellite is eclipsed once a day, around local midnight at its longitude, for
about 45 days around each equinox, up to some 70 minutes at the equinox: its eclipse season.
A low orbit is eclipsed on most orbits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.ephemeris import Astronomy
from passpredict.engine.frames import WGS84_A_KM, WGS84_F
from passpredict.engine.orbits import MU_KM3_S2, OrbitClass, classify
from passpredict.engine.rootfind import find_roots
from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS, SatelliteTrack
from passpredict.engine.sun import SunTrack
from passpredict.engine.time_axis import TimeBase
from passpredict.products.geo.pointing import find_dips, minimise
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet

#: IAU 2015 nominal solar radius.
SUN_RADIUS_KM = 695_700.0
#: Samples per orbit in the first scan (10 minutes for GEO, 41 s for a 98-minute orbit).
SAMPLES_PER_ORBIT = 144
_TOLERANCE_S = 0.01
#: Eclipses of a geostationary satellite more than this apart belong to different seasons.
SEASON_GAP_DAYS = 30.0
#: Default search windows: two GEO seasons fit in 400 days; a low orbit gets one day.
DEFAULT_GEO_SEARCH_DAYS = 400.0
DEFAULT_SEARCH_DAYS = 1.0


@dataclass(frozen=True)
class Eclipse:
    """One passage through Earth's shadow.

    The penumbra entry and exit bound the whole eclipse (any part of the Sun hidden); the
    umbra times are `None` for a penumbral-only (grazing) eclipse.
    """

    satellite: str
    norad_id: int
    penumbra_entry_utc: datetime
    umbra_entry_utc: datetime | None
    umbra_exit_utc: datetime | None
    penumbra_exit_utc: datetime
    station_kept: bool

    @property
    def duration_s(self) -> float:
        """Seconds from penumbra entry to penumbra exit."""
        return (self.penumbra_exit_utc - self.penumbra_entry_utc).total_seconds()

    @property
    def umbra_duration_s(self) -> float:
        """Seconds in full shadow (0 for a penumbral-only eclipse)."""
        if self.umbra_entry_utc is None or self.umbra_exit_utc is None:
            return 0.0
        return (self.umbra_exit_utc - self.umbra_entry_utc).total_seconds()


@dataclass(frozen=True)
class EclipseSeason:
    """A geostationary satellite's run of daily eclipses around one equinox."""

    eclipses: tuple[Eclipse, ...]

    @property
    def first(self) -> Eclipse:
        return self.eclipses[0]

    @property
    def last(self) -> Eclipse:
        return self.eclipses[-1]

    @property
    def longest(self) -> Eclipse:
        return max(self.eclipses, key=lambda e: e.duration_s)


def find_eclipses(
    element_set: ElementSet,
    start_utc: datetime,
    end_utc: datetime,
    astronomy: Astronomy,
    *,
    horizon_days: float = HOLD_HORIZON_DAYS,
    flattening: float = WGS84_F,
) -> list[Eclipse]:
    """Return every eclipse that overlaps [start_utc, end_utc], in time order.

    Entry and exit times are those of the whole eclipse, even when it begins before the
    window or ends after it. `flattening=0` gives the spherical Earth of radius a.
    """
    start = require_aware(start_utc, "start")
    end = require_aware(end_utc, "end")
    if end <= start:
        raise ValueError(f"the window end {end.isoformat()} is not after its start")
    period_s = element_set.period_min * 60.0
    pad_s = period_s
    origin = start - timedelta(seconds=pad_s)
    span_s = (end - start).total_seconds() + 2.0 * pad_s
    timebase = TimeBase.create(origin, origin + timedelta(seconds=span_s), astronomy.timescale)
    geostationary = classify(element_set) is OrbitClass.GEOSTATIONARY
    satellite = SatelliteTrack.create(
        element_set, timebase, astronomy.timescale, hold=geostationary, horizon_days=horizon_days
    )
    sun = SunTrack.create(astronomy, timebase, 0.0, span_s)
    scale = np.array([1.0, 1.0, 1.0 / (1.0 - flattening)])

    def shadow_deg(seconds: NDArray[np.float64]) -> tuple[NDArray, NDArray, NDArray]:
        r, _ = satellite.ecef_km(seconds)
        r = r * scale
        to_sun = sun.ecef_km(seconds) * scale - r
        distance = np.linalg.norm(r, axis=-1)
        rho_e = np.degrees(np.arcsin(np.minimum(WGS84_A_KM / distance, 1.0)))
        rho_s = np.degrees(np.arcsin(SUN_RADIUS_KM / np.linalg.norm(to_sun, axis=-1)))
        cross = np.linalg.norm(np.cross(-r, to_sun), axis=-1)
        theta = np.degrees(np.arctan2(cross, np.einsum("...j,...j->...", -r, to_sun)))
        return theta, rho_e, rho_s

    def penumbra(seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        theta, rho_e, rho_s = shadow_deg(seconds)
        return theta - rho_e - rho_s

    def umbra(seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        theta, rho_e, rho_s = shadow_deg(seconds)
        return theta - rho_e + rho_s

    step_s = period_s / SAMPLES_PER_ORBIT
    grid = np.append(np.arange(0.0, span_s, step_s), span_s)
    dips = find_dips(penumbra, grid, _margin_deg(element_set, step_s), _TOLERANCE_S)

    # The umbra lies inside the penumbra: look for its dip between the penumbra crossings.
    t_umb, f_umb = minimise(umbra, dips.entry_s, dips.exit_s, _TOLERANCE_S / 10.0)
    total = f_umb < 0.0
    entry_at = dips.entry_s[total]
    exit_at = dips.exit_s[total]
    f_entry = umbra(entry_at) if entry_at.size else entry_at
    f_exit = umbra(exit_at) if exit_at.size else exit_at

    def g(points: NDArray[np.float64], _: NDArray[np.intp]) -> NDArray[np.float64]:
        return umbra(points)

    umbra_entry = np.full(dips.entry_s.shape, np.nan)
    umbra_exit = np.full(dips.entry_s.shape, np.nan)
    umbra_entry[total] = find_roots(g, entry_at, t_umb[total], f_entry, f_umb[total], _TOLERANCE_S)
    umbra_exit[total] = find_roots(g, t_umb[total], exit_at, f_umb[total], f_exit, _TOLERANCE_S)
    _, held = satellite.ecef_km(dips.minimum_s) if dips.minimum_s.size else (None, [])

    def at(seconds: float) -> datetime:
        return origin + timedelta(seconds=float(seconds))

    eclipses = []
    for k in range(dips.minimum_s.size):
        entry, exit_ = at(dips.entry_s[k]), at(dips.exit_s[k])
        if exit_ < start or entry > end:
            continue
        eclipses.append(
            Eclipse(
                satellite=element_set.name,
                norad_id=element_set.norad_id,
                penumbra_entry_utc=entry,
                umbra_entry_utc=None if np.isnan(umbra_entry[k]) else at(umbra_entry[k]),
                umbra_exit_utc=None if np.isnan(umbra_exit[k]) else at(umbra_exit[k]),
                penumbra_exit_utc=exit_,
                station_kept=bool(held[k]),
            )
        )
    return eclipses


def group_seasons(
    eclipses: Sequence[Eclipse], gap_days: float = SEASON_GAP_DAYS
) -> list[EclipseSeason]:
    """Group a geostationary satellite's eclipses into seasons (gaps of `gap_days` split)."""
    seasons: list[list[Eclipse]] = []
    for eclipse in sorted(eclipses, key=lambda e: e.penumbra_entry_utc):
        if (
            seasons
            and (eclipse.penumbra_entry_utc - seasons[-1][-1].penumbra_entry_utc).days < gap_days
        ):
            seasons[-1].append(eclipse)
        else:
            seasons.append([eclipse])
    return [EclipseSeason(tuple(s)) for s in seasons]


def _margin_deg(element_set: ElementSet, step_s: float) -> float:
    """Bound how far the shadow function can fall between two samples `step_s` apart.

    The angle theta turns no faster than the satellite's angular rate at perigee, and rho_E
    changes with the radial speed; both from the mean elements, with 50 % to spare.
    """
    e = min(element_set.eccentricity, 0.99)
    n = element_set.mean_motion_rev_per_day * 2.0 * math.pi / 86400.0
    a = (MU_KM3_S2 / (n * n)) ** (1.0 / 3.0)
    r_p = max(a * (1.0 - e), WGS84_A_KM * 1.01)
    angular = n * (1.0 + e) ** 2 / (1.0 - e * e) ** 1.5
    radial_speed = e * math.sqrt(MU_KM3_S2 / (a * (1.0 - e * e)))
    rho_rate = WGS84_A_KM / (r_p * math.sqrt(r_p * r_p - WGS84_A_KM**2)) * radial_speed
    return 1.5 * math.degrees(angular + rho_rate) * step_s / 2.0
