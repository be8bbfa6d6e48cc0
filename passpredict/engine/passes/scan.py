"""Step 1 of the pass search: the coarse scan on a shared grid, and the screens that thin it.

SGP4 runs on a grid shared by every observer. Elevation follows the central angle between
the satellite and the observer, which has one minimum and one maximum per revolution, half a
period apart; so for near-circular orbits below 225 min the step is 1/6 of the period (a
factor of 3 to spare), and 1/20 (at most 10 min) for every other orbit (`coarse_step_s`).
For those near-circular orbits, grid samples where the orbit plane is provably too far from
every observer are skipped (`_plane_screen`): for one observer, two thirds of the grid. At
each sample the scan gives sin(elevation) and its analytic time derivative (`Grid`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec, SatrecArray

from passpredict.engine.frames import EARTH_ROTATION_RAD_S
from passpredict.engine.orbits import (
    DEEP_SPACE_PERIOD_MIN,
    EARTH_EQUATORIAL_RADIUS_KM,
    MU_KM3_S2,
    rise_latitude_limit_deg,
    rise_latitude_limits_deg,
    semi_major_axis_km,
)
from passpredict.engine.passes.elevation import (
    INVALID_SIN_ELEVATION,
    J2,
    NEAR_CIRCULAR_MAX_ECCENTRICITY,
    Track,
    cross,
    dot,
    grid_sin_elevation,
    velocity_from_positions,
)
from passpredict.engine.propagate import (
    propagate_grid,
    propagate_grouped,
    propagate_one_components,
    sgp4_one_into,
)
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer
from tle_cache.elements import ElementSet

#: Coarse step as a fraction of the orbital period, and its bounds (s).
STEP_FRACTION_OF_PERIOD = 1.0 / 20.0
MIN_STEP_S = 10.0
MAX_STEP_S = 600.0
#: The coarser step of near-circular orbits below `DEEP_SPACE_PERIOD_MIN` (see above).
NEAR_CIRCULAR_STEP_FRACTION = 1.0 / 6.0
#: Steps are rounded down to a multiple of this, so similar orbits share one SGP4 grid.
STEP_QUANTUM_S = 15.0
#: The orbit-plane screen (`_plane_screen`): how often the plane is sampled, the margin for
#: its short-period wobble, and above which share of needed samples the whole grid is run.
_PLANE_STEP_S = 6 * 3600.0
_PLANE_MARGIN_DEG = 1.0
_PLANE_MARGIN_RAD = float(np.radians(_PLANE_MARGIN_DEG))
_FULL_GRID_SHARE = 0.6
_SCREEN_MAX_OBSERVERS = 3
#: The satellites screened when there is one (read-only): the first.
_FIRST_ONLY = np.zeros(1, np.intp)
_FIRST_ONLY.flags.writeable = False
#: Below this many grid samples (satellites x times) the screen costs more than the SGP4
#: calls it saves (about 100 us of small array work against 0.25 us a sample; measured on
#: one LEO pair, even at about 5 days): the whole grid is run (issue 11).
_SCREEN_MIN_SAMPLES = 400
#: Satellites lower than this (km above the equatorial radius) at a plane sample are not
#: screened: they are decaying, and SGP4 stops meaning anything before it says so.
_LOWEST_SCREENED_KM = 120.0
#: d(GMST)/dt (rad/s): the Earth's rotation relative to the mean equinox.
_SIDEREAL_RATE_RAD_S = 7.292115855306589e-5
#: Margin (deg) for the geodetic vs geocentric vertical in the central-angle bound.
VERTICAL_MARGIN_DEG = 0.25


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Grid(NamedTuple):
    """The scan of satellites sharing one step over every observer.

    `r_km`, `v_km_s` are Earth-fixed, component first (3, n_sat, n_t), zero where SGP4 was
    not run or failed (`ok` False, (n_sat, n_t)). `sin_elevation` and its rate (1/s) are
    (n_sat, n_obs, n_t), `f` is sin(elevation) - sin(threshold). `reachable` (n_sat, n_obs)
    masks pairs that can never reach the threshold; `reach_rad` is the central angle beyond
    which a satellite is below it (`_reach_angle`), and `omega_rad_s` (n_sat,) a bound of each
    satellite's Earth-fixed angular rate (`angular_rate_and_apogee`).
    """

    seconds: NDArray[np.float64]
    step_s: float
    sin_threshold: float
    r_km: NDArray[np.float64]
    v_km_s: NDArray[np.float64]
    ok: NDArray[np.bool_]
    sin_elevation: NDArray[np.float64]
    rate: NDArray[np.float64]
    f: NDArray[np.float64]
    reachable: NDArray[np.bool_]
    reach_rad: NDArray[np.float64]
    omega_rad_s: NDArray[np.float64]


def coarse_step_s(elements: ElementSet) -> float:
    """Return the scan step for a satellite, quantised (rounded down) and bounded.

    1/6 of the period for near-circular orbits below 225 minutes, else 1/20 and at most
    `MAX_STEP_S`.
    """
    # math on floats, not numpy on scalars: called once per satellite (15,347 for a catalogue)
    period_s = elements.period_min * 60.0
    if _near_circular(elements):
        step = math.floor(period_s * NEAR_CIRCULAR_STEP_FRACTION / STEP_QUANTUM_S) * STEP_QUANTUM_S
        return float(max(step, MIN_STEP_S))
    step = math.floor(period_s * STEP_FRACTION_OF_PERIOD / STEP_QUANTUM_S) * STEP_QUANTUM_S
    return float(min(max(step, MIN_STEP_S), MAX_STEP_S))


def scan(
    element_sets: list[ElementSet],
    observers: list[Observer],
    track: Track,
    obs_ecef: NDArray[np.float64],
    duration_s: float,
    step_s: float,
    min_elevation_deg: float,
) -> Grid:
    """Scan the satellites of `track` (which share `step_s`) over its observers.

    `obs_ecef` (n_obs, 3) are the observers' Earth-fixed positions (km).
    """
    n_obs = len(observers)
    satrecs, timebase = track.satrecs, track.timebase
    obs_cm, up = track.obs_ecef, track.up
    sin_threshold = float(np.sin(np.radians(min_elevation_deg)))

    seconds, gmst = timebase.derived(
        ("scan grid", step_s, duration_s), _grid(timebase, duration_s, step_s)
    )
    # Pairs that can never reach the threshold (inclination vs latitude) are masked out.
    # (`can_ever_rise` for every pair: one latitude limit per satellite)
    latitude_deg = np.abs(np.array([o.latitude_deg for o in observers], dtype=float))
    limit_deg = _latitude_limits_deg(element_sets, latitude_deg, min_elevation_deg)
    reachable = (latitude_deg[None, :] <= limit_deg[:, None]).reshape(len(element_sets), n_obs)
    omega_rad_s, r_max_km = angular_rate_and_apogee(element_sets)
    reach_rad = _reach_angle(r_max_km, obs_ecef, min_elevation_deg)
    need = _plane_screen(
        element_sets, satrecs, timebase, seconds, step_s, obs_ecef, reach_rad, reachable
    )
    grid_key = ("scan grid", step_s, duration_s)
    r, v, ok = _propagate_needed(
        satrecs, track.differentiate, timebase, seconds, gmst, need, grid_key
    )
    # r, v: (3, n_sat, n_t)
    sin_el, rate = grid_sin_elevation(r, v, obs_cm, up)  # (n_sat, n_obs, n_t)
    invalid = ~ok[:, None, :]
    if np.count_nonzero(invalid):  # (a mask counted: `.any()` is 2.5x slower)
        # in place (the arrays are new): np.where made two more grid-sized arrays
        np.copyto(sin_el, INVALID_SIN_ELEVATION, where=invalid)
        np.copyto(rate, 0.0, where=invalid)
    f = sin_el - sin_threshold
    return Grid(
        seconds, step_s, sin_threshold, r, v, ok, sin_el, rate, f, reachable, reach_rad, omega_rad_s
    )


#: `_latitude_limits_deg`: how close (deg) to an observer's latitude, or to the orbit's own
#: latitude reach, an array limit is decided by the scalar function.
_DOUBTFUL_LIMIT_DEG = 1e-6
#: Up to this many sets, `_latitude_limits_deg` asks the scalar function for each: the
#: array expression and its checks cost more than a few calls (one pair: ~10 us).
_SCALAR_LIMITS_MAX_SETS = 8


def _latitude_limits_deg(
    element_sets: list[ElementSet], latitude_deg: NDArray[np.float64], min_elevation_deg: float
) -> NDArray[np.float64]:
    """Return `rise_latitude_limit_deg` of every set, for comparing with the observers'
    |latitude| (`latitude_deg`): exactly its answer to every such comparison.

    One array expression (`rise_latitude_limits_deg`, a quarter of the time of a call per
    set); numpy's functions may differ from `math`'s in the last bit, so a set whose array
    limit lies within a micro-degree of an observer's latitude, or of its inclination's
    reach plus the 1 deg margin (where the scalar may find no rise at all), or that rises
    nowhere, takes the scalar limit. A few sets all take it (`_SCALAR_LIMITS_MAX_SETS`).
    """
    if len(element_sets) <= _SCALAR_LIMITS_MAX_SETS:
        return np.array([rise_latitude_limit_deg(es, min_elevation_deg) for es in element_sets])
    limits = rise_latitude_limits_deg(element_sets, min_elevation_deg)
    inclination = np.array([es.inclination_deg for es in element_sets], dtype=float)
    central_deg = limits - (np.minimum(inclination, 180.0 - inclination) + 1.0)
    near = np.abs(latitude_deg[None, :] - limits[:, None]) < _DOUBTFUL_LIMIT_DEG
    doubtful = np.logical_or.reduce(near, axis=1) | ~(central_deg > _DOUBTFUL_LIMIT_DEG)
    for i in np.flatnonzero(doubtful).tolist():
        limits[i] = rise_latitude_limit_deg(element_sets[i], min_elevation_deg)
    return limits


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
    Nor is a grid of fewer than `_SCREEN_MIN_SAMPLES` samples, where the screen would cost
    more than it saves: the screen never changes an answer (tests/test_batch.py), it only
    spares SGP4 calls.
    """
    n_sat, n_t = len(element_sets), seconds.size
    need = np.empty((n_sat, n_t), dtype=bool)
    need.fill(True)  # `np.ones` without its Python-level overhead
    if obs_ecef.shape[0] > _SCREEN_MAX_OBSERVERS:
        return need  # with observers all round, nearly every sample is needed by one
    if need.size < _SCREEN_MIN_SAMPLES:
        return need  # a small grid: running all of it is cheaper
    # one satellite (a pair's search): its scalars as floats, the same operations (+-*/)
    one = n_sat == 1
    if one:
        if not _near_circular(element_sets[0]):
            return need
        sats = _FIRST_ONLY
    else:
        sats = np.array([_near_circular(es) for es in element_sets]).nonzero()[0]
        if sats.size == 0:
            return need
    duration_s = float(seconds[-1])
    plane_times, whole, fraction, cos_t, sin_t, plane_gaps, nearest = timebase.derived(
        ("plane screen", step_s, duration_s), _plane_axis(timebase, seconds)
    )
    errors, r, v = _plane_states([satrecs[i] for i in sats], whole, fraction)
    r, v = r.transpose(2, 0, 1), v.transpose(2, 0, 1)  # (3, n, n_plane)
    normal = cross(r, v)
    normal /= np.sqrt(dot(normal, normal))
    # bounds of the planes' turning rates, as a column (n, 1); one satellite's as a float
    nodal: float | NDArray[np.float64] = (
        _nodal_rate_bound(element_sets[0])
        if one
        else np.array([_nodal_rate_bound(element_sets[i]) for i in sats])[:, None]
    )
    turn = np.arccos(np.minimum(np.maximum(dot(normal[:, :, 1:], normal[:, :, :-1]), -1.0), 1.0))
    # (the reductions of `.all(axis=1)`, `.min(axis=1)`, `.any(axis=1)`, called directly)
    healthy = np.logical_and.reduce(errors == 0, axis=1) & (
        np.minimum.reduce(np.sqrt(dot(r, r)), axis=1)
        > EARTH_EQUATORIAL_RADIUS_KM + _LOWEST_SCREENED_KM
    )
    if plane_times.size > 1:
        allowed = nodal * plane_gaps[None, :] + _PLANE_MARGIN_RAD
        healthy &= np.logical_and.reduce(turn <= allowed, axis=1)
    if np.count_nonzero(healthy) != healthy.size:
        if one:
            return need
        sats, normal, nodal = sats[healthy], normal[:, healthy], np.asarray(nodal)[healthy]
        if sats.size == 0:
            return need
    n_k = normal[:, :, nearest]  # (3, n, n_t)
    ox, oy, oz = timebase.derived(
        ("plane observers", step_s, duration_s, obs_ecef.tobytes()),
        _observer_directions(obs_ecef, cos_t, sin_t),
    )
    sin_beta = np.abs(
        n_k[0][:, None, :] * ox + n_k[1][:, None, :] * oy + n_k[2][:, None, :] * oz
    )  # (n, n_obs, n_t)
    slack = (EARTH_ROTATION_RAD_S + 2.0 * nodal) * step_s + nodal * 0.5 * _PLANE_STEP_S
    limit = reach_rad[sats] + (slack + _PLANE_MARGIN_RAD)  # (n, n_obs)
    sin_limit = np.where(limit < 0.5 * np.pi, np.sin(np.maximum(limit, 0.0)), 2.0)
    close = (sin_beta <= sin_limit[..., None]) & reachable[sats][..., None]
    need[sats] = np.logical_or.reduce(close, axis=1)
    return need


def _observer_directions(
    obs_ecef: NDArray[np.float64], cos_t: NDArray[np.float64], sin_t: NDArray[np.float64]
) -> Callable[[], tuple[NDArray[np.float64], ...]]:
    """The observers' directions in TEME at every grid time, x and y (n_obs, n_t) and z
    (n_obs, 1), read-only (`TimeBase.derived`): they depend on the axis and the places only,
    so a batch's chunks, or searches of one place over one window, make them once.

    `cos_t`, `sin_t` are the rotation's at the grid times (`_plane_axis`).
    """

    def make() -> tuple[NDArray[np.float64], ...]:
        o_hat = obs_ecef / np.sqrt((obs_ecef * obs_ecef).sum(axis=-1, keepdims=True))
        ox = cos_t * o_hat[:, 0, None] - sin_t * o_hat[:, 1, None]  # (n_obs, n_t)
        oy = sin_t * o_hat[:, 0, None] + cos_t * o_hat[:, 1, None]
        arrays = (ox, oy, o_hat[:, 2, None].copy())
        for array in arrays:
            array.flags.writeable = False
        return arrays

    return make


def _plane_states(
    satrecs: list[Satrec], whole: NDArray[np.float64], fraction: NDArray[np.float64]
) -> tuple[NDArray[np.uint8], NDArray[np.float64], NDArray[np.float64]]:
    """SGP4 (TEME) at the plane samples: error codes (n_sat, n), r, v (n_sat, n, 3).

    One satellite (a pair's search) fills arrays of our own, as `propagate_grouped` does: the
    same SGP4 code and numbers as `SatrecArray`, whose set-up is most of the cost of a call
    on a few dozen samples (40 against 12 us).
    """
    if len(satrecs) != 1:
        return SatrecArray(satrecs).sgp4(whole, fraction)  # type: ignore[no-any-return]
    errors = np.empty((1, whole.size), dtype=np.uint8)
    r, v = np.empty((1, whole.size, 3)), np.empty((1, whole.size, 3))
    sgp4_one_into(satrecs[0], (whole, fraction), errors[0], r[0], v[0])  # one compiled call
    return errors, r, v


def _grid(
    timebase: TimeBase, duration_s: float, step_s: float
) -> Callable[[], tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """The scan grid's times (s) and their sidereal angles, read-only (`TimeBase.derived`)."""

    def make() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        seconds = np.append(np.arange(0.0, duration_s, step_s), duration_s)
        gmst = timebase.gmst_rad(seconds)
        seconds.flags.writeable = gmst.flags.writeable = False
        return seconds, gmst

    return make


def _plane_axis(
    timebase: TimeBase, seconds: NDArray[np.float64]
) -> Callable[[], tuple[NDArray[np.float64], ...]]:
    """What `_plane_screen` needs of the time axis, read-only (`TimeBase.derived`): the
    plane samples (s) and their UTC Julian dates, and the cosine and sine of the rotation
    that takes the observers into TEME at every grid time: GMST, which over a window is an
    affine function of time to far better than the margin. Then the gaps between plane
    samples (s) and the plane sample nearest each grid time (indices): the same for every
    satellite, so made once per axis rather than on every search (issue 11)."""

    def make() -> tuple[NDArray[np.float64], ...]:
        duration_s = float(seconds[-1])
        plane_times = np.append(np.arange(0.0, duration_s, _PLANE_STEP_S), duration_s)
        whole, fraction = timebase.jd_utc(plane_times)
        theta = timebase.gmst_rad(np.zeros(1))[0] + _SIDEREAL_RATE_RAD_S * seconds
        nearest = np.minimum(
            np.maximum(np.round(seconds / _PLANE_STEP_S).astype(np.intp), 0), plane_times.size - 1
        )
        gaps = np.diff(plane_times)
        arrays = (plane_times, whole, fraction, np.cos(theta), np.sin(theta), gaps, nearest)
        for array in arrays:
            array.flags.writeable = False
        return arrays

    return make


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
    differentiate: NDArray[np.bool_],
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    gmst_rad: NDArray[np.float64],
    need: NDArray[np.bool_],
    grid_key: Hashable = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Propagate the grid where needed; return r, v (3, n_sat, n_t), component first, and ok.

    `gmst_rad` is the sidereal angle at every grid time, `differentiate` which satellites get
    differentiated velocities (`differentiated`), `grid_key` the grid's key in
    `TimeBase.derived` (None: nothing kept).

    Elsewhere r = v = 0 and ok = False. With most samples needed, the whole grid in one SGP4
    call is cheaper. Either way a needed sample gets the same numbers (the same SGP4 and
    frame code on the same time).
    """
    if len(satrecs) == 1:
        r, v, ok = _propagate_one_needed(satrecs[0], timebase, seconds, gmst_rad, need, grid_key)
    elif np.count_nonzero(need) > _FULL_GRID_SHARE * need.size:
        r_rows, v_rows, ok = propagate_grid(satrecs, timebase, seconds, gmst_rad)
        r = np.ascontiguousarray(r_rows.transpose(2, 0, 1))
        v = np.ascontiguousarray(v_rows.transpose(2, 0, 1))
    else:
        r = np.zeros((3, *need.shape))
        v = np.zeros((3, *need.shape))
        ok = np.zeros(need.shape, dtype=bool)
        s, k = need.nonzero()  # grouped by satellite
        r_needed, v_needed, ok[s, k] = propagate_grouped(
            satrecs, s, timebase, seconds[k], gmst_rad[k]
        )
        r[:, s, k], v[:, s, k] = r_needed.T, v_needed.T
    # differentiated velocities where SGP4's own are off (see `differentiated`)
    if np.count_nonzero(differentiate):  # (counted first: `np.flatnonzero` is Python-level)
        sats = np.flatnonzero(differentiate)
        s, k = np.nonzero(need[sats])
        s = sats[s]
        v[:, s, k] = velocity_from_positions(satrecs, s, timebase, seconds[k]).T
    return r, v, ok


def _propagate_one_needed(
    satrec: Satrec,
    timebase: TimeBase,
    seconds: NDArray[np.float64],
    gmst_rad: NDArray[np.float64],
    need: NDArray[np.bool_],
    grid_key: Hashable,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """`_propagate_needed`'s SGP4 for one satellite (a pair's search), bit for bit: written
    component first by `propagate_one_components`, without `SatrecArray`'s set-up (most of a
    call on a few hundred samples) or the transposed copies; the whole grid's dates and
    rotation are made once per axis (`TimeBase.derived`)."""
    n_t = seconds.size
    needed = np.count_nonzero(need)
    if needed > _FULL_GRID_SHARE * n_t:
        make = _grid_rotation(timebase, seconds, gmst_rad)
        whole, fraction, cos_g, sin_g = (
            make() if grid_key is None else timebase.derived(("rotation", grid_key), make)
        )
        r, v = np.empty((3, 1, n_t)), np.empty((3, 1, n_t))
        ok = propagate_one_components(
            satrec, timebase, seconds, (cos_g, sin_g), r[:, 0], v[:, 0], (whole, fraction)
        )
        return r, v, ok.reshape(1, n_t)
    r, v = np.zeros((3, 1, n_t)), np.zeros((3, 1, n_t))
    ok = np.zeros((1, n_t), dtype=bool)
    k = need[0].nonzero()[0]
    r_k, v_k = np.empty((3, k.size)), np.empty((3, k.size))
    gmst_k = gmst_rad[k]
    ok[0, k] = propagate_one_components(
        satrec, timebase, seconds[k], (np.cos(gmst_k), np.sin(gmst_k)), r_k, v_k
    )
    r[:, 0, k], v[:, 0, k] = r_k, v_k
    return r, v, ok


def _grid_rotation(
    timebase: TimeBase, seconds: NDArray[np.float64], gmst_rad: NDArray[np.float64]
) -> Callable[[], tuple[NDArray[np.float64], ...]]:
    """The scan grid's UTC Julian dates (whole, fraction) and the cosine and sine of its
    sidereal angles, read-only (`TimeBase.derived`): what the frame rotation of every
    search on the axis would compute again (the same calls on the same arrays)."""

    def make() -> tuple[NDArray[np.float64], ...]:
        whole, fraction = timebase.jd_utc(seconds)
        arrays = (whole, fraction, np.cos(gmst_rad), np.sin(gmst_rad))
        for array in arrays:
            array.flags.writeable = False
        return arrays

    return make


def _reach_angle(
    r_max_km: NDArray[np.float64], obs_ecef: NDArray[np.float64], min_elevation_deg: float
) -> NDArray[np.float64]:
    """Return the central angle (rad, n_sat x n_obs) beyond which a satellite is below the
    threshold for an observer (-inf: never above it).

    At radius at most r_max (`r_max_km`, n_sat: `angular_rate_and_apogee`), a satellite is
    above elevation E only within acos(R cos E / r_max) - E of an observer at geocentric
    radius R; the geodetic vertical differs from the geocentric one by under 0.2 deg, which
    `VERTICAL_MARGIN_DEG` covers.
    """
    obs_radius = np.sqrt(np.add.reduce(obs_ecef * obs_ecef, axis=-1))
    e_rad = np.radians(min_elevation_deg - VERTICAL_MARGIN_DEG)
    ratio = obs_radius[None, :] * np.cos(e_rad) / r_max_km[:, None]
    return np.where(ratio < 1.0, np.arccos(np.minimum(ratio, 1.0)) - e_rad, -np.inf)


def angular_rate_and_apogee(
    element_sets: list[ElementSet],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return bounds of each satellite's Earth-fixed angular rate (rad/s) and radius (km).

    One set (a pair's search) takes the same operations on floats (+, -, *, / and a square
    root, each correctly rounded in both, so the same bits) without a dozen numpy calls on
    one-element arrays (issue 11).
    """
    if len(element_sets) == 1:
        (es,) = element_sets
        a1, e1 = semi_major_axis_km(es), es.eccentricity
        r_p1 = a1 * (1.0 - e1)
        omega1 = (
            1.05 * math.sqrt(MU_KM3_S2 * a1 * (1.0 - e1 * e1)) / (r_p1 * r_p1)
            + EARTH_ROTATION_RAD_S
        )
        return np.array([omega1]), np.array([1.02 * a1 * (1.0 + e1)])
    a = np.array([semi_major_axis_km(es) for es in element_sets])
    e = np.array([es.eccentricity for es in element_sets])
    r_p = a * (1.0 - e)
    # angular momentum / r_p^2 is the fastest inertial angular rate; 5 % for the
    # difference between mean and osculating elements, then the Earth's rotation.
    omega = 1.05 * np.sqrt(MU_KM3_S2 * a * (1.0 - e * e)) / (r_p * r_p) + EARTH_ROTATION_RAD_S
    r_max = 1.02 * a * (1.0 + e)
    return omega, r_max
