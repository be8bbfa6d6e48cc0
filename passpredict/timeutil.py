"""Time parsing and formatting at the edges: aware datetimes in, ISO 8601 UTC with Z out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


def require_aware(value: datetime, what: str = "time") -> datetime:
    """Return `value` in UTC; refuse a naive datetime, or what is no datetime at all (a date, a
    string, a numpy datetime64), with a message that shows the fix."""
    if not isinstance(value, datetime):
        kind = type(value).__name__
        article = "an" if kind[:1] in "aeiou" else "a"
        raise TypeError(
            f"{what} must be an aware datetime, got {article} {kind} {value!r}; give e.g. "
            "datetime(2026, 5, 31, tzinfo=UTC), or datetime.fromisoformat(text) for an ISO "
            "8601 text with an offset"
        )
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(
            f"{what} {value.isoformat()} has no time zone; give an offset, "
            f"e.g. {value.isoformat()}Z or {value.isoformat()}+04:00"
        )
    return value.astimezone(UTC)


def parse_instant(text: str, what: str = "time") -> datetime:
    """Parse an ISO 8601 date-time that carries an offset (``Z`` or ``+04:00``) to UTC.

    A bare date-time is refused: "10:00" means different instants in Baku and in UTC, and
    guessing is how pass times end up an hour off.
    """
    cleaned = text.strip()
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f"{what} {text!r} is not an ISO 8601 date-time; use e.g. 2026-11-25T18:00:00+04:00"
        ) from None
    return require_aware(parsed, what)


def format_utc(value: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC ending in Z, to the millisecond."""
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def load_zone(name: str) -> ZoneInfo:
    """Return the IANA time zone `name`, with a clear error for an unknown one."""
    # zoneinfo on first use: ~1.5 ms (sysconfig, the zone path) that every start would pay,
    # the engine's and a run without a zone's included (issue 11)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name such as Asia/Baku or UTC"
        ) from None


def add_seconds(base: datetime, seconds: float) -> datetime:
    """Return `base` moved by `seconds` (float), keeping microsecond resolution."""
    return base + timedelta(seconds=float(seconds))
