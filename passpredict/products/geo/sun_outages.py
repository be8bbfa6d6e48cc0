"""Sun outages: when the Sun passes behind a geostationary satellite and blinds the dish.

Twice a year, around the equinoxes, the Sun crosses the part of the sky where an observer sees
the geostationary belt; for a few minutes a day on a few days in a row it sits behind a given
satellite and its noise swamps the downlink. An outage lasts while the angle between the Sun's
centre and the satellite, both seen from the observer, is below a threshold that depends on the
dish (`outage_threshold_deg`).

Physics (docs/geo.md): the satellite from SGP4, held at station beyond the horizon of
`passpredict.engine.stationkeeping`; the Sun from DE421 as an apparent place (light time, annual
aberration), moved from the geocentre to the WGS84 observer exactly (the 8.8 arcsec parallax).
What is left out is far below the 30 s goal: diurnal aberration (0.3 arcsec, under 0.1 s of
outage time), the satellite's light time (0.12 s, during which a station-kept satellite moves a
few metres in the Earth-fixed frame), and refraction (it lifts the Sun and the satellite, which
sit at nearly the same elevation, alike).

An outage is reported only while the satellite is in view: above the geometric horizon, as
`geo` pointing judges it (`HORIZON_ELEVATION_DEG`). A satellite a few tenths of a degree below
it, which refraction (about 0.5 deg at the horizon) would lift into sight, is below the horizon
for `geo` and so has no link and no outage; an outage the satellite sets or rises during is cut
at that moment (its peak then is the cut, where the separation is smallest within it).

The search samples the separation every `COARSE_STEP_S`, refines each daily minimum by golden
section and each threshold crossing by Illinois root finding
(`passpredict.products.geo.pointing.find_dips`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.ephemeris import Astronomy
from passpredict.engine.frames import (
    elevation_deg,
    look_angles,
    observer_ecef_km,
    observer_enu_basis,
)
from passpredict.engine.rootfind import find_roots
from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS, SatelliteTrack
from passpredict.engine.sun import SunTrack
from passpredict.engine.time_axis import TimeBase
from passpredict.products.geo.pointing import (
    HORIZON_ELEVATION_DEG,
    find_dips,
    require_geostationary,
)
from passpredict.records import Observer
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet

#: The Sun's mean angular radius (959.63 arcsec at 1 au).
SUN_RADIUS_DEG = 0.26656
#: Speed of light, m/s, for the wavelength.
SPEED_OF_LIGHT_M_S = 299_792_458.0
#: Half-power beamwidth constant k of HPBW = k * wavelength / diameter (degrees), the usual
#: value for a parabolic dish with a typical tapered illumination (ideal uniform: 58.4).
BEAMWIDTH_CONSTANT_DEG = 70.0
#: Largest threshold accepted: beyond it the daily dips merge and "outage" loses its meaning.
MAX_THRESHOLD_DEG = 10.0
COARSE_STEP_S = 300.0
#: Upper bound of the separation's rate of change: the Sun crosses the sky at 15.04 deg/h at
#: most, and a station-kept satellite moves a few hundredths of a degree a day.
_MAX_RATE_DEG_S = 0.0045
_TOLERANCE_S = 0.01
_PAD_S = 3.0 * 3600.0
_SIDEREAL_DAY_S = 86164.0905
#: Samples of the elevation across one outage, to find where the satellite sets or rises in
#: it: an outage lasts at most ~80 min (the largest threshold), in which the elevation of a
#: geostationary satellite (a daily sinusoid) has at most one extremum.
_ELEVATION_SAMPLES = 33
#: Outages more than this apart belong to different seasons.
SEASON_GAP_DAYS = 30.0
#: The default search: long enough to hold the next spring and the next autumn season.
DEFAULT_SEARCH_DAYS = 400.0
#: The dish assumed when neither a threshold nor a dish is given: a 1.2 m Ku-band VSAT.
DEFAULT_DISH_M = 1.2
DEFAULT_FREQUENCY_GHZ = 11.7


def half_power_beamwidth_deg(dish_m: float, frequency_ghz: float) -> float:
    """Return the half-power (-3 dB) beamwidth of a parabolic dish: 70 * lambda / D degrees."""
    if not (dish_m > 0.0 and math.isfinite(dish_m)):
        raise ValueError(f"dish diameter must be a positive number of metres, got {dish_m!r}")
    if not (frequency_ghz > 0.0 and math.isfinite(frequency_ghz)):
        raise ValueError(f"frequency must be a positive number of GHz, got {frequency_ghz!r}")
    wavelength_m = SPEED_OF_LIGHT_M_S / (frequency_ghz * 1e9)
    return BEAMWIDTH_CONSTANT_DEG * wavelength_m / dish_m


def outage_threshold_deg(dish_m: float, frequency_ghz: float) -> float:
    """Return the Sun-satellite separation below which a dish is in outage.

    The outage starts when the Sun's disk first touches the half-power cone of the beam: half
    the beamwidth plus the Sun's radius. A 1.2 m dish at 11.7 GHz: HPBW 1.49 deg, threshold
    1.01 deg.
    """
    return half_power_beamwidth_deg(dish_m, frequency_ghz) / 2.0 + SUN_RADIUS_DEG


@dataclass(frozen=True)
class OutageThreshold:
    """The separation an outage starts at, and the dish it was derived from (None: given)."""

    threshold_deg: float
    dish_m: float | None
    frequency_ghz: float | None

    @property
    def beamwidth_deg(self) -> float | None:
        """The dish's half-power beamwidth, or None when the threshold was given directly."""
        if self.dish_m is None or self.frequency_ghz is None:
            return None
        return half_power_beamwidth_deg(self.dish_m, self.frequency_ghz)


def outage_threshold(
    threshold_deg: float | None, dish_m: float | None, frequency_ghz: float | None
) -> OutageThreshold:
    """Return the threshold asked for: a given angle, or one from a dish (default 1.2 m, 11.7 GHz).

    Raises `ValueError` when an angle and a dish are both given (they would contradict), or
    when the dish's beam is so wide that its threshold is past `MAX_THRESHOLD_DEG`.
    """
    if threshold_deg is not None:
        if dish_m is not None or frequency_ghz is not None:
            raise ValueError(
                "--threshold-deg excludes --dish-m and --frequency-ghz; give one or the other"
            )
        return OutageThreshold(threshold_deg, None, None)
    dish = DEFAULT_DISH_M if dish_m is None else dish_m
    frequency = DEFAULT_FREQUENCY_GHZ if frequency_ghz is None else frequency_ghz
    derived = outage_threshold_deg(dish, frequency)
    if derived > MAX_THRESHOLD_DEG:
        raise ValueError(
            f"--dish-m {dish:g} at --frequency-ghz {frequency:g} is a "
            f"{half_power_beamwidth_deg(dish, frequency):.2f} deg beam, so an outage threshold "
            f"of {derived:.2f} deg, past the {MAX_THRESHOLD_DEG:g} deg a sun outage is "
            "predicted for; give a larger dish or a higher frequency, or --threshold-deg "
            f"up to {MAX_THRESHOLD_DEG:g}"
        )
    return OutageThreshold(derived, dish, frequency)


@dataclass(frozen=True)
class SunOutage:
    """One day's outage: the Sun within `threshold_deg` of the satellite, seen by the observer.

    `station_kept` says the satellite was held at its station (the window lies beyond the
    hold horizon from the element epoch).
    """

    satellite: str
    norad_id: int
    observer: str
    start_utc: datetime
    peak_utc: datetime
    end_utc: datetime
    min_separation_deg: float
    threshold_deg: float
    azimuth_deg: float
    elevation_deg: float
    station_kept: bool

    @property
    def duration_s(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds()


@dataclass(frozen=True)
class OutageSeason:
    """Consecutive days of outages around one equinox."""

    name: str
    outages: tuple[SunOutage, ...]

    @property
    def first(self) -> SunOutage:
        return self.outages[0]

    @property
    def last(self) -> SunOutage:
        return self.outages[-1]

    @property
    def deepest(self) -> SunOutage:
        """The day the Sun passes closest to the satellite."""
        return min(self.outages, key=lambda o: o.min_separation_deg)

    @property
    def longest(self) -> SunOutage:
        return max(self.outages, key=lambda o: o.duration_s)


def find_sun_outages(
    element_set: ElementSet,
    observer: Observer,
    start_utc: datetime,
    end_utc: datetime,
    astronomy: Astronomy,
    threshold_deg: float,
    *,
    horizon_days: float = HOLD_HORIZON_DAYS,
) -> list[SunOutage]:
    """Return every outage that overlaps [start_utc, end_utc], in time order.

    Raises `NotGeostationaryError` for a satellite that is not geostationary and `ValueError`
    for a bad threshold or a satellite below the observer's horizon.
    """
    require_geostationary(element_set)
    if not (0.0 < threshold_deg <= MAX_THRESHOLD_DEG):
        raise ValueError(
            f"threshold_deg must be above 0 and at most {MAX_THRESHOLD_DEG:g}, "
            f"got {threshold_deg!r}"
        )
    start = require_aware(start_utc, "start")
    end = require_aware(end_utc, "end")
    if end <= start:
        raise ValueError(f"the window end {end.isoformat()} is not after its start")
    origin = start - timedelta(seconds=_PAD_S)
    span_s = (end - start).total_seconds() + 2.0 * _PAD_S
    timebase = TimeBase.create(origin, origin + timedelta(seconds=span_s), astronomy.timescale)
    satellite = SatelliteTrack.create(
        element_set, timebase, astronomy.timescale, hold=True, horizon_days=horizon_days
    )
    sun = SunTrack.create(astronomy, timebase, 0.0, span_s)
    obs = observer_ecef_km([observer])[0]
    enu = observer_enu_basis([observer])[0]

    # Over a whole sidereal day, not at the start alone: an inclined satellite low in the sky
    # rises and sets daily, and the answer must not depend on the hour the window starts.
    day_s = _PAD_S + np.linspace(0.0, min(_SIDEREAL_DAY_S, span_s - 2.0 * _PAD_S), 145)
    r_day, _ = satellite.ecef_km(day_s)
    _, elevation_day, _ = look_angles(r_day, obs, enu)
    elevation = float(np.max(elevation_day))
    if elevation <= HORIZON_ELEVATION_DEG:
        raise ValueError(
            f"{element_set.name} is below the horizon of {observer.name} (elevation "
            f"{elevation:.1f} deg at most): there is no link, so no sun outage"
        )

    def excess_deg(seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        r, _ = satellite.ecef_km(seconds)
        return _separation_deg(r - obs, sun.ecef_km(seconds) - obs) - threshold_deg

    def height_deg(seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        """The satellite's elevation above `HORIZON_ELEVATION_DEG`."""
        r, _ = satellite.ecef_km(seconds)
        return elevation_deg(r, obs, enu) - HORIZON_ELEVATION_DEG

    grid = np.append(np.arange(0.0, span_s, COARSE_STEP_S), span_s)
    dips = find_dips(excess_deg, grid, _MAX_RATE_DEG_S * COARSE_STEP_S / 2.0, _TOLERANCE_S)
    spans = [
        (float(np.clip(dips.minimum_s[k], a, b)), a, b)
        for k in range(dips.minimum_s.size)
        for a, b in _spans_in_view(height_deg, float(dips.entry_s[k]), float(dips.exit_s[k]))
    ]
    peak_s = np.array([peak for peak, _, _ in spans])
    r_peak, held = satellite.ecef_km(peak_s)
    az, el, _ = look_angles(r_peak, obs, enu)
    # a peak at a cut lies on the horizon, up to the root's tolerance (not "-0.0" deg)
    el = np.maximum(el, HORIZON_ELEVATION_DEG)
    separation = excess_deg(peak_s) + threshold_deg
    outages = []
    for k, (peak, entry, exit_) in enumerate(spans):
        begin = origin + timedelta(seconds=entry)
        finish = origin + timedelta(seconds=exit_)
        if finish < start or begin > end:
            continue
        outages.append(
            SunOutage(
                satellite=element_set.name,
                norad_id=element_set.norad_id,
                observer=observer.name,
                start_utc=begin,
                peak_utc=origin + timedelta(seconds=peak),
                end_utc=finish,
                min_separation_deg=float(separation[k]),
                threshold_deg=threshold_deg,
                azimuth_deg=float(az[k]),
                elevation_deg=float(el[k]),
                station_kept=bool(held[k]),
            )
        )
    return outages


def group_seasons(
    outages: Sequence[SunOutage], latitude_deg: float, gap_days: float = SEASON_GAP_DAYS
) -> list[OutageSeason]:
    """Group outages into seasons, named for the observer's hemisphere ("autumn 2026")."""
    seasons: list[list[SunOutage]] = []
    for outage in sorted(outages, key=lambda o: o.peak_utc):
        if seasons and (outage.peak_utc - seasons[-1][-1].peak_utc).days < gap_days:
            seasons[-1].append(outage)
        else:
            seasons.append([outage])
    return [OutageSeason(season_name(s[0].peak_utc, latitude_deg), tuple(s)) for s in seasons]


def season_name(when_utc: datetime, latitude_deg: float) -> str:
    """Name the equinox season of a date for an observer: "spring 2027" or "autumn 2026".

    Seasons near the March equinox are spring in the northern hemisphere and autumn in the
    southern one, and the other way round in September.
    """
    march = when_utc.month <= 6
    northern = latitude_deg >= 0.0
    return f"{'spring' if march == northern else 'autumn'} {when_utc.year}"


def _spans_in_view(
    height_deg: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    entry_s: float,
    exit_s: float,
) -> list[tuple[float, float]]:
    """Return the parts of [entry_s, exit_s] where `height_deg` > 0 (the satellite in view).

    The whole interval when it is in view at every sample, nothing when at none; otherwise the
    sign changes of the samples, refined to `_TOLERANCE_S`.
    """
    t = np.linspace(entry_s, exit_s, _ELEVATION_SAMPLES)
    h = height_deg(t)
    up = h > 0.0
    if up.all():
        return [(entry_s, exit_s)]
    if not up.any():
        return []
    change = np.flatnonzero(up[1:] != up[:-1])
    crossings = find_roots(
        lambda points, _: height_deg(points),
        t[change],
        t[change + 1],
        h[change],
        h[change + 1],
        _TOLERANCE_S,
    )
    edges = [entry_s, *crossings.tolist(), exit_s]
    # between consecutive edges the satellite is up or down throughout: take the up parts
    starts_up = bool(up[0])
    return [
        (edges[i], edges[i + 1])
        for i in range(len(edges) - 1)
        if (i % 2 == 0) == starts_up and edges[i + 1] > edges[i]
    ]


def _separation_deg(u: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    cross = np.linalg.norm(np.cross(u, w), axis=-1)
    separation_deg: NDArray[np.float64] = np.degrees(
        np.arctan2(cross, np.einsum("...j,...j->...", u, w))
    )
    return separation_deg
