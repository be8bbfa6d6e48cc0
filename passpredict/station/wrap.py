"""Which way the rotator turns for a pass: cable wrap, the mechanical stop, and flipping.

A rotator's azimuth runs over a fixed span, `azimuth_min_deg` to `azimuth_max_deg`: 0:360 and
-180:180 have a stop at north and at south, 0:450 and -180:540 overlap 90 and 360 degrees so
that some directions can be reached two ways. A pass whose azimuths straddle the stop would
need a full turn in the middle of the pass (at the worst moment, often near culmination where
the azimuth sweeps fastest) unless the direction of travel is chosen before AOS. This module
chooses it, for each pass, from the pass's whole track:

1. The compass azimuths are unwrapped into one continuous track `u(t)`.
2. Candidates: `u + 360 k` (normal), and on a rotator whose elevation goes to 180 deg, the
   flipped pointing `(u + 180 + 360 k, 180 - el)` (over the top: the same direction reached
   from the other side).
3. A candidate is *feasible* if it stays inside the azimuth span for the whole pass. Among the
   feasible ones the plan prefers normal over flipped (a flip is only worth it when it avoids
   a stop), then the least slew from where the rotator is to the AOS pointing.
4. No feasible candidate (a 0:360 / el 90 rotator and a pass across the stop): the plan keeps
   the candidate that stays in range longest and marks where the rotator must unwind a full
   turn (`unwind_s`); `track --plan` shows it.

Near the zenith. A flip alone does not help there: pointing exactly at the satellite, the
azimuth is the satellite's azimuth or that plus 180 deg, so either way it sweeps about 180 deg
in the minute around culmination (9.6 deg/s for SPOT 7 at 86 deg). An over-the-top rotator
can instead hold its azimuth and let the elevation run from 0 through 90 to 180:

5. *Over the top*: the azimuth moves linearly in time from the AOS azimuth to the LOS azimuth
   + 180 (or from the AOS azimuth + 180 to the LOS azimuth), and the elevation is the angle in
   that vertical plane nearest the satellite, `atan2(sin el, cos el cos(az - plane))`. The
   first half of the pass is flown normally, the second flipped (az + 180, 180 - el), with no
   azimuth sweep between. The pointing is exact at AOS and LOS and off by at most about the
   zenith distance at culmination (`offset_max_deg`: 3.7 deg at 86 deg), inside the beam of
   the small Yagis such rotators carry.
6. Rule: on a rotator whose elevation goes to 180 deg, a pass is flown over the top when the
   exact plan's azimuth swings more than `HIGH_SWEEP_DEG` (90 deg) while the satellite is
   above `HIGH_ELEVATION_DEG` (60 deg), the over-the-top plan stays inside the azimuth span
   and within `MAX_OFFSET_DEG` (10 deg, passes above about 80 deg) of the satellite, and its
   largest azimuth rate is lower than the exact plan's (the slew each way is compared).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: The azimuth spans `--az-range` takes: a span of at least one turn and at most two.
MIN_SPAN_DEG = 360.0
MAX_SPAN_DEG = 720.0
#: An over-the-top pass: the azimuth swing above this elevation that calls for one, and the
#: largest pointing offset (deg) it may have (see the module docstring, rules 5 and 6).
HIGH_ELEVATION_DEG = 60.0
HIGH_SWEEP_DEG = 90.0
MAX_OFFSET_DEG = 10.0


@dataclass(frozen=True)
class RotatorLimits:
    """The positions the rotator may be sent to (degrees)."""

    azimuth_min_deg: float = 0.0
    azimuth_max_deg: float = 360.0
    elevation_max_deg: float = 90.0

    def __post_init__(self) -> None:
        span = self.azimuth_max_deg - self.azimuth_min_deg
        if not MIN_SPAN_DEG <= span <= MAX_SPAN_DEG:
            raise ValueError(
                f"the azimuth range {self.azimuth_min_deg:g}:{self.azimuth_max_deg:g} spans "
                f"{span:g} deg; it must span 360 to 720 deg, e.g. 0:360, -180:180, 0:450 or "
                "-180:540"
            )
        if self.elevation_max_deg not in (90.0, 180.0):
            raise ValueError(
                f"the highest elevation must be 90 or 180 deg, got {self.elevation_max_deg:g}"
            )

    @property
    def can_flip(self) -> bool:
        return self.elevation_max_deg >= 180.0

    def contains(self, azimuth_deg: float, elevation_deg: float) -> bool:
        """Whether the rotator may be sent to this position."""
        return (
            self.azimuth_min_deg - 1e-9 <= azimuth_deg <= self.azimuth_max_deg + 1e-9
            and -1e-9 <= elevation_deg <= self.elevation_max_deg + 1e-9
        )

    def nearest(self, compass_az_deg: float, elevation_deg: float, from_az_deg: float) -> float:
        """Return the commanded azimuth for a compass azimuth, nearest `from_az_deg`."""
        candidates = [
            compass_az_deg + 360.0 * k
            for k in range(-2, 3)
            if self.contains(compass_az_deg + 360.0 * k, max(elevation_deg, 0.0))
        ]
        return min(candidates, key=lambda a: abs(a - from_az_deg))


def parse_azimuth_range(text: str) -> tuple[float, float]:
    """Parse ``A:B`` (``0:360``, ``-180:180``, ``0:450``, ``-180:540``) into (A, B)."""
    low, sep, high = str(text).strip().partition(":")
    try:
        if not sep:
            raise ValueError
        values = float(low), float(high)
    except ValueError:
        raise ValueError(
            f"{text!r} is not an azimuth range; give MIN:MAX in degrees, e.g. 0:360, -180:180, "
            "0:450 or -180:540"
        ) from None
    if not all(np.isfinite(values)):
        raise ValueError(f"{text!r}: the azimuth range must be finite numbers")
    return values


@dataclass(frozen=True)
class PassPlan:
    """How one pass is flown: the commanded track, sampled, and what the plan had to do.

    `seconds` are the sample times (from the caller's reference); `azimuth_deg` /
    `elevation_deg` the commanded positions there. `flipped` says the pass is flown over the
    top. `unwind_s` lists the times where the rotator must turn a full circle (empty for
    a plan that never crosses the stop). `over_the_top` says the azimuth holds a vertical
    plane while the elevation runs through 90 deg; `offset_max_deg` is then the largest angle
    between the pointing and the satellite (0 for an exact plan).
    """

    seconds: NDArray[np.float64]
    azimuth_deg: NDArray[np.float64]
    elevation_deg: NDArray[np.float64]
    flipped: bool
    unwind_s: tuple[float, ...]
    over_the_top: bool = False
    offset_max_deg: float = 0.0

    @property
    def crosses_stop(self) -> bool:
        return bool(self.unwind_s)

    @property
    def direction(self) -> str:
        """ "cw" (azimuth increasing), "ccw", or "none" over the pass."""
        steps = np.diff(self.azimuth_deg)
        travel = float(steps[np.abs(steps) <= 180.0].sum())  # an unwind is not travel
        return "cw" if travel > 0 else "ccw" if travel < 0 else "none"

    @property
    def azimuth_rate_max_deg_s(self) -> float:
        """The fastest azimuth the plan asks of the rotator (deg/s; an unwind not counted)."""
        steps = np.abs(np.diff(self.azimuth_deg))
        dt = np.diff(self.seconds)
        keep = (steps <= 180.0) & (dt > 0)
        return float((steps[keep] / dt[keep]).max()) if keep.any() else 0.0

    def command(
        self, seconds: float, azimuth_deg: float, elevation_deg: float, limits: RotatorLimits
    ) -> tuple[float, float]:
        """Return the position to send for the satellite at (azimuth, elevation) at `seconds`.

        The live loop computes the satellite's position exactly at each moment; the plan says
        which of its equivalent positions to send: the one nearest the planned track then.
        """
        planned = float(np.interp(seconds, self.seconds, self.azimuth_deg))
        el = max(float(elevation_deg), 0.0)
        if self.over_the_top:
            return planned, float(_in_plane_elevation(azimuth_deg, el, planned))
        if self.flipped:
            az, el = azimuth_deg + 180.0, 180.0 - el
        else:
            az = azimuth_deg
        az = float(az) + 360.0 * round((planned - az) / 360.0)
        if not limits.contains(az, el):  # at an unwind: the other way round
            az = limits.nearest(az % 360.0, el, planned)
        return az, min(el, limits.elevation_max_deg)


def plan_pass(
    seconds: NDArray[np.float64],
    azimuth_deg: NDArray[np.float64],
    elevation_deg: NDArray[np.float64],
    limits: RotatorLimits,
    current_azimuth_deg: float | None = None,
) -> PassPlan:
    """Choose how to fly a pass sampled at `seconds` (see the module docstring).

    `current_azimuth_deg` is where the rotator is before the pass (its reported or parked
    azimuth); without it, the middle of the span.
    """
    seconds = np.asarray(seconds, dtype=float)
    unwrapped = np.degrees(np.unwrap(np.radians(np.asarray(azimuth_deg, dtype=float))))
    el = np.clip(np.asarray(elevation_deg, dtype=float), 0.0, None)
    here = (
        0.5 * (limits.azimuth_min_deg + limits.azimuth_max_deg)
        if current_azimuth_deg is None
        else float(current_azimuth_deg)
    )
    options = [(False, unwrapped, el)]
    if limits.can_flip:
        options.append((True, unwrapped + 180.0, 180.0 - el))
    best: tuple[tuple[float, ...], PassPlan] | None = None
    for flipped, track, track_el in options:
        base = np.floor((limits.azimuth_min_deg - track.min()) / 360.0) - 1
        for k in range(int(base), int(base) + 6):
            az = track + 360.0 * k
            inside = (az >= limits.azimuth_min_deg - 1e-9) & (az <= limits.azimuth_max_deg + 1e-9)
            if not inside.any():
                continue
            outside_share = 1.0 - inside.mean()
            plan = _with_unwinds(seconds, az, track_el, inside, flipped, limits)
            slew = abs(float(plan.azimuth_deg[0]) - here)
            key = (outside_share, float(flipped), slew)
            if best is None or key < best[0]:
                best = (key, plan)
    if best is None:  # pragma: no cover - a 360-deg span always holds some k
        raise ValueError("no azimuth of the pass fits the rotator's range")
    exact = best[1]
    if limits.can_flip and _sweeps_high(unwrapped, el):
        over = _over_the_top(seconds, unwrapped, el, limits, here)
        if (
            over is not None
            and over.offset_max_deg <= MAX_OFFSET_DEG
            and over.azimuth_rate_max_deg_s < exact.azimuth_rate_max_deg_s
        ):
            return over
    return exact


def _sweeps_high(unwrapped_deg: NDArray[np.float64], elevation_deg: NDArray[np.float64]) -> bool:
    """Whether the azimuth swings more than HIGH_SWEEP_DEG while above HIGH_ELEVATION_DEG."""
    high = unwrapped_deg[elevation_deg >= HIGH_ELEVATION_DEG]
    return high.size > 1 and float(high.max() - high.min()) > HIGH_SWEEP_DEG


def _in_plane_elevation(
    azimuth_deg: ArrayLike, elevation_deg: ArrayLike, plane_azimuth_deg: ArrayLike
) -> NDArray[np.float64]:
    """The elevation (0..180) in the vertical plane at `plane_azimuth_deg` nearest the target."""
    el, off = np.radians(elevation_deg), np.radians(np.asarray(azimuth_deg) - plane_azimuth_deg)
    theta_deg: NDArray[np.float64] = np.degrees(np.arctan2(np.sin(el), np.cos(el) * np.cos(off)))
    return theta_deg


def _over_the_top(
    seconds: NDArray[np.float64],
    unwrapped: NDArray[np.float64],
    el: NDArray[np.float64],
    limits: RotatorLimits,
    here: float,
) -> PassPlan | None:
    """The over-the-top plan (rule 5) inside the span nearest `here`, or None if none fits."""
    best: tuple[float, PassPlan] | None = None
    for start, end in (
        (unwrapped[0], unwrapped[-1] + 180.0),
        (unwrapped[0] + 180.0, unwrapped[-1]),
    ):
        end = end + 360.0 * round((start - end) / 360.0)
        plane = np.interp(seconds, [seconds[0], seconds[-1]], [start, end])
        theta = _in_plane_elevation(unwrapped, el, plane)
        off = np.radians(unwrapped - plane)
        offset = np.degrees(np.arcsin(np.clip(np.abs(np.cos(np.radians(el)) * np.sin(off)), 0, 1)))
        base = np.floor((limits.azimuth_min_deg - plane.min()) / 360.0) - 1
        for k in range(int(base), int(base) + 6):
            az = plane + 360.0 * k
            if az.min() < limits.azimuth_min_deg - 1e-9 or az.max() > limits.azimuth_max_deg + 1e-9:
                continue
            plan = PassPlan(seconds, az, theta, True, (), True, float(offset.max()))
            slew = abs(float(az[0]) - here)
            if best is None or slew < best[0]:
                best = (slew, plan)
    return None if best is None else best[1]


def _with_unwinds(
    seconds: NDArray[np.float64],
    azimuth_deg: NDArray[np.float64],
    elevation_deg: NDArray[np.float64],
    inside: NDArray[np.bool_],
    flipped: bool,
    limits: RotatorLimits,
) -> PassPlan:
    """Bring samples outside the span back in by a full turn and note where that happens."""
    az = azimuth_deg.copy()
    unwinds: list[float] = []
    if not inside.all():
        for i in np.flatnonzero(~inside):
            az[i] = limits.nearest(az[i] % 360.0, elevation_deg[i], az[i])
        jumps = np.flatnonzero(np.abs(np.diff(az)) > 180.0)
        unwinds = [float(seconds[j + 1]) for j in jumps]
    return PassPlan(seconds, az, elevation_deg.copy(), flipped, tuple(unwinds))
