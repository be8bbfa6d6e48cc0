"""The web page's refresh endpoint against a stand-in CelesTrak on 127.0.0.1 (issue 15).

`POST /api/refresh` exists only with `--allow-refresh` and must run what `passpredict tle
refresh` runs: the new sets land in the store (and on the Elements page), and a second
press inside 2 hours sends nothing to the server (CelesTrak's usage policy).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    # starlette 1.x suggests the httpx fork 'httpx2' for its test client; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from passpredict.cli.root import main
from passpredict.web.app import ServerConfig, create_app

sys.path.insert(0, str(Path(__file__).parent / "tle_cache"))
from celestrak_server import (
    NOT_UPDATED_BODY,
    CelestrakServer,
    Reply,
    data_text,
    load_sets,
    omm_body,
)

sys.path.pop(0)

HEADER = {"x-passpredict-refresh": "1"}


def test_refresh_button_fetches_once_per_two_hours(isolated_home, monkeypatch):
    home = isolated_home
    assert CliRunner().invoke(main, ["tle", "add", "25544"]).exit_code == 0
    iss = load_sets("iss_25544_last4.tle")
    with CelestrakServer() as server:
        monkeypatch.setenv("PASSPREDICT_CELESTRAK_URL", server.url)
        server.route("CATNR=25544", Reply(200, omm_body(iss)))
        for norad in (39079, 43632, 40053):
            server.route(f"CATNR={norad}", Reply(403, NOT_UPDATED_BODY, "text/plain"))
        config = ServerConfig(home, home / "observers.toml", allow_refresh=True)
        with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
            assert 'id="refresh"' in client.get("/elements").text
            first = client.post("/api/refresh", headers=HEADER)
            assert first.status_code == 200, first.text
            assert first.json()["new_sets"] == len(iss)
            assert first.json()["error"] is None
            assert first.json()["warnings"] == []  # OMM JSON, as asked
            asked = len(server.seen())
            assert asked == 4
            second = client.post("/api/refresh", headers=HEADER).json()
            assert second["nothing_to_do"] is True and second["new_sets"] == 0
            assert second["next_allowed_utc"].endswith("Z")
            assert len(server.seen()) == asked, "nothing is sent again within 2 hours"
            status = client.get("/api/elements").json()
        iss_row = next(s for s in status["satellites"] if s["norad_id"] == 25544)
        newest = max(es.epoch_utc for es in iss)
        assert iss_row["epoch_utc"] == newest.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert iss_row["source"] != "bundled"
        assert {q["query"] for q in status["queries"]} >= {"CATNR=25544"}


def test_refresh_button_stores_a_tle_answer_to_one_object_without_a_warning(
    isolated_home, monkeypatch
):
    # the button refreshes the watched satellites, one CATNR query each: a TLE answer holds
    # the set asked for, so nothing is missing and nothing is said (groups are warned about:
    # tests/tle_cache/test_refresh_cli.py)
    home = isolated_home
    assert CliRunner().invoke(main, ["tle", "add", "25544"]).exit_code == 0
    with CelestrakServer() as server:
        monkeypatch.setenv("PASSPREDICT_CELESTRAK_URL", server.url)
        server.route("CATNR=25544", Reply(200, data_text("iss_25544_last4.tle").encode()))
        for norad in (39079, 43632, 40053):
            server.route(f"CATNR={norad}", Reply(403, NOT_UPDATED_BODY, "text/plain"))
        config = ServerConfig(home, home / "observers.toml", allow_refresh=True)
        with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
            answer = client.post("/api/refresh", headers=HEADER).json()
    assert answer["error"] is None and answer["new_sets"] == 4
    assert answer["warnings"] == []


def test_refresh_with_a_bad_base_url_names_the_variable_not_an_internal_error(
    isolated_home, monkeypatch
):
    # found by the store sweep: the refresh endpoint checked the URL outside its error
    # handling and answered "internal error: ValueError: ..."; the status endpoint named it
    monkeypatch.setenv("PASSPREDICT_CELESTRAK_URL", "ftp://celestrak.example")
    config = ServerConfig(isolated_home, isolated_home / "observers.toml", allow_refresh=True)
    with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
        answers = [client.post("/api/refresh", headers=HEADER), client.get("/api/elements")]
    for answer in answers:
        assert answer.status_code == 500
        assert "$PASSPREDICT_CELESTRAK_URL" in answer.text and "internal error" not in answer.text
