"""Plain records at the library's edges: observers, pass points, passes, geostationary looks.

Inside, the engine works on numpy arrays; what it hands back to callers (the CLI, notebooks,
other programs) are these frozen dataclasses with units in every name and aware UTC datetimes.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Observer:
    """A place on Earth: WGS84 geodetic latitude/longitude (east-positive) and height.

    `timezone` is an IANA zone name used only for display; `None` means UTC. `horizon` is
    the skyline as (azimuth_deg, elevation_deg) points, or `None` for a flat horizon
    (`passpredict.products.horizon`). A coordinate given as another real number type (numpy's
    `int64` or `float32`, from a DataFrame) is stored as a float; Python's int and float as
    given.
    """

    name: str
    latitude_deg: float
    longitude_deg: float
    elevation_m: float = 0.0
    timezone: str | None = None
    horizon: tuple[tuple[float, float], ...] | None = None

    def __post_init__(self) -> None:
        for label, value, low, high in (
            ("latitude_deg", self.latitude_deg, -90.0, 90.0),
            ("longitude_deg", self.longitude_deg, -180.0, 180.0),
            ("elevation_m", self.elevation_m, -500.0, 10000.0),
        ):
            if (
                type(value) not in (int, float)
                and isinstance(value, numbers.Real)
                and not isinstance(value, bool)
            ):
                value = float(value)
                object.__setattr__(self, label, value)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise ValueError(f"{label} must be a finite number, got {value!r}")
            if not low <= value <= high:
                raise ValueError(f"{label} must be between {low:+g} and {high:+g}, got {value!r}")


@dataclass(frozen=True)
class PassPoint:
    """The satellite as seen by an observer at one instant.

    `range_rate_km_s` (negative while approaching) is filled when radio details are asked
    for (`predict(..., radio=True)`); `None` otherwise. `azimuth_magnetic_deg` is the compass
    bearing (true azimuth minus the magnetic declination,
    `passpredict.products.pass_extras`), `None` unless asked for or where the World Magnetic
    Model gives none.
    """

    time_utc: datetime
    azimuth_deg: float
    elevation_deg: float
    range_km: float
    range_rate_km_s: float | None = None
    azimuth_magnetic_deg: float | None = None


@dataclass(frozen=True)
class PassVisibility:
    """Whether and when a pass can be seen by eye (see `passpredict.products.visibility`).

    A moment is visible when the satellite is above the pass threshold, sunlit, and the Sun is
    at or below `twilight_deg` at the observer. `visible_start` / `visible_end` bound the
    visible part of the pass (the part with the highest point if there are several) and
    `visible_peak` is its highest point; all three are `None` for a pass that cannot be seen.
    `shadow_entry_utc` / `shadow_exit_utc` are the first moments inside the pass where the
    satellite enters / leaves the Earth's shadow. `magnitude` is an estimate at culmination and
    `brightest_magnitude` one at `brightest`, the brightest visible point; both are `None` when
    the satellite has no standard magnitude, or is in shadow there
    (`passpredict.products.magnitude`).
    """

    twilight_deg: float
    sun_elevation_deg: float
    sunlit: bool
    sunlit_at_culmination: bool
    shadow_entry_utc: datetime | None
    shadow_exit_utc: datetime | None
    visible_start: PassPoint | None
    visible_peak: PassPoint | None
    visible_end: PassPoint | None
    std_magnitude: float | None = None
    magnitude: float | None = None
    brightest: PassPoint | None = None
    brightest_magnitude: float | None = None

    @property
    def visible(self) -> bool:
        return self.visible_start is not None

    @property
    def visible_duration_s(self) -> float | None:
        if self.visible_start is None or self.visible_end is None:
            return None
        return (self.visible_end.time_utc - self.visible_start.time_utc).total_seconds()


@dataclass(frozen=True)
class Pass:
    """One pass of a satellite above `min_elevation_deg` for one observer.

    `rise` is `None` when the satellite was already above the threshold at the window start,
    `set` is `None` when it is still above at the window end; `culmination` is then the highest
    point inside the window. `visibility` is filled when visibility is asked for
    (`predict(..., visibility=...)`). `window_start_utc` is the start of the window searched,
    so that a pass in progress there sorts and prints from that moment.
    `time_uncertainty_s` is the expected error of the pass times from the age of the element
    set (`passpredict.products.uncertainty`; `None` where the calibration says nothing) and
    `declination_deg` the magnetic declination at culmination; both are filled by
    `passpredict.products.pass_extras`.
    """

    satellite: str
    norad_id: int
    observer: str
    min_elevation_deg: float
    rise: PassPoint | None
    culmination: PassPoint
    set: PassPoint | None
    visibility: PassVisibility | None = None
    window_start_utc: datetime | None = None
    time_uncertainty_s: float | None = None
    declination_deg: float | None = None

    @property
    def max_elevation_deg(self) -> float:
        return self.culmination.elevation_deg

    @property
    def start_utc(self) -> datetime:
        """When the pass starts for the caller: its rise, or the window start if in progress."""
        if self.rise is not None:
            return self.rise.time_utc
        return self.window_start_utc or self.culmination.time_utc

    @property
    def duration_s(self) -> float | None:
        """Seconds from rise to set; `None` when either end lies outside the window."""
        if self.rise is None or self.set is None:
            return None
        return (self.set.time_utc - self.rise.time_utc).total_seconds()

    @property
    def in_progress_at_start(self) -> bool:
        return self.rise is None

    @property
    def in_progress_at_end(self) -> bool:
        return self.set is None


@dataclass(frozen=True)
class GeoLook:
    """Where a geostationary satellite hangs in an observer's sky over a window.

    The position is given at the window start; the elevation range covers the whole window
    (a geostationary satellite wobbles by a small fraction of a degree a day, by up to a few
    degrees if it is inclined). Where that wobble crosses `min_elevation_deg`
    (`crosses_min_elevation`), the crossings are also reported as ordinary passes.
    `station_kept` says the position was held at the element set's station (see
    `passpredict.engine.stationkeeping`) because the window lies far from the epoch.
    """

    satellite: str
    norad_id: int
    observer: str
    time_utc: datetime
    azimuth_deg: float
    elevation_deg: float
    range_km: float
    elevation_min_deg: float
    elevation_max_deg: float
    min_elevation_deg: float
    station_kept: bool

    @property
    def always_above_horizon(self) -> bool:
        return self.elevation_min_deg > 0.0

    @property
    def always_above_min_elevation(self) -> bool:
        return self.elevation_min_deg >= self.min_elevation_deg

    @property
    def never_above_horizon(self) -> bool:
        return self.elevation_max_deg <= 0.0

    @property
    def crosses_min_elevation(self) -> bool:
        """Whether it rises above and sets below `min_elevation_deg` in the window (passes)."""
        return self.elevation_min_deg < self.min_elevation_deg <= self.elevation_max_deg
