"""Vectorised bracketed root finding: many independent brackets solved together.

The pass search ends with thousands of small problems "where in [a, b] does f change sign",
one per threshold crossing or elevation maximum. Solving them one at a time in Python would
cost more than the propagation itself, so this solver advances all brackets at once: every
iteration evaluates `f` on one array of points (one SGP4 call per satellite) and keeps only the
brackets that have not converged.

The method is the Illinois variant of regula falsi (Dowell & Jarratt 1971): superlinear on
smooth functions, and guaranteed to keep a bracket; after `_BISECT_AFTER` iterations it falls
back to bisection so that no bracket can stall.
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
    a = np.array(a, dtype=float)
    b = np.array(b, dtype=float)
    fa = np.array(fa, dtype=float)
    fb = np.array(fb, dtype=float)
    root = np.where(fa == 0.0, a, np.where(fb == 0.0, b, np.nan))
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
