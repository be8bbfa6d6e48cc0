"""The column writers (JSON, JSON Lines, CSV) against the records on awkward values.

The passes of a real run with their numbers replaced by values that test the text tables and
the folding of literals into them (`passpredict.output.coded`): ties at the last digit
(x.xx5), signed zeros, tiny and huge values, integer parts past the tables, points absent in
some passes and not others, names that need escaping or quoting and non-ASCII names. The
oracles are those of tests/test_pass_output.py (`json.dumps` of `pass_dict`, the record's cells).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.output.coded import Coded, choice, fuse
from passpredict.output.formats import CSV_COLUMNS, satellite_columns, to_jsonl
from passpredict.output.pass_output import _merged, _Sparse, epoch_cells, pass_json_text
from passpredict.output.textarrays import TABLE_MIN_VALUES, join_rows
from passpredict.products.columns import LazyPasses
from passpredict.products.predict import predict
from passpredict.products.visibility import VisibilityOptions
from passpredict.records import Observer
from passpredict.timeutil import format_utc
from tests import test_pass_output as oracles
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
FREQUENCY_HZ = 145.8e6

#: Values whose text is hard to get right: ties, signed zeros, tiny, huge, past the tables.
AWKWARD = np.array(
    [
        *(0.0005, 1.0005, 2.5, -2.5, 0.125, -0.0, 0.0, -0.0004, 1e-9, -1e-9, 5e-324),
        *(99_999.9996, 100_000.0, 123_456.789, -999.9996, -1_000.0, -1_234.5675, 1e16, 1e17),
        *(35_786.0005, 359.9995, 89.9999, 10.0, 12.345, -12.345, 0.015, -0.015),
    ]
)
#: Range rates: ties at their five digits, signed zeros (no huge ones: a Doppler shift is an int).
AWKWARD_RATES = np.array([1.000005, -1.000005, 0.000005, -0.000005, -0.0, 0.0, 7.123455, -3.5])


@pytest.fixture(scope="module")
def awkward(astronomy):
    """A run's passes (more than the tables' minimum) with awkward numbers and names."""
    start = datetime(2026, 5, 8, tzinfo=UTC)
    prediction = predict(
        read_file(DATA / "tle/celestrak_visual_2026-05-07.txt"),
        [BAKU],
        start,
        start + timedelta(days=1),
        timescale=astronomy.timescale,
        visibility=VisibilityOptions(astronomy, -6.0, {}),
        radio=True,
    )
    c = prediction.columns
    n = len(c)
    assert n > 2 * TABLE_MIN_VALUES
    rng = np.random.default_rng(5)

    def spoil(values: np.ndarray, pool: np.ndarray = AWKWARD) -> np.ndarray:
        out = values.copy()
        hit = (rng.random(out.shape) < 0.3) & ~np.isnan(out)
        out[hit] = rng.choice(pool, int(hit.sum()))
        return out

    names = c.satellite.copy()
    odd = ["ÉTOILE-1 (Ünïcode)", 'COMMA, AND "QUOTES"', "BACK\\SLASH", "衛星"]
    names[rng.random(n) < 0.2] = rng.choice(odd)
    v = c.visibility
    assert v is not None
    visibility = replace(
        v,
        sun_elevation_deg=spoil(v.sun_elevation_deg),
        magnitude=spoil(v.magnitude),
        brightest_magnitude=spoil(v.brightest_magnitude),
        visible_points=spoil(v.visible_points),
        brightest_point=spoil(v.brightest_point),
    )
    columns = replace(
        c,
        satellite=names,
        points=spoil(c.points),
        range_rate_km_s=None
        if c.range_rate_km_s is None
        else spoil(c.range_rate_km_s, AWKWARD_RATES),
        visibility=visibility,
    )
    return replace(prediction, passes=LazyPasses(columns), table=None), FREQUENCY_HZ


def test_json_of_awkward_values_equals_the_records(awkward):
    oracles.test_json_from_columns_equals_json_from_records(awkward)


def test_jsonl_of_awkward_values_equals_the_records(awkward):
    oracles.test_jsonl_lines_are_the_records_with_their_type(awkward)
    assert to_jsonl(awkward[0], None) != to_jsonl(awkward[0], FREQUENCY_HZ)


def test_csv_of_awkward_values_equals_the_records(awkward):
    assert "kind" in CSV_COLUMNS
    oracles.test_csv_cells_are_the_record_values(awkward)


def test_first_pass_after_its_own_text(awkward):
    c = awkward[0].columns
    text = pass_json_text(c, None, True, 4, None, ",\n    ")
    first = pass_json_text(c, None, True, 4, None, ",\n    ", "\n    ")
    assert first == "\n    " + text[len(",\n    ") :]


def _texts(segment: str | list[str] | Coded, n: int) -> list[str]:
    if isinstance(segment, str):
        return [segment] * n
    return segment if isinstance(segment, list) else segment.texts()


def test_fused_pieces_are_the_pieces_side_by_side():
    rng = np.random.default_rng(3)
    n = 600
    small = np.array(["a", "bb", ""], dtype=object)
    wide = np.array([str(k) for k in range(1500)], dtype=object)
    pieces: list[str | Coded] = [
        '"',
        Coded(small, rng.integers(0, 3, n), ("test-small",)),
        Coded(small, rng.integers(0, 3, n), None),
        Coded(wide, rng.integers(0, 1500, n), ("test-wide",)),
        ", ",
        choice(("", "x"), rng.random(n) < 0.5),
        Coded(wide, rng.integers(0, 1500, n), None),  # unkept and larger than n / 2
    ]
    for a in pieces:
        for b in pieces:
            fused = fuse(a, b)
            if fused is None:
                continue
            expected = list(map(str.__add__, _texts(a, n), _texts(b, n)))
            assert _texts(fused, n) == expected
            again = fuse(a, b)
            assert again is not None and _texts(again, n) == expected  # from the kept table
    assert fuse(pieces[2], pieces[6]) is None  # 4,500 texts for 600 rows
    assert fuse(pieces[3], pieces[3]) is None  # a product past the largest table


def test_join_rows_with_coded_columns_and_a_head():
    n = 5
    column = Coded(np.array(["p", "q"], dtype=object), np.array([0, 1, 1, 0, 1]), None)
    assert join_rows(["<", column, ">"], n) == "<p><q><q><p><q>"
    assert join_rows(["<", column, ">"], n, "[") == "[p><q><q><p><q>"
    with pytest.raises(ValueError):
        join_rows([column, ">"], n, "[")


def _satellite_columns_one_by_one(satellites) -> dict:
    """`satellite_columns` as it was written, a list per key (the oracle)."""
    return {
        "name": [s.name for s in satellites],
        "norad_id": [s.norad_id for s in satellites],
        "epoch": [format_utc(s.epoch_utc) for s in satellites],
        "age_days": [round(s.age_days, 3) for s in satellites],
        "orbit": [s.orbit.value for s in satellites],
        "source": [s.source for s in satellites],
        "selected": [s.selected or None for s in satellites],
        "stale": [s.stale for s in satellites],
        "note": [s.note for s in satellites],
    }


def test_satellite_columns_are_the_reports_fields(awkward):
    reports = list(awkward[0].satellites) * 3  # past the tables' minimum (the epochs' column)
    assert len(reports) > TABLE_MIN_VALUES
    rng = np.random.default_rng(9)
    ages = rng.choice([0.0005, 1.0005, 2.5, 0.0, 1e-9, 12.3456, 400.0015], len(reports))
    reports = [replace(r, age_days=float(a)) for r, a in zip(reports, ages, strict=True)]
    reports[3] = replace(reports[3], selected="latest", note="a note", stale=True)
    for chosen in (reports, reports[:5], [*reports[:5], replace(reports[5], age_days=2)]):
        columns = satellite_columns(chosen)
        expected = _satellite_columns_one_by_one(chosen)
        assert columns == expected
        assert [list(map(type, v)) for v in columns.values()] == [
            list(map(type, v)) for v in expected.values()
        ]
    assert satellite_columns([]) == _satellite_columns_one_by_one([])


@pytest.mark.parametrize("share", [0.03, 0.3, 0.7, 0.97])
def test_points_most_or_few_passes_have_equal_the_records(awkward, share):
    """A point that few passes have is written from its rows alone (`_Sparse`), one
    most have by column; both as the records say."""
    prediction, frequency_hz = awkward
    c = prediction.columns
    v = c.visibility
    assert v is not None
    visible = np.random.default_rng(int(share * 100)).random(len(c)) < share
    # a pass made visible is seen at its culmination (a visible pass has its visible points)
    unseen = visible[:, None] & np.isnan(v.visible_s)
    times = np.where(unseen, c.culmination_s[:, None], v.visible_s)
    points = np.where(unseen[:, :, None], c.points[:, 1][:, None, :], v.visible_points)
    entry = np.where(visible, v.shadow_entry_s, np.nan)
    seen = replace(v, visible=visible, visible_s=times, visible_points=points)
    changed = replace(c, visibility=replace(seen, shadow_entry_s=entry))
    oracles.test_json_from_columns_equals_json_from_records(
        (replace(prediction, passes=LazyPasses(changed), table=None), frequency_hz)
    )


def test_epoch_cells_are_the_reports_texts(awkward):
    reports = list(awkward[0].satellites) * 3
    rng = np.random.default_rng(10)
    ages = rng.choice([0.0005, 1.0005, 2.5, -0.0, 1e-9, 12.3456, 400.0015, 1e17], len(reports))
    reports = [replace(r, age_days=float(a)) for r, a in zip(reports, ages, strict=True)]
    for chosen in (reports, reports[:7], [*reports[:5], replace(reports[5], age_days=2)], []):
        expected = {
            r.norad_id: (format_utc(r.epoch_utc), repr(round(r.age_days, 3) or 0.0)) for r in chosen
        }
        assert list(epoch_cells(chosen).items()) == list(expected.items())
    with_nan = [*reports[:300], replace(reports[300], age_days=float("nan"))]
    assert epoch_cells(with_nan)[reports[300].norad_id][1] == "nan"


def test_columns_with_no_number_equal_the_records(awkward):
    """A column all NaN is written as one literal (`pass_output._all_nan`), one with a single
    number among NaNs by column: both as the records say, in JSON, JSON Lines and CSV. The
    Sun's elevation too (never NaN in a run; the records' JSON wrote ``NaN``, not JSON,
    where the columns write ``null``, until both wrote null)."""
    prediction, frequency_hz = awkward
    c = prediction.columns
    v = c.visibility
    assert v is not None
    nothing = np.full(len(c), np.nan)
    one = nothing.copy()
    one[len(c) // 2] = 4.25
    for numbers in (nothing, one):
        changed = replace(
            c,
            time_uncertainty_s=numbers,
            visibility=replace(
                v, std_magnitude=numbers, magnitude=numbers, sun_elevation_deg=numbers
            ),
        )
        case = (replace(prediction, passes=LazyPasses(changed), table=None), frequency_hz)
        oracles.test_json_from_columns_equals_json_from_records(case)
        oracles.test_jsonl_lines_are_the_records_with_their_type(case)
        oracles.test_csv_cells_are_the_record_values(case)


@pytest.mark.parametrize("share", [0.03, 0.3, 0.7])
def test_times_most_or_few_passes_have_equal_the_records_in_csv_and_jsonl(awkward, share):
    """The shadow and visible times that few passes have take the literals beside them into
    their own texts (`pass_output._Sparse.around`): the CSV cells and the JSON Lines as the
    records say."""
    prediction, frequency_hz = awkward
    c = prediction.columns
    v = c.visibility
    assert v is not None
    rng = np.random.default_rng(int(share * 100) + 1)
    visible = rng.random(len(c)) < share
    unseen = visible[:, None] & np.isnan(v.visible_s)
    times = np.where(unseen, c.culmination_s[:, None], v.visible_s)
    points = np.where(unseen[:, :, None], c.points[:, 1][:, None, :], v.visible_points)
    entry = np.where(rng.random(len(c)) < share, c.culmination_s, np.nan)
    exit_s = np.where(rng.random(len(c)) < share, c.culmination_s + 1.5, np.nan)
    seen = replace(
        v,
        visible=visible,
        visible_s=times,
        visible_points=points,
        shadow_entry_s=entry,
        shadow_exit_s=exit_s,
    )
    case = (
        replace(prediction, passes=LazyPasses(replace(c, visibility=seen)), table=None),
        frequency_hz,
    )
    oracles.test_jsonl_lines_are_the_records_with_their_type(case)
    oracles.test_csv_cells_are_the_record_values(case)


def test_literals_folded_into_a_sparse_value_are_the_pieces_side_by_side():
    """`_merged` folds the literals on either side of a `_Sparse` value into its texts, but
    not a literal holding the row end it splits its texts on."""
    n = 3 * TABLE_MIN_VALUES
    present = np.arange(n) % 5 == 0
    column = [f"v{i}" if present[i] else "" for i in range(n)]
    for before, after in (("<", ">"), ("a\x00b", ","), ("[", "\x00]")):
        segments = [before, _Sparse(present, ["(", column, ")"], "null"), after]
        expected = [before + (f"(v{i})" if present[i] else "null") + after for i in range(n)]
        assert join_rows(_merged(segments), n) == "".join(expected)


def _arrays(c) -> dict:
    from passpredict.products.column_values import array_fields

    out = {name: getattr(c, name) for name in array_fields(c) if name != "visibility"}
    if c.visibility is not None:
        out.update({f"v.{n}": getattr(c.visibility, n) for n in array_fields(c.visibility)})
    return {name: value for name, value in out.items() if value is not None}


def test_rows_are_views_equal_to_taken_rows_and_writing_changes_no_array(awkward):
    """The writers read their chunks as views (`PassColumns.rows`): the same rows as `take`,
    the text of small chunks the text of the whole, and no array changed by writing."""
    from passpredict.output.formats import to_csv, to_json
    from passpredict.output.pass_output import chunks

    prediction, frequency_hz = awkward
    c = prediction.columns
    for begin, end in ((0, 7), (5, len(c)), (len(c) - 1, len(c)), (3, 3)):
        view, taken = _arrays(c.rows(begin, end)), _arrays(c.take(np.arange(begin, end)))
        assert view.keys() == taken.keys()
        for name, value in view.items():
            assert np.array_equal(value, taken[name], equal_nan=value.dtype.kind == "f"), name
    whole = pass_json_text(c, frequency_hz, True, 4, None, ",\n    ", "\n    ")
    parts = [
        pass_json_text(part, frequency_hz, True, 4, None, ",\n    ", None if k else "\n    ")
        for k, part in enumerate(chunks(c, 7))
    ]
    assert "".join(parts) == whole
    before = {name: value.copy() for name, value in _arrays(c).items()}
    for write in (to_json, to_jsonl, to_csv):
        write(prediction, frequency_hz)
    for name, value in _arrays(c).items():
        assert np.array_equal(value, before[name], equal_nan=value.dtype.kind == "f"), name
