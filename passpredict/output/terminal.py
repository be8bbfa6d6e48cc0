"""What reaches a person's screen: the output width, and text made safe to print.

Width. Human tables fit the terminal they are printed on, so nothing wraps in an 80x24
window. The width is, in order: ``COLUMNS`` when it is set to a positive whole number (the
POSIX override, also honoured when stdout is not a terminal), else the width of the terminal
on stdout, else `None`: stdout is a pipe or a file, and nothing is wrapped or shortened (each
row stays on one line however long, so `grep`, `less -S` and spreadsheets get whole rows).

Safety. Object names, observer names and sources come from files and servers we do not
control. Everything the table layer prints goes through `clean` (control characters, escape
sequences and bidirectional overrides replaced, so no name can clear the screen, set the
window title, print an OSC 8 hyperlink or reorder a line) and, where text is handed to rich
as markup, through `safe` (markup escaped as well, so ``[/]`` or ``[link=...]`` in a name is
printed as written). Names are also cleaned where they are parsed; this layer does not rely
on it (a store written by an older version may hold anything).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO, TypeAlias

from rich.cells import cell_len, chop_cells

if TYPE_CHECKING:  # rich.console costs tens of ms to import: only where a table is printed
    from rich.console import Console

#: The console width used when stdout is not a terminal: wide enough that rich never wraps.
UNLIMITED_WIDTH = 100_000

#: Shown in place of a control character (one cell wide, visible, harmless).
REPLACEMENT = "\ufffd"

_WHITESPACE_CONTROLS = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
#: Bidirectional embeddings, overrides, isolates and marks: they reorder what a line shows.
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_TRANSLATION = {
    **{code: REPLACEMENT for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))},
    **{ord(c): " " for c in _WHITESPACE_CONTROLS},
    **{ord(c): REPLACEMENT for c in _BIDI_CONTROLS},
}


def clean(text: object) -> str:
    """Return `text` as one printable line: control characters replaced.

    Line breaks, tabs and other whitespace controls become a space; every other C0/C1
    control (ESC, BEL, CSI ...) and every bidirectional control becomes U+FFFD, so the
    remains of an escape sequence stay visible but inert.
    """
    value = str(text)
    if value.isascii() and value.isprintable():
        return value  # the common case, without building a new string
    return value.translate(_TRANSLATION)


def safe(text: object) -> str:
    """Return `text` cleaned and with rich markup escaped: safe inside a markup string."""
    from rich.markup import escape

    return escape(clean(text))


def output_width(
    stream: TextIO | None = None, environ: Mapping[str, str] | None = None
) -> int | None:
    """Return the width human output must fit, in terminal cells; `None`: no limit.

    See the module docstring for the order: ``COLUMNS``, the terminal on `stream`, no limit.
    """
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    columns = environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            width = os.get_terminal_size(stream.fileno()).columns
            if width > 0:
                return width
    except (AttributeError, OSError, ValueError):
        pass
    return None


def make_console(stream: TextIO | None = None, width: int | None = None) -> Console:
    """Return the console human output is printed on: `width` cells wide, or unlimited.

    Prose lines are word-wrapped at `width` by rich; with no width (a pipe or a file) they
    are never wrapped. Colour and bold follow rich's detection (a terminal; ``NO_COLOR``).
    """
    from rich.console import Console

    stream = sys.stdout if stream is None else stream
    if width is None:
        return Console(file=stream, width=UNLIMITED_WIDTH, highlight=False, soft_wrap=True)
    return Console(file=stream, width=width, highlight=False)


class PlainConsole:
    """A table's destination where rich's console would be no terminal: a stream, a width.

    `print_lines` writes plain lines to it exactly as to a rich console that is not a
    terminal, so a table to a pipe or a file needs no rich console, which costs
    about 25 ms to import and build (a fifth of a short `passpredict passes`).
    """

    is_terminal = False
    no_color = True

    def __init__(self, file: TextIO, width: int) -> None:
        # rich writes through a progress bar's stand-in for stdout to the stream behind it
        self.file: TextIO = getattr(file, "rich_proxied_file", file)
        self.width = width


#: What the human tables print on (`grid.print_lines`): rich's console or the plain one.
TableConsole: TypeAlias = "Console | PlainConsole"


def rich_console_needed(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Return whether printing on `stream` may need rich's console (bold, colour, its width).

    False only where rich's console surely is no terminal, so that it prints plain text at
    the width it is given: neither ``TTY_COMPATIBLE`` nor ``FORCE_COLOR`` set (either can
    make it a terminal), `stream` not a terminal, and not Windows (where a legacy console
    changes its width). Anything else is left to rich's own detection.
    """
    environ = os.environ if environ is None else environ
    if "TTY_COMPATIBLE" in environ or "FORCE_COLOR" in environ or sys.platform == "win32":
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except ValueError:  # a closed stream, as rich treats it
        return False


def table_console(stream: TextIO | None = None, width: int | None = None) -> TableConsole:
    """Return the console a grid table (`grid.print_lines`) is printed on, as `make_console`.

    Plain (no rich console) where rich's would print plain text (`rich_console_needed`): the
    same bytes, without importing rich's console.
    """
    stream = sys.stdout if stream is None else stream
    if rich_console_needed(stream):
        return make_console(stream, width)
    return PlainConsole(stream, UNLIMITED_WIDTH if width is None else width)


def fit(text: str, width: int) -> str:
    """Return `text` shortened to at most `width` cells, ending in an ellipsis if cut."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    return chop_cells(text, width - 1)[0] + "…"


def wrap(text: str, width: int | None, first: str = "", rest: str = "") -> list[str]:
    """Word-wrap `text` to lines of at most `width` cells, after the prefixes `first`/`rest`.

    With `width` None the text stays on one line. A word longer than a line is cut across
    lines (a long path still fits).
    """
    if width is None:
        return [first + text]
    lines: list[str] = []
    line = first
    used = cell_len(first)
    at_start = True
    for word in text.split(" "):
        size = cell_len(word)
        if not at_start and used + 1 + size > width:
            lines.append(line)
            line, used, at_start = rest, cell_len(rest), True
        if not at_start:
            line += " "
            used += 1
        room = max(1, width - used)
        while size > room and len(word) > 1:  # a word longer than the line: cut it
            # a letter wider than the room (a CJK letter in one cell) goes whole, on a line of
            # its own: without that, nothing would be cut off and the loop would never end
            head = chop_cells(word, room)[0] or word[0]
            lines.append(line + head)
            word = word[len(head) :]
            size = cell_len(word)
            line, used = rest, cell_len(rest)
            room = max(1, width - used)
        line += word
        used += size
        at_start = False
    lines.append(line)
    return [x.rstrip() for x in lines]


def wrap_parts(
    parts: Sequence[str], width: int | None, sep: str = "; ", first: str = "", rest: str = ""
) -> list[str]:
    """Return `parts` joined by `sep`, breaking lines between parts rather than inside one.

    Parts are packed greedily onto lines of at most `width` cells after the prefixes `first`
    (first line) and `rest` (the others); a part too long for a line is word-wrapped. With
    `width` None everything stays on one line.
    """
    if width is None:
        return [first + sep.join(parts)]
    whole = first + sep.join(parts)
    glue = sep.rstrip()
    if sep.endswith(" " * (len(sep) - len(glue))) and cell_len(whole) <= width:
        return [whole.rstrip()]  # all on one line: what `_packed_parts` gives, found at once
    return _packed_parts(parts, width, sep, first, rest)


def _packed_parts(parts: Sequence[str], width: int, sep: str, first: str, rest: str) -> list[str]:
    """`wrap_parts`'s lines, packed a part at a time."""
    glue = sep.rstrip()
    lines: list[str] = []
    line, used, empty = first, cell_len(first), True
    last = len(parts) - 1
    for i, part in enumerate(parts):
        text = part + (glue if i < last else "")
        size = cell_len(text)
        gap = 0 if empty else len(sep) - len(glue)
        if used + gap + size <= width:
            line += (" " * gap) + text
            used += gap + size
            empty = False
            continue
        if not empty:
            lines.append(line)
            line, used = rest, cell_len(rest)
        if used + size <= width:
            line += text
            used += size
            empty = False
            continue
        wrapped = wrap(text, width, line, rest)
        lines += wrapped[:-1]
        line, used, empty = wrapped[-1], cell_len(wrapped[-1]), False
    lines.append(line)
    return [x.rstrip() for x in lines]
