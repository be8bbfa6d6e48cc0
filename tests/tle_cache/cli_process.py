"""The real `passpredict` CLI in a child process, and a small full disk to run it on.

`run_cli` and `start_cli` run ``passpredict`` as a user would (its own process, its own clock,
`PASSPREDICT_HOME` and `PASSPREDICT_CELESTRAK_URL` from the environment), so a test can kill
it. `small_disk` mounts a tmpfs of a few hundred KiB in a private mount namespace (root only):
a real file system that really fills up, which disappears with the namespace.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CLI = "from passpredict.cli.root import main; main()"
#: Where nothing listens: a refresh that reaches it fails at once, without a request.
NOWHERE_URL = "http://127.0.0.1:9"


def cli_env(home: Path, url: str = NOWHERE_URL, **extra: str) -> dict[str, str]:
    return {**os.environ, "PASSPREDICT_HOME": str(home), "PASSPREDICT_CELESTRAK_URL": url, **extra}


def run_cli(
    home: Path, *args: str, url: str = NOWHERE_URL, prefix: Sequence[str] = (), **extra: str
) -> subprocess.CompletedProcess:
    """Run ``passpredict ARGS`` to the end; assert it printed no traceback."""
    done = subprocess.run(
        [*prefix, sys.executable, "-c", CLI, *args],
        env=cli_env(home, url, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def start_cli(home: Path, *args: str, url: str = NOWHERE_URL) -> subprocess.Popen:
    """Start ``passpredict ARGS`` and return at once (the test waits for or kills it)."""
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *args],
        env=cli_env(home, url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Callable[[], object], timeout_s: float = 20.0) -> None:
    """Poll `condition` until it is true; fail the test after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting after {timeout_s:g} s")
        time.sleep(0.02)


@dataclass(frozen=True)
class SmallDisk:
    """A tmpfs mounted at `mountpoint` inside the mount namespace of process `pid`.

    Commands see it when run with `prefix` (nsenter into that namespace); this process reads
    and writes it through `view` (``/proc/PID/root`` + the mount point).
    """

    mountpoint: Path
    pid: int

    @property
    def prefix(self) -> list[str]:
        return ["nsenter", f"--target={self.pid}", "--mount", "--"]

    @property
    def view(self) -> Path:
        return Path(f"/proc/{self.pid}/root") / self.mountpoint.relative_to("/")

    def free_kib(self) -> int:
        stats = os.statvfs(self.view)
        return stats.f_bavail * stats.f_frsize // 1024

    def fill(self, leave_kib: int) -> None:
        """Fill the disk with 4 KiB files, then delete enough of them to leave `leave_kib`."""
        fillers = self.view / f"filler-{leave_kib}"
        fillers.mkdir()
        count = 0
        while True:
            try:
                (fillers / str(count)).write_bytes(b"\0" * 4096)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
                break
            count += 1
        assert self.free_kib() == 0
        for number in range(leave_kib // 4):
            (fillers / str(number)).unlink()
        assert self.free_kib() == leave_kib // 4 * 4

    def empty(self) -> None:
        """Remove every filler file: the disk has room again."""
        for folder in self.view.glob("filler-*"):
            shutil.rmtree(folder)


_UNSHARE = ("unshare", "--mount", "--propagation", "private")
_MOUNT = 'mount -t tmpfs -o size="$1"k tmpfs "$0" && echo mounted && exec sleep 600'


@contextmanager
def small_disk(mountpoint: Path, size_kib: int) -> Iterator[SmallDisk]:
    """Mount a `size_kib` tmpfs at `mountpoint` in a private mount namespace; skip if we cannot."""
    if os.geteuid() != 0 or not (shutil.which("unshare") and shutil.which("nsenter")):
        pytest.skip("a small full disk needs root, unshare and nsenter (a private tmpfs mount)")
    mountpoint.mkdir(parents=True)
    holder = subprocess.Popen(
        [*_UNSHARE, "sh", "-c", _MOUNT, str(mountpoint), str(size_kib)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if holder.stdout.readline().strip() != "mounted":
            pytest.skip(f"cannot mount a tmpfs here: {holder.stderr.read().strip()}")
        yield SmallDisk(mountpoint, holder.pid)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
        holder.stderr.close()
