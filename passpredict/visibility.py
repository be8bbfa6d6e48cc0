"""Visible passes: when a satellite is sunlit while the observer's sky is dark.

A moment of a pass is visible when three things hold at once: the satellite is above the pass
threshold (the pass itself), it is in sunlight (`passpredict.shadow`), and the Sun is at or below
the twilight altitude at the observer (civil -6 deg by default, nautical -12, astronomical
-18, or any altitude). Each is an interval question, so for every pass we find

1. the shadow entries and exits inside it: the roots of the shadow clearance (the height of the
   line of sight to the Sun's centre above the Earth), and
2. the moments the Sun crosses the twilight altitude,

and intersect the sunlit and dark intervals with the pass. Both functions are sampled on a grid
over every pass at once (20 s and 120 s steps), and the root finder of the pass search
(`passpredict.rootfind`) refines each sign change to 1 ms. A short eclipse hiding between two
samples is not lost: an interval whose two samples are both sunlit (or both in shadow) is
resampled every second whenever the function could have changed sign in between, by the
bound |d clearance / dt| <= the satellite's speed (shadow) and 0.005 deg/s (Sun's altitude).

The Sun's altitude is geometric (no refraction: at twilight depths it is a few arcminutes) and
the sky is judged at the observer, not along the line of sight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from passpredict.ephemeris import Astronomy
from passpredict.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.magnitude import estimated_magnitude, phase_angle_deg, standard_magnitude
from passpredict.orbits import apogee_radius_km, max_speed_km_s
from passpredict.passes import PassTable
from passpredict.propagate import propagate_pairs, propagate_points
from passpredict.records import Observer, PassPoint, PassVisibility
from passpredict.rootfind import find_roots
from passpredict.shadow import shadow_clearance_km
from passpredict.sun import SunTrack
from passpredict.timebase import TimeBase
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet

#: The named twilights: the Sun's altitude (deg) at or below which the sky counts as dark.
TWILIGHT_DEG: dict[str, float] = {"civil": -6.0, "nautical": -12.0, "astronomical": -18.0}
CIVIL_TWILIGHT_DEG = TWILIGHT_DEG["civil"]

#: Scan steps (s) for the shadow clearance and the Sun's altitude, and the resampling step.
SHADOW_STEP_S = 20.0
TWILIGHT_STEP_S = 120.0
FINE_STEP_S = 1.0
#: Root-finding tolerance on times (s), as in the pass search.
TIME_TOLERANCE_S = 1e-3
#: Bound on the rate of the Sun's altitude (deg/s): 15 deg/h at most, with margin.
SUN_ALTITUDE_RATE_DEG_S = 0.005
#: Bound on how fast the Sun's direction turns in the Earth-fixed frame (rad/s), with margin,
#: which adds to the satellite's speed in the bound on the shadow clearance's rate.
_SUN_TURN_RATE_RAD_S = 8e-5
#: Samples across a visible window when looking for its brightest point.
BRIGHTNESS_SAMPLES = 61

#: (satellite indices, seconds) -> Earth-fixed positions (n, 3) km, evaluated pairwise.
PositionFunction = Callable[[NDArray[np.intp], NDArray[np.float64]], NDArray[np.float64]]
#: f(span_index, seconds) -> values, evaluated pairwise.
SpanFunction = Callable[[NDArray[np.intp], NDArray[np.float64]], NDArray[np.float64]]


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
    take precedence over the published ones in `passpredict.magnitude`.
    """

    astronomy: Astronomy
    twilight_deg: float = CIVIL_TWILIGHT_DEG
    std_magnitudes: Mapping[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_twilight(self.twilight_deg)


@dataclass(frozen=True)
class Crossings:
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
    width = np.maximum(end - start, 0.0)
    count = np.ceil(width / step_s).astype(np.intp) + 1
    count = np.maximum(count, 2)
    span = np.repeat(np.arange(start.size), count)
    first = np.cumsum(count) - count
    k = np.arange(span.size) - first[span]
    spacing = width / (count - 1)
    return span, start[span] + k * spacing[span], spacing


def span_crossings(
    f: SpanFunction,
    start: NDArray[np.float64],
    end: NDArray[np.float64],
    step_s: float,
    max_rate: NDArray[np.float64],
    fine_step_s: float = FINE_STEP_S,
) -> tuple[Crossings, NDArray[np.float64]]:
    """Return every sign change of `f` inside each span [start_i, end_i], and f at each start.

    `max_rate[i]` bounds |df/dt| on span i: an interval whose two samples share a sign but
    could hide a double crossing is resampled every `fine_step_s`.
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    if start.size == 0:
        empty = np.empty(0)
        return Crossings(np.empty(0, np.intp), empty, np.empty(0, bool)), empty
    span, t, spacing = _grid(start, end, step_s)
    values = f(span, t)
    at_start = values[np.r_[0, np.flatnonzero(np.diff(span)) + 1]]
    left = np.flatnonzero(span[:-1] == span[1:])
    fl, fr = values[left], values[left + 1]
    valid = np.isfinite(fl) & np.isfinite(fr)  # NaN: SGP4 failed there (decayed)
    change = valid & (np.signbit(fl) != np.signbit(fr))
    suspect = valid & ~change
    suspect &= np.abs(fl) + np.abs(fr) <= max_rate[span[left]] * spacing[span[left]]

    b_span = [span[left[change]]]
    b_a, b_b = [t[left[change]]], [t[left[change] + 1]]
    b_fa, b_fb = [fl[change]], [fr[change]]
    if suspect.any():
        sus = left[suspect]
        fine_owner, fine_t, _ = _grid(t[sus], t[sus + 1], fine_step_s)
        fine_span = span[sus][fine_owner]
        fine_values = f(fine_span, fine_t)
        fine_left = np.flatnonzero(fine_owner[:-1] == fine_owner[1:])
        gl, gr = fine_values[fine_left], fine_values[fine_left + 1]
        fine_change = np.isfinite(gl) & np.isfinite(gr) & (np.signbit(gl) != np.signbit(gr))
        b_span.append(fine_span[fine_left[fine_change]])
        b_a.append(fine_t[fine_left[fine_change]])
        b_b.append(fine_t[fine_left[fine_change] + 1])
        b_fa.append(gl[fine_change])
        b_fb.append(gr[fine_change])
    c_span = np.concatenate(b_span)
    c_fa, c_fb = np.concatenate(b_fa), np.concatenate(b_fb)

    def bracket_f(x: NDArray[np.float64], active: NDArray[np.intp]) -> NDArray[np.float64]:
        return f(c_span[active], x)

    roots = find_roots(
        bracket_f, np.concatenate(b_a), np.concatenate(b_b), c_fa, c_fb, TIME_TOLERANCE_S
    )
    order = np.lexsort((roots, c_span))
    return Crossings(c_span[order], roots[order], (c_fb > c_fa)[order]), at_start


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

    def clearance(_: NDArray[np.intp], seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        r, _, ok = propagate_points(satrec, timebase, seconds)
        r[~ok] = np.nan
        return shadow_clearance_km(r, sun.ecef_km(seconds))

    rate = max_speed_km_s(element_set) + _SUN_TURN_RATE_RAD_S * apogee_radius_km(element_set)
    found, _ = span_crossings(
        clearance, np.zeros(1), np.full(1, duration_s), SHADOW_STEP_S, np.full(1, rate)
    )
    return [timebase.to_datetime(s) for s in found.seconds], ~found.rising


def _intervals(
    start: float, end: float, on_at_start: bool, times: NDArray[np.float64], rising: NDArray
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
        self.timebase = timebase
        self.sun = sun
        self.obs_ecef = observer_ecef_km(list(observers))
        self.enu = observer_enu_basis(list(observers))

    def satellite(self, passes: NDArray[np.intp], seconds: NDArray[np.float64]):
        if self.positions is not None:
            return self.positions(self.sat[passes], seconds)
        r, _, ok = propagate_pairs(self.satrecs, self.sat[passes], self.timebase, seconds)
        r[~ok] = np.nan
        return r

    def clearance_km(
        self, passes: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        return shadow_clearance_km(self.satellite(passes, seconds), self.sun.ecef_km(seconds))

    def sun_elevation_deg(
        self, passes: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        o = self.obs[passes]
        _, el, _ = look_angles(self.sun.ecef_km(seconds), self.obs_ecef[o], self.enu[o])
        return el

    def look(self, passes: NDArray[np.intp], seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return (n, 3): azimuth deg, elevation deg, range km."""
        o = self.obs[passes]
        az, el, rng = look_angles(self.satellite(passes, seconds), self.obs_ecef[o], self.enu[o])
        return np.stack([az, el, rng], axis=-1)

    def magnitude(
        self, passes: NDArray[np.intp], seconds: NDArray[np.float64], std: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        r = self.satellite(passes, seconds)
        sun = self.sun.ecef_km(seconds)
        observer = self.obs_ecef[self.obs[passes]]
        rng = np.linalg.norm(r - observer, axis=-1)
        return estimated_magnitude(std, rng, phase_angle_deg(r, sun, observer))


def pass_visibility(
    table: PassTable,
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    options: VisibilityOptions,
    positions: PositionFunction | None = None,
) -> list[PassVisibility]:
    """Return the visibility of every pass of `table` (in its order).

    `table`, `element_sets` and `observers` are those of `passpredict.passes.search_passes`;
    `duration_s` is the window length (the end of a pass still in progress). `positions`
    gives the satellites' Earth-fixed positions where they are not plain SGP4 (geostationary
    satellites held at station, `passpredict.geo_look.GeoProducts.positions_km`).
    """
    n = len(table)
    if n == 0:
        return []
    span_start = np.where(np.isnan(table.rise_s), 0.0, table.rise_s)
    span_end = np.where(np.isnan(table.set_s), duration_s, table.set_s)
    culmination = table.culmination_s
    sun = SunTrack.create(
        options.astronomy, timebase, float(span_start.min()), float(span_end.max())
    )
    sky = _Sky(table, element_sets, observers, timebase, sun, positions)

    # the clearance changes as the satellite moves and as the Sun's direction turns with the
    # Earth (which moves the line's closest point by at most the turn rate times the radius)
    shadow_rate = np.array(
        [max_speed_km_s(es) + _SUN_TURN_RATE_RAD_S * apogee_radius_km(es) for es in element_sets]
    )[table.satellite_index]
    shadow, sunlit_at_start = span_crossings(
        sky.clearance_km, span_start, span_end, SHADOW_STEP_S, shadow_rate
    )

    def darkness(passes: NDArray[np.intp], seconds: NDArray[np.float64]) -> NDArray[np.float64]:
        return options.twilight_deg - sky.sun_elevation_deg(passes, seconds)

    dusk, dark_at_start = span_crossings(
        darkness, span_start, span_end, TWILIGHT_STEP_S, np.full(n, SUN_ALTITUDE_RATE_DEG_S)
    )

    everyone = np.arange(n)
    sun_elevation = sky.sun_elevation_deg(everyone, culmination)
    lit_at_culmination = sky.clearance_km(everyone, culmination) > 0.0

    # intervals per pass (few crossings each: a plain loop is clearest)
    shadow_bounds = (
        np.searchsorted(shadow.span, everyone, side="left"),
        np.searchsorted(shadow.span, everyone, side="right"),
    )
    dusk_bounds = (
        np.searchsorted(dusk.span, everyone, side="left"),
        np.searchsorted(dusk.span, everyone, side="right"),
    )
    sunlit_any = np.zeros(n, dtype=bool)
    entry = np.full(n, np.nan)
    exit_ = np.full(n, np.nan)
    windows: list[list[tuple[float, float]]] = []
    for i in range(n):
        s0, s1 = shadow_bounds[0][i], shadow_bounds[1][i]
        d0, d1 = dusk_bounds[0][i], dusk_bounds[1][i]
        lit = _intervals(
            span_start[i],
            span_end[i],
            bool(sunlit_at_start[i] > 0.0),
            shadow.seconds[s0:s1],
            shadow.rising[s0:s1],
        )
        dark = _intervals(
            span_start[i],
            span_end[i],
            bool(dark_at_start[i] >= 0.0),
            dusk.seconds[d0:d1],
            dusk.rising[d0:d1],
        )
        sunlit_any[i] = bool(lit)
        entries = shadow.seconds[s0:s1][~shadow.rising[s0:s1]]
        exits = shadow.seconds[s0:s1][shadow.rising[s0:s1]]
        entry[i] = entries[0] if entries.size else np.nan
        exit_[i] = exits[0] if exits.size else np.nan
        windows.append(_intersect(lit, dark))

    # the main visible window of each pass: the one reaching highest
    owner = np.array([i for i, w in enumerate(windows) for _ in w], dtype=np.intp)
    lo = np.array([a for w in windows for a, _ in w])
    hi = np.array([b for w in windows for _, b in w])
    chosen = np.full(n, -1, dtype=np.intp)
    peak_s = np.full(n, np.nan)
    if owner.size:
        ends = sky.look(np.concatenate([owner, owner]), np.concatenate([lo, hi]))
        el_lo, el_hi = ends[: owner.size, 1], ends[owner.size :, 1]
        holds_culmination = (lo <= culmination[owner]) & (culmination[owner] <= hi)
        peak_time = np.where(
            holds_culmination, culmination[owner], np.where(el_hi >= el_lo, hi, lo)
        )
        peak_el = np.where(holds_culmination, table.points[owner, 1, 1], np.maximum(el_lo, el_hi))
        for k in np.argsort(peak_el, kind="stable"):  # the last write per pass is the highest
            chosen[owner[k]] = k
            peak_s[owner[k]] = peak_time[k]
    vis_passes = np.flatnonzero(chosen >= 0)
    vis_points = np.empty((3, 0, 3))
    if vis_passes.size:
        win = chosen[vis_passes]
        vis_points = sky.look(
            np.tile(vis_passes, 3), np.concatenate([lo[win], hi[win], peak_s[vis_passes]])
        ).reshape(3, -1, 3)

    # magnitudes
    std = np.array(
        [
            _std_or_nan(element_sets[s].norad_id, options.std_magnitudes)
            for s in table.satellite_index
        ]
    )
    known = ~np.isnan(std)
    culm_mag = np.full(n, np.nan)
    at_culm = np.flatnonzero(known & lit_at_culmination)
    if at_culm.size:
        culm_mag[at_culm] = sky.magnitude(at_culm, culmination[at_culm], std[at_culm])
    bright_s = np.full(n, np.nan)
    bright_mag = np.full(n, np.nan)
    bright_look = np.full((n, 3), np.nan)
    rated = vis_passes[known[vis_passes]]
    if rated.size:
        w = chosen[rated]
        frac = np.linspace(0.0, 1.0, BRIGHTNESS_SAMPLES)
        times = (lo[w][:, None] + (hi[w] - lo[w])[:, None] * frac[None, :]).ravel()
        who = np.repeat(rated, BRIGHTNESS_SAMPLES)
        mags = sky.magnitude(who, times, std[who]).reshape(rated.size, BRIGHTNESS_SAMPLES)
        best = np.argmin(np.where(np.isnan(mags), np.inf, mags), axis=1)
        bright_s[rated] = times.reshape(rated.size, -1)[np.arange(rated.size), best]
        bright_mag[rated] = mags[np.arange(rated.size), best]
        bright_look[rated] = sky.look(rated, bright_s[rated])

    def when(seconds: float) -> datetime | None:
        return None if np.isnan(seconds) else timebase.to_datetime(seconds)

    def point(seconds: float, row: NDArray[np.float64]) -> PassPoint:
        return PassPoint(timebase.to_datetime(seconds), float(row[0]), float(row[1]), float(row[2]))

    def number(value: float) -> float | None:
        return float(value) if np.isfinite(value) else None

    slot = {int(p): j for j, p in enumerate(vis_passes)}
    records = []
    for i in range(n):
        j = slot.get(i)
        visible = j is not None
        records.append(
            PassVisibility(
                twilight_deg=options.twilight_deg,
                sun_elevation_deg=float(sun_elevation[i]),
                sunlit=bool(sunlit_any[i]),
                sunlit_at_culmination=bool(lit_at_culmination[i]),
                shadow_entry_utc=when(entry[i]),
                shadow_exit_utc=when(exit_[i]),
                visible_start=point(lo[chosen[i]], vis_points[0, j]) if visible else None,
                visible_peak=point(peak_s[i], vis_points[2, j]) if visible else None,
                visible_end=point(hi[chosen[i]], vis_points[1, j]) if visible else None,
                std_magnitude=number(std[i]),
                magnitude=number(culm_mag[i]),
                brightest=point(bright_s[i], bright_look[i]) if not np.isnan(bright_s[i]) else None,
                brightest_magnitude=number(bright_mag[i]),
            )
        )
    return records


def _std_or_nan(norad_id: int, supplied: Mapping[int, float]) -> float:
    found = standard_magnitude(norad_id, supplied)
    return np.nan if found is None else found.magnitude
