"""Magnetic declination from the World Magnetic Model, for pointing a dish with a compass.

A compass needle points to magnetic north, which differs from true north by the declination D
(east positive). A satellite at true azimuth A is at magnetic azimuth A - D on the compass rose:
from Baku, Azerspace-1 hangs at 186.0 deg true and, with D = +6.5 deg, at 179.5 deg magnetic.

The model is the current World Magnetic Model, WMM2025 (NOAA NCEI and the British Geological
Survey, valid 2024-11-13 to 2030-01-01), evaluated by `wmm-calculator`, the Python module NCEI
itself publishes: it ships the coefficient file (no download at run time), takes numpy arrays
(one call for a whole track) and agrees with the model's published test values (the 12-point
table of the WMM2025 report and NCEI's 100-point test file) to 0.005 deg, i.e. to their
rounding (tests/test_magnetic.py).

What the model cannot answer is refused with a `MagneticModelError` that says why:

- `OutsideModelEpochError`: a date outside the model's validity. The coefficients' secular
  variation is a straight line fitted for five years; beyond them the declination drifts by up
  to a degree per year unmodelled, so we say so rather than extrapolate. Callers fall back to
  true azimuths only.
- `BlackoutZoneError`: an observer in the model's blackout zone around a magnetic pole, where
  the horizontal field H is below 2,000 nT (MIL-PRF-89500B, the WMM specification): there a
  compass is unreliable and the declination changes by degrees over a few kilometres. Between
  2,000 and 6,000 nT (the caution zone) the declination is given, with `caution` set.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import ArrayLike, NDArray

from passpredict.timeutil import require_aware

#: Horizontal field strengths (nT) that bound the model's blackout and caution zones around
#: the magnetic poles (MIL-PRF-89500B, section 3.4; the WMM2025 report, section 5).
BLACKOUT_H_NT = 2000.0
CAUTION_H_NT = 6000.0
MODEL_NAME = "WMM2025"
#: The model's validity as NCEI's module enforces it: from the coefficients' release date to
#: the start of 2030.
VALID_FROM_UTC = datetime(2024, 11, 13, tzinfo=UTC)
VALID_UNTIL_UTC = datetime(2030, 1, 1, tzinfo=UTC)
#: Spacing (s) of the nodes at which `window_declinations_deg` evaluates the model. Its
#: coefficients are straight lines in time, so the declination bends only through atan2: over
#: a day it is a straight line to 4e-7 deg even beside a magnetic pole (measured over a month
#: of hourly values at six places, one of them in the blackout zone).
NODE_SPACING_S = 86400.0


class MagneticModelError(ValueError):
    """The World Magnetic Model gives no usable declination here; the message says why."""


class OutsideModelEpochError(MagneticModelError):
    """The date lies outside the model's validity."""


class BlackoutZoneError(MagneticModelError):
    """The place lies in the blackout zone around a magnetic pole (H below 2,000 nT)."""


@dataclass(frozen=True)
class Declination:
    """The magnetic declination at one place and time (WMM2025).

    `declination_deg` is east positive (magnetic north east of true north);
    `horizontal_intensity_nt` is the field's horizontal strength, which is what makes a
    compass work; `caution` is true in the caution zone (H below 6,000 nT), where compass
    readings degrade.
    """

    declination_deg: float
    horizontal_intensity_nt: float
    caution: bool
    model: str = MODEL_NAME


def decimal_year(when_utc: datetime) -> float:
    """Return the decimal year of an aware datetime, as the WMM counts it.

    The year plus the fraction of it elapsed: days since 1 January 00:00 UTC over the days of
    that year (366 in a leap year), the convention of NCEI's own software.
    """
    when = require_aware(when_utc, "when_utc")
    start = datetime(when.year, 1, 1, tzinfo=UTC)
    end = datetime(when.year + 1, 1, 1, tzinfo=UTC)
    return when.year + (when - start).total_seconds() / (end - start).total_seconds()


def decimal_years(start_utc: datetime, seconds: ArrayLike) -> NDArray[np.float64]:
    """Return the decimal years (`decimal_year`) of many times: seconds after `start_utc`."""
    start = require_aware(start_utc, "start_utc").astimezone(UTC).replace(tzinfo=None)
    offsets = np.asarray(seconds, dtype=float)
    microseconds = np.rint(offsets * 1e6).astype("timedelta64[us]")
    times = np.datetime64(start, "us") + microseconds
    years = times.astype("datetime64[Y]")
    first = years.astype("datetime64[us]")
    length = (years + 1).astype("datetime64[us]") - first
    fraction = (times - first) / length
    return years.astype(float) + 1970.0 + fraction


def check_epoch(when_utc: datetime) -> None:
    """Raise `OutsideModelEpochError` unless the model is valid at `when_utc`."""
    when = require_aware(when_utc, "when_utc")
    if not VALID_FROM_UTC <= when < VALID_UNTIL_UTC:
        raise OutsideModelEpochError(
            f"{when:%Y-%m-%d} is outside the validity of the World Magnetic Model "
            f"{MODEL_NAME} ({VALID_FROM_UTC:%Y-%m-%d} to {VALID_UNTIL_UTC:%Y-%m-%d}); "
            "no magnetic azimuth: use the true azimuth with a declination from a newer model"
        )


def declination(
    latitude_deg: float, longitude_deg: float, elevation_m: float, when_utc: datetime
) -> Declination:
    """Return the magnetic declination at one place (WGS84, height above the ellipsoid).

    Raises `OutsideModelEpochError` for a date outside the model, `BlackoutZoneError` in the
    blackout zone around a magnetic pole.
    """
    check_epoch(when_utc)
    dec, h = declinations_deg(
        np.array([latitude_deg]),
        np.array([longitude_deg]),
        np.array([elevation_m]),
        np.array([decimal_year(when_utc)]),
    )
    h_nt = float(h[0])
    if h_nt < BLACKOUT_H_NT:
        raise BlackoutZoneError(
            f"{abs(latitude_deg):.4f}{'N' if latitude_deg >= 0 else 'S'} "
            f"{abs(longitude_deg):.4f}{'E' if longitude_deg >= 0 else 'W'} is in the blackout "
            f"zone of the World Magnetic Model around a magnetic pole (horizontal field "
            f"{h_nt:,.0f} nT, below {BLACKOUT_H_NT:,.0f} nT): a compass is unreliable there; "
            "use the true azimuth"
        )
    return Declination(float(dec[0]), h_nt, h_nt < CAUTION_H_NT)


def declinations_deg(
    latitude_deg: ArrayLike,
    longitude_deg: ArrayLike,
    elevation_m: ArrayLike,
    decimal_years: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return declinations (deg, east positive) and horizontal intensities (nT) for arrays.

    The four arrays broadcast together; heights are metres above the WGS84 ellipsoid. No
    validity checks beyond the model's own (a `ValueError` for a decimal year outside it): the
    caller decides what a blackout-zone value means.
    """
    lat, lon, alt, year = np.broadcast_arrays(
        *(
            np.asarray(a, dtype=float)
            for a in (latitude_deg, longitude_deg, elevation_m, decimal_years)
        )
    )
    shape = lat.shape
    model = _model()
    with warnings.catch_warnings():
        # The module warns (UserWarning) about the blackout zone and heights outside its
        # military specification; we report those ourselves, as data.
        warnings.simplefilter("ignore")
        model.setup_time(dyear=year.ravel())
        model.setup_env(lat.ravel(), lon.ravel(), alt.ravel() / 1000.0, unit="km", msl=False)
        field = model.get_all()
    dec = np.asarray(field["dec"], dtype=float).reshape(shape)
    h = np.asarray(field["h"], dtype=float).reshape(shape)
    return dec, h


def window_declinations_deg(
    latitude_deg: float,
    longitude_deg: float,
    elevation_m: float,
    start_utc: datetime,
    seconds: ArrayLike,
) -> NDArray[np.float64]:
    """Return the declination (deg, east positive) at one place at many times, as data.

    `seconds` count from `start_utc`. NaN where the model gives no usable answer: a time
    outside its validity, or a place in the blackout zone (horizontal field below 2,000 nT).
    A whole catalogue's passes cost a few model evaluations: the model is evaluated at nodes
    `NODE_SPACING_S` apart spanning the times and interpolated linearly between them.
    """
    offsets = np.asarray(seconds, dtype=float)
    out = np.full(offsets.shape, np.nan)
    start = require_aware(start_utc, "start_utc").astimezone(UTC)
    valid_from = (VALID_FROM_UTC - start).total_seconds()
    valid_until = (VALID_UNTIL_UTC - start).total_seconds()
    inside = np.isfinite(offsets) & (offsets >= valid_from) & (offsets < valid_until)
    if not inside.any():
        return out
    low = max(float(offsets[inside].min()), valid_from)
    count = max(2, int(np.ceil((float(offsets[inside].max()) - low) / NODE_SPACING_S)) + 1)
    nodes = low + NODE_SPACING_S * np.arange(count)
    # The last node may pass the model's end by up to a day: evaluate it there at the end.
    node_years = decimal_years(start, np.minimum(nodes, valid_until - 1e-3))
    dec, h = declinations_deg(latitude_deg, longitude_deg, elevation_m, node_years)
    dec = np.where(h < BLACKOUT_H_NT, np.nan, dec)
    out[inside] = np.interp(offsets[inside], nodes, dec)
    return out


def magnetic_azimuth_deg(true_azimuth_deg: ArrayLike, declination_deg: ArrayLike) -> NDArray:
    """Return the compass (magnetic) azimuth for a true azimuth: A - D, in [0, 360).

    Both broadcast; NaN in either gives NaN (no usable declination: true azimuth only).
    """
    true = np.asarray(true_azimuth_deg, dtype=float)
    return np.mod(true - np.asarray(declination_deg, dtype=float), 360.0)


def _model():
    """A fresh NCEI WMM calculator (it keeps per-call state, so one per call)."""
    from wmm import wmm_calc  # NCEI's module; imported on first use (0.3 s)

    return wmm_calc()
