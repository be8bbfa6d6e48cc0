"""The element sets shipped with the package, for offline use before the first download.

`tle_cache/data/bundled.tle` holds the newest set we had of each of our three satellites
(AZERSPACE 1 / 39079, AZERSPACE 2 (IS-38) / 43632, SPOT 7 / 40053). They age: callers should
warn when a bundled set is stale for its orbit and offer a refresh.
"""

from __future__ import annotations

from importlib import resources

from tle_cache.elements import ElementSet
from tle_cache.parse import parse_text

#: The `ElementSet.source` of every bundled set, so outputs can say which data they used.
BUNDLED_SOURCE = "bundled"


def load_bundled() -> list[ElementSet]:
    """Return the bundled element sets, read from the package data (works from a wheel too)."""
    text = resources.files("tle_cache").joinpath("data/bundled.tle").read_text(encoding="utf-8")
    return parse_text(text, BUNDLED_SOURCE)
