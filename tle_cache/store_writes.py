"""Writing the element store: sets, the watchlist, the request log and a whole refresh.

Each call is one transaction (all of it is committed, or none); `record_request` is its own
small durable one, written before the request goes out.

One set per object and epoch is current. A set received for an epoch the store holds with
other elements (CelesTrak re-issues corrected sets under the same epoch) replaces it: the
newest received wins, as a refresh or an import brings it, and the replaced set is kept in
``superseded_sets`` (nothing received is ever lost). The same elements again (a repeated
download, the TLE of a set stored from OMM) change nothing. The bundled snapshot only fills
gaps: it never replaces a set.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tle_cache.elements import ElementSet
from tle_cache.store_reads import StoreReader
from tle_cache.store_schema import format_timestamp, stamp_or_none

if TYPE_CHECKING:
    from tle_cache.fetch_log import FetchRecord

#: The OMM fields SGP4 propagates from: two sets of one epoch that agree on these (to far
#: below the digits a TLE prints) are the same set, whatever format each came in.
ELEMENT_KEYS: tuple[str, ...] = (
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "BSTAR",
    "MEAN_MOTION_DOT",
    "MEAN_MOTION_DDOT",
)
#: Relative difference below which two values of `ELEMENT_KEYS` are equal: a TLE prints at
#: most 8 significant digits, a float parse of the same text differs by ~1e-16.
SAME_ELEMENT_REL_TOL = 1e-9


@dataclass(frozen=True)
class StoredCounts:
    """What one write did with the sets it was given.

    `new`: sets of an object and epoch the store did not hold. `replaced`: sets that replaced
    a stored set of the same object and epoch with other elements (the older is kept as
    superseded). The rest were already stored as they are.
    """

    new: int = 0
    replaced: int = 0

    def __add__(self, other: StoredCounts) -> StoredCounts:
        return StoredCounts(self.new + other.new, self.replaced + other.replaced)


def same_elements(first: Mapping[str, object], second: Mapping[str, object]) -> bool:
    """Return True when two OMM mappings hold the same mean elements (`ELEMENT_KEYS`)."""
    for key in ELEMENT_KEYS:
        try:
            a, b = float(str(first[key])), float(str(second[key]))
        except (KeyError, ValueError):
            return False
        if not math.isclose(a, b, rel_tol=SAME_ELEMENT_REL_TOL, abs_tol=1e-300):
            return False
    return True


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

    def add_sets(
        self, sets: Sequence[ElementSet], source: str, received_utc: datetime
    ) -> StoredCounts:
        """Store `sets` in one transaction; return how many were new and how many replaced a
        stored set of their epoch (the module's rule: the newest received wins, in `sets`
        order; the replaced set is kept as superseded)."""
        with self._transaction() as conn:
            return self._store_sets(conn, sets, source, received_utc)

    def forget_sets(self, norad_id: int, epochs: Sequence[datetime]) -> int:
        """Delete one satellite's stored sets at `epochs`, in one transaction; return how many.

        For a set that should never have been stored (``passpredict tle forget``). Sets of the
        bundled snapshot come back on the next open, as every store is topped up with them.
        The sets they superseded go too (they are of the same epochs).
        """
        rows = [(int(norad_id), format_timestamp(epoch)) for epoch in epochs]
        with self._transaction() as conn:
            before = conn.total_changes
            conn.executemany("DELETE FROM element_sets WHERE norad_id = ? AND epoch_utc = ?", rows)
            forgotten = conn.total_changes - before
            conn.executemany(
                "DELETE FROM superseded_sets WHERE norad_id = ? AND epoch_utc = ?", rows
            )
            return forgotten

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

    def record_refresh(self, records: Sequence[FetchRecord], now_utc: datetime) -> StoredCounts:
        """Write a whole refresh (sets, fetch log, memberships) in one transaction.

        Returns how many sets were new and how many replaced a stored set of their epoch (as
        `add_sets`, records in order). A process killed before this commits leaves the store
        as it was, but for the requests `record_request` logged.
        """
        stamp = format_timestamp(now_utc)
        counts = StoredCounts()
        with self._transaction() as conn:
            for record in records:
                counts += self._store_sets(conn, record.sets, record.source, now_utc)
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
        return counts

    def _store_sets(
        self,
        conn: sqlite3.Connection,
        sets: Sequence[ElementSet],
        source: str,
        received_utc: datetime,
    ) -> StoredCounts:
        """Insert `sets`, each replacing a stored set of its epoch with other elements (the
        replaced row moves to ``superseded_sets``, stamped `received_utc`)."""
        received = format_timestamp(received_utc)
        new = replaced = 0
        for row in _set_rows(sets, source, received):
            cursor = conn.execute(
                "INSERT OR IGNORE INTO element_sets (norad_id, epoch_utc, name, omm_json, "
                "tle_line1, tle_line2, source, received_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            if cursor.rowcount == 1:
                new += 1
                continue
            stored = conn.execute(
                "SELECT omm_json, tle_line1, tle_line2 FROM element_sets "
                "WHERE norad_id = ? AND epoch_utc = ?",
                row[:2],
            ).fetchone()
            same_lines = row[4] is not None and (row[4], row[5]) == (stored[1], stored[2])
            if same_lines or same_elements(json.loads(stored[0]), json.loads(str(row[3]))):
                continue
            conn.execute(
                "INSERT INTO superseded_sets (norad_id, epoch_utc, name, omm_json, tle_line1, "
                "tle_line2, source, received_utc, superseded_utc) SELECT norad_id, epoch_utc, "
                "name, omm_json, tle_line1, tle_line2, source, received_utc, ? "
                "FROM element_sets WHERE norad_id = ? AND epoch_utc = ?",
                (received, *row[:2]),
            )
            conn.execute(
                "UPDATE element_sets SET name = ?, omm_json = ?, tle_line1 = ?, tle_line2 = ?, "
                "source = ?, received_utc = ? WHERE norad_id = ? AND epoch_utc = ?",
                (*row[2:], *row[:2]),
            )
            replaced += 1
        return StoredCounts(new, replaced)

    def _fill_gaps(self, conn: sqlite3.Connection, sets: Sequence[ElementSet], source: str) -> int:
        """Insert those of `sets` whose object and epoch the store lacks (the bundled seed:
        it never replaces a set); return how many."""
        before = conn.total_changes
        conn.executemany(
            "INSERT OR IGNORE INTO element_sets (norad_id, epoch_utc, name, omm_json, tle_line1, "
            "tle_line2, source, received_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _set_rows(sets, source, None),
        )
        return conn.total_changes - before


def _set_rows(
    sets: Sequence[ElementSet], source: str, received: str | None
) -> list[tuple[object, ...]]:
    """Return the `element_sets` rows of `sets` (norad_id, epoch_utc first, then the rest)."""
    return [
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
