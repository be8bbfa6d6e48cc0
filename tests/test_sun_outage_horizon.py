"""Sun outages at the edge of the footprint: reported only while the satellite is in view.

`sun-outages` reported outages while the satellite was a few tenths of a degree below the
geometric horizon, where `geo` says "Below the horizon" (elevations are geometric throughout
passpredict: no refraction). TIANTONG-1 3 seen from 68.9 N 18.96 E sets through the horizon
during its October outages; refraction (about 0.5 deg there) would lift it into view, and the
test shows that edge too. The oracle is Skyfield alone: the separation and `altaz()` with and
without refraction, sampled every second, the station-keeping hold written afresh as in
tests/test_sun_outages.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84
from skyfield.framelib import itrs
from skyfield.toposlib import ITRSPosition

from passpredict.products.geo.pointing import geo_pointing
from passpredict.products.geo.sun_outages import find_sun_outages, outage_threshold_deg
from passpredict.records import Observer
from tle_cache.parse import read_file_records

TIANTONG = "tests/data/geo/tiantong-1-3_47321_2026-08-22.tle"
EDGE = Observer("edge of the footprint", 68.9, 18.96, 0.0)
_SIDEREAL_DAY_D = 86164.0905 / 86400.0
#: The oracle's 1 s samples, and the root finder's 0.01 s: start and end agree within this.
TIME_S = 1.5


@pytest.fixture(scope="module")
def tiantong():
    [element_set], _ = read_file_records(TIANTONG, now_utc=datetime(2026, 8, 23, tzinfo=UTC))
    return element_set


def _oracle(astronomy, es, observer):
    """f(datetimes) -> (separation deg, geometric altitude deg, refracted altitude deg)."""
    ts = astronomy.timescale
    sat = EarthSatellite(*es.tle_lines, es.name, ts)
    topos = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    here = astronomy.earth + topos

    def look(moments):
        t = ts.from_datetimes(moments)
        phase = np.mod(t.tt - sat.epoch.tt, _SIDEREAL_DAY_D)
        kept = sat.at(ts.tt_jd(sat.epoch.tt + phase)).frame_xyz(itrs)
        seen = (ITRSPosition(kept) - topos).at(t)
        separation = seen.separation_from(here.at(t).observe(astronomy.sun).apparent()).degrees
        geometric = seen.altaz()[0].degrees
        refracted = seen.altaz(temperature_C=10.0, pressure_mbar=1010.0)[0].degrees
        return separation, geometric, refracted

    return look


def _seconds(day: datetime) -> list[datetime]:
    """06:00-06:20 UTC of `day`, every second (each October outage lies in it)."""
    return [day.replace(hour=6) + timedelta(seconds=s) for s in range(1200)]


def test_outages_are_cut_where_the_satellite_sets_as_skyfield_sees_it(astronomy, tiantong):
    threshold = outage_threshold_deg(1.2, 11.7)
    start = datetime(2026, 10, 10, tzinfo=UTC)
    outages = find_sun_outages(
        tiantong, EDGE, start, start + timedelta(days=15), astronomy, threshold
    )
    look = _oracle(astronomy, tiantong, EDGE)
    expected = []
    lifted_days = 0
    for k in range(15):
        moments = _seconds(start + timedelta(days=k))
        separation, geometric, refracted = look(moments)
        blinded = separation < threshold
        in_view = blinded & (geometric > 0.0)
        if in_view.any():
            first, last = np.flatnonzero(in_view)[[0, -1]]
            assert np.all(in_view[first : last + 1]), "one outage a day"
            expected.append((moments[first], moments[last]))
        elif blinded.any():
            # below the geometric horizon all through, but refraction would show it
            assert np.all(refracted[blinded] > 0.0)
            lifted_days += 1
    assert len(expected) == 2 and lifted_days == 4  # Oct 14-15 cut, Oct 16-19 below
    # was six outages (Oct 14-19) at elevations -0.1 to +0.005 deg, before the fix
    assert len(outages) == len(expected)
    for outage, (first, last) in zip(outages, expected, strict=True):
        assert abs((outage.start_utc - first).total_seconds()) < TIME_S
        assert abs((outage.end_utc - last).total_seconds()) < TIME_S
        assert outage.elevation_deg >= 0.0
        assert outage.start_utc <= outage.peak_utc <= outage.end_utc


def test_geo_pointing_and_sun_outages_agree_on_in_view(astronomy, tiantong):
    """At the deepest moment of a dropped outage, `geo` says below the horizon too."""
    threshold = outage_threshold_deg(1.2, 11.7)
    moments = _seconds(datetime(2026, 10, 17, tzinfo=UTC))
    separation, geometric, refracted = _oracle(astronomy, tiantong, EDGE)(moments)
    deepest = int(np.argmin(separation))
    assert separation[deepest] < threshold and geometric[deepest] < 0.0 < refracted[deepest]
    pointing = geo_pointing(tiantong, EDGE, moments[deepest], astronomy.timescale)
    assert pointing.elevation_deg == pytest.approx(geometric[deepest], abs=0.001)
    assert not pointing.above_horizon
    day = moments[0].replace(hour=0)
    outages = find_sun_outages(tiantong, EDGE, day, day + timedelta(days=1), astronomy, threshold)
    assert outages == []
