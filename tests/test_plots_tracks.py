"""Sampled tracks behind the plots: they must sit on the engine's own pass geometry."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from passpredict.engine.frames import (
    geodetic_from_ecef,
    look_angles,
    observer_ecef_km,
    observer_enu_basis,
)
from passpredict.engine.passes import find_passes
from passpredict.engine.stationkeeping import held_offsets_s
from passpredict.inputs.observers import default_observer
from passpredict.products.track import (
    MEAN_EARTH_RADIUS_KM,
    coverage_circle,
    coverage_radius_deg,
    ground_track,
    look_track,
    pass_track,
    sample_seconds_to_end,
    track,
)
from passpredict.records import Observer
from tle_cache.bundled import load_bundled

#: Near SPOT 7's bundled epoch (2026-05-30), so the passes are real ones.
START = datetime(2026, 5, 31, tzinfo=UTC)
#: The spherical coverage circle against the WGS84 look angle: the Earth's flattening moves
#: the elevation by a few tenths of a degree at most.
SPHERE_VS_ELLIPSOID_DEG = 0.6
#: How far a geostationary range rate may stray from the slope of the range (km/s, 1 cm/s).
SDP4_RATE_KM_S = 1e-5


@pytest.fixture(scope="module")
def spot7():
    return next(es for es in load_bundled() if es.norad_id == 40053)


@pytest.fixture(scope="module")
def azerspace1():
    return next(es for es in load_bundled() if es.norad_id == 39079)


def test_sample_seconds_always_ends_on_the_window_end():
    assert sample_seconds_to_end(25.0, 10.0).tolist() == [0.0, 10.0, 20.0, 25.0]
    assert sample_seconds_to_end(20.0, 10.0).tolist() == [0.0, 10.0, 20.0]
    assert sample_seconds_to_end(0.0, 10.0).tolist() == [0.0]


@pytest.mark.parametrize(
    ("duration", "step", "message"),
    [
        (10.0, 0.0, "step_s must be positive"),
        (-1.0, 1.0, "must not end before"),
        (1e9, 1.0, "use a larger step"),
    ],
)
def test_sample_seconds_refuses_bad_grids(duration, step, message):
    with pytest.raises(ValueError, match=message):
        sample_seconds_to_end(duration, step)


def test_pass_track_runs_from_rise_to_set_through_the_culmination(spot7, timescale):
    baku = default_observer()
    passes = find_passes([spot7], [baku], START, START + timedelta(days=1), 10.0, timescale)
    assert passes
    for item in passes:
        track = pass_track(item, spot7, baku, timescale=timescale, step_s=5.0)
        assert track.times_utc()[0] == item.rise.time_utc
        assert track.elevation_deg[0] == pytest.approx(10.0, abs=1e-3)
        assert track.elevation_deg[-1] == pytest.approx(10.0, abs=1e-3)
        assert track.azimuth_deg[0] == pytest.approx(item.rise.azimuth_deg, abs=1e-6)
        # within one 5 s step of the refined culmination, the sampled peak is a hair lower
        assert track.elevation_deg.max() <= item.max_elevation_deg + 1e-6
        assert track.elevation_deg.max() == pytest.approx(item.max_elevation_deg, abs=0.05)
        assert (track.elevation_deg >= 10.0 - 1e-3).all()


def test_pass_track_refuses_another_satellites_elements(spot7, azerspace1, timescale):
    baku = default_observer()
    item = find_passes([spot7], [baku], START, START + timedelta(days=1), 10.0, timescale)[0]
    with pytest.raises(ValueError, match="NORAD 40053 but the element set is of NORAD 39079"):
        pass_track(item, azerspace1, baku, timescale=timescale)


def test_geodetic_from_ecef_inverts_the_observer_position():
    observers = [
        Observer("a", 40.4093, 49.8671, -28.0),
        Observer("b", -89.5, -179.9, 2800.0),
        Observer("c", 0.0, 0.0, 0.0),
        Observer("d", 65.0, 120.0, 9000.0),
    ]
    lat, lon, height = geodetic_from_ecef(observer_ecef_km(observers))
    assert lat == pytest.approx([o.latitude_deg for o in observers], abs=1e-9)
    assert lon == pytest.approx([o.longitude_deg for o in observers], abs=1e-9)
    assert height * 1000.0 == pytest.approx([o.elevation_m for o in observers], abs=1e-3)


def test_ground_track_of_a_low_orbit_stays_at_its_height(spot7, timescale):
    track = ground_track(
        spot7, START, START + timedelta(minutes=100), step_s=60.0, timescale=timescale
    )
    assert len(track) == 101
    assert not track.station_kept
    assert np.all((track.altitude_km > 680) & (track.altitude_km < 730))
    # sun-synchronous at 98 deg: the track reaches 82 deg of latitude on each side
    assert track.latitude_deg.max() == pytest.approx(82.0, abs=0.5)
    assert track.latitude_deg.min() == pytest.approx(-82.0, abs=0.5)


def test_ground_track_of_a_geostationary_satellite_is_held_at_its_slot(azerspace1, timescale):
    far = azerspace1.epoch_utc + timedelta(days=60)
    track = ground_track(
        azerspace1, far, far + timedelta(days=1), step_s=600.0, timescale=timescale
    )
    assert track.station_kept
    assert np.all(np.abs(track.longitude_deg - 46.0) < 0.3)
    assert np.all(np.abs(track.latitude_deg) < 0.1)


def test_look_track_of_a_geostationary_satellite_from_baku(azerspace1, timescale):
    track = look_track(
        azerspace1,
        default_observer(),
        START,
        START + timedelta(hours=6),
        step_s=600.0,
        timescale=timescale,
    )
    assert track.observer.name == "Baku"
    assert np.all((track.azimuth_deg > 185) & (track.azimuth_deg < 188))
    assert np.all((track.elevation_deg > 42.5) & (track.elevation_deg < 43.5))


def test_coverage_radius_matches_the_textbook_formula():
    # lambda = acos(R cos(el) / (R + h)) - el, R = 6371 km, h = 700 km, el = 10 deg
    expected = np.degrees(np.arccos(6371.0 * np.cos(np.radians(10.0)) / 7071.0)) - 10.0
    assert coverage_radius_deg(700.0, 10.0) == pytest.approx(expected, rel=1e-12)
    assert coverage_radius_deg(700.0, 10.0) == pytest.approx(17.47, abs=0.01)
    assert coverage_radius_deg(35786.0, 0.0) == pytest.approx(81.3, abs=0.1)
    with pytest.raises(ValueError, match="altitude_km must be positive"):
        coverage_radius_deg(0.0, 10.0)


def test_a_satellite_over_the_coverage_circle_stands_at_the_threshold():
    baku = default_observer()
    height_km = 700.0
    lat, lon = coverage_circle(baku, height_km, 10.0, points=73)
    radius = MEAN_EARTH_RADIUS_KM + height_km
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    sat = radius * np.stack(
        [np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)], axis=-1
    )
    _, elevation, _ = look_angles(sat, observer_ecef_km([baku])[0], observer_enu_basis([baku])[0])
    assert elevation == pytest.approx(np.full(73, 10.0), abs=SPHERE_VS_ELLIPSOID_DEG)


def test_look_track_is_the_rotator_track_where_their_grids_meet(spot7, timescale):
    # one record, two grids: the pictures' grid adds the window's end, the rotator's does not
    baku = default_observer()
    end = START + timedelta(seconds=605)
    look = look_track(spot7, baku, START, end, step_s=10.0, timescale=timescale)
    (rotator,) = track(spot7, [baku], START, end, 10.0, timescale=timescale)
    assert look.seconds[-1] == 605.0 and rotator.seconds[-1] == 600.0
    assert look.observer == rotator.observer == baku and look.step_s == rotator.step_s
    shared = len(rotator)
    for name in ("seconds", "azimuth_deg", "elevation_deg", "range_km", "range_rate_km_s", "ok"):
        assert np.array_equal(getattr(look, name)[:shared], getattr(rotator, name)), name


def test_a_held_geostationary_range_rate_is_the_slope_of_its_range(azerspace1, timescale):
    far = azerspace1.epoch_utc + timedelta(days=60)
    step_s = 60.0
    look = look_track(
        azerspace1,
        default_observer(),
        far,
        far + timedelta(days=1),
        step_s=step_s,
        timescale=timescale,
    )
    assert look.ok.all()
    slope = (look.range_km[2:] - look.range_km[:-2]) / (2.0 * step_s)
    # the held path restarts its sidereal day once: no slope across that seam
    offsets = look.seconds + (far - azerspace1.epoch_utc).total_seconds()
    mapped, held = held_offsets_s(offsets)
    assert held.all()
    seam = np.diff(mapped) < 0
    smooth = ~(seam[:-1] | seam[1:])
    assert smooth.sum() > 1400
    # SDP4's velocity is not exactly the derivative of its position: unheld, near the epoch,
    # Azerspace-1's range rate differs from the slope of its range by up to 2.8e-6 km/s
    assert look.range_rate_km_s[1:-1][smooth] == pytest.approx(slope[smooth], abs=SDP4_RATE_KM_S)
    assert np.abs(look.range_rate_km_s).max() > 1e-4  # it does move: a few m/s at most
