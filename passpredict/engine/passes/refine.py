"""The pass search: coarse vectorised scan, then safeguarded Newton root finding.

For every satellite and observer at once:

1. Scan. SGP4 on a grid shared by every observer. Elevation follows the central angle between
   the satellite and the observer, which has one minimum and one maximum per revolution, half
   a period apart; so for near-circular orbits below 225 min the step is 1/6 of the period
   (a factor of 3 to spare), and 1/20 (at most 10 min) for every other orbit. For those
   near-circular orbits, grid samples where the orbit plane is provably too far from every
   observer are skipped (`_plane_screen`): for one observer, two thirds of the grid. At each
   sample we have sin(elevation) and its analytic time derivative.
2. Bracket extrema. A sign change of the elevation rate between two samples brackets one
   maximum (or minimum). A maximum is refined only if it could reach the threshold by two
   central-angle bounds (`_may_reach`) that keep the few-second grazing passes a plain scan
   would miss and drop far-side maxima; a minimum between two samples above the threshold
   only if it could dip below it (`_reach_bound`).
3. Refine maxima (root of the elevation rate) and threshold crossings (root of
   sin(elevation) - sin(threshold)) to 1 ms by safeguarded Newton (`passpredict.engine.rootfind`):
   both derivatives are analytic, and the first guess is found on a quintic Hermite
   interpolation of the track between samples (at most a few hundred metres from SGP4's),
   so most roots take one SGP4 evaluation, made for every bracket at once. Rise and set are
   the threshold crossings themselves, not a filter applied afterwards. Newton's last step
   is not evaluated, so where the last SGP4 value of an extremum could lie on the other side
   of the threshold from the extremum itself, SGP4 is evaluated at the extremum too; the
   crossings either side of it are bracketed by that value.
4. Assemble passes from the sorted crossings; the window ends act as brackets, so a pass in
   progress at the start has no rise and one in progress at the end has no set, and its
   culmination is the highest point inside the window.

What is promised: every pass that lasts 0.5 s or more from rise to set is found, whatever
the window's start (which sets the grid's phase), with rise, culmination and set within 2 ms
of the brute-force oracle (tests/test_passes_oracle.py slides the window start across a whole
grid step over grazes of 0.5 s and 0.1 s). Shorter grazes are usually found too (all 432
grazes of 10 ms in a trial over the oracle's satellites and observers at random window
starts), but not promised: within the 1 ms root tolerance of a maximum, a graze can no longer
be told from a near miss.

Nothing here depends on which other satellites or observers share a call: a satellite's grid
depends only on its own period, a skipped sample is one no observer could need, and every
computation is elementwise, so a chunked run gives the same numbers bit for bit
(`passpredict.runs.batch`).

Geometry conventions (see `passpredict.engine.frames`): SGP4 with WGS72 constants, Earth rotation by
GMST 1982 at UT1, observers on WGS84, geometric elevation (no refraction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec, SatrecArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import (
    EARTH_ROTATION_RAD_S,
    look_angles,
    observer_ecef_km,
    observer_enu_basis,
)
from passpredict.engine.orbits import (
    DEEP_SPACE_PERIOD_MIN,
    EARTH_EQUATORIAL_RADIUS_KM,
    MU_KM3_S2,
    OrbitClass,
    can_ever_rise,
    classify,
    max_speed_km_s,
    semi_major_axis_km,
)
from passpredict.engine.propagate import propagate_grid, propagate_grouped, propagate_pairs
from passpredict.engine.rootfind import NewtonBrackets
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer, Pass, PassPoint
from tle_cache.elements import ElementSet

#: Root-finding tolerance on times (s).
TIME_TOLERANCE_S = 1e-3
#: Coarse step as a fraction of the orbital period, and its bounds (s).
STEP_FRACTION_OF_PERIOD = 1.0 / 20.0
MIN_STEP_S = 10.0
MAX_STEP_S = 600.0
#: The coarser step of near-circular orbits below `DEEP_SPACE_PERIOD_MIN` (see step 1 above).
NEAR_CIRCULAR_STEP_FRACTION = 1.0 / 6.0
NEAR_CIRCULAR_MAX_ECCENTRICITY = 0.05
#: Interpolated points per grid interval for the root finder's first guesses.
HERMITE_SUBSTEPS = 16
_SUBSTEP_FRACTIONS = np.linspace(0.0, 1.0, HERMITE_SUBSTEPS + 1)
#: Newton iterations on the interpolated track before SGP4 takes over (the extrema start from
#: a parabola's vertex, the crossings from a straight line), and SGP4 sweeps at most.
_EXTREMUM_POLISH = 2
_CROSSING_POLISH = 3
_MAX_SWEEPS = 100
#: The orbit-plane screen (`_plane_screen`): how often the plane is sampled, the margin for
#: its short-period wobble, and above which share of needed samples the whole grid is run.
_PLANE_STEP_S = 6 * 3600.0
_PLANE_MARGIN_DEG = 1.0
_FULL_GRID_SHARE = 0.6
_SCREEN_MAX_OBSERVERS = 3
#: Satellites lower than this (km above the equatorial radius) at a plane sample are not
#: screened: they are decaying, and SGP4 stops meaning anything before it says so.
_LOWEST_SCREENED_KM = 120.0
#: d(GMST)/dt (rad/s): the Earth's rotation relative to the mean equinox.
_SIDEREAL_RATE_RAD_S = 7.292115855306589e-5
#: Half-width (s) of the central difference that gives deep-space velocities.
_VELOCITY_STEP_S = 0.5
#: SGP4's J2 (WGS72).
J2 = 0.001082616
#: Margin (deg) for the geodetic vs geocentric vertical in the central-angle bound.
_VERTICAL_MARGIN_DEG = 0.25
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
    """Return the scan step for a satellite, quantised (rounded down) and bounded.

    1/6 of the period for near-circular orbits below 225 minutes, else 1/20 and at most
    `MAX_STEP_S`.
    """
    period_s = elements.period_min * 60.0
    if _near_circular(elements):
        step = np.floor(period_s * NEAR_CIRCULAR_STEP_FRACTION / STEP_QUANTUM_S) * STEP_QUANTUM_S
        return float(max(step, MIN_STEP_S))
    step = np.floor(period_s * STEP_FRACTION_OF_PERIOD / STEP_QUANTUM_S) * STEP_QUANTUM_S
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
    Geostationary satellites are skipped (`passpredict.products.predict` gives them look records,
    and
    passes where they wobble across the threshold: `passpredict.products.geo.look`), and so are
    pairs
    where the satellite can never reach `min_elevation_deg`.
    """
    if timescale is None:
        from passpredict.engine.ephemeris import load_timescale

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
    return sort_table(concatenate_tables(parts))


class _Track:
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
        self.differentiate = _differentiated(satrecs)

    def evaluate(
        self, sat: NDArray[np.intp], obs: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], ...]:
        """Return r, v (3, n), sin(elevation), its rate and the rate's derivative (n,)."""
        r, v, ok = propagate_pairs(self.satrecs, sat, self.timebase, seconds)
        rows = np.flatnonzero(self.differentiate[sat])
        if rows.size:
            v[rows] = _velocity_from_positions(
                self.satrecs, sat[rows], self.timebase, seconds[rows]
            )
        r, v = np.ascontiguousarray(r.T), np.ascontiguousarray(v.T)
        sin_el, rate, d_rate = _sin_elevation_series(
            r - self.obs_ecef[:, obs], v, _acceleration(r, v), None, self.up[:, obs]
        )
        sin_el[~ok] = _INVALID_SIN_ELEVATION
        rate[~ok] = 0.0
        d_rate[~ok] = 0.0
        return r, v, sin_el, rate, d_rate


def _differentiated(satrecs: list[Satrec]) -> NDArray[np.bool_]:
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


def _velocity_from_positions(
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


def _dot(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    # A product summed over the component axis, not einsum or matmul: every element is then
    # computed the same way whatever the shape of the batch it sits in, so chunked and whole
    # runs agree bit for bit.
    return (x * y).sum(axis=0)


def _cross(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.stack(
        [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]]
    )


def _acceleration(r: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the Earth-fixed acceleration (km/s^2) of a satellite at r (km) moving at v (km/s).

    Vectors are component first: r, v and the result have shape (3, ...).

    Gravity with J2 (WGS72, as SGP4), plus the Coriolis and centrifugal terms of the rotating
    frame. It is not SGP4's own model, only close to it (within about 1e-6 of gravity), which
    is all that Newton's derivative and the interpolation between grid samples need.
    """
    r2 = _dot(r, r)
    inv_r3 = 1.0 / (r2 * np.sqrt(r2))
    z2 = r[2] * r[2] / r2
    j2 = 1.5 * J2 * EARTH_EQUATORIAL_RADIUS_KM**2 / r2
    radial = -MU_KM3_S2 * inv_r3 * (1.0 + j2 * (1.0 - 5.0 * z2))
    a = radial * r
    a[2] -= MU_KM3_S2 * inv_r3 * 2.0 * j2 * r[2]
    omega = EARTH_ROTATION_RAD_S
    a[0] += 2.0 * omega * v[1] + omega * omega * r[0]
    a[1] += -2.0 * omega * v[0] + omega * omega * r[1]
    return a


def _sin_elevation_series(
    rho: NDArray[np.float64],
    d1: NDArray[np.float64],
    d2: NDArray[np.float64] | None,
    d3: NDArray[np.float64] | None,
    up: NDArray[np.float64],
) -> tuple[NDArray[np.float64], ...]:
    """Return sin(elevation) s and its time derivatives, as far as the given ones reach.

    `rho` is the line of sight (3, ...), `d1`..`d3` its derivatives (None: not wanted), `up`
    the local vertical. With B = rho.u and g = |rho|^-1 = m^-1/2 (m = rho.rho), s = B g, and
    Leibniz's rule gives the derivatives from those of B (rho^(k).u) and of g (chain rule on
    m). Returns s and one derivative more than the highest of `d1`..`d3` given.
    """
    b0, b1 = _dot(rho, up), _dot(d1, up)
    m = _dot(rho, rho)
    m1 = 2.0 * _dot(rho, d1)
    g0 = 1.0 / np.sqrt(m)
    g3_over = g0 / m  # m^-3/2
    g1 = -0.5 * g3_over * m1
    s = b0 * g0
    s1 = b1 * g0 + b0 * g1
    if d2 is None:
        return s, s1
    b2 = _dot(d2, up)
    m2 = 2.0 * (_dot(d1, d1) + _dot(rho, d2))
    g5_over = g3_over / m  # m^-5/2
    g2 = 0.75 * g5_over * m1 * m1 - 0.5 * g3_over * m2
    s2 = b2 * g0 + 2.0 * b1 * g1 + b0 * g2
    if d3 is None:
        return s, s1, s2
    m3 = 2.0 * (3.0 * _dot(d1, d2) + _dot(rho, d3))
    g3 = -1.875 * (g5_over / m) * m1 * m1 * m1 + 2.25 * g5_over * m1 * m2 - 0.5 * g3_over * m3
    s3 = _dot(d3, up) * g0 + 3.0 * b2 * g1 + 3.0 * b1 * g2 + b0 * g3
    return s, s1, s2, s3


class _Quintic:
    """The track between two grid samples as the quintic Hermite interpolant of r, v and a.

    Matching position, velocity and acceleration at both ends, its error grows as step^6: a
    few hundred metres over 1/6 of a LEO period (tens of milliseconds of pass time). That
    makes it an excellent first guess for the root finder, but only a guess: every reported
    time is a root of SGP4's own elevation, and every bracket is made of SGP4 values.
    """

    def __init__(self, coefficients: NDArray[np.float64], length_s: NDArray[np.float64]) -> None:
        self.c = coefficients  # power basis in tau = (t - t_start) / length, shape (6, 3, n)
        self.length_s = length_s  # (n,)

    @classmethod
    def between(
        cls, start: tuple[NDArray, NDArray], end: tuple[NDArray, NDArray], length_s: NDArray
    ) -> _Quintic:
        """Interpolate between Earth-fixed states (r, v), each (3, n), at both interval ends."""
        h = length_s
        (r0, v0), (r1, v1) = start, end
        a0 = _acceleration(r0, v0) * (h * h)
        a1 = _acceleration(r1, v1) * (h * h)
        v0, v1 = v0 * h, v1 * h
        d = r1 - r0
        c = np.stack(
            [
                r0,
                v0,
                0.5 * a0,
                10.0 * d - 6.0 * v0 - 4.0 * v1 - 1.5 * a0 + 0.5 * a1,
                -15.0 * d + 8.0 * v0 + 7.0 * v1 + 1.5 * a0 - a1,
                6.0 * d - 3.0 * (v0 + v1) - 0.5 * (a0 - a1),
            ]
        )
        return cls(c, length_s)

    def take(self, *index: NDArray[np.intp]) -> _Quintic:
        """Return the interpolants of the given intervals (indices concatenated)."""
        index = np.concatenate(index)
        return _Quintic(self.c[:, :, index], self.length_s[index])

    def join(self, other: _Quintic) -> _Quintic:
        return _Quintic(
            np.concatenate([self.c, other.c], axis=2),
            np.concatenate([self.length_s, other.length_s]),
        )

    def on_grid(self, tau: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return positions (3, m, n) at the same fractions `tau` (m,) of every interval."""
        t = tau[:, None]
        c = self.c[:, :, None, :]
        return ((((c[5] * t + c[4]) * t + c[3]) * t + c[2]) * t + c[1]) * t + c[0]

    def derivatives(self, tau: NDArray[np.float64], order: int) -> list[NDArray[np.float64]]:
        """Return position and its time derivatives up to `order` (1 to 3) at `tau` (n,)."""
        t = tau
        out = []
        for k in range(order + 1):
            c = self._derivative_coefficients(k)
            value = c[-1]
            for coefficient in c[-2::-1]:
                value = value * t + coefficient
            out.append(value)
        return out

    def _derivative_coefficients(self, k: int) -> list[NDArray[np.float64]]:
        """Power-basis coefficients of the k-th time derivative (cached: polish reuses them)."""
        cache = self.__dict__.setdefault("_cache", {})
        if k not in cache:
            c = list(self.c)
            for _ in range(k):
                c = [(j + 1) * c[j + 1] / self.length_s for j in range(len(c) - 1)]
            cache[k] = c
        return cache[k]


def _interpolated_series(
    quintic: _Quintic,
    tau: NDArray[np.float64],
    obs_ecef: NDArray[np.float64],
    up: NDArray[np.float64],
    order: int,
) -> tuple[NDArray[np.float64], ...]:
    """Return sin(elevation) on the interpolated track at `tau` (n,), derivatives to `order`."""
    p = quintic.derivatives(tau, order)
    d = [*p[1:], None, None]
    return _sin_elevation_series(p[0] - obs_ecef, d[0], d[1], d[2], up)


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
    for _ in range(iterations):
        if target is None:
            _, g, dg = _interpolated_series(quintic, tau, obs_ecef, up, 2)
        else:
            s, dg = _interpolated_series(quintic, tau, obs_ecef, up, 1)
            g = s - target
        same_as_low = np.signbit(g) == negative_at_low
        low = np.where(same_as_low, tau, low)
        high = np.where(same_as_low, high, tau)
        with np.errstate(divide="ignore", invalid="ignore"):
            new = tau - g / (dg * quintic.length_s)
        inside = (new >= low) & (new <= high)
        tau = np.where(inside, new, 0.5 * (low + high))
    return tau


def _grid_sin_elevation(
    r: NDArray[np.float64],
    v: NDArray[np.float64],
    obs_ecef: NDArray[np.float64],
    up: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return sin(elevation) and its rate on the grid, shape (n_sat, n_obs, n_t).

    `r`, `v` are (3, n_sat, n_t), `obs_ecef` and `up` (3, n_obs). Written out by components:
    on the grid this is the largest array work of the search.
    """
    rx, ry, rz = (r[i][:, None, :] for i in range(3))
    vx, vy, vz = (v[i][:, None, :] for i in range(3))
    ox, oy, oz = (obs_ecef[i][None, :, None] for i in range(3))
    ux, uy, uz = (up[i][None, :, None] for i in range(3))
    dx, dy, dz = rx - ox, ry - oy, rz - oz
    inv_n = 1.0 / np.sqrt(dx * dx + dy * dy + dz * dz)
    sin_el = (dx * ux + dy * uy + dz * uz) * inv_n
    rate = ((vx * ux + vy * uy + vz * uz) - sin_el * (dx * vx + dy * vy + dz * vz) * inv_n) * inv_n
    return sin_el, rate


def _plane_screen(
    element_sets: list[ElementSet],
    satrecs: list[Satrec],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    step_s: float,
    obs_ecef: NDArray[np.float64],
    reach_rad: NDArray[np.float64],
    reachable: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Return which grid samples (n_sat, n_t) any observer may need; the rest need no SGP4.

    A satellite always lies in its orbit plane, and an observer whose direction is beta away
    from that plane's great circle sees it at a central angle of at least |beta|. The plane
    turns slowly (nodal regression, under 1.5e-6 rad/s in LEO), so its normal is taken from
    SGP4 every `_PLANE_STEP_S` only, and the Earth turns the observer at most omega_earth *
    step within a step. A sample is needed when, within a step of it, |beta| could come
    within `reach_rad` (the central angle of the threshold) of the observer, allowing for
    those motions plus `_PLANE_MARGIN_DEG` (the short-period wobble of the osculating plane is
    under 0.1 deg). Every interval that holds a moment above the threshold then has both ends
    needed; the others are provably below it and are skipped. For one observer this drops
    about two thirds of a LEO grid.

    Only near-circular orbits below 225 min are screened, and only when SGP4 keeps them
    healthy at every plane sample (above the ground, the plane turning no faster than the
    bound): a decaying object's SGP4 positions can leave any plane before SGP4 reports it.
    """
    n_sat, n_t = len(element_sets), seconds.size
    need = np.ones((n_sat, n_t), dtype=bool)
    if obs_ecef.shape[0] > _SCREEN_MAX_OBSERVERS:
        return need  # with observers all round, nearly every sample is needed by one
    sats = np.flatnonzero([_near_circular(es) for es in element_sets])
    if sats.size == 0:
        return need
    duration_s = float(seconds[-1])
    plane_times = np.append(np.arange(0.0, duration_s, _PLANE_STEP_S), duration_s)
    whole, fraction = timebase.jd_utc(plane_times)
    errors, r, v = SatrecArray([satrecs[i] for i in sats]).sgp4(whole, fraction)
    r, v = np.moveaxis(r, -1, 0), np.moveaxis(v, -1, 0)  # (3, n, n_plane)
    normal = _cross(r, v)
    normal /= np.sqrt(_dot(normal, normal))
    nodal = np.array([_nodal_rate_bound(element_sets[i]) for i in sats])
    turn = np.arccos(np.clip(_dot(normal[:, :, 1:], normal[:, :, :-1]), -1.0, 1.0))
    healthy = (errors == 0).all(axis=1) & (
        np.sqrt(_dot(r, r)).min(axis=1) > EARTH_EQUATORIAL_RADIUS_KM + _LOWEST_SCREENED_KM
    )
    if plane_times.size > 1:
        allowed = nodal[:, None] * np.diff(plane_times)[None, :] + np.radians(_PLANE_MARGIN_DEG)
        healthy &= (turn <= allowed).all(axis=1)
    sats, normal, nodal = sats[healthy], normal[:, healthy], nodal[healthy]
    if sats.size == 0:
        return need
    nearest = np.clip(np.round(seconds / _PLANE_STEP_S).astype(np.intp), 0, plane_times.size - 1)
    n_k = normal[:, :, nearest]  # (3, n, n_t)
    # The observers' directions in TEME: rotated by GMST, which over a window is an affine
    # function of time to far better than the margin.
    theta = timebase.gmst_rad(np.zeros(1))[0] + _SIDEREAL_RATE_RAD_S * seconds
    cos_t, sin_t = np.cos(theta), np.sin(theta)
    o_hat = obs_ecef / np.sqrt((obs_ecef * obs_ecef).sum(axis=-1, keepdims=True))  # (n_obs, 3)
    ox = cos_t * o_hat[:, 0, None] - sin_t * o_hat[:, 1, None]  # (n_obs, n_t)
    oy = sin_t * o_hat[:, 0, None] + cos_t * o_hat[:, 1, None]
    sin_beta = np.abs(
        n_k[0][:, None, :] * ox + n_k[1][:, None, :] * oy + n_k[2][:, None, :] * o_hat[:, 2, None]
    )  # (n, n_obs, n_t)
    slack = (EARTH_ROTATION_RAD_S + 2.0 * nodal) * step_s + nodal * 0.5 * _PLANE_STEP_S
    limit = reach_rad[sats] + (slack + np.radians(_PLANE_MARGIN_DEG))[:, None]  # (n, n_obs)
    sin_limit = np.where(limit < 0.5 * np.pi, np.sin(np.clip(limit, 0.0, None)), 2.0)
    close = (sin_beta <= sin_limit[..., None]) & reachable[sats][..., None]
    need[sats] = close.any(axis=1)
    return need


def _near_circular(elements: ElementSet) -> bool:
    return (
        elements.period_min < DEEP_SPACE_PERIOD_MIN
        and elements.eccentricity < NEAR_CIRCULAR_MAX_ECCENTRICITY
    )


def _nodal_rate_bound(elements: ElementSet) -> float:
    """Bound (rad/s) the turning rate of the orbit plane: J2 nodal regression at cos i = 1."""
    a = semi_major_axis_km(elements)
    p = a * (1.0 - elements.eccentricity**2)
    n_rad_s = elements.mean_motion_rev_per_day * 2.0 * np.pi / 86400.0
    return 1.2 * 1.5 * n_rad_s * J2 * (EARTH_EQUATORIAL_RADIUS_KM / p) ** 2


def _propagate_needed(
    satrecs: list[Satrec],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    need: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Propagate the grid where needed; return r, v (3, n_sat, n_t), component first, and ok.

    Elsewhere r = v = 0 and ok = False. With most samples needed, the whole grid in one SGP4
    call is cheaper. Either way a needed sample gets the same numbers (the same SGP4 and
    frame code on the same time).
    """
    if np.count_nonzero(need) > _FULL_GRID_SHARE * need.size:
        r_rows, v_rows, ok = propagate_grid(satrecs, timebase, seconds)
        r = np.ascontiguousarray(np.moveaxis(r_rows, -1, 0))
        v = np.ascontiguousarray(np.moveaxis(v_rows, -1, 0))
    else:
        r = np.zeros((3, *need.shape))
        v = np.zeros((3, *need.shape))
        ok = np.zeros(need.shape, dtype=bool)
        s, k = np.nonzero(need)  # grouped by satellite
        r_needed, v_needed, ok[s, k] = propagate_grouped(satrecs, s, timebase, seconds[k])
        r[:, s, k], v[:, s, k] = r_needed.T, v_needed.T
    # differentiated velocities where SGP4's own are off (see `_differentiated`)
    sats = np.flatnonzero(_differentiated(satrecs))
    if sats.size:
        s, k = np.nonzero(need[sats])
        s = sats[s]
        v[:, s, k] = _velocity_from_positions(satrecs, s, timebase, seconds[k]).T
    return r, v, ok


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
    obs_ecef = observer_ecef_km(observers)
    enu = observer_enu_basis(observers)
    obs_cm = np.ascontiguousarray(obs_ecef.T)  # (3, n_obs), component first
    up = np.ascontiguousarray(enu[:, 2, :].T)
    track = _Track(satrecs, obs_cm, up, timebase)
    sin_threshold = float(np.sin(np.radians(min_elevation_deg)))

    seconds = np.arange(0.0, duration_s, step_s)
    seconds = np.append(seconds, duration_s)
    # Pairs that can never reach the threshold (inclination vs latitude) are masked out.
    reachable = np.array(
        [
            [can_ever_rise(es, o.latitude_deg, min_elevation_deg) for o in observers]
            for es in element_sets
        ],
        dtype=bool,
    ).reshape(len(element_sets), n_obs)
    reach_rad = _reach_angle(element_sets, obs_ecef, min_elevation_deg)
    need = _plane_screen(
        element_sets, satrecs, timebase, seconds, step_s, obs_ecef, reach_rad, reachable
    )
    r, v, ok = _propagate_needed(satrecs, timebase, seconds, need)  # r, v: (3, n_sat, n_t)
    sin_el, rate = _grid_sin_elevation(r, v, obs_cm, up)  # (n_sat, n_obs, n_t)
    invalid = ~ok[:, None, :]
    if invalid.any():
        sin_el = np.where(invalid, _INVALID_SIN_ELEVATION, sin_el)
        rate = np.where(invalid, 0.0, rate)
    f = sin_el - sin_threshold
    valid_interval = ok[:, None, :-1] & ok[:, None, 1:] & reachable[..., None]

    # --- extrema brackets -------------------------------------------------------------
    rate_left, rate_right = rate[..., :-1], rate[..., 1:]
    ms, mo, mk = np.nonzero((rate_left > 0) & (rate_right <= 0) & valid_interval)
    keep = _may_reach(element_sets, r, obs_cm, ms, mo, mk, step_s, reach_rad)
    ms, mo, mk = ms[keep], mo[keep], mk[keep]
    # A dip below the threshold between two samples above it: refine the minimum too.
    ns, no, nk = np.nonzero(
        (rate_left < 0)
        & (rate_right >= 0)
        & valid_interval
        & (f[..., :-1] >= 0)
        & (f[..., 1:] >= 0)
    )
    keep = _reach_bound(element_sets, sin_el, r, obs_cm, ns, no, nk, step_s, -1.0) < np.radians(
        min_elevation_deg
    )
    ns, no, nk = ns[keep], no[keep], nk[keep]
    s_idx = np.concatenate([ms, ns])
    o_idx = np.concatenate([mo, no])
    k_idx = np.concatenate([mk, nk])
    is_max = np.arange(s_idx.size) < ms.size

    # --- crossing brackets --------------------------------------------------------------
    # Every interval [t_k, t_k+1] is split at its refined extremum, if any; a sign change of
    # f over a piece brackets exactly one crossing.
    has_extremum = np.zeros((*f.shape[:2], f.shape[2] - 1), dtype=bool)
    has_extremum[s_idx, o_idx, k_idx] = True
    left_f, right_f = f[..., :-1], f[..., 1:]
    plain = np.nonzero(
        (np.signbit(left_f) != np.signbit(right_f)) & ~has_extremum & reachable[..., None]
    )
    extremum, crossing = _refine(
        track, sin_threshold, step_s, seconds, (r, v, f, rate), (s_idx, o_idx, k_idx, is_max), plain
    )
    ext_t, ext_last_t, ext_last_sin, ext_last_r, ext_last_v = extremum
    c_sat, c_obs, c_t, c_rising, c_r = crossing

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
    ev_r = np.concatenate([c_r, np.full((start_pairs.size + end_pairs.size, 3), np.nan)])
    ev_virtual = np.concatenate(
        [np.zeros(c_t.size, bool), np.ones(start_pairs.size + end_pairs.size, bool)]
    )
    # at equal times a set sorts before a rise (touching passes stay separate)
    order = np.lexsort((ev_rise, ev_t, ev_pair))
    ev_pair, ev_t, ev_rise, ev_virtual, ev_r = (
        ev_pair[order],
        ev_t[order],
        ev_rise[order],
        ev_virtual[order],
        ev_r[order],
    )
    starts, ends = _pair_events(ev_pair, ev_rise)
    pass_pair = ev_pair[starts]
    rise_s = np.where(ev_virtual[starts], np.nan, ev_t[starts])
    set_s = np.where(ev_virtual[ends], np.nan, ev_t[ends])
    span_start = ev_t[starts]
    span_end = ev_t[ends]

    # culmination: the highest refined maximum inside the span, or a window end
    start_sat, start_obs = np.divmod(start_pairs, n_obs)
    end_sat, end_obs = np.divmod(end_pairs, n_obs)
    cand_pair = np.concatenate([s_idx * n_obs + o_idx, start_pairs, end_pairs])
    cand_t = np.concatenate(
        [ext_t, np.zeros(start_pairs.size), np.full(end_pairs.size, duration_s)]
    )
    cand_sin = np.concatenate(
        [ext_last_sin, sin_el[start_sat, start_obs, 0], sin_el[end_sat, end_obs, -1]]
    )
    cand_r = np.concatenate(
        [ext_last_r + ext_last_v * (ext_t - ext_last_t), r[:, start_sat, 0], r[:, end_sat, -1]],
        axis=1,
    ).T
    best = _highest_in_spans(
        cand_pair, cand_t, cand_sin, pass_pair, span_start, span_end, duration_s
    )
    pass_sat = pass_pair // n_obs
    pass_obs = pass_pair % n_obs
    culmination_s = np.full(pass_pair.size, np.nan)
    culmination_r = np.full((pass_pair.size, 3), np.nan)
    found = best >= 0
    culmination_s[found] = cand_t[best[found]]
    culmination_r[found] = cand_r[best[found]]
    if not found.all():  # cannot happen for a smooth elevation; keep a safe fallback
        missing = ~found
        culmination_s[missing] = 0.5 * (span_start[missing] + span_end[missing])
        culmination_r[missing], _, _ = propagate_pairs(
            satrecs, pass_sat[missing], timebase, culmination_s[missing]
        )

    positions = np.stack([ev_r[starts], culmination_r, ev_r[ends]], axis=1)  # (n, 3, 3)
    az, el, rng = look_angles(
        positions, obs_ecef[pass_obs][:, None, :], enu[pass_obs][:, None, :, :]
    )
    points = np.stack([az, el, rng], axis=-1)
    return PassTable(pass_sat, pass_obs, rise_s, culmination_s, set_s, points)


def _first_crossing(
    values: NDArray[np.float64], first: NDArray[np.intp] | int, last: NDArray[np.intp] | int
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Return, per row, where `values` first changes sign between columns first..last.

    Returns the column j where the sign changes between j and j + 1 (-1: no change) and the
    position as a fraction of the row (column / (n_columns - 1)), linearly interpolated.
    """
    n_rows, n_cols = values.shape
    cols = np.arange(n_cols - 1)
    sign_change = np.signbit(values[:, :-1]) != np.signbit(values[:, 1:])
    in_range = (cols[None, :] >= np.asarray(first)[..., None]) & (
        cols[None, :] < np.asarray(last)[..., None]
    )
    candidates = sign_change & in_range
    j = np.argmax(candidates, axis=1)
    rows = np.arange(n_rows)
    y0, y1 = values[rows, j], values[rows, j + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(y1 != y0, y0 / (y0 - y1), 0.5)
    position = (j + np.clip(fraction, 0.0, 1.0)) / (n_cols - 1)
    return np.where(candidates.any(axis=1), j, -1), position


def _may_reach(
    element_sets: list[ElementSet],
    r: NDArray[np.float64],
    obs_ecef: NDArray[np.float64],
    s: NDArray[np.intp],
    o: NDArray[np.intp],
    k: NDArray[np.intp],
    step_s: float,
    reach_rad: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Tell which bracketed maxima could reach the threshold, by two central-angle bounds.

    `reach_rad` (n_sat, n_obs) is the central angle within which a satellite can be above
    the threshold (`_reach_angle`). Over an interval, the satellite's direction from the
    Earth's centre stays at least this far from the observer's:

    - (gamma_a + gamma_b - omega_max * step) / 2, with gamma_a, gamma_b its central angles from
      the observer at both ends and omega_max its fastest angular rate (at perigee, plus the
      Earth's rotation): the triangle inequality.
    - the distance from the observer to the great-circle arc between the two end directions,
      less `_arc_margin_rad`: in inertial space the direction runs along a great circle (the
      orbit plane), and in the Earth-fixed frame the Earth's rotation during the step moves
      it at most 1.1 * omega_earth * step off the arc through its ends; 0.5 deg more covers
      the plane's precession and the short-period wobble of SGP4. Much tighter than the
      triangle bound, it drops most maxima that are not passes. It is used only while a step
      covers less than a quarter turn, so that the arc is the short one.
    """
    if s.size == 0:
        return np.zeros(0, dtype=bool)
    omega, _ = _angular_rate_and_apogee(element_sets)
    reach = reach_rad[s, o]
    obs_radius = np.sqrt(_dot(obs_ecef, obs_ecef))
    o_hat = obs_ecef[:, o] / obs_radius[o]
    ra, rb = r[:, s, k], r[:, s, k + 1]
    a_hat = ra / np.sqrt(_dot(ra, ra))
    b_hat = rb / np.sqrt(_dot(rb, rb))
    gamma_a = np.arccos(np.clip(_dot(a_hat, o_hat), -1.0, 1.0))
    gamma_b = np.arccos(np.clip(_dot(b_hat, o_hat), -1.0, 1.0))
    triangle = 0.5 * (gamma_a + gamma_b - omega[s] * step_s)

    normal = _cross(a_hat, b_hat)
    normal_size = np.sqrt(_dot(normal, normal))
    usable = (omega[s] * step_s < 0.5 * np.pi) & (normal_size > 1e-9)
    normal = normal / np.where(usable, normal_size, 1.0)
    height = _dot(o_hat, normal)  # sine of the distance to the whole great circle
    foot = o_hat - height * normal  # the observer projected on the circle's plane
    inside = (_dot(_cross(a_hat, foot), normal) >= 0) & (_dot(_cross(foot, b_hat), normal) >= 0)
    to_arc = np.where(
        inside, np.arcsin(np.clip(np.abs(height), 0.0, 1.0)), np.minimum(gamma_a, gamma_b)
    )
    arc = np.where(usable, to_arc - _arc_margin_rad(step_s), -np.inf)
    return np.maximum(triangle, arc) <= reach


def _reach_angle(
    element_sets: list[ElementSet], obs_ecef: NDArray[np.float64], min_elevation_deg: float
) -> NDArray[np.float64]:
    """Return the central angle (rad, n_sat x n_obs) beyond which a satellite is below the
    threshold for an observer (-inf: never above it).

    At radius at most r_max, a satellite is above elevation E only within acos(R cos E /
    r_max) - E of an observer at geocentric radius R; the geodetic vertical differs from the
    geocentric one by under 0.2 deg, which `_VERTICAL_MARGIN_DEG` covers.
    """
    _, r_max = _angular_rate_and_apogee(element_sets)
    obs_radius = np.sqrt((obs_ecef * obs_ecef).sum(axis=-1))
    e_rad = np.radians(min_elevation_deg - _VERTICAL_MARGIN_DEG)
    ratio = obs_radius[None, :] * np.cos(e_rad) / r_max[:, None]
    return np.where(ratio < 1.0, np.arccos(np.minimum(ratio, 1.0)) - e_rad, -np.inf)


def _arc_margin_rad(step_s: float) -> float:
    """How far (rad) the Earth-fixed track may stray from the arc through its ends."""
    return 1.1 * EARTH_ROTATION_RAD_S * step_s + np.radians(0.5)


def _angular_rate_and_apogee(
    element_sets: list[ElementSet],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return bounds of each satellite's Earth-fixed angular rate (rad/s) and radius (km)."""
    a = np.array([semi_major_axis_km(es) for es in element_sets])
    e = np.array([es.eccentricity for es in element_sets])
    r_p = a * (1.0 - e)
    # angular momentum / r_p^2 is the fastest inertial angular rate; 5 % for the
    # difference between mean and osculating elements, then the Earth's rotation.
    omega = 1.05 * np.sqrt(MU_KM3_S2 * a * (1.0 - e * e)) / (r_p * r_p) + EARTH_ROTATION_RAD_S
    r_max = 1.02 * a * (1.0 + e)
    return omega, r_max


def _reach_bound(
    element_sets: list[ElementSet],
    sin_el: NDArray[np.float64],
    r: NDArray[np.float64],
    obs_ecef: NDArray[np.float64],
    s: NDArray[np.intp],
    o: NDArray[np.intp],
    k: NDArray[np.intp],
    step_s: float,
    sign: float,
) -> NDArray[np.float64]:
    """Bound the elevation (rad) inside intervals: from above (sign +1) or below (-1).

    Within half a step of a sample the satellite moves at most `v_max * step / 2`, so the
    line of sight turns by at most asin(v_max * step / 2 / range) from the sample's.
    """
    if s.size == 0:
        return np.zeros(0)
    max_speed = np.array([max_speed_km_s(es) for es in element_sets])
    reach_km = max_speed[s] * step_s / 2.0

    def bound(kk: NDArray[np.intp]) -> NDArray[np.float64]:
        rho = r[:, s, kk] - obs_ecef[:, o]
        range_km = np.sqrt(_dot(rho, rho))
        slack = np.arcsin(np.clip(reach_km / range_km, 0.0, 1.0))
        return np.arcsin(np.clip(sin_el[s, o, kk], -1.0, 1.0)) + sign * slack

    if sign > 0:
        return np.maximum(bound(k), bound(k + 1))
    return np.minimum(bound(k), bound(k + 1))


class _Crossings:
    """Threshold-crossing problems, added as brackets become known, with their last states."""

    def __init__(self, tolerance: float, capacity: int) -> None:
        self.solver = NewtonBrackets(tolerance, capacity)
        self.last_t = np.empty(capacity)
        self.last_r = np.empty((3, capacity))
        self.last_v = np.empty((3, capacity))
        self.sat = np.empty(capacity, np.intp)
        self.obs = np.empty(capacity, np.intp)
        self.rising = np.empty(capacity, bool)

    def add(
        self,
        sat: NDArray[np.intp],
        obs: NDArray[np.intp],
        a: NDArray[np.float64],
        b: NDArray[np.float64],
        fa: NDArray[np.float64],
        fb: NDArray[np.float64],
        guess: NDArray[np.float64],
        state_a: tuple[NDArray[np.float64], NDArray[np.float64]],
        state_b: tuple[NDArray[np.float64], NDArray[np.float64]],
    ) -> NDArray[np.intp]:
        ids = self.solver.add(a, b, fa, fb, guess)
        at_b = fb == 0.0
        self.last_t[ids] = np.where(at_b, b, a)
        self.last_r[:, ids] = np.where(at_b, state_b[0], state_a[0])
        self.last_v[:, ids] = np.where(at_b, state_b[1], state_a[1])
        self.sat[ids], self.obs[ids], self.rising[ids] = sat, obs, fb > fa
        return ids

    def absorb(
        self,
        ids: NDArray[np.intp],
        t: NDArray[np.float64],
        r: NDArray[np.float64],
        v: NDArray[np.float64],
        f: NDArray[np.float64],
        rate: NDArray[np.float64],
        d_rate: NDArray[np.float64],
    ) -> None:
        self.last_t[ids], self.last_r[:, ids], self.last_v[:, ids] = t, r, v
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.abs(0.5 * d_rate / rate)
        self.solver.absorb(ids, f, rate, scale)

    def pending(self) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
        ids = self.solver.pending()
        return ids, self.sat[ids], self.obs[ids]

    def results(self) -> tuple[NDArray, ...]:
        """Return satellite, observer, time, rising and the position (n, 3) at each crossing."""
        t = self.solver.finish()
        n = t.size
        r = (self.last_r[:, :n] + self.last_v[:, :n] * (t - self.last_t[:n])).T
        return self.sat[:n], self.obs[:n], t, self.rising[:n], r


def _refine(
    track: _Track,
    sin_threshold: float,
    step_s: float,
    seconds: NDArray[np.float64],
    grid: tuple[NDArray[np.float64], ...],
    extrema: tuple[NDArray, ...],
    plain: tuple[NDArray[np.intp], ...],
) -> tuple[tuple[NDArray, ...], tuple[NDArray, ...]]:
    """Refine bracketed extrema and every threshold crossing; return both.

    Each sweep makes one SGP4 evaluation for every unfinished problem at once. Extrema and
    the crossings of grid intervals without an extremum start together. A crossing next to
    an extremum is bracketed by the grid sample and the first SGP4 point of the extremum's
    search whose value lies on the other side of the threshold; its own first guess is
    evaluated in the first sweep already, speculatively, when the interpolated track
    predicts such a crossing, so a typical pass costs one sweep.

    Returns (extremum time, time, sin(elevation) and position (r, v) of its last evaluated
    point) and (satellite, observer, time, rising, position) of the crossings.
    """
    r, v, f, rate = grid
    s_idx, o_idx, k_idx, is_max = extrema
    ps, po, pk = plain
    m = HERMITE_SUBSTEPS
    n_e, n_p = s_idx.size, ps.size

    # --- first guesses on the interpolated track --------------------------------------------
    # every interval at once: the extrema's first, then those of plain crossings
    iv_s, iv_o, iv_k = (np.concatenate(pair) for pair in ((s_idx, ps), (o_idx, po), (k_idx, pk)))
    t_a = seconds[iv_k]
    length = seconds[iv_k + 1] - t_a
    start = (r[:, iv_s, iv_k], v[:, iv_s, iv_k])
    end = (r[:, iv_s, iv_k + 1], v[:, iv_s, iv_k + 1])
    quintic = _Quintic.between(start, end, length)
    obs, up = track.obs_ecef[:, iv_o], track.up[:, iv_o]
    sub = _sin_elevation_on(quintic, _SUBSTEP_FRACTIONS, obs, up) - sin_threshold

    # extrema: the highest (lowest) interpolated point and its neighbours bracket it; start
    # from the vertex of the parabola through them
    rows = np.arange(n_e)
    signed = np.where(is_max[:, None], sub[:n_e], -sub[:n_e])
    top = np.argmax(signed, axis=1) if n_e else np.zeros(0, np.intp)
    mid = np.clip(top, 1, m - 1)
    y0, y1, y2 = signed[rows, mid - 1], signed[rows, mid], signed[rows, mid + 1]
    curvature = y0 - 2.0 * y1 + y2
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = np.where(curvature < 0, 0.5 * (y0 - y2) / curvature, 0.0)
    low, high = np.maximum(top - 1, 0) / m, np.minimum(top + 1, m) / m
    q_e = quintic.take(rows)
    tau_e = np.clip((mid + vertex) / m, low, high)
    tau_e = _polish_on_track(
        q_e, tau_e, low, high, ~is_max, obs[:, :n_e], up[:, :n_e], None, _EXTREMUM_POLISH
    )
    s_e, _, s2_e, s3_e = _interpolated_series(q_e, tau_e, obs[:, :n_e], up[:, :n_e], 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale_e = np.abs(0.5 * s3_e / s2_e)
        # near the extremum f is a parabola: f(t) = f_e + s'' (t - t_e)^2 / 2
        half_width = np.sqrt(np.abs(2.0 * (s_e - sin_threshold) / s2_e)) / length[:n_e]
    f_ends = (f[s_idx, o_idx, k_idx], f[s_idx, o_idx, k_idx + 1])
    predicted = s_e - sin_threshold
    speculative = [np.signbit(predicted) != np.signbit(f_end) for f_end in f_ends]
    left, right = (np.flatnonzero(x) for x in speculative)

    # crossings, predicted next to an extremum or plain: the interpolated cell where the sign
    # changes, else (a graze narrower than a cell) the whole piece and the parabola's guess
    top_col = np.round(tau_e * m).astype(np.intp)
    c_rows = np.concatenate([left, right, n_e + np.arange(n_p)])
    first = np.concatenate([np.zeros(left.size, np.intp), top_col[right], np.zeros(n_p, np.intp)])
    last = np.concatenate([top_col[left], np.full(right.size + n_p, m)])
    cell, position = _first_crossing(sub[c_rows], first, last)
    found = cell >= 0
    piece_low = np.concatenate([np.zeros(left.size), tau_e[right], np.zeros(n_p)])
    piece_high = np.concatenate([tau_e[left], np.ones(right.size + n_p)])
    model = np.concatenate(
        [tau_e[left] - half_width[left], tau_e[right] + half_width[right], np.full(n_p, 0.5)]
    )
    low = np.where(found, cell / m, piece_low)
    high = np.where(found, (cell + 1) / m, piece_high)
    at_low = np.where(found, sub[c_rows, np.maximum(cell, 0)], sub[c_rows, 0])
    at_low[left.size : left.size + right.size] = np.where(
        found[left.size : left.size + right.size],
        at_low[left.size : left.size + right.size],
        predicted[right],
    )
    tau_c = _polish_on_track(
        quintic.take(c_rows),
        np.nan_to_num(np.clip(np.where(found, position, model), low, high), nan=0.5),
        low,
        high,
        np.signbit(at_low),
        obs[:, c_rows],
        up[:, c_rows],
        sin_threshold,
        _CROSSING_POLISH,
    )
    guess_c = t_a[c_rows] + tau_c * length[c_rows]
    piece_guess = np.full((2, n_e), np.nan)
    piece_guess[0, left] = guess_c[: left.size]
    piece_guess[1, right] = guess_c[left.size : left.size + right.size]
    spec_points = guess_c[: left.size + right.size]
    spec_ids = np.concatenate([left, right])

    # --- solve ---------------------------------------------------------------------------------
    t_b = t_a[:n_e] + length[:n_e]
    ext = NewtonBrackets(TIME_TOLERANCE_S, n_e)
    ext.add(
        t_a[:n_e],
        t_b,
        rate[s_idx, o_idx, k_idx],
        rate[s_idx, o_idx, k_idx + 1],
        t_a[:n_e] + tau_e * length[:n_e],
    )
    ext_t = np.where(np.isnan(ext.roots), t_a[:n_e], ext.roots)  # last evaluated point
    at_b = ext_t == t_b
    ext_k = np.where(at_b, k_idx + 1, k_idx)
    ext_s = np.where(at_b, f_ends[1], f_ends[0]) + sin_threshold
    ext_r, ext_v = r[:, s_idx, ext_k], v[:, s_idx, ext_k]
    ext_d_rate = np.zeros(n_e)  # unknown at grid points: no parabola model there
    ext_rate = np.zeros(n_e)
    crossings = _Crossings(TIME_TOLERANCE_S, n_p + 2 * n_e)
    crossings.add(
        ps,
        po,
        t_a[n_e:],
        t_a[n_e:] + length[n_e:],
        f[ps, po, pk],
        f[ps, po, pk + 1],
        guess_c[left.size + right.size :],
        (start[0][:, n_e:], start[1][:, n_e:]),
        (end[0][:, n_e:], end[1][:, n_e:]),
    )
    pieces_made = np.zeros((2, n_e), bool)
    f_ends_negative = np.signbit(np.stack(f_ends))
    spec_slot = np.full((2, n_e), -1)
    spec_slot[0, left] = np.arange(left.size)
    spec_slot[1, right] = left.size + np.arange(right.size)

    def make_pieces(ids: NDArray[np.intp], tried: tuple | None) -> None:
        """Add the crossings on either side of extrema `ids`, split at their last point.

        `tried`: the SGP4 values at `spec_points`, evaluated in the same sweep.
        """
        if ids.size == 0:
            return
        f_now = ext_s[ids] - sin_threshold
        new = ~pieces_made[:, ids] & (np.signbit(f_now) != f_ends_negative[:, ids])
        side, which = np.nonzero(new)
        e = ids[which]
        pieces_made[side, e] = True
        after = side == 1
        f_split = f_now[which]
        f_end = np.where(after, f_ends[1][e], f_ends[0][e])
        a = np.where(after, ext_t[e], t_a[e])
        b = np.where(after, t_b[e], ext_t[e])
        ok = b > a
        if not ok.any():
            return
        e, side, after, f_split, f_end, a, b = (
            x[ok] for x in (e, side, after, f_split, f_end, a, b)
        )
        # The interpolated guess where a crossing was predicted, else (a graze the
        # prediction missed) the parabola through the extremum's SGP4 point.
        with np.errstate(divide="ignore", invalid="ignore"):
            offset = np.sqrt(np.abs(2.0 * f_split / ext_d_rate[e]))
        interpolated = piece_guess[side, e]
        guess = np.where(
            np.isnan(interpolated),
            np.where(after, ext_t[e] + offset, ext_t[e] - offset),
            interpolated,
        )
        grid_r = np.where(after, end[0][:, e], start[0][:, e])
        grid_v = np.where(after, end[1][:, e], start[1][:, e])
        split_r, split_v = ext_r[:, e], ext_v[:, e]
        ids_c = crossings.add(
            s_idx[e],
            o_idx[e],
            a,
            b,
            np.where(after, f_split, f_end),
            np.where(after, f_end, f_split),
            guess,
            (np.where(after, split_r, grid_r), np.where(after, split_v, grid_v)),
            (np.where(after, grid_r, split_r), np.where(after, grid_v, split_v)),
        )
        if tried is None:
            return
        # the speculative evaluation counts if the guess stayed the bracket's first point
        j = spec_slot[side, e]
        hit = (j >= 0) & (crossings.solver.points[ids_c] == interpolated)
        hit &= np.isnan(crossings.solver.roots[ids_c])
        crossings.absorb(ids_c[hit], *(value[..., j[hit]] for value in tried))

    def to_verify(ids: NDArray[np.intp]) -> NDArray[np.intp]:
        """Return the finished extrema `ids` whose value must be taken at the root itself.

        A problem ends with a Newton step that is not evaluated (up to a second long), so the
        last SGP4 value may lie on the other side of the threshold from the extremum: a graze
        narrower than that step would be lost. Near an extremum f is a parabola, which from
        the last point gains rate * step / 2; twice that puts the extremum possibly across.
        """
        ids = ids[~np.isnan(ext.roots[ids])]
        f_last = ext_s[ids] - sin_threshold
        gain = ext_rate[ids] * (ext.roots[ids] - ext_t[ids])
        across = np.signbit(f_last) != np.signbit(f_last + gain)
        return ids[(ext.roots[ids] != ext_t[ids]) & across]

    make_pieces(np.flatnonzero(~np.isnan(ext.roots)), None)
    verify = np.zeros(0, np.intp)
    for sweep in range(_MAX_SWEEPS):
        ie = ext.pending()
        ic, c_sat, c_obs = crossings.pending()
        extra = spec_ids if sweep == 0 else spec_ids[:0]
        n_ie, n_iv, n_ic = ie.size, verify.size, ic.size
        if n_ie + n_iv + n_ic + extra.size == 0:
            break
        points = np.concatenate(
            [
                ext.points[ie],
                ext.roots[verify],
                crossings.solver.points[ic],
                spec_points[: extra.size],
            ]
        )
        sat = np.concatenate([s_idx[ie], s_idx[verify], c_sat, s_idx[extra]])
        obs_now = np.concatenate([o_idx[ie], o_idx[verify], c_obs, o_idx[extra]])
        r_now, v_now, s_now, rate_now, d_rate_now = track.evaluate(sat, obs_now, points)
        e_part, c_part = slice(0, n_ie + n_iv), slice(n_ie + n_iv, n_ie + n_iv + n_ic)
        seen = np.concatenate([ie, verify])
        ext_t[seen], ext_s[seen] = points[e_part], s_now[e_part]
        ext_rate[seen], ext_d_rate[seen] = rate_now[e_part], d_rate_now[e_part]
        ext_r[:, seen], ext_v[:, seen] = r_now[:, e_part], v_now[:, e_part]
        ext.absorb(ie, rate_now[:n_ie], d_rate_now[:n_ie], scale_e[ie])
        crossings.absorb(
            ic,
            points[c_part],
            r_now[:, c_part],
            v_now[:, c_part],
            s_now[c_part] - sin_threshold,
            rate_now[c_part],
            d_rate_now[c_part],
        )
        tried = None
        if extra.size:
            x_part = slice(n_ie + n_iv + n_ic, None)
            tried = (
                points[x_part],
                r_now[:, x_part],
                v_now[:, x_part],
                s_now[x_part] - sin_threshold,
                rate_now[x_part],
                d_rate_now[x_part],
            )
        make_pieces(ie, tried)
        make_pieces(verify, None)
        verify = to_verify(ie)

    roots = ext.finish()
    extremum = (roots, ext_t, ext_s, ext_r, ext_v)
    return extremum, crossings.results()


def _sin_elevation_on(
    quintic: _Quintic, tau: NDArray[np.float64], obs_ecef: NDArray, up: NDArray
) -> NDArray[np.float64]:
    """Return sin(elevation) (n, m) on the interpolated track at fractions `tau` (m,)."""
    rho = quintic.on_grid(tau) - obs_ecef[:, None, :]
    return (_dot(rho, up[:, None, :]) / np.sqrt(_dot(rho, rho))).T


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
) -> NDArray[np.intp]:
    """For each pass span, return the index of the highest candidate inside it (-1: none)."""
    result = np.full(pass_pair.size, -1, dtype=np.intp)
    if cand_pair.size == 0 or pass_pair.size == 0:
        return result
    scale = duration_s + 1.0
    keys = cand_pair * scale + cand_t
    order = np.argsort(keys, kind="stable")
    keys, cand_sin = keys[order], cand_sin[order]
    lo = np.searchsorted(keys, pass_pair * scale + span_start, side="left")
    hi = np.searchsorted(keys, pass_pair * scale + span_end, side="right")
    single = hi - lo == 1
    result[single] = order[lo[single]]
    for i in np.flatnonzero(hi - lo > 1):
        result[i] = order[lo[i] + int(np.argmax(cand_sin[lo[i] : hi[i]]))]
    return result


def concatenate_tables(parts: Sequence[PassTable]) -> PassTable:
    """Join tables row after row (no reordering)."""
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


def sort_table(table: PassTable) -> PassTable:
    """Order passes by start (rise, or the window start), then satellite, then observer."""
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
                window_start_utc=timebase.start_utc,
            )
        )
    return records
