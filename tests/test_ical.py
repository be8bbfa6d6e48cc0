"""iCalendar export: parsed back with the `icalendar` library, UIDs that survive refreshes."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from passpredict.output.ical import (
    UID_BUCKET_S,
    description,
    escape_text,
    fold,
    pass_uid,
    summary,
    to_ics,
)
from passpredict.products.predict import predict
from passpredict.products.visibility import VisibilityOptions
from passpredict.records import Observer, Pass, PassPoint
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "visibility"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
START = datetime(2026, 8, 22, 12, tzinfo=UTC)
GENERATED = datetime(2026, 8, 22, 11, 0, 7, tzinfo=UTC)


@pytest.fixture(scope="module")
def iss_sets():
    return sorted(read_file(DATA / "iss_25544_2026-08-21_22.tle"), key=lambda es: es.epoch_utc)


def _predict(element_set, astronomy, start=START, days=3.0, observers=(BAKU,)):
    return predict(
        [element_set],
        list(observers),
        start,
        start + timedelta(days=days),
        10.0,
        timescale=astronomy.timescale,
        visibility=VisibilityOptions(astronomy, std_magnitudes={25544: -1.8}),
        radio=True,
    )


def _events(text: str):
    calendar = icalendar.Calendar.from_ical(text)
    return calendar, list(calendar.walk("VEVENT"))


def test_calendar_parses_back_with_one_event_per_pass(iss_sets, astronomy):
    prediction = _predict(iss_sets[-1], astronomy)
    text = to_ics(prediction, GENERATED, frequency_hz=437.8e6)
    calendar, events = _events(text)
    assert str(calendar["VERSION"]) == "2.0" and "passpredict" in str(calendar["PRODID"])
    complete = [p for p in prediction.passes if p.rise and p.set]
    assert len(events) == len(complete) >= 15
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event, p in zip(events, complete, strict=True):
        assert event.decoded("DTSTART") == p.rise.time_utc.replace(microsecond=0)
        assert event.decoded("DTEND") == p.set.time_utc.replace(microsecond=0)
        assert event.decoded("DTSTAMP") == GENERATED
        summary = str(event["SUMMARY"])
        assert summary.startswith("ISS (ZARYA): max ")
        assert f"{p.max_elevation_deg:.0f}°" in summary and " to " in summary
        description = str(event["DESCRIPTION"])
        assert "Rise: " in description and "Culmination: " in description
        assert "Doppler at 437.8 MHz" in description
        assert "+04 (" in description  # Baku local time, then UTC
        if p.visibility.visible:
            assert "visible (mag ~" in summary and "Visible: " in description
            assert "Magnitude (estimate" in description
        else:
            assert "visible" not in summary
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_uids_survive_refreshed_elements_and_a_moved_threshold(iss_sets, astronomy):
    """Elements 12 h apart move the passes by seconds; the calendar must update, not double."""
    older, newer = iss_sets[-3], iss_sets[-1]
    assert (newer.epoch_utc - older.epoch_utc) > timedelta(hours=10)
    first = _predict(older, astronomy)
    second = _predict(newer, astronomy)
    shifts = [
        abs((a.culmination.time_utc - b.culmination.time_utc).total_seconds())
        for a, b in zip(first.passes, second.passes, strict=True)
    ]
    assert 0.05 < max(shifts) < 10.0  # the passes did move
    _, events_a = _events(to_ics(first, GENERATED))
    _, events_b = _events(to_ics(second, GENERATED + timedelta(hours=12)))
    assert [str(e["UID"]) for e in events_a] == [str(e["UID"]) for e in events_b]
    # newer elements: a higher SEQUENCE, so calendar programs take the update
    assert all(b["SEQUENCE"] > a["SEQUENCE"] for a, b in zip(events_a, events_b, strict=True))
    # a different minimum elevation moves rise and set, not the culmination
    lower = predict(
        [newer],
        [BAKU],
        START,
        START + timedelta(days=3),
        20.0,
        timescale=astronomy.timescale,
    )
    uids = {pass_uid(p, BAKU) for p in second.passes}
    assert {pass_uid(p, BAKU) for p in lower.passes} <= uids
    # renaming the place keeps the UIDs (they use the coordinates)
    renamed = Observer("Home", BAKU.latitude_deg, BAKU.longitude_deg, BAKU.elevation_m)
    assert pass_uid(second.passes[0], renamed) == pass_uid(second.passes[0], BAKU)


def test_uid_names_satellite_place_and_half_hour_of_culmination():
    def a_pass(culmination: datetime) -> Pass:
        point = PassPoint(culmination, 180.0, 45.0, 600.0)
        return Pass("ISS (ZARYA)", 25544, "Baku", 10.0, point, point, point)

    uid = pass_uid(a_pass(datetime(2026, 8, 22, 23, 14, 59, tzinfo=UTC)), BAKU)
    assert uid == "25544-+40.409+49.867-20260822T2300Z@passpredict"
    later = pass_uid(a_pass(datetime(2026, 8, 22, 23, 15, 1, tzinfo=UTC)), BAKU)
    assert later == "25544-+40.409+49.867-20260822T2330Z@passpredict"
    assert UID_BUCKET_S == 1800


def test_passes_cut_by_the_window_are_left_out(iss_sets, astronomy):
    prediction = _predict(iss_sets[-1], astronomy)
    first = prediction.passes[0]
    # start the window at the first pass's culmination: it is then in progress at the start
    cut = _predict(iss_sets[-1], astronomy, start=first.culmination.time_utc, days=0.5)
    assert cut.passes[0].rise is None
    _, events = _events(to_ics(cut, GENERATED))
    assert len(events) == len([p for p in cut.passes if p.rise and p.set]) == len(cut.passes) - 1


def test_text_escaping_and_folding():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    assert all(p.startswith(" ") for p in pieces[1:])


def test_fold_cuts_at_75_octets_never_inside_a_character():
    """RFC 5545 3.1: at most 75 octets a line (the leading space of a continuation counted),
    unfolding gives the line back, and each piece is as long as the limit allows."""
    import random

    rng = random.Random(11)
    for _ in range(2000):
        alphabet = rng.choice(["ab;, x°±★한😀", "ab;, x"])  # ASCII lines are cut as text
        line = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 300)))
        pieces = fold(line).split("\r\n")
        assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line
        for n, piece in enumerate(pieces):
            assert len(piece.encode()) <= 75
            if n + 1 < len(pieces):  # a piece was cut: the next character would not fit
                following = pieces[n + 1][1]
                assert len((piece + following).encode()) > 75
            if n:
                assert piece.startswith(" ")


@pytest.mark.parametrize("before", [timedelta(minutes=10), timedelta(seconds=90)])
def test_alarms_parse_back_as_display_reminders_before_the_rise(iss_sets, astronomy, before):
    prediction = _predict(iss_sets[-1], astronomy, days=1.0)
    _, events = _events(to_ics(prediction, GENERATED, alarm_before=before))
    assert len(events) >= 4
    for event in events:
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == -before  # relative to the start (RFC 5545 3.8.6.3)
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
    _, plain = _events(to_ics(prediction, GENERATED))
    assert all(not e.walk("VALARM") for e in plain)


def test_icalendar_building_the_same_events_reads_back_the_same(iss_sets, astronomy):
    """Our writer against `icalendar`'s: each event built from the same passes with the
    library's own types, both files parsed back, every property decodes to the same value."""
    prediction = _predict(iss_sets[-1], astronomy, days=1.0)
    before = timedelta(minutes=5)
    ours = to_ics(prediction, GENERATED, frequency_hz=437.8e6, alarm_before=before)
    built = icalendar.Calendar()
    for key, value in (("VERSION", "2.0"), ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH")):
        built.add(key, value)
    epoch = iss_sets[-1].epoch_utc
    for p in [p for p in prediction.passes if p.rise and p.set]:
        event = icalendar.Event()
        event.add("UID", pass_uid(p, BAKU))
        event.add("DTSTAMP", GENERATED)
        event.add("DTSTART", p.rise.time_utc.replace(microsecond=0))
        event.add("DTEND", p.set.time_utc.replace(microsecond=0))
        event.add("SUMMARY", summary(p))
        event.add("DESCRIPTION", description(p, BAKU, epoch, 437.8e6))
        event.add("LOCATION", BAKU.name)
        event.add("GEO", (BAKU.latitude_deg, BAKU.longitude_deg))
        event.add("TRANSP", "TRANSPARENT")
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", summary(p))
        alarm.add("TRIGGER", -before)
        event.add_component(alarm)
        built.add_component(event)
    _, mine = _events(ours)
    _, theirs = _events(built.to_ical().decode())
    assert len(mine) == len(theirs) >= 4
    for a, b in zip(mine, theirs, strict=True):
        for key in b:
            assert a.decoded(key) == b.decoded(key), key
        [alarm_a], [alarm_b] = a.walk("VALARM"), b.walk("VALARM")
        assert all(alarm_a.decoded(key) == alarm_b.decoded(key) for key in alarm_b)
