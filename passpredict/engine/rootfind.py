"""Vectorised bracketed root finding: many independent brackets solved together.

The pass search ends with thousands of small problems "where in [a, b] does f change sign",
one per threshold crossing or elevation maximum. Solving them one at a time in Python would
cost more than the propagation itself, so this solver advances all brackets at once: every
iteration evaluates `f` on one array of points (one SGP4 call per satellite) and keeps only the
brackets that have not converged.

`find_roots` needs only f: the Illinois variant of regula falsi (Dowell & Jarratt 1971),
superlinear on smooth functions and guaranteed to keep a bracket; after `_BISECT_AFTER`
iterations it falls back to bisection so that no bracket can stall. `NewtonBrackets` (and
`find_roots_newton`) also take f': safeguarded Newton, which from a good first guess needs one
or two evaluations where Illinois needs six to ten; the pass search uses it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

_BISECT_AFTER = 30
_MAX_ITERATIONS = 80

#: f(points, active_indices) -> values, where `active_indices` index the original brackets.
BracketFunction = Callable[[NDArray[np.float64], NDArray[np.intp]], NDArray[np.float64]]


def find_roots(
    f: BracketFunction,
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    fa: NDArray[np.float64],
    fb: NDArray[np.float64],
    tolerance: float,
) -> NDArray[np.float64]:
    """Return one root of `f` in each bracket [a, b] where fa and fb differ in sign.

    Brackets must have a < b and sign(fa) != sign(fb) (a zero at an end counts as a root there).
    Converges when the bracket is narrower than `tolerance`.
    """
    a, b, fa, fb = _own_brackets(a, b, fa, fb)
    root = _roots_at_ends(a, b, fa, fb)
    active = np.flatnonzero(np.isnan(root))
    side = np.zeros(a.shape, dtype=np.int8)
    for iteration in range(_MAX_ITERATIONS):
        if active.size == 0:
            break
        aa, bb, ffa, ffb = a[active], b[active], fa[active], fb[active]
        if iteration < _BISECT_AFTER:
            c = (aa * ffb - bb * ffa) / (ffb - ffa)
            bad = ~((c > aa) & (c < bb))
            c[bad] = 0.5 * (aa[bad] + bb[bad])
        else:
            c = 0.5 * (aa + bb)
        fc = f(c, active)
        same_as_a = np.sign(fc) == np.sign(ffa)
        exact = fc == 0.0
        # c replaces a: if a was also replaced last time, halve the retained fb (Illinois).
        replace_a = same_as_a & ~exact
        replace_b = ~same_as_a & ~exact
        idx_a, idx_b = active[replace_a], active[replace_b]
        a[idx_a], fa[idx_a] = c[replace_a], fc[replace_a]
        fb[idx_a] = np.where(side[idx_a] == 1, 0.5 * fb[idx_a], fb[idx_a])
        side[idx_a] = 1
        b[idx_b], fb[idx_b] = c[replace_b], fc[replace_b]
        fa[idx_b] = np.where(side[idx_b] == -1, 0.5 * fa[idx_b], fa[idx_b])
        side[idx_b] = -1
        root[active[exact]] = c[exact]
        narrow = (b[active] - a[active]) < tolerance
        done = exact | narrow
        finished = active[done & ~exact]
        root[finished] = (a[finished] * fb[finished] - b[finished] * fa[finished]) / (
            fb[finished] - fa[finished]
        )
        bad = ~((root[finished] >= a[finished]) & (root[finished] <= b[finished]))
        root[finished[bad]] = 0.5 * (a[finished[bad]] + b[finished[bad]])
        active = active[~done]
    if active.size:
        root[active] = 0.5 * (a[active] + b[active])
    return root


def _own_brackets(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    fa: NDArray[np.float64],
    fb: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return brackets and their end values as float arrays of the solver's own (it shrinks
    them in place, and must not change the caller's)."""
    return (
        np.array(a, dtype=float),
        np.array(b, dtype=float),
        np.array(fa, dtype=float),
        np.array(fb, dtype=float),
    )


def _roots_at_ends(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    fa: NDArray[np.float64],
    fb: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return the root of each bracket that has a zero at an end (a first), else NaN."""
    return np.where(fa == 0.0, a, np.where(fb == 0.0, b, np.nan))


#: f(points, active_indices) -> (values, derivatives), `active_indices` as for `find_roots`.
BracketFunctionWithDerivative = Callable[
    [NDArray[np.float64], NDArray[np.intp]], tuple[NDArray[np.float64], NDArray[np.float64]]
]

#: A Newton step is final when its predicted remaining error is below this share of the
#: tolerance (the error after a step dx is about |f''/(2 f')| dx^2).
_PREDICTED_ERROR_SHARE = 0.3
#: ... and only for steps shorter than this many tolerances.
_PREDICTED_STEP_LIMIT = 1000.0


class NewtonBrackets:
    """Many safeguarded Newton problems advanced together, one evaluation of each per sweep.

    The pass search knows the derivative of what it solves (the analytic elevation rate and
    its own derivative) and a good first guess, so Newton's quadratic convergence takes most
    brackets to 1 ms in one or two evaluations. The safeguard is the classic one (Numerical
    Recipes' `rtsafe`): every evaluation shrinks the bracket, and a Newton step that would
    leave it, or that does not at least halve the step before last, is replaced by
    bisection, so no bracket can be lost or stall.

    A problem is done when the bracket is narrower than `tolerance`, or when the Newton step
    from the last evaluated point is final: given the curvature scale |f''/(2 f')| at that
    point, when the error Newton's theory predicts after the step, scale * step^2, is below
    0.3 `tolerance`; without it, when the step is shorter than `tolerance` (the classic
    test, which assumes a simple root). The root is then the point after the step, which is
    not evaluated again. Near a double root (a graze) the scale grows without bound, so such
    a problem ends only when its bracket is narrow.

    Use: `add` brackets (they may be added between sweeps), then repeat: `pending` gives the
    problems and `points` where to evaluate, `absorb` takes f, f' (and the curvature scale)
    there.
    """

    #: The per-problem arrays, rows of one block (`_block`), grown together by `_make_room`.
    _ARRAYS = ("lo", "hi", "flo", "points", "roots", "_step_before", "_step_last")
    lo: NDArray[np.float64]
    hi: NDArray[np.float64]
    flo: NDArray[np.float64]
    points: NDArray[np.float64]
    roots: NDArray[np.float64]
    _step_before: NDArray[np.float64]
    _step_last: NDArray[np.float64]

    def __init__(self, tolerance: float, capacity: int = 0) -> None:
        """`capacity`: how many problems to make room for (more grow the arrays)."""
        self.tolerance = tolerance
        self.size = 0
        #: Each bracket [lo, hi], f at lo, the next point to evaluate, and the root (NaN
        #: while unfinished); the last two steps, for the safeguard. Rows of one block, so
        #: that `absorb` gathers and puts back a sweep's problems in one call each.
        self._block: NDArray[np.float64] = np.empty((len(self._ARRAYS), capacity))
        self._rows()

    def _rows(self) -> None:
        """Point the per-problem arrays at the rows of `_block`."""
        (
            self.lo,
            self.hi,
            self.flo,
            self.points,
            self.roots,
            self._step_before,
            self._step_last,
        ) = self._block

    def __len__(self) -> int:
        return self.size

    def _make_room(self, count: int) -> None:
        capacity = self._block.shape[1]
        if self.size + count > capacity:
            grown = np.empty((len(self._ARRAYS), max(self.size + count, 2 * capacity)))
            grown[:, : self.size] = self._block[:, : self.size]
            self._block = grown
            self._rows()

    def add(
        self,
        a: NDArray[np.float64],
        b: NDArray[np.float64],
        fa: NDArray[np.float64],
        fb: NDArray[np.float64],
        x0: NDArray[np.float64],
    ) -> NDArray[np.intp]:
        """Add brackets [a, b] (a < b, sign(fa) != sign(fb)) with first guesses; return ids.

        A zero at an end is the root there; a guess outside (a, b) is moved just inside.
        """
        # read, never changed here (copied into the solver's arrays): no copies of our own
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        fa, fb = np.asarray(fa, dtype=float), np.asarray(fb, dtype=float)
        # A guess at or beyond an end is kept just inside it (the root is likely near that
        # end); only a missing guess starts from the middle.
        margin = np.minimum(self.tolerance, 0.25 * (b - a))
        x = np.minimum(np.maximum(np.asarray(x0, dtype=float), a + margin), b - margin)
        missing = np.isnan(x)
        if np.count_nonzero(missing):
            x[missing] = 0.5 * (a[missing] + b[missing])
        self._make_room(a.size)
        ids = slice(self.size, self.size + a.size)
        self.lo[ids], self.hi[ids], self.flo[ids], self.points[ids] = a, b, fa, x
        zero_a, zero_b = fa == 0.0, fb == 0.0
        if np.count_nonzero(zero_a) or np.count_nonzero(zero_b):
            self.roots[ids] = _roots_at_ends(a, b, fa, fb)
        else:  # no zero at an end (the usual case): `_roots_at_ends`' NaN everywhere
            self.roots[ids] = np.nan
        self._step_before[ids] = self._step_last[ids] = b - a
        self.size += a.size
        return np.arange(ids.start, ids.stop)

    def pending(self) -> NDArray[np.intp]:
        """Return the ids still to be evaluated at `points[ids]`."""
        pending: NDArray[np.intp] = np.isnan(self.roots[: self.size]).nonzero()[0]
        return pending

    def absorb(
        self,
        ids: NDArray[np.intp],
        fx: NDArray[np.float64],
        dfx: NDArray[np.float64],
        curvature_scale: NDArray[np.float64] | None = None,
    ) -> None:
        """Take f and f' at `points[ids]`: shrink the brackets, finish or pick the next points."""
        if ids.size == 0:
            return
        # the problems' rows gathered in one call, updated there, and put back in one
        local = np.take(self._block, ids, axis=1)  # (`take`: twice the speed of [:, ids])
        low, high, f_low, x, roots, step_before, step_last = local  # (views of its rows)
        exact = fx == 0.0
        same_as_lo = np.signbit(fx) == np.signbit(f_low)
        # x replaces the end whose f has its sign (copyto's masked copies are cheaper than
        # masked gathers of ids and values)
        np.copyto(low, x, where=same_as_lo)
        np.copyto(f_low, fx, where=same_as_lo)
        np.copyto(high, x, where=~same_as_lo)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            step = -fx / dfx
            step_size = np.abs(step)  # (read twice: taken once)
            if curvature_scale is None:
                small = step_size < self.tolerance
            else:
                # the prediction is trusted only for short steps: a far guess where the
                # curvature happens to vanish must not pass for a converged one
                small = (
                    curvature_scale * step * step < _PREDICTED_ERROR_SHARE * self.tolerance
                ) & (step_size < _PREDICTED_STEP_LIMIT * self.tolerance)
        x_new = x + step
        newton_ok = (
            np.isfinite(x_new)
            & (x_new >= low)
            & (x_new <= high)
            & (step_size <= 0.5 * np.abs(step_before))
        )
        # an exact zero is rare: without one, `inexact` is all true and drops out
        any_exact = np.count_nonzero(exact) != 0
        converged = newton_ok & small
        narrow = ~converged & ((high - low) < self.tolerance)
        if any_exact:
            inexact = ~exact
            converged &= inexact
            narrow &= inexact
        # (exact roots, narrow brackets and bisections are rare: their updates only when
        # there are some, which on a pass search's few problems saves most of the calls)
        step_before[:] = step_last
        if np.count_nonzero(newton_ok) == newton_ok.size:  # (counted: `.all()` is 3x slower)
            step_last[:] = step
        else:
            bisect = ~newton_ok
            x_new[bisect] = 0.5 * (low[bisect] + high[bisect])
            step_last[:] = np.where(bisect, 0.5 * (high - low), step)
        if any_exact:
            roots[exact] = x[exact]
        np.copyto(roots, x_new, where=converged)
        if np.count_nonzero(narrow):
            roots[narrow] = 0.5 * (low[narrow] + high[narrow])
        x[:] = x_new  # (x is read no more)
        self._block[:, ids] = local

    def finish(self) -> NDArray[np.float64]:
        """Give every unfinished problem the middle of its bracket; return all roots."""
        left = self.pending()
        if left.size:  # (none, usually)
            self.roots[left] = 0.5 * (self.lo[left] + self.hi[left])
        return self.roots[: self.size]


def find_roots_newton(
    f: BracketFunctionWithDerivative,
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    fa: NDArray[np.float64],
    fb: NDArray[np.float64],
    x0: NDArray[np.float64],
    tolerance: float,
) -> NDArray[np.float64]:
    """Return one root of `f` in each bracket [a, b], by safeguarded Newton from `x0`.

    `f(points, ids)` returns f and f' at the points; see `NewtonBrackets` for the method
    and when a bracket is done.
    """
    solver = NewtonBrackets(tolerance)
    solver.add(a, b, fa, fb, x0)
    for _ in range(_MAX_ITERATIONS):
        ids = solver.pending()
        if ids.size == 0:
            break
        fx, dfx = f(solver.points[ids], ids)
        solver.absorb(ids, fx, dfx)
    return solver.finish()
