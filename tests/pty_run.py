"""Run the installed `passpredict` console script with stdout on a real pseudo-terminal.

The terminal gets a window size (TIOCSWINSZ), as a terminal emulator would set it; stderr goes
to a file so that warnings neither block the child nor mix into the screen. What the child
wrote to the terminal comes back as text, with the terminal's CRLF line ends made LF.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len

#: Select Graphic Rendition (bold, colours): the only escape sequences our output may carry.
SGR = re.compile(r"\x1b\[[0-9;]*m")
#: Enough for the slowest command on a busy 2-core machine; only a guard against a hang.
GUARD_S = 300.0


@dataclass(frozen=True)
class Screen:
    exit_code: int
    raw: str  # exactly what reached the terminal (CRLF made LF)
    stderr: str

    @property
    def text(self) -> str:
        """The output without its bold/colour sequences."""
        return SGR.sub("", self.raw)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def too_wide(self, columns: int) -> list[str]:
        """Return the lines wider than `columns` terminal cells (they would wrap)."""
        return [line for line in self.lines if cell_len(line) > columns]


def script() -> Path:
    """The `passpredict` console script installed next to this interpreter."""
    return Path(sys.executable).with_name("passpredict")


def run_in_pty(args: list[str], home: Path, columns: int = 80, rows: int = 24) -> Screen:
    """Run `passpredict ARGS` with stdout on a `columns` x `rows` pty; return the screen."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PASSPREDICT_HOME=str(home), TERM="xterm-256color")
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [str(script()), *args],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=err,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        chunks = []
        try:
            while True:
                ready, _, _ = select.select([master], [], [], GUARD_S)
                if not ready:
                    proc.kill()
                    raise TimeoutError(f"passpredict {' '.join(args)} hung")
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed its end of the terminal
                    break
                if not data:
                    break
                chunks.append(data)
        finally:
            os.close(master)
        code = proc.wait(GUARD_S)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    raw = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Screen(code, raw, stderr)
