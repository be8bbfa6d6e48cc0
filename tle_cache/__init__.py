"""Element sets: parsing TLE/3LE and OMM, the bundled defaults, export, fetching and storing."""

from tle_cache.bundled import load_bundled
from tle_cache.elements import ElementSet
from tle_cache.export import to_omm_csv, to_omm_json, to_tle_text
from tle_cache.parse import ElementParseError, parse_records, parse_text, read_file

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
