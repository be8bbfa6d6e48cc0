"""What can be wrong with the store's file, told apart, each with its own one-line fix.

The advice differs, and the wrong advice costs the user their history: a full disk wants
space freed, an I/O error a look at the disk, a read-only file other permissions or another
`PASSPREDICT_HOME`, a busy store a second try; only a damaged file (or one that is not a
store) is to be moved aside. `sqlite_error` maps an SQLite error to the right one by its
(extended) result code, never by guessing from the text.

Links. The store (``elements.sqlite``) and its side files (``-wal``, ``-shm``,
``-journal``) must be regular files, not symbolic links: a link to an empty file would be
made a database, a link to another store written into. `check_store_file` refuses them
before SQLite opens the file, and `check_same_file` makes sure, once it has, that the name
still is that same regular file. SQLite's own ``SQLITE_OPEN_NOFOLLOW`` checks the same way
(``lstat``), and so has the same limit: someone who can write your home directory could swap
a link in and out again in the instant between the two checks. Keep `PASSPREDICT_HOME`
writable by you alone. The directories above the store may be links (a home on another disk).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

#: The files SQLite keeps next to the store.
SIDE_FILE_SUFFIXES = ("-wal", "-shm", "-journal")
#: Under this much free space, an SQLite I/O error is taken for a full disk: SQLite reports
#: a failed extension of its ``-shm`` file as ``SQLITE_IOERR_SHMSIZE``, not ``SQLITE_FULL``.
NEARLY_FULL_BYTES = 1 << 20

_ELSEWHERE = "set PASSPREDICT_HOME to a writable directory"


class StoreError(RuntimeError):
    """The store file cannot be used; the message names the file and how to recover."""


class StoreReadOnly(StoreError):
    """The store cannot be written (file, directory or file system read-only); it may be read."""


class StoreFull(StoreError):
    """The disk holding the store is full. Nothing is damaged: free some space."""


class StoreIOError(StoreError):
    """The operating system reported an I/O error. The store is most likely intact."""


class StoreBusy(StoreError):
    """Another process kept the store locked for longer than we wait."""


class StoreDamaged(StoreError):
    """The file is damaged, or not a passpredict store: it must be moved aside."""


def recovery(path: Path, problem: str) -> str:
    """The message for a file that is not a store (or a damaged one): move it aside."""
    return (
        f"{path} {problem}; move it aside (e.g. mv '{path}' '{path}.bad') and run the command "
        "again to start a new store from the bundled data"
    )


def damaged(path: Path, problem: str) -> StoreDamaged:
    """A damaged store: move it aside; SQLite's ``.recover`` may save its history."""
    return StoreDamaged(
        recovery(path, problem) + f" (sqlite3 '{path}.bad' .recover may save its history)"
    )


def sqlite_error(path: Path, exc: sqlite3.Error, busy_timeout_s: float) -> StoreError:
    """Return the `StoreError` (with its fix) for an SQLite error on the store at `path`."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    detail = f"{name}: {exc}" if name else str(exc)
    if name.startswith("SQLITE_FULL") or (name.startswith("SQLITE_IOERR") and _nearly_full(path)):
        return StoreFull(full_message(path))
    if name.startswith("SQLITE_READONLY") or (not name and "readonly" in str(exc)):
        return StoreReadOnly(
            write_problem(path)
            or f"cannot write the element store {path} ({detail}); make it and its directory "
            f"writable, or {_ELSEWHERE}"
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreBusy(
            f"{path}: the store stayed busy for {busy_timeout_s:g} s (another passpredict is "
            "writing it); try again when it has finished"
        )
    if name.startswith("SQLITE_IOERR"):
        return StoreIOError(
            f"{path}: the operating system reported an I/O error ({detail}); the store is most "
            "likely intact, do not delete it: check the disk (dmesg, a network or USB disk "
            "that went away) and run the command again"
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return damaged(path, f"is damaged or not a store ({exc})")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(
            f"{path}: cannot open the element store ({detail}); check that its directory "
            f"exists and is yours, or {_ELSEWHERE}"
        )
    if name == "SQLITE_ERROR" or not isinstance(exc, sqlite3.OperationalError):
        # a statement our schema should run failed (no such table or column): not our store
        return StoreError(recovery(path, f"is not a store this passpredict can use ({exc})"))
    return StoreError(
        f"{path}: the element store failed ({detail}); the file is kept as it is: run the "
        "command again, and report it if it keeps failing"
    )


def full_message(path: Path) -> str:
    free = _free_bytes(path.parent)
    room = "" if free is None else f" ({free // 1024} KiB free)"
    return (
        f"cannot write the element store {path}: the disk is full{room}; free some space "
        f"there, or set PASSPREDICT_HOME to a directory with room (the store is not damaged: "
        "keep it)"
    )


def _free_bytes(folder: Path) -> int | None:
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return None
    return stats.f_bavail * stats.f_frsize


def _nearly_full(path: Path) -> bool:
    free = _free_bytes(path.parent)
    return free is not None and free < NEARLY_FULL_BYTES


# --- links and file types -------------------------------------------------------------------


def check_store_file(path: Path) -> os.stat_result | None:
    """Refuse a store (or side file) that is a link or not a regular file; return the store's
    `lstat` (None: there is no store file yet)."""
    store_info: os.stat_result | None = None
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_FILE_SUFFIXES)):
        try:
            info = os.lstat(candidate)
        except FileNotFoundError:
            continue
        except OSError:  # e.g. a parent that is a file: told apart by `write_problem`
            continue
        if stat.S_ISLNK(info.st_mode):
            raise StoreError(_link_message(candidate, path))
        if candidate == path and stat.S_ISDIR(info.st_mode):
            raise StoreError(recovery(path, "is a directory, not a store file"))
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(
                f"{candidate} is not a regular file ({_kind(info.st_mode)}); passpredict keeps "
                f"its store in plain files: remove it (rm '{candidate}') or {_ELSEWHERE}"
            )
        if candidate == path:
            store_info = info
    return store_info


def check_same_file(path: Path, before: os.stat_result | None) -> None:
    """After SQLite opened `path`: refuse it unless it still is the regular file `before`
    (or, when there was none, a new regular file)."""
    try:
        after = os.lstat(path)
    except FileNotFoundError:
        return  # opened read-only, nothing created yet: nothing was followed either
    if stat.S_ISLNK(after.st_mode):
        raise StoreError(_link_message(path, path))
    if not stat.S_ISREG(after.st_mode) or (
        before is not None and (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino)
    ):
        raise StoreError(
            f"{path} was replaced while passpredict opened it; nothing was written: run the "
            "command again, and make sure nothing else writes to PASSPREDICT_HOME"
        )


def _link_message(link: Path, store: Path) -> str:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    what = "element store" if link == store else "store's side file"
    return (
        f"the {what} {link} is a symbolic link (to {target}); passpredict does not follow "
        "links for its store, so it never writes into another file: set PASSPREDICT_HOME to "
        f"the directory that holds the real store, or remove the link (rm '{link}')"
    )


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return kind
    return "not a file"


# --- permissions ----------------------------------------------------------------------------


def write_problem(path: Path) -> str | None:
    """Return why the store at `path` cannot be written (one line, with the fix), or None.

    SQLite writes the file and, next to it, its journal (``-wal``, ``-shm``): both the file
    and its directory must be writable (or the nearest existing parent, to create them). The
    fix depends on why: a read-only file system, someone else's file (a shared store), or
    permissions the user can change. A home that is a file is said to be one.
    """
    obstacle = write_obstacle(Path(path))
    return None if obstacle is None else f"cannot write the element store: {obstacle}"


def write_obstacle(path: Path) -> str | None:
    """What keeps the store at `path` from being written, and the fix; None: nothing."""
    try:
        if path.exists() and not os.access(path, os.W_OK):
            return _unwritable(path, "file")
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
    except OSError as exc:  # a directory above it we may not enter
        return f"cannot reach {path} ({exc.strerror}); {_ELSEWHERE}"
    if folder.exists() and not folder.is_dir():
        return (
            f"{folder} is a file, not a directory; set PASSPREDICT_HOME to a directory (or "
            f"move the file '{folder}' aside)"
        )
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    return _unwritable(folder, "directory")


def _unwritable(path: Path, kind: str) -> str:
    if _read_only_file_system(path):
        return f"{path} is on a read-only file system; {_ELSEWHERE}"
    owner = _owner(path)
    if owner is not None and owner != os.geteuid():
        return (
            f"the {kind} {path} belongs to another user (uid {owner}) and is read-only for "
            f"you; ask its owner, or {_ELSEWHERE}"
        )
    return f"the {kind} {path} is read-only; make it writable (chmod u+w '{path}') or {_ELSEWHERE}"


def _owner(path: Path) -> int | None:
    try:
        return path.stat().st_uid if hasattr(os, "geteuid") else None
    except OSError:
        return None


def _read_only_file_system(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False
