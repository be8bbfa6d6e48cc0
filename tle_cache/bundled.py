"""The element sets shipped with the package, for offline use before the first download.

`tle_cache/data/bundled.tle` holds the newest set we had of each of our three satellites
(AZERSPACE 1 / 39079, AZERSPACE 2 (IS-38) / 43632, SPOT 7 / 40053). They age: callers should
warn when a bundled set is stale for its orbit and offer a refresh.
"""

from __future__ import annotations

import pkgutil

from tle_cache.elements import ElementSet
from tle_cache.parse import parse_text

#: The `ElementSet.source` of every bundled set, so outputs can say which data they used.
BUNDLED_SOURCE = "bundled"


def load_bundled() -> list[ElementSet]:
    """Return the bundled element sets, read from the package data (works from a wheel too)."""
    # pkgutil, not importlib.resources: as zip-safe, and already imported (Skyfield uses it)
    data = pkgutil.get_data("tle_cache", "data/bundled.tle")
    if data is None:  # a loader that cannot read data files: not one of ours
        raise FileNotFoundError("tle_cache/data/bundled.tle cannot be read; reinstall passpredict")
    text = data.decode("utf-8")
    return parse_text(text, BUNDLED_SOURCE)
