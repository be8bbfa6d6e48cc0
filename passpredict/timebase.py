"""A window's time axis: seconds from the window start, mapped to the dates SGP4 and GMST need.

The engine works on float seconds since `start_utc`. SGP4 wants UTC Julian dates (element
epochs are UTC); Earth's rotation wants UT1. UT1-UTC (dut1) comes from Skyfield's built-in
Earth-orientation tables at both window ends and is interpolated linearly in between (it
changes by a few milliseconds a week). Leap seconds inside a window are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray
from skyfield.timelib import Timescale

from passpredict.frames import gmst82_rad
from passpredict.timeutil import require_aware

_UNIX_EPOCH_JD = 2440587.5


@dataclass(frozen=True)
class TimeBase:
    """Seconds since `start_utc` <-> UTC Julian dates and sidereal angles."""

    start_utc: datetime
    jd_utc_whole: float
    jd_utc_fraction: float
    dut1_s: float
    dut1_rate: float

    @classmethod
    def create(cls, start_utc: datetime, end_utc: datetime, timescale: Timescale) -> TimeBase:
        """Build the time axis of [start_utc, end_utc], reading dut1 from `timescale`."""
        start = require_aware(start_utc, "start")
        end = require_aware(end_utc, "end")
        seconds = (start - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
        days, day_seconds = divmod(seconds, 86400.0)
        whole = _UNIX_EPOCH_JD + days
        fraction = day_seconds / 86400.0
        t = timescale.from_datetimes([start, max(end, start + timedelta(seconds=1))])
        dut1 = np.asarray(t.dut1, dtype=float)
        span_s = max((end - start).total_seconds(), 1.0)
        return cls(start, whole, fraction, float(dut1[0]), float(dut1[1] - dut1[0]) / span_s)

    def jd_utc(self, seconds: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return (whole, fraction) UTC Julian dates for seconds since the start."""
        frac = self.jd_utc_fraction + np.asarray(seconds, dtype=float) / 86400.0
        whole = np.full(frac.shape, self.jd_utc_whole)
        return whole, frac

    def gmst_rad(self, seconds: ArrayLike) -> NDArray[np.float64]:
        """Return GMST 1982 at UT1 for seconds since the start."""
        secs = np.asarray(seconds, dtype=float)
        dut1 = self.dut1_s + self.dut1_rate * secs
        frac = self.jd_utc_fraction + (secs + dut1) / 86400.0
        return gmst82_rad(self.jd_utc_whole, frac)

    def to_datetime(self, seconds: float) -> datetime:
        """Return the aware UTC datetime `seconds` after the start (microsecond resolution)."""
        return self.start_utc + timedelta(microseconds=round(float(seconds) * 1e6))

    def seconds_since_start(self, when_utc: datetime) -> float:
        return (require_aware(when_utc) - self.start_utc).total_seconds()
