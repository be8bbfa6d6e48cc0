"""The sign-change finder's curvature test: it may skip an interval only where no zero can be."""

import numpy as np

from passpredict.engine.crossings import _bowed_clear


def _older_test(bound, width_s, fl, fr):
    """The test before issue 11's last round: both values larger than bound * w^2 / 8."""
    same = np.signbit(fl) == np.signbit(fr)
    return same & (np.minimum(np.abs(fl), np.abs(fr)) > 0.125 * bound * width_s * width_s)


def test_an_interval_cleared_by_the_curvature_bound_holds_no_zero():
    # Random quadratics f(u) = p + q u + r u^2 on [0, w] with |f''| = 2 |r| <= B: wherever the
    # test clears an interval, a fine scan finds f of one sign throughout; and the test clears
    # at least every interval the older one did, plus intervals with one end near zero.
    rng = np.random.default_rng(11)
    n = 20_000
    w = rng.uniform(1.0, 320.0, n)
    bound = 10.0 ** rng.uniform(-4.0, -1.0, n)
    r = 0.5 * bound * rng.uniform(-1.0, 1.0, n)
    zero_at = rng.uniform(-0.5, 1.5, n) * w  # a zero of f near or inside the interval
    q = rng.normal(0.0, 1.0, n) * bound * w
    p = -(q * zero_at + r * zero_at**2)
    fl, fr = p, p + q * w + r * w * w
    clear = _bowed_clear(lambda _arg, _w: bound, np.arange(n), w, fl, fr)
    u = np.linspace(0.0, 1.0, 2001)[None, :] * w[:, None]
    f = p[:, None] + q[:, None] * u + r[:, None] * u * u
    one_sign = (f > 0.0).all(axis=1) | (f < 0.0).all(axis=1)
    assert clear.sum() > n // 10
    assert one_sign[clear].all()
    older = _older_test(bound, w, fl, fr)
    assert (clear | ~older).all()
    assert (clear & ~older).sum() > n // 20  # the new test clears more


def test_no_bound_no_values_no_clearance():
    # an infinite bound (an orbit too fast for one), NaN values (SGP4 failed) and a zero at an
    # end never clear an interval; a span of zero width clears only by the older test
    bound = np.array([np.inf, 1e-3, 1e-3, 1e-3, 1e-3])
    fl = np.array([50.0, np.nan, 0.0, 5.0, 5.0])
    fr = np.array([60.0, 40.0, 30.0, 7.0, -1.0])
    w = np.array([20.0, 20.0, 20.0, 0.0, 20.0])
    clear = _bowed_clear(lambda _arg, _w: bound, np.arange(5), w, fl, fr)
    assert clear.tolist() == [False, False, False, True, False]


def test_the_screened_grid_finds_the_plain_grids_crossings_bit_for_bit(monkeypatch):
    # Sines of many periods, heights and offsets (zeros far apart, close together, grazing,
    # none), with their exact rate and curvature bounds: the screen (every 8th sample
    # first, every 64th on spans of over 64 samples, chord-aimed and halving splits, the
    # curvature test) must find exactly what evaluating every grid sample finds, and
    # evaluate far fewer.
    from passpredict.engine import crossings

    rng = np.random.default_rng(7)
    n = 400
    amplitude = rng.uniform(50.0, 3000.0, n)
    omega = 2.0 * np.pi / rng.uniform(600.0, 6000.0, n)
    phase = rng.uniform(0.0, 2.0 * np.pi, n)
    offset = amplitude * rng.uniform(-1.2, 1.2, n)
    start = rng.uniform(0.0, 1000.0, n)
    end = start + rng.uniform(60.0, 3600.0, n)
    counted = [0]

    def f(span, t):
        counted[0] += span.size
        return amplitude[span] * np.sin(omega[span] * t + phase[span]) + offset[span]

    def bend(span, _width):
        return amplitude[span] * omega[span] ** 2

    args = (f, start, end, 20.0, 1.01 * amplitude * omega)
    screened, screened_start = crossings.span_crossings(*args, max_curvature=bend)
    screened_count = counted[0]
    assert (np.ceil((end - start) / 20.0) + 1 > crossings.LONG_SPAN_SAMPLES).mean() > 0.5
    monkeypatch.setattr(crossings, "SCREEN_EVERY", 1)
    monkeypatch.setattr(crossings, "LONG_SCREEN_EVERY", 1)
    monkeypatch.setattr(crossings, "FINE_SCREEN_EVERY", 1)
    counted[0] = 0
    plain, plain_start = crossings.span_crossings(*args)
    assert plain.span.size > n  # many crossings
    np.testing.assert_array_equal(screened.span, plain.span)
    np.testing.assert_array_equal(screened.seconds, plain.seconds)
    np.testing.assert_array_equal(screened.rising, plain.rising)
    np.testing.assert_array_equal(screened_start, plain_start)
    assert screened_count < counted[0] / 2


def test_the_samples_one_key_order_is_lexsorts():
    from passpredict.engine.crossings import _sample_order

    rng = np.random.default_rng(3)
    stride = 4321  # a day's samples at 20 s
    # unique (span, k) pairs in a few sorted runs and a shuffled one, as the screen makes them
    pairs = rng.choice(3000 * stride, size=50_000, replace=False)
    runs = [np.sort(part) for part in np.array_split(pairs[:40_000], 5)] + [pairs[40_000:]]
    key = np.concatenate(runs)
    span, k = key // stride, key % stride
    np.testing.assert_array_equal(_sample_order(span, k, stride), np.lexsort((k, span)))
