"""Sun outages as iCalendar: parsed back with `icalendar`, one event per day, stable UIDs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from passpredict.inputs.observers import default_observer
from passpredict.output.outage_ical import outage_uid, outages_to_ics, solar_date
from passpredict.products.geo.sun_outages import find_sun_outages, outage_threshold_deg
from tle_cache.bundled import load_bundled

GENERATED = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def outages(astronomy):
    azerspace_1 = next(es for es in load_bundled() if es.norad_id == 39079)
    found = find_sun_outages(
        azerspace_1,
        default_observer(),
        datetime(2026, 10, 1, tzinfo=UTC),
        datetime(2026, 10, 16, tzinfo=UTC),
        astronomy,
        outage_threshold_deg(1.2, 11.7),
    )
    assert len(found) >= 4
    return found, azerspace_1.epoch_utc


def _events(text: str):
    calendar = icalendar.Calendar.from_ical(text)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_one_event_per_day_parses_back(outages):
    found, epoch = outages
    text = outages_to_ics(found, [default_observer()], GENERATED, {39079: epoch})
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    events = _events(text)
    assert len(events) == len(found)
    days = [e.decoded("DTSTART").date() for e in events]
    assert len(set(days)) == len(days)  # one per day
    for event, outage in zip(events, found, strict=True):
        assert event.decoded("DTSTART") == outage.start_utc.replace(microsecond=0)
        assert event.decoded("DTEND") == outage.end_utc.replace(microsecond=0)
        assert str(event["SUMMARY"]).startswith("Sun outage: AZERSPACE 1")
        assert "Least separation" in str(event["DESCRIPTION"])
        assert event.decoded("DTSTAMP") == GENERATED


def test_uids_survive_fresher_elements(outages):
    # Fresher elements move an outage by seconds: the UIDs, and so the calendar's events, stay.
    found, _ = outages
    baku = default_observer()
    moved = [
        dataclasses.replace(
            o,
            start_utc=o.start_utc + timedelta(seconds=40),
            peak_utc=o.peak_utc - timedelta(seconds=40),
            end_utc=o.end_utc + timedelta(seconds=40),
        )
        for o in found
    ]
    assert [outage_uid(o, baku) for o in found] == [outage_uid(o, baku) for o in moved]
    assert len({outage_uid(o, baku) for o in found}) == len(found)


def test_solar_date_keeps_an_outage_away_from_midnight():
    # An outage near 23:50 UTC seen from 150 E is at 09:50 local solar time the next day.
    assert solar_date(datetime(2026, 3, 1, 23, 50, tzinfo=UTC), 150.0) == "20260302"
    assert solar_date(datetime(2026, 3, 1, 0, 10, tzinfo=UTC), -150.0) == "20260228"
