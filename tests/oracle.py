"""A brute-force pass oracle for the engine's tests, independent of `passpredict.engine.passes`.

It asks Skyfield's full-accuracy path, `(satellite - wgs84.latlon(...)).at(t).altaz()`, for the
elevation every second over the whole window, then refines: threshold crossings by bisection
to under a millisecond, and elevation maxima (and minima) by golden-section search to
1e-5 s. Nothing here is clever, which is the point: it is slow, simple and hard to get wrong.

A pass can hide between two samples (a graze shorter than the sampling step). The oracle does
not miss it because it refines every sampled local maximum that lies within a provable bound
below the threshold: the elevation rate is at most the angular rate of the line of sight in
the rotating topocentric frame, `|r x v| / |r|^2 + omega_earth`, and the true maximum lies
within half a step of a sample. Local minima just above the threshold are refined the same way,
so a brief dip below the threshold inside a pass would not be missed either.

Times inside the oracle are float seconds of TT since the window start, which is exact enough
(about 1e-10 s over a few days) and free of leap-second trouble.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sgp4.api import WGS72, Satrec
from skyfield.api import EarthSatellite, wgs84
from skyfield.timelib import Time, Timescale
from skyfield.toposlib import GeographicPosition

from tle_cache.elements import ElementSet

#: Sampling step of the brute-force scan (a window may choose a coarser one for a slow
#: satellite: the refinement margin grows with the step, so nothing is lost).
SAMPLE_STEP_S = 1.0
#: Bisection stops when a crossing is bracketed this tightly; the midpoint is then reported.
CROSSING_BRACKET_S = 0.5e-3
#: Golden-section search for extrema stops at this bracket width.
EXTREMUM_BRACKET_S = 1e-5
#: Earth's rotation rate, for the bound on how fast elevation can change.
EARTH_ROTATION_DEG_PER_S = math.degrees(7.2921159e-5)
#: Samples per Skyfield call while scanning: bounds memory (Skyfield caches rotation
#: matrices on each Time array).
CHUNK_SAMPLES = 21600

_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
_J2000_UTC = datetime(2000, 1, 1, 12, tzinfo=UTC)  # JD 2451545.0 on the UTC scale


def read_element_sets(path: Path) -> list[ElementSet]:
    """Read a 3LE file (name line, line 1, line 2) into `ElementSet` records.

    Built here rather than with the package's parser so that the oracle tests depend only on
    the `ElementSet` record and SGP4 itself.
    """
    lines = [line.rstrip() for line in path.read_text().splitlines() if line.strip()]
    if len(lines) % 3:
        raise ValueError(f"{path}: expected name/line1/line2 triplets, got {len(lines)} lines")
    sets = []
    for i in range(0, len(lines), 3):
        name, line1, line2 = lines[i].strip(), lines[i + 1], lines[i + 2]
        sat = Satrec.twoline2rv(line1, line2, WGS72)
        epoch = _J2000_UTC + timedelta(days=(sat.jdsatepoch - 2451545.0) + sat.jdsatepochF)
        omm = {
            "OBJECT_NAME": name,
            "NORAD_CAT_ID": sat.satnum,
            "MEAN_MOTION": float(line2[52:63]),
            "ECCENTRICITY": float("0." + line2[26:33].strip()),
            "INCLINATION": float(line2[8:16]),
            "RA_OF_ASC_NODE": float(line2[17:25]),
            "ARG_OF_PERICENTER": float(line2[34:42]),
            "MEAN_ANOMALY": float(line2[43:51]),
        }
        sets.append(
            ElementSet(
                norad_id=sat.satnum,
                name=name,
                epoch_utc=epoch,
                omm=omm,
                tle_lines=(line1, line2),
                source=str(path.name),
            )
        )
    return sets


@dataclass(frozen=True)
class Window:
    """The search window, with seconds of TT since its start as the oracle's time axis."""

    timescale: Timescale
    start_utc: datetime
    end_utc: datetime
    step_s: float = SAMPLE_STEP_S

    @property
    def t0(self) -> Time:
        return self.timescale.from_datetime(self.start_utc)

    @property
    def duration_s(self) -> float:
        t0 = self.t0
        t1 = self.timescale.from_datetime(self.end_utc)
        return ((t1.whole - t0.whole) + (t1.tt_fraction - t0.tt_fraction)) * 86400.0

    def time(self, seconds: NDArray[np.float64]) -> Time:
        """Return a Skyfield `Time` (array) for seconds since the window start."""
        t0 = self.t0
        seconds = np.asarray(seconds, dtype=float)
        return self.timescale.tt_jd(
            np.full(seconds.shape, t0.whole), t0.tt_fraction + seconds / 86400.0
        )

    def sample_seconds(self) -> NDArray[np.float64]:
        """Return the scan grid: every `step_s` from the start, plus the end itself."""
        duration = self.duration_s
        grid = np.arange(0.0, duration, self.step_s)
        if grid.size == 0 or duration - grid[-1] > 1e-9:
            grid = np.append(grid, duration)
        return grid


@dataclass(frozen=True)
class Track:
    """One satellite as seen from one place, through Skyfield's full-accuracy path."""

    satellite: EarthSatellite
    topos: GeographicPosition

    @classmethod
    def create(
        cls,
        element_set: ElementSet,
        latitude_deg: float,
        longitude_deg: float,
        elevation_m: float,
        timescale: Timescale,
    ) -> Track:
        line1, line2 = element_set.tle_lines
        satellite = EarthSatellite(line1, line2, element_set.name, timescale)
        topos = wgs84.latlon(latitude_deg, longitude_deg, elevation_m=elevation_m)
        return cls(satellite, topos)

    def look(self, t: Time) -> tuple[NDArray, NDArray, NDArray]:
        """Return (elevation_deg, azimuth_deg, range_km) at `t`."""
        alt, az, distance = (self.satellite - self.topos).at(t).altaz()
        return alt.degrees, az.degrees, distance.km

    def look_and_rate(self, t: Time) -> tuple[NDArray, NDArray]:
        """Return elevation_deg and a bound on |d elevation / dt| in deg/s at `t`."""
        position = (self.satellite - self.topos).at(t)
        alt, _, _ = position.altaz()
        r = position.position.km
        v = position.velocity.km_per_s
        angular_rate = np.linalg.norm(np.cross(r, v, axis=0), axis=0) / np.sum(r * r, axis=0)
        return alt.degrees, np.degrees(angular_rate) + EARTH_ROTATION_DEG_PER_S


@dataclass(frozen=True)
class Samples:
    """The scan of one track: elevation and a bound on its rate at every grid point."""

    seconds: NDArray[np.float64]
    elevation_deg: NDArray[np.float64]
    rate_bound_deg_per_s: NDArray[np.float64]


def scan(tracks: Sequence[Track], window: Window) -> list[Samples]:
    """Sample every track on the window's 1 s grid.

    The grid is cut into chunks and each chunk's `Time` is shared by all tracks: Skyfield
    caches the expensive Earth-orientation matrices on the `Time` object, so the scan costs
    little more for ten tracks than for one.
    """
    seconds = window.sample_seconds()
    elevations = [np.empty_like(seconds) for _ in tracks]
    rates = [np.empty_like(seconds) for _ in tracks]
    for begin in range(0, seconds.size, CHUNK_SAMPLES):
        chunk = slice(begin, begin + CHUNK_SAMPLES)
        t = window.time(seconds[chunk])
        for k, track in enumerate(tracks):
            elevations[k][chunk], rates[k][chunk] = track.look_and_rate(t)
    return [Samples(seconds, e, r) for e, r in zip(elevations, rates, strict=True)]


@dataclass(frozen=True)
class OraclePoint:
    seconds: float
    time_utc: datetime
    azimuth_deg: float
    elevation_deg: float
    range_km: float


@dataclass(frozen=True)
class OraclePass:
    rise: OraclePoint | None
    culmination: OraclePoint
    set: OraclePoint | None

    @property
    def max_elevation_deg(self) -> float:
        return self.culmination.elevation_deg

    @property
    def duration_s(self) -> float | None:
        if self.rise is None or self.set is None:
            return None
        return self.set.seconds - self.rise.seconds


def find_passes(
    track: Track, window: Window, samples: Samples, min_elevation_deg: float
) -> list[OraclePass]:
    """Return every pass of `track` above `min_elevation_deg` in `window`, by brute force."""
    seconds, elevation = samples.seconds, samples.elevation_deg
    threshold = float(min_elevation_deg)

    # 1. Refine the sampled extrema that could hide a crossing between two samples.
    extrema_s = [_refine_extrema(track, window, samples, threshold, sign) for sign in (1.0, -1.0)]
    extra_s = np.concatenate(extrema_s)
    extra_el = _elevation(track, window, extra_s)

    # 2. Merge them with the samples: no crossing pair can hide between these points.
    points_s = np.concatenate((seconds, extra_s))
    points_el = np.concatenate((elevation, extra_el))
    order = np.argsort(points_s, kind="stable")
    points_s, points_el = points_s[order], points_el[order]
    above = points_el >= threshold

    # 3. Bisect every change of state to a crossing time.
    change = np.flatnonzero(above[1:] != above[:-1])
    crossings_s = _bisect_crossings(
        track, window, points_s[change], points_s[change + 1], above[change], threshold
    )
    crossing_at = dict(zip(change.tolist(), crossings_s.tolist(), strict=True))

    # 4. Runs of "above" are passes; the highest point of each run is its culmination.
    edges = np.diff(np.concatenate(([0], above.astype(np.int8), [0])))
    runs = zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True)

    events: list[tuple[float | None, float, float | None]] = []
    for first, last in runs:
        first, last = int(first), int(last)
        rise_s = crossing_at[first - 1] if first > 0 else None
        set_s = crossing_at[last] if last < above.size - 1 else None
        top = first + int(np.argmax(points_el[first : last + 1]))
        events.append((rise_s, float(points_s[top]), set_s))
    return _passes_with_looks(track, window, events)


def _elevation(track: Track, window: Window, seconds: NDArray[np.float64]) -> NDArray:
    if seconds.size == 0:
        return np.empty(0)
    return track.look(window.time(seconds))[0]


def _refine_extrema(
    track: Track, window: Window, samples: Samples, threshold: float, sign: float
) -> NDArray[np.float64]:
    """Refine sampled maxima (sign +1) or minima (sign -1) that lie near the threshold.

    A sampled maximum `e[k]` can hide a true maximum above the threshold only if
    `e[k] >= threshold - margin`, where the margin is half a step times the largest
    elevation rate nearby (we take a whole step, for safety).
    """
    s, e = samples.seconds, sign * samples.elevation_deg
    n = s.size
    if n < 2:
        return np.empty(0)
    rate = samples.rate_bound_deg_per_s
    rate_near = np.maximum(rate, np.maximum(np.roll(rate, 1), np.roll(rate, -1)))
    margin = window.step_s * rate_near

    is_peak = np.zeros(n, dtype=bool)
    is_peak[1:-1] = (e[1:-1] >= e[:-2]) & (e[1:-1] >= e[2:])
    is_peak[0] = e[0] >= e[1]
    is_peak[-1] = e[-1] >= e[-2]
    elevation = samples.elevation_deg
    near = elevation >= threshold - margin if sign > 0 else elevation <= threshold + margin
    k = np.flatnonzero(is_peak & near)
    if k.size == 0:
        return np.empty(0)
    low = s[np.maximum(k - 1, 0)]
    high = s[np.minimum(k + 1, n - 1)]
    return _golden_section_max(
        lambda x: sign * _elevation(track, window, x), low, high, EXTREMUM_BRACKET_S
    )


def _golden_section_max(f, low: NDArray, high: NDArray, bracket_s: float) -> NDArray:
    """Vectorised golden-section search for the maximum of `f` on each [low, high]."""
    a, b = low.astype(float).copy(), high.astype(float).copy()
    width = float(np.max(b - a))
    iterations = 0
    if width > bracket_s:
        iterations = math.ceil(math.log(bracket_s / width) / math.log(_GOLDEN))
    c = b - _GOLDEN * (b - a)
    d = a + _GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        left = fc >= fd  # maximum lies in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        new_c = b - _GOLDEN * (b - a)
        new_d = a + _GOLDEN * (b - a)
        c, d = np.where(left, new_c, d), np.where(left, c, new_d)
        probe = np.where(left, c, d)
        f_probe = f(probe)
        fc, fd = np.where(left, f_probe, fd), np.where(left, fc, f_probe)
    # The bracket ends themselves are candidates too (a maximum at the window edge).
    candidates = np.stack((a, (a + b) / 2.0, b))
    values = np.stack([f(x) for x in candidates])
    return candidates[np.argmax(values, axis=0), np.arange(a.size)]


def _bisect_crossings(
    track: Track,
    window: Window,
    low: NDArray,
    high: NDArray,
    above_at_low: NDArray,
    threshold: float,
) -> NDArray[np.float64]:
    """Vectorised bisection for the threshold crossing in each [low, high]."""
    if low.size == 0:
        return np.empty(0)
    a, b = low.astype(float).copy(), high.astype(float).copy()
    width = float(np.max(b - a))
    iterations = 0
    if width > CROSSING_BRACKET_S:
        iterations = math.ceil(math.log2(width / CROSSING_BRACKET_S))
    for _ in range(iterations):
        mid = (a + b) / 2.0
        same_as_low = (_elevation(track, window, mid) >= threshold) == above_at_low
        a = np.where(same_as_low, mid, a)
        b = np.where(same_as_low, b, mid)
    return (a + b) / 2.0


def _passes_with_looks(
    track: Track, window: Window, events: Iterable[tuple[float | None, float, float | None]]
) -> list[OraclePass]:
    events = list(events)
    if not events:
        return []
    flat = [x for event in events for x in event if x is not None]
    t = window.time(np.array(flat))
    elevation, azimuth, range_km = track.look(t)
    utc = t.utc_datetime()
    points = iter(
        OraclePoint(s, u, float(az), float(el), float(r))
        for s, u, az, el, r in zip(flat, utc, azimuth, elevation, range_km, strict=True)
    )
    passes = []
    for rise_s, _, set_s in events:
        rise = next(points) if rise_s is not None else None
        culmination = next(points)
        set_ = next(points) if set_s is not None else None
        passes.append(OraclePass(rise, culmination, set_))
    return passes
