"""A refresh run against a local gp.php: the policy, the stop rules, and what reaches the store."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
from celestrak_server import CelestrakServer, Reply, data_text, load_sets, omm_body

from tle_cache.fetch import CelestrakClient, Query
from tle_cache.policy import MIN_QUERY_INTERVAL, RefreshLocked, refresh_lock
from tle_cache.refresh import default_queries, refresh
from tle_cache.store import open_store, store_path

NOW = datetime(2026, 8, 23, 6, 0, tzinfo=UTC)
SPOT7, ISS = 40053, 25544


@pytest.fixture
def server():
    with CelestrakServer() as running:
        yield running


@pytest.fixture
def targets():
    return load_sets("targets_last4.tle")


@pytest.fixture
def store(tmp_path, targets):
    """A store that holds all but the newest set of each of our satellites."""
    newest = {s.norad_id: s.epoch_utc for s in targets}  # file order: the last one wins
    older = [s for s in targets if s.epoch_utc != newest[s.norad_id]]
    with open_store(store_path(tmp_path), seed=lambda: older) as opened:
        yield opened


@pytest.fixture
def client(server):
    with CelestrakClient(
        server.url, connect_timeout_s=0.3, read_timeout_s=0.3, deadline_s=1.0
    ) as made:
        yield made


def _contents(store) -> set[tuple]:
    ids = [s.norad_id for s in store.latest()]
    return {(s.norad_id, s.epoch_utc, s.source) for n in ids for s in store.history(n)}


def test_a_plain_refresh_fetches_the_watchlist_and_stores_the_newest_sets(store, server, client):
    targets = load_sets("targets_last4.tle")
    for norad_id in (39079, 43632, SPOT7):
        newest = [s for s in targets if s.norad_id == norad_id][-1:]
        server.route(f"CATNR={norad_id}", Reply(200, omm_body(newest)))
    lines: list[str] = []
    report = refresh(store, client, default_queries(store), NOW, log=lines.append)
    assert report.error is None and report.new_sets == 3
    assert [r.key for r in server.seen()] == ["CATNR=39079", "CATNR=43632", "CATNR=40053"]
    assert len(lines) == 3 and all("1 element set(s) received" in line for line in lines)
    spot = store.latest([SPOT7])[0]
    assert spot.epoch_utc == targets[-1].epoch_utc
    assert spot.source == f"{server.host} CATNR=40053 fetched 2026-08-23T06:00:00Z"
    assert spot.tle_lines is None and spot.omm["NORAD_CAT_ID"] == SPOT7
    state = store.fetch_state("CATNR=40053", server.host)
    assert (state.last_attempt_utc, state.last_success_utc, state.status) == (NOW, NOW, "data")
    assert store.fetch_state("CATNR=40053") is None, "nothing was sent to celestrak.org"


def test_the_same_query_is_not_sent_twice_within_two_hours(store, server, client):
    server.route("CATNR=40053", Reply(200, omm_body(load_sets("targets_last4.tle")[-1:])))
    refresh(store, client, [Query.catnr(SPOT7)], NOW)
    for later in (NOW + timedelta(minutes=1), NOW + MIN_QUERY_INTERVAL - timedelta(seconds=1)):
        report = refresh(store, client, [Query.catnr(SPOT7)], later)
        assert report.nothing_to_do
        assert report.next_allowed_utc == NOW + MIN_QUERY_INTERVAL
    assert len(server.seen()) == 1
    report = refresh(store, client, [Query.catnr(SPOT7)], NOW + MIN_QUERY_INTERVAL)
    assert not report.nothing_to_do and len(server.seen()) == 2


def test_a_run_that_crashes_after_sending_does_not_send_again(store, server, client, monkeypatch):
    """An uncaught exception between the answer and the commit (issue 16): the request was
    logged before it was sent, so no rerun within 2 hours asks again (was: one more each)."""
    import tle_cache.refresh as refresh_module

    server.route("CATNR=40053", Reply(200, omm_body(load_sets("targets_last4.tle")[-1:])))

    def crash(*args, **kwargs):
        raise RuntimeError("a bug between the answer and the commit")

    with monkeypatch.context() as patched:
        patched.setattr(refresh_module, "parse_records", crash)
        with pytest.raises(RuntimeError):
            refresh(store, client, [Query.catnr(SPOT7)], NOW)
    assert len(server.seen()) == 1
    for later in (NOW + timedelta(minutes=1), NOW + MIN_QUERY_INTERVAL - timedelta(seconds=1)):
        report = refresh(store, client, [Query.catnr(SPOT7)], later)
        assert report.nothing_to_do
        assert report.next_allowed_utc == NOW + MIN_QUERY_INTERVAL
    assert len(server.seen()) == 1
    assert refresh(store, client, [Query.catnr(SPOT7)], NOW + MIN_QUERY_INTERVAL).new_sets == 1


def test_a_clock_set_back_does_not_reopen_the_window(store, server, client):
    server.route("CATNR=40053", Reply(200, omm_body(load_sets("targets_last4.tle")[-1:])))
    refresh(store, client, [Query.catnr(SPOT7)], NOW)
    assert refresh(store, client, [Query.catnr(SPOT7)], NOW - timedelta(days=1)).nothing_to_do
    assert len(server.seen()) == 1


def test_an_unreachable_server_does_not_start_the_two_hour_clock(store, targets):
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{placeholder.getsockname()[1]}"
        with CelestrakClient(url, connect_timeout_s=0.3) as client:
            report = refresh(store, client, [Query.catnr(SPOT7)], NOW)
    assert "could not connect" in report.error
    state = store.fetch_state("CATNR=40053", url.removeprefix("http://"))
    assert state.status == "error" and state.last_attempt_utc is None
    with CelestrakServer() as server, CelestrakClient(server.url) as client:
        server.route("CATNR=40053", Reply(200, omm_body(targets[-1:])))
        assert refresh(store, client, [Query.catnr(SPOT7)], NOW).new_sets == 1


def test_a_stop_keeps_what_earlier_queries_validated(store, server, client):
    """The failing answer changes nothing; sets validated before it in the run are kept
    (throwing them away would only make CelesTrak answer 'not modified' next time)."""
    server.route("CATNR=40053", Reply(200, omm_body(load_sets("targets_last4.tle")[-1:])))
    server.route("CATNR=39079", Reply(500, b"Internal Server Error", "text/plain"))
    queries = [Query.catnr(n) for n in (SPOT7, 39079, 43632)]
    report = refresh(store, client, queries, NOW)
    assert "HTTP 500" in report.error
    assert [r.key for r in server.seen()] == ["CATNR=40053", "CATNR=39079"]
    assert report.new_sets == 1
    assert store.fetch_state("CATNR=43632", server.host) is None
    assert store.fetch_state("CATNR=39079", server.host).status == "error"


def test_unknown_objects_are_reported_and_the_run_goes_on(store, server, client):
    server.route("CATNR=99999", Reply(404, b"No GP data found", "text/plain"))
    server.route("CATNR=40053", Reply(200, omm_body(load_sets("targets_last4.tle")[-1:])))
    report = refresh(store, client, [Query.catnr(99999), Query.catnr(SPOT7)], NOW)
    assert report.error is None and report.new_sets == 1
    assert [q.query for q in report.unknown_objects] == ["CATNR=99999"]
    assert store.fetch_state("CATNR=99999", server.host).status == "unknown-object"


def test_a_set_of_another_object_in_a_catnr_answer_is_skipped(store, server, client):
    iss = load_sets("iss_25544_last4.tle")
    spot = load_sets("targets_last4.tle")[-1:]
    server.route("CATNR=40053", Reply(200, omm_body(spot + iss[-1:])))
    report = refresh(store, client, [Query.catnr(SPOT7)], NOW)
    assert report.new_sets == 1
    assert report.bad_records == [
        "CATNR=40053: a set of NORAD 25544 in the answer for CATNR=40053: skipped"
    ]
    assert store.latest([ISS]) == []


def test_a_group_keeps_its_good_records_and_its_membership(store, server, client):
    text = data_text("resource_2026-05-30.tle").replace(
        "2 40053  98.0641 213.5910", "2 40053  98.0641 213.5911"
    )  # SPOT 7's line 2 no longer matches its checksum
    server.route("GROUP=resource", Reply(200, text.encode(), "text/plain"))
    report = refresh(store, client, [Query.group("resource")], NOW)
    assert report.error is None and report.new_sets == 166
    [bad] = report.bad_records
    assert bad.startswith("GROUP=resource: ") and "line 198" in bad and "checksum" in bad
    members = store.find_group("resource")
    assert len(members) == 166 and SPOT7 not in {s.norad_id for s in members}
    assert store.latest([38755])[0].tle_lines is not None  # SPOT 6, served as TLE


def test_an_epoch_far_in_the_future_of_the_run_is_a_bad_record(store, server, client):
    sets = load_sets("iss_25544_last4.tle")
    server.route("NAME=ISS", Reply(200, omm_body(sets)))
    report = refresh(store, client, [Query.name("ISS")], sets[0].epoch_utc - timedelta(days=40))
    assert report.new_sets == 0 and report.error is not None
    assert "after now" in report.error


def test_the_refresh_lock_admits_one_refresh_at_a_time(tmp_path):
    with refresh_lock(tmp_path) as path:
        with (
            pytest.raises(RefreshLocked, match="another refresh is running"),
            refresh_lock(tmp_path),
        ):
            pass
        assert path.exists()
    with refresh_lock(tmp_path):  # released on exit
        pass


def test_a_name_query_in_other_letter_case_is_the_same_query(store, server, client):
    """CelesTrak matches NAME without regard to case (its names are upper case): ``--name
    spot`` and ``--name SPOT`` ask it the same question, so the 2-hour floor holds across
    them (was: each spelling sent once more within 2 hours, found by the refresh sweep)."""
    spot = omm_body(load_sets("targets_last4.tle")[-1:])
    for text in ("spot", "SPOT", "Spot"):
        server.route(f"NAME={text}", Reply(200, spot))
    assert Query.name(" spot ").key == Query.name("SPOT").key == "NAME=SPOT"
    refresh(store, client, [Query.name("spot")], NOW)
    for text in ("SPOT", "Spot", "spot"):
        report = refresh(store, client, [Query.name(text)], NOW + timedelta(minutes=1))
        assert report.nothing_to_do, text
    assert len(server.seen()) == 1


def test_a_name_query_logged_in_lower_case_by_an_older_version_still_counts(store, server, client):
    """A fetch log written before NAME was folded to upper case keeps its 2-hour floor."""
    server.route("NAME=spot", Reply(200, omm_body(load_sets("targets_last4.tle")[-1:])))
    store.record_request("NAME=spot", client.server, NOW)
    report = refresh(store, client, [Query.name("spot")], NOW + timedelta(minutes=1))
    assert report.nothing_to_do and report.next_allowed_utc == NOW + MIN_QUERY_INTERVAL
    assert server.seen() == []


@pytest.mark.parametrize("fmt", ["JSON", "CSV"])
def test_a_tle_answer_where_omm_was_asked_is_stored_with_one_warning(store, server, fmt):
    """TLE cannot carry catalog numbers of 100000 and up, so a server answering a group in TLE
    may leave objects out: the sets are stored, the report says so (was: accepted silently)."""
    server.route("GROUP=resource", Reply(200, data_text("resource_2026-05-30.tle").encode()))
    with CelestrakClient(server.url, fmt=fmt, connect_timeout_s=0.3, deadline_s=1.0) as client:
        report = refresh(store, client, [Query.group("resource")], NOW)
    assert report.error is None and len(store.find_group("resource")) == 167
    assert report.bad_records == []
    [warning] = report.warnings
    assert warning == (
        f"GROUP=resource: asked {server.host} for OMM {fmt} (FORMAT={fmt}), it answered TLE "
        "text; its 167 set(s) were stored, but objects numbered 100000 and up may be missing "
        "from it (TLE cannot carry such catalog numbers); use a server that answers OMM JSON "
        "or CSV, e.g. the default https://celestrak.org (--base-url / "
        "$PASSPREDICT_CELESTRAK_URL)"
    )
    assert report.queries[0].warnings == [warning]


@pytest.mark.parametrize(("asked", "served"), [("JSON", "JSON"), ("CSV", "CSV"), ("CSV", "JSON")])
def test_an_omm_answer_gives_no_warning(store, server, asked, served):
    sets = load_sets("resource_2026-05-30.tle")
    server.route("GROUP=resource", Reply(200, omm_body(sets, served)))
    with CelestrakClient(server.url, fmt=asked, connect_timeout_s=0.3, deadline_s=1.0) as client:
        report = refresh(store, client, [Query.group("resource")], NOW)
    assert report.error is None and len(store.find_group("resource")) == 167
    assert report.warnings == []
