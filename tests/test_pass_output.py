"""The columnar output layer writes what the records say: JSON, JSON Lines and CSV from
`PassColumns` against `formats.pass_dict` / `prediction_dict` built from the `Pass` records of
the same prediction (the record path the output layer replaced), and the array formatting
against Python's own `round`, `repr` and `format_utc` value by value."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from passpredict.cli.root import _merge_as_columns
from passpredict.output.formats import (
    CSV_COLUMNS,
    MAGNETIC_CSV_COLUMNS,
    csv_cell,
    csv_columns,
    pass_dict,
    prediction_dict,
    to_csv,
    to_json,
    to_jsonl,
)
from passpredict.output.ical import complete_passes, count_complete_passes, to_ics
from passpredict.output.pass_table import record_texts
from passpredict.output.pass_table_texts import _local_seconds, pass_texts
from passpredict.output.tables import render_table
from passpredict.output.terminal import make_console
from passpredict.output.textarrays import float_texts, int_texts, iso_utc, round_like_python
from passpredict.products.columns import LazyPasses
from passpredict.products.predict import predict
from passpredict.products.visibility import VisibilityOptions
from passpredict.records import Observer
from passpredict.runs.batch import merge_predictions, predict_batch
from passpredict.timeutil import format_utc
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
GANJA = Observer("Ganja", 40.6828, 46.3606, 408.0, "Asia/Baku")
SOUTH = Observer("Cape Town", -33.9, 18.4, 10.0)

CASES = {
    # name: (file, start, days, observers, visibility, std magnitudes, frequency_hz)
    "visible-iss": (
        "visibility/iss_25544_2026-08-21_22.tle",
        "2026-08-21T12:00Z",
        2,
        [BAKU, GANJA],
        True,
        {25544: -1.8},
        None,
    ),
    "radio-spot7": (
        "visibility/spot7_40053_2026-05-30.tle",
        "2026-05-30T18:00Z",
        3,
        [BAKU],
        False,
        {},
        437.5e6,
    ),
    "everything": (
        "batch/mixed_2026-05-07.tle",
        "2026-05-08T00:00Z",
        1,
        [BAKU, SOUTH],
        True,
        {},
        2.2e9,
    ),
    "geo-notes": ("tle/real_quirks.tle", "2015-06-01T00:00Z", 1, [BAKU], True, {}, None),
    "cut-nustar": (
        "predict/nustar_2026-05-07.tle",
        "2026-05-08T03:17Z",
        0.4,
        [BAKU, SOUTH],
        False,
        {},
        None,
    ),
    "catalogue": (
        "tle/celestrak_visual_2026-05-07.txt",
        "2026-05-08T00:00Z",
        1,
        [BAKU],
        True,
        {},
        145.8e6,
    ),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request, astronomy):
    path, start, days, observers, seeing, mags, frequency_hz = CASES[request.param]
    start_utc = datetime.fromisoformat(start).astimezone(UTC)
    prediction = predict(
        read_file(DATA / path),
        observers,
        start_utc,
        start_utc + timedelta(days=days),
        timescale=astronomy.timescale,
        visibility=VisibilityOptions(astronomy, -6.0, mags) if seeing else None,
        radio=frequency_hz is not None,
    )
    return prediction, frequency_hz


def test_the_cases_cover_what_they_claim(case):
    prediction, _ = case
    assert prediction.passes or prediction.geostationary or prediction.notes


def test_json_from_columns_equals_json_from_records(case):
    prediction, frequency_hz = case
    records = json.dumps(prediction_dict(prediction, frequency_hz), indent=2, ensure_ascii=False)
    assert to_json(prediction, frequency_hz) == records + "\n"


def _with_patchy_bearings(prediction):
    """The prediction with compass bearings, some points outside the magnetic model (NaN)."""
    columns = prediction.columns
    rng = np.random.default_rng(len(columns))
    declination = rng.uniform(-12, 12, (len(columns), 3))
    declination[rng.random(declination.shape) < 0.3] = np.nan
    declination[: len(columns) // 3] = np.nan  # some passes with none at all
    patchy = replace(columns, declination_deg=declination)
    return replace(prediction, passes=LazyPasses(patchy), table=None)


def _bearing_always_said(data: dict) -> dict:
    """A pass's dict with ``"azimuth_magnetic_deg": null`` in each point that has none, and
    ``"declination_deg": null`` if it has none: the columns write the keys in every pass of a
    run with bearings, where a record outside the magnetic model leaves them out."""
    for key in ("rise", "culmination", "set"):
        point = data[key]
        if point is not None and "azimuth_magnetic_deg" not in point:
            items = list(point.items())
            items.insert(2, ("azimuth_magnetic_deg", None))
            data[key] = dict(items)
    if "declination_deg" not in data:
        items = list(data.items())
        at = list(data).index("time_uncertainty_s") + 1
        data = dict([*items[:at], ("declination_deg", None), *items[at:]])
    return data


def test_bearings_outside_the_model_are_null(case):
    prediction, frequency_hz = case
    magnetic = _with_patchy_bearings(prediction)
    data = prediction_dict(magnetic, frequency_hz)
    data["passes"] = [_bearing_always_said(p) for p in data["passes"]]
    records = json.dumps(data, indent=2, ensure_ascii=False)
    assert to_json(magnetic, frequency_hz) == records + "\n"
    lines = to_jsonl(magnetic, frequency_hz).splitlines()
    expected = [
        {"type": "pass", **_bearing_always_said(pass_dict(p, frequency_hz))}
        for p in magnetic.passes
    ]
    assert lines[: len(expected)] == [json.dumps(x, ensure_ascii=False) for x in expected]


def test_jsonl_lines_are_the_records_with_their_type(case):
    prediction, frequency_hz = case
    lines = to_jsonl(prediction, frequency_hz).splitlines()
    data = prediction_dict(prediction, frequency_hz)
    expected = [{"type": "pass", **pass_dict(p, frequency_hz)} for p in prediction.passes]
    expected += [{"type": "geostationary", **g} for g in data["geostationary"]]
    expected += [{"type": "note", **n} for n in data["notes"]]
    assert lines == [json.dumps(x, ensure_ascii=False) for x in expected]


def test_csv_cells_are_the_record_values(case):
    prediction, frequency_hz = case
    rows = list(csv.DictReader(io.StringIO(to_csv(prediction, frequency_hz))))
    assert len(rows) == len(prediction.passes) + len(prediction.geostationary)
    epochs = {s.norad_id: s for s in prediction.satellites}
    for row, item in zip(rows, prediction.passes, strict=False):
        data = pass_dict(item, frequency_hz)
        expected = {"kind": "pass"}
        for key in ("satellite", "norad_id", "observer", "max_elevation_deg", "duration_s"):
            expected[key] = data[key]
        expected["time_uncertainty_s"] = data["time_uncertainty_s"]
        expected["in_progress_at_start"] = item.rise is None
        expected["in_progress_at_end"] = item.set is None
        for which in ("rise", "culmination", "set"):
            point = data[which] or {}
            for field in ("time", "azimuth_deg", "elevation_deg", "range_km"):
                expected[f"{which}_{field}"] = point.get(field)
            for field in ("range_rate_km_s", "doppler_hz"):
                expected[f"{which}_{field}"] = point.get(field)
        if item.visibility is not None:
            for key in ("visible", "sunlit", "sun_elevation_deg", "shadow_entry", "shadow_exit"):
                expected[key] = data[key]
            for key in ("magnitude", "brightest_magnitude"):
                expected[key] = data[key]
            expected["visible_start"] = (data["visible_start"] or {}).get("time")
            expected["visible_end"] = (data["visible_end"] or {}).get("time")
            peak = data["visible_peak"]
            expected["visible_max_elevation_deg"] = peak and peak["elevation_deg"]
        report = epochs[item.norad_id]
        expected["epoch"] = format_utc(report.epoch_utc)
        expected["age_days"] = round(report.age_days, 3)
        want = {key: str(csv_cell(expected.get(key))) for key in CSV_COLUMNS}
        assert row == want


def test_csv_bearings_outside_the_model_are_empty(case):
    prediction, frequency_hz = case
    magnetic = _with_patchy_bearings(prediction)
    names = csv_columns(magnetic=True)
    text = to_csv(magnetic, frequency_hz)
    assert text.splitlines()[0] == ",".join(names)
    plain = to_csv(
        replace(prediction, passes=LazyPasses(prediction.columns), table=None), frequency_hz
    )
    before_rows = csv.DictReader(io.StringIO(plain))  # the passes first, then GEO looks
    rows = csv.DictReader(io.StringIO(text))
    for row, item, before in zip(rows, magnetic.passes, before_rows, strict=False):
        data = pass_dict(item, frequency_hz)
        expected = dict(before)
        for which in ("rise", "culmination", "set"):
            point = data[which] or {}
            expected[f"{which}_azimuth_magnetic_deg"] = point.get("azimuth_magnetic_deg")
        expected["declination_deg"] = data.get("declination_deg")
        for key in MAGNETIC_CSV_COLUMNS:
            expected[key] = str(csv_cell(expected[key]))
        assert row == expected


def test_rounding_is_pythons_round_value_for_value():
    rng = np.random.default_rng(11)
    values = np.concatenate(
        [
            rng.uniform(-400, 400, 20000),
            rng.uniform(-1, 1, 5000) * 1e-3,  # around zero: the sign of -0.0
            np.arange(-2000, 2000) / 1000 + 0.0005,  # near the halves
            np.arange(-2000, 2000) / 100 + 0.005,
            [0.0, -0.0, 2.5, 3.5, -2.5, 1e-9, -1e-9, 35786.0005, 1.0005],
        ]
    )
    for digits in (1, 2, 3, 5):
        got = round_like_python(values, digits).tolist()
        want = [round(v, digits) + 0.0 for v in values.tolist()]  # a zero without its sign
        assert list(map(repr, got)) == list(map(repr, want)), digits
    assert int_texts(values) == [str(round(v)) for v in values.tolist()]
    assert float_texts(np.array([np.nan, -0.0, 1.5])) == [None, "-0.0", "1.5"]


def test_times_are_format_utcs_text():
    base = datetime(2026, 5, 8, tzinfo=UTC)
    offsets_us = [0, 1, 999, 1000, 999_999, 86_399_999_999, 123_456_789, -1]
    moments = [base + timedelta(microseconds=u) for u in offsets_us]
    array = np.array([m.replace(tzinfo=None) for m in moments], dtype="datetime64[us]")
    assert iso_utc(array) == [format_utc(m) for m in moments]
    assert iso_utc(np.array(["NaT"], dtype="datetime64[us]"), "x") == ["x"]


def _lazy(prediction):
    """The same prediction with its passes held as columns, as a columnar `predict` gives it."""
    return replace(prediction, passes=LazyPasses(prediction.columns))


@pytest.mark.parametrize("width", [None, 80, 120])
def test_tables_from_columns_equal_tables_from_records(case, width):
    prediction, frequency_hz = case

    def draw(p):
        buffer = io.StringIO()
        render_table(p, make_console(buffer, width), None, frequency_hz)
        return buffer.getvalue()

    assert draw(_lazy(prediction)) == draw(prediction)


def test_calendars_from_columns_equal_calendars_from_records(case):
    prediction, frequency_hz = case
    now = datetime(2026, 8, 20, tzinfo=UTC)
    lazy = _lazy(prediction)
    assert count_complete_passes(lazy) == len(complete_passes(prediction))
    assert to_ics(lazy, now, frequency_hz) == to_ics(prediction, now, frequency_hz)


def test_chunks_merged_as_columns_equal_chunks_merged_as_records(astronomy):
    """The command line's merge of columnar chunks (table, calendar) against the records'."""
    start = datetime(2026, 5, 8, tzinfo=UTC)
    chunks = list(
        predict_batch(
            read_file(DATA / "tle/celestrak_visual_2026-05-07.txt"),
            [BAKU, SOUTH],
            start,
            start + timedelta(days=1),
            10.0,
            twilight_deg=-6.0,
            astronomy=astronomy,
            max_cells=5_000,
        )
    )
    assert len(chunks) > 3
    records = merge_predictions(chunks)
    columns = _merge_as_columns(iter([_lazy(c) for c in chunks]))
    assert isinstance(columns.passes, LazyPasses)
    assert tuple(columns.passes) == records.passes
    first = _merge_as_columns(iter([_lazy(c) for c in chunks])).first(7)
    assert tuple(first.passes) == records.passes[:7]


# --- the pass table's texts from columns (pass_table_texts) against the records' cells --------

ZONES = [
    UTC,
    timezone(timedelta(hours=-9, minutes=-30)),
    *map(
        ZoneInfo,
        [
            "Asia/Baku",
            "Europe/London",
            "America/St_Johns",
            "Asia/Kathmandu",
            "Australia/Lord_Howe",
            "Pacific/Chatham",
        ],
    ),
]


def _with_extras(columns):
    """The columns with compass bearings and time error bars on every kind of value, times on
    half seconds (where the table's rounding to the second turns up), and a window starting
    at an odd microsecond."""
    rng = np.random.default_rng(7)
    n = len(columns)
    error_s = rng.choice([np.nan, np.inf, 0.4, 1.0, 1.0000001, 12.6, 1234.5, 2e6], n)
    declination_deg = rng.uniform(-40.0, 40.0, (n, 3))
    declination_deg[rng.random(n) < 0.2] = np.nan
    halves = np.floor(columns.rise_s) + rng.choice([0.5, 0.4999995, 0.4999994, 0.0], n)
    return replace(
        columns,
        window_start_utc=columns.window_start_utc + timedelta(microseconds=123_457),
        rise_s=np.where(np.isnan(columns.rise_s), np.nan, halves),
        time_uncertainty_s=error_s,
        declination_deg=declination_deg,
    )


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_table_texts_from_columns_equal_the_record_cells(case, zone):
    prediction, frequency_hz = case
    columns = prediction.columns
    for observer in {o.name for o in prediction.observers}:
        part = columns.take(np.flatnonzero(columns.observer == observer))
        for cols in (part, _with_extras(part)):
            records = cols.to_passes()
            for seeing, magnetic in ((True, True), (False, False), (True, False)):
                for frequency in {frequency_hz, None}:
                    expected = record_texts(records, zone, seeing, frequency, magnetic)
                    assert pass_texts(cols, zone, seeing, frequency, magnetic) == expected


def test_local_seconds_are_astimezones_around_offset_changes():
    # every second of the 90 either side of each change from 1890 to 2030 (the early ones, from
    # local mean time, fall inside a minute: 1920-01-01T05:39:16+05:30 in Kathmandu), and
    # random seconds from 1906 to 2096
    rng = np.random.default_rng(11)
    for zone in ZONES:
        seconds = [c + k for c in _changes(zone) for k in range(-90, 91)]
        seconds += rng.integers(-2_000_000_000, 4_000_000_000, 2000).tolist()
        got = _local_seconds(np.array(seconds, dtype=np.int64), zone).tolist()
        for t, local in zip(seconds, got, strict=True):
            wall = datetime.fromtimestamp(t, UTC).astimezone(zone).replace(tzinfo=UTC)
            assert local == int(wall.timestamp()), (zone, t)
    assert any(c % 60 for c in _changes(ZoneInfo("Asia/Kathmandu")))


def _changes(zone) -> list[int]:
    """The instants (Unix seconds) at which `zone`'s offset changes, 1890 to 2030, found day
    by day and then to the second."""
    out = []
    day = 86_400
    for t in range(-2_524_521_600, 1_893_456_000, day):
        before = _offset(t, zone)
        if _offset(t + day, zone) != before:
            low, high = t, t + day
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _offset(middle, zone) == before else (low, middle)
            out.append(high)
    return out


def _offset(t: int, zone) -> timedelta:
    return datetime.fromtimestamp(t, UTC).astimezone(zone).utcoffset()
