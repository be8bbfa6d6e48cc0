"""Geometry against Skyfield: sidereal time, TEME -> Earth-fixed, look angles."""

from datetime import UTC, datetime

import numpy as np
from skyfield.api import EarthSatellite, wgs84
from skyfield.sgp4lib import theta_GMST1982

from passpredict.engine.frames import (
    _gmst82_written_out,
    _mod_two_pi,
    elevation_deg,
    gmst82_rad,
    look_angles,
    observer_ecef_km,
    observer_enu_basis,
)
from passpredict.engine.propagate import propagate_points
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer

SPOT7 = (
    "1 40053U 14034A   26150.64829306  .00000961  00000+0  20554-3 0  9990",
    "2 40053  98.0641 213.5910 0001201  86.2817 273.8521 14.60942451634578",
)


def test_gmst_matches_skyfield(timescale):
    t = timescale.utc(2026, 11, 25, np.arange(0, 48, 0.37))
    theta, _ = theta_GMST1982(t.whole, t.ut1_fraction)
    ours = gmst82_rad(t.whole, t.ut1_fraction)
    assert (
        np.max(np.abs(np.angle(np.exp(1j * (ours - theta))))) < 1e-10
    )  # 1e-10 rad is 4 mm at GEO distance


def test_gmst_in_place_is_the_formula_bit_for_bit():
    # the in-place arithmetic (and days - floor(days) for days % 1.0) against the formula as
    # written, on dates before and after J2000, whole days, -0.0 and tiny fractions
    rng = np.random.default_rng(82)
    whole = np.concatenate([np.full(6, 2451545.0), rng.integers(2400000, 2500000, 2000) + 0.5])
    fraction = np.concatenate(
        [[0.0, -0.0, 1e-300, -1e-300, -1e-17, 0.5], rng.uniform(-1.5, 1.5, 2000)]
    )
    fraction[::7] = np.round(fraction[::7])  # whole days
    for w, f in ((whole, fraction), (2461168.5, fraction), (whole, 0.25)):
        ours = gmst82_rad(w, f)
        written = _gmst82_written_out(np.add(np.asarray(w) - 2451545.0, f))
        assert ours.tobytes() == written.tobytes()
    one = gmst82_rad(2461168.5, 0.123)
    assert np.ndim(one) == 0 and one == gmst82_rad(np.array([2461168.5]), 0.123)[0]


def test_mod_two_pi_is_numpys_bit_for_bit():
    # exact reduction against np.mod: random angles of every size it reduces itself, whole
    # turns and their neighbours (handed to np.mod), and the angles it leaves to np.mod
    rng = np.random.default_rng(2)
    turns = np.arange(0.0, 50_000.0) * (2.0 * np.pi)
    cases = [rng.uniform(0.0, top, 200_000) for top in (1e-3, 6.3, 700.0, 1e5, 2.0**20)]
    cases += [turns, np.nextafter(turns, np.inf), np.nextafter(turns, -1.0), turns / 2.0]
    cases += [np.array([0.0, -0.0, 1e-300]), np.array([-1e-20, 3.0]), np.array([np.nan, 1.0])]
    cases += [np.array([2.0**21, 1.0]), np.empty(0)]
    for angle in cases:
        ours = _mod_two_pi(angle.copy())
        assert ours.tobytes() == np.mod(angle, 2.0 * np.pi).tobytes()


def test_look_angles_match_skyfield_altaz(timescale):
    start = datetime(2026, 6, 1, tzinfo=UTC)
    base = TimeBase.create(start, datetime(2026, 6, 2, tzinfo=UTC), timescale)
    seconds = np.arange(0.0, 86400.0, 97.0)
    sat = EarthSatellite(*SPOT7, "SPOT 7", timescale)
    observers = [Observer("Baku", 40.4093, 49.8671, -28.0), Observer("South", -33.9, 18.4, 20.0)]
    r, _, ok = propagate_points(sat.model, base, seconds)
    assert ok.all()
    az, el, rng = look_angles(
        r[None, :, :],
        observer_ecef_km(observers)[:, None, :],
        observer_enu_basis(observers)[:, None],
    )
    t = timescale.from_datetimes([base.to_datetime(s) for s in seconds])
    for j, o in enumerate(observers):
        alt_sf, az_sf, d_sf = (
            (sat - wgs84.latlon(o.latitude_deg, o.longitude_deg, o.elevation_m)).at(t).altaz()
        )
        assert np.max(np.abs(el[j] - alt_sf.degrees)) < 1e-5
        daz = np.angle(np.exp(1j * np.radians(az[j] - az_sf.degrees)))
        assert np.max(np.abs(np.degrees(daz)[el[j] > -80])) < 1e-4
        assert np.max(np.abs(rng[j] - d_sf.km)) < 1e-3


def test_elevation_alone_is_look_angles_elevation_bit_for_bit():
    rng = np.random.default_rng(7)
    observers = [Observer("Baku", 40.4093, 49.8671, -28.0), Observer("South", -33.9, 18.4, 20.0)]
    obs = rng.integers(0, 2, 5000)
    targets = rng.normal(size=(5000, 3)) * rng.choice([7000.0, 1.5e8], size=(5000, 1))
    targets[::97] = np.nan
    origin, basis = observer_ecef_km(observers)[obs], observer_enu_basis(observers)[obs]
    _, expected, _ = look_angles(targets, origin, basis)
    assert elevation_deg(targets, origin, basis).tobytes() == expected.tobytes()
