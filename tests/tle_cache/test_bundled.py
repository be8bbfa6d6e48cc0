"""The bundled element sets: the three satellites we track, readable with no network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tle_cache.bundled import BUNDLED_SOURCE, bundled_tle_lines, load_bundled


def tle_epoch(year: int, day_of_year: float) -> datetime:
    """Epoch from a TLE's year and day, computed independently of the parser."""
    return datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day_of_year - 1)


# NORAD id: (name, epoch as printed in bundled.tle)
EXPECTED = {
    39079: ("AZERSPACE 1", tle_epoch(2026, 234.63182020)),
    43632: ("AZERSPACE 2 (IS-38)", tle_epoch(2026, 234.20393304)),
    40053: ("SPOT 7", tle_epoch(2026, 150.64829306)),
}


def test_bundled_holds_exactly_our_three_satellites():
    sets = load_bundled()
    assert sorted(s.norad_id for s in sets) == sorted(EXPECTED)
    for element_set in sets:
        name, epoch = EXPECTED[element_set.norad_id]
        assert element_set.name == name
        assert element_set.epoch_utc == pytest.approx(epoch, abs=timedelta(microseconds=1))
        assert element_set.source == BUNDLED_SOURCE == "bundled"
        assert element_set.tle_lines is not None


def test_bundled_sets_propagate():
    for element_set in load_bundled():
        sat = element_set.satrec()
        error, position, _ = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF + 1.0)
        assert error == 0
        assert 6500 < sum(c * c for c in position) ** 0.5 < 43000  # km, LEO to GEO


def test_bundled_orbits_are_the_ones_we_expect():
    by_id = {s.norad_id: s for s in load_bundled()}
    assert by_id[39079].mean_motion_rev_per_day == pytest.approx(1.0027, abs=1e-3)  # GEO
    assert by_id[43632].inclination_deg < 0.1  # GEO
    assert by_id[40053].inclination_deg == pytest.approx(98.06, abs=0.01)  # sun-synchronous


def test_the_lines_read_without_the_parser_are_those_the_parser_stores():
    parsed = [(s.norad_id, *s.tle_lines) for s in load_bundled() if s.tle_lines is not None]
    assert bundled_tle_lines() == parsed
    assert len(parsed) == len(EXPECTED)
