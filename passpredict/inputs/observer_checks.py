"""Building and checking an observer from what a person typed: coordinates, name, zone, horizon.

One place for the rules every entry point shares (`--lat`/`--lon` on every command, `observers
add`, the web page, the user's file): a coordinate in decimal degrees with an optional hemisphere
letter, a printable name, a real IANA zone, a valid horizon mask. Each check raises `ValueError`
naming the offending value and the accepted forms; the `Observer` record checks the ranges.
"""

from __future__ import annotations

import contextlib
import math
import unicodedata
from dataclasses import replace

from passpredict.inputs.zones import zone_at
from passpredict.records import Observer

_MAX_NAME_CHARS = 80


def make_observer(
    name: str,
    latitude_deg: float,
    longitude_deg: float,
    elevation_m: float = 0.0,
    timezone: str | None = None,
    horizon: object = None,
) -> Observer:
    """Return a validated observer; raise `ValueError` with the offending value otherwise.

    On top of the record's own range checks, the name must be printable text, the time
    zone a real IANA zone and the horizon a valid mask (`passpredict.products.horizon`), so
    that what we store can be read back and used.
    """
    return Observer(
        validate_name(name),
        _number("latitude_deg", latitude_deg),
        _number("longitude_deg", longitude_deg),
        _number("elevation_m", elevation_m),
        None if timezone is None else validate_timezone(timezone),
        None if horizon is None else _horizon(horizon),
    )


def _horizon(points: object) -> tuple[tuple[float, float], ...]:
    """Return horizon points validated as a mask (azimuths increasing, 0-360, el -5..90)."""
    from passpredict.products.horizon import mask_from_points

    if not isinstance(points, list | tuple) or not all(
        isinstance(p, list | tuple) and all(isinstance(v, int | float) for v in p) for p in points
    ):
        raise ValueError("horizon must be a list of [azimuth_deg, elevation_deg] pairs")
    return mask_from_points(points).points()


def _number(label: str, value: object) -> float:
    """Return `value` as a float; refuse text and booleans (TOML `true` is not a latitude)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{label} must be a finite number, got {value!r}")
    return float(value)


def adhoc_observer(
    latitude_deg: float,
    longitude_deg: float,
    elevation_m: float = 0.0,
    timezone: str | None = None,
) -> Observer:
    """Return an unnamed place as an observer named by its coordinates: ``40.4093N 49.8671E``.

    Without `timezone` the place gets its own IANA zone (`passpredict.inputs.zones.zone_at`,
    offline), so its times read as local clocks there; UTC only where no zone is known.
    """
    # Validate first, so that a bad value is reported by the record, not by the name formatting.
    probe = make_observer("adhoc", latitude_deg, longitude_deg, elevation_m, timezone)
    if timezone is None:
        probe = replace(probe, timezone=zone_at(probe.latitude_deg, probe.longitude_deg))
    return replace(probe, name=coordinates_name(latitude_deg, longitude_deg))


#: The letters that may stand for a coordinate's sign: (positive, negative).
HEMISPHERE_LETTERS = {"latitude": ("N", "S"), "longitude": ("E", "W")}


def parse_coordinate(text: str, axis: str) -> float:
    """Parse a latitude or longitude typed by a person, in decimal degrees, to a signed float.

    One parser for every command (`--lat`/`--lon` everywhere, `observers add`): a signed number
    (``-12.05``, north and east positive) or an unsigned one with a hemisphere letter
    (``12.05S``, ``77.04 W``, ``40.4093°N``; either case). A sign and a letter together are
    refused as ambiguous, and so are NaN and infinities. `axis` is "latitude" or "longitude".
    The range is not checked here: the `Observer` record does that, with its own message.
    Raises `ValueError` naming the value and showing the accepted forms.
    """
    positive, negative = HEMISPHERE_LETTERS[axis]
    raw = str(text)
    cleaned = raw.strip().removesuffix("°").strip()
    sign = 1.0
    if cleaned[-1:].upper() in (positive, negative):
        if cleaned[:1] in ("+", "-"):
            raise ValueError(
                f"{axis} {raw!r} has both a sign and a hemisphere letter; give one, "
                f"e.g. 12.05{negative} or -12.05"
            )
        sign = -1.0 if cleaned[-1:].upper() == negative else 1.0
        cleaned = cleaned[:-1].strip().removesuffix("°").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(
            f"{axis} must be decimal degrees such as 40.5, -40.5 or 40.5{positive}, got {raw!r}"
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"{axis} must be a finite number of degrees, got {raw!r}")
    return sign * value


def coordinates_name(latitude_deg: float, longitude_deg: float) -> str:
    """Format a position as ``40.4093N 49.8671E``: 4 decimals (about 10 m), S/W when negative."""
    return f"{_hemisphere(latitude_deg, 'N', 'S')} {_hemisphere(longitude_deg, 'E', 'W')}"


def validate_name(name: str) -> str:
    """Return `name` stripped of outer spaces; raise `ValueError` if it cannot name an observer."""
    if not isinstance(name, str):
        raise ValueError(f"observer name must be text, got {name!r}")
    cleaned = name.strip()
    if not fold_name(cleaned):
        raise ValueError(f"observer name must contain a letter or digit, got {name!r}")
    if len(cleaned) > _MAX_NAME_CHARS:
        raise ValueError(
            f"observer name must be at most {_MAX_NAME_CHARS} characters, got {len(cleaned)}"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in cleaned):
        # Control characters would break tables; lone surrogates (undecodable command-line
        # bytes) cannot be written as UTF-8 at all.
        raise ValueError(f"observer name must be printable text, got {name!r}")
    return cleaned


def validate_timezone(zone: str) -> str:
    """Return `zone` if it is an IANA time zone name; raise `ValueError` with suggestions if not."""
    import zoneinfo  # on first use, not at start-up (`passpredict.timeutil.load_zone`)

    if isinstance(zone, str) and zone.strip():
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            zoneinfo.ZoneInfo(zone)
            return zone
    import difflib  # only to suggest a fix for a misspelt name

    close = difflib.get_close_matches(str(zone), sorted(zoneinfo.available_timezones()), n=3)
    hint = f"; did you mean {' or '.join(repr(z) for z in close)}?" if close else ""
    raise ValueError(
        f"timezone must be an IANA time zone name such as 'Asia/Baku', got {zone!r}{hint}"
    )


def fold_name(text: str) -> str:
    """Fold a name for comparison: no accents, no case, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def _hemisphere(value_deg: float, positive: str, negative: str) -> str:
    rounded = round(float(value_deg), 4) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{abs(rounded):.4f}{negative if rounded < 0 else positive}"
