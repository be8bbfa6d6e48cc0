"""A prediction's passes as a pandas DataFrame straight from their columns, no record per pass.

`passpredict.output.dataframes.to_dataframe` names a pass frame's columns after the `Pass` record
(its type hints: `rise_utc`, `rise_azimuth_deg`, ..., the visibility fields flattened, then
the derived `max_elevation_deg`, `duration_s`); building those records costs a Python object
per pass and point, seconds for a catalogue. This module makes the same frame, column for
column and value for value, from `passpredict.products.columns.PassColumns`: each column is
one array taken from the columns (times as datetime64, absent values NaN/NaT, as the records' None
becomes), so a frame of a million passes costs a few array operations per column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from passpredict.products.columns import PassColumns

_POINTS = ("rise", "culmination", "set")
_VISIBLE_POINTS = ("visible_start", "visible_peak", "visible_end")
_LOOK = {"azimuth_deg": 0, "elevation_deg": 1, "range_km": 2}


def columns_frame(
    pd: Any,
    columns: PassColumns,
    schema: list[tuple[str, tuple[str, ...], str]],
    finish: Callable[[Any, Any, list[tuple[str, tuple[str, ...], str]]], Any],
) -> Any:
    """Return the pass frame of `columns`: one column per (name, attribute path, kind) of
    `schema` (`dataframes._columns(Pass)`), typed by `finish` as the record frame is."""
    data = {name: _column(columns, path, kind) for name, path, kind in schema}
    return finish(pd, pd.DataFrame(data, columns=list(data)), schema)


def _column(c: PassColumns, path: tuple[str, ...], kind: str) -> NDArray[Any] | list[str]:
    """The values at one attribute path of every pass (see the module docstring)."""
    n = len(c)
    head = path[0]
    if head in _POINTS:
        k = _POINTS.index(head)
        seconds = (c.rise_s, c.culmination_s, c.set_s)[k]
        extra = {
            "range_rate_km_s": c.range_rate_km_s,
            "azimuth_magnetic_deg": c.azimuth_magnetic_deg,
        }
        return _point(c, seconds, c.points[:, k], path[1], extra, k)
    if head == "visibility":
        return _visibility(c, path[1:], kind)
    if head in ("min_elevation_deg", "window_start_utc"):
        value = c.min_elevation_deg if head == "min_elevation_deg" else _start(c)
        return np.full(n, value)
    if head == "time_uncertainty_s":
        return _or_nan(c.time_uncertainty_s, n)
    if head == "declination_deg":
        return np.full(n, np.nan) if c.declination_deg is None else c.declination_deg[:, 1]
    if head == "max_elevation_deg":
        return c.max_elevation_deg
    if head == "duration_s":
        return c.duration_s
    values = getattr(c, head)
    return _strings(values) if values.dtype == object else values


def _point(
    c: PassColumns,
    seconds: NDArray[np.float64],
    looks: NDArray[np.float64],
    field: str,
    extra: dict[str, NDArray[np.float64] | None],
    k: int = 0,
) -> NDArray[Any]:
    """One field of one point of every pass; NaN/NaT where the point is absent."""
    absent = np.isnan(seconds)
    if field == "time_utc":
        return c.times_utc(seconds)
    if field in _LOOK:
        return np.where(absent, np.nan, looks[:, _LOOK[field]])
    values = extra.get(field)
    if values is None:
        return np.full(len(c), np.nan)
    return np.where(absent, np.nan, values[:, k])


def _visibility(c: PassColumns, path: tuple[str, ...], kind: str) -> NDArray[Any]:
    n = len(c)
    v = c.visibility
    if v is None:  # every pass's visibility is None: so is each of its fields
        if kind == "time":
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
        return np.full(n, np.nan) if kind == "float" else np.full(n, None, dtype=object)
    field = path[0]
    if field in _VISIBLE_POINTS:
        k = _VISIBLE_POINTS.index(field)
        seconds = np.where(v.visible, v.visible_s[:, k], np.nan)
        return _point(c, seconds, v.visible_points[:, k], path[1], {})
    if field == "brightest":
        return _point(c, v.brightest_s, v.brightest_point, path[1], {})
    if field in ("shadow_entry_utc", "shadow_exit_utc"):
        return c.times_utc(getattr(v, field[: -len("_utc")] + "_s"))
    if field == "twilight_deg":
        return np.full(n, v.twilight_deg)
    if field == "visible_duration_s":
        start = np.where(v.visible, v.visible_s[:, 0], np.nan)
        end = np.where(v.visible, v.visible_s[:, 2], np.nan)
        us = c.times_utc(end) - c.times_utc(start)
        return np.where(np.isnat(us), np.nan, us.astype("timedelta64[us]").astype(float) / 1e6)
    value: NDArray[Any] = getattr(v, field)
    return value


def _start(c: PassColumns) -> np.datetime64:
    start: np.datetime64 = c.times_utc(np.zeros(1))[0]
    return start


def _or_nan(values: NDArray[np.float64] | None, n: int) -> NDArray[np.float64]:
    return np.full(n, np.nan) if values is None else values


def _strings(values: NDArray[np.object_]) -> list[str]:
    """Names as a list, so that pandas gives them the dtype it gives the records' names."""
    names: list[str] = values.tolist()
    return names
