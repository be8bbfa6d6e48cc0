"""`SatelliteReport.of_fields` (the catalogue's cheap constructor) makes what the dataclass's
own constructor makes: the same fields, values, order, equality, hash and pickle."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime

import pytest

from passpredict.engine.orbits import OrbitClass
from passpredict.products.predict import SatelliteReport

CASES = [
    dict(
        name="SPOT 7",
        norad_id=40053,
        epoch_utc=datetime(2026, 5, 30, 15, 33, tzinfo=UTC),
        age_days=186.9,
        orbit=OrbitClass.LEO_MEO,
        source="bundled",
        stale=True,
        note=None,
        selected="",
    ),
    dict(
        name="AZERSPACE 1",
        norad_id=39079,
        epoch_utc=datetime(2026, 8, 22, 15, 9, tzinfo=UTC),
        age_days=-0.5,
        orbit=OrbitClass.GEOSTATIONARY,
        source="store",
        stale=False,
        note="held at station",
        selected="latest at or before the window start",
    ),
]


def test_of_fields_takes_every_field_in_the_dataclass_order():
    parameters = list(SatelliteReport.of_fields.__code__.co_varnames[1:10])
    assert parameters == [f.name for f in dataclasses.fields(SatelliteReport)]


@pytest.mark.parametrize("fields", CASES, ids=lambda c: c["name"])
def test_of_fields_is_the_constructors_report(fields):
    cheap, built = SatelliteReport.of_fields(**fields), SatelliteReport(**fields)
    assert type(cheap) is SatelliteReport
    assert cheap == built and hash(cheap) == hash(built)
    assert list(vars(cheap).items()) == list(vars(built).items())
    assert dataclasses.astuple(cheap) == dataclasses.astuple(built)
    assert pickle.loads(pickle.dumps(cheap)) == built
    with pytest.raises(dataclasses.FrozenInstanceError):
        cheap.stale = not cheap.stale  # type: ignore[misc]
