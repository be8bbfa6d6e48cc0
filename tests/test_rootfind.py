"""The vectorised bracketed root finder against known roots."""

import numpy as np

from passpredict.engine.rootfind import find_roots


def test_many_brackets_at_once_match_known_roots():
    roots = np.linspace(0.1, 9.9, 200)
    a, b = roots - 0.37, roots + 0.91

    def f(t, active):
        return np.tanh(3.0 * (t - roots[active])) + 0.01 * (t - roots[active]) ** 3

    found = find_roots(f, a, b, f(a, np.arange(200)), f(b, np.arange(200)), 1e-9)
    assert np.max(np.abs(found - roots)) < 1e-8


def test_zero_at_an_end_is_the_root_and_flat_functions_still_converge():
    a, b = np.array([0.0, -1.0]), np.array([1.0, 1.0])

    def f(t, active):
        centre = np.array([0.0, 0.3])[active]
        return np.sign(t - centre) * np.abs(t - centre) ** 7  # very flat near the root

    found = find_roots(f, a, b, f(a, np.arange(2)), f(b, np.arange(2)), 1e-6)
    assert found[0] == 0.0
    assert abs(found[1] - 0.3) < 1e-6
