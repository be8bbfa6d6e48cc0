"""Geostationary pointing, the Sun track and the dip search, against independent computations."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84
from skyfield.framelib import itrs

from passpredict.engine.frames import WGS84_F
from passpredict.engine.stationkeeping import SIDEREAL_DAY_S
from passpredict.engine.sun import SunTrack
from passpredict.engine.time_axis import TimeBase
from passpredict.inputs.observers import default_observer
from passpredict.products.geo.pointing import (
    NotGeostationaryError,
    find_dips,
    geo_pointing,
    geodetic_latitude_deg,
    minimise,
)
from passpredict.records import Observer
from tle_cache.bundled import load_bundled

#: Look angles against Skyfield's own topocentric `altaz()`: both use GMST 1982 for TEME, so
#: they agree to the polar motion Skyfield leaves out by default (far below this).
LOOK_ANGLE_DEG = 1e-4
RANGE_KM = 1e-3
#: The Sun track's interpolation against Skyfield at every instant.
SUN_DIRECTION_ARCSEC = 0.05
#: The textbook skew formula, atan(sin(dlon) / tan(lat)), takes a spherical Earth and the
#: satellite at infinity. Given the geocentric latitude it agrees to a few hundredths of a
#: degree (the satellite is only 6.6 Earth radii away); given the geodetic latitude it is off
#: by up to 0.15 deg more.
SKEW_TEXTBOOK_DEG = 0.05


@pytest.fixture(scope="module")
def bundled():
    return {es.norad_id: es for es in load_bundled()}


def _skyfield_satellite(es, ts):
    return EarthSatellite(*es.tle_lines, es.name, ts)


def test_azerspace_1_from_baku(astronomy, bundled):
    """The anchors (docs): Azerspace-1 sits near azimuth 185.9, elevation 43.1 from Baku."""
    es = bundled[39079]
    when = es.epoch_utc + timedelta(hours=2)
    p = geo_pointing(es, default_observer(), when, astronomy.timescale)
    assert p.azimuth_deg == pytest.approx(185.95, abs=0.1)
    assert p.elevation_deg == pytest.approx(43.13, abs=0.05)
    assert p.range_km == pytest.approx(37_540, abs=5)
    assert p.subsatellite_longitude_deg == pytest.approx(46.0, abs=0.05)
    assert abs(p.subsatellite_latitude_deg) < 0.05
    assert not p.station_kept
    assert p.above_horizon and p.always_above_horizon and not p.never_above_horizon


def test_look_angles_match_skyfield(astronomy, bundled):
    ts = astronomy.timescale
    observer = default_observer()
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    for es in (bundled[39079], bundled[43632]):
        when = es.epoch_utc + timedelta(days=1, hours=5)
        p = geo_pointing(es, observer, when, ts, horizon_days=10.0)
        alt, az, distance = (_skyfield_satellite(es, ts) - topos).at(ts.from_datetime(when)).altaz()
        assert p.azimuth_deg == pytest.approx(az.degrees, abs=LOOK_ANGLE_DEG)
        assert p.elevation_deg == pytest.approx(alt.degrees, abs=LOOK_ANGLE_DEG)
        assert p.range_km == pytest.approx(distance.km, abs=RANGE_KM)


def test_wobble_spans_one_sidereal_day(astronomy, bundled):
    ts = astronomy.timescale
    es = bundled[43632]
    observer = default_observer()
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    when = es.epoch_utc + timedelta(hours=1)
    p = geo_pointing(es, observer, when, ts)
    t = ts.from_datetime(when) + np.linspace(0.0, SIDEREAL_DAY_S / 86400.0, 1441)
    alt, az, _ = (_skyfield_satellite(es, ts) - topos).at(t).altaz()
    assert p.elevation_min_deg == pytest.approx(alt.degrees.min(), abs=1e-3)
    assert p.elevation_max_deg == pytest.approx(alt.degrees.max(), abs=1e-3)
    assert p.azimuth_min_deg == pytest.approx(az.degrees.min(), abs=1e-3)
    assert p.azimuth_max_deg == pytest.approx(az.degrees.max(), abs=1e-3)
    # Azerspace-2 is inclined 0.015 deg: a daily swing of a few hundredths of a degree
    assert 0.02 < p.elevation_wobble_deg < 0.2
    assert 0.01 < p.azimuth_wobble_deg < 0.2
    assert p.latitude_max_deg == pytest.approx(-p.latitude_min_deg, abs=0.01)
    assert p.latitude_max_deg == pytest.approx(es.inclination_deg, abs=0.03)


def test_far_from_the_epoch_the_satellite_is_held(astronomy, bundled):
    es = bundled[39079]
    near = geo_pointing(es, default_observer(), es.epoch_utc, astronomy.timescale)
    far = geo_pointing(
        es, default_observer(), es.epoch_utc + timedelta(days=130), astronomy.timescale
    )
    assert far.station_kept and not near.station_kept
    # the model alone would have drifted to 60.5 E (docs: anchors.md); held, it stays at 46 E
    assert far.subsatellite_longitude_deg == pytest.approx(46.0, abs=0.05)
    assert far.azimuth_deg == pytest.approx(near.azimuth_deg, abs=0.1)


@pytest.mark.parametrize(
    ("latitude_deg", "longitude_deg", "sign"),
    [
        (40.4093, 49.8671, +1),  # Baku: satellite to the west, northern hemisphere: clockwise
        (40.0, 40.0, -1),  # satellite to the east: anticlockwise
        (-30.0, 60.0, -1),  # southern hemisphere, satellite to the west: anticlockwise
        (-30.0, 30.0, +1),
        (20.0, 46.0, 0),  # due south: no skew
        (-20.0, 46.0, 0),  # due north: no skew
    ],
)
def test_polarisation_skew(astronomy, bundled, latitude_deg, longitude_deg, sign):
    es = bundled[39079]
    observer = Observer("here", latitude_deg, longitude_deg)
    p = geo_pointing(es, observer, es.epoch_utc, astronomy.timescale)
    dlon = math.radians(p.subsatellite_longitude_deg - longitude_deg)
    # the textbook formula is for a spherical Earth: it wants the geocentric latitude
    tan_geocentric = (1.0 - WGS84_F) ** 2 * math.tan(math.radians(latitude_deg))
    textbook = math.degrees(math.atan(math.sin(dlon) / tan_geocentric))
    assert abs(p.polarisation_skew_deg) == pytest.approx(abs(textbook), abs=SKEW_TEXTBOOK_DEG)
    if sign:
        assert np.sign(p.polarisation_skew_deg) == sign
    else:
        assert abs(p.polarisation_skew_deg) < 0.05


def test_skew_of_baku_is_about_four_and_a_half_degrees(astronomy, bundled):
    es = bundled[39079]
    p = geo_pointing(es, default_observer(), es.epoch_utc, astronomy.timescale)
    assert p.polarisation_skew_deg == pytest.approx(4.57, abs=0.05)


def test_geodetic_latitude_of_points_on_the_ellipsoid():
    from passpredict.engine.frames import observer_ecef_km

    for lat in (-89.0, -45.0, 0.0, 30.0, 60.0, 89.5):
        r = observer_ecef_km([Observer("p", lat, 10.0, 1000.0)])
        assert float(geodetic_latitude_deg(r)[0]) == pytest.approx(lat, abs=1e-9)


def test_below_the_horizon_is_reported(astronomy, bundled):
    es = bundled[39079]
    california = Observer("Sacramento", 38.58, -121.49)
    p = geo_pointing(es, california, es.epoch_utc, astronomy.timescale)
    assert p.elevation_deg < -30.0
    assert not p.above_horizon and p.never_above_horizon


def test_a_low_orbit_is_refused_with_a_pointer_to_passes(astronomy, bundled):
    with pytest.raises(NotGeostationaryError, match=r"not geostationary.*passpredict passes 40053"):
        geo_pointing(bundled[40053], default_observer(), datetime.now(UTC), astronomy.timescale)


def test_sun_track_matches_skyfield_at_every_instant(astronomy):
    ts = astronomy.timescale
    start = datetime(2026, 9, 20, tzinfo=UTC)
    timebase = TimeBase.create(start, start + timedelta(days=3), ts)
    sun = SunTrack.create(astronomy, timebase, 0.0, 3 * 86400.0)
    seconds = np.linspace(0.0, 3 * 86400.0, 97) + 617.0  # between the nodes
    ours = sun.ecef_km(seconds)
    t = ts.from_datetime(start) + seconds / 86400.0
    theirs = np.asarray(
        astronomy.earth.at(t).observe(astronomy.sun).apparent().frame_xyz(itrs).km
    ).T
    cos = np.einsum("ij,ij->i", ours, theirs) / np.linalg.norm(ours, axis=1)
    angle = np.degrees(np.arccos(np.clip(cos / np.linalg.norm(theirs, axis=1), -1, 1))) * 3600
    assert angle.max() < SUN_DIRECTION_ARCSEC
    assert np.linalg.norm(ours, axis=1) == pytest.approx(np.linalg.norm(theirs, axis=1), rel=1e-7)


def test_sun_track_refuses_times_outside_its_nodes(astronomy):
    start = datetime(2026, 9, 20, tzinfo=UTC)
    timebase = TimeBase.create(start, start + timedelta(days=1), astronomy.timescale)
    sun = SunTrack.create(astronomy, timebase, 0.0, 86400.0)
    with pytest.raises(ValueError, match="widen the track"):
        sun.ecef_km([3 * 86400.0])


def test_minimise_finds_many_minima_at_once():
    centres = np.array([0.3, 5.0, -2.0])

    def f(x):
        return np.abs(x - np.resize(centres, x.shape)) + 1.0

    best, value = minimise(f, centres - 1.7, centres + 0.9, 1e-6)
    assert best == pytest.approx(centres, abs=1e-6)
    assert value == pytest.approx(1.0, abs=1e-6)


def test_find_dips_finds_a_dip_between_samples():
    """A dip 20 s wide is found from samples 300 s apart, and one that stays above zero is
    not reported."""
    centres = np.array([1000.0, 5000.0, 9000.0])
    depths = np.array([0.05, 0.5, -0.01])  # how far below zero each dip goes

    def f(t):
        d = t[..., None] - centres
        return (np.minimum.reduce(np.abs(d) * 0.005 - depths, axis=-1)).reshape(t.shape)

    grid = np.arange(0.0, 10_000.0 + 1, 300.0)
    dips = find_dips(f, grid, margin=0.005 * 150.0, tolerance_s=1e-3)
    assert dips.minimum_s == pytest.approx(centres[:2], abs=1e-3)
    assert dips.entry_s == pytest.approx(centres[:2] - depths[:2] / 0.005, abs=1e-3)
    assert dips.exit_s == pytest.approx(centres[:2] + depths[:2] / 0.005, abs=1e-3)
    assert dips.minimum_value == pytest.approx(-depths[:2], abs=1e-6)
