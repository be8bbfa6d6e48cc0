"""Benchmark: passpredict's pass search against Skyfield's `find_events`, and its agreement
with Skyfield and sgp4-predict (issues 7 and 11).

All sides run in this process, on the same element sets, observers and window. Speed:

  (a) SPOT 7 x Baku x 30 days                          target: at least 10x Skyfield
  (b) 1,000 LEO objects x 10 observers x 1 day         target: at least 30x Skyfield
  (c) the whole CelesTrak `active` snapshot x Baku x 1 day: time and peak memory (< 2 GB)

For each it also times raw SGP4 on the same coarse grid our engine scans (SatrecArray, no
frames, no geometry) and gives our time as a multiple of it.

Agreement, on the same pairs (all of (a), a random sample of (b) and (c)):
- with Skyfield: the same passes, rise, culmination and set within 0.5 s; the worst
  difference is printed as it is, whatever its size; where a pair differs, a referee (a 1 s
  scan of Skyfield's own altitudes, crossings bisected to 1 ms) says who is right;
- the azimuth, elevation and range of ours at every event against Skyfield's `altaz` at the
  same instants (limits 0.001 deg and 10 m);
- with sgp4-predict (peer_sgp4_predict.py), the same way; it rotates the Earth at UTC, not
  UT1, so its figures are reported as they are, its look angles checked against Skyfield at
  its own instants, and the referee judges every pair where it differs from ours;
  (d) geostationary: Azerspace-1 and -2 from Baku, our look angles (where it hangs, and its
  elevation range over the day on a 10-minute grid) against Skyfield's and sgp4-predict's.

Timing (bench_common.py): both sides run the same number of times, interleaved, and each is
summarised by its median CPU time: 21 runs in (a), one in (b) and (c), where Skyfield's loop
over pairs takes seconds. For (b) and (c) the Skyfield side is, by default, estimated from a
random sample of pairs (its time per pair times the number of pairs); the output says so.
`--full-skyfield` loops over every pair instead (about 4 minutes more).

Run from the repository root:  python benchmarks/bench_passes.py [--full-skyfield]
"""

from __future__ import annotations

import one_blas_thread  # noqa: F401  (before numpy: one BLAS thread, see its docstring)

# isort: split
import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
import peer_sgp4_predict as peer
from bench_common import (
    AZERSPACE,
    DATA,
    MIN_ELEVATION_DEG,
    SEED,
    SNAPSHOT_DATE,
    SPOT7,
    WINDOW_START,
    Target,
    Window,
    case,
    fmt,
    interleaved,
    machine,
    print_targets,
)
from sgp4.api import SatrecArray
from skyfield.api import EarthSatellite, wgs84
from skyfield.sgp4lib import theta_GMST1982

from passpredict.engine.ephemeris import load_timescale
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.passes import PassTable, coarse_step_s, search_passes
from passpredict.engine.time_axis import TimeBase
from passpredict.products.geo.look import SAMPLE_STEP_S, geostationary_looks
from passpredict.records import Observer
from passpredict.runs.batch import run_batch
from tle_cache.elements import ElementSet
from tle_cache.parse import read_file

#: Agreement: the same passes, rise / culmination / set within this of the peer's.
AGREEMENT_S = 0.5
#: Agreement of look angles at the same instant (deg; azimuth as an angle on the sky) and range.
ANGLE_LIMIT_DEG = 1e-3
RANGE_LIMIT_KM = 0.01
#: At most this many differing pairs per comparison go to the referee (each costs ~0.2 s).
MAX_REFEREED = 50
SPEED_ROUNDS_A = 21

BAKU = Observer("Baku", 40.4093, 49.8671, -28.0)
#: Ten places from the Arctic to the Antarctic, on the equator and in between.
OBSERVERS = (
    BAKU,
    Observer("Shamakhi", 40.7720, 48.5846, 1435.0),
    Observer("Tromsø", 69.6496, 18.9560, 10.0),
    Observer("Longyearbyen", 78.2232, 15.6267, 10.0),
    Observer("Quito", -0.1807, -78.4678, 2850.0),
    Observer("Singapore", 1.3521, 103.8198, 15.0),
    Observer("Nairobi", -1.2921, 36.8219, 1795.0),
    Observer("Sydney", -33.8688, 151.2093, 58.0),
    Observer("McMurdo", -77.8419, 166.6863, 10.0),
    Observer("Washington", 38.9072, -77.0369, 20.0),
)

#: One pass: (rise, culmination, set), seconds from the window start; None where cut.
Times = tuple[float | None, float | None, float | None]


# --- raw SGP4 ------------------------------------------------------------------------------


def raw_sgp4(element_sets: Sequence[ElementSet], timebase: TimeBase, duration_s: float):
    """Return a function running SatrecArray on the engine's own coarse grids (one per scan
    step), and the number of samples; the setup is not timed."""
    groups: dict[float, list] = {}
    for es in element_sets:
        groups.setdefault(coarse_step_s(es), []).append(es.satrec())
    grids = []
    for step_s, satrecs in groups.items():
        seconds = np.append(np.arange(0.0, duration_s, step_s), duration_s)
        whole, fraction = timebase.jd_utc(seconds)
        grids.append((SatrecArray(satrecs), whole, fraction))
    samples = sum(len(g[0]) * g[1].size for g in grids)

    def run() -> None:
        for array, whole, fraction in grids:
            array.sgp4(whole, fraction)

    return run, samples


# --- Skyfield ------------------------------------------------------------------------------


def skyfield_events(satellite: EarthSatellite, observer: Observer, window: Window, timescale):
    """Run Skyfield's `find_events` (the timed part): return its raw answer and inputs."""
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    t0 = timescale.from_datetime(window.start_utc)
    t1 = timescale.from_datetime(window.end_utc)
    times, events = satellite.find_events(topos, t0, t1, altitude_degrees=MIN_ELEVATION_DEG)
    return times, events, t0, satellite, topos


def group_events(times, events, t0, satellite, topos) -> list[Times]:
    """Turn `find_events` output into passes: (rise, culmination, set), s from the start.

    Not timed. A pass already up at the start has no rise; one still up at the end no set.
    Of several culminations in one pass, the highest is kept.
    """
    seconds = (times.tt - t0.tt) * 86400.0
    altitude = None
    if (events == 1).any():
        altitude = (satellite - topos).at(times).altaz()[0].degrees
    passes, current = [], None
    for k, (s, event) in enumerate(zip(seconds.tolist(), events.tolist(), strict=True)):
        if event == 0:
            current = [s, None, None, -99.0]
        else:
            if current is None:
                current = [None, None, None, -99.0]
            if event == 1 and altitude[k] > current[3]:
                current[1], current[3] = s, altitude[k]
            if event == 2:
                current[2] = s
                passes.append(tuple(current[:3]))
                current = None
    if current is not None:
        passes.append(tuple(current[:3]))
    return passes


def skyfield_altaz(satellite, topos, window: Window, timescale, seconds: np.ndarray):
    """Skyfield's (azimuth deg, elevation deg, range km) at `seconds` after the window start."""
    t0 = timescale.from_datetime(window.start_utc)
    t = timescale.tt_jd(np.full(seconds.size, t0.whole), t0.tt_fraction + seconds / 86400.0)
    altitude, azimuth, distance = (satellite - topos).at(t).altaz()
    return azimuth.degrees, altitude.degrees, distance.km


def our_rows(table: PassTable, satellite: int, observer: int) -> np.ndarray:
    return np.flatnonzero((table.satellite_index == satellite) & (table.observer_index == observer))


def our_passes(table: PassTable, satellite: int, observer: int) -> list[Times]:
    rows = our_rows(table, satellite, observer)
    return [
        tuple(None if np.isnan(x) else float(x) for x in row)
        for row in zip(
            table.rise_s[rows], table.culmination_s[rows], table.set_s[rows], strict=True
        )
    ]


# --- agreement -----------------------------------------------------------------------------


def match_passes(
    ours: list[Times], theirs: list[Times], duration_s: float
) -> tuple[list[tuple[Times, Times]], list[Times], list[Times]]:
    """Pair passes whose spans overlap (a pass cut by a window end spans to that end)."""

    def span(p: Times) -> tuple[float, float]:
        return (0.0 if p[0] is None else p[0], duration_s if p[2] is None else p[2])

    matched, only_ours, left = [], [], list(theirs)
    for mine in ours:
        start, end = span(mine)
        hits = [t for t in left if span(t)[0] <= end and span(t)[1] >= start]
        if hits:
            best = min(hits, key=lambda t: abs(span(t)[0] - start))
            left.remove(best)
            matched.append((mine, best))
        else:
            only_ours.append(mine)
    return matched, only_ours, left


def comparable(which: str, a: float | None, b: float | None, duration_s: float) -> bool:
    """Both times given, and not a culmination at a window end (where a pass is cut)."""
    if a is None or b is None:
        return False
    return not (which == "culmination" and min(a, duration_s - a) < 1e-6)


def differences(ours: list[Times], theirs: list[Times], duration_s: float, peer: str) -> list[str]:
    """Say how two lists of (rise, culmination, set) differ beyond `AGREEMENT_S`."""
    matched, only_ours, only_theirs = match_passes(ours, theirs, duration_s)
    found = [f"pass from {_s(p[0] or 0.0)} only in ours" for p in only_ours]
    found += [f"pass from {_s(p[0] or 0.0)} only in {peer}'s" for p in only_theirs]
    for mine, their in matched:
        for which, a, b in zip(("rise", "culmination", "set"), mine, their, strict=True):
            if which == "culmination" and (a is None or b is None):
                continue  # a pass cut by a window end: a peer may give no culmination
            if (a is None) != (b is None):
                found.append(f"{which} {_s(a)} vs {peer} {_s(b)}")
            elif comparable(which, a, b, duration_s) and abs(a - b) > AGREEMENT_S:
                found.append(f"{which} at {a:.3f} s, {peer} {b:.3f} s")
    return found


def _s(value: float | None) -> str:
    return "none" if value is None else f"{value:.3f} s"


@dataclass
class Agreement:
    """Our passes against a peer's, pair by pair: the worst difference as it is, and the pairs
    that differ beyond `AGREEMENT_S` with the referee's verdict on each."""

    peer: str
    pairs: int = 0
    passes: int = 0
    peer_passes: int = 0
    events: int = 0
    worst_s: float = 0.0
    worst_label: str = ""
    over_limit: int = 0
    problems: dict = field(default_factory=dict)  # pair -> list of messages
    verdicts: dict = field(default_factory=dict)  # pair -> who the referee sides with

    def add(self, pair, label: str, ours: list[Times], theirs: list[Times], duration_s: float):
        self.pairs += 1
        self.passes += len(ours)
        self.peer_passes += len(theirs)
        messages = differences(ours, theirs, duration_s, self.peer)
        if messages:
            self.problems[pair] = [f"{label}: {m}" for m in messages]
        matched, _, _ = match_passes(ours, theirs, duration_s)
        for mine, their in matched:
            for which, a, b in zip(("rise", "culmination", "set"), mine, their, strict=True):
                if comparable(which, a, b, duration_s):
                    self.events += 1
                    self.over_limit += abs(a - b) > AGREEMENT_S
                    if abs(a - b) > self.worst_s:
                        self.worst_s, self.worst_label = abs(a - b), f"{which}, {label}"

    @property
    def against_ours(self) -> int:
        """Pairs that differ where the referee does not side with ours (or did not judge)."""
        return sum(self.verdicts.get(pair) not in ("ours", "both") for pair in self.problems)

    def summary(self) -> str:
        head = (
            f"{self.peer} on {self.pairs:,} pairs: passes ours {self.passes:,}, "
            f"{self.peer} {self.peer_passes:,}; {self.events:,} rise/culmination/set times "
            f"compared, worst difference {self.worst_s:.3f} s ({self.worst_label or 'none'}), "
            f"{self.over_limit} over {AGREEMENT_S} s"
        )
        if not self.problems:
            return head + f"; AGREE (limit {AGREEMENT_S} s)"
        tally = {
            v: sum(x == v for x in self.verdicts.values()) for v in set(self.verdicts.values())
        }
        verdicts = ", ".join(f"{who} {n}" for who, n in sorted(tally.items()))
        lines = [
            head + f"; {len(self.problems)} pairs DIFFER; the referee (a 1 s scan of Skyfield's "
            f"own altitudes, refined to 1 ms) judged {len(self.verdicts)} of them and sides "
            f"with: {verdicts}"
        ]
        for pair, messages in list(self.problems.items())[:8]:
            verdict = self.verdicts.get(pair, "not judged")
            lines += [f"      ! {m} -> referee: {verdict}" for m in messages[:3]]
        return "\n    ".join(lines)


@dataclass
class Looks:
    """Look angles at events against Skyfield's `altaz` at the same instants; the worst."""

    who: str
    events: int = 0
    azimuth_deg: float = 0.0  # |d azimuth| cos(elevation): the angle on the sky
    elevation_deg: float = 0.0
    range_km: float = 0.0

    def add(self, mine: np.ndarray, theirs: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """`mine` (n, 3): azimuth, elevation, range; `theirs`: Skyfield's three arrays."""
        if not mine.size:
            return
        azimuth, elevation, range_km = theirs
        d_az = np.abs((mine[:, 0] - azimuth + 180.0) % 360.0 - 180.0) * np.cos(
            np.radians(elevation)
        )
        self.events += len(mine)
        self.azimuth_deg = max(self.azimuth_deg, float(d_az.max()))
        self.elevation_deg = max(self.elevation_deg, float(np.abs(mine[:, 1] - elevation).max()))
        self.range_km = max(self.range_km, float(np.abs(mine[:, 2] - range_km).max()))

    def summary(self) -> str:
        return (
            f"{self.who}'s azimuth, elevation and range at {self.events:,} events against "
            f"Skyfield's altaz at the same instants: worst azimuth {self.azimuth_deg:.2e} deg "
            f"(on the sky), elevation {self.elevation_deg:.2e} deg, range "
            f"{self.range_km * 1000:.3f} m"
        )

    def target(self, case: str) -> Target:
        worst = max(self.azimuth_deg, self.elevation_deg)
        return Target(
            f"({case}) {self.who} look angles vs Skyfield altaz, worst of azimuth/elevation",
            worst,
            "<=",
            ANGLE_LIMIT_DEG,
            unit="deg",
        )

    def range_target(self, case: str) -> Target:
        return Target(
            f"({case}) {self.who} range vs Skyfield", self.range_km * 1000, "<=", 10, unit="m"
        )


def skyfield_altitude(satellite, topos, timescale, t0, seconds: np.ndarray) -> np.ndarray:
    """Skyfield's altitude (deg) of `satellite` over `topos`, `seconds` after `t0`.

    Computed in Earth-fixed axes from Skyfield's own SGP4 call and its GMST 1982 rotation of
    TEME, and its WGS84 position and vertical of the observer: the same number as
    `(satellite - topos).at(t).altaz()` to about 1e-12 deg (tests/test_benchmarks.py checks
    it), without the IAU 2000A nutation that cancels out of that chain and would make a 1 s
    scan of a day cost some 20 s instead of 0.1 s.
    """
    up_lat, up_lon = topos.latitude.radians, topos.longitude.radians
    up = np.array(
        [np.cos(up_lat) * np.cos(up_lon), np.cos(up_lat) * np.sin(up_lon), np.sin(up_lat)]
    )
    here = topos.itrs_xyz.km
    out = np.empty(seconds.size)
    for begin in range(0, seconds.size, 20000):
        part = seconds[begin : begin + 20000]
        t = timescale.tt_jd(np.full(part.size, t0.whole), t0.tt_fraction + part / 86400.0)
        r_teme, _, _ = satellite._position_and_velocity_TEME_km(t)
        theta, _ = theta_GMST1982(t.whole, t.ut1_fraction)
        cos_t, sin_t = np.cos(theta), np.sin(theta)
        rho = np.stack(
            [
                cos_t * r_teme[0] + sin_t * r_teme[1] - here[0],
                -sin_t * r_teme[0] + cos_t * r_teme[1] - here[1],
                r_teme[2] - here[2],
            ]
        )
        sine = (rho * up[:, None]).sum(axis=0) / np.sqrt((rho * rho).sum(axis=0))
        out[begin : begin + 20000] = np.degrees(np.arcsin(np.clip(sine, -1.0, 1.0)))
    return out


def brute_force_passes(satellite, observer: Observer, window: Window, timescale) -> list[Times]:
    """Passes from Skyfield's own altitude (`skyfield_altitude`) sampled every second,
    crossings bisected to 1 ms, culminations sampled every millisecond around the best
    second: the referee."""
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    t0 = timescale.from_datetime(window.start_utc)

    def altitude(seconds: np.ndarray) -> np.ndarray:
        return skyfield_altitude(satellite, topos, timescale, t0, seconds)

    seconds = np.append(np.arange(0.0, window.duration_s, 1.0), window.duration_s)
    above = altitude(seconds) >= MIN_ELEVATION_DEG
    change = np.flatnonzero(above[1:] != above[:-1])
    low, high = seconds[change], seconds[change + 1]
    for _ in range(10):  # 1 s -> 1 ms
        middle = 0.5 * (low + high)
        same = (altitude(middle) >= MIN_ELEVATION_DEG) == above[change]
        low, high = np.where(same, middle, low), np.where(same, high, middle)
    crossing = dict(zip(change.tolist(), (0.5 * (low + high)).tolist(), strict=True))
    edges = np.diff(np.concatenate(([0], above.astype(np.int8), [0])))
    passes = []
    for first, last in zip(
        np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True
    ):
        span = seconds[first : last + 1]
        best = span[np.argmax(altitude(span))]
        fine = np.clip(np.arange(best - 1.0, best + 1.0, 1e-3), span[0], span[-1])
        passes.append(
            (
                crossing.get(first - 1) if first > 0 else None,
                float(fine[np.argmax(altitude(fine))]),
                crossing.get(last) if last < seconds.size - 1 else None,
            )
        )
    return passes


def referee(
    agreement: Agreement,
    satellites: dict,
    observers: Sequence[Observer],
    window: Window,
    timescale,
    ours: Callable[[int, int], list[Times]],
    theirs: Callable[[int, int], list[Times]],
) -> None:
    """Judge the pairs that differ (at most `MAX_REFEREED`) against the brute-force scan."""
    for i, j in list(agreement.problems)[:MAX_REFEREED]:
        truth = brute_force_passes(satellites[i], observers[j], window, timescale)
        ours_ok = not differences(ours(i, j), truth, window.duration_s, "referee")
        theirs_ok = not differences(theirs(i, j), truth, window.duration_s, "referee")
        agreement.verdicts[i, j] = (
            "both"
            if ours_ok and theirs_ok
            else "ours"
            if ours_ok
            else agreement.peer
            if theirs_ok
            else "neither"
        )


@dataclass
class Comparison:
    """Everything compared on one set of pairs: both peers' passes and the look angles."""

    skyfield: Agreement
    sgp4_predict: Agreement
    ours_looks: Looks
    peer_looks: Looks

    def print(self) -> None:
        for part in (self.skyfield, self.ours_looks, self.sgp4_predict, self.peer_looks):
            print(f"    {part.summary()}")

    def targets(self, case: str) -> list[Target]:
        return [
            Target(
                f"({case}) pairs differing from Skyfield where the referee does not side with ours",
                self.skyfield.against_ours,
                "<=",
                0,
                unit="pairs",
            ),
            Target(
                f"({case}) pairs differing from sgp4-predict where the referee does not side "
                "with ours",
                self.sgp4_predict.against_ours,
                "<=",
                0,
                unit="pairs",
            ),
            self.ours_looks.target(case),
            self.ours_looks.range_target(case),
        ]


def compare(
    element_sets: Sequence[ElementSet],
    pairs: Sequence[tuple[int, int]],
    observers: Sequence[Observer],
    window: Window,
    timescale,
    table: PassTable,
    skyfield_raw: dict,
    satellites: dict,
) -> Comparison:
    """Compare ours with Skyfield (its timed answers) and sgp4-predict on `pairs`."""
    duration_s = window.duration_s
    sky, sgp = Agreement("Skyfield"), Agreement("sgp4-predict")
    ours_looks, peer_looks = Looks("passpredict"), Looks("sgp4-predict")
    predictors = {}
    peer_answers: dict[tuple[int, int], list[Times]] = {}
    for i, j in pairs:
        es, observer = element_sets[i], observers[j]
        label = f"{es.name.strip()} ({es.norad_id}) / {observer.name}"
        mine = our_passes(table, i, j)
        sky.add((i, j), label, mine, group_events(*skyfield_raw[i, j]), duration_s)
        satellite, topos = skyfield_raw[i, j][3], skyfield_raw[i, j][4]
        rows = our_rows(table, i, j)
        seconds = np.stack([table.rise_s[rows], table.culmination_s[rows], table.set_s[rows]], 1)
        known = ~np.isnan(seconds)
        if known.any():
            ours_looks.add(
                table.points[rows][known],
                skyfield_altaz(satellite, topos, window, timescale, seconds[known]),
            )
        if i not in predictors:
            predictors[i] = peer.Predictor.from_tle(peer.Tle(es.name, *es.tle_lines))
        where = peer.observer(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
        try:
            found = peer.find_passes(
                predictors[i], where, window.start_utc, window.end_utc, MIN_ELEVATION_DEG
            )
        except RuntimeError as error:
            sgp.pairs += 1
            sgp.problems[i, j] = [f"{label}: sgp4-predict failed: {error}"]
            peer_answers[i, j] = []
            continue
        events = [e for p in found for e in p if e is not None]
        times = [
            tuple(None if e is None else (e.time_utc - window.start_utc).total_seconds() for e in p)
            for p in found
        ]
        peer_answers[i, j] = times
        sgp.add((i, j), label, mine, times, duration_s)
        if events:
            at = np.array([(e.time_utc - window.start_utc).total_seconds() for e in events])
            looks = np.array([(e.azimuth_deg, e.elevation_deg, e.range_km) for e in events])
            peer_looks.add(looks, skyfield_altaz(satellite, topos, window, timescale, at))

    def ours(i: int, j: int) -> list[Times]:
        return our_passes(table, i, j)

    referee(
        sky,
        satellites,
        observers,
        window,
        timescale,
        ours,
        lambda i, j: group_events(*skyfield_raw[i, j]),
    )
    referee(sgp, satellites, observers, window, timescale, ours, lambda i, j: peer_answers[i, j])
    return Comparison(sky, sgp, ours_looks, peer_looks)


def skyfield_loop(
    element_sets: Sequence[ElementSet],
    pairs: Sequence[tuple[int, int]],
    observers: Sequence[Observer],
    window: Window,
    timescale,
) -> tuple[float, dict, dict]:
    """Run find_events over every (satellite, observer) pair given; return its CPU time."""
    satellites = {
        i: EarthSatellite(*element_sets[i].tle_lines, element_sets[i].name, timescale)
        for i in sorted({i for i, _ in pairs})
    }
    first = pairs[0]
    skyfield_events(satellites[first[0]], observers[first[1]], window, timescale)  # warm up
    results = {}
    start = time.process_time()
    for i, j in pairs:
        results[i, j] = skyfield_events(satellites[i], observers[j], window, timescale)
    return time.process_time() - start, results, satellites


# --- the cases -----------------------------------------------------------------------------


def speed_line(ours_s: float, skyfield_s: float, estimated: str = "") -> str:
    return (
        f"CPU: ours {fmt(ours_s)} | Skyfield find_events {fmt(skyfield_s)}{estimated} | "
        f"Skyfield / ours {skyfield_s / ours_s:.1f}x"
    )


def sgp4_line(ours_s: float, raw_s: float, samples: int) -> str:
    return (
        f"raw SGP4 on the same coarse grid ({samples:,} samples): {fmt(raw_s)}; "
        f"ours = {ours_s / raw_s:.1f}x raw SGP4"
    )


def case_a(element_sets, timescale) -> list[Target]:
    (spot7,) = [i for i, es in enumerate(element_sets) if es.norad_id == SPOT7]
    window = Window.days(30)
    sets, observers = [element_sets[spot7]], [BAKU]
    timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
    raw, samples = raw_sgp4(sets, timebase, window.duration_s)

    def ours() -> PassTable:
        timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
        return search_passes(sets, observers, timebase, window.duration_s, MIN_ELEVATION_DEG)

    satellite = EarthSatellite(*sets[0].tle_lines, sets[0].name, timescale)

    def theirs():
        return skyfield_events(satellite, BAKU, window, timescale)

    ours(), theirs(), raw()
    timing, results = interleaved({"ours": ours, "skyfield": theirs, "raw": raw}, SPEED_ROUNDS_A)
    comparison = compare(
        sets,
        [(0, 0)],
        observers,
        window,
        timescale,
        results["ours"],
        {(0, 0): results["skyfield"]},
        {0: satellite},
    )
    ours_s, sky_s = timing["ours"].cpu_s, timing["skyfield"].cpu_s
    print("(a) SPOT 7 x Baku x 30 days, min elevation 10 deg")
    comparison.print()
    print(f"    {speed_line(ours_s, sky_s)}  [{SPEED_ROUNDS_A} runs each, interleaved, medians]")
    print(f"    {sgp4_line(ours_s, timing['raw'].cpu_s, samples)}")
    targets = [Target("(a) Skyfield find_events / ours, CPU", sky_s / ours_s, ">=", 10)]
    targets += comparison.targets("a")
    print_targets(targets)
    return targets


def leo_sample(element_sets, timebase, count: int) -> list[int]:
    """Return `count` LEO objects spread evenly over the catalogue (by NORAD number)."""
    leo = [
        i
        for i, es in enumerate(element_sets)
        if es.mean_motion_rev_per_day >= 11.25 and es.eccentricity < 0.25 and _alive(es, timebase)
    ]
    leo.sort(key=lambda i: element_sets[i].norad_id)
    picks = np.linspace(0, len(leo) - 1, count).round().astype(int)
    return [leo[k] for k in picks]


def _alive(es: ElementSet, timebase: TimeBase) -> bool:
    whole, fraction = timebase.jd_utc(np.zeros(1))
    return es.satrec().sgp4(float(whole[0]), float(fraction[0]))[0] == 0


def case_b(element_sets, timescale, full: bool) -> list[Target]:
    window = Window.days(1)
    timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
    chosen = leo_sample(element_sets, timebase, 1000)
    sets = [element_sets[i] for i in chosen]
    observers = list(OBSERVERS)
    raw, samples = raw_sgp4(sets, timebase, window.duration_s)

    def ours() -> PassTable:
        tb = TimeBase.create(window.start_utc, window.end_utc, timescale)
        return run_batch(sets, observers, tb, window.duration_s, MIN_ELEVATION_DEG)

    timing, results = interleaved({"ours": ours, "raw": raw}, 1)
    table = results["ours"]
    rng = np.random.default_rng(SEED)
    sample = list(range(len(sets))) if full else sorted(rng.choice(len(sets), 100, replace=False))
    pairs = [(int(i), j) for i in sample for j in range(len(observers))]
    sky_s, raw_answers, satellites = skyfield_loop(sets, pairs, observers, window, timescale)
    all_pairs = len(sets) * len(observers)
    sky_total = sky_s * all_pairs / len(pairs)
    estimated = (
        ""
        if full
        else f" (estimated: {fmt(sky_s)} for a random {len(pairs):,} of "
        f"the {all_pairs:,} pairs, times {all_pairs / len(pairs):g})"
    )
    comparison = compare(sets, pairs, observers, window, timescale, table, raw_answers, satellites)
    ours_s = timing["ours"].cpu_s
    print(
        "(b) 1,000 LEO objects from the active snapshot x 10 observers x 1 day, "
        "min elevation 10 deg"
    )
    print(f"    {len(table):,} passes found by ours over all {all_pairs:,} pairs")
    comparison.print()
    print(f"    {speed_line(ours_s, sky_total, estimated)}  [one run each]")
    print(f"    {sgp4_line(ours_s, timing['raw'].cpu_s, samples)}")
    targets = [Target("(b) Skyfield find_events / ours, CPU", sky_total / ours_s, ">=", 30)]
    targets += comparison.targets("b")
    print_targets(targets)
    return targets


def case_c(element_sets, timescale, full: bool) -> list[Target]:
    window = Window.days(1)
    timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
    searchable = [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]
    n_geo = len(element_sets) - len(searchable)
    raw, samples = raw_sgp4(searchable, timebase, window.duration_s)

    def ours() -> PassTable:
        tb = TimeBase.create(window.start_utc, window.end_utc, timescale)
        return run_batch(searchable, [BAKU], tb, window.duration_s, MIN_ELEVATION_DEG)

    timing, results = interleaved({"ours": ours, "raw": raw}, 1)
    table = results["ours"]
    rng = np.random.default_rng(SEED)
    alive = [i for i, es in enumerate(searchable) if _alive(es, timebase)]
    sample = alive if full else sorted(rng.choice(alive, 500, replace=False).tolist())
    pairs = [(i, 0) for i in sample]
    sky_s, raw_answers, satellites = skyfield_loop(searchable, pairs, [BAKU], window, timescale)
    sky_total = sky_s * len(searchable) / len(sample)
    estimated = (
        ""
        if full
        else f" (estimated: {fmt(sky_s)} for a random {len(sample):,} of the "
        f"{len(searchable):,} objects, times {len(searchable) / len(sample):.1f})"
    )
    comparison = compare(
        searchable, pairs, [BAKU], window, timescale, table, raw_answers, satellites
    )
    memory = child_memory()
    ours_s = timing["ours"].cpu_s
    print(
        f"(c) the whole active snapshot ({len(element_sets):,} objects) x Baku x 1 day, "
        "min elevation 10 deg"
    )
    print(
        f"    {len(searchable):,} objects searched ({n_geo} geostationary ones get look angles, "
        f"not passes); {len(table):,} passes found"
    )
    comparison.print()
    print(f"    {speed_line(ours_s, sky_total, estimated)}  [one run each]")
    print(f"    {sgp4_line(ours_s, timing['raw'].cpu_s, samples)}")
    print(
        f"    peak memory (a fresh process running only this case): {memory['peak_mb']:.0f} MB "
        f"resident, of which {memory['before_mb']:.0f} MB before the search (Python, numpy, "
        f"Skyfield, the parsed catalogue)"
    )
    targets = [Target("(c) peak memory of the search", memory["peak_mb"], "<", 2048, unit="MB")]
    targets += comparison.targets("c")
    print_targets(targets)
    return targets


def case_d(element_sets, timescale) -> list[Target]:
    """Geostationary look angles (Azerspace-1, -2 from Baku) against Skyfield and sgp4-predict."""
    window = Window.days(1)
    timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
    sets = [es for norad in AZERSPACE for es in element_sets if es.norad_id == norad]
    looks = geostationary_looks(
        sets, [BAKU], timebase, window.duration_s, MIN_ELEVATION_DEG, timescale
    )
    topos = wgs84.latlon(BAKU.latitude_deg, BAKU.longitude_deg, BAKU.elevation_m)
    where = peer.observer(BAKU.latitude_deg, BAKU.longitude_deg, BAKU.elevation_m)
    grid = np.append(np.arange(0.0, window.duration_s, SAMPLE_STEP_S), window.duration_s)
    print(
        "(d) geostationary: Azerspace-1 and -2 from Baku, 1 day; our look angles at the window "
        "start and elevation range on the 10-min grid, against Skyfield's altaz and "
        "sgp4-predict's observe_at at the same instants"
    )
    worst = {"Skyfield": [0.0, 0.0], "sgp4-predict": [0.0, 0.0]}  # angle deg, range km
    for es, look in zip(sets, looks, strict=True):
        satellite = EarthSatellite(*es.tle_lines, es.name, timescale)
        az, el, rng = skyfield_altaz(satellite, topos, window, timescale, grid)
        predictor = peer.Predictor.from_tle(peer.Tle(es.name, *es.tle_lines))
        seen = [predictor.observe_at(timebase.to_datetime(s), where) for s in grid]
        theirs = {
            "Skyfield": (az, el, rng),
            "sgp4-predict": (
                np.array([o.azimuth_deg % 360.0 for o in seen]),
                np.array([o.elevation_deg for o in seen]),
                np.array([o.range / 1000.0 for o in seen]),
            ),
        }
        print(
            f"    {es.name.strip()} ({es.norad_id}): ours az {look.azimuth_deg:.4f} deg, "
            f"el {look.elevation_deg:.4f} deg, range {look.range_km:,.3f} km, el over the day "
            f"{look.elevation_min_deg:.4f}..{look.elevation_max_deg:.4f} deg; held at station: "
            f"{'yes' if look.station_kept else 'no'}"
        )
        for who, (a, e, r) in theirs.items():
            d_az = abs((look.azimuth_deg - a[0] + 180.0) % 360.0 - 180.0) * np.cos(np.radians(e[0]))
            d_el = abs(look.elevation_deg - e[0])
            d_min = abs(look.elevation_min_deg - e.min())
            d_max = abs(look.elevation_max_deg - e.max())
            d_r = abs(look.range_km - r[0])
            worst[who][0] = max(worst[who][0], d_az, d_el, d_min, d_max)
            worst[who][1] = max(worst[who][1], d_r)
            print(
                f"      vs {who}: azimuth {d_az:.2e} deg (on the sky), elevation {d_el:.2e}, "
                f"min {d_min:.2e}, max {d_max:.2e} deg, range {d_r * 1000:.3f} m"
            )
    targets = [
        Target(
            "(d) geostationary look angles vs Skyfield",
            worst["Skyfield"][0],
            "<=",
            ANGLE_LIMIT_DEG,
            unit="deg",
        ),
        Target(
            "(d) geostationary range vs Skyfield", worst["Skyfield"][1] * 1000, "<=", 10, unit="m"
        ),
    ]
    print_targets(targets)
    return targets


def child_memory() -> dict:
    """Run case (c) alone in a fresh interpreter and return its peak resident memory."""
    completed = subprocess.run(
        [sys.executable, __file__, "--memory-child"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def memory_child() -> None:
    timescale = load_timescale()
    element_sets = load_catalogue()
    searchable = [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]
    for es in searchable:
        es.satrec()
    before_mb = _rss_mb()
    window = Window.days(1)
    timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
    run_batch(searchable, [BAKU], timebase, window.duration_s, MIN_ELEVATION_DEG)
    print(json.dumps({"before_mb": before_mb, "peak_mb": _rss_mb("VmHWM")}))


def _rss_mb(field: str = "VmRSS") -> float:
    """Resident memory (MB) from /proc: VmRSS now, VmHWM the peak of this process.

    Not `ru_maxrss`: Linux carries it over from the parent through fork and exec, so a child
    of a big benchmark process would report the parent's size.
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return float(line.split()[1]) / 1024.0
    return float("nan")


# --- main ----------------------------------------------------------------------------------


def load_catalogue() -> list[ElementSet]:
    return read_file(DATA, now_utc=SNAPSHOT_DATE + timedelta(days=1))


def run(full_skyfield: bool = False) -> list[Target]:
    """Run cases (a) to (d) and print them; return their targets."""
    timescale = load_timescale()
    element_sets = load_catalogue()
    for es in element_sets:
        es.satrec()  # both sides start from built models (Skyfield's EarthSatellite likewise)
    print(
        "Issue 7 and 11: the pass search against Skyfield find_events; agreement with "
        "Skyfield and sgp4-predict"
    )
    print(
        f"data: CelesTrak 'active' snapshot of {SNAPSHOT_DATE:%Y-%m-%d} "
        f"({len(element_sets):,} element sets); windows start {WINDOW_START:%Y-%m-%dT%H:%MZ}; "
        "all sides in this process, one core"
    )
    print()
    targets = case(case_a, element_sets, timescale)
    targets += case(case_b, element_sets, timescale, full_skyfield)
    targets += case(case_c, element_sets, timescale, full_skyfield)
    targets += case(case_d, element_sets, timescale)
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full-skyfield", action="store_true", help="loop Skyfield over every pair of (b), (c)"
    )
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child()
        return 0
    started = time.perf_counter()
    print(f"machine: {machine()}")
    targets = run(args.full_skyfield)
    met = sum(t.met for t in targets)
    print(
        f"summary: {met} of {len(targets)} targets MET; benchmark took "
        f"{time.perf_counter() - started:.0f} s"
    )
    return 0 if met == len(targets) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
