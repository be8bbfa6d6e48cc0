"""A window's time axis: seconds from the window start, mapped to the dates SGP4 and GMST need.

The engine works on float seconds since `start_utc`, counted the way Python's `datetime`
counts them: UTC with 86,400 seconds in every day, so a leap second (the last one was
2016-12-31 23:59:60) is not on the axis. `to_datetime` and `seconds_since_start` are plain
`datetime` arithmetic, and the UTC Julian date SGP4 wants (element epochs are UTC) is the start's
plus seconds / 86,400: what Skyfield gives SGP4 at every instant outside the leap second itself.
Over a window that holds a leap second, this axis is one SI second shorter than the time that
really elapses, and a duration computed from two `datetime`s across it (a pass's rise to set)
is one second short; an event inside the leap second itself would be reported at the midnight
that follows it.

Earth's rotation wants UT1. UT1 - TAI is continuous, and Skyfield's built-in Earth-orientation
table holds it (as Delta T = TT - UT1) at every UTC midnight, interpolated linearly in between;
we take it at the same midnights from the timescale and interpolate it the same way for every
sample, then add TAI - UTC, a whole number of seconds that steps at the midnight after a leap
second. So UT1 - UTC (dut1) is Skyfield's own at every sample: a window of a year gives the same
events as 365 windows of a day, and a window across a leap second sees its one-second step
exactly where it happens.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from skyfield.timelib import Timescale

from passpredict.engine.frames import gmst82_rad
from passpredict.timeutil import require_aware

_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_UNIX_EPOCH_JD = 2440587.5
_DAY_S = 86400.0
#: TT - TAI (s), by definition.
_TT_MINUS_TAI_S = 32.184

T = TypeVar("T")


@dataclass
class _Derived:
    """`TimeBase.derived`'s store: the values by key, and the bytes of their arrays."""

    values: dict[Hashable, Any] = field(default_factory=dict)
    nbytes: int = 0


@dataclass(frozen=True)
class TimeBase:
    """Seconds since `start_utc` <-> UTC Julian dates and sidereal angles.

    `node_s` are the UTC midnights around the window (seconds since the start, the first at or
    before it, the last at or after its end), `ut1_minus_tai_s` UT1 - TAI there and
    `tai_minus_utc_s` TAI - UTC from each midnight until the next.
    """

    start_utc: datetime
    jd_utc_whole: float
    jd_utc_fraction: float
    node_s: NDArray[np.float64] = field(repr=False, compare=False)
    ut1_minus_tai_s: NDArray[np.float64] = field(repr=False, compare=False)
    tai_minus_utc_s: NDArray[np.float64] = field(repr=False, compare=False)
    #: Arrays derived from the axis alone, shared by axes with the same start and UT1 table
    #: (`derived`).
    _derived: _Derived = field(default_factory=lambda: _Derived(), repr=False, compare=False)

    @classmethod
    def create(cls, start_utc: datetime, end_utc: datetime, timescale: Timescale) -> TimeBase:
        """Build the time axis of [start_utc, end_utc], reading UT1 from `timescale`."""
        start = require_aware(start_utc, "start")
        end = max(require_aware(end_utc, "end"), start)
        seconds = (start - _UNIX_EPOCH).total_seconds()
        days, day_seconds = divmod(seconds, _DAY_S)
        whole = _UNIX_EPOCH_JD + days
        fraction = day_seconds / _DAY_S
        # UTC midnights from the one at or before the start to the one at or after the end
        span_days = (end - start).total_seconds() / _DAY_S + fraction
        midnights = np.arange(max(math.ceil(span_days), 1) + 1, dtype=float)
        ut1_minus_tai, tai_minus_utc, derived = _midnight_offsets(timescale, days, midnights.size)
        node_s = (midnights - fraction) * _DAY_S
        return cls(start, whole, fraction, node_s, ut1_minus_tai, tai_minus_utc, derived)

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return `make()`, computed once per `key` for this axis and every axis built on the
        same start and UT1 table by `create` (a batch's chunks, or repeated searches over one
        window).

        For values that depend only on the axis and on `key` (the scan's grid times and
        their sidereal angles, say), which the caller must make read-only: they are shared.
        At most `_DERIVED_BYTES` of arrays are kept per start and UT1 table: enough for the
        short grids where the fixed cost of a search shows (one pair over a week), while a
        long grid, whose arrays cost more than remaking them, is made each time.
        """
        full_key = (self.jd_utc_fraction, key)
        store = self._derived
        value: T | None = store.values.get(full_key)
        if value is None:  # (two threads may both make it: the same values)
            value = make()
            parts = value if isinstance(value, tuple) else (value,)
            size = sum(part.nbytes for part in parts if isinstance(part, np.ndarray))
            if store.nbytes + size <= _DERIVED_BYTES:
                store.values[full_key] = value
                store.nbytes += size
        return value

    def jd_utc(self, seconds: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return (whole, fraction) UTC Julian dates for seconds since the start."""
        frac = self.jd_utc_fraction + np.asarray(seconds, dtype=float) / _DAY_S
        whole = np.empty(frac.shape)
        whole.fill(self.jd_utc_whole)  # `np.full` without its Python-level overhead
        return whole, frac

    def dut1_s(self, seconds: ArrayLike) -> NDArray[np.float64]:
        """Return UT1 - UTC (s) at seconds since the start, as Skyfield's timescale gives it."""
        secs = np.asarray(seconds, dtype=float)
        steps = self.tai_minus_utc_s
        if self.node_s.size == 2 and secs.ndim:  # a day from a midnight: one segment
            dut1 = _interp_one_segment(secs, self.node_s, self.ut1_minus_tai_s)
        else:
            dut1 = np.interp(secs, self.node_s, self.ut1_minus_tai_s)
        if steps[0] == steps[-1]:  # no leap second in the window: the usual case
            if np.ndim(dut1):  # (interp's own array: added into)
                dut1 += float(steps[0])
                return dut1
            return dut1 + float(steps[0])
        day = np.clip(np.searchsorted(self.node_s, secs, side="right") - 1, 0, steps.size - 1)
        return dut1 + steps[day]

    def gmst_rad(self, seconds: ArrayLike) -> NDArray[np.float64]:
        """Return GMST 1982 at UT1 for seconds since the start."""
        secs = np.asarray(seconds, dtype=float)
        frac = self.dut1_s(secs)
        if np.ndim(frac) == 0:
            frac = self.jd_utc_fraction + (secs + frac) / _DAY_S
        else:  # the same sums, into dut1_s's own array (a + b is b + a, to the bit)
            frac += secs
            frac /= _DAY_S
            frac += self.jd_utc_fraction
        return gmst82_rad(self.jd_utc_whole, frac)

    def to_datetime(self, seconds: float) -> datetime:
        """Return the aware UTC datetime `seconds` after the start (microsecond resolution)."""
        return self.start_utc + timedelta(microseconds=round(float(seconds) * 1e6))

    def seconds_since_start(self, when_utc: datetime) -> float:
        """Return `when_utc` as seconds since the start (`datetime` arithmetic: no leap second)."""
        return (require_aware(when_utc) - self.start_utc).total_seconds()


def _interp_one_segment(
    x: NDArray[np.float64], xp: NDArray[np.float64], fp: NDArray[np.float64]
) -> NDArray[np.float64]:
    """`np.interp(x, xp, fp)` for two nodes, to the bit: slope (x - x0) + y0 inside, the
    end values at and beyond the ends, as numpy computes them (tests/test_timebase.py), in
    a third of its time (its search for each point's segment is most of it)."""
    slope = (fp[1] - fp[0]) / (xp[1] - xp[0])
    y: NDArray[np.float64] = np.subtract(x, xp[0])
    y *= slope
    y += fp[0]
    if x.size and not (x.min() > xp[0] and x.max() < xp[1]):  # (NaN: stays NaN)
        y[x >= xp[1]] = fp[1]
        y[x <= xp[0]] = fp[0]
    return y


#: `_midnight_offsets` already read, per timescale: (first day, count) -> the two arrays.
_Offsets = tuple[NDArray[np.float64], NDArray[np.float64], _Derived]
_OFFSETS: weakref.WeakKeyDictionary[Timescale, dict[tuple[float, int], _Offsets]] = (
    weakref.WeakKeyDictionary()
)
_OFFSETS_KEPT = 64
#: Arrays `TimeBase.derived` keeps per start day and UT1 table, at most (bytes).
_DERIVED_BYTES = 65_536


def _midnight_offsets(timescale: Timescale, first_day: float, count: int) -> _Offsets:
    """Return UT1 - TAI and TAI - UTC (s) at `count` UTC midnights from day `first_day` (days
    since 1970-01-01), as `timescale` gives them, and the store of `TimeBase.derived`.

    Read once per timescale and span, then kept (read-only): a batch builds the same time axis
    for every chunk, and reading them is about 65 us, 4 % of a search on one pair over a day.
    The values depend only on the timescale's tables, which do not change.
    """
    kept = _OFFSETS.setdefault(timescale, {})
    key = (first_day, count)
    offsets = kept.get(key)
    if offsets is None:
        midnights = np.arange(count, dtype=float)
        node_jd = _UNIX_EPOCH_JD + first_day + midnights
        first = _UNIX_EPOCH + timedelta(days=first_day)
        t = timescale.utc(first.year, first.month, first.day + midnights)
        tai_minus_utc = np.round(((t.whole - node_jd) + t.tai_fraction) * _DAY_S, 6)
        ut1_minus_tai = _TT_MINUS_TAI_S - np.asarray(t.delta_t, dtype=float)
        ut1_minus_tai.flags.writeable = False
        tai_minus_utc.flags.writeable = False
        offsets = (ut1_minus_tai, tai_minus_utc, _Derived())
        if len(kept) >= _OFFSETS_KEPT:
            kept.clear()
        kept[key] = offsets
    return offsets
