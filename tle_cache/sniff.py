"""Tell which format a body of element data is, and refuse what is not element data at all.

The format is told by the content, not the first character alone: text whose first record has a
TLE line 1 and line 2 is TLE even when its first name starts with ``[`` or ``<``. A body that is
no element data (an HTML page, OMM XML or KVN, CelesTrak's "No GP data found") is refused with
what it is and what to ask for instead: it is never an empty success.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Sequence

from tle_cache.parse_errors import ElementParseError


def split_lines(text: str) -> list[str]:
    """Split at CR, LF or CRLF, as every reader numbers lines (so ``line N`` is the editor's).

    Not str.splitlines(): that also splits on form feeds and Unicode separators.
    """
    return re.split(r"\r\n|\r|\n", text)


def starts_like_tle(lines: Sequence[str]) -> bool:
    """Tell whether the first record is a TLE: line 1 then line 2, after a name or not.

    Checked before the first character is looked at, so that a 3LE file whose first name
    starts with ``[``, ``{`` or ``<`` is not taken for JSON or XML.
    """
    first = [line.lstrip() for line in lines[:8] if line.strip()][:3]
    return any(a.startswith("1 ") and b.startswith("2 ") for a, b in itertools.pairwise(first))


#: What a body that is not element data starts with (lower case), and what to tell the user.
#: Checked in this order: HTML before XML, which both start with ``<``.
_NOT_ELEMENT_DATA = (
    (
        ("<!doctype html", "<html"),
        "looks like an HTML page, not element data (an error, login or redirect page?); "
        "check the URL and that it asks for FORMAT=TLE, JSON or CSV",
    ),
    (
        ("<",),
        "is XML (OMM XML is not read here); ask for FORMAT=JSON or FORMAT=CSV instead",
    ),
    (
        ("ccsds_omm_vers",),
        "is OMM KVN, which is not read here; ask for FORMAT=JSON or FORMAT=CSV instead",
    ),
    (
        ("no gp data found",),
        "answered 'No GP data found': no such object or group; check the catalog number, "
        "designator or group name",
    ),
    (
        ("gp data has not updated",),
        "answered 'GP data has not updated since your last successful download': there is "
        "nothing new; keep the cached sets and ask again after the next 2-hour update",
    ),
)


def refuse_non_element_body(body: str, source: str) -> None:
    """Raise for the answers that are not element data: HTML, XML, KVN, CelesTrak's notes."""
    head = body[:1000].lower()
    if head.startswith("<") and "<html" in head:
        head = "<html"  # a page whose first tag is not <html> (a comment, <head>) is HTML too
    for starts, problem in _NOT_ELEMENT_DATA:
        if head.startswith(starts):
            raise ElementParseError(problem, source=source)


def is_csv_header(line: str) -> bool:
    """Tell whether a first line is an OMM CSV header: cells naming OMM keys, commas between."""
    if "," not in line:
        return False
    try:
        cells = {cell.strip().removeprefix("\ufeff") for cell in next(csv.reader([line]))}
    except csv.Error:
        return False
    return bool(cells & {"OBJECT_NAME", "NORAD_CAT_ID", "EPOCH"})


def element_format(text: str) -> str:
    """Tell which format a body of element data is: ``TLE``, ``JSON`` or ``CSV``.

    The same tests in the same order as `tle_cache.parse.parse_records` reads the body, so a
    caller that has parsed it learns which reader read it: the refresh warns when a server
    answers TLE text where OMM was asked (TLE cannot carry catalog numbers of 100000 and up).
    """
    body = text.removeprefix("\ufeff").strip()
    lines = re.split(r"\r\n|\r|\n", body, maxsplit=8)
    if starts_like_tle(lines):
        return "TLE"
    if body[:1] in ("[", "{"):
        return "JSON"
    if is_csv_header(lines[0].strip()):
        return "CSV"
    return "TLE"
