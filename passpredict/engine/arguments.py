"""Type checks of a pass search's arguments at the library's front door, with the fix in words.

A notebook user hands `predict` and `find_passes` what is at hand: an observer's name, a
(lat, lon) tuple, a threshold as text, the whole `Astronomy` for its timescale. Deep inside,
each of those fails as an AttributeError or a TypeError that names no argument ("'str' object
has no attribute 'latitude_deg'", "cannot create weak reference to 'Astronomy' object").
These checks run once per call on the few observers and the scalars (never per element set:
a catalogue has 15,347) and say which argument is wrong and what to pass instead.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from skyfield.timelib import Timescale

from passpredict.records import Observer
from tle_cache.elements import ElementSet


def described(value: Any) -> str:
    """Return "a str '10'": the value's type with its article, and the value."""
    kind = type(value).__name__
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind} {value!r}"


def check_search_arguments(
    element_sets: Any, observers: Sequence[Any], min_elevation_deg: Any, timescale: Any
) -> None:
    """Raise `TypeError` naming the argument when one set or observer is given bare, not in
    a list, an observer is not an `Observer`, the threshold is not a number or the timescale
    is not a Skyfield `Timescale`. `observers` must be a sequence (it is read twice)."""
    for name, value, kind in (
        ("element_sets", element_sets, ElementSet),
        ("observers", observers, Observer),
    ):
        if isinstance(value, kind):
            raise TypeError(
                f"{name} must be a sequence of {kind.__name__} records, got one "
                f"{kind.__name__}; wrap it in a list: [{name[:-1]}]"
            )
    for observer in observers:
        if not isinstance(observer, Observer):
            hint = (
                f"passpredict.observers.find_observer({observer!r}, builtin_observers())"
                if isinstance(observer, str)
                else "Observer(name, latitude_deg, longitude_deg, elevation_m)"
            )
            raise TypeError(
                f"observers must hold Observer records, got {described(observer)}; give e.g. {hint}"
            )
    if isinstance(min_elevation_deg, bool) or not isinstance(min_elevation_deg, numbers.Real):
        raise TypeError(
            f"min_elevation_deg must be a number of degrees, got {described(min_elevation_deg)}"
        )
    if not isinstance(timescale, Timescale):
        hint = (
            "pass astronomy.timescale"
            if hasattr(timescale, "timescale")
            else "passpredict.ephemeris.load_timescale() gives one"
        )
        raise TypeError(
            f"timescale must be a skyfield Timescale, got {described(timescale)[:80]}; {hint}"
        )
