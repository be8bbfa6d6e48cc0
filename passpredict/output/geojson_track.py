"""Ground tracks as GeoJSON (RFC 7946), for any GIS tool: QGIS, geojson.io, a web map.

`ground_track_geojson` returns a FeatureCollection of:

- `ground_track`: the sub-satellite path as LineStrings, cut at the antimeridian as RFC 7946
  (section 3.1.9) asks, each piece with its start and end time;
- `visible`: the parts of the path where the satellite stands at least `min_elevation_deg`
  above an observer, one LineString per pass and observer, with the highest elevation;
- `observer`: a Point per observer;
- `coverage`: each observer's coverage edge (the ring of sub-satellite points seen at exactly
  `min_elevation_deg`, for the track's mean height, spherical Earth), as a MultiLineString cut
  at the antimeridian.

Coordinates are [longitude, latitude] in WGS84 degrees (RFC 7946's only system), rounded to
6 decimals (0.1 m); times are ISO 8601 UTC ending in Z, as in every machine format.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.time_axis import TimeBase
from passpredict.products.track import coverage_circle, earth_fixed_km, ground_track
from passpredict.records import Observer
from passpredict.timeutil import format_utc
from tle_cache.elements import ElementSet

_DIGITS = 6


def split_at_antimeridian(
    lon_deg: NDArray[np.float64], lat_deg: NDArray[np.float64]
) -> list[tuple[list[list[float]], slice]]:
    """Cut a path where it crosses 180 deg; return each piece's coordinates and sample slice.

    Each piece ends (and the next begins) on the antimeridian itself, at the latitude
    interpolated linearly in unwrapped longitude, so the pieces join on a map edge to edge.
    NaN samples (SGP4 failures) also end a piece.
    """
    pieces: list[tuple[list[list[float]], slice]] = []
    coords: list[list[float]] = []
    first = 0
    for k in range(len(lon_deg)):
        lon, lat = float(lon_deg[k]), float(lat_deg[k])
        if not (np.isfinite(lon) and np.isfinite(lat)):
            if len(coords) > 1:
                pieces.append((coords, slice(first, k)))
            coords, first = [], k + 1
            continue
        if coords:
            previous_lon, previous_lat = coords[-1]
            step = lon - previous_lon
            if abs(step) > 180.0:
                edge = 180.0 if step < 0 else -180.0  # leaving through this edge
                unwrapped = lon + (360.0 if step < 0 else -360.0)
                share = (edge - previous_lon) / (unwrapped - previous_lon)
                lat_edge = previous_lat + share * (lat - previous_lat)
                coords.append([edge, round(lat_edge, _DIGITS)])
                pieces.append((coords, slice(first, k)))
                coords, first = [[-edge, round(lat_edge, _DIGITS)]], k
        coords.append([round(lon, _DIGITS), round(lat, _DIGITS)])
    if len(coords) > 1:
        pieces.append((coords, slice(first, len(lon_deg))))
    return pieces


def ground_track_geojson(
    element_set: ElementSet,
    observers: Sequence[Observer],
    start_utc: datetime,
    end_utc: datetime,
    *,
    timescale: Timescale,
    min_elevation_deg: float = 10.0,
    step_s: float = 20.0,
) -> dict[str, Any]:
    """Return the ground track and each observer's view of it as a GeoJSON FeatureCollection."""
    track = ground_track(element_set, start_utc, end_utc, step_s=step_s, timescale=timescale)
    times = track.times_utc
    base = {"satellite": element_set.name, "norad_id": element_set.norad_id}
    features: list[dict[str, Any]] = []
    for coords, span in split_at_antimeridian(track.longitude_deg, track.latitude_deg):
        last = min(span.stop, len(times)) - 1
        features.append(
            _feature(
                {"type": "LineString", "coordinates": coords},
                kind="ground_track",
                **base,
                start_utc=format_utc(times[span.start]),
                end_utc=format_utc(times[last]),
                station_kept=track.station_kept,
            )
        )
    if observers:
        timebase = TimeBase.create(track.start_utc, end_utc, timescale)
        r, _ = earth_fixed_km(element_set, timebase, track.seconds, timescale)
        mean_height_km = float(np.nanmean(track.altitude_km))
    for observer in observers:
        _, el, _ = look_angles(
            r, observer_ecef_km([observer])[0], observer_enu_basis([observer])[0]
        )
        up = np.where(el >= min_elevation_deg, 1, 0)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], up, [0]])))
        for begin, end in zip(edges[::2], edges[1::2], strict=True):
            lon = track.longitude_deg[begin:end]
            lat = track.latitude_deg[begin:end]
            for coords, span in split_at_antimeridian(lon, lat):
                features.append(
                    _feature(
                        {"type": "LineString", "coordinates": coords},
                        kind="visible",
                        **base,
                        observer=observer.name,
                        min_elevation_deg=min_elevation_deg,
                        start_utc=format_utc(times[begin + span.start]),
                        end_utc=format_utc(times[begin + min(span.stop, end - begin) - 1]),
                        max_elevation_deg=round(float(np.max(el[begin:end])), 3),
                    )
                )
        features.append(
            _feature(
                {
                    "type": "Point",
                    "coordinates": [
                        round(observer.longitude_deg, _DIGITS),
                        round(observer.latitude_deg, _DIGITS),
                    ],
                },
                kind="observer",
                name=observer.name,
                elevation_m=observer.elevation_m,
            )
        )
        ring_lat, ring_lon = coverage_circle(observer, mean_height_km, min_elevation_deg)
        rings = [c for c, _ in split_at_antimeridian(ring_lon, ring_lat)]
        features.append(
            _feature(
                {"type": "MultiLineString", "coordinates": rings},
                kind="coverage",
                observer=observer.name,
                min_elevation_deg=min_elevation_deg,
                altitude_km=round(mean_height_km, 1),
            )
        )
    return {
        "type": "FeatureCollection",
        "features": features,
    }


def _feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}
