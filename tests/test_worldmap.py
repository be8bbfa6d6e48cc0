"""The world map read from its GeoJSON package-data file: the same outlines as the base64 blob
it replaced, valid RFC 7946 structure, and the geography a map around Baku depends on."""

from __future__ import annotations

import base64
import json
import zlib
from importlib.resources import files
from pathlib import Path

import numpy as np
from matplotlib.path import Path as Outline

from passpredict.output.worldmap import WORLD_GEOJSON, country_rings

# The encoding worldmap.py shipped before the GeoJSON file (zlib, base64: a uint32 ring count,
# uint16 vertex counts, int16 tenth-degree (lon, lat) deltas, each ring's first vertex absolute).
BEFORE = Path(__file__).parent / "data" / "worldmap" / "outlines_before_geojson.b64"


def _rings_before() -> list[np.ndarray]:
    payload = zlib.decompress(base64.b64decode(BEFORE.read_text()))
    count = int(np.frombuffer(payload, "<u4", 1)[0])
    sizes = np.frombuffer(payload, "<u2", count, 4).astype(np.intp)
    deltas = np.frombuffer(payload, "<i2", 2 * int(sizes.sum()), 4 + 2 * count).reshape(-1, 2)
    ends = np.cumsum(sizes)
    return [
        np.cumsum(deltas[end - size : end].astype(np.int64), axis=0) / 10.0
        for size, end in zip(sizes, ends, strict=True)
    ]


def test_the_outlines_are_those_of_the_blob_they_replaced_to_the_bit():
    """Plots and the web SVG draw these arrays, so equal arrays give the same pictures."""
    before, now = _rings_before(), country_rings()
    assert len(now) == len(before) == 288
    for old, new in zip(before, now, strict=True):
        assert new.dtype == np.float64 and new.shape == old.shape
        assert np.array_equal(new, old)
        assert not new.flags.writeable


def test_the_file_is_geojson_with_closed_rings_in_range():
    collection = json.loads(files("passpredict").joinpath(WORLD_GEOJSON).read_text("utf-8"))
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "MultiPolygon"
    for polygon in feature["geometry"]["coordinates"]:
        for ring in polygon:
            assert len(ring) >= 4 and ring[0] == ring[-1]  # RFC 7946 3.1.6: a closed ring
            lon, lat = np.array(ring).T
            assert lon.min() >= -180 and lon.max() <= 180 and lat.min() >= -90 and lat.max() <= 90


def _on_land(lon_deg: float, lat_deg: float) -> bool:
    return any(Outline(ring).contains_point((lon_deg, lat_deg)) for ring in country_rings())


def test_baku_is_on_land_and_the_caspian_is_water():
    assert _on_land(49.87, 40.41)  # Baku
    assert _on_land(48.58, 40.77)  # Shamakhi
    assert not _on_land(51.0, 41.0)  # the Caspian Sea east of Baku
    assert not _on_land(-30.0, 0.0)  # the Atlantic
