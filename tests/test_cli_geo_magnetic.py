"""`geo --magnetic`: the compass bearing beside the true azimuth, from magnetic.py's WMM2025."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from passpredict.cli.geo import geo_command
from passpredict.products.magnetic import declination

AZERSPACE1 = str(Path(__file__).parent / "data" / "geo" / "azerspace-1_39079_2026.tle")
AT = "2026-08-22T00:00Z"
WHEN = datetime(2026, 8, 22, tzinfo=UTC)
QUERY = ["39079", "--tle-file", AZERSPACE1, "--at", AT]


def run(args, tmp_path):
    return CliRunner().invoke(geo_command, args, env={"PASSPREDICT_HOME": str(tmp_path)})


def test_json_gives_true_minus_declination_for_baku(tmp_path):
    result = run([*QUERY, "--magnetic", "--format", "json"], tmp_path)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    observer = doc["observer"]
    # magnetic.py's model (checked against the WMM2025 test values in test_magnetic.py)
    expected = declination(
        observer["latitude_deg"], observer["longitude_deg"], observer["elevation_m"], WHEN
    ).declination_deg
    assert 5.5 < expected < 7.5  # the "about +6 deg" for Baku
    assert doc["declination_deg"] == pytest.approx(expected, abs=1e-3)
    assert doc["azimuth_magnetic_deg"] == pytest.approx(doc["azimuth_deg"] - expected, abs=2e-3)


def test_csv_has_the_column_beside_the_true_azimuth(tmp_path):
    result = run([*QUERY, "--magnetic", "--format", "csv"], tmp_path)
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    fields = list(row)
    assert fields[fields.index("azimuth_deg") + 1] == "azimuth_magnetic_deg"
    assert float(row["azimuth_magnetic_deg"]) == pytest.approx(
        float(row["azimuth_deg"]) - float(row["declination_deg"]), abs=2e-3
    )


def test_table_row_and_default_unchanged(tmp_path):
    with_flag = run([*QUERY, "--magnetic"], tmp_path)
    without = run(QUERY, tmp_path)
    assert with_flag.exit_code == 0 and without.exit_code == 0
    assert "Azimuth (magnetic)" in with_flag.stdout and "declination +6." in with_flag.stdout
    assert "magnetic" not in without.stdout
    plain = json.loads(run([*QUERY, "--format", "json"], tmp_path).stdout)
    assert "azimuth_magnetic_deg" not in plain


def test_blackout_zone_is_one_line_exit_2(tmp_path):
    result = run(
        [*QUERY, "--lat", "86.5", "--lon", "150", "--magnetic", "--format", "json"], tmp_path
    )
    assert result.exit_code == 2
    assert "blackout zone" in result.stderr and "drop --magnetic" in result.stderr
    assert "Traceback" not in result.output


def test_date_outside_the_model_warns_once_and_gives_the_true_azimuth(tmp_path):
    """Before WMM2025 (2024-11-13) there is no declination: one warning, null bearings."""
    result = run(
        [
            "39079",
            "--tle-file",
            AZERSPACE1,
            "--at",
            "2024-06-01T00:00Z",
            "--magnetic",
            "--format",
            "json",
        ],
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.count("World Magnetic Model") == 1
    doc = json.loads(result.stdout)
    assert doc["azimuth_magnetic_deg"] is None and doc["declination_deg"] is None
    assert 185.0 < doc["azimuth_deg"] < 187.0
    table = run(
        ["39079", "--tle-file", AZERSPACE1, "--at", "2024-06-01T00:00Z", "--magnetic"], tmp_path
    )
    assert table.exit_code == 0 and "Azimuth (magnetic)" not in table.stdout
