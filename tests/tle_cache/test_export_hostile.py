"""Exports read back (issue 16): hostile names, values no format can carry, formula cells."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import replace

import pytest

from tle_cache.elements import ElementSet
from tle_cache.export import to_omm_csv, to_omm_json, to_tle_text
from tle_cache.names import clean_name, csv_text, csv_untext
from tle_cache.parse import parse_records, parse_text, read_file

ISS_2024 = "iss_2024-05-06_skyfield-docs"
VISUAL = "celestrak_visual_2026-05-07.txt"
WRITERS = [to_tle_text, to_omm_json, to_omm_csv]

#: Names that are legal after cleaning but trip a naive writer or reader.
AWKWARD_NAMES = [
    '=HYPERLINK("http://example.invalid","ISS")',
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "'quoted",
    "'=already guarded",
    "[/]",
    "[link=http://example.invalid]ISS[/link]",
    "<b>ISS</b>",
    "{ISS}",
    "0 ISS",
    "1 25544U 98067A   24127.82853009  .00015698  00000+0  27310-3 0  9995",
    "2 ISS",
    'ISS, "ZARYA"; module',
    "МКС (ЗАРЯ)",
]


def without_tle(element_set: ElementSet) -> ElementSet:
    return ElementSet(
        element_set.norad_id, element_set.name, element_set.epoch_utc, element_set.omm
    )


@pytest.fixture
def iss(data_dir) -> ElementSet:
    (element_set,) = read_file(data_dir / f"{ISS_2024}.tle")
    return element_set


def named(element_set: ElementSet, name: str) -> ElementSet:
    return replace(element_set, name=name, omm={**element_set.omm, "OBJECT_NAME": name})


@pytest.mark.parametrize("writer", WRITERS, ids=["tle", "json", "csv"])
@pytest.mark.parametrize("keep_lines", [True, False], ids=["tle-lines", "from-omm"])
def test_every_export_reads_back_to_the_same_names_and_sets(iss, read_data, writer, keep_lines):
    group = parse_text(read_data(VISUAL))[:5]
    sets = [named(iss, name) for name in AWKWARD_NAMES] + group
    if not keep_lines:
        sets = [without_tle(s) for s in sets]
    again, errors = parse_records(writer(sets), "export")
    assert errors == []
    assert [s.name for s in again] == [s.name for s in sets]
    assert [(s.norad_id, s.epoch_utc) for s in again] == [(s.norad_id, s.epoch_utc) for s in sets]


def test_a_line_break_in_a_stored_name_cannot_forge_a_tle_set(iss):
    # A store written before names were cleaned may hold such a name.
    forged = iss.tle_lines[0].replace("25544", "99999")
    hostile = named(iss, f"ISS\n{forged[:68]}0\n2 99999 ...\nfoo")
    text = to_tle_text([hostile])
    assert len(text.splitlines()) == 3
    (again,) = parse_text(text)
    assert again.norad_id == 25544
    assert again.name == clean_name(hostile.name)


def test_names_with_line_breaks_are_cleaned_in_json_and_csv_too(iss):
    hostile = named(iss, "ISS\r\nEND:VEVENT\x1b[2J")
    for writer in (to_omm_json, to_omm_csv):
        (again,) = parse_text(writer([without_tle(hostile)]))
        assert again.name == "ISS  END:VEVENT"


@pytest.mark.parametrize("key", ["BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT", "INCLINATION"])
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("writer", WRITERS, ids=["tle", "json", "csv"])
def test_values_no_format_can_carry_are_refused_not_written(iss, key, value, writer):
    bad = without_tle(replace(iss, omm={**iss.omm, key: value}))
    with pytest.raises(ValueError, match=key):
        writer([bad])  # was: 'nan' / 'inf' / 'NaN' written, then refused on reading back


def test_omm_csv_cells_are_guarded_against_formulas_and_numbers_stay_numbers(iss):
    text = to_omm_csv([without_tle(named(iss, "=cmd|' /C calc'!A0"))])
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["OBJECT_NAME"] == "'=cmd|' /C calc'!A0"
    assert float(row["ARG_OF_PERICENTER"]) == iss.omm["ARG_OF_PERICENTER"]
    negative = without_tle(replace(iss, omm={**iss.omm, "BSTAR": -0.00012}))
    (row,) = csv.DictReader(io.StringIO(to_omm_csv([negative])))
    assert row["BSTAR"] == "-0.00012"  # a negative number is a number, not text to guard


def test_json_export_needs_no_guard(iss):
    (record,) = json.loads(to_omm_json([named(iss, "=1+1")]))
    assert record["OBJECT_NAME"] == "=1+1"


@pytest.mark.parametrize("text", [*AWKWARD_NAMES, "", "'", "''", "'x", "=", "\t-1"])
def test_csv_guard_is_undone_exactly(text):
    assert csv_untext(csv_text(text)) == text
    assert not csv_text(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_set_whose_tle_rounding_would_not_read_back_is_refused(iss):
    edge = without_tle(replace(iss, omm={**iss.omm, "MEAN_MOTION_DDOT": 0.9999999}))
    with pytest.raises(ValueError, match="cannot be written as TLE: rounded to its columns"):
        to_tle_text([edge])  # ' 10000+1' (1.0) would be refused on reading back
    assert parse_text(to_omm_json([edge]))[0].omm["MEAN_MOTION_DDOT"] == 0.9999999
