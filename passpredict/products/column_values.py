"""Conversions between pass records and the arrays of `passpredict.products.columns`.

Times are float seconds since the window start (NaN where absent) and become aware datetimes
rounded to the microsecond, as `TimeBase` makes them; numbers absent from a record are NaN in
the arrays. One place for these rules, so the records and the columns always agree.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from passpredict.records import PassPoint


def array_fields(obj: Any) -> list[str]:
    """The names of the per-row (array) fields of a columns dataclass."""
    return [f.name for f in fields(obj) if f.name not in SCALARS]


SCALARS = {"window_start_utc", "min_elevation_deg", "twilight_deg"}


def objects(values: list[Any]) -> NDArray[np.object_]:
    """A 1-d object array of `values`, whatever they hold (numpy would guess a shape)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def datetime64_utc(start: datetime, seconds: NDArray[np.float64]) -> NDArray[np.datetime64]:
    """Seconds since `start` as datetime64[us] UTC, rounded to the microsecond; NaT where NaN."""
    base = np.datetime64(start.replace(tzinfo=None) - (start.utcoffset() or timedelta()), "us")
    s = np.asarray(seconds, dtype=float)
    us = np.round(np.where(np.isnan(s), 0.0, s) * 1e6).astype(np.int64)
    out = base + us.astype("timedelta64[us]")
    out[np.isnan(s)] = np.datetime64("NaT")
    return out


def datetimes_since(start: datetime) -> Any:
    """Return seconds array -> list of aware datetimes (None where NaN), as `TimeBase` does."""

    def convert(seconds: NDArray[np.float64]) -> list[datetime | None]:
        s = np.asarray(seconds, dtype=float)
        absent = np.isnan(s)
        us = np.round(np.where(absent, 0.0, s) * 1e6).astype(np.int64).tolist()
        return [
            None if gone else start + timedelta(microseconds=u)
            for u, gone in zip(us, absent.tolist(), strict=True)
        ]

    return convert


def pass_point(
    when: datetime | None,
    look: list[float],
    rate: float | None = None,
    azimuth_magnetic_deg: float | None = None,
) -> PassPoint | None:
    """A `PassPoint` from a time and [azimuth, elevation, range] (None without a time)."""
    if when is None:
        return None
    return PassPoint(when, look[0], look[1], look[2], rate, azimuth_magnetic_deg)


def numbers(values: NDArray[np.float64]) -> list[float | None]:
    """The values as Python floats, None where not finite."""
    return [v if np.isfinite(v) else None for v in values.tolist()]


def nan_floats(values: list[float | None]) -> NDArray[np.float64]:
    """A float array of `values`, NaN where None (the inverse of `numbers`)."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def seconds_since(start: datetime) -> Any:
    """Return aware datetime -> seconds since `start` (NaN for None)."""

    def convert(when: datetime | None) -> float:
        return np.nan if when is None else (when - start).total_seconds()

    return convert


def point_s(sec: Any, point: PassPoint | None) -> float:
    """A point's time through `sec` (`seconds_since`), NaN for no point."""
    return np.nan if point is None else sec(point.time_utc)


def look_of(point: PassPoint | None) -> list[float]:
    """A point's [azimuth deg, elevation deg, range km], NaN for no point."""
    if point is None:
        return [np.nan, np.nan, np.nan]
    return [point.azimuth_deg, point.elevation_deg, point.range_km]


def declination_of(point: PassPoint | None) -> float:
    """The declination a point's compass bearing was made with, in [-180, 180)."""
    if point is None or point.azimuth_magnetic_deg is None:
        return np.nan
    return (point.azimuth_deg - point.azimuth_magnetic_deg + 180.0) % 360.0 - 180.0


def rate_of(point: PassPoint | None) -> float:
    """A point's range rate (km/s), NaN where there is none."""
    if point is None or point.range_rate_km_s is None:
        return np.nan
    return point.range_rate_km_s
