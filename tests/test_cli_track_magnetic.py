"""`track --magnetic`: the compass bearing of each sample, against `magnetic.declination`
evaluated here again at each sample's time and place (WMM2025, checked in test_magnetic.py)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from passpredict.cli.root import main
from passpredict.products.magnetic import declination

SPOT7 = str(Path(__file__).parent / "data" / "visibility" / "spot7_40053_2026-05-30.tle")
QUERY = ["spot7", "--tle-file", SPOT7, "--start", "2026-05-30T18:58Z", "--minutes", "6"]
SAME_DEG = 1.5e-3  # the output's rounding (0.001 deg) and the model's interpolation


def run(tmp_path, *args):
    return CliRunner().invoke(
        main, ["track", *args], env={"PASSPREDICT_HOME": str(tmp_path), "COLUMNS": "120"}
    )


def ok(tmp_path, *args) -> str:
    result = run(tmp_path, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_samples_are_true_azimuth_minus_the_model_declination(tmp_path):
    doc = json.loads(
        ok(
            tmp_path,
            *QUERY,
            "--observer",
            "Baku",
            "--lat",
            "69.65",
            "--lon",
            "18.96",
            "--magnetic",
            "--format",
            "json",
        )
    )
    assert len(doc["tracks"]) == 2
    for track in doc["tracks"]:
        place = track["observer"]
        at = (place["latitude_deg"], place["longitude_deg"], place["elevation_m"])
        samples = track["samples"]
        assert len(samples) == 37
        for sample in samples[::6]:
            when = datetime.fromisoformat(sample["time"].replace("Z", "+00:00"))
            d = declination(*at, when).declination_deg
            assert sample["declination_deg"] == pytest.approx(d, abs=SAME_DEG)
            want = (sample["azimuth_deg"] - d) % 360.0
            assert sample["azimuth_magnetic_deg"] == pytest.approx(want, abs=SAME_DEG)
    baku, tromso = (t["samples"][0]["declination_deg"] for t in doc["tracks"])
    assert 6.0 < baku < 7.0 and tromso != pytest.approx(baku, abs=1.0)


def test_csv_has_the_columns_beside_the_azimuth(tmp_path):
    doc = json.loads(ok(tmp_path, *QUERY, "--magnetic", "--format", "json"))
    rows = list(csv.DictReader(io.StringIO(ok(tmp_path, *QUERY, "--magnetic", "--format", "csv"))))
    fields = list(rows[0])
    at = fields.index("azimuth_deg")
    assert fields[at + 1 : at + 3] == ["azimuth_magnetic_deg", "declination_deg"]
    samples = doc["tracks"][0]["samples"]
    assert [float(r["azimuth_magnetic_deg"]) for r in rows] == [
        s["azimuth_magnetic_deg"] for s in samples
    ]


def test_table_column_and_default_unchanged(tmp_path):
    doc = json.loads(ok(tmp_path, *QUERY, "--magnetic", "--format", "json"))
    table = ok(tmp_path, *QUERY, "--magnetic")
    assert "Compass (WMM2025)" in table
    assert f"{doc['tracks'][0]['samples'][0]['azimuth_magnetic_deg']:.2f}°" in table
    assert "Compass" not in ok(tmp_path, *QUERY)
    assert "magnetic" not in ok(tmp_path, *QUERY, "--format", "json")
    assert "magnetic" not in ok(tmp_path, *QUERY, "--format", "csv")


def test_outside_the_model_dates_and_in_the_blackout_zone(tmp_path):
    old = run(
        tmp_path,
        "spot7",
        "--tle-file",
        SPOT7,
        "--start",
        "2024-06-01T00:00Z",
        "--minutes",
        "1",
        "--magnetic",
        "--format",
        "json",
    )
    assert old.exit_code == 0, old.output
    assert old.stderr.count("World Magnetic Model") == 1
    samples = json.loads(old.stdout)["tracks"][0]["samples"]
    assert all(s["azimuth_magnetic_deg"] is None for s in samples)
    pole = run(tmp_path, *QUERY, "--lat", "86.5", "--lon", "150", "--magnetic")
    assert pole.exit_code == 2
    assert "blackout zone" in pole.stderr and "Traceback" not in pole.output
