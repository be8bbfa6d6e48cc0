"""Parsing real element data in every format CelesTrak serves, and the layouts users have."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from tle_cache.elements import OMM_KEYS, ElementSet
from tle_cache.parse import (
    ElementParseError,
    alpha5_to_int,
    int_to_alpha5,
    parse_omm_record,
    parse_records,
    parse_text,
    parse_tle_lines,
    read_file,
    tle_checksum,
)

#: A TLE and the OMM of the same set differ only by rounding in the last printed digit.
SAME_SET_TOLERANCE_KM = 0.005

ISS_2024 = "iss_2024-05-06_skyfield-docs"
ISS_2026 = "iss_2026-05-13_allsky-issue-5161"
VISUAL = "celestrak_visual_2026-05-07.txt"
ISS_EPOCH_2024 = datetime(2024, 5, 6, 19, 53, 4, 999776, tzinfo=UTC)


def test_iss_tle_json_csv_are_the_same_set(data_dir, positions_km):
    tle, json_set, csv_set = (
        read_file(data_dir / f"{ISS_2024}.{ext}") for ext in ("tle", "json", "csv")
    )
    for element_set in (tle, json_set, csv_set):
        assert len(element_set) == 1
        assert element_set[0].norad_id == 25544
        assert element_set[0].name == "ISS (ZARYA)"
        assert element_set[0].epoch_utc == ISS_EPOCH_2024
    reference = positions_km(tle[0])
    for other in (json_set[0], csv_set[0]):
        assert other.tle_lines is None
        np.testing.assert_allclose(positions_km(other), reference, atol=SAME_SET_TOLERANCE_KM)


def test_iss_2026_tle_and_csv_with_bare_decimals_agree(data_dir, positions_km):
    (tle,) = read_file(data_dir / f"{ISS_2026}.tle")
    (csv_set,) = read_file(data_dir / f"{ISS_2026}.csv")
    assert csv_set.omm["ECCENTRICITY"] == pytest.approx(0.0007522)  # printed ".0007522"
    assert csv_set.omm["BSTAR"] == pytest.approx(0.9508e-4)  # printed ".9508E-4"
    assert csv_set.epoch_utc == tle.epoch_utc
    np.testing.assert_allclose(positions_km(csv_set), positions_km(tle), atol=SAME_SET_TOLERANCE_KM)


def test_omm_computed_from_tle_matches_celestraks_json(data_dir):
    (tle,) = read_file(data_dir / f"{ISS_2024}.tle")
    published = json.loads((data_dir / f"{ISS_2024}.json").read_text())[0]
    assert list(tle.omm) == list(OMM_KEYS)
    for key in OMM_KEYS:
        if isinstance(published[key], str):
            assert tle.omm[key] == published[key], key
        else:
            assert tle.omm[key] == pytest.approx(published[key], rel=1e-12), key
    assert tle.tle_lines == tuple((data_dir / f"{ISS_2024}.tle").read_text().splitlines()[1:3])


def test_every_set_of_a_real_crlf_group_parses(read_data):
    text = read_data(VISUAL)
    assert "\r\n" in text
    sets = parse_text(text, VISUAL)
    assert len(sets) == 148  # PROVENANCE.md
    raw = text.split("\r\n")
    assert [s.name for s in sets] == [raw[i].strip() for i in range(0, 444, 3)]
    assert [s.tle_lines for s in sets] == [(raw[i + 1], raw[i + 2]) for i in range(0, 444, 3)]
    assert all(s.source == VISUAL for s in sets)
    assert all(s.epoch_utc.tzinfo is not None for s in sets)
    assert all(not s.name.endswith(" ") for s in sets)
    assert {s.epoch_utc.date().isoformat()[:7] for s in sets} <= {"2026-04", "2026-05"}


def test_omm_from_tle_gives_the_same_positions_as_the_lines(read_data, positions_km):
    # The OMM fields we compute from a TLE must describe the same orbit: an independent check
    # of the epoch, the implied decimal points and the exponent fields.
    for element_set in parse_text(read_data(VISUAL)):
        from_omm = ElementSet(
            element_set.norad_id, element_set.name, element_set.epoch_utc, element_set.omm
        )
        np.testing.assert_allclose(positions_km(from_omm), positions_km(element_set), atol=1e-6)


ISS_LINES = (
    "1 25544U 98067A   24127.82853009  .00015698  00000+0  27310-3 0  9995",
    "2 25544  51.6393 160.4574 0003580 140.6673 205.7250 15.50957674452123",
)


@pytest.mark.parametrize(
    "text",
    [
        "ISS (ZARYA)\n{1}\n{2}\n",
        "ISS (ZARYA)\r\n{1}\r\n{2}\r\n",
        "ISS (ZARYA)\r{1}\r{2}\r",
        "\ufeffISS (ZARYA)\n{1}\n{2}",
        "0 ISS (ZARYA)\n{1}\n{2}\n",
        "ISS (ZARYA)             \r\n{1}   \r\n{2}\t\r\n",
        "\n\nISS (ZARYA)\n\n{1}\n{2}\n\n\n",
    ],
    ids=["lf", "crlf", "cr", "bom", "zero-prefix", "padded", "blank-lines"],
)
def test_tle_layouts_give_the_same_set(text):
    (element_set,) = parse_text(text.replace("{1}", ISS_LINES[0]).replace("{2}", ISS_LINES[1]))
    assert element_set.name == "ISS (ZARYA)"
    assert element_set.omm["OBJECT_NAME"] == "ISS (ZARYA)"
    assert element_set.tle_lines == ISS_LINES
    assert element_set.epoch_utc == ISS_EPOCH_2024


def test_two_line_sets_are_named_unknown(read_data):
    lines = read_data(VISUAL).split("\r\n")
    two_line = "\n".join(line for i, line in enumerate(lines) if i % 3 != 0)
    sets = parse_text(two_line)
    assert len(sets) == 148
    assert {s.name for s in sets} == {"UNKNOWN"}
    assert {s.omm["OBJECT_NAME"] for s in sets} == {"UNKNOWN"}


def test_real_quirks_negative_drag_zero_as_minus_zero_short_set_number(data_dir):
    spot7, spot6, azerspace = read_file(data_dir / "real_quirks.tle")
    assert spot7.omm["MEAN_MOTION_DOT"] == pytest.approx(-0.45e-6)
    assert spot7.omm["BSTAR"] == 0.0
    assert spot7.omm["MEAN_MOTION_DDOT"] == 0.0  # printed "00000-0"
    assert spot6.omm["BSTAR"] == pytest.approx(-0.15644e-3)
    assert spot6.epoch_utc.date().isoformat() == "2017-10-18"
    assert azerspace.omm["ELEMENT_SET_NO"] == 80  # "  80" then checksum 5
    assert azerspace.omm["REV_AT_EPOCH"] == 93  # "   93" then checksum 4
    assert azerspace.omm["OBJECT_ID"] == "2013-006B"


@pytest.mark.parametrize(
    ("year", "day", "expected"),
    [
        ("57", "300.00000000", datetime(1957, 10, 27, tzinfo=UTC)),
        ("99", "001.50000000", datetime(1999, 1, 1, 12, tzinfo=UTC)),
        ("00", "060.00000000", datetime(2000, 2, 29, tzinfo=UTC)),  # leap year
        ("56", "366.00000000", datetime(2056, 12, 31, tzinfo=UTC)),
    ],
)
def test_two_digit_epoch_years(edit_line, year, day, expected):
    line1 = edit_line(ISS_LINES[0], 19, year + day)
    element_set = parse_tle_lines(line1, ISS_LINES[1])
    assert element_set.epoch_utc == expected
    assert element_set.omm["EPOCH"] == expected.strftime("%Y-%m-%dT%H:%M:%S.%f")


@pytest.mark.parametrize(
    ("field", "number"),
    [("A0001", 100001), ("H9999", 179999), ("J0000", 180000), ("Z9999", 339999), ("00005", 5)],
)
def test_alpha5_catalog_numbers(edit_line, field, number):
    assert alpha5_to_int(field) == number
    assert int_to_alpha5(number) == field
    element_set = parse_tle_lines(
        edit_line(ISS_LINES[0], 3, field), edit_line(ISS_LINES[1], 3, field)
    )
    assert element_set.norad_id == number
    assert element_set.omm["NORAD_CAT_ID"] == number
    assert element_set.satrec().satnum == number


def test_checksum_counts_digits_and_minus_signs():
    assert tle_checksum(ISS_LINES[0]) == 5
    assert tle_checksum(ISS_LINES[1]) == 3
    assert tle_checksum("1 -+.A" + " " * 63) == 2


def iss_json_record(data_dir) -> dict:
    return json.loads((data_dir / f"{ISS_2024}.json").read_text())[0]


def test_json_single_object_and_numbers_as_strings(data_dir):
    record = iss_json_record(data_dir)
    (from_object,) = parse_text(json.dumps(record))
    as_strings = {key: str(value) for key, value in record.items()}
    (from_strings,) = parse_text(json.dumps([as_strings]))
    assert from_object.omm == from_strings.omm
    assert from_strings.omm["NORAD_CAT_ID"] == 25544
    assert from_strings.omm["MEAN_MOTION"] == 15.50957674


def test_json_compact_form_as_served(data_dir):
    record = iss_json_record(data_dir)
    compact = json.dumps([record, {**record, "NORAD_CAT_ID": 25545}], separators=(",", ":"))
    assert [s.norad_id for s in parse_text(compact)] == [25544, 25545]


@pytest.mark.parametrize("norad_id", [70001, 100123, 339999, 340000, 123456789])
def test_six_and_more_digit_catalog_numbers_from_json(data_dir, positions_km, norad_id):
    record = iss_json_record(data_dir)
    (element_set,) = parse_text(json.dumps([{**record, "NORAD_CAT_ID": norad_id}]))
    assert element_set.norad_id == norad_id
    (iss,) = read_file(data_dir / f"{ISS_2024}.tle")
    np.testing.assert_allclose(
        positions_km(element_set), positions_km(iss), atol=SAME_SET_TOLERANCE_KM
    )


def test_six_digit_catalog_numbers_from_csv_in_any_column_order(read_data):
    header, row = read_data(f"{ISS_2024}.csv").splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    cells["NORAD_CAT_ID"] = "100123"
    keys = sorted(cells)  # a different column order than CelesTrak's
    text = ",".join(keys) + "\r\n" + ",".join(cells[k] for k in keys) + "\r\n"
    (element_set,) = parse_text(text)
    assert element_set.norad_id == 100123
    assert element_set.epoch_utc == ISS_EPOCH_2024
    assert list(element_set.omm) == list(OMM_KEYS)


def test_csv_with_bom_and_blank_trailing_lines(read_data):
    (element_set,) = parse_text("\ufeff" + read_data(f"{ISS_2024}.csv") + "\n\n")
    assert element_set.norad_id == 25544


def test_omm_optional_fields_get_celestraks_usual_values(data_dir):
    record = iss_json_record(data_dir)
    for key in ("OBJECT_NAME", "OBJECT_ID", "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE"):
        del record[key]
    element_set = parse_omm_record(record)
    assert element_set.name == "UNKNOWN"
    assert element_set.omm["OBJECT_ID"] == ""
    assert element_set.omm["CLASSIFICATION_TYPE"] == "U"


def test_future_epoch_is_checked_only_against_a_given_now(edit_line):
    line1 = edit_line(ISS_LINES[0], 19, "24200.00000000")  # 2024-07-18
    parse_tle_lines(line1, ISS_LINES[1])  # no clock, no check
    parse_tle_lines(line1, ISS_LINES[1], now_utc=datetime(2024, 7, 15, tzinfo=UTC))  # 3 days
    with pytest.raises(ElementParseError, match="more than 30 days after now") as caught:
        parse_tle_lines(line1, ISS_LINES[1], now_utc=datetime(2024, 6, 1, tzinfo=UTC))
    assert caught.value.line_number == 1


def test_naive_now_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_text("\n".join(ISS_LINES), now_utc=datetime(2024, 6, 1))


def test_lenient_form_of_clean_data_reports_nothing(read_data):
    sets, errors = parse_records(read_data(VISUAL))
    assert (len(sets), errors) == (148, [])


def test_age_in_days_of_a_parsed_set():
    (element_set,) = parse_text("\n".join(ISS_LINES))
    assert element_set.age_days(ISS_EPOCH_2024 + timedelta(days=2)) == pytest.approx(2.0)
