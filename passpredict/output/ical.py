"""Passes as an iCalendar file (RFC 5545): one event per pass, for any calendar program.

Importing the file again after the elements were refreshed must update the events, not add
duplicates, so each event's UID names the pass in a way that survives a refresh:

    <NORAD>-<latitude><longitude>-<culmination rounded to 30 minutes>@passpredict

Fresh elements move a pass by a fraction of a second to a few seconds (more for week-old
elements); a minimum-elevation change moves rise and set but not the culmination. Rounding the
culmination to the nearest half hour keeps the UID unless the culmination sits within those
seconds of a quarter past or quarter to the hour: a 5 s shift changes 0.3 % of the UIDs, where
rounding the rise to the minute would change 8 %. Passes of one satellite over one place are an
orbit apart (88 minutes or more), so two passes in one file share a UID only when a pass is
split by a dip below the threshold; the later one then gets a "-2" suffix. The observer is
named by its coordinates (to 0.001 deg, about 100 m), so renaming a place keeps the UIDs.

A pass cut by the window (in progress at its start or end) is left out: its culmination is
the window's edge, not the pass's, and would change when the window moves. `SEQUENCE` grows
with the element epoch, so calendar programs that compare it take the newer prediction.

The writer is our own, not the `icalendar` library's, for speed. The same events, built from
the same records (2026-12-02, in process, a shared machine): the whole active catalogue x
Baku x 1 day, 71,585 events, 27.7 s here and 83.1 s through `icalendar` (3.0x); 2,072
events, 0.27 s and 1.25 s (4.6x). Most of icalendar's time is its per-character line
folding. The 55 s more would put `--format ics` (now 1.46x json, issue 11) past 5x json
against a target of 1.5x.
A prediction that holds columns (`LazyPasses`: what `predict` and the command line give) is
written straight from them by `passpredict.output.ical_columns`, without a record per pass;
the functions here stay the definition of an event and the path for records, and
tests/test_ical_columns.py holds the two to the same bytes.
`icalendar` is the oracle instead: the tests parse every calendar back with it and compare
with the same events built by it (tests/test_ical.py). Content lines are folded at 75
octets, text escaped, CRLF line ends. Every line break in a text (CRLF, LF or a lone CR,
which some parsers also split at) is written as ``\n``, and other control characters are
dropped, so no name can end its line and forge properties or events.

All times are UTC (``...Z``), so no VTIMEZONE is needed: RFC 5545 3.6.5 asks for one per
TZID a file uses, and a UTC time uses none; every calendar program shows UTC times in its
user's zone. The VALARM (RFC 5545 3.6.6) is five fixed lines, its TRIGGER relative to the
start; the tests check it decodes as icalendar's own would.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TextIO

import numpy as np

from passpredict import __version__
from passpredict.output.table_cells import observer_zone
from passpredict.output.tables import compass
from passpredict.products.columns import LazyPasses, start_microseconds
from passpredict.products.predict import Prediction
from passpredict.products.radio import doppler_shift_hz
from passpredict.products.visibility import twilight_name
from passpredict.records import Observer, Pass, PassPoint
from passpredict.timeutil import require_aware

#: Width of the culmination buckets that name a pass in its UID.
UID_BUCKET_S = 1800
#: SEQUENCE counts minutes of element epoch from here.
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_FOLD_OCTETS = 75
# RFC 5545 TEXT allows no control character but HTAB (line breaks are escaped before this).
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def escape_text(value: str) -> str:
    """Escape an RFC 5545 TEXT value: backslash, semicolon, comma and line breaks.

    CRLF, LF and a lone CR each become ``\\n``; other control characters (HTAB aside) are
    dropped, as TEXT may not hold them.
    """
    escaped = (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )
    return _TEXT_CONTROLS.sub("", escaped)


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (UTF-8), never inside a character.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    if line.isascii():  # a character an octet: cut the text itself (most lines)
        if len(line) <= _FOLD_OCTETS:
            return line
        rest = _FOLD_OCTETS - 1
        cuts = range(_FOLD_OCTETS, len(line), rest)
        return "\r\n ".join([line[:_FOLD_OCTETS], *(line[c : c + rest] for c in cuts)])
    data = line.encode("utf-8")
    if len(data) <= _FOLD_OCTETS:
        return line
    pieces: list[bytes] = []
    begin, limit = 0, _FOLD_OCTETS
    while len(data) - begin > limit:
        cut = begin + limit
        while data[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        pieces.append(data[begin:cut])
        begin, limit = cut, _FOLD_OCTETS - 1
    pieces.append(data[begin:])
    return b"\r\n ".join(pieces).decode("utf-8")


def _stamp(value: datetime) -> str:
    return require_aware(value).strftime("%Y%m%dT%H%M%SZ")


def coordinates_text(observer: Observer) -> str:
    """The observer as its UID names it: latitude and longitude to 0.001 deg."""
    return f"{observer.latitude_deg:+.3f}{observer.longitude_deg:+.3f}"


def pass_uid(item: Pass, observer: Observer) -> str:
    """Return the UID naming this pass over this place (see the module docstring)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    seconds = (item.culmination.time_utc - epoch).total_seconds()
    bucket = epoch + timedelta(seconds=round(seconds / UID_BUCKET_S) * UID_BUCKET_S)
    return f"{item.norad_id}-{coordinates_text(observer)}-{bucket:%Y%m%dT%H%M}Z@passpredict"


def observer_line(observer: Observer) -> str:
    """The description's "Observer:" line (not escaped)."""
    return (
        f"Observer: {observer.name} ({observer.latitude_deg:z.4f}, {observer.longitude_deg:z.4f}, "
        f"{observer.elevation_m:zg} m)"
    )


def elements_line(epoch_utc: datetime) -> str:
    """The description's "Elements:" line (not escaped)."""
    return f"Elements: epoch {epoch_utc:%Y-%m-%d %H:%M} UTC"


def sequence_number(epoch_utc: datetime | None) -> int:
    """SEQUENCE: minutes of element epoch since 2020 (0 without an epoch)."""
    if epoch_utc is None:
        return 0
    return max(0, int((epoch_utc - _SEQUENCE_EPOCH).total_seconds() // 60))


def is_utc(zone: tzinfo) -> bool:
    """Whether `zone` is UTC itself, whose times the description gives once, not twice."""
    return zone is UTC or getattr(zone, "key", "") == "UTC"


def _when(value: datetime, zone: tzinfo) -> str:
    local = value.astimezone(zone)
    if is_utc(zone):
        return f"{local:%Y-%m-%d %H:%M:%S} UTC"
    return f"{local:%Y-%m-%d %H:%M:%S} {local:%Z} ({value.astimezone(UTC):%H:%M:%S} UTC)"


def _point_line(label: str, point: PassPoint, zone: tzinfo) -> str:
    """One pass point; with compass bearings (`passes --magnetic`) the magnetic azimuth follows
    the true one, so a calendar read in the field points a compass the same way the table does."""
    magnetic = point.azimuth_magnetic_deg
    bearing = "" if magnetic is None else f" (compass {magnetic:.0f}°)"
    return (
        f"{label}: {_when(point.time_utc, zone)}, azimuth {point.azimuth_deg:.0f}° "
        f"{compass(point.azimuth_deg)}{bearing}, elevation {point.elevation_deg:z.1f}°, "
        f"range {point.range_km:.0f} km"
    )


def summary(item: Pass) -> str:
    """Return the event title: satellite, highest elevation and where, rise and set directions."""
    where = compass(item.culmination.azimuth_deg)
    text = f"{item.satellite}: max {item.max_elevation_deg:z.0f}° {where}"
    if item.rise is not None and item.set is not None:
        text += f", {compass(item.rise.azimuth_deg)} to {compass(item.set.azimuth_deg)}"
    v = item.visibility
    if v is not None and v.visible:
        text += ", visible"
        if v.brightest_magnitude is not None:
            text += f" (mag ~{v.brightest_magnitude:+z.1f})"
    return text


def description(
    item: Pass, observer: Observer, epoch_utc: datetime | None, frequency_hz: float | None
) -> str:
    """Return the event's details, one per line, in the observer's time zone and in UTC."""
    zone = observer_zone(observer, None)  # the observer's zone, else UTC
    lines = [f"Satellite: {item.satellite} (NORAD {item.norad_id})", observer_line(observer)]
    for label, point in (("Rise", item.rise), ("Culmination", item.culmination), ("Set", item.set)):
        if point is not None:
            lines.append(_point_line(label, point, zone))
    v = item.visibility
    if v is not None:
        sky = twilight_name(v.twilight_deg)
        if v.visible_start is not None and v.visible_end is not None and v.visible_peak:
            lines.append(
                f"Visible: {_when(v.visible_start.time_utc, zone)} to "
                f"{_when(v.visible_end.time_utc, zone)}, highest "
                f"{v.visible_peak.elevation_deg:z.0f}° {compass(v.visible_peak.azimuth_deg)}"
            )
        else:
            lines.append("Visible: no" + ("" if v.sunlit else " (in Earth's shadow)"))
        if v.shadow_entry_utc is not None:
            lines.append(f"Enters Earth's shadow: {_when(v.shadow_entry_utc, zone)}")
        if v.shadow_exit_utc is not None:
            lines.append(f"Leaves Earth's shadow: {_when(v.shadow_exit_utc, zone)}")
        lines.append(
            f"Sun at culmination: {v.sun_elevation_deg:z.1f}° (dark sky: Sun below "
            f"{v.twilight_deg:g}°, {sky})"
        )
        if v.brightest_magnitude is not None:
            lines.append(
                f"Magnitude (estimate, ±1): {v.brightest_magnitude:+z.1f} at its brightest"
            )
        elif v.magnitude is not None:
            lines.append(f"Magnitude (estimate, ±1): {v.magnitude:+z.1f} at culmination")
    if frequency_hz is not None:
        shifts = []
        for label, point in (
            ("rise", item.rise),
            ("culmination", item.culmination),
            ("set", item.set),
        ):
            if point is not None and point.range_rate_km_s is not None:
                shift = float(doppler_shift_hz(point.range_rate_km_s, frequency_hz))
                shifts.append(f"{label} {shift / 1e3:+z.3f} kHz")
        if shifts:
            lines.append(f"Doppler at {frequency_hz / 1e6:g} MHz: " + ", ".join(shifts))
    if epoch_utc is not None:
        lines.append(elements_line(epoch_utc))
    lines.append("Predicted by passpredict; elevations are geometric (no refraction).")
    return "\n".join(lines)


def complete_passes(prediction: Prediction) -> list[Pass]:
    """Return the passes that fit a calendar: those with both a rise and a set in the window
    (`Prediction.complete_only`)."""
    return list(prediction.complete_only().passes)


def to_ics(
    prediction: Prediction,
    generated_utc: datetime,
    frequency_hz: float | None = None,
    alarm_before: timedelta | None = None,
) -> str:
    """Return the prediction's complete passes as an iCalendar file (text with CRLF lines).

    `generated_utc` becomes every event's DTSTAMP (the library reads no clock).
    `alarm_before` adds to each event a reminder (VALARM, DISPLAY) that long before the rise.
    """
    buffer = io.StringIO()
    write_ics(buffer, prediction, generated_utc, frequency_hz, alarm_before)
    return buffer.getvalue()


def count_complete_passes(prediction: Prediction) -> int:
    """How many passes `complete_passes` keeps, from the columns when the prediction holds
    them (no records built)."""
    if isinstance(prediction.passes, LazyPasses):
        return int(np.count_nonzero(prediction.passes.columns.complete()))
    return len(complete_passes(prediction))


def _write_column_events(
    out: TextIO,
    prediction: Prediction,
    stamp: str,
    frequency_hz: float | None,
    alarm_before: timedelta | None,
) -> None:
    """Write the events of a prediction that holds columns, straight from them
    (`passpredict.output.ical_columns`: the same bytes as the records give, faster)."""
    from passpredict.output.ical_columns import EventWriter

    assert isinstance(prediction.passes, LazyPasses)
    c = prediction.passes.columns
    rows = np.flatnonzero(~(np.isnan(c.rise_s) | np.isnan(c.set_s)))
    # by start, ties in row order, as the records are sorted (the command line's merge has
    # them in start order already)
    rows = rows[np.argsort(start_microseconds(c)[rows], kind="stable")]
    writer = EventWriter(
        {o.name: o for o in prediction.observers},
        {s.norad_id: s.epoch_utc for s in prediction.satellites},
        stamp,
        frequency_hz,
        lambda text: alarm_lines(alarm_before, text),
    )
    writer.write(out, c, rows)


def write_ics(
    out: TextIO,
    prediction: Prediction,
    generated_utc: datetime,
    frequency_hz: float | None = None,
    alarm_before: timedelta | None = None,
) -> None:
    """Write `to_ics`'s text, an event at a time (memory holds one event, not the file)."""
    stamp = _stamp(generated_utc)
    observers = {o.name: o for o in prediction.observers}
    epochs = {s.norad_id: s.epoch_utc for s in prediction.satellites}
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//passpredict//passpredict {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Satellite passes",
    ]
    out.write("".join(fold(line) + "\r\n" for line in head))
    if isinstance(prediction.passes, LazyPasses):
        _write_column_events(out, prediction, stamp, frequency_hz, alarm_before)
        out.write("END:VCALENDAR\r\n")
        return
    seen: dict[str, int] = {}
    for item in sorted(complete_passes(prediction), key=lambda p: p.start_utc):
        rise, set_ = item.rise, item.set
        if rise is None or set_ is None:  # complete_passes() keeps none of these
            continue
        observer = observers[item.observer]
        uid = pass_uid(item, observer)
        seen[uid] = seen.get(uid, 0) + 1
        if seen[uid] > 1:
            uid = uid.replace("@", f"-{seen[uid]}@", 1)
        epoch = epochs.get(item.norad_id)
        sequence = sequence_number(epoch)
        lines = [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{sequence}",
            f"DTSTART:{_stamp(rise.time_utc)}",
            f"DTEND:{_stamp(set_.time_utc)}",
            f"SUMMARY:{escape_text(summary(item))}",
            f"DESCRIPTION:{escape_text(description(item, observer, epoch, frequency_hz))}",
            f"LOCATION:{escape_text(observer.name)}",
            f"GEO:{observer.latitude_deg:.6f};{observer.longitude_deg:.6f}",
            "CATEGORIES:Satellite pass",
            "TRANSP:TRANSPARENT",
            *_alarm(alarm_before, summary(item)),
            "END:VEVENT",
        ]
        out.write("".join(fold(line) + "\r\n" for line in lines))
    out.write("END:VCALENDAR\r\n")


def _alarm(before: timedelta | None, text: str) -> list[str]:
    """A VALARM reminding `before` the event's start (RFC 5545 3.6.6), or nothing."""
    return alarm_lines(before, escape_text(text))


def alarm_lines(before: timedelta | None, escaped_text: str) -> list[str]:
    """`_alarm`'s lines (not folded) for a summary already escaped."""
    if before is None:
        return []
    seconds = max(0, round(before.total_seconds()))
    trigger = f"-PT{seconds // 60}M" if seconds % 60 == 0 else f"-PT{seconds}S"
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escaped_text}",
        f"TRIGGER:{trigger}",
        "END:VALARM",
    ]
