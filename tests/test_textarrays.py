"""The column-to-text helpers of `passpredict.output.textarrays` against their independent
oracles, value by value: ``repr(round(v, d))``, `format_utc`, ``json.dumps`` and `csv.writer`.
Their short cuts (only the present values written, no escaping where nothing needs it) must
give the same text as the oracle on every value, edge cases included."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from passpredict.output.textarrays import (
    bool_texts,
    csv_field,
    decimal_columns,
    iso_utc,
    iso_utc_columns,
    join_rows,
    json_strings,
    rounded_texts,
    spread,
    utc_texts,
    whole_texts,
)
from passpredict.timeutil import format_utc


def _edge_values() -> np.ndarray:
    """Random and awkward floats: ties at each digit, 0.05 steps, tiny, huge, signed zeros."""
    rng = np.random.default_rng(11)
    return np.concatenate(
        [
            rng.uniform(-400, 400, 5000),
            rng.uniform(-1, 1, 2000) * 10.0 ** rng.integers(-8, 18, 2000),
            np.arange(-2000, 2001) * 0.05,
            np.arange(-2000, 2000) / 1000 + 0.0005,
            np.arange(-2000, 2000) / 100 + 0.005,
            [0.0, -0.0, 2.5, -2.5, 1e-4, 9.9995e-5, -5e-5, 1e-9, -1e-9, 1e15, 1e16, 1e17],
            [35786.0005, 1.0005, 0.125, 0.375, 1e300, -1e-300, 5e-324],
            [np.inf, -np.inf, np.nan, 123.456, np.nan],
        ]
    )


def _oracle(values: np.ndarray, digits: int, missing: str | None) -> list[str | None]:
    """``repr(round(v, digits))``, a rounded zero without its sign (never ``-0.0``)."""
    return [missing if v != v else repr(round(v, digits) + 0.0) for v in values.tolist()]


def test_rounded_texts_are_repr_of_round():
    values = _edge_values()
    for digits in range(6):
        assert rounded_texts(values, digits, "null") == _oracle(values, digits, "null"), digits
    assert rounded_texts(values, 3) == _oracle(values, 3, None)


def test_table_texts_at_their_limits_and_of_one_value_columns_are_repr_of_round():
    rng = np.random.default_rng(5)
    limits = np.array([998.9994, 998.9996, 999.0, 999.4996, 99998.9994, 99998.9996, 99999.0])
    near = np.concatenate([limits, -limits, rng.uniform(-1000, 0, 500), [-0.0, 0.0, -0.0004]])
    for digits in (0, 1, 2, 3):
        values = np.concatenate([near, rng.uniform(0, 1e5, 300)])
        assert rounded_texts(values, digits) == _oracle(values, digits, None), digits
    for value in (10.0, -0.0, 0.0, 0.0004, -0.0004, 1e-7, 123.4564):
        column = np.full(300, value)
        assert rounded_texts(column, 3) == _oracle(column, 3, None), value
    mixed_zeros = np.array([0.0, -0.0] * 200)
    assert rounded_texts(mixed_zeros, 2) == _oracle(mixed_zeros, 2, None)


def test_rounded_texts_of_mostly_missing_and_all_present_columns():
    values = np.full(1000, np.nan)
    values[::97] = np.linspace(-3, 3, values[::97].size)
    assert rounded_texts(values, 1, "") == _oracle(values, 1, "")
    assert rounded_texts(np.array([np.nan, np.nan]), 2, "x") == ["x", "x"]
    # was "-0.0" before the fix (an elevation of -0.0 deg at a 0-deg threshold)
    assert rounded_texts(np.array([1.25, -0.0004]), 3) == ["1.25", "0.0"]
    assert rounded_texts(np.array([]), 3) == []


def test_iso_utc_with_quotes_and_missing_times_is_format_utc():
    base = datetime(2026, 5, 8, tzinfo=UTC)
    offsets_us = [0, 1, 999, 1000, 999_999, 86_399_999_999, 123_456_789, -1, -1001]
    moments = [base + timedelta(microseconds=u) for u in offsets_us]
    naive = [m.replace(tzinfo=None) for m in moments]
    array = np.array([naive[0], None, *naive[1:], None], dtype="datetime64[us]")
    texts = [format_utc(m) for m in moments]
    assert iso_utc(array, "null") == [texts[0], "null", *texts[1:], "null"]
    quoted = [f'"{t}"' for t in texts]
    got = iso_utc(array, "null", '"')
    assert got == [quoted[0], "null", *quoted[1:], "null"]
    assert iso_utc(np.array(["NaT", "NaT"], dtype="datetime64[us]"), "") == ["", ""]


def _awkward_texts() -> list[str]:
    """Every ASCII character alone and inside a word, some non-ASCII, formula starts."""
    chars = [chr(i) for i in range(128)] + ["é", "Ж", "日本", "\u2028", "\ud800", "\x7f"]
    return [*chars, *(f"SAT {c} 1" for c in chars), "", " ", "a,b", 'a"b', "=1+2", "ISS (ZARYA)"]


def test_json_strings_are_json_dumps():
    texts = _awkward_texts()
    got = json_strings(np.array(texts + texts, dtype=object))
    assert got == [json.dumps(t, ensure_ascii=False) for t in texts + texts]


def test_csv_field_is_csv_writers_field():
    for text in _awkward_texts():
        if text == "":
            assert csv_field(text) == ""  # a lone empty field would be written '""'
            continue
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([text])
        assert csv_field(text) == buffer.getvalue()[:-1], repr(text)


def test_spread_places_values_and_fills_the_rest():
    assert spread(["a", "b"], np.array([1, 3]), 4, "-") == ["-", "a", "-", "b"]
    assert spread(["a"], None, 1, "-") == ["a"]


def test_join_rows_is_each_row_concatenated():
    rng = np.random.default_rng(2)
    n = 50
    columns = [[str(x) for x in rng.integers(0, 1000, n)] for _ in range(3)]
    segments = ["{", columns[0], ", ", columns[1], columns[2], "}\n"]
    expected = "".join("{" + a + ", " + b + c + "}\n" for a, b, c in zip(*columns, strict=True))
    assert join_rows(segments, n) == expected
    assert join_rows(["x", columns[0]], 0) == ""
    assert join_rows(["only"], 3) == "onlyonlyonly"
    with pytest.raises(ValueError):
        join_rows(["x", columns[0][:-1]], n)


def test_decimal_columns_joined_are_repr_of_round():
    values = _edge_values()
    rng = np.random.default_rng(8)
    sparse = np.where(rng.random(4000) < 0.7, np.nan, rng.uniform(-500, 2e5, 4000))
    columns = [values, sparse, np.full(300, np.nan), np.full(300, -0.0), values[:20]]
    for column in columns:
        for digits in range(6):
            for missing in ("null", ""):
                whole, rest = decimal_columns(column, digits, missing)
                joined = list(map(str.__add__, whole, rest))
                assert joined == _oracle(column, digits, missing), (digits, missing)


def test_iso_utc_columns_joined_are_format_utc():
    rng = np.random.default_rng(12)
    start = datetime(2026, 5, 8, tzinfo=UTC)
    moments = [start + timedelta(seconds=float(x)) for x in rng.uniform(-3e5, 3e5, 600)]
    moments += [datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), start]
    moments += [datetime(1957, 10, 4, 19, 28, 34, 1500, tzinfo=UTC)]  # spans > 400 days
    moments += [start + timedelta(microseconds=k) for k in (-1, 999, 1000, 59_999_999)]
    moments += [datetime(2099, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)]
    array = np.array([m.replace(tzinfo=None) for m in moments], dtype="datetime64[us]")
    gaps = np.insert(array, [0, 5, len(array)], np.datetime64("NaT"))
    for column, expected in (
        (array, [format_utc(m) for m in moments]),
        (array[:600], [format_utc(m) for m in moments[:600]]),
        (gaps, iso_utc(gaps, "null")),
        (gaps[:600], iso_utc(gaps[:600], "null")),  # dates from a range, with gaps
    ):
        parts = iso_utc_columns(column, "null")
        assert list(map("".join, zip(*parts, strict=True))) == expected
    nothing = np.array(["NaT"] * 300, dtype="datetime64[us]")
    assert list(map("".join, zip(*iso_utc_columns(nothing, "x"), strict=True))) == ["x"] * 300
    assert iso_utc_columns(nothing[:0], "x") == [[]]


@pytest.mark.parametrize("span_hours", [1, 25, 191, 192, 193])
@pytest.mark.parametrize("around", ["2026-05-08T00:30", "1969-12-31T23:30", "2099-12-31T22:00"])
def test_iso_utc_columns_in_hours_joined_are_format_utc(span_hours, around):
    """A column spanning up to `_HOUR_RANGE_MAX` hours is cut in three parts (the hour of its
    range, minute and second, millisecond), a longer one in four: either way the times'
    texts, across midnight, before 1970 and into 2100, with gaps."""
    rng = np.random.default_rng(span_hours)
    base = np.datetime64(around, "us")
    offsets = rng.integers(0, span_hours * 3_600_000_000, 500)
    offsets[:2] = (0, span_hours * 3_600_000_000 - 1)  # the two ends of the span
    column = base + offsets.astype("timedelta64[us]")
    column[rng.random(500) < 0.1] = np.datetime64("NaT")
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    expected = [
        "-" if np.isnat(t) else format_utc(epoch + timedelta(microseconds=int(t.view(np.int64))))
        for t in column
    ]
    parts = iso_utc_columns(column, "-")
    hours = column[~np.isnat(column)].astype("datetime64[h]").view(np.int64)
    assert len(parts) == (3 if hours.max() - hours.min() < 192 else 4)
    assert len(parts) == 3 or span_hours > 191
    assert list(map("".join, zip(*parts, strict=True))) == expected


def test_utc_texts_are_format_utc():
    rng = np.random.default_rng(13)
    baku, west = ZoneInfo("Asia/Baku"), timezone(timedelta(hours=-3, minutes=-30))
    start = datetime(2026, 5, 8, tzinfo=UTC)
    moments = [
        (start + timedelta(microseconds=int(x))).astimezone(rng.choice([UTC, baku, west]))
        for x in rng.uniform(-4e13, 4e13, 700)
    ]
    moments += [datetime(1957, 10, 4, 19, 28, 34, 999999, tzinfo=UTC), start]
    for column in (moments, moments[:5]):
        assert utc_texts(column) == [format_utc(m) for m in column]
    ancient = [*moments, datetime(999, 12, 31, 23, 0, tzinfo=UTC)]
    assert utc_texts(ancient) == [format_utc(m) for m in ancient]
    naive = [*moments, datetime(2026, 1, 1)]
    assert utc_texts(naive) == [format_utc(m) for m in naive]


def test_whole_and_bool_texts_are_str_and_json():
    rng = np.random.default_rng(14)
    for ids in (rng.integers(0, 99_999, 500), rng.integers(0, 339_999, 500), np.arange(5)):
        assert whole_texts(ids) == list(map(str, ids.tolist()))
    assert whole_texts(np.array([-5, *range(300)])) == ["-5", *map(str, range(300))]
    flags = rng.random(300) < 0.5
    assert bool_texts(flags) == [json.dumps(bool(f)) for f in flags]
    assert bool_texts(np.array([], dtype=bool)) == []


def test_text_tables_are_each_entry_formatted():
    # the tables are built by joining parts (`_joined`), not by formatting each entry: every
    # entry must still be the formatted one, in its place (the look-ups index them)
    from passpredict.output import textarrays

    positive = [str(i) for i in range(textarrays._WHOLE_POSITIVE)]
    negative = ["-" + text for text in positive[: textarrays._WHOLE_NEGATIVE]]
    assert textarrays._integer_table().tolist() == positive + negative
    assert textarrays._integer_texts() == positive + negative
    minutes, seconds, millis = textarrays._clock_tables()
    assert minutes.tolist() == [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)] + [""]
    assert seconds.tolist() == [f"{s:02d}." for s in range(60)] + [""]
    assert millis.tolist() == [f"{ms:03d}Z" for ms in range(1000)] + [""]
    expected = [f"{m:02d}:{s:02d}." for m in range(60) for s in range(60)] + [""]
    assert textarrays._minute_second_table().tolist() == expected
