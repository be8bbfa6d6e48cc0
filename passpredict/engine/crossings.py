"""Sign changes of a function over many spans at once, sampling only where one can hide.

`span_crossings` samples f on an even grid over every span (no wider than `step_s`), finds the
sign changes between samples, resamples every `fine_step_s` the intervals whose two samples
share a sign but could hide a double crossing (by a bound on |df/dt|), and refines every sign
change with the vectorised root finder (`passpredict.engine.rootfind`).

Most samples are far from any crossing (a satellite deep in sunlight or shadow), and each
costs an SGP4 call, so the grid is screened first: f is evaluated at every `SCREEN_EVERY`-th
grid sample only (`LONG_SCREEN_EVERY`-th on a long span), and an interval between two
evaluated samples is split (halved, or, where its ends differ in sign, at the two samples
around where its chord meets zero: `_split`) only where the same bound (with a factor
`SCREEN_MARGIN` to spare) allows a zero inside it, down to single grid steps. Where it does
not, f keeps one sign at every grid sample in between, so no sign change and no crossing is
lost there; where it does, the grid samples are exactly those of the plain grid (f is
evaluated sample by sample). The answer is therefore the plain grid's, bit for bit, at a
fraction of the evaluations. The grid itself is never laid out (`_screened_grid` names its
samples by span and index: a catalogue's holds over a million). The 1 s resampling is
screened the same way.

A caller that can also bound |d^2f/dt^2| near a zero (`max_curvature`: the shadow clearance
bends at most as fast as gravity and the satellite's speed allow) lets both stages skip more:
an interval whose two values share a sign and exceed bound * width^2 / 8 in size holds no
zero (f stays that close to its chord), so neither its grid samples nor its 1 s resampling
can hold a crossing, and the answer is still the plain grid's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.rootfind import find_roots

#: f(span_index, seconds) -> values, evaluated pairwise.
SpanFunction = Callable[[NDArray[np.intp], NDArray[np.float64]], NDArray[np.float64]]
#: (span_index, width_s) -> a bound on |d^2f/dt^2| over any interval of that span and width
#: that holds a zero of f (it may grow with the width), evaluated pairwise.
CurvatureBound = Callable[[NDArray[np.intp], NDArray[np.float64]], NDArray[np.float64]]

#: The resampling step (s) of an interval that could hide a double crossing.
FINE_STEP_S = 1.0
#: Root-finding tolerance on times (s), as in the pass search.
TIME_TOLERANCE_S = 1e-3
#: Screening: every how many grid samples f is evaluated first, and the safety factor on the
#: rate bound that lets the samples in between be skipped (the callers' bounds have their own
#: margin; 1.25 also covers the 0.34 % the shadow clearance's stretched frame adds to a speed).
#: Every 8th rather than 16th: a low orbit's pass (20 to 45 samples at 20 s) then starts with
#: its samples 160 s apart, close enough that most intervals clear or hold their crossing
#: at once, and the splitting rounds after (an SGP4 call per satellite each) shrink: on the
#: catalogue's shadow screen 30 % fewer calls and 1 % fewer points than every 16th.
SCREEN_EVERY = 8
FINE_SCREEN_EVERY = 5
SCREEN_MARGIN = 1.25
#: A span of more grid samples than this (over 21 minutes at 20 s: longer than any low orbit's
#: pass, so a high satellite's, far from the Earth's shadow most of the time) is screened at
#: every `LONG_SCREEN_EVERY`-th sample first: which samples the screen evaluates never
#: changes the answer, and there the coarser first look clears as much with fewer samples
#: (the catalogue's shadow screen: 14 % fewer SGP4 points, 0.7 % more SGP4 calls).
LONG_SPAN_SAMPLES = 64
LONG_SCREEN_EVERY = 64


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Crossings(NamedTuple):
    """Sign changes of a function over spans: which span, when, and in which direction."""

    span: NDArray[np.intp]
    seconds: NDArray[np.float64]
    rising: NDArray[np.bool_]


def _grid(
    start: NDArray[np.float64], end: NDArray[np.float64], step_s: float
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """Sample every span [start, end] evenly at no more than `step_s`, both ends included.

    Returns the span of each sample, its time, and each span's sample spacing.
    """
    span, t, spacing, _ = _grid_with_index(start, end, step_s)
    return span, t, spacing


def _grid_with_index(
    start: NDArray[np.float64], end: NDArray[np.float64], step_s: float
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """`_grid`, plus whether each sample is the last of its span."""
    width = np.maximum(end - start, 0.0)
    count = np.ceil(width / step_s).astype(np.intp) + 1
    count = np.maximum(count, 2)
    span = np.repeat(np.arange(start.size), count)
    first = np.cumsum(count) - count
    k = np.arange(span.size) - first[span]
    spacing = width / (count - 1)
    return span, start[span] + k * spacing[span], spacing, k == count[span] - 1


def _screened(
    f: SpanFunction,
    owner: NDArray[np.intp],
    t: NDArray[np.float64],
    last: NDArray[np.bool_],
    arg: NDArray[np.intp],
    rate: NDArray[np.float64],
    every: int,
    bend: CurvatureBound | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Return f at the samples where a sign change could be, and which samples were evaluated.

    `owner` groups consecutive samples (one group per span or interval), `last` marks each
    group's last sample, `arg` is the span index f is called with, `rate[i]` bounds |df/dt|
    for sample i's group. The first, the last and every `every`-th sample of a group are
    evaluated; an interval between two evaluated samples is halved, recursively, only while f
    could reach zero inside it (a bisection: far from zero whole stretches are skipped).
    With `bend`, an interval of width w is also done when both values share a sign and
    exceed bend * w^2 / 8 in size (`_bowed_clear`).
    """
    n = t.size
    values = np.full(n, np.nan)
    first = np.ones(n, dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    position = np.arange(n) - np.maximum.accumulate(np.where(first, np.arange(n), 0))
    evaluated = (position % every == 0) | last
    nodes = np.flatnonzero(evaluated)
    values[nodes] = f(arg[nodes], t[nodes])
    left, right = nodes[:-1], nodes[1:]
    same = owner[left] == owner[right]
    left, right = left[same], right[same]
    while left.size:
        # an interval whose two values are too far from zero for f to reach it in between is
        # done; the others are halved (their middle sample evaluated) until they are one step
        fl, fr = values[left], values[right]
        safe = (
            np.isfinite(fl)
            & np.isfinite(fr)
            & (np.signbit(fl) == np.signbit(fr))
            & (np.abs(fl) + np.abs(fr) > SCREEN_MARGIN * rate[left] * (t[right] - t[left]))
        )
        if bend is not None:
            unsure = np.flatnonzero(~safe)
            safe[unsure] = _bowed_clear(
                bend, arg[left[unsure]], t[right[unsure]] - t[left[unsure]], fl[unsure], fr[unsure]
            )
        split = ~safe & (right - left > 1)
        left, right, fl, fr = left[split], right[split], fl[split], fr[split]
        if not left.size:
            break
        left, right = _split(values, arg, t, f, evaluated, (left, right, fl, fr))
    return values, evaluated


def _screened_grid(
    f: SpanFunction,
    grid: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]],
    rate: NDArray[np.float64],
    bend: CurvatureBound | None,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """`_screened` on every span's grid (`grid`: start, spacing, sample count), with the
    grid samples named by (span, k) instead of laid out: a catalogue's grids hold over a
    million samples, of which the screen evaluates about one in seven.

    Sample k of span i is at start_i + k spacing_i, the time `_grid` gives it. Evaluated
    first are k = 0, every `SCREEN_EVERY`-th (`LONG_SCREEN_EVERY`-th on a span of more than
    `LONG_SPAN_SAMPLES`) and the last; then intervals are split as in
    `_screened` (`_split`'s choice of samples). Returns the evaluated samples, sorted by
    span and k: span, k, time and f there.
    """
    start, spacing, count = grid
    stride = int(count.max()) if count.size else 1  # k < stride: (span, k) as one number
    every = np.where(count > LONG_SPAN_SAMPLES, LONG_SCREEN_EVERY, SCREEN_EVERY)
    per = (count - 2) // every + 2  # multiples of `every` below the last, and it
    node_span = np.repeat(np.arange(start.size), per)
    j = np.arange(node_span.size) - (np.cumsum(per) - per)[node_span]
    final = j == per[node_span] - 1
    k = np.where(final, count[node_span] - 1, j * every[node_span])
    t = start[node_span] + k * spacing[node_span]
    values = f(node_span, t)
    found = [(node_span, k, t, values)]
    inner = np.flatnonzero(~final)
    intervals = (
        node_span[inner],
        (k[inner], k[inner + 1]),
        (t[inner], t[inner + 1]),
        (values[inner], values[inner + 1]),
    )
    while intervals[0].size:
        span, (kl, kr), (tl, tr), (fl, fr) = intervals
        safe = (
            np.isfinite(fl)
            & np.isfinite(fr)
            & (np.signbit(fl) == np.signbit(fr))
            & (np.abs(fl) + np.abs(fr) > SCREEN_MARGIN * rate[span] * (tr - tl))
        )
        if bend is not None:
            unsure = np.flatnonzero(~safe)
            safe[unsure] = _bowed_clear(
                bend, span[unsure], tr[unsure] - tl[unsure], fl[unsure], fr[unsure]
            )
        split = np.flatnonzero(~safe & (kr - kl > 1))
        if not split.size:
            break
        span, kl, kr, tl, tr = span[split], kl[split], kr[split], tl[split], tr[split]
        fl, fr = fl[split], fr[split]
        first, aimed = _split_points(kl, kr, fl, fr)
        second = first[aimed] + 1
        new_span = np.concatenate([span, span[aimed]])
        new_k = np.concatenate([first, second])
        new_t = start[new_span] + new_k * spacing[new_span]
        order = _sample_order(new_span, new_k, stride)  # in sample order: grouped by span
        new_values = np.empty(new_t.size)
        new_values[order] = f(new_span[order], new_t[order])
        found.append((new_span, new_k, new_t, new_values))
        # the parts: [left, first] and [first, right], or [left, first] and [second, right]
        # (the single step between first and second is done); single steps are never split
        m, plain = first.size, ~aimed
        t_first, t_second = new_t[:m], new_t[m:]
        f_first, f_second = new_values[:m], new_values[m:]
        parts_k = (
            np.concatenate([kl, first[plain], second]),
            np.concatenate([first, kr[plain], kr[aimed]]),
        )
        keep = parts_k[1] - parts_k[0] > 1
        intervals = (
            np.concatenate([span, span[plain], span[aimed]])[keep],
            (parts_k[0][keep], parts_k[1][keep]),
            (
                np.concatenate([tl, t_first[plain], t_second])[keep],
                np.concatenate([t_first, tr[plain], tr[aimed]])[keep],
            ),
            (
                np.concatenate([fl, f_first[plain], f_second])[keep],
                np.concatenate([f_first, fr[plain], fr[aimed]])[keep],
            ),
        )
    spans, ks, ts, vs = (np.concatenate(part) for part in zip(*found, strict=True))
    order = _sample_order(spans, ks, stride)
    return spans[order], ks[order], ts[order], vs[order]


def _sample_order(span: NDArray[np.intp], k: NDArray[np.intp], stride: int) -> NDArray[np.intp]:
    """Return the order that sorts samples by span, then k (each (span, k) once; k < stride).

    `np.lexsort((k, span))`'s order, from one key span * stride + k sorted stably: the
    screen's samples come as a few sorted runs (its rounds), which a stable sort of one
    integer key (timsort) merges about seven times faster than `lexsort` sorts two keys.
    """
    order: NDArray[np.intp] = np.argsort(span * stride + k, kind="stable")
    return order


def _split_points(
    left: NDArray[np.intp],
    right: NDArray[np.intp],
    fl: NDArray[np.float64],
    fr: NDArray[np.float64],
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Where `_split` evaluates inside each interval (left < right - 1, sample indices):
    the first sample, and whether a second one follows it (ends of opposite signs)."""
    width = right - left
    with np.errstate(invalid="ignore", divide="ignore"):
        chord = fl / (fl - fr)  # where the chord meets zero, as a share of the interval
    aimed = (np.signbit(fl) != np.signbit(fr)) & np.isfinite(chord) & (width > 2)
    first = (left + right) // 2
    guess = left[aimed] + np.floor(chord[aimed] * width[aimed]).astype(np.intp)
    first[aimed] = np.minimum(np.maximum(guess, left[aimed] + 1), right[aimed] - 2)
    return first, aimed


def _split(
    values: NDArray[np.float64],
    arg: NDArray[np.intp],
    t: NDArray[np.float64],
    f: SpanFunction,
    evaluated: NDArray[np.bool_],
    intervals: tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Evaluate f inside each interval (sample indices left < right - 1); return the parts.

    An interval whose ends differ in sign holds a zero, so the screen will come down to the
    single step around it; the two samples either side of where the chord meets zero are
    evaluated at once (the clearance is close to straight over a few minutes: most often
    they bracket it, and the parts beside them clear by the curvature test), which takes
    one call instead of one per halving. Any other interval is halved. Only which samples
    are evaluated changes, not their values: the answer is still the plain grid's.
    """
    left, right, fl, fr = intervals
    first, aimed = _split_points(left, right, fl, fr)
    second = first[aimed] + 1
    points = np.sort(np.concatenate([first, second]))  # in sample order: grouped by span
    values[points] = f(arg[points], t[points])
    evaluated[points] = True
    # the parts: [left, first] and [first, right], or [left, first] and [second, right] (the
    # single step between first and second is done); single steps are never split
    lefts = np.concatenate([left, first[~aimed], second])
    rights = np.concatenate([first, right[~aimed], right[aimed]])
    keep = rights - lefts > 1
    return lefts[keep], rights[keep]


def _bowed_clear(
    bend: CurvatureBound,
    arg: NDArray[np.intp],
    width_s: NDArray[np.float64],
    fl: NDArray[np.float64],
    fr: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Tell which intervals cannot hold a zero of f by the bound on its curvature.

    If an interval [0, w] held a zero, |f''| <= B there, so |f| (f of one sign at both ends,
    values a and c in size) stays above the parabola g(u) = a + (c - a) u / w - B u (w - u) / 2
    that meets it at both ends; g's lowest point on [0, w] above zero rules the zero out.
    That is at least the older test, both values larger than B w^2 / 8 (g >= min(a, c) -
    B w^2 / 8), and it also clears an interval with one end close to zero when f moves away
    from zero across it faster than its curvature could turn it back. (NaN values compare
    false: not clear.)
    """
    same_sign = np.signbit(fl) == np.signbit(fr)
    clear: NDArray[np.bool_] = same_sign & stays_off_zero(
        np.abs(fl), np.abs(fr), bend(arg, width_s), width_s
    )
    return clear


def stays_off_zero(
    a: NDArray[np.float64],
    c: NDArray[np.float64],
    bound: NDArray[np.float64],
    width_s: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Tell where a function of size at least a and c at the ends of an interval of width w,
    and |f''| <= bound on it, cannot reach zero in between.

    f then stays above the parabola g(u) = a + (c - a) u / w - bound u (w - u) / 2 through
    its ends; the test is whether g's lowest point on [0, w] is above zero. Both values
    larger than bound w^2 / 8 is the special case the screen used first (g >= min(a, c) -
    bound w^2 / 8), tried first as the cheaper one. NaN and an infinite bound: False.
    """
    clear: NDArray[np.bool_] = np.minimum(a, c) > 0.125 * bound * width_s * width_s
    rest = np.flatnonzero(~clear & (width_s > 0.0))
    if rest.size:
        a, c, b, w = a[rest], c[rest], bound[rest], width_s[rest]
        slope = (c - a) / w
        half_bend = 0.5 * b * w
        with np.errstate(invalid="ignore"):  # an infinite bound (none known): not clear
            vertex_inside = np.abs(slope) < half_bend
            lowest = np.where(
                vertex_inside, a - (slope - half_bend) ** 2 / (2.0 * b), np.minimum(a, c)
            )
        clear[rest] = lowest > 0.0
    return clear


def _sign_changes(
    owner: NDArray[np.intp], evaluated: NDArray[np.bool_], values: NDArray[np.float64]
) -> tuple[
    NDArray[np.intp], NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]
]:
    """Pair each evaluated sample with the next one of the same group; tell where f changes sign.

    Returns the first sample of each pair, f at both samples, whether both are finite (NaN:
    SGP4 failed there, decayed) and whether f changes sign between them (both finite).
    """
    left = np.flatnonzero((owner[:-1] == owner[1:]) & evaluated[:-1] & evaluated[1:])
    fl, fr = values[left], values[left + 1]
    valid = np.isfinite(fl) & np.isfinite(fr)
    return left, fl, fr, valid, valid & (np.signbit(fl) != np.signbit(fr))


def span_crossings(
    f: SpanFunction,
    start: NDArray[np.float64],
    end: NDArray[np.float64],
    step_s: float,
    max_rate: NDArray[np.float64],
    fine_step_s: float = FINE_STEP_S,
    max_curvature: CurvatureBound | None = None,
) -> tuple[Crossings, NDArray[np.float64]]:
    """Return every sign change of `f` inside each span [start_i, end_i], and f at each start.

    `max_rate[i]` bounds |df/dt| on span i: an interval whose two samples share a sign but
    could hide a double crossing is resampled every `fine_step_s`. `max_curvature`, if
    given, bounds |d^2f/dt^2| on the intervals of span i that hold a zero: an interval
    whose two values share a sign and are too large for f to bend down to zero in between
    holds none, so it is neither screened further nor resampled (`_bowed_clear`).
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    max_rate = np.asarray(max_rate, dtype=float)
    if start.size == 0:
        empty = np.empty(0)
        return Crossings(np.empty(0, np.intp), empty, np.empty(0, bool)), empty
    # the grid of `_grid`, screened without being laid out: only its evaluated samples
    width = np.maximum(end - start, 0.0)
    count = np.maximum(np.ceil(width / step_s).astype(np.intp) + 1, 2)
    spacing = width / (count - 1)
    span, k, t, values = _screened_grid(f, (start, spacing, count), max_rate, max_curvature)
    at_start = values[np.r_[0, np.flatnonzero(np.diff(span)) + 1]]  # k = 0: always evaluated
    # pairs of neighbouring grid samples, both evaluated
    left = np.flatnonzero((span[1:] == span[:-1]) & (k[1:] == k[:-1] + 1))
    fl, fr = values[left], values[left + 1]
    valid = np.isfinite(fl) & np.isfinite(fr)
    change = valid & (np.signbit(fl) != np.signbit(fr))
    suspect = valid & ~change
    suspect &= np.abs(fl) + np.abs(fr) <= max_rate[span[left]] * spacing[span[left]]
    if max_curvature is not None:
        unsure = np.flatnonzero(suspect)
        suspect[unsure] = ~_bowed_clear(
            max_curvature, span[left[unsure]], spacing[span[left[unsure]]], fl[unsure], fr[unsure]
        )

    b_span = [span[left[change]]]
    b_a, b_b = [t[left[change]]], [t[left[change] + 1]]
    b_fa, b_fb = [fl[change]], [fr[change]]
    if suspect.any():
        sus = left[suspect]
        fine_owner, fine_t, _, fine_last = _grid_with_index(t[sus], t[sus + 1], fine_step_s)
        fine_span = span[sus][fine_owner]
        fine_values, fine_done = _screened(
            f,
            fine_owner,
            fine_t,
            fine_last,
            fine_span,
            max_rate[fine_span],
            FINE_SCREEN_EVERY,
            max_curvature,
        )
        fine_left, gl, gr, _, fine_change = _sign_changes(fine_owner, fine_done, fine_values)
        b_span.append(fine_span[fine_left[fine_change]])
        b_a.append(fine_t[fine_left[fine_change]])
        b_b.append(fine_t[fine_left[fine_change] + 1])
        b_fa.append(gl[fine_change])
        b_fb.append(gr[fine_change])
    # the brackets by span (the 1 s resampling's follow the grid's): a caller whose spans
    # are grouped by satellite then gets each sweep of the root finder grouped too
    by_span = np.argsort(np.concatenate(b_span), kind="stable")
    c_span = np.concatenate(b_span)[by_span]
    c_a, c_b = np.concatenate(b_a)[by_span], np.concatenate(b_b)[by_span]
    c_fa, c_fb = np.concatenate(b_fa)[by_span], np.concatenate(b_fb)[by_span]

    def bracket_f(x: NDArray[np.float64], active: NDArray[np.intp]) -> NDArray[np.float64]:
        return f(c_span[active], x)

    roots = find_roots(bracket_f, c_a, c_b, c_fa, c_fb, TIME_TOLERANCE_S)
    order = np.lexsort((roots, c_span))
    return Crossings(c_span[order], roots[order], (c_fb > c_fa)[order]), at_start
