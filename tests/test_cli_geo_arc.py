"""`geo --arc`: the geostationary arc from Baku, against Skyfield's altaz of each object."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from skyfield.api import EarthSatellite, load, wgs84

from passpredict.cli.geo import geo_command
from tle_cache.parse import read_file

BELT = Path(__file__).parent / "data" / "geo" / "geo_belt_36E-56E_2026-08-22.tle"
AT = "2026-08-23T00:00Z"
ARC = ["--arc", "--tle-file", str(BELT), "--at", AT]


def run(args, tmp_path):
    return CliRunner().invoke(geo_command, args, env={"PASSPREDICT_HOME": str(tmp_path)})


def _unit(alt_deg: float, az_deg: float) -> np.ndarray:
    el, az = math.radians(alt_deg), math.radians(az_deg)
    return np.array([math.cos(el) * math.sin(az), math.cos(el) * math.cos(az), math.sin(el)])


@pytest.fixture(scope="module")
def arc_json(tmp_path_factory):
    result = run(
        [*ARC, "--near", "AZERSPACE 1", "--offset-deg", "22.3", "--format", "json"],
        tmp_path_factory.mktemp("home"),
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_arc_matches_skyfield_altaz_and_angles(arc_json):
    ts = load.timescale(builtin=True)
    t = ts.utc(2026, 8, 23)
    obs = arc_json["observer"]
    here = wgs84.latlon(obs["latitude_deg"], obs["longitude_deg"], obs["elevation_m"])
    sets = {es.norad_id: es for es in read_file(BELT)}

    def altaz(norad_id):
        alt, az, _ = (EarthSatellite(*sets[norad_id].tle_lines, ts=ts) - here).at(t).altaz()
        return alt.degrees, az.degrees

    target = _unit(*altaz(39079))
    rows = arc_json["satellites"]
    assert len(rows) == 33 and sum(r["target"] for r in rows) == 1
    for row in rows:
        alt, az = altaz(row["norad_id"])
        assert row["elevation_deg"] == pytest.approx(alt, abs=2e-3)
        assert row["azimuth_deg"] == pytest.approx(az, abs=2e-3)
        u = _unit(alt, az)
        angle = math.degrees(math.atan2(np.linalg.norm(np.cross(u, target)), u @ target))
        assert row["separation_deg"] == pytest.approx(angle, abs=2e-3)
        assert row["dish_face_elevation_deg"] == pytest.approx(alt - 22.3, abs=2e-3)
    longitudes = [r["subsatellite_longitude_deg"] for r in rows]
    assert longitudes == sorted(longitudes)  # west to east (all east of the antimeridian here)
    azerspace2 = next(r for r in rows if r["norad_id"] == 43632)
    assert 0.8 < azerspace2["separation_deg"] < 1.3  # the neighbour a degree away


def test_csv_rows_equal_json(arc_json, tmp_path):
    result = run(
        [*ARC, "--near", "AZERSPACE 1", "--offset-deg", "22.3", "--format", "csv"], tmp_path
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(r["norad_id"]) for r in rows] == [r["norad_id"] for r in arc_json["satellites"]]
    for row, doc in zip(rows, arc_json["satellites"], strict=True):
        assert float(row["separation_deg"]) == doc["separation_deg"]


def test_each_pointing_carries_its_error_from_the_age_of_its_set(arc_json):
    """The arc's rows give the expected pointing error as `geo` does: the shipped calibration's
    GEO bins (passpredict/data/time_uncertainty.json, p90) interpolated in log-log at each
    set's age at --at, computed here from the table and the TLE epochs."""
    table = json.loads(
        (Path(__file__).parents[1] / "passpredict" / "data" / "time_uncertainty.json").read_text()
    )
    bins = table["geo"]["bins"]
    at = datetime(2026, 8, 23, tzinfo=UTC)
    sets = {es.norad_id: es for es in reversed(read_file(BELT))}
    for row in arc_json["satellites"]:
        age_days = abs((at - sets[row["norad_id"]].epoch_utc).total_seconds()) / 86400.0
        want = 10 ** np.interp(
            math.log10(max(age_days, 1e-3)),
            np.log10([b["age_days"] for b in bins]),
            np.log10([b["p90"] for b in bins]),
        )
        assert row["pointing_uncertainty_deg"] == pytest.approx(want, abs=6e-4)
        assert row["pointing_uncertainty_deg"] > 0


def test_table_names_the_target(tmp_path):
    result = run([*ARC, "--near", "39079"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "▶ AZERSPACE 1" in result.stdout and "Separation" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([*ARC, "--near", "no-such-sat"], "'--near'"),
        ([*ARC, "--offset-deg", "nan"], "'--offset-deg'"),
        ([*ARC, "--offset-deg", "50"], "'--offset-deg'"),
        (["39079", "--near", "39079"], "--near goes with --arc"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, words, tmp_path):
    result = run(args, tmp_path)
    assert result.exit_code == 2
    (error,) = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert words in error  # the whole message on that one line
    assert "Traceback" not in result.output
