"""Geostationary satellites: where each hangs, how it wobbles, and when it crosses the threshold.

A geostationary satellite never rises or sets in the ordinary sense, so it gets one `GeoLook`
per observer: azimuth, elevation and range at the window start, and the elevation range over
the window, sampled every `SAMPLE_STEP_S` (the daily libration is a slow sinusoid, so a
10-minute grid gives its extremes to a few thousandths of a degree, and to the root finder's
precision near the threshold, where they are refined).

Seen from a high latitude or far to the side, the same daily wobble can carry the satellite
across the threshold: up for some hours, down for the rest of the day. Those crossings are
reported as ordinary passes (`PassTable` rows), in addition to the look record: rise and set
are roots of elevation - threshold found by the bracketed root finder
(`passpredict.engine.rootfind.find_roots`) to the pass engine's `TIME_TOLERANCE_S`, and the
culmination is the highest point found by golden-section search to the same tolerance. A
crossing pair can hide between two samples only next to a sampled extremum within
`rate bound x step` of the threshold; such extrema are refined first, as the oracle does.

Both products come from the same positions: far from the element epoch the satellite is held
at its station (`passpredict.engine.stationkeeping`), for the look record and the passes alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.passes import TIME_TOLERANCE_S, PassTable, concatenate_tables
from passpredict.engine.rootfind import find_roots
from passpredict.engine.stationkeeping import SatelliteTrack, unheld_ecef_km
from passpredict.engine.time_axis import TimeBase
from passpredict.records import GeoLook, Observer
from tle_cache.elements import ElementSet

SAMPLE_STEP_S = 600.0
#: A bound of the Earth-fixed speed (km/s) of anything classified geostationary (0.9 to 1.1
#: rev/day, e < 0.01, i < 3 deg): drift from the mean motion at most 0.29 km/s, the east-west
#: swing of the eccentricity 0.06, the north-south one of the inclination 0.16; with margin.
GEO_SPEED_BOUND_KM_S = 0.6
#: Half-width (s) of the central difference that gives velocities of held positions.
_VELOCITY_STEP_S = 0.5
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class GeoProducts(NamedTuple):
    """The look records and the threshold-crossing passes of geostationary satellites.

    `table` indexes `tracks` (one per element set given) and the observers; its rows are
    sorted by start, then satellite, then observer.
    """

    looks: tuple[GeoLook, ...]
    table: PassTable
    tracks: tuple[SatelliteTrack, ...]

    def positions_km(
        self, satellite_index: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Return Earth-fixed positions (n, 3) of `tracks[satellite_index[i]]` at `seconds[i]`."""
        satellite_index = np.asarray(satellite_index, dtype=np.intp)
        seconds = np.asarray(seconds, dtype=float)
        r = np.empty((seconds.size, 3))
        for s in sorted(set(satellite_index.tolist())):  # np.unique imports numpy.ma: 18 ms
            rows = satellite_index == s
            r[rows], _ = self.tracks[s].ecef_km(seconds[rows])
        return r

    def states_km(
        self, satellite_index: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return positions and velocities (central differences of positions), each (n, 3)."""
        seconds = np.asarray(seconds, dtype=float)
        both = np.concatenate([seconds - _VELOCITY_STEP_S, seconds, seconds + _VELOCITY_STEP_S])
        r = self.positions_km(np.tile(satellite_index, 3), both).reshape(3, seconds.size, 3)
        return r[1], (r[2] - r[0]) / (2.0 * _VELOCITY_STEP_S)


def geostationary_looks(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
    timescale: Timescale,
) -> list[GeoLook]:
    """Return one `GeoLook` per (satellite, observer), satellites outermost."""
    products = geostationary(
        element_sets, observers, timebase, duration_s, min_elevation_deg, timescale
    )
    return list(products.looks)


def geostationary(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
    timescale: Timescale,
) -> GeoProducts:
    """Return the look record of every (satellite, observer) and the passes across the threshold.

    Looks come satellites outermost. A pass is reported only where the elevation crosses
    `min_elevation_deg` inside the window: a satellite above it all the time (or never) has its
    look record only.
    """
    observers = list(observers)
    obs_ecef = observer_ecef_km(observers)
    enu = observer_enu_basis(observers)
    seconds = np.append(np.arange(0.0, duration_s, SAMPLE_STEP_S), duration_s)
    tracks = [SatelliteTrack.create(es, timebase, timescale, hold=True) for es in element_sets]
    sampled = _SampledLooks.create(tracks, seconds, obs_ecef, enu, min_elevation_deg)
    looks: list[GeoLook] = []
    tables: list[PassTable] = []
    for index, (es, track) in enumerate(zip(element_sets, tracks, strict=True)):
        row = sampled.row.get(index)
        if row is not None and sampled.clear[row]:  # far from the threshold all the window
            for j, observer in enumerate(observers):
                el_j = sampled.elevation_deg[row, j]
                looks.append(
                    _look_record(
                        es,
                        observer.name,
                        timebase,
                        (sampled.azimuth_deg[row, j], el_j, sampled.range_km[row, j]),
                        (float(el_j.min()), float(el_j.max())),
                        min_elevation_deg,
                        station_kept=False,
                    )
                )
            continue
        if row is not None:
            az, el = sampled.azimuth_deg[row], sampled.elevation_deg[row]
            rng = sampled.range_km[row]
            held = np.zeros(1, dtype=bool)
        else:
            r, held = track.ecef_km(seconds)
            az, el, rng = look_angles(r[None, :, :], obs_ecef[:, None, :], enu[:, None, :, :])

        def elevation(
            obs: NDArray[np.intp], t: NDArray[np.float64], track: SatelliteTrack = track
        ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
            return look_angles(track.ecef_km(t)[0], obs_ecef[obs], enu[obs])

        crossing = _Crossings(elevation, seconds, el, min_elevation_deg, rng.min(), duration_s)
        tables.append(crossing.table(index))
        for j, observer in enumerate(observers):
            looks.append(
                _look_record(
                    es,
                    observer.name,
                    timebase,
                    (az[j], el[j], rng[j]),
                    crossing.elevation_range_deg(j),
                    min_elevation_deg,
                    station_kept=bool(held.any()),
                )
            )
    return GeoProducts(tuple(looks), _sorted(concatenate_tables(tables)), tuple(tracks))


def _look_record(
    element_set: ElementSet,
    observer_name: str,
    timebase: TimeBase,
    samples: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
    elevation_range_deg: tuple[float, float],
    min_elevation_deg: float,
    *,
    station_kept: bool,
) -> GeoLook:
    """The look record of one satellite and observer: the look at the window start (the
    first of the sampled azimuths, elevations and ranges) and the elevation's range."""
    az, el, rng = samples
    return GeoLook(
        satellite=element_set.name,
        norad_id=element_set.norad_id,
        observer=observer_name,
        time_utc=timebase.start_utc,
        azimuth_deg=float(az[0]),
        elevation_deg=float(el[0]),
        range_km=float(rng[0]),
        elevation_min_deg=elevation_range_deg[0],
        elevation_max_deg=elevation_range_deg[1],
        min_elevation_deg=min_elevation_deg,
        station_kept=station_kept,
    )


#: Most look angles `_SampledLooks` computes in one go (satellites x observers x samples),
#: so that many observers do not make arrays of hundreds of megabytes.
_LOOKS_PER_CHUNK = 1 << 18


def _step_s(seconds: NDArray[np.float64]) -> float:
    """Return the longest step (s) between samples, 0 for a single sample."""
    return float(np.max(np.diff(seconds))) if seconds.size > 1 else 0.0


def _margin_deg(step_s: float, min_range_km: float) -> float:
    """Return how far (deg) the elevation may stray from a sample within one step of it."""
    reach = GEO_SPEED_BOUND_KM_S * step_s
    return math.degrees(math.asin(min(1.0, reach / max(min_range_km - reach, 1.0))))


class _SampledLooks(NamedTuple):
    """Sampled look angles of the satellites not held at station, all propagated at once.

    Most geostationary satellites stay degrees above (or below) the threshold all day. For
    those whose every sample lies farther from it than `_margin_deg` (`clear`), `_Crossings`
    refines nothing (no sampled extremum within the margin, no sign change) and reports no
    pass, so their look records come straight from the samples: the same numbers, without
    one propagation and one `_Crossings` per satellite (0.138 -> 0.062 s CPU over the
    catalogue's 438 x Baku x 1 day, issue 11). Arrays are (satellites, observers, samples);
    `row` maps a satellite's index in the input to its row.
    """

    row: dict[int, int]
    azimuth_deg: NDArray[np.float64]
    elevation_deg: NDArray[np.float64]
    range_km: NDArray[np.float64]
    clear: NDArray[np.bool_]

    @classmethod
    def create(
        cls,
        tracks: Sequence[SatelliteTrack],
        seconds: NDArray[np.float64],
        obs_ecef: NDArray[np.float64],
        enu: NDArray[np.float64],
        min_elevation_deg: float,
    ) -> _SampledLooks:
        index, r = unheld_ecef_km(tracks, seconds)
        n_sat, n_obs, n_t = index.size, obs_ecef.shape[0], seconds.size
        az, el, rng = (np.empty((n_sat, n_obs, n_t)) for _ in range(3))
        chunk = max(1, _LOOKS_PER_CHUNK // max(n_obs * n_t, 1))
        for first in range(0, n_sat, chunk):
            part = slice(first, first + chunk)
            az[part], el[part], rng[part] = look_angles(
                r[part, None, :, :], obs_ecef[None, :, None, :], enu[None, :, None, :, :]
            )
        step_s = _step_s(seconds)
        margin = np.array([_margin_deg(step_s, m) for m in rng.min(axis=(1, 2), initial=np.inf)])
        # `_Crossings` refines only samples within the margin of the threshold (the two
        # sides' extrema) and crossings between samples on either side of it
        offset = el - min_elevation_deg
        near = (np.abs(offset) <= margin[:, None, None]).any(axis=(1, 2))
        above = offset >= 0.0
        crossed = (above[:, :, 1:] != above[:, :, :-1]).any(axis=(1, 2))
        rows = {int(i): k for k, i in enumerate(index)}
        return cls(rows, az, el, rng, ~(near | crossed))


#: (observer indices, seconds) -> (azimuth deg, elevation deg, range km), elementwise.
LookFunction = Callable[
    [NDArray[np.intp], NDArray[np.float64]],
    tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
]


class _Crossings:
    """One satellite's threshold crossings for every observer, from its sampled elevations."""

    def __init__(
        self,
        look: LookFunction,
        seconds: NDArray[np.float64],
        elevation_deg: NDArray[np.float64],
        min_elevation_deg: float,
        min_range_km: float,
        duration_s: float,
    ) -> None:
        self.look = look
        self.threshold = min_elevation_deg
        self.duration_s = duration_s
        n_obs = elevation_deg.shape[0]
        # how far the elevation may stray from a sample within one step either side of it
        margin_deg = _margin_deg(_step_s(seconds), min_range_km)
        extra_obs, extra_t = self._hidden_extrema(seconds, elevation_deg, margin_deg)
        extra_el = self._elevation(extra_obs, extra_t)
        self.points_obs = np.concatenate([np.repeat(np.arange(n_obs), seconds.size), extra_obs])
        self.points_t = np.concatenate([np.tile(seconds, n_obs), extra_t])
        self.points_el = np.concatenate([elevation_deg.ravel(), extra_el])
        order = np.lexsort((self.points_t, self.points_obs))
        self.points_obs = self.points_obs[order]
        self.points_t = self.points_t[order]
        self.points_el = self.points_el[order]
        self._find_passes()

    def _elevation(self, obs: NDArray[np.intp], t: NDArray[np.float64]) -> NDArray[np.float64]:
        if t.size == 0:
            return np.empty(0)
        return self.look(obs, t)[1]

    def _hidden_extrema(
        self, seconds: NDArray[np.float64], el: NDArray[np.float64], margin_deg: float
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Refine the sampled extrema next to which a crossing pair could hide.

        A sampled maximum below the threshold (a minimum above it) can hide a moment above
        (below) it only within `margin_deg`, the most the elevation can change in a step.
        """
        if seconds.size < 2:
            return np.zeros(0, np.intp), np.zeros(0)
        n_t = seconds.size
        found_obs, found_t = [], []
        for sign in (1.0, -1.0):
            e = sign * (el - self.threshold)  # < 0: on the far side of the threshold
            left = np.concatenate([e[:, :1], e[:, :-1]], axis=1)
            right = np.concatenate([e[:, 1:], e[:, -1:]], axis=1)
            peak = (e >= left) & (e >= right) & (e < 0) & (e >= -margin_deg)
            obs, k = np.nonzero(peak)
            low = seconds[np.maximum(k - 1, 0)]
            high = seconds[np.minimum(k + 1, n_t - 1)]

            def f(
                x: NDArray[np.float64], obs: NDArray[np.intp] = obs, sign: float = sign
            ) -> NDArray[np.float64]:
                return sign * self._elevation(obs, x)

            found_obs.append(obs)
            found_t.append(_golden_section_max(f, low, high))
        return np.concatenate(found_obs), np.concatenate(found_t)

    def _find_passes(self) -> None:
        above = self.points_el >= self.threshold
        same_obs = self.points_obs[1:] == self.points_obs[:-1]
        change = np.flatnonzero((above[1:] != above[:-1]) & same_obs)
        a, b = self.points_t[change], self.points_t[change + 1]
        fa = self.points_el[change] - self.threshold
        fb = self.points_el[change + 1] - self.threshold
        obs = self.points_obs[change]

        def f(x: NDArray[np.float64], active: NDArray[np.intp]) -> NDArray[np.float64]:
            return self._elevation(obs[active], x) - self.threshold

        # a value exactly on the threshold counts as above (as for the samples)
        fa = np.where(fa == 0.0, np.nextafter(0.0, 1.0), fa)
        fb = np.where(fb == 0.0, np.nextafter(0.0, 1.0), fb)
        roots = find_roots(f, a, b, fa, fb, TIME_TOLERANCE_S) if a.size else np.zeros(0)
        rising = ~above[change]
        # passes: from each rise (or the window start, if above there) to the next set
        spans_obs, spans_start, spans_end, has_rise, has_set = [], [], [], [], []
        for o in sorted(set(self.points_obs.tolist())):  # not np.unique (numpy.ma, 18 ms)
            mine = obs == o
            if not mine.any():
                continue  # above or below all the time: the look record says so
            t, up = roots[mine], rising[mine]
            first = self.points_obs == o
            starts = list(t[up])
            ends = list(t[~up])
            rise_flags = [True] * len(starts)
            if not up[0]:  # above at the window start
                starts.insert(0, 0.0)
                rise_flags.insert(0, False)
            set_flags = [True] * len(ends)
            if up[-1]:  # still above at the window end
                ends.append(float(self.points_t[first][-1]))
                set_flags.append(False)
            spans_obs += [o] * len(starts)
            spans_start += starts
            spans_end += ends
            has_rise += rise_flags
            has_set += set_flags
        self.span_obs = np.asarray(spans_obs, dtype=np.intp)
        self.rise_s = np.where(has_rise, spans_start, np.nan)
        self.set_s = np.where(has_set, spans_end, np.nan)
        self.culmination_s = self._culminations(
            self.span_obs, np.asarray(spans_start, dtype=float), np.asarray(spans_end, dtype=float)
        )

    def _culminations(
        self, obs: NDArray[np.intp], start: NDArray[np.float64], end: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Return the highest point of each span, by golden section around its highest point."""
        if obs.size == 0:
            return np.zeros(0)
        low, high = start.copy(), end.copy()
        n = self.points_t.size
        for i in range(obs.size):
            inside = np.flatnonzero(
                (self.points_obs == obs[i])
                & (self.points_t >= start[i])
                & (self.points_t <= end[i])
            )
            if inside.size == 0:  # shorter than a step: the maximum lies between rise and set
                continue
            top = int(inside[np.argmax(self.points_el[inside])])
            if top > 0 and self.points_obs[top - 1] == obs[i]:
                low[i] = max(start[i], self.points_t[top - 1])
            if top + 1 < n and self.points_obs[top + 1] == obs[i]:
                high[i] = min(end[i], self.points_t[top + 1])

        def f(x: NDArray[np.float64]) -> NDArray[np.float64]:
            return self._elevation(obs, x)

        return _golden_section_max(f, low, high)

    def elevation_range_deg(self, observer: int) -> tuple[float, float]:
        """Return the lowest and highest elevation seen for one observer, refined included."""
        el = self.points_el[self.points_obs == observer]
        highest = float(el.max())
        tops = self.culmination_s[self.span_obs == observer]
        if tops.size:
            highest = max(highest, float(self._elevation(np.full(tops.size, observer), tops).max()))
        return float(el.min()), highest

    def table(self, satellite_index: int) -> PassTable:
        """Return the passes as a `PassTable` row set for satellite `satellite_index`."""
        n = self.span_obs.size
        times = np.stack([self.rise_s, self.culmination_s, self.set_s], axis=1)  # (n, 3)
        points = np.full((n, 3, 3), np.nan)
        known = ~np.isnan(times)
        if n:
            obs = np.repeat(self.span_obs, 3)[known.ravel()]
            az, el, rng = self.look(obs, times[known])
            points[known] = np.stack([az, el, rng], axis=-1)
        return PassTable(
            np.full(n, satellite_index, dtype=np.intp),
            self.span_obs,
            self.rise_s,
            self.culmination_s,
            self.set_s,
            points,
        )


def _golden_section_max(
    f: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return, for each [low, high], where `f` is highest, to `TIME_TOLERANCE_S`.

    Golden-section search finds the local maximum of a unimodal piece; the bracket's ends are
    candidates too, so a maximum at a window end is kept.
    """
    a, b = np.array(low, dtype=float), np.array(high, dtype=float)
    if a.size == 0:
        return a
    width = float(np.max(b - a))
    iterations = 0
    if width > TIME_TOLERANCE_S:
        iterations = math.ceil(math.log(TIME_TOLERANCE_S / width) / math.log(_GOLDEN))
    c = b - _GOLDEN * (b - a)
    d = a + _GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        left = fc >= fd  # the maximum lies in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c, d = np.where(left, b - _GOLDEN * (b - a), d), np.where(left, c, a + _GOLDEN * (b - a))
        probe = np.where(left, c, d)
        f_probe = f(probe)
        fc, fd = np.where(left, f_probe, fd), np.where(left, fc, f_probe)
    candidates = np.stack([np.array(low, dtype=float), 0.5 * (a + b), np.array(high, dtype=float)])
    values = np.stack([f(x) for x in candidates])
    best: NDArray[np.float64] = candidates[np.argmax(values, axis=0), np.arange(a.size)]
    return best


def _sorted(table: PassTable) -> PassTable:
    start = np.where(np.isnan(table.rise_s), 0.0, table.rise_s)
    order = np.lexsort((table.observer_index, table.satellite_index, start))
    return PassTable(*(getattr(table, name)[order] for name in PassTable.__dataclass_fields__))
