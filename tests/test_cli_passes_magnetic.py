"""`passes --magnetic`: compass bearings at each pass point, against the World Magnetic Model
evaluated here again, point by point, with `magnetic.declination` (one place, one instant;
checked against the WMM2025 test values in test_magnetic.py)."""

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
from passpredict.runs import batch

DATA = Path(__file__).parent / "data"
SPOT7 = str(DATA / "visibility" / "spot7_40053_2026-05-30.tle")
RESOURCE = str(DATA / "celestrak" / "resource_2026-05-30.tle")
QUERY = ["--tle-file", SPOT7, "--start", "2026-05-30T18:00Z", "--days", "2"]
#: The output rounds to 0.001 deg; the declination is interpolated over a day (4e-7 deg).
SAME_DEG = 1.5e-3


def run(tmp_path, *args):
    return CliRunner().invoke(
        main, ["passes", *args], env={"PASSPREDICT_HOME": str(tmp_path), "COLUMNS": "150"}
    )


def ok(tmp_path, *args) -> str:
    result = run(tmp_path, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _check_document(doc: dict, every: int = 1) -> int:
    """Check every point of every `every`-th pass against the model; return how many."""
    places = {o["name"]: o for o in doc["observers"]}
    checked = 0
    for item in doc["passes"][::every]:
        place = places[item["observer"]]
        at = (place["latitude_deg"], place["longitude_deg"], place["elevation_m"])
        for which in ("rise", "culmination", "set"):
            point = item[which]
            if point is None:
                continue
            d = declination(*at, _utc(point["time"])).declination_deg
            want = (point["azimuth_deg"] - d) % 360.0
            assert point["azimuth_magnetic_deg"] == pytest.approx(want, abs=SAME_DEG)
            if which == "culmination":
                assert item["declination_deg"] == pytest.approx(d, abs=SAME_DEG)
            checked += 1
    return checked


def _bearings(passes) -> dict:
    return {
        (p["satellite"], p["observer"], p["culmination"]["time"]): (
            p["culmination"]["azimuth_magnetic_deg"],
            p["declination_deg"],
        )
        for p in passes
    }


def test_json_points_are_true_azimuth_minus_the_model_declination(tmp_path):
    doc = json.loads(ok(tmp_path, *QUERY, "--magnetic", "--format", "json"))
    assert _check_document(doc) >= 10
    # Baku: about +6.5 deg east, the "about +6 deg"
    assert all(6.0 < p["declination_deg"] < 7.0 for p in doc["passes"])


def test_two_observers_in_chunks_stream_the_same_bearings(tmp_path, monkeypatch):
    args = [
        *("--tle-file", RESOURCE, "--start", "2026-05-30T18:00Z", "--days", "1"),
        *("--observer", "Baku", "--lat", "69.65", "--lon", "18.96", "--magnetic"),
    ]
    whole = json.loads(ok(tmp_path, *args, "--format", "json"))
    assert {p["observer"] for p in whole["passes"]} == {"Baku", "69.6500N 18.9600E"}
    assert _check_document(whole, every=40) > 100  # a sample: the model costs 10 ms a call
    bearings = _bearings(whole["passes"])
    monkeypatch.setattr(batch, "DEFAULT_PREDICTION_CHUNK_CELLS", 20_000)
    chunked = json.loads(ok(tmp_path, *args, "--format", "json"))
    assert _bearings(chunked["passes"]) == bearings
    rows = list(csv.DictReader(io.StringIO(ok(tmp_path, *args, "--format", "csv"))))
    assert list(rows[0])[-4:] == [
        "rise_azimuth_magnetic_deg",
        "culmination_azimuth_magnetic_deg",
        "set_azimuth_magnetic_deg",
        "declination_deg",
    ]
    from_csv = {
        (r["satellite"], r["observer"], r["culmination_time"]): (
            float(r["culmination_azimuth_magnetic_deg"]),
            float(r["declination_deg"]),
        )
        for r in rows
        if r["kind"] == "pass"
    }
    assert from_csv == bearings


def test_csv_and_jsonl_match_the_json(tmp_path):
    doc = json.loads(ok(tmp_path, *QUERY, "--magnetic", "--format", "json"))
    lines = ok(tmp_path, *QUERY, "--magnetic", "--format", "jsonl").splitlines()
    passes = [json.loads(x) for x in lines if json.loads(x)["type"] == "pass"]
    assert [{k: v for k, v in p.items() if k != "type"} for p in passes] == doc["passes"]
    rows = list(csv.DictReader(io.StringIO(ok(tmp_path, *QUERY, "--magnetic", "--format", "csv"))))
    for row, item in zip(rows, doc["passes"], strict=True):
        for which in ("rise", "culmination", "set"):
            assert (
                float(row[f"{which}_azimuth_magnetic_deg"]) == (item[which]["azimuth_magnetic_deg"])
            )


def test_table_has_a_compass_column_and_default_is_unchanged(tmp_path):
    doc = json.loads(ok(tmp_path, *QUERY, "--magnetic", "--format", "json"))
    table = ok(tmp_path, *QUERY, "--magnetic")
    assert "Compass" in table and "WMM2025" in table
    first = doc["passes"][0]
    cell = " ".join(
        f"{first[w]['azimuth_magnetic_deg']:.0f}°" for w in ("rise", "culmination", "set")
    )
    assert cell in table
    assert "Compass" not in ok(tmp_path, *QUERY)
    plain = ok(tmp_path, *QUERY, "--format", "json")
    assert "magnetic" not in plain and "declination" not in plain


def test_window_outside_the_model_dates_warns_once_and_gives_true_azimuths(tmp_path):
    result = run(
        tmp_path,
        *("--tle-file", SPOT7, "--start", "2024-06-01T00:00Z", "--days", "1"),
        *("--magnetic", "--format", "json"),
    )
    assert result.exit_code == 0, result.output
    warnings = [x for x in result.stderr.splitlines() if "World Magnetic Model" in x]
    assert len(warnings) == 1 and "outside the validity" in warnings[0]
    doc = json.loads(result.stdout)
    assert doc["passes"]
    for item in doc["passes"]:
        assert item["declination_deg"] is None
        assert item["culmination"]["azimuth_magnetic_deg"] is None
        assert item["culmination"]["azimuth_deg"] is not None


def test_observer_in_the_blackout_zone_is_one_line_exit_2(tmp_path):
    result = run(tmp_path, *QUERY, "--lat", "86.5", "--lon", "150", "--magnetic")
    assert result.exit_code == 2
    assert "blackout zone" in result.stderr and "drop --magnetic" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_the_calendar_gives_the_compass_bearing_beside_the_true_azimuth(tmp_path):
    """`--format ics --magnetic`: each event's description names the compass bearing of its
    rise, culmination and set, the model's value at that instant (the calendar rounds to 1 deg)."""
    import icalendar

    document = json.loads(ok(tmp_path, *QUERY, "--format", "json"))
    calendar = icalendar.Calendar.from_ical(ok(tmp_path, *QUERY, "--format", "ics", "--magnetic"))
    events = calendar.walk("VEVENT")
    plain = ok(tmp_path, *QUERY, "--format", "ics")
    assert "compass" not in plain
    assert len(events) == len([p for p in document["passes"] if p["rise"] and p["set"]]) > 0
    baku = document["observers"][0]
    at = (baku["latitude_deg"], baku["longitude_deg"], baku["elevation_m"])
    by_start = {p["rise"]["time"][:19]: p for p in document["passes"] if p["rise"] and p["set"]}
    for event in events:
        item = by_start[event.decoded("DTSTART").strftime("%Y-%m-%dT%H:%M:%S")]
        text = str(event.get("DESCRIPTION"))
        for label, which in (("Rise", "rise"), ("Culmination", "culmination"), ("Set", "set")):
            point = item[which]
            d = declination(*at, _utc(point["time"])).declination_deg
            want = round((point["azimuth_deg"] - d) % 360.0) % 360
            line = next(x for x in text.splitlines() if x.startswith(label + ":"))
            got = int(line.split("(compass ")[1].split("°")[0]) % 360
            assert abs(got - want) in (0, 1, 359), line
