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

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from passpredict.records import Pass, PassPoint, PassVisibility

_ROWS = ("rise", "culmination", "set")
#: Decimals the outputs give `time_uncertainty_s` (a hundredth of a second).
UNCERTAINTY_DIGITS = 2


@dataclass(frozen=True, eq=False)
class VisibilityColumns:
    """The visibility of every pass as arrays (see the module docstring for the schema)."""

    twilight_deg: float
    sun_elevation_deg: NDArray[np.float64]
    sunlit: NDArray[np.bool_]
    sunlit_at_culmination: NDArray[np.bool_]
    shadow_entry_s: NDArray[np.float64]
    shadow_exit_s: NDArray[np.float64]
    visible: NDArray[np.bool_]
    visible_s: NDArray[np.float64]
    visible_points: NDArray[np.float64]
    std_magnitude: NDArray[np.float64]
    magnitude: NDArray[np.float64]
    brightest_s: NDArray[np.float64]
    brightest_point: NDArray[np.float64]
    brightest_magnitude: NDArray[np.float64]

    def take(self, rows: NDArray[np.intp]) -> VisibilityColumns:
        """Return the rows `rows` (an index array), in that order."""
        return replace(self, **{name: getattr(self, name)[rows] for name in _array_fields(self)})

    def records(self, window_start_utc: datetime) -> list[PassVisibility]:
        """Return one `PassVisibility` record per row."""
        when = _datetimes(window_start_utc)
        entry = when(self.shadow_entry_s)
        exit_ = when(self.shadow_exit_s)
        vis_t = [when(self.visible_s[:, k]) for k in range(3)]
        vis_p = [self.visible_points[:, k].tolist() for k in range(3)]
        bright_t = when(self.brightest_s)
        bright_p = self.brightest_point.tolist()
        std = _numbers(self.std_magnitude)
        mag = _numbers(self.magnitude)
        bright_mag = _numbers(self.brightest_magnitude)
        sun = self.sun_elevation_deg.tolist()
        sunlit = self.sunlit.tolist()
        lit_culm = self.sunlit_at_culmination.tolist()
        visible = self.visible.tolist()
        out = []
        for i in range(len(sun)):
            seen = visible[i]
            out.append(
                PassVisibility(
                    twilight_deg=self.twilight_deg,
                    sun_elevation_deg=sun[i],
                    sunlit=sunlit[i],
                    sunlit_at_culmination=lit_culm[i],
                    shadow_entry_utc=entry[i],
                    shadow_exit_utc=exit_[i],
                    visible_start=_point(vis_t[0][i], vis_p[0][i]) if seen else None,
                    visible_peak=_point(vis_t[1][i], vis_p[1][i]) if seen else None,
                    visible_end=_point(vis_t[2][i], vis_p[2][i]) if seen else None,
                    std_magnitude=std[i],
                    magnitude=mag[i],
                    brightest=_point(bright_t[i], bright_p[i]),
                    brightest_magnitude=bright_mag[i],
                )
            )
        return out

    @classmethod
    def from_records(
        cls, records: Sequence[PassVisibility], twilight_deg: float, window_start_utc: datetime
    ) -> VisibilityColumns:
        """Return the columns of visibility records (the inverse of `records`)."""
        sec = _seconds(window_start_utc)
        v = records
        return cls(
            twilight_deg=twilight_deg,
            sun_elevation_deg=np.array([r.sun_elevation_deg for r in v], dtype=float),
            sunlit=np.array([r.sunlit for r in v], dtype=bool),
            sunlit_at_culmination=np.array([r.sunlit_at_culmination for r in v], dtype=bool),
            shadow_entry_s=np.array([sec(r.shadow_entry_utc) for r in v], dtype=float),
            shadow_exit_s=np.array([sec(r.shadow_exit_utc) for r in v], dtype=float),
            visible=np.array([r.visible for r in v], dtype=bool),
            visible_s=np.array(
                [
                    [_point_s(sec, p) for p in (r.visible_start, r.visible_peak, r.visible_end)]
                    for r in v
                ],
                dtype=float,
            ).reshape(-1, 3),
            visible_points=np.array(
                [[_look(p) for p in (r.visible_start, r.visible_peak, r.visible_end)] for r in v],
                dtype=float,
            ).reshape(-1, 3, 3),
            std_magnitude=_nan_floats([r.std_magnitude for r in v]),
            magnitude=_nan_floats([r.magnitude for r in v]),
            brightest_s=np.array([_point_s(sec, r.brightest) for r in v], dtype=float),
            brightest_point=np.array([_look(r.brightest) for r in v], dtype=float).reshape(-1, 3),
            brightest_magnitude=_nan_floats([r.brightest_magnitude for r in v]),
        )


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
        return _datetime64(self.window_start_utc, seconds)

    def take(self, rows: NDArray[np.intp]) -> PassColumns:
        """Return the rows `rows` (an index array), in that order."""
        changes: dict[str, Any] = {
            name: getattr(self, name)[rows]
            for name in _array_fields(self)
            if name != "visibility" and getattr(self, name) is not None
        }
        if self.visibility is not None:
            changes["visibility"] = self.visibility.take(rows)
        return replace(self, **changes)

    def to_passes(self) -> list[Pass]:
        """Return one `Pass` record per row, in row order."""
        when = _datetimes(self.window_start_utc)
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
            else [_numbers(bearings[:, k]) for k in range(3)]
        )
        uncertainty = (
            [None] * len(self)
            if self.time_uncertainty_s is None
            else _numbers(self.time_uncertainty_s)
        )
        declination = (
            [None] * len(self)
            if self.declination_deg is None
            else _numbers(self.declination_deg[:, 1])
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
                _point(times[k][i], looks[k][i], rates[k][i], compass[k][i]) for k in range(3)
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
        sec = _seconds(window_start_utc)
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
            satellite=_objects([p.satellite for p in ps]),
            norad_id=np.array([p.norad_id for p in ps], dtype=np.int64),
            observer=_objects([p.observer for p in ps]),
            rise_s=np.array([_point_s(sec, p.rise) for p in ps], dtype=float),
            culmination_s=np.array([_point_s(sec, p.culmination) for p in ps], dtype=float),
            set_s=np.array([_point_s(sec, p.set) for p in ps], dtype=float),
            points=np.array(
                [[_look(q) for q in (p.rise, p.culmination, p.set)] for p in ps], dtype=float
            ).reshape(-1, 3, 3),
            range_rate_km_s=np.array(
                [[_rate(q) for q in (p.rise, p.culmination, p.set)] for p in ps], dtype=float
            ).reshape(-1, 3)
            if rated
            else None,
            visibility=visibility,
            time_uncertainty_s=_nan_floats([p.time_uncertainty_s for p in ps])
            if ps and any(p.time_uncertainty_s is not None for p in ps)
            else None,
            declination_deg=np.array(
                [[_declination(q) for q in (p.rise, p.culmination, p.set)] for p in ps],
                dtype=float,
            ).reshape(-1, 3)
            if ps and any(p.declination_deg is not None for p in ps)
            else None,
        )


def start_microseconds(columns: PassColumns) -> NDArray[np.int64]:
    """Return each pass's start (`Pass.start_utc`) as microseconds since the window start:
    the key passes are sorted by, to the records' own resolution."""
    return np.round(columns.start_s * 1e6).astype(np.int64)


def empty_visibility(twilight_deg: float) -> VisibilityColumns:
    """Return visibility columns of no pass."""
    none = np.empty(0)
    return VisibilityColumns(
        twilight_deg,
        none,
        np.empty(0, bool),
        np.empty(0, bool),
        none,
        none,
        np.empty(0, bool),
        np.empty((0, 3)),
        np.empty((0, 3, 3)),
        none,
        none,
        none,
        np.empty((0, 3)),
        none,
    )


def concatenate_columns(parts: Sequence[PassColumns]) -> PassColumns:
    """Join columns of the same window and options, rows part after part."""
    first = parts[0]
    if len(parts) == 1:
        return first
    changes: dict[str, Any] = {}
    for name in _array_fields(first):
        if name == "visibility":
            continue
        values = [getattr(p, name) for p in parts]
        changes[name] = None if any(v is None for v in values) else np.concatenate(values)
    if all(p.visibility is not None for p in parts):
        vis = [p.visibility for p in parts if p.visibility is not None]
        changes["visibility"] = replace(
            vis[0],
            **{
                name: np.concatenate([getattr(v, name) for v in vis])
                for name in _array_fields(vis[0])
            },
        )
    else:
        changes["visibility"] = None
    return replace(first, **changes)


class LazyPasses(Sequence[Pass]):
    """`Pass` records built from `PassColumns` the first time they are looked at.

    Behaves as the tuple of records (iteration, `len`, indexing, slicing to a tuple, equality
    with a tuple); pickles as its columns, so that a worker ships arrays, not records.
    """

    def __init__(self, columns: PassColumns) -> None:
        self.columns = columns
        self._records: tuple[Pass, ...] | None = None

    def records(self) -> tuple[Pass, ...]:
        if self._records is None:
            self._records = tuple(self.columns.to_passes())
        return self._records

    def __len__(self) -> int:
        return len(self.columns)

    @overload
    def __getitem__(self, index: int) -> Pass: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Pass, ...]: ...
    def __getitem__(self, index: int | slice) -> Pass | tuple[Pass, ...]:
        return self.records()[index]

    def __iter__(self) -> Iterator[Pass]:
        return iter(self.records())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyPasses | tuple | list):
            return self.records() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.records())

    def __repr__(self) -> str:
        return f"LazyPasses({len(self)} passes)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyPasses, (self.columns,))


def _array_fields(obj: Any) -> list[str]:
    return [f.name for f in fields(obj) if f.name not in _SCALARS]


_SCALARS = {"window_start_utc", "min_elevation_deg", "twilight_deg"}


def _objects(values: list[Any]) -> NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _datetime64(start: datetime, seconds: NDArray[np.float64]) -> NDArray[np.datetime64]:
    base = np.datetime64(start.replace(tzinfo=None) - (start.utcoffset() or timedelta()), "us")
    s = np.asarray(seconds, dtype=float)
    us = np.round(np.where(np.isnan(s), 0.0, s) * 1e6).astype(np.int64)
    out = base + us.astype("timedelta64[us]")
    out[np.isnan(s)] = np.datetime64("NaT")
    return out


def _datetimes(start: datetime) -> Any:
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


def _point(
    when: datetime | None,
    look: list[float],
    rate: float | None = None,
    azimuth_magnetic_deg: float | None = None,
) -> PassPoint | None:
    if when is None:
        return None
    return PassPoint(when, look[0], look[1], look[2], rate, azimuth_magnetic_deg)


def _numbers(values: NDArray[np.float64]) -> list[float | None]:
    return [v if np.isfinite(v) else None for v in values.tolist()]


def _nan_floats(values: list[float | None]) -> NDArray[np.float64]:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _seconds(start: datetime) -> Any:
    def convert(when: datetime | None) -> float:
        return np.nan if when is None else (when - start).total_seconds()

    return convert


def _point_s(sec: Any, point: PassPoint | None) -> float:
    return np.nan if point is None else sec(point.time_utc)


def _look(point: PassPoint | None) -> list[float]:
    if point is None:
        return [np.nan, np.nan, np.nan]
    return [point.azimuth_deg, point.elevation_deg, point.range_km]


def _declination(point: PassPoint | None) -> float:
    """The declination a point's compass bearing was made with, in [-180, 180)."""
    if point is None or point.azimuth_magnetic_deg is None:
        return np.nan
    return (point.azimuth_deg - point.azimuth_magnetic_deg + 180.0) % 360.0 - 180.0


def _rate(point: PassPoint | None) -> float:
    if point is None or point.range_rate_km_s is None:
        return np.nan
    return point.range_rate_km_s
