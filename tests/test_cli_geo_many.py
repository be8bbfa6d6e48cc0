"""`geo` with several satellites and observers: one row per pair, each as its own call gives."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from skyfield.api import EarthSatellite, load, wgs84

from passpredict.cli.geo import geo_command
from tle_cache.parse import read_file

BELT = Path(__file__).parent / "data" / "geo" / "geo_belt_36E-56E_2026-08-22.tle"
COMMON = ["--tle-file", str(BELT), "--at", "2026-08-23T00:00Z"]
SATS = ["39079", "43632"]
PLACES = ["Baku", "Ganja"]


def run(args, tmp_path):
    return CliRunner().invoke(geo_command, args, env={"PASSPREDICT_HOME": str(tmp_path)})


def _many(fmt, tmp_path, *extra):
    places = [x for p in PLACES for x in ("--observer", p)]
    result = run([*SATS, *places, *COMMON, *extra, "--format", fmt], tmp_path)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_is_one_document_per_pair_as_single_calls(tmp_path):
    docs = json.loads(_many("json", tmp_path))
    assert [(d["observer"]["name"], str(d["norad_id"])) for d in docs] == [
        (p, s) for p in PLACES for s in SATS
    ]
    for doc in docs:
        single = run(
            [
                str(doc["norad_id"]),
                "--observer",
                doc["observer"]["name"],
                *COMMON,
                "--format",
                "json",
            ],
            tmp_path,
        )
        assert json.loads(single.stdout) == doc


def test_rows_match_skyfield_altaz(tmp_path):
    rows = list(csv.DictReader(io.StringIO(_many("csv", tmp_path, "--offset-deg", "22.3"))))
    assert len(rows) == 4
    docs = json.loads(_many("json", tmp_path))
    ts = load.timescale(builtin=True)
    t = ts.utc(2026, 8, 23)
    sets = {es.norad_id: es for es in read_file(BELT)}
    for row, doc in zip(rows, docs, strict=True):
        o = doc["observer"]
        here = wgs84.latlon(o["latitude_deg"], o["longitude_deg"], o["elevation_m"])
        sat = EarthSatellite(*sets[int(row["norad_id"])].tle_lines, ts=ts)
        alt, az, _ = (sat - here).at(t).altaz()
        assert float(row["elevation_deg"]) == pytest.approx(alt.degrees, abs=2e-3)
        assert float(row["azimuth_deg"]) == pytest.approx(az.degrees, abs=2e-3)
        assert float(row["dish_face_elevation_deg"]) == pytest.approx(alt.degrees - 22.3, abs=2e-3)


def test_table_has_one_block_each(tmp_path):
    text = _many("table", tmp_path)
    assert text.count("(NORAD 39079) from") == 2 and text.count("(NORAD 43632) from") == 2
