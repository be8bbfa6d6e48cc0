"""The element sets shipped with the package, for offline use before the first download.

`tle_cache/data/bundled.tle` holds the newest set we had of each of our three satellites
(AZERSPACE 1 / 39079, AZERSPACE 2 (IS-38) / 43632, SPOT 7 / 40053). They age: callers should
warn when a bundled set is stale for its orbit and offer a refresh.
"""

from __future__ import annotations

import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tle_cache.elements import ElementSet

#: The `ElementSet.source` of every bundled set, so outputs can say which data they used.
BUNDLED_SOURCE = "bundled"


def load_bundled() -> list[ElementSet]:
    """Return the bundled element sets, read from the package data (works from a wheel too)."""
    from tle_cache.parse import parse_text

    return parse_text(_bundled_text(), BUNDLED_SOURCE)


def bundled_tle_lines() -> list[tuple[int, str, str]] | None:
    """Return (NORAD id, line 1, line 2) of each bundled set, read without the parser; None
    when the file is not plain 3LE with numeric catalogue numbers (then only a parse says).

    Every store open checks that the store holds the bundled sets (`tle_cache.store`): by
    these lines that check needs neither the parser nor its modules, about 3 ms of every
    start (issue 11). The lines are those `load_bundled` stores, as the test holds.
    """
    lines = _bundled_text().splitlines()
    if len(lines) % 3 != 0:
        return None
    triples = []
    for name, line1, line2 in zip(lines[::3], lines[1::3], lines[2::3], strict=True):
        if not (name.strip() and line1.startswith("1 ") and line2.startswith("2 ")):
            return None
        if line1 != line1.rstrip() or line2 != line2.rstrip() or not line1[2:7].isdigit():
            return None
        triples.append((int(line1[2:7]), line1, line2))
    return triples


def _bundled_text() -> str:
    # pkgutil, not importlib.resources: as zip-safe, and already imported (Skyfield uses it)
    data = pkgutil.get_data("tle_cache", "data/bundled.tle")
    if data is None:  # a loader that cannot read data files: not one of ours
        raise FileNotFoundError("tle_cache/data/bundled.tle cannot be read; reinstall passpredict")
    return data.decode("utf-8")
