"""Step 4 of the pass search: assemble passes from the refined crossings and extrema.

Passes are read off the sorted crossings of each (satellite, observer) pair, a rise followed
by a set. The window's ends act as brackets (`_window_ends`): a pass in progress at the start
has no rise and one in progress at the end has no set, and its culmination is the highest
point inside the window. Crossings, extrema and the window's ends are all `Refined` records,
so events and culmination candidates are built the same way (`_join`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.frames import look_angles
from passpredict.engine.passes.elevation import Track
from passpredict.engine.passes.refine import Refined
from passpredict.engine.passes.scan import Grid
from passpredict.engine.passes.table import PassTable
from passpredict.engine.propagate import propagate_pairs


def assemble(
    grid: Grid,
    extrema: Refined,
    crossings: Refined,
    track: Track,
    obs_ecef: NDArray[np.float64],
    enu: NDArray[np.float64],
    duration_s: float,
) -> PassTable:
    """Return the passes that the crossings and extrema of one scan make.

    `obs_ecef` (n_obs, 3) and `enu` (n_obs, 3, 3) are the observers' positions (km) and local
    east-north-up bases, for the look angles at rise, culmination and set.
    """
    n_obs = obs_ecef.shape[0]
    at_start, at_end = _window_ends(grid, n_obs, duration_s)
    events = _join(crossings, at_start, at_end)
    ev_pair = events.sat * n_obs + events.obs
    ev_t = events.seconds
    ev_rise = events.increasing
    # at equal times a set sorts before a rise (touching passes stay separate)
    order = _event_order(ev_pair, ev_t, ev_rise, n_obs * grid.r_km.shape[1])
    ev_pair, ev_t, ev_rise = ev_pair[order], ev_t[order], ev_rise[order]
    starts, stops = _pair_events(ev_pair, ev_rise)
    pass_pair = ev_pair[starts]
    if ev_t.size > crossings.seconds.size:  # window ends among the events: no time there
        ev_virtual = (np.arange(ev_t.size) >= crossings.seconds.size)[order]
        ev_r = np.where(ev_virtual[:, None], np.nan, events.position_km[order])
        rise_s = np.where(ev_virtual[starts], np.nan, ev_t[starts])
        set_s = np.where(ev_virtual[stops], np.nan, ev_t[stops])
    else:
        ev_r = events.position_km[order]
        rise_s, set_s = ev_t[starts], ev_t[stops]
    span_start = ev_t[starts]
    span_end = ev_t[stops]

    # culmination: the highest refined extremum inside the span, or a window end
    candidates = _join(extrema, at_start, at_end)
    cand_pair = candidates.sat * n_obs + candidates.obs
    cand_t = candidates.seconds
    cand_r = candidates.position_km
    best = _highest_in_spans(
        cand_pair,
        cand_t,
        candidates.last_sin_elevation,
        pass_pair,
        span_start,
        span_end,
        duration_s,
    )
    pass_sat = pass_pair // n_obs
    pass_obs = pass_pair % n_obs
    found = best >= 0
    if np.count_nonzero(found) == found.size:
        culmination_s, culmination_r = cand_t[best], cand_r[best]
    else:  # cannot happen for a smooth elevation; keep a safe fallback
        culmination_s = np.full(pass_pair.size, np.nan)
        culmination_r = np.full((pass_pair.size, 3), np.nan)
        culmination_s[found] = cand_t[best[found]]
        culmination_r[found] = cand_r[best[found]]
        missing = ~found
        culmination_s[missing] = 0.5 * (span_start[missing] + span_end[missing])
        culmination_r[missing], _, _ = propagate_pairs(
            track.satrecs, pass_sat[missing], track.timebase, culmination_s[missing]
        )

    positions = np.empty((pass_pair.size, 3, 3))  # (n, event, xyz): np.stack(axis=1)
    positions[:, 0], positions[:, 1], positions[:, 2] = ev_r[starts], culmination_r, ev_r[stops]
    az, el, rng = look_angles(
        positions, obs_ecef[pass_obs][:, None, :], enu[pass_obs][:, None, :, :]
    )
    points = np.empty((pass_pair.size, 3, 3))  # (n, event, quantity): np.stack(axis=-1)
    points[..., 0], points[..., 1], points[..., 2] = az, el, rng
    return PassTable(pass_sat, pass_obs, rise_s, culmination_s, set_s, points)


def _window_ends(grid: Grid, n_obs: int, duration_s: float) -> tuple[Refined, Refined]:
    """Return the window's ends as roots of the pairs above the threshold there.

    A rise at the start and a set at the end, with the grid's elevation and position there.
    """
    f, sin_el, r = grid.f, grid.sin_elevation, grid.r_km
    start_pairs = ((f[..., 0] >= 0) & grid.reachable).ravel().nonzero()[0]
    end_pairs = ((f[..., -1] >= 0) & grid.reachable).ravel().nonzero()[0]
    if start_pairs.size == 0 and end_pairs.size == 0:  # nothing above: one pair, often
        return _NO_ROOTS, _NO_ROOTS
    start_sat, start_obs = np.divmod(start_pairs, n_obs)
    end_sat, end_obs = np.divmod(end_pairs, n_obs)
    at_start = Refined(
        sat=start_sat,
        obs=start_obs,
        seconds=np.zeros(start_pairs.size),
        increasing=np.ones(start_pairs.size, bool),
        last_sin_elevation=sin_el[start_sat, start_obs, 0],
        position_km=r[:, start_sat, 0].T,
    )
    at_end = Refined(
        sat=end_sat,
        obs=end_obs,
        seconds=np.full(end_pairs.size, duration_s),
        increasing=np.zeros(end_pairs.size, bool),
        last_sin_elevation=sin_el[end_sat, end_obs, -1],
        position_km=r[:, end_sat, -1].T,
    )
    return at_start, at_end


#: No root (read-only): the window's ends when no pair is above the threshold at either.
_NO_ROOTS = Refined(
    sat=np.zeros(0, np.intp),
    obs=np.zeros(0, np.intp),
    seconds=np.zeros(0),
    increasing=np.zeros(0, bool),
    last_sin_elevation=np.zeros(0),
    position_km=np.zeros((0, 3)),
)
for _array in _NO_ROOTS:
    _array.flags.writeable = False


def _join(*parts: Refined) -> Refined:
    """Return the roots of `parts`, one after the other (read-only: one part with roots is
    returned as it is)."""
    having = [part for part in parts if part.seconds.size]
    if len(having) == 1:
        return having[0]
    return Refined(
        *(np.concatenate([getattr(part, name) for part in parts]) for name in Refined._fields)
    )


#: Up to this many keys, the sorts here go straight to the stable sort (or lexsort) they
#: stand for: on a one-pair search the quicksort and its tie checks cost more than they save.
_FEW_TO_SORT = 64


def _event_order(
    pair: NDArray[np.intp], t: NDArray[np.float64], rise: NDArray[np.bool_], n_pairs: int
) -> NDArray[np.intp]:
    """Return `np.lexsort((rise, t, pair))`: events by pair, then time, a set before a rise
    at equal times, then as given.

    Where no two events of a pair share a time (nearly always) that order is the only sorted
    one, and it is reached by numpy's quicksort on the times (SIMD, 6x faster than the
    stable sort) then a stable sort on the pairs (a radix sort, for 16-bit pair numbers);
    otherwise, or with NaN times, or for a few events (`_FEW_TO_SORT`: the checks cost more
    than they save), by `np.lexsort` itself.
    """
    if n_pairs > 1 << 16 or t.size <= _FEW_TO_SORT or np.isnan(t).any():
        return np.lexsort((rise, t, pair))
    by_time = t.argsort()
    order = by_time[pair.astype(np.uint16)[by_time].argsort(kind="stable")]
    pair_sorted, t_sorted = pair[order], t[order]
    shared = (pair_sorted[1:] == pair_sorted[:-1]) & (t_sorted[1:] == t_sorted[:-1])
    if np.count_nonzero(shared):
        return np.lexsort((rise, t, pair))
    return order


def _distinct_sorted(keys: NDArray[np.float64]) -> bool:
    """Tell whether sorted `keys` has no two equal (and no NaN, which sorts last)."""
    if keys.size < 2:
        return True
    return not np.count_nonzero(keys[1:] == keys[:-1]) and not np.isnan(keys[-1])


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
    candidate = (ev_rise[:-1] & ~ev_rise[1:] & (ev_pair[:-1] == ev_pair[1:])).nonzero()[0]
    return candidate, candidate + 1


def _highest_in_spans(
    cand_pair: NDArray[np.intp],
    cand_t: NDArray[np.float64],
    cand_sin: NDArray[np.float64],
    pass_pair: NDArray[np.intp],
    span_start: NDArray[np.float64],
    span_end: NDArray[np.float64],
    duration_s: float,
) -> NDArray[np.intp]:
    """For each pass span, return the index of the highest candidate inside it (-1: none)."""
    if cand_pair.size == 0 or pass_pair.size == 0:
        return np.full(pass_pair.size, -1, dtype=np.intp)
    scale = duration_s + 1.0
    keys = cand_pair * scale + cand_t
    # (the methods: no Python-level wrappers); with ties, their order is the stable sort's
    if keys.size <= _FEW_TO_SORT:
        order = keys.argsort(kind="stable")
    else:
        order = keys.argsort()
        if not _distinct_sorted(keys[order]):
            order = keys.argsort(kind="stable")
    keys, cand_sin = keys[order], cand_sin[order]
    lo = keys.searchsorted(pass_pair * scale + span_start, side="left")
    hi = keys.searchsorted(pass_pair * scale + span_end, side="right")
    count = hi - lo
    single = count == 1
    # one candidate in every span (the usual case): it is the highest; (masks are counted,
    # np.count_nonzero: `.all()` and `.any()` without their Python-level wrappers)
    if np.count_nonzero(single) == single.size:
        highest: NDArray[np.intp] = order[lo]
        return highest
    result = np.full(pass_pair.size, -1, dtype=np.intp)
    result[single] = order[lo[single]]
    for i in np.flatnonzero(count > 1):
        result[i] = order[lo[i] + int(np.argmax(cand_sin[lo[i] : hi[i]]))]
    return result
