"""Human output of a prediction: rich tables per observer, in the observer's local time."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from passpredict.predict import Prediction
from passpredict.records import GeoLook, Observer, PassPoint

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


def render_table(prediction: Prediction, console: Console, zone_override: tzinfo | None) -> None:
    """Print the prediction: element sets used, then one table per observer."""
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
        for p in passes:
            duration = p.duration_s
            table.add_row(
                p.satellite,
                _point(p.rise, zone, with_date=True)
                if p.rise
                else f"{_time(p.start_utc, zone, True)} (in progress)",
                _point(p.culmination, zone),
                f"{p.max_elevation_deg:.1f}°",
                _point(p.set, zone) if p.set else "(after window)",
                "" if duration is None else f"{int(duration // 60)}m{int(duration % 60):02d}s",
            )
        console.print(table)


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
