"""What a server sends, and what a base URL holds, reaches no terminal and no file raw.

The real CLI in a child process against the local gp.php. Was: an error body's escape
sequences went to stderr as they came (set the window title, clear the screen), and the
``user:password@`` of a `--base-url` was stored in the source of every set and the fetch log,
and printed by `tle status`, in JSON and in error messages.
"""

from __future__ import annotations

import base64
import json
import sqlite3

import pytest
from celestrak_server import CelestrakServer, Reply, load_sets, omm_body
from cli_process import run_cli

from tle_cache.store import store_path

SECRET = "s3cr%40t"  # percent-encoded in the URL: the password is s3cr@t
PASSWORD = "s3cr@t"
#: Set the window title (OSC ... BEL), clear the screen, a C1 CSI, a right-to-left override.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.fixture
def server():
    with CelestrakServer() as running:
        yield running


def _with_credentials(url: str) -> str:
    return url.replace("http://", f"http://mirror-user:{SECRET}@")


def _everything_stored(home) -> str:
    """Every text value in the store, as one string."""
    conn = sqlite3.connect(store_path(home))
    try:
        rows = conn.execute("SELECT source FROM element_sets").fetchall()
        rows += conn.execute("SELECT query, server, status, message FROM fetches").fetchall()
    finally:
        conn.close()
    return " ".join(str(value) for row in rows for value in row)


def _assert_no_credentials(*texts: str) -> None:
    for text in texts:
        assert "mirror-user" not in text and PASSWORD not in text and SECRET not in text, text


@pytest.mark.parametrize("via", ["option", "environment"])
def test_credentials_are_sent_but_never_stored_or_printed(tmp_path, server, via):
    home = tmp_path / "home"
    iss = load_sets("iss_25544_last4.tle")[-1:]
    server.route("CATNR=25544", Reply(200, omm_body(iss)))
    server.route("CATNR=39079", Reply(500, f"quota exceeded for {_with_credentials(server.url)}"
                                           .encode(), "text/plain"))  # fmt: skip
    url = _with_credentials(server.url)
    option = ["--base-url", url] if via == "option" else []
    env_url = url if via == "environment" else server.url
    first = run_cli(home, "tle", "refresh", "-v", "--catnr", "25544", *option, url=env_url)
    assert first.returncode == 0, first.stderr
    failed = run_cli(home, "tle", "refresh", "-v", "--catnr", "39079", *option, url=env_url)
    assert failed.returncode == 1 and "HTTP 500" in failed.stderr

    sent = server.seen()
    assert len(sent) == 2
    expected = "Basic " + base64.b64encode(f"mirror-user:{PASSWORD}".encode()).decode()
    assert all(r.headers.get("Authorization") == expected for r in sent), "still sent"

    status = run_cli(home, "tle", "status", "--all", url=env_url)
    status_json = run_cli(home, "tle", "status", "--all", "--format", "json", url=env_url)
    (iss_row,) = [s for s in json.loads(status_json.stdout)["satellites"] if s["norad_id"] == 25544]
    assert iss_row["source"] == f"{server.host} CATNR=25544 fetched {iss_row['source'][-20:]}"
    _assert_no_credentials(
        first.stdout + first.stderr,
        failed.stdout + failed.stderr,
        status.stdout + status_json.stdout,
        _everything_stored(home),
    )


def test_a_refused_connection_and_a_bad_url_do_not_print_credentials(tmp_path):
    home = tmp_path / "home"
    refused = run_cli(home, "tle", "refresh", "--catnr", "25544",
                      url=f"http://mirror-user:{SECRET}@127.0.0.1:9")  # fmt: skip
    assert refused.returncode == 1 and "could not connect" in refused.stderr
    bad = run_cli(home, "tle", "refresh", "--base-url", f"ftp://mirror-user:{SECRET}@mirror")
    assert bad.returncode == 2 and "base URL must look like" in bad.stderr
    _assert_no_credentials(refused.stderr, bad.stderr, _everything_stored(home))


def test_sources_stored_with_credentials_by_an_older_version_are_not_shown(tmp_path, server):
    home = tmp_path / "home"
    assert run_cli(home, "tle", "add", "25544").returncode == 0
    conn = sqlite3.connect(store_path(home))
    conn.execute(
        "UPDATE element_sets SET source = ? WHERE norad_id = 40053",
        (f"mirror-user:{SECRET}@mirror.example:8443 CATNR=40053 fetched 2026-06-01T00:00:00Z",),
    )
    conn.commit()
    conn.close()
    shown = run_cli(home, "tle", "status", "--format", "json")
    (spot,) = [s for s in json.loads(shown.stdout)["satellites"] if s["norad_id"] == 40053]
    assert spot["source"] == "mirror.example:8443 CATNR=40053 fetched 2026-06-01T00:00:00Z"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(500, f"{HOSTILE} Internal Server Error\r\nmore".encode(), "text/plain"),
        Reply(302, b"", "text/html", {"Location": f"https://mirror/{HOSTILE}"}),
        Reply(200, f"{HOSTILE} not element data at all".encode(), "text/plain"),
        Reply(404, f"{HOSTILE}".encode(), "text/plain"),
    ],
    ids=["error-body", "location-header", "not-data", "other-404"],
)
def test_server_text_reaches_stderr_without_control_characters(tmp_path, server, reply):
    home = tmp_path / "home"
    server.route("CATNR=25544", reply)
    done = run_cli(home, "tle", "refresh", "-v", "--catnr", "25544", url=server.url)
    assert done.returncode == 1
    assert "evil" in done.stderr, "the text is shown, made harmless"
    for raw in RAW:
        assert raw not in done.stderr, f"{raw!r} reached stderr"
    assert all(raw not in _everything_stored(home) for raw in RAW)
