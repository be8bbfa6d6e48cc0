"""Holding a geostationary satellite at its station far from the element epoch.

SDP4 models an uncontrolled object: propagated weeks from its epoch, a geostationary element set
drifts east or west by degrees (Azerspace-1 from the 2026-05-30 set: 46.0 E -> 47.2 E after 30
days, 60.5 E after 130 days), while the real satellite is held within about 0.1 deg of its slot
by manoeuvres. Beyond `HOLD_HORIZON_DAYS` from the epoch we therefore hold the satellite at its
station-kept position: the Earth-fixed position at the same sidereal phase during the first
sidereal day after the epoch. That keeps the epoch orbit's longitude and its small daily
libration (the figure-of-eight from inclination and the east-west swing from eccentricity) and
drops only the modelled drift.

The horizon is measured, not guessed (`hold_errors`, docs/geo.md): over the 2026 element series
of Azerspace-1 (279 sets) and Azerspace-2 (248 sets), each set is propagated to the epoch of
every later set, and both its plain SGP4 prediction and its held prediction are compared with
the later set, as directions seen from Baku. Plain propagation is better only for the first 3
to 5 days (median error 0.03 deg at 4 days); after that the modelled drift grows quadratically
(median 0.12 deg at 10-14 days, 0.56 deg at 21-28 days, 2 deg at 6-8 weeks for Azerspace-1),
while the held position stays within 0.03-0.05 deg (median; 90th percentile 0.07-0.09 deg)
out to 160 days. Held beats propagated in more than half of the pairs from 3.5 days
(Azerspace-1) and 5 days (Azerspace-2) on, so the horizon is 4 days.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sgp4.api import SatrecArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import observer_ecef_km, teme_to_ecef
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.time_axis import TimeBase
from passpredict.records import Observer
from tle_cache.elements import ElementSet

#: How far from its epoch a geostationary set is propagated as is; see the module docstring.
HOLD_HORIZON_DAYS = 4.0
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


def window_held(element_set: ElementSet, start_utc: datetime, end_utc: datetime) -> bool:
    """Tell whether part of a window lies beyond the hold horizon of a geostationary set."""
    if classify(element_set) is not OrbitClass.GEOSTATIONARY:
        return False
    ages = (abs(element_set.age_days(start_utc)), abs(element_set.age_days(end_utc)))
    return max(ages) > HOLD_HORIZON_DAYS


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class SatelliteTrack(NamedTuple):
    """Earth-fixed positions of one satellite over a window, held at station if asked.

    `hold` is decided by the caller (true for geostationary satellites). Held samples are
    propagated to their mapped time near the epoch and rotated into the Earth-fixed frame with
    the sidereal angle of that mapped time, from a time base of the epoch's own day (so UT1-UTC
    is not extrapolated over months).
    """

    element_set: ElementSet
    timebase: TimeBase
    epoch_timebase: TimeBase
    hold: bool
    horizon_days: float

    @classmethod
    def create(
        cls,
        element_set: ElementSet,
        timebase: TimeBase,
        timescale: Timescale,
        *,
        hold: bool,
        horizon_days: float = HOLD_HORIZON_DAYS,
    ) -> SatelliteTrack:
        epoch = element_set.epoch_utc
        epoch_timebase = TimeBase.create(epoch, epoch + timedelta(days=1), timescale)
        return cls(element_set, timebase, epoch_timebase, hold, horizon_days)

    @property
    def epoch_offset_s(self) -> float:
        """Seconds from the element epoch to the window start."""
        return (self.timebase.start_utc - self.element_set.epoch_utc).total_seconds()

    def ecef_km(self, seconds: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Return Earth-fixed positions (n, 3) km at `seconds` from the window start, and the
        mask of held samples. Raises `ValueError` when SGP4 refuses to propagate."""
        secs = np.atleast_1d(np.asarray(seconds, dtype=float))
        if self.hold:
            mapped, held = held_offsets_s(secs + self.epoch_offset_s, self.horizon_days)
        else:
            mapped, held = secs + self.epoch_offset_s, np.zeros(secs.shape, dtype=bool)
        r = np.empty((*secs.shape, 3))
        if (~held).any():
            r[~held] = _ecef(self.element_set, self.timebase, secs[~held])
        if held.any():
            r[held] = _ecef(self.element_set, self.epoch_timebase, mapped[held])
        return r, held

    def ecef_state_km(
        self, seconds: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
        """Return Earth-fixed positions (n, 3) km and velocities (n, 3) km/s at `seconds`, and
        the mask of held samples. A held sample moves as the epoch orbit did at its mapped time
        (the mapping advances one second per second), so its velocity is the derivative of the
        held path. Raises `ValueError` when SGP4 refuses to propagate."""
        secs = np.atleast_1d(np.asarray(seconds, dtype=float))
        if self.hold:
            mapped, held = held_offsets_s(secs + self.epoch_offset_s, self.horizon_days)
        else:
            held = np.zeros(secs.shape, dtype=bool)
            mapped = secs + self.epoch_offset_s
        r = np.empty((*secs.shape, 3))
        v = np.empty((*secs.shape, 3))
        if (~held).any():
            r[~held], v[~held] = _ecef_state(self.element_set, self.timebase, secs[~held])
        if held.any():
            r[held], v[held] = _ecef_state(self.element_set, self.epoch_timebase, mapped[held])
        return r, v, held


def unheld_ecef_km(
    tracks: Sequence[SatelliteTrack], seconds: ArrayLike
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Return the positions of many tracks on one grid, in a single SGP4 call where it can.

    Covers the tracks none of whose samples at `seconds` (from the window start) is held and
    that SGP4 propagates there without error: their positions are the window time base's own,
    shared by all, so one `SatrecArray` call gives them (element for element the numbers of
    each `Satrec.sgp4_array`, tests/test_stationkeeping.py), without the per-call overhead of
    438 separate tracks (issue 11). Returns the indices of those tracks in `tracks` and their
    Earth-fixed positions (n_tracks, n_seconds, 3) km, equal to `tracks[i].ecef_km(seconds)`;
    the other tracks (held, refused, or on another time base) are left to `ecef_km`, which
    holds them or raises.
    """
    secs = np.atleast_1d(np.asarray(seconds, dtype=float))
    if not tracks:
        return np.zeros(0, np.intp), np.empty((0, secs.size, 3))
    timebase = tracks[0].timebase
    offsets = np.array([t.epoch_offset_s for t in tracks])
    horizons = np.array([t.horizon_days if t.hold else np.inf for t in tracks])
    # the same sums and comparison as `ecef_km` with `held_offsets_s`, element for element
    held = (np.abs(secs[None, :] + offsets[:, None]) > horizons[:, None] * 86400.0).any(axis=1)
    chosen, satrecs = [], []
    for i, track in enumerate(tracks):
        if held[i] or track.timebase is not timebase:
            continue
        try:
            satrecs.append(track.element_set.satrec())
        except ValueError:  # left to `ecef_km`, which raises it in its turn
            continue
        chosen.append(i)
    if not chosen:
        return np.zeros(0, np.intp), np.empty((0, secs.size, 3))
    whole, fraction = timebase.jd_utc(secs)
    errors, r_teme, v_teme = SatrecArray(satrecs).sgp4(whole, fraction)
    fine = ~errors.any(axis=1)
    r, _ = teme_to_ecef(r_teme[fine], v_teme[fine], timebase.gmst_rad(secs))
    return np.asarray(chosen, dtype=np.intp)[fine], r


def _ecef(
    element_set: ElementSet, timebase: TimeBase, seconds: NDArray[np.float64]
) -> NDArray[np.float64]:
    return _ecef_state(element_set, timebase, seconds)[0]


def _ecef_state(
    element_set: ElementSet, timebase: TimeBase, seconds: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    whole, fraction = timebase.jd_utc(seconds)
    errors, r_teme, v_teme = element_set.satrec().sgp4_array(whole, fraction)
    if np.any(errors):
        code = int(errors[errors != 0][0])
        raise ValueError(
            f"SGP4 cannot propagate {element_set.name} (NORAD {element_set.norad_id}, epoch "
            f"{element_set.epoch_utc:%Y-%m-%d}) to the requested times (SGP4 error {code}); "
            "use a newer element set"
        )
    return teme_to_ecef(r_teme, v_teme, timebase.gmst_rad(seconds))


# --- measuring the horizon ------------------------------------------------------------------


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class HoldErrorBin(NamedTuple):
    """Direction errors seen from an observer, for prediction leads in (lead_min, lead_max]."""

    lead_min_days: float
    lead_max_days: float
    pairs: int
    propagated_median_deg: float
    propagated_p90_deg: float
    held_median_deg: float
    held_p90_deg: float
    held_better_fraction: float


def hold_errors(
    element_sets: Sequence[ElementSet],
    observer: Observer,
    timescale: Timescale,
    max_lead_days: float = 200.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Compare plain and held predictions of a series of sets with the later sets themselves.

    For every pair of sets (i, j) of one object with epoch j later than epoch i (by a minute to
    `max_lead_days`), set i is propagated to epoch j both plainly and held at station (horizon
    zero), and each is compared with set j at its own epoch. Returns the leads (days) and the
    two errors, as angles (deg) between the directions seen from `observer`.
    """
    sets = sorted(element_sets, key=lambda es: es.epoch_utc)
    if len({es.norad_id for es in sets}) > 1:
        raise ValueError("hold_errors compares sets of one object; got several NORAD numbers")
    if len(sets) < 2:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    start: datetime = sets[0].epoch_utc
    timebase = TimeBase.create(start, sets[-1].epoch_utc, timescale)
    epochs_s = np.array([(es.epoch_utc - start).total_seconds() for es in sets])
    truth = np.concatenate(
        [_ecef(es, timebase, np.array([t])) for es, t in zip(sets, epochs_s, strict=True)]
    )
    obs = observer_ecef_km([observer])[0]
    leads, propagated, held = [], [], []
    for i, es in enumerate(sets):
        later = (epochs_s > epochs_s[i] + 60.0) & (epochs_s <= epochs_s[i] + max_lead_days * 86400)
        if not later.any():
            continue
        targets = epochs_s[later]
        offsets = targets - epochs_s[i]
        mapped, _ = held_offsets_s(offsets, horizon_days=0.0)
        plain = _ecef(es, timebase, targets)
        kept = _ecef(es, timebase, mapped + epochs_s[i])
        leads.append(offsets / 86400.0)
        propagated.append(_angle_deg(plain - obs, truth[later] - obs))
        held.append(_angle_deg(kept - obs, truth[later] - obs))
    return np.concatenate(leads), np.concatenate(propagated), np.concatenate(held)


def summarise_hold_errors(
    lead_days: NDArray[np.float64],
    propagated_deg: NDArray[np.float64],
    held_deg: NDArray[np.float64],
    edges_days: Sequence[float],
) -> list[HoldErrorBin]:
    """Bin the errors of `hold_errors` by lead; empty bins are left out."""
    bins = []
    for low, high in itertools.pairwise(edges_days):
        inside = (lead_days > low) & (lead_days <= high)
        if not inside.any():
            continue
        p, h = propagated_deg[inside], held_deg[inside]
        bins.append(
            HoldErrorBin(
                float(low),
                float(high),
                int(inside.sum()),
                float(np.median(p)),
                float(np.percentile(p, 90)),
                float(np.median(h)),
                float(np.percentile(h, 90)),
                float(np.mean(h < p)),
            )
        )
    return bins


def crossover_days(bins: Sequence[HoldErrorBin]) -> float:
    """Return the lead from which holding beats propagating in most pairs, in every later bin."""
    for k, b in enumerate(bins):
        if all(later.held_better_fraction > 0.5 for later in bins[k:]):
            return b.lead_min_days
    return float("inf")


def _angle_deg(u: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """Angle between row vectors, well conditioned for small angles."""
    cross = np.linalg.norm(np.cross(u, w), axis=-1)
    angle_deg: NDArray[np.float64] = np.degrees(
        np.arctan2(cross, np.einsum("...j,...j->...", u, w))
    )
    return angle_deg
