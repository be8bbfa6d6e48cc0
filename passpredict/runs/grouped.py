"""Several chunks of a batch in one `predict` call, handed back chunk by chunk as planned.

Each `predict` call pays fixed costs per call and per group of satellites the engine scans
together: over the whole catalogue, six calls of 250,000 grid cells cost ~0.07 s of CPU more
than one call (issue 11). A run in this process may therefore take consecutive chunks of its
plan in one call (`group_chunks`, up to a budget of cells that bounds its memory) and cut the
answer back into the chunks' own predictions (`split_prediction`): the same satellites,
passes, looks, notes and stale sets, in the same order, as each chunk's own call gives, so
that what is written chunk by chunk (passes by time within a chunk) does not change.

Why the cut is exact: chunking never changes a pass (`passpredict.runs.batch`), and a
prediction's passes are sorted by start with a stable sort of the search's rows (by start,
satellite, observer) followed by the geostationary rows; the rows of one chunk, taken in that
order, are sorted the same way as in the chunk's own call. Every record names its satellite by
NORAD number, so the cut needs one set per NORAD number (`unique_satellites`), which is what a
window's selection gives (`tle_cache.nearest.sets_for_window`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.orbits import OrbitClass
from passpredict.engine.passes import PassTable
from passpredict.products.columns import LazyPasses
from tle_cache.elements import ElementSet


def unique_satellites(element_sets: Sequence[ElementSet]) -> bool:
    """Whether no NORAD number has two sets: the condition `split_prediction` needs."""
    return len({es.norad_id for es in element_sets}) == len(element_sets)


def group_chunks(chunks: Sequence[NDArray[np.intp]], per_group: int) -> list[list[int]]:
    """Return consecutive runs of chunk numbers, at most `per_group` chunks each.

    Only chunks of more than one satellite are grouped: `plan_chunks` keeps those within its
    budget of cells, so a group holds at most `per_group` budgets; a chunk of one satellite may
    be larger than the budget and runs alone.
    """
    groups: list[list[int]] = []
    for number, chunk in enumerate(chunks):
        last = groups[-1] if groups else None
        alone = chunk.size < 2
        if last is None or alone or len(last) >= per_group or chunks[last[0]].size < 2:
            groups.append([number])
        else:
            last.append(number)
    return groups


def split_prediction(prediction: Any, sizes: Sequence[int]) -> list[Any]:
    """Cut the `Prediction` of consecutive chunks' sets (`sizes[k]` sets in chunk k, in order)
    into the predictions of each chunk's own `predict` call (module docstring).

    Needs one set per NORAD number (`unique_satellites`). `warnings` (texts, not tied to a
    satellite) go with the first chunk; joined again (`merge_predictions`) they are the same.
    """
    reports = prediction.satellites
    ids = np.array([r.norad_id for r in reports], dtype=np.int64)
    part_of_id = _lookup(ids, np.repeat(np.arange(len(sizes)), sizes))

    columns = prediction.columns
    row_part = part_of_id(columns.norad_id)
    looks, notes, stale = prediction.geostationary, prediction.notes, prediction.stale
    look_part = part_of_id([g.norad_id for g in looks]).tolist()
    note_part = part_of_id([n.norad_id for n in notes]).tolist()
    stale_part = part_of_id([s.norad_id for s in stale]).tolist()
    # the search's own table: its satellite_index counts the searched sets only, which are
    # every set but the decayed and the geostationary ones (`predict`)
    decayed, stationary = OrbitClass.DECAYED, OrbitClass.GEOSTATIONARY
    searched_before = [0]
    begin = 0
    for size in sizes:
        orbits = [r.orbit for r in reports[begin : begin + size]]
        searched = sum(1 for o in orbits if o is not decayed and o is not stationary)
        searched_before.append(searched_before[-1] + searched)
        begin += size
    table = prediction.table
    table_part = None
    if table is not None:  # the part of each row: the last part starting at or before it
        starts = np.asarray(searched_before[:-1], dtype=np.int64)
        table_part = np.searchsorted(starts, table.satellite_index, side="right") - 1
    parts = []
    begin = 0
    for k, size in enumerate(sizes):
        part_table = None
        if table is not None:
            rows = np.flatnonzero(table_part == k)
            fields = {name: getattr(table, name)[rows] for name in _TABLE_FIELDS}
            fields["satellite_index"] = fields["satellite_index"] - searched_before[k]
            part_table = PassTable(**fields)
        parts.append(
            replace(
                prediction,
                satellites=reports[begin : begin + size],
                passes=LazyPasses(columns.take(np.flatnonzero(row_part == k))),
                geostationary=tuple(g for g, p in zip(looks, look_part, strict=True) if p == k),
                notes=tuple(n for n, p in zip(notes, note_part, strict=True) if p == k),
                warnings=prediction.warnings if k == 0 else (),
                table=part_table,
                stale=tuple(s for s, p in zip(stale, stale_part, strict=True) if p == k),
            )
        )
        begin += size
    return parts


def _lookup(
    keys: NDArray[np.int64], values: NDArray[np.intp]
) -> Callable[[Sequence[int] | NDArray[np.int64]], NDArray[np.intp]]:
    """Return a function giving the value of each of many (unique, non-negative) keys.

    A dense table where the keys are small (NORAD numbers below `_DENSE_KEYS`: one gather,
    ~20x faster than a binary search for 50,000 rows), else a binary search of the sorted keys.
    """
    if keys.size and keys.min() >= 0 and keys.max() < _DENSE_KEYS:
        table = np.full(int(keys.max()) + 1, -1, dtype=np.intp)
        table[keys] = values
        return lambda wanted: table[np.asarray(wanted, dtype=np.int64)]
    order = np.argsort(keys, kind="stable")
    return lambda wanted: values[
        order[np.searchsorted(keys, np.asarray(wanted, dtype=np.int64), sorter=order)]
    ]


#: Keys below this are looked up in a dense table (at most 8 MB).
_DENSE_KEYS = 1_000_000
#: `PassTable`'s fields.
_TABLE_FIELDS = tuple(PassTable.__dataclass_fields__)
