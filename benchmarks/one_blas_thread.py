"""Import first: numpy's OpenBLAS gets one thread in every benchmark process, as in ours.

`passpredict`'s command line asks OpenBLAS for one thread (`passpredict.cli.root.
single_threaded_blas`): its idle threads otherwise spin for ~90 ms of CPU per process on 2
cores, which a process's CPU time counts. The benchmarks give every side the same, the
in-process peers (Skyfield, sgp4) and every child (`bench_common.clean_env`), so that no ratio
is won on that spin; only the start-up case also times a bare Python the way it runs by default,
because its target is defined on that (bench_edge.py, case 3). A value already set wins.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
