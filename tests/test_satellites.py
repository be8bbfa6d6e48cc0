"""Tracked satellites and resolving what the user types into element sets."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sgp4.api import Satrec
from sgp4.conveniences import sat_epoch_datetime

from passpredict.inputs.satellites import (
    TrackedSatellite,
    UnknownSatelliteError,
    normalise_name,
    resolve_satellites,
    tracked_satellites,
)
from tle_cache.elements import ElementSet, format_omm_epoch

BUNDLED_TLE = Path(__file__).resolve().parent.parent / "tle_cache" / "data" / "bundled.tle"

AZ1, AZ2, SPOT7 = 39079, 43632, 40053


def element_set_from_tle(name: str, line1: str, line2: str) -> ElementSet:
    """Build an ElementSet from three TLE lines with sgp4 alone (no project parser)."""
    sat = Satrec.twoline2rv(line1, line2)
    epoch_utc = sat_epoch_datetime(sat)
    return ElementSet(
        norad_id=sat.satnum,
        name=name,
        epoch_utc=epoch_utc,
        omm={
            "OBJECT_NAME": name,
            "NORAD_CAT_ID": sat.satnum,
            "EPOCH": format_omm_epoch(epoch_utc),
            "MEAN_MOTION": float(line2[52:63]),
            "ECCENTRICITY": sat.ecco,
            "INCLINATION": float(line2[8:16]),
        },
        tle_lines=(line1, line2),
        source="bundled",
    )


@pytest.fixture(scope="module")
def bundled() -> list[ElementSet]:
    lines = [ln.rstrip() for ln in BUNDLED_TLE.read_text(encoding="ascii").splitlines()]
    lines = [ln for ln in lines if ln]
    assert len(lines) % 3 == 0
    return [element_set_from_tle(*lines[i : i + 3]) for i in range(0, len(lines), 3)]


def other(norad_id: int, name: str, template: ElementSet, days: float = 0.0) -> ElementSet:
    """A copy of `template` under another number and name (OMM-only, so any number works)."""
    return replace(
        template,
        norad_id=norad_id,
        name=name,
        epoch_utc=template.epoch_utc + timedelta(days=days),
        tle_lines=None,
        omm={**template.omm, "NORAD_CAT_ID": norad_id, "OBJECT_NAME": name},
        _satrec_cache=[],
    )


def norads(element_sets: list[ElementSet]) -> list[int]:
    return [e.norad_id for e in element_sets]


def test_bundled_fixture_holds_the_tracked_satellites(bundled):
    assert [(e.norad_id, e.name) for e in bundled] == [
        (AZ1, "AZERSPACE 1"),
        (AZ2, "AZERSPACE 2 (IS-38)"),
        (SPOT7, "SPOT 7"),
    ]
    assert [e.satrec().satnum for e in bundled] == [AZ1, AZ2, SPOT7]


def test_tracked_satellites_match_the_bundled_names(bundled):
    tracked = tracked_satellites()
    assert all(isinstance(t, TrackedSatellite) for t in tracked)
    assert [(t.norad_id, t.name) for t in tracked] == [(e.norad_id, e.name) for e in bundled]
    tracked.clear()
    assert len(tracked_satellites()) == 3


def test_normalise_name_drops_case_spaces_hyphens_underscores_parentheses():
    assert normalise_name("AZERSPACE 2 (IS-38)") == normalise_name("azerspace_2is38")
    assert normalise_name(" Spot-7 ") == "spot7"
    assert normalise_name("SL-16 R/B") == "sl16r/b"  # other punctuation is kept


@pytest.mark.parametrize(
    ("query", "norad_id"),
    [
        ("39079", AZ1),
        ("039079", AZ1),
        (" 40053 ", SPOT7),
        ("AZERSPACE 1", AZ1),
        ("azerspace 1", AZ1),
        ("azerspace_1", AZ1),
        ("Azerspace-1", AZ1),
        ("azerspace1", AZ1),
        ("az1", AZ1),
        ("AZ-1", AZ1),
        ("AZERSPACE 2 (IS-38)", AZ2),
        ("Azerspace-2", AZ2),
        ("AZERSPACE 2", AZ2),
        ("az2", AZ2),
        ("IS-38", AZ2),
        ("is38", AZ2),
        ("Intelsat 38", AZ2),
        ("intelsat-38", AZ2),
        ("intelsat", AZ2),  # a unique substring of an alias
        ("SPOT 7", SPOT7),
        ("spot7", SPOT7),
        ("Spot-7", SPOT7),
        ("AZERSKY", SPOT7),
        ("spot", SPOT7),  # a unique substring of a name
    ],
)
def test_each_way_of_naming_a_tracked_satellite(bundled, query, norad_id):
    assert norads(resolve_satellites([query], bundled)) == [norad_id]


def test_order_of_queries_is_kept_and_duplicates_dropped(bundled):
    result = resolve_satellites(["spot7", "az2", "40053", "Azersky", "AZERSPACE 1"], bundled)
    assert norads(result) == [SPOT7, AZ2, AZ1]
    assert resolve_satellites([], bundled) == []


def test_ambiguous_substring_lists_the_candidates(bundled):
    with pytest.raises(ValueError) as info:
        resolve_satellites(["azerspace"], bundled)
    assert str(info.value) == (
        "satellite 'azerspace' is ambiguous, it could be AZERSPACE 1 (39079), "
        "AZERSPACE 2 (IS-38) (43632); give the full name or the NORAD number"
    )


def test_exact_name_beats_substring_and_alias(bundled):
    sets = [*bundled, other(40054, "SPOT 7 DEB", bundled[2]), other(99999, "AZ1", bundled[0])]
    assert norads(resolve_satellites(["spot 7"], sets)) == [SPOT7]
    assert norads(resolve_satellites(["spot 7 deb"], sets)) == [40054]
    assert norads(resolve_satellites(["az1"], sets)) == [99999]  # the file's own name first


def test_same_name_on_two_objects_is_ambiguous(bundled):
    sets = [other(50001, "OBJECT A", bundled[2]), other(50002, "OBJECT A", bundled[2])]
    with pytest.raises(ValueError, match=r"OBJECT A \(50001\), OBJECT A \(50002\)"):
        resolve_satellites(["object a"], sets)
    assert norads(resolve_satellites(["50002"], sets)) == [50002]


def test_unknown_name_lists_tracked_and_loaded_names(bundled):
    sets = [*bundled, other(25544, "ISS (ZARYA)", bundled[2])]
    with pytest.raises(ValueError) as info:
        resolve_satellites(["spot7", "meteor-m2"], sets)
    assert str(info.value) == (
        "unknown satellite 'meteor-m2'; known satellites: AZERSPACE 1, AZERSPACE 2 (IS-38), "
        "SPOT 7, ISS (ZARYA)"
    )


def test_known_names_are_truncated_for_big_files(bundled):
    sets = [other(60000 + i, f"STARLINK-{i}", bundled[2]) for i in range(5000)]
    with pytest.raises(ValueError) as info:
        resolve_satellites(["meteor-m2"], sets)
    message = str(info.value)
    assert message.endswith("STARLINK-16 and 4983 more")
    assert len(message) < 400


def test_six_digit_catalog_numbers(bundled):
    big = other(270001, "NEWSAT 1", bundled[2])
    assert resolve_satellites(["270001"], [*bundled, big]) == [big]
    assert resolve_satellites(["newsat"], [*bundled, big]) == [big]


def test_latest_epoch_wins_when_a_number_appears_twice(bundled):
    old = other(SPOT7, "SPOT 7", bundled[2], days=-10)
    new = other(SPOT7, "SPOT 7", bundled[2], days=+1)
    for order in ([old, new, bundled[2]], [new, bundled[2], old]):
        assert resolve_satellites(["spot 7"], order) == [new]
        assert resolve_satellites(["40053"], order) == [new]


def test_tracked_satellite_without_elements_says_how_to_fetch(bundled):
    without_spot = bundled[:2]
    for query in ("40053", "azersky", "SPOT 7"):
        with pytest.raises(ValueError) as info:
            resolve_satellites([query], without_spot)
        assert str(info.value) == (
            "no element set for SPOT 7 (NORAD 40053) among the 2 loaded; fetch its elements: "
            "passpredict tle add 40053 && passpredict tle refresh"
        )


def test_unknown_number(bundled):
    with pytest.raises(ValueError) as info:
        resolve_satellites(["99999"], bundled)
    assert str(info.value) == (
        "no element set for NORAD 99999 among the 3 loaded; fetch its elements: "
        "passpredict tle add 99999 && passpredict tle refresh"
    )


@pytest.mark.parametrize("query", ["ISS", "iss", "25544", "International Space Station"])
def test_a_well_known_satellite_not_loaded_is_named_with_its_number(bundled, query):
    # was "unknown satellite 'ISS'" (no number to fetch) and 'passpredict tle refresh' for
    # 25544, which does not fetch an unwatched satellite (issue 10)
    with pytest.raises(UnknownSatelliteError) as info:
        resolve_satellites([query], bundled)
    assert info.value.norad_id == 25544 and info.value.label == "ISS (ZARYA) (NORAD 25544)"
    assert "passpredict tle add 25544 && passpredict tle refresh" in str(info.value)


def test_a_well_known_alias_picks_its_object_among_similar_names(bundled):
    sets = [other(25544, "ISS (ZARYA)", bundled[2]), other(49044, "ISS (NAUKA)", bundled[2])]
    assert norads(resolve_satellites(["ISS"], sets)) == [25544]
    assert norads(resolve_satellites(["nauka"], sets)) == [49044]


@pytest.mark.parametrize("query", ["", "  ", "-", "()"])
def test_empty_names(bundled, query):
    with pytest.raises(ValueError, match="is empty; known satellites: AZERSPACE 1"):
        resolve_satellites([query], bundled)


def test_no_element_sets_at_all():
    with pytest.raises(ValueError, match="known satellites: AZERSPACE 1, AZERSPACE 2"):
        resolve_satellites(["meteor-m2"], [])
