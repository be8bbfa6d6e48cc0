"""The `geo`, `sun-outages` and `eclipses` commands, invoked directly with click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from passpredict.cli.eclipses import eclipses_command
from passpredict.cli.geo import geo_command
from passpredict.cli.sun_outages import sun_outages_command

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
SERIES = Path(__file__).parent / "data" / "geo" / "azerspace-1_39079_2026.tle"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("home")


def run(command, args, home):
    runner = CliRunner()
    return runner.invoke(command, args, obj={"now_utc": NOW}, env={"PASSPREDICT_HOME": str(home)})


@pytest.fixture(scope="module")
def outages_json(home):
    """Azerspace-1 from Baku, default window from the August epoch: the next two seasons."""
    result = run(
        sun_outages_command,
        ["azerspace-1", "--start", "2026-08-22T00:00Z", "--format", "json"],
        home,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def eclipses_json(home):
    result = run(
        eclipses_command, ["39079", "--start", "2026-08-22T00:00Z", "--format", "json"], home
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("command", [geo_command, sun_outages_command, eclipses_command])
def test_every_command_has_help(command, home):
    result = run(command, ["--help"], home)
    assert result.exit_code == 0
    assert "--format" in result.stdout and "--tle-file" in result.stdout


def test_geo_table_for_baku(home):
    result = run(geo_command, ["azerspace-1"], home)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "AZERSPACE 1 (NORAD 39079) from Baku" in out
    assert "Asia/Baku (UTC+04:00)" in out and "Wed 25 Nov 2026 14:00:00" in out
    assert "185.97° S" in out and "43.14°" in out
    assert "turn the LNB 4.6° clockwise" in out
    assert "held at station" in out  # three months after the bundled epoch
    # and so the elements are stale: one warning line, like `passes` (was: none)
    assert result.stderr.splitlines() == [
        "warning: the elements of AZERSPACE 1 (39079) are stale (94.8 days old at the time "
        'asked): run "passpredict tle refresh"'
    ]


def test_geo_json_carries_units_and_utc(home):
    result = run(geo_command, ["az1", "--at", "2026-08-22T18:00Z", "--format", "json"], home)
    data = json.loads(result.stdout)
    assert data["time"] == "2026-08-22T18:00:00.000Z"
    assert data["azimuth_deg"] == pytest.approx(185.97, abs=0.01)
    assert data["elevation_deg"] == pytest.approx(43.13, abs=0.01)
    assert data["observer"]["name"] == "Baku"
    assert data["elements"]["epoch"].endswith("Z")
    assert data["station_kept"] is False and data["note"] is None
    for key in ("range_km", "polarisation_skew_deg", "subsatellite_longitude_deg"):
        assert key in data


def test_geo_csv(home):
    result = run(geo_command, ["43632", "--format", "csv", "--observer", "baku"], home)
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["satellite"] == "AZERSPACE 2 (IS-38)"
    assert float(row["azimuth_deg"]) == pytest.approx(187.3, abs=0.1)


def test_geo_below_the_horizon(home):
    result = run(geo_command, ["az1", "--lat", "38.58", "--lon", "-121.49", "--utc"], home)
    assert result.exit_code == 0
    assert "Below the horizon" in result.stdout
    json_result = run(
        geo_command, ["az1", "--lat", "38.58", "--lon", "-121.49", "--format", "json"], home
    )
    assert json.loads(json_result.stdout)["above_horizon"] is False


def test_geo_refuses_a_low_orbit_with_a_pointer_to_passes(home):
    result = run(geo_command, ["spot7"], home)
    assert result.exit_code == 2
    assert "not geostationary" in result.stderr and "passpredict passes 40053" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_outage_seasons_for_baku(outages_json):
    data = outages_json
    assert [s["name"] for s in data["seasons"]] == ["autumn 2026", "spring 2027"]
    autumn, spring = data["seasons"]
    assert [o["peak"][:10] for o in autumn["outages"]] == [
        "2026-10-07",
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
        "2026-10-11",
    ]
    assert autumn["closest"].startswith("2026-10-09T08:45")
    assert autumn["min_separation_deg"] == pytest.approx(0.044, abs=0.002)
    assert spring["first_start"].startswith("2027-03-02T09:08")
    assert data["threshold_deg"] == pytest.approx(1.014, abs=0.001)
    assert data["half_power_beamwidth_deg"] == pytest.approx(1.495, abs=0.001)
    assert data["station_kept"] is True and "held at station" in data["note"]
    outage = autumn["outages"][0]
    assert outage["start"].endswith("Z")
    assert {"duration_s", "min_separation_deg", "azimuth_deg", "elevation_deg"} <= set(outage)


def test_outage_table_in_local_time(home):
    args = ["az1", "--start", "2026-10-08T00:00+04:00", "--days", "2", "--dish-m", "2.4"]
    result = run(sun_outages_command, args, home)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "half the 0.75° half-power beamwidth (70 λ/D) of a 2.4 m dish at 11.7 GHz" in out
    assert "Autumn 2026 (within the window): 2 days" in out
    # peak 08:45:36.64 UTC, rounded to the second (it printed 12:45:36, truncated, before)
    assert "Thu 08 Oct 2026" in out and "12:45:37" in out
    utc = run(sun_outages_command, [*args, "--utc"], home)
    assert "08:45:37" in utc.stdout


def test_outage_csv_rows(home):
    args = ["az1", "--start", "2026-10-01T00:00Z", "--end", "2026-10-20T00:00Z"]
    result = run(sun_outages_command, [*args, "--threshold-deg", "0.5", "--format", "csv"], home)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["peak"][:10] for r in rows] == ["2026-10-08", "2026-10-09", "2026-10-10"]
    assert {r["season"] for r in rows} == {"autumn 2026"}
    assert all(float(r["min_separation_deg"]) < 0.5 for r in rows)


def test_no_outage_is_a_success(home):
    args = ["az1", "--start", "2026-12-01T00:00Z", "--days", "5"]
    result = run(sun_outages_command, args, home)
    assert result.exit_code == 0
    assert "No outage" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--threshold-deg", "1", "--dish-m", "2"], "excludes --dish-m"),
        (["--days", "3", "--end", "2026-12-01T00:00Z"], "exclude each other"),
        (["--start", "2026-12-01T00:00"], "has no time zone"),
        (["--threshold-deg", "15"], "15"),
        (["--lat", "40"], "--lat and --lon go together"),
        (["--tz", "Mars/Olympus"], "unknown time zone"),
        (["--tz", "UTC", "--utc"], "exclude each other"),
    ],
)
def test_usage_errors(home, args, message):
    result = run(sun_outages_command, ["az1", *args], home)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_element_file_is_a_runtime_error(home, tmp_path):
    bad = tmp_path / "bad.tle"
    bad.write_text("AZERSPACE 1\n1 39079U nonsense\n2 39079 nonsense\n")
    result = run(geo_command, ["39079", "--tle-file", str(bad)], home)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:")
    assert "Traceback" not in result.output


def test_the_element_file_is_used(home):
    result = run(geo_command, ["39079", "--tle-file", str(SERIES), "--format", "json"], home)
    data = json.loads(result.stdout)
    assert data["elements"]["epoch"].startswith("2026-08-22T15:09")
    assert data["elements"]["source"].endswith("azerspace-1_39079_2026.tle")


def test_eclipse_season_for_azerspace_1(eclipses_json):
    data = eclipses_json
    assert data["orbit"] == "geostationary"
    autumn = data["seasons"][0]
    assert autumn["name"] == "autumn 2026"
    assert autumn["days"] == 47
    assert autumn["first_eclipse"].startswith("2026-08-30T20:49")
    assert autumn["last_eclipse"].startswith("2026-10-15T20:34")
    assert autumn["longest"]["penumbra_entry"].startswith("2026-09-22")
    assert autumn["longest_duration_s"] == pytest.approx(4304, abs=2)
    assert autumn["longest_umbra_duration_s"] == pytest.approx(4049, abs=2)
    assert data["seasons"][1]["name"] == "spring 2027"
    first = data["eclipses"][0]
    assert first["umbra_entry"] is None  # the season opens with a penumbral eclipse
    assert data["station_kept"] is True


def test_eclipse_summary_table(home):
    args = ["az1", "--start", "2026-08-22T00:00Z", "--summary"]
    result = run(eclipses_command, args, home)
    out = result.stdout
    assert "Autumn 2026 eclipse season: 47 days, first Mon 31 Aug 2026 00:49" in out
    # 20:12:50.4 to 21:24:34.7 UTC: the printed times 20:12:50 and 21:24:35 are 1h11m45s
    # apart (the exact 4304.3 s printed as 1h11m44s before times were rounded)
    assert "longest 1h11m45s (umbra 1h07m29s) on Wed 23 Sep" in out
    assert "Penumbra in" not in out


def test_low_orbit_eclipses_per_orbit(home):
    args = ["spot7", "--start", "2026-05-30T00:00Z", "--format", "csv"]
    result = run(eclipses_command, args, home)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 15  # 14.6 orbits a day
    assert all(1900 < float(r["umbra_duration_s"]) < 2100 for r in rows)
    table = run(eclipses_command, ["spot7", "--start", "2026-05-30T00:00Z", "--utc"], home)
    assert "Sat 30 May 2026 │ 00:21:07" in table.stdout  # 00:21:06.84 rounded (was truncated)
