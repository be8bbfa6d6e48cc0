"""Query strings to typed, validated requests: the web's counterpart of the CLI's options.

Every value goes through the same parser as the command line (`passpredict.cli.options`'
click types, `observers.find_observer`, `visibility.parse_twilight`), so the page, the API
and the CLI accept and refuse the same input with the same words. A bad value raises
`BadQuery`, which names the parameter; the app answers it with HTTP 400 and a JSON error,
never a traceback. Unknown parameter names are refused too: a typo (`lattitude`) would
otherwise be silently ignored and answer another question.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import click

from passpredict.inputs.observers import (
    ObserverFileError,
    adhoc_observer,
    all_observers,
    coordinates_name,
    default_observer,
    find_observer,
)
from passpredict.inputs.param_types import (
    ELEVATION,
    INSTANT,
    LATITUDE,
    LONGITUDE,
    SHORTEST_WINDOW_S,
    ZONE,
    FiniteFloat,
)
from passpredict.products.visibility import parse_twilight
from passpredict.records import Observer

#: Longest window the web page computes (days): a page is for the coming days; the CLI takes
#: up to 400 for long runs.
MAX_WEB_DAYS = 31.0
#: Default window of the passes page (days), as the CLI's `passes`.
DEFAULT_DAYS = 3.0
#: Most satellites one request may name.
MAX_SATELLITES = 20


class BadQuery(ValueError):
    """A query parameter the server cannot use; `parameter` names it, the message says why."""

    def __init__(self, parameter: str | None, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message

    def as_json(self) -> dict[str, Any]:
        return {"error": self.message, "parameter": self.parameter}


#: Parameters that choose an observer (every endpoint with an observer takes them).
OBSERVER_KEYS = ("observer", "lat", "lon", "alt")


@dataclass(frozen=True)
class PassQuery:
    """One passes request: the same inputs as `passpredict passes` with these options."""

    observer: Observer
    satellites: tuple[str, ...]
    start_utc: datetime
    end_utc: datetime
    min_elevation_deg: float
    twilight_deg: float
    visible_only: bool
    zone: tzinfo | None

    def query_string(self) -> list[tuple[str, str]]:
        """Return the parameters that ask this same question again (for links)."""
        pairs = observer_pairs(self.observer)
        pairs += [("satellite", s) for s in self.satellites]
        pairs += [
            ("start", self.start_utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
            ("days", f"{(self.end_utc - self.start_utc).total_seconds() / 86400.0:g}"),
            ("min_elevation", f"{self.min_elevation_deg:g}"),
            ("twilight", f"{self.twilight_deg:g}"),
        ]
        if self.visible_only:
            pairs.append(("visible_only", "1"))
        if self.zone is not None:
            pairs.append(("tz", str(getattr(self.zone, "key", self.zone))))
        return pairs


def observer_pairs(observer: Observer) -> list[tuple[str, str]]:
    """Return the parameters naming `observer` (a name, or the coordinates of a typed place)."""
    if observer.name == coordinates_name(observer.latitude_deg, observer.longitude_deg):
        return [
            ("lat", f"{observer.latitude_deg:.10g}"),
            ("lon", f"{observer.longitude_deg:.10g}"),
            ("alt", f"{observer.elevation_m:g}"),
        ]
    return [("observer", observer.name)]


def check_known(params: Mapping[str, Sequence[str]], allowed: Iterable[str]) -> None:
    """Refuse parameter names the endpoint does not know (a typo must not be ignored)."""
    known = set(allowed)
    for key in params:
        if key not in known:
            listed = ", ".join(sorted(known)) or "no parameters"
            raise BadQuery(key, f"unknown parameter {key!r}; this page takes {listed}")


def single(params: Mapping[str, Sequence[str]], key: str) -> str | None:
    """Return the one value of `key` (None when absent); refuse it given twice or empty."""
    values = params.get(key, [])
    if not values:
        return None
    if len(values) > 1:
        raise BadQuery(key, f"{key} is given {len(values)} times; give it once")
    text = values[0].strip()
    if not text:
        raise BadQuery(key, f"{key} is empty; give a value or leave it out")
    return text


def convert(ptype: click.ParamType[Any], text: str, key: str) -> Any:
    """Convert `text` with a CLI parameter type; its message becomes the 400's error."""
    try:
        return ptype.convert(text, None, None)
    except click.BadParameter as error:
        raise BadQuery(key, f"{key}: {error.message}") from None


def parse_observer(params: Mapping[str, Sequence[str]], observers_path: Path) -> Observer:
    """Return the observer of `observer=NAME` or `lat=..&lon=..[&alt=..]` (default Baku)."""
    name = single(params, "observer")
    lat, lon, alt = (single(params, k) for k in ("lat", "lon", "alt"))
    if name is not None and (lat is not None or lon is not None):
        raise BadQuery("observer", "observer and lat/lon exclude each other; give one")
    if (lat is None) != (lon is None):
        raise BadQuery(
            "lat" if lat is None else "lon", "lat and lon go together; give both, e.g. lat=40.41"
        )
    if lat is not None and lon is not None:
        # Converted outside the try: a BadQuery is a ValueError, and one naming lon must not
        # come back as one naming lat.
        latitude_deg = convert(LATITUDE, lat, "lat")
        longitude_deg = convert(LONGITUDE, lon, "lon")
        elevation_m = 0.0 if alt is None else convert(ELEVATION, alt, "alt")
        try:
            return adhoc_observer(latitude_deg, longitude_deg, elevation_m)
        except ValueError as error:
            raise BadQuery("lat", str(error)) from None
    if alt is not None:
        raise BadQuery("alt", "alt needs lat and lon (a named observer has its own height)")
    if name is None:
        return default_observer()
    try:
        known = all_observers(observers_path)
    except ObserverFileError as error:
        raise BadQuery("observer", str(error)) from None
    try:
        return find_observer(name, known)
    except ValueError as error:
        raise BadQuery("observer", str(error)) from None


def parse_instant(params: Mapping[str, Sequence[str]], key: str, now_utc: datetime) -> datetime:
    """Return the aware UTC instant of `key` (ISO 8601 with an offset), default `now_utc`."""
    text = single(params, key)
    return now_utc if text is None else convert(INSTANT, text, key)


def parse_float(
    params: Mapping[str, Sequence[str]], key: str, default: float, ptype: click.ParamType[Any]
) -> float:
    text = single(params, key)
    return default if text is None else float(convert(ptype, text, key))


def parse_flag(params: Mapping[str, Sequence[str]], key: str) -> bool:
    text = single(params, key)
    if text is None:
        return False
    value = text.casefold()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise BadQuery(key, f"{key} must be 1 or 0 (true or false), got {text!r}")


def parse_satellites(params: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Return the satellites asked for (NORAD numbers or names); empty: the watch list."""
    values = tuple(v.strip() for v in params.get("satellite", []) if v.strip())
    if len(values) > MAX_SATELLITES:
        raise BadQuery(
            "satellite", f"{len(values)} satellites asked; at most {MAX_SATELLITES} per page"
        )
    return values


def parse_zone(params: Mapping[str, Sequence[str]]) -> tzinfo | None:
    text = single(params, "tz")
    return None if text is None else convert(ZONE, text, "tz")


PASS_KEYS = (
    *OBSERVER_KEYS,
    "satellite",
    "start",
    "days",
    "min_elevation",
    "twilight",
    "visible_only",
    "tz",
)


def parse_pass_query(
    params: Mapping[str, Sequence[str]],
    now_utc: datetime,
    observers_path: Path,
    extra_keys: Iterable[str] = (),
) -> PassQuery:
    """Return the passes request of a query string; raise `BadQuery` for any bad part."""
    check_known(params, (*PASS_KEYS, *extra_keys))
    observer = parse_observer(params, observers_path)
    start_utc = parse_instant(params, "start", now_utc)
    days_type = FiniteFloat(min=0, max=MAX_WEB_DAYS, min_open=True)
    days = parse_float(params, "days", DEFAULT_DAYS, days_type)
    if days * 86400.0 < SHORTEST_WINDOW_S:
        raise BadQuery("days", f"days: a window is at least a microsecond long, got {days:g}")
    min_elevation_deg = parse_float(
        params, "min_elevation", 10.0, FiniteFloat(-90, 90, max_open=True)
    )
    twilight = single(params, "twilight")
    try:
        twilight_deg = -6.0 if twilight is None else parse_twilight(twilight)
    except ValueError as error:
        raise BadQuery("twilight", str(error)) from None
    return PassQuery(
        observer=observer,
        satellites=parse_satellites(params),
        start_utc=start_utc,
        end_utc=start_utc + timedelta(days=days),
        min_elevation_deg=min_elevation_deg,
        twilight_deg=twilight_deg,
        visible_only=parse_flag(params, "visible_only"),
        zone=parse_zone(params),
    )
