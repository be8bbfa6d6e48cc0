"""The satellites passpredict tracks by default, and turning what the user types into elements.

Users name satellites the way they speak of them ("spot7", "Azersky", "intelsat 38") or by
catalog number; element files name them the way the publisher does ("AZERSPACE 2 (IS-38)").
`resolve_satellites` bridges the two and refuses to guess when a name could mean two objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from tle_cache.elements import ElementSet

_MAX_LISTED_NAMES = 20


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class TrackedSatellite(NamedTuple):
    """A satellite tracked by default: its NORAD catalog number, its name as CelesTrak prints
    it, and other names people use for it (matched ignoring case, spaces and hyphens)."""

    norad_id: int
    name: str
    aliases: tuple[str, ...] = ()


_TRACKED: tuple[TrackedSatellite, ...] = (
    TrackedSatellite(
        39079,
        "AZERSPACE 1",
        ("Azerspace-1", "Azerspace1", "AZ1", "AZ-1", "Africasat-1a"),
    ),
    TrackedSatellite(
        43632,
        "AZERSPACE 2 (IS-38)",
        ("Azerspace-2", "Azerspace2", "AZ2", "AZ-2", "IS-38", "Intelsat 38", "Intelsat-38"),
    ),
    # Built as SPOT 7 for Airbus; operated by Azercosmos as Azersky since 2014.
    TrackedSatellite(40053, "SPOT 7", ("SPOT-7", "SPOT7", "Azersky")),
)

#: Satellites people ask for by name without knowing the number. Not tracked (no elements are
#: shipped for them): the names resolve when their elements are loaded, and a missing one gets
#: the exact command that fetches it (``passpredict tle add 25544 && ...``).
_WELL_KNOWN: tuple[TrackedSatellite, ...] = (
    TrackedSatellite(25544, "ISS (ZARYA)", ("ISS", "Zarya", "International Space Station")),
    TrackedSatellite(20580, "HST", ("Hubble", "Hubble Space Telescope")),
    TrackedSatellite(48274, "CSS (TIANHE)", ("Tiangong", "Tianhe", "Chinese Space Station")),
)


class UnknownSatelliteError(ValueError):
    """A query names no loaded object. `norad_id` (and `name`) are set when the number is
    known anyway: the query was a number, or the name of a tracked or well-known satellite."""

    def __init__(
        self,
        message: str,
        query: str,
        *,
        norad_id: int | None = None,
        name: str | None = None,
        known: str = "",
    ) -> None:
        super().__init__(message)
        self.query = query
        self.norad_id = norad_id
        self.name = name
        self.known = known

    @property
    def label(self) -> str:
        """'ISS (ZARYA) (NORAD 25544)', 'NORAD 99999' or the query as typed."""
        if self.norad_id is None:
            return repr(self.query)
        return f"{self.name} (NORAD {self.norad_id})" if self.name else f"NORAD {self.norad_id}"


def tracked_satellites() -> list[TrackedSatellite]:
    """Return the satellites passpredict follows when the user names none."""
    return list(_TRACKED)


def resolve_satellites(
    queries: Sequence[str], element_sets: Sequence[ElementSet]
) -> list[ElementSet]:
    """Return one element set per query, in the queries' order, without duplicates.

    A query is a NORAD catalog number (digits, any length) or a name. Names are compared
    ignoring case, spaces, hyphens, underscores and parentheses, in three rounds: an exact
    name in `element_sets`, then a tracked satellite's name or alias, then a substring of
    exactly one object's names. When several sets carry the same NORAD number the latest
    epoch wins. Raises `ValueError` for an ambiguous query, listing the candidates, and its
    subclass `UnknownSatelliteError` for an unknown one.
    """
    latest = _latest_by_norad(element_sets)
    index = _NameIndex(latest)
    chosen: dict[int, ElementSet] = {}
    for query in queries:
        element_set = _resolve_one(query, index)
        chosen.setdefault(element_set.norad_id, element_set)
    return list(chosen.values())


def normalise_name(text: str) -> str:
    """Fold a satellite name for comparison: "Azerspace-2 (IS-38)" -> "azerspace2is38"."""
    return re.sub(r"[\s\-_()]+", "", text).casefold()


class _NameIndex:
    """The folded names of each loaded object: its own, and with a tracked one's aliases."""

    def __init__(self, latest: dict[int, ElementSet]) -> None:
        self.latest = latest
        aliases = {
            t.norad_id: [normalise_name(n) for n in (t.name, *t.aliases)]
            for t in (*_TRACKED, *_WELL_KNOWN)
        }
        self.own = {i: normalise_name(e.name) for i, e in latest.items()}
        self.every = {i: [self.own[i], *aliases.get(i, [])] for i in latest}

    def exact(self, key: str) -> list[int]:
        return [i for i, name in self.own.items() if name == key]

    def alias(self, key: str) -> list[int]:
        return [i for i, names in self.every.items() if key in names]

    def substring(self, key: str) -> list[int]:
        return [i for i, names in self.every.items() if any(key in name for name in names)]


def _resolve_one(query: str, index: _NameIndex) -> ElementSet:
    latest = index.latest
    text = query.strip()
    if re.fullmatch(r"[0-9]+", text):
        return _by_norad_id(int(text), latest)
    key = normalise_name(text)
    if not key:
        known = _known_names(latest)
        raise UnknownSatelliteError(
            f"satellite name {query!r} is empty; {known}", query, known=known
        )
    for match in (index.exact, index.alias, index.substring):
        ids = match(key)
        if len(ids) == 1:
            return latest[ids[0]]
        if ids:
            listed = _list(f"{latest[i].name} ({i})" for i in ids)
            raise ValueError(
                f"satellite {query!r} is ambiguous, it could be {listed}; "
                "give the full name or the NORAD number"
            )
    known = _known_names(latest)
    tracked = _tracked_matching(key)
    if tracked is not None:
        raise _missing(query, tracked.norad_id, tracked.name, len(latest), known)
    raise UnknownSatelliteError(f"unknown satellite {query!r}; {known}", query, known=known)


def _by_norad_id(norad_id: int, latest: dict[int, ElementSet]) -> ElementSet:
    if norad_id in latest:
        return latest[norad_id]
    name = next((t.name for t in (*_TRACKED, *_WELL_KNOWN) if t.norad_id == norad_id), None)
    raise _missing(str(norad_id), norad_id, name, len(latest), _known_names(latest))


def _tracked_matching(key: str) -> TrackedSatellite | None:
    for tracked in (*_TRACKED, *_WELL_KNOWN):
        if key in {normalise_name(n) for n in (tracked.name, *tracked.aliases)}:
            return tracked
    return None


def _missing(
    query: str, norad_id: int, name: str | None, loaded: int, known: str
) -> UnknownSatelliteError:
    label = f"{name} (NORAD {norad_id})" if name else f"NORAD {norad_id}"
    return UnknownSatelliteError(
        f"no element set for {label} among the {loaded} loaded; fetch its elements: "
        f"passpredict tle add {norad_id} && passpredict tle refresh",
        query,
        norad_id=norad_id,
        name=name,
        known=known,
    )


def _latest_by_norad(element_sets: Sequence[ElementSet]) -> dict[int, ElementSet]:
    latest: dict[int, ElementSet] = {}
    for element_set in element_sets:
        held = latest.get(element_set.norad_id)
        if held is None or element_set.epoch_utc > held.epoch_utc:
            latest[element_set.norad_id] = element_set
    return latest


def _known_names(latest: dict[int, ElementSet]) -> str:
    tracked = [t.name for t in _TRACKED]
    loaded = [e.name for e in latest.values() if e.name not in tracked]
    return f"known satellites: {_list([*tracked, *loaded])}"


def _list(names: Iterable[str]) -> str:
    unique = list(dict.fromkeys(names))
    shown = ", ".join(unique[:_MAX_LISTED_NAMES])
    hidden = len(unique) - _MAX_LISTED_NAMES
    return f"{shown} and {hidden} more" if hidden > 0 else shown
