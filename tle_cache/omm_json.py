"""Read OMM JSON (CelesTrak's FORMAT=JSON): a list of OMM objects, or one object.

A document that is not JSON, is cut off, or holds no OMM records is refused whole; inside a
good document each bad record is that record's error (``record N (NORAD ... 'NAME')``).
`sgp4.omm` has no JSON reader (it reads CSV and XML); each record's fields go through
`tle_cache.omm_fields`, whose sets get their SGP4 model from `sgp4.omm.initialize`.
"""

from __future__ import annotations

import json
from datetime import datetime

from tle_cache.elements import OMM_KEYS, ElementSet
from tle_cache.omm_fields import MAX_INTEGER_DIGITS, JsonNumberText, object_label, omm_set
from tle_cache.parse_errors import ElementParseError, FieldError, record_problem


def _json_int(text: str) -> int | str:
    # json.loads would convert it with int(), which refuses over 4,300 digits with a
    # ValueError that loses the whole document; such a number fits no field anyway.
    return int(text) if len(text) <= MAX_INTEGER_DIGITS else JsonNumberText(text)


def parse_json(
    body: str, source: str, now_utc: datetime | None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    """Read an OMM JSON document: the good sets and an error for each bad record."""
    try:
        document = json.loads(body, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(body) or exc.msg.startswith("Unterminated string"):
            raise ElementParseError(
                f"is truncated JSON: the document stops after {len(body)} characters, before "
                "its brackets close; download it again",
                source=source,
            ) from None
        raise ElementParseError(
            f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
            source=source,
        ) from None
    except RecursionError:
        raise ElementParseError(
            "is JSON nested too deeply to be OMM (a list of flat objects); it is not element data",
            source=source,
        ) from None
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise ElementParseError(
            f"is a JSON {type(document).__name__}, not an OMM object or a list of them",
            source=source,
        )
    if not document:
        raise ElementParseError("is an empty JSON list: it holds no element sets", source=source)
    if not any(isinstance(item, dict) and item.keys() & set(OMM_KEYS) for item in document):
        raise ElementParseError(
            "is JSON but holds no OMM records (no NORAD_CAT_ID, EPOCH... keys); ask for "
            "FORMAT=JSON from gp.php",
            source=source,
        )
    sets: list[ElementSet] = []
    errors: list[ElementParseError] = []
    for number, item in enumerate(document, 1):
        try:
            if not isinstance(item, dict):
                raise FieldError(f"is a JSON {type(item).__name__}, not an OMM object")
            sets.append(omm_set(item, source, now_utc))
        except Exception as exc:  # a FieldError, or whatever else a hostile value raises
            problem = record_problem(exc)
            errors.append(
                ElementParseError(
                    problem,
                    source=source,
                    record_number=number,
                    where=f"record {number}{object_label(item)}",
                )
            )
    return sets, errors
