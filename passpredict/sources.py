"""Where a command's element sets come from: a user's file, or the local store.

Kept in one place so that every command (passes, geo, ...) picks data the same way:
- `--tle-file PATH`: the sets in that file (all of them when no satellite is named);
- otherwise the newest stored set of each satellite (`passpredict tle refresh` keeps the store
  fresh; a new store is seeded from the snapshot bundled in the package), restricted to the
  watch list (the tracked satellites plus `passpredict tle add`) when no satellite is named;
- if the store cannot be used (a damaged file, an unwritable directory), the bundled snapshot,
  with a warning that names the problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from passpredict.satellites import resolve_satellites, tracked_satellites
from tle_cache.bundled import load_bundled
from tle_cache.elements import ElementSet
from tle_cache.parse import read_file
from tle_cache.store import StoreError, open_store, store_path


class ElementSourceError(RuntimeError):
    """The element store cannot give what was asked (one line, with the fix)."""


@dataclass(frozen=True)
class Selection:
    """The element sets chosen for a command, and warnings about how they were found."""

    element_sets: list[ElementSet]
    warnings: list[str] = field(default_factory=list)


def stored_element_sets(home: Path) -> tuple[list[ElementSet], list[int], list[str]]:
    """Return (newest set per satellite, watch list, warnings) from the store in `home`."""
    try:
        with open_store(store_path(home)) as store:
            return store.latest(), store.watchlist(), []
    except StoreError as error:
        warning = f"{error}; using the element sets bundled with passpredict instead"
    except OSError as error:
        warning = (
            f"cannot use the element store in {home} ({error}); "
            "using the element sets bundled with passpredict instead"
        )
    return load_bundled(), [t.norad_id for t in tracked_satellites()], [warning]


def select_element_sets(queries: Sequence[str], tle_file: Path | None, home: Path) -> Selection:
    """Return the element sets a command should use (see the module docstring).

    Raises `ElementParseError` for a bad file and `ValueError` for an unknown satellite.
    """
    if tle_file is not None:
        available = read_file(tle_file)
        wanted = list(queries) or [str(es.norad_id) for es in available]
        return Selection(resolve_satellites(wanted, available))
    available, watchlist, warnings = stored_element_sets(home)
    if queries:
        return Selection(resolve_satellites(queries, available), warnings)
    known = {es.norad_id for es in available}
    wanted = [str(n) for n in watchlist if n in known]
    return Selection(resolve_satellites(wanted, available), warnings)


def select_group(name: str, queries: Sequence[str], home: Path) -> Selection:
    """Return the newest stored set of every member of a fetched CelesTrak group.

    With `queries`, only those members. Raises `ElementSourceError` when the store cannot be
    read or holds no such group (it must be fetched first), `ValueError` for an unknown query.
    """
    try:
        with open_store(store_path(home)) as store:
            members = store.find_group(name)
    except (StoreError, OSError) as error:
        raise ElementSourceError(str(error)) from None
    if not members:
        raise ElementSourceError(
            f"no group {name!r} in the element store; fetch it first: "
            f"passpredict tle refresh --group {name}"
        )
    return Selection(resolve_satellites(queries, members) if queries else members)
