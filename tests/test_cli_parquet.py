"""`passes --format parquet`: read back with pandas, the file equals `--format json` field for
field (rounded as the JSON rounds), and is the frame of `to_dataframe`; the other parts of the
prediction ride in its metadata; without pyarrow, one line with the install command."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from passpredict.cli.root import main
from passpredict.runs import batch
from passpredict.timeutil import format_utc

pd = pytest.importorskip("pandas")
pq = pytest.importorskip("pyarrow.parquet")

DATA = Path(__file__).parent / "data"
SPOT7 = str(DATA / "visibility" / "spot7_40053_2026-05-30.tle")
RESOURCE = str(DATA / "celestrak" / "resource_2026-05-30.tle")
#: SPOT 7 with a standard magnitude, a pass cut by the window start (19:00 is inside one
#: over Baku), compass bearings and radio details.
QUERY = [
    *("--tle-file", SPOT7),
    *("--start", "2026-05-30T19:00Z", "--days", "2", "--min-elevation", "10"),
    *("--std-mag", "40053=4.0", "--magnetic", "--frequency-mhz", "437.5"),
]


def run(tmp_path, *args):
    return CliRunner().invoke(main, ["passes", *args], env={"PASSPREDICT_HOME": str(tmp_path)})


def _documents(tmp_path, args):
    parquet = run(tmp_path, *args, "--format", "parquet")
    assert parquet.exit_code == 0, parquet.output
    doc = json.loads(run(tmp_path, *args, "--format", "json").stdout)
    return parquet.stdout_bytes, doc


def _time(value) -> str | None:
    return None if pd.isna(value) else format_utc(value.to_pydatetime())


def _number(value, digits: int) -> float | None:
    return None if pd.isna(value) else round(float(value), digits)


def _point(row, prefix: str) -> dict | None:
    if pd.isna(row[f"{prefix}_utc"]):
        return None
    return {
        "time": _time(row[f"{prefix}_utc"]),
        "azimuth_deg": _number(row[f"{prefix}_azimuth_deg"], 3),
        "elevation_deg": _number(row[f"{prefix}_elevation_deg"], 3),
        "range_km": _number(row[f"{prefix}_range_km"], 3),
    }


def _as_json(row) -> dict:
    """A parquet row in the JSON's layout and rounding (formats.pass_dict)."""
    item = {
        "satellite": row["satellite"],
        "norad_id": int(row["norad_id"]),
        "observer": row["observer"],
        "max_elevation_deg": _number(row["max_elevation_deg"], 3),
        "duration_s": _number(row["duration_s"], 3),
        "in_progress_at_start": bool(pd.isna(row["rise_utc"])),
        "in_progress_at_end": bool(pd.isna(row["set_utc"])),
        "time_uncertainty_s": _number(row["time_uncertainty_s"], 2),
        "declination_deg": _number(row["declination_deg"], 3),
        "visible": bool(row["visible"]),
        "sunlit": bool(row["sunlit"]),
        "sun_elevation_deg": _number(row["sun_elevation_deg"], 2),
        "shadow_entry": _time(row["shadow_entry_utc"]),
        "shadow_exit": _time(row["shadow_exit_utc"]),
        "std_magnitude": _number(row["std_magnitude"], 9),
        "magnitude": _number(row["magnitude"], 1),
        "brightest_magnitude": _number(row["brightest_magnitude"], 1),
    }
    for which in ("rise", "culmination", "set"):
        point = _point(row, which)
        if point is not None:
            point["azimuth_magnetic_deg"] = _number(row[f"{which}_azimuth_magnetic_deg"], 3)
            point["range_rate_km_s"] = _number(row[f"{which}_range_rate_km_s"], 5)
        item[which] = point
    for which in ("visible_start", "visible_peak", "visible_end", "brightest"):
        item[which] = _point(row, which)
    return item


def _comparable(item: dict) -> dict:
    """A JSON pass with what the parquet holds: no Doppler (the range rate is there)."""
    out = dict(item)
    for which in ("rise", "culmination", "set"):
        if out[which] is not None:
            out[which] = {k: v for k, v in out[which].items() if k != "doppler_hz"}
    return out


def test_read_back_it_equals_the_json_field_for_field(tmp_path):
    data, doc = _documents(tmp_path, QUERY)
    frame = pd.read_parquet(io.BytesIO(data))
    assert len(frame) == len(doc["passes"]) > 5
    assert any(p["magnitude"] is not None for p in doc["passes"])
    assert doc["passes"][0]["rise"] is None  # the cut pass is there
    for (_, row), item in zip(frame.iterrows(), doc["passes"], strict=True):
        assert _as_json(row) == _comparable(item)
    # the rest of the document rides in the metadata
    rest = json.loads(pq.read_schema(io.BytesIO(data)).metadata[b"passpredict"])
    assert rest == {k: v for k, v in doc.items() if k != "passes"}


def test_it_is_the_frame_of_to_dataframe_and_chunks_give_the_same(tmp_path, monkeypatch):
    from passpredict.engine.ephemeris import load_astronomy
    from passpredict.inputs.observers import default_observer
    from passpredict.output.dataframes import to_dataframe
    from passpredict.products.predict import predict
    from passpredict.products.visibility import VisibilityOptions
    from tle_cache.parse import read_file

    args = ["--tle-file", RESOURCE, "--start", "2026-05-30T18:00Z", "--days", "1"]
    whole, _ = _documents(tmp_path, args)
    frame = pd.read_parquet(io.BytesIO(whole))
    astronomy = load_astronomy()
    start = frame["window_start_utc"].iloc[0].to_pydatetime()
    expected = to_dataframe(
        predict(
            read_file(RESOURCE),
            [default_observer()],
            start,
            start + pd.Timedelta(days=1).to_pytimedelta(),
            10.0,
            timescale=astronomy.timescale,
            visibility=VisibilityOptions(astronomy, -6.0, {}),
        )
    )
    astronomy.ephemeris.close()
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    monkeypatch.setattr(batch, "DEFAULT_PREDICTION_CHUNK_CELLS", 20_000)
    chunked = run(tmp_path, *args, "--format", "parquet")
    assert chunked.exit_code == 0, chunked.output
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(chunked.stdout_bytes)), frame)


def test_without_pyarrow_one_line_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` fail
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    result = run(tmp_path, "--tle-file", SPOT7, "--format", "parquet")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "pip install 'passpredict[notebooks]'" in (
        result.stderr
    )
    assert "Traceback" not in result.output and result.stdout_bytes == b""
