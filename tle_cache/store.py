"""The local element store: every element set ever received, in one SQLite file.

The store keeps history (all epochs of every object, with where and when each came from), the
fetch log the 2-hour policy needs (per query and server), and the watchlist a plain refresh
fetches. Design points:

- WAL journal: readers (``passpredict passes``) see the last committed state while a refresh
  writes, and never block it.
- Each refresh or import writes in one transaction, so a process killed at any moment
  (SIGKILL included) leaves the old state or the new one, never a mix.
- The schema version lives in ``PRAGMA user_version``. A file that is not SQLite, or SQLite
  without our schema, is refused with a message naming it and how to recover; nothing here
  ever deletes or rewrites a file it did not create.
- The bundled snapshot seeds a new store, and is topped up on open when a newer package
  ships newer bundled sets.
- One set per object and epoch is current: a set received (refresh or import) for an epoch
  the store holds with other elements, as when CelesTrak re-issues a corrected set, replaces
  it, and the replaced one is kept as superseded (`Store.superseded`); the newest received
  wins, the bundled snapshot never replaces (`tle_cache.store_writes`).
- A store that cannot be written (a read-only file, directory or file system) can still be
  read: `open_store_for_reading` opens it read-only. Writers get a one-line `StoreReadOnly`
  that names what is read-only and how to fix it (never "move it aside": nothing is damaged).
  A full disk, an I/O error, a busy store and a damaged file each get their own error and
  fix (`tle_cache.store_files`); a store or side file that is a symbolic link is refused.
- Before its first write, a `Store` runs SQLite's ``PRAGMA quick_check`` (inside the write
  lock) and refuses to write into a damaged file: opening checks the schema only, and a
  write into a damaged b-tree can spread the damage. About 0.15 s for 150,000 sets.
- The request log: `record_request` writes "request sent" for one query in its own small,
  durable transaction before the request goes out, so no crash, kill or full disk after
  sending can forget it (CelesTrak firewalls clients that ask again within 2 hours).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tle_cache.elements import ElementSet
from tle_cache.store_connection import BUSY_TIMEOUT_S
from tle_cache.store_files import (
    StoreError,
    StoreFull,
    StoreReadOnly,
    check_same_file,
    check_store_file,
    sqlite_error,
    write_obstacle,
    write_problem,
)
from tle_cache.store_schema import (
    BUNDLED_SOURCE,
    DEFAULT_WATCHLIST,
    SCHEMA_VERSION,
    format_timestamp,
    parse_timestamp,
    upgrade_schema,
)
from tle_cache.store_writes import StoreWriter

if TYPE_CHECKING:
    from tle_cache.fetch_log import FetchRecord, FetchState

# Names other modules import from here (the store was one module before issue 12).
__all__ = [
    "BUNDLED_SOURCE",
    "BUSY_TIMEOUT_S",
    "DEFAULT_WATCHLIST",
    "SCHEMA_VERSION",
    "STORE_FILE_NAME",
    "FetchRecord",
    "FetchState",
    "Store",
    "StoreError",
    "StoreReadOnly",
    "format_timestamp",
    "latest_element_sets",
    "open_store",
    "open_store_for_reading",
    "parse_timestamp",
    "store_path",
    "write_problem",
]

STORE_FILE_NAME = "elements.sqlite"


def store_path(home: Path) -> Path:
    """Return the store file inside the passpredict home directory."""
    return Path(home) / STORE_FILE_NAME


def _default_seed() -> Sequence[ElementSet]:
    from tle_cache.bundled import load_bundled

    return load_bundled()


def open_store(
    path: Path,
    *,
    seed: Callable[[], Sequence[ElementSet]] | None = None,
    busy_timeout_s: float = BUSY_TIMEOUT_S,
) -> Store:
    """Open (creating when missing) the store at `path` and return it.

    A new store gets the schema, the default watchlist and the `seed` sets (default: the
    bundled snapshot). An existing store gets any seed set it lacks. Raises `StoreError` (a
    subclass naming the fix) for a file that is not a passpredict store, a link, a damaged,
    read-only or busy store, a full disk. A writer waits up to `busy_timeout_s` for another.
    """
    path = Path(path)
    before = check_store_file(path)
    problem = write_problem(path)
    if problem is not None:
        raise StoreReadOnly(problem)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the directory of the store ({exc})") from None
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, busy_timeout_s) from None
    store = Store(path, conn, busy_timeout_s=busy_timeout_s)
    try:
        check_same_file(path, before)
        store._prepare(seed)
    except BaseException:
        store.close()
        raise
    return store


def open_store_for_reading(
    path: Path, *, seed: Callable[[], Sequence[ElementSet]] | None = None
) -> Store:
    """Open the store at `path` for a command that only reads it.

    A writable store is opened as `open_store` does (created, seeded, migrated). One that
    cannot be written, or whose disk is full, is opened read-only, as it is (no seeding:
    reading must not need free space). Raises `StoreReadOnly` when there is no store and none
    can be created, `StoreError` for a file that is not a store.
    """
    path = Path(path)
    before = check_store_file(path)
    obstacle = write_obstacle(path)
    if obstacle is None:
        try:
            return open_store(path, seed=seed)
        except StoreFull as full:
            # Reading needs no free space: SQLite could not make its WAL index (-shm) or
            # write a seed set, so the store is read as it is, read-only and not seeded.
            if before is None:
                raise
            obstacle = str(full)
    if before is None:
        raise StoreReadOnly(
            f"there is no element store in {path.parent} yet and none can be created: {obstacle}"
        )
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc, BUSY_TIMEOUT_S) from None
    store = Store(path, conn, read_only=True)
    try:
        check_same_file(path, before)
        with store._guard():
            store._version = store._check_schema(conn)
        if store._version == 0:
            raise StoreReadOnly(f"{path} is empty and cannot be made a store: {obstacle}")
    except BaseException:
        store.close()
        raise
    return store


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Connect to `path` read-only, also where SQLite cannot create its WAL side files.

    A WAL store in a directory we cannot write is readable only while its ``-wal`` and
    ``-shm`` files exist (a writer has it open) or, when they do not (no writer: the last one
    removed them on closing), as an immutable file. The second case is safe because nobody
    can start writing: a writer would have to create those files first.
    """
    uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro"  # no resolve(): no link followed
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("PRAGMA user_version").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    conn = sqlite3.connect(
        uri + "&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
    )
    conn.execute("PRAGMA user_version").fetchone()
    return conn


def latest_element_sets(home: Path, norad_ids: Sequence[int] | None = None) -> list[ElementSet]:
    """Return the newest stored set of each satellite (all, or those in `norad_ids`).

    Opens the store in `home` (seeding it from the bundled data when new), reads and closes.
    Each set's `source` says where it came from (``"bundled"`` or the query and fetch time).
    """
    with open_store_for_reading(store_path(home)) as store:
        return store.latest(norad_ids)


class Store(StoreWriter):
    """An open element store. Close it (or use it as a context manager) when done."""

    def _prepare(self, seed: Callable[[], Sequence[ElementSet]] | None) -> None:
        """Create or upgrade the schema and add the `seed` sets (default: bundled) it lacks."""
        with self._guard():
            version = self._check_schema(self._conn)
        # A reader must not queue behind a writer: take the write lock only when there is
        # something to write (a new file, an old schema, or seed sets this store lacks).
        if seed is None and version == SCHEMA_VERSION and self._holds_bundled_lines():
            seed_sets: list[ElementSet] = []  # the usual open: nothing to parse or write
        else:
            seed_sets = list((seed or _default_seed)())
        if version < SCHEMA_VERSION or self._missing(seed_sets):
            with self._transaction() as conn:
                # Checked again inside the write lock: another process may have created it.
                upgrade_schema(conn, self._check_schema(conn))
                self._fill_gaps(conn, seed_sets, BUNDLED_SOURCE)
        self._version = SCHEMA_VERSION
        with self._guard():
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")

    def _holds_bundled_lines(self) -> bool:
        """Return True when every bundled set is stored with its TLE lines, so none is missing
        (False means: parse the bundled sets and look them up by NORAD id and epoch)."""
        from tle_cache.bundled import bundled_tle_lines

        triples = bundled_tle_lines()
        if triples is None:
            return False
        # (called on a current store only: a bundled set that a corrected download replaced
        # is held as superseded)
        match = "norad_id = ? AND tle_line1 = ? AND tle_line2 = ?"
        query = (
            f"SELECT 1 FROM element_sets WHERE {match} "
            f"UNION ALL SELECT 1 FROM superseded_sets WHERE {match}"
        )
        with self._guard():
            for norad_id, line1, line2 in triples:
                row = self._conn.execute(query, (norad_id, line1, line2) * 2).fetchone()
                if row is None:
                    return False
        return True

    def _missing(self, sets: Sequence[ElementSet]) -> bool:
        """Return True when one of `sets` (same NORAD id and epoch) is not stored."""
        with self._guard():
            for s in sets:
                row = self._conn.execute(
                    "SELECT 1 FROM element_sets WHERE norad_id = ? AND epoch_utc = ?",
                    (s.norad_id, format_timestamp(s.epoch_utc)),
                ).fetchone()
                if row is None:
                    return True
        return False


def __getattr__(name: str) -> Any:
    """Re-export the fetch log's records (`tle_cache.fetch_log`), imported on first use."""
    if name in ("FetchRecord", "FetchState"):
        from tle_cache import fetch_log

        return getattr(fetch_log, name)
    raise AttributeError(f"module 'tle_cache.store' has no attribute {name!r}")
