"""Flip and cable-wrap plans, Doppler arithmetic and operator retuning (no daemons)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.products.radio import SPEED_OF_LIGHT_KM_S
from passpredict.records import Observer
from passpredict.station.clock import ManualClock
from passpredict.station.doppler import DopplerPlan
from passpredict.station.schedule import segment_for, upcoming_passes
from passpredict.station.target import Target
from passpredict.station.tracker import Tracker, TrackerOptions
from passpredict.station.wrap import RotatorLimits, plan_pass
from tle_cache.parse import read_file

SPOT7 = Path(__file__).parents[1] / "data" / "visibility" / "spot7_40053_2026-05-30.tle"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")


def synthetic(az_start, az_end, n=200):
    seconds = np.linspace(0, 600, n)
    az = np.mod(np.linspace(az_start, az_end, n), 360.0)
    el = 80.0 * np.sin(np.linspace(0, np.pi, n))
    return seconds, az, el


@pytest.mark.parametrize(
    ("limits", "track", "flipped", "crosses"),
    [
        # across north, 0:360 rotator: no way without a turn, unless it can flip
        (RotatorLimits(0, 360, 90), (300, 420), False, True),
        (RotatorLimits(0, 360, 180), (300, 420), True, False),
        # the overlap of a 450 deg rotator takes it without flipping
        (RotatorLimits(0, 450, 90), (300, 420), False, False),
        (RotatorLimits(-180, 180, 90), (300, 420), False, False),
        # across south on -180:180: the stop is there, flip it
        (RotatorLimits(-180, 180, 180), (120, 240), True, False),
        (RotatorLimits(-180, 540, 90), (120, 240), False, False),
    ],
)
def test_plans_avoid_the_stop(limits, track, flipped, crosses):
    seconds, az, el = synthetic(*track)
    plan = plan_pass(seconds, az, el, limits)
    assert plan.flipped is flipped
    assert plan.crosses_stop is crosses
    assert plan.azimuth_deg.min() >= limits.azimuth_min_deg - 1e-9
    assert plan.azimuth_deg.max() <= limits.azimuth_max_deg + 1e-9
    # every commanded position points where the satellite is
    cmd_az, cmd_el = plan.azimuth_deg, plan.elevation_deg
    if plan.flipped:
        cmd_az, cmd_el = cmd_az - 180.0, 180.0 - cmd_el
    assert np.allclose(np.mod(cmd_az - az + 180, 360) - 180, 0, atol=1e-9)
    assert np.allclose(cmd_el, el)
    if not crosses:
        assert np.abs(np.diff(plan.azimuth_deg)).max() < 5.0


def test_plan_prefers_the_wrap_nearest_the_rotator():
    seconds, az, el = synthetic(10, 60)
    limits = RotatorLimits(0, 450, 90)
    assert plan_pass(seconds, az, el, limits, current_azimuth_deg=0.0).azimuth_deg[0] == 10.0
    assert plan_pass(seconds, az, el, limits, current_azimuth_deg=400.0).azimuth_deg[0] == 370.0


def test_doppler_frequencies_and_inverting_retune():
    plan = DopplerPlan(435e6, 145.9e6, inverting=True)
    rr = -7.0  # approaching
    assert plan.ground_downlink_hz(rr) == pytest.approx(435e6 * (1 + 7 / SPEED_OF_LIGHT_KM_S))
    assert plan.ground_uplink_hz(rr) == pytest.approx(145.9e6 / (1 + 7 / SPEED_OF_LIGHT_KM_S))
    heard = plan.ground_downlink_hz(rr) + 1000.0  # the operator tunes 1 kHz up
    moved = plan.retuned(heard, rr)
    assert moved.downlink_hz - 435e6 == pytest.approx(1000.0 / (1 + 7 / SPEED_OF_LIGHT_KM_S))
    assert moved.uplink_hz - 145.9e6 == pytest.approx(-(moved.downlink_hz - 435e6))
    normal = DopplerPlan(435e6, 145.9e6).retuned(heard, rr)
    assert normal.uplink_hz - 145.9e6 == pytest.approx(normal.downlink_hz - 435e6)


class _Radio:
    """A stand-in radio whose dial the test can turn (the loop logic, not the protocol)."""

    def __init__(self):
        self.rx = None
        self.tx = None

    def set_frequency(self, hz):
        self.rx = round(hz)

    def frequency_hz(self):
        return self.rx

    def enable_split(self):
        pass

    def set_split_frequency(self, hz):
        self.tx = round(hz)


class _Sink:
    def __init__(self, radio, clock, turn_at):
        self.commands, self.events = [], []
        self.radio, self.clock, self.turn_at = radio, clock, turn_at

    def command(self, c):
        self.commands.append(c)

    def status(self, text):
        if self.turn_at is not None and self.clock.now() >= self.turn_at:
            self.radio.rx += 2000  # the operator turns the dial 2 kHz up, once
            self.turn_at = None

    def warn(self, text):
        raise AssertionError(text)

    def event(self, text):
        self.events.append(text)


def test_loop_follows_an_operator_retune_on_an_inverting_transponder(timescale):
    (es,) = read_file(SPOT7)
    start = datetime(2026, 5, 30, 17, 14, tzinfo=UTC)
    item = next(upcoming_passes(es, BAKU, start, 10.0, timescale))
    target = Target(es, BAKU, timescale)
    limits = RotatorLimits(-180, 180, 90)
    segment = segment_for(item, target, limits, start, None)
    clock = ManualClock(start)
    radio = _Radio()
    sink = _Sink(radio, clock, item.culmination.time_utc)
    doppler = DopplerPlan(435e6, 145.9e6, inverting=True, step_hz=5.0)
    tracker = Tracker(target, clock, limits, TrackerOptions(), sink, None, radio, doppler)
    tracker.run([segment])
    assert any("retuned" in e for e in sink.events)
    _, _, rr = target.look([item.set.time_utc])
    ratio = 1 - float(rr[0]) / SPEED_OF_LIGHT_KM_S
    # after the retune the pair moved by +2 kHz (downlink) and -2 kHz (uplink) at the satellite
    # (to within the Doppler drift of the one 1 s tick before the turn was noticed: the dial
    # is read a tick later, near culmination about 80 Hz at 435 MHz)
    moved_hz = radio.rx / ratio - 435e6
    assert moved_hz == pytest.approx(2000.0, abs=150.0)
    # and the uplink mirrors it exactly (to the 1 Hz of the radio's resolution)
    assert radio.tx * ratio - 145.9e6 == pytest.approx(-moved_hz, abs=3.0)
    assert clock.now() == item.set.time_utc
    assert abs((sink.commands[-1].time_utc - item.set.time_utc) / timedelta(seconds=1)) < 1e-6
