"""Validate one OMM record (a JSON object or a CSV row as a mapping) into an `ElementSet`.

Values may be numbers or strings (CSV decimals without a leading zero are fine); missing keys
other than the ones SGP4 needs get CelesTrak's usual values. The result's `omm` holds the 17
CelesTrak keys in CelesTrak's order, as numbers and strings; its SGP4 model is built by
`sgp4.omm.initialize` (`ElementSet.satrec`). Validation is ours: sgp4.omm converts with
``float()`` and ``int()`` and checks nothing, so it would take ``'nan'``, ``'1_000'``,
non-ASCII digits or an eccentricity of 1.5 (see `tle_cache.element_checks`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tle_cache.element_checks import (
    CLASSIFICATION_RE,
    INT_RANGES,
    check_now,
    check_propagates,
    check_ranges,
)
from tle_cache.elements import OMM_KEYS, ElementSet, format_omm_epoch, parse_omm_epoch
from tle_cache.names import clean_name
from tle_cache.parse_errors import ElementParseError, FieldError, record_problem, show

# ASCII only (re.ASCII): `\d` alone also matches Arabic-Indic and other digits, which sgp4's
# own TLE reader sees as several bytes each, shifting every later column.
_NUMBER_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_INTEGER_RE = re.compile(r"[+-]?\d+", re.ASCII)
# What an OMM EPOCH may look like: ISO 8601 date and time, UTC or with an offset.
_OMM_EPOCH_RE = re.compile(
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,12})?)?(Z|[+-]\d\d:?\d\d)?", re.ASCII
)

_OMM_INT_KEYS = ("NORAD_CAT_ID", "EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH")
OMM_TEXT_KEYS = ("OBJECT_NAME", "OBJECT_ID", "CLASSIFICATION_TYPE", "EPOCH")
#: The numeric elements, in CelesTrak's order: every key that is neither whole nor text.
_OMM_FLOAT_KEYS = tuple(key for key in OMM_KEYS if key not in (*_OMM_INT_KEYS, *OMM_TEXT_KEYS))

#: What is stripped around a number: ASCII blanks only. str.strip() would also remove the
#: separators U+001C-U+001F (and more), which a number must not hide.
_ASCII_SPACE = " \t\r\n\f\v"
#: Longest integer text converted at all: anything longer is out of every range anyway, and
#: Python refuses to convert over 4,300 digits.
MAX_INTEGER_DIGITS = 30
#: Keys without which SGP4 cannot start; the others get CelesTrak's usual values.
OMM_REQUIRED_KEYS: tuple[str, ...] = ("NORAD_CAT_ID", "EPOCH", *_OMM_FLOAT_KEYS)
_OMM_DEFAULTS: dict[str, Any] = {
    "OBJECT_NAME": "UNKNOWN",
    "OBJECT_ID": "",
    "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U",
    "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 0,
}


class JsonNumberText(str):
    """A JSON integer too long to convert, kept as its digits so only its record fails."""


def parse_omm_record(
    fields: Mapping[str, Any], source: str = "", *, now_utc: datetime | None = None
) -> ElementSet:
    """Validate one OMM record (a JSON object or a CSV row as a mapping) into an `ElementSet`.

    Values may be numbers or strings (CSV decimals without a leading zero are fine). The
    result's `omm` holds the 17 CelesTrak keys in CelesTrak's order, as numbers and strings.
    """
    check_now(now_utc)
    try:
        return omm_set(fields, source, now_utc)
    except Exception as exc:  # a FieldError, or whatever else a hostile value raises
        raise ElementParseError(record_problem(exc), source=source) from None


def object_label(item: Any) -> str:
    """Name the object in an error (`` (NORAD 25544 'ISS (ZARYA)')``) when the record says."""
    if not isinstance(item, dict):
        return ""
    parts = []
    norad_id = item.get("NORAD_CAT_ID")
    if isinstance(norad_id, int | str) and str(norad_id).strip():
        parts.append(f"NORAD {show(norad_id, 12).strip(chr(39))}")
    name = item.get("OBJECT_NAME")
    if isinstance(name, str) and clean_name(name):
        parts.append(show(clean_name(name), 30))
    return f" ({' '.join(parts)})" if parts else ""


def omm_set(fields: Mapping[str, Any], source: str, now_utc: datetime | None) -> ElementSet:
    """Validate one OMM mapping and build its `ElementSet` (raises `FieldError`)."""
    values = {key: fields.get(key) for key in OMM_KEYS}
    for key, value in values.items():
        if isinstance(value, str) and not value.strip():
            values[key] = None
    missing = [key for key in OMM_REQUIRED_KEYS if values[key] is None]
    if missing:
        raise FieldError(
            f"lacks {', '.join(missing)}; an OMM record needs {', '.join(OMM_REQUIRED_KEYS)}"
        )
    omm: dict[str, Any] = {}
    for key in OMM_KEYS:
        value = values[key]
        if value is None:
            omm[key] = _OMM_DEFAULTS[key]
        elif key in _OMM_FLOAT_KEYS:
            omm[key] = _omm_float(key, value)
        elif key in _OMM_INT_KEYS:
            omm[key] = _omm_int(key, value)
        elif isinstance(value, str) and not isinstance(value, JsonNumberText):
            omm[key] = value.strip() if key == "EPOCH" else clean_name(value)
        else:
            raise FieldError(f"{key} is {show(value)}, expected a string")
    if not CLASSIFICATION_RE.fullmatch(omm["CLASSIFICATION_TYPE"]):
        raise FieldError(
            f"CLASSIFICATION_TYPE is {show(omm['CLASSIFICATION_TYPE'])}, expected one letter "
            "like 'U' (unclassified)"
        )
    omm["OBJECT_NAME"] = omm["OBJECT_NAME"] or "UNKNOWN"  # also when cleaning left nothing
    epoch = _omm_epoch(omm["EPOCH"])
    omm["EPOCH"] = format_omm_epoch(epoch)
    check_ranges(omm, epoch, now_utc, str, {}, None)
    element_set = ElementSet(
        norad_id=omm["NORAD_CAT_ID"],
        name=omm["OBJECT_NAME"],
        epoch_utc=epoch,
        omm=omm,
        source=source,
    )
    check_propagates(element_set, None)
    return element_set


def _omm_epoch(text: str) -> datetime:
    """Read an OMM EPOCH: ISO 8601 in ASCII digits, a year Python's datetime can hold in UTC."""
    problem = f"EPOCH is {show(text)}, expected ISO 8601 UTC like '2024-05-06T19:53:04.999776'"
    if not _OMM_EPOCH_RE.fullmatch(text):
        raise FieldError(problem)
    try:
        return parse_omm_epoch(text)
    except (ValueError, OverflowError):  # a bad date, or an offset that leaves year 1-9999
        raise FieldError(problem) from None


def _omm_float(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FieldError(f"{key} is {show(value)}, expected a number")
    if isinstance(value, str):
        text = value.strip(_ASCII_SPACE)
        if not _NUMBER_RE.fullmatch(text):
            raise FieldError(
                f"{key} is {show(value)}, expected a number like '0.000358' or '.9508E-4'"
            )
        value = text
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise FieldError(f"{key} is {show(value)}, not a finite number")
    return number


def _omm_int(key: str, value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _INTEGER_RE.fullmatch(value.strip(_ASCII_SPACE)):
        if len(value.strip(_ASCII_SPACE)) > MAX_INTEGER_DIGITS:
            low, high = INT_RANGES[key]
            raise FieldError(f"{key} is {show(value)}; it must be from {low} to {high:,}")
        value = int(value.strip(_ASCII_SPACE))
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"{key} is {show(value)}, expected a whole number")
    return value
