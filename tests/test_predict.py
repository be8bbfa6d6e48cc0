"""predict(): every orbit class gets its answer, checked against Skyfield where it can be."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from passpredict.engine.orbits import OrbitClass, classify
from passpredict.products.predict import predict
from passpredict.records import Observer
from tle_cache.bundled import load_bundled
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "predict"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
TROMSO = Observer("Tromso", 69.65, 18.96, 0.0)
QUITO = Observer("Quito", -0.18, -78.47, 2850.0)


def _max_altitude_deg(es, observer, start, end, timescale, step_s=30.0):
    """Brute force: the highest Skyfield altitude on a fine grid (independent of the engine)."""
    sat = EarthSatellite(*es.tle_lines, es.name, timescale)
    n = int((end - start).total_seconds() / step_s) + 1
    t = timescale.from_datetimes([start + timedelta(seconds=i * step_s) for i in range(n)])
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    alt, _, _ = (sat - topos).at(t).altaz()
    return float(np.max(alt.degrees))


def test_classes_of_real_orbits():
    bundled = {es.norad_id: es for es in load_bundled()}
    assert classify(bundled[39079]) is OrbitClass.GEOSTATIONARY
    assert classify(bundled[43632]) is OrbitClass.GEOSTATIONARY
    assert classify(bundled[40053]) is OrbitClass.LEO_MEO
    (tdrs,) = read_file(DATA / "tdrs-3_2026-05-07.tle")
    assert classify(tdrs) is OrbitClass.GEOSYNCHRONOUS


def test_geostationary_gets_a_look_record_not_passes(timescale):
    start = datetime(2026, 5, 31, tzinfo=UTC)
    result = predict(load_bundled(), [BAKU], start, start + timedelta(days=3), timescale=timescale)
    assert {p.norad_id for p in result.passes} == {40053}
    looks = {g.norad_id: g for g in result.geostationary}
    # Published look angles from Baku (docs: anchors.md): 185.9/43.1 and 187.3/43.1.
    assert looks[39079].azimuth_deg == pytest.approx(185.9, abs=0.2)
    assert looks[39079].elevation_deg == pytest.approx(43.1, abs=0.2)
    assert looks[43632].azimuth_deg == pytest.approx(187.3, abs=0.2)
    assert looks[43632].elevation_deg == pytest.approx(43.1, abs=0.2)
    for look in looks.values():
        assert look.always_above_horizon and look.always_above_min_elevation
        assert look.elevation_min_deg <= look.elevation_deg <= look.elevation_max_deg
        assert look.elevation_max_deg - look.elevation_min_deg < 0.5


def test_geostationary_far_from_epoch_is_held_at_station(timescale):
    azerspace1 = next(es for es in load_bundled() if es.norad_id == 39079)
    near = azerspace1.epoch_utc
    far = near + timedelta(days=120)
    look_near = predict([azerspace1], [BAKU], near, near + timedelta(days=1), timescale=timescale)
    look_far = predict([azerspace1], [BAKU], far, far + timedelta(days=1), timescale=timescale)
    a, b = look_near.geostationary[0], look_far.geostationary[0]
    assert not a.station_kept and b.station_kept
    # unheld, SDP4 would have drifted several degrees in 120 days (anchors.md)
    assert abs(a.azimuth_deg - b.azimuth_deg) < 0.2
    assert look_far.satellites[0].stale and look_far.stale


def test_never_rises_at_high_latitude_is_a_note(timescale):
    (nustar,) = read_file(DATA / "nustar_2026-05-07.tle")  # inclination 6 deg
    start = nustar.epoch_utc
    end = start + timedelta(days=1)
    result = predict([nustar], [TROMSO, BAKU], start, end, 0.0, timescale=timescale)
    assert result.passes == ()
    assert {n.observer for n in result.notes} == {"Tromso", "Baku"}
    assert all("never rises" in n.reason for n in result.notes)
    assert _max_altitude_deg(nustar, BAKU, start, end, timescale) < 0.0
    # ...while from the equator it passes many times a day
    equator = predict([nustar], [QUITO], start, end, 10.0, timescale=timescale)
    assert len(equator.passes) >= 10 and not equator.notes


def test_decayed_elements_are_reported_not_raised(timescale):
    (old_iss,) = read_file(DATA / "iss_2013-05-09.tle")
    start = datetime(2026, 11, 25, tzinfo=UTC)
    result = predict([old_iss], [BAKU], start, start + timedelta(days=1), timescale=timescale)
    assert result.passes == () and result.geostationary == ()
    assert result.satellites[0].orbit is OrbitClass.DECAYED
    assert "decayed" in result.notes[0].reason


def test_inclined_geosynchronous_goes_through_the_pass_search(timescale):
    (tdrs,) = read_file(DATA / "tdrs-3_2026-05-07.tle")
    start = tdrs.epoch_utc
    end = start + timedelta(days=2)
    result = predict([tdrs], [BAKU, QUITO], start, end, 0.0, timescale=timescale)
    assert result.geostationary == ()
    for observer in (BAKU, QUITO):
        passes = [p for p in result.passes if p.observer == observer.name]
        highest = _max_altitude_deg(tdrs, observer, start, end, timescale, step_s=60.0)
        if highest < 0.0:
            assert passes == []
        else:
            assert max(p.max_elevation_deg for p in passes) == pytest.approx(highest, abs=0.05)


def test_bad_requests_raise_clear_errors(timescale):
    start = datetime(2026, 11, 25, tzinfo=UTC)
    with pytest.raises(ValueError, match="no time zone"):
        predict(load_bundled(), [BAKU], start.replace(tzinfo=None), start, timescale=timescale)
    with pytest.raises(ValueError, match="must end after it starts"):
        predict(load_bundled(), [BAKU], start, start, timescale=timescale)
    with pytest.raises(ValueError, match="min_elevation_deg"):
        predict(load_bundled(), [BAKU], start, start + timedelta(days=1), 95.0, timescale=timescale)


def test_never_rises_notes_are_can_ever_rise_for_every_pair_even_at_the_limit(timescale):
    # predict screens the pairs with one array expression (rise_latitude_limits_deg) and
    # decides the doubtful ones with can_ever_rise: the notes must be exactly its answers,
    # also for observers on a set's limit and a hair beyond it
    from passpredict.engine.orbits import can_ever_rise, rise_latitude_limit_deg

    sets = read_file(Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle")
    sets = [es for es in sets if classify(es) is not OrbitClass.GEOSTATIONARY]
    min_elevation_deg = 10.0
    limits = [rise_latitude_limit_deg(es, min_elevation_deg) for es in sets]
    on_edge = sorted({lat for lat in limits if 0.0 < lat < 90.0})[:6]
    latitudes = [0.0, 40.4093, -69.65, *on_edge, *(np.nextafter(lat, 90.0) for lat in on_edge)]
    observers = [Observer(f"at {lat!r}", float(lat), 10.0, 0.0) for lat in latitudes]
    start = datetime(2026, 5, 8, tzinfo=UTC)
    result = predict(
        sets,
        observers,
        start,
        start + timedelta(minutes=10),
        min_elevation_deg,
        timescale=timescale,
    )
    noted = {(n.norad_id, n.observer) for n in result.notes if "never rises" in (n.reason or "")}
    expected = {
        (es.norad_id, o.name)
        for es in sets
        for o in observers
        if not can_ever_rise(es, o.latitude_deg, min_elevation_deg)
    }
    assert on_edge and expected  # the edge cases exist
    # the array form agrees with the scalar far inside the screen's micro-degree margin
    from passpredict.engine.orbits import rise_latitude_limits_deg

    array_limits = rise_latitude_limits_deg(sets, min_elevation_deg)
    assert np.allclose(array_limits, limits, rtol=0.0, atol=1e-9)
    assert noted == expected
