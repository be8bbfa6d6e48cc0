"""How old an element set is for what it is asked, and when that is too old: stale reports.

Every command that uses element sets judges their age the same way, here: a set is stale when,
somewhere in the requested window, the predicted times lie further from its epoch than its
orbit class allows (`STALE_AFTER_DAYS`). That is the far end of the window for a set older
than the window, its start for one newer than the window (a replay of the past).

The library hands back `StaleElements` records, not sentences: a caller with 20,000 stale sets
groups them (the command line prints one line, `passpredict.cli.messages`), a program reads
the numbers. Two ages are kept because they answer two questions: `age_at_start_days` is the
age the tables and JSON show (`age_days`, at the window start); `worst_age_days` is the one
that was judged.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from passpredict.engine.orbits import OrbitClass, classify
from tle_cache.elements import ElementSet

#: Element age (days from the epoch to the furthest predicted time) past which a set is stale.
#: A geostationary set is held at station after `HOLD_HORIZON_DAYS` (4), and the held position
#: stays within about 0.05 deg of later sets for months (docs/geo.md); what makes an old GEO
#: set wrong is a relocation or end-of-life manoeuvre, so we warn after a month.
STALE_AFTER_DAYS: dict[OrbitClass, float] = {
    OrbitClass.LEO_MEO: 7.0,
    OrbitClass.DEEP_SPACE: 14.0,
    OrbitClass.GEOSYNCHRONOUS: 14.0,
    OrbitClass.GEOSTATIONARY: 30.0,
}

REFRESH_HINT = 'run "passpredict tle refresh" (or pass --tle-file with fresh elements)'


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class StaleElements(NamedTuple):
    """One element set that is too old for the window it was used for.

    Ages are signed days from the epoch (negative: the time lies before the epoch).
    `stale_at_start` tells whether the set was already too old at the window start (fresher
    elements would help: refresh) or only becomes so later in a long window.
    """

    name: str
    norad_id: int
    orbit: OrbitClass
    epoch_utc: datetime
    age_at_start_days: float
    age_at_end_days: float
    limit_days: float

    @property
    def worst_age_days(self) -> float:
        """The largest distance from the epoch over the window, in days (what was judged)."""
        return max(abs(self.age_at_start_days), abs(self.age_at_end_days))

    @property
    def stale_at_start(self) -> bool:
        return abs(self.age_at_start_days) > self.limit_days

    @property
    def consequence(self) -> str:
        """What the age does to the answers, for this orbit class."""
        if self.orbit is OrbitClass.GEOSTATIONARY:
            return "its position is held at station, so pointing may be off by ~0.1 deg"
        # measured for SPOT 7 (notebook 03): median 1 s at 7 days, 12 s at 30 days; months-old
        # sets drift by minutes and more as drag changes
        if self.worst_age_days > 30.0:
            return "pass times may be off by minutes or more"
        return "pass times may be off by seconds to minutes"

    def describe(self, hint: str = REFRESH_HINT) -> str:
        """Return the warning as one sentence (the JSON `warnings` entry); `hint` is the fix
        where the reader is (the web page's is not the command line's)."""
        return (
            f"elements of {self.name} ({self.norad_id}) are {self.worst_age_days:.1f} days from "
            f"the predicted times (epoch {self.epoch_utc:%Y-%m-%d %H:%M} UTC; over "
            f"{self.limit_days:g} days is stale for a {self.orbit.value} orbit): "
            f"{self.consequence}; {hint}"
        )


def stale_elements(
    element_set: ElementSet,
    start_utc: datetime,
    end_utc: datetime,
    orbit: OrbitClass | None = None,
    ages_days: tuple[float, float] | None = None,
) -> StaleElements | None:
    """Return a stale report if the set is too old anywhere in [start, end], else None.

    `orbit` saves a second classification when the caller has one, `ages_days` the set's
    `age_days` at start and end. For a single instant (`passpredict geo`) give it as both ends.
    """
    orbit = classify(element_set) if orbit is None else orbit
    if orbit not in STALE_AFTER_DAYS:
        return None
    if ages_days is None:
        ages_days = (element_set.age_days(start_utc), element_set.age_days(end_utc))
    return stale_report(
        element_set.name, element_set.norad_id, orbit, element_set.epoch_utc, ages_days
    )


def stale_report(
    name: str,
    norad_id: int,
    orbit: OrbitClass,
    epoch_utc: datetime,
    ages_days: tuple[float, float],
) -> StaleElements | None:
    """Return the stale report of a set of this orbit whose ages (days from `epoch_utc`) at
    the start and end of a span are `ages_days`, or None when it is fresh enough there: the
    judgement of `stale_elements`, for a caller that holds a set's fields, not the set
    (`Prediction.first` judges again over a shorter span)."""
    limit_days = STALE_AFTER_DAYS.get(orbit)
    if limit_days is None:
        return None
    at_start, at_end = ages_days
    if not max(abs(at_start), abs(at_end)) > limit_days:  # `worst_age_days`; no record made
        return None
    return StaleElements(
        name=name,
        norad_id=norad_id,
        orbit=orbit,
        epoch_utc=epoch_utc,
        age_at_start_days=at_start,
        age_at_end_days=at_end,
        limit_days=limit_days,
    )
