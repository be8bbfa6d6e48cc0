"""Bad element data: each corruption is caught, on the right line, with a message that helps."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tle_cache.parse import (
    ElementParseError,
    parse_omm_record,
    parse_records,
    parse_text,
    read_file,
)

VISUAL = "celestrak_visual_2026-05-07.txt"
ISS_2024 = "iss_2024-05-06_skyfield-docs"


@pytest.fixture
def three_sets(read_data) -> list[str]:
    """The first three sets of the real visual group: nine LF lines, names padded."""
    return read_data(VISUAL).split("\r\n")[:9]


def corrupt(lines: list[str], index: int, new_line: str) -> str:
    return "\n".join([*lines[:index], new_line, *lines[index + 1 :]]) + "\n"


# Each case corrupts the second set (lines 4-6 of the text) and names the line to blame.
CORRUPTIONS = {
    "line 1 checksum": (4, lambda line, edit: edit(line, 25, "9", keep_checksum=True), 5),
    "line 2 checksum": (5, lambda line, edit: edit(line, 10, "8", keep_checksum=True), 6),
    "line 1 column 1": (4, lambda line, edit: edit(line, 1, "3"), 5),
    "line 2 column 1": (5, lambda line, edit: edit(line, 1, "7"), 6),
    "catalog mismatch": (5, lambda line, edit: edit(line, 3, "00734"), 6),
    "line 1 cut short": (4, lambda line, edit: line[:40], 5),
    "line 2 cut short": (5, lambda line, edit: line[:50], 6),
    "letter in epoch": (4, lambda line, edit: edit(line, 24, "x"), 5),
    "bad bstar": (4, lambda line, edit: edit(line, 54, " 2975.-4"), 5),
    "bad eccentricity": (5, lambda line, edit: edit(line, 27, "05 6598"), 6),
    "inclination 181": (5, lambda line, edit: edit(line, 9, "181.0000"), 6),
    "raan 400": (5, lambda line, edit: edit(line, 18, "400.0000"), 6),
    "mean motion 25": (5, lambda line, edit: edit(line, 53, "25.00000000"), 6),
    "mean motion 0": (5, lambda line, edit: edit(line, 53, " 0.00000000"), 6),
    "shifted field": (4, lambda line, edit: edit(line, 18, "A"), 5),
    "epoch day 0": (4, lambda line, edit: edit(line, 21, "000.50000000"), 5),
    "epoch before sputnik": (4, lambda line, edit: edit(line, 19, "57001.0"), 5),
    "alpha-5 letter O": (4, lambda line, edit: edit(line, 3, "O0694"), 5),
    "extra text": (4, lambda line, edit: line + " x", 5),
}


@pytest.mark.parametrize("case", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_corruption_is_reported_on_its_line(three_sets, edit_line, case):
    index, change, expected_line = CORRUPTIONS[case]
    text = corrupt(three_sets, index, change(three_sets[index], edit_line))
    with pytest.raises(ElementParseError) as caught:
        parse_text(text, "visual.tle")
    error = caught.value
    assert error.line_number == expected_line
    assert error.source == "visual.tle"
    assert str(error).startswith(f"visual.tle: line {expected_line}: ")
    assert "\n" not in str(error)

    sets, errors = parse_records(text, "visual.tle")
    assert [s.name for s in sets] == [three_sets[0].strip(), three_sets[6].strip()]
    assert [e.line_number for e in errors] == [expected_line]


def test_checksum_message_teaches_the_rule(three_sets, edit_line):
    line = three_sets[4]
    bad = line[:68] + str((int(line[68]) + 3) % 10)
    with pytest.raises(ElementParseError) as caught:
        parse_text(corrupt(three_sets, 4, bad))
    assert str(caught.value).startswith(
        f"line 5: TLE line 1 checksum digit is {bad[68]}, computed {line[68]} "
        "(mod-10 sum of columns 1-68: digits count their value, '-' counts 1)"
    )


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("letter in epoch", "epoch day (columns 21-32, like '127.82853009')"),
        ("bad bstar", "BSTAR drag term (columns 54-61"),
        ("bad eccentricity", "7 digits after an implied '0.'"),
        ("inclination 181", "inclination (columns 9-16) is 181 degrees; it must be from 0 to 180"),
        ("mean motion 25", "must be from 0.01 to below 20"),
        ("catalog mismatch", "'00734' but line 1 has '00733'"),
        ("line 1 cut short", "40 characters long, expected 69"),
        ("shifted field", "column 18 must be a space"),
        ("epoch before sputnik", "before the first launch (1957-10-04)"),
        ("alpha-5 letter O", "uses the letter O, which Alpha-5 skips"),
    ],
)
def test_messages_name_the_field_and_the_fix(three_sets, edit_line, case, fragment):
    index, change, _ = CORRUPTIONS[case]
    with pytest.raises(ElementParseError) as caught:
        parse_text(corrupt(three_sets, index, change(three_sets[index], edit_line)))
    assert fragment in str(caught.value)


def test_one_bad_record_in_a_whole_group_keeps_the_others(read_data, edit_line):
    lines = read_data(VISUAL).split("\r\n")
    lines[151] = edit_line(lines[151], 40, "7", keep_checksum=True)  # set 51, line 1
    text = "\r\n".join(lines)
    sets, errors = parse_records(text, VISUAL)
    assert len(sets) == 147
    assert [e.line_number for e in errors] == [152]
    with pytest.raises(ElementParseError, match="line 152: TLE line 1 checksum"):
        parse_text(text, VISUAL)


@pytest.mark.parametrize(
    ("cut_at", "bad_line"),
    [(-20, 444), (-75, 443), (-100, 443), (-150, 442)],
    ids=["in line 2", "in line 1", "early in line 1", "in the name"],
)
def test_group_cut_in_its_last_record_loses_only_that_record(read_data, cut_at, bad_line):
    text = read_data(VISUAL)
    sets, errors = parse_records(text[:cut_at], VISUAL)
    assert len(sets) == 147
    assert [e.line_number for e in errors] == [bad_line]
    assert "cut" in str(errors[0])


def test_missing_line_2_between_sets(three_sets):
    text = "\n".join(three_sets[:5] + three_sets[6:])
    sets, errors = parse_records(text)
    assert len(sets) == 2
    assert [(e.line_number, "line 2 is missing" in str(e)) for e in errors] == [(5, True)]


def test_swapped_lines_are_reported_not_misread(three_sets):
    swapped = [*three_sets[:4], three_sets[5], three_sets[4], *three_sets[6:]]
    sets, errors = parse_records("\n".join(swapped))
    assert [s.name for s in sets] == [three_sets[0].strip(), three_sets[6].strip()]
    assert [e.line_number for e in errors] == [5, 6]


def test_two_line_file_reports_the_right_line(three_sets, edit_line):
    two_line = [line for i, line in enumerate(three_sets) if i % 3 != 0]
    two_line[3] = edit_line(two_line[3], 9, "199.9999")
    with pytest.raises(ElementParseError) as caught:
        parse_text("\n".join(two_line))
    assert caught.value.line_number == 4


# Bodies that are not element data: both forms raise, neither returns an empty success.
NOT_ELEMENT_DATA = {
    "html": ("<!DOCTYPE html>\n<html><body>Service Unavailable</body></html>", "HTML page"),
    "html tag": ("<html>\r\n<head><title>301 Moved</title></head></html>", "HTML page"),
    "empty": ("", "is empty"),
    "whitespace": (" \r\n\r\n\t\n", "is empty"),
    "bom only": ("\ufeff\r\n", "is empty"),
    "no gp data": ("No GP data found", "No GP data found"),
    "not updated": (
        "GP data has not updated since your last successful download of GROUP=visual at "
        "2026-05-07 10:00:00 UTC.\r\nData is updated once every 2 hours.",
        "nothing new",
    ),
    "garbage": ("hello, this is not a TLE\nat all", "does not look like element data"),
    "xml": ('<?xml version="1.0" encoding="UTF-8"?>\n<ndm></ndm>', "XML"),
    "kvn": ("CCSDS_OMM_VERS = 2.0\nCREATION_DATE = 2026-05-07", "KVN"),
    "empty json": ("[]", "empty JSON list"),
    "json not omm": ('{"error": "rate limited"}', "no OMM records"),
    "json number": ("[1, 2, 3]", "no OMM records"),
    "csv header only": (
        "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,"
        "ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,"
        "ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT\r\n",
        "no rows",
    ),
    "csv without epoch": ("OBJECT_NAME,NORAD_CAT_ID\r\nISS,25544\r\n", "header lacks EPOCH"),
}


@pytest.mark.parametrize("case", NOT_ELEMENT_DATA, ids=list(NOT_ELEMENT_DATA))
def test_bodies_that_are_not_element_data_raise(case):
    body, fragment = NOT_ELEMENT_DATA[case]
    for parse in (parse_text, parse_records):
        with pytest.raises(ElementParseError) as caught:
            parse(body, "gp.php?GROUP=visual&FORMAT=TLE")
        assert fragment in str(caught.value)
        assert str(caught.value).startswith("gp.php?GROUP=visual&FORMAT=TLE: ")
        assert caught.value.line_number is None or case.startswith("csv")


@pytest.mark.parametrize("keep", [30, 200, 400, 520])
def test_truncated_json_is_named_truncated(read_data, keep):
    body = read_data(f"{ISS_2024}.json")[:keep]
    for parse in (parse_text, parse_records):
        with pytest.raises(ElementParseError, match="is truncated JSON"):
            parse(body, "iss.json")


def test_broken_json_that_is_not_truncated():
    with pytest.raises(ElementParseError, match=r"is not valid JSON \(.* at line 1 column"):
        parse_text('[{"NORAD_CAT_ID": 25544,, "EPOCH": "x"}]')


def iss_record(read_data) -> dict:
    return json.loads(read_data(f"{ISS_2024}.json"))[0]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"MEAN_MOTION": None}, "lacks MEAN_MOTION"),
        ({"BSTAR": ""}, "lacks BSTAR"),
        ({"ECCENTRICITY": "0,000358"}, "ECCENTRICITY is '0,000358', expected a number"),
        ({"ECCENTRICITY": 1.0}, "ECCENTRICITY is 1; it must be from 0 to below 1"),
        ({"ECCENTRICITY": -0.1}, "ECCENTRICITY is -0.1"),
        ({"INCLINATION": 180.5}, "INCLINATION is 180.5 degrees; it must be from 0 to 180"),
        ({"MEAN_ANOMALY": -1}, "MEAN_ANOMALY is -1 degrees; it must be from 0 to 360"),
        ({"MEAN_MOTION": "nan"}, "MEAN_MOTION is 'nan', expected a number"),
        ({"MEAN_MOTION": 0}, "MEAN_MOTION is 0 rev/day"),
        ({"NORAD_CAT_ID": "25544.5"}, "NORAD_CAT_ID is '25544.5', expected a whole number"),
        ({"NORAD_CAT_ID": True}, "NORAD_CAT_ID is True, expected a whole number"),
        ({"EPOCH": "2024-13-06T19:53:04"}, "EPOCH is '2024-13-06T19:53:04', expected ISO 8601"),
        ({"EPOCH": "1957-10-01T00:00:00.000000"}, "before the first launch"),
        ({"OBJECT_NAME": 42}, "OBJECT_NAME is 42, expected a string"),
    ],
)
def test_bad_omm_json_record_names_record_and_field(read_data, change, fragment):
    good = iss_record(read_data)
    bad = {**good, **change}
    text = json.dumps([good, bad, good])
    sets, errors = parse_records(text, "stations.json")
    assert len(sets) == 2
    (error,) = errors
    assert error.record_number == 2
    assert str(error).startswith("stations.json: record 2 (")
    assert fragment in str(error)
    with pytest.raises(ElementParseError, match="record 2"):
        parse_text(text, "stations.json")


def test_json_record_that_is_not_an_object(read_data):
    sets, errors = parse_records(json.dumps([iss_record(read_data), "ISS"]))
    assert len(sets) == 1
    assert str(errors[0]) == "record 2: is a JSON str, not an OMM object"


def test_bad_csv_rows_are_named_by_row(read_data):
    header, row = read_data(f"{ISS_2024}.csv").splitlines()
    bad_value = row.replace(",.000358,", ",.0003x8,")
    cut = row[:60]
    text = "\r\n".join([header, row, bad_value, row, cut]) + "\r\n"
    sets, errors = parse_records(text, "visual.csv")
    assert len(sets) == 2
    assert [e.line_number for e in errors] == [3, 5]
    assert str(errors[0]).startswith("visual.csv: row 3 (NORAD 25544 'ISS (ZARYA)'): ECCENTRICITY")
    assert f"has {cut.count(',') + 1} cells but the header has 17" in str(errors[1])


def test_csv_row_numbers_are_file_lines_even_after_blank_lines(read_data):
    header, row = read_data(f"{ISS_2024}.csv").splitlines()
    text = "\r\n\r\n" + header + "\r\n" + row + "\r\n\r\n" + row.replace("15.50957674", "x")
    sets, errors = parse_records(text)
    assert len(sets) == 1
    assert [e.line_number for e in errors] == [6]
    assert str(errors[0]).startswith("row 6 (NORAD 25544 'ISS (ZARYA)'): MEAN_MOTION is 'x'")


def test_naive_now_is_refused_by_every_entry_point(read_data):
    naive = datetime(2026, 5, 7)
    record = iss_record(read_data)
    with pytest.raises(ValueError, match="now_utc must be timezone-aware"):
        parse_omm_record(record, now_utc=naive)
    with pytest.raises(ValueError, match="now_utc must be timezone-aware"):
        parse_records(json.dumps(record), now_utc=naive)


def test_read_file_problems_are_clear(tmp_path):
    with pytest.raises(ElementParseError, match="no such file; check the path") as caught:
        read_file(tmp_path / "missing.tle")
    assert caught.value.source == str(tmp_path / "missing.tle")
    with pytest.raises(ElementParseError, match="is a directory"):
        read_file(tmp_path)
    binary = tmp_path / "group.tle.gz"
    binary.write_bytes(b"\x1f\x8b\x08\x00\xff\xfe")
    with pytest.raises(ElementParseError, match=r"is not UTF-8 text \(byte 1 is 0x8b\)"):
        read_file(binary)


def test_read_file_with_bom_and_error_source(tmp_path, read_data, edit_line):
    lines = read_data(f"{ISS_2024}.tle").splitlines()
    path = tmp_path / "iss.tle"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
    assert read_file(path)[0].norad_id == 25544
    lines[2] = edit_line(lines[2], 30, "9", keep_checksum=True)
    path.write_text("\n".join(lines))
    with pytest.raises(ElementParseError, match=rf"^{path}: line 3: TLE line 2 checksum"):
        read_file(path)
