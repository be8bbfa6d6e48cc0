"""Element sets: parsing TLE/3LE and OMM, the bundled defaults, and (later) fetching and storing."""

from tle_cache.elements import ElementSet

__all__ = ["ElementSet"]
