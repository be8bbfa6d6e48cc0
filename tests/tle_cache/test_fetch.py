"""The gp.php client against a real HTTP server on 127.0.0.1: every answer CelesTrak can give."""

from __future__ import annotations

import socket
import time
import tomllib
from pathlib import Path

import pytest
from celestrak_server import (
    HTML_BODY,
    NO_DATA_BODY,
    NOT_UPDATED_BODY,
    CelestrakServer,
    Reply,
    load_sets,
    omm_body,
)

from tle_cache.fetch import (
    DEFAULT_BASE_URL,
    USER_AGENT,
    CelestrakClient,
    FetchError,
    Outcome,
    Query,
    base_url_from_env,
    check_base_url,
)

REPO = Path(__file__).resolve().parents[2]
#: Small timeouts so the slow-server cases take well under a second each.
TIMEOUT_S = 0.3
DEADLINE_S = 0.8
#: Scheduling slack allowed on top of a timeout or deadline.
SLACK_S = 1.0


@pytest.fixture
def server():
    with CelestrakServer() as running:
        yield running


@pytest.fixture
def client(server):
    with CelestrakClient(
        server.url, connect_timeout_s=TIMEOUT_S, read_timeout_s=TIMEOUT_S, deadline_s=DEADLINE_S
    ) as made:
        yield made


SPOT7 = Query.catnr(40053)


def test_a_data_answer_comes_back_whole_with_the_request_as_celestrak_wants_it(server, client):
    body = omm_body(load_sets("targets_last4.tle")[-4:])
    server.route("CATNR=40053", Reply(200, body))
    answer = client.fetch(SPOT7)
    assert answer.outcome is Outcome.DATA
    assert answer.text.encode() == body
    assert answer.url == f"{server.url}/NORAD/elements/gp.php?CATNR=40053&FORMAT=JSON"
    [seen] = server.seen()
    assert seen.params == {"CATNR": "40053", "FORMAT": "JSON"}
    assert seen.headers["User-Agent"] == USER_AGENT
    # name/version and the repository URL written in pyproject.toml (was a placeholder
    # address written in the code), as CelesTrak asks for a way to reach us
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    repository = project["urls"]["Repository"]
    expected = f"passpredict/{project['version']} (+{repository})"
    assert expected == USER_AGENT


@pytest.mark.parametrize(
    ("query", "params"),
    [
        (Query.group("Resource"), {"GROUP": "resource", "FORMAT": "CSV"}),
        (Query.name("SPOT"), {"NAME": "SPOT", "FORMAT": "CSV"}),
        (Query.catnr(123456), {"CATNR": "123456", "FORMAT": "CSV"}),
    ],
)
def test_every_query_kind_sends_an_explicit_format(server, query, params):
    server.route(query.key, Reply(200, b"x", "text/csv"))
    with CelestrakClient(server.url, fmt="csv") as csv_client:
        assert csv_client.fetch(query).outcome is Outcome.DATA
    assert server.seen()[0].params == params


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (403, NOT_UPDATED_BODY, Outcome.NOT_MODIFIED),
        (404, NO_DATA_BODY, Outcome.UNKNOWN_OBJECT),
        (200, NO_DATA_BODY, Outcome.UNKNOWN_OBJECT),
        (200, b"\r\n" + NO_DATA_BODY + b"\r\n", Outcome.UNKNOWN_OBJECT),
    ],
)
def test_the_known_plain_text_answers_are_classified(server, client, status, body, outcome):
    server.route("CATNR=40053", Reply(status, body, "text/plain"))
    answer = client.fetch(SPOT7)
    assert (answer.outcome, answer.status_code) == (outcome, status)
    assert len(server.seen()) == 1


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(403, b"Forbidden", "text/plain"), ["HTTP 403", "Forbidden"]),
        (Reply(404, b"Not Found", "text/plain"), ["HTTP 404", "Not Found"]),
        (Reply(500, b"Internal Server Error", "text/plain"), ["HTTP 500"]),
        (Reply(503, b"", "text/plain"), ["HTTP 503", "empty body"]),
        (
            Reply(301, b"", "text/html", {"Location": "https://celestrak.org/NORAD/elements/"}),
            ["HTTP 301", "https://celestrak.org/NORAD/elements/", "not followed"],
        ),
        (Reply(302, HTML_BODY, "text/html", {"Location": "/login"}), ["HTTP 302", "/login"]),
    ],
)
def test_every_other_answer_is_an_error_after_exactly_one_request(server, client, reply, words):
    server.route("CATNR=40053", reply)
    with pytest.raises(FetchError) as info:
        client.fetch(SPOT7)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message
    assert info.value.status_code == reply.status
    assert info.value.reached_server
    assert len(server.seen()) == 1, "no retry, no redirect followed"


def _timed_failure(client, query=SPOT7) -> tuple[FetchError, float]:
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        client.fetch(query)
    return info.value, time.monotonic() - start


def test_a_server_that_never_answers_fails_at_the_read_timeout(server, client):
    server.route("CATNR=40053", Reply(mode="hang"))
    error, elapsed_s = _timed_failure(client)
    assert "no answer" in str(error) and f"{TIMEOUT_S:g} s" in str(error)
    assert TIMEOUT_S * 0.9 <= elapsed_s < TIMEOUT_S + SLACK_S
    assert len(server.seen()) == 1


@pytest.mark.parametrize("mode", ["trickle-body", "trickle-headers"])
def test_a_server_that_trickles_bytes_fails_at_the_deadline(server, client, mode):
    # A byte every 0.05 s never trips the 0.3 s read timeout: only the deadline stops it.
    server.route("CATNR=40053", Reply(200, b"[" + b" " * 500 + b"]", mode=mode, interval_s=0.05))
    error, elapsed_s = _timed_failure(client)
    assert "did not finish within" in str(error)
    assert DEADLINE_S * 0.9 <= elapsed_s < DEADLINE_S + SLACK_S
    assert len(server.seen()) == 1


def test_a_body_shorter_than_announced_is_an_error(server, client):
    server.route(
        "CATNR=40053", Reply(200, omm_body(load_sets("targets_last4.tle")), mode="truncated")
    )
    error, _ = _timed_failure(client)
    assert "cut off" in str(error)
    assert len(server.seen()) == 1


def test_an_oversized_answer_is_refused(server):
    server.route("GROUP=active", Reply(200, b"[" + b" " * 5000 + b"]"))
    with CelestrakClient(server.url, max_bytes=1000) as small, pytest.raises(FetchError) as info:
        small.fetch(Query.group("active"))
    assert "more than 1000 bytes" in str(info.value)


def test_an_answer_announced_as_oversized_is_refused_before_its_body(server):
    """A Content-Length over the limit is refused at the headers: nothing of the body is
    read, so a bogus answer costs none of CelesTrak's daily 100 MB (was: the body was read
    up to the limit, 50 MB by default, or, trickled, until the deadline; found by the
    refresh sweep)."""
    server.route(
        "GROUP=active",
        Reply(
            200,
            b"[" + b" " * 100,
            headers={"Content-Length": "60000000"},
            send_length=False,
            mode="trickle-body",
            interval_s=0.05,
        ),
    )
    with CelestrakClient(server.url, deadline_s=DEADLINE_S) as client:
        error, elapsed_s = _timed_failure(client, Query.group("active"))
    assert "announced 60000000 bytes, more than 50000000 bytes" in str(error), str(error)
    assert elapsed_s < DEADLINE_S / 2
    server.route("GROUP=active", Reply(200, b"[" + b" " * 5000 + b"]", send_length=False))
    with CelestrakClient(server.url, max_bytes=1000) as small, pytest.raises(FetchError) as info:
        small.fetch(Query.group("active"))  # no length announced: counted as it comes
    assert "sent more than 1000 bytes" in str(info.value)


def test_a_refused_connection_does_not_count_as_reaching_the_server():
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]  # bound, not listening: connections are refused
        with CelestrakClient(f"http://127.0.0.1:{port}") as client:
            error, _ = _timed_failure(client)
    assert "could not connect" in str(error) and "\n" not in str(error)
    assert "check this machine's network connection" in str(error)  # the fix (sweep 15)
    assert error.reached_server is False


def test_query_values_are_checked_and_normalised():
    assert Query.catnr(40053).key == "CATNR=40053"
    assert Query.group(" Resource ").key == "GROUP=resource"
    assert Query.catnr(999_999_999).value == "999999999"
    for bad in (0, -5, 1_000_000_000):
        with pytest.raises(ValueError, match="catalog number"):
            Query.catnr(bad)
    with pytest.raises(ValueError, match="group name"):
        Query.group("active&FORMAT=XML")
    with pytest.raises(ValueError, match="name query"):
        Query.name("  ")


def test_the_base_url_comes_from_the_environment_and_is_checked():
    assert base_url_from_env({}) == DEFAULT_BASE_URL == "https://celestrak.org"
    assert base_url_from_env({"PASSPREDICT_CELESTRAK_URL": "http://mirror:8080/"}) == (
        "http://mirror:8080/"
    )
    assert check_base_url("http://mirror:8080/") == "http://mirror:8080"
    for bad in ("celestrak.org", "ftp://celestrak.org", "https://x/?a=1"):
        with pytest.raises(ValueError, match="base URL"):
            check_base_url(bad)
    with pytest.raises(ValueError, match="fetch format"):
        CelestrakClient(fmt="TLE")


def test_the_default_limits_bound_a_request_to_30_seconds():
    with CelestrakClient() as default:  # constructing a client sends nothing
        assert default.timeout == (10.0, 10.0)
        assert default.deadline_s == 30.0
        assert default.base_url == "https://celestrak.org"
