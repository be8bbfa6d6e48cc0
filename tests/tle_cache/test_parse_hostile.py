"""Hostile element data (issue 16): every failure is one record's parse error, never a crash.

Each case is one that an audit found escaping the parser as a traceback, or getting through
it into the store, where SGP4 then crashed or quietly returned NaN. Every case sits between
good records, which must come back untouched.
"""

from __future__ import annotations

import json
import lzma
import math
from datetime import UTC, datetime

import pytest

from tle_cache.elements import ElementSet
from tle_cache.parse import (
    ElementParseError,
    parse_omm_record,
    parse_records,
    parse_text,
    parse_tle_lines,
)
from tle_cache.store import open_store

ISS_2024 = "iss_2024-05-06_skyfield-docs"
VISUAL = "celestrak_visual_2026-05-07.txt"
ACTIVE = "celestrak_active_2026-05-07.txt.xz"


def ascii_checksum(line: str) -> str:
    """The TLE rule by hand: ASCII digits count their value, '-' counts 1, all else 0."""
    return str((sum(int(c) for c in line[:68] if c in "0123456789") + line.count("-")) % 10)


def with_checksum(line: str) -> str:
    return line[:68] + ascii_checksum(line)


@pytest.fixture
def iss(read_data) -> dict:
    return json.loads(read_data(f"{ISS_2024}.json"))[0]


@pytest.fixture
def csv_lines(read_data) -> tuple[str, str]:
    header, row = read_data(f"{ISS_2024}.csv").splitlines()
    return header, row


@pytest.fixture
def tle_lines(read_data) -> list[str]:
    """The first three sets of the visual group (nine lines, names padded to 24)."""
    return read_data(VISUAL).split("\r\n")[:9]


def json_with_raw_value(record: dict, key: str, raw: str) -> str:
    """A two-record JSON document whose first record has `key` written as the raw token."""
    text = json.dumps({**record, key: "@@"}).replace('"@@"', raw)
    return f"[{text}, {json.dumps(record)}]"


# --------------------------------------------------------------------------- exceptions


@pytest.mark.parametrize(
    ("key", "raw", "fragment"),
    [
        ("EPOCH", '"0001-01-01T00:00:00+01:00"', "EPOCH"),  # was OverflowError
        ("BSTAR", "1" + "0" * 309, "BSTAR"),  # was OverflowError (int too large for a float)
        ("NORAD_CAT_ID", "1" * 5000, "NORAD_CAT_ID"),  # was ValueError (over 4,300 digits)
        ("MEAN_MOTION", "1" * 5000, "MEAN_MOTION"),  # was ValueError
        ("BSTAR", "NaN", "BSTAR"),  # was accepted: SGP4 then returned NaN with error 0
        ("BSTAR", "Infinity", "BSTAR"),
        ("MEAN_MOTION_DOT", "-Infinity", "MEAN_MOTION_DOT"),
        ("MEAN_MOTION_DDOT", "NaN", "MEAN_MOTION_DDOT"),
        ("BSTAR", "1e999", "BSTAR"),
    ],
)
def test_json_number_failures_are_that_records_error(iss, key, raw, fragment):
    sets, errors = parse_records(json_with_raw_value(iss, key, raw), "group.json")
    assert [s.norad_id for s in sets] == [25544]
    (error,) = errors
    assert error.record_number == 1
    assert str(error).startswith("group.json: record 1")
    assert fragment in error.problem
    assert len(str(error)) < 400, "a 5,000-digit value is shown cut short"


def test_deeply_nested_json_is_one_clear_error():
    with pytest.raises(ElementParseError, match="nested too deeply"):
        parse_records("[" * 100_000 + "]" * 100_000, "deep.json")  # was RecursionError


def test_csv_control_character_inside_a_number_is_that_rows_error(csv_lines):
    header, row = csv_lines
    bad = row.replace(",15.50957674,", ",15.50957674\x1c,")  # str.strip() removes \x1c
    sets, errors = parse_records("\n".join([header, bad, row]), "group.csv")
    assert len(sets) == 1
    assert [e.line_number for e in errors] == [2]
    assert "MEAN_MOTION" in errors[0].problem


def test_csv_field_over_the_csv_module_limit_is_that_rows_error(csv_lines):
    header, row = csv_lines
    huge = row.replace("ISS (ZARYA)", "A" * 140_000)  # csv's field limit is 131,072
    sets, errors = parse_records("\n".join([header, huge, row]), "group.csv")
    assert len(sets) == 1
    assert [e.line_number for e in errors] == [2]
    assert len(str(errors[0])) < 400


def test_csv_bare_cr_line_ends_and_a_cr_inside_a_row(csv_lines):
    header, row = csv_lines
    (only,) = parse_text("\r".join([header, row]) + "\r", "mac.csv")  # was csv.Error
    assert only.norad_id == 25544
    split = row.replace(",51.6393,", ",51.6\r393,")  # a CR ends a line: two cut rows
    sets, errors = parse_records("\n".join([header, split, row]), "group.csv")
    assert len(sets) == 1
    assert [e.line_number for e in errors] == [2, 3]
    assert all("cells but the header has 17" in e.problem for e in errors)


def test_superscript_digit_in_the_tle_epoch_year_is_that_lines_error(tle_lines):
    lines = list(tle_lines)
    lines[4] = with_checksum(lines[4][:18] + "2²" + lines[4][20:])  # was ValueError
    sets, errors = parse_records("\n".join(lines), "visual.tle")
    assert len(sets) == 2
    assert [e.line_number for e in errors] == [5]


@pytest.mark.parametrize(
    ("column", "digit"),
    [(3, "\u0662"), (9, "\u0665"), (19, "\u0662"), (53, "\u0661")],  # Arabic-Indic digits
    ids=["catalog", "inclination", "epoch year", "mean motion"],
)
def test_non_ascii_digits_are_refused_in_tle_lines(tle_lines, column, digit):
    lines = list(tle_lines)
    index = 4 if column in (3, 19) else 5  # line 1 or line 2 of the second set
    lines[index] = with_checksum(lines[index][: column - 1] + digit + lines[index][column:])
    sets, errors = parse_records("\n".join(lines), "visual.tle")
    assert len(sets) == 2
    assert [e.line_number for e in errors] == [index + 1]
    assert "ASCII" in errors[0].problem


def test_non_ascii_digits_are_refused_in_omm_numbers(iss):
    sets, errors = parse_records(json.dumps([{**iss, "INCLINATION": "\u0665\u0661.6393"}, iss]))
    assert len(sets) == 1 and errors[0].record_number == 1


# --------------------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("BSTAR", 1.0e6),
        ("BSTAR", -1.0e3),
        ("MEAN_MOTION_DOT", 5.0),
        ("MEAN_MOTION_DDOT", -2.0),
        ("CLASSIFICATION_TYPE", "UU"),  # the SGP4 record holds one character
        ("CLASSIFICATION_TYPE", "é"),  # ... an ASCII one
        ("CLASSIFICATION_TYPE", "1"),
        ("ELEMENT_SET_NO", 10_000),  # TLE columns 65-68
        ("ELEMENT_SET_NO", 2**63),  # was OverflowError in every later 'passes'
        ("EPHEMERIS_TYPE", 10),  # TLE column 63
        ("EPHEMERIS_TYPE", 2**31),  # was a truncation warning, then garbage
        ("EPHEMERIS_TYPE", -1),
        ("REV_AT_EPOCH", 100_000),  # TLE columns 64-68
        ("REV_AT_EPOCH", 2**63),
        ("NORAD_CAT_ID", 0),
        ("NORAD_CAT_ID", 1_000_000_000),  # more than nine digits
        ("NORAD_CAT_ID", 2**63),  # was OverflowError in the store
    ],
)
def test_values_outside_the_sgp4_and_tle_ranges_are_refused(iss, key, value):
    with pytest.raises(ElementParseError) as caught:
        parse_omm_record({**iss, key: value})
    assert key in str(caught.value)


def test_one_out_of_range_record_does_not_cost_the_group(iss, tmp_path):
    bad = [
        {**iss, "NORAD_CAT_ID": 2**63},
        {**iss, "CLASSIFICATION_TYPE": "UU"},
        {**iss, "ELEMENT_SET_NO": 2**63},
        {**iss, "REV_AT_EPOCH": 2**63},
    ]
    sets, errors = parse_records(json.dumps([*bad, iss]), "group.json")
    assert len(errors) == 4 and len(sets) == 1
    with open_store(tmp_path / "elements.sqlite", seed=list) as store:
        assert store.add_sets(sets, "test", datetime(2026, 5, 7, tzinfo=UTC)).new == 1
        for stored in store.history(25544):
            sat = stored.satrec()
            error, position, _ = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
            assert error == 0 and all(map(math.isfinite, position))


def test_the_whole_active_snapshot_parses(data_dir):
    text = lzma.decompress((data_dir / ACTIVE).read_bytes()).decode("utf-8")
    sets, errors = parse_records(text, ACTIVE)
    assert errors == []
    assert len(sets) == 15_347


def test_an_epoch_far_in_the_future_is_refused_with_a_clock(iss):
    now = datetime(2026, 5, 7, tzinfo=UTC)
    with pytest.raises(ElementParseError, match="more than 30 days after now"):
        parse_omm_record({**iss, "EPOCH": "9999-01-01T00:00:00"}, now_utc=now)


def test_a_set_sgp4_cannot_start_is_refused(iss):
    # Eccentricity 0.95 at 15.5 rev/day: the perigee is far below the ground.
    with pytest.raises(ElementParseError, match="SGP4"):
        parse_omm_record({**iss, "ECCENTRICITY": 0.95, "MEAN_ANOMALY": 0.0})


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("first", ["[", "<", "{"])
def test_a_3le_whose_first_name_starts_like_json_or_xml_is_read_as_tle(tle_lines, first):
    lines = list(tle_lines)
    lines[0] = first + "CALSPHERE 1]"
    sets = parse_text("\n".join(lines), "visual.tle")
    assert sets[0].name == first + "CALSPHERE 1]"
    assert len(sets) == 3


# --------------------------------------------------------------------------- names


def test_names_are_cleaned_where_they_enter(iss, tle_lines):
    hostile = "ISS\x1b]0;pwned\x07 \x1b[2J(ZARYA)\u202e\r\n1 99999U\x85\x9b31m\x00"
    (from_json,) = parse_text(json.dumps([{**iss, "OBJECT_NAME": hostile}]))
    assert from_json.name == from_json.omm["OBJECT_NAME"] == "ISS (ZARYA)  1 99999U"
    lines = list(tle_lines)
    lines[0] = "0 CALSPHERE\x1b[31m 1\x07\x7f"
    first = parse_text("\n".join(lines))[0]
    assert first.name == "CALSPHERE 1"
    for element_set in (from_json, first):
        assert element_set.name.isprintable()


def test_parse_tle_lines_cleans_the_name_too(tle_lines):
    element_set = parse_tle_lines(tle_lines[1], tle_lines[2], "\x1b[1mCALSPHERE 1\x1b[0m")
    assert element_set.name == "CALSPHERE 1"


def test_object_id_is_cleaned_too(iss):
    (element_set,) = parse_text(json.dumps([{**iss, "OBJECT_ID": "1998-067A\x1b[2J"}]))
    assert element_set.omm["OBJECT_ID"] == "1998-067A"


def test_failing_elements_never_come_back_as_sets(iss):
    """The promise the fuzz tests check at scale, on the audit's own example."""
    nan = ElementSet(25544, "ISS", datetime(2024, 5, 6, tzinfo=UTC), {**iss, "BSTAR": math.nan})
    with pytest.raises(ElementParseError, match="BSTAR"):
        parse_omm_record(nan.omm)


# --------------------------------------------------------------------------- found by the fuzz


def test_a_vanishing_mean_motion_is_refused(iss):
    # found by the CSV fuzz: 2.8e-192 rev/day was accepted, and its TLE export read back as 0
    with pytest.raises(ElementParseError, match=r"MEAN_MOTION is 2\.82226e-192 rev/day"):
        parse_omm_record({**iss, "MEAN_MOTION": 2.8222603385440807e-192})


def test_a_name_that_cleaning_empties_is_unknown_in_the_omm_too(iss):
    # found by the JSON fuzz: the set was named UNKNOWN but its OMM kept ""
    element_set = parse_omm_record({**iss, "OBJECT_NAME": "\b"})
    assert element_set.name == element_set.omm["OBJECT_NAME"] == "UNKNOWN"


def test_digits_shifted_out_of_their_columns_are_refused():
    """Found by the fuzz profile (40,000 TLE examples): a mean motion field of blanks and '1.0'
    whose digits run on into the revolution number (checksum still right) read as 1.0 rev/day
    from the columns, while SGP4's own reader, which skips blanks, took 1.048853 rev/day: the
    stored OMM and every prediction 1,160 km apart at the epoch. Now the record's error."""
    line1 = "1 25118U 97084G   26127.78899632  .00001263  00000+0  37977-3 0  9992"
    line2 = "2 25118  45.0139 247.1754 0001130 190.0868 342.4227         1.0488531"
    sets, errors = parse_records(f"ORBCOMM FM06\n{line1}\n{line2}\n", "shifted.tle")
    assert sets == []
    (error,) = errors
    assert error.line_number == 3
    assert "mean motion (columns 53-63)" in str(error) and "1.04885" in str(error)
    fixed = line2[:52] + " 1.04885310" + "    0"
    fixed += str(sum(int(c) if c.isdigit() else c == "-" for c in fixed) % 10)
    (element_set,), _ = parse_records(f"ORBCOMM FM06\n{line1}\n{fixed}\n", "fixed.tle")
    assert element_set.omm["MEAN_MOTION"] == 1.0488531
