"""The JSON objects of the geostationary commands, shared by `passpredict geo` and the web API.

`passpredict geo`, `sun-outages` and `eclipses` print these with `--format json` (and the
outages as CSV rows); `passpredict serve` answers its GEO requests with the very same objects,
so the two front ends cannot drift apart. Times are ISO 8601 UTC with `Z`, keys carry units.

A season's `cut_by_window_start` / `cut_by_window_end` (in CSV rows `season_cut_by_window_start`
/ `season_cut_by_window_end`) say that the window may have cut it: its first (last) event lies
within a day of the window's start (end), so the day before (after) may hold one the search
never saw, and its `days`, first or last day and `longest` are only those inside the window.
Both false: the whole season. The table marks a season cut by the start "(within the
window)", as it does every season of an explicit --days/--end window.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from passpredict.engine.orbits import classify
from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS
from passpredict.output.textarrays import rounded
from passpredict.products.geo.eclipses import Eclipse, EclipseSeason
from passpredict.products.geo.pointing import GeoPointing
from passpredict.products.geo.sun_outages import (
    OutageSeason,
    OutageThreshold,
    SunOutage,
    season_name,
)
from passpredict.records import Observer
from passpredict.timeutil import format_utc
from tle_cache.elements import ElementSet

OUTAGE_FIELDS = (
    "satellite",
    "norad_id",
    "observer",
    "start",
    "peak",
    "end",
    "duration_s",
    "min_separation_deg",
    "threshold_deg",
    "azimuth_deg",
    "elevation_deg",
    "station_kept",
)

ECLIPSE_FIELDS = (
    "satellite",
    "norad_id",
    "penumbra_entry",
    "umbra_entry",
    "umbra_exit",
    "penumbra_exit",
    "duration_s",
    "umbra_duration_s",
    "station_kept",
)


#: A geostationary satellite's outages and eclipses recur once a day (a solar day, give or take
#: minutes); one that begins later than this after the window start had no predecessor inside
#: the day before it, so its season is not cut by the start (and the same at the end).
_DAILY_RECURRENCE = timedelta(days=1, hours=1)


def cut_by_start(first_start_utc: datetime, window_start_utc: datetime) -> bool:
    """Whether a season's first event may not be the season's first: it begins within a day of
    the window start, so the day before it fell before the window (or it is in progress).

    A default window ("the next two seasons") that starts mid-season cuts the first season;
    its heading must not give the window's days, first day and longest day as the season's.
    """
    return first_start_utc - window_start_utc < _DAILY_RECURRENCE


def cut_by_end(last_start_utc: datetime, window_end_utc: datetime) -> bool:
    """Whether a season's last event may not be the season's last: the next day's would begin
    after the end of the window searched."""
    return window_end_utc - last_start_utc < _DAILY_RECURRENCE


class SeasonCut(NamedTuple):
    """Whether the window searched may have cut a season at its start, at its end."""

    start: bool
    end: bool

    @classmethod
    def of(
        cls,
        first_start_utc: datetime,
        last_start_utc: datetime,
        window_start_utc: datetime,
        window_end_utc: datetime,
    ) -> SeasonCut:
        """The cuts of a season whose first and last events begin at the times given."""
        return cls(
            cut_by_start(first_start_utc, window_start_utc),
            cut_by_end(last_start_utc, window_end_utc),
        )

    def fields(self, prefix: str = "") -> dict[str, bool]:
        """The JSON keys (a CSV row's, with `prefix` ``season_``)."""
        return {f"{prefix}cut_by_window_start": self.start, f"{prefix}cut_by_window_end": self.end}


def outage_season_cut(
    s: OutageSeason, window_start_utc: datetime, window_end_utc: datetime
) -> SeasonCut:
    """The cuts of an outage season by the window searched."""
    return SeasonCut.of(s.first.start_utc, s.last.start_utc, window_start_utc, window_end_utc)


def eclipse_season_cut(
    s: EclipseSeason, window_start_utc: datetime, window_end_utc: datetime
) -> SeasonCut:
    """The cuts of an eclipse season by the window searched."""
    return SeasonCut.of(
        s.first.penumbra_entry_utc, s.last.penumbra_entry_utc, window_start_utc, window_end_utc
    )


def observer_dict(observer: Observer) -> dict[str, Any]:
    """Return the observer's JSON object (its zone, UTC when it has none)."""
    return {
        "name": observer.name,
        "latitude_deg": observer.latitude_deg,
        "longitude_deg": observer.longitude_deg,
        "elevation_m": observer.elevation_m,
        "timezone": observer.timezone or "UTC",
    }


def elements_dict(es: ElementSet, at_utc: datetime) -> dict[str, Any]:
    """Return the element set's JSON object: who, epoch, age at `at_utc`, where it came from."""
    return {
        "norad_id": es.norad_id,
        "name": es.name,
        "epoch": format_utc(es.epoch_utc),
        "age_days": rounded(es.age_days(at_utc), 2),
        "source": es.source,
        "selected": es.selected or None,
    }


def hold_note(es: ElementSet, station_kept: bool) -> str | None:
    """Say why a geostationary set is held at station, or None when it is not."""
    if not station_kept:
        return None
    return (
        f"held at station: more than {HOLD_HORIZON_DAYS:g} days from the element epoch "
        f"({es.epoch_utc:%Y-%m-%d %H:%M} UTC), the satellite keeps its epoch orbit's longitude "
        "and daily libration instead of the model's drift"
    )


def pointing_dict(p: GeoPointing, es: ElementSet) -> dict[str, Any]:
    """Return the JSON object of `passpredict geo` for one pointing (`note`: the hold, if any)."""
    return {
        "satellite": p.satellite,
        "norad_id": p.norad_id,
        "observer": p.observer,
        "time": format_utc(p.time_utc),
        "azimuth_deg": rounded(p.azimuth_deg, 3),
        "elevation_deg": rounded(p.elevation_deg, 3),
        "range_km": rounded(p.range_km, 1),
        "above_horizon": p.above_horizon,
        "subsatellite_longitude_deg": rounded(p.subsatellite_longitude_deg, 3),
        "subsatellite_latitude_deg": rounded(p.subsatellite_latitude_deg, 3),
        "polarisation_skew_deg": rounded(p.polarisation_skew_deg, 2),
        "azimuth_min_deg": rounded(p.azimuth_min_deg, 3),
        "azimuth_max_deg": rounded(p.azimuth_max_deg, 3),
        "elevation_min_deg": rounded(p.elevation_min_deg, 3),
        "elevation_max_deg": rounded(p.elevation_max_deg, 3),
        "azimuth_wobble_deg": rounded(p.azimuth_wobble_deg, 3),
        "elevation_wobble_deg": rounded(p.elevation_wobble_deg, 3),
        "station_kept": p.station_kept,
        "note": hold_note(es, p.station_kept),
    }


def outage_dict(o: SunOutage) -> dict[str, Any]:
    """Return the JSON object (and CSV row) of one sun outage."""
    return {
        "satellite": o.satellite,
        "norad_id": o.norad_id,
        "observer": o.observer,
        "start": format_utc(o.start_utc),
        "peak": format_utc(o.peak_utc),
        "end": format_utc(o.end_utc),
        "duration_s": rounded(o.duration_s, 1),
        "min_separation_deg": rounded(o.min_separation_deg, 4),
        "threshold_deg": rounded(o.threshold_deg, 4),
        "azimuth_deg": rounded(o.azimuth_deg, 3),
        "elevation_deg": rounded(o.elevation_deg, 3),
        "station_kept": o.station_kept,
    }


def outage_season_dict(s: OutageSeason, cut: SeasonCut) -> dict[str, Any]:
    """Return the JSON object of one outage season: its span, closest and longest days, and
    whether the window cut it (`cut`: `outage_season_cut`)."""
    return {
        "name": s.name,
        **cut.fields(),
        "days": len(s.outages),
        "first_start": format_utc(s.first.start_utc),
        "last_end": format_utc(s.last.end_utc),
        "min_separation_deg": rounded(s.deepest.min_separation_deg, 4),
        "closest": format_utc(s.deepest.peak_utc),
        "longest_duration_s": rounded(s.longest.duration_s, 1),
        "outages": [outage_dict(o) for o in s.outages],
    }


def with_dish_face(row: dict[str, Any], dish_face_elevation_deg: float) -> dict[str, Any]:
    """Return `row` with an offset dish's face elevation after the elevation."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        out[key] = value
        if key == "elevation_deg":
            out["dish_face_elevation_deg"] = rounded(dish_face_elevation_deg, 3)
    return out


def union_fields(rows: list[dict[str, Any]]) -> list[str]:
    """Return every key of `rows` in first-seen order: the CSV header of rows that differ."""
    return list(dict.fromkeys(key for row in rows for key in row))


def outage_document(
    es: ElementSet,
    observer: Observer,
    start_utc: datetime,
    end_utc: datetime,
    threshold: OutageThreshold,
    station_kept: bool,
    seasons: list[OutageSeason],
    searched_end_utc: datetime | None = None,
) -> dict[str, Any]:
    """Return the JSON document of `passpredict sun-outages`.

    `searched_end_utc` is the end of the window searched, when it differs from the `end_utc`
    shown (a default window shows up to the end of its last season): it decides the cuts.
    """
    searched_end = end_utc if searched_end_utc is None else searched_end_utc
    beamwidth_deg = threshold.beamwidth_deg
    return {
        "satellite": es.name,
        "norad_id": es.norad_id,
        "observer": observer_dict(observer),
        "elements": elements_dict(es, start_utc),
        "window": {"start": format_utc(start_utc), "end": format_utc(end_utc)},
        "threshold_deg": rounded(threshold.threshold_deg, 4),
        "dish_m": threshold.dish_m,
        "frequency_ghz": threshold.frequency_ghz,
        "half_power_beamwidth_deg": None if beamwidth_deg is None else rounded(beamwidth_deg, 4),
        "station_kept": station_kept,
        "note": hold_note(es, station_kept),
        "seasons": [
            outage_season_dict(s, outage_season_cut(s, start_utc, searched_end)) for s in seasons
        ],
    }


def outage_rows(
    seasons: list[OutageSeason], window_start_utc: datetime, searched_end_utc: datetime
) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the CSV rows of `passpredict sun-outages` (one per day) and their header: each
    row names its season and whether the window searched cut that season."""
    rows = [
        {
            "season": s.name,
            **outage_season_cut(s, window_start_utc, searched_end_utc).fields("season_"),
            **outage_dict(o),
        }
        for s in seasons
        for o in s.outages
    ]
    cut_fields = list(SeasonCut(False, False).fields("season_"))
    first = outage_dict(seasons[0].first) if seasons else OUTAGE_FIELDS
    return rows, ["season", *cut_fields, *first]


def eclipse_dict(e: Eclipse) -> dict[str, Any]:
    """Return the JSON object (and CSV row) of one eclipse."""
    return {
        "satellite": e.satellite,
        "norad_id": e.norad_id,
        "penumbra_entry": format_utc(e.penumbra_entry_utc),
        "umbra_entry": None if e.umbra_entry_utc is None else format_utc(e.umbra_entry_utc),
        "umbra_exit": None if e.umbra_exit_utc is None else format_utc(e.umbra_exit_utc),
        "penumbra_exit": format_utc(e.penumbra_exit_utc),
        "duration_s": rounded(e.duration_s, 1),
        "umbra_duration_s": rounded(e.umbra_duration_s, 1),
        "station_kept": e.station_kept,
    }


def eclipse_season_name(s: EclipseSeason) -> str:
    """Name an eclipse season ("spring 2027")."""
    # named as in the northern hemisphere, where the project's users are
    return season_name(s.longest.penumbra_entry_utc, 0.0)


def eclipse_season_dict(s: EclipseSeason, cut: SeasonCut) -> dict[str, Any]:
    """Return the JSON object of one eclipse season: its span and longest eclipse, and whether
    the window cut it (`cut`: `eclipse_season_cut`)."""
    return {
        "name": eclipse_season_name(s),
        **cut.fields(),
        "days": len(s.eclipses),
        "first_eclipse": format_utc(s.first.penumbra_entry_utc),
        "last_eclipse": format_utc(s.last.penumbra_entry_utc),
        "longest": eclipse_dict(s.longest),
        "longest_duration_s": rounded(s.longest.duration_s, 1),
        "longest_umbra_duration_s": rounded(s.longest.umbra_duration_s, 1),
    }


def eclipse_document(
    es: ElementSet,
    start_utc: datetime,
    end_utc: datetime,
    station_kept: bool,
    seasons: list[EclipseSeason] | None,
    eclipses: list[Eclipse],
    searched_end_utc: datetime | None = None,
) -> dict[str, Any]:
    """Return the JSON document of `passpredict eclipses` (`seasons` None: not geostationary).

    `searched_end_utc` as in `outage_document`.
    """
    searched_end = end_utc if searched_end_utc is None else searched_end_utc
    return {
        "satellite": es.name,
        "norad_id": es.norad_id,
        "orbit": classify(es).value,
        "elements": elements_dict(es, start_utc),
        "window": {"start": format_utc(start_utc), "end": format_utc(end_utc)},
        "station_kept": station_kept,
        "note": hold_note(es, station_kept),
        "seasons": None
        if seasons is None
        else [
            eclipse_season_dict(s, eclipse_season_cut(s, start_utc, searched_end)) for s in seasons
        ],
        "eclipses": [eclipse_dict(e) for e in eclipses],
    }


def eclipse_rows(
    eclipses: list[Eclipse],
    seasons: list[EclipseSeason] | None,
    window_start_utc: datetime,
    searched_end_utc: datetime,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the CSV rows of `passpredict eclipses` (one per eclipse) and their header.

    A geostationary satellite's rows (`seasons` not None) begin with their season's name and
    whether the window searched cut it, as the sun outages' rows do.
    """
    if seasons is None:
        return [eclipse_dict(e) for e in eclipses], list(ECLIPSE_FIELDS)
    rows = [
        {
            "season": eclipse_season_name(s),
            **eclipse_season_cut(s, window_start_utc, searched_end_utc).fields("season_"),
            **eclipse_dict(e),
        }
        for s in seasons
        for e in s.eclipses
    ]
    return rows, ["season", *SeasonCut(False, False).fields("season_"), *ECLIPSE_FIELDS]
