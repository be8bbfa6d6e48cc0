"""Arrays to text in one call per column: times as ISO 8601 UTC, numbers rounded as `round` does.

The output layer (`passpredict.output.pass_output`) writes JSON, JSON Lines and CSV straight from
the arrays of `passpredict.products.columns`; these helpers turn one column at a time into the exact
text the record-based code wrote (`passpredict.timeutil.format_utc`, Python's `round`, the
`repr` of a float that `json` and `csv` both use), so that the outputs stay byte-identical.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
from numpy.typing import NDArray


def iso_utc(times: NDArray[np.datetime64], missing: str | None = None) -> list[str | None]:
    """Return datetime64 UTC times as ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (`format_utc`'s text:
    cut to the millisecond, not rounded); `missing` where a time is NaT."""
    t = np.asarray(times).astype("datetime64[us]")
    absent = np.isnat(t)
    us = np.where(absent, 0, t.view(np.int64))
    ms = (us // 1000).astype("datetime64[ms]")  # floor, as microsecond // 1000 is
    text = np.datetime_as_string(ms, unit="ms").tolist()
    out: list[str | None] = [s + "Z" for s in text]
    if absent.any():
        for i in np.flatnonzero(absent).tolist():
            out[i] = missing
    return out


def round_like_python(values: NDArray[np.float64], digits: int) -> NDArray[np.float64]:
    """Return `values` rounded to `digits` decimals, each equal to Python's ``round(v, digits)``.

    `np.round` scales, rounds and scales back; the scaling can move a value that lies within
    a hair of a half to the other side, where Python's `round` decides on the exact binary
    value. Those few (a fraction near .5 after scaling) are redone with `round` itself, so
    that every printed digit is the one the record-based output printed. The sign of zero is
    kept (``round(-0.0001, 3)`` is ``-0.0``, and so is this).
    """
    v = np.asarray(values, dtype=float)
    scale = 10.0**digits
    scaled = v * scale
    out = np.round(scaled) / scale
    frac = np.abs(scaled - np.floor(scaled) - 0.5)
    doubtful = np.flatnonzero(np.isfinite(v) & (frac < 1e-6))
    if doubtful.size:
        out[doubtful] = [round(x, digits) for x in v[doubtful].tolist()]
    # a result of zero keeps the sign Python gives it (that of the value)
    zero = out == 0.0
    if zero.any():
        out[zero] = np.copysign(0.0, v[zero])
    return out


def float_texts(values: NDArray[np.float64], missing: str | None = None) -> list[str | None]:
    """Return each float as `repr` writes it (as `json` and `csv` do); `missing` for NaN."""
    v = np.asarray(values, dtype=float)
    out: list[str | None] = list(map(float.__repr__, v.tolist()))
    absent = np.isnan(v)
    if absent.any():
        for i in np.flatnonzero(absent).tolist():
            out[i] = missing
    return out


def int_texts(values: NDArray[np.float64], missing: str | None = None) -> list[str | None]:
    """Return floats rounded to integers as ``round(v)`` (half to even) writes them; `missing`
    for NaN."""
    v = np.asarray(values, dtype=float)
    absent = np.isnan(v)
    whole = np.rint(np.where(absent, 0.0, v)).astype(np.int64)
    out: list[str | None] = list(map(str, whole.tolist()))
    if absent.any():
        for i in np.flatnonzero(absent).tolist():
            out[i] = missing
    return out


def bool_texts(values: NDArray[np.bool_]) -> list[str]:
    """Return booleans as JSON writes them (and passpredict's CSV): ``true`` / ``false``."""
    return np.where(np.asarray(values, dtype=bool), "true", "false").tolist()


def json_strings(values: NDArray[np.object_]) -> list[str]:
    """Return each text as a JSON string (``ensure_ascii=False``), each distinct text once."""
    cache: dict[str, str] = {}
    out = []
    for value in values.tolist():
        text = cache.get(value)
        if text is None:
            text = cache[value] = json.dumps(value, ensure_ascii=False)
        out.append(text)
    return out


def csv_field(text: str) -> str:
    """Return one CSV field as `csv.writer` (minimal quoting, ``\\n`` lines) writes it."""
    if text == "":
        return ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text])
    return buffer.getvalue()[:-1]


def texts(values: list[str | None] | list[str], missing: str) -> list[str]:
    """Return `values` with every None replaced by `missing`."""
    return [missing if v is None else v for v in values]
