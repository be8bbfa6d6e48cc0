"""Writing the element store: sets, the watchlist, the request log and a whole refresh.

Each call is one transaction (all of it is committed, or none); `record_request` is its own
small durable one, written before the request goes out.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tle_cache.elements import ElementSet
from tle_cache.store_reads import StoreReader
from tle_cache.store_schema import format_timestamp, stamp_or_none

if TYPE_CHECKING:
    from tle_cache.fetch_log import FetchRecord


class StoreWriter(StoreReader):
    """The writes of an open store, each in one transaction."""

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
                        stamp if record.attempted else stamp_or_none(record.previous_attempt_utc),
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
