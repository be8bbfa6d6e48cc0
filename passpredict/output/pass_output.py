"""Passes written straight from their arrays: JSON objects, JSON Lines and CSV rows, in chunks.

`passpredict.output.formats` defines what a pass looks like in JSON and CSV (`pass_dict`,
`CSV_COLUMNS`); this module writes the same bytes from `passpredict.products.columns.PassColumns`
without building a record or a dict per pass: each field is one column of text made by
`passpredict.output.textarrays` in one call (times, rounded numbers, booleans; a number or a
time may come as several columns of parts, looked up in tables, laid side by side), and a
chunk's rows, JSON or CSV, are their literal pieces (keys, braces, commas) and those columns
laid out piece after piece and joined in one call (`textarrays.join_rows`), twice as fast as
a ``%`` or a ``",".join`` per row. Rows go out `CHUNK_ROWS` at a time, so memory holds one
chunk's text, not the whole output's. A point that some passes lack is ``null`` there by
column (`_optional`): its literals become columns, empty where it is absent.

JSON layouts: `compact` is one pass per line as ``json.dumps(pass_dict(p))`` writes it (the
streamed document, JSON Lines); otherwise the pass is laid out as ``json.dumps(...,
indent=2)`` lays it out at `level` spaces (the whole document of `formats.to_json`).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from json.encoder import encode_basestring
from operator import attrgetter, itemgetter
from typing import Any, TextIO, cast

import numpy as np
from numpy.typing import NDArray

from passpredict.output.coded import Coded, choice, fuse
from passpredict.output.textarrays import (
    bool_codes,
    csv_field,
    decimal_columns,
    decimal_parts,
    float_texts,
    int_texts,
    iso_utc_parts,
    join_rows,
    json_strings,
    rounded_texts,
    spread,
    utc_texts,
    whole_texts,
)
from passpredict.products.columns import UNCERTAINTY_DIGITS, PassColumns
from passpredict.products.radio import doppler_shift_hz
from tle_cache.names import csv_text

#: Passes formatted at a time: enough to amortise the per-column calls, little memory.
CHUNK_ROWS = 4096

_LOOK_KEYS = ("azimuth_deg", "elevation_deg", "range_km")


#: A piece of a row's text: a literal, the same in every row, or a column of one text per row
#: (a list, or a `Coded` column: a table and each row's place in it).
Segment = str | list[str] | Coded


def _template(keys: list[str], compact: bool, level: int) -> str:
    """A ``%s`` template of a JSON object with `keys`, laid out as json.dumps would."""
    if compact:
        return "{" + ", ".join(f'"{k}": %s' for k in keys) + "}"
    inner = " " * (level + 2)
    body = ",\n".join(f'{inner}"{k}": %s' for k in keys)
    return "{\n" + body + "\n" + " " * level + "}"


def _object(
    keys: list[str], fields: list[list[Segment]], compact: bool, level: int, fold: bool = True
) -> list[Segment]:
    """The segments of a JSON object with `keys`, each key's value made of its `fields`
    segments (one column, or a nested object's segments); adjacent literals merged and, with
    `fold`, literals folded into coded columns (`_merged`: not for an object `_optional`
    will take apart)."""
    literals = _template(keys, compact, level).split("%s")
    segments: list[Segment] = [literals[0]]
    for field, literal in zip(fields, literals[1:], strict=True):
        segments += field
        segments.append(literal)
    return _merged(segments) if fold else _literals_merged(segments)


def _literals_merged(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for segment in segments:
        if isinstance(segment, str) and out and isinstance(out[-1], str):
            out[-1] += segment
        elif not isinstance(segment, str) or segment != "":
            out.append(segment)
    return out


def _merged(segments: Sequence[Segment | _Sparse]) -> list[Segment]:
    """The same segments with each one folded into the one before where it can be: adjacent
    literals joined, a literal into a coded column's table beside it, two small coded
    columns into one (`passpredict.output.coded.fuse`), a literal into the texts of a value
    most rows lack beside it (`_Sparse`); fewer pieces for the final join."""
    out: list[Segment | _Sparse] = []
    for segment in segments:
        if isinstance(segment, str) and segment == "":
            continue
        if out:
            last = out[-1]
            if isinstance(last, _Sparse) and isinstance(segment, str):
                if _ROW_END not in segment:
                    out[-1] = last.around("", segment)
                    continue
            elif isinstance(segment, _Sparse) and isinstance(last, str):
                if _ROW_END not in last:
                    out[-1] = segment.around(last, "")
                    continue
            elif not isinstance(last, list | _Sparse) and not isinstance(segment, list | _Sparse):
                joined = fuse(last, segment)
                if joined is not None:
                    out[-1] = joined
                    continue
        out.append(segment)
    return [segment.texts() if isinstance(segment, _Sparse) else segment for segment in out]


def _optional(present: NDArray[np.bool_], segments: list[Segment], missing: str) -> list[Segment]:
    """The segments of a value that some rows lack: `missing` (``null``) where not `present`.

    The columns of `segments` must hold ``""`` in the absent rows; the literals become
    columns, themselves where present, ``""`` (``missing`` for the first) elsewhere."""
    if present.all():
        return segments
    if not present.any():
        return [missing]
    if 2 * int(np.count_nonzero(present)) <= len(present):
        return [_Sparse(present, segments, missing)]  # type: ignore[list-item]
    out: list[Segment] = []
    for segment in segments:
        if isinstance(segment, str):
            segment = choice(("" if out else missing, segment), present)
        elif not out:
            out.append(choice((missing, ""), present))
        out.append(segment)
    return out


#: Between the texts of a `_Sparse` value while joined: JSON text never holds it (a string
#: writes it ``\\u0000``), nor does a time or a number.
_ROW_END = "\x00"


@dataclass(frozen=True)
class _Sparse:
    """`_optional` of a value most rows lack, as one column to be (`texts`): the present rows'
    segments joined on their own, a text each, and `missing` in the other rows. A row's final
    join then takes one piece for the value, not one per segment, ``""`` in most rows (70 % of
    a catalogue's passes are not visible: their visible points are ``null``). `_merged` folds
    the literals on either side into it (`around`): into each present row's own join and into
    the one `missing` text, at no cost a row (the keys between the visible points, shadow
    times; the commas between their CSV cells)."""

    present: NDArray[np.bool_]
    segments: list[Segment]
    missing: str
    before: str = ""
    after: str = ""

    def around(self, before: str, after: str) -> _Sparse:
        """The same value with `before` and `after` on either side of it in every row."""
        return replace(self, before=before + self.before, after=self.after + after)

    def texts(self) -> list[str]:
        """The column's texts, one per row."""
        rows = np.flatnonzero(self.present)
        pieces = [self.before, *(_rows_of(segment, rows) for segment in self.segments)]
        picked = _merged([*pieces, self.after])
        texts = join_rows([*picked, _ROW_END], len(rows)).split(_ROW_END)
        texts.pop()  # after the last row's end
        missing = self.before + self.missing + self.after
        return cast(list[str], spread(texts, rows, len(self.present), missing))


def _rows_of(segment: Segment, rows: NDArray[np.intp]) -> Segment:
    """The `rows` of a segment (a literal is the same in every row)."""
    if isinstance(segment, str):
        return segment
    if isinstance(segment, Coded):
        return Coded(segment.table, segment.index[rows], segment.key)
    return list(map(segment.__getitem__, rows.tolist()))


def _point(
    c: PassColumns,
    times_s: NDArray[np.float64],
    looks: NDArray[np.float64],
    rates: NDArray[np.float64] | None,
    frequency_hz: float | None,
    compact: bool,
    level: int,
    bearings: NDArray[np.float64] | None = None,
) -> list[Segment]:
    """The segments of one point per pass (`formats.point_dict`), ``null`` where absent;
    with `bearings`, the compass bearing after the azimuth."""
    present = ~np.isnan(times_s)
    if not present.any():
        return ["null"]
    keys = ["time", *_LOOK_KEYS]
    fields: list[list[Segment]] = [['"', *_time_texts(c, times_s), '"']]  # a string
    fields += [_point_numbers(looks[:, k], present, 3) for k in range(3)]
    if bearings is not None:
        keys.insert(2, "azimuth_magnetic_deg")
        fields.insert(2, _point_numbers(bearings, present, 3))
    if rates is not None:
        keys.append("range_rate_km_s")
        fields.append(_point_numbers(rates, present, 5))
        if frequency_hz is not None:
            keys.append("doppler_hz")
            doppler = doppler_shift_hz(rates, frequency_hz)
            fields.append(_point_numbers(doppler, present, None))
    return _optional(present, _object(keys, fields, compact, level, fold=False), "null")


def _point_numbers(
    values: NDArray[np.float64], present: NDArray[np.bool_], digits: int | None
) -> list[Segment]:
    """A point's numbers as `_optional` wants them, ``""`` where the point is absent, ``null``
    for a NaN in a present point (rounded to `digits`; None: to an integer, as the Doppler)."""
    whole = present.all()
    if not np.isnan(values if whole else values[present]).any():
        # the common case: NaN only where the point is absent (or no NaN at all)
        masked = values if whole else np.where(present, values, np.nan)
        if digits is None:
            return [int_texts(masked, "")]  # type: ignore[list-item]
        return list(decimal_parts(masked, digits, ""))
    rows = np.flatnonzero(present)
    if digits is None:
        parts: list[list[str]] = [int_texts(values[rows], "null")]  # type: ignore[list-item]
    else:
        parts = list(decimal_columns(values[rows], digits, "null"))
    return [cast(list[str], spread(part, rows, len(values), "")) for part in parts]


def _time_texts(c: PassColumns, seconds: NDArray[np.float64]) -> list[Segment]:
    """The times' texts (no quotes), ``""`` where absent, in columns (`iso_utc_parts`)."""
    return list(iso_utc_parts(c.times_utc(seconds), ""))


def _time(c: PassColumns, seconds: NDArray[np.float64]) -> list[Segment]:
    """The segments of a time that some passes lack: a JSON string, ``null`` where absent."""
    present = ~np.isnan(seconds)
    return _optional(present, ['"', *_time_texts(c, seconds), '"'], "null")


def _names(
    values: NDArray[np.object_],
    encode: Callable[[str], str],
    column: Callable[[NDArray[np.object_]], list[str]],
) -> list[Segment]:
    """A column of names as `column` writes them, or one literal, `encode` of the name, when
    every row has the same (the observer of a one-observer run): a literal folds into the
    pieces beside it."""
    if len(values) and (values == values[0]).all():
        return [encode(values[0])]
    return [column(values)]


def duration_s(c: PassColumns) -> NDArray[np.float64]:
    """Seconds from rise to set, NaN when either is outside the window (`Pass.duration_s`)."""
    whole = ~(np.isnan(c.rise_s) | np.isnan(c.set_s))
    return np.where(whole, c.duration_s, np.nan)


def _numbers(values: NDArray[np.float64], digits: int | None = None) -> list[Segment]:
    """A column of numbers (rounded to `digits`; None: as they are), ``null`` for NaN."""
    if _all_nan(values):
        return ["null"]  # a literal: it folds into the pieces beside it (`_merged`)
    if digits is None:
        return [float_texts(values, "null")]  # type: ignore[list-item]
    return list(decimal_parts(values, digits, "null"))


def pass_json_text(
    c: PassColumns,
    frequency_hz: float | None = None,
    compact: bool = True,
    level: int = 4,
    prefix: Mapping[str, str] | None = None,
    before: str = "",
    first: str | None = None,
) -> str:
    """Return the passes as the JSON texts of `formats.pass_dict` (see the module for layouts),
    each after `before` (the first after `first`, when given), in one string.

    `prefix` adds leading keys with ready JSON values (JSON Lines' ``"type": "pass"``).
    """
    keys = [*(prefix or {})]
    fields: list[list[Segment]] = [[value] for value in (prefix or {}).values()]
    inner = level + 2
    keys += ["satellite", "norad_id", "observer", "rise", "culmination", "set"]
    fields += [[json_strings(c.satellite)], [whole_texts(c.norad_id)]]
    fields.append(_names(c.observer, encode_basestring, json_strings))
    bearings = c.azimuth_magnetic_deg
    for k, times in enumerate((c.rise_s, c.culmination_s, c.set_s)):
        rates = None if c.range_rate_km_s is None else c.range_rate_km_s[:, k]
        compass = None if bearings is None else bearings[:, k]
        fields.append(
            _point(c, times, c.points[:, k], rates, frequency_hz, compact, inner, compass)
        )
    keys += ["max_elevation_deg", "duration_s", "in_progress_at_start", "in_progress_at_end"]
    fields += [_numbers(c.max_elevation_deg, 3), _numbers(duration_s(c), 3)]
    fields += [[bool_codes(np.isnan(c.rise_s))], [bool_codes(np.isnan(c.set_s))]]
    if c.time_uncertainty_s is not None:
        keys.append("time_uncertainty_s")
        fields.append(_numbers(c.time_uncertainty_s, UNCERTAINTY_DIGITS))
    if c.declination_deg is not None:
        keys.append("declination_deg")
        fields.append(_numbers(c.declination_deg[:, 1], 3))
    v = c.visibility
    if v is not None:
        keys += ["visible", "sunlit", "sun_elevation_deg"]
        fields += [[bool_codes(v.visible)], [bool_codes(v.sunlit)]]
        fields.append(_numbers(v.sun_elevation_deg, 2))
        for k, name in enumerate(("visible_start", "visible_peak", "visible_end")):
            keys.append(name)
            times = np.where(v.visible, v.visible_s[:, k], np.nan)
            fields.append(_point(c, times, v.visible_points[:, k], None, None, compact, inner))
        keys += ["shadow_entry", "shadow_exit", "std_magnitude", "magnitude", "brightest"]
        fields += [_time(c, v.shadow_entry_s), _time(c, v.shadow_exit_s)]
        fields += [_numbers(v.std_magnitude), _numbers(v.magnitude, 1)]
        fields.append(_point(c, v.brightest_s, v.brightest_point, None, None, compact, inner))
        keys.append("brightest_magnitude")
        fields.append(_numbers(v.brightest_magnitude, 1))
    segments = _object(keys, fields, compact, level)
    # `before` is not folded into a column: the first row's may differ (`first`)
    lead = segments[0] if isinstance(segments[0], str) else ""
    if lead:
        segments = segments[1:]
    head = None if first is None else first + lead
    return join_rows([before + lead, *segments], len(c), head)


def chunks(c: PassColumns, rows: int = CHUNK_ROWS) -> Iterator[PassColumns]:
    """Yield the columns `rows` passes at a time (views of their arrays: nothing here changes
    an array it is given)."""
    for begin in range(0, len(c), rows):
        yield c.rows(begin, min(begin + rows, len(c)))


def write_json_objects(
    out: TextIO,
    c: PassColumns,
    frequency_hz: float | None,
    compact: bool,
    level: int,
    first: str,
    between: str,
    prefix: Mapping[str, str] | None = None,
) -> int:
    """Write the passes' JSON objects, `first` before the first and `between` before each
    other one; return how many were written."""
    written = 0
    for part in chunks(c):
        out.write(
            pass_json_text(
                part, frequency_hz, compact, level, prefix, between, None if written else first
            )
        )
        written += len(part)
    return written


# --- CSV -------------------------------------------------------------------------------------


def _all_nan(values: NDArray[np.float64]) -> bool:
    """Whether every value is NaN: a column with no number at all (the magnitudes of a run
    without standard magnitudes) is one literal, not a column of the same text in every row:
    the literals beside it fold into one piece (6 of a JSON pass's ~60 pieces in the final join)."""
    return bool(np.isnan(values).all())


def _numbers_csv(values: NDArray[np.float64], digits: int) -> list[Segment]:
    if _all_nan(values):
        return [""]  # empty cells: the commas around them fold together (`_merged`)
    return list(decimal_parts(values, digits, ""))


def _times_csv(c: PassColumns, seconds: NDArray[np.float64]) -> list[Segment]:
    """A CSV cell of times, one column of texts when most rows have none (`_Sparse`:
    the visible start and end, the shadow entry and exit)."""
    present = ~np.isnan(seconds)
    count = int(np.count_nonzero(present))
    if 0 < 2 * count <= len(present):
        return [_Sparse(present, _time_texts(c, seconds), "")]  # type: ignore[list-item]
    return _time_texts(c, seconds)


def _csv_texts(values: NDArray[np.object_]) -> list[str]:
    texts = values.tolist()
    cache = {value: _csv_name(value) for value in set(texts)}
    return list(map(cache.__getitem__, texts))


@functools.lru_cache(maxsize=1 << 16)
def _csv_name(text: str) -> str:
    """A name's CSV cell, made once per name for the process (the chunks of a catalogue hold
    the same satellites' names again and again: 33,000 cells made for 15,000 names)."""
    return csv_field(csv_text(text))


def pass_csv_rows(
    c: PassColumns,
    csv_columns: tuple[str, ...],
    frequency_hz: float | None,
    epochs: Mapping[int, tuple[str, str]],
) -> str:
    """Return the passes' rows of `formats.to_csv` (each with its ``\\n``), from the columns.

    `epochs` maps a NORAD number to the ``epoch`` and ``age_days`` cells of its element set.
    """
    n = len(c)
    cells: dict[str, list[Segment]] = {"kind": ["pass"]}
    cells["satellite"] = [_csv_texts(c.satellite)]
    cells["norad_id"] = [whole_texts(c.norad_id)]
    cells["observer"] = _names(c.observer, _csv_name, _csv_texts)
    for k, which in enumerate(("rise", "culmination", "set")):
        times = (c.rise_s, c.culmination_s, c.set_s)[k]
        cells[f"{which}_time"] = _times_csv(c, times)
        for j, field in enumerate(_LOOK_KEYS):
            cells[f"{which}_{field}"] = _numbers_csv(c.points[:, k, j], 3)
        if c.range_rate_km_s is not None:
            rates = c.range_rate_km_s[:, k]
            cells[f"{which}_range_rate_km_s"] = _numbers_csv(rates, 5)
            if frequency_hz is not None:
                doppler = doppler_shift_hz(rates, frequency_hz)
                cells[f"{which}_doppler_hz"] = [int_texts(doppler, "")]  # type: ignore[list-item]
    cells["max_elevation_deg"] = _numbers_csv(c.max_elevation_deg, 3)
    cells["duration_s"] = _numbers_csv(duration_s(c), 3)
    cells["in_progress_at_start"] = [bool_codes(np.isnan(c.rise_s))]
    cells["in_progress_at_end"] = [bool_codes(np.isnan(c.set_s))]
    v = c.visibility
    if v is not None:
        cells["visible"] = [bool_codes(v.visible)]
        cells["sunlit"] = [bool_codes(v.sunlit)]
        cells["sun_elevation_deg"] = _numbers_csv(v.sun_elevation_deg, 2)
        for name, seconds in (("shadow_entry", v.shadow_entry_s), ("shadow_exit", v.shadow_exit_s)):
            cells[name] = _times_csv(c, seconds)
        for name in ("magnitude", "brightest_magnitude"):
            cells[name] = _numbers_csv(getattr(v, name), 1)
        for name, k in (("visible_start", 0), ("visible_end", 2)):
            seconds = np.where(v.visible, v.visible_s[:, k], np.nan)
            cells[name] = _times_csv(c, seconds)
        peak = np.where(v.visible, v.visible_points[:, 1, 1], np.nan)
        cells["visible_max_elevation_deg"] = _numbers_csv(peak, 3)
    if c.time_uncertainty_s is not None:
        cells["time_uncertainty_s"] = _numbers_csv(c.time_uncertainty_s, UNCERTAINTY_DIGITS)
    bearings = c.azimuth_magnetic_deg
    if bearings is not None and c.declination_deg is not None:
        for k, which in enumerate(("rise", "culmination", "set")):
            cells[f"{which}_azimuth_magnetic_deg"] = _numbers_csv(bearings[:, k], 3)
        cells["declination_deg"] = _numbers_csv(c.declination_deg[:, 1], 3)
    if epochs:
        # one look-up a row (not a map per cell of every set, per chunk)
        pairs = list(map(epochs.get, c.norad_id.tolist(), itertools.repeat(("", ""), n)))
        cells["epoch"] = [list(map(itemgetter(0), pairs))]
        cells["age_days"] = [list(map(itemgetter(1), pairs))]
    # one join for the chunk: the cells between literal commas (the empty ones among them)
    segments: list[Segment] = []
    for k, name in enumerate(csv_columns):
        segments.append("," if k else "")
        segments += cells.get(name, [""])
    segments.append("\n")
    return join_rows(_merged(segments), n)


def write_csv_rows(
    out: TextIO,
    c: PassColumns,
    csv_columns: tuple[str, ...],
    frequency_hz: float | None,
    epochs: Mapping[int, tuple[str, str]],
) -> None:
    """Write the passes' CSV rows, a chunk at a time."""
    for part in chunks(c):
        out.write(pass_csv_rows(part, csv_columns, frequency_hz, epochs))


def epoch_cells(satellites: Any) -> dict[int, tuple[str, str]]:
    """Map each NORAD number to its element set's ``epoch`` and ``age_days`` CSV cells (the
    last report of a number wins, as in `formats.to_csv`). The epochs and the ages are each
    written as one column (`utc_texts`, `rounded_texts`: ``repr(round(age, 3))``)."""
    if not satellites:
        return {}
    reports = map(attrgetter("norad_id", "epoch_utc", "age_days"), satellites)
    ids, epochs, ages = zip(*reports, strict=True)
    values = np.array(ages, dtype=float) if set(map(type, ages)) == {float} else None
    if values is not None and not np.isnan(values).any():
        age_texts = cast(list[str], rounded_texts(values, 3))
    else:  # an age that is not a float, or NaN: each as the records write it
        age_texts = [repr(round(age, 3)) for age in ages]
    return dict(zip(ids, zip(utc_texts(epochs), age_texts, strict=True), strict=True))
