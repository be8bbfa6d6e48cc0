"""Machine formats of a prediction: JSON and CSV, with units in keys and times in UTC 'Z'.

The JSON keys promised in the README (and issue 2) are a contract: `satellites`, `passes`,
`geostationary` and their fields keep their names; fields may be added, never renamed.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from passpredict.predict import Prediction
from passpredict.records import GeoLook, Pass, PassPoint
from passpredict.timeutil import format_utc

GEO_HINT = "fixed in the sky; see 'passpredict geo', 'sun-outages' and 'eclipses'"


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def point_dict(point: PassPoint | None) -> dict[str, Any] | None:
    if point is None:
        return None
    return {
        "time": format_utc(point.time_utc),
        "azimuth_deg": round(point.azimuth_deg, 3),
        "elevation_deg": round(point.elevation_deg, 3),
        "range_km": round(point.range_km, 3),
    }


def pass_dict(item: Pass) -> dict[str, Any]:
    return {
        "satellite": item.satellite,
        "norad_id": item.norad_id,
        "observer": item.observer,
        "rise": point_dict(item.rise),
        "culmination": point_dict(item.culmination),
        "set": point_dict(item.set),
        "max_elevation_deg": round(item.max_elevation_deg, 3),
        "duration_s": _round(item.duration_s, 3),
        "in_progress_at_start": item.in_progress_at_start,
        "in_progress_at_end": item.in_progress_at_end,
    }


def geo_dict(look: GeoLook) -> dict[str, Any]:
    return {
        "satellite": look.satellite,
        "norad_id": look.norad_id,
        "observer": look.observer,
        "time": format_utc(look.time_utc),
        "azimuth_deg": round(look.azimuth_deg, 3),
        "elevation_deg": round(look.elevation_deg, 3),
        "range_km": round(look.range_km, 3),
        "elevation_min_deg": round(look.elevation_min_deg, 3),
        "elevation_max_deg": round(look.elevation_max_deg, 3),
        "always_above_horizon": look.always_above_horizon,
        "always_above_min_elevation": look.always_above_min_elevation,
        "station_kept": look.station_kept,
        "hint": GEO_HINT,
    }


def prediction_dict(prediction: Prediction) -> dict[str, Any]:
    """Return the whole prediction as plain JSON-ready data."""
    return {
        "window": {
            "start": format_utc(prediction.start_utc),
            "end": format_utc(prediction.end_utc),
            "min_elevation_deg": prediction.min_elevation_deg,
        },
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
        "satellites": [
            {
                "name": s.name,
                "norad_id": s.norad_id,
                "epoch": format_utc(s.epoch_utc),
                "age_days": round(s.age_days, 3),
                "orbit": s.orbit.value,
                "source": s.source,
                "stale": s.stale,
                "note": s.note,
            }
            for s in prediction.satellites
        ],
        "passes": [pass_dict(p) for p in prediction.passes],
        "geostationary": [geo_dict(g) for g in prediction.geostationary],
        "notes": [
            {
                "satellite": n.satellite,
                "norad_id": n.norad_id,
                "observer": n.observer,
                "reason": n.reason,
            }
            for n in prediction.notes
        ],
        "warnings": list(prediction.warnings),
    }


def to_json(prediction: Prediction) -> str:
    return json.dumps(prediction_dict(prediction), indent=2, ensure_ascii=False) + "\n"


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
)


def to_csv(prediction: Prediction) -> str:
    """Return one CSV row per pass, then one per geostationary look (`kind` tells which).

    Pass rows fill the rise/culmination/set columns; geostationary rows fill `time`,
    `azimuth_deg` ... `station_kept`. Empty cells mean "not applicable" or "outside the window".
    """
    epochs = {s.norad_id: s for s in prediction.satellites}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in prediction.passes:
        row: dict[str, Any] = {"kind": "pass"}
        data = pass_dict(item)
        for key in (
            "satellite",
            "norad_id",
            "observer",
            "max_elevation_deg",
            "duration_s",
            "in_progress_at_start",
            "in_progress_at_end",
        ):
            row[key] = data[key]
        for which in ("rise", "culmination", "set"):
            point = data[which] or {}
            for field in _POINT_FIELDS:
                row[f"{which}_{field}"] = point.get(field)
        _add_epoch(row, epochs.get(item.norad_id))
        writer.writerow(row)
    for look in prediction.geostationary:
        data = geo_dict(look)
        row = {key: value for key, value in data.items() if key in CSV_COLUMNS}
        row["kind"] = "geostationary"
        _add_epoch(row, epochs.get(look.norad_id))
        writer.writerow(row)
    return buffer.getvalue()


def _add_epoch(row: dict[str, Any], report: Any) -> None:
    if report is not None:
        row["epoch"] = format_utc(report.epoch_utc)
        row["age_days"] = round(report.age_days, 3)
