"""Edit the text of the observers file in place with `tomlkit`, keeping what the user wrote.

`passpredict.inputs.observers_file` checks the file and decides what to change; this module
only edits the TOML text: one ``[observers."NAME"]`` table added or removed, every other line
(comments, blank lines, number spellings, quoting, order) left as it was. It imports nothing from
passpredict, so the file module can use it wherever the two live.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import tomlkit
from tomlkit.items import Comment, KeyType, SingleKey, Whitespace


def add_table(text: str, name: str, fields: Mapping[str, Any]) -> str:
    """Return `text` with ``[observers."name"]`` appended, holding `fields` in their order.

    The name is always quoted, as the file shows names, even those a bare key could hold.
    """
    document = tomlkit.parse(text)
    table = tomlkit.table()
    for key, value in fields.items():
        table.add(key, value)
    _observer_tables(document).add(SingleKey(name, KeyType.Basic), table)
    return document.as_string()


def remove_tables(text: str, matches: Callable[[str], bool]) -> str:
    """Return `text` without the ``[observers.X]`` tables whose name X `matches`."""
    document = tomlkit.parse(text)
    for name in [n for n in _observer_tables(document) if matches(n)]:
        _remove_table(document, name)
    return document.as_string()


def _observer_tables(document: Any) -> Any:
    """The document's ``observers`` super-table, added (empty) when it has none."""
    if "observers" not in document:
        document.add(tomlkit.nl())
        document.add("observers", tomlkit.table(is_super_table=True))
    return document["observers"]


def _remove_table(document: Any, name: str) -> None:
    """Delete ``[observers."name"]``, keeping the user's other lines as they were.

    tomlkit files the lines between two tables under the table before, so this moves them: the
    comments after the removed table's last value (they describe what follows) go above the
    next header; the comment lines right above the removed header (no blank line between:
    they describe it) go with it, unless it is the first table (those stay: kept is safer than
    lost); of the blank lines around it, one stays.
    """
    tables = document["observers"]
    names = list(tables)
    index = names.index(name)
    body = tables[name].value.body
    trailing: list[Any] = []
    while body and body[-1][0] is None and isinstance(body[-1][1], Comment | Whitespace):
        trailing.insert(0, body.pop()[1])
    while trailing and isinstance(trailing[0], Whitespace):  # the blank line above it stays
        trailing.pop(0)
    above = tables[names[index - 1]].value.body if index > 0 else None
    del tables[name]
    if above is not None:
        while above and above[-1][0] is None and isinstance(above[-1][1], Comment):
            above.pop()
        if index + 1 == len(names):  # it was the last table: no blank line after the new last
            while above and above[-1][0] is None and isinstance(above[-1][1], Whitespace):
                above.pop()
    if index + 1 < len(names):
        following = tables[names[index + 1]]
        moved = "".join(item.as_string() for item in trailing)
        following.trivia.indent = moved + following.trivia.indent
