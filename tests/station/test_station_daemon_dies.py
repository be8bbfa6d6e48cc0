"""A hamlib daemon that dies mid-run: one line, exit 1, and the rotator parked if asked.

rigctld is killed (the real process, SIGKILL) once rotctld's own log shows the pre-position
before SPOT 7's pass: the loop's first tuning at AOS then finds the connection gone. The run
used to exit at once, leaving the antenna pointing at the sky although --park was given (as
Ctrl-C parks). What rotctld received is read from its log.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from click.testing import CliRunner

from passpredict.cli.root import main

DATA = Path(__file__).parents[1] / "data"
SPOT7 = str(DATA / "visibility" / "spot7_40053_2026-05-30.tle")
#: Two minutes before the pre-position of SPOT 7's pass over Baku (AOS 17:17:02 UTC).
BEFORE_PASS = "2026-05-30T17:13:00Z"


def _kill_when_pre_positioned(rotctld, rigctld, deadline_s: float = 30.0) -> threading.Thread:
    def watch() -> None:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end and not rotctld.received("P"):
            time.sleep(0.01)
        rigctld.process.kill()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_rigctld_dying_before_aos_parks_the_rotator_and_exits_1(rotctld, rigctld):
    watcher = _kill_when_pre_positioned(rotctld, rigctld)
    result = CliRunner().invoke(
        main,
        [
            "track", "spot7", "--tle-file", SPOT7, "--start", BEFORE_PASS, "--speed", "60",
            "--passes", "1", "--rotctld", str(rotctld.endpoint), "--rigctld",
            str(rigctld.endpoint), "--downlink-mhz", "437.8", "--park", "90,0",
        ],
    )  # fmt: skip
    watcher.join()
    assert result.exit_code == 1, result.output
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert "rigctld at" in error and "check that it still runs" in error
    assert "Traceback" not in result.output
    moves = rotctld.received("P")
    assert len(moves) >= 2
    assert [float(x) for x in moves[-1]] == [90.0, 0.0]
    # was: the pre-position (the AOS azimuth) left as the last position sent, before the fix
    assert result.stdout.splitlines()[-1].endswith("rotctld P 90.00 0.00")
