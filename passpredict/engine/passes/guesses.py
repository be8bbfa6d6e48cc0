"""First guesses for the root finder, on a quintic Hermite interpolation of the track.

Between two grid samples the track is the quintic that matches SGP4's position, velocity and
(modelled) acceleration at both ends (`_Quintic`), a few hundred metres from SGP4's at most.
On it, sin(elevation) is sampled `HERMITE_SUBSTEPS` times per interval and polished by a few
bracketed Newton steps, which costs no SGP4 call; `first_guesses` gives the extrema's and the
crossings' starting points, and predicts which extrema have a crossing on either side. These
are only guesses: every time the search reports is a root of SGP4's own elevation
(`passpredict.engine.passes.refine`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.passes.bracket import Brackets
from passpredict.engine.passes.elevation import acceleration, sin_elevation_series
from passpredict.engine.passes.scan import Grid

#: Interpolated points per grid interval for the root finder's first guesses.
HERMITE_SUBSTEPS = 16
_SUBSTEP_FRACTIONS = np.linspace(0.0, 1.0, HERMITE_SUBSTEPS + 1)
#: Newton iterations on the interpolated track before SGP4 takes over (the extrema start from
#: a parabola's vertex, the crossings from a straight line).
_EXTREMUM_POLISH = 2
_CROSSING_POLISH = 3

#: An Earth-fixed state: position (km) and velocity (km/s), each (3, n).
State = tuple[NDArray[np.float64], NDArray[np.float64]]
#: `_Quintic._horner_tables`: leading coefficients (order + 1, 3, n), one array per Horner step.
_HornerTables = tuple[NDArray[np.float64], list[NDArray[np.float64]]]
#: `_Quintic.gather_grid_rows`: a grid's padded chain (order + 1, 6, 3, n_grid) and the grid
#: interval of each row (n,).
_GridRows = tuple[NDArray[np.float64], NDArray[np.intp]]
#: Intervals per block of `_sin_elevation_on`: its buffers (3, 17, block) then fit in cache.
SUBSTEP_BLOCK_INTERVALS = 512
#: Rows per block of the polish on the track (`_polished_extrema`, `_polished_crossings`).
POLISH_BLOCK_INTERVALS = 2048


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class FirstGuesses(NamedTuple):
    """Where the root finder starts, for the bracketed extrema (n_e) and plain crossings (n_p).

    The interval arrays hold the grid intervals of the extrema first, then those of the plain
    crossings: their start (s since the window start), length (s) and SGP4's states at both
    ends. `beside_s[0]` / `beside_s[1]` is the guess of a crossing predicted before / after
    each extremum (NaN: none predicted); `before` / `after` list the extrema that have one.
    """

    start_s: NDArray[np.float64]
    length_s: NDArray[np.float64]
    start_state: State
    end_state: State
    extremum_s: NDArray[np.float64]
    #: |f'''/(2 f'')| of the elevation rate at the extremum's guess (Newton's error scale).
    extremum_scale: NDArray[np.float64]
    crossing_s: NDArray[np.float64]
    beside_s: NDArray[np.float64]
    before: NDArray[np.intp]
    after: NDArray[np.intp]
    #: sin(elevation) - sin(threshold) on the grid at both ends of each extremum's interval.
    extremum_ends_f: tuple[NDArray[np.float64], NDArray[np.float64]]

    # --- first guesses on the interpolated track --------------------------------------------


def first_guesses(
    grid: Grid,
    brackets: Brackets,
    observer_ecef: NDArray[np.float64],
    observer_up: NDArray[np.float64],
    sin_threshold: float,
) -> FirstGuesses:
    """Return the first guesses of every bracketed extremum and plain crossing.

    `observer_ecef` and `observer_up` are the observers' positions (km) and local verticals,
    component first (3, n_obs).
    """
    r, v, f = grid.r_km, grid.v_km_s, grid.f
    seconds = grid.seconds
    s_idx, o_idx, k_idx = brackets.extremum_sat, brackets.extremum_obs, brackets.extremum_k
    is_max = brackets.is_max
    ps, po, pk = brackets.crossing_sat, brackets.crossing_obs, brackets.crossing_k
    m = HERMITE_SUBSTEPS
    n_e, n_p = s_idx.size, ps.size

    # every interval at once: the extrema's first, then those of plain crossings (often
    # none for one pair: then the extrema's own index arrays, unchanged)
    if n_p:
        iv_s, iv_o, iv_k = (np.concatenate(p) for p in ((s_idx, ps), (o_idx, po), (k_idx, pk)))
    else:
        iv_s, iv_o, iv_k = s_idx, o_idx, k_idx
    t_a = seconds[iv_k]
    n_iv, n_t = t_a.size, r.shape[2]
    next_k = iv_k + 1
    length = seconds[next_k] - t_a
    # both ends of every interval in one gather: starts, then ends
    ends_s, ends_k = np.concatenate((iv_s, iv_s)), np.concatenate((iv_k, next_k))
    # (`take` on flat sample indices: 40 % faster than indexing by two arrays; the method,
    # without `np.take`'s Python-level wrappers)
    flat = ends_s * n_t + ends_k
    r_ends = r.reshape(3, -1).take(flat, axis=1)
    v_ends = v.reshape(3, -1).take(flat, axis=1)
    start = (r_ends[:, :n_iv], v_ends[:, :n_iv])
    end = (r_ends[:, n_iv:], v_ends[:, n_iv:])
    # one observer: its columns broadcast against every row, without gathers
    alone = observer_ecef.shape[1] == 1
    obs, up = (
        (observer_ecef, observer_up)
        if alone
        else (observer_ecef.take(iv_o, axis=1), observer_up.take(iv_o, axis=1))
    )
    n_grid = r.shape[1] * (n_t - 1)  # grid intervals
    if n_iv > n_grid:
        # More intervals than the grid has (many observers): the track, which is the
        # satellite's alone, is interpolated and sampled once per grid interval and gathered
        # (the same numbers: every element's operations are its own).
        on_grid = _Quintic.on_grid(r, v, seconds)
        iv_flat = iv_s * (n_t - 1) + iv_k
        quintic = on_grid.gather_grid_rows(iv_flat)
        positions = _track_positions(on_grid.c, _SUBSTEP_FRACTIONS)
        sub = _sin_elevation_on(
            quintic, _SUBSTEP_FRACTIONS, obs, up, sin_threshold, (positions, iv_flat)
        )
    else:
        quintic = _Quintic.between(r_ends, v_ends, length)
        sub = _sin_elevation_on(quintic, _SUBSTEP_FRACTIONS, obs, up, sin_threshold)

    # extrema: the highest (lowest) interpolated point and its neighbours bracket it; start
    # from the vertex of the parabola through them
    if np.count_nonzero(is_max) == n_e:  # maxima only (the usual case)
        signed = sub[:n_e]
    else:
        signed = np.where(is_max[:, None], sub[:n_e], -sub[:n_e])
    top = signed.argmax(axis=1) if n_e else np.zeros(0, np.intp)
    mid = np.minimum(np.maximum(top, 1), m - 1)
    # (`take` on flat indices into the (n_e, m + 1) rows: gathers without two index arrays)
    at_mid = np.arange(0, n_e * (m + 1), m + 1) + mid
    on_row = signed.reshape(-1)
    y0, y1, y2 = on_row.take(at_mid - 1), on_row.take(at_mid), on_row.take(at_mid + 1)
    curvature = y0 - 2.0 * y1 + y2
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = np.where(curvature < 0, 0.5 * (y0 - y2) / curvature, 0.0)
    low, high = np.maximum(top - 1, 0) / m, np.minimum(top + 1, m) / m
    tau_e = np.minimum(np.maximum((mid + vertex) / m, low), high)
    tau_e, s_e, s2_e, s3_e = _polished_extrema(quintic, tau_e, low, high, ~is_max, obs, up)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale_e = np.abs(0.5 * s3_e / s2_e)
        # near the extremum f is a parabola: f(t) = f_e + s'' (t - t_e)^2 / 2
        half_width = np.sqrt(np.abs(2.0 * (s_e - sin_threshold) / s2_e)) / length[:n_e]
    at_start = (s_idx * f.shape[1] + o_idx) * n_t + k_idx  # flat sample indices into f
    f_flat = f.reshape(-1)
    f_ends = (f_flat.take(at_start), f_flat.take(at_start + 1))
    predicted = s_e - sin_threshold
    predicted_negative = np.signbit(predicted)
    speculative = [predicted_negative != np.signbit(f_end) for f_end in f_ends]
    left, right = (x.nonzero()[0] for x in speculative)

    # crossings, predicted next to an extremum or plain: the interpolated cell where the sign
    # changes, else (a graze narrower than a cell) the whole piece and the parabola's guess
    top_col = (tau_e * m).round().astype(np.intp)
    c_rows = np.concatenate([left, right, n_e + np.arange(n_p)])
    first = np.concatenate([np.zeros(left.size, np.intp), top_col[right], np.zeros(n_p, np.intp)])
    to_end = np.empty(right.size + n_p, np.intp)
    to_end.fill(m)  # `np.full` without its Python-level overhead
    last = np.concatenate([top_col[left], to_end])
    cell, position = _first_crossing(sub, c_rows, first, last)
    found = cell >= 0
    # every crossing in a cell (no graze narrower than one): the cells alone; (masks are
    # counted, np.count_nonzero: `.all()` and `.any()` without their Python-level wrappers)
    if np.count_nonzero(found) == found.size:
        low, high = cell / m, (cell + 1) / m
        at_low = sub.reshape(-1).take(c_rows * (m + 1) + cell)
        start_tau = position
    else:
        piece_low = np.concatenate([np.zeros(left.size), tau_e[right], np.zeros(n_p)])
        piece_high = np.concatenate([tau_e[left], np.ones(right.size + n_p)])
        model = np.concatenate(
            [tau_e[left] - half_width[left], tau_e[right] + half_width[right], np.full(n_p, 0.5)]
        )
        low = np.where(found, cell / m, piece_low)
        high = np.where(found, (cell + 1) / m, piece_high)
        on_rows = sub.reshape(-1)
        at_row = c_rows * (m + 1)
        at_low = np.where(found, on_rows.take(at_row + np.maximum(cell, 0)), on_rows.take(at_row))
        at_low[left.size : left.size + right.size] = np.where(
            found[left.size : left.size + right.size],
            at_low[left.size : left.size + right.size],
            predicted[right],
        )
        start_tau = np.where(found, position, model)
    tau_c = _polished_crossings(
        quintic,
        c_rows,
        _nan_to(np.minimum(np.maximum(start_tau, low), high), 0.5),
        low,
        high,
        np.signbit(at_low),
        obs,
        up,
        sin_threshold,
    )
    guess_c = t_a.take(c_rows) + tau_c * length.take(c_rows)
    piece_guess = np.empty((2, n_e))
    piece_guess.fill(np.nan)
    piece_guess[0, left] = guess_c[: left.size]
    piece_guess[1, right] = guess_c[left.size : left.size + right.size]
    return FirstGuesses(
        start_s=t_a,
        length_s=length,
        start_state=start,
        end_state=end,
        extremum_s=t_a[:n_e] + tau_e * length[:n_e],
        extremum_scale=scale_e,
        crossing_s=guess_c[left.size + right.size :],
        beside_s=piece_guess,
        before=left,
        after=right,
        extremum_ends_f=f_ends,
    )


class _Quintic:
    """The track between two grid samples as the quintic Hermite interpolant of r, v and a.

    Matching position, velocity and acceleration at both ends, its error grows as step^6: a
    few hundred metres over 1/6 of a LEO period (tens of milliseconds of pass time). That
    makes it an excellent first guess for the root finder, but only a guess: every reported
    time is a root of SGP4's own elevation, and every bracket is made of SGP4 values.
    """

    def __init__(
        self,
        coefficients: NDArray[np.float64] | None,
        length_s: NDArray[np.float64],
        max_order: int = 3,
        grid_rows: _GridRows | None = None,
    ) -> None:
        # power basis in tau = (t - t_start) / length, shape (6, 3, n); None: gathered from
        # `grid_rows` when first asked for (see `c`)
        self._c = coefficients
        self.length_s = length_s  # (n,)
        self.max_order = max_order  # the highest derivative `derivatives` will be asked for
        # the padded chains of a grid's intervals and the grid interval of each row, where
        # the rows' own are gathered from (`gather_grid_rows`)
        self._grid_rows = grid_rows
        self._tables: _HornerTables | None = None  # see _horner_tables

    @property
    def c(self) -> NDArray[np.float64]:
        """The power-basis coefficients (6, 3, n)."""
        if self._c is None:
            assert self._grid_rows is not None  # (set whenever the coefficients are not)
            chain, index = self._grid_rows
            self._c = chain[0].take(index, axis=2)
        return self._c

    @classmethod
    def between(
        cls, r_ends: NDArray[np.float64], v_ends: NDArray[np.float64], length_s: NDArray[np.float64]
    ) -> _Quintic:
        """Interpolate between Earth-fixed states at both ends of n intervals: `r_ends` and
        `v_ends` (3, 2n) hold the starts, then the ends (one `acceleration` call for both)."""
        n = length_s.size
        a = acceleration(r_ends, v_ends)
        ends = (r_ends[:, :n], v_ends[:, :n], a[:, :n], r_ends[:, n:], v_ends[:, n:], a[:, n:])
        return cls(_coefficients(*ends, length_s), length_s)

    @classmethod
    def on_grid(
        cls, r: NDArray[np.float64], v: NDArray[np.float64], seconds: NDArray[np.float64]
    ) -> _Quintic:
        """Interpolate every interval of a grid of states r, v (3, n_sat, n_t) at `seconds`;
        interval k of satellite j is number j * (n_t - 1) + k. Where SGP4 was not run the
        states are zero and the coefficients meaningless (NaN): no bracket lies there."""
        n_sat, n_t = r.shape[1], r.shape[2]
        length = seconds[1:] - seconds[:-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            a = acceleration(r, v)
            c = _coefficients(
                r[..., :-1], v[..., :-1], a[..., :-1], r[..., 1:], v[..., 1:], a[..., 1:], length
            )
        lengths = np.broadcast_to(length, (n_sat, n_t - 1)).reshape(-1)
        return cls(c.reshape(6, 3, n_sat * (n_t - 1)), lengths)

    def take_flat(self, index: NDArray[np.intp]) -> _Quintic:
        """Return the interpolants of intervals `index` (one array: `take` without the
        concatenation)."""
        return _Quintic(np.take(self.c, index, axis=2), self.length_s[index], self.max_order)

    def gather_grid_rows(self, index: NDArray[np.intp]) -> _Quintic:
        """Return the interpolants of intervals `index` of this grid (`on_grid`), whose
        Horner tables will be gathered from the grid's padded chain, made once here (up to
        `max_order`), instead of made for every row: with many observers there are several
        rows per grid interval. The same numbers: every element's operations are its own."""
        with np.errstate(divide="ignore", invalid="ignore"):  # (NaN where SGP4 was not run)
            chain = _padded_chain(self.c, self.length_s, self.max_order)
        return _Quintic(None, self.length_s.take(index), self.max_order, (chain, index))

    def take(self, *index: NDArray[np.intp], max_order: int = 3) -> _Quintic:
        """Return the interpolants of the given intervals (indices concatenated), whose
        derivatives will be wanted up to `max_order`."""
        rows = index[0] if len(index) == 1 else np.concatenate(index)  # (gathers: copies)
        length_s = self.length_s.take(rows)
        if self._grid_rows is not None:
            chain, grid_index = self._grid_rows
            return _Quintic(None, length_s, max_order, (chain, grid_index.take(rows)))
        return _Quintic(self.c.take(rows, axis=2), length_s, max_order)

    def rows(self, rows: slice, max_order: int = 3) -> _Quintic:
        """Return the interpolants of a slice of the intervals (views: `take` without the
        copies), whose derivatives will be wanted up to `max_order`."""
        if self._grid_rows is not None:
            chain, grid_index = self._grid_rows
            return _Quintic(None, self.length_s[rows], max_order, (chain, grid_index[rows]))
        return _Quintic(self.c[:, :, rows], self.length_s[rows], max_order)

    def derivatives(self, tau: NDArray[np.float64], order: int) -> NDArray[np.float64]:
        """Return position and its time derivatives up to `order` (1 to 3) at `tau` (n,), as
        a new array (order + 1, 3, n).

        Horner's rule on every derivative at once: the k-th derivative has 6 - k
        coefficients, so it joins at step k, and at step i every derivative under way takes
        its coefficient of degree 4 - i (`_horner_tables`). Each value sees the same
        multiplications and additions as a Horner pass of its own (a test holds it to that,
        bit for bit). The polish calls it on blocks of at most `POLISH_BLOCK_INTERVALS`,
        so the stacked tables stay small.
        """
        if order > self.max_order:
            raise ValueError(f"derivatives up to {self.max_order} only, got order {order}")
        first, steps = self._horner_tables()
        value = first[: order + 1].copy()  # (order + 1, 3, n)
        for coefficients in steps:
            under_way = coefficients.shape[0]
            if under_way > order:  # every derivative asked for is under way: no view of value
                np.multiply(value, tau, out=value)
                np.add(
                    value,
                    coefficients[: order + 1] if under_way > order + 1 else coefficients,
                    out=value,
                )
                continue
            running = value[:under_way]  # a view: value * tau + coefficient, in place
            np.multiply(running, tau, out=running)
            np.add(running, coefficients, out=running)
        return value

    def _horner_tables(self) -> _HornerTables:
        """The leading coefficient of the position and its derivatives up to `max_order`,
        and for each Horner step i (0 to 4) the coefficients of degree 4 - i of the
        derivatives under way; made once, on first use.

        Read off `_padded_chain` (the steps are views of it): a few numpy calls whatever the
        order, where a list per derivative and coefficient took some forty on every search.
        """
        if self._tables is None:
            top = self.max_order
            if self._grid_rows is None:
                padded = _padded_chain(self.c, self.length_s, top)
            else:  # (the grid's chain holds every order up to this one's, at least)
                chain, index = self._grid_rows
                padded = chain[: top + 1].take(index, axis=3)
            orders, degrees = _LEADING[top]
            first = padded[orders, degrees]
            steps = [padded[: min(i, top) + 1, 4 - i] for i in range(5)]
            self._tables = (first, steps)
        return self._tables


def _coefficients(
    r0: NDArray[np.float64],
    v0: NDArray[np.float64],
    a0: NDArray[np.float64],
    r1: NDArray[np.float64],
    v1: NDArray[np.float64],
    a1: NDArray[np.float64],
    h: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The quintic's power-basis coefficients in tau (6, 3, ...) from the position, velocity
    and acceleration at both ends (3, ...) of intervals `h` long (s, broadcast against them)."""
    h2 = h * h
    a0, a1 = a0 * h2, a1 * h2
    v0, v1 = v0 * h, v1 * h
    d = r1 - r0
    return np.array(
        [
            r0,
            v0,
            0.5 * a0,
            10.0 * d - 6.0 * v0 - 4.0 * v1 - 1.5 * a0 + 0.5 * a1,
            -15.0 * d + 8.0 * v0 + 7.0 * v1 + 1.5 * a0 - a1,
            6.0 * d - 3.0 * (v0 + v1) - 0.5 * (a0 - a1),
        ]
    )


#: `_Quintic._horner_tables`: for each highest order, the derivatives 0..order and the degree
#: of each one's leading coefficient (5 - order), made once rather than on every search.
_LEADING = [(np.arange(top + 1), 5 - np.arange(top + 1)) for top in range(4)]

#: `_padded_chain`: the factors j + 1 of the coefficients of degree j + 1 (as floats), shaped to
#: broadcast over (j, 3, n).
_DEGREE_FACTORS = np.arange(1.0, 6.0)[:, None, None]


def _padded_chain(
    c: NDArray[np.float64], length_s: NDArray[np.float64], order: int
) -> NDArray[np.float64]:
    """The power-basis coefficients of a quintic `c` (6, 3, n) and of its time derivatives up
    to `order`, as one array (order + 1, 6, 3, n): the k-th derivative's are (j + 1) c_{j+1} /
    length of the one before. Past each derivative's last coefficient the array is left
    unset (`np.empty`, not zeros): no Horner step reads there (`_Quintic._horner_tables`)."""
    padded = np.empty((order + 1, *c.shape))
    padded[0] = c
    for k in range(1, order + 1):
        size = 6 - k  # coefficients of the k-th derivative
        padded[k, :size] = _DEGREE_FACTORS[:size] * padded[k - 1, 1 : size + 1] / length_s
    return padded


def _interpolated_series(
    quintic: _Quintic,
    tau: NDArray[np.float64],
    obs_ecef: NDArray[np.float64],
    up: NDArray[np.float64],
    order: int,
) -> tuple[NDArray[np.float64], ...]:
    """Return sin(elevation) on the interpolated track at `tau` (n,), derivatives to `order`."""
    line_of_sight = quintic.derivatives(tau, order)  # a fresh array: changed in place
    line_of_sight[0] -= obs_ecef
    return sin_elevation_series(line_of_sight, up)


def _blocks(n: int) -> list[slice]:
    """Split n rows into slices of `POLISH_BLOCK_INTERVALS`."""
    return [
        slice(i, min(i + POLISH_BLOCK_INTERVALS, n)) for i in range(0, n, POLISH_BLOCK_INTERVALS)
    ]


def _polished_extrema(
    quintic: _Quintic,
    tau: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    negative_at_low: NDArray[np.bool_],
    obs_ecef: NDArray[np.float64],
    up: NDArray[np.float64],
) -> tuple[NDArray[np.float64], ...]:
    """Polish the extrema of the first n = tau.size intervals on the track; return their
    fractions tau and sin(elevation) with its second and third derivatives there.

    Block by block (`POLISH_BLOCK_INTERVALS`), so that the polish's arrays stay in cache:
    every row's work is its own, so the same bits whatever the block.
    """
    n = tau.size
    alone = obs_ecef.shape[1] == 1

    def polished(rows: slice) -> tuple[NDArray[np.float64], ...]:
        # one block's tau, s and its second and third derivatives (new arrays)
        q = quintic.rows(rows, max_order=3)
        obs, u = (obs_ecef, up) if alone else (obs_ecef[:, rows], up[:, rows])
        t = _polish_on_track(
            q,
            tau[rows],
            low[rows],
            high[rows],
            negative_at_low[rows],
            obs,
            u,
            None,
            _EXTREMUM_POLISH,
        )
        s, _, s2, s3 = _interpolated_series(q, t, obs, u, 3)
        return t, s, s2, s3

    if 0 < n <= POLISH_BLOCK_INTERVALS:  # one block (one pair, always): its arrays, uncopied
        return polished(slice(0, n))
    out = np.empty((4, n))
    for rows in _blocks(n):
        out[0, rows], out[1, rows], out[2, rows], out[3, rows] = polished(rows)
    return out[0], out[1], out[2], out[3]


def _polished_crossings(
    quintic: _Quintic,
    intervals: NDArray[np.intp],
    tau: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    negative_at_low: NDArray[np.bool_],
    obs_ecef: NDArray[np.float64],
    up: NDArray[np.float64],
    sin_threshold: float,
) -> NDArray[np.float64]:
    """Polish the crossings in `intervals` (one row each) on the track; return their tau.

    Block by block, as `_polished_extrema`: the same bits whatever the block.
    """
    alone = obs_ecef.shape[1] == 1

    def polished(rows: slice) -> NDArray[np.float64]:
        # one block's tau (a new array)
        which = intervals[rows]
        return _polish_on_track(
            quintic.take(which, max_order=1),
            tau[rows],
            low[rows],
            high[rows],
            negative_at_low[rows],
            obs_ecef if alone else obs_ecef.take(which, axis=1),
            up if alone else up.take(which, axis=1),
            sin_threshold,
            _CROSSING_POLISH,
        )

    if 0 < tau.size <= POLISH_BLOCK_INTERVALS:  # one block: its array, uncopied
        return polished(slice(0, tau.size))
    out = np.empty(tau.size)
    for rows in _blocks(tau.size):
        out[rows] = polished(rows)
    return out


def _polish_on_track(
    quintic: _Quintic,
    tau: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    negative_at_low: NDArray[np.bool_],
    obs_ecef: NDArray[np.float64],
    up: NDArray[np.float64],
    target: float | None,
    iterations: int = 3,
) -> NDArray[np.float64]:
    """Run bracketed Newton on the interpolated track from `tau`, within [low, high].

    With `target`, solve s = target (a crossing); without, s' = 0 (an extremum).
    `negative_at_low` tells the sign of that function at `low`; a step that would leave the
    (shrinking) bracket is replaced by bisection.
    """
    # divisions by zero give NaN or inf, which fall outside the bracket: bisection
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(iterations):
            if target is None:
                _, g, dg = _interpolated_series(quintic, tau, obs_ecef, up, 2)
            else:
                s, dg = _interpolated_series(quintic, tau, obs_ecef, up, 1)
                g = s - target
            same_as_low = np.signbit(g) == negative_at_low
            low = np.where(same_as_low, tau, low)
            high = np.where(same_as_low, high, tau)
            new = tau - g / (dg * quintic.length_s)
            inside = (new >= low) & (new <= high)
            # (every step inside, nearly always: then no bisection to mix in)
            if np.count_nonzero(inside) != inside.size:
                new = np.where(inside, new, 0.5 * (low + high))
            tau = new
    return tau


def _nan_to(x: NDArray[np.float64], value: float) -> NDArray[np.float64]:
    """Return x with NaN replaced by `value` (`np.nan_to_num` for finite x, without its
    overhead)."""
    replaced: NDArray[np.float64] = np.where(np.isnan(x), value, x)
    return replaced


def _first_crossing(
    values: NDArray[np.float64],
    rows: NDArray[np.intp],
    first: NDArray[np.intp] | int,
    last: NDArray[np.intp] | int,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Return, per row of `values[rows]`, where it first changes sign between columns
    first..last.

    Returns the column j where the sign changes between j and j + 1 (-1: no change) and the
    position as a fraction of the row (column / (n_columns - 1)), linearly interpolated.
    Only the signs of the rows are gathered, and the two values beside each change.
    """
    n_cols = values.shape[1]
    cols = np.arange(n_cols - 1)
    negative = np.signbit(values).take(rows, axis=0)  # (`take`: 40 % faster than [rows])
    candidates = negative[:, :-1] != negative[:, 1:]
    candidates &= cols[None, :] >= np.asarray(first)[..., None]
    # the first change from `first` on; it is in range if it comes before `last` (one mask
    # fewer than masking the range: the same first change, or none)
    j = candidates.argmax(axis=1)  # the first change, or 0 where there is none
    changes = candidates.reshape(-1).take(np.arange(0, candidates.size, n_cols - 1) + j)
    found = changes & (j < np.asarray(last))
    if np.count_nonzero(found) != found.size:
        j = np.where(found, j, 0)  # (as the range's argmax gives where it has no change)
    at_j = rows * n_cols + j  # (flat indices: `take` without two index arrays)
    flat = values.reshape(-1)
    y0, y1 = flat.take(at_j), flat.take(at_j + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(y1 != y0, y0 / (y0 - y1), 0.5)
    position = (j + np.minimum(np.maximum(fraction, 0.0), 1.0)) / (n_cols - 1)
    return np.where(found, j, -1), position


def _sin_elevation_on(
    quintic: _Quintic,
    tau: NDArray[np.float64],
    obs_ecef: NDArray[np.float64],
    up: NDArray[np.float64],
    sin_threshold: float,
    shared: tuple[NDArray[np.float64], NDArray[np.intp]] | None = None,
) -> NDArray[np.float64]:
    """Return sin(elevation) - `sin_threshold` (n, m) on the interpolated track at fractions
    `tau` (m,).

    `shared`: the track's positions at `tau` for intervals of a grid (`_track_positions`,
    (3, m, n_grid)) and the grid interval of each of the n rows, gathered instead of
    evaluated (the same numbers).

    The largest array work of the first guesses, (3, m, n) at every step: it runs over blocks
    of `SUBSTEP_BLOCK_INTERVALS` intervals, in place in buffers made once, so that its
    temporaries stay in cache (a catalogue chunk's took 13 MB each). Every element sees the
    same operations in the same order as a whole-array Horner pass and `dot` would give it
    (Horner on tau, then rho - observer, products summed over the component axis), so the
    same bits whatever the block.
    """
    n, m = quintic.length_s.size, tau.size
    t = tau[:, None]
    out = np.empty((n, m))
    alone = obs_ecef.shape[1] == 1  # one observer: broadcast it, without slicing
    size = min(n, SUBSTEP_BLOCK_INTERVALS)
    position_buffer = np.empty((3, m, size))
    along_buffer, norm_buffer, term_buffer = np.empty((3, m, size))
    for i0 in range(0, n, size):
        i1 = min(i0 + size, n)
        b = i1 - i0
        rho = position_buffer[:, :, :b]
        along, norm, term = along_buffer[:, :b], norm_buffer[:, :b], term_buffer[:, :b]
        if shared is None:
            _horner(quintic.c[:, :, None, i0:i1], t, rho)
        else:
            np.take(shared[0], shared[1][i0:i1], axis=2, out=rho, mode="clip")
        rho -= obs_ecef[:, None, :] if alone else obs_ecef[:, None, i0:i1]
        u = up[:, None, :] if alone else up[:, None, i0:i1]
        # rho.u and rho.rho summed component by component, as `dot` sums: (x + y) + z
        np.multiply(rho[0], u[0], out=along)
        along += np.multiply(rho[1], u[1], out=term)
        along += np.multiply(rho[2], u[2], out=term)
        np.multiply(rho[0], rho[0], out=norm)
        norm += np.multiply(rho[1], rho[1], out=term)
        norm += np.multiply(rho[2], rho[2], out=term)
        np.sqrt(norm, out=norm)
        along /= norm
        along -= sin_threshold
        out[i0:i1] = along.T
    return out


def _horner(cb: NDArray[np.float64], t: NDArray[np.float64], rho: NDArray[np.float64]) -> None:
    """Write the quintics `cb` (6, 3, 1, n) at fractions `t` (m, 1) into `rho` (3, m, n), by
    Horner's rule in place."""
    np.multiply(cb[5], t, out=rho)
    for k in (4, 3, 2, 1):
        rho += cb[k]
        rho *= t
    rho += cb[0]


def _track_positions(c: NDArray[np.float64], tau: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the quintics `c` (6, 3, n) at fractions `tau` (m,): positions (3, m, n), by
    blocks of `SUBSTEP_BLOCK_INTERVALS` as `_sin_elevation_on` (the same operations)."""
    n, m = c.shape[2], tau.size
    t = tau[:, None]
    positions = np.empty((3, m, n))
    with np.errstate(invalid="ignore"):  # (intervals SGP4 did not run: NaN, never used)
        for i0 in range(0, n, SUBSTEP_BLOCK_INTERVALS):
            i1 = min(i0 + SUBSTEP_BLOCK_INTERVALS, n)
            _horner(c[:, :, None, i0:i1], t, positions[:, :, i0:i1])
    return positions
