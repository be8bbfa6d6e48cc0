"""`textarrays.fixed_texts` (the calendar's ``%.0f`` and ``%.1f``, looked up) is ``%``'s text,
except that a value that rounds to zero is written without a sign (``-0.0`` was written for an
elevation of -0.0004 deg at a 0-deg threshold before the fix)."""

from __future__ import annotations

import numpy as np
import pytest

from passpredict.output.textarrays import TABLE_MIN_VALUES, fixed_texts
from tests.test_textarrays import _edge_values


def _awkward() -> np.ndarray:
    rng = np.random.default_rng(4)
    ties = np.arange(-3000, 3000) / 200 + 0.0025
    near_zero = [-0.3, -0.05, -0.04, 0.05, 0.15, 0.25, 0.35, 2.5, 3.5, -2.5, -0.0, 0.0]
    past_tables = [99_999.4, 99_999.6, -998.6, -999.5, 1e300, -1e300]
    return np.concatenate(
        [_edge_values(), rng.uniform(-100, 100, 3000), ties, near_zero, past_tables]
    )


def _percent(spec: str, value: float) -> str:
    """``spec % value``, a rounded zero without its sign."""
    text = spec % value
    return text[1:] if text.startswith("-") and float(text) == 0 else text


@pytest.mark.parametrize("digits", [0, 1, 2, 3])
def test_fixed_texts_are_percent_formatting(digits):
    values = _awkward()
    spec = f"%.{digits}f"
    assert fixed_texts(values, digits) == [_percent(spec, v) for v in values.tolist()]
    short = values[: TABLE_MIN_VALUES - 1]
    assert fixed_texts(short, digits) == [_percent(spec, v) for v in short.tolist()]
