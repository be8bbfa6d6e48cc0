"""SGP4 on numpy arrays, straight into the Earth-fixed frame.

Raw SGP4 on arrays propagates well over a million positions a second, against about 14,000 for
Skyfield's full-accuracy `at()` (docs: anchors.md); the pass search uses this path. Per-sample
SGP4 error codes come back as a boolean `ok` mask instead of exceptions, so one decayed sample
does not stop a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec, SatrecArray

from passpredict.engine.frames import EARTH_ROTATION_RAD_S, teme_to_ecef
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
    # grouped already (one satellite, or indices in order, as the visibility's shadow search
    # gives them): the stable sort below would be the identity and change nothing
    if len(satrecs) == 1 or _in_order(satellite_index):
        return propagate_grouped(satrecs, satellite_index, timebase, seconds, gmst_rad)
    order = np.argsort(satellite_index, kind="stable")
    gmst = None if gmst_rad is None else gmst_rad[order]
    r, v, ok = propagate_grouped(satrecs, satellite_index[order], timebase, seconds[order], gmst)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return r[inverse], v[inverse], ok[inverse]


def _in_order(index: NDArray[np.intp]) -> bool:
    """Tell whether `index` never decreases (then equal indices are adjacent: grouped)."""
    return index.size < 2 or bool(np.count_nonzero(index[1:] < index[:-1]) == 0)


def propagate_grouped(
    satrecs: Sequence[Satrec],
    satellite_index: NDArray[np.intp],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    gmst_rad: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """`propagate_pairs` for points already grouped by satellite (equal indices adjacent)."""
    r_teme, v_teme, ok = _teme_grouped(satrecs, satellite_index, timebase, seconds)
    gmst = timebase.gmst_rad(seconds) if gmst_rad is None else gmst_rad
    r_ecef, v_ecef = teme_to_ecef(r_teme, v_teme, gmst)
    return r_ecef, v_ecef, ok


def propagate_one_components(
    satrec: Satrec,
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    rotation: tuple[NDArray[np.float64], NDArray[np.float64]],
    r_out: NDArray[np.float64],
    v_out: NDArray[np.float64],
    jd_utc: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
) -> NDArray[np.bool_]:
    """`propagate_pairs` for one satellite, bit for bit, written component first into
    `r_out` and `v_out` (3, n) (km, km/s); returns ok (n,).

    `rotation` is (cos, sin) of `timebase.gmst_rad(seconds)`, and `jd_utc`, if given,
    `timebase.jd_utc(seconds)`: a scan grid's are the same on every search (`TimeBase.derived`).
    `teme_to_ecef`'s operations in its order, each into its row: on a pair's search (a few
    dozen to a few hundred points) this saves the (n, 3) arrays, their stacking and the
    transposed copies that the component-first engine then made of them.
    """
    n = seconds.size
    errors = np.empty(n, dtype=np.uint8)
    r_teme, v_teme = np.empty((n, 3)), np.empty((n, 3))
    times = timebase.jd_utc(seconds) if jd_utc is None else jd_utc
    if n:
        sgp4_one_into(satrec, times, errors, r_teme, v_teme)
    cos_g, sin_g = rotation
    x, y = r_teme[:, 0], r_teme[:, 1]
    vx, vy = v_teme[:, 0], v_teme[:, 1]
    xe, ye, vxe, vye = r_out[0], r_out[1], v_out[0], v_out[1]
    work = np.empty(n)
    # xe = cos g x + sin g y; ye = -sin g x + cos g y (-(sin g x): the bits of (-sin g) x)
    np.multiply(cos_g, x, out=xe)
    xe += np.multiply(sin_g, y, out=work)
    np.multiply(sin_g, x, out=ye)
    np.negative(ye, out=ye)
    ye += np.multiply(cos_g, y, out=work)
    r_out[2] = r_teme[:, 2]
    # vxe = cos g vx + sin g vy + w ye; vye = -sin g vx + cos g vy - w xe
    np.multiply(cos_g, vx, out=vxe)
    vxe += np.multiply(sin_g, vy, out=work)
    vxe += np.multiply(EARTH_ROTATION_RAD_S, ye, out=work)
    np.multiply(sin_g, vx, out=vye)
    np.negative(vye, out=vye)
    vye += np.multiply(cos_g, vy, out=work)
    vye -= np.multiply(EARTH_ROTATION_RAD_S, xe, out=work)
    v_out[2] = v_teme[:, 2]
    ok: NDArray[np.bool_] = errors == 0
    return ok


def propagate_positions(
    satrecs: Sequence[Satrec],
    satellite_index: NDArray[np.intp],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    rotation: tuple[NDArray[np.float64], NDArray[np.float64]],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """`propagate_pairs`' positions r (n, 3) km and ok (n,), bit for bit, without velocities.

    `rotation` is (cos, sin) of `timebase.gmst_rad(seconds)`: a caller that rotates the Sun
    at the same instants (the shadow clearance) computes them once for both
    (`passpredict.engine.sun.SunTrack.ecef_rotated_km`), and the velocities' rotation, which
    the clearance never reads, is skipped.
    """
    satellite_index = np.asarray(satellite_index, dtype=np.intp)
    seconds = np.asarray(seconds, dtype=float)
    if len(satrecs) == 1 or _in_order(satellite_index):
        r_teme, _, ok = _teme_grouped(satrecs, satellite_index, timebase, seconds)
    else:
        order = np.argsort(satellite_index, kind="stable")
        r_teme, _, ok = _teme_grouped(satrecs, satellite_index[order], timebase, seconds[order])
        inverse = np.empty_like(order)
        inverse[order] = np.arange(order.size)
        r_teme, ok = r_teme[inverse], ok[inverse]
    cos_g, sin_g = rotation
    return earth_fixed_km(r_teme[:, 0], r_teme[:, 1], r_teme[:, 2], cos_g, sin_g), ok


def earth_fixed_km(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    z: NDArray[np.float64],
    cos_g: NDArray[np.float64],
    sin_g: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Rotate TEME positions (coordinates x, y, z, km) by the sidereal angle g: (n, 3) km.

    `teme_to_ecef`'s positions, bit for bit: cos g x + sin g y, -sin g x + cos g y and z,
    the same operations in the same order, written into the columns.
    """
    r_ecef_km = np.empty((x.size, 3))
    first, second = r_ecef_km[:, 0], r_ecef_km[:, 1]
    np.multiply(cos_g, x, out=first)
    first += sin_g * y
    np.multiply(sin_g, x, out=second)
    np.negative(second, out=second)  # -(sin g x): the bits of (-sin g) x
    second += cos_g * y
    r_ecef_km[:, 2] = z
    return r_ecef_km


def _teme_grouped(
    satrecs: Sequence[Satrec],
    satellite_index: NDArray[np.intp],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """SGP4 for points grouped by satellite: TEME r (n, 3) km, v (n, 3) km/s and ok (n,)."""
    n = seconds.size
    whole, fraction = timebase.jd_utc(seconds)
    errors = np.empty(n, dtype=np.uint8)
    r_teme = np.empty((n, 3))
    v_teme = np.empty((n, 3))
    if n and len(satrecs) == 1:  # (a pair's search: no runs to find)
        sgp4_one_into(satrecs[0], (whole, fraction), errors, r_teme, v_teme)
    elif n:
        cuts = np.flatnonzero(satellite_index[1:] != satellite_index[:-1]) + 1
        bounds = np.concatenate(([0], cuts, [n]))
        # (map of __getitem__: 1.5x the list comprehension's speed on 10,000 satellites)
        owners = list(map(satrecs.__getitem__, satellite_index[bounds[:-1]].tolist()))
        _sgp4_runs(owners, bounds, (whole, fraction), errors, r_teme, v_teme)
    return r_teme, v_teme, errors == 0


def sgp4_one_into(
    satrec: Satrec,
    times: tuple[NDArray[np.float64], NDArray[np.float64]],
    errors: NDArray[np.uint8],
    r: NDArray[np.float64],
    v: NDArray[np.float64],
) -> None:
    """Run SGP4 for one satellite at all `times` (Julian date, whole and fraction), writing
    into the outputs (contiguous: errors (n,), r and v (n, 3)); see `_sgp4_groups`.

    One compiled call on the whole buffers: on a pair's search (a few dozen to a few hundred
    points) the set-up of `_sgp4_groups` (bounds, their lists, slices) was a fifth of it."""
    whole = np.ascontiguousarray(times[0], dtype=np.float64)
    fraction = np.ascontiguousarray(times[1], dtype=np.float64)
    fill = getattr(satrec, "_sgp4", None)
    if fill is None:  # pragma: no cover - no extension
        n = errors.size
        _sgp4_groups([satrec], np.zeros(1, np.intp), np.full(1, n, np.intp), times, errors, r, v)
        return
    fill(whole.data, fraction.data, errors.data, r.reshape(-1).data, v.reshape(-1).data)


def _sgp4_runs(
    owners: Sequence[Satrec],
    bounds: NDArray[np.intp],
    times: tuple[NDArray[np.float64], NDArray[np.float64]],
    errors: NDArray[np.uint8],
    r: NDArray[np.float64],
    v: NDArray[np.float64],
) -> None:
    """`_sgp4_groups` for runs of points that follow each other: `owners[k]` on the points
    bounds[k]:bounds[k + 1]. Each boundary is made a Python number once (two lists instead
    of four), which on the root finders' one or two points per satellite is a few per cent
    of the loop."""
    whole, fraction = (np.ascontiguousarray(x, dtype=np.float64) for x in times)
    if owners and getattr(owners[0], "_sgp4", None) is None:  # pragma: no cover - no extension
        _sgp4_groups(owners, bounds[:-1], bounds[1:], (whole, fraction), errors, r, v)
        return
    jd, fr, err = whole.data, fraction.data, errors.data
    rv, vv = r.reshape(-1).data, v.reshape(-1).data
    at, at3 = bounds.tolist(), (3 * bounds).tolist()
    ends, ends3 = islice(at, 1, None), islice(at3, 1, None)
    for satrec, b, e, b3, e3 in zip(owners, at, ends, at3, ends3, strict=False):
        satrec._sgp4(jd[b:e], fr[b:e], err[b:e], rv[b3:e3], vv[b3:e3])


def _sgp4_groups(
    owners: Sequence[Satrec],
    starts: NDArray[np.intp],
    ends: NDArray[np.intp],
    times: tuple[NDArray[np.float64], NDArray[np.float64]],
    errors: NDArray[np.uint8],
    r: NDArray[np.float64],
    v: NDArray[np.float64],
) -> None:
    """Run SGP4 for `owners[k]` on the points starts[k]:ends[k], writing into the outputs.

    The compiled `Satrec` fills caller-owned buffers directly (`_sgp4`, what `sgp4_array`
    itself calls), which saves three allocations per call; the slices it fills are
    memoryview slices, about a third the cost of numpy views, and on the root finders' one
    or two points per satellite that per-call cost is most of the time (issue 11: the
    catalogue's visibility makes ~108,000 such calls). The pure-Python fallback of `sgp4`
    goes through `sgp4_array`.
    """
    whole, fraction = (np.ascontiguousarray(x, dtype=np.float64) for x in times)
    if owners and getattr(owners[0], "_sgp4", None) is None:  # pragma: no cover - no extension
        for satrec, begin, end in zip(owners, starts.tolist(), ends.tolist(), strict=True):
            span = slice(begin, end)
            errors[span], r[span], v[span] = satrec.sgp4_array(whole[span], fraction[span])
        return
    # typed, contiguous memoryviews: a slice is a buffer of exactly those points
    jd, fr, err = whole.data, fraction.data, errors.data
    rv, vv = r.reshape(-1).data, v.reshape(-1).data
    bounds = zip(
        owners,
        starts.tolist(),
        ends.tolist(),
        (3 * starts).tolist(),
        (3 * ends).tolist(),
        strict=True,
    )
    for satrec, b, e, b3, e3 in bounds:
        satrec._sgp4(jd[b:e], fr[b:e], err[b:e], rv[b3:e3], vv[b3:e3])
