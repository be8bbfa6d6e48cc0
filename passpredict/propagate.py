"""SGP4 on numpy arrays, straight into the Earth-fixed frame.

Raw SGP4 on arrays propagates well over a million positions a second, against about 14,000 for
Skyfield's full-accuracy `at()` (docs: anchors.md); the pass search uses this path. Per-sample
SGP4 error codes come back as a boolean `ok` mask instead of exceptions, so one decayed sample
does not stop a batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec, SatrecArray

from passpredict.frames import teme_to_ecef
from passpredict.stationkeeping import held_offsets_s
from passpredict.timebase import TimeBase


def propagate_grid(
    satrecs: Sequence[Satrec], timebase: TimeBase, seconds: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Propagate every satellite to every time; returns ECEF r (n_sat, n_t, 3) km, v km/s, ok."""
    whole, fraction = timebase.jd_utc(seconds)
    errors, r_teme, v_teme = SatrecArray(list(satrecs)).sgp4(whole, fraction)
    gmst = timebase.gmst_rad(seconds)
    r_ecef, v_ecef = teme_to_ecef(r_teme, v_teme, gmst[None, :])
    return r_ecef, v_ecef, errors == 0


def propagate_points(
    satrec: Satrec, timebase: TimeBase, seconds: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Propagate one satellite to each of `seconds`; returns ECEF r (n, 3), v (n, 3) and ok (n,)."""
    whole, fraction = timebase.jd_utc(seconds)
    errors, r_teme, v_teme = satrec.sgp4_array(whole, fraction)
    r_ecef, v_ecef = teme_to_ecef(r_teme, v_teme, timebase.gmst_rad(seconds))
    return r_ecef, v_ecef, errors == 0


def propagate_station_kept(
    satrec: Satrec, epoch_offset_s: float, timebase: TimeBase, seconds: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
    """Return ECEF positions of a geostationary satellite, held at station far from the epoch.

    `epoch_offset_s` is the window start minus the element epoch, in seconds. Returns the
    positions (n, 3), the ok mask and the mask of samples that were held (see
    `passpredict.stationkeeping`).
    """
    offsets = np.asarray(seconds, dtype=float) + epoch_offset_s
    mapped_offsets, held = held_offsets_s(offsets)
    mapped_seconds = mapped_offsets - epoch_offset_s
    r_ecef, _, ok = propagate_points(satrec, timebase, mapped_seconds)
    return r_ecef, ok, held
