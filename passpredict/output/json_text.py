"""JSON text as ``json.dumps(value, indent=2)`` writes it (either `ensure_ascii`), by column.

With an indent, CPython's `json` leaves its C encoder for the pure-Python one: a call per
value, 0.1 s for the 15,347 satellite records of a whole catalogue (issue 11). `indented_json`
writes the same bytes from the C encoder's pieces: strings by `json.encoder.encode_basestring`
or `encode_basestring_ascii` (the functions `json` itself uses), integers by ``int.__repr__``,
floats by ``float.__repr__`` with ``NaN``, ``Infinity`` and ``-Infinity`` as `json` spells
them (`allow_nan`), ``true`` / ``false`` / ``null``. A list of dicts is written a column at a
time: each key's values turned into text in one call per column, then every record laid out
in one join (`passpredict.output.textarrays.join_rows`). Whatever is not one of those plain
types (a subclass, an unusual key, a value `json` refuses) goes to `json.dumps` itself, so
that the text, or the error, is always `json`'s. tests/test_json_text.py holds it to
`json.dumps`. (No check for circular containers: `json` raises ValueError, this recursion
RecursionError; records never hold one.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring, encode_basestring_ascii
from operator import itemgetter
from typing import Any, cast

from passpredict.output.textarrays import join_rows

#: Lists shorter than this are laid out record by record (the column set-up costs more).
COLUMNS_MIN_RECORDS = 16

_FLOAT_SPECIAL = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _float_text(value: float) -> str:
    text = float.__repr__(value)
    return _FLOAT_SPECIAL.get(text, text)


_BOOL_TEXTS = {True: "true", False: "false"}


def _null_text(value: None) -> str:
    return "null"


#: The text of a value of each plain type (exact types: a subclass goes to `json.dumps`).
_SCALAR: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float_text,
    bool: _BOOL_TEXTS.__getitem__,
    type(None): _null_text,
}


def indented_json(value: Any, level: int = 0, ensure_ascii: bool = False) -> str:
    """Return ``json.dumps(value, indent=2, ensure_ascii=ensure_ascii)`` with every line after
    the first indented by `level` more spaces (the value nested `level` deep in a document)."""
    return _Writer(ensure_ascii).text(value, level)


def column_json(values: list[Any], level: int = 0, ensure_ascii: bool = False) -> list[str]:
    """Return the JSON text of each value (`indented_json` at `level`): one call for a column of
    one plain type, a look-up per value for a column of several."""
    return _Writer(ensure_ascii).column(values, level)


def records_json(columns: dict[str, list[Any]], level: int = 0, ensure_ascii: bool = False) -> str:
    """Return `indented_json` of the list of dicts whose fields are `columns` (each key's
    values, one per record, in record order; every key a string, at least one), without
    building the dicts."""
    n = len(next(iter(columns.values()), []))
    if n == 0:
        return "[]"
    if any(len(values) != n for values in columns.values()):
        raise ValueError("records_json: columns of different lengths")
    return _Writer(ensure_ascii).columns(columns, n, level + 2)


class _Writer:
    """`indented_json` with one `ensure_ascii`: its string encoder in the scalar table."""

    def __init__(self, ensure_ascii: bool) -> None:
        self.ensure_ascii = ensure_ascii
        self.string = encode_basestring_ascii if ensure_ascii else encode_basestring
        self.scalar = {**_SCALAR, str: self.string}

    def text(self, value: Any, level: int) -> str:
        kind = type(value)
        scalar = self.scalar.get(kind)
        if scalar is not None:
            return scalar(value)
        if kind is list or kind is tuple:
            if not value:
                return "[]"
            if len(value) >= COLUMNS_MIN_RECORDS and all(type(item) is dict for item in value):
                text = self.records(value, level + 2)
                if text is not None:
                    return text
            inner = "\n" + " " * (level + 2)
            items = [inner + self.text(item, level + 2) for item in value]
            return "[" + ",".join(items) + "\n" + " " * level + "]"
        if kind is dict and all(type(key) is str for key in value):
            if not value:
                return "{}"
            inner = "\n" + " " * (level + 2)
            fields = [
                inner + self.string(key) + ": " + self.text(item, level + 2)
                for key, item in value.items()
            ]
            return "{" + ",".join(fields) + "\n" + " " * level + "}"
        return self.by_json(value, level)

    def by_json(self, value: Any, level: int) -> str:
        """`json`'s own text of `value`, indented to `level` (its strings hold no raw newline)."""
        text = json.dumps(value, indent=2, ensure_ascii=self.ensure_ascii)
        return text.replace("\n", "\n" + " " * level) if level else text

    def records(self, records: list[dict[str, Any]], level: int) -> str | None:
        """The text of a list of dicts whose items are at `level`, written a column at a
        time; None when the records do not all have the same string keys in the same order
        (the caller then writes them one by one)."""
        keys = list(records[0])
        if not keys or not all(type(key) is str for key in keys):
            return None
        shape = tuple(keys)
        if not all(tuple(record) == shape for record in records):
            return None
        columns = {key: list(map(itemgetter(key), records)) for key in keys}
        return self.columns(columns, len(records), level)

    def columns(self, columns: dict[str, list[Any]], n: int, level: int) -> str:
        """`records` of the `n` records whose fields are `columns` (key: one value per record):
        the first row after ``[``, the others after a comma, ``]`` after the last, all in the
        one join (no copy of the whole text to add them)."""
        outer = "\n" + " " * level
        inner = "\n" + " " * (level + 2)
        segments: list[str | list[str]] = [""]
        for k, (key, values) in enumerate(columns.items()):
            segments.append(("," if k else "") + inner + self.string(key) + ": ")
            segments.append(self.column(values, level + 2))
        segments.append(outer + "}")
        lead = outer + "{" + cast(str, segments.pop(1))
        segments[0] = "," + lead
        return join_rows(segments, n, "[" + lead, "\n" + " " * (level - 2) + "]")

    def column(self, values: list[Any], level: int) -> list[str]:
        """The JSON text of each value of a column (`column_json`)."""
        kinds = set(map(type, values))
        if len(kinds) == 1:
            (kind,) = kinds
            if kind is float:
                distinct = _few(values)
                # (0.0 and -0.0 are one key, with two texts)
                if distinct is not None and 0.0 not in distinct:
                    return _by_distinct(values, distinct, _float_text)
                texts = list(map(float.__repr__, values))
                for special in _FLOAT_SPECIAL:
                    if special in texts:
                        texts = [_FLOAT_SPECIAL.get(text, text) for text in texts]
                        break
                return texts
            if kind is bool:
                return list(map(_BOOL_TEXTS.__getitem__, values))
            if kind is type(None):
                return ["null"] * len(values)
            if kind is str:
                distinct = _few(values)
                if distinct is not None:
                    return _by_distinct(values, distinct, self.string)
            scalar = self.scalar.get(kind)
            if scalar is not None:
                return list(map(scalar, values))
        if kinds <= self.scalar.keys():
            return [self.scalar[type(v)](v) for v in values]
        return [self.text(v, level) for v in values]


#: A column is written by distinct value when its first values hold at most half this many.
_SAMPLE_VALUES = 64


def _few(values: list[Any]) -> set[Any] | None:
    """The distinct values of a long column that has few (a quarter of its length at most,
    judged first on its first values), else None."""
    if len(values) < 4 * _SAMPLE_VALUES or 2 * len(set(values[:_SAMPLE_VALUES])) > _SAMPLE_VALUES:
        return None
    distinct = set(values)
    return distinct if 4 * len(distinct) <= len(values) else None


def _by_distinct(values: list[Any], distinct: set[Any], text: Callable[[Any], str]) -> list[str]:
    """The text of each value, each distinct value's made once (the orbit classes, sources and
    rounded ages of a catalogue's 15,347 satellites)."""
    cache = {value: text(value) for value in distinct}
    return list(map(cache.__getitem__, values))
