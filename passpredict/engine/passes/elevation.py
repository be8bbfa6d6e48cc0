"""The elevation of satellites over observers, with its time derivatives, from SGP4's states.

Every step of the pass search needs sin(elevation) and its rates: the scan on its grid
(`grid_sin_elevation`), the first guesses on an interpolated track, and the refinement at
single points, where `Track` runs SGP4 and gives sin(elevation), its rate and the rate's
derivative. Derivatives are analytic (`sin_elevation_series`), from the Earth-fixed position,
velocity and an acceleration model (`acceleration`).

Vectors are component first, shape (3, ...): each component is one contiguous array, and
`dot` sums over that axis the same way whatever the batch, so chunked and whole runs agree
bit for bit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec

from passpredict.engine.frames import EARTH_ROTATION_RAD_S
from passpredict.engine.orbits import EARTH_EQUATORIAL_RADIUS_KM, MU_KM3_S2
from passpredict.engine.propagate import (
    propagate_one_components,
    propagate_pairs,
)
from passpredict.engine.time_axis import TimeBase

#: SGP4's J2 (WGS72).
J2 = 0.001082616
#: Below this eccentricity (and below `passpredict.engine.orbits.DEEP_SPACE_PERIOD_MIN`) an
#: orbit is near-circular: SGP4's own velocities are used, and the scan takes its coarse step.
NEAR_CIRCULAR_MAX_ECCENTRICITY = 0.05
#: Half-width (s) of the central difference that gives deep-space velocities.
_VELOCITY_STEP_S = 0.5
#: Value of sin(elevation) given to samples SGP4 could not compute (decayed): below any horizon.
INVALID_SIN_ELEVATION = -2.0
#: The rows of `Track.evaluate`'s values: time (s), sin(elevation), its rate (1/s) and the
#: rate's derivative (1/s^2), then the Earth-fixed position (km) and velocity (km/s).
VALUE_ROWS = ("t", "sin_elevation", "rate", "d_rate", "x", "y", "z", "vx", "vy", "vz")
#: Samples (satellites x observers x times) per block of `grid_sin_elevation`: its five
#: buffers of this many floats then fit in cache.
GRID_BLOCK_ELEMENTS = 16384


class Track:
    """Evaluates SGP4 and the elevation terms at arbitrary (satellite, observer, time) points.

    Vectors inside the refinement are stored component first, shape (3, n): each component is
    then one contiguous array, which numpy works through several times faster than (n, 3).
    `obs_ecef` and `up` are (3, n_obs).
    """

    def __init__(
        self,
        satrecs: list[Satrec],
        obs_ecef: NDArray[np.float64],
        up: NDArray[np.float64],
        timebase: TimeBase,
    ) -> None:
        self.satrecs = satrecs
        self.obs_ecef = obs_ecef
        self.up = up
        self.timebase = timebase
        self.differentiate = differentiated(satrecs)
        self._any_differentiated = bool(np.count_nonzero(self.differentiate))

    def evaluate(
        self, sat: NDArray[np.intp], obs: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Return SGP4's values at the points as one block (10, n), rows `VALUE_ROWS`: the
        time, sin(elevation), its rate and the rate's derivative, then r and v (3 rows each).

        One block, so that the refinement keeps, slices and gathers a sweep's values in one
        call each, not one per quantity.
        """
        n = seconds.size
        values = np.empty((len(VALUE_ROWS), n))
        values[0] = seconds
        r = values[4:7]
        line_of_sight = np.empty((3, 3, n))  # rho and its first two derivatives
        v = line_of_sight[1]
        if len(self.satrecs) == 1:  # one satellite: straight into the rows (no transposes)
            gmst = self.timebase.gmst_rad(seconds)
            rotation = (np.cos(gmst), np.sin(gmst))
            ok = propagate_one_components(self.satrecs[0], self.timebase, seconds, rotation, r, v)
            if self._any_differentiated:  # (the one satellite's: every point)
                v[:] = velocity_from_positions(self.satrecs, sat, self.timebase, seconds).T
        else:
            r_rows, v_rows, ok = propagate_pairs(self.satrecs, sat, self.timebase, seconds)
            if self._any_differentiated:
                rows = np.flatnonzero(self.differentiate[sat])
                if rows.size:
                    v_rows[rows] = velocity_from_positions(
                        self.satrecs, sat[rows], self.timebase, seconds[rows]
                    )
            r[:], v[:] = r_rows.T, v_rows.T
        values[7:10] = v
        alone = self.obs_ecef.shape[1] == 1  # one observer: broadcast it, without gathers
        np.subtract(r, self.obs_ecef if alone else self.obs_ecef[:, obs], out=line_of_sight[0])
        acceleration(r, v, out=line_of_sight[2])
        up = self.up if alone else self.up[:, obs]
        sin_elevation_series(line_of_sight, up, out=values[1:4])
        if np.count_nonzero(ok) != ok.size:  # (counted: `.all()` is 3x slower)
            failed = ~ok
            values[1, failed] = INVALID_SIN_ELEVATION
            values[2:4, failed] = 0.0
        return values


def differentiated(satrecs: list[Satrec]) -> NDArray[np.bool_]:
    """Tell which satellites get their velocities from differentiated positions.

    SGP4's velocities are not quite the derivative of its positions: by 1 cm/s at most in
    near-circular LEO, but by 0.1 to 2 m/s for deep-space (SDP4) and eccentric orbits. Seen
    from the ground such satellites may move by only a few m/s, and the root of the
    elevation rate computed from SGP4's velocities put their slow culminations seconds away
    from the real maximum (a Beidou IGSO 3.4 s, PODSAT 0.7 s, over Baku on 2026-05-08).
    """
    return np.array(
        [
            satrec.method == "d" or satrec.ecco >= NEAR_CIRCULAR_MAX_ECCENTRICITY
            for satrec in satrecs
        ],
        dtype=bool,
    )


def velocity_from_positions(
    satrecs: list[Satrec],
    sat: NDArray[np.intp],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return Earth-fixed velocities (n, 3) as the central difference of positions 0.5 s
    either side (error under 1 mm/s)."""
    both = np.concatenate([seconds + _VELOCITY_STEP_S, seconds - _VELOCITY_STEP_S])
    r, _, _ = propagate_pairs(satrecs, np.concatenate([sat, sat]), timebase, both)
    return (r[: sat.size] - r[sat.size :]) / (2.0 * _VELOCITY_STEP_S)


def dot(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the dot products of component-first vectors (3, ...).

    A product summed over the component axis, not einsum or matmul: every element is then
    computed the same way whatever the shape of the batch it sits in, so chunked and whole
    runs agree bit for bit.
    """
    total: NDArray[np.float64] = np.add.reduce(x * y, axis=0)  # `.sum(axis=0)`, called directly
    return total


def cross(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.array(
        [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]]
    )


def acceleration(
    r: NDArray[np.float64], v: NDArray[np.float64], out: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """Return the Earth-fixed acceleration (km/s^2) of a satellite at r (km) moving at v (km/s).

    Vectors are component first: r, v and the result have shape (3, ...); `out`, if given,
    receives it (the same values, without a copy).

    Gravity with J2 (WGS72, as SGP4), plus the Coriolis and centrifugal terms of the rotating
    frame. It is not SGP4's own model, only close to it (within about 1e-6 of gravity), which
    is all that Newton's derivative and the interpolation between grid samples need.
    """
    r2 = dot(r, r)
    inv_r3 = 1.0 / (r2 * np.sqrt(r2))
    z2 = r[2] * r[2] / r2
    j2 = 1.5 * J2 * EARTH_EQUATORIAL_RADIUS_KM**2 / r2
    radial = -MU_KM3_S2 * inv_r3 * (1.0 + j2 * (1.0 - 5.0 * z2))
    a: NDArray[np.float64] = np.multiply(radial, r, out=out)
    a[2] -= MU_KM3_S2 * inv_r3 * 2.0 * j2 * r[2]
    omega = EARTH_ROTATION_RAD_S
    a[0] += 2.0 * omega * v[1] + omega * omega * r[0]
    a[1] += -2.0 * omega * v[0] + omega * omega * r[1]
    return a


def sin_elevation_series(
    line_of_sight: NDArray[np.float64],
    up: NDArray[np.float64],
    out: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], ...]:
    """Return sin(elevation) s and its first k time derivatives (k = 1 to 3).

    `out` (k + 1, ...), if given, receives them (its rows are returned): the same values,
    without the copies.

    `line_of_sight` (k + 1, 3, ...) holds the line of sight rho and its first k derivatives,
    `up` (3, ...) the local vertical. With B = rho.u and g = |rho|^-1 = m^-1/2 (m =
    rho.rho), s = B g, and Leibniz's rule gives the derivatives from those of B (rho^(k).u)
    and of g (chain rule on m).

    The dot products are taken three at a time (every rho^(k).u, every rho.rho^(k)): one
    product and one sum over the component axis each, which gives every one of them exactly
    what `dot` gives it alone, in a third of the numpy calls (issue 11).
    """
    order = line_of_sight.shape[0] - 1
    rho = line_of_sight[0]
    along_up = np.add.reduce(line_of_sight * up, axis=1)  # rho^(k).u
    with_rho = np.add.reduce(line_of_sight * rho, axis=1)  # rho.rho^(k)
    b0, b1 = along_up[0], along_up[1]
    m = with_rho[0]
    m1 = 2.0 * with_rho[1]
    g0 = 1.0 / np.sqrt(m)
    g3_over = g0 / m  # m^-3/2
    g1 = -0.5 * g3_over * m1
    rows = [None] * (order + 1) if out is None else list(out)
    s = np.multiply(b0, g0, out=rows[0])
    s1 = np.add(b1 * g0, b0 * g1, out=rows[1])
    if order == 1:
        return s, s1
    d1 = line_of_sight[1]
    with_d1 = np.add.reduce(line_of_sight[1:3] * d1, axis=1)  # d1.d1, d1.d2
    b2 = along_up[2]
    m2 = 2.0 * (with_d1[0] + with_rho[2])
    g5_over = g3_over / m  # m^-5/2
    g2 = 0.75 * g5_over * m1 * m1 - 0.5 * g3_over * m2
    s2 = np.add(b2 * g0 + 2.0 * b1 * g1, b0 * g2, out=rows[2])
    if order == 2:
        return s, s1, s2
    m3 = 2.0 * (3.0 * with_d1[1] + with_rho[3])
    g3 = -1.875 * (g5_over / m) * m1 * m1 * m1 + 2.25 * g5_over * m1 * m2 - 0.5 * g3_over * m3
    s3 = np.add(along_up[3] * g0 + 3.0 * b2 * g1 + 3.0 * b1 * g2, b0 * g3, out=rows[3])
    return s, s1, s2, s3


def grid_sin_elevation(
    r: NDArray[np.float64],
    v: NDArray[np.float64],
    obs_ecef: NDArray[np.float64],
    up: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return sin(elevation) and its rate on the grid, shape (n_sat, n_obs, n_t).

    `r`, `v` are (3, n_sat, n_t), `obs_ecef` and `up` (3, n_obs). Written out by components:
    on the grid this is the largest array work of the search. It runs over blocks of
    satellites of about `GRID_BLOCK_ELEMENTS` samples, in place in buffers made once, so
    that its temporaries stay in cache (100 LEO x 100 places made 3.7 MB ones); every
    element sees the same operations in the same order, so the same bits whatever the block.
    """
    n_sat, n_t = r.shape[1], r.shape[2]
    n_obs = obs_ecef.shape[1]
    sin_el, rate = np.empty((n_sat, n_obs, n_t)), np.empty((n_sat, n_obs, n_t))
    rows = max(1, min(n_sat, GRID_BLOCK_ELEMENTS // max(1, n_obs * n_t)))
    ox, oy, oz = obs_ecef[:, None, :, None]  # each (1, n_obs, 1)
    ux, uy, uz = up[:, None, :, None]
    buffers = np.empty((5, rows, n_obs, n_t))
    for j0 in range(0, n_sat, rows):
        j1 = min(j0 + rows, n_sat)
        dx, dy, dz, inv_n, work = buffers[:, : j1 - j0]
        rx, ry, rz = r[:, j0:j1, None, :]  # each (rows, 1, n_t): views, unpacked
        vx, vy, vz = v[:, j0:j1, None, :]
        np.subtract(rx, ox, out=dx)
        np.subtract(ry, oy, out=dy)
        np.subtract(rz, oz, out=dz)
        # inv_n = 1 / sqrt(dx * dx + dy * dy + dz * dz)
        np.multiply(dx, dx, out=inv_n)
        inv_n += np.multiply(dy, dy, out=work)
        inv_n += np.multiply(dz, dz, out=work)
        np.sqrt(inv_n, out=inv_n)
        np.divide(1.0, inv_n, out=inv_n)
        # sin_el = (dx * ux + dy * uy + dz * uz) * inv_n
        s = sin_el[j0:j1]
        np.multiply(dx, ux, out=s)
        s += np.multiply(dy, uy, out=work)
        s += np.multiply(dz, uz, out=work)
        s *= inv_n
        # rate = ((vx * ux + vy * uy + vz * uz) - sin_el * (dx * vx + dy * vy + dz * vz) * inv_n)
        #        * inv_n; dx is free once dx * vx is taken, so it holds the line-of-sight rate
        q = rate[j0:j1]
        np.multiply(vx, ux, out=q)
        q += np.multiply(vy, uy, out=work)
        q += np.multiply(vz, uz, out=work)
        dx *= vx
        dx += np.multiply(dy, vy, out=work)
        dx += np.multiply(dz, vz, out=work)
        np.multiply(s, dx, out=dx)
        dx *= inv_n
        q -= dx
        q *= inv_n
    return sin_el, rate
