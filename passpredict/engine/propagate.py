"""SGP4 on numpy arrays, straight into the Earth-fixed frame.

Raw SGP4 on arrays propagates well over a million positions a second, against about 14,000 for
Skyfield's full-accuracy `at()` (docs: anchors.md); the pass search uses this path. Per-sample
SGP4 error codes come back as a boolean `ok` mask instead of exceptions, so one decayed sample
does not stop a batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec, SatrecArray

from passpredict.engine.frames import teme_to_ecef
from passpredict.engine.time_axis import TimeBase


def propagate_grid(
    satrecs: Sequence[Satrec],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    gmst_rad: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Propagate every satellite to every time; returns ECEF r (n_sat, n_t, 3) km, v km/s, ok.

    `gmst_rad`, if given, is `timebase.gmst_rad(seconds)` computed already.
    """
    whole, fraction = timebase.jd_utc(seconds)
    errors, r_teme, v_teme = SatrecArray(list(satrecs)).sgp4(whole, fraction)
    gmst = timebase.gmst_rad(seconds) if gmst_rad is None else gmst_rad
    r_ecef, v_ecef = teme_to_ecef(r_teme, v_teme, gmst[None, :])
    return r_ecef, v_ecef, errors == 0


def propagate_points(
    satrec: Satrec, timebase: TimeBase, seconds: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Propagate one satellite to each of `seconds`; returns ECEF r (n, 3), v (n, 3) and ok (n,)."""
    whole, fraction = timebase.jd_utc(seconds)
    errors, r_teme, v_teme = satrec.sgp4_array(whole, fraction)
    r_ecef, v_ecef = teme_to_ecef(r_teme, v_teme, timebase.gmst_rad(seconds))
    return r_ecef, v_ecef, errors == 0


def propagate_pairs(
    satrecs: Sequence[Satrec],
    satellite_index: NDArray[np.intp],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    gmst_rad: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Propagate `satrecs[satellite_index[i]]` to `seconds[i]` for every i, in one pass.

    The root finders' workhorse: thousands of (satellite, time) points, a few per satellite.
    SGP4 runs once per satellite on its points; the frame rotation runs once on all of them.
    `gmst_rad`, if given, is `timebase.gmst_rad(seconds)` computed already (shared with the
    Sun at the same times). Returns ECEF r (n, 3) km, v (n, 3) km/s and ok (n,).
    """
    satellite_index = np.asarray(satellite_index, dtype=np.intp)
    seconds = np.asarray(seconds, dtype=float)
    if len(satrecs) == 1:  # grouped already: the sort below would change nothing
        return propagate_grouped(satrecs, satellite_index, timebase, seconds, gmst_rad)
    order = np.argsort(satellite_index, kind="stable")
    gmst = None if gmst_rad is None else gmst_rad[order]
    r, v, ok = propagate_grouped(satrecs, satellite_index[order], timebase, seconds[order], gmst)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return r[inverse], v[inverse], ok[inverse]


def propagate_grouped(
    satrecs: Sequence[Satrec],
    satellite_index: NDArray[np.intp],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    gmst_rad: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """`propagate_pairs` for points already grouped by satellite (equal indices adjacent)."""
    n = seconds.size
    whole, fraction = timebase.jd_utc(seconds)
    errors = np.empty(n, dtype=np.uint8)
    r_teme = np.empty((n, 3))
    v_teme = np.empty((n, 3))
    if len(satrecs) == 1:
        starts, ends = ([0], [n]) if n else ([], [])
    else:
        cuts = np.flatnonzero(satellite_index[1:] != satellite_index[:-1]) + 1
        starts = np.concatenate(([0], cuts)).tolist()
        ends = np.concatenate((cuts, [n])).tolist() if n else []
    for begin, end in zip(starts, ends, strict=False):
        _sgp4_into(
            satrecs[satellite_index[begin]],
            whole[begin:end],
            fraction[begin:end],
            errors[begin:end],
            r_teme[begin:end],
            v_teme[begin:end],
        )
    gmst = timebase.gmst_rad(seconds) if gmst_rad is None else gmst_rad
    r_ecef, v_ecef = teme_to_ecef(r_teme, v_teme, gmst)
    return r_ecef, v_ecef, errors == 0


def _sgp4_into(
    satrec: Satrec,
    whole: NDArray[np.float64],
    fraction: NDArray[np.float64],
    errors: NDArray[np.uint8],
    r: NDArray[np.float64],
    v: NDArray[np.float64],
) -> None:
    """Run SGP4 for one satellite, writing into the given (contiguous) output slices.

    The compiled `Satrec` fills caller-owned arrays directly (`_sgp4`, what `sgp4_array`
    itself calls); that saves three allocations per call, which is most of the cost of a
    call on a few points. The pure-Python fallback of `sgp4` goes through `sgp4_array`.
    """
    fill = getattr(satrec, "_sgp4", None)
    if fill is not None:
        fill(whole, fraction, errors, r, v)
    else:  # pragma: no cover - only without the compiled extension
        errors[:], r[:], v[:] = satrec.sgp4_array(whole, fraction)
