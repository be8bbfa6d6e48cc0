"""The pass search: coarse vectorised scan, then bracketed root finding.

For every satellite and observer at once:

1. Scan. SGP4 on a grid of step `period / 20` (at most 10 min), shared by every observer.
   At each sample we have sin(elevation) and its analytic time derivative.
2. Bracket extrema. A sign change of the elevation rate between two samples brackets one
   maximum (or minimum); the step is short enough that an interval never holds two.
   A maximum is refined only if it could reach the threshold: within half a step of a sample
   the satellite moves at most `v_max * step / 2`, so its elevation can exceed the sample's by
   at most asin(v_max * step / 2 / range). That bound keeps the few-second grazing passes that a
   plain scan would miss, and drops the maxima on the far side of the Earth.
3. Refine maxima (root of the elevation rate) and threshold crossings (root of
   sin(elevation) - sin(threshold)) to 1 ms with `passpredict.rootfind`. Rise and set are the
   threshold crossings themselves, not a filter applied afterwards.
4. Assemble passes from the sorted crossings; the window ends act as brackets, so a pass in
   progress at the start has no rise and one in progress at the end has no set, and its
   culmination is the highest point inside the window.

Geometry conventions (see `passpredict.frames`): SGP4 with WGS72 constants, Earth rotation by
GMST 1982 at UT1, observers on WGS84, geometric elevation (no refraction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec
from skyfield.timelib import Timescale

from passpredict.frames import (
    look_angles,
    observer_ecef_km,
    observer_enu_basis,
    sin_elevation_and_rate,
)
from passpredict.orbits import OrbitClass, can_ever_rise, classify, max_speed_km_s
from passpredict.propagate import propagate_grid, propagate_points
from passpredict.records import Observer, Pass, PassPoint
from passpredict.rootfind import find_roots
from passpredict.timebase import TimeBase
from tle_cache.elements import ElementSet

#: Root-finding tolerance on times (s).
TIME_TOLERANCE_S = 1e-3
#: Coarse step as a fraction of the orbital period, and its bounds (s).
STEP_FRACTION_OF_PERIOD = 1.0 / 20.0
MIN_STEP_S = 10.0
MAX_STEP_S = 600.0
#: Steps are rounded down to a multiple of this, so similar orbits share one SGP4 grid.
STEP_QUANTUM_S = 15.0
#: Value of sin(elevation) given to samples SGP4 could not compute (decayed): below any horizon.
_INVALID_SIN_ELEVATION = -2.0


@dataclass(frozen=True)
class PassTable:
    """Passes as parallel arrays, one entry per pass (the engine's native output).

    Times are seconds since the window start; `rise_s` / `set_s` are NaN for a pass in
    progress at the window start / end. `points` has shape (n, 3, 3): for rise, culmination
    and set, the azimuth (deg), elevation (deg) and range (km) (NaN where the time is NaN).
    Indices refer to the satellite and observer sequences given to `search_passes`.
    """

    satellite_index: NDArray[np.intp]
    observer_index: NDArray[np.intp]
    rise_s: NDArray[np.float64]
    culmination_s: NDArray[np.float64]
    set_s: NDArray[np.float64]
    points: NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.satellite_index.size)


def coarse_step_s(elements: ElementSet) -> float:
    """Return the scan step for a satellite: 1/20 of its period, quantised and bounded."""
    step = elements.period_min * 60.0 * STEP_FRACTION_OF_PERIOD
    step = np.floor(step / STEP_QUANTUM_S) * STEP_QUANTUM_S
    return float(np.clip(step, MIN_STEP_S, MAX_STEP_S))


def find_passes(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    start_utc: datetime,
    end_utc: datetime,
    min_elevation_deg: float = 10.0,
    timescale: Timescale | None = None,
) -> list[Pass]:
    """Return every pass of the satellites over the observers in [start_utc, end_utc].

    Sorted by start time (rise, or the window start for a pass already in progress).
    Geostationary satellites are skipped (they never rise or set: see `passpredict.geo_look`),
    and so are pairs where the satellite can never reach `min_elevation_deg`.
    """
    if timescale is None:
        from passpredict.ephemeris import load_timescale

        timescale = load_timescale()
    timebase = TimeBase.create(start_utc, end_utc, timescale)
    duration_s = (end_utc - start_utc).total_seconds()
    searchable = [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]
    table = search_passes(searchable, list(observers), timebase, duration_s, min_elevation_deg)
    return pass_records(table, searchable, list(observers), timebase, min_elevation_deg)


def search_passes(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
) -> PassTable:
    """Search passes of many satellites over many observers; the vectorised core."""
    if duration_s <= 0:
        raise ValueError(f"the window must end after it starts, got {duration_s:g} s long")
    if not -90.0 <= min_elevation_deg < 90.0:
        raise ValueError(f"min_elevation_deg must be between -90 and 90, got {min_elevation_deg!r}")
    observers = list(observers)
    parts: list[PassTable] = []
    groups: dict[float, list[int]] = {}
    for index, es in enumerate(element_sets):
        groups.setdefault(coarse_step_s(es), []).append(index)
    for step_s, indices in sorted(groups.items()):
        table = _search_group(
            [element_sets[i] for i in indices],
            observers,
            timebase,
            duration_s,
            min_elevation_deg,
            step_s,
        )
        parts.append(
            PassTable(
                np.asarray(indices, dtype=np.intp)[table.satellite_index],
                table.observer_index,
                table.rise_s,
                table.culmination_s,
                table.set_s,
                table.points,
            )
        )
    return _sorted(_concatenate(parts))


class _Geometry:
    """Evaluates sin(elevation), its rate and look angles for (satellite, observer, time)."""

    def __init__(
        self, satrecs: list[Satrec], observers: list[Observer], timebase: TimeBase
    ) -> None:
        self.satrecs = satrecs
        self.timebase = timebase
        self.obs_ecef = observer_ecef_km(observers)
        self.enu = observer_enu_basis(observers)

    def ecef(
        self, sat: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
        r = np.empty((sat.size, 3))
        v = np.empty((sat.size, 3))
        ok = np.empty(sat.size, dtype=bool)
        order = np.argsort(sat, kind="stable")
        sorted_sat = sat[order]
        bounds = np.flatnonzero(np.diff(sorted_sat)) + 1
        for chunk in np.split(order, bounds):
            if chunk.size:
                r[chunk], v[chunk], ok[chunk] = propagate_points(
                    self.satrecs[sat[chunk[0]]], self.timebase, seconds[chunk]
                )
        return r, v, ok

    def sin_elevation(
        self, sat: NDArray[np.intp], obs: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        r, v, ok = self.ecef(sat, seconds)
        sin_el, rate, _ = sin_elevation_and_rate(r, v, self.obs_ecef[obs], self.enu[obs, 2, :])
        sin_el[~ok] = _INVALID_SIN_ELEVATION
        rate[~ok] = 0.0
        return sin_el, rate

    def look(
        self, sat: NDArray[np.intp], obs: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Return (n, 3): azimuth deg, elevation deg, range km; NaN rows for NaN times."""
        out = np.full((sat.size, 3), np.nan)
        known = ~np.isnan(seconds)
        if known.any():
            r, _, _ = self.ecef(sat[known], seconds[known])
            az, el, rng = look_angles(r, self.obs_ecef[obs[known]], self.enu[obs[known]])
            out[known] = np.stack([az, el, rng], axis=-1)
        return out


def _search_group(
    element_sets: list[ElementSet],
    observers: list[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
    step_s: float,
) -> PassTable:
    """Search one group of satellites that share a scan step."""
    n_obs = len(observers)
    satrecs = [es.satrec() for es in element_sets]
    geometry = _Geometry(satrecs, observers, timebase)
    sin_threshold = np.sin(np.radians(min_elevation_deg))

    seconds = np.arange(0.0, duration_s, step_s)
    seconds = np.append(seconds, duration_s)
    r, v, ok = propagate_grid(satrecs, timebase, seconds)  # (n_sat, n_t, ...)
    # (n_sat, n_obs, n_t)
    sin_el, rate, range_km = sin_elevation_and_rate(
        r[:, None, :, :],
        v[:, None, :, :],
        geometry.obs_ecef[None, :, None, :],
        geometry.enu[None, :, None, 2, :],
    )
    invalid = ~ok[:, None, :]
    sin_el = np.where(invalid, _INVALID_SIN_ELEVATION, sin_el)
    rate = np.where(invalid, 0.0, rate)
    f = sin_el - sin_threshold

    # Pairs that can never reach the threshold (inclination vs latitude) are masked out.
    reachable = np.array(
        [
            [can_ever_rise(es, o.latitude_deg, min_elevation_deg) for o in observers]
            for es in element_sets
        ],
        dtype=bool,
    ).reshape(len(element_sets), n_obs)

    # --- extrema brackets -------------------------------------------------------------
    max_speed = np.array([max_speed_km_s(es) for es in element_sets])[:, None, None]
    reach_km = max_speed * step_s / 2.0
    # Within reach_km of a sample, the line of sight turns by at most asin(reach / range).
    slack_rad = np.arcsin(np.clip(reach_km / range_km, 0.0, 1.0))
    el_rad = np.arcsin(np.clip(sin_el, -1.0, 1.0))
    upper = np.maximum(el_rad[..., :-1] + slack_rad[..., :-1], el_rad[..., 1:] + slack_rad[..., 1:])
    lower = np.minimum(el_rad[..., :-1] - slack_rad[..., :-1], el_rad[..., 1:] - slack_rad[..., 1:])
    threshold_rad = np.radians(min_elevation_deg)
    valid_interval = ok[:, None, :-1] & ok[:, None, 1:] & reachable[..., None]
    is_max = (rate[..., :-1] > 0) & (rate[..., 1:] <= 0) & valid_interval
    is_min = (rate[..., :-1] < 0) & (rate[..., 1:] >= 0) & valid_interval
    refine_max = is_max & (upper >= threshold_rad)
    # A dip below the threshold between two samples above it: refine the minimum too.
    refine_min = is_min & (f[..., :-1] >= 0) & (f[..., 1:] >= 0) & (lower < threshold_rad)
    refine = refine_max | refine_min

    s_idx, o_idx, k_idx = np.nonzero(refine)
    ext_t = _refine_extrema(geometry, s_idx, o_idx, seconds, k_idx, rate)
    ext_sin, _ = geometry.sin_elevation(s_idx, o_idx, ext_t)
    ext_f = ext_sin - sin_threshold

    # --- crossing brackets --------------------------------------------------------------
    # Every interval [t_k, t_k+1] is split at its refined extremum, if any; a sign change of
    # f over a piece brackets exactly one crossing.
    ext_of_interval = np.full(refine.shape, -1, dtype=np.intp)
    ext_of_interval[s_idx, o_idx, k_idx] = np.arange(s_idx.size)
    left_f, right_f = f[..., :-1], f[..., 1:]
    change_plain = (np.signbit(left_f) != np.signbit(right_f)) & (ext_of_interval < 0)
    change_plain &= reachable[..., None]
    ps, po, pk = np.nonzero(change_plain)
    bracket_sat = [ps]
    bracket_obs = [po]
    bracket_a = [seconds[pk]]
    bracket_b = [seconds[pk + 1]]
    bracket_fa = [f[ps, po, pk]]
    bracket_fb = [f[ps, po, pk + 1]]
    # pieces on either side of refined extrema
    fk = f[s_idx, o_idx, k_idx]
    fk1 = f[s_idx, o_idx, k_idx + 1]
    for fa_piece, fb_piece, a_piece, b_piece in (
        (fk, ext_f, seconds[k_idx], ext_t),
        (ext_f, fk1, ext_t, seconds[k_idx + 1]),
    ):
        change = (np.signbit(fa_piece) != np.signbit(fb_piece)) & (b_piece > a_piece)
        bracket_sat.append(s_idx[change])
        bracket_obs.append(o_idx[change])
        bracket_a.append(a_piece[change])
        bracket_b.append(b_piece[change])
        bracket_fa.append(fa_piece[change])
        bracket_fb.append(fb_piece[change])
    c_sat = np.concatenate(bracket_sat)
    c_obs = np.concatenate(bracket_obs)
    c_fa = np.concatenate(bracket_fa)
    c_fb = np.concatenate(bracket_fb)

    def crossing_f(t: NDArray[np.float64], active: NDArray[np.intp]) -> NDArray[np.float64]:
        values, _ = geometry.sin_elevation(c_sat[active], c_obs[active], t)
        return values - sin_threshold

    c_t = find_roots(
        crossing_f,
        np.concatenate(bracket_a),
        np.concatenate(bracket_b),
        c_fa,
        c_fb,
        TIME_TOLERANCE_S,
    )
    c_rising = c_fb > c_fa

    # --- assemble passes ------------------------------------------------------------------
    pair_of_crossing = c_sat * n_obs + c_obs
    above_start = (f[..., 0] >= 0) & reachable
    above_end = (f[..., -1] >= 0) & reachable
    start_pairs = np.flatnonzero(above_start.ravel())
    end_pairs = np.flatnonzero(above_end.ravel())
    ev_pair = np.concatenate([pair_of_crossing, start_pairs, end_pairs])
    ev_t = np.concatenate([c_t, np.zeros(start_pairs.size), np.full(end_pairs.size, duration_s)])
    ev_rise = np.concatenate(
        [c_rising, np.ones(start_pairs.size, bool), np.zeros(end_pairs.size, bool)]
    )
    ev_virtual = np.concatenate(
        [np.zeros(c_t.size, bool), np.ones(start_pairs.size + end_pairs.size, bool)]
    )
    # at equal times a set sorts before a rise (touching passes stay separate)
    order = np.lexsort((ev_rise, ev_t, ev_pair))
    ev_pair, ev_t, ev_rise, ev_virtual = (
        ev_pair[order],
        ev_t[order],
        ev_rise[order],
        ev_virtual[order],
    )
    starts, ends = _pair_events(ev_pair, ev_rise)
    pass_pair = ev_pair[starts]
    rise_s = np.where(ev_virtual[starts], np.nan, ev_t[starts])
    set_s = np.where(ev_virtual[ends], np.nan, ev_t[ends])
    span_start = ev_t[starts]
    span_end = ev_t[ends]

    # culmination: the highest refined maximum inside the span, or a window end
    cand_pair = np.concatenate([s_idx * n_obs + o_idx, start_pairs, end_pairs])
    cand_t = np.concatenate(
        [ext_t, np.zeros(start_pairs.size), np.full(end_pairs.size, duration_s)]
    )
    cand_sin = np.concatenate(
        [
            ext_sin,
            sin_el.reshape(-1, seconds.size)[start_pairs, 0],
            sin_el.reshape(-1, seconds.size)[end_pairs, -1],
        ]
    )
    culmination_s = _highest_in_spans(
        cand_pair, cand_t, cand_sin, pass_pair, span_start, span_end, duration_s
    )
    pass_sat = pass_pair // n_obs
    pass_obs = pass_pair % n_obs
    missing = np.isnan(culmination_s)
    if missing.any():  # cannot happen for a smooth elevation; keep a safe fallback
        culmination_s[missing] = 0.5 * (span_start[missing] + span_end[missing])

    times = np.stack([rise_s, culmination_s, set_s], axis=1)
    points = geometry.look(np.repeat(pass_sat, 3), np.repeat(pass_obs, 3), times.ravel()).reshape(
        -1, 3, 3
    )
    return PassTable(pass_sat, pass_obs, rise_s, culmination_s, set_s, points)


def _refine_extrema(
    geometry: _Geometry,
    s_idx: NDArray[np.intp],
    o_idx: NDArray[np.intp],
    seconds: NDArray[np.float64],
    k_idx: NDArray[np.intp],
    rate: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return the time of the extremum in each bracketed interval: the root of the rate."""
    if s_idx.size == 0:
        return np.empty(0)

    def rate_f(t: NDArray[np.float64], active: NDArray[np.intp]) -> NDArray[np.float64]:
        _, values = geometry.sin_elevation(s_idx[active], o_idx[active], t)
        return values

    return find_roots(
        rate_f,
        seconds[k_idx],
        seconds[k_idx + 1],
        rate[s_idx, o_idx, k_idx],
        rate[s_idx, o_idx, k_idx + 1],
        TIME_TOLERANCE_S,
    )


def _pair_events(
    ev_pair: NDArray[np.intp], ev_rise: NDArray[np.bool_]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Match each rise with the following set of the same pair; return their indices.

    Sorted events normally alternate rise, set per pair. If rounding ever breaks that (two
    crossings a millisecond apart), unmatched events are dropped rather than paired across.
    """
    n = ev_pair.size
    if n == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    candidate = np.flatnonzero(ev_rise[:-1] & ~ev_rise[1:] & (ev_pair[:-1] == ev_pair[1:]))
    return candidate, candidate + 1


def _highest_in_spans(
    cand_pair: NDArray[np.intp],
    cand_t: NDArray[np.float64],
    cand_sin: NDArray[np.float64],
    pass_pair: NDArray[np.intp],
    span_start: NDArray[np.float64],
    span_end: NDArray[np.float64],
    duration_s: float,
) -> NDArray[np.float64]:
    """For each pass span, return the time of the highest candidate point inside it."""
    result = np.full(pass_pair.size, np.nan)
    if cand_pair.size == 0 or pass_pair.size == 0:
        return result
    scale = duration_s + 1.0
    keys = cand_pair * scale + cand_t
    order = np.argsort(keys, kind="stable")
    keys, cand_t, cand_sin = keys[order], cand_t[order], cand_sin[order]
    lo = np.searchsorted(keys, pass_pair * scale + span_start, side="left")
    hi = np.searchsorted(keys, pass_pair * scale + span_end, side="right")
    single = hi - lo == 1
    result[single] = cand_t[lo[single]]
    for i in np.flatnonzero(hi - lo > 1):
        best = lo[i] + int(np.argmax(cand_sin[lo[i] : hi[i]]))
        result[i] = cand_t[best]
    return result


def _concatenate(parts: list[PassTable]) -> PassTable:
    if not parts:
        empty = np.empty(0)
        return PassTable(
            np.empty(0, np.intp), np.empty(0, np.intp), empty, empty, empty, np.empty((0, 3, 3))
        )
    return PassTable(
        *(
            np.concatenate([getattr(p, name) for p in parts])
            for name in PassTable.__dataclass_fields__
        )
    )


def _sorted(table: PassTable) -> PassTable:
    start = np.where(np.isnan(table.rise_s), 0.0, table.rise_s)
    order = np.lexsort((table.observer_index, table.satellite_index, start))
    return PassTable(*(getattr(table, name)[order] for name in PassTable.__dataclass_fields__))


def pass_records(
    table: PassTable,
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    min_elevation_deg: float,
) -> list[Pass]:
    """Turn the engine's arrays into `Pass` records with aware UTC datetimes."""

    def point(seconds: float, row: NDArray[np.float64]) -> PassPoint:
        return PassPoint(
            time_utc=timebase.to_datetime(seconds),
            azimuth_deg=float(row[0]),
            elevation_deg=float(row[1]),
            range_km=float(row[2]),
        )

    def optional_point(seconds: float, row: NDArray[np.float64]) -> PassPoint | None:
        return None if np.isnan(seconds) else point(seconds, row)

    records = []
    for i in range(len(table)):
        es = element_sets[table.satellite_index[i]]
        records.append(
            Pass(
                satellite=es.name,
                norad_id=es.norad_id,
                observer=observers[table.observer_index[i]].name,
                min_elevation_deg=min_elevation_deg,
                rise=optional_point(table.rise_s[i], table.points[i, 0]),
                culmination=point(table.culmination_s[i], table.points[i, 1]),
                set=optional_point(table.set_s[i], table.points[i, 2]),
            )
        )
    return records
