"""One prediction request, answered for every kind of orbit: the library's main entry point.

`predict()` classifies each satellite first and gives each class the right answer, never an
exception: passes for LEO/MEO, deep-space and inclined geosynchronous orbits; a look-angle
record for geostationary satellites, plus passes where one's daily wobble crosses the
threshold; a note for a satellite that can never rise above the threshold at an observer's
latitude, or whose elements SGP4 can no longer propagate (decayed).
It also judges how old the elements are for their orbit class (`passpredict.products.staleness`) and
hands the stale ones back as records (`Prediction.stale`), for the caller to word and group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NamedTuple

import numpy as np
from sgp4.api import SGP4_ERRORS, SatrecArray
from skyfield.timelib import Timescale

from passpredict.engine.arguments import check_search_arguments, described
from passpredict.engine.orbits import (
    OrbitClass,
    can_ever_rise,
    classify,
    rise_latitude_limits_deg,
)
from passpredict.engine.passes import PassTable, search_passes
from passpredict.engine.propagate import propagate_pairs
from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS
from passpredict.engine.time_axis import TimeBase
from passpredict.products.columns import (
    LazyPasses,
    PassColumns,
    concatenate_columns,
    start_microseconds,
)
from passpredict.products.geo.look import geostationary
from passpredict.products.horizon import mask_table, observer_mask
from passpredict.products.radio import observer_range_rates
from passpredict.products.staleness import (
    STALE_AFTER_DAYS,
    StaleElements,
    stale_elements,
    stale_report,
)
from passpredict.products.uncertainty import time_uncertainties_s
from passpredict.products.visibility import VisibilityOptions, visibility_columns
from passpredict.records import GeoLook, Observer, Pass
from passpredict.timeutil import require_aware
from tle_cache.elements import ElementSet


@dataclass(frozen=True)
class SatelliteReport:
    """What a prediction used for one satellite, and how far it can be trusted.

    `selected` says why this set was chosen among the satellite's sets (`ElementSet.selected`,
    e.g. "latest at or before the window start"); empty when the caller chose it.
    """

    name: str
    norad_id: int
    epoch_utc: datetime
    age_days: float
    orbit: OrbitClass
    source: str
    stale: bool
    note: str | None = None
    selected: str = ""

    @classmethod
    def of_fields(
        cls,
        name: str,
        norad_id: int,
        epoch_utc: datetime,
        age_days: float,
        orbit: OrbitClass,
        source: str,
        stale: bool,
        note: str | None,
        selected: str,
    ) -> SatelliteReport:
        """Return the report the constructor makes of these fields (every one given).

        The same instance (the same `__dict__`, in field order) without the frozen
        dataclass's nine `object.__setattr__` calls: 0.45 us instead of 1.3 us, once per set
        of a catalogue (`predict`; issue 11), as `ElementSet.from_parsed_tle` does.
        """
        report = object.__new__(cls)
        report.__dict__.update(
            name=name,
            norad_id=norad_id,
            epoch_utc=epoch_utc,
            age_days=age_days,
            orbit=orbit,
            source=source,
            stale=stale,
            note=note,
            selected=selected,
        )
        return report


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Note(NamedTuple):
    """Why a satellite has no passes for an observer (never rises there, decayed)."""

    satellite: str
    norad_id: int
    observer: str | None
    reason: str


@dataclass(frozen=True)
class Prediction:
    """Everything one request produced; `passes` are sorted by start time.

    `stale` lists the element sets too old for the window (`passpredict.products.staleness`);
    `warnings` holds any other warning, as text. `SatelliteReport.age_days` is the age at the
    window start; a set is judged stale on its furthest predicted time.
    `passes` include those of geostationary satellites that cross the threshold; `table` holds
    the pass search's own passes (every other orbit) as arrays, in its own order.
    `columns` gives `passes` as arrays, row for row (`passpredict.products.columns`); `predict`
    hands the passes out as `LazyPasses`, whose `Pass` records are built on first look only.
    """

    start_utc: datetime
    end_utc: datetime
    min_elevation_deg: float
    observers: tuple[Observer, ...]
    satellites: tuple[SatelliteReport, ...]
    passes: Sequence[Pass]
    geostationary: tuple[GeoLook, ...]
    notes: tuple[Note, ...]
    warnings: tuple[str, ...]
    table: PassTable | None = None
    #: The twilight (Sun altitude, deg) visibility was judged with; None: not asked for.
    twilight_deg: float | None = None
    stale: tuple[StaleElements, ...] = ()

    @property
    def columns(self) -> PassColumns:
        """The passes as arrays, row for row (`passpredict.products.columns`), without building
        records when the prediction holds them as columns."""
        if isinstance(self.passes, LazyPasses):
            return self.passes.columns
        return PassColumns.from_passes(
            self.passes, self.start_utc, self.min_elevation_deg, self.twilight_deg
        )

    def visible_only(self) -> Prediction:
        """Return the prediction keeping only the passes with a visible part.

        Needs visibility (`predict(..., visibility=...)`); the engine's `table` is dropped,
        since its rows no longer match the passes.
        """
        if self.twilight_deg is None:
            raise ValueError("visibility was not computed; call predict(..., visibility=...)")
        if isinstance(self.passes, LazyPasses):
            columns = self.passes.columns
            if columns.visibility is not None:
                rows = np.flatnonzero(columns.visibility.visible)
                return replace(self, passes=LazyPasses(columns.take(rows)), table=None)
        kept = tuple(p for p in self.passes if p.visibility is not None and p.visibility.visible)
        return replace(self, passes=kept, table=None)

    def first(self, count: int) -> Prediction:
        """Return the prediction keeping its first `count` passes (in start order): "the next
        N passes".

        The element sets' ages are judged again over the time those passes span, from the
        window start to the last set among them (the window end for one still in progress),
        not over the whole window searched to find them: the next three passes of a day-old
        set are not stale because the search looked 30 days ahead. A geostationary
        satellite keeps the window's judgement (its look covers the whole window). When no
        pass is cut the window stands; the engine's `table` is dropped either way.
        """
        if count < 1:
            raise ValueError(f"count must be at least 1 (the passes to keep), got {count}")
        if len(self.passes) <= count:
            return replace(self, table=None)
        kept: Sequence[Pass]
        if isinstance(self.passes, LazyPasses):  # cut as columns: no record of the rest made
            shown = self.passes.columns.take(np.arange(count))
            kept, set_s = LazyPasses(shown), shown.set_s
            window_s = (self.end_utc - self.start_utc).total_seconds()
            shown_end = self.start_utc + timedelta(
                seconds=float(np.where(np.isnan(set_s), window_s, set_s).max())
            )
        else:
            kept = tuple(self.passes[:count])
            shown_end = max(p.set.time_utc if p.set is not None else self.end_utc for p in kept)
        judged = {  # every satellite whose age is judged by the passes it could have
            r.norad_id: stale_report(
                r.name,
                r.norad_id,
                r.orbit,
                r.epoch_utc,
                (r.age_days, (shown_end - r.epoch_utc).total_seconds() / 86400.0),
            )
            for r in self.satellites
            if r.orbit in STALE_AFTER_DAYS and r.orbit is not OrbitClass.GEOSTATIONARY
        }
        before = {s.norad_id: s for s in self.stale}
        stale = (
            judged[r.norad_id] if r.norad_id in judged else before.get(r.norad_id)
            for r in self.satellites
        )
        satellites = tuple(
            replace(r, stale=judged[r.norad_id] is not None) if r.norad_id in judged else r
            for r in self.satellites
        )
        return replace(
            self,
            passes=kept,
            table=None,
            stale=tuple(s for s in stale if s is not None),
            satellites=satellites,
        )

    def complete_only(self) -> Prediction:
        """Return the prediction keeping only the passes with both a rise and a set in the
        window (not in progress at either end): what a calendar can hold, so that the next N
        passes of a calendar are N events. The engine's `table` is dropped, as above."""
        if isinstance(self.passes, LazyPasses):
            columns = self.passes.columns
            rows = np.flatnonzero(columns.complete())
            return replace(self, passes=LazyPasses(columns.take(rows)), table=None)
        kept = tuple(p for p in self.passes if p.rise is not None and p.set is not None)
        return replace(self, passes=kept, table=None)


def predict(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    start_utc: datetime,
    end_utc: datetime,
    min_elevation_deg: float = 10.0,
    *,
    timescale: Timescale,
    visibility: VisibilityOptions | None = None,
    radio: bool = False,
) -> Prediction:
    """Predict passes and geostationary look angles for every satellite and observer.

    Optional steps enrich the passes: `visibility` (the Sun, the twilight and standard
    magnitudes) fills each pass's `visibility` (`passpredict.products.visibility`), and `radio` the
    range rate of its rise, culmination and set points (`passpredict.products.radio`).
    """
    if not isinstance(observers, Observer):  # one bare Observer: the check below says so
        observers = list(observers)
    check_search_arguments(element_sets, observers, min_elevation_deg, timescale)
    if visibility is not None and not isinstance(visibility, VisibilityOptions):
        raise TypeError(
            f"visibility must be VisibilityOptions or None, got {described(visibility)[:80]}; "
            "give e.g. passpredict.visibility.VisibilityOptions(astronomy)"
        )
    start_utc = require_aware(start_utc, "start")
    end_utc = require_aware(end_utc, "end")
    if end_utc <= start_utc:
        raise ValueError(
            f"the window must end after it starts: start {start_utc.isoformat()}, "
            f"end {end_utc.isoformat()}"
        )
    if not -90.0 <= min_elevation_deg < 90.0:
        raise ValueError(f"min_elevation_deg must be between -90 and 90, got {min_elevation_deg!r}")
    if not observers:
        raise ValueError("at least one observer is needed")
    observers = list(observers)
    timebase = TimeBase.create(start_utc, end_utc, timescale)
    duration_s = (end_utc - start_utc).total_seconds()

    reports: list[SatelliteReport] = []
    notes: list[Note] = []
    warnings: list[str] = []
    stale_reports: list[StaleElements] = []
    searchable: list[ElementSet] = []
    stationary: list[ElementSet] = []
    searchable_orbits: list[OrbitClass] = []
    decays = decay_reasons(element_sets, timebase)
    may_not_rise = _may_not_rise(element_sets, observers, min_elevation_deg)
    report = SatelliteReport.of_fields  # per set of a catalogue: 15,347 times, kept cheap
    for k, (es, decay) in enumerate(zip(element_sets, decays, strict=True)):
        orbit = classify(es)
        age_start = es.age_days(start_utc)
        age_end = es.age_days(end_utc)
        age_far = max(abs(age_start), abs(age_end))
        stale = stale_elements(es, start_utc, end_utc, orbit, (age_start, age_end))
        note = None
        if decay:
            orbit = OrbitClass.DECAYED
            notes.append(Note(es.name, es.norad_id, None, decay))
            note = decay
        elif orbit is OrbitClass.GEOSTATIONARY:
            stationary.append(es)
            if age_far > HOLD_HORIZON_DAYS:
                note = (
                    f"held at its station: the window lies more than {HOLD_HORIZON_DAYS:g} days "
                    "from the epoch, where the orbit model's drift would exceed the real "
                    "satellite's station keeping"
                )
        else:
            searchable.append(es)
            searchable_orbits.append(orbit)
            for observer in observers if may_not_rise[k] else ():
                if not can_ever_rise(es, observer.latitude_deg, min_elevation_deg):
                    notes.append(
                        Note(
                            es.name,
                            es.norad_id,
                            observer.name,
                            f"never rises above {min_elevation_deg:g} deg at latitude "
                            f"{observer.latitude_deg:g} deg (inclination "
                            f"{es.inclination_deg:g} deg)",
                        )
                    )
        if stale is not None and not decay:
            stale_reports.append(stale)
        reports.append(
            report(
                es.name,
                es.norad_id,
                es.epoch_utc,
                age_start,
                orbit,
                es.source,
                stale is not None,
                note,
                es.selected,
            )
        )

    table = search_passes(searchable, observers, timebase, duration_s, min_elevation_deg)
    satrecs = [es.satrec() for es in searchable]
    masks = [observer_mask(o) for o in observers]  # horizon masks: rise/set above them
    table = mask_table(
        table,
        lambda sat, t: propagate_pairs(satrecs, sat, timebase, t)[0],
        observers,
        masks,
        min_elevation_deg,
        duration_s,
    )

    def sgp4_states(sat: np.ndarray, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, v, _ = propagate_pairs(satrecs, sat, timebase, seconds)
        return r, v

    # geostationary satellites: a look record each, and passes where they cross the threshold
    geo = geostationary(stationary, observers, timebase, duration_s, min_elevation_deg, timescale)
    if any(m is not None for m in masks):
        geo = geo._replace(  # a NamedTuple
            table=mask_table(
                geo.table, geo.positions_km, observers, masks, min_elevation_deg, duration_s
            ),
        )
    columns = _table_columns(
        table, searchable, searchable_orbits, observers, start_utc, min_elevation_deg
    )
    geo_columns = _table_columns(
        geo.table,
        stationary,
        [OrbitClass.GEOSTATIONARY] * len(stationary),
        observers,
        start_utc,
        min_elevation_deg,
    )
    if radio:
        columns = replace(columns, range_rate_km_s=_range_rates(table, observers, sgp4_states))
        geo_columns = replace(
            geo_columns, range_rate_km_s=_range_rates(geo.table, observers, geo.states_km)
        )
    if visibility is not None:
        columns = replace(
            columns,
            visibility=visibility_columns(
                table, searchable, observers, timebase, duration_s, visibility
            ),
        )
        geo_columns = replace(
            geo_columns,
            visibility=visibility_columns(
                geo.table,
                stationary,
                observers,
                timebase,
                duration_s,
                visibility,
                geo.positions_km,
            ),
        )
    if len(geo_columns):  # sorted by start, as the search's own (a stable sort keeps their order)
        columns = concatenate_columns([columns, geo_columns])
        columns = columns.take(np.argsort(start_microseconds(columns), kind="stable"))
    passes = LazyPasses(columns)
    return Prediction(
        start_utc=start_utc,
        end_utc=end_utc,
        min_elevation_deg=min_elevation_deg,
        observers=tuple(observers),
        satellites=tuple(reports),
        passes=passes,
        geostationary=geo.looks,
        notes=tuple(notes),
        warnings=tuple(warnings),
        table=table,
        twilight_deg=None if visibility is None else visibility.twilight_deg,
        stale=tuple(stale_reports),
    )


def _may_not_rise(
    element_sets: Sequence[ElementSet], observers: Sequence[Observer], min_elevation_deg: float
) -> list[bool]:
    """Tell, per set, whether `can_ever_rise` could be False for one of the observers.

    One array expression for the whole catalogue instead of a call per set and observer; a
    set within a micro-degree of its limit counts as doubtful, and the caller decides the
    doubtful ones with `can_ever_rise` itself, so the notes are exactly its answers.
    """
    if not element_sets:
        return []
    farthest_deg = max(abs(o.latitude_deg) for o in observers)
    limits = rise_latitude_limits_deg(element_sets, min_elevation_deg)
    doubtful: list[bool] = (limits < farthest_deg + 1e-6).tolist()
    return doubtful


def _table_columns(
    table: PassTable,
    element_sets: Sequence[ElementSet],
    orbits: Sequence[OrbitClass],
    observers: Sequence[Observer],
    start_utc: datetime,
    min_elevation_deg: float,
) -> PassColumns:
    """Return the engine's passes as columns (no range rates, no visibility yet), each with
    the error bar of its times from the age of its set at culmination
    (`passpredict.products.uncertainty`)."""
    names = np.empty(len(element_sets) + 1, dtype=object)
    names[:-1] = [es.name for es in element_sets]
    norad = np.array([es.norad_id for es in element_sets] + [0], dtype=np.int64)
    observer_names = np.empty(len(observers), dtype=object)
    observer_names[:] = [o.name for o in observers]
    return PassColumns(
        window_start_utc=start_utc,
        min_elevation_deg=min_elevation_deg,
        satellite=names[table.satellite_index],
        norad_id=norad[table.satellite_index],
        observer=observer_names[table.observer_index],
        rise_s=np.asarray(table.rise_s, dtype=float),
        culmination_s=np.asarray(table.culmination_s, dtype=float),
        set_s=np.asarray(table.set_s, dtype=float),
        points=np.asarray(table.points, dtype=float).reshape(-1, 3, 3),
        time_uncertainty_s=_time_uncertainties(table, element_sets, orbits, start_utc),
    )


def _time_uncertainties(
    table: PassTable,
    element_sets: Sequence[ElementSet],
    orbits: Sequence[OrbitClass],
    start_utc: datetime,
) -> np.ndarray:
    lead_s = np.array([(start_utc - es.epoch_utc).total_seconds() for es in element_sets])
    index = np.asarray(table.satellite_index, dtype=np.intp)
    if not len(element_sets):
        return np.full(index.shape, np.nan)
    ages_days = (lead_s[index] + np.asarray(table.culmination_s, dtype=float)) / 86400.0
    return time_uncertainties_s(element_sets, index, ages_days, orbits=orbits)


def _range_rates(
    table: PassTable,
    observers: Sequence[Observer],
    states: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> np.ndarray:
    """Return the range rate (km/s) at rise, culmination and set of every pass, (n, 3).

    `states(satellite_index, seconds)` gives Earth-fixed positions and velocities (n, 3).
    NaN where the event lies outside the window.
    """
    times = np.stack([table.rise_s, table.culmination_s, table.set_s], axis=1).ravel()
    sat = np.repeat(table.satellite_index, 3)
    known = ~np.isnan(times)
    rates = np.full(times.size, np.nan)
    if known.any():
        r, v = states(sat[known], times[known])
        obs = np.repeat(table.observer_index, 3)[known]
        rates[known] = observer_range_rates(r, v, observers, obs)
    return rates.reshape(-1, 3)


def decay_reasons(element_sets: Sequence[ElementSet], timebase: TimeBase) -> list[str | None]:
    """Return, per set, why SGP4 cannot propagate it at the window start, or None if it can.

    One `SatrecArray` call for all the sets (was one propagation per set: 1.1 s for 15,347);
    the error text comes from each failing set's own call, as before.
    """
    if not element_sets:
        return []
    whole, fraction = timebase.jd_utc(np.zeros(1))
    codes, r, _ = SatrecArray([es.satrec() for es in element_sets]).sgp4(whole, fraction)
    # TEME r is finite exactly where the Earth-fixed one is (a rotation by a finite GMST)
    usable = (codes[:, 0] == 0) & np.isfinite(r[:, 0, :]).all(axis=1)
    reasons: list[str | None] = [None] * len(element_sets)
    for k in np.flatnonzero(~usable).tolist():
        code, _, _ = element_sets[k].satrec().sgp4(float(whole[0]), float(fraction[0]))
        # SGP4 returns NaN with error code 0 for NaN or infinite elements: unusable all the same.
        no_position = "SGP4 gives no finite position (error code 0): a NaN or infinite element"
        reason = SGP4_ERRORS.get(code, f"SGP4 error {code}") if code else no_position
        reasons[k] = f"decayed or unusable elements at the window start: {reason}"
    return reasons
