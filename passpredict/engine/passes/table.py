"""The pass search's native output: passes as parallel arrays (`PassTable`), and records.

`concatenate_tables` and `sort_table` join and order tables (of step groups, or of chunks in
`passpredict.runs.batch`); `pass_records` turns a table into `Pass` records at the edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer, Pass, PassPoint
from tle_cache.elements import ElementSet


@dataclass(frozen=True)
class PassTable:
    """Passes as parallel arrays, one entry per pass (the engine's native output).

    Times are seconds since the window start; `rise_s` / `set_s` are NaN for a pass in
    progress at the window start / end. `points` has shape (n, 3, 3): for rise, culmination
    and set, the azimuth (deg), elevation (deg) and range (km) (NaN where the time is NaN).
    Indices refer to the satellite and observer sequences given to `search_passes`.
    """

    satellite_index: NDArray[np.intp]
    observer_index: NDArray[np.intp]
    rise_s: NDArray[np.float64]
    culmination_s: NDArray[np.float64]
    set_s: NDArray[np.float64]
    points: NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.satellite_index.size)


def concatenate_tables(parts: Sequence[PassTable]) -> PassTable:
    """Join tables row after row (no reordering)."""
    if not parts:
        empty = np.empty(0)
        return PassTable(
            np.empty(0, np.intp), np.empty(0, np.intp), empty, empty, empty, np.empty((0, 3, 3))
        )
    return PassTable(
        *(
            np.concatenate([getattr(p, name) for p in parts])
            for name in PassTable.__dataclass_fields__
        )
    )


def sort_table(table: PassTable) -> PassTable:
    """Order passes by start (rise, or the window start), then satellite, then observer."""
    start = np.where(np.isnan(table.rise_s), 0.0, table.rise_s)
    order = _lexsorted(start, table.satellite_index, table.observer_index)
    return PassTable(*(getattr(table, name)[order] for name in PassTable.__dataclass_fields__))


#: `_lexsorted` sorts up to this many rows by lexsort itself.
_FEW_TO_SORT = 64


def _lexsorted(
    start: NDArray[np.float64], satellite: NDArray[np.intp], observer: NDArray[np.intp]
) -> NDArray[np.intp]:
    """Return `np.lexsort((observer, satellite, start))`, by numpy's quicksort on `start`
    (SIMD: a tenth of lexsort's time on 37,000 passes), then lexsort on the rows whose
    start another row shares (the passes in progress at the window start, mostly), each
    run of equal starts in its own place: the same order, bit for bit. A few rows
    (`_FEW_TO_SORT`) go to lexsort straight away: the checks would cost more."""
    if start.size <= _FEW_TO_SORT:
        few: NDArray[np.intp] = np.lexsort((observer, satellite, start))
        return few
    order: NDArray[np.intp] = start.argsort()
    ordered = start[order]
    if np.isnan(ordered[-1]):  # (NaN sorts last; none here, but lexsort's order is kept)
        return np.lexsort((observer, satellite, start))
    tie = ordered[1:] == ordered[:-1]
    if not np.count_nonzero(tie):
        return order
    run = np.zeros(order.size, np.intp)
    run[1:] = np.cumsum(~tie)  # the run of equal starts of every sorted place
    tied = np.zeros(order.size, bool)
    tied[1:] = tie
    tied[:-1] |= tie
    places = tied.nonzero()[0]
    rows = order[places]
    order[places] = rows[np.lexsort((rows, observer[rows], satellite[rows], run[places]))]
    return order


def pass_records(
    table: PassTable,
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    min_elevation_deg: float,
) -> list[Pass]:
    """Turn the engine's arrays into `Pass` records with aware UTC datetimes."""

    def point(seconds: float, row: NDArray[np.float64]) -> PassPoint:
        return PassPoint(
            time_utc=timebase.to_datetime(seconds),
            azimuth_deg=float(row[0]),
            elevation_deg=float(row[1]),
            range_km=float(row[2]),
        )

    def optional_point(seconds: float, row: NDArray[np.float64]) -> PassPoint | None:
        return None if np.isnan(seconds) else point(seconds, row)

    records = []
    for i in range(len(table)):
        es = element_sets[table.satellite_index[i]]
        records.append(
            Pass(
                satellite=es.name,
                norad_id=es.norad_id,
                observer=observers[table.observer_index[i]].name,
                min_elevation_deg=min_elevation_deg,
                rise=optional_point(table.rise_s[i], table.points[i, 0]),
                culmination=point(table.culmination_s[i], table.points[i, 1]),
                set=optional_point(table.set_s[i], table.points[i, 2]),
                window_start_utc=timebase.start_utc,
            )
        )
    return records
