"""`passes`: every pass carries `time_uncertainty_s` (JSON, JSON Lines, CSV) and `±N s` in the
table past a second, computed here again from each pass's set age with `uncertainty.py`."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from passpredict.cli.root import main
from passpredict.products.uncertainty import time_uncertainty_s
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data"
SPOT7 = DATA / "visibility" / "spot7_40053_2026-05-30.tle"
AZERSPACE1 = DATA / "geo" / "azerspace-1_39079_2026.tle"
BAKU = ["--lat", "40.4093", "--lon", "49.8671"]


def run(tmp_path, *args):
    result = CliRunner().invoke(
        main, ["passes", *BAKU, *args], env={"PASSPREDICT_HOME": str(tmp_path), "COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _expected_s(element_set, culmination: str) -> float:
    """The calibrated error bar for the set's age at culmination, rounded as the output is."""
    age_days = (_utc(culmination) - element_set.epoch_utc).total_seconds() / 86400.0
    value = time_uncertainty_s(element_set, age_days)
    assert value is not None
    return round(value, 2)


def _passes(tmp_path, start: str, days: str = "2") -> list[dict]:
    doc = json.loads(
        run(
            tmp_path, "--tle-file", str(SPOT7), "--start", start, "--days", days, "--format", "json"
        )
    )
    assert doc["passes"]
    return doc["passes"]


def test_json_values_are_the_calibration_at_each_pass_age(tmp_path):
    (spot7,) = read_file(SPOT7)
    for item in _passes(tmp_path, "2026-05-30T18:00Z"):
        assert item["time_uncertainty_s"] == _expected_s(spot7, item["culmination"]["time"])


def test_an_older_set_gives_a_larger_error_bar(tmp_path):
    fresh = _passes(tmp_path, "2026-05-30T18:00Z")
    old = _passes(tmp_path, "2026-06-20T18:00Z")  # three weeks after the epoch
    assert max(p["time_uncertainty_s"] for p in fresh) < 1.0
    assert min(p["time_uncertainty_s"] for p in old) > 5 * max(
        p["time_uncertainty_s"] for p in fresh
    )
    (spot7,) = read_file(SPOT7)
    for item in old:
        assert item["time_uncertainty_s"] == _expected_s(spot7, item["culmination"]["time"])


def test_csv_and_jsonl_carry_the_same_values(tmp_path):
    args = ["--tle-file", str(SPOT7), "--start", "2026-06-20T18:00Z", "--days", "2"]
    want = [
        p["time_uncertainty_s"]
        for p in json.loads(run(tmp_path, *args, "--format", "json"))["passes"]
    ]
    rows = list(csv.DictReader(io.StringIO(run(tmp_path, *args, "--format", "csv"))))
    assert list(rows[0])[-1] == "time_uncertainty_s"  # appended, the other columns in place
    assert [float(r["time_uncertainty_s"]) for r in rows if r["kind"] == "pass"] == want
    lines = [json.loads(x) for x in run(tmp_path, *args, "--format", "jsonl").splitlines()]
    assert [x["time_uncertainty_s"] for x in lines if x["type"] == "pass"] == want


def test_table_shows_the_error_bar_past_a_second_only(tmp_path):
    fresh = run(tmp_path, "--tle-file", str(SPOT7), "--start", "2026-05-30T18:00Z", "--days", "2")
    assert "±" not in fresh
    old_args = ["--tle-file", str(SPOT7), "--start", "2026-06-20T18:00Z", "--days", "2"]
    table = run(tmp_path, *old_args)
    values = [p["time_uncertainty_s"] for p in _passes(tmp_path, "2026-06-20T18:00Z")]
    assert "Times ±" in table
    for value in values:
        assert f"±{value:,.0f} s" in table


def test_geostationary_passes_have_no_number(tmp_path):
    """GEO sets are outside the pass-time calibration (their error is pointing, in `geo`)."""
    doc = json.loads(
        run(
            tmp_path,
            "--tle-file",
            str(AZERSPACE1),
            "--start",
            "2026-08-22T00:00Z",
            "--days",
            "1",
            "--min-elevation",
            "43.12",
            "--format",
            "json",
        )
    )
    assert doc["passes"]  # the daily wobble crosses 43.12 deg
    assert all(p["time_uncertainty_s"] is None for p in doc["passes"])
