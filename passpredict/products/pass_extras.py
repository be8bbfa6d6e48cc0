"""What a pass carries beyond its geometry: an error bar on its times, and compass bearings.

The pass search (`passpredict.products.predict`) gives the geometry of each pass; this module adds,
as columns of `passpredict.products.columns.PassColumns` (one array per field, no record per pass):

- `time_uncertainty_s`: how far off the pass times may be, from the age of the element set
  at the pass (at culmination, as the calibration measured it) and its orbit class and drag
  level (`passpredict.products.uncertainty`, the 90th percentile); NaN where the calibration says
  nothing (geostationary, deep space, sets older than it covers).
- `declination_deg`: the magnetic declination (World Magnetic Model,
  `passpredict.products.magnetic`) at each pass's rise, culmination and set, from which the
  compass bearings follow (`PassColumns.azimuth_magnetic_deg`); NaN outside the model.

`predict` adds the time uncertainty to every prediction itself; `with_time_uncertainty` is
for predictions built otherwise. `with_declinations` is asked for (`--magnetic`). Both return
a new `Prediction` whose passes are those columns (`LazyPasses`); a chunked run applies them
chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from passpredict.products.columns import LazyPasses, PassColumns
from passpredict.products.magnetic import window_declinations_deg
from passpredict.products.uncertainty import time_uncertainties_s
from passpredict.records import Observer
from tle_cache.elements import ElementSet

if TYPE_CHECKING:  # predict uses this module: no import at run time
    from passpredict.products.predict import Prediction

#: Declinations (deg) of one observer at `seconds` after a start, or None for none at all.
Declinations = Callable[[Observer, datetime, NDArray[np.float64]], NDArray[np.float64] | None]


def pass_ages_days(columns: PassColumns, element_sets: Sequence[ElementSet]) -> NDArray[np.float64]:
    """Return each pass's element-set age (days) at its culmination; NaN for a satellite not
    in `element_sets` (the last set of a NORAD number stands for it)."""
    epochs = {es.norad_id: es.epoch_utc for es in element_sets}
    start = columns.window_start_utc
    ids = columns.norad_id
    lead_s = np.full(len(columns), np.nan)
    for norad_id, epoch in epochs.items():
        lead_s[ids == norad_id] = (start - epoch).total_seconds()
    return (lead_s + columns.culmination_s) / 86400.0


def time_uncertainty_column(
    columns: PassColumns, element_sets: Sequence[ElementSet]
) -> NDArray[np.float64]:
    """Return `time_uncertainty_s` of every pass (s, NaN where there is no number)."""
    sets = list({es.norad_id: es for es in element_sets}.values())
    index_of = {es.norad_id: i for i, es in enumerate(sets)}
    known = np.array([n in index_of for n in columns.norad_id.tolist()], dtype=bool)
    index = np.array([index_of.get(n, 0) for n in columns.norad_id.tolist()], dtype=np.intp)
    ages = pass_ages_days(columns, sets)
    out = time_uncertainties_s(sets, index, np.where(known, ages, np.nan)) if sets else ages
    return np.where(known, out, np.nan)


def with_time_uncertainty(prediction: Prediction, element_sets: Sequence[ElementSet]) -> Prediction:
    """Return `prediction` with each pass's `time_uncertainty_s` (see the module docstring).

    `element_sets` are the sets the prediction was made from."""
    columns = prediction.columns
    column = time_uncertainty_column(columns, element_sets)
    return _with_columns(prediction, replace(columns, time_uncertainty_s=column))


def declination_column(
    columns: PassColumns, observers: Sequence[Observer], declinations: Declinations | None = None
) -> NDArray[np.float64]:
    """Return the declination (deg) at every pass's [rise, culmination, set], shape (n, 3).

    `declinations` gives one observer's declinations at many times (None: that observer gets
    none); by default `passpredict.products.magnetic.window_declinations_deg` for every observer.
    NaN where a point is absent, an observer gets none, or the model gives none.
    """
    out = np.full((len(columns), 3), np.nan)
    times = np.stack([columns.rise_s, columns.culmination_s, columns.set_s], axis=1)
    start = columns.window_start_utc
    for observer in observers:
        rows = columns.observer == observer.name
        if not rows.any():
            continue
        seconds = times[rows]
        values: NDArray[np.float64] | None
        if declinations is None:
            values = window_declinations_deg(
                observer.latitude_deg,
                observer.longitude_deg,
                observer.elevation_m,
                start,
                seconds,
            )
        else:
            values = declinations(observer, start, seconds)
        if values is not None:
            out[rows] = np.where(np.isnan(seconds), np.nan, values)
    return out


def with_declinations(
    prediction: Prediction, declinations: Declinations | None = None
) -> Prediction:
    """Return `prediction` with the magnetic declination at each pass point, so that its
    passes carry compass bearings (`azimuth_magnetic_deg`; see `declination_column`)."""
    columns = prediction.columns
    column = declination_column(columns, prediction.observers, declinations)
    return _with_columns(prediction, replace(columns, declination_deg=column))


def _with_columns(prediction: Prediction, columns: PassColumns) -> Prediction:
    return replace(prediction, passes=LazyPasses(columns))
