"""Sun outages as an iCalendar file (RFC 5545): one event per day, for a link operator's calendar.

Each day of an outage season is one event from the outage's start to its end. Importing the
file again after fresher elements (which move an outage by seconds) must update the events,
not duplicate them, so a UID names the outage by what does not move:

    <NORAD>-<latitude><longitude>-sun-outage-<date>@passpredict

where the date is the observer's local *solar* date of the peak (UTC plus the longitude / 15
hours). An outage happens while the Sun stands behind a geostationary satellite, so within
about six hours of local solar noon wherever the observer is: its solar date never straddles a
midnight, however the seconds move. The observer is named by its coordinates (0.001 deg), so
renaming a place keeps the UIDs. `SEQUENCE` grows with the element epoch, as for passes.

Text is escaped and lines folded by the writer of `passpredict.output.ical` (whose docstring
says why it is ours and not `icalendar`'s: several times faster); times are UTC, so no
VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from passpredict import __version__
from passpredict.output.ical import escape_text, fold
from passpredict.output.tables import compass
from passpredict.products.geo.sun_outages import SunOutage
from passpredict.records import Observer
from passpredict.timeutil import format_utc

_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def solar_date(when_utc: datetime, longitude_deg: float) -> str:
    """Return the local mean solar date (YYYYMMDD) at a longitude: UTC + longitude / 15 h."""
    return f"{when_utc.astimezone(UTC) + timedelta(hours=longitude_deg / 15.0):%Y%m%d}"


def outage_uid(outage: SunOutage, observer: Observer) -> str:
    """Return the UID of one day's outage (module docstring)."""
    where = f"{observer.latitude_deg:+.3f}{observer.longitude_deg:+.3f}"
    day = solar_date(outage.peak_utc, observer.longitude_deg)
    return f"{outage.norad_id}-{where}-sun-outage-{day}@passpredict"


def description(outage: SunOutage, epoch_utc: datetime | None) -> str:
    """Return the event's text: peak, least separation, threshold, pointing, elements."""
    lines = [
        f"Sun behind {outage.satellite} (NORAD {outage.norad_id}) seen from {outage.observer}.",
        f"Start {format_utc(outage.start_utc)}, peak {format_utc(outage.peak_utc)}, "
        f"end {format_utc(outage.end_utc)} ({outage.duration_s / 60:.1f} min).",
        f"Least separation {outage.min_separation_deg:.2f} deg "
        f"(outage while below {outage.threshold_deg:.2f} deg).",
        f"Dish pointing: azimuth {outage.azimuth_deg:.2f} deg {compass(outage.azimuth_deg)}, "
        f"elevation {outage.elevation_deg:z.2f} deg.",
    ]
    if epoch_utc is not None:
        lines.append(f"Elements of {format_utc(epoch_utc)}.")
    if outage.station_kept:
        lines.append("Held at station: far from the element epoch (see passpredict geo).")
    return "\n".join(lines)


def outages_to_ics(
    outages: Sequence[SunOutage],
    observers: Sequence[Observer],
    generated_utc: datetime,
    epochs_utc: dict[int, datetime] | None = None,
) -> str:
    """Return sun outages as an iCalendar file (text with CRLF lines), one event per outage.

    `observers` are looked up by the outages' observer names; `epochs_utc` (NORAD -> element
    epoch) sets each event's SEQUENCE; `generated_utc` is every event's DTSTAMP (the library
    reads no clock).
    """
    by_name = {o.name: o for o in observers}
    epochs = epochs_utc or {}
    stamp = _stamp(generated_utc)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//passpredict//passpredict {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Sun outages",
    ]
    for outage in sorted(outages, key=lambda o: (o.start_utc, o.norad_id)):
        observer = by_name[outage.observer]
        epoch = epochs.get(outage.norad_id)
        sequence = (
            0 if epoch is None else max(0, int((epoch - _SEQUENCE_EPOCH).total_seconds() // 60))
        )
        summary = (
            f"Sun outage: {outage.satellite} ({outage.duration_s / 60:.0f} min, "
            f"{outage.min_separation_deg:.2f}°)"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{outage_uid(outage, observer)}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{sequence}",
            f"DTSTART:{_stamp(outage.start_utc)}",
            f"DTEND:{_stamp(outage.end_utc)}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(description(outage, epoch))}",
            f"LOCATION:{escape_text(observer.name)}",
            f"GEO:{observer.latitude_deg:.6f};{observer.longitude_deg:.6f}",
            "CATEGORIES:Sun outage",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
