"""Estimated brightness of a sunlit satellite: a standard magnitude, the range and the phase.

The standard magnitude is the convention of the visual observers' catalogues (Molczan and
McCants, mmccants.org/tles/mccdesc.html): the satellite's magnitude at 1000 km range and 90 deg
phase angle (half illuminated). From it, at range `d` (km) and phase angle `phi` (the angle at
the satellite between the Sun and the observer; 0 = fully lit face towards us):

    m = m_std + 5 log10(d / 1000) - 2.5 log10(F(phi) / F(90 deg))
    F(phi) = ((pi - phi) cos(phi) + sin(phi)) / pi        (diffuse, Lambertian sphere)

so that the face-on, fully lit satellite is 1.24 mag brighter than its standard magnitude, and
one at 150 deg phase 3.3 mag fainter. McCants' own formula uses the illuminated fraction
(1 + cos phi) / 2 instead, which agrees at 90 deg and differs by up to half a magnitude at
small phase and a magnitude at large phase.

How far to trust it: real satellites are not diffuse spheres. Flat panels and shiny surfaces
flare by several magnitudes for seconds (Iridium, Starlink), attitude changes the cross-section,
and standard magnitudes from visual observation scatter by half a magnitude or more. Take the
estimate as +-1 magnitude at best, never as a measurement; atmospheric extinction (a few tenths
of a magnitude at 20 deg elevation, more lower down) is not included.

`STANDARD_MAGNITUDES` holds published figures only, with their source; a satellite without one
gets no magnitude (`None`) unless the caller supplies its standard magnitude (`--std-mag`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class StandardMagnitude(NamedTuple):
    """A published standard magnitude (1000 km, 90 deg phase) and where it was published."""

    magnitude: float
    source: str


#: Published standard magnitudes of the satellites passpredict tracks, by NORAD number.
#: Only figures with a citable source belong here; an invented one would print as a fact.
#: As of 2026-08 none is known to us for the tracked satellites:
#: - 40053 SPOT 7 (Azersky): not in McCants' qs.mag, no published visual magnitude found;
#: - 39079 AZERSPACE 1, 43632 AZERSPACE 2 (IS-38): geostationary, they have no passes.
#: Add an entry as `norad_id: StandardMagnitude(value, "source")` when a figure is published.
STANDARD_MAGNITUDES: dict[int, StandardMagnitude] = {}

#: F(90 deg) of the diffuse sphere, the reference phase of a standard magnitude.
_F_AT_90_DEG = 1.0 / np.pi
#: Range of a standard magnitude (km).
_STANDARD_RANGE_KM = 1000.0


def standard_magnitude(
    norad_id: int, supplied: Mapping[int, float] | None = None
) -> StandardMagnitude | None:
    """Return the standard magnitude to use: the caller's, else the published one, else None."""
    if supplied and norad_id in supplied:
        return StandardMagnitude(float(supplied[norad_id]), "supplied by the user")
    return STANDARD_MAGNITUDES.get(norad_id)


def diffuse_sphere_phase(phase_angle_deg: ArrayLike) -> NDArray[np.float64]:
    """Return F(phi) = ((pi - phi) cos phi + sin phi) / pi: 1 face-on, 0 from behind."""
    phi = np.radians(np.clip(np.asarray(phase_angle_deg, dtype=float), 0.0, 180.0))
    phase: NDArray[np.float64] = ((np.pi - phi) * np.cos(phi) + np.sin(phi)) / np.pi
    return phase


def phase_angle_deg(
    r_sat_km: NDArray[np.float64], r_sun_km: NDArray[np.float64], r_observer_km: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return the angle at the satellite between the Sun and the observer (deg).

    All positions in one frame (any frame); arrays (..., 3) broadcast against each other.
    """
    to_sun = np.asarray(r_sun_km, dtype=float) - r_sat_km
    to_observer = np.asarray(r_observer_km, dtype=float) - r_sat_km
    cosine = np.einsum("...j,...j->...", to_sun, to_observer) / (
        np.linalg.norm(to_sun, axis=-1) * np.linalg.norm(to_observer, axis=-1)
    )
    angle_deg: NDArray[np.float64] = np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0)))
    return angle_deg


def estimated_magnitude(
    std_magnitude: ArrayLike, range_km: ArrayLike, phase_angle: ArrayLike
) -> NDArray[np.float64]:
    """Return the diffuse-sphere estimate of the visual magnitude (see the module docstring).

    `phase_angle` is in degrees. A satellite seen exactly from behind (180 deg) gets +inf.
    """
    f = diffuse_sphere_phase(phase_angle)
    f = np.where(f < 1e-12, 0.0, f)  # sin(pi) is 1e-16, not 0: from behind is dark
    with np.errstate(divide="ignore"):
        phase_term = -2.5 * np.log10(f / _F_AT_90_DEG)
    distance_term = 5.0 * np.log10(np.asarray(range_km, dtype=float) / _STANDARD_RANGE_KM)
    return np.asarray(std_magnitude, dtype=float) + distance_term + phase_term


def parse_std_magnitudes(values: Sequence[str], norad_ids: Sequence[int]) -> dict[int, float]:
    """Turn `--std-mag` values into {NORAD: standard magnitude}.

    "NORAD=MAG" sets one satellite; a bare "MAG" sets every satellite in `norad_ids` that has
    no "NORAD=MAG" of its own. Raises `ValueError` with the fix for anything else.
    """
    explicit: dict[int, float] = {}
    default: float | None = None
    for text in values:
        key, sep, value = text.partition("=")
        if sep:
            if not key.strip().isdigit():
                raise ValueError(
                    f"--std-mag {text!r}: before '=' comes a NORAD number, e.g. 25544=-1.8"
                )
            explicit[int(key)] = _magnitude_value(value, text)
        else:
            default = _magnitude_value(key, text)
    result = {n: default for n in norad_ids} if default is not None else {}
    result.update(explicit)
    return result


def unused_magnitudes(values: Sequence[str], norad_ids: Sequence[int]) -> list[str]:
    """Return the `--std-mag` "NORAD=MAG" values naming no satellite in `norad_ids` (a typo?)."""
    in_run = set(norad_ids)
    unused = []
    for text in values:
        key, sep, _ = text.partition("=")
        if sep and int(key) not in in_run:
            unused.append(text)
    return unused


def _magnitude_value(value: str, text: str) -> float:
    try:
        magnitude = float(value)
    except ValueError:
        magnitude = float("nan")
    if not (np.isfinite(magnitude) and -30.0 <= magnitude <= 30.0):
        raise ValueError(
            f"--std-mag {text!r} is not a magnitude between -30 and +30; give MAG for every "
            "satellite or NORAD=MAG for one, e.g. --std-mag 25544=-1.8"
        )
    return magnitude
