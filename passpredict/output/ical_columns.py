"""Calendar events written straight from the pass columns, a chunk at a time.

`passpredict.output.ical` defines what an event looks like (`summary`, `description`,
`pass_uid`, built from `Pass` records); this module writes the same bytes from
`passpredict.products.columns.PassColumns` without building a record per pass, as
`passpredict.output.pass_output` does for JSON and CSV: times are formatted as arrays
(`numpy.datetime_as_string`), numbers by one ``%`` format mapped over a column, compass
names by an array lookup, UID buckets as arrays. Local times need the zone's offset and
abbreviation at each instant; `ZoneClock` asks the zone once per hour of UTC and only looks
at single instants in an hour that holds a transition (an hour with two transitions that
come back to the same offset and name would be missed; no zone of the tz database has one).

Text is escaped where it can need it (names, zone abbreviations), and the fixed words of
the templates are written escaped already (``\\,``, ``\\;``, ``\\n`` for the line breaks).
Escaping the pieces gives the escaped whole (`ical.escape_text`) because escaping works
character by character, but for CRLF, and no name is followed by a line feed of a template.

Measured (2026-12-02, a shared 2-core machine, CPU seconds, median of 4 alternated runs):
`passpredict passes` on the whole active catalogue x Baku x 1 day (71,585 events) takes
9.98 s with `--format ics` through the records, 5.92 s from the columns, 5.83 s with
`--format json`: 1.71x json before, 1.02x now (issue 11 asks for 1.5x at most).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TextIO

import numpy as np
from numpy.typing import NDArray

from passpredict.output.ical import (
    UID_BUCKET_S,
    coordinates_text,
    elements_line,
    escape_text,
    fold,
    is_utc,
    observer_line,
    sequence_number,
)
from passpredict.output.table_cells import COMPASS_POINTS, observer_zone
from passpredict.output.textarrays import fixed_texts
from passpredict.products.columns import PassColumns
from passpredict.products.radio import doppler_shift_hz
from passpredict.products.visibility import twilight_name
from passpredict.records import Observer

#: Events formatted at a time: enough to amortise the per-column calls, little memory.
CHUNK_ROWS = 4096

_US = 1_000_000
_HOUR_US = 3600 * _US
_NAT = np.iinfo(np.int64).min
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Characters of "YYYY-MM-DDTHH:MM:SS" kept for an RFC 5545 stamp "YYYYMMDDTHHMMSS".
_STAMP_CHARS = [0, 1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 14, 15, 17, 18]
# ... and for a UID bucket "YYYYMMDDTHHMM".
_BUCKET_CHARS = _STAMP_CHARS[:-2]
_COMPASS = np.array(COMPASS_POINTS, dtype=object)


def _iso_seconds(seconds: NDArray[np.int64]) -> NDArray[np.str_]:
    """Whole seconds since 1970 as "YYYY-MM-DDTHH:MM:SS" (an array of 19 characters each)."""
    return np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s").astype("U19")


def _pick(texts: NDArray[np.str_], chars: list[int]) -> list[str]:
    """The characters at `chars` of each text (all of one length), as a list of str."""
    width = texts.dtype.itemsize // 4
    picked = np.ascontiguousarray(texts.view("U1").reshape(-1, width)[:, chars])
    out: list[str] = picked.view(f"U{len(chars)}").ravel().tolist()
    return out


def stamps(us: NDArray[np.int64]) -> list[str]:
    """Microseconds since 1970 as RFC 5545 UTC stamps without the "Z" (cut to the second,
    as ``strftime`` is)."""
    return _pick(_iso_seconds(us // _US), _STAMP_CHARS)


def compass_names(azimuth_deg: NDArray[np.float64]) -> list[str]:
    """The 16-point compass name of each azimuth (`table_cells.compass`, half to even)."""
    index = np.rint(np.mod(azimuth_deg, 360.0) / 22.5).astype(np.int64) % 16
    names: list[str] = _COMPASS[index].tolist()
    return names


#: The ``%`` formats `formatted` looks up (`textarrays.fixed_texts`), and their digits.
_FIXED_SPECS = {"%.0f": 0, "%.1f": 1}


def formatted(spec: str, values: NDArray[np.float64]) -> list[str]:
    """Each value through the ``%`` format `spec` (as the f-strings of `ical` print it, a
    rounded zero without a sign);
    ``%.0f`` and ``%.1f`` looked up in tables (`fixed_texts`), 4x faster on a long column."""
    digits = _FIXED_SPECS.get(spec)
    if digits is not None:
        return fixed_texts(values, digits)
    # ``%`` has no ``z``: a value that rounds to zero is written without a sign (as `ical`)
    parts = re.fullmatch(r"%([+ ]?)(\.[0-9]+f)(.*)", spec)
    if parts is None:
        raise ValueError(f"formatted: a float format such as '%+.1f' is needed, got {spec!r}")
    sign, body, after = parts.groups()
    pattern = "{:" + sign + "z" + body + "}" + after.replace("{", "{{").replace("}", "}}")
    return list(map(pattern.format, np.asarray(values, dtype=float).tolist()))


class ZoneClock:
    """The "when" texts of `ical._when` for one zone: local time, abbreviation, UTC time.

    A zone's offset and abbreviation change at its transitions. They are looked up once per
    hour of UTC (at its first and last microsecond, cached across chunks); an hour whose two
    ends disagree holds a transition, and its instants are looked up one by one.
    """

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.utc_only = is_utc(zone)
        self._hours: dict[int, tuple[int, str] | None] = {}

    def _at(self, us: int) -> tuple[int, str]:
        local = (_EPOCH + timedelta(microseconds=us)).astimezone(self.zone)
        offset = local.utcoffset() or timedelta()
        return offset // timedelta(microseconds=1), escape_text(local.tzname() or "")

    def _hour(self, hour: int) -> tuple[int, str] | None:
        if hour not in self._hours:
            first, last = self._at(hour * _HOUR_US), self._at((hour + 1) * _HOUR_US - 1)
            self._hours[hour] = first if first == last else None
        return self._hours[hour]

    def texts(self, us: NDArray[np.int64]) -> list[str]:
        """The texts of times given as microseconds since 1970 (none of them NaT)."""
        utc_text = _iso_seconds(us // _US)
        if self.utc_only:
            return [s + " UTC" for s in _local(utc_text)]
        hours, where = np.unique(us // _HOUR_US, return_inverse=True)
        offsets = np.empty(hours.size, dtype=np.int64)
        names: list[str] = []
        exact: list[int] = []
        for k, hour in enumerate(hours.tolist()):
            known = self._hour(hour)
            offsets[k], name = known if known is not None else (0, "")
            names.append(name)
            if known is None:
                exact.append(k)
        offset_us = offsets[where]
        abbreviations = [names[k] for k in where.tolist()]
        if exact:
            for i in np.flatnonzero(np.isin(where, exact)).tolist():
                offset_us[i], abbreviations[i] = self._at(int(us[i]))
        local = _local(_iso_seconds((us + offset_us) // _US))
        clock = _pick(utc_text, _CLOCK)
        return list(map("%s %s (%s UTC)".__mod__, zip(local, abbreviations, clock, strict=True)))


#: "HH:MM:SS" of "YYYY-MM-DDTHH:MM:SS".
_CLOCK = list(range(11, 19))


def _local(texts: NDArray[np.str_]) -> list[str]:
    """Turn texts "YYYY-MM-DDTHH:MM:SS" into "YYYY-MM-DD HH:MM:SS"."""
    chars = texts.view("U1").reshape(-1, 19).copy()
    chars[:, 10] = " "
    out: list[str] = chars.view("U19").ravel().tolist()
    return out


def _when_texts(
    us: NDArray[np.int64], observers: list[str], clocks: Mapping[str, ZoneClock]
) -> NDArray[np.object_]:
    """The "when" text of each time (rows x kinds) for its row's observer; None at NaT."""
    out = np.full(us.shape, None, dtype=object)
    names = np.array(observers, dtype=object)
    for name in set(observers):
        rows = names == name
        block = us[rows]
        present = block != _NAT
        texts = np.full(block.shape, None, dtype=object)
        found = clocks[name].texts(block[present])
        texts[present] = found
        out[rows] = texts
    return out


def _times_us(c: PassColumns, seconds: NDArray[np.float64]) -> NDArray[np.int64]:
    times: NDArray[np.int64] = c.times_utc(seconds).view(np.int64)
    return times


class EventWriter:
    """Writes the events of complete passes from columns, chunk after chunk, keeping the UIDs
    already written (a repeated UID gets a "-2", "-3" ... suffix, as `ical.write_ics` does)."""

    def __init__(
        self,
        observers: Mapping[str, Observer],
        epochs: Mapping[int, datetime],
        stamp: str,
        frequency_hz: float | None,
        alarm_lines: Callable[[str], list[str]],
    ) -> None:
        self.observers = observers
        self.epochs = epochs
        self.stamp = stamp
        self.frequency_hz = frequency_hz
        self.alarm_lines = alarm_lines
        self.clocks = {name: ZoneClock(observer_zone(o, None)) for name, o in observers.items()}
        self.seen: dict[str, int] = {}
        self._texts: dict[str, str] = {}
        self._norad: dict[int, tuple[str, str]] = {}
        self._places: dict[str, tuple[str, str, str]] = {}

    def _escaped(self, names: list[str]) -> list[str]:
        cache = self._texts
        out = []
        for name in names:
            text = cache.get(name)
            if text is None:
                text = cache[name] = escape_text(name)
            out.append(text)
        return out

    def _per_norad(self, norad: int) -> tuple[str, str]:
        """The SEQUENCE number and the "Elements:" line (with its line break) of a satellite."""
        if norad not in self._norad:
            epoch = self.epochs.get(norad)
            line = "" if epoch is None else "\\n" + escape_text(elements_line(epoch))
            self._norad[norad] = (str(sequence_number(epoch)), line)
        return self._norad[norad]

    def _per_place(self, name: str) -> tuple[str, str, str]:
        """The UID's coordinates, the "Observer:" line, and the LOCATION and GEO lines."""
        if name not in self._places:
            o = self.observers[name]
            place = (
                fold(f"LOCATION:{escape_text(o.name)}")
                + f"\r\nGEO:{o.latitude_deg:.6f};{o.longitude_deg:.6f}"
            )
            self._places[name] = (coordinates_text(o), escape_text(observer_line(o)), place)
        return self._places[name]

    def write(self, out: TextIO, c: PassColumns, rows: NDArray[np.intp]) -> None:
        """Write the events of `c`'s rows `rows` (complete passes), in that order; the rows
        are taken a chunk at a time, so memory holds one chunk's copy and text."""
        for begin in range(0, rows.size, CHUNK_ROWS):
            out.write("".join(self._events(c.take(rows[begin : begin + CHUNK_ROWS]))))

    def _uids(self, c: PassColumns, norad: list[int], places: list[str]) -> list[str]:
        culmination_us = _times_us(c, c.culmination_s)
        buckets = np.rint(culmination_us / 1e6 / UID_BUCKET_S).astype(np.int64) * UID_BUCKET_S
        minutes = _pick(_iso_seconds(buckets), _BUCKET_CHARS)
        uids = list(map("%d-%s-%sZ@passpredict".__mod__, zip(norad, places, minutes, strict=True)))
        seen = self.seen
        for i, uid in enumerate(uids):
            count = seen[uid] = seen.get(uid, 0) + 1
            if count > 1:
                uids[i] = uid.replace("@", f"-{count}@", 1)
        return uids

    def _events(self, c: PassColumns) -> list[str]:
        n = len(c)
        norad = c.norad_id.tolist()
        observer_names = c.observer.tolist()
        satellites = self._escaped(c.satellite.tolist())
        per_norad = [self._per_norad(i) for i in norad]
        per_place = [self._per_place(name) for name in observer_names]
        uids = self._uids(c, norad, [p[0] for p in per_place])
        v = c.visibility
        kinds = [c.rise_s, c.culmination_s, c.set_s]
        if v is not None:
            kinds += [v.visible_s[:, 0], v.visible_s[:, 2], v.shadow_entry_s, v.shadow_exit_s]
        us = np.stack([_times_us(c, s) for s in kinds], axis=1)
        when = _when_texts(us, observer_names, self.clocks)
        rise_stamps, set_stamps = stamps(us[:, 0]), stamps(us[:, 2])

        summary = list(
            map(
                "%s: max %s° %s\\, %s to %s".__mod__,
                zip(
                    satellites,
                    formatted("%.0f", c.max_elevation_deg),
                    compass_names(c.points[:, 1, 0]),
                    compass_names(c.points[:, 0, 0]),
                    compass_names(c.points[:, 2, 0]),
                    strict=True,
                ),
            )
        )
        lines: list[list[str]] = [self._point_lines(c, k, when[:, k]) for k in range(3)]
        if v is not None:
            summary = self._visible_summary(c, summary)
            lines.append(self._visibility_lines(c, when))
        if self.frequency_hz is not None and c.range_rate_km_s is not None:
            lines.append(self._doppler_lines(c, self.frequency_hz))
        details = ["".join(parts) for parts in zip(*lines, strict=True)] if lines else [""] * n

        events = []
        for i in range(n):
            sequence, elements = per_norad[i]
            _, observer, place = per_place[i]
            text = summary[i]
            description = (
                f"DESCRIPTION:Satellite: {satellites[i]} (NORAD {norad[i]})\\n{observer}"
                f"{details[i]}{elements}\\nPredicted by passpredict\\; elevations are "
                "geometric (no refraction)."
            )
            lines_ = [
                "BEGIN:VEVENT",
                fold(f"UID:{uids[i]}"),
                f"DTSTAMP:{self.stamp}",
                f"SEQUENCE:{sequence}",
                f"DTSTART:{rise_stamps[i]}Z",
                f"DTEND:{set_stamps[i]}Z",
                fold(f"SUMMARY:{text}"),
                fold(description),
                place,
                "CATEGORIES:Satellite pass",
                "TRANSP:TRANSPARENT",
                *[fold(line) for line in self.alarm_lines(text)],
                "END:VEVENT\r\n",
            ]
            events.append("\r\n".join(lines_))
        return events

    def _point_lines(self, c: PassColumns, k: int, when: NDArray[np.object_]) -> list[str]:
        """Each row's line of point `k` (0 rise, 1 culmination, 2 set), after a line break."""
        label = ("Rise", "Culmination", "Set")[k]
        look = c.points[:, k]
        bearings = c.azimuth_magnetic_deg
        if bearings is None:
            bearing = [""] * len(c)
        else:
            finite = np.isfinite(bearings[:, k])
            bearing = [
                f" (compass {b})" if ok else ""
                for b, ok in zip(formatted("%.0f°", bearings[:, k]), finite.tolist(), strict=True)
            ]
        return list(
            map(
                (
                    "\\n" + label + ": %s\\, azimuth %s° %s%s\\, elevation %s°\\, range %s km"
                ).__mod__,
                zip(
                    when.tolist(),
                    formatted("%.0f", look[:, 0]),
                    compass_names(look[:, 0]),
                    bearing,
                    formatted("%.1f", look[:, 1]),
                    formatted("%.0f", look[:, 2]),
                    strict=True,
                ),
            )
        )

    def _visible_summary(self, c: PassColumns, summary: list[str]) -> list[str]:
        v = c.visibility
        assert v is not None
        seen = (v.visible & ~np.isnan(v.visible_s[:, 0])).tolist()
        magnitude = formatted("%+.1f", v.brightest_magnitude)
        known = np.isfinite(v.brightest_magnitude).tolist()
        return [
            text + (("\\, visible" + (f" (mag ~{m})" if ok else "")) if s else "")
            for text, s, m, ok in zip(summary, seen, magnitude, known, strict=True)
        ]

    def _visibility_lines(self, c: PassColumns, when: NDArray[np.object_]) -> list[str]:
        """The visibility lines of each row's description, each after a line break."""
        v = c.visibility
        assert v is not None
        seen_s = v.visible_s
        seen = (v.visible & ~np.isnan(seen_s).any(axis=1)).tolist()
        peak_el = formatted("%.0f", v.visible_points[:, 1, 1])
        peak_at = compass_names(np.nan_to_num(v.visible_points[:, 1, 0]))
        sunlit = v.sunlit.tolist()
        sun = formatted("%.1f", v.sun_elevation_deg)
        sky = escape_text(
            f" (dark sky: Sun below {v.twilight_deg:g}°, {twilight_name(v.twilight_deg)})"
        )
        bright = formatted("%+.1f", v.brightest_magnitude)
        bright_ok = np.isfinite(v.brightest_magnitude).tolist()
        mag = formatted("%+.1f", v.magnitude)
        mag_ok = np.isfinite(v.magnitude).tolist()
        starts, ends, entries, exits = (when[:, k].tolist() for k in (3, 4, 5, 6))
        out = []
        for i in range(len(c)):
            if seen[i]:
                text = f"\\nVisible: {starts[i]} to {ends[i]}\\, highest {peak_el[i]}° {peak_at[i]}"
            else:
                text = "\\nVisible: no" if sunlit[i] else "\\nVisible: no (in Earth's shadow)"
            if entries[i] is not None:
                text += f"\\nEnters Earth's shadow: {entries[i]}"
            if exits[i] is not None:
                text += f"\\nLeaves Earth's shadow: {exits[i]}"
            text += f"\\nSun at culmination: {sun[i]}°{sky}"
            if bright_ok[i]:
                text += f"\\nMagnitude (estimate\\, ±1): {bright[i]} at its brightest"
            elif mag_ok[i]:
                text += f"\\nMagnitude (estimate\\, ±1): {mag[i]} at culmination"
            out.append(text)
        return out

    def _doppler_lines(self, c: PassColumns, frequency_hz: float) -> list[str]:
        """Each row's "Doppler at F MHz:" line (escaped), after a line break."""
        assert c.range_rate_km_s is not None
        shifts = [
            formatted("%+.3f", doppler_shift_hz(c.range_rate_km_s[:, k], frequency_hz) / 1e3)
            for k in range(3)
        ]
        head = f"\\nDoppler at {frequency_hz / 1e6:g} MHz: "
        return [
            f"{head}rise {r} kHz\\, culmination {m} kHz\\, set {s} kHz"
            for r, m, s in zip(*shifts, strict=True)
        ]
