"""The IANA time zone of a place on Earth, offline, so a place given by coordinates gets local time.

`--lat/--lon` observers and `observers add` without `--tz` take the zone of that place. The
lookup is `timezonefinder`: the zone polygons of timezone-boundary-builder (OpenStreetMap
borders) shipped inside the package, searched with no simplification of the polygons, so a point
a few hundred metres from a border gets the right side. We compared it with `tzfpy` (faster to
import, simplified polygons): on 80 x 80 grids across four borders (the Baarle enclaves, Astara
on the Azerbaijan-Iran border, Tijuana-San Diego, Nakhchivan-Turkey) the two disagreed at
0.2-0.4 % of the points, every one of them next to the border (within one grid step, 60-280 m),
where the simplified polygons cut corners. Its import costs about 0.2 s, paid only by a command
that looks a zone up.

Over the open sea the answer is a nautical zone, ``Etc/GMT+3`` (IANA's sign convention: three
hours behind UTC); over Antarctica the zone of the station that claims the sector. A zone name
that the installed time-zone database does not know (a zone data file newer than `tzdata`) is
not used: `zone_at` returns `None` and the caller keeps UTC.
"""

from __future__ import annotations

import contextlib
import math


def zone_at(latitude_deg: float, longitude_deg: float) -> str | None:
    """Return the IANA zone name of a place (WGS84 degrees, east positive), or `None`.

    `None` when no zone is known there or the installed time-zone database cannot load it.
    Raises `ValueError` for a latitude or longitude out of range.
    """
    for label, value, limit in (
        ("latitude_deg", latitude_deg, 90.0),
        ("longitude_deg", longitude_deg, 180.0),
    ):
        if not math.isfinite(value) or abs(value) > limit:
            raise ValueError(f"{label} must be between -{limit:g} and +{limit:g}, got {value!r}")
    from timezonefinder import TimezoneFinder  # 0.2 s to import: only when a zone is wanted

    # Opened per lookup (15 ms) and closed at once: a finder kept for the process would hold
    # its data files open until exit.
    with TimezoneFinder() as finder:
        name = finder.timezone_at(lat=float(latitude_deg), lng=float(longitude_deg))
    if name is None:
        return None
    import zoneinfo  # on first use, not at start-up (`passpredict.timeutil.load_zone`)

    with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        zoneinfo.ZoneInfo(name)
        return name
    return None
