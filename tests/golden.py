"""Golden outputs: every command that writes data, run on fixed inputs, stdout kept byte for byte.

Issue 11 rewrites the output layer (JSON, JSON Lines, CSV, iCal, tables from arrays); its rule
is that every output stays identical to what the record-based code wrote. (The ``.jsonl``
cases are of the format issue 11 added, made when it was added.) The files under
``tests/data/golden/`` are that code's stdout, made before the change; `tests/test_golden.py`
runs each case again and compares.

Each case runs the real command line (`passpredict.cli.root.main`, in this process through click's
`CliRunner`) with a fixed window start, a fresh ``PASSPREDICT_HOME``, the tests' own element
files (``tests/data``), a fixed ``COLUMNS`` and a fixed clock for the commands that read one
through ``obj={"now_utc": ...}``. The one clock reading left, `passes --format ics`'s DTSTAMP
(the time the calendar was made), is replaced by ``DTSTAMP:<now>`` before comparing.

Regenerate (only when an output changes on purpose, and say so in the commit):

    .venv/bin/python tests/golden.py --write          # every case
    .venv/bin/python tests/golden.py --write NAME...  # some cases
    .venv/bin/python tests/golden.py                  # compare, list the cases that differ
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
GOLDEN = ROOT / "data" / "golden"
#: Element files are named relative to the repository root (the cases run from there), so
#: that the sources the tables print are the same in every checkout.
DATA = Path("tests") / "data"
#: Outputs larger than this are kept gzip-compressed (``.out.gz``, no timestamp in it).
COMPRESS_ABOVE_BYTES = 100_000
#: The clock of the commands that take one from ``obj`` (geo, sun-outages, eclipses, tle).
NOW_UTC = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)

VISUAL = str(DATA / "tle" / "celestrak_visual_2026-05-07.txt")
MIXED = str(DATA / "batch" / "mixed_2026-05-07.tle")
ISS_AUG = str(DATA / "visibility" / "iss_25544_2026-08-21_22.tle")
SPOT7 = str(DATA / "visibility" / "spot7_40053_2026-05-30.tle")
GEO_BELT = str(DATA / "geo" / "geo_belt_36E-56E_2026-08-22.tle")
AZERSPACE1 = str(DATA / "geo" / "azerspace-1_39079_2026.tle")
AZERSPACE2 = str(DATA / "geo" / "azerspace-2_intelsat-38_43632_2026.tle")
TDRS3 = str(DATA / "predict" / "tdrs-3_2026-05-07.tle")
NUSTAR = str(DATA / "predict" / "nustar_2026-05-07.tle")
RESOURCE = str(DATA / "celestrak" / "resource_2026-05-30.tle")
TARGETS = str(DATA / "celestrak" / "targets_last4.tle")
QUIRKS = str(DATA / "tle" / "real_quirks.tle")


@dataclass(frozen=True)
class Case:
    """One command line; `columns` is the COLUMNS it runs under; `imports` are element files
    put in the store (`tle import`) before it runs."""

    name: str
    args: tuple[str, ...]
    columns: int = 120
    imports: tuple[str, ...] = field(default=())
    chunk_cells: int | None = None


def _passes(name: str, *args: str, columns: int = 120) -> list[Case]:
    return [Case(name, ("passes", *args), columns)]


def _formats(
    name: str,
    *args: str,
    formats=("table", "json", "jsonl", "csv", "ics"),
    chunk_cells: int | None = None,
) -> list[Case]:
    return [
        Case(f"{name}.{f}", ("passes", *args, "--format", f), chunk_cells=chunk_cells)
        for f in formats
    ]


D08 = ("--start", "2026-05-08T00:00Z")
D30 = ("--start", "2026-05-30T18:00Z")
A21 = ("--start", "2026-08-21T12:00Z")
A22 = ("--start", "2026-08-22T00:00Z")

RESOURCE_2OBS = (
    "--tle-file",
    RESOURCE,
    *D30,
    "--days",
    "1",
    "--observer",
    "Baku",
    "--observer",
    "Ganja",
)

CASES: list[Case] = [
    # passes: every format, with and without visibility details
    *_formats("passes-visual-baku-1d", "--tle-file", VISUAL, *D08, "--days", "1"),
    *_formats(
        "passes-iss-visible",
        "--tle-file",
        ISS_AUG,
        *A21,
        "--days",
        "2",
        "--std-mag",
        "-1.8",
        "--observer",
        "Baku",
        "--observer",
        "Ganja",
    ),
    *_formats(
        "passes-iss-visible-only",
        "--tle-file",
        ISS_AUG,
        *A21,
        "--days",
        "2",
        "--visible-only",
        "--twilight",
        "nautical",
    ),
    *_formats(
        "passes-spot7-freq", "--tle-file", SPOT7, *D30, "--days", "3", "--frequency-mhz", "437.5"
    ),
    *_formats(
        "passes-spot7-freq-mag",
        "--tle-file",
        SPOT7,
        *D30,
        "--days",
        "2",
        "--frequency-mhz",
        "2200",
        "--std-mag",
        "40053=5.5",
    ),
    # several observers, ad-hoc places, time zones
    *_formats(
        "passes-mixed-observers",
        "--tle-file",
        MIXED,
        *D08,
        "--days",
        "1",
        "--observer",
        "Baku",
        "--observer",
        "Nakhchivan",
        "--lat",
        "-33.9",
        "--lon",
        "18.4",
    ),
    *_formats(
        "passes-mixed-min0", "--tle-file", MIXED, *D08, "--days", "2", "--min-elevation", "0"
    ),
    # geostationary satellites: looks, wobble crossings, the geo belt
    *_formats("passes-geo-belt", "--tle-file", GEO_BELT, *A22, "--days", "1"),
    *_formats("passes-tdrs3", "--tle-file", TDRS3, *D08, "--days", "2", "--min-elevation", "5"),
    *_formats("passes-azerspace", "--tle-file", AZERSPACE1, *A22, "--days", "1"),
    # medium orbit, long passes cut by the window ends
    *_formats(
        "passes-nustar-cut", "--tle-file", NUSTAR, "--start", "2026-05-08T03:17Z", "--days", "0.4"
    ),
    # a bigger file, whole and in chunks of satellites (json and csv then stream chunk by chunk)
    *_formats("passes-resource-2obs", *RESOURCE_2OBS),
    *_formats("passes-resource-2obs-chunked", *RESOURCE_2OBS, chunk_cells=20_000),
    *_formats(
        "passes-visual-chunked",
        "--tle-file",
        VISUAL,
        *A21,
        "--days",
        "1",
        "--std-mag",
        "25544=-1.8",
        chunk_cells=5_000,
    ),
    *_formats("passes-quirks", "--tle-file", QUIRKS, "--start", "2015-06-01T00:00Z", "--days", "1"),
    *_formats("passes-targets-next", "--tle-file", TARGETS, *D08, "--next", "5"),
    # table layouts: narrow terminals move columns under the row, zones
    *_passes("passes-visual-80col", "--tle-file", VISUAL, *D08, "--days", "0.5", columns=80),
    *_passes("passes-visual-100col", "--tle-file", VISUAL, *D08, "--days", "0.5", columns=100),
    *_passes(
        "passes-iss-80col-visible",
        "--tle-file",
        ISS_AUG,
        *A21,
        "--days",
        "2",
        "--std-mag",
        "-1.8",
        columns=80,
    ),
    *_passes(
        "passes-spot7-80col-freq",
        "--tle-file",
        SPOT7,
        *D30,
        "--days",
        "2",
        "--frequency-mhz",
        "437.5",
        columns=80,
    ),
    *_passes("passes-spot7-utc", "--tle-file", SPOT7, *D30, "--days", "2", "--utc"),
    *_passes(
        "passes-spot7-tz", "--tle-file", SPOT7, *D30, "--days", "2", "--tz", "America/New_York"
    ),
    Case(
        "passes-spot7-alarm.ics",
        ("passes", "--tle-file", SPOT7, *D30, "--days", "2", "--format", "ics", "--alarm", "10m"),
    ),
    # geo
    *[
        Case(
            f"geo-azerspace1.{f}",
            ("geo", "39079", "--tle-file", AZERSPACE1, "--at", "2026-08-22T00:00Z", "--format", f),
        )
        for f in ("table", "json", "csv")
    ],
    *[
        Case(
            f"geo-azerspace2-ganja.{f}",
            (
                "geo",
                "43632",
                "--tle-file",
                AZERSPACE2,
                "--observer",
                "Ganja",
                "--at",
                "2026-03-01T06:00Z",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv")
    ],
    Case(
        "geo-azerspace1-80col",
        ("geo", "39079", "--tle-file", AZERSPACE1, "--at", "2026-08-22T00:00Z"),
        80,
    ),
    *[
        Case(
            f"geo-azerspace1-magnetic.{f}",
            (
                "geo",
                "39079",
                "--tle-file",
                AZERSPACE1,
                "--at",
                "2026-08-22T00:00Z",
                "--magnetic",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv")
    ],
    *[
        Case(
            f"geo-arc-baku.{f}",
            (
                "geo",
                "--arc",
                "--near",
                "AZERSPACE 1",
                "--offset-deg",
                "22.3",
                "--tle-file",
                GEO_BELT,
                "--at",
                "2026-08-23T00:00Z",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv")
    ],
    Case(
        "geo-two-sats-two-observers.csv",
        (
            "geo",
            "39079",
            "43632",
            "--observer",
            "Baku",
            "--observer",
            "Ganja",
            "--magnetic",
            "--offset-deg",
            "22.3",
            "--tle-file",
            GEO_BELT,
            "--at",
            "2026-08-23T00:00Z",
            "--format",
            "csv",
        ),
    ),
    # sun outages
    *[
        Case(
            f"sun-outages-azerspace1.{f}",
            (
                "sun-outages",
                "39079",
                "--tle-file",
                AZERSPACE1,
                "--start",
                "2026-09-01T00:00Z",
                "--days",
                "60",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv", "ics")
    ],
    *[
        Case(
            f"sun-outages-azerspace2-dish.{f}",
            (
                "sun-outages",
                "43632",
                "--tle-file",
                AZERSPACE2,
                "--start",
                "2026-02-15T00:00Z",
                "--days",
                "40",
                "--dish-m",
                "0.6",
                "--frequency-ghz",
                "12.5",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv")
    ],
    Case(
        "sun-outages-azerspace1-80col",
        (
            "sun-outages",
            "39079",
            "--tle-file",
            AZERSPACE1,
            "--start",
            "2026-09-01T00:00Z",
            "--days",
            "60",
            "--utc",
        ),
        80,
    ),
    # eclipses: geostationary seasons and a low orbit
    *[
        Case(
            f"eclipses-azerspace1.{f}",
            (
                "eclipses",
                "39079",
                "--tle-file",
                AZERSPACE1,
                "--start",
                "2026-08-22T00:00Z",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv")
    ],
    Case(
        "eclipses-azerspace1-summary",
        (
            "eclipses",
            "39079",
            "--tle-file",
            AZERSPACE1,
            "--start",
            "2026-08-22T00:00Z",
            "--summary",
        ),
    ),
    *[
        Case(
            f"eclipses-iss.{f}",
            (
                "eclipses",
                "25544",
                "--tle-file",
                ISS_AUG,
                "--start",
                "2026-08-21T00:00Z",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv")
    ],
    # track
    *[
        Case(
            f"track-spot7.{f}",
            (
                "track",
                "40053",
                "--tle-file",
                SPOT7,
                "--start",
                "2026-05-30T18:30Z",
                "--minutes",
                "30",
                "--step",
                "30",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv")
    ],
    *[
        Case(
            f"track-iss-freq-2obs.{f}",
            (
                "track",
                "25544",
                "--tle-file",
                ISS_AUG,
                "--start",
                "2026-08-21T17:00Z",
                "--minutes",
                "20",
                "--step",
                "20",
                "--frequency-mhz",
                "145.8",
                "--observer",
                "Baku",
                "--observer",
                "Ganja",
                "--min-elevation",
                "0",
                "--format",
                f,
            ),
        )
        for f in ("table", "json", "csv")
    ],
    Case(
        "track-spot7-nextpass.json",
        (
            "track",
            "40053",
            "--tle-file",
            SPOT7,
            "--start",
            "2026-05-30T18:00Z",
            "--next-pass",
            "--step",
            "15",
            "--format",
            "json",
        ),
    ),
    # the element store: export in every format
    *[
        Case(f"tle-export.{f}", ("tle", "export", "--format", f), imports=(TARGETS, ISS_AUG))
        for f in ("tle", "json", "csv")
    ],
    Case(
        "tle-export-history.csv",
        ("tle", "export", "--history", "--format", "csv"),
        imports=(TARGETS,),
    ),
]


_DTSTAMP = re.compile(rb"^DTSTAMP:\d{8}T\d{6}Z\r$", re.MULTILINE)


def normalise(stdout: bytes) -> bytes:
    """Take the calendar's own clock reading (DTSTAMP) out of an output."""
    return _DTSTAMP.sub(b"DTSTAMP:<now>\r", stdout)


def run_case(case: Case, home: Path) -> bytes:
    """Run one case from the repository root in a fresh PASSPREDICT_HOME `home`; return its
    normalised stdout. A case with `chunk_cells` runs with that chunk budget (the command line
    splits a run into chunks of satellites above it), so that small files take the chunked path.
    """
    from passpredict.runs import batch

    saved_budget, saved_cwd = batch.DEFAULT_PREDICTION_CHUNK_CELLS, os.getcwd()
    try:
        os.chdir(REPO)
        if case.chunk_cells is not None:
            batch.DEFAULT_PREDICTION_CHUNK_CELLS = case.chunk_cells
        return _run(case, home)
    finally:
        batch.DEFAULT_PREDICTION_CHUNK_CELLS = saved_budget
        os.chdir(saved_cwd)


def _run(case: Case, home: Path) -> bytes:
    from passpredict.cli.root import main

    home.mkdir(parents=True, exist_ok=True)
    env = {"PASSPREDICT_HOME": str(home), "COLUMNS": str(case.columns), "NO_COLOR": "1"}
    runner = CliRunner()
    for path in case.imports:
        done = runner.invoke(main, ["tle", "import", path], env=env, obj={"now_utc": NOW_UTC})
        if done.exit_code != 0:
            raise RuntimeError(f"{case.name}: tle import {path} failed: {done.output}")
    result = runner.invoke(main, list(case.args), env=env, obj={"now_utc": NOW_UTC})
    if result.exit_code != 0:
        raise RuntimeError(
            f"{case.name}: exit {result.exit_code}: {result.stderr[-500:]} {result.exception!r}"
        )
    return normalise(result.stdout_bytes)


def golden_path(case: Case) -> Path:
    """The stored output of a case: ``NAME.out``, or ``NAME.out.gz`` for a large one."""
    plain = GOLDEN / f"{case.name}.out"
    return plain if plain.exists() else plain.with_suffix(".out.gz")


def read_golden(case: Case) -> bytes | None:
    path = golden_path(case)
    if not path.exists():
        return None
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def write_golden(case: Case, stdout: bytes) -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    plain = GOLDEN / f"{case.name}.out"
    for old in (plain, plain.with_suffix(".out.gz")):
        old.unlink(missing_ok=True)
    if len(stdout) > COMPRESS_ABOVE_BYTES:
        plain.with_suffix(".out.gz").write_bytes(gzip.compress(stdout, 9, mtime=0))
    else:
        plain.write_bytes(stdout)


def main(argv: list[str]) -> int:
    write = "--write" in argv
    names = [a for a in argv if not a.startswith("--")]
    chosen = [c for c in CASES if not names or c.name in names]
    differ = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, case in enumerate(chosen):
            stdout = run_case(case, Path(tmp) / str(n))
            if write:
                write_golden(case, stdout)
            elif read_golden(case) != stdout:
                differ.append(case.name)
    for name in differ:
        print(f"DIFFERS: {name}")
    print(f"{len(chosen)} cases, {len(differ)} differ" + (" (written)" if write else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main(sys.argv[1:]))
