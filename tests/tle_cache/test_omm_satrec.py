"""OMM sets get their SGP4 model from `sgp4.omm.initialize` (issue 12); it is the TLE's model.

The oracle is sgp4's own TLE reader (`Satrec.twoline2rv`) on the lines CelesTrak published for
the same set: the satrec built from the OMM fields we parsed must hold the same elements, epoch
and catalog data, element by element. For the two ISS examples the OMM files are CelesTrak's
own; for the 15,347 objects of the active group the OMM is the fields we read from each TLE,
written as JSON and read back, so the whole chain (column reader, OMM reader, sgp4.omm) is
checked.
"""

from __future__ import annotations

import json
import lzma
from datetime import UTC, datetime

import pytest
from sgp4.api import Satrec

from tle_cache.parse import parse_text, read_file

#: The mean elements as SGP4 holds them (radians, rad/min, per Earth radius).
ELEMENTS = ("no_kozai", "ecco", "inclo", "nodeo", "argpo", "mo", "bstar", "ndot", "nddot")
#: The catalog data the satrec carries beside the elements.
CATALOG = ("satnum", "satnum_str", "classification", "intldesg", "elnum", "revnum", "ephtype")
#: A printed decimal read by two readers and converted the same way differs by a few ulps.
ELEMENT_RELATIVE_TOLERANCE = 1e-15
#: OMM EPOCH carries microseconds; the TLE day fraction converts to a time between them.
EPOCH_TOLERANCE_DAYS = 0.5e-6 / 86400.0 + 1e-15
NOW = datetime(2026, 5, 8, tzinfo=UTC)


def assert_same_satrec(ours: Satrec, reference: Satrec, label: str) -> None:
    for name in ELEMENTS:
        value, expected = getattr(ours, name), getattr(reference, name)
        assert abs(value - expected) <= ELEMENT_RELATIVE_TOLERANCE * abs(expected), (
            f"{label}: {name} is {value!r}, twoline2rv has {expected!r}"
        )
    epoch_days = (ours.jdsatepoch - reference.jdsatepoch) + (
        ours.jdsatepochF - reference.jdsatepochF
    )
    assert abs(epoch_days) <= EPOCH_TOLERANCE_DAYS, f"{label}: epoch"
    for name in CATALOG:
        assert getattr(ours, name) == getattr(reference, name), f"{label}: {name}"


@pytest.mark.parametrize(
    "name",
    [
        "iss_2024-05-06_skyfield-docs.json",
        "iss_2024-05-06_skyfield-docs.csv",
        "iss_2026-05-13_allsky-issue-5161.csv",
    ],
)
def test_celestraks_omm_gives_the_satrec_of_its_tle(data_dir, name):
    (omm_set,) = read_file(data_dir / name)
    (tle_set,) = read_file(data_dir / (name.rsplit(".", 1)[0] + ".tle"))
    assert omm_set.tle_lines is None
    assert_same_satrec(omm_set.satrec(), Satrec.twoline2rv(*tle_set.tle_lines), name)


def test_every_active_object_read_back_as_omm_gives_the_satrec_of_its_tle(data_dir):
    text = lzma.decompress((data_dir / "celestrak_active_2026-05-07.txt.xz").read_bytes())
    tle_sets = parse_text(text.decode("utf-8"), now_utc=NOW)
    assert len(tle_sets) == 15347  # PROVENANCE.md
    document = json.dumps([dict(s.omm) for s in tle_sets])  # what CelesTrak's JSON holds
    omm_sets = parse_text(document, now_utc=NOW)
    assert [s.norad_id for s in omm_sets] == [s.norad_id for s in tle_sets]
    for omm_set, tle_set in zip(omm_sets, tle_sets, strict=True):
        reference = Satrec.twoline2rv(*tle_set.tle_lines)
        assert_same_satrec(omm_set.satrec(), reference, f"NORAD {tle_set.norad_id}")


@pytest.mark.parametrize(
    ("norad_id", "satnum", "satnum_str"),
    [
        (70001, 70001, "70001"),
        (100123, 100123, "A0123"),  # sgp4 holds 100000-339999 as Alpha-5, as TLE columns do
        (339999, 339999, "Z9999"),
        # sgp4 refuses a larger satnum ("cannot exceed 339999"): the record gets 0 and the
        # number lives on in ElementSet.norad_id and the OMM fields
        (340000, 0, "00000"),
        (123456789, 0, "00000"),
    ],
)
def test_six_and_more_digit_catalog_numbers_in_the_satrec(data_dir, norad_id, satnum, satnum_str):
    record = json.loads((data_dir / "iss_2024-05-06_skyfield-docs.json").read_text())[0]
    (element_set,) = parse_text(json.dumps([{**record, "NORAD_CAT_ID": norad_id}]))
    sat = element_set.satrec()
    assert (element_set.norad_id, element_set.omm["NORAD_CAT_ID"]) == (norad_id, norad_id)
    assert (sat.satnum, sat.satnum_str) == (satnum, satnum_str)
