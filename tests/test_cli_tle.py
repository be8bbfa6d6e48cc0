"""`passpredict tle` commands that need no network: status, import, export, add, remove, help."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from passpredict.cli.tle import tle_group
from tle_cache.bundled import load_bundled
from tle_cache.export import to_omm_json
from tle_cache.parse import parse_text
from tle_cache.store import FetchRecord, open_store, store_path

DATA = Path(__file__).parent / "data" / "celestrak"
NOW = datetime(2026, 8, 23, 6, 0, tzinfo=UTC)


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def run(home):
    def invoke(*args: str):
        result = CliRunner().invoke(
            tle_group, list(args), obj={"now_utc": NOW}, env={"PASSPREDICT_HOME": str(home)}
        )
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), f"traceback: {result.exception!r}"
        return result

    return invoke


@pytest.mark.parametrize(
    "command",
    [[], ["refresh"], ["status"], ["import"], ["export"], ["add"], ["remove"], ["forget"]],
)
def test_every_command_has_help(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout
    if command in ([], ["refresh"]):
        assert "Exit codes:" in result.stdout and "3  another refresh is running" in result.stdout


def test_status_lists_the_watched_satellites_with_age_and_source(run, home):
    result = run("status")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"store {store_path(home)}, now 2026-08-23T06:00:00Z"
    assert lines[1].split() == [
        "NORAD",
        "NAME",
        "NEWEST",
        "EPOCH",
        "AGE",
        "d",
        "LAST",
        "FETCH",
        "NEXT",
        "FETCH",
        "SOURCE",
    ]
    assert [line.split()[0] for line in lines[2:]] == ["39079", "43632", "40053"]
    assert lines[4].split()[1:5] == ["SPOT", "7", "2026-05-30T15:33:32Z", "84.6"]
    assert lines[4].split()[-3:] == ["never", "now", "bundled"]


def test_status_of_an_empty_watchlist_says_so_and_how_to_add_one(run):
    """Was: a table header and no rows, as if the store had lost its sets (found by the
    refresh sweep)."""
    for norad_id in ("39079", "43632", "40053"):
        assert run("remove", norad_id).exit_code == 0
    result = run("status")
    assert result.exit_code == 0
    assert "NEWEST EPOCH" not in result.stdout
    assert "no satellite is watched: add one with 'passpredict tle add NORAD'" in result.stdout
    assert "40053" in run("status", "--all").stdout


def test_status_as_json(run):
    result = run("status", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["now_utc"] == "2026-08-23T06:00:00Z"
    spot = document["satellites"][2]
    assert spot == {
        "norad_id": 40053,
        "name": "SPOT 7",
        "watched": True,
        "epoch_utc": "2026-05-30T15:33:32Z",
        "age_days": 84.6,
        "source": "bundled",
        "last_fetch_utc": None,
        "last_fetch_status": None,
        "next_fetch_allowed_utc": None,  # was "now"
    }
    assert document["queries"] == [] and document["server"] == "celestrak.org"


def test_status_as_json_gives_the_next_allowed_fetch_as_a_timestamp(run, home):
    asked = datetime(2026, 8, 23, 5, 0, tzinfo=UTC)
    with open_store(store_path(home)) as store:
        store.record_refresh([FetchRecord("CATNR=40053", "not-modified", success=True)], asked)
    document = json.loads(run("status", "--format", "json").stdout)
    spot = document["satellites"][2]
    assert spot["last_fetch_utc"] == "2026-08-23T05:00:00Z"
    assert spot["next_fetch_allowed_utc"] == "2026-08-23T07:00:00Z"  # asked + 2 h
    assert [
        (q["query"], q["server"], q["next_fetch_allowed_utc"]) for q in document["queries"]
    ] == [("CATNR=40053", "celestrak.org", "2026-08-23T07:00:00Z")]
    assert document["satellites"][0]["next_fetch_allowed_utc"] is None


def test_add_and_remove_choose_what_a_plain_refresh_fetches(run, home):
    assert run("add", "25544").stdout.startswith("watching NORAD 25544")
    assert "already watched" in run("add", "25544").stdout
    assert run("remove", "40053").exit_code == 0
    assert "was not watched" in run("remove", "40053").stdout
    document = json.loads(run("status", "--format", "json").stdout)
    assert [(s["norad_id"], s["name"]) for s in document["satellites"]] == [
        (39079, "AZERSPACE 1"),
        (43632, "AZERSPACE 2 (IS-38)"),
        (25544, None),
    ]
    with open_store(store_path(home)) as store:
        assert store.latest([40053]), "removing a satellite keeps its sets"


@pytest.mark.parametrize("bad", ["0", "abc", "1000000000"])
def test_add_refuses_a_bad_catalog_number(run, bad):
    result = run("add", bad)
    assert result.exit_code == 2


def test_import_tle_then_again_reports_what_was_new(run, home):
    path = DATA / "iss_25544_last4.tle"
    first = run("import", str(path))
    assert first.exit_code == 0
    assert first.stdout == f"imported 4 new element set(s) from {path} (0 already stored)\n"
    assert "(4 already stored)" in run("import", str(path)).stdout
    with open_store(store_path(home)) as store:
        history = store.history(25544)
    assert len(history) == 4
    assert history[0].source == f"file {path} imported 2026-08-23T06:00:00Z"
    assert history[0].tle_lines is not None


def test_import_counts_a_set_repeated_in_the_file_once(run, tmp_path):
    """Was: a file holding each set twice, into a store without them, "(4 already stored)"
    (found by the refresh sweep)."""
    path = tmp_path / "twice.tle"
    path.write_text((DATA / "iss_25544_last4.tle").read_text() * 2)
    result = run("import", str(path))
    assert result.exit_code == 0
    assert result.stdout == (
        f"imported 4 new element set(s) from {path} (0 already stored, 4 repeated in the file)\n"
    )
    assert "(4 already stored, 4 repeated in the file)" in run("import", str(path)).stdout


def test_import_omm_json_with_a_six_digit_catalog_number(run, home, tmp_path):
    iss = parse_text((DATA / "iss_25544_last4.tle").read_text())[-1]
    renumbered = {**iss.omm, "NORAD_CAT_ID": 123456, "OBJECT_NAME": "RENUMBERED ISS"}
    path = tmp_path / "six-digit.json"
    path.write_text(json.dumps([renumbered]))
    assert run("import", str(path)).exit_code == 0
    with open_store(store_path(home)) as store:
        [stored] = store.latest([123456])
    assert stored.name == "RENUMBERED ISS" and stored.omm["NORAD_CAT_ID"] == 123456


def test_import_skips_a_bad_record_and_keeps_the_rest(run, tmp_path):
    lines = (DATA / "iss_25544_last4.tle").read_text().splitlines()
    lines[2] = lines[2][:20] + "9" + lines[2][21:]  # one digit changed: checksum fails
    path = tmp_path / "one-bad.tle"
    path.write_text("\n".join(lines) + "\n")
    result = run("import", str(path))
    assert result.exit_code == 0
    assert result.stderr.startswith(f"warning: skipped a bad record: {path}: line 3")
    assert result.stderr.count("\n") == 1
    assert "imported 3 new element set(s)" in result.stdout


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html><body>Not Found</body></html>", "HTML page"),
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_import_of_a_file_without_element_data_is_one_line_error(
    run, home, tmp_path, content, words
):
    path = tmp_path / "bad.tle"
    path.write_bytes(content)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert words in result.stderr and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ")


def test_import_of_a_missing_file_is_a_usage_error(run, tmp_path):
    assert run("import", str(tmp_path / "nope.tle")).exit_code == 2


def test_export_writes_the_newest_sets_that_read_back(run):
    result = run("export")
    assert result.exit_code == 0
    back = parse_text(result.stdout)
    bundled = sorted(load_bundled(), key=lambda s: s.norad_id)
    assert [(s.norad_id, s.tle_lines) for s in back] == [(s.norad_id, s.tle_lines) for s in bundled]
    for fmt in ("json", "csv"):
        result = run("export", "--format", fmt, "40053")
        [spot] = parse_text(result.stdout)
        assert (spot.norad_id, spot.epoch_utc) == (40053, bundled[1].epoch_utc)


def test_export_history_gives_every_epoch(run):
    run("import", str(DATA / "targets_last4.tle"))
    result = run("export", "--history", "--format", "json", "39079", "40053")
    sets = parse_text(result.stdout)
    assert [s.norad_id for s in sets] == [39079] * 4 + [40053] * 4
    assert sets == sorted(sets, key=lambda s: (s.norad_id != 39079, s.epoch_utc))


def test_export_of_unknown_or_untleable_objects_is_a_clear_error(run, tmp_path):
    result = run("export", "99999")
    assert result.exit_code == 1 and "no element set for NORAD 99999" in result.stderr
    iss = parse_text((DATA / "iss_25544_last4.tle").read_text())[-1]
    path = tmp_path / "big.json"
    path.write_text(to_omm_json([iss]).replace("25544", "400001"))
    assert run("import", str(path)).exit_code == 0
    result = run("export", "400001")
    assert result.exit_code == 1 and "400001" in result.stderr
    assert result.stderr.count("\n") == 1
    assert run("export", "--format", "json", "400001").exit_code == 0


def test_export_of_a_watched_satellite_without_sets_does_not_say_add_it(run):
    """Was: "add it with 'passpredict tle add'" for a satellite already watched (found by the
    refresh sweep): the fix is the refresh."""
    assert run("add", "123456").exit_code == 0
    result = run("export", "123456")
    assert result.exit_code == 1 and "no element set for NORAD 123456" in result.stderr
    assert "tle add" not in result.stderr and "passpredict tle refresh" in result.stderr
    result = run("export", "99999")
    assert "add it with 'passpredict tle add 99999'" in result.stderr


def test_a_set_tle_cannot_hold_is_refused_with_the_command_line_fix(run, tmp_path):
    """The fix names the CLI's --format, not the library's to_omm_json (was: "use
    to_omm_json or to_omm_csv", found by the refresh sweep)."""
    iss = parse_text((DATA / "iss_25544_last4.tle").read_text())[-1]
    big = json.loads(to_omm_json([iss]).replace("25544", "400001"))[0]
    odd = {**big, "NORAD_CAT_ID": 25545, "OBJECT_ID": "ISS-2"}  # no TLE designator
    path = tmp_path / "big.json"
    path.write_text(json.dumps([big, odd]))
    assert run("import", str(path)).exit_code == 0
    for norad_id in ("400001", "25545"):
        result = run("export", norad_id)
        assert result.exit_code == 1 and norad_id in result.stderr
        assert "to_omm" not in result.stderr, result.stderr
        assert f"passpredict tle export {norad_id} --format json" in result.stderr
        assert result.stderr.count("\n") == 1
    result = run("export")  # every stored set: one of them cannot be TLE
    assert result.exit_code == 1 and "passpredict tle export --format json" in result.stderr


@pytest.mark.parametrize("command", [["status"], ["export"], ["add", "1"], ["import", "x"]])
def test_a_damaged_store_gives_a_one_line_error_and_stays_untouched(run, home, command):
    home.mkdir(parents=True)
    damaged = store_path(home)
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x13" * 8000)
    (home / "x").write_text((DATA / "iss_25544_last4.tle").read_text())
    result = run(*[str(home / a) if a == "x" else a for a in command])
    assert result.exit_code == 1
    assert str(damaged) in result.stderr and "move it aside" in result.stderr
    assert result.stderr.count("\n") == 1
    assert damaged.read_bytes() == b"SQLite format 3\x00" + b"\x13" * 8000
