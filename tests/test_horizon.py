"""Horizon masks: passes above a skyline, against a brute-force 1 s oracle of the same mask.

The oracle asks Skyfield's full-accuracy path for the satellite's azimuth and elevation every
second, computes the threshold (the higher of the minimum elevation and the skyline, linear
between its points, written out here segment by segment) and takes each run of samples at or
above it as a pass, its ends linearly interpolated between the two samples around them. It
shares no code with `passpredict.horizon` or the pass search.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from oracle import Track, Window, read_element_sets

from passpredict.horizon import mask_from_points, read_mask_file
from passpredict.predict import predict
from passpredict.records import Observer

DATA_DIR = Path(__file__).parent / "data" / "oracle"
START = datetime(2026, 5, 6, 12, 0, tzinfo=UTC)
END = START + timedelta(days=1)
#: Issue 13: masked passes within 1 s of a 1 s oracle.
TIME_TOL_S = 1.0
#: Stretches above the mask shorter than this may be missed by either side (both sample at
#: 1 s); they are not required to match.
SHORT_S = 1.0

#: A roof in Baku: a block to the east (40 deg), a lower one south-west (25 deg), trees north.
SKYLINE = (
    (0.0, 8.0),
    (80.0, 5.0),
    (90.0, 40.0),
    (120.0, 40.0),
    (130.0, 5.0),
    (200.0, 5.0),
    (210.0, 25.0),
    (260.0, 25.0),
    (270.0, 5.0),
    (350.0, 12.0),
)


def skyline_elevation(points, azimuth_deg):
    """The oracle's own mask: linear between points, wrapping across north."""
    az = np.mod(np.asarray(azimuth_deg, dtype=float), 360.0)
    out = np.empty_like(az)
    pts = list(points) + [(points[0][0] + 360.0, points[0][1])]
    for k, a in enumerate(az):
        a = a if a >= pts[0][0] else a + 360.0
        for (a0, e0), (a1, e1) in zip(pts, pts[1:], strict=False):
            if a0 <= a <= a1:
                out[k] = e0 + (e1 - e0) * (a - a0) / (a1 - a0)
                break
    return out


@functools.cache
def _element_sets():
    return tuple(read_element_sets(DATA_DIR / "elements.tle")[:3])  # SPOT 7, ISS, METOP-B


def oracle_passes(element_set, observer, min_elevation_deg, timescale):
    window = Window(timescale, START, END)
    track = Track.create(
        element_set,
        observer.latitude_deg,
        observer.longitude_deg,
        observer.elevation_m,
        timescale,
    )
    seconds = window.sample_seconds()
    el, az, _ = track.look(window.time(seconds))
    # only samples near the sky need the (slow, plain) mask: below -1 deg nothing is up
    threshold = np.full(el.shape, float(min_elevation_deg))
    near = el > -1.0
    threshold[near] = np.maximum(threshold[near], skyline_elevation(observer.horizon, az[near]))
    f = el - threshold
    above = f >= 0
    assert not above[0] and not above[-1], "choose a window with no pass at its ends"
    edges = np.diff(above.astype(np.int8))
    ups, downs = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)

    def crossing(k):
        return seconds[k] + f[k] / (f[k] - f[k + 1]) * (seconds[k + 1] - seconds[k])

    return [(crossing(u), crossing(d)) for u, d in zip(ups, downs, strict=True)]


@pytest.mark.parametrize("min_elevation_deg", [0.0, 10.0])
def test_masked_passes_match_a_brute_force_oracle(timescale, min_elevation_deg):
    roof = Observer("Roof", 40.4093, 49.8671, 30.0, None, SKYLINE)
    flat = Observer("Roof", 40.4093, 49.8671, 30.0)
    prediction = predict(
        _element_sets(), [roof], START, END, min_elevation_deg, timescale=timescale
    )
    unmasked = predict(_element_sets(), [flat], START, END, min_elevation_deg, timescale=timescale)
    split = hidden = 0
    for es in _element_sets():
        expected = oracle_passes(es, roof, min_elevation_deg, timescale)
        got = [
            (
                (p.rise.time_utc - START).total_seconds(),
                (p.set.time_utc - START).total_seconds(),
            )
            for p in prediction.passes
            if p.norad_id == es.norad_id
        ]
        long_expected = [e for e in expected if e[1] - e[0] >= SHORT_S]
        for rise_s, set_s in long_expected:
            match = [g for g in got if abs(g[0] - rise_s) <= TIME_TOL_S]
            assert match, f"{es.name}: oracle pass {rise_s:.1f}..{set_s:.1f} s not found in {got}"
            assert abs(match[0][1] - set_s) <= TIME_TOL_S, (es.name, match[0], (rise_s, set_s))
        for rise_s, set_s in got:
            if set_s - rise_s >= SHORT_S:
                assert any(abs(e[0] - rise_s) <= TIME_TOL_S for e in expected), (es.name, rise_s)
        for q in unmasked.passes:
            if q.norad_id == es.norad_id:
                a, b = ((x.time_utc - START).total_seconds() for x in (q.rise, q.set))
                inside = sum(a <= g[0] and g[1] <= b for g in got)
                split += inside > 1
                hidden += inside == 0
    # the case must exercise both: passes split by a building and passes hidden behind one
    assert split > 0 and hidden > 0, (split, hidden)


def test_a_split_pass_has_its_own_culmination_inside_each_piece(timescale):
    roof = Observer("Roof", 40.4093, 49.8671, 30.0, None, SKYLINE)
    prediction = predict(_element_sets(), [roof], START, END, 10.0, timescale=timescale)
    for p in prediction.passes:
        assert p.rise.time_utc <= p.culmination.time_utc <= p.set.time_utc
        for point in (p.rise, p.set):  # rise and set are on the threshold
            limit = max(10.0, float(skyline_elevation(SKYLINE, [point.azimuth_deg])[0]))
            assert point.elevation_deg == pytest.approx(limit, abs=0.01)


def test_observers_without_a_mask_are_untouched(timescale):
    flat = Observer("Flat", 40.4093, 49.8671, 30.0)
    roof = Observer("Roof", 40.4093, 49.8671, 30.0, None, SKYLINE)
    alone = predict(_element_sets(), [flat], START, END, 10.0, timescale=timescale)
    both = predict(_element_sets(), [flat, roof], START, END, 10.0, timescale=timescale)
    assert [p for p in both.passes if p.observer == "Flat"] == list(alone.passes)


def test_mask_wraps_across_north():
    mask = mask_from_points([(10, 10), (350, 30)])
    assert mask.elevation_at(np.array([0.0, 10.0, 180.0, 350.0, 355.0])) == pytest.approx(
        [20.0, 10.0, 20.0, 30.0, 25.0]
    )
    assert mask_from_points([(0, 5), (180, 9), (360, 5)]).points() == ((0.0, 5.0), (180.0, 9.0))


def test_mask_file_reads_comments_and_commas(tmp_path):
    path = tmp_path / "roof.txt"
    path.write_text("# az el\n0 5\n\n90, 40  # the block\n180 3.5\n")
    assert read_mask_file(path).points() == ((0.0, 5.0), (90.0, 40.0), (180.0, 3.5))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0 5\n90 10\n45 3\n", "azimuth 45 on line 3 does not follow 90"),
        ("0 5\n400 10\n", "azimuth 400 on line 2 is outside 0-360"),
        ("0 5\n90 95\n", "elevation 95 on line 2 is outside -5..90"),
        ("0 5\n90 -6\n", "elevation -6 on line 2 is outside -5..90"),
        ("0 5\nninety 10\n", "line 2: 'ninety 10' is not 'az_deg el_deg'"),
        ("0 5 7\n", "line 1: '0 5 7' is not 'az_deg el_deg'"),
        ("# nothing\n", "no points"),
        ("0 nan\n", "not finite"),
    ],
)
def test_bad_mask_files_are_refused_with_the_line(tmp_path, text, expected):
    path = tmp_path / "mask.txt"
    path.write_text(text)
    with pytest.raises(ValueError) as caught:
        read_mask_file(path)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)
