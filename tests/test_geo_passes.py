"""Geostationary satellites whose daily wobble crosses the threshold get passes (issue 10).

TIANTONG-1 3 (NORAD 47321, inclination 1.7 deg) seen from Tromsø (69.65 N) hangs low in the
east-south-east and wobbles from -1.1 to +2.2 deg a day: at threshold 0 it is up for 14.6 hours
a day. It used to get its look record and "No passes". The oracle comparison near the epoch is
in tests/test_passes_oracle.py; here, far from the epoch (held at station) the passes must come
from the held positions, which are checked against Skyfield at the held instants, and the
command line must show them.
"""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from oracle import read_element_sets
from skyfield.api import EarthSatellite, wgs84

from passpredict.cli.root import main
from passpredict.engine.stationkeeping import SIDEREAL_DAY_S
from passpredict.products.predict import predict
from passpredict.products.visibility import VisibilityOptions
from passpredict.records import Observer

DATA = Path(__file__).parent / "data" / "geo" / "tiantong-1-3_47321_2026-08-22.tle"
TROMSO = Observer("Tromsø", 69.65, 18.96, 10.0)
#: 70 days after the epoch: held at station.
HELD_START = datetime(2026, 11, 1, tzinfo=UTC)
#: The engine's look angles against Skyfield's at the same held instant.
LOOK_DEG = 1e-5
#: Rise and set are threshold crossings to 1 ms; at ~1e-4 deg/s that is ~1e-7 deg.
CROSSING_DEG = 1e-5


@pytest.fixture(scope="module")
def tiantong():
    (es,) = read_element_sets(DATA)
    return es


def _held_instant(es, when: datetime) -> datetime:
    """Where the hold takes a moment from: the same sidereal phase in the epoch's first
    sidereal day (passpredict.engine.stationkeeping's rule, written out independently)."""
    offset = (when - es.epoch_utc).total_seconds()
    return es.epoch_utc + timedelta(seconds=offset % SIDEREAL_DAY_S)


def _skyfield_look(es, observer, instants, timescale):
    sat = EarthSatellite(*es.tle_lines, es.name, timescale)
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    alt, az, distance = (sat - topos).at(timescale.from_datetimes(instants)).altaz()
    return alt.degrees, az.degrees, distance.km


def test_held_at_station_the_passes_come_from_the_held_positions(tiantong, astronomy):
    ts = astronomy.timescale
    end = HELD_START + timedelta(days=3)
    options = VisibilityOptions(astronomy)
    result = predict(
        [tiantong], [TROMSO], HELD_START, end, 0.0, timescale=ts, visibility=options, radio=True
    )
    (look,) = result.geostationary
    assert look.station_kept and look.crosses_min_elevation
    passes = result.passes
    assert len(passes) == 4  # in progress at the start, two whole ones, in progress at the end
    assert passes[0].rise is None and passes[-1].set is None
    whole = [p for p in passes if p.rise and p.set]
    assert all(13 * 3600 < p.duration_s < 16 * 3600 for p in whole)

    points = []
    for p in passes:
        points += [(p.rise, True), (p.culmination, False), (p.set, True)]
        v = p.visibility
        assert v is not None
        points += [(q, False) for q in (v.visible_start, v.visible_peak, v.visible_end) if q]
    points = [(q, crossing) for q, crossing in points if q is not None]
    instants = [_held_instant(tiantong, q.time_utc) for q, _ in points]
    el, az, rng = _skyfield_look(tiantong, TROMSO, instants, ts)
    for (q, crossing), e, a, d in zip(points, el, az, rng, strict=True):
        assert q.elevation_deg == pytest.approx(e, abs=LOOK_DEG), q
        assert q.azimuth_deg == pytest.approx(a, abs=LOOK_DEG), q
        assert q.range_km == pytest.approx(d, abs=1e-3), q
        if crossing:
            assert abs(e) < CROSSING_DEG, q
    # the look record's extremes are those of the same positions
    assert look.elevation_max_deg == pytest.approx(
        max(p.max_elevation_deg for p in whole), abs=1e-9
    )
    # range rates, against Skyfield's ranges 0.5 s either side of the held instant
    rise = whole[0].rise
    around = [_held_instant(tiantong, rise.time_utc + timedelta(seconds=s)) for s in (-0.5, 0.5)]
    _, _, ranges = _skyfield_look(tiantong, TROMSO, around, ts)
    assert rise.range_rate_km_s == pytest.approx(ranges[1] - ranges[0], abs=1e-5)
    # held positions repeat every sidereal day: so do the crossings
    rises = np.array([(p.rise.time_utc - HELD_START).total_seconds() for p in passes if p.rise])
    assert np.diff(rises) == pytest.approx(SIDEREAL_DAY_S, abs=2e-3)


def _cli(*args):
    result = CliRunner().invoke(
        main,
        [
            "passes",
            "--tle-file",
            str(DATA),
            "--lat",
            "69.65",
            "--lon",
            "18.96",
            "--min-elevation",
            "0",
            "--start",
            "2026-08-22T14:00Z",
            "--days",
            "2",
            *args,
        ],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    return result


def test_the_command_line_shows_the_crossings_as_passes():
    data = json.loads(_cli("--format", "json").stdout)
    (geo,) = data["geostationary"]
    assert geo["elevation_min_deg"] < 0.0 < geo["elevation_max_deg"]
    passes = data["passes"]
    assert len(passes) == 2
    for p in passes:
        assert p["norad_id"] == 47321
        assert abs(p["rise"]["elevation_deg"]) < 1e-3 and abs(p["set"]["elevation_deg"]) < 1e-3
        assert p["rise"]["time"].endswith("Z")
        assert p["max_elevation_deg"] == pytest.approx(2.18, abs=0.01)
        assert p["duration_s"] > 14 * 3600

    rows = list(csv.DictReader(io.StringIO(_cli("--format", "csv").stdout)))
    assert [r["kind"] for r in rows] == ["pass", "pass", "geostationary"]
    assert {r["norad_id"] for r in rows} == {"47321"}

    table = _cli().stdout
    assert "No passes" not in table
    assert "crosses min. elevation: see passes" in table
    # both passes in Tromsø's own time (a place given by coordinates gets its zone, issue 14;
    # Europe/Oslo is UTC+02:00 in August): rise, culmination, set, duration
    assert "Europe/Oslo (UTC+02:00)" in table
    for text in ("20:06:51", "03:22:58", "10:41:41", "14h34m50s", "20:03:13", "10:37:33"):
        assert text in table


def test_an_always_up_geostationary_satellite_is_not_called_no_passes():
    """Azerspace-1 from Baku is up all the time: its look record says so, and the empty pass
    list under it does not read as if nothing were in the sky."""
    result = CliRunner().invoke(
        main,
        ["passes", "azerspace-1", "--start", "2026-05-31T00:00Z", "--days", "1"],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    assert "always up" in result.stdout
    assert "No other passes in the window." in result.stdout
    assert "No passes" not in result.stdout
