"""The element store: history kept, newest set chosen, damaged files refused, readers unblocked."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from celestrak_server import load_sets

from tle_cache.bundled import load_bundled
from tle_cache.store import (
    DEFAULT_WATCHLIST,
    SCHEMA_VERSION,
    FetchRecord,
    StoreError,
    latest_element_sets,
    open_store,
    store_path,
)

NOW = datetime(2026, 8, 23, 6, 0, tzinfo=UTC)


@pytest.fixture
def targets():
    """The 4 newest real sets of each of our three satellites (12, grouped, oldest first)."""
    return load_sets("targets_last4.tle")


def _older(sets):
    """All but the newest set of each satellite."""
    newest = {}
    for s in sets:
        newest[s.norad_id] = max(newest.get(s.norad_id, s.epoch_utc), s.epoch_utc)
    return [s for s in sets if s.epoch_utc != newest[s.norad_id]]


def _raw(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_new_store_is_seeded_with_the_bundled_sets_and_default_watchlist(tmp_path):
    path = store_path(tmp_path)
    with open_store(path) as store:
        latest = store.latest()
        assert [s.norad_id for s in latest] == sorted(DEFAULT_WATCHLIST)
        assert all(s.source == "bundled" for s in latest)
        assert {(s.norad_id, s.epoch_utc) for s in latest} == {
            (s.norad_id, s.epoch_utc) for s in load_bundled()
        }
        assert store.watchlist() == list(DEFAULT_WATCHLIST)
    assert _raw(path, "PRAGMA journal_mode") == [("wal",)]
    assert _raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_latest_picks_the_newest_epoch_and_history_keeps_every_set(tmp_path, targets):
    with open_store(store_path(tmp_path), seed=lambda: _older(targets)) as store:
        assert store.count() == 9
        spot_before = store.latest([40053])[0]
        assert spot_before.epoch_utc < max(s.epoch_utc for s in targets if s.norad_id == 40053)
        new = store.add_sets(targets, "celestrak.org CATNR=40053 fetched 2026-08-23T06:00:00Z", NOW)
        assert new.new == 3  # the 9 older sets were already there: kept once
        latest = store.latest()
        assert [s.epoch_utc for s in latest] == [
            max(s.epoch_utc for s in targets if s.norad_id == n) for n in (39079, 40053, 43632)
        ]
        assert latest[1].source == "celestrak.org CATNR=40053 fetched 2026-08-23T06:00:00Z"
        history = store.history(40053)
        assert [s.epoch_utc for s in history] == sorted(
            s.epoch_utc for s in targets if s.norad_id == 40053
        )
        assert history[0].source == "bundled"  # what the seed provided keeps its origin


def test_latest_follows_the_requested_order_and_skips_unknown_ids(tmp_path):
    with open_store(store_path(tmp_path)) as store:
        assert [s.norad_id for s in store.latest([40053, 99999, 39079, 40053])] == [40053, 39079]
        assert store.latest([]) == []


def test_a_stored_set_comes_back_identical(tmp_path, targets):
    with open_store(store_path(tmp_path), seed=lambda: targets) as store:
        back = store.history(40053)
    original = [s for s in targets if s.norad_id == 40053]
    for a, b in zip(original, back, strict=True):
        assert (a.norad_id, a.name, a.epoch_utc, a.tle_lines) == (
            b.norad_id,
            b.name,
            b.epoch_utc,
            b.tle_lines,
        )
        assert dict(a.omm) == dict(b.omm)
        when = (a.satrec().jdsatepoch, a.satrec().jdsatepochF + 1.5)
        assert a.satrec().sgp4(*when) == b.satrec().sgp4(*when)


def test_latest_element_sets_opens_seeds_reads_and_closes(tmp_path):
    sets = latest_element_sets(tmp_path / "fresh-home", [40053])
    assert [(s.norad_id, s.source) for s in sets] == [(40053, "bundled")]
    assert (tmp_path / "fresh-home" / "elements.sqlite").is_file()


def test_reopening_tops_up_seed_sets_without_duplicates(tmp_path, targets):
    path = store_path(tmp_path)
    with open_store(path, seed=lambda: targets[:2]) as store:
        assert store.count() == 2
    with open_store(path, seed=lambda: targets[:5]) as store:
        assert store.count() == 5
    with open_store(path, seed=lambda: targets[:5]) as store:
        assert store.count() == 5


def test_watchlist_add_and_remove_keep_the_sets(tmp_path):
    with open_store(store_path(tmp_path)) as store:
        assert store.add_to_watchlist(25544) is True
        assert store.add_to_watchlist(25544) is False
        assert store.remove_from_watchlist(40053) is True
        assert store.remove_from_watchlist(40053) is False
        assert store.watchlist() == [39079, 43632, 25544]
        assert [s.norad_id for s in store.latest([40053])] == [40053]


def test_record_refresh_writes_the_fetch_log_and_group_members(tmp_path, targets):
    later = NOW + timedelta(hours=3)
    with open_store(store_path(tmp_path), seed=lambda: []) as store:
        store.record_refresh(
            [
                FetchRecord(
                    "GROUP=geo",
                    "data",
                    "ok",
                    success=True,
                    source="s",
                    sets=targets[:8],
                    members=[39079, 43632],
                ),
                FetchRecord("CATNR=1", "error", "HTTP 500", attempted=True),
            ],
            NOW,
        )
        # a request that never reached the server: the clock goes back to the last attempt
        refused = FetchRecord("GROUP=geo", "error", "refused", attempted=False)
        store.record_request("GROUP=geo", refused.server, later)
        store.record_refresh([replace(refused, previous_attempt_utc=NOW)], later)
        states = store.fetch_states()
        geo = states["GROUP=geo"]
        assert (geo.last_attempt_utc, geo.last_success_utc, geo.status) == (NOW, NOW, "error")
        assert (states["CATNR=1"].last_attempt_utc, states["CATNR=1"].last_success_utc) == (
            NOW,
            None,
        )
        assert store.fetch_state("CATNR=2") is None
        assert [s.norad_id for s in store.find_group("GEO")] == [39079, 43632]
        assert store.find_group("weather") == []


# --- files that are not our store ---------------------------------------------------------


def _assert_refused(path: Path, *words: str) -> None:
    before = path.read_bytes()
    with pytest.raises(StoreError) as info, open_store(path) as store:
        store.latest()
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message
    assert path.read_bytes() == before, "a refused file must stay untouched"


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = store_path(tmp_path)
    path.write_bytes(
        b"1 25544U 98067A   24127.82853009  .00015698  00000+0  27310-3 0  9995\n" * 80
    )
    _assert_refused(path, "move it aside", "mv ")


def test_a_foreign_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = store_path(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()
    _assert_refused(path, "not an element store", "notes", "move it aside")
    assert _raw(path, "PRAGMA journal_mode") == [("delete",)]  # not switched to WAL


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    path = store_path(tmp_path)
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer passpredict"):
        open_store(path)


def test_a_store_with_damaged_pages_is_refused(tmp_path, targets):
    path = store_path(tmp_path)
    with open_store(path, seed=lambda: targets) as store:
        store.add_sets(load_sets("resource_2026-05-30.tle"), "test", NOW)
    _raw(path, "PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 5 * 4096
    data[2 * 4096 : len(data) - 4096] = b"\xa5" * (len(data) - 3 * 4096)
    path.write_bytes(bytes(data))
    _assert_refused(path, "move it aside")


def test_a_directory_in_place_of_the_store_is_refused(tmp_path):
    path = store_path(tmp_path)
    path.mkdir()
    with pytest.raises(StoreError, match="is a directory"):
        open_store(path)


def test_an_empty_file_becomes_a_new_store(tmp_path):
    path = store_path(tmp_path)
    path.touch()
    with open_store(path) as store:
        assert store.count() == 3


# --- readers while a refresh writes -------------------------------------------------------


def test_readers_see_the_old_state_while_a_write_is_open_and_are_not_blocked(tmp_path, targets):
    path = store_path(tmp_path)
    with open_store(path, seed=lambda: _older(targets)) as writer:
        before = [(s.norad_id, s.epoch_utc) for s in writer.latest()]
        with writer._transaction() as conn:
            writer._store_sets(conn, targets, "new", NOW)
            start = time.monotonic()
            with open_store(path, seed=lambda: _older(targets)) as reader:
                during = [(s.norad_id, s.epoch_utc) for s in reader.latest()]
            assert time.monotonic() - start < 1.0, "a reader waited for the writer"
            assert during == before
        with open_store(path, seed=lambda: []) as reader:
            after = [(s.norad_id, s.epoch_utc) for s in reader.latest()]
    assert after != before
    assert after == [
        (n, max(s.epoch_utc for s in targets if s.norad_id == n)) for n in (39079, 40053, 43632)
    ]


def test_concurrent_refresh_writes_and_readers_never_see_half_a_refresh(tmp_path, targets):
    """A writer stores one set of each of three satellites per transaction; readers check
    that the newest sets always come from the same transaction."""
    path = store_path(tmp_path)
    open_store(path, seed=lambda: []).close()
    by_sat = [[s for s in targets if s.norad_id == n] for n in (39079, 43632, 40053)]
    generations = list(zip(*by_sat, strict=True))  # 4 transactions of 3 sets each
    problems: list[str] = []
    done = threading.Event()

    def write() -> None:
        with open_store(path, seed=lambda: []) as store:
            for number, sets in enumerate(generations):
                store.record_refresh(
                    [
                        FetchRecord(
                            f"gen{number}", "data", success=True, source=f"gen{number}", sets=sets
                        )
                    ],
                    NOW,
                )
                time.sleep(0.02)
        done.set()

    def read() -> None:
        reads = 0
        while not done.is_set() or reads < 5:
            with open_store(path, seed=lambda: []) as store:
                sources = {s.source for s in store.latest()}
            if len(sources) > 1:
                problems.append(f"mixed state: {sorted(sources)}")
            reads += 1

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not problems
    with open_store(path, seed=lambda: []) as store:
        assert {s.source for s in store.latest()} == {"gen3"}
        assert store.count() == 12


def test_an_open_store_holding_the_bundled_sets_reads_them_without_the_parser(tmp_path):
    path = store_path(tmp_path)
    open_store(path).close()  # seeded
    code = (
        "import sys; from pathlib import Path; from tle_cache.store import open_store\n"
        f"open_store(Path({str(path)!r})).close()\n"
        "print('tle_cache.parse' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"  # the bundled lines were found: nothing to parse


def test_a_bundled_set_forgotten_or_stored_without_lines_comes_back_on_open(tmp_path):
    path = store_path(tmp_path)
    spot7 = next(s for s in load_bundled() if s.norad_id == 40053)
    with open_store(path) as store:
        assert store.forget_sets(40053, [spot7.epoch_utc]) == 1
    with open_store(path) as store:
        assert [s.epoch_utc for s in store.history(40053)] == [spot7.epoch_utc]
    # the same set from an OMM answer (no TLE lines): found by NORAD id and epoch, kept once
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE element_sets SET tle_line1 = NULL, tle_line2 = NULL")
    conn.close()
    with open_store(path) as store:
        assert len(store.history(40053)) == 1
