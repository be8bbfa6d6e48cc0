"""`json_text` columns written by distinct value (few distinct among many) are `json.dumps`'s."""

from __future__ import annotations

import json
import math

import pytest

from passpredict.output.json_text import column_json, records_json


def _oracle(values: list, ensure_ascii: bool = False) -> list[str]:
    return [json.dumps(v, ensure_ascii=ensure_ascii) for v in values]


@pytest.mark.parametrize(
    "values",
    [
        [0.0, -0.0, 1.5] * 200,  # one key, two texts: not by distinct value
        [float("nan"), 2.5, float("inf"), -math.inf] * 150,
        [float(x) for x in ("nan",) * 600],  # NaN objects, each its own
        [1.0005, 12.345, 400.0015] * 300,
        ["leo-meo", "geostationary", 'a "quoted"\n name', "ÉTOILE"] * 200,
        ["x"] * 5 + [str(k) for k in range(600)],  # few at first, many in all
        [str(k) for k in range(64)] * 10,  # many at first
    ],
)
def test_columns_of_few_distinct_values_are_json_dumps(values):
    assert column_json(values) == _oracle(values)
    assert column_json(values, 0, True) == _oracle(values, True)


def test_records_of_few_distinct_values_are_json_dumps():
    n = 700
    columns = {
        "orbit": ["leo-meo", "decayed"] * (n // 2),
        "age": [0.0, -0.0, 3.25, 0.5] * (n // 4),
        "note": [None] * n,
    }
    records = [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]
    for level in (0, 2):
        expected = json.dumps(records, indent=2, ensure_ascii=False)
        assert records_json(columns, level) == expected.replace("\n", "\n" + " " * level)
    assert records_json({"a": []}) == "[]"
