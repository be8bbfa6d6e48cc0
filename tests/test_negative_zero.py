"""No output prints a rounded number as a negative zero (``-0.0``, ``-0``, ``-0.000``).

Was: with ``--min-elevation 0`` the rise and set elevations, found by root finding a hair
below or above 0 deg, were written ``-0.0`` in JSON, JSON Lines and CSV and ``elevation
-0.0°`` in the calendar (the golden files of passes-mixed-min0 held dozens). The independent
expectation: at a 0-deg threshold every rise and set lies at 0 deg, so each rise and set
elevation rounded to 3 decimals is zero, written ``0.0`` (``0.0°`` in the calendar).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import numpy as np
from golden import MIXED, Case, run_case

from passpredict.engine.ephemeris import load_timescale
from passpredict.output.formats import pass_dict
from passpredict.output.textarrays import fixed_texts, round_like_python, rounded, rounded_texts
from passpredict.products.predict import predict
from passpredict.records import Observer
from tle_cache.parse import read_file

#: A number that is a negative zero as printed: ``-0``, ``-0.0``, ``-0.000`` (not ``-0.5``).
NEGATIVE_ZERO = re.compile(r"(?<![0-9.])-0(?:\.0+)?(?![0-9.])")
ARGS = ("passes", "--tle-file", MIXED, "--start", "2026-05-08T00:00Z", "--days", "1",
        "--min-elevation", "0")  # fmt: skip


def _run(tmp_path, fmt: str) -> str:
    return run_case(Case(fmt, (*ARGS, "--format", fmt)), tmp_path / fmt).decode()


def test_no_format_prints_a_negative_zero(tmp_path) -> None:
    for fmt in ("table", "json", "jsonl", "csv", "ics"):
        text = _run(tmp_path, fmt)
        if fmt == "ics":
            text = re.sub(r"\r?\n[ \t]", "", text)  # unfolded: a number may be cut by a fold
        found = NEGATIVE_ZERO.findall(text)
        assert not found, (fmt, found[:5])


def test_rise_and_set_at_zero_degrees_are_written_as_zero(tmp_path) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(tmp_path, "csv"))))
    passes = [r for r in rows if r["rise_elevation_deg"] or r["set_elevation_deg"]]
    cells = [r[k] for r in passes for k in ("rise_elevation_deg", "set_elevation_deg") if r[k]]
    assert len(cells) > 20
    assert set(cells) == {"0.0"}
    document = json.loads(_run(tmp_path, "json"))
    points = [p[k] for p in document["passes"] for k in ("rise", "set") if p[k]]
    assert {json.dumps(p["elevation_deg"]) for p in points} == {"0.0"}
    calendar = re.sub(r"\r?\n[ \t]", "", _run(tmp_path, "ics"))
    assert "elevation 0.0°" in calendar


def test_the_record_path_of_the_web_pages_writes_no_negative_zero() -> None:
    """`formats.pass_dict` (the web API's pass detail, and the reference of the columns)."""
    timescale = load_timescale()
    baku = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
    start = datetime(2026, 5, 8, tzinfo=UTC)
    found = predict(read_file(MIXED), [baku], start, start + timedelta(days=1), 0.0,
                    timescale=timescale)  # fmt: skip
    texts = [json.dumps(pass_dict(p)) for p in found.passes]
    assert texts and not any(NEGATIVE_ZERO.search(t) for t in texts)


def test_the_rounding_helpers_give_zero_its_positive_sign() -> None:
    tiny = np.array([-0.0004, -0.0, -1e-9, 0.0, 0.0004] * 60)  # 300: the table path too
    assert set(rounded_texts(tiny, 3)) == {"0.0"}
    assert set(rounded_texts(tiny[:5], 3)) == {"0.0"}
    assert not np.signbit(round_like_python(tiny, 3)).any()
    assert set(fixed_texts(tiny, 1)) == {"0.0"} and set(fixed_texts(tiny[:5], 0)) == {"0"}
    assert repr(rounded(-0.0004, 3)) == "0.0" and rounded(-2, 3) == -2
    assert rounded_texts(np.array([-0.0006]), 3) == ["-0.001"]  # a real negative keeps it
