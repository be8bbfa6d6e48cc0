"""`to_dataframe`: one row per record, units in column names, aware UTC times, lazy pandas."""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.inputs.observers import builtin_observers, default_observer
from passpredict.output.dataframes import to_dataframe
from passpredict.products.predict import predict
from passpredict.products.track import ground_track, pass_track
from passpredict.records import Observer, Pass
from tle_cache.bundled import load_bundled
from tle_cache.parse import read_file

pd = pytest.importorskip("pandas")

START = datetime(2026, 5, 31, tzinfo=UTC)


@pytest.fixture(scope="module")
def prediction(timescale):
    return predict(
        load_bundled(),
        builtin_observers(),
        START,
        START + timedelta(days=2),
        10.0,
        timescale=timescale,
    )


def test_a_prediction_gives_one_row_per_pass_with_flattened_points(prediction):
    frame = to_dataframe(prediction)
    assert len(frame) == len(prediction.passes) > 0
    for name in ("rise", "culmination", "set"):
        assert f"{name}_utc" in frame.columns
        for unit in ("azimuth_deg", "elevation_deg", "range_km"):
            assert frame[f"{name}_{unit}"].dtype == np.float64
        assert str(frame[f"{name}_utc"].dt.tz) == "UTC"
    first, row = prediction.passes[0], frame.iloc[0]
    assert row["satellite"] == first.satellite and row["observer"] == first.observer
    assert row["rise_utc"].to_pydatetime() == first.rise.time_utc
    assert row["culmination_elevation_deg"] == first.culmination.elevation_deg
    assert row["max_elevation_deg"] == first.max_elevation_deg
    assert row["duration_s"] == pytest.approx(first.duration_s)


def test_a_pass_in_progress_at_the_window_start_has_no_rise(timescale):
    spot7 = [es for es in load_bundled() if es.norad_id == 40053]
    baku = default_observer()
    passes = predict(
        spot7, [baku], START, START + timedelta(days=1), 10.0, timescale=timescale
    ).passes
    inside = passes[0]
    start = inside.culmination.time_utc
    cut = predict(spot7, [baku], start, start + timedelta(hours=1), 10.0, timescale=timescale)
    frame = to_dataframe(cut.passes)
    assert cut.passes[0].rise is None
    assert pd.isna(frame.loc[0, "rise_utc"]) and np.isnan(frame.loc[0, "rise_azimuth_deg"])
    assert np.isnan(frame.loc[0, "duration_s"])


def test_zone_adds_local_companions_to_every_utc_column(prediction):
    frame = to_dataframe(prediction, zone="Asia/Baku")
    columns = list(frame.columns)
    for name in ("rise", "culmination", "set"):
        assert columns.index(f"{name}_local") == columns.index(f"{name}_utc") + 1
        assert str(frame[f"{name}_local"].dt.tz) == "Asia/Baku"
    local = frame.loc[0, "rise_local"]
    assert local.utcoffset() == timedelta(hours=4)
    assert local == frame.loc[0, "rise_utc"]


def test_geostationary_looks_and_satellite_reports(prediction):
    looks = to_dataframe(prediction.geostationary)
    assert len(looks) == 8  # two satellites over four observers
    assert {"azimuth_deg", "elevation_deg", "range_km", "station_kept"} <= set(looks.columns)
    assert str(looks["time_utc"].dt.tz) == "UTC"
    reports = to_dataframe(prediction.satellites)
    assert set(reports["norad_id"]) == {39079, 43632, 40053}
    # enums become their plain values, so the frame filters with strings
    assert set(reports["orbit"]) == {"geostationary", "leo-meo"}


def test_element_sets_give_the_mean_orbit(prediction):
    frame = to_dataframe(load_bundled())
    spot7 = frame.set_index("norad_id").loc[40053]
    assert spot7["period_min"] == pytest.approx(98.57, abs=0.01)
    assert 680 < spot7["perigee_height_km"] <= spot7["apogee_height_km"] < 700
    assert spot7["inclination_deg"] == pytest.approx(98.0641)
    assert str(frame["epoch_utc"].dt.tz) == "UTC"


def test_tracks_become_time_series(timescale):
    spot7 = next(es for es in load_bundled() if es.norad_id == 40053)
    baku = default_observer()
    track = ground_track(
        spot7, START, START + timedelta(minutes=10), step_s=60, timescale=timescale
    )
    frame = to_dataframe(track)
    assert list(frame.columns) == [
        "time_utc",
        "satellite",
        "norad_id",
        "latitude_deg",
        "longitude_deg",
        "altitude_km",
    ]
    assert len(frame) == 11
    assert frame["time_utc"].iloc[-1] - frame["time_utc"].iloc[0] == pd.Timedelta(minutes=10)
    item = predict(
        [spot7], [baku], START, START + timedelta(days=1), 10.0, timescale=timescale
    ).passes[0]
    looks = to_dataframe(pass_track(item, spot7, baku, timescale=timescale))
    assert looks["time_utc"].iloc[0].to_pydatetime() == item.rise.time_utc
    assert looks["elevation_deg"].max() == pytest.approx(item.max_elevation_deg, abs=0.05)


def test_an_empty_sequence_still_has_the_pass_columns():
    frame = to_dataframe([])
    assert len(frame) == 0
    assert {"satellite", "rise_utc", "max_elevation_deg", "duration_s"} <= set(frame.columns)


def test_mixed_or_unknown_records_are_refused(prediction):
    with pytest.raises(TypeError, match="item 1 is a GeoLook, item 0 a Pass"):
        to_dataframe([prediction.passes[0], prediction.geostationary[0]])
    with pytest.raises(TypeError, match="cannot convert a int"):
        to_dataframe(3)
    with pytest.raises(TypeError, match="cannot convert a str"):
        to_dataframe(["a"])


def test_missing_pandas_says_how_to_install_it(monkeypatch, prediction):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'passpredict\[notebooks\]'"):
        to_dataframe(prediction)


def test_unknown_zone_is_a_clear_error(prediction):
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        to_dataframe(prediction, zone="Mars/Olympus")


def test_pass_records_keep_their_field_order():
    frame = to_dataframe([])
    fields = [c for c in frame.columns if not c.startswith(("rise_", "culmination_", "set_"))]
    assert fields[:4] == ["satellite", "norad_id", "observer", "min_elevation_deg"]
    assert Pass.__dataclass_fields__  # the frame is built from the record, not a copy of it


def test_any_record_type_of_the_library_converts(timescale):
    from passpredict.products.geo.pointing import geo_pointing

    azerspace = next(es for es in load_bundled() if es.norad_id == 39079)
    pointings = [
        geo_pointing(azerspace, observer, START, timescale) for observer in builtin_observers()
    ]
    frame = to_dataframe(pointings, zone="Asia/Baku")
    assert list(frame["observer"]) == [o.name for o in builtin_observers()]
    assert frame["polarisation_skew_deg"].dtype == np.float64
    assert str(frame["epoch_local"].dt.tz) == "Asia/Baku"
    assert (frame["elevation_deg"] > 40).all()


def test_sun_outages_carry_their_duration():
    from passpredict.products.geo.sun_outages import SunOutage

    start = datetime(2026, 10, 9, 8, 41, 20, tzinfo=UTC)
    outage = SunOutage(
        "AZERSPACE 1", 39079, "Baku", start, start + timedelta(minutes=4),
        start + timedelta(minutes=8), 0.04, 1.0, 186.0, 43.1, True,
    )  # fmt: skip
    frame = to_dataframe([outage], zone="Asia/Baku")
    assert frame.loc[0, "duration_s"] == 480.0
    assert frame.loc[0, "peak_local"].strftime("%H:%M") == "12:45"


def test_notes_and_stale_reports_convert_as_records_do(timescale):
    # Note and StaleElements became NamedTuples for start-up speed (issue 11) and then fell out
    # of to_dataframe ("cannot convert a Note"); found by sweep7 from a notebook
    iss = read_file(Path(__file__).parent / "data" / "uncertainty" / "iss_zarya_25544.tle")[-1:]
    late = iss[0].epoch_utc + timedelta(days=40)  # stale by then
    far_north = Observer("Far north", 89.0, 0.0)
    result = predict(iss, [far_north], late, late + timedelta(days=1), 10.0, timescale=timescale)
    assert result.notes and result.stale
    notes = to_dataframe(result.notes)
    assert list(notes.columns) == ["satellite", "norad_id", "observer", "reason"]
    assert notes.loc[0, "reason"] == result.notes[0].reason
    stale = to_dataframe(result.stale, zone="Asia/Baku")
    assert stale.loc[0, "orbit"] == "leo-meo"  # the enum's value, as in the satellite reports
    assert str(stale["epoch_utc"].dt.tz) == "UTC" and "epoch_local" in stale.columns
    assert stale.loc[0, "worst_age_days"] == result.stale[0].worst_age_days
    assert stale["age_at_start_days"].dtype == np.float64


def test_an_empty_pass_frame_has_the_dtypes_of_a_full_one(astronomy):
    # the empty frame's names, numbers and flags were float64 (pandas' dtype of an empty
    # column), so frame["satellite"].str.startswith("SPOT") raised on a window without passes
    # and pd.concat([empty, full]) turned norad_id into float64; found by sweep7
    from passpredict.products.visibility import VisibilityOptions

    spot7 = [es for es in load_bundled() if es.norad_id == 40053]
    options = {"timescale": astronomy.timescale, "visibility": VisibilityOptions(astronomy)}
    empty, full = (
        to_dataframe(predict(spot7, [default_observer()], START, end, 10.0, **options))
        for end in (START + timedelta(hours=1), START + timedelta(days=1))
    )
    assert len(empty) == 0 and len(full) > 0
    assert (empty.dtypes == full.dtypes).all(), empty.dtypes[empty.dtypes != full.dtypes]
    assert len(empty[empty["satellite"].str.startswith("SPOT")]) == 0
    assert pd.concat([empty, full])["norad_id"].dtype == np.int64


def test_zone_may_be_any_tzinfo_a_named_fixed_offset_too(prediction):
    # was ZoneInfoNotFoundError: 'No time zone found with key BRT' (the tzinfo's name was
    # looked up as an IANA key); found by sweep7
    from datetime import timezone

    brasilia = timezone(timedelta(hours=-3), "BRT")
    frame = to_dataframe(prediction, zone=brasilia)
    assert frame.loc[0, "rise_local"].utcoffset() == timedelta(hours=-3)
    assert frame.loc[0, "rise_local"] == frame.loc[0, "rise_utc"]
    looks = to_dataframe(prediction.geostationary, zone=brasilia)
    assert looks.loc[0, "time_local"].utcoffset() == timedelta(hours=-3)


def test_a_geostationary_only_prediction_says_where_its_looks_are(timescale):
    # was: an empty frame and nothing else for a notebook user following Azerspace 1
    from passpredict.output.dataframes import GeostationaryLeftOut

    azerspace1 = [es for es in load_bundled() if es.norad_id == 39079]
    result = predict(
        azerspace1, builtin_observers(), START, START + timedelta(days=1), 10.0, timescale=timescale
    )
    assert not result.passes and len(result.geostationary) == 4  # one look per observer
    with pytest.warns(GeostationaryLeftOut, match=r"to_dataframe\(prediction\.geostationary\)"):
        frame = to_dataframe(result)
    assert len(frame) == 0
    assert len(to_dataframe(result.geostationary)) == 4
