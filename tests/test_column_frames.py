"""`to_dataframe` from `PassColumns` (no records) equals the frame built from the `Pass` records,
column for column, dtype for dtype, value for value, in every shape a prediction takes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from passpredict.engine.ephemeris import load_astronomy
from passpredict.inputs.observers import builtin_observers
from passpredict.output.dataframes import to_dataframe
from passpredict.products.columns import LazyPasses
from passpredict.products.pass_extras import with_declinations
from passpredict.products.predict import predict
from passpredict.products.visibility import VisibilityOptions
from tle_cache.parse import read_file

pd = pytest.importorskip("pandas")

DATA = Path(__file__).parent / "data"
START = datetime(2026, 5, 30, 18, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def astronomy():
    astro = load_astronomy()
    yield astro
    astro.ephemeris.close()


def _predict(astronomy, files, days, visibility, radio, magnetic, start=START):
    sets = [es for name in files for es in read_file(DATA / name)]
    result = predict(
        sets,
        builtin_observers()[:2],
        start,
        start + timedelta(days=days),
        10.0,
        timescale=astronomy.timescale,
        visibility=VisibilityOptions(astronomy, -6.0, {40053: 4.0}) if visibility else None,
        radio=radio,
    )
    return with_declinations(result) if magnetic else result


@pytest.mark.parametrize(
    ("files", "days", "visibility", "radio", "magnetic"),
    [
        (["celestrak/resource_2026-05-30.tle"], 1, False, False, False),
        (["celestrak/resource_2026-05-30.tle"], 1, True, True, True),
        # GEO wobble passes, a pass cut by each window end, magnitudes
        (
            ["visibility/spot7_40053_2026-05-30.tle", "geo/azerspace-1_39079_2026.tle"],
            0.3,
            True,
            False,
            True,
        ),
    ],
    ids=["plain", "visibility-radio-magnetic", "cut-geo-magnitude"],
)
def test_the_frame_from_columns_is_the_frame_from_records(
    astronomy, files, days, visibility, radio, magnetic
):
    result = _predict(astronomy, files, days, visibility, radio, magnetic)
    assert isinstance(result.passes, LazyPasses) and len(result.passes) > 0
    from_columns = to_dataframe(result)
    assert result.passes._records is None  # no Pass record was made
    from_records = to_dataframe(list(result.passes))
    pd.testing.assert_frame_equal(from_columns, from_records, check_exact=True)
    pd.testing.assert_frame_equal(to_dataframe(result.columns), from_records, check_exact=True)


def test_cut_passes_and_magnetic_columns_are_filled_as_records_say(astronomy):
    result = _predict(
        astronomy,
        ["visibility/spot7_40053_2026-05-30.tle"],
        0.5,
        True,
        False,
        True,
        start=datetime(2026, 5, 30, 19, 0, tzinfo=UTC),  # inside a pass over Baku
    )
    frame = to_dataframe(result)
    first = result.passes[0]
    assert first.rise is None and pd.isna(frame["rise_utc"].iloc[0])
    assert frame["culmination_azimuth_magnetic_deg"].iloc[0] == (
        first.culmination.azimuth_magnetic_deg
    )
    assert frame["time_uncertainty_s"].iloc[0] == first.time_uncertainty_s


def test_an_empty_prediction_gives_the_empty_pass_frame(astronomy):
    result = _predict(
        astronomy, ["visibility/spot7_40053_2026-05-30.tle"], 0.01, False, False, False
    )
    assert len(result.passes) == 0
    pd.testing.assert_frame_equal(to_dataframe(result), to_dataframe([]))
