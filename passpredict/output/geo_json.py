"""The JSON objects of the geostationary commands, shared by `passpredict geo` and the web API.

`passpredict geo`, `sun-outages` and `eclipses` print these with `--format json` (and the
outages as CSV rows); `passpredict serve` answers its GEO requests with the very same objects,
so the two front ends cannot drift apart. Times are ISO 8601 UTC with `Z`, keys carry units.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS
from passpredict.products.geo.pointing import GeoPointing
from passpredict.products.geo.sun_outages import OutageSeason, SunOutage
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


def elements_dict(es: ElementSet, at_utc: datetime) -> dict[str, Any]:
    """Return the element set's JSON object: who, epoch, age at `at_utc`, where it came from."""
    return {
        "norad_id": es.norad_id,
        "name": es.name,
        "epoch": format_utc(es.epoch_utc),
        "age_days": round(es.age_days(at_utc), 2),
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
        "azimuth_deg": round(p.azimuth_deg, 3),
        "elevation_deg": round(p.elevation_deg, 3),
        "range_km": round(p.range_km, 1),
        "above_horizon": p.above_horizon,
        "subsatellite_longitude_deg": round(p.subsatellite_longitude_deg, 3),
        "subsatellite_latitude_deg": round(p.subsatellite_latitude_deg, 3),
        "polarisation_skew_deg": round(p.polarisation_skew_deg, 2),
        "azimuth_min_deg": round(p.azimuth_min_deg, 3),
        "azimuth_max_deg": round(p.azimuth_max_deg, 3),
        "elevation_min_deg": round(p.elevation_min_deg, 3),
        "elevation_max_deg": round(p.elevation_max_deg, 3),
        "azimuth_wobble_deg": round(p.azimuth_wobble_deg, 3),
        "elevation_wobble_deg": round(p.elevation_wobble_deg, 3),
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
        "duration_s": round(o.duration_s, 1),
        "min_separation_deg": round(o.min_separation_deg, 4),
        "threshold_deg": round(o.threshold_deg, 4),
        "azimuth_deg": round(o.azimuth_deg, 3),
        "elevation_deg": round(o.elevation_deg, 3),
        "station_kept": o.station_kept,
    }


def outage_season_dict(s: OutageSeason) -> dict[str, Any]:
    """Return the JSON object of one outage season: its span, closest and longest days."""
    return {
        "name": s.name,
        "days": len(s.outages),
        "first_start": format_utc(s.first.start_utc),
        "last_end": format_utc(s.last.end_utc),
        "min_separation_deg": round(s.deepest.min_separation_deg, 4),
        "closest": format_utc(s.deepest.peak_utc),
        "longest_duration_s": round(s.longest.duration_s, 1),
        "outages": [outage_dict(o) for o in s.outages],
    }
