"""Choosing, per satellite, the element set to predict a window from.

A file or the store may hold many sets of one satellite (the store keeps every set it ever
received). A prediction uses, per satellite, **the latest set whose epoch is at or before the
window start**: what an operator would have had at that moment, so a window in the past
replays history and a window from now on uses the newest set. When there is no such set, the
**earliest set after the window start** is used.

Refusal: mean elements say nothing useful about an orbit years away from their epoch (drag,
manoeuvres, relocation and re-entry are not in them: a low orbit is minutes off after a month,
see the stale warnings), so a window that lies more than `MAX_EPOCH_DISTANCE_DAYS` (3 years)
from every set of a satellite is refused for that satellite: it is almost always a typing
mistake in the date (1957 for 2057) or the wrong file. Three years, and not less, so that an
installed release keeps working offline from its bundled snapshot (with stale warnings) for
the life of an ordinary installation. When the latest set before the start is that far away but
a later one is nearer, the later one is chosen instead (the rule above would otherwise refuse a
window that a set covers).

The choice is made on arrays, sorted once, without a Python loop per satellite: a run over a
whole 15,000-object group costs a few milliseconds here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np

from tle_cache.elements import ElementSet

#: A window farther than this from every set of a satellite is refused (3 years; see above).
MAX_EPOCH_DISTANCE_DAYS = 3 * 365.25

#: Why a set was chosen (`ElementSet.selected`).
LATEST_BEFORE = "latest at or before the window start"
EARLIEST_AFTER = "earliest after the window start"
EARLIEST_AFTER_FAR = (
    "earliest after the window start (the latest before it is more than "
    f"{MAX_EPOCH_DISTANCE_DAYS / 365.25:g} years older)"
)


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class TooFar(NamedTuple):
    """A satellite whose every set lies too far from the window: its nearest set, how far."""

    nearest: ElementSet
    distance_days: float


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class WindowSets(NamedTuple):
    """The set chosen for each satellite (reason in `selected`), and the refused satellites.

    Both lists are in the order the satellites first appear in the input (or in `norad_ids`).
    """

    chosen: list[ElementSet]
    too_far: list[TooFar]


@dataclass(frozen=True)
class EpochChoice:
    """The choice on arrays, one entry per satellite in output order (see `choose_epochs`).

    `index` points into the input arrays; `reason` is the `selected` text, `distance_days`
    how far the chosen epoch lies from the window (0 inside it), `refused` whether that is
    beyond the limit (then the chosen epoch is the satellite's nearest one).
    """

    index: np.ndarray
    reason: list[str]
    distance_days: np.ndarray
    refused: np.ndarray


def choose_epochs(
    norad_ids: np.ndarray,
    epochs_s: np.ndarray,
    start_utc: datetime,
    end_utc: datetime | None = None,
    *,
    wanted: Sequence[int] | None = None,
    max_distance_days: float = MAX_EPOCH_DISTANCE_DAYS,
) -> EpochChoice:
    """Choose, among sets given as parallel arrays of NORAD ids and epochs (POSIX seconds),
    one per satellite for the window (the rule of the module docstring).

    The output follows `wanted` (ids without a set are left out), else the order in which
    the satellites first appear. The one implementation of the rule: `sets_for_window` and
    the store (`Store.sets_for_window`) both call it.
    """
    end_utc = start_utc if end_utc is None else end_utc
    if end_utc < start_utc:
        raise ValueError(f"the window ends ({end_utc}) before it starts ({start_utc})")
    ids = np.asarray(norad_ids, np.int64)
    epochs_s = np.asarray(epochs_s, np.float64)
    if ids.size == 0:
        empty = np.zeros(0, np.int64)
        return EpochChoice(empty, [], np.zeros(0), np.zeros(0, bool))
    start_s, end_s = start_utc.timestamp(), end_utc.timestamp()
    limit_s = max_distance_days * 86400.0

    order = np.lexsort((epochs_s, ids))  # by satellite, then by epoch (stable)
    ids_sorted, epochs_sorted = ids[order], epochs_s[order]
    first = np.flatnonzero(np.r_[True, ids_sorted[1:] != ids_sorted[:-1]])
    stop = np.r_[first[1:], ids_sorted.size]
    # epochs are sorted inside each satellite's run: the ones at or before the start lead it
    n_before = np.add.reduceat((epochs_sorted <= start_s).astype(np.int64), first)
    has_before = n_before > 0
    has_after = first + n_before < stop
    before = np.maximum(first + n_before - 1, first)
    after = np.minimum(first + n_before, stop - 1)
    gap_before_s = start_s - epochs_sorted[before]  # >= 0 where has_before
    gap_after_s = np.maximum(epochs_sorted[after] - end_s, 0.0)  # 0: inside the window
    use_after = ~has_before | (has_after & (gap_before_s > limit_s) & (gap_after_s < gap_before_s))
    pick = np.where(use_after, after, before)
    gap_s = np.where(use_after, gap_after_s, gap_before_s)
    code = np.where(use_after, np.where(has_before, 2, 1), 0)

    satellite_ids = ids_sorted[first]
    if wanted is None:
        runs = np.argsort(np.minimum.reduceat(order, first), kind="stable")
    else:
        asked = np.fromiter(dict.fromkeys(int(n) for n in wanted), np.int64)
        position = np.minimum(np.searchsorted(satellite_ids, asked), satellite_ids.size - 1)
        runs = position[satellite_ids[position] == asked]
    reasons = (LATEST_BEFORE, EARLIEST_AFTER, EARLIEST_AFTER_FAR)
    return EpochChoice(
        index=order[pick[runs]],
        reason=[reasons[c] for c in code[runs].tolist()],
        distance_days=gap_s[runs] / 86400.0,
        refused=gap_s[runs] > limit_s,
    )


def sets_for_window(
    element_sets: Sequence[ElementSet],
    start_utc: datetime,
    end_utc: datetime | None = None,
    *,
    norad_ids: Sequence[int] | None = None,
    max_distance_days: float = MAX_EPOCH_DISTANCE_DAYS,
) -> WindowSets:
    """Return, for each satellite in `element_sets`, the set to predict the window from.

    The window is `start_utc` to `end_utc` (default: the instant `start_utc`); the rule and
    the refusal are in the module docstring. With `norad_ids`, only those satellites, in that
    order (ids without a set are left out). Each chosen set comes back as a copy whose
    `selected` says why it was chosen.
    """
    count = len(element_sets)
    choice = choose_epochs(
        np.fromiter((es.norad_id for es in element_sets), np.int64, count),
        np.fromiter((es.epoch_utc.timestamp() for es in element_sets), np.float64, count),
        start_utc,
        end_utc,
        wanted=norad_ids,
        max_distance_days=max_distance_days,
    )
    return window_sets(choice, lambda i, reason: with_reason(element_sets[i], reason))


def window_sets(choice: EpochChoice, make: Callable[[int, str], ElementSet]) -> WindowSets:
    """Build the `WindowSets` of a choice; `make(index, reason)` gives the chosen set."""
    chosen: list[ElementSet] = []
    too_far: list[TooFar] = []
    for i, reason, distance_days, refused in zip(
        choice.index.tolist(),
        choice.reason,
        choice.distance_days.tolist(),
        choice.refused.tolist(),
        strict=True,
    ):
        if refused:
            too_far.append(TooFar(make(i, ""), distance_days))
        else:
            chosen.append(make(i, reason))
    return WindowSets(chosen, too_far)


def with_reason(es: ElementSet, reason: str) -> ElementSet:
    """Return `es` with `selected` set: a copy of its fields (the SGP4 cache shared), the
    rest unchanged.

    Runs once per satellite of a catalogue, so neither `replace` nor the constructor, whose
    frozen-dataclass `__init__` sets eight fields one `object.__setattr__` at a time and
    checks the epoch again (18 -> 9 ms for 15,347 sets): the fields of a frozen dataclass
    without slots live in its `__dict__`, which a new instance takes over whole.
    """
    copy = object.__new__(ElementSet)
    copy.__dict__.update(es.__dict__, selected=reason)
    return copy
