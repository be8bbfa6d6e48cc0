"""The time axis: UT1 per sample as Skyfield's timescale gives it, across years and leap seconds.

Issue 10: UT1 - UTC used to be interpolated linearly between the window's ends, which moved
events by up to 90 ms over a year and broke across the 2016-12-31 leap second (where UT1 - UTC
steps by a whole second).
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from oracle import read_element_sets

from passpredict.engine.passes import find_passes
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer

ORACLE_DATA = Path(__file__).parent / "data" / "oracle"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0)
#: The last leap second so far: 2016-12-31 23:59:60 UTC.
AFTER_LEAP_SECOND = datetime(2017, 1, 1, tzinfo=UTC)
#: Same events to this (the issue's figure); the engine's root tolerance is 1 ms.
SAME_EVENT_S = 1e-3


def _skyfield_dut1(timescale, timebase, seconds):
    t = timescale.from_datetimes([timebase.to_datetime(s) for s in seconds])
    return np.asarray(t.dut1)


@pytest.mark.parametrize(
    ("start", "days"),
    [
        (datetime(2025, 11, 1, 7, 13, tzinfo=UTC), 365.0),  # a year of Earth-orientation data
        (datetime(2016, 12, 30, 12, tzinfo=UTC), 3.0),  # across the 2016 leap second
        (datetime(2027, 6, 1, tzinfo=UTC), 30.0),  # past the table: Skyfield's long-term model
    ],
)
def test_dut1_is_skyfields_at_every_sample(timescale, start, days):
    timebase = TimeBase.create(start, start + timedelta(days=days), timescale)
    seconds = np.sort(np.random.default_rng(10).uniform(0.0, days * 86400.0, 1500))
    ours = timebase.dut1_s(seconds)
    assert np.max(np.abs(ours - _skyfield_dut1(timescale, timebase, seconds))) < 1e-6


def test_dut1_steps_by_the_leap_second_at_midnight(timescale):
    start = datetime(2016, 12, 31, 12, tzinfo=UTC)
    timebase = TimeBase.create(start, start + timedelta(days=1), timescale)
    midnight = timebase.seconds_since_start(AFTER_LEAP_SECOND)
    assert midnight == 43200.0  # datetime arithmetic: the leap second is not on the axis
    before, at, after = timebase.dut1_s([midnight - 1e-3, midnight, midnight + 1.0])
    assert at - before == pytest.approx(1.0, abs=1e-4)
    expected = _skyfield_dut1(timescale, timebase, [midnight - 1.0, midnight, midnight + 1.0])
    assert np.allclose([before, at, after], expected, atol=1e-6)
    # GMST (UT1) jumps by one second of Earth rotation there, and nowhere else
    gmst = np.unwrap(timebase.gmst_rad([midnight - 1.0, midnight, midnight + 1.0]))
    turn_s = np.diff(gmst) / 7.292115855e-5
    assert turn_s == pytest.approx([2.0, 1.0], abs=1e-4)


def test_a_year_window_gives_the_events_of_365_day_windows(timescale):
    (spot7,) = [es for es in read_element_sets(ORACLE_DATA / "elements.tle") if es.name == "SPOT 7"]
    start = datetime(2025, 11, 1, tzinfo=UTC)
    year = find_passes([spot7], [BAKU], start, start + timedelta(days=365), 10.0, timescale)
    days = [
        p
        for d in range(365)
        for p in find_passes(
            [spot7],
            [BAKU],
            start + timedelta(days=d),
            start + timedelta(days=d + 1),
            10.0,
            timescale,
        )
    ]
    assert len(year) > 1400
    for name in ("rise", "set", "culmination"):

        def times(passes, name=name):
            # the culminations of passes cut by a day's end are the day's end, not events
            kept = [p for p in passes if name != "culmination" or (p.rise and p.set)]
            points = [getattr(p, name) for p in kept]
            return np.array([(q.time_utc - start).total_seconds() for q in points if q])

        ours, theirs = times(year), times(days)
        if name != "culmination":
            assert ours.size == theirs.size
        nearest = np.abs(ours[:, None] - theirs[None, :]).min(axis=0)
        assert nearest.max() <= SAME_EVENT_S, name


def test_one_segment_dut1_is_numpys_interpolation_bit_for_bit(timescale):
    # a day from a midnight has two nodes: dut1_s interpolates without np.interp's search
    from passpredict.engine.time_axis import _interp_one_segment

    rng = np.random.default_rng(10)
    base = TimeBase.create(
        datetime(2026, 5, 8, tzinfo=UTC), datetime(2026, 5, 9, tzinfo=UTC), timescale
    )
    assert base.node_s.size == 2
    nodes, values = base.node_s, base.ut1_minus_tai_s
    inside = rng.uniform(nodes[0], nodes[1], 200_000)
    ends = np.concatenate([nodes, np.nextafter(nodes, 0.0), nodes - 5.0, nodes + 5.0])
    for x in (inside, np.round(inside, 3), ends, ends[:1], np.array([np.nan, 1.0])):
        assert (
            _interp_one_segment(x, nodes, values).tobytes() == np.interp(x, nodes, values).tobytes()
        )
        assert base.dut1_s(x).tobytes() == (np.interp(x, nodes, values) + 37.0).tobytes()
    for nodes, values in (
        ([-43200.0, 43200.0], [-36.9, -36.95]),
        ([-12.5, 86387.5], [-37.1, -37.0]),
    ):
        nodes, values = np.array(nodes), np.array(values)
        x = rng.uniform(nodes[0] - 1.0, nodes[1] + 1.0, 100_000)
        assert (
            _interp_one_segment(x, nodes, values).tobytes() == np.interp(x, nodes, values).tobytes()
        )
