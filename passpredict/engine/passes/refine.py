"""Step 3 of the pass search: refine extrema and threshold crossings on SGP4 itself.

Maxima (roots of the elevation rate) and threshold crossings (roots of sin(elevation) -
sin(threshold)) are refined to 1 ms by safeguarded Newton (`passpredict.engine.rootfind`):
both derivatives are analytic, and the first guess comes from the interpolated track
(`passpredict.engine.passes.guesses`), so most roots take one SGP4 evaluation, made for every
bracket at once. Rise and set are the threshold crossings themselves, not a filter applied
afterwards. Newton's last step is not evaluated, so where the last SGP4 value of an extremum
could lie on the other side of the threshold from the extremum itself, SGP4 is evaluated at
the extremum too; the crossings either side of it are bracketed by that value.

Extrema and crossings share one bookkeeping (`_Problems`): the pair, the bracket's solver and
SGP4's state at each problem's last evaluated point, from which the position at the root is
extrapolated.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.passes.bracket import Brackets
from passpredict.engine.passes.elevation import VALUE_ROWS, Track
from passpredict.engine.passes.guesses import first_guesses
from passpredict.engine.passes.scan import Grid
from passpredict.engine.rootfind import NewtonBrackets

#: Root-finding tolerance on times (s).
TIME_TOLERANCE_S = 1e-3
#: SGP4 sweeps at most.
_MAX_SWEEPS = 100

#: SGP4's state at a point: position (km) and velocity (km/s), each (3, n), and sin(elevation).
_State = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Refined(NamedTuple):
    """Refined roots, one per problem: the pair, the time, and SGP4's state nearest to it.

    `increasing`: the solved function increases through the root (a crossing: it rises; an
    extremum: it is a minimum). `last_sin_elevation` is sin(elevation) at the last point
    evaluated (at most one unevaluated Newton step from the root), `position_km` (n, 3) the
    Earth-fixed position extrapolated from it to the root.
    """

    sat: NDArray[np.intp]
    obs: NDArray[np.intp]
    seconds: NDArray[np.float64]
    increasing: NDArray[np.bool_]
    last_sin_elevation: NDArray[np.float64]
    position_km: NDArray[np.float64]


class _Problems:
    """Bracketed Newton problems along the track, with SGP4's state at their last points.

    `capacity` is the most problems that will be added. At a bracket's end the rate and its
    derivative are not known (the grid has no second derivative): they are zero there.
    """

    def __init__(self, tolerance: float, sin_threshold: float, capacity: int) -> None:
        self.solver = NewtonBrackets(tolerance, capacity)
        self.sin_threshold = sin_threshold
        # rows of two blocks (views): three allocations instead of nine, on every search
        self.sat, self.obs = np.empty((2, capacity), np.intp)
        self.increasing = np.empty(capacity, bool)
        # the rows of `Track.evaluate`'s values (`VALUE_ROWS`): a sweep's kept in one call
        self.floats = floats = np.empty((len(VALUE_ROWS), capacity))
        self.last_t, self.last_sin, self.last_rate, self.last_d_rate = floats[:4]
        self.last_r, self.last_v = floats[4:7], floats[7:10]

    def add(
        self,
        sat: NDArray[np.intp],
        obs: NDArray[np.intp],
        a: NDArray[np.float64],
        b: NDArray[np.float64],
        fa: NDArray[np.float64],
        fb: NDArray[np.float64],
        guess: NDArray[np.float64],
        state_a: _State,
        state_b: _State | None,
    ) -> NDArray[np.intp]:
        """Add brackets [a, b] of pairs (sat, obs) with SGP4's states at both ends; return ids.

        The last point is b where fb is zero (the root is there), else a. `state_b` is read
        only then: None where fb has no zero.
        """
        if sat.size == 0:  # nothing to add: skip the bookkeeping (a one-pair search often)
            return np.zeros(0, np.intp)
        ids = self.solver.add(a, b, fa, fb, guess)
        at_b = fb == 0.0
        if np.count_nonzero(at_b):
            if state_b is None:
                raise ValueError("the states at b are needed where fb is zero")
            state_a = _choose(at_b, state_b, state_a)
            a = np.where(at_b, b, a)
        rows = slice(self.solver.size - ids.size, self.solver.size)  # the ids, just added
        self.last_t[rows] = a
        self.last_r[:, rows], self.last_v[:, rows], self.last_sin[rows] = state_a
        self.last_rate[rows] = 0.0
        self.last_d_rate[rows] = 0.0
        self.sat[rows], self.obs[rows], self.increasing[rows] = sat, obs, fb > fa
        return ids

    def pending(self) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
        """Return the problems still to be evaluated, with their satellites and observers."""
        ids = self.solver.pending()
        return ids, self.sat[ids], self.obs[ids]

    def record(self, ids: NDArray[np.intp], values: NDArray[np.float64]) -> None:
        """Keep SGP4's values at the points just evaluated (`Track.evaluate`'s rows, which
        are those of our block of last values)."""
        self.floats[:, ids] = values

    def results(self, n_first: int) -> tuple[Refined, Refined]:
        """Finish every problem; return the roots and the positions there, of the first
        `n_first` problems and of the others."""
        t = self.solver.finish()
        n = t.size
        r = (self.last_r[:, :n] + self.last_v[:, :n] * (t - self.last_t[:n])).T
        sat, obs, increasing, last_sin = self.sat, self.obs, self.increasing, self.last_sin
        first, rest = slice(0, n_first), slice(n_first, n)
        return (
            Refined(sat[first], obs[first], t[first], increasing[first], last_sin[first], r[first]),
            Refined(sat[rest], obs[rest], t[rest], increasing[rest], last_sin[rest], r[rest]),
        )


def _choose(condition: NDArray[np.bool_], x: _State, y: _State) -> _State:
    """Return x where `condition` holds, else y, for every part of a state."""
    return (
        np.where(condition, x[0], y[0]),
        np.where(condition, x[1], y[1]),
        np.where(condition, x[2], y[2]),
    )


def _nothing(sin_threshold: float) -> Refined:
    """No root: the results of problems never added."""
    return _Problems(TIME_TOLERANCE_S, sin_threshold, 0).results(0)[0]


def refine(track: Track, grid: Grid, brackets: Brackets) -> tuple[Refined, Refined]:
    """Refine bracketed extrema and every threshold crossing; return both.

    Each sweep makes one SGP4 evaluation for every unfinished problem at once. Extrema and
    the crossings of grid intervals without an extremum start together. A crossing next to
    an extremum is bracketed by the grid sample and the first SGP4 point of the extremum's
    search whose value lies on the other side of the threshold; its own first guess is
    evaluated in the first sweep already, speculatively, when the interpolated track
    predicts such a crossing, so a typical pass costs one sweep.

    Returns the extrema (maxima and minima, in the order of `brackets`) and the crossings.
    """
    sin_threshold = grid.sin_threshold
    f, rate = grid.f, grid.rate
    s_idx, o_idx, k_idx = brackets.extremum_sat, brackets.extremum_obs, brackets.extremum_k
    ps, po, pk = brackets.crossing_sat, brackets.crossing_obs, brackets.crossing_k
    n_e, n_p = s_idx.size, ps.size
    if n_e + n_p == 0:  # nothing bracketed (no pass): what the sweeps below would return
        return _nothing(sin_threshold), _nothing(sin_threshold)
    guesses = first_guesses(grid, brackets, track.obs_ecef, track.up, sin_threshold)
    t_a, length = guesses.start_s, guesses.length_s
    start, end = guesses.start_state, guesses.end_state
    left, right = guesses.before, guesses.after
    piece_guess = guesses.beside_s
    spec_points = np.concatenate([piece_guess[0, left], piece_guess[1, right]])
    spec_ids = np.concatenate([left, right])
    f_ends = guesses.extremum_ends_f

    t_b = t_a[:n_e] + length[:n_e]
    # One set of problems: the extrema first (ids 0 to n_e - 1), then the crossings (plain
    # ones, then those either side of extrema as they are found), so that a sweep gathers,
    # records and absorbs them all in one call each.
    problems = _Problems(TIME_TOLERANCE_S, sin_threshold, n_e + n_p + 2 * n_e)
    problems.add(
        s_idx,
        o_idx,
        t_a[:n_e],
        t_b,
        rate[s_idx, o_idx, k_idx],
        rate[s_idx, o_idx, k_idx + 1],
        guesses.extremum_s,
        (start[0][:, :n_e], start[1][:, :n_e], f_ends[0] + sin_threshold),
        (end[0][:, :n_e], end[1][:, :n_e], f_ends[1] + sin_threshold),
    )
    if n_p:  # (none, often, for one pair: then not even the arguments are made)
        problems.add(
            ps,
            po,
            t_a[n_e:],
            t_a[n_e:] + length[n_e:],
            f[ps, po, pk],
            f[ps, po, pk + 1],
            guesses.crossing_s,
            (start[0][:, n_e:], start[1][:, n_e:], f[ps, po, pk] + sin_threshold),
            (end[0][:, n_e:], end[1][:, n_e:], f[ps, po, pk + 1] + sin_threshold),
        )
    solver = problems.solver
    pieces_made = np.zeros((2, n_e), bool)
    f_ends_negative = np.signbit(np.array(f_ends))  # (2, n_e); np.array: no np.stack overhead
    spec_slot = np.empty((2, n_e), np.intp)
    spec_slot.fill(-1)  # `np.full` without its Python-level overhead
    spec_slot[0, left] = np.arange(left.size)
    spec_slot[1, right] = left.size + np.arange(right.size)

    def make_pieces(
        ids: NDArray[np.intp], tried: NDArray[np.float64] | None
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]] | None:
        """Add the crossings on either side of extrema `ids`, split at their last point.

        `tried`: the SGP4 values at `spec_points` (`Track.evaluate`'s rows), evaluated in
        the same sweep. Returns the new crossings whose first point was tried, with those
        values (recorded already; for the sweep's `absorb`), or None.
        """
        if ids.size == 0:
            return None
        f_now = problems.last_sin[ids] - sin_threshold
        new = ~pieces_made[:, ids] & (np.signbit(f_now) != f_ends_negative[:, ids])
        side, which = new.nonzero()
        e = ids[which]
        pieces_made[side, e] = True
        after = side == 1
        f_split = f_now[which]
        f_end = np.where(after, f_ends[1][e], f_ends[0][e])
        split_t = problems.last_t[e]
        a = np.where(after, split_t, t_a[e])
        b = np.where(after, t_b[e], split_t)
        ok = b > a
        # (they all are, nearly always: then nothing to drop; masks are counted, not `.all()`)
        if np.count_nonzero(ok) != ok.size:
            if not np.count_nonzero(ok):
                return None
            e, side, after = e[ok], side[ok], after[ok]
            f_split, f_end, a, b = f_split[ok], f_end[ok], a[ok], b[ok]
        # The interpolated guess where a crossing was predicted, else (a graze the
        # prediction missed) the parabola through the extremum's SGP4 point.
        interpolated = piece_guess[side, e]
        unpredicted = np.isnan(interpolated)
        if np.count_nonzero(unpredicted):
            split_t = problems.last_t[e]  # (of the pieces kept)
            with np.errstate(divide="ignore", invalid="ignore"):
                offset = np.sqrt(np.abs(2.0 * f_split / problems.last_d_rate[e]))
            guess = np.where(
                unpredicted, np.where(after, split_t + offset, split_t - offset), interpolated
            )
        else:  # every crossing predicted (the usual case)
            guess = interpolated
        sin_end = f_end + sin_threshold
        split = (problems.last_r[:, e], problems.last_v[:, e], problems.last_sin[e])
        # The bracket runs from the grid sample at the interval's start to the split, or
        # from the split to the grid sample at its end.
        fb = np.where(after, f_end, f_split)
        ids_c = problems.add(
            s_idx[e],
            o_idx[e],
            a,
            b,
            np.where(after, f_split, f_end),
            fb,
            guess,
            _choose(after, split, (start[0][:, e], start[1][:, e], sin_end)),
            # the state at b is read only where f is zero there (almost never)
            _choose(after, (end[0][:, e], end[1][:, e], sin_end), split)
            if np.count_nonzero(fb == 0.0)
            else None,
        )
        if tried is None:
            return None
        # the speculative evaluation counts if the guess stayed the bracket's first point
        j = spec_slot[side, e]
        hit = (j >= 0) & (solver.points[ids_c] == interpolated)
        hit &= np.isnan(solver.roots[ids_c])
        if not np.count_nonzero(hit):
            return None
        ids_hit, values_hit = ids_c[hit], tried[:, j[hit]]
        problems.record(ids_hit, values_hit)
        return ids_hit, values_hit

    def to_verify(ids: NDArray[np.intp]) -> NDArray[np.intp]:
        """Return the finished extrema `ids` whose value must be taken at the root itself.

        A problem ends with a Newton step that is not evaluated (up to a second long), so the
        last SGP4 value may lie on the other side of the threshold from the extremum: a graze
        narrower than that step would be lost. Near an extremum f is a parabola, which from
        the last point gains rate * step / 2; twice that puts the extremum possibly across.
        """
        roots = solver.roots
        ids = ids[~np.isnan(roots[ids])]
        f_last = problems.last_sin[ids] - sin_threshold
        gain = problems.last_rate[ids] * (roots[ids] - problems.last_t[ids])
        across = np.signbit(f_last) != np.signbit(f_last + gain)
        verified: NDArray[np.intp] = ids[(roots[ids] != problems.last_t[ids]) & across]
        return verified

    make_pieces((~np.isnan(solver.roots[:n_e])).nonzero()[0], None)
    verify = np.zeros(0, np.intp)
    # one satellite over one observer: every point's pair is (0, 0), without gathering it
    one_pair = len(track.satrecs) == 1 and track.obs_ecef.shape[1] == 1
    for sweep in range(_MAX_SWEEPS):
        pending = solver.pending()  # (in order: the extrema's first)
        extra = spec_ids if sweep == 0 else spec_ids[:0]
        n_pending, n_iv = pending.size, verify.size
        if n_pending + n_iv + extra.size == 0:
            break
        n_ie = int(pending.searchsorted(n_e))
        ie = pending[:n_ie]
        points = np.concatenate(
            [solver.points[pending], solver.roots[verify], spec_points[: extra.size]]
        )
        if one_pair:
            sat = obs_now = np.zeros(points.size, np.intp)
        else:
            sat = np.concatenate([problems.sat[pending], s_idx[verify], s_idx[extra]])
            obs_now = np.concatenate([problems.obs[pending], o_idx[verify], o_idx[extra]])
        values = track.evaluate(sat, obs_now, points)  # (10, n): rows `VALUE_ROWS`
        n_recorded = n_pending + n_iv
        recorded = np.concatenate([pending, verify]) if n_iv else pending
        problems.record(recorded, values[:, :n_recorded])
        tried = values[:, n_recorded:] if extra.size else None
        hits = make_pieces(ie, tried)
        make_pieces(verify, None)
        # every problem evaluated in this sweep takes its f, f' there, in one call:
        # the extrema (the elevation rate's root), then the crossings
        ids, taken = pending, values[1:4, :n_pending]  # sin(elevation), its rate, d_rate
        if hits is not None:
            ids = np.concatenate([pending, hits[0]])
            taken = np.concatenate([taken, hits[1][1:4]], axis=1)
        _absorb(solver, ids, taken, n_ie, guesses.extremum_scale[ie], sin_threshold)
        verify = to_verify(ie)

    return problems.results(n_e)


def _absorb(
    solver: NewtonBrackets,
    ids: NDArray[np.intp],
    values: NDArray[np.float64],
    n_extrema: int,
    extremum_scale: NDArray[np.float64],
    sin_threshold: float,
) -> None:
    """Give `solver` f, f' and the curvature scale at its points `ids` from SGP4's `values`
    there (sin(elevation), its rate and the rate's derivative, (3, n)): for the first
    `n_extrema` (extrema) the elevation rate, its derivative and `extremum_scale`; for the
    others (crossings) sin(elevation) - sin(threshold), the rate and |f'' / (2 f')|."""
    if n_extrema == ids.size:  # (only extrema: one pair's search, often)
        solver.absorb(ids, values[1], values[2], extremum_scale)
        return
    sin_el, rate, d_rate = values[0, n_extrema:], values[1, n_extrema:], values[2, n_extrema:]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.abs(0.5 * d_rate / rate)
    if n_extrema == 0:
        solver.absorb(ids, sin_el - sin_threshold, rate, scale)
        return
    solver.absorb(
        ids,
        np.concatenate([values[1, :n_extrema], sin_el - sin_threshold]),
        np.concatenate([values[2, :n_extrema], rate]),
        np.concatenate([extremum_scale, scale]),
    )
