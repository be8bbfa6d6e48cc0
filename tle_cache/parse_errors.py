"""The error every element reader raises, and the wording of its messages.

`ElementParseError` is what callers see: the problem, the source and the place (``line N`` for
text, ``record N`` for JSON, ``row N`` for CSV). Inside one record the readers raise the lighter
`FieldError` (the problem and, for TLE text, the line); the format's reader turns it into an
`ElementParseError` with the source and the place, so each check states only what is wrong.
Values in messages come from untrusted files: `show` keeps every message one readable line.
"""

from __future__ import annotations

import math
from typing import Any


class ElementParseError(ValueError):
    """Element data that cannot be used, with where it is wrong and how to fix it.

    `line_number` is the 1-based line of the text (TLE lines, CSV rows) or None; `record_number`
    the 1-based JSON record or None; `source` the file path or URL ("" when unknown); `where`
    the place as printed (``row 3 (NORAD 25544 'ISS')``) or None; `problem` the message without
    the source and place, for callers that print them their own way.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str = "",
        line_number: int | None = None,
        record_number: int | None = None,
        where: str | None = None,
    ) -> None:
        if where is None and line_number is not None:
            where = f"line {line_number}"
        elif where is None and record_number is not None:
            where = f"record {record_number}"
        self.problem = problem
        self.source = source
        self.line_number = line_number
        self.record_number = record_number
        self.where = where
        super().__init__(": ".join(part for part in (source, where, problem) if part))


class FieldError(Exception):
    """A bad field inside one record; the caller adds the source and the place."""

    def __init__(self, problem: str, line_number: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line_number = line_number


def show(value: Any, limit: int = 40) -> str:
    """Return `value` for a message: its repr cut short; a container only by its type.

    Values come from untrusted files: a 140,000-character name or a 5,000-digit number must
    still give a one-line message of readable length.
    """
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 100:
            return f"a whole number of about {value.bit_length() * math.log10(2):,.0f} digits"
        return str(value)
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(str(value))
        return f"{str(value)[:limit]!r}... ({len(value):,} characters)"
    return f"a JSON {type(value).__name__}"


def unexpected(exc: Exception) -> str:
    """Describe an exception no check foresaw (the record is refused either way)."""
    return f"cannot be read ({type(exc).__name__}: {show(str(exc), 120)})"


def record_problem(exc: Exception) -> str:
    """Return the problem of a record that raised `exc`: a check's own words, else `unexpected`.

    A reader catches every exception inside a record (a hostile value can raise anything), so
    that it becomes that record's error and nothing else escapes.
    """
    return exc.problem if isinstance(exc, FieldError) else unexpected(exc)
