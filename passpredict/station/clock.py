"""Clocks for the live loops: the real one, and a simulated one for demos and tests.

The loops never read the time themselves: they are handed a clock, and ask it what time it
is and to wait until a moment. `SystemClock` waits on an event (no busy waiting; a long wait
is one call), `SimulatedClock` runs from a chosen start `speed` times faster than real time
(`--start ISO --speed N`: a 10-minute pass in 10 s at 60), and `ManualClock` jumps to each
moment at once, so tests never sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from passpredict.timeutil import require_aware


class Clock(Protocol):
    """What the loops need of a clock."""

    def now(self) -> datetime:
        """Return the current (aware, UTC) time."""
        ...

    def sleep_until(self, when_utc: datetime) -> None:
        """Return at `when_utc` (at once if it has passed)."""
        ...


class SystemClock:
    """The real clock. Waits are interruptible by Ctrl-C (SIGINT) like any sleep."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep_until(self, when_utc: datetime) -> None:
        # wall-clock waits in slices of at most a minute, so a clock step (NTP, suspend)
        # is noticed within a minute
        while True:
            left = (when_utc - self.now()).total_seconds()
            if left <= 0:
                return
            self._event.wait(min(left, 60.0))


class SimulatedClock:
    """A clock that starts at `start_utc` and runs `speed` times faster than real time."""

    def __init__(
        self,
        start_utc: datetime,
        speed: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be above 0, got {speed!r}")
        self.start_utc = require_aware(start_utc, "start").astimezone(UTC)
        self.speed = float(speed)
        self._monotonic = monotonic
        self._sleep = sleep
        self._origin = monotonic()

    def now(self) -> datetime:
        elapsed = (self._monotonic() - self._origin) * self.speed
        return self.start_utc + timedelta(seconds=elapsed)

    def sleep_until(self, when_utc: datetime) -> None:
        left = (when_utc - self.now()).total_seconds() / self.speed
        if left > 0:
            self._sleep(left)


class ManualClock:
    """A clock that is wherever it was last sent: `sleep_until` jumps there at once."""

    def __init__(self, start_utc: datetime) -> None:
        self._now = require_aware(start_utc, "start").astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def sleep_until(self, when_utc: datetime) -> None:
        self._now = max(self._now, when_utc)
