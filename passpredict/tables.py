"""Human output of a prediction: rich tables per observer, in the observer's local time."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

import numpy as np
from rich.console import Console
from rich.table import Table

from passpredict.predict import Prediction
from passpredict.radio import doppler_shift_hz
from passpredict.records import GeoLook, Observer, Pass, PassPoint
from passpredict.track import Track
from passpredict.visibility import TWILIGHT_DEG, twilight_name

_COMPASS = (
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
    return _COMPASS[round(azimuth_deg % 360.0 / 22.5) % 16]


def observer_zone(observer: Observer, override: tzinfo | None) -> tzinfo:
    """Return the display zone: the override, else the observer's own zone, else UTC."""
    if override is not None:
        return override
    return ZoneInfo(observer.timezone or "UTC")


def _time(value: datetime, zone: tzinfo, with_date: bool) -> str:
    local = value.astimezone(zone)
    return local.strftime("%a %d %b %H:%M:%S" if with_date else "%H:%M:%S")


def _point(point: PassPoint | None, zone: tzinfo, with_date: bool = False) -> str:
    if point is None:
        return "(before window)" if with_date else "(after window)"
    return f"{_time(point.time_utc, zone, with_date)} {compass(point.azimuth_deg):>3}"


def _place(observer: Observer) -> str:
    lat = f"{abs(observer.latitude_deg):.4f}{'N' if observer.latitude_deg >= 0 else 'S'}"
    lon = f"{abs(observer.longitude_deg):.4f}{'E' if observer.longitude_deg >= 0 else 'W'}"
    where = f"{lat} {lon}, {observer.elevation_m:g} m"
    return f"({where})" if observer.name != f"{lat} {lon}" else f"({observer.elevation_m:g} m)"


#: Marks a pass with a visible part in the table.
VISIBLE_MARK = "★"


def _visible_cell(p: Pass, zone: tzinfo) -> str:
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
            f"{VISIBLE_MARK} {_time(v.visible_start.time_utc, zone, False)}-"
            f"{_time(v.visible_end.time_utc, zone, False)}"
        )
    if not v.sunlit:
        return "- in shadow"
    if v.sun_elevation_deg > 0.0:
        return "- daylight"
    return "- twilight"


def _magnitude_cell(p: Pass) -> str:
    v = p.visibility
    if v is None:
        return ""
    value = v.brightest_magnitude if v.visible else None
    return "" if value is None else f"~{value:+.1f}"


def _doppler_cell(p: Pass, frequency_hz: float) -> str:
    shifts = []
    for point in (p.rise, p.culmination, p.set):
        if point is None or point.range_rate_km_s is None:
            shifts.append("-")
        else:
            shift_hz = float(doppler_shift_hz(point.range_rate_km_s, frequency_hz))
            shifts.append(f"{shift_hz / 1e3:+.2f}")
    return " ".join(shifts)


def render_table(
    prediction: Prediction,
    console: Console,
    zone_override: tzinfo | None,
    frequency_hz: float | None = None,
) -> None:
    """Print the prediction: element sets used, then one table per observer.

    With visibility, the header names the twilight and each pass says when it can be seen
    (marked with a star) and how bright it gets; with `frequency_hz`, the Doppler shift at
    rise, culmination and set.
    """
    elements = Table(title="Element sets", title_justify="left", show_edge=False)
    for header in ("Satellite", "NORAD", "Orbit", "Epoch (UTC)", "Age", "Source"):
        elements.add_column(header)
    for s in prediction.satellites:
        age = f"{s.age_days:.1f} d" + (" (stale)" if s.stale else "")
        elements.add_row(
            s.name, str(s.norad_id), s.orbit.value, f"{s.epoch_utc:%Y-%m-%d %H:%M}", age, s.source
        )
    console.print(elements)

    for observer in prediction.observers:
        zone = observer_zone(observer, zone_override)
        offset = prediction.start_utc.astimezone(zone).strftime("%z")
        console.print()
        console.print(
            f"[bold]{observer.name}[/bold] {_place(observer)}; times in {zone} (UTC{offset[:3]}:"
            f"{offset[3:]}), minimum elevation {prediction.min_elevation_deg:g} deg"
        )
        if prediction.twilight_deg is not None:
            console.print(_sky_note(prediction))
        if frequency_hz is not None:
            console.print(f"Doppler at rise, culmination, set for {frequency_hz / 1e6:g} MHz")
        looks = [g for g in prediction.geostationary if g.observer == observer.name]
        if looks:
            console.print(_geo_table(looks))
        for note in prediction.notes:
            if note.observer in (None, observer.name):
                console.print(f"  {note.satellite}: {note.reason}")
        passes = [p for p in prediction.passes if p.observer == observer.name]
        if not passes:
            console.print("  No passes in the window.")
            continue
        table = Table(show_edge=False, pad_edge=False)
        for header, justify in (
            ("Satellite", "left"),
            ("Rise", "left"),
            ("Culmination", "left"),
            ("Max el", "right"),
            ("Set", "left"),
            ("Duration", "right"),
        ):
            table.add_column(header, justify=justify)
        seeing = prediction.twilight_deg is not None
        if seeing:
            table.add_column("Visible", justify="left", no_wrap=True)
            table.add_column("Mag", justify="right", no_wrap=True)
        if frequency_hz is not None:
            table.add_column("Doppler kHz", justify="right", no_wrap=True)
        for p in passes:
            duration = p.duration_s
            extra = [_visible_cell(p, zone), _magnitude_cell(p)] if seeing else []
            if frequency_hz is not None:
                extra.append(_doppler_cell(p, frequency_hz))
            table.add_row(
                p.satellite,
                _point(p.rise, zone, with_date=True)
                if p.rise
                else f"{_time(p.start_utc, zone, True)} (in progress)",
                _point(p.culmination, zone),
                f"{p.max_elevation_deg:.1f}°",
                _point(p.set, zone) if p.set else "(after window)",
                "" if duration is None else f"{int(duration // 60)}m{int(duration % 60):02d}s",
                *extra,
            )
        console.print(table)


def _sky_note(prediction: Prediction) -> str:
    twilight = prediction.twilight_deg
    named = f" ({twilight_name(twilight)})" if twilight in TWILIGHT_DEG.values() else ""
    known = any(p.visibility and p.visibility.std_magnitude is not None for p in prediction.passes)
    magnitude = (
        "Mag = estimated magnitude at the brightest visible point"
        if known
        else "Mag needs a standard magnitude (--std-mag)"
    )
    return (
        f"{VISIBLE_MARK} visible = sunlit while the Sun is below {twilight:g}°{named}; {magnitude}"
    )


def _geo_status(look: GeoLook) -> str:
    if look.never_above_horizon:
        return "never up (below horizon)"
    if look.always_above_min_elevation:
        return "always up"
    if look.always_above_horizon:
        return "always up, below min. elevation"
    return "at the horizon: wobbles across it"


def _geo_table(looks: list[GeoLook]) -> Table:
    """Geostationary satellites: a fixed point in the sky, not passes."""
    table = Table(
        title="Fixed in the sky (geostationary; see 'passpredict geo')",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    for header, justify in (
        ("Satellite", "left"),
        ("Azimuth", "right"),
        ("Elevation", "right"),
        ("Range", "right"),
        ("Elevation over window", "right"),
        ("Status", "left"),
    ):
        table.add_column(header, justify=justify)
    for look in looks:
        table.add_row(
            look.satellite,
            f"{look.azimuth_deg:.2f}° {compass(look.azimuth_deg)}",
            f"{look.elevation_deg:.2f}°",
            f"{look.range_km:,.0f} km",
            f"{look.elevation_min_deg:.2f}°..{look.elevation_max_deg:.2f}°",
            _geo_status(look) + (", held at station" if look.station_kept else ""),
        )
    return table


def render_tracks(
    tracks: list[Track],
    console: Console,
    zone_override: tzinfo | None,
    frequency_hz: float | None = None,
    min_elevation_deg: float | None = None,
) -> None:
    """Print one table of look angles per observer, in the observer's local time."""
    for t in tracks:
        zone = observer_zone(t.observer, zone_override)
        offset = t.start_utc.astimezone(zone).strftime("%z")
        above = "" if min_elevation_deg is None else f", samples above {min_elevation_deg:g} deg"
        console.print(
            f"[bold]{t.satellite}[/bold] from [bold]{t.observer.name}[/bold] "
            f"{_place(t.observer)}; times in {zone} (UTC{offset[:3]}:{offset[3:]}), every "
            f"{t.step_s:g} s{above}"
        )
        table = Table(show_edge=False, pad_edge=False)
        headers = ["Time", "Azimuth", "Elevation", "Range km", "Range rate km/s"]
        if frequency_hz is not None:
            headers.append(f"Doppler Hz at {frequency_hz / 1e6:g} MHz")
        for header in headers:
            table.add_column(header, justify="left" if header == "Time" else "right")
        keep = t.ok.copy()
        if min_elevation_deg is not None:
            keep &= t.elevation_deg >= min_elevation_deg
        doppler = (
            None if frequency_hz is None else doppler_shift_hz(t.range_rate_km_s, frequency_hz)
        )
        times = t.times_utc()
        for k in np.flatnonzero(keep):
            row = [
                _time(times[k], zone, True),
                f"{t.azimuth_deg[k]:.2f}° {compass(float(t.azimuth_deg[k])):>3}",
                f"{t.elevation_deg[k]:.2f}°",
                f"{t.range_km[k]:,.1f}",
                f"{t.range_rate_km_s[k]:+.4f}",
            ]
            if doppler is not None:
                row.append(f"{doppler[k]:+,.0f}")
            table.add_row(*row)
        if not keep.any():
            console.print("  No samples above the minimum elevation.")
        else:
            console.print(table)
        console.print()
