"""The installed `passpredict` program run as a user runs it: a real process, stderr on a real
pseudo-terminal (os.openpty), stdout redirected to a file, signals sent from outside.

These are the cases a CliRunner cannot see: a progress bar that only draws on a terminal, and
Ctrl-C arriving in the middle of a long run.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROGRAM = Path(sys.executable).with_name("passpredict")
DATA = Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle"
#: 20 satellites x 5 observers x 30 days: two chunks of the default budget, a few seconds.
CHUNKED = (
    "passes",
    "--tle-file",
    str(DATA),
    "--start",
    "2026-05-07T00:00:00Z",
    "--days",
    "30",
    *("--observer", "Baku", "--observer", "Ganja", "--observer", "Shamakhi"),
    *("--observer", "Nakhchivan", "--lat", "-0.18", "--lon", "-78.47"),
)
#: Longest a test waits for the program (a safety net against a hung child, not a timing).
DEADLINE_S = 300.0

pytestmark = pytest.mark.skipif(not PROGRAM.exists(), reason="console script not installed")


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PASSPREDICT_HOME"] = str(home)
    env["TERM"] = "xterm-256color"
    return env


def _read_available(fd: int, sink: bytearray, wait_s: float) -> None:
    """Move what the terminal holds into `sink`; wait up to `wait_s` for the first bytes."""
    ready, _, _ = select.select([fd], [], [], wait_s)
    while ready:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed its end
            return
        if not chunk:
            return
        sink.extend(chunk)
        ready, _, _ = select.select([fd], [], [], 0)


def _start_on_pty(args, stdout_path: Path, home: Path):
    """Start the program with stderr on a new pty and stdout into a file."""
    main_fd, child_fd = os.openpty()
    with open(stdout_path, "wb") as out:
        process = subprocess.Popen(
            [str(PROGRAM), *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=child_fd,
            env=_environment(home),
            close_fds=True,
        )
    os.close(child_fd)
    return process, main_fd


def _finish(process: subprocess.Popen, main_fd: int, screen: bytearray) -> int:
    give_up = time.monotonic() + DEADLINE_S
    while process.poll() is None and time.monotonic() < give_up:
        _read_available(main_fd, screen, 0.2)
    _read_available(main_fd, screen, 0.2)
    os.close(main_fd)
    if process.poll() is None:
        process.kill()
        pytest.fail("passpredict did not finish")
    return process.returncode


@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_a_chunked_run_with_stderr_on_a_terminal_writes_all_its_data_to_stdout(
    tmp_path, output_format
):
    # was: the progress bar took over stdout, the data went to the screen, the file stayed
    # empty, exit 0
    args = (*CHUNKED, "--format", output_format)
    reference = subprocess.run(
        [str(PROGRAM), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=_environment(tmp_path / "home-a"),
        timeout=DEADLINE_S,
    )
    assert reference.returncode == 0, reference.stderr.decode()
    assert len(reference.stdout.splitlines()) > 1000  # a run worth chunking

    stdout_path = tmp_path / f"out.{output_format}"
    process, main_fd = _start_on_pty(args, stdout_path, tmp_path / "home-b")
    screen = bytearray()
    assert _finish(process, main_fd, screen) == 0, screen.decode(errors="replace")

    assert stdout_path.read_bytes() == reference.stdout
    shown = screen.decode(errors="replace")
    assert "satellites" in shown  # the progress bar was drawn, on the terminal
    first_data_line = reference.stdout.splitlines()[1].decode()
    assert first_data_line[:40] not in shown
    assert "norad_id" not in shown


def test_ctrl_c_in_a_long_run_exits_130_in_one_line(tmp_path):
    # was: "Aborted!" and exit 1, which a script cannot tell from a failure
    args = [a if a != "30" else "100" for a in CHUNKED]  # long enough to be interrupted
    process, main_fd = _start_on_pty([*args, "--format", "csv"], tmp_path / "out.csv", tmp_path)
    screen = bytearray()
    give_up = time.monotonic() + DEADLINE_S
    while b"satellites" not in screen and process.poll() is None:  # the bar: computing now
        assert time.monotonic() < give_up, "no progress bar"
        _read_available(main_fd, screen, 0.2)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    assert _finish(process, main_fd, screen) == 130
    shown = screen.decode(errors="replace")
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown
    assert "Interrupted." in shown


def test_quiet_draws_no_progress_bar_on_a_terminal(tmp_path):
    process, main_fd = _start_on_pty([*CHUNKED, "--format", "csv", "-q"], tmp_path / "o", tmp_path)
    screen = bytearray()
    assert _finish(process, main_fd, screen) == 0
    assert screen == b""  # no bar, no warning: errors only
    assert len((tmp_path / "o").read_bytes().splitlines()) > 1000
