"""The calendar written from columns is byte for byte the calendar written from records.

`passpredict.output.ical.write_ics` writes a prediction that holds columns (`LazyPasses`, what
`predict` and the command line give) through `passpredict.output.ical_columns`; the record
path (`Pass` records, formatted one field at a time) is the expectation. tests/test_ical.py
parses both back with `icalendar`.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from passpredict.output import ical_columns
from passpredict.output.ical import _when, to_ics
from passpredict.products.columns import LazyPasses, concatenate_columns
from passpredict.products.pass_extras import with_declinations
from passpredict.products.predict import predict
from passpredict.products.visibility import VisibilityOptions
from passpredict.records import Observer
from tle_cache.parse import parse_text

CATALOGUE = Path(__file__).parents[1] / "benchmarks" / "data" / "celestrak_active_2026-05-07.txt"
GENERATED = datetime(2026, 10, 24, 11, 0, 7, tzinfo=UTC)
# Berlin leaves summer time at 2026-10-25 01:00 UTC, inside the window; Sydney is in summer
# time, Kolkata half an hour off, St John's two and a half hours; "Roof" has no zone (UTC).
OBSERVERS = (
    Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku"),
    Observer("Zürich; Dach, Süd\\Ost", 52.52, 13.405, 34.0, "Europe/Berlin"),
    Observer("Sydney", -33.8688, 151.2093, 58.0, "Australia/Sydney"),
    Observer("Kolkata", 22.5726, 88.3639, 9.0, "Asia/Kolkata"),
    Observer("St John's", 47.5615, -52.7126, 70.0, "America/St_Johns"),
    Observer("Roof", -0.5, 170.25, 0.0, None),
    Observer("Etc", 10.0, -20.0, 5.0, "Etc/UTC"),
)
START = datetime(2026, 10, 24, 12, 0, 0, 250000, tzinfo=UTC)


@pytest.fixture(scope="module")
def element_sets():
    """Forty satellites of the catalogue (LEO and higher) and the ISS."""
    lines = CATALOGUE.read_text().splitlines()
    chosen = [lines[k : k + 3] for k in range(0, 3 * 40, 3)]
    iss = next(k for k in range(0, len(lines), 3) if lines[k].startswith("ISS (ZARYA)"))
    chosen.append(lines[iss : iss + 3])
    return parse_text("\n".join(line for three in chosen for line in three) + "\n")


def _predict(element_sets, astronomy, visibility=True, radio=True, observers=OBSERVERS):
    return predict(
        element_sets,
        list(observers),
        START,
        START + timedelta(days=1.5),
        10.0,
        timescale=astronomy.timescale,
        visibility=VisibilityOptions(astronomy, std_magnitudes={25544: -1.8})
        if visibility
        else None,
        radio=radio,
    )


def _from_records(prediction):
    records = replace(prediction, passes=tuple(prediction.passes))
    assert not isinstance(records.passes, LazyPasses)
    return records


def _both(prediction, **options):
    assert isinstance(prediction.passes, LazyPasses)
    columns = to_ics(prediction, GENERATED, **options)
    records = to_ics(_from_records(prediction), GENERATED, **options)
    return columns, records


@pytest.fixture(scope="module")
def full(element_sets, astronomy):
    return with_declinations(_predict(element_sets, astronomy))


def test_everything_on_matches_the_records(full):
    c = full.passes.columns
    cut = np.isnan(c.rise_s) | np.isnan(c.set_s)
    assert cut.any() and (~cut).sum() > 500  # passes cut by the window are left out
    assert (
        c.visibility is not None and c.visibility.visible.any() and not c.visibility.visible.all()
    )
    assert c.declination_deg is not None and c.range_rate_km_s is not None
    columns, records = _both(full, frequency_hz=437.8e6, alarm_before=timedelta(minutes=10))
    assert columns == records
    unfolded = columns.replace("\r\n ", "")
    for text in ("CET (", "CEST (", "AEDT (", "IST (", "NDT (", " UTC\\n", "(compass "):
        assert text in unfolded  # both sides of Berlin's transition
    assert "Enters Earth's shadow" in unfolded and "Leaves Earth's shadow" in unfolded
    assert "\r\nLOCATION:Zürich\\; Dach\\, Süd\\\\Ost\r\n" in columns


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"frequency_hz": 145.8e6},
        {"alarm_before": timedelta(seconds=90)},
        {"frequency_hz": 2.2e9, "alarm_before": timedelta(hours=1)},
    ],
)
def test_options_match_the_records(full, options):
    columns, records = _both(full, **options)
    assert columns == records


@pytest.mark.parametrize(("visibility", "radio"), [(False, False), (False, True), (True, False)])
def test_without_visibility_or_radio_matches_the_records(
    element_sets, astronomy, visibility, radio
):
    prediction = _predict(element_sets, astronomy, visibility, radio, OBSERVERS[:3])
    columns, records = _both(prediction, frequency_hz=437.8e6 if radio else None)
    assert columns == records
    assert ("visible" in columns) == visibility and ("Doppler" in columns) == radio


def test_repeated_uids_get_the_same_suffixes_across_chunks(full, monkeypatch):
    """Each pass twice (a split pass's UID repeats): "-2" on the second, in chunks of 7."""
    c = full.passes.columns
    doubled = replace(full, passes=LazyPasses(concatenate_columns([c, c, c])))
    monkeypatch.setattr(ical_columns, "CHUNK_ROWS", 7)
    columns, records = _both(doubled)
    assert columns == records
    assert "-2@passpredict" in columns and "-3@passpredict" in columns


def test_rows_out_of_start_order_are_sorted_as_the_records_are(full):
    c = full.passes.columns
    shuffled = c.take(np.random.default_rng(7).permutation(len(c)))
    prediction = replace(full, passes=LazyPasses(shuffled))
    columns, records = _both(prediction)
    assert columns == records == to_ics(full, GENERATED)


def test_no_complete_pass_gives_an_empty_calendar(full):
    c = full.passes.columns
    cut = np.flatnonzero(np.isnan(c.rise_s) | np.isnan(c.set_s))
    prediction = replace(full, passes=LazyPasses(c.take(cut)))
    columns, records = _both(prediction)
    assert columns == records and "VEVENT" not in columns


@pytest.mark.parametrize(
    ("zone", "around"),
    [
        ("Europe/Berlin", datetime(2026, 3, 29, 1, tzinfo=UTC)),
        ("Australia/Lord_Howe", datetime(2026, 4, 4, 15, tzinfo=UTC)),  # a half-hour shift
        ("Asia/Baku", datetime(1924, 5, 1, 20, 40, 36, tzinfo=UTC)),  # LMT +03:19:24 to +03
        ("Europe/Amsterdam", datetime(1937, 6, 30, 23, 40, 28, tzinfo=UTC)),  # +00:19:32
        ("America/St_Johns", datetime(2026, 11, 1, 3, 30, tzinfo=UTC)),
        ("UTC", datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_zone_clock_matches_astimezone_around_transitions(zone, around):
    """Instants a few microseconds to hours from a transition, some inside an hour that
    holds one (those odd transitions are not on the hour), as `ical._when` writes them."""
    rng = np.random.default_rng(1)
    base = round((around - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 1_000_000
    steps = np.concatenate(
        [np.arange(-3, 4), rng.integers(-3 * 3600 * 10**6, 3 * 3600 * 10**6, 400)]
    )
    us = base + steps.astype(np.int64)
    clock = ical_columns.ZoneClock(ZoneInfo(zone))
    expected = [
        _when(datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=u), ZoneInfo(zone))
        for u in us.tolist()
    ]
    assert clock.texts(us) == expected
    assert clock.texts(us) == expected  # from the cache the second time
