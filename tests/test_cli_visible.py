"""`passpredict passes` with visibility, magnitudes, radio details and calendar output."""

import csv
import io
import json
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from passpredict.cli.root import main

DATA = Path(__file__).parent / "data" / "visibility"
ISS = ["--tle-file", str(DATA / "iss_25544_2026-08-21_22.tle"), "--start", "2026-08-22T12:00Z"]
SPOT7 = ["--tle-file", str(DATA / "spot7_40053_2026-05-30.tle"), "--start", "2026-05-30T12:00Z"]
VISIBILITY_KEYS = {
    "visible",
    "sunlit",
    "sun_elevation_deg",
    "visible_start",
    "visible_peak",
    "visible_end",
    "shadow_entry",
    "shadow_exit",
    "std_magnitude",
    "magnitude",
    "brightest",
    "brightest_magnitude",
}


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def passes_json(*args: str) -> dict:
    result = run("passes", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_every_pass_carries_its_visibility():
    data = passes_json(*ISS)
    assert data["window"]["twilight_deg"] == -6.0
    assert "estimate" in data["window"]["magnitude_model"]
    assert data["passes"]
    for p in data["passes"]:
        assert p.keys() >= VISIBILITY_KEYS
        assert p["magnitude"] is None  # no published standard magnitude for the ISS here
        if p["visible"]:
            assert p["sunlit"] and p["visible_start"]["elevation_deg"] >= 10.0 - 1e-3
            assert p["visible_start"]["time"] <= p["visible_peak"]["time"]
            assert p["visible_peak"]["time"] <= p["visible_end"]["time"]
        else:
            assert p["visible_start"] is None and p["visible_end"] is None
    assert any(p["visible"] for p in data["passes"]) and not all(
        p["visible"] for p in data["passes"]
    )
    # points keep exactly their documented keys unless radio details are asked for
    assert set(data["passes"][0]["rise"]) == {"time", "azimuth_deg", "elevation_deg", "range_km"}


def test_visible_only_twilight_and_std_mag():
    civil = passes_json(*ISS, "--visible-only", "--std-mag", "-1.8")
    astronomical = passes_json(*ISS, "--visible-only", "--twilight", "astronomical")
    custom = passes_json(*ISS, "--visible-only", "--twilight", "-18")
    assert len(civil["passes"]) == 6 and len(astronomical["passes"]) == 3
    assert custom["passes"] == astronomical["passes"]
    assert astronomical["window"]["twilight_deg"] == -18.0
    for p in civil["passes"]:
        assert p["visible"] and p["std_magnitude"] == -1.8
        assert -4.0 < p["brightest_magnitude"] < 2.0
    # the geostationary answer is not a pass: --visible-only leaves it alone
    default = passes_json("--start", "2026-05-30T12:00Z", "--visible-only")
    assert len(default["geostationary"]) == 2
    assert all(p["visible"] for p in default["passes"])


def test_radio_details_at_rise_culmination_and_set():
    data = passes_json(*SPOT7, "--days", "1", "--frequency-mhz", "437.5")
    assert data["window"]["frequency_mhz"] == 437.5
    for p in data["passes"]:
        rise, culmination, end = p["rise"], p["culmination"], p["set"]
        assert rise["range_rate_km_s"] < 0 < end["range_rate_km_s"]
        assert rise["doppler_hz"] > 0 > end["doppler_hz"]
        # 437.5 MHz, at most 7.5 km/s: under 11 kHz
        assert abs(rise["doppler_hz"]) < 11_000 and abs(culmination["doppler_hz"]) < 1_000
        ratio = rise["doppler_hz"] / rise["range_rate_km_s"]
        assert ratio == pytest.approx(-437.5e6 / 299_792.458, rel=1e-4)


def test_csv_has_the_new_columns():
    result = run("passes", *SPOT7, "--days", "1", "--format", "csv", "--frequency-mhz", "145.8")
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["kind"] == "pass"]
    assert rows
    for key in (
        "visible",
        "sunlit",
        "sun_elevation_deg",
        "visible_start",
        "visible_end",
        "magnitude",
        "rise_range_rate_km_s",
        "set_doppler_hz",
    ):
        assert key in rows[0]
    visible = [r for r in rows if r["visible"] == "true"]
    assert visible and all(r["visible_start"].endswith("Z") for r in visible)
    assert float(rows[0]["rise_doppler_hz"]) > 0


def test_table_marks_visible_passes_and_names_the_twilight():
    result = run("passes", *SPOT7, "--days", "1", "--std-mag", "40053=4", "--utc")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Sun is below -6° (civil twilight)" in out
    # SPOT 7 leaves the shadow 77 s after rising, at 17:20:37.66 (printed rounded)
    assert "★ 17:20:38-17:28:12" in out
    assert "~+3.1" in out and "- daylight" in out
    nautical = run("passes", *SPOT7, "--days", "1", "--twilight", "nautical")
    assert "below -12° (nautical twilight)" in nautical.stdout


def test_ics_output_imports(tmp_path):
    result = run("passes", *ISS, "--format", "ics", "--visible-only", "--std-mag", "-1.8")
    assert result.exit_code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(result.stdout)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 6
    assert all("visible" in str(e["SUMMARY"]) for e in events)
    # DTSTAMP is the command's "now", not a fixed value
    assert all(e.decoded("DTSTAMP").tzinfo is not None for e in events)


def test_ics_notes_passes_cut_by_the_window():
    result = run(
        "passes", "--tle-file", str(DATA / "spot7_40053_2026-05-30.tle"),
        "--start", "2026-05-30T17:22:00Z", "--days", "0.2", "--format", "ics",
    )  # fmt: skip
    assert result.exit_code == 0
    assert "1 pass(es) cut by the window ends left out" in result.stderr
    assert result.stdout.count("BEGIN:VEVENT") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--twilight", "dusk"], "neither civil, nautical, astronomical"),
        (["--twilight", "6"], "between -90 and 0"),
        (["--std-mag", "bright"], "--std-mag"),
        (["--std-mag", "iss=-1.8"], "NORAD number"),
        (["--frequency-mhz", "0"], "--frequency-mhz"),
        (["--format", "ical"], "--format"),
    ],
)
def test_bad_options_are_one_clean_line(args, message):
    result = run("passes", *SPOT7, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_help_lists_the_new_options():
    result = run("passes", "--help")
    for option in ("--twilight", "--visible-only", "--std-mag", "--frequency-mhz", "ics"):
        assert option in result.stdout
