"""`geo`: the pointing error bar for the set's age (`pointing_uncertainty_deg`), computed here
again with `uncertainty.geo_pointing_uncertainty_deg` from the set and the time asked."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from passpredict.cli.geo import geo_command
from passpredict.products.uncertainty import geo_pointing_uncertainty_deg
from tle_cache.parse import read_file

AZERSPACE1 = Path(__file__).parent / "data" / "geo" / "azerspace-1_39079_2026.tle"


def run(tmp_path, at: str, *args) -> str:
    result = CliRunner().invoke(
        geo_command,
        ["39079", "--tle-file", str(AZERSPACE1), "--at", at, *args],
        env={"PASSPREDICT_HOME": str(tmp_path), "COLUMNS": "120"},
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _expected(at: str) -> float:
    (es,) = read_file(AZERSPACE1)[-1:]
    when = datetime.fromisoformat(at.replace("Z", "+00:00"))
    value = geo_pointing_uncertainty_deg(es, es.age_days(when))
    assert value is not None
    return round(value, 3)


def test_json_and_csv_carry_the_calibrated_value_for_the_age(tmp_path):
    for at in ("2026-08-23T00:00Z", "2026-10-01T00:00Z"):
        doc = json.loads(run(tmp_path, at, "--format", "json"))
        assert doc["pointing_uncertainty_deg"] == _expected(at)
        (row,) = csv.DictReader(io.StringIO(run(tmp_path, at, "--format", "csv")))
        assert list(row)[-1] == "pointing_uncertainty_deg"  # appended: no column moves
        assert float(row["pointing_uncertainty_deg"]) == _expected(at)


def test_older_elements_point_worse_and_the_table_says_so(tmp_path):
    fresh = json.loads(run(tmp_path, "2026-08-23T00:00Z", "--format", "json"))
    old = json.loads(run(tmp_path, "2026-10-01T00:00Z", "--format", "json"))
    assert old["pointing_uncertainty_deg"] > fresh["pointing_uncertainty_deg"]
    table = run(tmp_path, "2026-10-01T00:00Z")
    assert f"±{old['pointing_uncertainty_deg']:.3f}°" in table and "Pointing error" in table


def test_past_the_calibrated_ages_there_is_no_number(tmp_path):
    doc = json.loads(run(tmp_path, "2027-06-01T00:00Z", "--format", "json"))
    assert doc["pointing_uncertainty_deg"] is None
    assert "Pointing error" not in run(tmp_path, "2027-06-01T00:00Z")
