"""The brackets' split flat indices against numpy's own multi-index `nonzero`."""

import numpy as np
import pytest

from passpredict.engine.passes import bracket


@pytest.mark.parametrize("shape", [(1, 1, 95), (3, 3, 97), (20, 5, 100), (7, 0, 9), (2, 300, 1)])
@pytest.mark.parametrize("density", [0.0, 0.03, 1.0])
def test_split_flat_indices_are_the_multi_index_nonzero(shape, density):
    mask = np.random.default_rng(3).random(shape) < density
    got, want = bracket._nonzero_3d(mask), mask.nonzero()
    assert len(got) == 3
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype
        assert g.tobytes() == w.tobytes()
