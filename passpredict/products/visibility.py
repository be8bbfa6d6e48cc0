"""Visible passes: when a satellite is sunlit while the observer's sky is dark.

A moment of a pass is visible when three things hold at once: the satellite is above the pass
threshold (the pass itself), it is in sunlight (`passpredict.engine.shadow`), and the Sun is at or
below
the twilight altitude at the observer (civil -6 deg by default, nautical -12, astronomical
-18, or any altitude). Each is an interval question, so for every pass we find

1. the shadow entries and exits inside it: the roots of the shadow clearance (the height of the
   line of sight to the Sun's centre above the Earth), and
2. the moments the Sun crosses the twilight altitude,

and intersect the sunlit and dark intervals with the pass. Both functions are sampled on a grid
over every pass at once (20 s and 120 s steps), and the root finder of the pass search
(`passpredict.engine.rootfind`) refines each sign change to 1 ms. A short eclipse hiding between two
samples is not lost: an interval whose two samples are both sunlit (or both in shadow) is
resampled every second whenever the function could have changed sign in between, by the
bound |d clearance / dt| <= the satellite's speed (shadow) and 0.005 deg/s (Sun's altitude);
a bound on the clearance's curvature (`passpredict.engine.shadow`) rules out most of those
resamplings, and many grid samples, without changing a crossing. Before any sampling, a pass
whose rise, culmination and set points (the pass table has the look angles there, so no SGP4
call) prove it sunlit throughout or clear of the shadow's edge is settled outright
(`_far_from_terminator`): two thirds of a catalogue's passes, the same answers to the last bit.
Likewise a pass whose Sun stays clear of the twilight altitude by the rate bound, judged from
its altitude at those three points, has its dusk settled without sampling (`_steady_darkness`,
nine passes in ten), and a bound on the curvature of the Sun's altitude
(`passpredict.engine.sun.altitude_curvature_bound_deg_s2`) spares the 1 s resampling beside a
dusk.

The Sun's altitude is geometric (no refraction: at twilight depths it is a few arcminutes) and
the sky is judged at the observer, not along the line of sight.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.arguments import described
from passpredict.engine.crossings import (  # noqa: F401 (re-exported: the tests' and callers' names)
    FINE_STEP_S,
    SCREEN_MARGIN,
    TIME_TOLERANCE_S,
    Crossings,
    CurvatureBound,
    SpanFunction,
    _grid,
    span_crossings,
    stays_off_zero,
)
from passpredict.engine.ephemeris import Astronomy
from passpredict.engine.frames import (
    elevation_deg,
    look_angles,
    observer_ecef_km,
    observer_enu_basis,
)
from passpredict.engine.orbits import apogee_radius_km, max_speed_km_s, speed_and_apogee_km
from passpredict.engine.passes import PassTable
from passpredict.engine.propagate import propagate_pairs, propagate_points, propagate_positions
from passpredict.engine.shadow import (
    clearance_and_sunward_km,
    clearance_curvature_bound_km_s2,
    shadow_clearance_km,
    sunward_curvature_bound_km_s2,
    vector_length,
)
from passpredict.engine.sun import SunTrack, altitude_curvature_bound_deg_s2
from passpredict.engine.time_axis import TimeBase
from passpredict.products.columns import VisibilityColumns, empty_visibility
from passpredict.products.magnitude import (
    STANDARD_MAGNITUDES,
    estimated_magnitude,
    phase_angle_deg,
)
from passpredict.records import Observer, PassVisibility
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet

#: The named twilights: the Sun's altitude (deg) at or below which the sky counts as dark.
TWILIGHT_DEG: dict[str, float] = {"civil": -6.0, "nautical": -12.0, "astronomical": -18.0}
CIVIL_TWILIGHT_DEG = TWILIGHT_DEG["civil"]

#: Scan steps (s) for the shadow clearance and the Sun's altitude.
SHADOW_STEP_S = 20.0
TWILIGHT_STEP_S = 120.0
#: Bound on the rate of the Sun's altitude (deg/s): 15 deg/h at most, with margin.
SUN_ALTITUDE_RATE_DEG_S = 0.005
#: Bound on how fast the Sun's direction turns in the Earth-fixed frame (rad/s), with margin,
#: which adds to the satellite's speed in the bound on the shadow clearance's rate.
_SUN_TURN_RATE_RAD_S = 8e-5
#: Samples across a visible window when looking for its brightest point.
BRIGHTNESS_SAMPLES = 61

#: (satellite indices, seconds) -> Earth-fixed positions (n, 3) km, evaluated pairwise.
PositionFunction = Callable[[NDArray[np.intp], NDArray[np.float64]], NDArray[np.float64]]


def parse_twilight(text: str) -> float:
    """Return the Sun altitude (deg) for "civil", "nautical", "astronomical" or a number.

    The altitude must lie in [-90, 0]: "dark" with the Sun above the horizon means nothing.
    """
    key = text.strip().casefold()
    if key in TWILIGHT_DEG:
        return TWILIGHT_DEG[key]
    try:
        value = float(key)
    except ValueError:
        raise ValueError(
            f"twilight {text!r} is neither civil, nautical, astronomical nor an altitude in "
            "degrees; e.g. --twilight nautical or --twilight -9"
        ) from None
    check_twilight(value)
    return value


def check_twilight(twilight_deg: float) -> None:
    if not (np.isfinite(twilight_deg) and -90.0 <= twilight_deg <= 0.0):
        raise ValueError(
            f"twilight is the Sun's altitude below which the sky counts as dark and must be "
            f"between -90 and 0 deg, got {twilight_deg!r}; e.g. -6 (civil), -12 (nautical)"
        )


def twilight_name(twilight_deg: float) -> str:
    """Return "civil twilight" etc. for the named altitudes, else "Sun below -9 deg"."""
    for name, value in TWILIGHT_DEG.items():
        if value == twilight_deg:
            return f"{name} twilight"
    return f"Sun below {twilight_deg:g} deg"


@dataclass(frozen=True)
class VisibilityOptions:
    """What visibility needs: the Sun (`astronomy`), the twilight, and standard magnitudes.

    `std_magnitudes` maps NORAD numbers to standard magnitudes supplied by the caller; they
    take precedence over the published ones in `passpredict.products.magnitude`.
    """

    astronomy: Astronomy
    twilight_deg: float = CIVIL_TWILIGHT_DEG
    std_magnitudes: Mapping[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # each refused value once failed deep inside or, worse, was dropped without a word
        # (a NORAD number as text matches no satellite)
        if not isinstance(self.astronomy, Astronomy):
            raise TypeError(
                f"astronomy must be an Astronomy (the timescale and the Sun's ephemeris), got "
                f"{described(self.astronomy)[:80]}; passpredict.ephemeris.load_astronomy() "
                "gives one"
            )
        if isinstance(self.twilight_deg, bool) or not isinstance(self.twilight_deg, numbers.Real):
            raise TypeError(
                f"twilight_deg must be a number of degrees, got {described(self.twilight_deg)}; "
                f"for a name use passpredict.visibility.parse_twilight({self.twilight_deg!r})"
            )
        check_twilight(self.twilight_deg)
        for norad_id, magnitude in self.std_magnitudes.items():
            if isinstance(norad_id, bool) or not isinstance(norad_id, numbers.Integral):
                raise TypeError(
                    f"std_magnitudes keys must be NORAD numbers (int), got {described(norad_id)}; "
                    "e.g. {25544: -1.8}"
                )
            number = not isinstance(magnitude, bool) and isinstance(magnitude, numbers.Real)
            if not number or not math.isfinite(magnitude):
                error = ValueError if number else TypeError
                raise error(
                    f"std_magnitudes[{norad_id}] must be a finite number, got "
                    f"{described(magnitude)}"
                )


def shadow_events(
    element_set: ElementSet,
    start_utc: datetime,
    end_utc: datetime,
    *,
    astronomy: Astronomy,
) -> tuple[list[datetime], NDArray[np.bool_]]:
    """Return when the satellite enters or leaves the Earth's shadow in [start_utc, end_utc].

    Returns the times (aware UTC, sorted) and a parallel array, True for an entry into shadow
    and False for an exit, in the style of Skyfield's `find_events`.
    """
    start = require_aware(start_utc, "start")
    end = require_aware(end_utc, "end")
    duration_s = (end - start).total_seconds()
    if duration_s <= 0.0:
        raise ValueError(
            f"the window must end after it starts: start {start.isoformat()}, end {end.isoformat()}"
        )
    timebase = TimeBase.create(start, end, astronomy.timescale)
    sun = SunTrack.create(astronomy, timebase, 0.0, duration_s)
    satrec = element_set.satrec()

    def clearance(_index: NDArray[np.intp], seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        r, _, ok = propagate_points(satrec, timebase, seconds)
        r[~ok] = np.nan
        return shadow_clearance_km(r, sun.ecef_km(seconds))

    rate = max_speed_km_s(element_set) + _SUN_TURN_RATE_RAD_S * apogee_radius_km(element_set)
    found, _ = span_crossings(
        clearance, np.zeros(1), np.full(1, duration_s), SHADOW_STEP_S, np.full(1, rate)
    )
    return [timebase.to_datetime(s) for s in found.seconds], ~found.rising


def _intervals(
    start: float,
    end: float,
    on_at_start: bool,
    times: Sequence[float],
    rising: Sequence[bool],
) -> list[tuple[float, float]]:
    """Turn a start state and sorted on/off switches into the 'on' intervals of [start, end]."""
    out: list[tuple[float, float]] = []
    opened: float | None = start if on_at_start else None
    for when, up in zip(times, rising, strict=True):
        if up and opened is None:
            opened = float(when)
        elif not up and opened is not None:
            if when > opened:
                out.append((opened, float(when)))
            opened = None
    if opened is not None and end > opened:
        out.append((opened, end))
    return out


def _intersect(
    first: list[tuple[float, float]], second: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in first:
        for b0, b1 in second:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi > lo:
                out.append((lo, hi))
    return sorted(out)


class _Sky:
    """Satellite, Sun and observer geometry for (pass, time) pairs."""

    def __init__(
        self,
        table: PassTable,
        element_sets: Sequence[ElementSet],
        observers: Sequence[Observer],
        timebase: TimeBase,
        sun: SunTrack,
        positions: PositionFunction | None = None,
    ) -> None:
        self.satrecs = [es.satrec() for es in element_sets]
        self.positions = positions
        self.sat = table.satellite_index
        self.obs = table.observer_index
        self.points = table.points
        self.timebase = timebase
        self.sun = sun
        self.obs_ecef = observer_ecef_km(list(observers))
        self.enu = observer_enu_basis(list(observers))

    def satellite(
        self, passes: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        if self.positions is not None:
            return self.positions(self.sat[passes], seconds)
        r, _, ok = propagate_pairs(self.satrecs, self.sat[passes], self.timebase, seconds)
        r[~ok] = np.nan
        return r

    def clearance_km(
        self, passes: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        if self.positions is not None:
            satellite = self.positions(self.sat[passes], seconds)
            return shadow_clearance_km(satellite, self.sun.ecef_km(seconds))
        # the satellites and the Sun share one sidereal angle per time, and its cos and sin
        gmst = self.timebase.gmst_rad(seconds)
        rotation = np.cos(gmst), np.sin(gmst)
        r, ok = propagate_positions(
            self.satrecs, self.sat[passes], self.timebase, seconds, rotation
        )
        r[~ok] = np.nan
        return shadow_clearance_km(r, self.sun.ecef_rotated_km(seconds, rotation))

    def clearance_from_points(
        self, sun_ecef_km: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return the shadow clearance and the sunward distance (n, 3 each, km) at each
        pass's rise, culmination and set (`clearance_and_sunward_km`), given the Sun there.

        The satellite's position comes from the pass table's look angles (no SGP4). NaN where
        the table has no point (a pass in progress at a window end).
        """
        az = np.radians(self.points[..., 0])
        el = np.radians(self.points[..., 1])
        rng = self.points[..., 2]
        horizontal = rng * np.cos(el)
        east, north, up = horizontal * np.sin(az), horizontal * np.cos(az), rng * np.sin(el)
        # each pass's observer gathered (not a loop over observers with masks); written out,
        # not matmul: no BLAS call (threads) for 3 x 3; one coordinate at a time, on (n, 3)
        # arrays (origin + east e + north n + up u, in that order: the bits of the sum on
        # (n, 3, 3) vectors, 15 % faster)
        basis = self.enu[self.obs]  # (n, 3, 3)
        origin = self.obs_ecef[self.obs]  # (n, 3)
        satellite = np.empty(self.points.shape)
        for c in range(3):
            satellite[..., c] = (
                (origin[:, None, c] + east * basis[:, None, 0, c]) + north * basis[:, None, 1, c]
            ) + up * basis[:, None, 2, c]
        return clearance_and_sunward_km(satellite, sun_ecef_km)

    def sun_elevation_from(
        self, passes: NDArray[np.intp], sun_ecef_km: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """The Sun's elevation (deg) at the observers of `passes`, from its position there."""
        o = self.obs[passes]
        return elevation_deg(sun_ecef_km, self.obs_ecef[o], self.enu[o])

    def sun_elevation_deg(
        self, passes: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        return self.sun_elevation_from(passes, self.sun.ecef_km(seconds))

    def look(self, passes: NDArray[np.intp], seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return (n, 3): azimuth deg, elevation deg, range km."""
        return self.look_from(passes, self.satellite(passes, seconds))

    def look_from(self, passes: NDArray[np.intp], r: NDArray[np.float64]) -> NDArray[np.float64]:
        """`look`, given the satellites' Earth-fixed positions r (n, 3) km there."""
        o = self.obs[passes]
        az, el, rng = look_angles(r, self.obs_ecef[o], self.enu[o])
        return np.stack([az, el, rng], axis=-1)

    def magnitude_from(
        self,
        passes: NDArray[np.intp],
        seconds: NDArray[np.float64],
        r: NDArray[np.float64],
        std: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        """The estimated magnitude at `seconds`, given the satellites' positions r there."""
        sun = self.sun.ecef_km(seconds)
        observer = self.obs_ecef[self.obs[passes]]
        rng = vector_length(r - observer)
        return estimated_magnitude(std, rng, phase_angle_deg(r, sun, observer))


class _Sweep(NamedTuple):
    """Looks and magnitudes at many (pass, time) pairs from one SGP4 sweep (`of`)."""

    positions: NDArray[np.float64]
    magnitudes: NDArray[np.float64]

    @classmethod
    def of(
        cls,
        sky: _Sky,
        looks: Sequence[tuple[NDArray[np.intp], NDArray[np.float64]]],
        gauges: Sequence[tuple[NDArray[np.intp], NDArray[np.float64]]],
        std_by_pass: NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], _Sweep]:
        """Return the looks (n, 3) at `looks`' pairs, in order, and the positions and
        magnitudes (standard magnitudes `std_by_pass`) at `gauges`' pairs, in order.

        One SGP4 call per satellite instead of one per kind of point; a position, look or
        magnitude depends only on its own pass and time, so each is what its own call gave.
        """
        parts = [*looks, *gauges]
        passes = np.concatenate([p for p, _ in parts]).astype(np.intp)
        seconds = np.concatenate([t for _, t in parts]).astype(float)
        split = sum(p.size for p, _ in looks)
        r = sky.satellite(passes, seconds) if passes.size else np.empty((0, 3))
        looked = sky.look_from(passes[:split], r[:split])
        gauged = passes[split:]
        std = std_by_pass[gauged]
        magnitudes = (
            sky.magnitude_from(gauged, seconds[split:], r[split:], std)
            if gauged.size
            else np.empty(0)
        )
        return looked, cls(r[split:], magnitudes)


def pass_visibility(
    table: PassTable,
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    options: VisibilityOptions,
    positions: PositionFunction | None = None,
) -> list[PassVisibility]:
    """Return the visibility of every pass of `table` (in its order), as records.

    See `visibility_columns`, which gives the same as arrays.
    """
    columns = visibility_columns(
        table, element_sets, observers, timebase, duration_s, options, positions
    )
    return columns.records(timebase.start_utc)


def visibility_columns(
    table: PassTable,
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    options: VisibilityOptions,
    positions: PositionFunction | None = None,
) -> VisibilityColumns:
    """Return the visibility of every pass of `table` (in its order), as arrays.

    `table`, `element_sets` and `observers` are those of `passpredict.engine.passes.search_passes`
    (the table's look angles at rise, culmination and set must be the satellite's there, as
    the search and `products.horizon.mask_table` give them: they settle most passes);
    `duration_s` is the window length (the end of a pass still in progress). `positions`
    gives the satellites' Earth-fixed positions where they are not plain SGP4 (geostationary
    satellites held at station, `passpredict.products.geo.look.GeoProducts.positions_km`).
    """
    n = len(table)
    if n == 0:
        return empty_visibility(options.twilight_deg)
    span_start = np.where(np.isnan(table.rise_s), 0.0, table.rise_s)
    span_end = np.where(np.isnan(table.set_s), duration_s, table.set_s)
    culmination = table.culmination_s
    sun = SunTrack.create(
        options.astronomy, timebase, float(span_start.min()), float(span_end.max())
    )
    sky = _Sky(table, element_sets, observers, timebase, sun, positions)

    # the clearance changes as the satellite moves and as the Sun's direction turns with the
    # Earth (which moves the line's closest point by at most the turn rate times the radius)
    speed, apogee = speed_and_apogee_km(element_sets)
    shadow_rate = (speed + _SUN_TURN_RATE_RAD_S * apogee)[table.satellite_index]

    def shadow_bend(passes: NDArray[np.intp], width_s: NDArray[np.float64]) -> NDArray[np.float64]:
        # and bends no faster than this: it spares most samples far from a crossing
        sat = table.satellite_index[passes]
        return clearance_curvature_bound_km_s2(
            speed[sat], apogee[sat], _SUN_TURN_RATE_RAD_S, width_s
        )

    # passes far from the terminator are settled from the search's own rise, culmination
    # and set points, only the others sampled (the same crossings: see _far_from_terminator);
    # the Sun there serves the screen and the Sun's altitude at culmination
    points_s = np.stack([span_start, culmination, span_end], axis=1)
    sun_at_points = sun.ecef_km(points_s.ravel()).reshape((n, 3, 3))
    far, lit_at_ends, lit_at_culmination = _far_from_terminator(
        table, sky, points_s, sun_at_points, (speed, apogee, shadow_bend), positions is None
    )
    # the others by satellite: the shadow search's samples, grouped by span, are then grouped
    # by satellite too, and its SGP4 sweeps need no sort (`propagate_pairs`); each span's
    # crossings are its own whatever the order, and are put back in pass order below
    near = np.flatnonzero(~far)
    near = near[np.argsort(table.satellite_index[near], kind="stable")]

    def near_clearance(
        passes: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        return sky.clearance_km(near[passes], seconds)

    def near_bend(passes: NDArray[np.intp], width_s: NDArray[np.float64]) -> NDArray[np.float64]:
        return shadow_bend(near[passes], width_s)

    near_shadow, near_at_start = span_crossings(
        near_clearance,
        span_start[near],
        span_end[near],
        SHADOW_STEP_S,
        shadow_rate[near],
        max_curvature=near_bend,
    )
    near_span = near[near_shadow.span]
    in_pass_order = np.lexsort((near_shadow.seconds, near_span))
    shadow = Crossings(
        near_span[in_pass_order],
        near_shadow.seconds[in_pass_order],
        near_shadow.rising[in_pass_order],
    )
    sunlit_at_start = np.where(lit_at_ends, 1.0, -1.0)
    sunlit_at_start[near] = near_at_start

    everyone = np.arange(n)
    sun_elevation = sky.sun_elevation_from(everyone, sun_at_points[:, 1])

    # the Sun's altitude: only passes where it may cross the twilight altitude are sampled
    ends = np.concatenate([everyone, everyone])
    el_ends = sky.sun_elevation_from(
        ends, np.concatenate([sun_at_points[:, 0], sun_at_points[:, 2]])
    )
    depth = options.twilight_deg - np.stack([el_ends[:n], sun_elevation, el_ends[n:]], axis=1)
    dusky = np.flatnonzero(~_steady_darkness(depth, points_s))

    def darkness(passes: NDArray[np.intp], seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        return options.twilight_deg - sky.sun_elevation_deg(dusky[passes], seconds)

    def dusk_bend(passes: NDArray[np.intp], width_s: NDArray[np.float64]) -> NDArray[np.float64]:
        # the Sun's altitude bends slowly: most 1 s resamplings beside a dusk are spared
        return altitude_curvature_bound_deg_s2(
            options.twilight_deg, SUN_ALTITUDE_RATE_DEG_S, width_s
        )

    dusky_dusk, dusky_at_start = span_crossings(
        darkness,
        span_start[dusky],
        span_end[dusky],
        TWILIGHT_STEP_S,
        np.full(dusky.size, SUN_ALTITUDE_RATE_DEG_S),
        max_curvature=dusk_bend,
    )
    dusk = Crossings(dusky[dusky_dusk.span], dusky_dusk.seconds, dusky_dusk.rising)
    dark_at_start = np.where(depth[:, 0] >= 0.0, 1.0, -1.0)
    dark_at_start[dusky] = dusky_at_start

    sunlit_any, entry, exit_, owner, lo, hi = _visible_windows(
        span_start, span_end, sunlit_at_start > 0.0, dark_at_start >= 0.0, shadow, dusk
    )

    # the main visible window of each pass: the one reaching highest; a window holding the
    # culmination peaks there (the table has its elevation), any other at an end, so only
    # those windows' ends are looked at to choose (each look is an SGP4 call: looks at the
    # same pass and instant are reused, never repeated). A pass with one window (nearly
    # all) has it as its main one whatever the looks, so only the others' are looked at
    # first; the rest join the one sweep below (a look depends only on its own pass and
    # time: the same bits in any sweep)
    chosen = np.full(n, -1, dtype=np.intp)
    peak_s = np.full(n, np.nan)
    end_looks = np.full((owner.size, 2, 3), np.nan)  # at lo, at hi
    holds_culmination = (lo <= culmination[owner]) & (culmination[owner] <= hi)
    lone = np.bincount(owner, minlength=n)[owner] == 1
    later_edge = np.flatnonzero(~holds_culmination & lone)
    if owner.size:
        edge = np.flatnonzero(~holds_culmination & ~lone)
        if edge.size:
            end_looks[edge] = _looks_at(sky, owner[edge], lo[edge], hi[edge])
        el_lo, el_hi = end_looks[:, 0, 1], end_looks[:, 1, 1]
        peak_el = np.where(holds_culmination, table.points[owner, 1, 1], np.maximum(el_lo, el_hi))
        # per pass, the highest window (the later one on a tie)
        order = np.lexsort((np.arange(owner.size), peak_el, owner))
        best = order[np.r_[np.flatnonzero(np.diff(owner[order])), order.size - 1]]
        chosen[owner[best]] = best
    vis_passes = np.flatnonzero(chosen >= 0)
    win = chosen[vis_passes]
    inner = vis_passes[holds_culmination[win]]
    std_by_satellite = _std_by_satellite(element_sets, options.std_magnitudes)
    std = std_by_satellite[table.satellite_index]
    known = ~np.isnan(std)
    at_culm = np.flatnonzero(known & lit_at_culmination)
    rated = vis_passes[known[vis_passes]]
    # the brightness is sampled across the visible window
    w = chosen[rated]
    frac = np.linspace(0.0, 1.0, BRIGHTNESS_SAMPLES)
    times = (lo[w][:, None] + (hi[w] - lo[w])[:, None] * frac[None, :]).ravel()
    who = np.repeat(rated, BRIGHTNESS_SAMPLES)
    # every position still needed, in one SGP4 sweep: the ends of the lone windows not
    # holding the culmination and of those holding it (their peak is there), the
    # culminations of those and of the passes rated sunlit there, and the brightness samples
    edges, peaks = later_edge.size, inner.size
    looked, gauged = _Sweep.of(
        sky,
        [
            (owner[later_edge], lo[later_edge]),
            (owner[later_edge], hi[later_edge]),
            (inner, lo[chosen[inner]]),
            (inner, hi[chosen[inner]]),
            (inner, culmination[inner]),
        ],
        [(at_culm, culmination[at_culm]), (who, times)],
        std,
    )
    vis_points = np.empty((3, 0, 3))
    if vis_passes.size:
        end_looks[later_edge, 0] = looked[:edges]
        end_looks[later_edge, 1] = looked[edges : 2 * edges]
        looked = looked[2 * edges :]
        end_looks[chosen[inner], 0] = looked[:peaks]
        end_looks[chosen[inner], 1] = looked[peaks : 2 * peaks]
        # the main windows' peaks: at the culmination, else at the higher end (the later
        # one on a tie)
        at_hi = end_looks[win, 1, 1] >= end_looks[win, 0, 1]
        holds = holds_culmination[win]
        peak_s[vis_passes] = np.where(
            holds, culmination[vis_passes], np.where(at_hi, hi[win], lo[win])
        )
        peak_look = np.where(at_hi[:, None], end_looks[win, 1], end_looks[win, 0])
        peak_look[holds] = looked[2 * peaks :]
        vis_points = np.stack([end_looks[win, 0], end_looks[win, 1], peak_look])

    # magnitudes
    culm_mag = np.full(n, np.nan)
    culm_mag[at_culm] = gauged.magnitudes[: at_culm.size]
    bright_s = np.full(n, np.nan)
    bright_mag = np.full(n, np.nan)
    bright_look = np.full((n, 3), np.nan)
    if rated.size:
        mags = gauged.magnitudes[at_culm.size :].reshape(rated.size, BRIGHTNESS_SAMPLES)
        best = np.argmin(np.where(np.isnan(mags), np.inf, mags), axis=1)
        bright_s[rated] = times.reshape(rated.size, -1)[np.arange(rated.size), best]
        bright_mag[rated] = mags[np.arange(rated.size), best]
        # the brightest sample's position is one of those just propagated: looked at there
        samples = gauged.positions[at_culm.size :].reshape(rated.size, BRIGHTNESS_SAMPLES, 3)
        bright_look[rated] = sky.look_from(rated, samples[np.arange(rated.size), best])

    visible_s = np.full((n, 3), np.nan)
    visible_points = np.full((n, 3, 3), np.nan)
    if vis_passes.size:
        win = chosen[vis_passes]
        visible_s[vis_passes] = np.stack([lo[win], peak_s[vis_passes], hi[win]], axis=1)
        visible_points[vis_passes] = np.stack([vis_points[0], vis_points[2], vis_points[1]], axis=1)
    return VisibilityColumns(
        twilight_deg=options.twilight_deg,
        sun_elevation_deg=np.asarray(sun_elevation, dtype=float),
        sunlit=sunlit_any,
        sunlit_at_culmination=np.asarray(lit_at_culmination, dtype=bool),
        shadow_entry_s=entry,
        shadow_exit_s=exit_,
        visible=chosen >= 0,
        visible_s=visible_s,
        visible_points=visible_points,
        std_magnitude=std,
        magnitude=culm_mag,
        brightest_s=bright_s,
        brightest_point=bright_look,
        brightest_magnitude=bright_mag,
    )


def _looks_at(
    sky: _Sky, passes: NDArray[np.intp], first_s: NDArray[np.float64], second_s: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return the looks (m, 2, 3) of `passes` at two instants each, in one SGP4 sweep."""
    both = sky.look(np.concatenate([passes, passes]), np.concatenate([first_s, second_s]))
    return np.stack([both[: passes.size], both[passes.size :]], axis=1)


#: Slack (km) on the shadow clearance computed from the search's look angles rather than from
#: SGP4: the look point lies within the search's 1 ms tolerance of its time (under 10 m along
#: the track), and the angles carry rounding far below a metre; 1 km covers both many times.
_RECONSTRUCTION_SLACK_KM = 1.0


def _far_from_terminator(
    table: PassTable,
    sky: _Sky,
    points_s: NDArray[np.float64],
    sun_ecef_km: NDArray[np.float64],
    bounds: tuple[NDArray[np.float64], NDArray[np.float64], CurvatureBound],
    use_points: bool,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Tell which passes cannot cross the shadow's edge, from their rise, culmination and set.

    The pass table already holds the satellite's look angles at those three instants, so its
    Earth-fixed position there costs no SGP4 call. A pass has no crossing when on both halves
    (rise to culmination, culmination to set) either
    - the satellite's sunward distance (`clearance_and_sunward_km`) stays positive: at both
      ends of each half it exceeds what the distance can bend back in that time
      (`sunward_curvature_bound_km_s2`: bound * width^2 / 8); the pass is then sunlit; or
    - the three shadow clearances share a sign and, on each half, both ends are farther from
      zero than the clearance can bend back (`clearance_curvature_bound_km_s2`), the test the
      sampler (`passpredict.engine.crossings`) applies to its own intervals,
    each with `_RECONSTRUCTION_SLACK_KM` to spare. Either way the crossings found are those
    of sampling every pass (tests/test_visibility.py compares them). About two thirds of the
    passes of a catalogue settle here: daylight passes and those deep in shadow.

    `points_s` (n, 3) are the span's start, the culmination and the span's end (s) and
    `sun_ecef_km` (n, 3, 3) the Sun there. `bounds` are the satellites' speed bounds (km/s)
    and apogee radii (km) by satellite and the clearance's curvature bound by pass. Returns
    per pass: settled; sunlit at the span's start (meaningful where settled); sunlit at
    culmination (for every pass: SGP4 where the clearance there is within the slack of
    zero). `use_points` False (positions not from SGP4, e.g. satellites held at station)
    settles nothing and evaluates culmination directly.
    """
    n = len(table)
    everyone = np.arange(n)
    culmination = table.culmination_s
    if not use_points:
        return (
            np.zeros(n, dtype=bool),
            np.zeros(n, dtype=bool),
            sky.clearance_km(everyone, culmination) > 0.0,
        )
    f, h = sky.clearance_from_points(sun_ecef_km)
    lit_at_culmination = f[:, 1] > 0.0
    unsure = np.flatnonzero(~(np.abs(f[:, 1]) > _RECONSTRUCTION_SLACK_KM))
    if unsure.size:
        lit_at_culmination[unsure] = sky.clearance_km(unsure, culmination[unsure]) > 0.0
    speed, apogee, clearance_bend = bounds
    sat = table.satellite_index
    sunward_bend = sunward_curvature_bound_km_s2(speed[sat], apogee[sat], _SUN_TURN_RATE_RAD_S)
    halves = np.diff(points_s, axis=1)
    lit = f[:, 1] > 0.0
    sunward = np.ones(n, dtype=bool)
    clear = ((f[:, 0] > 0.0) == lit) & ((f[:, 2] > 0.0) == lit)
    slack = _RECONSTRUCTION_SLACK_KM
    for k in (0, 1):
        width = halves[:, k]
        sunward &= stays_off_zero(h[:, k] - slack, h[:, k + 1] - slack, sunward_bend, width)
        size_l, size_r = np.abs(f[:, k]) - slack, np.abs(f[:, k + 1]) - slack
        clear &= stays_off_zero(size_l, size_r, clearance_bend(everyone, width), width)
    far = (sunward | clear) & (halves >= 0.0).all(axis=1)
    return far, lit | sunward, lit_at_culmination


def _steady_darkness(
    depth_deg: NDArray[np.float64], points_s: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Tell which passes cannot see the Sun cross the twilight altitude, from three points.

    `depth_deg` (n, 3) is the twilight altitude minus the Sun's altitude at the span's start,
    the culmination and the span's end (`points_s`, s). The altitude changes by at most
    `SUN_ALTITUDE_RATE_DEG_S`, so on a half of width w whose two depths share a sign and add
    up to more than that rate times w, the depth keeps its sign throughout; with another
    120 s step (and the sampler's margin) on w, every pair of samples of the 120 s grid,
    also one straddling the culmination, adds up to more than the rate times their spacing,
    so `span_crossings` would neither find a sign change there nor resample: no crossing,
    and the sign at the start is the sign of the first depth. About nine passes in ten of a
    day's catalogue settle here (the Sun's altitude is near the twilight's only around dusk
    and dawn).
    """
    halves = np.diff(points_s, axis=1)
    sign = np.signbit(depth_deg)
    size = np.abs(depth_deg)
    reach = SCREEN_MARGIN * SUN_ALTITUDE_RATE_DEG_S * (halves + TWILIGHT_STEP_S) + _DEPTH_SLACK_DEG
    steady: NDArray[np.bool_] = (
        (sign[:, 0] == sign[:, 1])
        & (sign[:, 1] == sign[:, 2])
        & (halves >= 0.0).all(axis=1)
        & (size[:, 0] + size[:, 1] > reach[:, 0])
        & (size[:, 1] + size[:, 2] > reach[:, 1])
    )
    return steady


#: Slack (deg) on the Sun's altitude depths of `_steady_darkness`, for rounding.
_DEPTH_SLACK_DEG = 1e-6


def _visible_windows(
    span_start: NDArray[np.float64],
    span_end: NDArray[np.float64],
    lit_at_start: NDArray[np.bool_],
    dark_at_start: NDArray[np.bool_],
    shadow: Crossings,
    dusk: Crossings,
) -> tuple[NDArray[np.bool_], NDArray[np.float64], NDArray[np.float64], Any, Any, Any]:
    """Return per pass: sunlit at all, first shadow entry and exit; and the visible windows
    (sunlit and dark) as (pass, start, end) arrays, by pass and then by time.

    A pass without crossings is lit (dark) throughout or not at all: arrays; the few with
    crossings go through the interval sweep one by one.
    """
    n = span_start.size
    everyone = np.arange(n)
    s_lo = np.searchsorted(shadow.span, everyone, side="left")
    s_hi = np.searchsorted(shadow.span, everyone, side="right")
    d_lo = np.searchsorted(dusk.span, everyone, side="left")
    d_hi = np.searchsorted(dusk.span, everyone, side="right")
    plain = (s_lo == s_hi) & (d_lo == d_hi)
    positive = span_end > span_start
    sunlit_any = plain & lit_at_start & positive
    entry = np.full(n, np.nan)
    exit_ = np.full(n, np.nan)
    simple = np.flatnonzero(plain & lit_at_start & dark_at_start & positive)
    # the crossed passes' windows gather in plain lists (an array per pass cost more than
    # the sweep itself) and join the simple ones once at the end
    owners: list[int] = []
    los: list[float] = []
    his: list[float] = []
    # the sweep on Python lists: numpy scalars cost more than the sweep itself
    shadow_s, shadow_up = shadow.seconds.tolist(), shadow.rising.tolist()
    dusk_s, dusk_up = dusk.seconds.tolist(), dusk.rising.tolist()
    starts, ends = span_start.tolist(), span_end.tolist()
    lit0, dark0 = lit_at_start.tolist(), dark_at_start.tolist()
    # a single switch of one kind (nine in ten of the crossed passes): arrays too
    single = _single_switch_windows(
        (s_hi - s_lo == 1) & (d_hi == d_lo),
        (s_hi == s_lo) & (d_hi - d_lo == 1),
        (span_start, span_end, lit_at_start, dark_at_start),
        shadow,
        dusk,
        (s_lo, d_lo),
    )
    one, one_lit, one_entry, one_exit, one_owner, one_lo, one_hi = single
    sunlit_any[one] = one_lit
    entry[one] = one_entry
    exit_[one] = one_exit
    crossed = np.flatnonzero(~plain)
    crossed = crossed[~np.isin(crossed, one, assume_unique=True)]
    bounds = np.stack([s_lo, s_hi, d_lo, d_hi])[:, crossed].T.tolist()
    for i, (s0, s1, d0, d1) in zip(crossed.tolist(), bounds, strict=True):
        rising = shadow_up[s0:s1]
        switches = shadow_s[s0:s1]
        lit = _intervals(starts[i], ends[i], lit0[i], switches, rising)
        dark = _intervals(starts[i], ends[i], dark0[i], dusk_s[d0:d1], dusk_up[d0:d1])
        sunlit_any[i] = bool(lit)
        entry[i] = next((t for t, up in zip(switches, rising, strict=True) if not up), np.nan)
        exit_[i] = next((t for t, up in zip(switches, rising, strict=True) if up), np.nan)
        for lo, hi in _intersect(lit, dark):
            owners.append(i)
            los.append(lo)
            his.append(hi)
    owner = np.concatenate([simple, one_owner, np.array(owners, dtype=np.intp)]).astype(np.intp)
    order = np.argsort(owner, kind="stable")
    return (
        sunlit_any,
        entry,
        exit_,
        owner[order],
        np.concatenate([span_start[simple], one_lo, np.array(los, dtype=float)])[order],
        np.concatenate([span_end[simple], one_hi, np.array(his, dtype=float)])[order],
    )


def _single_switch_windows(
    one_shadow: NDArray[np.bool_],
    one_dusk: NDArray[np.bool_],
    spans: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]],
    shadow: Crossings,
    dusk: Crossings,
    firsts: tuple[NDArray[np.intp], NDArray[np.intp]],
) -> tuple[NDArray[Any], ...]:
    """`_visible_windows`' sweep for the passes with one switch in all (one shadow crossing
    and no dusk, or one dusk and no shadow crossing), on arrays.

    `spans` are every pass's span start and end and whether it is lit and dark at its start,
    `firsts` each pass's first shadow and dusk crossing (indices into `shadow`, `dusk`).
    Returns those passes, their sunlit_any, shadow entry and exit, and their visible windows
    (owner, start, end; at most one each). The same comparisons as `_intervals` and
    `_intersect` make, so the same windows, to the bit (tests/test_visibility.py).
    """
    span_start, span_end, lit_at_start, dark_at_start = spans
    s_lo, d_lo = firsts
    one = np.flatnonzero(one_shadow | one_dusk)
    start, end = span_start[one], span_end[one]
    shadow_only = one_shadow[one]
    # the switch: its time and direction
    when = np.empty(one.size)
    up = np.empty(one.size, dtype=bool)
    by_shadow, by_dusk = s_lo[one[shadow_only]], d_lo[one[~shadow_only]]
    when[shadow_only], up[shadow_only] = shadow.seconds[by_shadow], shadow.rising[by_shadow]
    when[~shadow_only], up[~shadow_only] = dusk.seconds[by_dusk], dusk.rising[by_dusk]
    # the interval [a, b] of the switching kind (`_intervals`), and whether there is one
    on0 = np.where(shadow_only, lit_at_start[one], dark_at_start[one])
    a = np.where(on0, start, when)
    b = np.where(on0 & ~up, when, end)
    switched_on = np.where(on0, np.where(up, end > start, when > start), up & (end > when))
    # the other kind is constant over the pass: on throughout (if the span is not empty) or off
    other_on = np.where(shadow_only, dark_at_start[one], lit_at_start[one]) & (end > start)
    lit_any = np.where(shadow_only, switched_on, other_on)
    entry = np.where(shadow_only & ~up, when, np.nan)
    exit_ = np.where(shadow_only & up, when, np.nan)
    lo, hi = np.maximum(a, start), np.minimum(b, end)
    window = switched_on & other_on & (hi > lo)
    return one, lit_any, entry, exit_, one[window], lo[window], hi[window]


def _std_by_satellite(
    element_sets: Sequence[ElementSet], supplied: Mapping[int, float]
) -> NDArray[np.float64]:
    """Each set's standard magnitude (`standard_magnitude`: the caller's, else the published
    one), NaN where there is none; one dict look-up per set (a catalogue has 15,000)."""
    known = {norad: found.magnitude for norad, found in STANDARD_MAGNITUDES.items()}
    known.update((norad, float(value)) for norad, value in supplied.items())
    if not known:
        return np.full(len(element_sets), np.nan)
    return np.array([known.get(es.norad_id, np.nan) for es in element_sets], dtype=float)
