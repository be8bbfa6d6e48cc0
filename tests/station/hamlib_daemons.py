"""Helpers that start hamlib's real daemons with their dummy devices, on 127.0.0.1.

`rotctld -m 1` (dummy rotator) and `rigctld -m 1` (dummy radio) come from the Debian package
libhamlib-utils. Each fixture starts its daemon on a free port, logs every command it
receives (-vvvvv, to a file the test can read: an independent record of what was sent) and
stops it after the test. A missing daemon skips the test with a message naming the package,
except under CI=true, where it fails: CI must run these tests (.ci/run installs the package).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from passpredict.station.hamlib import Endpoint

INSTALL_HINT = "install hamlib's daemons: apt-get install libhamlib-utils (Debian/Ubuntu)"
#: How long (s) a daemon that answered must go on running to be taken as the one listening.
_SETTLE_S = 0.1
#: How long a daemon may take to accept connections (s), polled every 50 ms.
_START_TIMEOUT_S = 10.0


@dataclass
class Daemon:
    """A running hamlib daemon: where it listens and the log of what it received."""

    endpoint: Endpoint
    log_path: Path
    process: subprocess.Popen

    def received(self, command: str) -> list[tuple[str, ...]]:
        """Return the arguments of every `command` (one letter, e.g. "P") the daemon parsed."""
        text = self.log_path.read_bytes().decode("ascii", errors="replace")
        pattern = re.compile(r"^(?:rot|rig)ctl\(d\): (\S+) (.*)$")
        found = []
        for line in text.splitlines():
            match = pattern.match(line)
            if match and match.group(1) == command:
                found.append(tuple(a for a in re.findall(r"'([^']*)'", match.group(2)) if a))
        return found


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} not found; {INSTALL_HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_daemon(name: str, tmp_path: Path, *conf: str) -> Daemon:
    """Start `name` (rotctld or rigctld) with model 1 (dummy) and wait until it listens."""
    binary = _binary(name)
    for _attempt in range(3):  # a free port can be taken between the probe and the start
        port = _free_port()
        log_path = tmp_path / f"{name}-{port}.log"
        args = [binary, "-m", "1", "-T", "127.0.0.1", "-t", str(port), "-vvvvv"]
        if conf:
            args += ["-C", ",".join(conf)]
        log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            except OSError:
                time.sleep(0.05)
                continue
            # The port answered, but whose daemon? Another test's (an xdist worker that probed
            # the same free port) answers too while ours, unable to bind, is exiting: ours
            # must still run a moment later, or the attempt starts again on another port.
            time.sleep(_SETTLE_S)
            if process.poll() is None:
                return Daemon(Endpoint("127.0.0.1", port), log_path, process)
        process.kill()
        process.wait()
    pytest.fail(f"{name} did not start listening; its log: {log_path.read_text()[-500:]}")


def stop_daemon(daemon: Daemon) -> None:
    daemon.process.terminate()
    try:
        daemon.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        daemon.process.kill()
        daemon.process.wait()
