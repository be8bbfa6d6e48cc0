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
from passpredict.engine.orbits import max_speed_km_s
from passpredict.engine.passes.elevation import cross, dot
from passpredict.engine.passes.scan import Grid
from tle_cache.elements import ElementSet

#: Up to this many bracketed maxima, all are refined and `_may_reach` is not asked: refining
#: a few more maxima costs less than its bounds (about 45 numpy calls), and changes no answer
#: (a maximum it drops is provably below the threshold over its whole interval, so it makes
#: no crossing and lies in no pass). A one-pair search over a day has about 15.
_SCREENED_MAXIMA_MIN = 64


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
    ok, reachable, reach_rad, step_s = grid.ok, grid.reachable, grid.reach_rad, grid.step_s
    valid_interval = ok[:, None, :-1] & ok[:, None, 1:] & reachable[..., None]

    # --- extrema brackets -------------------------------------------------------------
    rate_left, rate_right = rate[..., :-1], rate[..., 1:]
    ms, mo, mk = ((rate_left > 0) & (rate_right <= 0) & valid_interval).nonzero()
    if ms.size > _SCREENED_MAXIMA_MIN:
        keep = _may_reach(grid.omega_rad_s, r, obs_ecef, ms, mo, mk, step_s, reach_rad)
        ms, mo, mk = ms[keep], mo[keep], mk[keep]
    # A dip below the threshold between two samples above it: refine the minimum too.
    ns, no, nk = (
        (rate_left < 0)
        & (rate_right >= 0)
        & valid_interval
        & (f[..., :-1] >= 0)
        & (f[..., 1:] >= 0)
    ).nonzero()
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
    has_extremum = np.zeros((*f.shape[:2], f.shape[2] - 1), dtype=bool)
    has_extremum[s_idx, o_idx, k_idx] = True
    left_f, right_f = f[..., :-1], f[..., 1:]
    plain = (
        (np.signbit(left_f) != np.signbit(right_f)) & ~has_extremum & reachable[..., None]
    ).nonzero()
    return Brackets(s_idx, o_idx, k_idx, is_max, *plain)


def _may_reach(
    omega: NDArray[np.float64],
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
    the threshold (`_reach_angle`), `omega` (n_sat,) the bound of its angular rate
    (`angular_rate_and_apogee`). Over an interval, the satellite's direction from the
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
    reach = reach_rad[s, o]
    o_hat = (obs_ecef / np.sqrt(dot(obs_ecef, obs_ecef)))[:, o]
    n_sat, n_t = r.shape[1], r.shape[2]
    if s.size > n_sat * (n_t - 1):
        # More maxima than grid intervals (many observers): the terms of the satellite alone
        # are taken once per interval, then gathered (the same values).
        with np.errstate(divide="ignore", invalid="ignore"):  # r is zero where not computed
            arcs = _arcs(omega[:, None] * step_s, r[..., :-1], r[..., 1:])
        a_hat, b_hat, normal = (x[:, s, k] for x in arcs[:3])
        usable = arcs[3][s, k]
    else:
        a_hat, b_hat, normal, usable = _arcs(omega[s] * step_s, r[:, s, k], r[:, s, k + 1])
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
    return np.maximum(triangle, arc) <= reach


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
