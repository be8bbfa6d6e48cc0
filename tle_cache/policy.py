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

import errno
import os
import stat
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


class RefreshLockError(RuntimeError):
    """The lock file cannot be used (a link, a directory, an unusable home); one line, a fix."""


#: How the lock file is opened: never through a link, never blocking (a named pipe), and
#: read-only on POSIX, where `flock` needs no write access (a read-only lock file still
#: locks); on Windows read-write, as before (the handle `LockFileEx` locks).
_LOCK_FLAGS = (
    os.O_CREAT
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | (os.O_RDWR if os.name == "nt" else os.O_RDONLY)
)


@contextmanager
def refresh_lock(home: Path) -> Iterator[Path]:
    """Hold the refresh lock in `home` for the duration of the block, or raise `RefreshLocked`.

    The lock is filelock's native lock (`flock` on POSIX, `LockFileEx` on Windows) on
    ``home/refresh.lock``, taken on the descriptor this function opened, without waiting: a second
    refresh exits at once instead of queueing up behind the first (a queued cron job would
    only hit the 2-hour window anyway). The kernel releases the lock when the process dies,
    so a killed refresh never leaves a stale lock behind. The file itself is left in place.
    A lock file that is a symbolic link, a directory or anything but a plain file is refused
    (`RefreshLockError`, as is a home that cannot hold one): it is never followed or created
    elsewhere.
    """
    home = Path(home)
    path = home / LOCK_FILE_NAME
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _LOCK_FLAGS, 0o644)
    except OSError as exc:
        raise RefreshLockError(_lock_problem(home, path, exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what, remove = ("a directory", "rmdir") if stat.S_ISDIR(mode) else ("not a file", "rm")
            raise RefreshLockError(
                f"the refresh lock {path} is {what}; remove it ({remove} '{path}'), the next "
                "refresh makes a new one"
            )
        # filelock's descriptor lock: `flock` on POSIX (contention also as EACCES, which some
        # file systems report), `LockFileEx` on Windows; imported here, not at the top, as it
        # costs some 50 ms and only a refresh needs it.
        from filelock import lock_descriptor, unlock_descriptor

        try:
            locked = lock_descriptor(fd, blocking=False)
        except OSError as exc:  # no locks on this file system (ENOLCK, ENOSYS)
            raise RefreshLockError(
                f"cannot lock the refresh lock {path} ({exc.strerror or exc}); set "
                "PASSPREDICT_HOME to a directory on a local disk"
            ) from None
        if not locked:
            raise RefreshLocked(
                f"another refresh is running (lock {path} is held); "
                "nothing was downloaded, try again when it has finished"
            )
        try:
            yield path
        finally:
            unlock_descriptor(fd)
    finally:
        os.close(fd)


def _lock_problem(home: Path, path: Path, exc: OSError) -> str:
    """One line: why the lock file in `home` cannot be opened, and the fix."""
    elsewhere = "or set PASSPREDICT_HOME to a writable directory"
    if exc.errno == errno.ELOOP or path.is_symlink():
        return (
            f"the refresh lock {path} is a symbolic link; passpredict does not follow links for "
            f"its lock: remove it (rm '{path}'), the next refresh makes a new one"
        )
    if exc.errno == errno.EISDIR:
        return (
            f"the refresh lock {path} is a directory; remove it (rmdir '{path}'), the next "
            "refresh makes a new one"
        )
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"{home} is not a directory; set PASSPREDICT_HOME to a directory"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"cannot open the refresh lock {path} ({exc.strerror}); fix its permissions {elsewhere}"
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return (
            f"cannot create the refresh lock {path}: the disk is full; free some space, {elsewhere}"
        )
    return f"cannot open the refresh lock {path} ({exc.strerror}); try again, {elsewhere}"
