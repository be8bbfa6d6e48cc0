"""Magnetic declinations for the command line: one policy for `geo`, `passes` and `track`.

With `--magnetic` the user asked for compass bearings, so a place or window the World
Magnetic Model cannot answer is a usage error: one line naming the problem and the fix, exit 2.
Without it, machine formats still carry `azimuth_magnetic_deg` where the model answers, and a
null with one warning line (true azimuths only) where it does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import click
import numpy as np
from numpy.typing import ArrayLike, NDArray

from passpredict.products.magnetic import (
    MagneticModelError,
    check_epoch,
    declination,
    window_declinations_deg,
)
from passpredict.records import Observer


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
    any observer or the window is outside the model.
    """
    usable: dict[str, bool] = {}
    problems: list[str] = []
    for observer in observers:
        try:
            for when in (start_utc, end_utc):
                check_epoch(when)
                declination(
                    observer.latitude_deg, observer.longitude_deg, observer.elevation_m, when
                )
        except MagneticModelError as error:
            if required:
                raise click.UsageError(f"--magnetic: {error} (or drop --magnetic)") from None
            usable[observer.name] = False
            problems.append(f"{observer.name}: {error}")
            continue
        usable[observer.name] = True
    return MagneticPolicy(usable, tuple(dict.fromkeys(problems)))
