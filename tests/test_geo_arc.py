"""The geostationary arc from one place, against Skyfield's own topocentric separations."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from skyfield.api import EarthSatellite, wgs84

from passpredict.products.geo.arc import MAX_OFFSET_DEG, dish_face_elevation_deg, geo_arc
from passpredict.records import Observer
from tle_cache.parse import read_file

BELT = Path(__file__).parent / "data" / "geo" / "geo_belt_36E-56E_2026-08-22.tle"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0)
#: Within 4 days of the epochs nothing is held at station, so our positions are plain SGP4,
#: like Skyfield's; both rotate with GMST 1982 (polar motion aside, far below this).
SEPARATION_DEG = 2e-4
WHEN = datetime(2026, 8, 23, tzinfo=UTC)


@pytest.fixture(scope="module")
def belt():
    return read_file(BELT)


def _by_name(sets, name):
    return next(es for es in sets if es.name == name)


def test_separations_match_skyfield(belt, timescale):
    azerspace1 = _by_name(belt, "AZERSPACE 1")
    arc = geo_arc(belt, BAKU, WHEN, timescale, near=azerspace1)
    assert len(arc) == 33  # all of them are up from Baku (elevations 41-43 deg)
    t = timescale.from_datetime(WHEN)
    here = wgs84.latlon(BAKU.latitude_deg, BAKU.longitude_deg, BAKU.elevation_m)
    target = (EarthSatellite(*azerspace1.tle_lines, ts=timescale) - here).at(t)
    for entry in arc:
        es = next(s for s in belt if s.norad_id == entry.pointing.norad_id)
        other = (EarthSatellite(*es.tle_lines, ts=timescale) - here).at(t)
        expected = other.separation_from(target).degrees
        assert entry.separation_deg == pytest.approx(expected, abs=SEPARATION_DEG), es.name


def test_azerspace_2_is_about_a_degree_from_azerspace_1(belt, timescale):
    # 46.0 E and 45.1 E on the arc: seen from Baku, 37,500 km away, the gap looks 1.1 deg wide.
    azerspace1 = _by_name(belt, "AZERSPACE 1")
    arc = {e.pointing.satellite: e for e in geo_arc(belt, BAKU, WHEN, timescale, near=azerspace1)}
    assert arc["AZERSPACE 1"].separation_deg == 0.0
    assert 0.9 < arc["AZERSPACE 2 (IS-38)"].separation_deg < 1.3


def test_the_arc_is_sorted_west_to_east(belt, timescale):
    longitudes = [
        e.pointing.subsatellite_longitude_deg for e in geo_arc(belt, BAKU, WHEN, timescale)
    ]
    assert longitudes == sorted(longitudes)
    assert all(e.separation_deg is None for e in geo_arc(belt, BAKU, WHEN, timescale))


def test_below_the_threshold_only_the_target_is_kept(belt, timescale):
    # From Tromsø the belt at 36-56 E stands 9-10 deg high: a 20 deg threshold hides them all,
    # but the target is still listed, so the answer says where it is.
    tromso = Observer("Tromsø", 69.6492, 18.9553, 0.0)
    azerspace1 = _by_name(belt, "AZERSPACE 1")
    arc = geo_arc(belt, tromso, WHEN, timescale, near=azerspace1, min_elevation_deg=20.0)
    assert [e.pointing.satellite for e in arc] == ["AZERSPACE 1"]
    assert arc[0].pointing.elevation_deg < 20.0


def test_dish_face_elevation_subtracts_the_offset():
    assert dish_face_elevation_deg(43.13, 22.3) == pytest.approx(20.83)
    assert dish_face_elevation_deg(10.0, 22.3) == pytest.approx(-12.3)  # face tilted forward
    for bad in (-1.0, MAX_OFFSET_DEG + 0.1, float("nan")):
        with pytest.raises(ValueError, match="between 0 and 45"):
            dish_face_elevation_deg(43.0, bad)
