"""Country outlines for world maps, shipped inside the package so a map never downloads.

Source: Natural Earth 1:110m Admin 0 countries (public domain, naturalearthdata.com), as
distributed in the `naturalearth_lowres` data set of geopandas 0.14.4. Each of its 288 rings
(177 countries) is kept with coordinates rounded to 0.1 deg, which is finer than the 1:110m
scale draws.

The rings live in ``passpredict/data/world.geojson`` (RFC 7946): one Feature whose MultiPolygon
holds each ring as a polygon of its own, closed (last vertex = first), in file order, which is
the order plots and the web map draw them. GeoJSON rather than our own encoding, so any GIS
tool opens, checks or replaces the map; the wheel's zip holds it in about 38 kB. The rings
carry no country names and are not oriented by RFC 7946's right-hand rule (it is a SHOULD):
this reader and the drawings need neither.

The Caspian Sea is water here (no country covers it), which matters for maps around Baku.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

import numpy as np
from numpy.typing import NDArray

#: The package-data file the outlines are read from (relative to the `passpredict` package).
WORLD_GEOJSON = "data/world.geojson"


@cache
def country_rings() -> tuple[NDArray[np.float64], ...]:
    """Return every country outline ring as an (n, 2) array of (longitude_deg, latitude_deg)."""
    collection = json.loads(files("passpredict").joinpath(WORLD_GEOJSON).read_text("utf-8"))
    rings = []
    for feature in collection["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for coordinates in polygon:
                ring = np.array(coordinates, dtype=np.float64)
                ring.setflags(write=False)
                rings.append(ring)
    return tuple(rings)
