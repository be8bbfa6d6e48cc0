"""The request log is written before the request: no kill, crash or full disk forgets one.

CelesTrak firewalls clients that ask the same query twice within 2 hours. Was: the request
was logged with its outcome, in the run's final transaction, so a run that died after
sending (SIGKILL, Ctrl-C, a commit failing on a full disk) left no trace of it and the next
run sent it again: one extra request per rerun. Each case runs the real CLI in a child process
against the local gp.php and counts the requests the server saw.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from celestrak_server import NOT_UPDATED_BODY, CelestrakServer, Reply, data_text
from cli_process import run_cli, small_disk, start_cli, wait_until

from tle_cache.store import store_path

ISS_QUERY = ("refresh", "--catnr", "25544")
GROUP_QUERY = ("refresh", "--group", "resource")
_NEXT = re.compile(r"next refresh allowed at (\S+Z) \(in [12] h \d\d min\)")


@pytest.fixture
def server():
    with CelestrakServer() as running:
        yield running


def _fetch_log(path: Path) -> dict[str, tuple]:
    """query -> (status, last attempt), read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT query, status, last_attempt_utc FROM fetches").fetchall()
    finally:
        conn.close()
    return {query: (status, attempt) for query, status, attempt in rows}


def _assert_held_back(rerun, sent_after: datetime, sent_before: datetime) -> None:
    """The rerun sent nothing, exited 0 and named the moment 2 hours after the request."""
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout == ""  # a note on stderr: no data
    found = _NEXT.search(" ".join(rerun.stderr.split()))
    assert found, rerun.stderr
    allowed = datetime.fromisoformat(found[1].removesuffix("Z")).replace(tzinfo=UTC)
    earliest = sent_after.replace(microsecond=0) + timedelta(hours=2)
    assert earliest <= allowed <= sent_before + timedelta(hours=2)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "Ctrl-C"])
def test_a_refresh_killed_while_the_server_holds_its_answer_is_not_sent_again(
    tmp_path, server, how
):
    home = tmp_path / "home"
    server.route("CATNR=25544", Reply(mode="hang"))  # the answer never comes
    started = datetime.now(UTC)
    child = start_cli(home, "tle", *ISS_QUERY, url=server.url)
    try:
        wait_until(server.seen)
        time.sleep(0.1)
        assert child.poll() is None, "the child must still be waiting for its answer"
        child.send_signal(how)
        child.wait(timeout=30)
    finally:
        child.kill()
        child.communicate()
    sent = datetime.now(UTC)
    assert _fetch_log(store_path(home))["CATNR=25544"][0] == "sent"

    for _ in range(3):
        _assert_held_back(run_cli(home, "tle", *ISS_QUERY, url=server.url), started, sent)
    assert len(server.seen()) == 1  # was 4: one more request per rerun
    status = run_cli(home, "tle", "status", "--format", "json", url=server.url)
    (query,) = json.loads(status.stdout)["queries"]
    assert query["status"] == "sent" and query["next_fetch_allowed_utc"] is not None
    # never answered: null in JSON, as every missing value there (was the table's "-")
    assert query["last_success_utc"] is None and query["last_attempt_utc"].endswith("Z")


def test_a_commit_failing_on_a_full_disk_keeps_the_request_in_the_log(tmp_path, server):
    """Room for the request log, none for the 166 sets of the answer: the request was sent,
    the answer is lost, and the log remembers the request (was: sent again by every rerun)."""
    server.route("GROUP=resource", Reply(200, data_text("resource_2026-05-30.tle").encode()))
    with small_disk(tmp_path / "disk", 1024) as disk:
        home = disk.mountpoint / "home"
        assert run_cli(home, "tle", "status", prefix=disk.prefix).returncode == 0
        disk.fill(leave_kib=96)
        started = datetime.now(UTC)
        first = run_cli(home, "tle", *GROUP_QUERY, url=server.url, prefix=disk.prefix)
        sent = datetime.now(UTC)
        assert first.returncode == 1
        (line,) = first.stderr.splitlines()
        assert "disk is full" in line and "move it aside" not in line
        assert "not stored" in line and "next allowed" in line
        assert len(server.seen()) == 1
        status = run_cli(home, "tle", "status", "--format", "json", prefix=disk.prefix)
        (query,) = json.loads(status.stdout)["queries"]
        assert (query["query"], query["status"]) == ("GROUP=resource", "sent")

        for _ in range(2):  # still full, then with room again: the 2-hour floor holds
            rerun = run_cli(home, "tle", *GROUP_QUERY, url=server.url, prefix=disk.prefix)
            _assert_held_back(rerun, started, sent)
            disk.empty()
        assert len(server.seen()) == 1  # was 3


# 0 KiB: the store cannot even be opened (SQLite's -shm index needs 32 KiB); 36 KiB: it
# opens, and the log entry is what does not fit (measured: 32 to 40 KiB on tmpfs).
@pytest.mark.parametrize("free_kib", [0, 36], ids=["no-room", "room-to-open-not-to-log"])
def test_a_request_that_cannot_be_logged_is_not_sent(tmp_path, server, free_kib):
    server.route("CATNR=25544", Reply(403, NOT_UPDATED_BODY, "text/plain"))
    with small_disk(tmp_path / "disk", 1024) as disk:
        home = disk.mountpoint / "home"
        assert run_cli(home, "tle", "status", prefix=disk.prefix).returncode == 0
        disk.fill(leave_kib=free_kib)
        done = run_cli(home, "tle", *ISS_QUERY, url=server.url, prefix=disk.prefix)
        assert done.returncode == 1
        (line,) = done.stderr.splitlines()
        assert line.startswith("Error: cannot write the element store ")
        assert "disk is full" in line and "free some space" in line
        assert "move it aside" not in line and "is damaged" not in line
        assert ("CATNR=25544 was not sent" in line) == (free_kib > 0)
        assert server.seen() == [], "a request that could not be logged first went out"
        disk.empty()
        assert run_cli(home, "tle", *ISS_QUERY, url=server.url, prefix=disk.prefix).returncode == 0
        assert len(server.seen()) == 1


def test_a_refused_connection_still_does_not_start_the_clock(tmp_path, server):
    """The log entry written before sending is withdrawn when nothing reached the server."""
    home = tmp_path / "home"
    refused = run_cli(home, "tle", *ISS_QUERY)  # nothing listens on port 9
    assert refused.returncode == 1 and "could not connect" in refused.stderr
    assert _fetch_log(store_path(home))["CATNR=25544"] == ("error", None)
    server.route("CATNR=25544", Reply(403, NOT_UPDATED_BODY, "text/plain"))
    assert run_cli(home, "tle", *ISS_QUERY, url=server.url).returncode == 0
    assert len(server.seen()) == 1
