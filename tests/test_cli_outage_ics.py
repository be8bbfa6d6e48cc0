"""`sun-outages --format ics`: parsed back with `icalendar`, the same outages as `--format json`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import icalendar
import pytest
from click.testing import CliRunner

from passpredict.cli.geo import geo_command
from passpredict.cli.sun_outages import sun_outages_command
from passpredict.timeutil import parse_instant

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
QUERY = ["azerspace-1", "--start", "2026-09-01T00:00Z", "--days", "60"]


def run(args, home):
    return CliRunner().invoke(
        sun_outages_command, args, obj={"now_utc": NOW}, env={"PASSPREDICT_HOME": str(home)}
    )


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    calendar = run([*QUERY, "--format", "ics"], home)
    document = run([*QUERY, "--format", "json"], home)
    assert calendar.exit_code == 0 and document.exit_code == 0, calendar.output
    events = [c for c in icalendar.Calendar.from_ical(calendar.stdout).walk() if c.name == "VEVENT"]
    outages = [o for s in json.loads(document.stdout)["seasons"] for o in s["outages"]]
    return events, outages


def test_one_event_per_outage_day_as_in_json(both):
    events, outages = both
    assert len(outages) >= 4
    assert len(events) == len(outages)
    days = [e.decoded("DTSTART").date() for e in events]
    assert len(set(days)) == len(days)
    for event, outage in zip(events, outages, strict=True):
        # iCalendar keeps whole seconds: the JSON times truncated to the second
        assert event.decoded("DTSTART") == parse_instant(outage["start"]).replace(microsecond=0)
        assert event.decoded("DTEND") == parse_instant(outage["end"]).replace(microsecond=0)
        assert f"{outage['min_separation_deg']:.2f}°" in str(event["SUMMARY"])
        assert event.decoded("DTSTAMP") == NOW


def test_uids_are_stable_and_unique(both, tmp_path):
    events, _ = both
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(u.startswith("39079-+40.409+49.867-sun-outage-") for u in uids)
    # a later run (another clock, another home) names the same events the same way
    later = CliRunner().invoke(
        sun_outages_command,
        [*QUERY, "--format", "ics"],
        obj={"now_utc": datetime(2026, 12, 1, tzinfo=UTC)},
        env={"PASSPREDICT_HOME": str(tmp_path)},
    )
    again = [
        str(c["UID"])
        for c in icalendar.Calendar.from_ical(later.stdout).walk()
        if c.name == "VEVENT"
    ]
    assert again == uids


def test_ics_is_only_offered_where_it_means_something(tmp_path):
    result = CliRunner().invoke(
        geo_command, ["azerspace-1", "--format", "ics"], env={"PASSPREDICT_HOME": str(tmp_path)}
    )
    assert result.exit_code == 2
