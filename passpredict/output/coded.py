"""Columns of text kept as codes into a table, so that what sits beside them folds into the table.

A row of JSON or CSV is laid out as pieces, literal texts and columns of texts
(`passpredict.output.textarrays.join_rows`), and the final join costs about 18 ns a piece
(the look-up, the list, the join) whatever its length. Most columns are looked up in tables
already (the fraction of a rounded number, the clock of a time, a boolean), so a `Coded` column
keeps the table and each row's position in it instead of the looked-up texts. A literal after it
(``, "elevation_deg": ``) or before it then becomes part of each of the table's texts, and two
small coded columns side by side become one coded column of their table's pairs (`fuse`): one
piece a row instead of two or three, for the cost of building the table once. Tables of base
tables that live for the process carry a `key` that names them and what was fused onto them, and
are built once per process (`_FUSED`); others are fused only when the table is much smaller than
the column (its building costs about twice a piece a text).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

#: The largest table a fusion may make (a product of two tables grows fast).
FUSE_MAX_TABLE = 4096
#: Fused tables kept for the process, at most (cleared when full: a few MB of texts).
_FUSED_MAX = 512
_FUSED: dict[Hashable, NDArray[np.object_]] = {}


@dataclass(frozen=True, eq=False)
class Coded:
    """A column of texts as a table and each row's position in it (`texts` looks them up).

    `key`, when set, names the table for good: equal keys mean equal tables (a table built
    once for the process, with what was fused onto it); None for a table made from the data.
    """

    table: NDArray[np.object_]
    index: NDArray[np.intp]
    key: Hashable | None = None

    def __len__(self) -> int:
        return len(self.index)

    def texts(self) -> list[str]:
        """The column's texts, one per row."""
        texts: list[str] = self.table.take(self.index).tolist()
        return texts


def coded(table: NDArray[np.object_], index: NDArray[np.integer], key: Hashable | None) -> Coded:
    """A `Coded` column of `table` at the positions `index` (any integer type)."""
    return Coded(table, np.asarray(index, dtype=np.intp), key)


def choice(texts: tuple[str, str], which: NDArray[np.bool_]) -> Coded:
    """The column of ``texts[1]`` where `which` holds and ``texts[0]`` elsewhere."""
    return coded(np.array(texts, dtype=object), which.view(np.int8), ("choice", texts))


def fuse(first: str | Coded, second: str | Coded) -> str | Coded | None:
    """Return one piece whose row texts are those of `first` followed by those of `second`, or
    None when they are better left apart (a table too large to build, or to build for once)."""
    if isinstance(first, str):
        if isinstance(second, str):
            return first + second
        return _fused(
            None if second.key is None else ("prefix", first, second.key),
            lambda: np.add(first, second.table),
            second.index,
            len(second.table),
        )
    if isinstance(second, str):
        return _fused(
            None if first.key is None else ("suffix", first.key, second),
            lambda: np.add(first.table, second),
            first.index,
            len(first.table),
        )
    size = len(first.table) * len(second.table)
    if size > FUSE_MAX_TABLE:
        return None
    both = first.key is not None and second.key is not None
    return _fused(
        ("pairs", first.key, second.key) if both else None,
        lambda: np.add.outer(first.table, second.table).ravel(),
        first.index * len(second.table) + second.index,
        size,
    )


def _fused(
    key: Hashable | None,
    build: Callable[[], NDArray[np.object_]],
    index: NDArray[np.intp],
    size: int,
) -> Coded | None:
    table = None if key is None else _FUSED.get(key)
    if table is not None:
        return Coded(table, index, key)
    # a table made for this column alone must cost well under the pieces it saves (a kept
    # one may cost more: the next chunks of the same columns take it as it is)
    limit = len(index) // 2 if key is None else 4 * len(index)
    if size > min(FUSE_MAX_TABLE, limit):
        return None
    table = build()
    if key is not None:
        if len(_FUSED) >= _FUSED_MAX:
            _FUSED.clear()
        _FUSED[key] = table
    return Coded(table, index, key)
