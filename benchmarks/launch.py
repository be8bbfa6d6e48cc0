"""Run one command and report its wall time, CPU time and peak memory as one JSON line.

Started as `python -S launch.py` with a JSON spec on stdin: {"argv", "stdout", "stderr",
"env"}. The command gets /dev/null as stdin and the two files as stdout and stderr (so neither
is a terminal). Only the standard library, and no site-packages (-S): this process stays
near 10 MB, below anything we measure, because Linux starts a child's `ru_maxrss` at its
parent's size.

CPU time is user + system of the command and of every process it waited for (Dask workers
included); wall time runs from the spawn to the end of the wait.
"""

import json
import os
import sys
import time


def main() -> None:
    spec = json.loads(sys.stdin.read())
    write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, spec["stdout"], write, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, spec["stderr"], write, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(spec["argv"][0], spec["argv"], spec["env"], file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall_s = time.perf_counter() - start
    result = {
        "wall_s": wall_s,
        "user_s": usage.ru_utime,
        "system_s": usage.ru_stime,
        "peak_rss_kb": usage.ru_maxrss,
        "exit_code": os.waitstatus_to_exitcode(status),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
