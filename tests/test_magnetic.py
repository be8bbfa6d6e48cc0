"""Magnetic declination (WMM2025) against the model's own published test values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.products.magnetic import (
    BlackoutZoneError,
    OutsideModelEpochError,
    decimal_year,
    decimal_years,
    declination,
    declinations_deg,
    magnetic_azimuth_deg,
    window_declinations_deg,
)

DATA = Path(__file__).parent / "data" / "magnetic"
#: The published values are rounded to 0.01 deg and 1 nT (report table: 0.1 nT); a correct
#: evaluation is within half of that, plus a hair for the decimal-year conversion.
ANGLE_DEG = 0.0051
FIELD_NT = 0.51
REPORT_FIELD_NT = 0.051


def _rows(name: str) -> np.ndarray:
    return np.loadtxt(DATA / name, comments="#")


def test_declination_matches_ncei_100_point_test_values():
    rows = _rows("WMM2025_FINAL_TEST_VALUES.txt")
    assert rows.shape == (100, 18)
    year, height_km, lat, lon = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
    dec, h = declinations_deg(lat, lon, height_km * 1000.0, year)
    np.testing.assert_allclose(dec, rows[:, 4], atol=ANGLE_DEG, rtol=0)
    np.testing.assert_allclose(h, rows[:, 6], atol=FIELD_NT, rtol=0)


def test_declination_matches_the_wmm2025_report_table():
    rows = _rows("WMM2025_REPORT_TEST_VALUES.txt")
    assert rows.shape == (12, 9)
    dec, h = declinations_deg(rows[:, 2], rows[:, 3], rows[:, 1] * 1000.0, rows[:, 0])
    np.testing.assert_allclose(dec, rows[:, 8], atol=ANGLE_DEG, rtol=0)
    np.testing.assert_allclose(h, np.hypot(rows[:, 4], rows[:, 5]), atol=REPORT_FIELD_NT, rtol=0)


def test_one_place_and_date_agrees_with_the_array_call():
    # The report's 2027.5 row at 0N 120E, 100 km: D = -0.23 deg. 2027.5 is 2 July 2027 12:00.
    when = datetime(2027, 7, 2, 12, tzinfo=UTC)
    assert decimal_year(when) == pytest.approx(2027.5, abs=1e-12)
    result = declination(0.0, 120.0, 100_000.0, when)
    assert result.declination_deg == pytest.approx(-0.23, abs=ANGLE_DEG)
    assert result.caution is False
    assert result.model == "WMM2025"


def test_decimal_year_counts_a_leap_year_as_366_days():
    # 2028-07-02 00:00 is 183 of 366 days into 2028.
    assert decimal_year(datetime(2028, 7, 2, tzinfo=UTC)) == pytest.approx(2028.5, abs=1e-12)


def test_baku_declination_is_about_six_and_a_half_degrees_east():
    # Issue 14: "the magnetic declination there is about +6 deg"; WMM2025 gives +6.5.
    result = declination(40.4093, 49.8671, -28.0, datetime(2026, 11, 25, tzinfo=UTC))
    assert 6.0 < result.declination_deg < 7.0


def test_a_published_point_below_2000_nt_is_in_the_blackout_zone():
    # NCEI's first test point (2025.0, 89N 121W, 28 km) has H = 1504 nT: inside the blackout
    # zone of MIL-PRF-89500B (H < 2000 nT).
    with pytest.raises(BlackoutZoneError, match="blackout zone"):
        declination(89.0, -121.0, 28_000.0, datetime(2025, 1, 1, tzinfo=UTC))


def test_a_published_point_between_2000_and_6000_nt_is_in_the_caution_zone():
    # NCEI's second test point (2025.0, 80N 96W, 48 km): H = 2164 nT, D = -29.91 deg.
    result = declination(80.0, -96.0, 48_000.0, datetime(2025, 1, 1, tzinfo=UTC))
    assert result.caution is True
    assert result.horizontal_intensity_nt == pytest.approx(2164, abs=FIELD_NT)
    assert result.declination_deg == pytest.approx(-29.91, abs=ANGLE_DEG)


@pytest.mark.parametrize(
    "when",
    [datetime(2024, 11, 12, 23, 59, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)],
)
def test_dates_outside_the_model_are_refused_not_extrapolated(when):
    with pytest.raises(OutsideModelEpochError, match=r"2024-11-13 to 2030-01-01"):
        declination(40.4, 49.9, 0.0, when)


def test_the_last_valid_day_is_accepted():
    result = declination(40.4, 49.9, 0.0, datetime(2029, 12, 31, 23, tzinfo=UTC))
    assert 5.0 < result.declination_deg < 8.0


def test_naive_dates_are_refused():
    with pytest.raises(ValueError, match="no time zone"):
        declination(40.4, 49.9, 0.0, datetime(2026, 1, 1))


def test_magnetic_azimuth_subtracts_an_east_declination_and_wraps():
    np.testing.assert_allclose(magnetic_azimuth_deg([186.0, 3.0], 6.5), [179.5, 356.5])
    np.testing.assert_allclose(magnetic_azimuth_deg([358.0], -5.0), [3.0])
    np.testing.assert_allclose(magnetic_azimuth_deg([186.0, 186.0], [6.5, np.nan]), [179.5, np.nan])


def test_decimal_years_of_many_times_agree_with_one_at_a_time():
    start = datetime(2027, 12, 31, 22, 30, tzinfo=UTC)
    seconds = np.array([0.0, 5399.999, 5400.0, 5400.5, 86400.0 * 366.25])
    expected = [decimal_year(start + timedelta(seconds=float(s))) for s in seconds]
    np.testing.assert_allclose(decimal_years(start, seconds), expected, rtol=0, atol=1e-11)


@pytest.mark.parametrize(
    ("latitude_deg", "longitude_deg"),
    [(40.4093, 49.8671), (69.65, 18.96), (-77.85, 166.67), (80.0, -100.0)],
)
def test_window_declinations_agree_with_the_model_at_every_time(latitude_deg, longitude_deg):
    # 40 days of times 1 h 7 min apart, each evaluated by the model on its own.
    start = datetime(2026, 3, 1, 5, tzinfo=UTC)
    seconds = np.arange(0.0, 40 * 86400.0, 4020.0)
    years = [decimal_year(start + timedelta(seconds=float(s))) for s in seconds]
    direct, _ = declinations_deg(latitude_deg, longitude_deg, 300.0, years)
    window = window_declinations_deg(latitude_deg, longitude_deg, 300.0, start, seconds)
    assert np.isfinite(window).all()
    np.testing.assert_allclose(window, direct, rtol=0, atol=1e-6)


def test_window_declinations_are_nan_outside_the_model_and_in_the_blackout_zone():
    start = datetime(2029, 12, 30, tzinfo=UTC)
    seconds = np.array([0.0, 86400.0 * 1.5, 86400.0 * 2, np.nan])
    baku = window_declinations_deg(40.4093, 49.8671, -28.0, start, seconds)
    assert np.isfinite(baku[:2]).all() and np.isnan(baku[2:]).all()
    assert baku[1] == pytest.approx(
        declination(40.4093, 49.8671, -28.0, start + timedelta(days=1.5)).declination_deg,
        abs=1e-6,
    )
    # 86.5N 150E: horizontal field about 290 nT in 2026, inside the blackout zone.
    pole = window_declinations_deg(86.5, 150.0, 0.0, datetime(2026, 6, 1, tzinfo=UTC), [0.0])
    assert np.isnan(pole).all()
    early = window_declinations_deg(40.4, 49.9, 0.0, datetime(2024, 1, 1, tzinfo=UTC), [0.0])
    assert np.isnan(early).all()
