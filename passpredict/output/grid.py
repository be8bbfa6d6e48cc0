"""Aligned text tables that fit a width: the human tables of every command.

Drawn like rich's tables without edges (a heavy rule under the header, ``│`` between
columns) but built as plain strings, which keeps a table of tens of thousands of passes fast
(rich lays out every cell as a renderable: about 0.7 ms a row). Widths are counted in terminal
cells (``★`` one, a CJK letter two). Every cell, heading and detail line is passed through
`passpredict.output.terminal.clean`, so no value can send a control sequence to the terminal.

A row may carry a *detail*: parts of text printed under the row, from the second column to
the right edge, joined by commas and wrapped between parts where they do not fit. Commands
use it to move long notes and extra columns under the row when the terminal is too narrow for
them. A *heading* is a line of its own between rows (a day).

The rule for a terminal narrower than a table (every table of the command line; see the
README, "Narrow terminals"). First each command's own narrow layout (the pass table's day
headings and second line, the status under a geostationary row), then the cells of shrinkable
columns (names) are cut with an ellipsis, down to `MIN_SHRUNK_WIDTH` or their header. If the
rows are still too wide, whole columns *fold under the row*: the column of lowest
`Column.priority` (the right-most of equals; the first column never) leaves the row and each
row's value of it becomes a detail part ``Header value`` under the row, before the row's own
detail; again until the rows fit. Nothing is dropped, so no note is needed, and a table that
fits (every table at 80 columns and up) is drawn exactly as before. Names are given back the
room the folded columns leave.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from rich.cells import cell_len

from passpredict.output.terminal import UNLIMITED_WIDTH, PlainConsole, clean, fit, wrap_parts

if TYPE_CHECKING:
    from passpredict.output.terminal import TableConsole

_GAP = " │ "
_HEAD_GAP = " ┃ "
_PLAIN_GAP = "  "
#: The narrowest a shrinkable column gets before the table is left wider than asked.
MIN_SHRUNK_WIDTH = 6


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Column(NamedTuple):
    """One column: its header (``\\n`` for a two-line header), alignment, whether its
    cells may be cut (with an ellipsis) to make the table fit, and its `priority`: in a
    terminal too narrow for the table the columns of lowest priority fold under the row
    first (`grid_lines`; of equal ones the right-most)."""

    header: str
    justify: Literal["left", "right"] = "left"
    shrink: bool = False
    priority: int = 0


# The two kinds of item a grid holds: plain slotted classes, not dataclasses (nothing compares
# or prints them, and each dataclass costs about 1 ms to create at import on Python 3.11).
class Row:
    """A row of cells, and the detail parts printed under it; all clean (`terminal.clean`)."""

    __slots__ = ("cells", "detail")

    def __init__(self, cells: tuple[str, ...], detail: tuple[str, ...]) -> None:
        self.cells = cells
        self.detail = detail


class Block:
    """Rows given as columns of cells (each a list, all of one length), so that they are
    padded a column at a time, and the detail parts of each row (or None for none); all
    clean."""

    __slots__ = ("columns", "details")

    def __init__(
        self, columns: list[list[str]], details: Sequence[tuple[str, ...]] | None = None
    ) -> None:
        self.columns = columns
        self.details = details


class Heading:
    """A line of its own between rows (a day); clean."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Line(NamedTuple):
    """One printed line; `strong` for headers and headings (bold on a terminal)."""

    text: str
    strong: bool = False


class Grid:
    """Rows of cells under headers, rendered to lines that fit a width (see the module)."""

    def __init__(self, columns: Sequence[Column], plain: bool = False) -> None:
        self.columns = tuple(columns)
        self.plain = plain
        self._items: list[Row | Heading] = []

    def add_row(self, *cells: str, detail: Sequence[str] = ()) -> None:
        """Add a row; `detail` parts are printed under it, joined by commas (may be empty)."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self._items.append(Row(tuple(map(clean, cells)), tuple(map(clean, detail))))

    def add_heading(self, text: str) -> None:
        self._items.append(Heading(clean(text)))

    def __len__(self) -> int:
        return sum(isinstance(item, Row) for item in self._items)

    def column_widths(self) -> list[int]:
        """Return each column's natural width: its widest header line or cell."""
        widths = header_widths(self.columns)
        for item in self._items:
            if isinstance(item, Row):
                for i, cell in enumerate(item.cells):
                    size = len(cell) if cell.isascii() else cell_len(cell)
                    if size > widths[i]:
                        widths[i] = size
        return widths

    def natural_width(self) -> int:
        """Return the width of the widest line of the table when nothing is cut."""
        return lines_width(self.column_widths(), self.plain)

    def fitted_widths(self, width: int | None) -> dict[int, int]:
        """Return the width each column is drawn at in `width` cells, by its index; a column
        that folds under the row (`fitted_layout`) is not in it."""
        natural = self.column_widths()
        if width is None:
            return dict(enumerate(natural))
        kept, widths = fitted_layout(self.columns, natural, width, self.plain)
        return dict(zip(kept, widths, strict=True))

    def render(self, width: int | None = None) -> list[Line]:
        """Return the table's lines, at most `width` cells wide where shrinking allows."""
        return list(grid_lines(self.columns, self.column_widths(), self._items, width, self.plain))


def header_widths(columns: Sequence[Column]) -> list[int]:
    """Return the width of each column's header (its widest line), in cells."""
    return [max(map(cell_len, c.header.split("\n"))) for c in columns]


def lines_width(widths: Sequence[int], plain: bool = False) -> int:
    """Return the width of a table's rows with columns of `widths`, gaps included."""
    return sum(widths) + len(_PLAIN_GAP if plain else _GAP) * (len(widths) - 1)


def grid_lines(
    columns: Sequence[Column],
    natural_widths: list[int],
    items: Iterable[Row | Block | Heading],
    width: int | None = None,
    plain: bool = False,
) -> Iterator[Line]:
    """Yield the lines of a table of `items` (rows, headings) under `columns`, as it goes.

    `natural_widths` are the columns' widths as `Grid.column_widths` finds them; with them
    known beforehand, `items` may be a stream (`pass_table` makes its rows a chunk at a time,
    so that a table of a million passes is never held whole). The items' texts are printed
    as they are: a `Grid` cleans what is added to it (`terminal.clean`); a caller of this
    vouches for its own (`pass_table` cleans the one text it does not make, the name).
    """
    widths = natural_widths
    gap, head_gap = (_PLAIN_GAP, _PLAIN_GAP) if plain else (_GAP, _HEAD_GAP)
    if width is not None:
        kept, widths = fitted_layout(columns, natural_widths, width, plain)
        if len(kept) < len(columns):  # too wide even shrunk: columns fold under the row
            folded = [k for k in range(len(columns)) if k not in kept]
            items = _folded_items(items, kept, [_fold_label(columns[k]) for k in folded])
            columns = [columns[k] for k in kept]
    specs = [(w, c.justify == "right", c.shrink) for w, c in zip(widths, columns, strict=True)]

    def join(cells: Sequence[str], gap: str) -> str:
        return gap.join([pad(c, k) for k, c in enumerate(cells)]).rstrip()

    def block(
        columns: Iterable[Sequence[str]], details: Sequence[tuple[str, ...]] | None = None
    ) -> Iterator[Line]:
        """The lines of rows given as columns, padded a column at a time (`_padded_column`),
        each followed by its detail parts (`details`, when given)."""
        padded = [
            _padded_column(cells, w, right, shrink) or [pad(c, k) for c in cells]
            for k, (cells, (w, right, shrink)) in enumerate(zip(columns, specs, strict=True))
        ]
        if details is None:
            for texts in zip(*padded, strict=True):
                yield Line(gap.join(texts).rstrip())
            return
        for texts, detail in zip(zip(*padded, strict=True), details, strict=True):
            yield Line(gap.join(texts).rstrip())
            if detail:
                for x in wrap_parts(detail, room, ", ", indent, indent):
                    yield Line(x)

    def pad(cell: str, k: int) -> str:
        """One cell padded to its column's width (cut with an ellipsis if it shrinks)."""
        w, right, shrink = specs[k]
        if cell.isascii():  # one cell a character: str pads it (most cells)
            if len(cell) <= w:
                return cell.rjust(w) if right else cell.ljust(w)
            size = len(cell)
        else:
            size = cell_len(cell)
        if size < w:
            fill = " " * (w - size)
            return fill + cell if right else cell + fill
        return fit(cell, w) if size > w and shrink else cell

    header_rows = max(c.header.count("\n") + 1 for c in columns)
    headers = [(c.header.split("\n") + [""] * header_rows)[:header_rows] for c in columns]
    for row in zip(*headers, strict=True):
        yield Line(join(row, head_gap), True)
    if not plain:
        yield Line(_rule(widths))
    indent = " " * widths[0] + gap if len(widths) > 1 else ""
    room = None if width is None else max(20, width)
    pending: list[tuple[str, ...]] = []  # rows without details, drawn together
    for item in items:
        if isinstance(item, Row) and not item.detail:
            pending.append(item.cells)
            if len(pending) >= BLOCK_ROWS:
                yield from block(zip(*pending, strict=True))
                pending = []
            continue
        if pending:
            yield from block(zip(*pending, strict=True))
            pending = []
        if isinstance(item, Block):
            if item.columns and item.columns[0]:
                yield from block(item.columns, item.details)
            continue
        if isinstance(item, Heading):
            yield Line(item.text if room is None else fit(item.text, room), True)
            continue
        yield Line(join(item.cells, gap))
        for x in wrap_parts(item.detail, room, ", ", indent, indent):
            yield Line(x)
    if pending:
        yield from block(zip(*pending, strict=True))


#: Rows without details drawn at a time by `grid_lines` (a column at a time: `_padded_column`).
BLOCK_ROWS = 4096
#: Characters besides ASCII that the tables print and that take one terminal cell each.
_ONE_CELL = "°★±…"


def one_cell_each(text: str) -> bool:
    """Whether every character of `text` takes one terminal cell, so that `len` counts its
    cells: ASCII (the cells are clean: no controls) and the tables' own marks (`_ONE_CELL`)."""
    if text.isascii():
        return True
    for mark in _ONE_CELL:  # str.replace is a few times faster than str.translate here
        text = text.replace(mark, "")
    return text.isascii()


def _padded_column(cells: Sequence[str], width: int, right: bool, shrink: bool) -> list[str] | None:
    """Return a column's cells padded to `width` by `str.rjust`/`ljust`, or None when that
    would be wrong: a cell whose characters are not one cell each (a wide or combining
    letter), or one too long for a column that shrinks. The one-cell-a-character test is made
    on the column's cells joined (`_ONE_CELL`: the table's own marks besides ASCII), so a
    column of ten thousand rows costs a few string calls and one pad each."""
    if not one_cell_each("".join(cells)):
        return None
    if shrink and max(map(len, cells)) > width:
        return None
    return [c.rjust(width) for c in cells] if right else [c.ljust(width) for c in cells]


def _shrink(widths: list[int], columns: Sequence[Column], cells_width: int) -> list[int]:
    """Cut shrinkable columns until the cells add up to `cells_width` (gaps left out)."""
    excess = sum(widths) - cells_width
    out = list(widths)
    for i, column in enumerate(columns):
        if excess <= 0:
            break
        if column.shrink:
            floor = max(MIN_SHRUNK_WIDTH, max(map(cell_len, column.header.split("\n"))))
            cut = min(excess, max(0, out[i] - floor))
            out[i] -= cut
            excess -= cut
    return out


def fitted_layout(
    columns: Sequence[Column], natural_widths: Sequence[int], width: int, plain: bool = False
) -> tuple[list[int], list[int]]:
    """Return the indices of the columns left in the row when a table must fit `width`, and
    their widths: shrinkable columns cut (`_shrink`), and while the rows are still too wide
    a column leaves the row, lowest `priority` first (the right-most of equals; never the
    first), to fold under it (see the module docstring). A table that fits keeps them all."""
    kept = list(range(len(columns)))
    gap = len(_PLAIN_GAP if plain else _GAP)
    while True:
        chosen = [columns[k] for k in kept]
        shrunk = _shrink([natural_widths[k] for k in kept], chosen, width - gap * (len(kept) - 1))
        if len(kept) == 1 or lines_width(shrunk, plain) <= width:
            return kept, shrunk
        kept.remove(min(kept[1:], key=lambda k: (columns[k].priority, -k)))


def _fold_label(column: Column) -> str:
    """A folded column's header as the start of its detail parts (one line)."""
    return " ".join(column.header.split())


def _fold_part(label: str, cell: str) -> str | None:
    """One folded cell as a detail part: ``label value`` (its padding squeezed), or None
    for an empty cell."""
    value = " ".join(cell.split())
    return f"{label} {value}" if value else None


def _folded_items(
    items: Iterable[Row | Block | Heading], kept: list[int], labels: list[str]
) -> Iterator[Row | Block | Heading]:
    """`items` with only the `kept` columns in their rows, the others' cells (`labels`, in
    order) moved to the front of each row's detail (`grid_lines`' rule for a narrow table)."""
    kept_set = set(kept)

    def moved(cells: Sequence[str]) -> tuple[str, ...]:
        others = [c for k, c in enumerate(cells) if k not in kept_set]
        parts = (_fold_part(label, c) for label, c in zip(labels, others, strict=True))
        return tuple(p for p in parts if p is not None)

    for item in items:
        if isinstance(item, Row):
            cells = tuple(item.cells[k] for k in kept)
            yield Row(cells, moved(item.cells) + item.detail)
        elif isinstance(item, Block):
            if not item.columns or not item.columns[0]:
                continue
            rows = list(zip(*item.columns, strict=True))
            details = item.details or [()] * len(rows)
            yield Block(
                [item.columns[k] for k in kept],
                [moved(r) + d for r, d in zip(rows, details, strict=True)],
            )
        else:
            yield item


def _rule(widths: Sequence[int]) -> str:
    if len(widths) == 1:
        return "━" * widths[0]
    parts = ["━" * (widths[0] + 1)]
    parts += ["━" * (w + 2) for w in widths[1:-1]]
    parts.append("━" * (widths[-1] + 1))
    return "╇".join(parts)


def limit(console: TableConsole) -> int | None:
    """Return the width a console's output must fit; `None` for unlimited (a pipe or file)."""
    return None if console.width >= UNLIMITED_WIDTH else console.width


#: Lines written to the stream at a time by `print_lines`: output streams, little memory.
PRINT_BATCH_LINES = 4096


def print_lines(console: TableConsole, lines: Iterable[Line]) -> None:
    """Print lines as they are (no markup, no wrapping); strong ones bold on a terminal.

    `lines` may be a stream: they are written `PRINT_BATCH_LINES` at a time as they come.
    """
    if isinstance(console, PlainConsole) or not console.is_terminal or console.no_color:
        for batch in _batches(lines):
            console.file.write("".join(line.text + "\n" for line in batch))
        return
    from rich.text import Text  # only for bold on a terminal

    plain: list[str] = []
    for line in lines:
        if line.strong:
            if plain:
                console.file.write("".join(x + "\n" for x in plain))
                plain = []
            console.print(Text(line.text, style="bold"), soft_wrap=True)
        else:
            plain.append(line.text)
            if len(plain) >= PRINT_BATCH_LINES:
                console.file.write("".join(x + "\n" for x in plain))
                plain = []
    console.file.write("".join(x + "\n" for x in plain))


def _batches(lines: Iterable[Line]) -> Iterator[list[Line]]:
    batch: list[Line] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= PRINT_BATCH_LINES:
            yield batch
            batch = []
    if batch:
        yield batch
