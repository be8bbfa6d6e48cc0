"""The element store's SQLite schema: its tables, its migrations, and the row format of a set.

The schema version lives in ``PRAGMA user_version``; `check_schema` reads it and refuses a file
that is not ours (or is damaged, or is newer), `upgrade_schema` creates or migrates it inside
the caller's write transaction. Timestamps are written as text that sorts in time order.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

from tle_cache.elements import ElementSet
from tle_cache.policy import CELESTRAK_SERVER
from tle_cache.safe_text import without_credentials
from tle_cache.store_files import StoreError, damaged, recovery

#: Versions 1 (one fetch-log row per query) and 2 (no superseded sets) are read as they are,
#: and migrated when writable.
SCHEMA_VERSION = 3
#: The satellites a new store tracks: Azerspace-1, Azerspace-2 (Intelsat 38), SPOT 7 (Azersky).
DEFAULT_WATCHLIST: tuple[int, ...] = (39079, 43632, 40053)
BUNDLED_SOURCE = "bundled"

TABLES = ("element_sets", "fetches", "watchlist", "query_members")
#: The tables a store of each version holds beyond `TABLES`.
TABLES_SINCE: dict[int, tuple[str, ...]] = {3: ("superseded_sets",)}

SCHEMA = """
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
CREATE TABLE superseded_sets (  -- a set replaced by a later one of the same object and epoch
    norad_id       INTEGER NOT NULL,
    epoch_utc      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    omm_json       TEXT    NOT NULL,
    tle_line1      TEXT,
    tle_line2      TEXT,
    source         TEXT    NOT NULL,
    received_utc   TEXT,
    superseded_utc TEXT    NOT NULL  -- when the replacing set was received
);
CREATE INDEX superseded_by_epoch ON superseded_sets (norad_id, epoch_utc);
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
MIGRATE_1_TO_2 = (
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

# Version 3 adds the superseded sets (a corrected re-issue of an epoch replaces the set the
# store held; the replaced one is kept here).
MIGRATE_2_TO_3 = (
    # (IF NOT EXISTS: a test's hand-made version-1 store may hold them already)
    *[
        statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS").replace(
            "CREATE INDEX", "CREATE INDEX IF NOT EXISTS"
        )
        for statement in SCHEMA.split(";\n")
        if "superseded" in statement
    ],
    "PRAGMA user_version = 3",
)

SET_COLUMNS = "norad_id, epoch_utc, name, omm_json, tle_line1, tle_line2, source"


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


def stamp_or_none(moment: datetime | None) -> str | None:
    """Format `moment` as `format_timestamp` does; None stays None."""
    return None if moment is None else format_timestamp(moment)


def row_to_set(row: tuple[Any, ...], selected: str = "") -> ElementSet:
    """Turn one row of `SET_COLUMNS` into an `ElementSet` (`selected`: why it was chosen)."""
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


def check_schema(conn: sqlite3.Connection, path: Path) -> int:
    """Return our schema version (0: empty file, to be created) or raise `StoreError`."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and not tables:
        return 0
    if version == 0:
        listed = ", ".join(sorted(tables)[:5])
        raise StoreError(
            recovery(path, f"is an SQLite database but not an element store ({listed})")
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer passpredict (store schema {version}, this "
            f"one reads {SCHEMA_VERSION}); upgrade passpredict, or set PASSPREDICT_HOME to "
            "another directory"
        )
    expected = TABLES + tuple(
        name for since, names in TABLES_SINCE.items() if version >= since for name in names
    )
    missing = [name for name in expected if name not in tables]
    if missing:
        raise damaged(path, f"is damaged (no table {', '.join(missing)})")
    return version


def upgrade_schema(conn: sqlite3.Connection, version: int) -> None:
    """Bring a store at `version` (0: empty) to `SCHEMA_VERSION`, in the caller's transaction.

    A new store also gets the default watchlist.
    """
    if version == 1:
        for statement in MIGRATE_1_TO_2:
            conn.execute(statement)
        version = 2
    if version == 2:
        for statement in MIGRATE_2_TO_3:
            conn.execute(statement)
    if version == 0:
        # Statement by statement: executescript() would commit our transaction.
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.executemany(
            "INSERT INTO watchlist (norad_id) VALUES (?)",
            [(n,) for n in DEFAULT_WATCHLIST],
        )
