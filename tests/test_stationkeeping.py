"""Station keeping: the hold mapping, held positions, and the measured hold horizon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.engine.ephemeris import load_timescale
from passpredict.engine.stationkeeping import (
    HOLD_HORIZON_DAYS,
    SIDEREAL_DAY_S,
    SatelliteTrack,
    crossover_days,
    held_offsets_s,
    hold_errors,
    summarise_hold_errors,
    unheld_ecef_km,
)
from passpredict.engine.time_axis import TimeBase
from passpredict.inputs.observers import default_observer
from tle_cache.elements import ElementSet
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "geo"
SERIES = {
    "azerspace-1": DATA / "azerspace-1_39079_2026.tle",
    "azerspace-2": DATA / "azerspace-2_intelsat-38_43632_2026.tle",
}
EDGES_DAYS = [0, 1, 2, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 10, 14, 21, 28, 42, 56, 70, 100, 130, 160]
#: Same Earth-fixed position one sidereal day apart, to the float precision of SGP4 output.
SAME_POSITION_KM = 1e-6


@pytest.fixture(scope="module")
def timescale():
    return load_timescale()


@pytest.fixture(scope="module")
def measured(timescale):
    """The horizon measurement of docs/geo.md, on the 2026 series of both satellites."""
    out = {}
    for name, path in SERIES.items():
        lead, propagated, held = hold_errors(read_file(path), default_observer(), timescale)
        out[name] = summarise_hold_errors(lead, propagated, held, EDGES_DAYS)
    return out


def test_offsets_within_the_horizon_are_kept():
    offsets = np.array([-3.0, 0.0, 1000.0, HOLD_HORIZON_DAYS * 86400.0])
    mapped, held = held_offsets_s(offsets)
    assert np.array_equal(mapped, offsets)
    assert not held.any()


def test_offsets_beyond_the_horizon_map_to_the_first_sidereal_day():
    day = SIDEREAL_DAY_S
    offsets = np.array([30 * day + 100.0, -30 * day + 100.0, 1e7])
    mapped, held = held_offsets_s(offsets, horizon_days=14.0)
    assert held.all()
    assert mapped == pytest.approx([100.0, 100.0, 1e7 % day])
    assert ((mapped >= 0.0) & (mapped < day)).all()


def test_held_positions_repeat_every_sidereal_day(timescale):
    es = read_file(SERIES["azerspace-1"])[-1]
    start = es.epoch_utc + timedelta(days=40)
    timebase = TimeBase.create(start, start + timedelta(days=3), timescale)
    track = SatelliteTrack.create(es, timebase, timescale, hold=True)
    seconds = np.array([0.0, 3600.0]) + np.array([[0.0], [SIDEREAL_DAY_S], [2 * SIDEREAL_DAY_S]])
    r, held = track.ecef_km(seconds.ravel())
    assert held.all()
    r = r.reshape(3, 2, 3)
    assert np.abs(r[1] - r[0]).max() < SAME_POSITION_KM
    assert np.abs(r[2] - r[0]).max() < SAME_POSITION_KM
    # the position is the epoch orbit's, near 46.0 E
    lon = np.degrees(np.arctan2(r[..., 1], r[..., 0]))
    assert lon == pytest.approx(46.0, abs=0.1)


def test_track_without_hold_propagates_plainly(timescale):
    es = read_file(SERIES["azerspace-1"])[-1]
    start = es.epoch_utc + timedelta(days=130)
    timebase = TimeBase.create(start, start + timedelta(days=1), timescale)
    plain = SatelliteTrack.create(es, timebase, timescale, hold=False)
    r, held = plain.ecef_km([0.0])
    assert not held.any()
    # SDP4's natural drift towards 75 E: far from the slot after four months
    assert np.degrees(np.arctan2(r[0, 1], r[0, 0])) > 55.0


def test_the_measurement_covers_the_series(measured):
    for bins in measured.values():
        assert sum(b.pairs for b in bins) > 25_000
        assert bins[-1].lead_max_days == 160


def test_holding_beats_propagating_after_a_few_days(measured):
    """The crossover is 3.5 days for Azerspace-1 and 5 for Azerspace-2; the horizon sits
    between them."""
    crossovers = {name: crossover_days(bins) for name, bins in measured.items()}
    assert crossovers == {"azerspace-1": 3.5, "azerspace-2": 5.0}
    assert min(crossovers.values()) <= HOLD_HORIZON_DAYS <= max(crossovers.values())


def test_the_old_two_week_horizon_would_cost_a_tenth_of_a_degree(measured):
    for bins in measured.values():
        ten_to_14 = next(b for b in bins if b.lead_min_days == 10)
        assert ten_to_14.propagated_median_deg > 0.08
        assert ten_to_14.held_median_deg < 0.03


def test_held_error_stays_small_for_months(measured):
    """The hold is what makes sun outages months ahead meaningful: its median error stays
    within 0.07 deg (about 17 s of outage time) out to 160 days."""
    for bins in measured.values():
        for b in bins:
            assert b.held_median_deg < 0.07
            assert b.held_p90_deg < 0.1
        assert bins[-1].propagated_median_deg > 15.0


def test_hold_errors_refuses_mixed_objects(timescale):
    sets = read_file(SERIES["azerspace-1"])[:2] + read_file(SERIES["azerspace-2"])[:2]
    with pytest.raises(ValueError, match="one object"):
        hold_errors(sets, default_observer(), timescale)


def _doomed_track(timescale):
    """A low, heavily dragged orbit (SPOT 7 moved to 16.2 rev/day, BSTAR 0.05): it decays in
    days, so SGP4 fails within the 10-day window of the returned (unheld) track."""
    lines = (
        "1 40053U 14034A   26150.64829306  .00000961  00000+0  50000-1 0  9990",
        "2 40053  98.0641 213.5910 0001201  86.2817 273.8521 16.20942451634578",
    )
    es = ElementSet(40053, "DOOMED", datetime(2026, 5, 30, 15, 33, tzinfo=UTC), {}, lines)
    timebase = TimeBase.create(es.epoch_utc, es.epoch_utc + timedelta(days=10), timescale)
    return SatelliteTrack.create(es, timebase, timescale, hold=False)


def test_track_reports_sgp4_failure(timescale):
    track = _doomed_track(timescale)
    assert not track.ecef_km([3600.0])[1].any()
    with pytest.raises(ValueError, match=r"SGP4 cannot propagate DOOMED .*SGP4 error 6"):
        track.ecef_km([10 * 86400.0])


def test_unheld_tracks_propagate_together_as_each_alone(timescale):
    """One `SatrecArray` call gives each unheld track's `ecef_km`, number for number."""
    sets = read_file(SERIES["azerspace-1"])[-3:] + read_file(SERIES["azerspace-2"])[-3:]
    start = sets[-1].epoch_utc + timedelta(days=1)
    timebase = TimeBase.create(start, start + timedelta(days=2), timescale)
    old = read_file(SERIES["azerspace-1"])[0]  # months before the window: held
    tracks = [SatelliteTrack.create(es, timebase, timescale, hold=True) for es in [*sets, old]]
    tracks.append(SatelliteTrack.create(old, timebase, timescale, hold=False))
    seconds = np.append(np.arange(0.0, 2 * 86400.0, 600.0), 2 * 86400.0)
    index, r = unheld_ecef_km(tracks, seconds)
    assert index.tolist() == [0, 1, 2, 3, 4, 5, 7]
    for k, i in enumerate(index):
        alone, held = tracks[i].ecef_km(seconds)
        assert not held.any()
        assert np.array_equal(r[k], alone)


def test_unheld_tracks_leave_sgp4_failures_to_ecef_km(timescale):
    track = _doomed_track(timescale)
    index, r = unheld_ecef_km([track], [3600.0, 10 * 86400.0])
    assert index.size == 0 and r.shape == (0, 2, 3)
    assert unheld_ecef_km([track], [3600.0])[0].tolist() == [0]
