"""The geostationary look records from one batched propagation equal the per-satellite path.

`geostationary` propagates every satellite not held at station in one SGP4 call and takes the
look record of a satellite far from the threshold straight from the samples (issue 11). The
products must be exactly those of the per-satellite path (a `SatelliteTrack`, its samples and
a `_Crossings` for every satellite), which the tests get by giving the batch no satellite.
"""

from __future__ import annotations

import lzma
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from passpredict.engine.ephemeris import load_timescale
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.passes import PassTable
from passpredict.engine.time_axis import TimeBase
from passpredict.products.geo import look
from passpredict.records import Observer
from tle_cache.bundled import load_bundled
from tle_cache.parse import parse_text, read_file

DATA = Path(__file__).parent / "data"
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0)
TROMSO = Observer("Tromsø", 69.65, 18.96, 10.0)
SANTIAGO = Observer("Santiago", -33.45, -70.67, 520.0)
OBSERVERS = [BAKU, TROMSO, SANTIAGO]


@pytest.fixture(scope="module")
def timescale():
    return load_timescale()


@pytest.fixture(scope="module")
def sets():
    """Bundled Azerspace sets (epochs 2026-08-22), TIANTONG-1 3 (it crosses the threshold seen
    from Tromsø), the GEO belt over Baku, and 60 catalogue GEO sets (epochs near 2026-05-07)."""
    text = lzma.decompress((DATA / "tle" / "celestrak_active_2026-05-07.txt.xz").read_bytes())
    catalogue = [es for es in parse_text(text.decode()) if classify(es) is OrbitClass.GEOSTATIONARY]
    bundled = [es for es in load_bundled() if classify(es) is OrbitClass.GEOSTATIONARY]
    assert [es.norad_id for es in bundled] == [39079, 43632]
    geo = DATA / "geo"
    return (
        bundled
        + read_file(geo / "tiantong-1-3_47321_2026-08-22.tle")
        + read_file(geo / "geo_belt_36E-56E_2026-08-22.tle")
        + catalogue[::7][:60]
    )


def _products(sets, start, days, threshold_deg, timescale):
    end = start + timedelta(days=days)
    timebase = TimeBase.create(start, end, timescale)
    return look.geostationary(
        sets, OBSERVERS, timebase, (end - start).total_seconds(), threshold_deg, timescale
    )


def _per_satellite(monkeypatch, *args):
    """The products with the batch given no satellite: every one takes the per-satellite path."""
    with monkeypatch.context() as m:
        m.setattr(
            look, "unheld_ecef_km", lambda tracks, s: (np.zeros(0, np.intp), np.empty((0, 1, 3)))
        )
        return _products(*args)


@pytest.mark.parametrize(
    ("start", "days", "threshold_deg"),
    [
        # near the catalogue's epochs: those batched, the August sets held
        (datetime(2026, 5, 8, tzinfo=UTC), 1.0, 10.0),
        # near the August epochs, at the horizon: TIANTONG-1 3 crosses 0 deg from Tromsø
        (datetime(2026, 8, 22, 12, tzinfo=UTC), 2.3, 0.0),
        # months from every epoch: all held
        (datetime(2026, 11, 1, tzinfo=UTC), 1.0, 5.0),
    ],
)
def test_batched_products_equal_the_per_satellite_path(
    monkeypatch, sets, timescale, start, days, threshold_deg
):
    fast = _products(sets, start, days, threshold_deg, timescale)
    slow = _per_satellite(monkeypatch, sets, start, days, threshold_deg, timescale)
    assert fast.looks == slow.looks
    assert repr(fast.looks) == repr(slow.looks)  # signed zeros too
    assert fast.tracks == slow.tracks
    for name in PassTable.__dataclass_fields__:
        a, b = getattr(fast.table, name), getattr(slow.table, name)
        assert a.dtype == b.dtype
        assert np.array_equal(a, b, equal_nan=True), name


def test_the_cases_cover_clear_refined_and_held_satellites(sets, timescale):
    """The comparison above means something only if each path is taken."""
    start = datetime(2026, 8, 22, 12, tzinfo=UTC)
    timebase = TimeBase.create(start, start + timedelta(days=2.3), timescale)
    tracks = [look.SatelliteTrack.create(es, timebase, timescale, hold=True) for es in sets]
    seconds = np.append(np.arange(0.0, 2.3 * 86400, look.SAMPLE_STEP_S), 2.3 * 86400)
    obs_ecef, enu = look.observer_ecef_km(OBSERVERS), look.observer_enu_basis(OBSERVERS)
    sampled = look._SampledLooks.create(tracks, seconds, obs_ecef, enu, 0.0)
    batched = set(sampled.row)
    assert 0 < len(batched) < len(sets)  # the catalogue's sets are held there
    assert sampled.clear.sum() > 10
    tiantong = sampled.row[2]
    assert not sampled.clear[tiantong]
    products = _products(sets, start, 2.3, 0.0, timescale)
    assert 2 in set(products.table.satellite_index.tolist())
