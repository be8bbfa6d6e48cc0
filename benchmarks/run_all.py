"""Every benchmark in one run: the targets of issues 7 and 11, and one summary of them all.

Runs `bench_passes.run` (the engine against Skyfield `find_events`; agreement of times and
look angles with Skyfield and sgp4-predict; geostationary look angles) and then
`bench_edge.run` (the whole catalogue through the command line in every format, 1,000 LEO x 2
observers against Skyfield, start-up, one pair against sgp4-predict, 100 x 100 against the
SGP4 + geometry limit), one after the other in this process; then prints every target again
with MET / NOT MET, and how long the run took.

Run from the repository root, with the bench extra installed (pip install -e '.[bench]'):

    python benchmarks/run_all.py [--no-dask] [--full-skyfield]

Exit status 0 when every target is met, 1 otherwise.
"""

from __future__ import annotations

import one_blas_thread  # noqa: F401  (before numpy: one BLAS thread, see its docstring)

# isort: split
import argparse
import sys
import time
from collections.abc import Sequence

import bench_edge
import bench_passes
from bench_common import load, machine


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-dask", action="store_true", help="leave out --workers 2")
    parser.add_argument(
        "--full-skyfield", action="store_true", help="loop Skyfield over every pair (slow)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"machine: {machine()}")
    print()
    targets = bench_passes.run(args.full_skyfield)
    targets += bench_edge.run(with_dask=not args.no_dask)
    met = sum(t.met for t in targets)
    print(f"all targets ({met} of {len(targets)} MET):")
    for target in targets:
        print(f"  {target.line()}")
    print(f"benchmark took {time.perf_counter() - started:.0f} s; at the end: {load()}")
    return 0 if met == len(targets) else 1


if __name__ == "__main__":
    sys.exit(main())
