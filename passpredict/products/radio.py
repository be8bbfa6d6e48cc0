"""Radio details: how fast the range changes, and the Doppler shift that follows from it.

The range rate is the time derivative of the observer-satellite distance: negative while the
satellite approaches, positive while it recedes. A distance between two points at one instant
is the same in every frame, so computing it in the rotating Earth-fixed frame (where the
observer stands still and SGP4's velocity has the Earth's rotation removed) is exact.

Doppler, to first order in v/c: a signal sent by the satellite at `f` is received at
`f * (1 - range_rate / c)`, so the shift is `-f * range_rate / c` (positive while approaching).
The neglected second-order and gravitational terms are below 1e-9 of `f`: under 0.5 Hz at
437 MHz, under 3 Hz at 2.4 GHz. For an uplink, pre-correct the transmitter by the opposite
shift (to the same order).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from passpredict.engine.frames import observer_ecef_km
from passpredict.records import Observer

#: Speed of light in vacuum (km/s), exact by definition of the metre.
SPEED_OF_LIGHT_KM_S = 299_792.458


def range_rate_km_s(
    r_ecef_km: NDArray[np.float64],
    v_ecef_km_s: NDArray[np.float64],
    obs_ecef_km: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return d(range)/dt (km/s) for Earth-fixed satellite states seen from fixed observers.

    Arrays (..., 3) broadcast against each other.
    """
    rho = np.asarray(r_ecef_km, dtype=float) - obs_ecef_km
    return np.einsum("...j,...j->...", rho, v_ecef_km_s) / np.linalg.norm(rho, axis=-1)


def doppler_shift_hz(range_rate: ArrayLike, frequency_hz: float) -> NDArray[np.float64]:
    """Return the received-minus-sent frequency (Hz) of a satellite signal at `frequency_hz`."""
    if not frequency_hz > 0.0:
        raise ValueError(f"frequency_hz must be positive, got {frequency_hz!r}")
    return -float(frequency_hz) * np.asarray(range_rate, dtype=float) / SPEED_OF_LIGHT_KM_S


def observer_range_rates(
    r_ecef_km: NDArray[np.float64],
    v_ecef_km_s: NDArray[np.float64],
    observers: Sequence[Observer],
    observer_index: NDArray[np.intp],
) -> NDArray[np.float64]:
    """Return the range rate of each state `k` as seen by `observers[observer_index[k]]`."""
    obs = observer_ecef_km(list(observers))
    return range_rate_km_s(r_ecef_km, v_ecef_km_s, obs[np.asarray(observer_index, dtype=np.intp)])
