"""An open element-store connection: its life cycle, error translation and write transactions.

The base of `tle_cache.store.Store`. Every SQLite error becomes a one-line `StoreError` naming
the file (`_guard`); every write is one ``BEGIN IMMEDIATE`` transaction (`_transaction`), and the
first one of a store runs SQLite's ``PRAGMA quick_check`` inside the write lock, so nothing is
written into a damaged file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from tle_cache.store_files import StoreReadOnly, damaged, sqlite_error, write_problem
from tle_cache.store_schema import SCHEMA_VERSION, check_schema

#: How long a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT_S = 30.0


class StoreConnection:
    """An open store file; `tle_cache.store.Store` adds the reading and writing."""

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

    def __enter__(self) -> Self:
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

    def _check_schema(self, conn: sqlite3.Connection) -> int:
        """Return our schema version (0: empty file, to be created) or raise `StoreError`."""
        return check_schema(conn, self.path)
