"""Whether a geostationary satellite stays above (or below) the threshold for good.

A look record (`passpredict.products.geo.look`) judges a window. A claim about every later
moment ("no AOS or LOS to wait for", `passpredict watch`) must be judged over a window that
holds every position the model gives later: SGP4 up to `HOLD_HORIZON_DAYS` from the epoch,
where a set may drift by degrees a day, then the held station, which repeats one sidereal day
(`passpredict.engine.stationkeeping`). A day from the start is not enough: a set drifting
within the horizon can be above all of it and set the next day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from skyfield.timelib import Timescale

from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS, SIDEREAL_DAY_S
from passpredict.engine.time_axis import TimeBase
from passpredict.products.geo.look import geostationary
from passpredict.records import GeoLook, Observer
from tle_cache.elements import ElementSet

#: Past the sidereal day: the end of the last 10-minute sample interval, with room.
_MARGIN_S = 60.0


def lasting_window_end_utc(element_set: ElementSet, start_utc: datetime) -> datetime:
    """Return the end of the window from `start_utc` that holds every position the set's
    model gives from `start_utc` on, for ever: one sidereal day past the later of
    `start_utc` and the station-keeping horizon (see the module docstring)."""
    horizon_utc = element_set.epoch_utc + timedelta(days=HOLD_HORIZON_DAYS)
    return max(start_utc, horizon_utc) + timedelta(seconds=SIDEREAL_DAY_S + _MARGIN_S)


def lasting_looks(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    start_utc: datetime,
    min_elevation_deg: float,
    timescale: Timescale,
) -> list[GeoLook]:
    """Return one `GeoLook` per (geostationary set, observer), satellites outermost, whose
    elevation range is judged over each set's `lasting_window_end_utc` window: a look that is
    `always_above_min_elevation` (or never reaches it) there is so for good under that set."""
    looks: list[GeoLook] = []
    for es in element_sets:
        end_utc = lasting_window_end_utc(es, start_utc)
        timebase = TimeBase.create(start_utc, end_utc, timescale)
        duration_s = (end_utc - start_utc).total_seconds()
        products = geostationary(
            [es], observers, timebase, duration_s, min_elevation_deg, timescale
        )
        looks += products.looks
    return looks
