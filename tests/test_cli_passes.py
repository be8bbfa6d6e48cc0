"""`passpredict passes` end to end through click: formats, conventions and errors."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from skyfield.api import EarthSatellite, wgs84

from passpredict.cli.root import main
from passpredict.engine.ephemeris import load_timescale
from passpredict.engine.passes import find_passes
from passpredict.records import Observer
from tle_cache.bundled import load_bundled
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "predict"
#: Near the SPOT 7 bundled epoch (2026-05-30), so the passes are real ones.
NEAR_EPOCH = "2026-05-31T00:00:00Z"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    # never a traceback: either success or a clean SystemExit from click
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_json_shape_units_and_utc_times():
    result = run("passes", "--start", NEAR_EPOCH, "--days", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {s["norad_id"] for s in data["satellites"]} == {39079, 43632, 40053}
    for sat in data["satellites"]:
        assert {"name", "norad_id", "epoch", "age_days", "orbit"} <= sat.keys()
        assert sat["epoch"].endswith("Z")
    assert data["passes"], "SPOT 7 passes over Baku every day"
    for p in data["passes"]:
        assert p["satellite"] == "SPOT 7" and p["observer"] == "Baku"
        for key in ("rise", "culmination", "set"):
            point = p[key]
            assert set(point) == {"time", "azimuth_deg", "elevation_deg", "range_km"}
            assert point["time"].endswith("Z")
        assert p["rise"]["elevation_deg"] == pytest.approx(10.0, abs=1e-3)
        assert p["duration_s"] > 0 and p["max_elevation_deg"] >= 10.0
    starts = [p["rise"]["time"] for p in data["passes"]]
    assert starts == sorted(starts)
    geo = {g["norad_id"]: g for g in data["geostationary"]}
    assert set(geo) == {39079, 43632}
    for g in geo.values():
        assert {
            "azimuth_deg",
            "elevation_deg",
            "range_km",
            "elevation_min_deg",
            "elevation_max_deg",
            "always_above_horizon",
        } <= g.keys()
        assert g["always_above_horizon"] is True
        assert 185.0 < g["azimuth_deg"] < 188.0 and 42.5 < g["elevation_deg"] < 43.5


def test_spot7_passes_agree_with_skyfield_find_events(timescale):
    result = run("passes", "spot7", "--start", NEAR_EPOCH, "--days", "3", "--format", "json")
    ours = json.loads(result.stdout)["passes"]
    spot7 = next(es for es in load_bundled() if es.norad_id == 40053)
    sat = EarthSatellite(*spot7.tle_lines, "SPOT 7", timescale)
    start = datetime(2026, 5, 31, tzinfo=UTC)
    t, events = sat.find_events(
        wgs84.latlon(40.4093, 49.8671, -28.0),
        timescale.from_datetime(start),
        timescale.from_datetime(start + timedelta(days=3)),
        altitude_degrees=10.0,
    )
    rises = [ti.utc_datetime() for ti, e in zip(t, events, strict=True) if e == 0]
    assert len(ours) == len(rises)
    for p, rise in zip(ours, rises, strict=True):
        ours_rise = datetime.fromisoformat(p["rise"]["time"])
        assert abs((ours_rise - rise).total_seconds()) < 0.5  # Skyfield's own tolerance


def test_csv_has_a_row_per_pass_and_per_geostationary_look():
    as_json = json.loads(run("passes", "--start", NEAR_EPOCH, "--format", "json").stdout)
    result = run("passes", "--start", NEAR_EPOCH, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["kind"] for r in rows].count("pass") == len(as_json["passes"])
    assert [r["kind"] for r in rows].count("geostationary") == 2
    first = next(r for r in rows if r["kind"] == "pass")
    assert first["rise_time"].endswith("Z") and float(first["max_elevation_deg"]) >= 10.0


def test_table_is_in_baku_time_and_warns_on_stderr():
    result = run("passes", "spot7", "--start", NEAR_EPOCH, "--days", "1")
    assert result.exit_code == 0
    assert "Asia/Baku (UTC+04:00)" in result.stdout
    first = json.loads(
        run("passes", "spot7", "--start", NEAR_EPOCH, "--days", "1", "--format", "json").stdout
    )["passes"][0]
    rise_local = datetime.fromisoformat(first["rise"]["time"]) + timedelta(hours=4)
    assert rise_local.strftime("%H:%M:%S") in result.stdout
    utc = run("passes", "spot7", "--start", NEAR_EPOCH, "--days", "1", "--utc")
    assert datetime.fromisoformat(first["rise"]["time"]).strftime("%H:%M:%S") in utc.stdout
    # stale bundled data today: the warning goes to stderr and tells how to refresh
    stale = run("passes", "--start", "2026-11-25T00:00:00Z", "--days", "1")
    assert stale.exit_code == 0
    assert "passpredict tle refresh" in stale.stderr
    assert "warning" not in stale.stdout


def test_pass_in_progress_at_window_start_has_no_rise():
    first = json.loads(
        run("passes", "spot7", "--start", NEAR_EPOCH, "--days", "1", "--format", "json").stdout
    )["passes"][0]
    culmination = first["culmination"]["time"].replace("Z", "+00:00")
    result = run("passes", "spot7", "--start", culmination, "--days", "0.01", "--format", "json")
    (p,) = json.loads(result.stdout)["passes"]
    assert p["rise"] is None and p["in_progress_at_start"] is True
    assert p["duration_s"] is None and p["set"]["time"] == first["set"]["time"]


def test_adhoc_observer_and_several_observers():
    result = run(
        "passes",
        "spot7",
        "--start",
        NEAR_EPOCH,
        "--days",
        "1",
        "--observer",
        "Baku",
        "--observer",
        "shamakhi",
        "--lat",
        "69.65",
        "--lon",
        "18.96",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    observers = {p["observer"] for p in json.loads(result.stdout)["passes"]}
    assert observers == {"Baku", "Shamakhi Astrophysical Observatory", "69.6500N 18.9600E"}


def test_tle_file_without_satellite_predicts_every_satellite_in_it():
    result = run(
        "passes",
        "--tle-file",
        str(DATA / "nustar_2026-05-07.tle"),
        "--start",
        "2026-05-08T00:00:00Z",
        "--lat",
        "0.1",
        "--lon",
        "30",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["name"] for s in data["satellites"]] == ["NUSTAR"]
    assert data["passes"]


def test_empty_result_is_success():
    result = run("passes", "spot7", "--start", NEAR_EPOCH, "--days", "0.001", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["passes"] == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--start", "2026-11-25T10:00"], 2, "no time zone"),
        (["--start", "yesterday"], 2, "not an ISO 8601"),
        (["--lat", "123", "--lon", "10"], 2, "latitude_deg must be between"),
        (["--lat", "40"], 2, "--lat and --lon go together"),
        (["--days", "-1"], 2, "--days"),
        (["--days", "1", "--end", "2026-12-01T00:00Z"], 2, "exclude each other"),
        (["--start", "2026-11-25T00:00Z", "--end", "2026-11-24T00:00Z"], 2, "not after"),
        (["--tz", "Mars/Olympus"], 2, "unknown time zone"),
        (["--observer", "atlantis"], 2, "unknown observer"),
        (["no-such-sat"], 2, "AZERSPACE 1"),
        (["--min-elevation", "95"], 2, "--min-elevation"),
        (
            ["--tle-file", "/nonexistent/file.tle"],
            2,
            "/nonexistent/file.tle",
        ),  # usage, as tle import
    ],
)
def test_bad_input_is_one_clean_line(args, code, message):
    result = run("passes", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_malformed_tle_file_names_the_line(tmp_path):
    good = (DATA / "nustar_2026-05-07.tle").read_text().splitlines()
    broken = tmp_path / "broken.tle"
    broken.write_text("\n".join([good[0], good[1][:-1] + "0", good[2]]) + "\n")
    result = run("passes", "--tle-file", str(broken))
    assert result.exit_code == 1
    assert "line 2" in result.stderr and "checksum" in result.stderr
    html = tmp_path / "page.tle"
    html.write_text("<!DOCTYPE html><html><body>Not found</body></html>")
    result = run("passes", "--tle-file", str(html))
    assert result.exit_code == 1 and "HTML" in result.stderr


def test_every_command_has_help():
    for args in (["--help"], ["passes", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_passes_use_the_stored_set_of_the_window_and_say_which_and_why():
    history = DATA / "iss_2026-08_five_sets.tle"
    imported = run("tle", "import", str(history))
    assert imported.exit_code == 0, imported.stderr
    epochs = sorted(es.epoch_utc for es in read_file(history))
    start = datetime(2026, 8, 22, tzinfo=UTC)
    # (window start, the set expected, why): the rule written out by hand
    cases = [
        (start, max(e for e in epochs if e <= start), "latest at or before the window start"),
        (epochs[-1] + timedelta(days=1), epochs[-1], "latest at or before the window start"),
        (epochs[0] - timedelta(hours=1), epochs[0], "earliest after the window start"),
    ]
    for window_start, expected, why in cases:
        result = run("passes", "25544", "--start", window_start.isoformat(), "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        (iss,) = data["satellites"]
        epoch = datetime.fromisoformat(iss["epoch"])
        assert abs((epoch - expected).total_seconds()) < 1e-3  # was always the newest set
        assert "iss_2026-08_five_sets.tle" in iss["source"] and iss["selected"] == why
        assert data["passes"]
    # the bundled SPOT 7 set is still the only one of its kind in the store
    (spot7,) = json.loads(run("passes", "spot7", "--format", "json").stdout)["satellites"]
    assert spot7["source"] == "bundled"


def test_damaged_store_falls_back_to_bundled_data_with_a_warning(isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "elements.sqlite").write_bytes(b"this is not a database" * 100)
    result = run("passes", "--start", NEAR_EPOCH, "--format", "json")
    assert result.exit_code == 0
    assert "elements.sqlite" in result.stderr and "bundled" in result.stderr
    assert {s["source"] for s in json.loads(result.stdout)["satellites"]} == {"bundled"}
    assert (isolated_home / "elements.sqlite").read_bytes() == b"this is not a database" * 100


def test_pass_in_progress_starts_at_the_window_start_even_before_its_culmination():
    first = json.loads(
        run("passes", "spot7", "--start", NEAR_EPOCH, "--days", "1", "--format", "json").stdout
    )["passes"][0]
    rise = datetime.fromisoformat(first["rise"]["time"])
    start = rise + timedelta(seconds=30)  # inside the pass, before its culmination
    spot7 = next(es for es in load_bundled() if es.norad_id == 40053)
    baku = Observer("Baku", 40.4093, 49.8671, -28.0)
    (p,) = find_passes(
        [spot7], [baku], start, start + timedelta(minutes=30), 10.0, load_timescale()
    )
    assert p.rise is None and p.culmination.time_utc > start
    assert p.start_utc == start
    table = run("passes", "spot7", "--start", start.isoformat(), "--days", "0.02", "--utc")
    assert f"{start:%H:%M:%S} (in progress)" in table.stdout
