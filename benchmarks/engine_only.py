"""The engine alone, end to end in its own process: the floor the command line is measured on.

For the same file, observer and window as `passpredict passes --tle-file F --format X`, only
what the pass search itself needs: start Python, import the engine, parse the file
(`tle_cache.parse.read_file`, as the command line does), set the geostationary objects aside
(`passpredict.engine.orbits.classify`: they get look angles, not passes), and search every other
object with `passpredict.runs.batch.run_batch` down to the engine's `PassTable` arrays: rise,
culmination and set with azimuth, elevation and range each. No visibility, no records, no
output: bench_edge.py times this process from outside, like the command line.

Prints one JSON line: counts, and the CPU time of each stage as measured inside.

Run:  python benchmarks/engine_only.py FILE --start 2026-05-08T00:00Z --days 1
"""

from __future__ import annotations

import time

_STARTED_CPU_S = time.process_time()

import one_blas_thread  # noqa: E402, F401  (one BLAS thread, as the command line)

# isort: split
import argparse  # noqa: E402  (after the clock: imports are part of what is timed)
import json  # noqa: E402
import sys  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402

import numpy as np  # noqa: E402

from passpredict.engine.ephemeris import load_timescale  # noqa: E402
from passpredict.engine.orbits import OrbitClass, classify  # noqa: E402
from passpredict.engine.time_axis import TimeBase  # noqa: E402
from passpredict.records import Observer  # noqa: E402
from passpredict.runs.batch import run_batch  # noqa: E402
from tle_cache.parse import read_file  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    imported = time.process_time()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tle_file")
    parser.add_argument("--start", required=True, type=datetime.fromisoformat)
    parser.add_argument("--days", type=float, default=1.0)
    parser.add_argument("--lat", type=float, default=40.4093)
    parser.add_argument("--lon", type=float, default=49.8671)
    parser.add_argument("--alt", type=float, default=-28.0)
    parser.add_argument("--min-elevation", type=float, default=10.0)
    args = parser.parse_args(argv)
    start = args.start
    end = start + timedelta(days=args.days)
    observers = [Observer("observer", args.lat, args.lon, args.alt)]

    element_sets = read_file(args.tle_file)
    parsed = time.process_time()
    searchable = [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]
    timescale = load_timescale()
    timebase = TimeBase.create(start, end, timescale)
    duration_s = (end - start).total_seconds()
    table = run_batch(searchable, observers, timebase, duration_s, args.min_elevation)
    searched = time.process_time()
    complete = int(np.count_nonzero(~np.isnan(table.rise_s) & ~np.isnan(table.set_s)))
    summary = {
        "satellites": len(element_sets),
        "searched": len(searchable),
        "geostationary": len(element_sets) - len(searchable),
        "passes": len(table),
        "complete_passes": complete,
        "import_cpu_s": imported - _STARTED_CPU_S,
        "parse_cpu_s": parsed - imported,
        "search_cpu_s": searched - parsed,
    }
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
