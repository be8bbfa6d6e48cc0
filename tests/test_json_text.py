"""`passpredict.output.json_text.indented_json` against its oracle, ``json.dumps(value, indent=2,
ensure_ascii=...)`` (both), on random documents and on every awkward value a record can hold:
non-ASCII and escaped strings, NaN and the infinities, signed zeros, huge integers, subclasses,
nested containers, records of different shapes, keys that are not strings."""

from __future__ import annotations

import enum
import json
import random

import numpy as np
import pytest

from passpredict.output.json_text import (
    COLUMNS_MIN_RECORDS,
    column_json,
    indented_json,
    records_json,
)

AWKWARD_STRINGS = [
    "",
    "plain",
    "Bakı ğöü 北斗 🛰",
    'quote " and \\ backslash',
    "tab\tnew\nline\rcr\x00nul\x1f\x7f",
    "\u2028\u2029 line separators",
    "\ud800 lone surrogate",
    "</script>",
    "fixed in the sky; see 'passpredict geo'",
]
AWKWARD_NUMBERS = [
    0,
    -1,
    2**70,
    -(2**64),
    0.0,
    -0.0,
    1e-7,
    5e-324,
    1e300,
    -1e16,
    0.1 + 0.2,
    123.456,
    float("nan"),
    float("inf"),
    float("-inf"),
]


class Orbit(enum.StrEnum):
    LEO = "leo-meo"


class Count(enum.IntEnum):
    ONE = 1


def _oracle(value, level: int = 0, ensure_ascii: bool = False) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=ensure_ascii)
    return text.replace("\n", "\n" + " " * level)


def _scalar(rng: random.Random):
    kind = rng.randrange(7)
    if kind == 0:
        return rng.choice(AWKWARD_STRINGS)
    if kind == 1:
        return "".join(
            chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x3000)]))
            for _ in range(rng.randrange(8))
        )
    if kind == 2:
        return rng.choice(AWKWARD_NUMBERS)
    if kind == 3:
        return rng.uniform(-1e6, 1e6) if rng.random() < 0.5 else rng.randrange(-(10**12), 10**12)
    if kind == 4:
        return rng.choice([True, False])
    if kind == 5:
        return None
    return rng.choice([Orbit.LEO, Count.ONE, np.float64(2.5), np.float64("nan")])


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(6) if depth < 3 else 0
    if kind <= 2:
        return _scalar(rng)
    if kind == 3:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 4:
        return tuple(_value(rng, depth + 1) for _ in range(rng.randrange(3)))
    return {
        rng.choice(AWKWARD_STRINGS) + str(k): _value(rng, depth + 1)
        for k in range(rng.randrange(4))
    }


def _records(rng: random.Random, n: int, nested: bool) -> list[dict]:
    """Records of one shape (as the satellites and GEO looks are), columns of mixed types."""
    keys = ["name", "norad_id", "ü key", 'q"k', "note"]
    kinds = [rng.randrange(4) for _ in keys]

    def field(kind: int):
        if kind == 0:
            return rng.choice(AWKWARD_STRINGS)
        if kind == 1:
            return rng.choice(AWKWARD_NUMBERS)
        if kind == 2:
            return rng.choice([True, False, None])
        return _value(rng, 1) if nested else rng.random()

    return [{k: field(kind) for k, kind in zip(keys, kinds, strict=True)} for _ in range(n)]


@pytest.mark.parametrize("seed", range(40))
def test_random_documents_are_json_dumps(seed):
    rng = random.Random(seed)
    document = {
        "window": {"start": "2026-05-08T00:00:00.000Z", "min_elevation_deg": 10.0},
        "satellites": _records(rng, rng.choice([0, 1, 5, COLUMNS_MIN_RECORDS, 300]), seed % 2 == 0),
        "values": [_value(rng) for _ in range(rng.randrange(30))],
        "warnings": [rng.choice(AWKWARD_STRINGS) for _ in range(rng.randrange(20))],
    }
    for level in (0, 2, 6):
        ascii_text = indented_json(document, level, ensure_ascii=True)
        assert ascii_text == _oracle(document, level, ensure_ascii=True)
        assert indented_json(document, level) == _oracle(document, level)
        assert indented_json(document["satellites"], level) == _oracle(
            document["satellites"], level
        )


def test_every_awkward_scalar_alone_and_in_a_column():
    scalars = [*AWKWARD_STRINGS, *AWKWARD_NUMBERS, True, False, None, Orbit.LEO, Count.ONE]
    scalars += [np.float64(-0.0), np.float64("inf")]
    for value in scalars:
        assert indented_json(value) == _oracle(value), repr(value)
        assert indented_json(value, 0, True) == _oracle(value, 0, True), repr(value)
        for n in (1, COLUMNS_MIN_RECORDS + 1):
            assert column_json([value] * n) == [_oracle(value)] * n, repr(value)
            assert column_json([value] * n, 0, True) == [_oracle(value, 0, True)] * n
    assert column_json(scalars, 4) == [_oracle(v, 4) for v in scalars]


def test_columns_of_one_type():
    rng = np.random.default_rng(3)
    floats = [*rng.normal(0, 1e4, 500).tolist(), float("nan"), -0.0, float("-inf")]
    for column in (floats, floats[:500], [int(x) for x in floats[:500]], [x > 0 for x in floats]):
        assert column_json(column) == [_oracle(v) for v in column]


def test_records_of_several_shapes_and_unusual_keys_are_written_as_json_writes_them():
    many = COLUMNS_MIN_RECORDS * 2
    shapes = [{"a": 1, "b": 2}] * many + [{"b": 2, "a": 1}]
    assert indented_json(shapes, 2) == _oracle(shapes, 2)
    odd_keys = [{2: "x", 2.5: None, True: [], None: {}, "s": ()}] * many
    assert indented_json(odd_keys) == _oracle(odd_keys)
    empty = [{}] * many
    assert indented_json(empty) == _oracle(empty)
    nested = [{"look": {"az": 1.5, "list": [1, [2, {}]]}, "x": [[]]}] * many
    assert indented_json(nested, 4) == _oracle(nested, 4)


def test_what_json_refuses_is_refused_alike():
    for value in ([{"n": np.int64(3)}] * COLUMNS_MIN_RECORDS, {"s": {1, 2}}, [object()]):
        with pytest.raises(TypeError):
            json.dumps(value, indent=2, ensure_ascii=False)
        with pytest.raises(TypeError):
            indented_json(value)


@pytest.mark.parametrize("seed", range(10))
def test_records_from_columns_are_json_dumps_of_the_dicts(seed):
    rng = random.Random(seed)
    records = _records(rng, rng.choice([1, 3, COLUMNS_MIN_RECORDS, 200]), seed % 2 == 0)
    columns = {key: [r[key] for r in records] for key in records[0]}
    for level, ensure_ascii in ((0, False), (2, False), (4, True)):
        expected = _oracle(records, level, ensure_ascii)
        assert records_json(columns, level, ensure_ascii) == expected


def test_records_from_columns_empty_or_ragged():
    assert records_json({"a": [], "b": []}) == "[]"
    with pytest.raises(ValueError, match="lengths"):
        records_json({"a": [1, 2], "b": [3]})
