"""The texts of the pass table made from a prediction's columns, a slice at a time.

The same texts as the record cells of `passpredict.output.table_cells` and
`passpredict.output.pass_cells` make from one `Pass` at a time (a test holds the two to each
other), without building the records: a day's catalogue has 72,000 passes, and building a
`Pass` with its points and visibility, then rounding and converting each of its times on its
own, took about half of the table's cost (issue 11).

Times are handled as integers: microseconds since the Unix epoch as the records hold them
(`column_values.datetimes_since` rounds seconds since the window start to the microsecond),
then whole seconds as `table_cells.round_to_second` rounds them (half a second up), then local
seconds by the zone's offset, found once per minute of the times (and second by second in a
minute where the offset changes). The texts of a clock time or a date are made once per
distinct value and looked up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from passpredict.output.pass_cells import SHOWN_UNCERTAINTY_S
from passpredict.output.table_cells import (
    COMPASS_POINTS,
    HIDDEN_REASONS,
    VISIBLE_MARK,
    format_duration,
)
from passpredict.output.terminal import clean
from passpredict.products.columns import PassColumns
from passpredict.products.radio import doppler_shift_hz
from passpredict.products.visibility_columns import VisibilityColumns

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
#: The compass points right-aligned to three characters, as `table_cells.point_text` prints them.
_COMPASS_TEXTS = np.array([f"{c:>3}" for c in COMPASS_POINTS], dtype=object)
#: The Visible cell of a pass that cannot be seen (`table_cells.hidden_reason`).
_HIDDEN = np.array([f"- {reason}" for reason in HIDDEN_REASONS], dtype=object)


class PassTexts(NamedTuple):
    """The table texts of a slice of passes, one list per kind (see `pass_texts`): the local
    date of each pass's start, then its cells in the pass table's order."""

    days: list[date]
    satellite: list[str]
    rise_dated: list[str]
    rise_plain: list[str]
    culmination: list[str]
    max_elevation: list[str]
    set: list[str]
    duration: list[str]
    visible: list[str]
    magnitude: list[str]
    doppler: list[str]
    compass: list[str]
    error: list[str]

    def cells(self) -> list[list[str]]:
        """The cell texts from Satellite to Times ±, in the pass table's order."""
        return list(self[1:])


def pass_texts(
    columns: PassColumns,
    zone: tzinfo,
    seeing: bool,
    frequency_hz: float | None,
    magnetic: bool,
) -> PassTexts:
    """Return the table texts of every pass of `columns` (one observer's, in order).

    `days` are the local dates of the passes' starts (the day headings); the other lists are
    the cells, as `pass_table.passes_lines` makes them from records. Doppler and Compass are
    empty lists unless asked for (`frequency_hz`, `magnetic`); Visible and Mag are empty texts
    unless `seeing`.
    """
    n = len(columns)
    start_us = _epoch_us(columns.window_start_utc)
    start_s = columns.start_s
    moments = {
        "start": start_s,
        "rise": columns.rise_s,
        "culmination": columns.culmination_s,
        "set": columns.set_s,
    }
    v = columns.visibility if seeing else None
    if v is not None:
        moments["visible start"] = v.visible_s[:, 0]
        moments["visible end"] = v.visible_s[:, 2]
    us = {name: _microseconds(start_us, s) for name, s in moments.items()}
    absent = {name: np.isnan(s) for name, s in moments.items()}
    whole = {name: (u + 500_000) // 1_000_000 for name, u in us.items()}
    local = _local_seconds(np.concatenate(list(whole.values())), zone)
    local_of = dict(zip(whole, np.split(local, len(whole)), strict=True))
    clock = _clock_texts(np.concatenate(list(local_of.values())) % 86_400)
    clock_of = dict(zip(whole, np.split(clock, len(whole)), strict=True))
    start_day = local_of["start"] // 86_400
    day_numbers, day_index = np.unique(start_day, return_inverse=True)
    dates = [date.fromordinal(int(d) + _EPOCH_ORDINAL) for d in day_numbers.tolist()]
    day_texts = np.array([d.strftime("%a %d %b") for d in dates], dtype=object)
    compass = _COMPASS_TEXTS[_compass_index(columns.points[:, :, 0])]

    def point_texts(name: str, k: int) -> NDArray[np.object_]:
        texts: NDArray[np.object_] = clock_of[name] + " " + compass[:, k]
        return texts

    dated = day_texts[day_index] + " " + clock_of["start"]
    no_rise = absent["rise"]
    rise_dated = np.where(no_rise, dated + " (in progress)", dated + " " + compass[:, 0])
    rise_plain = np.where(no_rise, "(in progress)", point_texts("start", 0))
    set_texts = np.where(absent["set"], "(after window)", point_texts("set", 2))
    lasting = whole["set"] - whole["rise"]
    duration = [
        "" if gone else format_duration(d)
        for gone, d in zip((no_rise | absent["set"]).tolist(), lasting.tolist(), strict=True)
    ]
    visible, magnitude = (
        _visibility_texts(columns, v, us, absent, clock_of) if seeing else ([""] * n,) * 2
    )
    return PassTexts(
        days=np.array(dates, dtype=object)[day_index].tolist(),
        satellite=[clean(name) for name in columns.satellite.tolist()],
        rise_dated=rise_dated.tolist(),
        rise_plain=rise_plain.tolist(),
        culmination=point_texts("culmination", 1).tolist(),
        max_elevation=[f"{x:z.1f}°" for x in columns.max_elevation_deg.tolist()],
        set=set_texts.tolist(),
        duration=duration,
        visible=visible,
        magnitude=magnitude,
        doppler=[] if frequency_hz is None else _doppler_texts(columns, frequency_hz),
        compass=_compass_texts(columns) if magnetic else [],
        error=_error_texts(columns),
    )


def _epoch_us(when: datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime, exactly."""
    return (when - _EPOCH) // _MICROSECOND


def _microseconds(start_us: int, seconds: NDArray[np.float64]) -> NDArray[np.int64]:
    """Seconds since the window start as microseconds since the epoch, rounded as the records
    round them (`column_values.datetimes_since`); 0 s where NaN (the caller masks those)."""
    s = np.where(np.isnan(seconds), 0.0, seconds)
    return start_us + np.round(s * 1e6).astype(np.int64)


def _local_seconds(utc_s: NDArray[np.int64], zone: tzinfo) -> NDArray[np.int64]:
    """Whole UTC seconds since the epoch as local seconds in `zone` (its wall clock, as
    `datetime.astimezone` gives it, counted from the epoch).

    The zone's offset is asked once per minute of the times, at its first and last second;
    where the two differ (the minute of a change), it is asked for each time of that minute.
    """
    minutes, index = np.unique(utc_s // 60, return_inverse=True)
    first = np.array([_offset_s(60 * m, zone) for m in minutes.tolist()], dtype=np.int64)
    last = np.array([_offset_s(60 * m + 59, zone) for m in minutes.tolist()], dtype=np.int64)
    offsets = first[index]
    changing = (first != last)[index]
    if changing.any():
        offsets[changing] = [_offset_s(t, zone) for t in utc_s[changing].tolist()]
    return utc_s + offsets


def _offset_s(utc_s: int, zone: tzinfo) -> int:
    """The offset of `zone` from UTC at an instant, in whole seconds."""
    offset = datetime.fromtimestamp(utc_s, zone).utcoffset()
    return 0 if offset is None else offset // timedelta(seconds=1)


def _clock_texts(second_of_day: NDArray[np.int64]) -> NDArray[np.object_]:
    """``HH:MM:SS`` of each second of the day, made once per distinct value."""
    values, index = np.unique(second_of_day, return_inverse=True)
    texts = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in values.tolist()]
    return np.array(texts, dtype=object)[index]


def _compass_index(azimuth_deg: NDArray[np.float64]) -> NDArray[np.intp]:
    """`table_cells.compass`'s point for each azimuth, as an index into `COMPASS_POINTS`
    (np.mod and np.rint are Python's % and round on floats: the same halves to even); 0
    where NaN (an absent point, whose text the caller does not use)."""
    steps = np.rint(np.mod(azimuth_deg, 360.0) / 22.5)
    return np.where(np.isnan(steps), 0, steps).astype(np.intp) % 16


def _visibility_texts(
    columns: PassColumns,
    v: VisibilityColumns | None,
    us: dict[str, NDArray[np.int64]],
    absent: dict[str, NDArray[np.bool_]],
    clock_of: dict[str, NDArray[np.object_]],
) -> tuple[list[str], list[str]]:
    """The Visible and Mag cells (`table_cells.visible_cell`, `magnitude_cell`)."""
    n = len(columns)
    if v is None:
        return [""] * n, [""] * n
    seen = v.visible & ~absent["visible start"]
    both = seen & ~absent["visible end"]
    whole = (
        both
        & (us["visible start"] == us["start"])
        & ~absent["set"]
        & (us["visible end"] == us["set"])
    )
    span = f"{VISIBLE_MARK} " + clock_of["visible start"] + "-" + clock_of["visible end"]
    reason = np.where(
        ~v.sunlit, "- in shadow", np.where(v.sun_elevation_deg > 0.0, "- daylight", "- twilight")
    )
    visible = np.where(whole, f"{VISIBLE_MARK} whole pass", np.where(both, span, reason))
    brightest = v.brightest_magnitude
    shown = seen & np.isfinite(brightest)
    magnitude = [
        f"~{m:+z.1f}" if on else ""
        for on, m in zip(shown.tolist(), brightest.tolist(), strict=True)
    ]
    return visible.tolist(), magnitude


def _point_numbers(
    columns: PassColumns, values: NDArray[np.float64], text: Callable[[float], str]
) -> list[str]:
    """Three texts a pass, at rise, culmination and set, joined by spaces; ``-`` where the
    point is absent."""
    times = np.stack([columns.rise_s, columns.culmination_s, columns.set_s], axis=1)
    shown = ~np.isnan(times)
    return [
        " ".join([text(x) if on else "-" for on, x in zip(ons, xs, strict=True)])
        for ons, xs in zip(shown.tolist(), values.tolist(), strict=True)
    ]


def _doppler_texts(columns: PassColumns, frequency_hz: float) -> list[str]:
    """The Doppler cells (`table_cells.doppler_cell`): kHz at rise, culmination and set."""
    if columns.range_rate_km_s is None:
        return ["- - -"] * len(columns)
    shifts_hz = doppler_shift_hz(columns.range_rate_km_s, frequency_hz)
    return _point_numbers(columns, shifts_hz, lambda x: f"{round(x / 1e3, 2) + 0.0:+.2f}")


def _compass_texts(columns: PassColumns) -> list[str]:
    """The Compass cells (`pass_cells.compass_cell`): magnetic azimuths at the three points,
    ``-`` where there is none."""
    bearings = columns.azimuth_magnetic_deg
    if bearings is None:
        return ["- - -"] * len(columns)
    return _point_numbers(columns, bearings, lambda x: f"{x:.0f}°" if math.isfinite(x) else "-")


def _error_texts(columns: PassColumns) -> list[str]:
    """The Times ± cells (`pass_cells.uncertainty_cell`): shown beyond a second."""
    if columns.time_uncertainty_s is None:
        return [""] * len(columns)
    return [
        f"±{x:,.0f} s" if x > SHOWN_UNCERTAINTY_S and x != np.inf else ""
        for x in columns.time_uncertainty_s.tolist()
    ]
