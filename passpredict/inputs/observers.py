"""Named observing sites: four built into the program, plus the user's own in a TOML file.

The built-in sites are in Azerbaijan, the project's home. The user's sites live in
`home.observers_file()`, one table per site::

    [observers."My Roof"]
    latitude_deg = 40.4093
    longitude_deg = 49.8671
    elevation_m = 30.0
    timezone = "Asia/Baku"
    horizon = [[0.0, 5.0], [90.0, 12.5], [180.0, 3.0]]   # optional: az_deg, el_deg points

The file is read and checked with `tomllib`, and `observers add/remove` edit it with
`tomlkit`, which keeps everything the user wrote around the change: comments, blank lines,
the order and quoting of tables (our own writer rebuilt the file and dropped them). It is
always written through a temporary file renamed into place, so a crash never leaves half a
file. A file this module cannot understand is reported, never rewritten: it is the user's data.

Where the file is (`passpredict.home.observers_file`): under `PASSPREDICT_HOME` when that is
set, so one variable still isolates all state; else in the platform's config directory
(``user_config_dir("passpredict")``, e.g. ~/.config/passpredict on Linux). Before it moved
there it lived in the data directory; that old file is still read while no new one exists,
and the first add/remove writes the new file and deletes the old (the command says so).
"""

from __future__ import annotations

import contextlib
import math
import os
import shlex
import stat
import unicodedata
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from passpredict.inputs.zones import zone_at
from passpredict.records import Observer

BAKU_TZ = "Asia/Baku"

_BUILTINS: tuple[Observer, ...] = (
    # Heights are the published ones, above sea level, and are used as heights above the
    # WGS84 ellipsoid like every elevation_m (no geoid model is shipped): the difference, the
    # geoid height, is at most about 100 m anywhere on Earth, and 100 m moves a rise or set
    # by under 0.7 s and a maximum elevation by under 0.01 deg (measured; README, Passes).
    # Baku and Shamakhi: figures fixed in the project brief (not re-checked here). Baku's
    # -28 m is right: the city lies below sea level, on the shore of the Caspian.
    Observer("Baku", 40.4093, 49.8671, -28.0, BAKU_TZ),
    # The observatory's main site, near the village of Pirgulu.
    Observer("Shamakhi Astrophysical Observatory", 40.7720, 48.5846, 1435.0, BAKU_TZ),
    # City centre from the Wikipedia infobox "Ganja, Azerbaijan": 40°40′58″N 46°21′38″E, 408 m.
    Observer("Ganja", 40.6828, 46.3606, 408.0, BAKU_TZ),
    # City centre from the Wikipedia infobox "Nakhchivan (city)": 39°12′58″N 45°24′38″E,
    # 873 m. Older revisions give 39°12′32″N 45°24′44″E; the 0.8 km between the two does not
    # matter for pass times.
    Observer("Nakhchivan", 39.2161, 45.4106, 873.0, BAKU_TZ),
)

DEFAULT_OBSERVER_NAME = "Baku"

#: Other names people type for the built-in sites (Azerbaijani spellings, ASCII forms, short
#: names). A user observer may not take any of them, so a name always means one place.
_ALIASES: dict[str, tuple[str, ...]] = {
    "Baku": ("Bakı", "Baki"),
    "Shamakhi Astrophysical Observatory": (
        "Shamakhi",
        "Shamakhi Observatory",
        "ShAO",
        "Şamaxı",
        "Samaxi",
        "Shamakha",
    ),
    "Ganja": ("Gəncə", "Gence"),
    "Nakhchivan": ("Naxçıvan", "Naxcivan", "Nakhichevan"),
}

_SHORT_NAMES: dict[str, str] = {"Shamakhi Astrophysical Observatory": "Shamakhi"}

_FIELDS = ("latitude_deg", "longitude_deg", "elevation_m", "timezone", "horizon")
_REQUIRED_FIELDS = ("latitude_deg", "longitude_deg")
_MAX_NAME_CHARS = 80
_MAX_LISTED_NAMES = 20
_MIN_PREFIX_CHARS = 3

_FILE_HEADER = """\
# passpredict observers: one [observers."NAME"] table per place.
# latitude_deg is north-positive, longitude_deg east-positive (WGS84), elevation_m in metres,
# timezone (optional) an IANA name such as "Asia/Baku" used to display times.
# "passpredict observers add/remove" edit this file and keep your comments and layout.
"""


class ObserverFileError(Exception):
    """The user's observers file cannot be read, understood or written.

    The message is one line that names the file and says how to fix it. This is a runtime
    problem with the user's data, unlike the `ValueError` raised for a bad argument.
    """


# --- built-ins and lookup -------------------------------------------------------------------


def builtin_observers() -> list[Observer]:
    """Return the built-in observers, the default one (Baku) first."""
    return list(_BUILTINS)


def default_observer() -> Observer:
    """Return the observer used when the user names none."""
    return find_observer(DEFAULT_OBSERVER_NAME, _BUILTINS)


def short_name(observer: Observer) -> str:
    """Return a short display name ("Shamakhi" for the observatory, else the name itself)."""
    return (
        _SHORT_NAMES.get(observer.name, observer.name) if _is_builtin(observer) else observer.name
    )


def find_observer(name: str, observers: Sequence[Observer]) -> Observer:
    """Return the observer called `name`, forgiving case, spacing and punctuation.

    Tries an exact name, then a built-in's alias ("shamakhi", "Bakı"), then a unique prefix of
    at least three letters. Raises `ValueError` naming the known observers when nothing fits,
    or the candidates when several do.
    """
    key = _normalise(name)
    if not key:
        raise ValueError(f"observer name is empty; known observers: {_list_names(observers)}")
    stages = (
        lambda obs: key == _normalise(obs.name),
        lambda obs: key in _alias_keys(obs),
        lambda obs: (
            len(key) >= _MIN_PREFIX_CHARS
            and any(k.startswith(key) for k in (_normalise(obs.name), *_alias_keys(obs)))
        ),
    )
    for matches_stage in stages:
        matches = [obs for obs in observers if matches_stage(obs)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(
                f"observer {name!r} is ambiguous, it could be {_list_names(matches)}; "
                "give the full name"
            )
    raise ValueError(
        f"unknown observer {name!r}{_suggestion(key, observers)}; known observers: "
        f"{_list_names(observers)}"
    )


def all_observers(path: Path) -> list[Observer]:
    """Return the built-in observers followed by the user's from `path`.

    Raises `ObserverFileError` when the file is broken or one of its observers takes the name
    of a built-in one (which would make that name mean two places).
    """
    users = load_user_observers(path)
    for observer in users:
        builtin = _builtin_named(observer.name)
        if builtin is not None:
            raise ObserverFileError(
                f"{path}: observer {observer.name!r} has the name of the built-in observer "
                f"{builtin.name!r}; rename or delete it in that file"
            )
    return [*_BUILTINS, *users]


# --- building and validating ----------------------------------------------------------------


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
    zone a real IANA zone and the horizon a valid mask (`passpredict.products.horizon`), so that
    what
    we store can be read back and used.
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
    offline),
    so its times read as local clocks there; UTC only where no zone is known.
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
    if not _normalise(cleaned):
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


# --- the user's file ------------------------------------------------------------------------


def load_user_observers(path: Path) -> list[Observer]:
    """Return the observers in the user's TOML file, in file order; none if it does not exist.

    Raises `ObserverFileError` (one line: the file, the problem, the fix) when the file cannot
    be read, is not TOML, or holds an entry that is not a valid observer. The file is left
    untouched either way.
    """
    return _observers_in(path, _read_toml(path))


def _observers_in(path: Path, data: dict[str, Any]) -> list[Observer]:
    """The observers of a parsed file (`load_user_observers`; `path` names it in errors)."""
    unknown = sorted(set(data) - {"observers"})
    if unknown:
        raise _file_error(path, f"unexpected top-level key {unknown[0]!r}", "remove it")
    tables = data.get("observers", {})
    if not isinstance(tables, dict):
        raise _file_error(path, "'observers' must be a table", 'use [observers."NAME"] tables')
    observers: list[Observer] = []
    seen: dict[str, str] = {}
    for name, table in tables.items():
        observer = _observer_from_table(path, name, table)
        key = _normalise(observer.name)
        if key in seen:
            raise _file_error(
                path, f"observers {seen[key]!r} and {name!r} have the same name", "rename one"
            )
        seen[key] = name
        observers.append(observer)
    return observers


def add_user_observer(path: Path, observer: Observer, read_from: Path | None = None) -> None:
    """Add `observer` to the user's file, creating the file and its directory if needed.

    `read_from` is where the current file is when it is not `path` (the old location: it is
    moved to `path`, see the module docstring). Raises `ValueError` when the name is invalid
    or already taken (by a built-in observer or one of the user's) and `ObserverFileError`
    when the existing file is broken or cannot be written; in both cases the files are left
    as they were.
    """
    observer = make_observer(
        observer.name,
        observer.latitude_deg,
        observer.longitude_deg,
        observer.elevation_m,
        observer.timezone,
        observer.horizon,
    )
    builtin = _builtin_named(observer.name)
    if builtin is not None:
        raise ValueError(
            f"{observer.name!r} is the name of the built-in observer {builtin.name!r}; "
            "choose another name"
        )
    source = path if read_from is None else read_from
    existing = load_user_observers(source)
    for other in existing:
        if _normalise(other.name) == _normalise(observer.name):
            raise ValueError(
                f"an observer named {other.name!r} already exists in {source}; "
                f"remove it first with: passpredict observers remove {shlex.quote(other.name)}"
            )
    from passpredict.inputs import observers_toml  # here, not at the top: only add/remove edit

    def add(text: str) -> str:
        return observers_toml.add_table(text, observer.name, _fields(observer))

    _write_observers(path, _edited(source, add, [*existing, observer]), source)


def remove_user_observer(path: Path, name: str, read_from: Path | None = None) -> None:
    """Remove the user's observer called `name` (case and spacing ignored, no prefixes).

    `read_from` as for `add_user_observer`. Raises `ValueError` for a built-in observer or a
    name not in the file, and `ObserverFileError` when the file is broken or cannot be written.
    """
    builtin = _builtin_named(name)
    if builtin is not None:
        raise ValueError(f"{builtin.name!r} is a built-in observer and cannot be removed")
    source = path if read_from is None else read_from
    existing = load_user_observers(source)
    key = _normalise(name)
    if all(_normalise(obs.name) != key for obs in existing):
        listed = _list_names(existing) if existing else "(none)"
        raise ValueError(f"no user observer named {name!r}; user observers: {listed}")
    from passpredict.inputs import observers_toml

    def remove(text: str) -> str:
        return observers_toml.remove_tables(text, lambda table: _normalise(table) == key)

    kept = [obs for obs in existing if _normalise(obs.name) != key]
    _write_observers(path, _edited(source, remove, kept), source)


def dumps_observers(observers: Sequence[Observer]) -> str:
    """Return the TOML text of a new user's file for `observers` (readable back by `tomllib`)."""
    from passpredict.inputs import observers_toml

    text = _FILE_HEADER
    for observer in observers:
        text = observers_toml.add_table(text, observer.name, _fields(observer))
    return text


# --- helpers --------------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # here, not at the top: a command without an observers file needs no TOML parser

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise _file_error(path, f"not valid TOML ({exc})", "correct that line") from None
    except UnicodeDecodeError as exc:
        raise _file_error(
            path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ObserverFileError(
            f"cannot read {path}: {exc.strerror or exc}; check that it is a readable file"
        ) from None


def _observer_from_table(path: Path, name: str, table: object) -> Observer:
    where = f"observer {name!r}"
    if not isinstance(table, dict):
        raise _file_error(
            path, f"{where} must be a table", f"write it as [observers.{_toml_string(name)}]"
        )
    unknown = [key for key in table if key not in _FIELDS]
    if unknown:
        raise _file_error(
            path,
            f"{where} has unknown key {unknown[0]!r}",
            f"use only {', '.join(_FIELDS)}",
        )
    for key in _REQUIRED_FIELDS:
        if key not in table:
            raise _file_error(path, f"{where} has no {key}", "add it")
    try:
        return make_observer(
            name,
            table["latitude_deg"],
            table["longitude_deg"],
            table.get("elevation_m", 0.0),
            table.get("timezone"),
            table.get("horizon"),
        )
    except ValueError as exc:
        raise _file_error(path, f"{where}: {exc}", "fix it") from None


def _edited(path: Path, change: Callable[[str], str], expected: list[Observer]) -> str:
    """The file's text after `change` edits it in place (`inputs.observers_toml`), checked:
    read back, it must hold exactly `expected`. A layout the edit cannot handle (observers
    written as dotted keys, ``observers.X.latitude_deg = ...``) gets the file rebuilt instead,
    as before tomlkit (its comments are then lost; the observers are not)."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = _FILE_HEADER
    try:
        edited = change(text)
        if _observers_in(path, tomllib.loads(edited)) == expected:
            return edited
    except Exception:  # any failure of the in-place edit: the checked rebuild below
        pass
    return dumps_observers(expected)


def _fields(observer: Observer) -> dict[str, Any]:
    """One observer's table, the record's fields in the documented order; a zone or horizon
    only when it has one."""
    fields: dict[str, Any] = {
        "latitude_deg": float(observer.latitude_deg),
        "longitude_deg": float(observer.longitude_deg),
        "elevation_m": float(observer.elevation_m),
    }
    if observer.timezone is not None:
        fields["timezone"] = observer.timezone
    if observer.horizon:
        fields["horizon"] = [[float(a), float(e)] for a, e in observer.horizon]
    return fields


def _write_observers(path: Path, text: str, moved_from: Path | None = None) -> None:
    """Write the file atomically: a temporary file in the same directory, then `os.replace`;
    then delete `moved_from` (the old location) when it is another file."""
    import tempfile  # here, not at the top: only writing the file needs it

    target = path.resolve()  # follow a symlinked file (dotfile managers) instead of replacing it
    tmp_name: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="\n",
            dir=target.parent,
            prefix=f".{target.name}.",
            suffix=".tmp",
            delete=False,
        ) as handle:
            tmp_name = handle.name
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp_name, stat.S_IMODE(target.stat().st_mode))
        os.replace(tmp_name, target)
        tmp_name = None
        if moved_from is not None and moved_from.resolve() != target:
            moved_from.unlink(missing_ok=True)
    except OSError as exc:
        raise ObserverFileError(
            f"cannot write {path}: {exc.strerror or exc}; check that its directory is writable"
        ) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _file_error(path: Path, problem: str, fix: str) -> ObserverFileError:
    return ObserverFileError(
        f"{path}: {problem}; {fix} in that file, or move the file away to start afresh"
    )


def _toml_string(text: str) -> str:
    """Quote `text` as a TOML basic string: escape quotes, backslashes and control characters."""
    out = ['"']
    for ch in text:
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _hemisphere(value_deg: float, positive: str, negative: str) -> str:
    rounded = round(float(value_deg), 4) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{abs(rounded):.4f}{negative if rounded < 0 else positive}"


def _normalise(text: str) -> str:
    """Fold a name for comparison: no accents, no case, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def _is_builtin(observer: Observer) -> bool:
    return observer in _BUILTINS


def _alias_keys(observer: Observer) -> tuple[str, ...]:
    if not _is_builtin(observer):
        return ()
    return tuple(_normalise(alias) for alias in _ALIASES.get(observer.name, ()))


def _builtin_named(name: str) -> Observer | None:
    """Return the built-in observer whose name or alias `name` is (after folding), if any."""
    key = _normalise(name)
    for builtin in _BUILTINS:
        if key == _normalise(builtin.name) or key in _alias_keys(builtin):
            return builtin
    return None


def _list_names(observers: Sequence[Observer]) -> str:
    names = [obs.name for obs in observers]
    shown = ", ".join(names[:_MAX_LISTED_NAMES])
    hidden = len(names) - _MAX_LISTED_NAMES
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def _suggestion(key: str, observers: Sequence[Observer]) -> str:
    by_key = {_normalise(obs.name): obs.name for obs in observers}
    import difflib  # only to suggest a fix for a misspelt name

    close = difflib.get_close_matches(key, list(by_key), n=1)
    return f" (did you mean {by_key[close[0]]!r}?)" if close else ""
