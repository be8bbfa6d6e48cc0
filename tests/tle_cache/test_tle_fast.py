"""The fast TLE path against the checked one (issue 11): the same sets, bit for bit, or none.

`fast_tle_set` may refuse any set (the checked path then reads it); what it accepts must be
exactly what `_tle_set` builds: every field, every OMM value with its type and bits, the
lines, and the SGP4 record. Checked on every set of the active group, on seeded mutations
that keep the checksum right (so the field templates are what stands between a bad field and
a wrong set) and on the edge cases of each field; and whole texts read with and without it.
"""

from __future__ import annotations

import lzma
import math
import random
from datetime import UTC, datetime
from typing import Any

import pytest

import tle_cache.tle_text as tle_text
from tle_cache.elements import ElementSet
from tle_cache.parse import parse_records
from tle_cache.parse_errors import ElementParseError
from tle_cache.tle_columns import tle_checksum
from tle_cache.tle_fast import fast_tle_set

NOW_UTC = datetime(2026, 5, 8, tzinfo=UTC)


def _sets() -> list[list[str]]:
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "tle"
    text = lzma.decompress((path / "celestrak_active_2026-05-07.txt.xz").read_bytes())
    lines = text.decode("utf-8").split("\r\n")
    return [lines[i : i + 3] for i in range(0, len(lines) - 2, 3)]


SETS = _sets()
ISS = next((n.rstrip(), a, b) for n, a, b in SETS if a.startswith("1 25544U"))


def _number(value: Any) -> Any:
    return (type(value), value.hex() if isinstance(value, float) else value)


def _satrec_fields(element_set: ElementSet) -> dict[str, Any]:
    sat = element_set.satrec()
    fields = {}
    for key in dir(sat):
        value = getattr(sat, key)
        if key.startswith("_") or callable(value):
            continue
        fields[key] = "nan" if isinstance(value, float) and math.isnan(value) else _number(value)
    return fields


def _same(fast: ElementSet, checked: ElementSet) -> None:
    assert fast == checked
    assert list(fast.__dict__) == list(checked.__dict__)
    assert repr(fast) == repr(checked)
    assert list(fast.omm) == list(checked.omm)
    assert {k: _number(v) for k, v in fast.omm.items()} == {
        k: _number(v) for k, v in checked.omm.items()
    }
    assert fast.epoch_utc.tzinfo is checked.epoch_utc.tzinfo
    assert _satrec_fields(fast) == _satrec_fields(checked)


def _checked(name: str | None, line1: str, line2: str, now_utc: datetime | None) -> ElementSet:
    numbered = None if name is None else (1, name)
    return tle_text._tle_set(numbered, (2, line1), (3, line2), "src", now_utc)


def _compare(name: str | None, line1: str, line2: str, now_utc: datetime | None = None) -> bool:
    """Assert the fast path gives None or the checked path's set; tell whether it gave one."""
    fast = fast_tle_set(name, line1, line2, "src", now_utc)
    if fast is None:
        return False
    _same(fast, _checked(name, line1, line2, now_utc))  # the checked path must accept it too
    return True


def test_every_active_set_is_read_fast_to_the_same_set():
    for name, line1, line2 in SETS:
        assert _compare(name.rstrip(), line1, line2, NOW_UTC), line1


def _with_checksum(line: str) -> str:
    return line[:68] + str(tle_checksum(line))


def _put(line: str, column: int, text: str) -> str:
    return _with_checksum(line[: column - 1] + text + line[column - 1 + len(text) :])


@pytest.mark.parametrize(
    ("line", "column", "text"),
    [
        (1, 3, "A0001"),  # Alpha-5
        (1, 3, "Z9999"),
        (1, 10, "98067ABC"),  # three-letter piece
        (1, 10, "        "),  # no designator
        (1, 10, "57001A  "),  # 1957
        (1, 19, "24366.50000000"),  # a leap year's last day
        (1, 19, "57277.00000000"),  # Sputnik's year
        (1, 19, "56001.99999999"),
        (1, 34, "-.00015698"),
        (1, 34, "+.00000000"),
        (1, 45, "-12345-9"),
        (1, 45, "+00000-0"),
        (1, 54, "-99999+0"),
        (1, 65, "   1"),
        (2, 9, "  0.0000"),
        (2, 9, "180.0000"),
        (2, 18, "360.0000"),
        (2, 53, " 1.00000000"),
        (2, 64, "    0"),
    ],
)
def test_edge_fields_read_fast_to_the_same_set(line, column, text):
    name, line1, line2 = ISS
    if line == 1:
        line1 = _put(line1, column, text)
    else:
        line2 = _put(line2, column, text)
    if column == 3:
        line2 = _put(line2, 3, text)
    assert _compare(name, line1, line2)


@pytest.mark.parametrize(
    ("line", "column", "text"),
    [
        (1, 3, "a0001"),  # lower-case Alpha-5: the checked path reads it
        (1, 3, " 5544"),
        (1, 8, " "),
        (1, 10, " 98067A "),
        (1, 19, "25366.50000000"),  # not a leap year
        (1, 19, "26000.50000000"),
        (1, 19, "26 27.82853009"),
        (1, 19, "26127.8285300 "),
        (1, 34, " .0001569 "),
        (1, 63, " "),
        (1, 65, "    "),
        (1, 65, " 9 9"),
        (2, 9, "180.0001"),
        (2, 9, " 5 .6393"),
        (2, 53, "20.00000000"),
        (2, 53, " 0.00900000"),
        (2, 64, "     "),
    ],
)
def test_other_layouts_and_bad_values_take_the_checked_path(line, column, text):
    name, line1, line2 = ISS
    if line == 1:
        line1 = _put(line1, column, text)
    else:
        line2 = _put(line2, column, text)
    assert fast_tle_set(name, line1, line2, "src", None) is None


@pytest.mark.parametrize(
    "name",
    [None, "", "0 ISS", "0 ", "  ISS  ", "ISS\x1b[31m", "ISS \u202e", "\u00e9t\u00e9", "UNKNOWN"],
)
def test_names_read_fast_or_checked_to_the_same_set(name):
    _compare(name, ISS[1], ISS[2])


def test_a_future_epoch_takes_the_checked_path():
    line1 = _put(ISS[1], 19, "26300.00000000")
    assert fast_tle_set(None, line1, ISS[2], "src", NOW_UTC) is None
    assert _compare(None, line1, ISS[2], None)


def test_a_bad_checksum_or_different_catalog_numbers_take_the_checked_path():
    line1 = ISS[1][:68] + str((int(ISS[1][68]) + 1) % 10)
    assert fast_tle_set(None, line1, ISS[2], "src", None) is None
    assert fast_tle_set(None, ISS[1], _put(ISS[2], 3, "25545"), "src", None) is None


def _mutate(rng: random.Random, line: str) -> str:
    column = rng.randrange(3, 69)
    kind = rng.randrange(4)
    if kind == 0:  # one character
        text = line[: column - 1] + rng.choice("0123456789 +-.AZaIO\u0663") + line[column:]
    elif kind == 1:  # a digit pushed one column along
        text = line[: column - 1] + " " + line[column - 1 : 67]
    elif kind == 2:
        text = line[: column - 1] + line[column:68] + "0"
    else:
        text = line[: column - 1] + rng.choice("0123456789") + line[column:]
    return _with_checksum(text.ljust(68)[:68] + "0")


def test_mutations_with_a_right_checksum_read_fast_to_the_checked_set_or_not_at_all():
    rng = random.Random(11)
    accepted = refused = 0
    for _ in range(4000):
        name, line1, line2 = (line.rstrip() for line in rng.choice(SETS))
        for _ in range(rng.randrange(1, 3)):
            if rng.random() < 0.5:
                line1 = _mutate(rng, line1)
            else:
                line2 = _mutate(rng, line2)
        try:
            taken = _compare(name, line1, line2, NOW_UTC)
        except ElementParseError:
            pytest.fail(f"fast path accepted a set the checked path refuses: {line1!r} {line2!r}")
        accepted += taken
        refused += not taken
    assert accepted > 500 and refused > 500  # both paths were exercised


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("seed", range(4))
def test_whole_texts_read_the_same_with_and_without_the_fast_paths(monkeypatch, line_end, seed):
    """Clean records, then mutations, cut lines, names dropped, blank and padded lines."""
    rng = random.Random(seed)
    chunks = []
    for k in range(200):
        name, line1, line2 = (line.rstrip() for line in rng.choice(SETS))
        broken = k > 20 * seed  # the first records of a text clean, then any
        if broken and rng.random() < 0.3:
            line1 = _mutate(rng, line1)
        if broken and rng.random() < 0.2:
            line2 = line2[: rng.randrange(69)]
        if broken and rng.random() < 0.1:
            name = rng.choice(["", "   ", "1 " + name, "2 X", "N" * 70, "\t" + name])
        if broken and rng.random() < 0.1:
            line2 += rng.choice(["  ", "\t", " x"])
        chunk = [name, line1, line2]
        if broken and rng.random() < 0.1:
            chunk = chunk[rng.randrange(1, 3) :]
        if broken and rng.random() < 0.05:
            chunk.insert(rng.randrange(len(chunk) + 1), "")
        chunks.append(chunk)
    text = line_end.join(line for chunk in chunks for line in chunk) + line_end * (seed % 2)
    assert len(text) >= tle_text.FAST_PATH_MIN_CHARACTERS
    fast_sets, fast_errors = parse_records(text, "src", now_utc=NOW_UTC)
    monkeypatch.setattr(tle_text, "fast_tle_set", lambda *args: None)
    monkeypatch.setattr(tle_text, "_read_clean_records", lambda *args: (0, 0))
    sets, errors = parse_records(text, "src", now_utc=NOW_UTC)
    assert len(fast_sets) == len(sets) > 100
    for fast, checked in zip(fast_sets, sets, strict=True):
        _same(fast, checked)
    assert [str(e) for e in fast_errors] == [str(e) for e in errors]
    assert len(errors) > 5


def test_a_clean_file_is_read_as_clean_records_to_its_end():
    text = "\r\n".join(line for record in SETS[:300] for line in record) + "\r\n"
    sets: list[ElementSet] = []
    errors: list[ElementParseError] = []
    assert tle_text._read_clean_records(text, "src", None, sets, errors) == (len(text), 900)
    assert len(sets) == 300 and not errors


@pytest.mark.parametrize("name", [None, "0 ISS (ZARYA)  ", "\x1b]0;x\x07ISS"])
def test_one_set_read_by_parse_tle_lines_is_the_checked_set(name):
    from tle_cache.parse import parse_tle_lines

    line1, line2 = ISS[1], ISS[2]
    numbered = None if name is None else (0, name.rstrip())
    checked = tle_text._tle_set(numbered, (1, line1), (2, line2), "src", None)
    _same(parse_tle_lines(line1 + "  ", line2, name, "src"), checked)
    bad_line2 = _put(line2, 9, " 51.0000")[:68] + "0"
    with pytest.raises(ElementParseError, match="line 2: TLE line 2 checksum digit") as fast:
        parse_tle_lines(line1, bad_line2, name)
    with pytest.raises(ElementParseError) as slow:
        tle_text._tle_set(numbered, (1, line1), (2, bad_line2), "", None)
    assert str(fast.value) == str(slow.value)


def test_a_short_text_reads_the_same_below_the_fast_paths_threshold(monkeypatch):
    text = "\n".join(line for record in SETS[:40] for line in record)
    assert len(text) < tle_text.FAST_PATH_MIN_CHARACTERS
    slow_sets, _ = parse_records(text, "src")
    monkeypatch.setattr(tle_text, "FAST_PATH_MIN_CHARACTERS", 0)
    fast_sets, _ = parse_records(text, "src")
    for fast, checked in zip(fast_sets, slow_sets, strict=True):
        _same(fast, checked)
