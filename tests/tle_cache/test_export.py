"""Writing sets as 3LE, OMM JSON and OMM CSV, and reading each back to the same orbits."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import numpy as np
import pytest

from tle_cache.elements import OMM_KEYS, ElementSet
from tle_cache.export import format_tle_lines, to_omm_csv, to_omm_json, to_tle_text
from tle_cache.parse import parse_text, read_file

VISUAL = "celestrak_visual_2026-05-07.txt"
ISS_2024 = "iss_2024-05-06_skyfield-docs"
#: OMM -> TLE rounds eccentricity to 7 digits and BSTAR to 5: metres at most over 3 days.
ROUND_TRIP_TOLERANCE_KM = 0.005


def without_tle(element_set: ElementSet) -> ElementSet:
    """The same set as if it had been read from OMM (no original lines to reuse)."""
    return ElementSet(
        element_set.norad_id, element_set.name, element_set.epoch_utc, element_set.omm
    )


def test_tle_text_reproduces_a_real_group(read_data):
    text = read_data(VISUAL)
    exported = to_tle_text(parse_text(text))
    expected = [line.rstrip() for line in text.split("\r\n") if line.strip()]
    assert "\r" not in exported
    assert exported.splitlines() == expected
    assert exported.endswith("\n")


def test_tle_lines_formatted_from_celestraks_omm_equal_its_tle(data_dir):
    # An independent reference: CelesTrak's own TLE of the same set.
    (from_json,) = read_file(data_dir / f"{ISS_2024}.json")
    (from_tle,) = read_file(data_dir / f"{ISS_2024}.tle")
    assert format_tle_lines(from_json) == from_tle.tle_lines
    assert to_tle_text([from_json]) == to_tle_text([from_tle])


def test_tle_lines_formatted_from_computed_omm_equal_the_originals(read_data, data_dir):
    sets = parse_text(read_data(VISUAL)) + read_file(data_dir / "real_quirks.tle")
    for element_set in sets:
        line1, line2 = format_tle_lines(without_tle(element_set))
        original1, original2 = element_set.tle_lines
        # Real sets print a zero second derivative as "00000-0" or "00000+0"; we write "+0".
        assert line1[:44] + line1[52:68] == original1[:44] + original1[52:68]
        assert line2 == original2


def test_formatted_lines_carry_correct_checksums(read_data, independent_checksum):
    for element_set in parse_text(read_data(VISUAL)):
        for line in format_tle_lines(without_tle(element_set)):
            assert len(line) == 69
            assert int(line[68]) == independent_checksum(line)


@pytest.mark.parametrize("writer", [to_tle_text, to_omm_json, to_omm_csv])
def test_round_trip_keeps_ids_epochs_and_positions(read_data, positions_km, writer):
    originals = parse_text(read_data(VISUAL))
    again = parse_text(writer([without_tle(s) for s in originals]))
    assert [s.norad_id for s in again] == [s.norad_id for s in originals]
    assert [s.name for s in again] == [s.name for s in originals]
    assert [s.epoch_utc for s in again] == [s.epoch_utc for s in originals]
    for before, after in zip(originals, again, strict=True):
        np.testing.assert_allclose(
            positions_km(after), positions_km(before), atol=ROUND_TRIP_TOLERANCE_KM
        )


def test_omm_json_is_a_list_in_celestrak_key_order(data_dir):
    (iss,) = read_file(data_dir / f"{ISS_2024}.tle")
    (record,) = json.loads(to_omm_json([iss]))
    assert list(record) == list(OMM_KEYS)
    published = json.loads((data_dir / f"{ISS_2024}.json").read_text())[0]
    assert record == pytest.approx(published)
    assert json.loads(to_omm_json([])) == []


def test_omm_csv_has_the_header_and_one_row_per_set(read_data):
    sets = parse_text(read_data(VISUAL))
    rows = list(csv.DictReader(io.StringIO(to_omm_csv(sets))))
    assert len(rows) == 148
    assert list(rows[0]) == list(OMM_KEYS)
    assert rows[0]["EPOCH"] == sets[0].omm["EPOCH"]


def test_sets_with_string_omm_values_export_too(data_dir):
    # A store may keep every OMM value as text; the writers must not care.
    (iss,) = read_file(data_dir / f"{ISS_2024}.csv")
    as_text = replace(iss, omm={key: str(value) for key, value in iss.omm.items()})
    assert parse_text(to_omm_json([as_text]))[0].omm == iss.omm
    assert parse_text(to_tle_text([as_text]))[0].epoch_utc == iss.epoch_utc


@pytest.mark.parametrize(("norad_id", "field"), [(100123, "A0123"), (339999, "Z9999")])
def test_six_digit_catalog_numbers_are_written_as_alpha5(data_dir, norad_id, field):
    (iss,) = read_file(data_dir / f"{ISS_2024}.json")
    big = replace(iss, norad_id=norad_id, omm={**iss.omm, "NORAD_CAT_ID": norad_id})
    text = to_tle_text([big])
    assert text.splitlines()[1][2:7] == field
    assert parse_text(text)[0].norad_id == norad_id


def test_catalog_numbers_beyond_alpha5_need_omm(data_dir):
    (iss,) = read_file(data_dir / f"{ISS_2024}.json")
    big = replace(iss, norad_id=340000, omm={**iss.omm, "NORAD_CAT_ID": 340000})
    with pytest.raises(ValueError, match=r"NORAD 340000 .* use to_omm_json or to_omm_csv"):
        to_tle_text([big])
    assert parse_text(to_omm_csv([big]))[0].norad_id == 340000
    assert parse_text(to_omm_json([big]))[0].norad_id == 340000
