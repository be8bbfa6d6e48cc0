"""Ground tracks as GeoJSON (issue 14): checked against Skyfield's sub-satellite points."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from skyfield.api import EarthSatellite, wgs84

from passpredict.cli.plot import plot_group
from passpredict.engine.passes import find_passes
from passpredict.output.geojson_track import ground_track_geojson, split_at_antimeridian
from passpredict.records import Observer
from tle_cache.parse import read_file

ISS_FILE = Path(__file__).parent.parent / "examples" / "iss_25544_2026-08-22.tle"
START = datetime(2026, 8, 22, 20, tzinfo=UTC)
END = START + timedelta(hours=8)
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0)
#: Ours rotate TEME with GMST 1982, Skyfield goes through GCRS and ITRS: they agree to well
#: under an arcsecond at the sub-satellite point.
SUBPOINT_DEG = 1e-4


@pytest.fixture(scope="module")
def collection(timescale):
    (iss,) = read_file(ISS_FILE)
    return iss, ground_track_geojson(
        iss, [BAKU], START, END, timescale=timescale, min_elevation_deg=10.0, step_s=30.0
    )


def _kind(data, kind):
    return [f for f in data["features"] if f["properties"]["kind"] == kind]


def test_track_vertices_are_skyfields_subpoints(collection, timescale):
    iss, data = collection
    satellite = EarthSatellite(*iss.tle_lines, ts=timescale)
    checked = 0
    for feature in _kind(data, "ground_track"):
        coords = feature["geometry"]["coordinates"]
        start = datetime.fromisoformat(feature["properties"]["start_utc"])
        # Vertices on 180 deg are interpolated crossings; the others are the samples, every
        # 30 s from the piece's start.
        samples = [c for c in coords if abs(c[0]) != 180.0]
        for k, (lon, lat) in enumerate(samples[:5]):
            t = timescale.from_datetime(start + timedelta(seconds=30 * k))
            sub = wgs84.subpoint_of(satellite.at(t))
            assert lat == pytest.approx(sub.latitude.degrees, abs=SUBPOINT_DEG)
            assert ((lon - sub.longitude.degrees + 180) % 360) - 180 == pytest.approx(
                0, abs=SUBPOINT_DEG
            )
            checked += 1
    assert checked >= 20


def test_pieces_are_cut_at_the_antimeridian_and_join(collection):
    _, data = collection
    pieces = [f["geometry"]["coordinates"] for f in _kind(data, "ground_track")]
    assert len(pieces) >= 5  # eight hours of ISS cross 180 deg about five times
    for coords in pieces:
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in coords)
        assert all(abs(b[0] - a[0]) < 180 for a, b in itertools.pairwise(coords))
    for a, b in itertools.pairwise(pieces):
        assert abs(a[-1][0]) == 180.0 and b[0][0] == -a[-1][0]
        assert a[-1][1] == b[0][1]


def test_visible_parts_match_the_passes(collection, timescale):
    iss, data = collection
    passes = find_passes([iss], [BAKU], START, END, 10.0, timescale)
    visible = _kind(data, "visible")
    assert len(visible) == len(passes) > 0
    for feature, item in zip(visible, passes, strict=True):
        first = datetime.fromisoformat(feature["properties"]["start_utc"])
        last = datetime.fromisoformat(feature["properties"]["end_utc"])
        # the first and last samples above 10 deg: within one 30 s step inside rise and set
        assert timedelta(0) <= first - item.rise.time_utc <= timedelta(seconds=30)
        assert timedelta(0) <= item.set.time_utc - last <= timedelta(seconds=30)
        assert feature["properties"]["max_elevation_deg"] <= item.max_elevation_deg + 1e-6
    (observer,) = _kind(data, "observer")
    assert observer["geometry"]["coordinates"] == [49.8671, 40.4093]
    (coverage,) = _kind(data, "coverage")
    assert coverage["geometry"]["type"] == "MultiLineString"


def test_split_interpolates_the_crossing_latitude():
    (a, _), (b, _) = split_at_antimeridian(np.array([170.0, -170.0]), np.array([0.0, 10.0]))
    assert a == [[170.0, 0.0], [180.0, 5.0]]
    assert b == [[-180.0, 5.0], [-170.0, 10.0]]


def test_plot_track_geojson_to_stdout_and_to_a_file(tmp_path):
    args = [
        "track",
        "25544",
        "--tle-file",
        str(ISS_FILE),
        "--start",
        "2026-08-22T12:00Z",
        "--hours",
        "1",
    ]
    result = CliRunner().invoke(plot_group, [*args, "--format", "geojson"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["type"] == "FeatureCollection"
    output = tmp_path / "iss.geojson"
    result = CliRunner().invoke(plot_group, [*args, "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(output.read_text())["features"]
    assert result.stdout == ""
    bad = CliRunner().invoke(
        plot_group, [*args, "--format", "geojson", "-o", str(tmp_path / "x.png")]
    )
    assert bad.exit_code == 2
    assert ".geojson" in bad.stderr
