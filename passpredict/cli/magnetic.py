"""Magnetic declinations for the command line: one policy for `geo`, `passes` and `track`.

With `--magnetic` the user asked for compass bearings, so a place the World Magnetic Model
cannot answer (the blackout zone around a magnetic pole) is a usage error: one line naming
the problem and the fix, exit 2. A date outside the model's validity (WMM2025: 2024-11-13 to
2030-01-01) is said once on stderr, and the times outside get true azimuths only (the
magnetic fields are null in JSON, empty in CSV, left out of tables): the rest of the answer
stands, and a newer model will fill them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import click
import numpy as np
from numpy.typing import ArrayLike, NDArray

from passpredict.products.magnetic import (
    VALID_FROM_UTC,
    VALID_UNTIL_UTC,
    MagneticModelError,
    OutsideModelEpochError,
    check_epoch,
    declination,
    window_declinations_deg,
)
from passpredict.records import Observer

if TYPE_CHECKING:
    from passpredict.products.predict import Prediction


@dataclass(frozen=True)
class MagneticPolicy:
    """Which observers get magnetic azimuths over a window, and why the others do not.

    `usable` maps observer names to True where the model answers for the whole window;
    `problems` holds one sentence per observer that does not (for a warning).
    """

    usable: dict[str, bool]
    problems: tuple[str, ...]

    def declinations_deg(
        self, observer: Observer, start_utc: datetime, seconds: ArrayLike
    ) -> NDArray[np.float64] | None:
        """Return the declination at `seconds` after `start_utc` for `observer`, or `None`
        where the observer gets true azimuths only."""
        if not self.usable.get(observer.name, False):
            return None
        return window_declinations_deg(
            observer.latitude_deg, observer.longitude_deg, observer.elevation_m, start_utc, seconds
        )


def magnetic_policy(
    observers: Sequence[Observer], start_utc: datetime, end_utc: datetime, *, required: bool
) -> MagneticPolicy:
    """Decide, per observer, whether magnetic azimuths can be given over [start, end].

    Raises `click.UsageError` (exit 2, one line) when `required` (the user gave --magnetic) and
    an observer is in the model's blackout zone. A window reaching outside the model's dates
    is a problem (to warn about once), not an error: the declinations are NaN there.
    """
    usable: dict[str, bool] = {}
    problems: list[str] = []
    for when in (start_utc, end_utc):
        try:
            check_epoch(when)
        except OutsideModelEpochError as error:
            problems.append(f"--magnetic: {error}")
            break  # said once
    # the place is judged at the nearest date the model covers (its poles move slowly)
    probe = min(max(start_utc, VALID_FROM_UTC), VALID_UNTIL_UTC - timedelta(seconds=1))
    for observer in observers:
        try:
            declination(observer.latitude_deg, observer.longitude_deg, observer.elevation_m, probe)
        except MagneticModelError as error:
            if required:
                raise click.UsageError(f"--magnetic: {error} (or drop --magnetic)") from None
            usable[observer.name] = False
            problems.append(f"{observer.name}: {error}")
            continue
        usable[observer.name] = True
    return MagneticPolicy(usable, tuple(dict.fromkeys(problems)))


def pass_declinations(
    observers: Sequence[Observer], start_utc: datetime, end_utc: datetime
) -> Callable[[Prediction], Prediction]:
    """Return what `passes --magnetic` does to each prediction (or chunk of one): add the
    declinations at every pass point (`passpredict.products.pass_extras.with_declinations`).

    Applies the policy first: exit 2 for an observer in the blackout zone, one warning for a
    window outside the model's dates.
    """
    from passpredict.cli.messages import warn
    from passpredict.products.pass_extras import with_declinations

    policy = magnetic_policy(observers, start_utc, end_utc, required=True)
    for problem in policy.problems:
        warn(problem)

    def add(prediction: Prediction) -> Prediction:
        return with_declinations(prediction, policy.declinations_deg)

    return add
