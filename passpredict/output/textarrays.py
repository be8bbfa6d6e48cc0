"""Arrays to text in one call per column: times as ISO 8601 UTC, numbers rounded as `round` does.

Negative zero. A rounded number is never written as ``-0.0`` (or ``-0``, ``-0.00``): a value
that rounds to zero is written as zero, whatever its sign (an elevation of -0.0004 deg at a
0-deg threshold is ``0.0``), in every format (JSON, JSON Lines, CSV, the calendar's text).
This is the one place numbers are rounded for output; the record-based reference
(`passpredict.output.formats`) follows it (``round(v, d) + 0.0``).

The output layer (`passpredict.output.pass_output`) writes JSON, JSON Lines and CSV straight from
the arrays of `passpredict.products.columns`; these helpers turn one column at a time into the exact
text the record-based code wrote (`passpredict.timeutil.format_utc`, Python's `round`, the
`repr` of a float that `json` and `csv` both use), so that the outputs stay byte-identical.
Where they take a short cut (text tables for rounded floats, only the present values written,
no escaping where nothing needs it), tests/test_textarrays.py checks it against that oracle.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring

import numpy as np
from numpy.typing import NDArray

from passpredict.output.coded import Coded, coded
from passpredict.timeutil import format_utc


def iso_utc(
    times: NDArray[np.datetime64], missing: str | None = None, quote: str = ""
) -> list[str | None]:
    """Return datetime64 UTC times as ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (`format_utc`'s text:
    cut to the millisecond, not rounded), each between two `quote`; `missing` where a time is NaT.

    Only the present times are written (many columns, such as the visible points, are mostly
    NaT), and `np.datetime_as_string` adds the ``Z`` itself (``timezone="UTC"``).
    """
    t = np.asarray(times).astype("datetime64[us]")
    absent = np.isnat(t)
    present = np.flatnonzero(~absent) if absent.any() else None
    us = t.view(np.int64) if present is None else t.view(np.int64)[present]
    ms = (us // 1000).astype("datetime64[ms]")  # floor, as microsecond // 1000 is
    text = np.datetime_as_string(ms, unit="ms", timezone="UTC").tolist()
    if quote:
        text = [f"{quote}{s}{quote}" for s in text]
    return spread(text, present, len(t), missing)


def _joined(*parts: NDArray[np.object_]) -> NDArray[np.object_]:
    """Every concatenation of one text from each of `parts` (object arrays of texts), the
    first part's text varying slowest, as one object array.

    `np.add.outer` on object arrays adds the texts in numpy's loop (`str.__add__`, a new
    string each), not in Python's: the text tables below are built 3x faster than by
    formatting each entry, and each table is made once per process that writes a long column
    (the 101,000 integer parts took 12 ms of a 1,000-satellite run's JSON, issue 11).
    """
    texts = parts[0]
    for part in parts[1:]:
        texts = np.add.outer(texts, part).ravel()
    return texts


def _padded(count: int, digits: int, after: str = "") -> NDArray[np.object_]:
    """``f"{i:0{digits}d}{after}"`` for i below `count`, as an object array."""
    return np.array([f"{i:0{digits}d}{after}" for i in range(count)], dtype=object)


_EMPTY_TEXT = np.array([""], dtype=object)


@functools.cache
def _clock_tables() -> tuple[NDArray[np.object_], NDArray[np.object_], NDArray[np.object_]]:
    """``"HH:MM:"`` of each minute of a day, ``"SS."`` of each second of a minute and
    ``"mmmZ"`` of each millisecond, ``""`` last in each (the parts of a missing time), as
    object arrays (2,500 texts: small enough to build on the first use)."""
    minutes = _joined(_padded(24, 2, ":"), _padded(60, 2, ":"))
    seconds = _padded(60, 2, ".")
    millis = _padded(1000, 3, "Z")
    return tuple(np.concatenate([texts, _EMPTY_TEXT]) for texts in (minutes, seconds, millis))  # type: ignore[return-value]


#: Hours a time column may span to be cut in three parts, ``"YYYY-MM-DDTHH:"`` of each hour
#: of its range, ``"MM:SS."`` and ``"mmmZ"`` (`iso_utc_parts`; else in four): 8 days.
_HOUR_RANGE_MAX = 8 * 24


@functools.lru_cache(maxsize=256)
def _hour_table(first_hour: int, last_hour: int, missing: str) -> NDArray[np.object_]:
    """``"YYYY-MM-DDTHH:"`` of each hour from `first_hour` to `last_hour` (hours since 1970),
    `missing` last; made once per range for the process (the chunks of a run share them)."""
    hours = np.arange(first_hour, last_hour + 1).astype("datetime64[h]")
    texts = np.datetime_as_string(hours).tolist()
    return np.array([*(text + ":" for text in texts), missing], dtype=object)


@functools.cache
def _minute_second_table() -> NDArray[np.object_]:
    """``"MM:SS."`` of each second of an hour, ``""`` last (a missing time's part)."""
    return np.concatenate([_joined(_padded(60, 2, ":"), _padded(60, 2, ".")), _EMPTY_TEXT])


#: Days a time column may span for its dates to be written from a range (else np.unique).
_DAY_RANGE_MAX = 400


def iso_utc_columns(times: NDArray[np.datetime64], missing: str) -> list[list[str]]:
    """Return `iso_utc`'s texts cut in columns that, concatenated row by row, are the same:
    ``"YYYY-MM-DDTHH:"``, ``"MM:SS."`` and ``"mmmZ"`` for a column spanning at most
    `_HOUR_RANGE_MAX` hours, else ``"YYYY-MM-DDT"``, ``"HH:MM:"``, ``"SS."`` and ``"mmmZ"``
    (`missing` then ``""`` where a time is NaT), or `iso_utc` itself, one column, for a column
    shorter than `TABLE_MIN_VALUES` (`iso_utc_parts` looked up)."""
    return [
        part if isinstance(part, list) else part.texts() for part in iso_utc_parts(times, missing)
    ]


def iso_utc_parts(times: NDArray[np.datetime64], missing: str) -> list[list[str] | Coded]:
    """Return `iso_utc_columns` as `Coded` columns (the short column as its list of texts).

    Looked up, not formatted: the clock parts from tables of a day's minutes, a minute's
    seconds and a second's milliseconds (`_clock_tables`), the dates (few in a column)
    formatted once each; 4x faster than `np.datetime_as_string` on a column of a day's
    passes (the caller lays the parts side by side, `join_rows`, and may fold the literals
    beside them into the tables, `passpredict.output.coded.fuse`).
    """
    t = np.asarray(times).astype("datetime64[us]")
    n = len(t)
    absent = np.isnat(t)
    if n < TABLE_MIN_VALUES or absent.all():
        return [iso_utc(t, missing)]  # type: ignore[list-item]
    gaps = bool(absent.any())
    us = np.where(absent, 0, t.view(np.int64)) if gaps else t.view(np.int64)
    hour, in_hour = np.divmod(us // 1000, 3_600_000)  # floor, as microsecond // 1000 is
    present_hours = hour[~absent] if gaps else hour
    first_hour, last_hour = int(present_hours.min()), int(present_hours.max())
    if last_hour - first_hour < _HOUR_RANGE_MAX:
        # three parts, not four: one piece less a time in the final join
        second_in_hour, milli_in_second = np.divmod(in_hour, 1000)
        hour_table = _hour_table(first_hour, last_hour, missing)
        short: list[list[str] | Coded] = []
        for part_table, part_index, part_key in (
            (hour_table, hour - first_hour, ("hours", first_hour, last_hour, missing)),
            (_minute_second_table(), second_in_hour, ("clock", "minute-second")),
            (_clock_tables()[2], milli_in_second, ("clock", 2)),
        ):
            if gaps:  # a missing time: the last text of each table (`missing`, then "")
                part_index = np.where(absent, len(part_table) - 1, part_index)
            short.append(coded(part_table, part_index, part_key))
        return short
    day, in_day = np.divmod(us // 1000, 86_400_000)  # floor, as microsecond // 1000 is
    minute, in_minute = np.divmod(in_day, 60_000)
    second, milli = np.divmod(in_minute, 1000)
    present_days = day[~absent] if gaps else day
    first, last = int(present_days.min()), int(present_days.max())
    if last - first <= _DAY_RANGE_MAX:
        days = np.arange(first, last + 1)
        at = day - first
    else:
        days, inverse = np.unique(present_days, return_inverse=True)
        at = np.zeros(n, dtype=np.intp)
        at[~absent] = inverse
    dates = np.datetime_as_string(days.astype("datetime64[D]")).tolist()
    date_table = np.array([*(d + "T" for d in dates), missing], dtype=object)
    tables = [date_table, *_clock_tables()]
    keys = [None, *(("clock", k) for k in range(3))]
    parts: list[list[str] | Coded] = []
    for table, i, key in zip(tables, (at, minute, second, milli), keys, strict=True):
        # a missing time: the last text of each table (`missing`, then "")
        parts.append(coded(table, np.where(absent, len(table) - 1, i) if gaps else i, key))
    return parts


_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
#: Microseconds since 1970 of the year 1000: `strftime` pads no year below it.
_YEAR_1000_US = (datetime(1000, 1, 1, tzinfo=UTC) - _UNIX_EPOCH) // _MICROSECOND


def utc_texts(moments: Sequence[datetime]) -> list[str]:
    """Return `format_utc` of each aware datetime, as a column: each turned into exact
    microseconds since 1970 (an integer division of timedeltas), the column formatted by
    `iso_utc`; 6x faster than `format_utc` one by one (the epochs of a catalogue's sets).

    A naive datetime or a year before 1000 sends the column to `format_utc` itself.
    """
    if len(moments) < TABLE_MIN_VALUES:
        return list(map(format_utc, moments))
    try:
        us = np.array([(m - _UNIX_EPOCH) // _MICROSECOND for m in moments], dtype=np.int64)
    except TypeError:  # naive: format_utc reads it as local time
        return list(map(format_utc, moments))
    if us.min() < _YEAR_1000_US:
        return list(map(format_utc, moments))
    texts: list[str] = iso_utc(us.astype("datetime64[us]"))  # type: ignore[assignment]
    return texts


def spread(
    values: list[str], where: NDArray[np.intp] | None, n: int, missing: str | None
) -> list[str | None]:
    """Return `values` at the indices `where` of `n` texts, `missing` elsewhere (`values` itself
    when `where` is None: all present)."""
    if where is None:
        return values  # type: ignore[return-value]
    out: list[str | None] = [missing] * n
    for i, value in zip(where.tolist(), values, strict=True):
        out[i] = value
    return out


def rounded(value: float, digits: int) -> float:
    """Return ``round(value, digits)``, zero without a sign (an int stays an int):
    `round_like_python` of one value, for the outputs written from records
    (`passpredict.output.formats`, `geo_json`)."""
    result = round(value, digits)
    return result if result else abs(result)  # abs(-0.0) is 0.0


def round_like_python(values: NDArray[np.float64], digits: int) -> NDArray[np.float64]:
    """Return `values` rounded to `digits` decimals, each equal to Python's ``round(v, digits)``.

    `np.round` scales, rounds and scales back; the scaling can move a value that lies within
    a hair of a half to the other side, where Python's `round` decides on the exact binary
    value. Those few (a fraction near .5 after scaling) are redone with `round` itself, so
    that every printed digit is the one the record-based output printed. A result of zero is
    +0.0 whatever the value's sign (``round(-0.0001, 3)`` is ``-0.0``; this is ``0.0``: no
    output prints a negative zero, see the module docstring). Values too large for the
    scaling to be exact (2**52 and over once scaled, or overflowing) are kept as they are,
    as `round` keeps them.
    """
    v = np.asarray(values, dtype=float)
    scale = 10.0**digits
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = v * scale
        out = np.round(scaled) / scale
        frac = np.abs(scaled - np.floor(scaled) - 0.5)
        inexact = ~(np.abs(scaled) < 2.0**52)
    doubtful = np.flatnonzero(np.isfinite(v) & ((frac < 1e-6) | inexact))
    if doubtful.size:
        out[doubtful] = [round(x, digits) for x in v[doubtful].tolist()]
    np.add(out, 0.0, out=out)  # -0.0 + 0.0 is +0.0; every other value (NaN too) unchanged
    return out


def float_texts(values: NDArray[np.float64], missing: str | None = None) -> list[str | None]:
    """Return each float as `repr` writes it (as `json` and `csv` do); `missing` for NaN."""
    v = np.asarray(values, dtype=float)
    absent = np.isnan(v)
    if not absent.any():
        return list(map(float.__repr__, v.tolist()))
    # only the present values written: such a column (standard magnitudes) is mostly NaN
    present = np.flatnonzero(~absent)
    return spread(list(map(float.__repr__, v[present].tolist())), present, len(v), missing)


def rounded_texts(
    values: NDArray[np.float64], digits: int, missing: str | None = None
) -> list[str | None]:
    """Return ``repr(round(v, digits) + 0.0)`` of each value (the text `json` and `csv` write;
    never ``-0.0``); `missing` for NaN.

    Only the present values are written (`decimal_texts`): many columns are mostly NaN (the
    visible points of passes that are not visible).
    """
    r = round_like_python(values, digits)
    absent = np.isnan(r)
    if not absent.any():
        return decimal_texts(r, digits)  # type: ignore[return-value]
    present = np.flatnonzero(~absent)
    return spread(decimal_texts(r[present], digits), present, len(r), missing)


#: Columns shorter than this are written by `repr` alone (the text tables cost more to build).
TABLE_MIN_VALUES = 256
#: Integer parts (of |value|) written from `_integer_texts`: below this when positive (a
#: multiple of 1,000, at most 1,000,000: `_integer_table` joins leading digits and tails)...
_WHOLE_POSITIVE = 100_000
#: ... and below this when negative.
_WHOLE_NEGATIVE = 1_000


@functools.cache
def _integer_texts() -> list[str]:
    """The integer parts' texts: ``str(i)`` at i, ``"-" + str(i)`` at `_WHOLE_POSITIVE` + i
    (`_integer_table`'s, as a list)."""
    texts: list[str] = _integer_table().tolist()
    return texts


@functools.cache
def _fraction_texts(digits: int) -> list[str]:
    """The text after the integer part of each fraction ``f / 10**digits`` as `repr` writes it:
    ``.5``, ``.25``, ``.0`` (trailing zeros dropped, one digit kept)."""
    return ["." + (f"{f:0{digits}d}".rstrip("0") or "0") for f in range(10**digits)]


def decimal_texts(rounded: NDArray[np.float64], digits: int) -> list[str]:
    """Return `repr` of each value of `rounded`, values already rounded to `digits` (at most
    3 for the short cut) decimals as `round_like_python` rounds them.

    A rounded value r is the double nearest to k / 10**digits, and its `repr` is that decimal
    with the trailing zeros dropped: a decimal of up to 15 significant digits survives a trip
    through a double, so no shorter decimal names the same double, and `repr` writes numbers
    from 1e-4 to 1e16 positionally. So the text of a long column is looked up, not formatted:
    the integer part of |r| from `_integer_texts` (its sign with it), the fraction from
    `_fraction_texts`; that is about twice as fast as `repr`. A column of one value (the
    elevation at rise and set is the minimum elevation) takes one `repr`. Values with a large
    integer part, infinities, short columns and more decimals go through `repr`.
    """
    r = np.asarray(rounded, dtype=float)
    if len(r) < TABLE_MIN_VALUES or not 0 <= digits <= 3:
        return list(map(float.__repr__, r.tolist()))
    bits = r.view(np.int64)
    if (bits == bits[0]).all():
        return [repr(float(r[0]))] * len(r)
    fast, at, fraction = _table_positions(r, digits)
    wholes, fractions = _integer_texts(), _fraction_texts(digits)
    out = list(
        map(
            str.__add__,
            map(wholes.__getitem__, at.tolist()),
            map(fractions.__getitem__, fraction.tolist()),
        )
    )
    if not fast.all():
        for i in np.flatnonzero(~fast).tolist():
            out[i] = repr(float(r[i]))
    return out


def _table_positions(
    rounded: NDArray[np.float64], digits: int
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """Where each rounded value's texts are in the tables: whether it can be looked up at all
    (|r| below the tables' limit less one, so that its rounded integer part stays below it;
    NaN and infinities cannot), its integer part's position (the sign with it) in
    `_integer_texts` and its fraction's in `_fraction_texts` (0 where it cannot)."""
    scale = 10**digits
    magnitude = np.abs(rounded)
    negative = np.signbit(rounded)
    fast = magnitude < np.where(negative, _WHOLE_NEGATIVE - 1, _WHOLE_POSITIVE - 1)
    scaled = np.rint(np.where(fast, magnitude, 0.0) * scale).astype(np.int64)
    whole, fraction = np.divmod(scaled, scale)
    return fast, whole + negative * _WHOLE_POSITIVE, fraction


@functools.cache
def _integer_table() -> NDArray[np.object_]:
    """`_integer_texts` as an object array: a look-up of a whole column is then one ``take``
    (4x faster than a `map` over ints).

    The numbers from 1,000 up are their leading digits (``str`` of 1 to 999) joined to
    three-digit tails (`_joined`): 4 ms, not the 12 of ``str`` of each.
    """
    small = np.array(list(map(str, range(1000))), dtype=object)
    positive = np.concatenate(
        [small, _joined(small[1 : _WHOLE_POSITIVE // 1000], _padded(1000, 3))]
    )
    return np.concatenate(
        [positive, _joined(np.array(["-"], dtype=object), positive[:_WHOLE_NEGATIVE])]
    )


@functools.cache
def _fraction_table(digits: int) -> NDArray[np.object_]:
    """`_fraction_texts` with ``""`` last (the fraction of a NaN), as an object array."""
    return np.array([*_fraction_texts(digits), ""], dtype=object)


def decimal_columns(
    values: NDArray[np.float64], digits: int, missing: str
) -> tuple[list[str], list[str]]:
    """Return ``repr(round(v, digits))`` of each value cut in two columns, the integer part
    with its sign and the rest (``"12"`` and ``".5"``; the whole text and ``""`` where the
    value takes `repr`), `missing` and ``""`` for NaN: concatenated, `rounded_texts`
    (`decimal_parts` with its fractions looked up)."""
    integer_parts, fractions = decimal_parts(values, digits, missing)
    return integer_parts, fractions.texts()


def decimal_parts(
    values: NDArray[np.float64], digits: int, missing: str
) -> tuple[list[str], Coded]:
    """Return `decimal_columns`, the fractions as a `Coded` column of the fraction table.

    The text tables of `decimal_texts` without its last step: the two looked-up texts are
    not added (a new string per value, 70 % of its time), the caller lays them side by side
    (`join_rows`), and may fold the literal after a number into the fraction table
    (`passpredict.output.coded.fuse`). The integer parts are one ``take`` from an object
    array of texts; a NaN gets `missing` by one masked assignment, so a sparse column needs
    no `spread`.
    """
    v = np.asarray(values, dtype=float)
    n = len(v)
    nothing = coded(_EMPTY_TABLE, np.zeros(n, dtype=np.intp), "empty")
    if n < TABLE_MIN_VALUES or not 0 <= digits <= 3:
        texts: list[str] = rounded_texts(v, digits, missing)  # type: ignore[assignment]
        return texts, nothing
    bits = v.view(np.int64)
    if (bits == bits[0]).all():
        first = float(v[0])
        return [missing if first != first else repr(round(first, digits) + 0.0)] * n, nothing
    fast, at, fraction = _decimal_positions(v, digits)
    fractions = _fraction_table(digits)
    if (at == at[0]).all() and (fraction == fraction[0]).all() and fast.all():
        # one text (the elevations at rise and set, all the minimum once rounded)
        return [_integer_table()[at[0]] + fractions[fraction[0]]] * n, nothing
    fraction[~fast] = len(fractions) - 1  # NaN, infinities and large values: no fraction
    wholes = _integer_table().take(at)  # a NaN's is "0", then `missing`
    absent = np.isnan(v)
    if absent.any():
        wholes[absent] = missing
    integer_parts: list[str] = wholes.tolist()
    slow = np.flatnonzero(~fast & ~absent)
    for i, value in zip(slow.tolist(), v[slow].tolist(), strict=True):
        integer_parts[i] = repr(round(value, digits) + 0.0)
    return integer_parts, coded(fractions, fraction, ("fraction", digits))


def fixed_texts(values: NDArray[np.float64], digits: int) -> list[str]:
    """Return ``"%.{digits}f" % v`` of each value, for `digits` 0 to 3 (the calendar's
    elevations and azimuths): looked up, not formatted, for a long column.

    ``%`` rounds the exact binary value half to even, as `round` does, so the digits are those
    of `_decimal_positions`; its sign is the value's, except that a value that rounds to zero
    is written without one (``"%.0f" % -0.3`` is ``-0``; this is ``0``: format's ``z``). NaN,
    infinities and values past the tables go through ``format(v, "z.{digits}f")``.
    """
    v = np.asarray(values, dtype=float)
    spec = f"z.{digits}f"
    if len(v) < TABLE_MIN_VALUES or not 0 <= digits <= 3:
        return [format(x, spec) for x in v.tolist()]
    fast, at, fraction = _decimal_positions(v, digits)
    texts: list[str] = _integer_table().take(at).tolist()
    if digits:
        fractions = _fixed_fractions(digits).take(fraction).tolist()
        texts = list(map(str.__add__, texts, fractions))
    slow = np.flatnonzero(~fast)
    for i, value in zip(slow.tolist(), v[slow].tolist(), strict=True):
        texts[i] = format(value, spec)
    return texts


@functools.cache
def _fixed_fractions(digits: int) -> NDArray[np.object_]:
    """``"." + f"{f:0{digits}d}"`` of each fraction f (``%``'s digits, trailing zeros kept)."""
    return np.array([f".{f:0{digits}d}" for f in range(10**digits)], dtype=object)


def _decimal_positions(
    values: NDArray[np.float64], digits: int
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """`_table_positions` of ``round_like_python(values, digits)``, from the values in one
    pass of fewer array operations (half of `decimal_parts`' time went to the two).

    The scaled value's nearest integer k is Python's ``round(v, digits) * 10**digits``
    unless the scaled value lies within a hair of a half (then `round` itself decides, as
    in `round_like_python`), or is too large for the tables (then the caller writes the
    value by `round`). The sign is the value's, but a value that rounds to zero has none
    (``round(-0.0001, 3)`` is ``-0.0``; here ``0.0``: see the module docstring).
    """
    scale = 10.0**digits
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = values * scale
        magnitude = np.rint(scaled)
        near_half = np.abs(np.abs(scaled - magnitude) - 0.5) < 1e-6  # NaN, inf: False
    np.abs(magnitude, out=magnitude)
    doubtful = np.flatnonzero(near_half)
    if doubtful.size:
        rounded = [round(x, digits) for x in values[doubtful].tolist()]
        magnitude[doubtful] = np.rint(np.abs(np.array(rounded)) * scale)
    negative = np.signbit(values) & (magnitude != 0.0)  # never a negative zero
    limit = np.where(negative, (_WHOLE_NEGATIVE - 1) * scale, (_WHOLE_POSITIVE - 1) * scale)
    fast = magnitude < limit  # NaN and infinities are not
    # whole and fraction in floats, exactly (integers below 1e8; a division by the exact
    # power of ten is exact where the fraction is 0, far from an integer elsewhere): an int64
    # divmod costs 3x as much, a quarter of this function's time
    scaled_whole = np.where(fast, magnitude, 0.0)
    whole = np.floor(scaled_whole / scale)
    fraction = (scaled_whole - whole * scale).astype(np.int64)
    return fast, whole.astype(np.int64) + negative * _WHOLE_POSITIVE, fraction


_EMPTY_TABLE = np.array([""], dtype=object)


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


_BOOL_TABLE = np.array(["false", "true"], dtype=object)


def bool_texts(values: NDArray[np.bool_]) -> list[str]:
    """Return booleans as JSON writes them (and passpredict's CSV): ``true`` / ``false``
    (a ``take`` of the two texts: no new string per value)."""
    texts: list[str] = _BOOL_TABLE.take(np.asarray(values, dtype=bool).view(np.int8)).tolist()
    return texts


def bool_codes(values: NDArray[np.bool_]) -> Coded:
    """Return `bool_texts` as a `Coded` column (a literal beside it folds into its table)."""
    return coded(_BOOL_TABLE, np.asarray(values, dtype=bool).view(np.int8), "bool")


def whole_texts(values: NDArray[np.int64]) -> list[str]:
    """Return ``str`` of each integer (NORAD numbers): looked up in `_integer_texts` for a long
    column of numbers below its limit (10x faster than `str` one by one)."""
    v = np.asarray(values)
    if len(v) < TABLE_MIN_VALUES or v.min() < 0 or v.max() >= _WHOLE_POSITIVE:
        return list(map(str, v.tolist()))
    texts: list[str] = _integer_table().take(v).tolist()
    return texts


def json_strings(values: NDArray[np.object_]) -> list[str]:
    """Return each text as a JSON string, as ``json.dumps(text, ensure_ascii=False)`` writes
    it (by the function it calls, `json.encoder.encode_basestring`), each distinct text once."""
    texts = values.tolist()
    cache = {value: encode_basestring(value) for value in set(texts)}
    return list(map(cache.__getitem__, texts))


#: Characters that make `csv.writer` (minimal quoting) quote a field.
_CSV_QUOTED = re.compile(r'[,"\r\n]')


def csv_field(text: str) -> str:
    """Return one CSV field as `csv.writer` (minimal quoting, ``\\n`` lines) writes it."""
    if text and _CSV_QUOTED.search(text) is None:
        return text
    if text == "":
        return ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text])
    return buffer.getvalue()[:-1]


def join_rows(
    segments: Sequence[str | list[str] | Coded], n: int, head: str | None = None, tail: str = ""
) -> str:
    """Return `n` rows of text as one string, each row the concatenation of the `segments`:
    a literal text as it is, a column (a list of `n` texts, or a `Coded` column) its row's
    text; `head`, when given, instead of the first row's first segment (a literal), and
    `tail` after the last row.

    One ``"".join`` over the pieces laid out row after row (a slice assignment per segment)
    instead of a ``%`` or a join per row: about twice as fast for rows of many fields. A row
    ends where the next begins; separators are part of the segments.
    """
    if n == 0:
        return tail
    m = len(segments)
    pieces: list[str] = [""] * (n * m)
    for j, segment in enumerate(segments):
        if isinstance(segment, str):
            pieces[j::m] = [segment] * n
        else:
            pieces[j::m] = segment if isinstance(segment, list) else segment.texts()
    if head is not None:
        if not isinstance(segments[0], str):
            raise ValueError("join_rows: a head replaces a literal first segment")
        pieces[0] = head
    if tail:
        pieces.append(tail)
    return "".join(pieces)
