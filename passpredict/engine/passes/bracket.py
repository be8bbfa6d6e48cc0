"""Step 2 of the pass search: bracket the extrema of elevation and the threshold crossings.

A sign change of the elevation rate between two grid samples brackets one maximum (or
minimum). A maximum is refined only if it could reach the threshold by two central-angle
bounds (`_may_reach`) that keep the few-second grazing passes a plain scan would miss and
drop far-side maxima (when there are few maxima, all are refined: cheaper, same answers); a
minimum between two samples above the threshold only if it could dip below it
(`_reach_bound`). Every grid interval is then split at its extremum, if any, and a sign
change of sin(elevation) - sin(threshold) over an interval without one brackets exactly one
crossing; the crossings beside an extremum are bracketed once it is refined
(`passpredict.engine.passes.refine`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.frames import EARTH_ROTATION_RAD_S
from passpredict.engine.orbits import MU_KM3_S2, max_speed_km_s
from passpredict.engine.passes.elevation import NEAR_CIRCULAR_MAX_ECCENTRICITY, cross, dot
from passpredict.engine.passes.scan import VERTICAL_MARGIN_DEG, Grid
from tle_cache.elements import ElementSet

#: Up to this many bracketed maxima, all are refined and `_may_reach` is not asked: refining
#: a few more maxima costs less than its bounds (about 45 numpy calls), and changes no answer
#: (a maximum it drops is provably below the threshold over its whole interval, so it makes
#: no crossing and lies in no pass). A one-pair search over a day has about 15.
_SCREENED_MAXIMA_MIN = 64


#: `_nonzero_3d`: from this many elements of a mask on, its flat indices split by `divmod`
#: are faster than numpy's multi-index `nonzero` (3 us each at about 900 elements).
_FLAT_NONZERO_MIN = 1024


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Brackets(NamedTuple):
    """Grid intervals [t_k, t_k+1] to refine, as (satellite, observer, k) index arrays.

    The extrema (maxima first, then minima: `is_max`), and the plain crossings: the sign
    changes of intervals without an extremum.
    """

    extremum_sat: NDArray[np.intp]
    extremum_obs: NDArray[np.intp]
    extremum_k: NDArray[np.intp]
    is_max: NDArray[np.bool_]
    crossing_sat: NDArray[np.intp]
    crossing_obs: NDArray[np.intp]
    crossing_k: NDArray[np.intp]


def bracket(
    element_sets: list[ElementSet],
    grid: Grid,
    obs_ecef: NDArray[np.float64],
    min_elevation_deg: float,
) -> Brackets:
    """Bracket the extrema worth refining and the plain crossings of the scan.

    `obs_ecef` (3, n_obs) are the observers' Earth-fixed positions (km), component first.
    """
    r, sin_el, rate, f = grid.r_km, grid.sin_elevation, grid.rate, grid.f
    ok, reachable, step_s = grid.ok, grid.reachable, grid.step_s
    valid_interval = ok[:, None, :-1] & ok[:, None, 1:] & reachable[..., None]

    # --- extrema brackets -------------------------------------------------------------
    rate_left, rate_right = rate[..., :-1], rate[..., 1:]
    rising = rate_left > 0  # (the masks combined in place: no temporary per operator)
    rising &= rate_right <= 0
    rising &= valid_interval
    ms, mo, mk = _nonzero_3d(rising)
    if ms.size > _SCREENED_MAXIMA_MIN:
        keep = _may_reach(element_sets, grid, obs_ecef, ms, mo, mk, min_elevation_deg)
        kept = keep.nonzero()[0]  # (once, then `take`: not a boolean index per array)
        ms, mo, mk = ms.take(kept), mo.take(kept), mk.take(kept)
    # A dip below the threshold between two samples above it: refine the minimum too.
    above = f >= 0  # every sample compared once, then sliced for both ends of each interval
    dip = rate_left < 0
    dip &= rate_right >= 0
    dip &= valid_interval
    dip &= above[..., :-1]
    dip &= above[..., 1:]
    ns, no, nk = _nonzero_3d(dip)
    if ns.size:  # (none, usually: then the maxima alone, as they are)
        keep = _reach_bound(
            element_sets, sin_el, r, obs_ecef, ns, no, nk, step_s, -1.0
        ) < np.radians(min_elevation_deg)
        ns, no, nk = ns[keep], no[keep], nk[keep]
    if ns.size:
        s_idx = np.concatenate([ms, ns])
        o_idx = np.concatenate([mo, no])
        k_idx = np.concatenate([mk, nk])
        is_max = np.arange(s_idx.size) < ms.size
    else:
        s_idx, o_idx, k_idx = ms, mo, mk
        is_max = np.empty(ms.size, dtype=bool)
        is_max.fill(True)  # `np.ones` without its Python-level overhead

    # --- crossing brackets --------------------------------------------------------------
    # Every interval [t_k, t_k+1] is split at its refined extremum, if any; a sign change of
    # f over a piece brackets exactly one crossing.
    # (the signs taken once per sample; the extrema's intervals cleared from the changes)
    negative = np.signbit(f)
    changes = negative[..., :-1] != negative[..., 1:]
    changes[s_idx, o_idx, k_idx] = False
    changes &= reachable[..., None]
    plain = _nonzero_3d(changes)
    return Brackets(s_idx, o_idx, k_idx, is_max, *plain)


def _nonzero_3d(
    mask: NDArray[np.bool_],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Return the indices of the true elements of a 3-d mask, as `mask.nonzero()` does:
    from `_FLAT_NONZERO_MIN` elements on, the flat indices split by `divmod` (on 100 LEO x
    100 places, 2.5x faster than numpy's multi-index `nonzero`)."""
    if mask.size < _FLAT_NONZERO_MIN:
        first, second, third = mask.nonzero()
        return first, second, third
    flat = mask.reshape(-1).nonzero()[0]
    n_k = mask.shape[2]
    first, rest = np.divmod(flat, mask.shape[1] * n_k)
    second, third = np.divmod(rest, n_k)
    return first, second, third


def _may_reach(
    element_sets: list[ElementSet],
    grid: Grid,
    obs_ecef: NDArray[np.float64],
    s: NDArray[np.intp],
    o: NDArray[np.intp],
    k: NDArray[np.intp],
    min_elevation_deg: float,
) -> NDArray[np.bool_]:
    """Tell which bracketed maxima could reach the threshold: those above it at an end of
    their interval on the grid (a third of them over two nearby places), and those the
    central-angle bounds of `_within_reach` keep."""
    n_obs, n_t = grid.f.shape[1], grid.f.shape[2]
    f_flat = grid.f.reshape(-1)
    at = (s * n_obs + o) * n_t + k
    below = (np.take(f_flat, at) < 0) & (np.take(f_flat, at + 1) < 0)
    keep = np.ones(s.size, bool)
    rows = below.nonzero()[0]
    keep[rows] = _within_reach(
        element_sets, grid, obs_ecef, s.take(rows), o.take(rows), k.take(rows), min_elevation_deg
    )
    return keep


def _within_reach(
    element_sets: list[ElementSet],
    grid: Grid,
    obs_ecef: NDArray[np.float64],
    s: NDArray[np.intp],
    o: NDArray[np.intp],
    k: NDArray[np.intp],
    min_elevation_deg: float,
) -> NDArray[np.bool_]:
    """Tell which bracketed maxima could reach the threshold, by central-angle bounds.

    A maximum is dropped when the satellite's direction from the Earth's centre stays, all
    through its interval, farther from the observer's than the central angle within which it
    can be above the threshold: `grid.reach_rad` (`_reach_angle`, from a bound of the radius
    over the window) or, tighter, the same angle from a bound of the radius over the
    interval itself (`_interval_radius_km`, near-circular orbits). The distance is bounded
    below three ways, and any one above the reach drops the maximum:

    - the distance to the orbit plane: in inertial space the direction stays within
      `_PLANE_BOUND_MARGIN_RAD` of the osculating plane at either end, whose normal turns in
      the Earth-fixed frame at the Earth's rate only, so its sine distance from the observer
      changes by at most omega_earth * t in a time t; from the nearer end of the interval,
      that is at least (|h_a| + |h_b| - omega_earth * step) / 2 (h: the sine distances at
      both ends).
    - (gamma_a + gamma_b - omega_max * step) / 2, with gamma_a, gamma_b its central angles from
      the observer at both ends and omega_max its fastest angular rate (at perigee, plus the
      Earth's rotation, `grid.omega_rad_s`): the triangle inequality.
    - the distance from the observer to the great-circle arc between the two end directions,
      less `_arc_margin_rad`: in inertial space the direction runs along a great circle (the
      orbit plane), and in the Earth-fixed frame the Earth's rotation during the step moves
      it at most 1.1 * omega_earth * step off the arc through its ends; 0.5 deg more covers
      the plane's precession and the short-period wobble of SGP4. It is used only while a
      step covers less than a quarter turn, so that the arc is the short one.

    The bounds are taken in that order, each on the maxima the ones before kept (the same
    answers as all of them on every maximum, for less work): the plane bound drops most
    far-side maxima.
    """
    if s.size == 0:
        return np.zeros(0, dtype=bool)
    r, v, omega, step_s = grid.r_km, grid.v_km_s, grid.omega_rad_s, grid.step_s
    n_sat, n_t = r.shape[1], r.shape[2]
    eccentricity = np.array([es.eccentricity for es in element_sets])
    o_hat_all = obs_ecef / np.sqrt(dot(obs_ecef, obs_ecef))
    obs_radius = np.sqrt(dot(obs_ecef, obs_ecef))
    # More maxima than grid intervals (many observers): the terms of the satellite alone are
    # taken once per interval (or sample), then gathered (the same values).
    per_interval = s.size > n_sat * (n_t - 1)
    flat_a = s * n_t + k  # (np.take on flat sample indices: faster than two index arrays)
    flat_b = flat_a + 1
    with np.errstate(divide="ignore", invalid="ignore"):  # r is zero where not computed
        if per_interval:
            radius = _interval_radius_km(
                eccentricity[:, None], r[..., :-1], v[..., :-1], r[..., 1:], v[..., 1:], step_s
            )
            radius = np.take(radius.reshape(-1), s * (n_t - 1) + k)
            normals = _inertial_normals(r, v).reshape(3, -1)
            n_a, n_b = normals.take(flat_a, axis=1), normals.take(flat_b, axis=1)
        else:
            r_flat, v_flat = r.reshape(3, -1), v.reshape(3, -1)
            r_a, r_b = np.take(r_flat, flat_a, axis=1), np.take(r_flat, flat_b, axis=1)
            v_a, v_b = np.take(v_flat, flat_a, axis=1), np.take(v_flat, flat_b, axis=1)
            radius = _interval_radius_km(eccentricity[s], r_a, v_a, r_b, v_b, step_s)
            n_a, n_b = _inertial_normals(r_a, v_a), _inertial_normals(r_b, v_b)
    e_rad = np.radians(min_elevation_deg - VERTICAL_MARGIN_DEG)
    ratio = obs_radius.take(o) * np.cos(e_rad) / radius
    n_obs = obs_ecef.shape[1]
    reach = np.minimum(
        grid.reach_rad.reshape(-1).take(s * n_obs + o),  # (flat: `take` on one index array)
        np.where(ratio < 1.0, np.arccos(np.minimum(ratio, 1.0)) - e_rad, -np.inf),
    )
    o_hat = o_hat_all.take(o, axis=1)
    height_low = 0.5 * (
        np.abs(dot(o_hat, n_a)) + np.abs(dot(o_hat, n_b)) - _PLANE_TURN_RATE_RAD_S * step_s
    )
    plane = np.arcsin(np.minimum(np.maximum(height_low, 0.0), 1.0)) - _PLANE_BOUND_MARGIN_RAD
    keep: NDArray[np.bool_] = plane <= reach
    rows = keep.nonzero()[0]
    s, k, reach, o_hat = s.take(rows), k.take(rows), reach.take(rows), o_hat.take(rows, axis=1)
    if per_interval:
        with np.errstate(divide="ignore", invalid="ignore"):  # r is zero where not computed
            arcs = _arcs(omega[:, None] * step_s, r[..., :-1], r[..., 1:])
        at = s * (n_t - 1) + k  # (flat interval indices: `take` on one index array)
        a_hat, b_hat, normal = (x.reshape(3, -1).take(at, axis=1) for x in arcs[:3])
        usable = arcs[3].reshape(-1).take(at)
    else:  # (the ends gathered above, of the maxima kept)
        a_hat, b_hat, normal, usable = _arcs(
            omega.take(s) * step_s, r_a.take(rows, axis=1), r_b.take(rows, axis=1)
        )
    gamma_a = np.arccos(np.minimum(np.maximum(dot(a_hat, o_hat), -1.0), 1.0))
    gamma_b = np.arccos(np.minimum(np.maximum(dot(b_hat, o_hat), -1.0), 1.0))
    triangle = 0.5 * (gamma_a + gamma_b - omega[s] * step_s)

    height = dot(o_hat, normal)  # sine of the distance to the whole great circle
    foot = o_hat - height * normal  # the observer projected on the circle's plane
    inside = (dot(cross(a_hat, foot), normal) >= 0) & (dot(cross(foot, b_hat), normal) >= 0)
    to_arc = np.where(
        inside, np.arcsin(np.minimum(np.abs(height), 1.0)), np.minimum(gamma_a, gamma_b)
    )
    arc = np.where(usable, to_arc - _arc_margin_rad(step_s), -np.inf)
    keep[rows] = np.maximum(triangle, arc) <= reach
    return keep


#: Bounds the Earth-fixed turning rate (rad/s) of the normal of a plane fixed in inertial
#: space: the Earth's rotation (GMST's rate), with 1 % to spare.
_PLANE_TURN_RATE_RAD_S = 1.01 * EARTH_ROTATION_RAD_S
#: How far (rad) SGP4's track may stray within a step from the osculating plane at either
#: end: its short-period wobble (under 0.1 deg) and the plane's precession, with room.
_PLANE_BOUND_MARGIN_RAD = float(np.radians(1.0))
#: `_interval_radius_km`: |r''| <= mu (e * _KEPLER_SHARE + _PERTURBED_SHARE) / (r_low)^2, with
#: r_low `_LOWEST_RADIUS_SHARE` of the smaller end radius.
_KEPLER_SHARE = 1.1
_PERTURBED_SHARE = 0.02
_LOWEST_RADIUS_SHARE = 0.85


def _inertial_normals(r: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the unit normals (3, ...) of the osculating orbit planes of Earth-fixed states
    r (km), v (km/s), (3, ...), in Earth-fixed axes: r x (v + omega x r), with the inertial
    velocity (`passpredict.engine.frames.teme_to_ecef` subtracts omega x r)."""
    omega = EARTH_ROTATION_RAD_S
    v_inertial = np.array([v[0] - omega * r[1], v[1] + omega * r[0], v[2]])
    normal = cross(r, v_inertial)
    unit: NDArray[np.float64] = normal / np.sqrt(dot(normal, normal))
    return unit


def _interval_radius_km(
    eccentricity: NDArray[np.float64],
    r_a: NDArray[np.float64],
    v_a: NDArray[np.float64],
    r_b: NDArray[np.float64],
    v_b: NDArray[np.float64],
    step_s: float,
) -> NDArray[np.float64]:
    """Bound the radius (km) over grid intervals from the states at both ends (3, ...); inf
    where the orbit is not near-circular (`eccentricity`, broadcast against the intervals).

    Every time in an interval is within half a step h of an end, so r <= r_end + r'_end h +
    A h^2 / 2 from the start (the rate counted only outward) or from the end (inward, going
    back), with A a bound of |r''|. For a Kepler orbit r'' = mu e cos(nu) / r^2; J2, SGP4's
    short-period terms and the osculating eccentricity's difference from the mean one add
    under 0.01 mu / r^2, so A = mu (1.1 e + 0.02) / r_low^2, r_low = 0.85 of the smaller end
    radius (with e < 0.05 the radius never falls below 0.9 of the ends' within a step of a
    sixth of a period). The radius and its rate are the same in the Earth-fixed frame.
    """
    radius_a, radius_b = np.sqrt(dot(r_a, r_a)), np.sqrt(dot(r_b, r_b))
    half = 0.5 * step_s
    outward = np.maximum(dot(r_a, v_a) / radius_a, 0.0) * half
    inward = np.maximum(-dot(r_b, v_b) / radius_b, 0.0) * half
    r_low = _LOWEST_RADIUS_SHARE * np.minimum(radius_a, radius_b)
    curvature = MU_KM3_S2 * (_KEPLER_SHARE * eccentricity + _PERTURBED_SHARE) / (r_low * r_low)
    bound = np.maximum(radius_a + outward, radius_b + inward) + 0.5 * curvature * half * half
    return np.where(eccentricity < NEAR_CIRCULAR_MAX_ECCENTRICITY, bound, np.inf)


def _arcs(
    turn_rad: NDArray[np.float64], ra: NDArray[np.float64], rb: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Return the unit directions at both ends of intervals (3, ...), the unit normal of the
    great circle through them, and whether that arc is usable (`_may_reach`): the step
    turns the satellite by at most `turn_rad`, under a quarter turn, and the ends are apart.
    """
    a_hat = ra / np.sqrt(dot(ra, ra))
    b_hat = rb / np.sqrt(dot(rb, rb))
    normal = cross(a_hat, b_hat)
    normal_size = np.sqrt(dot(normal, normal))
    usable = (turn_rad < 0.5 * np.pi) & (normal_size > 1e-9)
    return a_hat, b_hat, normal / np.where(usable, normal_size, 1.0), usable


def _arc_margin_rad(step_s: float) -> float:
    """How far (rad) the Earth-fixed track may stray from the arc through its ends."""
    return float(1.1 * EARTH_ROTATION_RAD_S * step_s + np.radians(0.5))


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
        range_km = np.sqrt(dot(rho, rho))
        slack = np.arcsin(np.minimum(reach_km / range_km, 1.0))  # both are positive
        return np.arcsin(np.minimum(np.maximum(sin_el[s, o, kk], -1.0), 1.0)) + sign * slack

    if sign > 0:
        return np.maximum(bound(k), bound(k + 1))
    return np.minimum(bound(k), bound(k + 1))
