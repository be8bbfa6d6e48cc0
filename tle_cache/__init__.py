"""Element sets: parsing TLE/3LE and OMM, the bundled defaults, export, fetching and storing.

Reading element data, one job a module (`parse` is the entry and re-exports the rest):
`parse` (tell the format, read files, strict and lenient), `sniff` (which format, or refuse a
body that is no element data), `tle_text` (3LE/2LE text into sets), `tle_columns` (one line
pair's columns, checksum, Alpha-5), `omm_json`, `omm_csv`, `omm_fields` (one OMM record),
`element_checks` (ranges and the SGP4 check every set passes), `parse_errors`
(`ElementParseError` and message wording). The record they build is `elements.ElementSet`.

The names below are imported on first use (PEP 562), not with the package: every import of
`tle_cache.elements` runs this file, and `passpredict passes` reading the store needs neither
the parsers (JSON, CSV, decimal) nor export (issue 11: start-up time).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tle_cache.bundled import load_bundled
    from tle_cache.elements import ElementSet
    from tle_cache.export import to_omm_csv, to_omm_json, to_tle_text
    from tle_cache.parse import ElementParseError, parse_records, parse_text, read_file

#: Each public name and the module that defines it.
_HOMES = {
    "ElementParseError": "tle_cache.parse",
    "ElementSet": "tle_cache.elements",
    "load_bundled": "tle_cache.bundled",
    "parse_records": "tle_cache.parse",
    "parse_text": "tle_cache.parse",
    "read_file": "tle_cache.parse",
    "to_omm_csv": "tle_cache.export",
    "to_omm_json": "tle_cache.export",
    "to_tle_text": "tle_cache.export",
}

__all__ = [
    "ElementParseError",
    "ElementSet",
    "load_bundled",
    "parse_records",
    "parse_text",
    "read_file",
    "to_omm_csv",
    "to_omm_json",
    "to_tle_text",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use, then keep it here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tle_cache' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
