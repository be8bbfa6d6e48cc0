"""Property-based tests of the three parsers (issue 16) over mutated real records.

The promise: whatever the text, `parse_records` raises `ElementParseError` or returns sets
and `ElementParseError`s, and every set it returns is valid, finite and propagatable: numbers
finite and in range, one clean line of name, SGP4 gives a finite position at the epoch (and,
for a TLE, the same position from the printed lines as from the parsed fields), and each
export of it reads back to the same set. Nothing else ever comes out.

The records are real (CelesTrak's active group of 2026-05-07 and the ISS examples); the
mutations reach past the checksum (it is fixed after most edits) to the field readers, the
range checks and SGP4. Profiles: ``ci`` (the default: a few hundred examples per parser,
derandomized, so a run is repeatable and quick) and ``fuzz`` (``HYPOTHESIS_PROFILE=fuzz``,
random, many examples; see the note of issue 16 for a run's figures).
"""

from __future__ import annotations

import json
import lzma
import math
import os
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tle_cache.elements import OMM_KEYS, ElementSet
from tle_cache.export import to_omm_csv, to_omm_json, to_tle_text
from tle_cache.names import clean_name
from tle_cache.parse import ElementParseError, parse_records

DATA = Path(__file__).resolve().parents[1] / "data" / "tle"

settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40000")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: A TLE and the OMM read from it give the same position at the epoch to rounding (mm).
SAME_SET_KM = 0.01
#: The resolution of a TLE epoch: 8 decimals of a day.
TLE_EPOCH_STEP_S = 86400e-8


def _records() -> list[list[str]]:
    """Every 25th set of the active group (614 sets) as [name, line 1, line 2]."""
    text = lzma.decompress((DATA / "celestrak_active_2026-05-07.txt.xz").read_bytes())
    lines = text.decode("utf-8").split("\r\n")
    return [lines[i : i + 3] for i in range(0, len(lines) - 2, 3)][::25]


RECORDS = _records()
SAMPLE_SETS = parse_records("\n".join(line for rec in RECORDS[:40] for line in rec))[0]
JSON_RECORDS = [
    *json.loads(to_omm_json(SAMPLE_SETS)),
    *json.loads((DATA / "iss_2024-05-06_skyfield-docs.json").read_text()),
]
CSV_HEADER, *CSV_ROWS = [
    *to_omm_csv(SAMPLE_SETS).splitlines(),
    *(DATA / "iss_2026-05-13_allsky-issue-5161.csv").read_text().splitlines()[1:],
]

# Characters that have broken parsers: non-ASCII and superscript digits, controls, the csv
# module's specials, separators str.strip() removes, bidi controls, JSON and XML openers.
NASTY = [
    *"0123456789 +-.eE,;\"'[]{}<>=@\t\r\n\\",
    *"\u0665\u0662\u00b2\uff11",  # Arabic-Indic, superscript and fullwidth digits
    *"\x00\x1b\x1c\x1f\x7f\x85\x9b",  # C0, DEL, C1
    *"\u2028\u202e\ufeff\u00e9",
]
CHARS = st.one_of(st.sampled_from(NASTY), st.characters())
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
# (line, first column, last column) of every TLE field; the catalog numbers last, and kept
# the same on both lines (so that the other fields are reached)
TLE_FIELDS = [
    (2, 53, 63), (2, 27, 33), (1, 54, 61), (1, 34, 43), (1, 45, 52), (1, 21, 32), (1, 19, 20),
    (2, 9, 16), (2, 18, 25), (2, 35, 42), (2, 44, 51), (2, 64, 68), (1, 8, 8), (1, 10, 17),
    (1, 63, 63), (1, 65, 68), (1, 3, 7),
]  # fmt: skip


def checksum(line: str) -> str:
    total = sum(int(c) for c in line[:68] if c in "0123456789") + line[:68].count("-")
    return str(total % 10)


@st.composite
def field_values(draw, width: int) -> str:
    """Text for a TLE field: valid-looking extreme numbers, or anything at all."""
    kind = draw(st.sampled_from(["number", "exponent", "digits", "text"]))
    if kind == "number":
        value = draw(st.floats(allow_nan=False, allow_infinity=False, width=32))
        text = f"{value:.{draw(st.integers(0, 8))}f}"
    elif kind == "exponent":
        sign, mantissa = draw(st.sampled_from(" -+")), draw(st.integers(0, 99999))
        text = f"{sign}{mantissa:05d}{draw(st.sampled_from('+-'))}{draw(st.integers(0, 9))}"
    elif kind == "digits":
        text = draw(st.text(st.sampled_from("0123456789"), min_size=width, max_size=width))
    else:
        text = draw(st.text(CHARS, max_size=width + 2))
    return text.rjust(width)[-width:] if draw(st.integers(0, 9)) < 8 else text  # mostly fits


@st.composite
def mutated_tle(draw) -> str:
    name, line1, line2 = (list(s) for s in draw(st.sampled_from(RECORDS)))
    lines = {0: name, 1: line1, 2: line2}
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["field"] * 4 + ["char", "char", "insert", "delete", "name"]))
        if op == "field":
            number, first, last = draw(st.sampled_from(TLE_FIELDS))
            text = draw(field_values(last - first + 1))
            lines[number][first - 1 : last] = list(text)
            if (first, last) == (3, 7):
                lines[2][2:7] = list(text)
        elif op == "name":
            lines[0] = list(draw(st.text(CHARS, max_size=30)))
        else:
            number = draw(st.sampled_from([0, 1, 2]))
            chars = lines[number]
            at = draw(st.integers(0, max(len(chars) - 1, 0)))
            if op == "char" and chars:
                chars[at] = draw(CHARS)
            elif op == "insert":
                chars.insert(at, draw(CHARS))
            elif chars:
                del chars[at]
    texts = ["".join(lines[k]) for k in (0, 1, 2)]
    for k in (1, 2):
        if len(texts[k]) >= 69 and draw(st.integers(0, 9)) < 8:  # mostly reach the fields
            texts[k] = texts[k][:68] + checksum(texts[k]) + texts[k][69:]
    if draw(st.booleans()):
        texts = texts[1:]  # 2LE
    return draw(LINE_ENDS).join(texts) + draw(st.sampled_from(["", "\n"]))


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.text(CHARS, max_size=20),
    st.from_regex(r"[+-]?[0-9]{0,6}\.?[0-9]{0,9}([eE][+-]?[0-9]{1,4})?", fullmatch=True),
    st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
        r"(Z|[+-][0-9]{2}:[0-9]{2})?",
        fullmatch=True,
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def text_edits(draw, text: str) -> str:
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(["char", "insert", "delete"]))
        if op == "insert" or at == len(chars):
            chars.insert(at, draw(CHARS))
        elif op == "char":
            chars[at] = draw(CHARS)
        else:
            del chars[at]
    return "".join(chars)


@st.composite
def mutated_json(draw) -> str:
    record = dict(draw(st.sampled_from(JSON_RECORDS)))
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.one_of(st.sampled_from(OMM_KEYS), st.text(max_size=5)))
        if draw(st.integers(0, 9)) == 0:
            record.pop(key, None)
        else:
            record[key] = draw(JSON_VALUES)
    text = json.dumps(
        [record] if draw(st.booleans()) else record, indent=draw(st.sampled_from([None, 4]))
    )
    return text_edits(draw, text) if draw(st.integers(0, 4)) == 0 else text


@st.composite
def mutated_csv(draw) -> str:
    header = CSV_HEADER.split(",")
    cells = draw(st.sampled_from(CSV_ROWS)).split(",")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(cells) - 1))
        value = draw(JSON_VALUES)
        cells[at] = value if isinstance(value, str) else json.dumps(value)
    text = draw(LINE_ENDS).join([",".join(header), ",".join(cells)])
    return text_edits(draw, text) if draw(st.integers(0, 3)) == 0 else text


# --------------------------------------------------------------------------- the oracle

_FLOAT_KEYS = ("MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
               "ARG_OF_PERICENTER", "MEAN_ANOMALY", "BSTAR", "MEAN_MOTION_DOT",
               "MEAN_MOTION_DDOT")  # fmt: skip
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def position_at_epoch(element_set: ElementSet) -> np.ndarray:
    sat = element_set.satrec()
    error, r, v = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
    assert error == 0, f"SGP4 error {error} at the epoch of a returned set"
    assert all(map(math.isfinite, (*r, *v))), "a returned set propagates to NaN"
    return np.array(r)


def assert_valid(element_set: ElementSet) -> None:
    omm = element_set.omm
    assert list(omm) == list(OMM_KEYS)
    for key in _FLOAT_KEYS:
        assert isinstance(omm[key], float) and math.isfinite(omm[key]), key
    assert 0 <= omm["INCLINATION"] <= 180
    assert all(0 <= omm[k] <= 360 for k in ("RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY"))
    assert 0 <= omm["ECCENTRICITY"] < 1 and 0 < omm["MEAN_MOTION"] < 20
    assert 1 <= omm["NORAD_CAT_ID"] == element_set.norad_id < 10**9
    assert 0 <= omm["EPHEMERIS_TYPE"] <= 9 and 0 <= omm["ELEMENT_SET_NO"] <= 9999
    assert 0 <= omm["REV_AT_EPOCH"] <= 99999
    assert re.fullmatch("[A-Za-z]", omm["CLASSIFICATION_TYPE"])
    assert element_set.epoch_utc.tzinfo is not None and element_set.epoch_utc.year >= 1957
    name = element_set.name
    assert name and name == name.strip() and name == omm["OBJECT_NAME"]
    assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI for c in name)
    assert clean_name(name) == name
    here = position_at_epoch(element_set)
    if element_set.tle_lines is not None:
        assert all(line.isascii() and line.isprintable() for line in element_set.tle_lines)
        from_fields = ElementSet(element_set.norad_id, name, element_set.epoch_utc, omm)
        assert np.abs(position_at_epoch(from_fields) - here).max() < SAME_SET_KM
    for writer in (to_omm_json, to_omm_csv, to_tle_text):
        try:
            text = writer([element_set])
        except ValueError:
            assert writer is to_tle_text  # only TLE has sets it cannot hold (designators)
            continue
        (again,) = parse_records(text)[0]
        assert (again.norad_id, again.name) == (element_set.norad_id, name), writer.__name__
        # TLE prints the epoch to 1e-8 day (0.864 ms): an OMM epoch comes back rounded
        rounding_s = TLE_EPOCH_STEP_S / 2 if writer is to_tle_text else 0.0
        assert abs((again.epoch_utc - element_set.epoch_utc).total_seconds()) <= rounding_s


def check(text: str) -> None:
    try:
        sets, errors = parse_records(text, "fuzz")
    except ElementParseError as error:
        assert "\n" not in str(error)
        return
    assert all(isinstance(e, ElementParseError) and "\n" not in str(e) for e in errors)
    for element_set in sets:
        assert_valid(element_set)


# --------------------------------------------------------------------------- the properties


@PROFILE
@given(mutated_tle())
def test_tle_parser_gives_an_error_or_a_valid_set(text):
    check(text)


@PROFILE
@given(mutated_json())
def test_omm_json_parser_gives_an_error_or_a_valid_set(text):
    check(text)


@PROFILE
@given(mutated_csv())
def test_omm_csv_parser_gives_an_error_or_a_valid_set(text):
    check(text)


@PROFILE
@given(st.text(CHARS, max_size=60))
def test_clean_name_is_one_safe_line_and_idempotent(text):
    cleaned = clean_name(text)
    assert clean_name(cleaned) == cleaned
    assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in _BIDI for c in cleaned)


@pytest.mark.parametrize("record", RECORDS[:50], ids=lambda r: r[0].strip())
def test_unmutated_records_are_valid(record):
    (element_set,) = parse_records("\n".join(record))[0]
    assert_valid(element_set)
