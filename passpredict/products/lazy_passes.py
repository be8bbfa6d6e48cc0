"""`LazyPasses`: a prediction's `Pass` records, built from its columns when first looked at."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from passpredict.records import Pass

if TYPE_CHECKING:
    from passpredict.products.columns import PassColumns


#: Passes a `repr` shows in full; a longer sequence shows its first three and last two.
REPR_PASSES = 10


class LazyPasses(Sequence[Pass]):
    """`Pass` records built from `PassColumns` the first time they are looked at.

    Behaves as the tuple of records (iteration, `len`, indexing, slicing to a tuple, equality
    with a tuple); pickles as its columns, so that a worker ships arrays, not records.
    """

    def __init__(self, columns: PassColumns) -> None:
        self.columns = columns
        self._records: tuple[Pass, ...] | None = None

    def records(self) -> tuple[Pass, ...]:
        if self._records is None:
            self._records = tuple(self.columns.to_passes())
        return self._records

    def __len__(self) -> int:
        return len(self.columns)

    @overload
    def __getitem__(self, index: int) -> Pass: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Pass, ...]: ...
    def __getitem__(self, index: int | slice) -> Pass | tuple[Pass, ...]:
        return self.records()[index]

    def __iter__(self) -> Iterator[Pass]:
        return iter(self.records())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyPasses | tuple | list):
            return self.records() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.records())

    def __repr__(self) -> str:
        """The records, as the tuple shows them (what a notebook cell displays); past
        `REPR_PASSES` the first and last few with the count between them, so a catalogue's
        70,000 passes neither flood the cell nor get built for it."""
        n = len(self)
        if n <= REPR_PASSES:
            return repr(self.records())
        head = LazyPasses(self.columns.take(np.arange(3))).records()
        tail = LazyPasses(self.columns.take(np.arange(n - 2, n))).records()
        shown = [*map(repr, head), f"... {n - 5:,} more passes ...", *map(repr, tail)]
        return "(" + ",\n ".join(shown) + ")"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyPasses, (self.columns,))
