"""Benchmark: passpredict's pass search against Skyfield's `find_events` (issue 7).

Both run in this process, on the same element sets, observers and window; the script checks
that they find the same passes (rise, culmination and set within 0.5 s) and prints the speed
ratio of each case:

  (a) SPOT 7 x Baku x 30 days                          target: at least 10x
  (b) 1,000 LEO objects x 10 observers x 1 day         target: at least 30x
  (c) the whole CelesTrak `active` snapshot x Baku x 1 day: time and peak memory (< 2 GB)

For each case it also times raw SGP4 on the same coarse grid our engine scans (SatrecArray,
no frames, no geometry) and gives our time as a multiple of it: how close the search is to the
cost of propagating the grid at all.

Timing: the best of several runs for the fast calls (the usual way to time code on a shared
machine); Skyfield's loops over pairs run once. For (b) and (c) the Skyfield side is, by
default, estimated from a random sample of pairs (its time per pair times the number of pairs);
the output says so. `--full-skyfield` loops over every pair instead (about 4 minutes more).

Run from the repository root:  python benchmarks/bench_passes.py [--full-skyfield]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import sgp4
import skyfield
from sgp4.api import SatrecArray
from skyfield.api import EarthSatellite, wgs84

from passpredict.batch import run_batch
from passpredict.ephemeris import load_timescale
from passpredict.orbits import OrbitClass, classify
from passpredict.passes import PassTable, coarse_step_s, search_passes
from passpredict.records import Observer
from passpredict.timebase import TimeBase
from tle_cache.elements import ElementSet
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "celestrak_active_2026-05-07.txt"
SNAPSHOT_DATE = datetime(2026, 5, 7, tzinfo=UTC)
WINDOW_START = datetime(2026, 5, 8, tzinfo=UTC)
MIN_ELEVATION_DEG = 10.0
#: Agreement: the same passes, rise / culmination / set within this of Skyfield's.
AGREEMENT_S = 0.5
SPOT7 = 40053
SEED = 7

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


# --- timing --------------------------------------------------------------------------------


def best_of(function: Callable[[], object], runs: int) -> tuple[float, object]:
    """Return the shortest of `runs` timings (s) and the last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def raw_sgp4_s(element_sets: Sequence[ElementSet], timebase: TimeBase, duration_s: float) -> tuple:
    """Time SatrecArray on the engine's own coarse grids (one per scan step); samples too."""
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

    seconds, _ = best_of(run, 5)
    return seconds, samples


# --- Skyfield ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    start_utc: datetime
    end_utc: datetime

    @property
    def duration_s(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds()


def skyfield_events(satellite: EarthSatellite, observer: Observer, window: Window, timescale):
    """Run Skyfield's `find_events` (the timed part): return its raw answer and inputs."""
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    t0 = timescale.from_datetime(window.start_utc)
    t1 = timescale.from_datetime(window.end_utc)
    times, events = satellite.find_events(topos, t0, t1, altitude_degrees=MIN_ELEVATION_DEG)
    return times, events, t0, satellite, topos


def group_events(times, events, t0, satellite, topos) -> list[tuple]:
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


def our_passes(table: PassTable, satellite: int, observer: int) -> list[tuple]:
    rows = np.flatnonzero((table.satellite_index == satellite) & (table.observer_index == observer))
    return [
        tuple(None if np.isnan(x) else float(x) for x in row)
        for row in zip(
            table.rise_s[rows], table.culmination_s[rows], table.set_s[rows], strict=True
        )
    ]


@dataclass
class Agreement:
    """Compares our passes with Skyfield's, pair by pair; keeps the pairs that differ."""

    pairs: int = 0
    passes: int = 0
    skyfield_passes: int = 0
    events: int = 0
    worst_s: float = 0.0
    problems: dict | None = None  # pair -> list of messages
    verdicts: dict | None = None  # pair -> who a brute-force scan sides with

    def add(self, pair, label: str, ours: list[tuple], theirs: list[tuple], duration_s: float):
        self.problems = {} if self.problems is None else self.problems
        self.pairs += 1
        self.passes += len(ours)
        self.skyfield_passes += len(theirs)
        messages = differences(ours, theirs, duration_s)
        if messages:
            self.problems[pair] = [f"{label}: {m}" for m in messages]
        for mine, skyfield_pass in zip(ours, theirs, strict=False):
            for a, b in zip(mine, skyfield_pass, strict=True):
                if a is not None and b is not None:
                    self.events += 1
                    if abs(a - b) <= AGREEMENT_S:
                        self.worst_s = max(self.worst_s, abs(a - b))

    @property
    def ok(self) -> bool:
        """True when the passes agree, or a brute-force scan sides with ours wherever not."""
        return all(self.verdicts.get(pair) == "ours" for pair in self.problems or {})

    def summary(self) -> str:
        problems = self.problems or {}
        head = (
            f"agreement on {self.pairs:,} pairs: passes: ours {self.passes:,}, "
            f"Skyfield {self.skyfield_passes:,}; {self.events:,} rise/culmination/set times; "
        )
        if not problems:
            return head + f"AGREE, worst difference {self.worst_s:.3f} s (limit {AGREEMENT_S} s)"
        ours = sum(v == "ours" for v in self.verdicts.values())
        lines = [
            head + f"{len(problems)} pairs DIFFER (the others within {self.worst_s:.3f} s); a "
            f"1 s brute-force scan of Skyfield's own altitudes, refined to 1 ms, sides with "
            f"ours on {ours} of them"
        ]
        for pair, messages in list(problems.items())[:10]:
            lines += [f"      ! {m} -> brute force: {self.verdicts[pair]}" for m in messages]
        return "\n    ".join(lines)


def differences(ours: list[tuple], theirs: list[tuple], duration_s: float) -> list[str]:
    """Say how two lists of (rise, culmination, set) differ beyond `AGREEMENT_S`."""
    if len(ours) != len(theirs):
        return [f"{len(ours)} passes, Skyfield {len(theirs)}"]
    found = []
    for mine, skyfield_pass in zip(ours, theirs, strict=True):
        for which, a, b in zip(("rise", "culmination", "set"), mine, skyfield_pass, strict=True):
            if which == "culmination" and (b is None or a is None or min(a, duration_s - a) < 1e-6):
                continue  # a pass cut by a window end: Skyfield may give no culmination
            if (a is None) != (b is None):
                found.append(f"{which} {_s(a)} vs Skyfield {_s(b)}")
            elif a is not None and abs(a - b) > AGREEMENT_S:
                found.append(f"{which} at {a:.3f} s, Skyfield {b:.3f} s")
    return found


def _s(value: float | None) -> str:
    return "none" if value is None else f"{value:.3f} s"


def brute_force_passes(satellite, observer: Observer, window: Window, timescale) -> list[tuple]:
    """Passes from Skyfield's own altitude sampled every second, crossings bisected to 1 ms,
    culminations sampled every millisecond around the best second: the referee."""
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    t0 = timescale.from_datetime(window.start_utc)

    def altitude(seconds: np.ndarray) -> np.ndarray:
        out = np.empty(seconds.size)
        for begin in range(0, seconds.size, 20000):
            part = seconds[begin : begin + 20000]
            t = timescale.tt_jd(np.full(part.size, t0.whole), t0.tt_fraction + part / 86400.0)
            out[begin : begin + 20000] = (satellite - topos).at(t).altaz()[0].degrees
        return out

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


def skyfield_loop(
    element_sets: Sequence[ElementSet],
    sat_indices: Sequence[int],
    observers: Sequence[Observer],
    window: Window,
    timescale,
    table: PassTable,
    obs_indices: Sequence[int] | None = None,
) -> tuple[float, Agreement]:
    """Run find_events over every (satellite, observer) pair given; time it; compare."""
    obs_indices = list(range(len(observers))) if obs_indices is None else list(obs_indices)
    satellites = {
        i: EarthSatellite(*element_sets[i].tle_lines, element_sets[i].name, timescale)
        for i in sat_indices
    }
    results = {}
    start = time.perf_counter()
    for i in sat_indices:
        for j in obs_indices:
            results[i, j] = skyfield_events(satellites[i], observers[j], window, timescale)
    elapsed = time.perf_counter() - start
    agreement = Agreement()
    for (i, j), raw in results.items():
        theirs = group_events(*raw)
        label = f"{element_sets[i].name.strip()} ({element_sets[i].norad_id}) / {observers[j].name}"
        agreement.add((i, j), label, our_passes(table, i, j), theirs, window.duration_s)
    referee(agreement, satellites, observers, window, timescale, table, results)
    return elapsed, agreement


def referee(agreement, satellites, observers, window, timescale, table, results) -> None:
    """Judge every pair that differs against the brute-force scan: who agrees with it?"""
    agreement.verdicts = {}
    for i, j in agreement.problems:
        truth = brute_force_passes(satellites[i], observers[j], window, timescale)
        ours_ok = not differences(our_passes(table, i, j), truth, window.duration_s)
        theirs_ok = not differences(group_events(*results[i, j]), truth, window.duration_s)
        agreement.verdicts[i, j] = (
            "both"
            if ours_ok and theirs_ok
            else "ours"
            if ours_ok
            else "Skyfield"
            if theirs_ok
            else "neither"
        )


# --- the cases -----------------------------------------------------------------------------


def ratio_line(ours_s: float, skyfield_s: float, target: float | None, estimated: str = "") -> str:
    ratio = skyfield_s / ours_s
    verdict = (
        ""
        if target is None
        else f" (target >= {target:g}x: {'MET' if ratio >= target else 'NOT MET'})"
    )
    return (
        f"ours {fmt(ours_s)} | Skyfield find_events {fmt(skyfield_s)}{estimated} | "
        f"ratio {ratio:.1f}x{verdict}"
    )


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1.0 else f"{seconds:.2f} s"


def sgp4_line(ours_s: float, raw_s: float, samples: int) -> str:
    return (
        f"raw SGP4 on the same coarse grid ({samples:,} samples): {fmt(raw_s)}; "
        f"ours = {ours_s / raw_s:.1f}x raw SGP4"
    )


def case_a(element_sets, timescale) -> dict:
    (spot7,) = [i for i, es in enumerate(element_sets) if es.norad_id == SPOT7]
    window = Window(WINDOW_START, WINDOW_START + timedelta(days=30))
    sets, observers = [element_sets[spot7]], [BAKU]

    def ours() -> PassTable:
        timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
        return search_passes(sets, observers, timebase, window.duration_s, MIN_ELEVATION_DEG)

    satellite = EarthSatellite(*sets[0].tle_lines, sets[0].name, timescale)

    def theirs() -> list:
        return skyfield_events(satellite, BAKU, window, timescale)

    ours()
    ours_s, sky_s = float("inf"), float("inf")
    for _ in range(5):  # interleaved, so both see the same machine
        s, table = best_of(ours, 20)
        ours_s = min(ours_s, s)
        s, skyfield_result = best_of(theirs, 2)
        sky_s = min(sky_s, s)
    agreement = Agreement()
    agreement.add(
        (0, 0),
        "SPOT 7 / Baku",
        our_passes(table, 0, 0),
        group_events(*skyfield_result),
        window.duration_s,
    )
    referee(
        agreement, {0: satellite}, observers, window, timescale, table, {(0, 0): skyfield_result}
    )
    timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
    raw_s, samples = raw_sgp4_s(sets, timebase, window.duration_s)
    print("(a) SPOT 7 x Baku x 30 days, min elevation 10 deg")
    print(f"    {agreement.summary()}")
    print(f"    {ratio_line(ours_s, sky_s, 10)}  [best of 100 / 10 runs]")
    print(f"    {sgp4_line(ours_s, raw_s, samples)}")
    return {"ours_s": ours_s, "skyfield_s": sky_s, "agree": agreement.ok}


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


def case_b(element_sets, timescale, full: bool) -> dict:
    window = Window(WINDOW_START, WINDOW_START + timedelta(days=1))
    timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
    chosen = leo_sample(element_sets, timebase, 1000)
    sets = [element_sets[i] for i in chosen]
    observers = list(OBSERVERS)

    def ours() -> PassTable:
        tb = TimeBase.create(window.start_utc, window.end_utc, timescale)
        return run_batch(sets, observers, tb, window.duration_s, MIN_ELEVATION_DEG)

    ours()
    ours_s, table = best_of(ours, 3)
    rng = np.random.default_rng(SEED)
    sample = list(range(len(sets))) if full else sorted(rng.choice(len(sets), 100, replace=False))
    sky_s, agreement = skyfield_loop(sets, sample, observers, window, timescale, table)
    pairs = len(sets) * len(observers)
    sky_total = sky_s * len(sets) / len(sample)
    estimated = (
        ""
        if full
        else f" (estimated: {fmt(sky_s)} for a random {len(sample) * len(observers):,} of "
        f"the {pairs:,} pairs, times {len(sets) / len(sample):g})"
    )
    raw_s, samples = raw_sgp4_s(sets, timebase, window.duration_s)
    print(
        "(b) 1,000 LEO objects from the active snapshot x 10 observers x 1 day, "
        "min elevation 10 deg"
    )
    print(f"    {len(table):,} passes found by ours over all {pairs:,} pairs")
    print(f"    {agreement.summary()}")
    print(f"    {ratio_line(ours_s, sky_total, 30, estimated)}")
    print(f"    {sgp4_line(ours_s, raw_s, samples)}")
    return {"ours_s": ours_s, "skyfield_s": sky_total, "agree": agreement.ok}


def case_c(element_sets, timescale, full: bool) -> dict:
    window = Window(WINDOW_START, WINDOW_START + timedelta(days=1))
    timebase = TimeBase.create(window.start_utc, window.end_utc, timescale)
    searchable = [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]
    n_geo = len(element_sets) - len(searchable)

    def ours() -> PassTable:
        tb = TimeBase.create(window.start_utc, window.end_utc, timescale)
        return run_batch(searchable, [BAKU], tb, window.duration_s, MIN_ELEVATION_DEG)

    ours_s, table = best_of(ours, 2)
    rng = np.random.default_rng(SEED)
    alive = [i for i, es in enumerate(searchable) if _alive(es, timebase)]
    sample = alive if full else sorted(rng.choice(alive, 500, replace=False).tolist())
    sky_s, agreement = skyfield_loop(searchable, sample, [BAKU], window, timescale, table)
    sky_total = sky_s * len(searchable) / len(sample)
    estimated = (
        ""
        if full
        else f" (estimated: {fmt(sky_s)} for a random {len(sample):,} of the "
        f"{len(searchable):,} objects, times {len(searchable) / len(sample):.1f})"
    )
    raw_s, samples = raw_sgp4_s(searchable, timebase, window.duration_s)
    memory = child_memory()
    print(
        f"(c) the whole active snapshot ({len(element_sets):,} objects) x Baku x 1 day, "
        "min elevation 10 deg"
    )
    print(
        f"    {len(searchable):,} objects searched ({n_geo} geostationary ones get look angles, "
        f"not passes); {len(table):,} passes found"
    )
    print(f"    {agreement.summary()}")
    print(f"    {ratio_line(ours_s, sky_total, None, estimated)}")
    print(f"    {sgp4_line(ours_s, raw_s, samples)}")
    print(
        f"    peak memory (a fresh process running only this case): {memory['peak_mb']:.0f} MB "
        f"resident, of which {memory['before_mb']:.0f} MB before the search (Python, numpy, "
        f"Skyfield, the parsed catalogue); limit 2048 MB: "
        f"{'MET' if memory['peak_mb'] < 2048 else 'NOT MET'}"
    )
    return {"ours_s": ours_s, "skyfield_s": sky_total, "agree": agreement.ok, **memory}


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
    window = Window(WINDOW_START, WINDOW_START + timedelta(days=1))
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


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cores} cores (nproc), {cpu}, {platform.system()} {platform.machine()}; "
        f"Python {platform.python_version()}, numpy {np.__version__}, sgp4 {sgp4.__version__}, "
        f"skyfield {skyfield.__version__}"
    )


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
    timescale = load_timescale()
    element_sets = load_catalogue()
    for es in element_sets:
        es.satrec()  # both sides start from built models (Skyfield's EarthSatellite likewise)
    print("passpredict pass search vs Skyfield find_events (issue 7)")
    print(f"machine: {machine()}")
    print(
        f"data: CelesTrak 'active' snapshot of 2026-05-07 ({len(element_sets):,} element sets); "
        f"windows start {WINDOW_START:%Y-%m-%dT%H:%MZ}; both sides in this process, one core"
    )
    print()
    results = {"a": case_a(element_sets, timescale)}
    print()
    results["b"] = case_b(element_sets, timescale, args.full_skyfield)
    print()
    results["c"] = case_c(element_sets, timescale, args.full_skyfield)
    print()
    met = (
        results["a"]["skyfield_s"] / results["a"]["ours_s"] >= 10
        and results["b"]["skyfield_s"] / results["b"]["ours_s"] >= 30
        and results["c"]["peak_mb"] < 2048
    )
    agree = all(r["agree"] for r in results.values())
    print(
        f"summary: targets {'MET' if met else 'NOT MET'}; agreement with Skyfield: "
        f"{'yes' if agree else 'NO'}; benchmark took {time.perf_counter() - started:.0f} s"
    )
    return 0 if met and agree else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
