"""The interpolated Sun against Skyfield's full-accuracy apparent Sun at many instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from skyfield.sgp4lib import TEME

from passpredict.engine.sun import SUN_NODE_STEP_S, SunTrack
from passpredict.engine.time_axis import TimeBase

#: The bound the node spacing is chosen for (arcsec): far below anything a pass time shows.
MAX_DIRECTION_ERROR_ARCSEC = 1e-4


def test_the_interpolated_sun_follows_skyfield_to_well_under_an_arcsecond(astronomy):
    ts = astronomy.timescale
    for start, days in (
        (datetime(2026, 5, 8, tzinfo=UTC), 30),
        (datetime(2049, 12, 1, tzinfo=UTC), 400),
    ):
        timebase = TimeBase.create(start, start + timedelta(days=days), ts)
        span_s = days * 86400.0
        rng = np.random.default_rng(11)
        seconds = np.concatenate([[0.0, span_s], rng.uniform(0.0, span_s, 3000)])
        track = SunTrack.create(astronomy, timebase, 0.0, span_s)
        assert np.allclose(np.diff(track.node_seconds), SUN_NODE_STEP_S)
        got = track.teme_km(seconds)
        t = ts.utc(start.year, start.month, start.day, 0, 0, seconds)
        want = np.asarray(
            astronomy.earth.at(t).observe(astronomy.sun).apparent().frame_xyz(TEME).km
        ).T
        unit_got = got / np.linalg.norm(got, axis=1)[:, None]
        unit_want = want / np.linalg.norm(want, axis=1)[:, None]
        angle_arcsec = np.degrees(np.linalg.norm(np.cross(unit_got, unit_want), axis=1)) * 3600
        assert angle_arcsec.max() < MAX_DIRECTION_ERROR_ARCSEC
        distance = np.linalg.norm(got, axis=1) / np.linalg.norm(want, axis=1) - 1.0
        assert np.abs(distance).max() < 1e-9


def _lagrange_as_written(track: SunTrack, seconds: np.ndarray) -> np.ndarray:
    """The degree-5 Lagrange interpolation written out: w_k = prod_{m != k} (u - m) / (k - m)
    in order of m, then sum_k w_k node_k in order of k (the formula before issue 11's rewrite)."""
    nodes, step = track.node_seconds, track.node_seconds[1] - track.node_seconds[0]
    first = np.clip(np.floor((seconds - nodes[0]) / step).astype(np.intp) - 2, 0, nodes.size - 6)
    u = (seconds - nodes[first]) / step
    total = np.zeros((seconds.size, 3))
    for k in range(6):
        factors = [(u - m) / float(k - m) for m in range(6) if m != k]
        weight = factors[0]
        for factor in factors[1:]:
            weight = weight * factor
        term = weight[:, None] * track.node_teme_km[first + k]
        total = term if k == 0 else total + term
    return total


def test_the_weights_without_power_of_two_divisions_give_the_formula_bit_for_bit(astronomy):
    # dividing by +-1, 2, 4 is an exact scaling, moved onto the nodes (sun._weight_steps)
    rng = np.random.default_rng(5)
    for start, days in (
        (datetime(2026, 5, 8, tzinfo=UTC), 1),
        (datetime(2031, 2, 1, tzinfo=UTC), 30),
    ):
        timebase = TimeBase.create(start, start + timedelta(days=days), astronomy.timescale)
        span_s = days * 86400.0
        track = SunTrack.create(astronomy, timebase, 0.0, span_s)
        seconds = np.concatenate(
            [
                rng.uniform(0.0, span_s, 200_000),
                np.linspace(0.0, span_s, 50_001),
                track.node_seconds[3:-3],
            ]
        )
        assert np.array_equal(track.teme_km(seconds), _lagrange_as_written(track, seconds))
