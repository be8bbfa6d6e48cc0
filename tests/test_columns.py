"""The columns of a prediction hold exactly what its `Pass` records hold, row for row."""

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from passpredict.products.columns import LazyPasses, PassColumns, concatenate_columns
from passpredict.products.predict import predict
from passpredict.products.visibility import VisibilityOptions
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "visibility"
BAKU = Observer("Baku", 40.4093, 49.8671, 28.0)
START = datetime(2026, 8, 22, 12, tzinfo=UTC)
END = datetime(2026, 8, 25, 12, tzinfo=UTC)


SYDNEY = Observer("Sydney", -33.87, 151.21, 30.0)  # winter nights: passes into the shadow


def iss_prediction(astronomy, observer=BAKU, **options):
    sets = read_file(DATA / "iss_25544_2026-08-21_22.tle")
    return predict(sets[:1], [observer], START, END, 10.0, timescale=astronomy.timescale, **options)


def test_columns_round_trip_the_records_with_visibility_and_range_rates(astronomy):
    prediction = iss_prediction(astronomy, visibility=VisibilityOptions(astronomy), radio=True)
    passes = tuple(prediction.passes)
    assert passes and any(p.visibility.visible for p in passes)
    columns = PassColumns.from_passes(passes, START, 10.0, -6.0)
    assert tuple(columns.to_passes()) == passes
    assert tuple(prediction.columns.to_passes()) == passes
    assert tuple(LazyPasses(columns)) == passes


def test_column_times_are_the_records_times(astronomy):
    prediction = iss_prediction(astronomy)
    columns = prediction.columns
    assert columns.visibility is None and columns.range_rate_km_s is None
    rises = columns.times_utc(columns.rise_s)
    for p, rise, duration in zip(prediction.passes, rises, columns.duration_s, strict=True):
        if p.rise is None:
            assert np.isnat(rise)
        else:
            assert rise == np.datetime64(p.rise.time_utc.replace(tzinfo=None), "us")
        assert (np.isnan(duration) and p.duration_s is None) or duration == p.duration_s
    both = concatenate_columns([columns, columns.take(np.arange(len(columns))[::-1])])
    assert tuple(both.to_passes()) == (*prediction.passes, *reversed(prediction.passes))


def test_screened_crossings_are_the_plain_grids_bit_for_bit(astronomy, monkeypatch):
    # the screen skips samples only where the rate bound rules out a zero: the answer must
    # be the one of the plain grid (every sample evaluated), to the last bit
    import passpredict.engine.crossings as crossings

    options = VisibilityOptions(astronomy)
    screened = iss_prediction(astronomy, SYDNEY, visibility=options).columns.visibility
    monkeypatch.setattr(crossings, "SCREEN_EVERY", 1)
    monkeypatch.setattr(crossings, "FINE_SCREEN_EVERY", 1)
    plain = iss_prediction(astronomy, SYDNEY, visibility=options).columns.visibility
    assert screened is not None and plain is not None
    for name in ("shadow_entry_s", "shadow_exit_s", "visible_s", "visible_points", "sunlit"):
        np.testing.assert_array_equal(getattr(screened, name), getattr(plain, name))
    assert np.isfinite(screened.shadow_entry_s).any()


def test_a_prediction_pickles_as_columns(astronomy):
    import pickle

    prediction = iss_prediction(astronomy, visibility=VisibilityOptions(astronomy))
    assert isinstance(prediction.passes, LazyPasses)
    records = tuple(prediction.passes)
    shipped = pickle.loads(pickle.dumps(prediction))
    assert shipped.passes._records is None  # records not shipped: built again on demand
    assert tuple(shipped.passes) == records


def test_a_pass_cut_by_the_window_has_no_duration(astronomy):
    """Was -9.2e12 s: NaT minus a time cast to float is the most negative int64, not NaN."""
    sets = read_file(DATA / "iss_25544_2026-08-21_22.tle")
    first = iss_prediction(astronomy).passes[0]
    mid = first.culmination.time_utc  # a window starting at a culmination cuts that pass
    prediction = predict(sets[:1], [BAKU], mid, END, 10.0, timescale=astronomy.timescale)
    columns = prediction.columns
    assert prediction.passes[0].rise is None and prediction.passes[0].duration_s is None
    assert np.isnan(columns.duration_s[0])
    assert all(
        (np.isnan(d) and p.duration_s is None) or d == p.duration_s
        for p, d in zip(prediction.passes, columns.duration_s, strict=True)
    )


def test_a_notebook_shows_the_records_not_a_count(astronomy):
    # found by the library sweep: `result.passes` in a cell showed 'LazyPasses(12 passes)',
    # where the README promises Pass records
    lazy = iss_prediction(astronomy).passes
    records = tuple(lazy)
    assert len(records) > 10
    few = LazyPasses(lazy.columns.take(np.arange(4)))
    assert repr(few) == repr(records[:4])
    shown = repr(LazyPasses(lazy.columns))
    assert shown.startswith("(" + repr(records[0]) + ",\n " + repr(records[1]))
    assert f"... {len(records) - 5:,} more passes ..." in shown
    assert shown.endswith(repr(records[-2]) + ",\n " + repr(records[-1]) + ")")
