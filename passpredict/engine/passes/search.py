"""The pass search's entry points: `find_passes` (records) and `search_passes` (arrays).

Satellites are grouped by scan step (`passpredict.engine.passes.scan.coarse_step_s`), and each
group runs the four steps over every observer at once: scan, bracket, refine, assemble.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.engine.arguments import check_search_arguments
from passpredict.engine.frames import observer_ecef_km, observer_enu_basis
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.passes.assemble import assemble
from passpredict.engine.passes.bracket import bracket
from passpredict.engine.passes.elevation import Track
from passpredict.engine.passes.refine import refine
from passpredict.engine.passes.scan import coarse_step_s, scan
from passpredict.engine.passes.table import (
    PassTable,
    concatenate_tables,
    pass_records,
    sort_table,
)
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer, Pass
from tle_cache.elements import ElementSet


def find_passes(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    start_utc: datetime,
    end_utc: datetime,
    min_elevation_deg: float = 10.0,
    timescale: Timescale | None = None,
) -> list[Pass]:
    """Return every pass of the satellites over the observers in [start_utc, end_utc].

    Sorted by start time (rise, or the window start for a pass already in progress).
    Geostationary satellites are skipped (`passpredict.products.predict` gives them look records,
    and
    passes where they wobble across the threshold: `passpredict.products.geo.look`), and so are
    pairs
    where the satellite can never reach `min_elevation_deg`. An observer with a horizon mask
    is refused: the search knows only `min_elevation_deg`, and
    `passpredict.products.predict.predict` is what cuts passes at the mask
    (`passpredict.products.horizon`).
    """
    if timescale is None:
        from passpredict.engine.ephemeris import load_timescale

        timescale = load_timescale()
    if not isinstance(observers, Observer):  # one bare Observer: the check below says so
        observers = list(observers)  # read more than once: a generator would then be empty
    check_search_arguments(element_sets, observers, min_elevation_deg, timescale)
    masked = [o.name for o in observers if o.horizon is not None]
    if masked:
        raise ValueError(
            f"find_passes would ignore the horizon mask of {', '.join(masked)} (it searches "
            "above min_elevation_deg only); use passpredict.predict.predict, which cuts passes "
            "at the mask, or dataclasses.replace(observer, horizon=None) for a flat horizon"
        )
    timebase = TimeBase.create(start_utc, end_utc, timescale)
    duration_s = (end_utc - start_utc).total_seconds()
    searchable = [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]
    table = search_passes(searchable, observers, timebase, duration_s, min_elevation_deg)
    return pass_records(table, searchable, observers, timebase, min_elevation_deg)


def search_passes(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
) -> PassTable:
    """Search passes of many satellites over many observers; the vectorised core."""
    if duration_s <= 0:
        raise ValueError(f"the window must end after it starts, got {duration_s:g} s long")
    if not -90.0 <= min_elevation_deg < 90.0:
        raise ValueError(f"min_elevation_deg must be between -90 and 90, got {min_elevation_deg!r}")
    observers = list(observers)
    parts: list[PassTable] = []
    groups: dict[float, list[int]] = {}
    for index, es in enumerate(element_sets):
        groups.setdefault(coarse_step_s(es), []).append(index)
    if len(groups) == 1:  # one step: the group is every satellite, in order
        ((step_s, _),) = groups.items()
        table = _search_group(
            list(element_sets), observers, timebase, duration_s, min_elevation_deg, step_s
        )
        if len(element_sets) == 1 and len(observers) == 1:
            # One pair: `assemble` gives its passes in time order, which is the table's.
            return table
        return sort_table(table)
    for step_s, indices in sorted(groups.items()):
        table = _search_group(
            [element_sets[i] for i in indices],
            observers,
            timebase,
            duration_s,
            min_elevation_deg,
            step_s,
        )
        parts.append(
            PassTable(
                np.asarray(indices, dtype=np.intp)[table.satellite_index],
                table.observer_index,
                table.rise_s,
                table.culmination_s,
                table.set_s,
                table.points,
            )
        )
    return sort_table(concatenate_tables(parts))


def _search_group(
    element_sets: list[ElementSet],
    observers: list[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
    step_s: float,
) -> PassTable:
    """Search one group of satellites that share a scan step."""
    satrecs = [es.satrec() for es in element_sets]
    obs_ecef, enu, obs_cm, up = _observer_geometry(observers)
    track = Track(satrecs, obs_cm, up, timebase)
    grid = scan(element_sets, observers, track, obs_ecef, duration_s, step_s, min_elevation_deg)
    brackets = bracket(element_sets, grid, obs_cm, min_elevation_deg)
    extrema, crossings = refine(track, grid, brackets)
    return assemble(grid, extrema, crossings, track, obs_ecef, enu, duration_s)


#: Observer geometry already computed: (latitude, longitude, elevation) of each -> arrays.
_GEOMETRY: dict[tuple[tuple[float, float, float], ...], tuple[NDArray[np.float64], ...]] = {}
_GEOMETRY_KEPT = 256


def _observer_geometry(observers: list[Observer]) -> tuple[NDArray[np.float64], ...]:
    """Return the observers' Earth-fixed positions (n_obs, 3), east-north-up bases
    (n_obs, 3, 3), and positions and up vectors component first (3, n_obs), read-only.

    Kept per set of places: a batch asks for the same observers in every chunk, and for one
    pair these few small array operations are a noticeable share of the search.
    """
    key = tuple((o.latitude_deg, o.longitude_deg, o.elevation_m) for o in observers)
    geometry = _GEOMETRY.get(key)
    if geometry is None:
        obs_ecef = observer_ecef_km(observers)
        enu = observer_enu_basis(observers)
        obs_cm = np.ascontiguousarray(obs_ecef.T)  # (3, n_obs), component first
        up = np.ascontiguousarray(enu[:, 2, :].T)
        geometry = (obs_ecef, enu, obs_cm, up)
        for array in geometry:
            array.flags.writeable = False
        if len(_GEOMETRY) >= _GEOMETRY_KEPT:
            _GEOMETRY.clear()
        _GEOMETRY[key] = geometry
    return geometry
