"""Checks every element set passes, whatever its format: ranges, epoch, SGP4 at the epoch.

A set that passes is finite and propagatable: every number is finite and within the range
below, the integer fields fit the TLE columns and the C types behind SGP4, and SGP4 starts and
propagates the set at its own epoch without an error code or a NaN. A failure raises
`FieldError`, which the format's reader turns into that record's `ElementParseError`.

Ranges (chosen so that every one of the 15,347 objects in CelesTrak's active group of
2026-05-07 parses, with room to spare): inclination 0-180 deg, node, perigee, anomaly 0-360 deg,
eccentricity 0 to below 1, mean motion 0.01 to below 20 rev/day, BSTAR below 10 per Earth
radius in size (the largest real one is 3.4), the mean-motion derivatives below 1 rev/day^2 and
1 rev/day^3 in size (the first is the TLE field's own limit; the largest real ones are 0.13 and
0.04), NORAD_CAT_ID 1 to 999,999,999, EPHEMERIS_TYPE 0-9, ELEMENT_SET_NO 0-9999, REV_AT_EPOCH
0-99999 (the TLE columns), CLASSIFICATION_TYPE one ASCII letter.

No clock is read here: the "epoch too far in the future" check runs only when the caller passes
`now_utc`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sgp4.api import SGP4_ERRORS

from tle_cache.elements import ElementSet, format_omm_epoch
from tle_cache.parse_errors import FieldError, show, unexpected

#: Sputnik 1 was launched on 1957-10-04: an earlier epoch means a misread year.
FIRST_LAUNCH_UTC = datetime(1957, 10, 4, tzinfo=UTC)
#: How far past `now_utc` an epoch may lie. Real sets of high orbits run 2 to 3 days ahead of
#: the download; a month ahead means a wrong year or a corrupted day field.
FUTURE_EPOCH_ALLOWANCE = timedelta(days=30)
#: Mean motion limit, rev/day: an orbit grazing the surface makes about 17.
MAX_MEAN_MOTION_REV_PER_DAY = 20.0
#: Slowest mean motion, rev/day: a 100-day period puts the orbit some 900,000 km out, past
#: where the Earth rather than the Moon and Sun holds it (SGP4 is meaningless there). The
#: slowest active object is at 0.28; TESS, in a 13.7-day lunar-resonant orbit, at 0.073.
MIN_MEAN_MOTION_REV_PER_DAY = 0.01
#: Largest catalog number an OMM may carry: nine digits, CelesTrak's announced limit.
MAX_NORAD_ID = 999_999_999
#: Size limits of the drag terms (see the module docstring for why these values).
MAX_ABS_BSTAR_PER_EARTH_RADIUS = 10.0
MAX_ABS_MEAN_MOTION_DOT = 1.0
MAX_ABS_MEAN_MOTION_DDOT = 1.0

#: Integer ranges: what the TLE columns hold, which also fits every C type behind SGP4.
INT_RANGES = {
    "NORAD_CAT_ID": (1, MAX_NORAD_ID),
    "EPHEMERIS_TYPE": (0, 9),
    "ELEMENT_SET_NO": (0, 9999),
    "REV_AT_EPOCH": (0, 99999),
}
CLASSIFICATION_RE = re.compile(r"[A-Za-z]")

_RANGES = {
    # key: (low, high, high included?, unit)
    "INCLINATION": (0.0, 180.0, True, "degrees"),
    "RA_OF_ASC_NODE": (0.0, 360.0, True, "degrees"),
    "ARG_OF_PERICENTER": (0.0, 360.0, True, "degrees"),
    "MEAN_ANOMALY": (0.0, 360.0, True, "degrees"),
    "ECCENTRICITY": (0.0, 1.0, False, ""),
}
_SIZE_LIMITS = {
    # key: (largest size, excluded; unit)
    "BSTAR": (MAX_ABS_BSTAR_PER_EARTH_RADIUS, "per Earth radius"),
    "MEAN_MOTION_DOT": (MAX_ABS_MEAN_MOTION_DOT, "rev/day^2"),
    "MEAN_MOTION_DDOT": (MAX_ABS_MEAN_MOTION_DDOT, "rev/day^3"),
}


def check_ranges(
    omm: Mapping[str, Any],
    epoch: datetime,
    now_utc: datetime | None,
    label: Callable[[str], str],
    line_of: Mapping[str, int],
    default_line: int | None,
) -> None:
    """Check the elements are physical and the epoch plausible; raise `FieldError` if not.

    `label(key)` names the field the way the user's format does; `line_of` / `default_line`
    give the line a problem is reported on (TLE only).
    """
    for key, (low, high, high_included, unit) in _RANGES.items():
        value = omm[key]
        if not (low <= value <= high if high_included else low <= value < high):
            top = f"{high:g}" if high_included else f"below {high:g}"
            raise FieldError(
                f"{label(key)} is {value:g}{' ' + unit if unit else ''}; it must be from "
                f"{low:g} to {top}",
                line_of.get(key, default_line),
            )
    for key, (limit, unit) in _SIZE_LIMITS.items():
        value = omm[key]
        if not abs(value) < limit:
            raise FieldError(
                f"{label(key)} is {value:g} {unit}; its size must be below {limit:g} (no real "
                "set comes near)",
                line_of.get(key, default_line),
            )
    for key, (low, high) in INT_RANGES.items():
        value = omm[key]
        if not low <= value <= high:
            raise FieldError(
                f"{label(key)} is {show(value)}; it must be from {low} to {high:,} (what TLE "
                "columns and SGP4 hold)",
                line_of.get(key, default_line),
            )
    mean_motion = omm["MEAN_MOTION"]
    if not MIN_MEAN_MOTION_REV_PER_DAY <= mean_motion < MAX_MEAN_MOTION_REV_PER_DAY:
        raise FieldError(
            f"{label('MEAN_MOTION')} is {mean_motion:g} rev/day; it must be from "
            f"{MIN_MEAN_MOTION_REV_PER_DAY:g} to below {MAX_MEAN_MOTION_REV_PER_DAY:g} (no orbit "
            "above the ground is faster, none held by the Earth much slower)",
            line_of.get("MEAN_MOTION", default_line),
        )
    if epoch < FIRST_LAUNCH_UTC:
        raise FieldError(
            f"{label('EPOCH')} is {format_omm_epoch(epoch)}, before the first launch "
            "(1957-10-04); the year is wrong",
            line_of.get("EPOCH", default_line),
        )
    if now_utc is not None and epoch > now_utc + FUTURE_EPOCH_ALLOWANCE:
        raise FieldError(
            f"{label('EPOCH')} is {format_omm_epoch(epoch)}, more than "
            f"{FUTURE_EPOCH_ALLOWANCE.days} days after now ({format_omm_epoch(now_utc)}); the "
            "year or day is wrong",
            line_of.get("EPOCH", default_line),
        )


def check_propagates(element_set: ElementSet, line_number: int | None) -> None:
    """Check SGP4 starts the set and gives a finite position at its epoch (`FieldError`)."""
    try:
        sat = element_set.satrec()
        error, position, velocity = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF)
    except Exception as exc:  # the C extension refusing a value the checks above let by
        cause = exc.__cause__ if isinstance(exc.__cause__, Exception) else exc
        problem = f"SGP4 cannot use these elements: {unexpected(cause)}"
        raise FieldError(problem, line_number) from None
    if error != 0:
        reason = SGP4_ERRORS.get(error, f"error {error}")
        raise FieldError(
            f"SGP4 cannot propagate these elements even at their epoch ({reason})", line_number
        )
    if not all(math.isfinite(x) for x in (*position, *velocity)):
        raise FieldError("SGP4 gives a non-finite position at the epoch", line_number)


def check_now(now_utc: datetime | None) -> None:
    """Refuse a naive `now_utc` (ValueError with the fix): the future-epoch check needs UTC."""
    if now_utc is not None and now_utc.tzinfo is None:
        raise ValueError(
            f"now_utc must be timezone-aware, got {now_utc!r}; pass datetime.now(datetime.UTC)"
        )
