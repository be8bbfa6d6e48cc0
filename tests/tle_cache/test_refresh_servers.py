"""The 2-hour floor runs per query and server (issue 10): two local gp.php on two ports.

A failed try against a wrong `--base-url` used to hold back the right server for 2 hours.
Now each server has its own floor; the floor still holds at the server that saw the request
(an error answer too), and every name of CelesTrak is one server.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from celestrak_server import HTML_BODY, CelestrakServer, Reply, load_sets, omm_body
from click.testing import CliRunner

from passpredict.cli.tle import tle_group
from tle_cache.policy import CELESTRAK_SERVER, is_allowed, server_key
from tle_cache.store import SCHEMA_VERSION, open_store, store_path

NOW = datetime(2026, 8, 23, 6, 0, tzinfo=UTC)


@pytest.fixture
def servers():
    with CelestrakServer() as wrong, CelestrakServer() as right:
        wrong.route("CATNR=25544", Reply(200, HTML_BODY, "text/html"))  # not element data
        right.route("CATNR=25544", Reply(200, omm_body(load_sets("iss_25544_last4.tle")[-1:])))
        yield wrong, right


def refresh(home, base_url: str, now_utc: datetime):
    result = CliRunner().invoke(
        tle_group,
        ["refresh", "--catnr", "25544", "--base-url", base_url],
        obj={"now_utc": now_utc},
        env={"PASSPREDICT_HOME": str(home)},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_a_failed_download_from_a_wrong_server_does_not_hold_back_the_right_one(tmp_path, servers):
    wrong, right = servers
    home = tmp_path / "home"
    failed = refresh(home, wrong.url, NOW)
    assert failed.exit_code == 1 and "HTML page" in failed.stderr
    retry = refresh(home, right.url, NOW + timedelta(minutes=1))
    assert retry.exit_code == 0, retry.stdout + retry.stderr  # was "nothing to fetch yet"
    assert len(right.seen("CATNR=25544")) == 1
    with open_store(store_path(home)) as store:
        assert store.history(25544)[-1].source.startswith(f"{right.host} CATNR=25544")


def test_the_floor_still_holds_at_each_server_that_saw_the_query(tmp_path, servers):
    wrong, right = servers
    home = tmp_path / "home"
    refresh(home, wrong.url, NOW)
    refresh(home, right.url, NOW)
    for server in (wrong, right):
        again = refresh(home, server.url, NOW + timedelta(minutes=119))
        assert again.exit_code == 0 and "nothing to fetch yet" in again.stderr
        assert len(server.seen()) == 1
    assert refresh(home, right.url, NOW + timedelta(hours=2)).exit_code == 0
    assert len(right.seen()) == 2


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://celestrak.org", CELESTRAK_SERVER),
        ("http://CelesTrak.org:80/", CELESTRAK_SERVER),
        ("https://www.celestrak.org", CELESTRAK_SERVER),
        ("https://celestrak.com", CELESTRAK_SERVER),
        ("https://www.celestrak.com:443", CELESTRAK_SERVER),
        ("http://127.0.0.1:8080", "127.0.0.1:8080"),
        ("https://mirror.example.net:443", "mirror.example.net"),
        ("http://mirror.example.net", "mirror.example.net"),
        ("http://[::1]:8080", "[::1]:8080"),
    ],
)
def test_every_name_of_celestrak_is_one_server(url, key):
    assert server_key(url) == key


_SCHEMA_1_FETCHES = """CREATE TABLE fetches (
    query TEXT PRIMARY KEY, last_attempt_utc TEXT, last_success_utc TEXT,
    status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '')"""


def test_attempts_logged_by_an_older_store_keep_counting_against_celestrak(tmp_path, servers):
    """A version-1 fetch log does not say where a request went: it is CelesTrak's."""
    _, right = servers
    home = tmp_path / "home"
    with open_store(store_path(home)):
        pass
    conn = sqlite3.connect(store_path(home))  # turn it into the version-1 layout
    conn.executescript(
        f"DROP TABLE fetches; {_SCHEMA_1_FETCHES}; PRAGMA user_version = 1;"
        "INSERT INTO fetches VALUES ('CATNR=25544', '2026-08-23T05:30:00.000000Z', NULL, "
        "'error', 'HTTP 500');"
    )
    conn.close()
    with open_store(store_path(home)) as store:
        (state,) = store.fetch_log()
    assert (state.query, state.server, state.status) == ("CATNR=25544", CELESTRAK_SERVER, "error")
    assert not is_allowed(state.last_attempt_utc, NOW)  # 30 min ago: CelesTrak's floor holds
    conn = sqlite3.connect(store_path(home))
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()
    assert refresh(home, right.url, NOW).exit_code == 0  # another server is free
    assert len(right.seen()) == 1
