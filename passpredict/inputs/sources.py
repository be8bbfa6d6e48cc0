"""Where a command's element sets come from: a user's file, or the local store.

Kept in one place so that every command (passes, geo, sun-outages, eclipses, track, plot)
picks data the same way:
- `--tle-file PATH`: the satellites in that file (all of them when no satellite is named); a
  bad record is skipped with a warning naming its line (a few named, the rest counted), as in
  `passpredict tle import`; with `strict` a bad record refuses the whole file;
- otherwise the satellites in the local store (`passpredict tle refresh` keeps it fresh; a new
  store is seeded from the snapshot bundled in the package), restricted to the watch list (the
  tracked satellites plus `passpredict tle add`) when no satellite is named, or the members of
  a fetched CelesTrak group (`--group`);
- if the store cannot be used (a damaged file, no store and a read-only home), the bundled
  snapshot, with a warning that names the problem. A store that is only read-only is read.

A file or the store may hold many sets of one satellite: each command uses, per satellite,
the set chosen for its window by `tle_cache.nearest.sets_for_window` (the latest at or before
the window start, else the earliest after it), and each set's `selected` says which rule
chose it. A satellite whose every set lies more than 3 years from the window is refused: with
other satellites left, it is left out with one warning line; alone, the command stops
(`ElementSourceError`, exit 1: the command line is fine, the data cannot answer it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from passpredict.inputs.satellites import (
    UnknownSatelliteError,
    resolve_satellites,
    tracked_satellites,
)
from tle_cache.elements import ElementSet
from tle_cache.nearest import MAX_EPOCH_DISTANCE_DAYS, TooFar, WindowSets, sets_for_window

_MAX_LISTED = 5
_FETCH = "passpredict tle add {n} && passpredict tle refresh"


class ElementSourceError(RuntimeError):
    """The element sets cannot give what was asked (one line, with the fix)."""


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Selection(NamedTuple):
    """The element sets chosen for a command, and warnings about how they were found."""

    element_sets: list[ElementSet]
    warnings: list[str]


#: Ends the warnings about skipped records of a --tle-file.
STRICT_HINT = "--strict refuses a file with bad records"


def select_element_sets(
    queries: Sequence[str],
    tle_file: Path | None,
    home: Path,
    *,
    start_utc: datetime,
    end_utc: datetime | None = None,
    strict: bool = False,
    now_utc: datetime | None = None,
    every_satellite: bool = False,
) -> Selection:
    """Return the element sets a command should use for the window (module docstring).

    The window is `start_utc` to `end_utc` (default: the instant `start_utc`). With no
    `queries` and `every_satellite`, the store's every satellite instead of the watch list
    (the bundled snapshot's every satellite when the store cannot be used). `now_utc`
    makes a --tle-file follow the parser's rule for epochs in the future, as refresh and
    import do. Raises `ElementParseError` for a bad file (any bad record when `strict`),
    `ValueError` for an unknown satellite (naming the fix) and `ElementSourceError` when no
    set lies near enough to the window.
    """
    if tle_file is not None:
        # the parsers (JSON, CSV, decimal) only for a file: the store's sets come parsed
        from tle_cache.parse import read_file, read_file_records, skipped_warnings

        if strict:
            available, warnings = read_file(tle_file, now_utc=now_utc), []
        else:
            available, errors = read_file_records(tle_file, now_utc=now_utc)
            warnings = skipped_warnings(errors, hint=STRICT_HINT)
        with _missing_hint(f"file {tle_file}"):
            ids = _resolve(queries, available) if queries else None
        return _for_window(available, ids, start_utc, end_utc, warnings)
    # the store (sqlite3, its schema and policy: ~3 ms to import) only when it is read
    from tle_cache.store import open_store_for_reading, store_path
    from tle_cache.store_files import StoreError

    try:
        with open_store_for_reading(store_path(home)) as store:
            with _missing_hint("store"):
                if queries:
                    ids = _resolve(queries, store.latest())
                else:
                    ids = store.norad_ids() if every_satellite else store.watchlist()
            picked = store.sets_for_window(start_utc, end_utc, ids)
        return _selection(picked, start_utc, end_utc, [])
    except StoreError as error:
        warning = f"{error}; using the element sets bundled with passpredict instead"
    except OSError as error:
        warning = (
            f"cannot use the element store in {home} ({error}); "
            "using the element sets bundled with passpredict instead"
        )
    from tle_cache.bundled import load_bundled  # only when the store cannot be used

    available = load_bundled()
    with _missing_hint("store"):
        if queries:
            ids = _resolve(queries, available)
        elif every_satellite:
            ids = list(dict.fromkeys(es.norad_id for es in available))
        else:
            ids = [t.norad_id for t in tracked_satellites()]
    return _for_window(available, ids, start_utc, end_utc, [warning])


def select_group(
    name: str,
    queries: Sequence[str],
    home: Path,
    *,
    start_utc: datetime,
    end_utc: datetime | None = None,
) -> Selection:
    """Return the set chosen for the window of every member of a fetched CelesTrak group.

    With `queries`, only those members. Raises `ElementSourceError` when the store cannot be
    read or holds no such group (it must be fetched first), `ValueError` for an unknown query.
    One store query picks the sets of all members, however many.
    """
    from tle_cache.store import open_store_for_reading, store_path
    from tle_cache.store_files import StoreError

    try:
        with open_store_for_reading(store_path(home)) as store:
            ids = store.group_ids(name)
            if not ids:
                raise ElementSourceError(
                    f"no group {name!r} in the element store; fetch it first: "
                    f"passpredict tle refresh --group {name}"
                )
            if queries:
                with _missing_hint(f"group {name!r}"):
                    ids = _resolve(queries, store.latest(ids))
            picked = store.sets_for_window(start_utc, end_utc, ids)
    except (StoreError, OSError) as error:
        raise ElementSourceError(str(error)) from None
    return _selection(picked, start_utc, end_utc, [])


def selection_line(satellites: Sequence[Any]) -> str:
    """Say in one line why each satellite's set was chosen, for under a table of the sets.

    `satellites` are records with `name` and `selected` (`SatelliteReport`, `ElementSet`).
    "Each set is the latest at or before the window start." when one rule chose them all,
    else the rules with their satellites; empty when no set was chosen by a rule.
    """
    by_reason: dict[str, list[str]] = {}
    for s in satellites:
        if s.selected:
            by_reason.setdefault(s.selected, []).append(s.name)
    if not by_reason:
        return ""
    if len(by_reason) == 1:
        return f"Each set is the {next(iter(by_reason))}."
    parts = []
    for reason, names in by_reason.items():
        more = f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else ""
        parts.append(f"the {reason}: {', '.join(names[:_MAX_LISTED])}{more}")
    return "Chosen sets: " + "; ".join(parts) + "."


def _resolve(queries: Sequence[str], available: Sequence[ElementSet]) -> list[int]:
    return [es.norad_id for es in resolve_satellites(queries, available)]


@contextmanager
def _missing_hint(where: str) -> Iterator[None]:
    """Re-raise an `UnknownSatelliteError` with the fix that fits where the sets came from."""
    try:
        yield
    except UnknownSatelliteError as error:
        raise ValueError(_missing_message(error, where)) from None


def _missing_message(error: UnknownSatelliteError, where: str) -> str:
    if where.startswith("file "):
        if error.norad_id is None:
            return f"{error}; or leave out --tle-file to use the element store"
        return (
            f"no element set for {error.label} in {where[5:]}; give a file that holds it, or "
            "leave out --tle-file to use the element store"
        )
    if where.startswith("group "):
        return f"{error} (in the {where})"
    if error.norad_id is None:
        fetch = _FETCH.format(n="NORAD")
        return (
            f"unknown satellite {error.query!r} ({error.known}); to use another satellite, "
            f"fetch it by its NORAD number: {fetch}, or give --tle-file FILE"
        )
    return (
        f"no element set for {error.label} in the element store; fetch it: "
        f"{_FETCH.format(n=error.norad_id)}, or give --tle-file FILE"
    )


def _for_window(
    available: Sequence[ElementSet],
    norad_ids: Sequence[int] | None,
    start_utc: datetime,
    end_utc: datetime | None,
    warnings: list[str],
) -> Selection:
    picked = sets_for_window(available, start_utc, end_utc, norad_ids=norad_ids)
    return _selection(picked, start_utc, end_utc, warnings)


def _selection(
    picked: WindowSets, start_utc: datetime, end_utc: datetime | None, warnings: list[str]
) -> Selection:
    """The chosen sets; those too far left out with one warning, or refused if all are."""
    if picked.too_far:
        reason = _too_far(picked.too_far, start_utc, end_utc)
        if not picked.chosen:
            raise ElementSourceError(reason)
        count = len(picked.too_far)
        warnings.append(f"{count} satellite{'s' if count > 1 else ''} left out: {reason}")
    return Selection(picked.chosen, warnings)


def _too_far(refused: Sequence[TooFar], start_utc: datetime, end_utc: datetime | None) -> str:
    """One line: which satellites, how far their nearest sets are, the limit and the fix."""
    limit = f"{MAX_EPOCH_DISTANCE_DAYS / 365.25:g} years"
    fix = "give --tle-file with elements from that time, or move the window nearer the epoch"
    end = end_utc or start_utc
    if len(refused) == 1:
        (one,) = refused
        es = one.nearest
        side = "after" if es.epoch_utc <= start_utc else "before"
        return (
            f"the window ({_date(start_utc)} to {_date(end)}) lies {_span(one.distance_days)} "
            f"{side} the nearest element set of {es.name} ({es.norad_id}, epoch "
            f"{_date(es.epoch_utc)}); passpredict predicts at most {limit} from an epoch, "
            f"beyond which elements say nothing about the orbit: {fix}"
        )
    listed = ", ".join(
        f"{t.nearest.name} ({t.nearest.norad_id}, epoch {_date(t.nearest.epoch_utc)})"
        for t in refused[:_MAX_LISTED]
    )
    more = f" and {len(refused) - _MAX_LISTED} more" if len(refused) > _MAX_LISTED else ""
    return (
        f"the window ({_date(start_utc)} to {_date(end)}) lies more than {limit} from every "
        f"element set of {listed}{more}; passpredict predicts at most {limit} from an epoch: "
        f"{fix}"
    )


def _date(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}"


def _span(days: float) -> str:
    return f"{days / 365.25:.1f} years" if days >= 365.25 else f"{days:.0f} days"
