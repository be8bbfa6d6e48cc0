"""Where a command's element sets come from: a user's file, or the default data.

Kept in one place so that every command (passes, geo, ...) picks data the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from passpredict.satellites import resolve_satellites, tracked_satellites
from tle_cache.bundled import load_bundled
from tle_cache.elements import ElementSet
from tle_cache.parse import read_file


def default_element_sets(home: Path) -> list[ElementSet]:
    """Return the newest element set of each satellite passpredict knows without a file."""
    del home  # the local store (tle_cache) plugs in here
    return load_bundled()


def select_element_sets(
    queries: Sequence[str], tle_file: Path | None, home: Path
) -> list[ElementSet]:
    """Return the element sets a command should use.

    With `tle_file`: the sets in that file, all of them when no query is given. Without it:
    the default data, restricted to the tracked satellites when no query is given. Raises
    `ElementParseError` for a bad file and `ValueError` for an unknown satellite.
    """
    available = read_file(tle_file) if tle_file is not None else default_element_sets(home)
    if queries:
        return resolve_satellites(queries, available)
    if tle_file is not None:
        return resolve_satellites([str(es.norad_id) for es in available], available)
    tracked = [str(t.norad_id) for t in tracked_satellites()]
    known = {es.norad_id for es in available}
    return resolve_satellites([q for q in tracked if int(q) in known], available)
