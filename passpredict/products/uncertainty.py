"""How far off a predicted pass time (or a geostationary pointing) is, from the age of its elements.

An element set is a fit to past tracking; propagated away from its epoch, unmodelled drag and
manoeuvres move the real satellite along its track, so a pass comes early or late by an amount
that grows with the age of the set. `time_uncertainty_s` gives that amount, measured rather
than guessed: `calibration/calibrate_time_uncertainty.py` predicted about 150,000 passes of
eight low satellites (ISS, SPOT 6 and 7, Aqua, Landsat 8, METOP-B, NOAA-19 and NOAA-20) from
sets 0.5 to 30 days old and compared them with the sets nearest the passes; the median and 90th
percentile of the error, per drag level (the perigee height of the set), are fitted by smooth
curves shipped in `passpredict/data/time_uncertainty.json` with their provenance. Method, data,
fits and residuals: docs/uncertainty.md.

The default is the 90th percentile of the largest of the rise, culmination and set errors: nine
passes in ten predicted from a set that old were that close or closer. Below half a day the
half-day value is given (a fresh set is not exact either: the floor is its own fit error); past
the calibrated 35 days, or for orbits the calibration does not cover (perigee above 2,000 km,
deep space, geosynchronous), the answer is `None`: no number is better than an invented one.
A set used backwards (epoch after the pass) is treated by the absolute age.

`geo_pointing_uncertainty_deg` is the same for geostationary satellites, in degrees of
pointing, as `passpredict geo` predicts them (propagated up to 4 days from the epoch, held at
station beyond; Azerspace-1 and -2, 0.25 to 120 days).
"""

from __future__ import annotations

import json
import math
import pkgutil
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from passpredict.engine.orbits import (
    EARTH_EQUATORIAL_RADIUS_KM,
    OrbitClass,
    classify,
    perigee_radius_km,
    semi_major_axes_km,
)
from tle_cache.elements import ElementSet

EVENTS = ("pass", "rise", "culmination", "set")
QUANTILES = ("p90", "median")


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class _Curve(NamedTuple):
    """A fitted curve, made non-decreasing: log10(error) on a fine log10(age) grid."""

    log_age: tuple[float, ...]
    log_value: tuple[float, ...]
    age_max_days: float
    spread_factor: float

    @classmethod
    def from_fit(cls, fit: dict[str, Any]) -> _Curve:
        # An older set is never promised to be better: the running maximum irons out the
        # shallow dip a quadratic can have near its low end.
        grid = np.linspace(math.log10(fit["age_floor_days"]), math.log10(fit["age_max_days"]), 400)
        values = np.maximum.accumulate(np.polyval(fit["coefficients"], grid))
        return cls(tuple(grid), tuple(values), fit["age_max_days"], fit["spread_factor"])

    def __call__(self, age_days: float) -> float | None:
        (value,) = self.many(np.array([age_days]))
        return None if math.isnan(value) else float(value)

    def many(self, age_days: NDArray[np.float64]) -> NDArray[np.float64]:
        """The curve at many ages (days, not negative); NaN past the calibrated ages."""
        with np.errstate(invalid="ignore"):
            x = np.log10(np.maximum(age_days, 10 ** self.log_age[0]))
        values = 10 ** np.interp(x, self.log_age, self.log_value)
        return np.where(age_days <= self.age_max_days, values, np.nan)


@cache
def table() -> dict[str, Any]:
    """Return the shipped calibration table (parsed JSON), with its provenance."""
    # pkgutil, not importlib.resources: both read from a wheel or a zip, but importlib.resources
    # imports tempfile, random and more (about 2 ms of every start); Skyfield imports pkgutil
    data = pkgutil.get_data("passpredict", "data/time_uncertainty.json")
    if data is None:  # a loader that cannot read data files: not one of ours
        raise FileNotFoundError(
            "passpredict/data/time_uncertainty.json cannot be read; reinstall passpredict"
        )
    text = data.decode("utf-8")
    calibration: dict[str, Any] = json.loads(text)
    return calibration


def drag_level(element_set: ElementSet) -> dict[str, Any] | None:
    """Return the calibrated drag level of a low orbit (by perigee height), or `None`."""
    number = _level_number(element_set)
    return None if number < 0 else table()["leo"]["drag_levels"][number]


def time_uncertainty_s(
    element_set: ElementSet,
    age_days: float,
    *,
    event: str = "pass",
    quantile: str = "p90",
) -> float | None:
    """Return the expected error (s) of a pass time predicted from a set `age_days` old.

    `event` is "rise", "culmination", "set" or "pass" (the largest of the three); `quantile`
    "p90" (default) or "median". `None` where the calibration says nothing (see the module
    docstring).
    """
    curve = _curve(element_set, event, quantile)
    if curve is None or not math.isfinite(age_days):
        return None
    return curve(abs(age_days))


def time_uncertainties_s(
    element_sets: Sequence[ElementSet],
    satellite_index: ArrayLike,
    age_days: ArrayLike,
    *,
    event: str = "pass",
    quantile: str = "p90",
    orbits: Sequence[OrbitClass] | None = None,
) -> NDArray[np.float64]:
    """Return `time_uncertainty_s` for many passes at once, NaN where there is no number.

    Pass i was predicted from `element_sets[satellite_index[i]]`, `age_days[i]` from its
    epoch (at its culmination, as the calibration measured it). One curve evaluation per drag
    level, so a catalogue's passes cost a few array operations. `orbits`, the sets' classes
    (`classify`) where the caller has them, saves classifying them again.
    """
    _check(event, EVENTS, "event")
    _check(quantile, QUANTILES, "quantile")
    index = np.asarray(satellite_index, dtype=np.intp)
    ages = np.abs(np.asarray(age_days, dtype=float))
    out = np.full(ages.shape, np.nan)
    if orbits is None:
        orbits = [classify(es) for es in element_sets]
    levels = _level_numbers(element_sets, orbits)
    pass_levels = levels[index] if index.size else index
    # not np.unique: numpy 2 imports numpy.ma on its first call (8-18 ms of a short run)
    for number in sorted(set(levels[levels >= 0].tolist())):
        rows = pass_levels == number
        out[rows] = _level_curve(number, event, quantile).many(ages[rows])
    return out


def time_uncertainty_spread(
    element_set: ElementSet, *, event: str = "pass", quantile: str = "p90"
) -> float | None:
    """Return the fit's stated spread: the largest factor between it and a calibration bin."""
    curve = _curve(element_set, event, quantile)
    return None if curve is None else curve.spread_factor


def geo_pointing_uncertainty_deg(
    element_set: ElementSet, age_days: float, *, quantile: str = "p90"
) -> float | None:
    """Return the expected pointing error (deg) of a geostationary set `age_days` old.

    Interpolated linearly in log(age) between the calibration's age bins; `None` for another
    orbit class or beyond the last bin.
    """
    _check(quantile, QUANTILES, "quantile")
    if classify(element_set) is not OrbitClass.GEOSTATIONARY or not math.isfinite(age_days):
        return None
    bins = table()["geo"]["bins"]
    age = abs(age_days)
    if age > bins[-1]["age_max_days"]:
        return None
    ages = np.log10([b["age_days"] for b in bins])
    values = np.log10([b[quantile] for b in bins])
    return float(10 ** np.interp(math.log10(max(age, 1e-3)), ages, values))


def _curve(element_set: ElementSet, event: str, quantile: str) -> _Curve | None:
    _check(event, EVENTS, "event")
    _check(quantile, QUANTILES, "quantile")
    number = _level_number(element_set)
    return None if number < 0 else _level_curve(number, event, quantile)


def _level_number(element_set: ElementSet, orbit: OrbitClass | None = None) -> int:
    """The position of the set's drag level in the table (by perigee height), -1 where none
    applies; `orbit` is the set's class if the caller has it."""
    orbit = classify(element_set) if orbit is None else orbit
    if orbit is not OrbitClass.LEO_MEO:
        return -1
    perigee_km = perigee_radius_km(element_set) - EARTH_EQUATORIAL_RADIUS_KM
    for number, level in enumerate(table()["leo"]["drag_levels"]):
        if level["perigee_min_km"] <= perigee_km < level["perigee_max_km"]:
            return number
    return -1


#: How near a level's edge (km) a perigee height computed on arrays is checked by
#: `_level_number` itself (numpy's power may differ from Python's in the last bit).
_EDGE_CHECK_KM = 1e-6


def _level_numbers(
    element_sets: Sequence[ElementSet], orbits: Sequence[OrbitClass]
) -> NDArray[np.intp]:
    """`_level_number` of every set, as an array: the perigee heights in one array expression,
    and the few sets within `_EDGE_CHECK_KM` of a level's edge decided by `_level_number`, so
    the levels are exactly its own (tests/test_uncertainty.py)."""
    numbers = np.full(len(element_sets), -1, dtype=np.intp)
    low = np.array([orbit is OrbitClass.LEO_MEO for orbit in orbits], dtype=bool)
    if not low.any():
        return numbers
    n_rev_day = np.array([es.mean_motion_rev_per_day for es in element_sets], dtype=float)
    e = np.array([es.eccentricity for es in element_sets], dtype=float)
    perigee_km = semi_major_axes_km(n_rev_day) * (1.0 - e) - EARTH_EQUATORIAL_RADIUS_KM
    near_edge = np.zeros(low.size, dtype=bool)
    for number, level in reversed(list(enumerate(table()["leo"]["drag_levels"]))):
        low_km, high_km = level["perigee_min_km"], level["perigee_max_km"]
        numbers[low & (low_km <= perigee_km) & (perigee_km < high_km)] = number  # first wins
        for edge_km in (low_km, high_km):
            near_edge |= np.abs(perigee_km - edge_km) <= _EDGE_CHECK_KM
    for k in np.flatnonzero(low & (near_edge | ~np.isfinite(perigee_km))).tolist():
        numbers[k] = _level_number(element_sets[k], orbits[k])
    return numbers


@cache
def _level_curve(number: int, event: str, quantile: str) -> _Curve:
    level = table()["leo"]["drag_levels"][number]
    return _Curve.from_fit(level["events"][event]["fits"][quantile])


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, got {value!r}")
