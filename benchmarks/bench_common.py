"""What every benchmark script here shares: the data, the machine line, timing, targets.

Timing rules, the same for every side of every comparison:
- each side runs the same number of times, interleaved round by round (one call of each side
  per round, so a burst of load on this shared machine hits both), and each is summarised by
  the median of its runs;
- the verdict of a target uses CPU time (user + system): the machine is shared with other
  work, and CPU time is what a side costs whatever else runs; wall time is printed beside it.
  Only the Dask case, whose point is running on two cores at once, is judged by wall time;
- a command line runs in its own process, started by `launch.py` (a ~10 MB launcher): its
  CPU time and peak resident memory come from `os.wait4` there. Started straight from this
  big benchmark process, the child's `ru_maxrss` would start at our own size (Linux carries
  the high-water mark over fork and exec).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data" / "celestrak_active_2026-05-07.txt"
SNAPSHOT_DATE = datetime(2026, 5, 7, tzinfo=UTC)
WINDOW_START = datetime(2026, 5, 8, tzinfo=UTC)
MIN_ELEVATION_DEG = 10.0
SEED = 7
SPOT7 = 40053
AZERSPACE = (39079, 43632)
#: Baku as the command line's built-in observer has it (passpredict.inputs.observers).
BAKU_LAT_DEG, BAKU_LON_DEG, BAKU_ALT_M = 40.4093, 49.8671, -28.0


@dataclass(frozen=True)
class Window:
    start_utc: datetime
    end_utc: datetime

    @classmethod
    def days(cls, days: float, start_utc: datetime = WINDOW_START) -> Window:
        return cls(start_utc, start_utc + timedelta(days=days))

    @property
    def duration_s(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds()


# --- printing ------------------------------------------------------------------------------


def fmt(seconds: float) -> str:
    """A duration for people: ms below one second, s above."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    return f"{seconds * 1e3:.1f} ms" if seconds < 1.0 else f"{seconds:.2f} s"


def versions() -> str:
    names = ("passpredict", "numpy", "sgp4", "skyfield", "sgp4-predict", "dask", "distributed")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def machine() -> str:
    """nproc, CPU model, OS, Python and library versions, the git commit and the load."""
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
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{cores} cores (nproc), {cpu}, {platform.system()} {platform.machine()}; "
        f"Python {platform.python_version()}; {versions()}; commit {commit or 'unknown'}; "
        f"{load()}"
    )


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


@dataclass(frozen=True)
class Target:
    """One target of an issue: a measured value against a limit, and the verdict.

    `value` None means it could not be measured (`missing` says why): NOT MET.
    """

    label: str
    value: float | None
    op: str  # "<=", "<" or ">="
    limit: float
    unit: str = "x"
    missing: str = ""

    @property
    def met(self) -> bool:
        if self.value is None:
            return False
        if self.op == "<=":
            return self.value <= self.limit
        if self.op == "<":
            return self.value < self.limit
        return self.value >= self.limit

    def line(self) -> str:
        unit = self.unit if self.unit == "x" else f" {self.unit}"
        measured = self.missing if self.value is None else f"{_number(self.value, unit)}{unit}"
        verdict = "MET" if self.met else "NOT MET"
        return (
            f"{self.label}: target {self.op} {self.limit:g}{unit}; measured {measured}: {verdict}"
        )


def _number(value: float, unit: str) -> str:
    if unit.strip() == "pairs":
        return f"{value:.0f}"
    if value != 0 and abs(value) < 0.01:
        return f"{value:.2e}"
    return f"{value:,.2f}"


def print_targets(targets: Sequence[Target], indent: str = "    ") -> None:
    for target in targets:
        print(f"{indent}{target.line()}")


def case(function: Callable[..., list[Target]], *args: object) -> list[Target]:
    """Run one case of a benchmark; print how long it took (the 5-minute budget) and a gap."""
    started = time.perf_counter()
    targets = function(*args)
    print(f"    [this case took {time.perf_counter() - started:.0f} s]")
    print()
    return targets


# --- timing in this process ----------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Medians over `runs` runs of one side: CPU time (the verdict) and wall time (s)."""

    cpu_s: float
    wall_s: float
    runs: int


def interleaved(
    sides: Mapping[str, Callable[[], object]], rounds: int
) -> tuple[dict[str, Timing], dict[str, object]]:
    """Run every side once per round, `rounds` rounds; return their median timings and the
    last result of each. The order within a round alternates, so neither side always runs
    right after the other."""
    names = list(sides)
    cpu: dict[str, list[float]] = {name: [] for name in names}
    wall: dict[str, list[float]] = {name: [] for name in names}
    results: dict[str, object] = {}
    for k in range(rounds):
        for name in names if k % 2 == 0 else names[::-1]:
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            results[name] = sides[name]()
            cpu[name].append(time.process_time() - cpu_start)
            wall[name].append(time.perf_counter() - wall_start)
    timings = {
        name: Timing(statistics.median(cpu[name]), statistics.median(wall[name]), rounds)
        for name in names
    }
    return timings, results


# --- timing a child process ----------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    """One run of a command in its own process, measured by `launch.py`."""

    argv: tuple[str, ...]
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    exit_code: int
    stdout: Path
    stderr: Path

    def error_tail(self) -> str:
        lines = self.stderr.read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else ""


def run_child(
    argv: Sequence[str],
    stdout: Path,
    stderr: Path,
    env: Mapping[str, str] | None = None,
) -> ChildRun:
    """Run `argv` with stdin /dev/null and stdout, stderr to files (not a terminal)."""
    spec = {
        "argv": list(argv),
        "stdout": str(stdout),
        "stderr": str(stderr),
        "env": dict(os.environ if env is None else env),
    }
    completed = subprocess.run(
        [sys.executable, "-S", str(HERE / "launch.py")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(completed.stdout)
    return ChildRun(
        tuple(argv),
        result["wall_s"],
        result["user_s"] + result["system_s"],
        result["peak_rss_kb"] / 1024.0,
        result["exit_code"],
        Path(stdout),
        Path(stderr),
    )


@dataclass(frozen=True)
class ChildTiming:
    """Medians over the runs of one command; the last run kept for its output."""

    cpu_s: float
    wall_s: float
    peak_rss_mb: float
    runs: int
    last: ChildRun

    @classmethod
    def of(cls, runs: Sequence[ChildRun]) -> ChildTiming:
        return cls(
            statistics.median(r.cpu_s for r in runs),
            statistics.median(r.wall_s for r in runs),
            max(r.peak_rss_mb for r in runs),
            len(runs),
            runs[-1],
        )


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """This environment, with PASSPREDICT_HOME set, no COLUMNS (tables to a file) and one
    OpenBLAS thread (see one_blas_thread.py)."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["PASSPREDICT_HOME"] = str(home)
    env["OPENBLAS_NUM_THREADS"] = "1"
    env.update(extra)
    return env


def compile_bytecode() -> None:
    """Write the bytecode of passpredict and tle_cache (`compileall`) before timed runs.

    pip compiles an installed package; an editable install under PYTHONDONTWRITEBYTECODE (set
    on some machines, this one included) would instead compile every module without a
    `__pycache__` entry on every run, tens of ms that no user of an installed passpredict pays.
    """
    import compileall

    for package in ("passpredict", "tle_cache"):
        compileall.compile_dir(ROOT / package, quiet=1)


def executable(name: str) -> str:
    """The console script `name` installed beside this interpreter, else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    import shutil

    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed; run: pip install -e '.[bench]'")
    return found
