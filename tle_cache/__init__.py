"""Element sets: parsing TLE/3LE and OMM, the bundled defaults, export, fetching and storing.

Reading element data, one job a module (`parse` is the entry and re-exports the rest):
`parse` (tell the format, read files, strict and lenient), `sniff` (which format, or refuse a
body that is no element data), `tle_text` (3LE/2LE text into sets), `tle_columns` (one line
pair's columns, checksum, Alpha-5), `omm_json`, `omm_csv`, `omm_fields` (one OMM record),
`element_checks` (ranges and the SGP4 check every set passes), `parse_errors`
(`ElementParseError` and message wording). The record they build is `elements.ElementSet`.
"""

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
