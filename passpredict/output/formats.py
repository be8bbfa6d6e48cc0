"""Machine formats of a prediction: JSON and CSV, with units in keys and times in UTC 'Z'.

The JSON keys promised in the README (and issue 2) are a contract: `satellites`, `passes`,
`geostationary` and their fields keep their names; fields may be added, never renamed.

CSV text cells (satellite and observer names, times) go through `tle_cache.names.csv_text`:
one that starts with ``= + - @``, a tab or a CR gets a leading ``'`` so that a spreadsheet
shows it instead of running it as a formula (OWASP's advice). Numbers are written as numbers,
negative ones included.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from passpredict.output.textarrays import rounded
from passpredict.products.columns import UNCERTAINTY_DIGITS
from passpredict.products.predict import Note, Prediction, SatelliteReport
from passpredict.products.radio import doppler_shift_hz
from passpredict.records import GeoLook, Pass, PassPoint, PassVisibility
from passpredict.timeutil import format_utc
from tle_cache.names import csv_text

if TYPE_CHECKING:  # tracks only in annotations: a pass run needs no track module (~2 ms)
    from passpredict.products.track import Track

GEO_HINT = "fixed in the sky; see 'passpredict geo', 'sun-outages' and 'eclipses'"


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else rounded(value, digits)


#: What every magnitude in the output is, said once in the JSON (`passpredict.products.magnitude`).
MAGNITUDE_MODEL = (
    "estimate: diffuse sphere from the standard magnitude (1000 km, 90 deg phase); "
    "good to about 1 magnitude at best, flares and attitude not modelled"
)


def csv_cell(value: Any) -> Any:
    """Return a value as every CSV of passpredict writes it: booleans as JSON's `true` and
    `false` (not Python's `True`), None as an empty cell, text with the formula guard of
    `tle_cache.names.csv_text`, anything else (numbers, negative ones too) unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_text(value)
    return value


def _time(value: datetime | None) -> str | None:
    return None if value is None else format_utc(value)


def point_dict(point: PassPoint | None, frequency_hz: float | None = None) -> dict[str, Any] | None:
    """Return a point as JSON data; the range rate (and Doppler at `frequency_hz`) when known."""
    if point is None:
        return None
    data: dict[str, Any] = {
        "time": format_utc(point.time_utc),
        "azimuth_deg": rounded(point.azimuth_deg, 3),
    }
    if point.azimuth_magnetic_deg is not None:
        data["azimuth_magnetic_deg"] = rounded(point.azimuth_magnetic_deg, 3)
    data["elevation_deg"] = rounded(point.elevation_deg, 3)
    data["range_km"] = rounded(point.range_km, 3)
    if point.range_rate_km_s is not None:
        data["range_rate_km_s"] = rounded(point.range_rate_km_s, 5)
        if frequency_hz is not None:
            data["doppler_hz"] = round(float(doppler_shift_hz(point.range_rate_km_s, frequency_hz)))
    return data


def visibility_dict(visibility: PassVisibility) -> dict[str, Any]:
    """Return a pass's visibility fields (merged into the pass object)."""
    v = visibility
    return {
        "visible": v.visible,
        "sunlit": v.sunlit,
        "sun_elevation_deg": _finite(v.sun_elevation_deg, 2),  # null if unknown, as the columns
        "visible_start": point_dict(v.visible_start),
        "visible_peak": point_dict(v.visible_peak),
        "visible_end": point_dict(v.visible_end),
        "shadow_entry": _time(v.shadow_entry_utc),
        "shadow_exit": _time(v.shadow_exit_utc),
        "std_magnitude": v.std_magnitude,
        "magnitude": _round(v.magnitude, 1),
        "brightest": point_dict(v.brightest),
        "brightest_magnitude": _round(v.brightest_magnitude, 1),
    }


def pass_dict(item: Pass, frequency_hz: float | None = None) -> dict[str, Any]:
    data = {
        "satellite": item.satellite,
        "norad_id": item.norad_id,
        "observer": item.observer,
        "rise": point_dict(item.rise, frequency_hz),
        "culmination": point_dict(item.culmination, frequency_hz),
        "set": point_dict(item.set, frequency_hz),
        "max_elevation_deg": rounded(item.max_elevation_deg, 3),
        "duration_s": _round(item.duration_s, 3),
        "in_progress_at_start": item.in_progress_at_start,
        "in_progress_at_end": item.in_progress_at_end,
        "time_uncertainty_s": _round(item.time_uncertainty_s, UNCERTAINTY_DIGITS),
    }
    if item.declination_deg is not None:
        data["declination_deg"] = rounded(item.declination_deg, 3)
    if item.visibility is not None:
        data.update(visibility_dict(item.visibility))
    return data


def geo_dict(look: GeoLook) -> dict[str, Any]:
    return {
        "satellite": look.satellite,
        "norad_id": look.norad_id,
        "observer": look.observer,
        "time": format_utc(look.time_utc),
        "azimuth_deg": rounded(look.azimuth_deg, 3),
        "elevation_deg": rounded(look.elevation_deg, 3),
        "range_km": rounded(look.range_km, 3),
        "elevation_min_deg": rounded(look.elevation_min_deg, 3),
        "elevation_max_deg": rounded(look.elevation_max_deg, 3),
        "always_above_horizon": look.always_above_horizon,
        "always_above_min_elevation": look.always_above_min_elevation,
        "station_kept": look.station_kept,
        "hint": GEO_HINT,
    }


def note_dict(note: Note) -> dict[str, Any]:
    """Return a note (a satellite left out of a pass search, and why) as JSON data."""
    return {
        "satellite": note.satellite,
        "norad_id": note.norad_id,
        "observer": note.observer,
        "reason": note.reason,
    }


#: The `SatelliteReport` fields `satellite_columns` reads, in one ``attrgetter`` per report.
_REPORT_FIELDS = (
    *("name", "norad_id", "epoch_utc", "age_days", "orbit", "source", "selected", "stale", "note"),
)
_SATELLITE_KEYS = ("name", "norad_id", "epoch", "age_days", "orbit", "source", "selected")


def satellite_columns(satellites: Sequence[SatelliteReport]) -> dict[str, list[Any]]:
    """Return the `satellites` part of `prediction_dict` as columns: each key's values, one per
    satellite (the JSON writers lay them out without a dict per satellite; a catalogue has
    15,347). The reports' fields are read in one pass (``attrgetter``), the epochs formatted
    as one column (`textarrays.utc_texts`) and the ages rounded as one
    (`textarrays.round_like_python`, Python's `round` value for value): 16 -> 7 ms."""
    from passpredict.output.textarrays import round_like_python, utc_texts

    if not satellites:
        return {key: [] for key in (*_SATELLITE_KEYS, "stale", "note")}
    names, ids, epochs, ages, orbits, sources, selected, stale, notes = zip(
        *map(attrgetter(*_REPORT_FIELDS), satellites), strict=True
    )
    if set(map(type, ages)) == {float}:
        age_days: list[Any] = round_like_python(np.array(ages), 3).tolist()
    else:
        age_days = [rounded(age, 3) for age in ages]
    return {
        "name": list(names),
        "norad_id": list(ids),
        "epoch": utc_texts(epochs),
        "age_days": age_days,
        # the member's own attribute: `.value` is a property, 5x slower on 15,347 reports
        "orbit": list(map(attrgetter("_value_"), orbits)),
        "source": list(sources),
        "selected": [reason or None for reason in selected],
        "stale": list(stale),
        "note": list(notes),
    }


def _records(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    keys = list(columns)
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def prediction_dict(prediction: Prediction, frequency_hz: float | None = None) -> dict[str, Any]:
    """Return the whole prediction as plain JSON-ready data.

    With visibility, `window` also holds `twilight_deg` and `magnitude_model`; with
    `frequency_hz`, `frequency_mhz`, and each pass point a `doppler_hz`.
    """
    window: dict[str, Any] = {
        "start": format_utc(prediction.start_utc),
        "end": format_utc(prediction.end_utc),
        "min_elevation_deg": prediction.min_elevation_deg,
    }
    if prediction.twilight_deg is not None:
        window["twilight_deg"] = prediction.twilight_deg
        window["magnitude_model"] = MAGNITUDE_MODEL
    if frequency_hz is not None:
        window["frequency_mhz"] = frequency_hz / 1e6
    return {
        "window": window,
        "observers": [
            {
                "name": o.name,
                "latitude_deg": o.latitude_deg,
                "longitude_deg": o.longitude_deg,
                "elevation_m": o.elevation_m,
                "timezone": o.timezone or "UTC",
            }
            for o in prediction.observers
        ],
        "satellites": _records(satellite_columns(prediction.satellites)),
        "passes": [pass_dict(p, frequency_hz) for p in prediction.passes],
        "geostationary": [geo_dict(g) for g in prediction.geostationary],
        "notes": [note_dict(n) for n in prediction.notes],
        # the stale reports worded one by one, as before they were records
        "warnings": [*(s.describe() for s in prediction.stale), *prediction.warnings],
    }


def to_json(prediction: Prediction, frequency_hz: float | None = None) -> str:
    """Return the whole prediction as JSON text (`write_json`)."""
    buffer = io.StringIO()
    write_json(buffer, prediction, frequency_hz)
    return buffer.getvalue()


def write_json(out: TextIO, prediction: Prediction, frequency_hz: float | None = None) -> None:
    """Write `prediction_dict` as ``json.dumps(..., indent=2)`` would, passes from the arrays.

    The other parts (window, observers, satellites, GEO looks, notes, warnings) are written by
    `passpredict.output.json_text` (the C encoder's pieces, a column at a time); the passes
    chunk by chunk from `Prediction.columns` by `passpredict.output.pass_output`, in exactly
    the layout `json` gives them.
    """
    from passpredict.output.json_text import indented_json
    from passpredict.output.pass_output import write_json_objects

    head = prediction_dict(replace(prediction, passes=(), table=None), frequency_hz)
    text = indented_json(head) + "\n"
    before, marker, after = text.partition(_EMPTY_PASSES)
    columns = prediction.columns
    if not marker or not len(columns):
        out.write(text)
        return
    out.write(before + '\n  "passes": [')
    write_json_objects(out, columns, frequency_hz, False, 4, "\n    ", ",\n    ")
    out.write("\n  ]" + after)


#: How `json.dumps(indent=2)` writes the empty pass list of the document's head.
_EMPTY_PASSES = '\n  "passes": []'


def to_jsonl(prediction: Prediction, frequency_hz: float | None = None) -> str:
    """Return the prediction as JSON Lines (`write_jsonl`)."""
    buffer = io.StringIO()
    write_jsonl(buffer, prediction, frequency_hz)
    return buffer.getvalue()


def write_jsonl(out: TextIO, prediction: Prediction, frequency_hz: float | None = None) -> None:
    """Write JSON Lines: one object a line, its kind in ``type``.

    ``"type": "pass"`` lines carry the keys of a pass in `to_json` (in time order);
    ``"type": "geostationary"`` the keys of a geostationary look; ``"type": "note"`` a
    satellite left out and why. Written from the arrays (`passpredict.output.pass_output`), a chunk
    at a time; the same lines as ``json.dumps({"type": ..., **item})`` of each item.
    """
    from passpredict.output.pass_output import write_json_objects

    columns = prediction.columns
    if len(columns):
        prefix = {"type": '"pass"'}
        write_json_objects(out, columns, frequency_hz, True, 0, "", "\n", prefix)
        out.write("\n")
    write_jsonl_extras(out, prediction)


def write_jsonl_extras(out: TextIO, prediction: Prediction) -> None:
    """Write the JSON Lines of a prediction's geostationary looks and notes."""
    # only these two parts: the whole `prediction_dict` would build every satellite's record
    lines = [{"type": "geostationary", **geo_dict(g)} for g in prediction.geostationary]
    lines += [{"type": "note", **note_dict(n)} for n in prediction.notes]
    out.write("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))


_POINT_FIELDS = ("time", "azimuth_deg", "elevation_deg", "range_km")
CSV_COLUMNS: tuple[str, ...] = (
    "kind",
    "satellite",
    "norad_id",
    "observer",
    *(f"{which}_{field}" for which in ("rise", "culmination", "set") for field in _POINT_FIELDS),
    "max_elevation_deg",
    "duration_s",
    "in_progress_at_start",
    "in_progress_at_end",
    "time",
    "azimuth_deg",
    "elevation_deg",
    "range_km",
    "elevation_min_deg",
    "elevation_max_deg",
    "always_above_horizon",
    "station_kept",
    "epoch",
    "age_days",
    # visibility (empty when not computed)
    "visible",
    "sunlit",
    "sun_elevation_deg",
    "visible_start",
    "visible_end",
    "visible_max_elevation_deg",
    "shadow_entry",
    "shadow_exit",
    "magnitude",
    "brightest_magnitude",
    # radio details (empty unless asked for)
    *(f"{which}_range_rate_km_s" for which in ("rise", "culmination", "set")),
    *(f"{which}_doppler_hz" for which in ("rise", "culmination", "set")),
    # the error bar of the pass times (passpredict.products.uncertainty; empty where none)
    "time_uncertainty_s",
)
#: The columns `--magnetic` appends: the compass bearings and the declination at culmination.
MAGNETIC_CSV_COLUMNS: tuple[str, ...] = (
    *(f"{which}_azimuth_magnetic_deg" for which in ("rise", "culmination", "set")),
    "declination_deg",
)


def csv_columns(magnetic: bool = False) -> tuple[str, ...]:
    """Return the pass CSV's columns, with the compass-bearing ones when `magnetic`."""
    return CSV_COLUMNS + MAGNETIC_CSV_COLUMNS if magnetic else CSV_COLUMNS


def to_csv(prediction: Prediction, frequency_hz: float | None = None) -> str:
    """Return one CSV row per pass, then one per geostationary look (`kind` tells which).

    Pass rows fill the rise/culmination/set columns; geostationary rows fill `time`,
    `azimuth_deg` ... `station_kept`. Empty cells mean "not applicable" or "outside the window";
    booleans are `true` / `false` (`csv_cell`).
    """
    buffer = io.StringIO()
    write_csv(buffer, prediction, frequency_hz)
    return buffer.getvalue()


def write_csv(
    out: TextIO, prediction: Prediction, frequency_hz: float | None = None, header: bool = True
) -> None:
    """Write `to_csv`'s text: the pass rows from the arrays (`passpredict.output.pass_output`), a
    chunk at a time, then the geostationary rows."""
    names = csv_columns(prediction.columns.declination_deg is not None)
    if header:
        out.write(",".join(names) + "\n")
    write_csv_passes(out, prediction, frequency_hz, names)
    write_csv_geostationary(out, prediction, names)


def write_csv_passes(
    out: TextIO,
    prediction: Prediction,
    frequency_hz: float | None,
    names: tuple[str, ...] = CSV_COLUMNS,
) -> None:
    """Write the pass rows under the header `names` (`csv_columns`)."""
    from passpredict.output.pass_output import epoch_cells, write_csv_rows

    columns = prediction.columns
    if len(columns):
        epochs = epoch_cells(prediction.satellites)
        write_csv_rows(out, columns, names, frequency_hz, epochs)


def write_csv_geostationary(
    out: TextIO, prediction: Prediction, names: tuple[str, ...] = CSV_COLUMNS
) -> None:
    """Write the geostationary rows under the header `names` (`csv_columns`): the cells of
    `csv.DictWriter` (empty where a row has no value), all rows in one ``writerows``."""
    if not prediction.geostationary:
        return
    epochs = {s.norad_id: s for s in prediction.satellites}
    rows = []
    for look in prediction.geostationary:
        row = geo_dict(look)
        row["kind"] = "geostationary"
        _add_epoch(row, epochs.get(look.norad_id))
        rows.append([csv_cell(row.get(key)) for key in names])
    csv.writer(out, lineterminator="\n").writerows(rows)


def _add_epoch(row: dict[str, Any], report: Any) -> None:
    if report is not None:
        row["epoch"] = format_utc(report.epoch_utc)
        row["age_days"] = rounded(report.age_days, 3)


# --- tracks (`passpredict track`) ---------------------------------------------------------

TRACK_CSV_COLUMNS: tuple[str, ...] = (
    "satellite",
    "norad_id",
    "observer",
    "time",
    "azimuth_deg",
    "elevation_deg",
    "range_km",
    "range_rate_km_s",
    "doppler_hz",
)


def track_samples(
    track: Track, frequency_hz: float | None = None, min_elevation_deg: float | None = None
) -> list[dict[str, Any]]:
    """Return a track's samples as JSON-ready dicts, optionally only those above an elevation."""
    keep = track.ok.copy()
    if min_elevation_deg is not None:
        keep &= track.elevation_deg >= min_elevation_deg
    doppler = (
        None if frequency_hz is None else doppler_shift_hz(track.range_rate_km_s, frequency_hz)
    )
    bearings = track.azimuth_magnetic_deg
    times = track.times_utc()
    samples = []
    for k in np.flatnonzero(keep):
        sample: dict[str, Any] = {
            "time": format_utc(times[k]),
            "azimuth_deg": rounded(float(track.azimuth_deg[k]), 3),
        }
        if bearings is not None and track.declination_deg is not None:
            sample["azimuth_magnetic_deg"] = _finite(bearings[k], 3)
            sample["declination_deg"] = _finite(track.declination_deg[k], 3)
        sample |= {
            "elevation_deg": rounded(float(track.elevation_deg[k]), 3),
            "range_km": rounded(float(track.range_km[k]), 3),
            "range_rate_km_s": rounded(float(track.range_rate_km_s[k]), 5),
        }
        if doppler is not None:
            sample["doppler_hz"] = round(float(doppler[k]))
        samples.append(sample)
    return samples


def _finite(value: float, digits: int) -> float | None:
    return rounded(float(value), digits) if np.isfinite(value) else None


def tracks_document(
    tracks: list[Track],
    epoch_utc: datetime,
    frequency_hz: float | None = None,
    min_elevation_deg: float | None = None,
) -> dict[str, Any]:
    """Return tracks of one satellite (one per observer) as the JSON document of `track`."""
    first = tracks[0]
    data: dict[str, Any] = {
        "satellite": {"name": first.satellite, "norad_id": first.norad_id},
        "epoch": format_utc(epoch_utc),
        "step_s": first.step_s,
        "min_elevation_deg": min_elevation_deg,
    }
    if frequency_hz is not None:
        data["frequency_mhz"] = frequency_hz / 1e6
    data["tracks"] = [
        {
            "observer": {
                "name": t.observer.name,
                "latitude_deg": t.observer.latitude_deg,
                "longitude_deg": t.observer.longitude_deg,
                "elevation_m": t.observer.elevation_m,
            },
            "samples": track_samples(t, frequency_hz, min_elevation_deg),
        }
        for t in tracks
    ]
    return data


def tracks_to_json(
    tracks: list[Track],
    epoch_utc: datetime,
    frequency_hz: float | None = None,
    min_elevation_deg: float | None = None,
) -> str:
    """Return tracks of one satellite (one per observer) as JSON text (`tracks_document`)."""
    from passpredict.output.json_text import indented_json

    document = tracks_document(tracks, epoch_utc, frequency_hz, min_elevation_deg)
    return indented_json(document) + "\n"  # json.dumps(indent=2)'s bytes, by column


def tracks_csv_rows(
    tracks: list[Track], frequency_hz: float | None = None, min_elevation_deg: float | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Return tracks as CSV rows, one per sample, and their columns; `doppler_hz` only with a
    frequency, the compass bearing beside the azimuth with declinations."""
    columns = [c for c in TRACK_CSV_COLUMNS if c != "doppler_hz" or frequency_hz is not None]
    if tracks and tracks[0].declination_deg is not None:  # the compass bearing beside
        at = columns.index("azimuth_deg") + 1
        columns[at:at] = ["azimuth_magnetic_deg", "declination_deg"]
    rows = [
        {"satellite": t.satellite, "norad_id": t.norad_id, "observer": t.observer.name} | sample
        for t in tracks
        for sample in track_samples(t, frequency_hz, min_elevation_deg)
    ]
    return rows, columns


def tracks_to_csv(
    tracks: list[Track], frequency_hz: float | None = None, min_elevation_deg: float | None = None
) -> str:
    """Return tracks as CSV text (`tracks_csv_rows`), as `emit` writes every CSV."""
    from passpredict.output.emit import csv_text

    return csv_text(*tracks_csv_rows(tracks, frequency_hz, min_elevation_deg))
