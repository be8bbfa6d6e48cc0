"""The first guesses' interpolants gathered from a grid's tables against every row's own."""

import numpy as np
import pytest

from passpredict.engine.passes import guesses


def _grid_and_rows(seed: int) -> tuple[guesses._Quintic, guesses._Quintic]:
    # one grid's interpolants gathered by row, and the same rows interpolated on their own
    rng = np.random.default_rng(seed)
    n_sat, n_t, rows = 3, 9, 40
    seconds = np.append(np.arange(0.0, 7.5 * 900.0, 900.0), 7.5 * 900.0)[:n_t]
    r = rng.normal(scale=4000.0, size=(3, n_sat, n_t)) + 7000.0
    v = rng.normal(scale=5.0, size=(3, n_sat, n_t))
    s, k = rng.integers(0, n_sat, rows), rng.integers(0, n_t - 1, rows)
    flat = np.concatenate((s * n_t + k, s * n_t + k + 1))
    r_ends, v_ends = r.reshape(3, -1)[:, flat], v.reshape(3, -1)[:, flat]
    own = guesses._Quintic.between(r_ends, v_ends, seconds[k + 1] - seconds[k])
    gathered = guesses._Quintic.on_grid(r, v, seconds).gather_grid_rows(s * (n_t - 1) + k)
    return own, gathered


@pytest.mark.parametrize("order", [1, 2, 3])
def test_tables_gathered_from_the_grid_give_every_row_its_own_derivatives(order):
    own, gathered = _grid_and_rows(order)
    tau = np.random.default_rng(7).uniform(0.0, 1.0, size=own.length_s.size)
    assert gathered.c.tobytes() == own.c.tobytes()
    assert gathered.length_s.tobytes() == own.length_s.tobytes()
    want = own.derivatives(tau, order)
    assert gathered.derivatives(tau, order).tobytes() == want.tobytes()
    # a slice of the rows (the polish's blocks) and a gather of them (its crossings)
    part = slice(5, 23)
    sliced = gathered.rows(part, max_order=order).derivatives(tau[part], order)
    assert (
        sliced.tobytes() == own.rows(part, max_order=order).derivatives(tau[part], order).tobytes()
    )
    which = np.array([3, 0, 39, 17, 17])
    taken = gathered.take(which, max_order=order).derivatives(tau[which], order)
    assert (
        taken.tobytes() == own.take(which, max_order=order).derivatives(tau[which], order).tobytes()
    )
