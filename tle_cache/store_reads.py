"""Reading the element store: the newest sets, a window's sets, history, groups, the fetch log.

Every read is one query (any number of satellites, whatever the length of their history) and
turns only the rows it returns into `ElementSet`s.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from tle_cache.elements import ElementSet
from tle_cache.nearest import MAX_EPOCH_DISTANCE_DAYS, WindowSets, choose_epochs, window_sets
from tle_cache.policy import CELESTRAK_SERVER
from tle_cache.safe_text import without_credentials
from tle_cache.store_connection import StoreConnection
from tle_cache.store_schema import SET_COLUMNS, format_timestamp, parse_timestamp, row_to_set

if TYPE_CHECKING:
    from tle_cache.fetch_log import FetchState


class StoreReader(StoreConnection):
    """The queries of an open store (`tle_cache.store.Store` adds the writing)."""

    def latest(self, norad_ids: Sequence[int] | None = None) -> list[ElementSet]:
        """Return the newest-epoch set of each satellite, in `norad_ids` order (default: all)."""
        query = (
            f"SELECT {SET_COLUMNS} FROM element_sets AS e WHERE epoch_utc = "
            "(SELECT MAX(epoch_utc) FROM element_sets WHERE norad_id = e.norad_id)"
        )
        with self._guard():
            if norad_ids is None:
                rows = self._conn.execute(query + " ORDER BY norad_id").fetchall()
                return [row_to_set(row) for row in rows]
            wanted = [int(n) for n in norad_ids]
            marks = ",".join("?" * len(wanted))
            rows = self._conn.execute(query + f" AND norad_id IN ({marks})", wanted).fetchall()
        by_id = {row[0]: row_to_set(row) for row in rows}
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
        return window_sets(choice, lambda i, reason: row_to_set(rows[i], reason))

    def around(self, at_utc: datetime, norad_ids: Sequence[int]) -> list[ElementSet]:
        """Return, for each satellite in `norad_ids`, the latest set at or before `at_utc` and
        the earliest after it (one or two sets; none for an unknown id), in `norad_ids` order.

        These two are the only candidates the rule of `tle_cache.nearest` can choose for a
        window starting at `at_utc`.
        """
        return [row_to_set(row) for row in self._around_rows(at_utc, norad_ids)]

    def _around_rows(self, at_utc: datetime, norad_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        # Two index seeks per satellite (the primary key is norad_id, epoch_utc); the ids go
        # in as one JSON parameter, so no limit on how many.
        stamp = format_timestamp(at_utc)
        wanted = json.dumps([int(n) for n in dict.fromkeys(norad_ids)])
        columns = ", ".join(f"e.{c}" for c in SET_COLUMNS.split(", "))
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
                f"SELECT {SET_COLUMNS} FROM element_sets WHERE norad_id = ? ORDER BY epoch_utc",
                (int(norad_id),),
            ).fetchall()
        return [row_to_set(row) for row in rows]

    def superseded(self, norad_id: int) -> list[ElementSet]:
        """Return the sets of one satellite a later one of the same epoch replaced, oldest
        epoch first, then in the order they were replaced (empty in a version-2 store)."""
        if self._version < 3:
            return []
        with self._guard():
            rows = self._conn.execute(
                f"SELECT {SET_COLUMNS} FROM superseded_sets WHERE norad_id = ? "
                "ORDER BY epoch_utc, superseded_utc, rowid",
                (int(norad_id),),
            ).fetchall()
        return [row_to_set(row) for row in rows]

    def superseded_count(self) -> int:
        """Return how many replaced sets the store keeps (see `superseded`)."""
        if self._version < 3:
            return 0
        with self._guard():
            return int(self._conn.execute("SELECT COUNT(*) FROM superseded_sets").fetchone()[0])

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
        from tle_cache.fetch_log import FetchState

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
                without_credentials(row[5]),  # as in `row_to_set`
            )
            for row in rows
        ]
