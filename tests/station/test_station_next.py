"""`passes --next N`, `passes --format ics --alarm`, `track --next-pass`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import icalendar
from click.testing import CliRunner

from passpredict.cli.root import main

SPOT7 = str(Path(__file__).parents[1] / "data" / "visibility" / "spot7_40053_2026-05-30.tle")
BASE = ["--tle-file", SPOT7, "--start", "2026-05-30T17:00Z"]


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_next_n_is_the_first_n_passes_of_the_long_window():
    got = json.loads(invoke("passes", "spot7", *BASE, "--next", "5", "--format", "json").stdout)
    full = json.loads(invoke("passes", "spot7", *BASE, "--days", "30", "--format", "json").stdout)
    assert got["passes"] == full["passes"][:5]
    # more than fit in the default 3 days: --next searches further
    many = json.loads(invoke("passes", "spot7", *BASE, "--next", "40", "--format", "json").stdout)
    assert len(many["passes"]) == 40


def test_ics_alarm_reminds_before_each_pass():
    text = invoke("passes", "spot7", *BASE, "--next", "3", "--format", "ics", "--alarm", "10m")
    calendar = icalendar.Calendar.from_ical(text.stdout)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].dt == -timedelta(minutes=10)


def test_alarm_needs_ics():
    result = invoke("passes", "spot7", *BASE, "--alarm", "10m")
    assert result.exit_code == 2 and "--alarm needs --format ics" in result.stderr


def test_track_next_pass_runs_from_aos_to_los():
    passes = json.loads(invoke("passes", "spot7", *BASE, "--next", "1", "--format", "json").stdout)
    (p,) = passes["passes"]
    result = invoke(
        "track", "spot7", *BASE, "--next-pass", "--min-elevation", "10", "--step", "1",
        "--format", "json",
    )  # fmt: skip
    samples = json.loads(result.stdout)["tracks"][0]["samples"]
    # the grid starts at AOS (the first sample, at 10 deg less rounding, may fall to the filter)
    assert p["rise"]["time"] <= samples[0]["time"] <= "2026-05-30T17:19:21.458Z"
    assert abs(samples[0]["elevation_deg"] - 10.0) < 0.2
    assert samples[-1]["time"] <= p["set"]["time"]
    assert all(s["elevation_deg"] >= 10.0 - 1e-3 for s in samples)
