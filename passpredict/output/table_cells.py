"""The cells of the human tables: times, durations, compass points, places, visibility.

Times are printed in a display zone (`observer_zone`) and rounded to the second; durations are
the difference of printed times, so a table always agrees with itself. `passpredict.output.tables`
and `passpredict.output.track_table` draw the tables from these.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from passpredict.products.radio import doppler_shift_hz
from passpredict.records import Observer, Pass, PassPoint

COMPASS_POINTS = (
    "N",
    "NNE",
    "NE",
    "ENE",
    "E",
    "ESE",
    "SE",
    "SSE",
    "S",
    "SSW",
    "SW",
    "WSW",
    "W",
    "WNW",
    "NW",
    "NNW",
)


def compass(azimuth_deg: float) -> str:
    """Return the 16-point compass direction of an azimuth (0 = north, 90 = east)."""
    return COMPASS_POINTS[round(azimuth_deg % 360.0 / 22.5) % 16]


def observer_zone(observer: Observer, override: tzinfo | None) -> tzinfo:
    """Return the display zone: the override, else the observer's own zone, else UTC."""
    if override is not None:
        return override
    return ZoneInfo(observer.timezone or "UTC")


def offset_text(zone: tzinfo, start_utc: datetime, end_utc: datetime) -> str:
    """Return the zone's UTC offset over a window, e.g. "UTC+04:00"; across a clock change
    (summer time), both: "UTC+01:00 at the window start, UTC+00:00 at its end"."""
    first, last = (t.astimezone(zone).strftime("%z") for t in (start_utc, end_utc))
    text = f"UTC{first[:3]}:{first[3:]}"
    if last == first:
        return text
    return f"{text} at the window start, UTC{last[:3]}:{last[3:]} at its end"


def round_to_second(value: datetime) -> datetime:
    """Return `value` rounded to the nearest second (half a second rounds up).

    Tables print whole seconds: a rise at 09:19:57.6 prints 09:19:58, not 09:19:57.
    """
    return (value + _HALF_SECOND).replace(microsecond=0)


_HALF_SECOND = timedelta(microseconds=500_000)


def time_text(value: datetime, zone: tzinfo, with_date: bool) -> str:
    """A time in `zone`, to the second (``Wed 02 Dec 15:04:05`` with the date)."""
    local = round_to_second(value).astimezone(zone)
    return local.strftime("%a %d %b %H:%M:%S") if with_date else _clock_text(local)


def _clock_text(whole_second: datetime) -> str:
    """``HH:MM:SS`` of a time with no microseconds: ``strftime("%H:%M:%S")``'s text from
    `time.isoformat` (a fifth of its cost; a table of a day's catalogue prints 300,000)."""
    return whole_second.time().isoformat()


def format_duration(seconds: float) -> str:
    """Return a duration as ``9m21s`` or, from an hour, ``1h07m29s`` (whole seconds)."""
    whole = round(seconds)
    if whole >= 3600:
        return f"{whole // 3600}h{whole % 3600 // 60:02d}m{whole % 60:02d}s"
    return f"{whole // 60}m{whole % 60:02d}s"


def printed_duration(start_utc: datetime, end_utc: datetime) -> str:
    """Return the duration between two table times as printed (each rounded to the second).

    The difference of the rounded times, not the rounded difference, so that a table's
    durations always agree with its own start and end columns (JSON keeps exact values).
    """
    return format_duration((round_to_second(end_utc) - round_to_second(start_utc)).total_seconds())


def format_age_days(age_days: float) -> str:
    """Return an age in days to 0.1, never ``-0.0``."""
    return f"{round(age_days, 1) + 0.0:.1f}"


def point_text(point: PassPoint, zone: tzinfo, with_date: bool = False) -> str:
    """A pass point as its time and compass direction (``09:19:58 NNE``)."""
    return f"{time_text(point.time_utc, zone, with_date)} {compass(point.azimuth_deg):>3}"


def rise_texts(p: Pass, zone: tzinfo) -> tuple[date, str, str]:
    """A pass's local start date and its Rise cell with and without the date.

    As `point_text` of the rise (``(in progress)`` without one, after the start's date and
    time), from one conversion of the start time for the three: the pass table makes them
    for every pass.
    """
    local = round_to_second(p.start_utc).astimezone(zone)
    dated = local.strftime("%a %d %b %H:%M:%S")
    if p.rise is None:
        return local.date(), f"{dated} (in progress)", "(in progress)"
    where = f" {compass(p.rise.azimuth_deg):>3}"
    return local.date(), dated + where, _clock_text(local) + where


def place_text(observer: Observer) -> str:
    """Where an observer is, in brackets (its coordinates unless its name is them)."""
    lat = f"{abs(observer.latitude_deg):.4f}{'N' if observer.latitude_deg >= 0 else 'S'}"
    lon = f"{abs(observer.longitude_deg):.4f}{'E' if observer.longitude_deg >= 0 else 'W'}"
    where = f"{lat} {lon}, {observer.elevation_m:g} m"
    return f"({where})" if observer.name != f"{lat} {lon}" else f"({observer.elevation_m:g} m)"


#: Marks a pass with a visible part in the table.
VISIBLE_MARK = "★"


def visible_cell(p: Pass, zone: tzinfo) -> str:
    """Say when a pass can be seen, or why not."""
    v = p.visibility
    if v is None:
        return ""
    if v.visible_start is not None and v.visible_end is not None:
        whole = v.visible_start.time_utc == p.start_utc and (
            p.set is not None and v.visible_end.time_utc == p.set.time_utc
        )
        if whole:
            return f"{VISIBLE_MARK} whole pass"
        return (
            f"{VISIBLE_MARK} {time_text(v.visible_start.time_utc, zone, False)}-"
            f"{time_text(v.visible_end.time_utc, zone, False)}"
        )
    return f"- {hidden_reason(p)}"


#: Why a pass cannot be seen, in `hidden_reason`'s order of tests: never sunlit, the Sun up,
#: the Sun between the horizon and the twilight altitude.
HIDDEN_REASONS = ("in shadow", "daylight", "twilight")


def hidden_reason(p: Pass) -> str:
    """Why a pass with visibility data cannot be seen: shadow, daylight or twilight."""
    v = p.visibility
    assert v is not None
    if not v.sunlit:
        return HIDDEN_REASONS[0]
    if v.sun_elevation_deg > 0.0:
        return HIDDEN_REASONS[1]
    return HIDDEN_REASONS[2]


def magnitude_cell(p: Pass) -> str:
    """The brightest magnitude of a visible pass (``~+2.3``), else empty."""
    v = p.visibility
    if v is None:
        return ""
    value = v.brightest_magnitude if v.visible else None
    return "" if value is None else f"~{value:+z.1f}"


def doppler_cell(p: Pass, frequency_hz: float) -> str:
    """The Doppler shifts in kHz at rise, culmination and set (``-`` where none)."""
    shifts = []
    for point in (p.rise, p.culmination, p.set):
        if point is None or point.range_rate_km_s is None:
            shifts.append("-")
        else:
            shift_hz = float(doppler_shift_hz(point.range_rate_km_s, frequency_hz))
            shifts.append(f"{round(shift_hz / 1e3, 2) + 0.0:+.2f}")  # never -0.00
    return " ".join(shifts)


def pass_detail(
    visible: str,
    magnitude: str,
    doppler: str | None,
    error: str = "",
    compass: str | None = None,
) -> list[str]:
    """The extra columns of a pass as one line of text, for the narrow layout: from its cells
    (`visible_cell`, `magnitude_cell`, ...; `doppler` and `compass` None when not shown)."""
    parts = []
    if visible.startswith(VISIBLE_MARK):
        rest = visible[len(VISIBLE_MARK) :].strip()
        parts.append(
            f"{VISIBLE_MARK} visible, {rest}"
            if rest == "whole pass"
            else f"{VISIBLE_MARK} visible {rest}"
        )
    elif visible:  # "- in shadow": the reason after the dash (`visible_cell`)
        parts.append(f"not visible ({visible[2:]})")
    if magnitude:
        parts.append(f"mag {magnitude}")
    if doppler is not None:
        parts.append(f"Doppler {doppler} kHz")
    if compass is not None:
        parts.append(f"compass {compass}")
    if error:
        parts.append(f"times {error}")
    return parts
