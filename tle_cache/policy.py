"""CelesTrak's usage policy as code: the per-query interval and the one-refresh-at-a-time lock.

CelesTrak checks for new data every 2 hours and firewalls clients that ask for the same query
more often (see docs: celestrak.md, "Usage policy"). The interval here is a floor that no flag
can lower. It runs per query *and server*: every request that reached a server starts the
floor for that query at that server (an error answer too: the server saw it), and at no other
server, so a failed try against a wrong `--base-url` does not hold back the right one. The
names CelesTrak answers under are one server (`server_key`), so switching between them never
asks CelesTrak the same question twice. The lock keeps two refreshes started at once (a cron
job and a user at the keyboard) from both downloading.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

#: The same query is sent at most once in this interval, whatever the user asks for.
MIN_QUERY_INTERVAL = timedelta(hours=2)

#: Name of the lock file inside the passpredict home directory.
LOCK_FILE_NAME = "refresh.lock"

#: The server key of CelesTrak, whichever of its names a URL uses.
CELESTRAK_SERVER = "celestrak.org"
_CELESTRAK_NAMES = frozenset(
    {"celestrak.org", "www.celestrak.org", "celestrak.com", "www.celestrak.com"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def server_key(base_url: str) -> str:
    """Return the server a base URL points at, as the policy counts it: ``host[:port]``.

    Lower case, the scheme's default port left out (``http://`` and ``https://`` reach the
    same host), and every name of CelesTrak folded into ``celestrak.org``.
    """
    parts = urlsplit(base_url.strip())
    host = (parts.hostname or "").rstrip(".")
    if host in _CELESTRAK_NAMES:
        return CELESTRAK_SERVER
    port = parts.port
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"[{host}]" if ":" in host else host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def next_allowed_utc(last_attempt_utc: datetime | None) -> datetime | None:
    """Return when a query last sent at `last_attempt_utc` may be sent again (None: now)."""
    if last_attempt_utc is None:
        return None
    return last_attempt_utc + MIN_QUERY_INTERVAL


def is_allowed(last_attempt_utc: datetime | None, now_utc: datetime) -> bool:
    """Return True when a query last sent at `last_attempt_utc` may be sent at `now_utc`.

    A last attempt in the future of `now_utc` (a clock that was set back) also blocks: the
    server saw that request less than 2 hours ago as far as we can tell.
    """
    allowed_from = next_allowed_utc(last_attempt_utc)
    return allowed_from is None or now_utc >= allowed_from


class RefreshLocked(RuntimeError):
    """Another refresh holds the lock; this one must not download anything."""


@contextmanager
def refresh_lock(home: Path) -> Iterator[Path]:
    """Hold the refresh lock in `home` for the duration of the block, or raise `RefreshLocked`.

    The lock is an advisory `flock` on ``home/refresh.lock``, taken without waiting: a second
    refresh exits at once instead of queueing up behind the first (a queued cron job would
    only hit the 2-hour window anyway). The kernel releases the lock when the process dies,
    so a killed refresh never leaves a stale lock behind. The file itself is left in place.
    """
    home.mkdir(parents=True, exist_ok=True)
    path = home / LOCK_FILE_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            raise RefreshLocked(
                f"another refresh is running (lock {path} is held); "
                "nothing was downloaded, try again when it has finished"
            )
        try:
            yield path
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


try:  # POSIX
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows, untested
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
