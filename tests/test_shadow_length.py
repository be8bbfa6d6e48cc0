"""`shadow.vector_length` is numpy's norm over the last axis, to the last bit."""

import numpy as np
import pytest

from passpredict.engine.shadow import vector_length


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
