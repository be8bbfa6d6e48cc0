"""Look angles of geostationary satellites: where it hangs, and how much it wobbles.

A geostationary satellite never rises or sets, so instead of passes it gets one `GeoLook` per
observer: azimuth, elevation and range at the window start, and the elevation range over the
window, sampled every `SAMPLE_STEP_S` (the daily libration is a slow sinusoid, so a 10-minute
grid gives its extremes to well under a thousandth of a degree). Far from the element epoch the
position is held at station (see `passpredict.stationkeeping`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from skyfield.timelib import Timescale

from passpredict.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.records import GeoLook, Observer
from passpredict.stationkeeping import SatelliteTrack
from passpredict.timebase import TimeBase
from tle_cache.elements import ElementSet

SAMPLE_STEP_S = 600.0


def geostationary_looks(
    element_sets: Sequence[ElementSet],
    observers: Sequence[Observer],
    timebase: TimeBase,
    duration_s: float,
    min_elevation_deg: float,
    timescale: Timescale,
) -> list[GeoLook]:
    """Return one `GeoLook` per (satellite, observer), satellites outermost."""
    observers = list(observers)
    obs_ecef = observer_ecef_km(observers)
    enu = observer_enu_basis(observers)
    seconds = np.append(np.arange(0.0, duration_s, SAMPLE_STEP_S), duration_s)
    looks = []
    for es in element_sets:
        track = SatelliteTrack.create(es, timebase, timescale, hold=True)
        r, held = track.ecef_km(seconds)
        az, el, rng = look_angles(r[None, :, :], obs_ecef[:, None, :], enu[:, None, :, :])
        for j, observer in enumerate(observers):
            looks.append(
                GeoLook(
                    satellite=es.name,
                    norad_id=es.norad_id,
                    observer=observer.name,
                    time_utc=timebase.start_utc,
                    azimuth_deg=float(az[j, 0]),
                    elevation_deg=float(el[j, 0]),
                    range_km=float(rng[j, 0]),
                    elevation_min_deg=float(el[j].min()),
                    elevation_max_deg=float(el[j].max()),
                    min_elevation_deg=min_elevation_deg,
                    station_kept=bool(held.any()),
                )
            )
    return looks
