"""A refresh killed with SIGKILL leaves the store intact: the old state, or the new one.

"The old state" is the old element sets plus the request log entry written before the
request went out (status ``sent``): a kill must not let the next run ask again.

The refresh runs in a child process against the local gp.php; the test kills it while it
downloads, and while its write transaction is open (SQLite's progress handler makes the child
report, and slow down, each step of the write so the kill lands inside it).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celestrak_server import CelestrakServer, Reply, data_text

from tle_cache.policy import refresh_lock
from tle_cache.store import latest_element_sets, open_store, store_path

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

#: A refresh of GROUP=resource whose write transaction prints "tick" every `every` SQLite VM
#: steps (and sleeps a little, so the parent can kill it between two ticks).
WRITER = """
import sys, time
from datetime import UTC, datetime
from tle_cache.fetch import CelestrakClient, Query
from tle_cache.refresh import refresh
from tle_cache.store import open_store

path, url, every = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(path)
record_refresh = store.record_refresh

def slow_record_refresh(records, now_utc):
    def tick():
        sys.stdout.write("tick\\n")
        sys.stdout.flush()
        time.sleep(0.002)
        return 0
    store._conn.set_progress_handler(tick, every)
    return record_refresh(records, now_utc)

store.record_refresh = slow_record_refresh
with CelestrakClient(url) as client:
    report = refresh(store, client, [Query.group("resource")], datetime(2026, 8, 23, tzinfo=UTC))
print("done", report.new_sets, flush=True)
"""

EVERY = 100  # VM steps between two ticks


@pytest.fixture
def server():
    with CelestrakServer() as running:
        running.route(
            "GROUP=resource",
            Reply(200, data_text("resource_2026-05-30.tle").encode(), "text/plain"),
        )
        yield running


def _state(path: Path) -> tuple[str, int, set]:
    """Return (integrity check, number of sets, fetch log) read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        count = conn.execute("SELECT COUNT(*) FROM element_sets").fetchone()[0]
        fetches = set(conn.execute("SELECT query, status FROM fetches").fetchall())
    finally:
        conn.close()
    return integrity, count, fetches


def _start_writer(path: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), url, str(EVERY)],
        stdout=subprocess.PIPE,
        text=True,
    )


def _run_until_ticks(path: Path, url: str, ticks: int | None) -> tuple[int, str]:
    """Run the writer; SIGKILL it after `ticks` ticks (None: let it finish)."""
    child = _start_writer(path, url)
    seen = 0
    last = ""
    try:
        for line in child.stdout:
            last = line.strip()
            if last == "tick":
                seen += 1
                if seen == ticks:
                    os.kill(child.pid, signal.SIGKILL)
                    break
    finally:
        child.wait(timeout=30)
        child.stdout.close()
    return seen, last


def test_a_refresh_killed_inside_its_write_transaction_leaves_the_old_state(tmp_path, server):
    old_path = store_path(tmp_path / "control")
    open_store(old_path).close()
    old = _state(old_path)
    assert old[:2] == ("ok", 3)

    total, last = _run_until_ticks(old_path, server.url, None)
    assert last == "done 166"
    new = _state(old_path)
    assert new[:2] == ("ok", 3 + 166) and new[2] == {("GROUP=resource", "data")}
    assert total >= 10, f"the write took only {total} ticks: nothing to kill inside"

    logged = (*old[:2], {("GROUP=resource", "sent")})  # the sets as they were, the request
    for ticks in (1, total // 2, total - 2, total):
        path = store_path(tmp_path / f"kill-{ticks}")
        open_store(path).close()
        seen, _ = _run_until_ticks(path, server.url, ticks)
        after = _state(path)
        assert after[0] == "ok"
        if seen < total:  # killed inside the transaction, before its commit
            assert after == logged, f"killed after {seen} of {total} ticks"
        else:
            assert after in (logged, new)


def test_a_refresh_killed_while_downloading_changes_nothing(tmp_path):
    home = tmp_path / "home"
    path = store_path(home)
    open_store(path).close()
    before = _state(path)
    env = dict(os.environ, PASSPREDICT_HOME=str(home))
    with CelestrakServer() as slow:
        slow.route("GROUP=resource", Reply(200, b"[" + b" " * 5000 + b"]", mode="trickle-body"))
        env["PASSPREDICT_CELESTRAK_URL"] = slow.url
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from passpredict.cli.tle import tle_group; tle_group(['refresh', '--group', "
                "'resource'])",
            ],
            env=env,
        )
        try:
            deadline = time.monotonic() + 20
            while not slow.seen() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert slow.seen(), "the child never asked"
            time.sleep(0.2)  # some bytes arrived
            assert child.poll() is None
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait(timeout=30)
    assert _state(path) == (*before[:2], {("GROUP=resource", "sent")})  # the request logged
    with refresh_lock(home):  # the dead child's lock went with it
        pass


def test_readers_in_another_process_are_not_blocked_by_a_refresh_writing(tmp_path, server):
    home = tmp_path / "home"
    path = store_path(home)
    open_store(path).close()
    child = _start_writer(path, server.url)
    try:
        ticks = 0
        for line in child.stdout:
            ticks += line.strip() == "tick"
            if ticks == 5:  # the child is inside its write transaction, and paused
                start = time.monotonic()
                during = latest_element_sets(home)
                assert time.monotonic() - start < 1.0, "a reader waited for the writer"
                assert {s.source for s in during} == {"bundled"}
                assert _state(path)[1] == 3
        assert line.strip() == "done 166"
    finally:
        child.wait(timeout=30)
        child.stdout.close()
    assert len(latest_element_sets(home)) == 2 + 167  # the Azerspaces, and the group with SPOT 7
