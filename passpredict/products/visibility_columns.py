"""The visibility of a prediction's passes as arrays: `VisibilityColumns` (the schema is in
`passpredict.products.columns`), built from and turned into `PassVisibility` records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from passpredict.products.column_values import (
    array_fields,
    datetimes_since,
    look_of,
    nan_floats,
    numbers,
    pass_point,
    point_s,
    seconds_since,
)
from passpredict.records import PassVisibility


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
        return replace(self, **{name: getattr(self, name)[rows] for name in array_fields(self)})

    def records(self, window_start_utc: datetime) -> list[PassVisibility]:
        """Return one `PassVisibility` record per row."""
        when = datetimes_since(window_start_utc)
        entry = when(self.shadow_entry_s)
        exit_ = when(self.shadow_exit_s)
        vis_t = [when(self.visible_s[:, k]) for k in range(3)]
        vis_p = [self.visible_points[:, k].tolist() for k in range(3)]
        bright_t = when(self.brightest_s)
        bright_p = self.brightest_point.tolist()
        std = numbers(self.std_magnitude)
        mag = numbers(self.magnitude)
        bright_mag = numbers(self.brightest_magnitude)
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
                    visible_start=pass_point(vis_t[0][i], vis_p[0][i]) if seen else None,
                    visible_peak=pass_point(vis_t[1][i], vis_p[1][i]) if seen else None,
                    visible_end=pass_point(vis_t[2][i], vis_p[2][i]) if seen else None,
                    std_magnitude=std[i],
                    magnitude=mag[i],
                    brightest=pass_point(bright_t[i], bright_p[i]),
                    brightest_magnitude=bright_mag[i],
                )
            )
        return out

    @classmethod
    def from_records(
        cls, records: Sequence[PassVisibility], twilight_deg: float, window_start_utc: datetime
    ) -> VisibilityColumns:
        """Return the columns of visibility records (the inverse of `records`)."""
        sec = seconds_since(window_start_utc)
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
                    [point_s(sec, p) for p in (r.visible_start, r.visible_peak, r.visible_end)]
                    for r in v
                ],
                dtype=float,
            ).reshape(-1, 3),
            visible_points=np.array(
                [[look_of(p) for p in (r.visible_start, r.visible_peak, r.visible_end)] for r in v],
                dtype=float,
            ).reshape(-1, 3, 3),
            std_magnitude=nan_floats([r.std_magnitude for r in v]),
            magnitude=nan_floats([r.magnitude for r in v]),
            brightest_s=np.array([point_s(sec, r.brightest) for r in v], dtype=float),
            brightest_point=np.array([look_of(r.brightest) for r in v], dtype=float).reshape(-1, 3),
            brightest_magnitude=nan_floats([r.brightest_magnitude for r in v]),
        )


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
