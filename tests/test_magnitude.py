"""Magnitude estimates: the diffuse-sphere formula, where standard magnitudes come from."""

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.inputs.satellites import tracked_satellites
from passpredict.products.magnitude import (
    STANDARD_MAGNITUDES,
    diffuse_sphere_phase,
    estimated_magnitude,
    parse_std_magnitudes,
    phase_angle_deg,
    standard_magnitude,
)
from passpredict.products.predict import predict
from passpredict.products.visibility import VisibilityOptions
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "visibility"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")


def test_diffuse_sphere_phase_function():
    f = diffuse_sphere_phase([0.0, 90.0, 180.0])
    assert f == pytest.approx([1.0, 1.0 / math.pi, 0.0], abs=1e-12)
    assert np.all(np.diff(diffuse_sphere_phase(np.linspace(0, 180, 50))) < 0)


def test_estimate_reduces_to_the_standard_magnitude_at_standard_conditions():
    assert estimated_magnitude(4.0, 1000.0, 90.0) == pytest.approx(4.0)
    # ten times farther: 5 magnitudes fainter
    assert estimated_magnitude(4.0, 10000.0, 90.0) == pytest.approx(9.0)
    # face-on, fully lit: 2.5 log10(pi) = 1.24 brighter; 150 deg: 3.33 fainter
    assert estimated_magnitude(4.0, 1000.0, 0.0) == pytest.approx(4.0 - 1.2429, abs=1e-4)
    assert estimated_magnitude(4.0, 1000.0, 150.0) == pytest.approx(4.0 + 3.3302, abs=1e-4)
    assert estimated_magnitude(4.0, 1000.0, 180.0) == math.inf


def test_phase_angle_is_measured_at_the_satellite():
    sat = np.array([0.0, 0.0, 0.0])
    assert phase_angle_deg(sat, np.array([1.0, 0, 0]), np.array([1.0, 0, 0])) == pytest.approx(0)
    assert phase_angle_deg(sat, np.array([1.0, 0, 0]), np.array([0, 5.0, 0])) == pytest.approx(90)
    assert phase_angle_deg(sat, np.array([1.0, 0, 0]), np.array([-2.0, 0, 0])) == pytest.approx(180)


def test_published_magnitudes_only_and_each_with_its_source():
    tracked = {t.norad_id for t in tracked_satellites()}
    for norad_id, entry in STANDARD_MAGNITUDES.items():
        assert norad_id in tracked
        assert entry.source.strip()
    # nothing invented: no figure is published for SPOT 7, so there is none
    assert standard_magnitude(40053) is None
    supplied = standard_magnitude(40053, {40053: 4.5})
    assert supplied is not None and supplied.magnitude == 4.5


def test_parse_std_magnitudes():
    assert parse_std_magnitudes(["4.5"], [1, 2]) == {1: 4.5, 2: 4.5}
    assert parse_std_magnitudes(["4.5", "2=-1.8"], [1, 2]) == {1: 4.5, 2: -1.8}
    assert parse_std_magnitudes(["25544=-1.8"], [40053]) == {25544: -1.8}
    assert parse_std_magnitudes([], [1]) == {}
    for bad in ("bright", "iss=-1.8", "99", "nan", "1=x"):
        with pytest.raises(ValueError, match="--std-mag"):
            parse_std_magnitudes([bad], [1])


def test_passes_get_a_magnitude_only_with_a_standard_magnitude(astronomy):
    iss = max(read_file(DATA / "iss_25544_2026-08-21_22.tle"), key=lambda es: es.epoch_utc)
    start = datetime(2026, 8, 22, 12, tzinfo=UTC)

    def run(magnitudes):
        return predict(
            [iss],
            [BAKU],
            start,
            start + timedelta(days=3),
            timescale=astronomy.timescale,
            visibility=VisibilityOptions(astronomy, std_magnitudes=magnitudes),
        ).passes

    unknown = run({})
    assert all(p.visibility.magnitude is None for p in unknown)
    assert all(p.visibility.brightest_magnitude is None for p in unknown)
    known = run({25544: -1.8})
    visible = [p for p in known if p.visibility.visible]
    assert visible
    for p in visible:
        v = p.visibility
        assert v.std_magnitude == -1.8
        assert v.brightest is not None
        assert v.visible_start.time_utc <= v.brightest.time_utc <= v.visible_end.time_utc
        culmination_visible = (
            v.visible_start.time_utc <= p.culmination.time_utc <= v.visible_end.time_utc
        )
        if culmination_visible and v.magnitude is not None:
            assert v.brightest_magnitude <= v.magnitude + 0.05
        # the ISS over Baku: between magnitude -4 and +2 on these passes
        assert -4.0 < v.brightest_magnitude < 2.0
    # no magnitude while the satellite is in shadow at culmination
    for p in known:
        if not p.visibility.sunlit_at_culmination:
            assert p.visibility.magnitude is None
