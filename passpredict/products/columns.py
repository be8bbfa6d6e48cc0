"""A prediction's passes as columns: one numpy array per field, one row per pass.

The engine finds passes as arrays (`passpredict.engine.passes.PassTable`) and visibility adds more
arrays (`passpredict.products.visibility`); `PassColumns` keeps them as arrays, in the order of
`Prediction.passes`, so that output can be written straight from them (times formatted as
arrays, numbers rounded as arrays) and a worker process ships arrays, not records. The
`Pass` records of `passpredict.records`, the library's friendly API, are built from the
columns only when asked for (`PassColumns.to_passes`, `LazyPasses`).

Schema (n = number of passes; "absent" is NaN for floats):

- `window_start_utc` (aware datetime) and `min_elevation_deg` (float): the same for every pass.
  Every time column is float64 seconds since `window_start_utc`; `times_utc` turns one into
  numpy datetime64[us] UTC (NaT where absent), rounded to the microsecond as the records are.
- `satellite`, `observer`: object arrays of names (str); `norad_id`: int64.
- `rise_s`, `culmination_s`, `set_s`: event times; rise absent for a pass in progress at
  the window start, set absent for one in progress at the window end; culmination never absent.
- `points` (n, 3, 3) float64: for [rise, culmination, set] the [azimuth deg, elevation deg,
  range km]; NaN where the event is absent. `max_elevation_deg` is `points[:, 1, 1]`.
- `range_rate_km_s` (n, 3) float64 at [rise, culmination, set], or None when radio details
  were not asked for (`predict(..., radio=True)`).
- `visibility`: `VisibilityColumns` or None when visibility was not asked for:
  `twilight_deg` (float, the same for every pass); `sun_elevation_deg` at culmination;
  `sunlit` (bool: sunlit at some moment of the pass); `sunlit_at_culmination` (bool);
  `shadow_entry_s`, `shadow_exit_s` (first entry into / exit from shadow inside the pass);
  `visible` (bool); `visible_s` (n, 3) times of [visible start, visible peak, visible end]
  and `visible_points` (n, 3, 3) their [azimuth deg, elevation deg, range km], absent for a
  pass that cannot be seen; `std_magnitude`, `magnitude` (at culmination); `brightest_s`,
  `brightest_point` (n, 3), `brightest_magnitude` (the brightest visible point).
- `time_uncertainty_s` (n,) float64: the expected error of the pass times from the age of
  the element set (NaN where the calibration says nothing), or None when not computed;
  `declination_deg` (n, 3) float64: the magnetic declination at [rise, culmination, set]
  (NaN where absent or outside the World Magnetic Model), or None without magnetic
  bearings. Both are added by `passpredict.products.pass_extras`; `azimuth_magnetic_deg` follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from passpredict.products.column_values import (
    array_fields,
    datetime64_utc,
    datetimes_since,
    declination_of,
    look_of,
    nan_floats,
    numbers,
    objects,
    pass_point,
    point_s,
    rate_of,
    seconds_since,
)
from passpredict.products.lazy_passes import LazyPasses
from passpredict.products.visibility_columns import VisibilityColumns, empty_visibility
from passpredict.records import Pass, PassVisibility

# Names other modules import from here (the visibility columns and `LazyPasses` were here
# before issue 12).
__all__ = [
    "UNCERTAINTY_DIGITS",
    "LazyPasses",
    "PassColumns",
    "VisibilityColumns",
    "concatenate_columns",
    "empty_visibility",
    "start_microseconds",
]

#: Decimals the outputs give `time_uncertainty_s` (a hundredth of a second).
UNCERTAINTY_DIGITS = 2


@dataclass(frozen=True, eq=False)
class PassColumns:
    """Passes as parallel arrays, one row per pass (see the module docstring for the schema)."""

    window_start_utc: datetime
    min_elevation_deg: float
    satellite: NDArray[np.object_]
    norad_id: NDArray[np.int64]
    observer: NDArray[np.object_]
    rise_s: NDArray[np.float64]
    culmination_s: NDArray[np.float64]
    set_s: NDArray[np.float64]
    points: NDArray[np.float64]
    range_rate_km_s: NDArray[np.float64] | None = None
    visibility: VisibilityColumns | None = None
    time_uncertainty_s: NDArray[np.float64] | None = None
    declination_deg: NDArray[np.float64] | None = None

    def __len__(self) -> int:
        return int(self.norad_id.size)

    @property
    def max_elevation_deg(self) -> NDArray[np.float64]:
        return self.points[:, 1, 1]

    @property
    def azimuth_magnetic_deg(self) -> NDArray[np.float64] | None:
        """The compass bearings (n, 3) at [rise, culmination, set]: true azimuth minus the
        declination, in [0, 360); NaN where there is none; None without declinations."""
        if self.declination_deg is None:
            return None
        from passpredict.products.magnetic import magnetic_azimuth_deg

        return magnetic_azimuth_deg(self.points[:, :, 0], self.declination_deg)

    @property
    def duration_s(self) -> NDArray[np.float64]:
        """Seconds from rise to set (NaN when either lies outside the window), as the records
        compute it: from the times rounded to the microsecond."""
        us = self.times_utc(self.set_s) - self.times_utc(self.rise_s)
        # NaT casts to the most negative int64, not NaN: mask it
        return np.where(np.isnat(us), np.nan, us.astype("timedelta64[us]").astype(float) / 1e6)

    @property
    def start_s(self) -> NDArray[np.float64]:
        """When each pass starts for the caller: its rise, or the window start (0.0)."""
        return np.where(np.isnan(self.rise_s), 0.0, self.rise_s)

    def times_utc(self, seconds: NDArray[np.float64]) -> NDArray[np.datetime64]:
        """Return seconds since the window start as datetime64[us] UTC, NaT where NaN."""
        return datetime64_utc(self.window_start_utc, seconds)

    def complete(self) -> NDArray[np.bool_]:
        """Which passes have both a rise and a set in the window (what a calendar can hold)."""
        complete: NDArray[np.bool_] = ~(np.isnan(self.rise_s) | np.isnan(self.set_s))
        return complete

    def take(self, rows: NDArray[np.intp]) -> PassColumns:
        """Return the rows `rows` (an index array), in that order."""
        changes: dict[str, Any] = {
            name: getattr(self, name)[rows]
            for name in array_fields(self)
            if name != "visibility" and getattr(self, name) is not None
        }
        if self.visibility is not None:
            changes["visibility"] = self.visibility.take(rows)
        return replace(self, **changes)

    def rows(self, begin: int, end: int) -> PassColumns:
        """Return the rows ``begin:end`` as views of these arrays, not copies (`take` copies):
        for the writers, which read a chunk of rows at a time and change none (11 -> 1 ms
        a catalogue's 72,394 passes in chunks of 4,096)."""
        changes: dict[str, Any] = {
            name: getattr(self, name)[begin:end]
            for name in array_fields(self)
            if name != "visibility" and getattr(self, name) is not None
        }
        v = self.visibility
        if v is not None:
            changes["visibility"] = replace(
                v, **{name: getattr(v, name)[begin:end] for name in array_fields(v)}
            )
        return replace(self, **changes)

    def to_passes(self) -> list[Pass]:
        """Return one `Pass` record per row, in row order."""
        when = datetimes_since(self.window_start_utc)
        times = [when(self.rise_s), when(self.culmination_s), when(self.set_s)]
        looks = [self.points[:, k].tolist() for k in range(3)]
        rates = (
            [[None] * len(self)] * 3
            if self.range_rate_km_s is None
            else [self.range_rate_km_s[:, k].tolist() for k in range(3)]
        )
        bearings = self.azimuth_magnetic_deg
        compass = (
            [[None] * len(self)] * 3
            if bearings is None
            else [numbers(bearings[:, k]) for k in range(3)]
        )
        uncertainty = (
            [None] * len(self)
            if self.time_uncertainty_s is None
            else numbers(self.time_uncertainty_s)
        )
        declination = (
            [None] * len(self)
            if self.declination_deg is None
            else numbers(self.declination_deg[:, 1])
        )
        seen: list[PassVisibility | None]
        if self.visibility is None:
            seen = [None] * len(self)
        else:
            seen = list(self.visibility.records(self.window_start_utc))
        names = self.satellite.tolist()
        norad = self.norad_id.tolist()
        observer = self.observer.tolist()
        start = self.window_start_utc
        out = []
        for i in range(len(norad)):
            rise, culm, set_ = (
                pass_point(times[k][i], looks[k][i], rates[k][i], compass[k][i]) for k in range(3)
            )
            assert culm is not None
            out.append(
                Pass(
                    satellite=names[i],
                    norad_id=norad[i],
                    observer=observer[i],
                    min_elevation_deg=self.min_elevation_deg,
                    rise=rise,
                    culmination=culm,
                    set=set_,
                    visibility=seen[i],
                    window_start_utc=start,
                    time_uncertainty_s=uncertainty[i],
                    declination_deg=declination[i],
                )
            )
        return out

    @classmethod
    def from_passes(
        cls,
        passes: Sequence[Pass],
        window_start_utc: datetime,
        min_elevation_deg: float,
        twilight_deg: float | None = None,
    ) -> PassColumns:
        """Return the columns of `Pass` records (the inverse of `to_passes`).

        `twilight_deg` None: no visibility columns. Range rates are kept when every pass
        carries them at its culmination; time uncertainties and declinations when any pass
        has them (each point's declination is recovered from its two azimuths).
        """
        sec = seconds_since(window_start_utc)
        ps = list(passes)
        rated = bool(ps) and all(p.culmination.range_rate_km_s is not None for p in ps)
        visibility = None
        if twilight_deg is not None and all(p.visibility is not None for p in ps):
            visibility = VisibilityColumns.from_records(
                [p.visibility for p in ps if p.visibility is not None],
                twilight_deg,
                window_start_utc,
            )
        return cls(
            window_start_utc=window_start_utc,
            min_elevation_deg=min_elevation_deg,
            satellite=objects([p.satellite for p in ps]),
            norad_id=np.array([p.norad_id for p in ps], dtype=np.int64),
            observer=objects([p.observer for p in ps]),
            rise_s=np.array([point_s(sec, p.rise) for p in ps], dtype=float),
            culmination_s=np.array([point_s(sec, p.culmination) for p in ps], dtype=float),
            set_s=np.array([point_s(sec, p.set) for p in ps], dtype=float),
            points=np.array(
                [[look_of(q) for q in (p.rise, p.culmination, p.set)] for p in ps], dtype=float
            ).reshape(-1, 3, 3),
            range_rate_km_s=np.array(
                [[rate_of(q) for q in (p.rise, p.culmination, p.set)] for p in ps], dtype=float
            ).reshape(-1, 3)
            if rated
            else None,
            visibility=visibility,
            time_uncertainty_s=nan_floats([p.time_uncertainty_s for p in ps])
            if ps and any(p.time_uncertainty_s is not None for p in ps)
            else None,
            declination_deg=np.array(
                [[declination_of(q) for q in (p.rise, p.culmination, p.set)] for p in ps],
                dtype=float,
            ).reshape(-1, 3)
            if ps and any(p.declination_deg is not None for p in ps)
            else None,
        )


def start_microseconds(columns: PassColumns) -> NDArray[np.int64]:
    """Return each pass's start (`Pass.start_utc`) as microseconds since the window start:
    the key passes are sorted by, to the records' own resolution."""
    return np.round(columns.start_s * 1e6).astype(np.int64)


def concatenate_columns(parts: Sequence[PassColumns]) -> PassColumns:
    """Join columns of the same window and options, rows part after part."""
    first = parts[0]
    if len(parts) == 1:
        return first
    changes: dict[str, Any] = {}
    for name in array_fields(first):
        if name == "visibility":
            continue
        values = [getattr(p, name) for p in parts]
        changes[name] = None if any(v is None for v in values) else np.concatenate(values)
    if all(p.visibility is not None for p in parts):
        vis = [p.visibility for p in parts if p.visibility is not None]
        joined: dict[str, Any] = {
            name: np.concatenate([getattr(v, name) for v in vis]) for name in array_fields(vis[0])
        }
        changes["visibility"] = replace(
            vis[0],
            **joined,
        )
    else:
        changes["visibility"] = None
    return replace(first, **changes)
