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

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

import numpy as np

from tle_cache.elements import ElementSet
from tle_cache.nearest import MAX_EPOCH_DISTANCE_DAYS, WindowSets, choose_epochs, window_sets
from tle_cache.policy import CELESTRAK_SERVER
from tle_cache.safe_text import without_credentials
from tle_cache.store_files import (
    StoreError,
    StoreReadOnly,
    check_same_file,
    check_store_file,
    damaged,
    recovery,
    sqlite_error,
    write_obstacle,
    write_problem,
)

STORE_FILE_NAME = "elements.sqlite"
#: Version 1 (one fetch-log row per query) is read as it is, and migrated when writable.
SCHEMA_VERSION = 2
#: The satellites a new store tracks: Azerspace-1, Azerspace-2 (Intelsat 38), SPOT 7 (Azersky).
DEFAULT_WATCHLIST: tuple[int, ...] = (39079, 43632, 40053)
BUNDLED_SOURCE = "bundled"
#: How long a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT_S = 30.0

_TABLES = ("element_sets", "fetches", "watchlist", "query_members")

_SCHEMA = """
CREATE TABLE element_sets (
    norad_id     INTEGER NOT NULL,
    epoch_utc    TEXT    NOT NULL,  -- 2026-05-30T15:33:32.520384Z: sorts as text
    name         TEXT    NOT NULL,
    omm_json     TEXT    NOT NULL,  -- the 17 OMM keys as received (or as read from a TLE)
    tle_line1    TEXT,              -- the printed TLE, when the set came as one
    tle_line2    TEXT,
    source       TEXT    NOT NULL,  -- 'bundled', 'celestrak.org CATNR=40053 fetched ...'
    received_utc TEXT,              -- NULL for the bundled snapshot
    PRIMARY KEY (norad_id, epoch_utc)
);
CREATE TABLE fetches (
    query            TEXT NOT NULL,     -- 'CATNR=40053', 'GROUP=resource', 'NAME=SPOT'
    server           TEXT NOT NULL,     -- 'celestrak.org', '127.0.0.1:8080' (policy.server_key)
    last_attempt_utc TEXT,              -- the last request the server saw: the 2-hour clock
    last_success_utc TEXT,              -- the last answer that was data or 'not modified'
    status           TEXT NOT NULL,     -- sent (no outcome yet), data, not-modified,
                                        -- unknown-object, error
    message          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (query, server)
);
CREATE TABLE watchlist (  -- in the order the user added them (rowid)
    norad_id INTEGER NOT NULL UNIQUE
);
CREATE TABLE query_members (  -- which objects the last data answer of a query held
    query    TEXT    NOT NULL,
    norad_id INTEGER NOT NULL,
    PRIMARY KEY (query, norad_id)
);
"""

# Version 1 kept one row per query, whatever the server: its attempts are counted against
# CelesTrak (the safe reading: they may have reached it).
_MIGRATE_1_TO_2 = (
    """CREATE TABLE fetches_2 (
        query TEXT NOT NULL, server TEXT NOT NULL, last_attempt_utc TEXT,
        last_success_utc TEXT, status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (query, server))""",
    f"""INSERT INTO fetches_2 SELECT query, '{CELESTRAK_SERVER}', last_attempt_utc,
        last_success_utc, status, message FROM fetches""",
    "DROP TABLE fetches",
    "ALTER TABLE fetches_2 RENAME TO fetches",
    "PRAGMA user_version = 2",
)

_SET_COLUMNS = "norad_id, epoch_utc, name, omm_json, tle_line1, tle_line2, source"


@dataclass(frozen=True)
class FetchState:
    """What the store remembers about one query sent to one server (the `fetches` table)."""

    query: str
    server: str
    last_attempt_utc: datetime | None
    last_success_utc: datetime | None
    status: str
    message: str


@dataclass(frozen=True)
class FetchRecord:
    """One query's result in a refresh, ready to be written.

    `attempted` is False when the request never reached the server (connection refused):
    then the attempt `record_request` logged before sending is withdrawn, the last attempt
    set back to `previous_attempt_utc`, and the 2-hour clock is not started. `server` is the
    server it was sent to (`policy.server_key`): the clock runs per query and server.
    `members` replaces the query's membership list when given (a data answer).
    """

    query: str
    status: str
    message: str = ""
    attempted: bool = True
    success: bool = False
    source: str = ""
    sets: Sequence[ElementSet] = field(default_factory=tuple)
    members: Sequence[int] | None = None
    server: str = CELESTRAK_SERVER
    previous_attempt_utc: datetime | None = None


def store_path(home: Path) -> Path:
    """Return the store file inside the passpredict home directory."""
    return Path(home) / STORE_FILE_NAME


def format_timestamp(moment: datetime) -> str:
    """Format an aware datetime as the store writes it (UTC, microseconds, ``Z``)."""
    if moment.tzinfo is None:
        raise ValueError(f"time {moment!r} has no time zone; pass an aware UTC datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@overload
def parse_timestamp(text: str) -> datetime: ...
@overload
def parse_timestamp(text: None) -> None: ...
@overload
def parse_timestamp(text: str | None) -> datetime | None: ...
def parse_timestamp(text: str | None) -> datetime | None:
    """Read a timestamp written by `format_timestamp` (None stays None)."""
    if text is None:
        return None
    return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=UTC)


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
        store._prepare(seed or _default_seed)
    except BaseException:
        store.close()
        raise
    return store


def open_store_for_reading(
    path: Path, *, seed: Callable[[], Sequence[ElementSet]] | None = None
) -> Store:
    """Open the store at `path` for a command that only reads it.

    A writable store is opened as `open_store` does (created, seeded, migrated). One that
    cannot be written is opened read-only, as it is (no seeding). Raises `StoreReadOnly` when
    there is no store and none can be created, `StoreError` for a file that is not a store.
    """
    path = Path(path)
    before = check_store_file(path)
    obstacle = write_obstacle(path)
    if obstacle is None:
        return open_store(path, seed=seed)
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


class Store:
    """An open element store. Close it (or use it as a context manager) when done."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        read_only: bool = False,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self._conn = conn
        self._version = SCHEMA_VERSION
        self._busy_timeout_s = busy_timeout_s
        self._checked = False  # has quick_check passed (before this store's first write)?

    # --- life cycle ------------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite errors into one-line `StoreError`s that name the file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise sqlite_error(self.path, exc, self._busy_timeout_s) from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction: all of it is committed, or none."""
        if self.read_only:
            raise StoreReadOnly(
                write_problem(self.path) or f"the element store {self.path} is open read-only"
            )
        with self._guard():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                if not self._checked:
                    self._quick_check()
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _quick_check(self) -> None:
        """Refuse to write into a damaged file (run inside the write lock, once per store)."""
        rows = self._conn.execute("PRAGMA quick_check(1)").fetchall()
        if rows != [("ok",)]:
            found = str(rows[0][0]) if rows else "no answer"
            found = " ".join(found.replace("*** in database main ***", "").split())
            raise damaged(self.path, f"is damaged (SQLite's integrity check: {found[:120]})")
        self._checked = True

    def _prepare(self, seed: Callable[[], Sequence[ElementSet]]) -> None:
        with self._guard():
            version = self._check_schema(self._conn)
        seed_sets = list(seed())
        # A reader must not queue behind a writer: take the write lock only when there is
        # something to write (a new file, an old schema, or seed sets this store lacks).
        if version < SCHEMA_VERSION or self._missing(seed_sets):
            with self._transaction() as conn:
                # Checked again inside the write lock: another process may have created it.
                version = self._check_schema(conn)
                if version == 1:
                    for statement in _MIGRATE_1_TO_2:
                        conn.execute(statement)
                if version == 0:
                    # Statement by statement: executescript() would commit our transaction.
                    for statement in _SCHEMA.split(";\n"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    conn.executemany(
                        "INSERT INTO watchlist (norad_id) VALUES (?)",
                        [(n,) for n in DEFAULT_WATCHLIST],
                    )
                self._insert_sets(conn, seed_sets, BUNDLED_SOURCE, None)
        self._version = SCHEMA_VERSION
        with self._guard():
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")

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

    def _check_schema(self, conn: sqlite3.Connection) -> int:
        """Return our schema version (0: empty file, to be created) or raise `StoreError`."""
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if version == 0 and not tables:
            return 0
        if version == 0:
            listed = ", ".join(sorted(tables)[:5])
            raise StoreError(
                recovery(self.path, f"is an SQLite database but not an element store ({listed})")
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer passpredict (store schema {version}, this "
                f"one reads {SCHEMA_VERSION}); upgrade passpredict, or set PASSPREDICT_HOME to "
                "another directory"
            )
        missing = [name for name in _TABLES if name not in tables]
        if missing:
            raise damaged(self.path, f"is damaged (no table {', '.join(missing)})")
        return version

    # --- reading ---------------------------------------------------------------------------

    def latest(self, norad_ids: Sequence[int] | None = None) -> list[ElementSet]:
        """Return the newest-epoch set of each satellite, in `norad_ids` order (default: all)."""
        query = (
            f"SELECT {_SET_COLUMNS} FROM element_sets AS e WHERE epoch_utc = "
            "(SELECT MAX(epoch_utc) FROM element_sets WHERE norad_id = e.norad_id)"
        )
        with self._guard():
            if norad_ids is None:
                rows = self._conn.execute(query + " ORDER BY norad_id").fetchall()
                return [_row_to_set(row) for row in rows]
            wanted = [int(n) for n in norad_ids]
            marks = ",".join("?" * len(wanted))
            rows = self._conn.execute(query + f" AND norad_id IN ({marks})", wanted).fetchall()
        by_id = {row[0]: _row_to_set(row) for row in rows}
        return [by_id[n] for n in dict.fromkeys(wanted) if n in by_id]

    def sets_for_window(
        self,
        start_utc: datetime,
        end_utc: datetime | None,
        norad_ids: Sequence[int],
        *,
        max_distance_days: float = MAX_EPOCH_DISTANCE_DAYS,
    ) -> WindowSets:
        """Return the set of each satellite in `norad_ids` chosen for the window, in that order.

        The rule is `tle_cache.nearest`'s, applied to the two candidates of each satellite
        (`around`); only the chosen rows become `ElementSet`s. One query for any number of
        satellites, whatever the length of their history.
        """
        rows = self._around_rows(start_utc, norad_ids)
        epochs = np.array([row[1].removesuffix("Z") for row in rows], dtype="datetime64[us]")
        choice = choose_epochs(
            np.fromiter((row[0] for row in rows), np.int64, len(rows)),
            epochs.astype(np.int64) / 1e6,
            start_utc,
            end_utc,
            wanted=norad_ids,
            max_distance_days=max_distance_days,
        )
        return window_sets(choice, lambda i, reason: _row_to_set(rows[i], reason))

    def around(self, at_utc: datetime, norad_ids: Sequence[int]) -> list[ElementSet]:
        """Return, for each satellite in `norad_ids`, the latest set at or before `at_utc` and
        the earliest after it (one or two sets; none for an unknown id), in `norad_ids` order.

        These two are the only candidates the rule of `tle_cache.nearest` can choose for a
        window starting at `at_utc`.
        """
        return [_row_to_set(row) for row in self._around_rows(at_utc, norad_ids)]

    def _around_rows(self, at_utc: datetime, norad_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        # Two index seeks per satellite (the primary key is norad_id, epoch_utc); the ids go
        # in as one JSON parameter, so no limit on how many.
        stamp = format_timestamp(at_utc)
        wanted = json.dumps([int(n) for n in dict.fromkeys(norad_ids)])
        columns = ", ".join(f"e.{c}" for c in _SET_COLUMNS.split(", "))
        with self._guard():
            return self._conn.execute(
                f"""
                WITH wanted AS (SELECT key AS position, value AS id FROM json_each(?)),
                bounds AS (
                    SELECT position, id,
                        (SELECT MAX(epoch_utc) FROM element_sets
                         WHERE norad_id = id AND epoch_utc <= ?) AS before,
                        (SELECT MIN(epoch_utc) FROM element_sets
                         WHERE norad_id = id AND epoch_utc > ?) AS after
                    FROM wanted
                )
                SELECT {columns} FROM bounds AS b JOIN element_sets AS e
                    ON e.norad_id = b.id AND e.epoch_utc IN (b.before, b.after)
                ORDER BY b.position, e.epoch_utc
                """,
                (wanted, stamp, stamp),
            ).fetchall()

    def group_ids(self, name: str) -> list[int]:
        """Return the members of a fetched CelesTrak group (empty if it was never fetched)."""
        with self._guard():
            return [
                row[0]
                for row in self._conn.execute(
                    "SELECT norad_id FROM query_members WHERE query = ? ORDER BY norad_id",
                    (f"GROUP={name.strip().lower()}",),
                )
            ]

    def history(self, norad_id: int) -> list[ElementSet]:
        """Return every stored set of one satellite, oldest epoch first."""
        with self._guard():
            rows = self._conn.execute(
                f"SELECT {_SET_COLUMNS} FROM element_sets WHERE norad_id = ? ORDER BY epoch_utc",
                (int(norad_id),),
            ).fetchall()
        return [_row_to_set(row) for row in rows]

    def find_group(self, name: str) -> list[ElementSet]:
        """Return the newest set of each member of a fetched CelesTrak group (empty if never)."""
        ids = self.group_ids(name)
        return self.latest(ids) if ids else []

    def count(self) -> int:
        """Return how many element sets the store holds."""
        with self._guard():
            return int(self._conn.execute("SELECT COUNT(*) FROM element_sets").fetchone()[0])

    def norad_ids(self) -> list[int]:
        """Return the catalog numbers of every satellite the store holds a set of, ascending."""
        with self._guard():
            rows = self._conn.execute(
                "SELECT DISTINCT norad_id FROM element_sets ORDER BY norad_id"
            ).fetchall()
        return [row[0] for row in rows]

    def watchlist(self) -> list[int]:
        """Return the catalog numbers a plain refresh fetches."""
        with self._guard():
            rows = self._conn.execute("SELECT norad_id FROM watchlist ORDER BY rowid").fetchall()
        return [row[0] for row in rows]

    def fetch_state(self, query: str, server: str = CELESTRAK_SERVER) -> FetchState | None:
        """Return what the store remembers about one query sent to `server`, or None."""
        return self.fetch_states(server).get(query)

    def fetch_states(self, server: str = CELESTRAK_SERVER) -> dict[str, FetchState]:
        """Return the fetch log of one server: query -> `FetchState`."""
        return {state.query: state for state in self.fetch_log() if state.server == server}

    def fetch_log(self) -> list[FetchState]:
        """Return the whole fetch log, one `FetchState` per query and server, sorted."""
        # a version-1 store (read-only, not migrated) has no server column: CelesTrak's
        server = "server" if self._version >= 2 else f"'{CELESTRAK_SERVER}'"
        with self._guard():
            rows = self._conn.execute(
                f"SELECT query, {server}, last_attempt_utc, last_success_utc, status, message "
                "FROM fetches ORDER BY query, 2"
            ).fetchall()
        return [
            FetchState(
                row[0],
                row[1],
                parse_timestamp(row[2]),
                parse_timestamp(row[3]),
                row[4],
                without_credentials(row[5]),  # as in `_row_to_set`
            )
            for row in rows
        ]

    # --- writing ---------------------------------------------------------------------------

    def add_to_watchlist(self, norad_id: int) -> bool:
        """Add a satellite to the watchlist; return False if it was already there."""
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO watchlist (norad_id) VALUES (?)", (int(norad_id),)
            )
            return cursor.rowcount == 1

    def remove_from_watchlist(self, norad_id: int) -> bool:
        """Remove a satellite from the watchlist (its stored sets stay); False if absent."""
        with self._transaction() as conn:
            cursor = conn.execute("DELETE FROM watchlist WHERE norad_id = ?", (int(norad_id),))
            return cursor.rowcount == 1

    def add_sets(self, sets: Sequence[ElementSet], source: str, received_utc: datetime) -> int:
        """Store `sets` in one transaction; return how many were new (same epoch: kept once)."""
        with self._transaction() as conn:
            return self._insert_sets(conn, sets, source, received_utc)

    def forget_sets(self, norad_id: int, epochs: Sequence[datetime]) -> int:
        """Delete one satellite's stored sets at `epochs`, in one transaction; return how many.

        For a set that should never have been stored (``passpredict tle forget``). Sets of the
        bundled snapshot come back on the next open, as every store is topped up with them.
        """
        rows = [(int(norad_id), format_timestamp(epoch)) for epoch in epochs]
        with self._transaction() as conn:
            before = conn.total_changes
            conn.executemany("DELETE FROM element_sets WHERE norad_id = ? AND epoch_utc = ?", rows)
            return conn.total_changes - before

    def record_request(self, query: str, server: str, sent_utc: datetime) -> None:
        """Log that `query` is about to be sent to `server`, before it is sent.

        Its own small transaction, committed (and, with ``synchronous = FULL``, on the disk)
        before this returns: a run killed, crashing or failing to store its answer after
        sending cannot forget the request, so the 2-hour clock holds. The status is
        ``sent`` until `record_refresh` writes the outcome. Raises `StoreError` (a full
        disk, a read-only or damaged store): then the request must not be sent.
        """
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO fetches (query, server, last_attempt_utc, status, message) "
                "VALUES (?, ?, ?, 'sent', ?) ON CONFLICT (query, server) DO UPDATE SET "
                "last_attempt_utc = excluded.last_attempt_utc, status = 'sent', "
                "message = excluded.message",
                (
                    query,
                    server,
                    format_timestamp(sent_utc),
                    "request sent; the run ended before its outcome was stored",
                ),
            )

    def record_refresh(self, records: Sequence[FetchRecord], now_utc: datetime) -> int:
        """Write a whole refresh (sets, fetch log, memberships) in one transaction.

        Returns how many sets were new. A process killed before this commits leaves the
        store as it was, but for the requests `record_request` logged.
        """
        stamp = format_timestamp(now_utc)
        new = 0
        with self._transaction() as conn:
            for record in records:
                new += self._insert_sets(conn, record.sets, record.source, now_utc)
                if record.members is not None:
                    conn.execute("DELETE FROM query_members WHERE query = ?", (record.query,))
                    conn.executemany(
                        "INSERT OR IGNORE INTO query_members (query, norad_id) VALUES (?, ?)",
                        [(record.query, n) for n in record.members],
                    )
                conn.execute(
                    "INSERT INTO fetches (query, server, last_attempt_utc, last_success_utc, "
                    "status, message) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (query, server) DO "
                    "UPDATE SET last_attempt_utc = excluded.last_attempt_utc, "
                    "last_success_utc = COALESCE(excluded.last_success_utc, last_success_utc), "
                    "status = excluded.status, message = excluded.message",
                    (
                        record.query,
                        record.server,
                        stamp if record.attempted else _stamp_or_none(record.previous_attempt_utc),
                        stamp if record.success else None,
                        record.status,
                        record.message,
                    ),
                )
        return new

    def _insert_sets(
        self,
        conn: sqlite3.Connection,
        sets: Sequence[ElementSet],
        source: str,
        received_utc: datetime | None,
    ) -> int:
        received = None if received_utc is None else format_timestamp(received_utc)
        rows = [
            (
                s.norad_id,
                format_timestamp(s.epoch_utc),
                s.name,
                json.dumps(dict(s.omm), separators=(",", ":")),
                s.tle_lines[0] if s.tle_lines else None,
                s.tle_lines[1] if s.tle_lines else None,
                source,
                received,
            )
            for s in sets
        ]
        before = conn.total_changes
        conn.executemany(
            "INSERT OR IGNORE INTO element_sets (norad_id, epoch_utc, name, omm_json, tle_line1, "
            "tle_line2, source, received_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return conn.total_changes - before


def _stamp_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else format_timestamp(moment)


def _row_to_set(row: tuple[Any, ...], selected: str = "") -> ElementSet:
    norad_id, epoch, name, omm_json, line1, line2, source = row
    return ElementSet(
        norad_id=norad_id,
        name=name,
        epoch_utc=parse_timestamp(epoch),
        omm=json.loads(omm_json),
        tle_lines=(line1, line2) if line1 is not None and line2 is not None else None,
        # an older version stored a --base-url's credentials in the source: never shown
        source=without_credentials(source),
        selected=selected,
    )
