"""Safeguarded Newton (`NewtonBrackets`, `find_roots_newton`) against known roots."""

import numpy as np

from passpredict.engine.rootfind import NewtonBrackets, find_roots_newton

TOLERANCE = 1e-6


def _tanh_problem(n):
    roots = np.linspace(0.1, 9.9, n)

    def f(t, ids):
        x = t - roots[ids]
        return np.tanh(3.0 * x) + 0.01 * x**3, 3.0 / np.cosh(3.0 * x) ** 2 + 0.03 * x**2

    return roots, f


def test_many_brackets_from_poor_guesses_match_known_roots():
    roots, f = _tanh_problem(200)
    a, b = roots - 0.37, roots + 0.91
    ids = np.arange(200)
    fa, fb = f(a, ids)[0], f(b, ids)[0]
    guesses = np.where(ids % 3 == 0, b + 5.0, np.where(ids % 3 == 1, np.nan, roots + 0.8))
    found = find_roots_newton(f, a, b, fa, fb, guesses, TOLERANCE)
    assert np.max(np.abs(found - roots)) < TOLERANCE


def test_good_guess_with_curvature_scale_finishes_in_one_evaluation():
    roots, f = _tanh_problem(50)
    ids = np.arange(50)
    a, b = roots - 1.0, roots + 1.0
    solver = NewtonBrackets(TOLERANCE)
    solver.add(a, b, f(a, ids)[0], f(b, ids)[0], roots + 1e-4)
    pending = solver.pending()
    value, slope = f(solver.points[pending], pending)
    # |f''/(2 f')| is below 3 here, so one step from 1e-4 leaves an error under 3e-8
    solver.absorb(pending, value, slope, np.full(pending.size, 3.0))
    assert solver.pending().size == 0
    assert np.max(np.abs(solver.finish() - roots)) < TOLERANCE


def test_zero_at_an_end_and_newton_steps_out_of_the_bracket():
    a, b = np.array([0.0, -1.0, -3.0]), np.array([1.0, 1.0, 3.0])
    centre = np.array([0.0, 0.3, -0.2])

    def f(t, ids):
        x = t - centre[ids]
        return np.arctan(5.0 * x), 5.0 / (1.0 + 25.0 * x * x)  # Newton overshoots far out

    ids = np.arange(3)
    guesses = np.array([0.5, 0.9, 2.5])
    found = find_roots_newton(f, a, b, f(a, ids)[0], f(b, ids)[0], guesses, TOLERANCE)
    assert found[0] == 0.0
    assert np.max(np.abs(found[1:] - centre[1:])) < TOLERANCE


def test_a_flat_multiple_root_does_not_stall():
    def f(t, ids):
        return t**7, 7.0 * t**6  # Newton only crawls towards a root of multiplicity 7

    found = find_roots_newton(
        f, np.array([-1.0]), np.array([0.5]), -np.ones(1), np.ones(1), np.array([0.4]), 1e-6
    )
    assert abs(found[0]) < 1e-5


def test_brackets_added_between_sweeps_are_solved_too():
    roots, f = _tanh_problem(10)
    solver = NewtonBrackets(TOLERANCE)
    first = solver.add(roots[:5] - 1, roots[:5] + 1, -np.ones(5), np.ones(5), roots[:5] + 0.1)
    pending = solver.pending()
    solver.absorb(pending, *f(solver.points[pending], pending))
    second = solver.add(roots[5:] - 1, roots[5:] + 1, -np.ones(5), np.ones(5), roots[5:] - 0.1)
    assert list(second) == list(range(5, 10)) and list(first) == list(range(5))
    for _ in range(50):
        pending = solver.pending()
        if pending.size == 0:
            break
        solver.absorb(pending, *f(solver.points[pending], pending))
    assert np.max(np.abs(solver.finish() - roots)) < TOLERANCE


def test_a_far_guess_is_not_finished_by_a_vanishing_curvature():
    """A zero curvature scale predicts no error at all; a long step must be checked anyway."""
    root = 0.3

    def f(t, ids):
        return np.arctan(t - root), 1.0 / (1.0 + (t - root) ** 2)

    solver = NewtonBrackets(TOLERANCE)
    solver.add(np.array([-10.0]), np.array([10.0]), -np.ones(1), np.ones(1), np.array([1.5]))
    ids = solver.pending()
    solver.absorb(ids, *f(solver.points[ids], ids), np.zeros(1))
    assert solver.pending().size == 1  # a 1.2-unit step is far more than 1000 tolerances
    for _ in range(50):
        ids = solver.pending()
        if ids.size == 0:
            break
        solver.absorb(ids, *f(solver.points[ids], ids), np.zeros(ids.size))
    assert abs(solver.finish()[0] - root) < TOLERANCE
