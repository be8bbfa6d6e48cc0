"""The live tracking loop: pre-position before AOS, follow the pass, tune the radio, park.

The loop is handed everything it touches: a clock (`passpredict.station.clock`; simulated
with `--start ... --speed N`), the rotator and the radio (real hamlib clients, or the
`DryRun` stand-ins of `--dry-run`), and a `Sink` that receives what happens (commands sent,
the status line, warnings). It reads no clock and prints nothing itself.

For each pass (a `Segment`, planned by `passpredict.station.wrap`):

1. Wait, with a status line (countdown to AOS), until `preposition_s` before AOS; send the
   rotator to the plan's AOS pointing; wait for AOS.
2. Every `interval_s` of pass time: compute where the satellite is (exactly, not from the
   plan's samples), send `P az el` when the commanded position moved more than
   `deadband_deg` on either axis since the last `P`, read `p` back and warn (once a pass)
   when the rotator has been more than `follow_tolerance_deg` off for `follow_grace_s`;
   send the Doppler-corrected frequencies when either moved by `step_hz` or more. The last
   update is at LOS itself.
3. After LOS, park at `park` if given.

A geostationary satellite is one segment over the whole window: pointed once, re-pointed
only if it drifts past the deadband. At the end the loop waits (in real time, at most
`settle_limit_s`) for the rotator to reach its last position, since hamlib's `P` returns as
soon as the move starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from passpredict.station.clock import Clock
from passpredict.station.doppler import DopplerPlan
from passpredict.station.target import Target
from passpredict.station.wrap import PassPlan, RotatorLimits

#: How close (deg) the rotator must report itself to its last target to count as arrived.
ARRIVED_DEG = 0.1


@dataclass(frozen=True)
class TrackerOptions:
    """How the loop drives the station (see the module docstring)."""

    deadband_deg: float = 1.0
    interval_s: float = 1.0
    preposition_s: float = 120.0
    park: tuple[float, float] | None = None
    follow_tolerance_deg: float = 5.0
    follow_grace_s: float = 30.0
    status_every_s: float = 1.0
    settle_limit_s: float = 120.0


@dataclass(frozen=True)
class Segment:
    """One pass to fly (or a geostationary hold): when, and the plan that says how."""

    satellite: str
    norad_id: int
    aos_utc: datetime
    los_utc: datetime
    max_elevation_deg: float
    plan: PassPlan


class RotatorPort(Protocol):
    def set_position(self, azimuth_deg: float, elevation_deg: float) -> None: ...
    def position(self) -> tuple[float, float]: ...


class RadioPort(Protocol):
    def set_frequency(self, frequency_hz: float) -> None: ...
    def enable_split(self) -> None: ...
    def set_split_frequency(self, frequency_hz: float) -> None: ...


class DryRunRotator:
    """A rotator that is wherever it was last sent (for `--dry-run`)."""

    def __init__(self) -> None:
        self._where = (0.0, 0.0)

    def set_position(self, azimuth_deg: float, elevation_deg: float) -> None:
        self._where = (azimuth_deg, elevation_deg)

    def position(self) -> tuple[float, float]:
        return self._where


class DryRunRadio:
    """A radio that takes every frequency (for `--dry-run`)."""

    def set_frequency(self, frequency_hz: float) -> None:
        pass

    def enable_split(self) -> None:
        pass

    def set_split_frequency(self, frequency_hz: float) -> None:
        pass


@dataclass(frozen=True)
class Command:
    """One command sent (or, in a dry run, that would be sent)."""

    time_utc: datetime
    daemon: str
    text: str
    azimuth_deg: float | None = None
    elevation_deg: float | None = None
    frequency_hz: float | None = None
    satellite: str | None = None


class Sink(Protocol):
    def command(self, command: Command) -> None: ...
    def status(self, text: str) -> None: ...
    def warn(self, text: str) -> None: ...
    def event(self, text: str) -> None: ...


@dataclass
class Tracker:
    """The loop's state across passes; `run` flies a sequence of segments."""

    target: Target
    clock: Clock
    limits: RotatorLimits
    options: TrackerOptions
    sink: Sink
    rotator: RotatorPort | None = None
    radio: RadioPort | None = None
    doppler: DopplerPlan | None = None
    real_sleep: Callable[[float], None] = time.sleep
    real_monotonic: Callable[[], float] = time.monotonic
    _last_sent: tuple[float, float] | None = None
    _last_downlink_hz: float | None = None
    _last_uplink_hz: float | None = None
    _split_on: bool = False
    parked: bool = field(default=False)

    # --- the rotator --------------------------------------------------------------------

    def point(self, when: datetime, az: float, el: float, satellite: str | None) -> None:
        """Send `P az el` (rounded as sent) and record it."""
        az, el = round(az, 2), round(el, 2)
        if self.rotator is not None:
            self.rotator.set_position(az, el)
        self._last_sent = (az, el)
        self.parked = False
        self.sink.command(Command(when, "rotctld", f"P {az:.2f} {el:.2f}", az, el, None, satellite))

    def park(self) -> None:
        """Send the rotator to its park position, if one was given."""
        if self.options.park is None or self.rotator is None:
            return
        az, el = self.options.park
        self.point(self.clock.now(), az, el, None)
        self.parked = True
        self.sink.event(f"parked at azimuth {az:g}, elevation {el:g}")

    def settle(self) -> tuple[float, float] | None:
        """Wait (real time, bounded) until the rotator reports its last target; return where."""
        if self.rotator is None or self._last_sent is None:
            return None
        deadline = self.real_monotonic() + self.options.settle_limit_s
        while True:
            where = self.rotator.position()
            if _off_deg(where, self._last_sent) <= ARRIVED_DEG:
                return where
            if self.real_monotonic() >= deadline:
                self.sink.warn(
                    f"the rotator reports azimuth {where[0]:.2f}, elevation {where[1]:.2f} after "
                    f"{self.options.settle_limit_s:g} s, not {self._last_sent[0]:.2f}, "
                    f"{self._last_sent[1]:.2f}; check the rotator"
                )
                return where
            self.sink.status(
                f"rotator moving: az {where[0]:7.2f} el {where[1]:6.2f} -> "
                f"{self._last_sent[0]:7.2f} {self._last_sent[1]:6.2f}"
            )
            self.real_sleep(0.2)

    # --- the radio ----------------------------------------------------------------------

    def tune(self, when: datetime, range_rate_km_s: float, satellite: str) -> None:
        if self.radio is None or self.doppler is None:
            return
        heard = getattr(self.radio, "frequency_hz", None)
        if heard is not None and self._last_downlink_hz is not None:
            now_hz = heard()
            if abs(now_hz - round(self._last_downlink_hz)) > self.doppler.step_hz:
                # the operator turned the dial: follow, and move the uplink with it
                self.doppler = self.doppler.retuned(now_hz, range_rate_km_s)
                self._last_downlink_hz = now_hz
                self.sink.event(
                    f"{satellite}: retuned to {now_hz / 1e6:.6f} MHz; downlink now "
                    f"{self.doppler.downlink_hz / 1e6:.6f} MHz at the satellite"
                )
        down = self.doppler.ground_downlink_hz(range_rate_km_s)
        step = self.doppler.step_hz
        if self._last_downlink_hz is None or abs(down - self._last_downlink_hz) >= step:
            self.radio.set_frequency(down)
            self._last_downlink_hz = down
            self.sink.command(
                Command(when, "rigctld", f"F {round(down)}", frequency_hz=down, satellite=satellite)
            )
        up = self.doppler.ground_uplink_hz(range_rate_km_s)
        if up is None:
            return
        if not self._split_on:
            self.radio.enable_split()
            self._split_on = True
            self.sink.command(Command(when, "rigctld", "S 1 VFOB", satellite=satellite))
        if self._last_uplink_hz is None or abs(up - self._last_uplink_hz) >= step:
            self.radio.set_split_frequency(up)
            self._last_uplink_hz = up
            self.sink.command(
                Command(when, "rigctld", f"I {round(up)}", frequency_hz=up, satellite=satellite)
            )

    # --- the loop -----------------------------------------------------------------------

    def wait_until(self, when: datetime, label: Callable[[float], str]) -> None:
        """Sleep until `when`, refreshing the status line every `status_every_s` (clock time)."""
        while True:
            now = self.clock.now()
            left = (when - now).total_seconds()
            if left <= 0:
                return
            self.sink.status(label(left))
            step = max(self.options.status_every_s, left % self.options.status_every_s or 1e-3)
            self.clock.sleep_until(min(when, now + timedelta(seconds=min(step, left))))

    def fly(self, segment: Segment) -> None:
        """Fly one segment: pre-position, follow from AOS to LOS, park."""
        plan = segment.plan
        name = segment.satellite
        prepare = segment.aos_utc - timedelta(seconds=self.options.preposition_s)
        lead = self.options.preposition_s  # the countdown is to AOS, not to the pre-position
        self.wait_until(prepare, lambda s: f"{name}: AOS in {_countdown(s + lead)}")
        if self.rotator is not None and self.clock.now() < segment.los_utc:
            az0, el0 = float(plan.azimuth_deg[0]), float(plan.elevation_deg[0])
            self.point(max(self.clock.now(), prepare), az0, max(el0, 0.0), name)
            self.sink.event(f"{name}: pre-positioned at azimuth {az0:.1f}")
        self.wait_until(segment.aos_utc, lambda s: f"{name}: AOS in {_countdown(s)}")
        off_since: datetime | None = None
        warned = False
        interval = timedelta(seconds=self.options.interval_s)
        while True:
            now = min(self.clock.now(), segment.los_utc)
            az_t, el_t, rr = (float(x[0]) for x in self.target.look([now]))
            seconds = (now - segment.aos_utc).total_seconds()
            cmd = plan.command(seconds, az_t, el_t, self.limits)
            if self.rotator is not None and (
                self._last_sent is None
                or _off_deg(cmd, self._last_sent) > self.options.deadband_deg
            ):
                self.point(now, cmd[0], cmd[1], name)
            self.tune(now, rr, name)
            reported = ""
            if self.rotator is not None and self._last_sent is not None:
                where = self.rotator.position()
                off = _off_deg(where, self._last_sent)
                reported = f" | rotator {where[0]:7.2f} {where[1]:6.2f}"
                if off > self.options.follow_tolerance_deg:
                    off_since = off_since or now
                    late = (now - off_since).total_seconds()
                    if late >= self.options.follow_grace_s and not warned:
                        self.sink.warn(
                            f"{name}: the rotator does not follow: it reports {where[0]:.1f}, "
                            f"{where[1]:.1f} while sent {self._last_sent[0]:.1f}, "
                            f"{self._last_sent[1]:.1f} for {late:.0f} s of pass time; "
                            "check it, or lower --speed"
                        )
                        warned = True
                else:
                    off_since = None
            left = (segment.los_utc - now).total_seconds()
            self.sink.status(
                f"{name}: az {az_t:6.2f} el {el_t:5.2f} | sent {cmd[0]:7.2f} {cmd[1]:6.2f}"
                f"{reported} | LOS in {_countdown(left)}"
            )
            if now >= segment.los_utc:
                break
            self.clock.sleep_until(min(now + interval, segment.los_utc))
        self.sink.event(f"{name}: LOS")
        self.park()

    def run(self, segments: Iterable[Segment]) -> None:
        """Fly every segment in turn, then wait for the rotator to reach its last position."""
        for segment in segments:
            self.fly(segment)
        self.settle()


def _off_deg(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The larger of the azimuth and elevation differences (what each axis must move)."""
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]))


def _countdown(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
