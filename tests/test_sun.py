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
        teme = _lagrange_as_written(track, seconds)
        assert np.array_equal(track.teme_km(seconds), teme)
        # and the Earth-fixed Sun: the rotation as written, whatever the blocks (8,192 points)
        cos_g, sin_g = np.cos(timebase.gmst_rad(seconds)), np.sin(timebase.gmst_rad(seconds))
        x, y = teme[:, 0], teme[:, 1]
        ecef = np.stack([cos_g * x + sin_g * y, -sin_g * x + cos_g * y, teme[:, 2]], axis=-1)
        assert track.ecef_km(seconds).tobytes() == ecef.tobytes()


def test_the_altitude_curvature_bound_holds_for_the_sun_seen_from_anywhere(astronomy):
    # The Sun's altitude every 5 s over two days, from the equator, mid latitudes, a polar
    # site and the southern hemisphere, at both solstices and an equinox: its second
    # difference stays under the bound at that altitude (up to 80 deg; the kink at the
    # zenith has none), and the bound is within 10x of the largest one seen near twilight.
    from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
    from passpredict.engine.sun import altitude_curvature_bound_deg_s2
    from passpredict.records import Observer

    observers = [
        Observer("Baku", 40.4093, 49.8671, -28.0),
        Observer("Quito", -0.18, -78.47, 2850.0),
        Observer("Tromso", 69.65, 18.96, 0.0),
        Observer("Ushuaia", -54.8, -68.3, 0.0),
    ]
    step_s = 5.0
    worst_ratio, worst_near_twilight = 0.0, 0.0
    for start in (
        datetime(2026, 6, 21, tzinfo=UTC),
        datetime(2026, 9, 23, tzinfo=UTC),
        datetime(2026, 12, 21, tzinfo=UTC),
    ):
        timebase = TimeBase.create(start, start + timedelta(days=2), astronomy.timescale)
        track = SunTrack.create(astronomy, timebase, 0.0, 2 * 86400.0)
        seconds = np.arange(0.0, 2 * 86400.0, step_s)
        sun = track.ecef_km(seconds)
        for observer in observers:
            _, el, _ = look_angles(
                sun, observer_ecef_km([observer])[0], observer_enu_basis([observer])[0]
            )
            second = (el[2:] - 2.0 * el[1:-1] + el[:-2]) / step_s**2
            middle = el[1:-1]
            judged = np.abs(middle) < 80.0
            bound = np.array(
                [altitude_curvature_bound_deg_s2(a, 0.005, np.zeros(1))[0] for a in middle[judged]]
            )
            ratio = np.abs(second[judged]) / bound
            worst_ratio = max(worst_ratio, float(ratio.max()))
            dusk = np.abs(middle[judged] + 9.0) < 9.0  # (none under Tromso's midnight Sun)
            if dusk.any():
                worst_near_twilight = max(worst_near_twilight, float(ratio[dusk].max()))
    assert worst_ratio < 1.0
    assert worst_near_twilight > 0.1


def test_the_altitude_curvature_bound_widens_with_the_interval_and_ends_near_the_poles():
    from passpredict.engine.sun import altitude_curvature_bound_deg_s2

    widths = np.array([0.0, 120.0, 1920.0, 20000.0])
    bound = altitude_curvature_bound_deg_s2(-6.0, 0.005, widths)
    assert np.all(np.diff(bound[:3]) > 0.0) and bound[0] > 0.0
    assert np.isinf(bound[3])  # 6 + 100 deg: past the nadir's kink, no bound
    assert np.isinf(altitude_curvature_bound_deg_s2(-89.5, 0.005, np.zeros(1))[0])


def test_the_suns_nodes_are_kept_per_window_and_are_skyfields_to_the_bit(astronomy):
    from passpredict.engine import sun

    start = datetime(2026, 5, 8, tzinfo=UTC)
    timebase = TimeBase.create(start, start + timedelta(days=1), astronomy.timescale)
    sun._NODES.clear()
    computed = SunTrack.create(astronomy, timebase, 0.0, 86400.0)
    kept = SunTrack.create(astronomy, timebase, 0.0, 86400.0)  # a batch's next chunk
    assert kept.node_teme_km is computed.node_teme_km
    assert not kept.node_teme_km.flags.writeable
    sun._NODES.clear()
    again = SunTrack.create(astronomy, timebase, 0.0, 86400.0)
    assert again.node_teme_km is not computed.node_teme_km
    assert again.node_teme_km.tobytes() == computed.node_teme_km.tobytes()
    # another window, other nodes
    later = SunTrack.create(astronomy, timebase, 3600.0, 86400.0)
    assert not np.array_equal(later.node_teme_km, computed.node_teme_km)
