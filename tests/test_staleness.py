"""Stale element sets come back from the library as records, with the ages they were judged on."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from passpredict.engine.orbits import OrbitClass
from passpredict.products.predict import predict
from passpredict.products.staleness import STALE_AFTER_DAYS, stale_elements
from passpredict.records import Observer
from tle_cache.bundled import load_bundled

BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
SPOT7 = next(es for es in load_bundled() if es.norad_id == 40053)


def test_a_prediction_carries_stale_reports_not_sentences(timescale):
    start = SPOT7.epoch_utc + timedelta(days=20)
    result = predict([SPOT7], [BAKU], start, start + timedelta(days=2), timescale=timescale)
    (report,) = result.stale
    assert report.norad_id == 40053 and report.orbit is OrbitClass.LEO_MEO
    assert report.limit_days == STALE_AFTER_DAYS[OrbitClass.LEO_MEO] == 7.0
    # the age at the start is the one SatelliteReport (table, JSON age_days) carries
    assert report.age_at_start_days == pytest.approx(result.satellites[0].age_days)
    assert report.age_at_start_days == pytest.approx(20.0)
    assert report.worst_age_days == pytest.approx(22.0)
    assert report.stale_at_start
    assert result.warnings == ()  # free-text warnings are for anything else


def test_fresh_at_the_start_but_stale_by_the_end_is_judged_on_the_end():
    start = SPOT7.epoch_utc + timedelta(days=1)
    assert stale_elements(SPOT7, start, start + timedelta(days=3)) is None
    late = stale_elements(SPOT7, start, start + timedelta(days=10))
    assert late is not None and not late.stale_at_start
    assert late.worst_age_days == pytest.approx(11.0)


def test_a_window_before_the_epoch_counts_the_distance_back():
    start = SPOT7.epoch_utc - timedelta(days=30)
    report = stale_elements(SPOT7, start, start + timedelta(days=1))
    assert report is not None and report.age_at_start_days == pytest.approx(-30.0)
    assert report.worst_age_days == pytest.approx(30.0)


def test_the_json_sentence_is_the_one_it_always_was():
    start = datetime(2026, 11, 25, tzinfo=UTC)
    report = stale_elements(SPOT7, start, start + timedelta(days=1))
    assert report.describe() == (
        f"elements of SPOT 7 (40053) are {report.worst_age_days:.1f} days from the predicted "
        f"times (epoch {SPOT7.epoch_utc:%Y-%m-%d %H:%M} UTC; over 7 days is stale for a "
        'leo-meo orbit): pass times may be off by minutes or more; run "passpredict tle '
        'refresh" (or pass --tle-file with fresh elements)'
    )


def test_the_first_passes_are_judged_on_the_time_they_span_not_the_search(timescale):
    # `passes --next 3` searches 30 days ahead; the three passes it shows lie within a day of
    # a day-old set, which is not stale for them (it was warned about, found by a CLI sweep)
    azerspace = next(es for es in load_bundled() if es.norad_id == 39079)
    start = SPOT7.epoch_utc + timedelta(days=1)
    whole = predict(
        [SPOT7, azerspace], [BAKU], start, start + timedelta(days=40), timescale=timescale
    )
    assert {s.norad_id for s in whole.stale} == {40053, 39079}  # 41 days: both too old
    for prediction in (whole, replace(whole, passes=tuple(whole.passes))):  # columns, records
        first = prediction.first(3)
        assert list(first.passes) == list(whole.passes[:3])
        shown_end = max(p.set.time_utc for p in first.passes)
        # the oracle: the same judgement of the set over the span the passes cover
        assert stale_elements(SPOT7, start, shown_end) is None
        assert [s.norad_id for s in first.stale] == [39079]  # the GEO look covers the window
        assert [r.stale for r in first.satellites] == [False, True]
    # later passes reach past 7 days: judged stale on the last one shown
    many = whole.first(60)
    last = max(p.set.time_utc for p in many.passes)
    (report,) = [s for s in many.stale if s.norad_id == 40053]
    assert report == stale_elements(SPOT7, start, last)
    assert report.worst_age_days == pytest.approx((last - SPOT7.epoch_utc).total_seconds() / 86400)
    assert whole.first(10_000) == replace(whole, table=None)  # nothing cut: the window stands
    with pytest.raises(ValueError, match="count must be at least 1"):
        whole.first(0)
