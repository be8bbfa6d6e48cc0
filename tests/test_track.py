"""track(): look angles and range rate on a time grid, against Skyfield; the `track` command."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from skyfield.api import EarthSatellite, wgs84

from passpredict.cli.track import track_command
from passpredict.products.track import MAX_TRACK_SAMPLES, sample_seconds, track
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "visibility"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
SPOT7_FILE = str(DATA / "spot7_40053_2026-05-30.tle")
#: A SPOT 7 pass over Baku (rise 17:19:20 UTC, culmination 17:23:45, 43 deg).
PASS_START = datetime(2026, 5, 30, 17, 19, tzinfo=UTC)
ANGLE_TOLERANCE_DEG = 2e-4  # ~1 arcsec: GMST 1982 vs Skyfield's full model (anchors.md)


@pytest.fixture(scope="module")
def spot7():
    (es,) = read_file(DATA / "spot7_40053_2026-05-30.tle")
    return es


def run(*args: str):
    result = CliRunner().invoke(track_command, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_track_agrees_with_skyfield(spot7, timescale):
    (t,) = track(
        spot7, [BAKU], PASS_START, PASS_START + timedelta(minutes=10), 30.0, timescale=timescale
    )
    assert len(t) == 21 and t.ok.all()
    sat = EarthSatellite(*spot7.tle_lines, spot7.name, timescale)
    topos = wgs84.latlon(BAKU.latitude_deg, BAKU.longitude_deg, BAKU.elevation_m)
    when = timescale.from_datetimes(t.times_utc())
    el, az, distance, _, _, rate = (sat - topos).at(when).frame_latlon_and_rates(topos)
    assert t.elevation_deg == pytest.approx(el.degrees, abs=ANGLE_TOLERANCE_DEG)
    assert np.abs((t.azimuth_deg - az.degrees + 180.0) % 360.0 - 180.0).max() < 1e-3
    assert t.range_km == pytest.approx(distance.km, abs=0.01)
    assert t.range_rate_km_s == pytest.approx(rate.km_per_s, abs=2e-4)


def test_sample_grid_includes_the_end_when_it_falls_on_a_step():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert list(sample_seconds(start, start + timedelta(seconds=30), 10.0)) == [0, 10, 20, 30]
    assert list(sample_seconds(start, start + timedelta(seconds=35), 10.0)) == [0, 10, 20, 30]
    with pytest.raises(ValueError, match="step_s must be positive"):
        sample_seconds(start, start, 0.0)
    with pytest.raises(ValueError, match="must end after it starts"):
        sample_seconds(start, start - timedelta(seconds=1), 1.0)
    with pytest.raises(ValueError, match=f"the limit is {MAX_TRACK_SAMPLES:,}"):
        sample_seconds(start, start + timedelta(days=30), 0.1)
    with pytest.raises(ValueError, match="no time zone"):
        sample_seconds(start.replace(tzinfo=None), start, 1.0)


def test_track_command_json_csv_and_table():
    common = ["spot7", "--tle-file", SPOT7_FILE, "--start", "2026-05-30T17:19:00Z"]
    result = run(*common, "--minutes", "10", "--step", "60", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["satellite"] == {"name": "SPOT 7", "norad_id": 40053}
    (only,) = data["tracks"]
    assert only["observer"]["name"] == "Baku"
    samples = only["samples"]
    assert len(samples) == 11 and samples[0]["time"] == "2026-05-30T17:19:00.000Z"
    assert set(samples[0]) == {
        "time",
        "azimuth_deg",
        "elevation_deg",
        "range_km",
        "range_rate_km_s",
    }
    # approaching, then receding
    assert samples[0]["range_rate_km_s"] < 0 < samples[-1]["range_rate_km_s"]

    result = run(*common, "--minutes", "10", "--format", "csv", "--frequency-mhz", "437.5")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 61 and rows[0]["satellite"] == "SPOT 7"
    assert float(rows[0]["doppler_hz"]) > 9000 and float(rows[-1]["doppler_hz"]) < -9000

    above = run(*common, "--minutes", "30", "--min-elevation", "40", "--format", "json")
    kept = json.loads(above.stdout)["tracks"][0]["samples"]
    assert kept and all(s["elevation_deg"] >= 40 for s in kept)

    table = run(*common, "--minutes", "2", "--step", "60", "--frequency-mhz", "145.8")
    assert table.exit_code == 0
    assert "Asia/Baku (UTC+04:00)" in table.stdout and "21:19:00" in table.stdout
    assert "Doppler Hz at 145.8 MHz" in table.stdout


def test_track_command_defaults_and_observers():
    # no --start: "now", read once by the command; the bundled set may be stale: a warning
    result = run("spot7", "--minutes", "1", "--format", "json", "--lat", "0", "--lon", "0")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [t["observer"]["name"] for t in data["tracks"]] == ["0.0000N 0.0000E"]
    assert len(data["tracks"][0]["samples"]) == 7


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["spot7", "--start", "2026-05-30T17:19"], 2, "no time zone"),
        (["spot7", "--minutes", "1", "--end", "2026-05-30T18:00Z"], 2, "exclude each other"),
        (["spot7", "--step", "0"], 2, "--step"),
        (["no-such-sat"], 2, "unknown satellite"),
        (["spot7", "--lat", "40"], 2, "--lat and --lon go together"),
        (["spot7", "--minutes", "100000", "--step", "0.01"], 1, "use a longer step"),
        (["spot7", "--tz", "UTC", "--utc"], 2, "exclude each other"),
    ],
)
def test_bad_input_is_one_clean_line(args, code, message):
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""


def test_track_command_has_help():
    result = run("--help")
    assert result.exit_code == 0 and "--frequency-mhz" in result.stdout
