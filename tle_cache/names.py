"""Object names are untrusted text: cleaned once where they enter, escaped where they leave.

A name comes from whoever served the element file. It is cleaned by `clean_name` in the parser,
before anything stores or prints it, so that no later output can be driven by it:

- terminal escape sequences (``ESC [ ... m`` colours, ``ESC ] ... BEL`` window titles and
  hyperlinks, any other ``ESC x``) are removed whole, so no fragment of one is left behind;
- every other control character (C0 ``U+0000-U+001F`` with tab, CR and LF; DEL ``U+007F``; C1
  ``U+0080-U+009F``) and the Unicode line and paragraph separators become a space, so a name is
  always one line and can never forge a line of a TLE file, a CSV row or a calendar event;
- bidirectional overrides and isolates (``U+202A-U+202E``, ``U+2066-U+2069``) and the marks
  ``U+200E``, ``U+200F``, ``U+061C`` are removed: they reorder what a terminal shows; so is
  the byte-order mark ``U+FEFF``, invisible too;
- leading and trailing spaces are trimmed (TLE names are padded to 24 characters).

Everything else (letters of any script, punctuation, rich markup characters such as ``[``) is
kept: escaping for each output (rich markup, CSV, iCalendar, TLE) is the writer's job.

For CSV, `csv_text` applies OWASP's advice against formula injection: a text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a CR gets a single quote ``'`` in front, so that a
spreadsheet shows it as text instead of running it. A cell that already starts with ``'`` gets
one too, so `csv_untext` (used by the OMM CSV reader) can undo exactly what was added: an OMM
CSV export reads back to the same names.
"""

from __future__ import annotations

import re

# CSI (ESC [ params intermediates final), OSC/DCS/SOS/PM/APC strings up to BEL or ST, or a
# two-character escape. C1 equivalents (U+009B CSI, U+009D OSC ...) are caught the same way.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
_INVISIBLE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CSV_QUOTED_STARTS = (*CSV_FORMULA_STARTS, "'")


def clean_name(text: str) -> str:
    """Return `text` safe to store and print: one line, no escapes or bidi controls, trimmed."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub(" ", text).strip()


def csv_text(value: str) -> str:
    """Return a text cell for CSV with formula starts neutralised (a leading ``'``)."""
    return "'" + value if value.startswith(_CSV_QUOTED_STARTS) else value


def csv_untext(cell: str) -> str:
    """Undo `csv_text`: drop the ``'`` it put before a formula start or a quote."""
    if cell.startswith("'") and cell[1:].startswith(_CSV_QUOTED_STARTS):
        return cell[1:]
    return cell
