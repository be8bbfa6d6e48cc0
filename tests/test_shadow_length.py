"""`shadow.vector_length` is numpy's norm over the last axis, and `clearance_and_sunward_km`
the formula on (..., 3) vectors with `einsum`, to the last bit."""

import numpy as np
import pytest

from passpredict.engine.frames import WGS84_A_KM, WGS84_F
from passpredict.engine.shadow import clearance_and_sunward_km, vector_length


@pytest.mark.parametrize("shape", [(1, 3), (7, 3), (100_000, 3), (500, 3, 3), (3,)])
def test_the_length_is_numpys_norm_bit_for_bit(shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.normal(size=shape) * 10.0 ** rng.uniform(-6.0, 6.0, size=shape)
    x.flat[::97] = np.nan
    expected = np.linalg.norm(x, axis=-1)
    got = vector_length(x)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    keep = ~np.isnan(expected)
    assert np.array_equal(np.asarray(got)[keep].view(np.uint64), expected[keep].view(np.uint64))
    # views that are not contiguous (columns of a wider array) too
    wide = rng.normal(size=(1000, 5)) * 1e4
    assert np.array_equal(vector_length(wide[:, 1:4]), np.linalg.norm(wide[:, 1:4], axis=-1))


def _clearance_on_vectors(r_sat_ecef_km, r_sun_ecef_km):
    """`clearance_and_sunward_km` as written on (..., 3) vectors before issue 11's rewrite."""
    scale = np.array([1.0, 1.0, 1.0 / (1.0 - WGS84_F)])
    p = np.asarray(r_sat_ecef_km, dtype=float) * scale
    towards_sun = np.asarray(r_sun_ecef_km, dtype=float) * scale - p
    towards_sun = towards_sun / vector_length(towards_sun)[..., None]
    sunward_km = np.einsum("...j,...j->...", p, towards_sun)
    along = np.maximum(-sunward_km, 0.0)
    closest = p + along[..., None] * towards_sun
    return vector_length(closest) - WGS84_A_KM, sunward_km


def _same_bits(got, expected):
    assert got.shape == expected.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    keep = ~np.isnan(expected)
    return np.array_equal(got[keep].view(np.uint64), expected[keep].view(np.uint64))


@pytest.mark.parametrize(
    "sat_shape, sun_shape",
    [
        ((50_000, 3), (50_000, 3)),
        ((400, 3, 3), (400, 3, 3)),
        ((30, 200, 3), (1, 200, 3)),
        ((1, 200, 3), (30, 200, 3)),
        ((3,), (3,)),
    ],
)
def test_the_clearance_on_coordinates_is_the_vector_formula_bit_for_bit(sat_shape, sun_shape):
    rng = np.random.default_rng(sum(sat_shape))
    direction = rng.normal(size=sat_shape)
    sat = direction / np.linalg.norm(direction, axis=-1, keepdims=True)
    sat = sat * rng.uniform(6300.0, 45000.0, size=sat_shape[:-1])[..., None]
    sun = rng.normal(size=sun_shape) * 1.5e8
    if sat.size > 3:
        sat.flat[::101] = np.nan  # failed SGP4 samples
        sat.reshape(-1)[3:6] = 0.0  # the Earth's centre: a sunward distance of exactly zero
        sat.reshape(-1)[6:9] = (-0.0, 0.0, -0.0)
    with np.errstate(invalid="ignore"):
        got = clearance_and_sunward_km(sat, sun)
        expected = _clearance_on_vectors(sat, sun)
    for g, e in zip(got, expected, strict=True):
        assert _same_bits(np.asarray(g), np.asarray(e))
