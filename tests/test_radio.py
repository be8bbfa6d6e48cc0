"""Range rate and Doppler: against Skyfield's topocentric rates, and the sign conventions."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from passpredict.products.predict import predict
from passpredict.products.radio import SPEED_OF_LIGHT_KM_S, doppler_shift_hz, range_rate_km_s
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "visibility"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
#: Skyfield's range rate uses its own frames (full nutation, polar motion off); ours GMST 1982.
RANGE_RATE_TOLERANCE_KM_S = 2e-4  # 0.2 m/s: 0.3 Hz at 437 MHz


@pytest.fixture(scope="module")
def iss():
    return max(read_file(DATA / "iss_25544_2026-08-21_22.tle"), key=lambda es: es.epoch_utc)


def test_range_rate_is_the_projection_of_the_velocity_on_the_line_of_sight():
    observer = np.zeros(3)
    r = np.array([[1000.0, 0.0, 0.0], [0.0, 500.0, 0.0]])
    v = np.array([[-3.0, 4.0, 0.0], [0.0, 2.0, 7.0]])
    assert range_rate_km_s(r, v, observer) == pytest.approx([-3.0, 2.0])


def test_doppler_is_positive_while_approaching():
    # approaching at 7 km/s, 437 MHz: +10.2 kHz (first order: -f * rate / c)
    shift = doppler_shift_hz(-7.0, 437e6)
    assert shift == pytest.approx(437e6 * 7.0 / SPEED_OF_LIGHT_KM_S)
    assert 10_000 < shift < 10_300
    assert doppler_shift_hz(np.array([0.0, 7.0]), 1e9)[1] < 0.0
    with pytest.raises(ValueError, match="frequency_hz must be positive"):
        doppler_shift_hz(1.0, 0.0)


def test_pass_points_range_rates_agree_with_skyfield(iss, timescale):
    start = datetime(2026, 8, 22, 12, tzinfo=UTC)
    result = predict(
        [iss], [BAKU], start, start + timedelta(days=1), 10.0, timescale=timescale, radio=True
    )
    assert len(result.passes) >= 4
    sat = EarthSatellite(*iss.tle_lines, iss.name, timescale)
    topos = wgs84.latlon(BAKU.latitude_deg, BAKU.longitude_deg, BAKU.elevation_m)
    for p in result.passes:
        points = [p.rise, p.culmination, p.set]
        t = timescale.from_datetimes([q.time_utc for q in points])
        *_, rate = (sat - topos).at(t).frame_latlon_and_rates(topos)
        ours = [q.range_rate_km_s for q in points]
        assert ours == pytest.approx(rate.km_per_s, abs=RANGE_RATE_TOLERANCE_KM_S)
        # approaching at rise, receding at set, near zero at the highest point
        assert ours[0] < -1.0 and ours[2] > 1.0 and abs(ours[1]) < 0.1


def test_range_rates_are_left_out_unless_asked_for(iss, timescale):
    start = datetime(2026, 8, 22, 12, tzinfo=UTC)
    result = predict([iss], [BAKU], start, start + timedelta(days=1), timescale=timescale)
    assert all(p.culmination.range_rate_km_s is None for p in result.passes)
