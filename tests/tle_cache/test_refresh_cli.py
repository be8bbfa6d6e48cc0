"""`passpredict tle refresh` against a local gp.php: each fault case, as cron would see it.

For every case: the exit code, the message, how many requests the server got (no retry
storms) and the element sets in the store afterwards (nothing good lost).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from celestrak_server import (
    HTML_BODY,
    NO_DATA_BODY,
    NOT_UPDATED_BODY,
    CelestrakServer,
    Reply,
    data_text,
    load_sets,
    omm_body,
)
from click.testing import CliRunner

from passpredict.cli.tle import tle_group
from tle_cache.policy import refresh_lock
from tle_cache.store import open_store, store_path

NOW = datetime(2026, 8, 23, 6, 0, tzinfo=UTC)
ISS = 25544


@pytest.fixture
def server():
    with CelestrakServer() as running:
        yield running


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def run(home, server):
    """Invoke `tle` with the test home, the test server and small timeouts; return the result."""

    def invoke(*args: str, now_utc: datetime = NOW, base_url: str | None = None):
        result = CliRunner().invoke(
            tle_group,
            list(args),
            obj={"now_utc": now_utc},
            env={
                "PASSPREDICT_HOME": str(home),
                "PASSPREDICT_CELESTRAK_URL": base_url or server.url,
            },
        )
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), f"traceback: {result.exception!r}"
        return result

    return invoke


def _sets(home) -> set[tuple]:
    """Every stored set as (NORAD id, epoch, source)."""
    with open_store(store_path(home)) as store:
        ids = [s.norad_id for s in store.latest()]
        return {(s.norad_id, s.epoch_utc, s.source) for n in ids for s in store.history(n)}


def _iss_body(fmt: str) -> tuple[bytes, str]:
    sets = load_sets("iss_25544_last4.tle")[-1:]
    if fmt == "tle":
        return data_text("iss_25544_last4.tle").encode(), "text/plain"
    return omm_body(sets, fmt), "application/json" if fmt == "json" else "text/csv"


@pytest.mark.parametrize("fmt", ["json", "csv", "tle"])
def test_success_is_quiet_and_stores_the_new_sets(run, server, home, fmt):
    body, content_type = _iss_body(fmt)
    server.route("CATNR=25544", Reply(200, body, content_type))
    format_args = ["--format", "csv"] if fmt == "csv" else []
    result = run("refresh", "--catnr", "25544", *format_args)
    # (a TLE answer to one object's query is quiet too: its set is there; groups: below)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    [seen] = server.seen()
    assert seen.params["FORMAT"] == ("CSV" if fmt == "csv" else "JSON")
    with open_store(store_path(home)) as store:
        history = store.history(ISS)
    expected = 4 if fmt == "tle" else 1  # a mirror answering 3LE sent all four sets
    assert len(history) == expected
    assert history[-1].source == f"{server.host} CATNR=25544 fetched 2026-08-23T06:00:00Z"
    assert history[-1].epoch_utc == load_sets("iss_25544_last4.tle")[-1].epoch_utc
    assert (history[-1].tle_lines is not None) == (fmt == "tle")


# Each case: the reply to the first query (CATNR=25544) of a run that then asks GROUP=resource.
STOPS = {
    "http-500": (Reply(500, b"Internal Server Error", "text/plain"), "HTTP 500"),
    "http-301": (
        Reply(301, b"", "text/html", {"Location": "https://celestrak.org/NORAD/elements/"}),
        "redirect to https://celestrak.org/NORAD/elements/",
    ),
    "other-403": (Reply(403, b"Forbidden", "text/plain"), "HTTP 403: Forbidden"),
    "other-404": (Reply(404, b"Not Found", "text/plain"), "HTTP 404: Not Found"),
    "hang": (Reply(mode="hang"), "no answer from"),
    "truncated-body": (Reply(200, b"[" + b" " * 100, mode="truncated"), "cut off"),
    "truncated-json": (
        Reply(200, omm_body(load_sets("iss_25544_last4.tle"))[:700], send_length=False),
        "truncated JSON",
    ),
    "html-page": (Reply(200, HTML_BODY, "text/html"), "HTML page"),
    "empty-body": (Reply(200, b"", "application/json"), "empty"),
    "garbage": (Reply(200, b"\x00\x01binary\xff" * 40, "application/octet-stream"), "does not"),
}


@pytest.mark.parametrize("case", list(STOPS))
def test_a_bad_answer_stops_the_run_at_once_and_changes_no_element_set(run, server, home, case):
    reply, words = STOPS[case]
    server.route("CATNR=25544", reply)
    server.route("GROUP=resource", Reply(200, data_text("resource_2026-05-30.tle").encode()))
    run("status")  # creates and seeds the store
    before = _sets(home)
    result = run("refresh", "--catnr", "25544", "--group", "resource", "--timeout", "0.3")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: refresh stopped without retrying: ")
    assert words in result.stderr
    assert result.stderr.count("\n") == 1, "one line, no traceback"
    assert [r.key for r in server.seen()] == ["CATNR=25544"], "stopped: no retry, no next query"
    assert _sets(home) == before


@pytest.mark.parametrize(
    ("reply", "exit_code", "stderr"),
    [
        (Reply(403, NOT_UPDATED_BODY, "text/plain"), 0, ""),
        (Reply(404, NO_DATA_BODY, "text/plain"), 4, "unknown object"),
        (Reply(200, NO_DATA_BODY, "text/plain"), 4, "unknown object"),
    ],
    ids=["403-not-updated", "404-no-gp-data", "200-no-gp-data"],
)
def test_known_answers_let_the_run_go_on(run, server, home, reply, exit_code, stderr):
    server.route("CATNR=25544", reply)
    # OMM JSON, as asked: a TLE answer would add its own warning line to stderr
    server.route("GROUP=resource", Reply(200, omm_body(load_sets("resource_2026-05-30.tle"))))
    run("status")
    before = _sets(home)
    result = run("refresh", "--catnr", "25544", "--group", "resource")
    assert result.exit_code == exit_code
    assert stderr in result.stderr and result.stderr.count("\n") <= 1
    assert [r.key for r in server.seen()] == ["CATNR=25544", "GROUP=resource"]
    after = _sets(home)
    # 167 sets in the group; SPOT 7's is the bundled set, stored already
    assert before <= after and len(after - before) == 166
    assert not any(n == ISS for n, _, _ in after)


@pytest.mark.parametrize(
    ("args", "fix"),
    [
        (("--catnr", "25544"), "passpredict tle remove 25544"),
        (("--group", "resourse"), "check the group name"),
        (("--name", "spott"), "no object's name contains 'SPOTT'"),
    ],
    ids=["catnr", "group", "name"],
)
def test_an_unknown_object_is_one_line_naming_the_fix(run, server, args, fix):
    """Exit 4 tells cron something to act on: the line says what (was: only the URL and
    'No GP data found', with no fix; found by the refresh sweep)."""
    server.route(
        f"{args[0][2:].upper()}={args[1].upper() if args[0] == '--name' else args[1]}",
        Reply(404, NO_DATA_BODY, "text/plain"),
    )
    result = run("refresh", *args)
    assert result.exit_code == 4, result.stderr
    assert result.stderr.startswith("Error: unknown object: ")
    assert fix in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_a_group_with_one_corrupt_record_keeps_the_others(run, server, home):
    sets = load_sets("resource_2026-05-30.tle")
    corrupt = (
        omm_body(sets).decode().replace('"INCLINATION": 98.0641', '"INCLINATION": 298.0641', 1)
    )
    assert corrupt.count('"INCLINATION": 298.0641') == 1
    server.route("GROUP=resource", Reply(200, corrupt.encode()))
    result = run("refresh", "--group", "resource")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: skipped a bad record: GROUP=resource: ")
    assert "INCLINATION is 298.064" in result.stderr and result.stderr.count("\n") == 1
    assert len(server.seen()) == 1
    with open_store(store_path(home)) as store:
        members = store.find_group("resource")
    assert len(members) == 166


def test_a_second_run_inside_two_hours_sends_nothing_and_says_when(run, server):
    server.route("CATNR=25544", Reply(200, _iss_body("json")[0]))
    assert run("refresh", "--catnr", "25544").exit_code == 0
    result = run("refresh", "--catnr", "25544", now_utc=NOW + timedelta(minutes=30))
    assert result.exit_code == 0
    assert "next refresh allowed at 2026-08-23T08:00:00Z (in 1 h 30 min)" in " ".join(
        result.stderr.split()
    )
    assert len(server.seen()) == 1
    assert run("refresh", "--catnr", "25544", now_utc=NOW + timedelta(hours=2)).exit_code == 0
    assert len(server.seen()) == 2


def test_verbose_logs_one_line_per_query_on_stderr(run, server):
    for norad_id in (39079, 43632, 40053):
        sets = [s for s in load_sets("targets_last4.tle") if s.norad_id == norad_id]
        server.route(f"CATNR={norad_id}", Reply(200, omm_body(sets[-2:-1])))
    result = run("refresh", "-v")
    assert result.exit_code == 0 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [
        "CATNR=39079",
        "CATNR=43632",
        "CATNR=40053",
    ]
    assert lines[3] == "stored 3 new element set(s)"


def test_a_refresh_while_another_holds_the_lock_downloads_nothing(run, server, home):
    with refresh_lock(home):
        result = run("refresh")
    assert result.exit_code == 3
    assert "another refresh is running" in result.stderr
    assert server.seen() == []


def test_a_damaged_store_is_reported_and_nothing_is_downloaded(run, server, home):
    home.mkdir(parents=True)
    (home / "elements.sqlite").write_bytes(b"<html>not a database</html>" * 200)
    result = run("refresh")
    assert result.exit_code == 1
    assert "elements.sqlite" in result.stderr and "move it aside" in result.stderr
    assert result.stderr.count("\n") == 1
    assert server.seen() == []


def test_a_bad_base_url_is_a_usage_error(run, server):
    result = run("refresh", "--base-url", "celestrak.org")
    assert result.exit_code == 2 and "base URL" in result.stderr
    result = run("refresh", base_url="ftp://celestrak.org")
    assert result.exit_code == 2
    assert server.seen() == []


@pytest.mark.parametrize(
    "path",
    ["/NORAD/elements/gp.php", "/NORAD/elements/", "/NORAD/elements/supplemental/sup-gp.php"],
)
def test_a_base_url_with_the_endpoint_path_is_a_usage_error_before_any_request(
    run, server, home, path
):
    """The URL copied from CelesTrak's pages: the path is ours to add. Was: one request to
    .../gp.php/NORAD/elements/gp.php, a 404 that counts against CelesTrak's error budget and
    held the query back for 2 hours, the corrected URL too (found by the refresh sweep)."""
    server.route("CATNR=25544", Reply(200, omm_body(load_sets("iss_25544_last4.tle")[-1:])))
    result = run("refresh", "--catnr", "25544", "--base-url", server.url + path)
    assert result.exit_code == 2, result.stderr
    assert f"give {server.url} without {path.rstrip('/')}" in result.stderr, result.stderr
    assert server.seen() == []
    assert run("refresh", "--catnr", "25544", "--base-url", server.url + "/").exit_code == 0
    assert len(server.seen()) == 1
    result = run("status", base_url=server.url + path)
    assert result.exit_code == 2 and "without" in result.stderr


def test_hostile_records_in_a_group_are_skipped_with_a_few_warning_lines(run, server, home):
    # The audit's records (issue 16): each was a traceback, or a set stored that broke every
    # later 'passes' and, in a group, rolled back the whole run.
    sets = load_sets("resource_2026-05-30.tle")
    body = omm_body(sets).decode()
    hostile = [
        ('"EPOCH": "2026-', '"EPOCH": "0001-01-01T00:00:00+01:00", "X": "'),
        ('"BSTAR": ', '"BSTAR": 1' + "0" * 309 + ', "X": '),
        ('"NORAD_CAT_ID": ', '"NORAD_CAT_ID": ' + "1" * 5000 + ', "X": '),
        ('"BSTAR": ', '"BSTAR": NaN, "X": '),
        ('"CLASSIFICATION_TYPE": "U"', '"CLASSIFICATION_TYPE": "UU"'),
        ('"ELEMENT_SET_NO": 999', '"ELEMENT_SET_NO": 9223372036854775808'),
        ('"NORAD_CAT_ID": ', '"NORAD_CAT_ID": 9223372036854775808, "X": '),
    ]
    records = body.split("\n    },\n")  # one hostile value in each of the first seven records
    for k, (old, new) in enumerate(hostile):
        assert old in records[k]
        records[k] = records[k].replace(old, new, 1)
    body = "\n    },\n".join(records)
    server.route("GROUP=resource", Reply(200, body.encode()))
    result = run("refresh", "--group", "resource")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 6 and all(line.startswith("warning: ") for line in lines)
    assert "and 2 more bad record(s) skipped" in lines[-1]
    with open_store(store_path(home)) as store:
        members = store.find_group("resource")
        assert len(members) == 167 - 7
        for element_set in members:
            sat = element_set.satrec()
            assert sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)[0] == 0


def test_a_tle_answer_to_a_group_is_stored_and_said_in_one_line(run, server, home):
    server.route("GROUP=resource", Reply(200, data_text("resource_2026-05-30.tle").encode()))
    result = run("refresh", "--group", "resource", "--format", "csv")
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    assert result.stderr.startswith(
        f"warning: GROUP=resource: asked {server.host} for OMM CSV (FORMAT=CSV), it answered "
        "TLE text; its 167 set(s) were stored, but objects numbered 100000 and up may be missing"
    )
    assert "answers OMM JSON or CSV, e.g. the default https://celestrak.org" in result.stderr
    assert result.stderr.count("\n") == 1
    with open_store(store_path(home)) as store:
        assert len(store.find_group("resource")) == 167
    quiet = run("refresh", "--group", "resource", "--quiet", now_utc=NOW + timedelta(hours=2))
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert len(server.seen()) == 2, "sent again: --quiet drops the warning, not the request"


def test_a_json_answer_to_a_group_is_quiet(run, server, home):
    server.route("GROUP=resource", Reply(200, omm_body(load_sets("resource_2026-05-30.tle"))))
    result = run("refresh", "--group", "resource")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    with open_store(store_path(home)) as store:
        assert len(store.find_group("resource")) == 167


def test_a_run_inside_the_2_hours_is_a_note_on_stderr_that_quiet_drops(run, server, home):
    # cron mails whatever a job prints: 'nothing to fetch yet' is no data (it went to stdout,
    # and -q, "errors only", did not silence it, before the fix)
    body, content_type = _iss_body("json")
    server.route("CATNR=25544", Reply(200, body, content_type))
    assert run("refresh", "--catnr", "25544").exit_code == 0
    again = run("refresh", "--catnr", "25544", now_utc=NOW + timedelta(minutes=30))
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr.startswith("note: nothing to fetch yet: CelesTrak allows each query once")
    quiet = run("refresh", "--catnr", "25544", "-q", now_utc=NOW + timedelta(minutes=31))
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert len(server.seen()) == 1


def test_an_empty_watchlist_is_a_note_that_quiet_drops(run, home):
    for norad_id in (39079, 43632, 40053):
        assert run("remove", str(norad_id)).exit_code == 0
    result = run("refresh")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "the watchlist is empty" in result.stderr
    quiet = run("refresh", "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
