"""Every data-writing command's stdout equals its golden file byte for byte (`tests/golden.py`).

The golden files were written by the record-based output code before issue 11; an output
layer fed by arrays must write exactly the same bytes. To regenerate after a deliberate
format change: ``.venv/bin/python tests/golden.py --write [NAME...]`` (see that module).
"""

from __future__ import annotations

import pytest
from golden import CASES, Case, read_golden, run_case


def _first_difference(expected: bytes, actual: bytes) -> str:
    old, new = expected.splitlines(), actual.splitlines()
    for n, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return f"line {n + 1}:\n  golden: {a[:300]!r}\n  now:    {b[:300]!r}"
    return f"golden has {len(old)} lines, now {len(new)}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_output_equals_golden(case: Case, tmp_path) -> None:
    expected = read_golden(case)
    assert expected is not None, f"no golden file for {case.name}; see tests/golden.py"
    actual = run_case(case, tmp_path / "home")
    assert actual == expected, _first_difference(expected, actual)
