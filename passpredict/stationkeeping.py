"""Holding a geostationary satellite at its station far from the element epoch.

SDP4 models an uncontrolled object: propagated weeks from its epoch, a geostationary element set
drifts east or west by degrees (Azerspace-1 from the 2026-05-30 set: 46.0 E -> 47.2 E after 30
days, 60.5 E after 130 days), while the real satellite is held within about 0.1 deg of its slot
by manoeuvres. Beyond `HOLD_HORIZON_DAYS` from the epoch we therefore hold the satellite at its
station-kept position: the Earth-fixed position at the same sidereal phase during the first
sidereal day after the epoch. That keeps the epoch orbit's longitude and its small daily
libration (the figure-of-eight from inclination and the east-west swing from eccentricity) and
drops only the modelled drift.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: How far from its epoch a geostationary set is propagated as is; see the module docstring.
HOLD_HORIZON_DAYS = 14.0
SIDEREAL_DAY_S = 86164.0905


def held_offsets_s(
    offsets_from_epoch_s: ArrayLike, horizon_days: float = HOLD_HORIZON_DAYS
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Map times (seconds from the epoch) to the times whose Earth-fixed position they take.

    Times within the horizon map to themselves. Later (or much earlier) times map to the time
    of the same sidereal phase within the first sidereal day after the epoch. Returns the
    mapped offsets and a mask of which ones were held.
    """
    offsets = np.asarray(offsets_from_epoch_s, dtype=float)
    held = np.abs(offsets) > horizon_days * 86400.0
    mapped = np.where(held, np.mod(offsets, SIDEREAL_DAY_S), offsets)
    return mapped, held
