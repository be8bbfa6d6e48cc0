"""One policy for bad records (issue 10) and a way out for bad stored sets (issue 16), by CLI.

`passes --tle-file` and `tle import` both skip a bad record with a one-line warning naming its
line and exit 0; `--strict` refuses the file. Many bad records give a few lines, not one each.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from passpredict.cli.root import main
from tle_cache.bundled import load_bundled
from tle_cache.store import open_store, store_path

MIXED = Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle"
WINDOW = ["--start", "2026-05-07T12:00Z", "--days", "1"]
NOW = datetime(2026, 5, 8, tzinfo=UTC)


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def run(home):
    def invoke(*args: str):
        result = CliRunner().invoke(
            main, list(args), obj={"now_utc": NOW}, env={"PASSPREDICT_HOME": str(home)}
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"traceback: {result.exception!r}"
        )
        return result

    return invoke


def broken_copy(tmp_path: Path, bad_sets: int) -> tuple[Path, list[int]]:
    """The 20 real sets of MIXED with the checksum of line 2 of the first `bad_sets` broken."""
    lines = MIXED.read_text().splitlines()
    bad_lines = []
    for k in range(bad_sets):
        index = 3 * k + 2
        lines[index] = lines[index][:68] + str((int(lines[index][68]) + 1) % 10)
        bad_lines.append(index + 1)
    path = tmp_path / "broken.tle"
    path.write_text("\n".join(lines) + "\n")
    return path, bad_lines


def warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


def test_passes_tle_file_skips_a_bad_record_with_a_warning_naming_its_line(run, tmp_path):
    path, (bad_line,) = broken_copy(tmp_path, 1)
    result = run("passes", "--tle-file", str(path), *WINDOW, "--format", "json")
    assert result.exit_code == 0, result.stderr  # was: exit 1, the whole file refused
    skipped = [w for w in warning_lines(result.stderr) if "skipped a bad record" in w]
    assert len(skipped) == 1
    assert f"{path}: line {bad_line}: TLE line 2 checksum" in skipped[0]
    data = json.loads(result.stdout)
    assert len(data["satellites"]) == 19
    assert 25544 not in {s["norad_id"] for s in data["satellites"]}


def test_passes_tle_file_strict_refuses_the_file(run, tmp_path):
    path, (bad_line,) = broken_copy(tmp_path, 1)
    result = run("passes", "--tle-file", str(path), *WINDOW, "--strict")
    assert result.exit_code == 1
    assert f"line {bad_line}: TLE line 2 checksum" in result.stderr
    assert result.stdout == ""


def test_many_bad_records_give_a_few_warning_lines(run, tmp_path):
    path, bad_lines = broken_copy(tmp_path, 12)
    result = run("passes", "--tle-file", str(path), *WINDOW, "--format", "json")
    assert result.exit_code == 0
    skipped = [w for w in warning_lines(result.stderr) if "skipped" in w]
    assert len(skipped) == 6
    assert all(f"line {n}:" in w for w, n in zip(skipped[:5], bad_lines, strict=False))
    assert "and 7 more bad record(s) skipped" in skipped[5]
    assert "--strict" in skipped[5]


def test_geo_commands_follow_the_same_policy(run, tmp_path):
    lines = (Path(__file__).parent / "data" / "geo" / "azerspace-1_39079_2026.tle").read_text()
    path = tmp_path / "az1.tle"
    path.write_text("JUNK\n1 39079U nonsense\n" + lines)
    result = run("geo", "39079", "--tle-file", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "skipped a bad record" in result.stderr and "line 2" in result.stderr
    assert run("geo", "39079", "--tle-file", str(path), "--strict").exit_code == 1


def test_an_epoch_far_in_the_future_is_refused_by_tle_file_too(run, tmp_path):
    (spot7,) = [s for s in load_bundled() if s.norad_id == 40053]
    from tle_cache.export import to_omm_json

    records = json.loads(to_omm_json([spot7]))
    future = {**records[0], "EPOCH": "9999-01-01T00:00:00", "NORAD_CAT_ID": 99999}
    path = tmp_path / "future.json"
    path.write_text(json.dumps([future, records[0]]))
    result = run("passes", "--tle-file", str(path), "--start", "2026-06-01T00:00Z")
    assert result.exit_code == 0, result.stderr  # was: the 9999 set used as if real
    assert "record 1" in result.stderr and "more than 30 days after now" in result.stderr
    alone = tmp_path / "alone.json"
    alone.write_text(json.dumps([future]))
    result = run("passes", "--tle-file", str(alone))
    assert result.exit_code == 1 and "more than 30 days after now" in result.stderr


def test_tle_import_skips_or_with_strict_refuses(run, tmp_path, home):
    path, (bad_line,) = broken_copy(tmp_path, 1)
    strict = run("tle", "import", str(path), "--strict")
    assert strict.exit_code == 1
    assert f"line {bad_line}" in strict.stderr and "nothing imported" in strict.stderr
    with open_store(store_path(home)) as store:
        assert store.history(48274) == []  # nothing of the file was stored
    lenient = run("tle", "import", str(path))
    assert lenient.exit_code == 0
    assert f"line {bad_line}" in lenient.stderr
    assert "imported 19 new element set(s)" in lenient.stdout


def test_tle_import_groups_many_warnings(run, tmp_path):
    path, _ = broken_copy(tmp_path, 12)
    result = run("tle", "import", str(path))
    assert result.exit_code == 0
    assert len(warning_lines(result.stderr)) == 6
    assert "and 7 more" in result.stderr


# --------------------------------------------------------------------------- tle forget


def stored_bad_set(home: Path, **omm_changes):
    """Store a newer SPOT 7 set that an older passpredict could have let in (no validation)."""
    (spot7,) = [s for s in load_bundled() if s.norad_id == 40053]
    epoch = spot7.epoch_utc + timedelta(days=1)
    omm = {**spot7.omm, "EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"), **omm_changes}
    bad = replace(spot7, epoch_utc=epoch, omm=omm, tle_lines=None, source="old", _satrec_cache=[])
    with open_store(store_path(home)) as store:
        store.add_sets([bad], "an older passpredict", NOW)
    return bad


def test_a_stored_set_sgp4_refuses_names_the_fix_and_tle_forget_drops_it(run, home):
    bad = stored_bad_set(home, CLASSIFICATION_TYPE="UU")
    stamp = bad.epoch_utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    before = run("passes", "40053", "--start", "2026-06-01T00:00Z", "--days", "1")
    assert before.exit_code == 1  # was: a TypeError traceback on every later 'passes'
    assert f"passpredict tle forget 40053 --epoch {stamp}" in before.stderr
    forgot = run("tle", "forget", "40053", "--epoch", stamp)
    assert forgot.exit_code == 0, forgot.stderr
    assert "forgot 1 element set(s) of NORAD 40053" in forgot.stdout
    after = run("passes", "40053", "--start", "2026-06-01T00:00Z", "--days", "1")
    assert after.exit_code == 0, after.stderr


def test_a_stored_nan_set_is_a_note_not_an_empty_success(run, home):
    stored_bad_set(home, BSTAR=float("nan"))
    result = run("passes", "40053", "--start", "2026-06-01T00:00Z", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["passes"] == []
    (note,) = data["notes"]  # was: no passes and no note
    assert "no finite position" in note["reason"]
    assert data["satellites"][0]["orbit"] == "decayed"


def test_tle_forget_needs_epoch_or_all(run, home):
    stored_bad_set(home)
    assert run("tle", "forget", "40053").exit_code == 2
    assert run("tle", "forget", "40053", "--all", "--epoch", "2026-05-31T15:33:32Z").exit_code == 2
    assert run("tle", "forget", "40053", "--epoch", "yesterday").exit_code == 2


def test_tle_forget_matches_to_the_second_or_exactly_and_lists_the_nearest(run, home):
    bad = stored_bad_set(home)
    wrong = run("tle", "forget", "40053", "--epoch", "2026-05-31T15:33:33Z")
    assert wrong.exit_code == 1
    assert "nearest stored: 2026-05-31T15:33:32.520384Z" in wrong.stderr
    exact_but_off = run("tle", "forget", "40053", "--epoch", "2026-05-31T15:33:32.52Z")
    assert exact_but_off.exit_code == 1
    to_the_second = run("tle", "forget", "40053", "--epoch", "2026-05-31T15:33:32")
    assert to_the_second.exit_code == 0
    with open_store(store_path(home)) as store:
        assert [s.epoch_utc for s in store.history(40053)] != [bad.epoch_utc]
        assert bad.epoch_utc not in [s.epoch_utc for s in store.history(40053)]


def test_tle_forget_all_keeps_the_bundled_set(run, home):
    stored_bad_set(home)
    result = run("tle", "forget", "40053", "--all")
    assert result.exit_code == 0
    assert "forgot 1 element set(s)" in result.stdout
    assert "kept 1 bundled set(s)" in result.stdout
    with open_store(store_path(home)) as store:
        assert [s.source for s in store.history(40053)] == ["bundled"]
    assert run("tle", "forget", "12345", "--all").exit_code == 1


def _hostile_omm_file(tmp_path: Path) -> Path:
    """SPOT 7's bundled set (renumbered) and, before it, records the fuzz of issue 16 found crashing
    `passes --tle-file` and `tle import` (OverflowError, ValueError, NaN accepted, values the
    C record behind SGP4 cannot hold), each written as the raw JSON token."""
    (spot7,) = [s for s in load_bundled() if s.norad_id == 40053]
    from tle_cache.export import to_omm_json

    (good,) = json.loads(to_omm_json([spot7]))
    good["NORAD_CAT_ID"] = 90053  # not in the seeded store, so an import adds it
    raw_values = [
        ("EPOCH", '"0001-01-01T00:00:00+01:00"'),
        ("BSTAR", "1" + "0" * 309),
        ("MEAN_MOTION", "1" * 5000),
        ("BSTAR", "NaN"),
        ("MEAN_MOTION_DOT", "-Infinity"),
        ("NORAD_CAT_ID", str(2**63)),
        ("CLASSIFICATION_TYPE", '"UU"'),
        ("REV_AT_EPOCH", str(2**63)),
    ]
    texts = [json.dumps({**good, key: "@@"}).replace('"@@"', raw) for key, raw in raw_values]
    path = tmp_path / "hostile.json"
    path.write_text("[" + ", ".join([*texts, json.dumps(good)]) + "]")
    return path


def test_hostile_numbers_through_passes_tle_file_are_skipped_records(run, tmp_path):
    path = _hostile_omm_file(tmp_path)
    result = run("passes", "--tle-file", str(path), "--start", "2026-06-01T00:00Z")
    assert result.exit_code == 0, result.stderr  # was: a traceback for the first of them
    skipped = [w for w in warning_lines(result.stderr) if "skipped" in w]
    assert len(skipped) == 6 and "record 1" in skipped[0] and "and 3 more" in skipped[5]
    assert "SPOT" in result.stdout
    strict = run("passes", "--tle-file", str(path), "--strict")
    assert strict.exit_code == 1 and len(strict.stderr.splitlines()) == 1


def test_hostile_numbers_through_tle_import_are_skipped_records(run, tmp_path, home):
    path = _hostile_omm_file(tmp_path)
    result = run("tle", "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "imported 1 new element set(s)" in result.stdout
    with open_store(store_path(home)) as store:
        for norad_id in store.norad_ids():
            for stored in store.history(norad_id):
                sat = stored.satrec()
                error, position, _ = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
                assert error == 0 and all(v == v for v in position)
