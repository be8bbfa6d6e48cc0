"""Eclipses against an independent shadow computation on Skyfield positions.

The library works with angular radii seen from the satellite; the oracle here is Vallado's
SHADOW algorithm ("Fundamentals of Astrodynamics and Applications", algorithm 34): umbral and
penumbral cones tangent to a spherical Earth and Sun, on GCRS positions from Skyfield's own
`EarthSatellite.at()` and `earth.at(t).observe(sun).apparent()`, sampled every 10 s, then every
half second around each crossing. The library is compared with `flattening=0`, the oracle's
spherical Earth; the WGS84 ellipsoid is checked separately.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from skyfield.api import EarthSatellite
from skyfield.framelib import itrs
from skyfield.toposlib import ITRSPosition

from passpredict.engine.frames import WGS84_A_KM
from passpredict.products.geo.eclipses import SUN_RADIUS_KM, find_eclipses, group_seasons
from tle_cache.bundled import load_bundled

#: The issue's accuracy goal for eclipse entry and exit.
ECLIPSE_TIME_S = 10.0
#: What we measure against the oracle: under a millisecond (both are exact geometry).
MEASURED_TIME_S = 0.01
_SIDEREAL_DAY_D = 86164.0905 / 86400.0
_SCAN_STEP_S = 10.0
_FINE_STEP_S = 0.5


@pytest.fixture(scope="module")
def bundled():
    return {es.norad_id: es for es in load_bundled()}


def _oracle_shadow(astronomy, es, hold):
    """Return f(unix seconds) -> (penumbra, umbra) distances (km) outside the cones."""
    ts = astronomy.timescale
    sat = EarthSatellite(*es.tle_lines, es.name, ts)
    reference_unix_s = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    reference = ts.from_datetime(datetime(2026, 1, 1, tzinfo=UTC))

    def shadow(unix_s):
        t = reference + (np.asarray(unix_s, dtype=float) - reference_unix_s) / 86400.0
        if hold:
            phase = np.mod(t.tt - sat.epoch.tt, _SIDEREAL_DAY_D)
            kept = sat.at(ts.tt_jd(sat.epoch.tt + phase)).frame_xyz(itrs)
            r = ITRSPosition(kept).at(t).position.km
        else:
            r = sat.at(t).position.km
        s = astronomy.earth.at(t).observe(astronomy.sun).apparent().position.km
        distance = np.linalg.norm(s, axis=0)
        alpha_umbra = np.arcsin((SUN_RADIUS_KM - WGS84_A_KM) / distance)
        alpha_penumbra = np.arcsin((SUN_RADIUS_KM + WGS84_A_KM) / distance)
        anti_sun = -s / distance
        along = np.sum(r * anti_sun, axis=0)  # Vallado's "satvert"
        across = np.linalg.norm(r - along * anti_sun, axis=0)  # "sathoriz"
        pen_vert = np.tan(alpha_penumbra) * (WGS84_A_KM / np.sin(alpha_penumbra) + along)
        umb_vert = np.tan(alpha_umbra) * (WGS84_A_KM / np.sin(alpha_umbra) - along)
        day_side = along < 0.0
        penumbra = np.where(day_side, 1e5, across - pen_vert)
        umbra = np.where(day_side, 1e5, across - umb_vert)
        return penumbra, umbra

    return shadow


def _crossings(shadow, which, start_unix_s, hours):
    """Every sign change of one shadow function: brute force, then half-second samples."""
    grid = start_unix_s + np.arange(0.0, hours * 3600.0, _SCAN_STEP_S)
    f = shadow(grid)[which]
    found = []
    for k in np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:])):
        t = grid[k] + np.arange(0.0, _SCAN_STEP_S + _FINE_STEP_S, _FINE_STEP_S)
        g = shadow(t)[which]
        j = np.flatnonzero(np.sign(g[:-1]) != np.sign(g[1:]))[0]
        found.append(t[j] - g[j] * (t[j + 1] - t[j]) / (g[j + 1] - g[j]))
    return found


def _intervals(crossings, start_s, end_s):
    """Pair crossings into (entry, exit) intervals that overlap [start_s, end_s]."""
    pairs = list(zip(crossings[0::2], crossings[1::2], strict=False))
    return [(a, b) for a, b in pairs if b >= start_s and a <= end_s]


def _compare(eclipses, shadow, start, hours, pad_hours):
    """Compare with the oracle scanning from `pad_hours` before the window (in sunlight)."""
    scan_start = start.timestamp() - pad_hours * 3600.0
    end = start.timestamp() + hours * 3600.0
    scan_hours = hours + 2 * pad_hours
    assert shadow([scan_start])[0][0] > 0.0, "the oracle's scan must start in sunlight"
    pen = _intervals(_crossings(shadow, 0, scan_start, scan_hours), start.timestamp(), end)
    umb = _crossings(shadow, 1, scan_start, scan_hours)
    umb = [u for a, b in pen for u in umb if a <= u <= b]
    ours_pen = [
        (e.penumbra_entry_utc.timestamp(), e.penumbra_exit_utc.timestamp()) for e in eclipses
    ]
    ours_umb = [
        t.timestamp()
        for e in eclipses
        if e.umbra_entry_utc is not None
        for t in (e.umbra_entry_utc, e.umbra_exit_utc)
    ]
    assert len(ours_pen) == len(pen)
    assert len(ours_umb) == len(umb)
    errors = np.abs(
        np.array(ours_pen).ravel().tolist()
        + ours_umb
        - np.array(np.array(pen).ravel().tolist() + umb)
    )
    if errors.size:
        assert errors.max() < ECLIPSE_TIME_S
        assert errors.max() < MEASURED_TIME_S


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (datetime(2026, 8, 29, tzinfo=UTC), "before the season: none"),
        (datetime(2026, 8, 30, tzinfo=UTC), "first day: penumbral only"),
        (datetime(2026, 8, 31, tzinfo=UTC), "second day: a short umbra"),
        (datetime(2026, 9, 22, tzinfo=UTC), "equinox: the longest"),
        (datetime(2026, 10, 15, tzinfo=UTC), "last day"),
    ],
)
def test_azerspace_1_autumn_2026_matches_the_oracle(astronomy, bundled, day, kind):
    """Held at station (the August set, weeks on), spherical Earth on both sides."""
    es = bundled[39079]
    # the eclipse is around local midnight at 46 E, 20:56 UTC; the oracle scans 19:00-23:00
    start = day + timedelta(hours=19)
    eclipses = find_eclipses(es, start, start + timedelta(hours=4), astronomy, flattening=0.0)
    assert all(e.station_kept for e in eclipses)
    _compare(eclipses, _oracle_shadow(astronomy, es, hold=True), start, 4, 0)


def test_spot_7_one_day_matches_the_oracle(astronomy, bundled):
    """A low orbit: an eclipse on every orbit, with a penumbra of about ten seconds."""
    es = bundled[40053]
    start = datetime(2026, 5, 30, 12, tzinfo=UTC)
    eclipses = find_eclipses(es, start, start + timedelta(hours=12), astronomy, flattening=0.0)
    assert len(eclipses) >= 7
    assert not any(e.station_kept for e in eclipses)
    for e in eclipses:
        assert 5.0 < (e.umbra_entry_utc - e.penumbra_entry_utc).total_seconds() < 15.0
    _compare(eclipses, _oracle_shadow(astronomy, es, hold=False), start, 12, 1)


def test_skyfield_is_sunlit_switches_between_umbra_and_penumbra(astronomy, bundled):
    """Skyfield's `is_sunlit` treats the Sun as a point and the Earth as a sphere: on the same
    sphere it must flip inside the penumbra. (On the ellipsoid, a ray grazing the polar regions
    passes 10-20 km lower: SPOT 7 enters the penumbra up to about 6 s later.)"""
    es = bundled[40053]
    ts = astronomy.timescale
    start = datetime(2026, 5, 30, 12, tzinfo=UTC)
    eclipses = find_eclipses(es, start, start + timedelta(hours=3), astronomy, flattening=0.0)
    sat = EarthSatellite(*es.tle_lines, es.name, ts)
    for e in eclipses:
        for outer, inner in (
            (e.penumbra_entry_utc, e.umbra_entry_utc),
            (e.penumbra_exit_utc, e.umbra_exit_utc),
        ):
            lit = sat.at(ts.from_datetimes([outer, inner])).is_sunlit(astronomy.ephemeris)
            assert list(lit) == [True, False]


def test_autumn_2026_season_summary(astronomy, bundled):
    """Regression for docs/geo.md: the WGS84 Earth, the August set held at station."""
    es = bundled[39079]
    start = datetime(2026, 8, 22, tzinfo=UTC)
    eclipses = find_eclipses(es, start, datetime(2026, 11, 30, tzinfo=UTC), astronomy)
    (season,) = group_seasons(eclipses)
    assert len(season.eclipses) == 47
    assert season.first.penumbra_entry_utc.strftime("%Y-%m-%d %H:%M") == "2026-08-30 20:49"
    assert season.first.umbra_entry_utc is None
    assert season.last.penumbra_entry_utc.strftime("%Y-%m-%d %H:%M") == "2026-10-15 20:34"
    longest = season.longest
    assert longest.penumbra_entry_utc.strftime("%Y-%m-%d") == "2026-09-22"
    assert longest.duration_s == pytest.approx(4304, abs=2)
    assert longest.umbra_duration_s == pytest.approx(4049, abs=2)
    # one eclipse a day, near local midnight at 46 E
    days = [e.penumbra_entry_utc.date() for e in season.eclipses]
    assert len(set(days)) == len(days)
    assert all(19 <= e.penumbra_entry_utc.hour <= 21 for e in season.eclipses)


def test_the_ellipsoid_trims_a_few_seconds(astronomy, bundled):
    """At the equinox the satellite crosses the shadow's equatorial diameter, the same on the
    ellipsoid; off it the shadow is 21 km narrower north-south, so eclipses shorten."""
    es = bundled[39079]
    for day, most_s in ((datetime(2026, 9, 22, tzinfo=UTC), 1.0), (datetime(2026, 9, 2), 40.0)):
        day = day.replace(tzinfo=UTC)
        start = day + timedelta(hours=19)
        end = start + timedelta(hours=4)
        (round_,) = find_eclipses(es, start, end, astronomy, flattening=0.0)
        (oblate,) = find_eclipses(es, start, end, astronomy)
        shorter = round_.duration_s - oblate.duration_s
        assert 0.0 <= shorter < most_s


def test_an_eclipse_in_progress_at_the_window_start_is_whole(astronomy, bundled):
    es = bundled[39079]
    start = datetime(2026, 9, 22, 21, tzinfo=UTC)
    (eclipse,) = find_eclipses(es, start, start + timedelta(minutes=5), astronomy)
    assert eclipse.penumbra_entry_utc < start < eclipse.penumbra_exit_utc


def test_the_window_must_run_forwards(astronomy, bundled):
    start = datetime(2026, 9, 22, tzinfo=UTC)
    with pytest.raises(ValueError, match="is not after its start"):
        find_eclipses(bundled[39079], start, start, astronomy)
