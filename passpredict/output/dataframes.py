"""Results as pandas DataFrames, for analysis in notebooks (pandas is an optional extra).

`to_dataframe` turns what the library returns into one row per record: passes (a `Prediction`
or a sequence of `Pass`), geostationary looks and pointings, satellite reports, sampled tracks,
element sets, and any other record (a frozen dataclass or a NamedTuple) of the library.
Columns keep the library's names and units; a pass point is flattened with its name as prefix
(`rise_utc`, `rise_azimuth_deg`, `culmination_elevation_deg`, ...). Times are timezone-aware
UTC timestamps; with `zone`, every `*_utc` column gets a `*_local` companion.

The columns come from the records' type hints, so fields added to a record later (visibility,
magnitude) appear without changes here, and an empty result still has its columns.
"""

from __future__ import annotations

import dataclasses
import enum
import typing
import warnings
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from passpredict.engine.orbits import EARTH_EQUATORIAL_RADIUS_KM, semi_major_axis_km
from passpredict.extras import import_optional
from passpredict.products.columns import LazyPasses, PassColumns
from passpredict.products.predict import Prediction
from passpredict.products.track import GroundTrack, Track
from passpredict.records import Pass, PassPoint
from passpredict.timeutil import load_zone
from tle_cache.elements import ElementSet

#: Properties worth a column of their own, with their column kind, by record type name.
_DERIVED: dict[str, tuple[tuple[str, str], ...]] = {
    "Pass": (("max_elevation_deg", "float"), ("duration_s", "float")),
    "PassVisibility": (("visible", "bool"), ("visible_duration_s", "float")),
    "SunOutage": (("duration_s", "float"),),
    "Eclipse": (("duration_s", "float"), ("umbra_duration_s", "float")),
    "StaleElements": (("worst_age_days", "float"), ("stale_at_start", "bool")),
}

#: The dtype an empty frame's column of each plain kind gets: what pandas infers from values of
#: that type, which it cannot do from none (it would give float64).
_EMPTY_DTYPES: dict[str, Any] = {"str": str, "int": "int64", "bool": "bool"}
_PLAIN_KINDS: dict[Any, str] = {str: "str", int: "int", bool: "bool"}


class GeostationaryLeftOut(UserWarning):
    """A prediction's frame is empty of passes while the prediction holds geostationary looks."""


def to_dataframe(data: Any, *, zone: str | tzinfo | None = None) -> Any:
    """Return `data` as a `pandas.DataFrame`, one row per record.

    `data` is a `Prediction` (its passes; use `prediction.geostationary` for the looks), its
    passes as columns (`PassColumns`, `LazyPasses`: the frame is made from the arrays, without
    a record per pass, equal to the one made from the records), a `Track` or
    `GroundTrack`, a sequence of `ElementSet` (the mean elements and orbit size), or a
    sequence of any other records of one type (`Pass`, `GeoLook`, `SatelliteReport`,
    `GeoPointing`, the prediction's `notes` and `stale`, ...). An empty sequence gives an
    empty pass frame. A `Prediction` with no passes but with geostationary looks (a run of
    Azerspace 1 alone) gives an empty frame and a `GeostationaryLeftOut` warning naming
    `to_dataframe(prediction.geostationary)`: an empty frame alone reads as "nothing found".
    A prediction with passes and looks gives its passes without a warning, as documented.
    `zone` (an IANA name or a tzinfo) adds a local-time column `X_local` next to every `X_utc`
    column.
    Raises `ModuleNotFoundError` with the install command when pandas is missing.
    """
    pd = import_optional("pandas", "to_dataframe")
    if isinstance(data, Prediction) and isinstance(data.passes, LazyPasses):
        frame = _columns_frame(pd, data.passes.columns)
    elif isinstance(data, PassColumns | LazyPasses):
        frame = _columns_frame(pd, data if isinstance(data, PassColumns) else data.columns)
    elif isinstance(data, Prediction):
        frame = _records_frame(pd, Pass, data.passes)
    elif isinstance(data, Track | GroundTrack):
        frame = _track_frame(pd, data)
    elif isinstance(data, Iterable) and not isinstance(data, str | bytes):
        items = list(data)
        kind = type(items[0]) if items else Pass
        for index, item in enumerate(items):
            if type(item) is not kind:
                raise TypeError(
                    f"to_dataframe needs records of one type; item {index} is a "
                    f"{type(item).__name__}, item 0 a {kind.__name__}"
                )
        if kind is ElementSet:
            frame = _elements_frame(pd, items)
        elif dataclasses.is_dataclass(kind) or _is_named_tuple(kind):
            frame = _records_frame(pd, kind, items)
        else:
            raise TypeError(_unsupported(items[0]))
    else:
        raise TypeError(_unsupported(data))
    if isinstance(data, Prediction) and len(frame) == 0 and len(data.geostationary) > 0:
        warnings.warn(
            f"to_dataframe(prediction) gives its passes and it has none, but it holds "
            f"{len(data.geostationary)} geostationary looks; for those use "
            "to_dataframe(prediction.geostationary)",
            GeostationaryLeftOut,
            stacklevel=2,
        )
    if zone is not None:
        frame = _add_local_columns(frame, load_zone(zone) if isinstance(zone, str) else zone)
    return frame


def _unsupported(value: Any) -> str:
    return (
        f"to_dataframe cannot convert a {type(value).__name__}; give a Prediction, a Track or "
        "GroundTrack, or a sequence of records such as Pass, GeoLook or ElementSet"
    )


def _is_named_tuple(kind: type) -> bool:
    """Whether `kind` is a `typing.NamedTuple` record: the library's light records (`Note`,
    `StaleElements`: NamedTuples for start-up speed, issue 11) convert as dataclasses do."""
    return issubclass(kind, tuple) and hasattr(kind, "_fields")


def _field_names(kind: type) -> list[str]:
    """The record's fields in order: a dataclass's fields or a NamedTuple's `_fields`."""
    if dataclasses.is_dataclass(kind):
        return [field.name for field in dataclasses.fields(kind)]
    names: tuple[str, ...] = kind._fields  # type: ignore[attr-defined]
    return list(names)


def _columns(kind: type, path: tuple[str, ...] = ()) -> list[tuple[str, tuple[str, ...], str]]:
    """Return (column, attribute path, kind) for a record type, from its type hints.

    The kind is "time", "float", "str", "int", "bool" or "other": times become aware UTC
    timestamps and floats stay float64 (NaN for None) even when a column holds only missing
    values; a field typed exactly `str`, `int` or `bool` keeps that dtype in an empty frame.
    A `PassPoint` field becomes one column per point field, prefixed with the field's name
    (`time_utc` becomes `<name>_utc`). Another nested record (such as a pass's visibility) is
    flattened into the parent, its fields keeping their own names. Properties listed in
    `_DERIVED` follow.
    """
    hints = typing.get_type_hints(kind)
    columns: list[tuple[str, tuple[str, ...], str]] = []
    for name in _field_names(kind):
        hint = hints[name]
        options = (hint, *typing.get_args(hint))
        nested = [t for t in options if isinstance(t, type) and dataclasses.is_dataclass(t)]
        if nested and nested[0] is PassPoint:
            for sub, sub_path, sub_kind in _columns(PassPoint):
                suffix = "utc" if sub == "time_utc" else sub
                columns.append((f"{name}_{suffix}", (*path, name, *sub_path), sub_kind))
        elif nested:
            columns.extend(_columns(nested[0], (*path, name)))
        else:
            column_kind = (
                "time"
                if datetime in options
                else "float"
                if float in options
                else _PLAIN_KINDS.get(hint, "other")
            )
            columns.append((name, (*path, name), column_kind))
    for prop, prop_kind in _DERIVED.get(kind.__name__, ()):
        columns.append((prop, (*path, prop), prop_kind))
    return columns


def _value(item: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if item is None:
            return None
        item = getattr(item, name)
    return _plain(item)


def _records_frame(pd: Any, kind: type, items: Iterable[Any]) -> Any:
    items = list(items)
    columns = _columns(kind)
    data = {column: [_value(item, path) for item in items] for column, path, _ in columns}
    return _typed(pd, pd.DataFrame(data, columns=list(data)), columns)


def _typed(pd: Any, frame: Any, columns: list[tuple[str, tuple[str, ...], str]]) -> Any:
    """Give each column its kind's dtype: times aware UTC to the microsecond (the records'
    resolution, whatever pandas would infer from them), floats float64; in an empty frame,
    names str, integers int64 and flags bool, as pandas infers them from values."""
    empty = not len(frame)
    for column, _, column_kind in columns:
        if column_kind == "time":
            frame[column] = pd.to_datetime(frame[column], utc=True).astype("datetime64[us, UTC]")
        elif column_kind == "float":
            frame[column] = frame[column].astype("float64")
        elif empty and column_kind in _EMPTY_DTYPES:
            frame[column] = frame[column].astype(_EMPTY_DTYPES[column_kind])
    return frame


def _columns_frame(pd: Any, columns: PassColumns) -> Any:
    """The pass frame from arrays, no `Pass` record made (`passpredict.output.column_frames`); an
    empty one as the records make it."""
    if not len(columns):
        return _records_frame(pd, Pass, [])
    from passpredict.output.column_frames import columns_frame

    return columns_frame(pd, columns, _columns(Pass), _typed)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _track_frame(pd: Any, track: Track | GroundTrack) -> Any:
    times = pd.Timestamp(track.start_utc) + pd.to_timedelta(track.seconds, unit="s")
    frame = pd.DataFrame({"time_utc": times})
    if isinstance(track, Track):
        frame["satellite"] = track.satellite
        frame["norad_id"] = track.norad_id
        frame["observer"] = track.observer.name
        for name in ("azimuth_deg", "elevation_deg", "range_km"):
            frame[name] = getattr(track, name)
    else:
        frame["satellite"] = track.satellite
        frame["norad_id"] = track.norad_id
        for name in ("latitude_deg", "longitude_deg", "altitude_km"):
            frame[name] = getattr(track, name)
    return frame


def _elements_frame(pd: Any, items: list[ElementSet]) -> Any:
    """One row per element set: the mean elements with units in their names, plus the size of
    the mean orbit (heights above the equatorial radius, WGS72 as SGP4 uses)."""
    rows = []
    for es in items:
        a_km = semi_major_axis_km(es)
        rows.append(
            {
                "norad_id": es.norad_id,
                "name": es.name,
                "epoch_utc": es.epoch_utc,
                "source": es.source,
                "mean_motion_rev_per_day": es.mean_motion_rev_per_day,
                "period_min": es.period_min,
                "eccentricity": es.eccentricity,
                "inclination_deg": es.inclination_deg,
                "raan_deg": float(es.omm["RA_OF_ASC_NODE"]),
                "arg_perigee_deg": float(es.omm["ARG_OF_PERICENTER"]),
                "mean_anomaly_deg": float(es.omm["MEAN_ANOMALY"]),
                "bstar_per_earth_radius": float(es.omm["BSTAR"]),
                "semi_major_axis_km": a_km,
                "perigee_height_km": a_km * (1.0 - es.eccentricity) - EARTH_EQUATORIAL_RADIUS_KM,
                "apogee_height_km": a_km * (1.0 + es.eccentricity) - EARTH_EQUATORIAL_RADIUS_KM,
            }
        )
    columns = [
        "norad_id",
        "name",
        "epoch_utc",
        "source",
        "mean_motion_rev_per_day",
        "period_min",
        "eccentricity",
        "inclination_deg",
        "raan_deg",
        "arg_perigee_deg",
        "mean_anomaly_deg",
        "bstar_per_earth_radius",
        "semi_major_axis_km",
        "perigee_height_km",
        "apogee_height_km",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["epoch_utc"] = pd.to_datetime(frame["epoch_utc"], utc=True)
    return frame


def _add_local_columns(frame: Any, zone: tzinfo) -> Any:
    """Insert `X_local` after every `X_utc` column, converted to `zone`.

    A zone with an IANA key (`ZoneInfo`) converts by its key, any other tzinfo (a fixed
    offset such as `timezone(timedelta(hours=-3), "BRT")`, whose name is no key) as itself.
    """
    target: str | tzinfo = getattr(zone, "key", None) or zone
    for name in [c for c in frame.columns if c.endswith("_utc")]:
        local = frame[name].dt.tz_convert(target)
        frame.insert(frame.columns.get_loc(name) + 1, name[: -len("_utc")] + "_local", local)
    return frame
