"""The user's own observing sites, one table per site in a TOML file: read, check, add, remove.

The file is `home.observers_file()`::

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
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from passpredict.inputs.observer_checks import fold_name, make_observer
from passpredict.inputs.observer_lookup import builtin_named, builtin_observers, list_names
from passpredict.records import Observer

_FIELDS = ("latitude_deg", "longitude_deg", "elevation_m", "timezone", "horizon")
_REQUIRED_FIELDS = ("latitude_deg", "longitude_deg")

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


def all_observers(path: Path) -> list[Observer]:
    """Return the built-in observers followed by the user's from `path`.

    Raises `ObserverFileError` when the file is broken or one of its observers takes the name
    of a built-in one (which would make that name mean two places).
    """
    users = load_user_observers(path)
    for observer in users:
        builtin = builtin_named(observer.name)
        if builtin is not None:
            raise ObserverFileError(
                f"{path}: observer {observer.name!r} has the name of the built-in observer "
                f"{builtin.name!r}; rename or delete it in that file"
            )
    return [*builtin_observers(), *users]


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
        key = fold_name(observer.name)
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
    builtin = builtin_named(observer.name)
    if builtin is not None:
        raise ValueError(
            f"{observer.name!r} is the name of the built-in observer {builtin.name!r}; "
            "choose another name"
        )
    source = path if read_from is None else read_from
    existing = load_user_observers(source)
    for other in existing:
        if fold_name(other.name) == fold_name(observer.name):
            import shlex  # here, not at the top: only this message quotes a name

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
    builtin = builtin_named(name)
    if builtin is not None:
        raise ValueError(f"{builtin.name!r} is a built-in observer and cannot be removed")
    source = path if read_from is None else read_from
    existing = load_user_observers(source)
    key = fold_name(name)
    if all(fold_name(obs.name) != key for obs in existing):
        listed = list_names(existing) if existing else "(none)"
        raise ValueError(f"no user observer named {name!r}; user observers: {listed}")
    from passpredict.inputs import observers_toml

    def remove(text: str) -> str:
        return observers_toml.remove_tables(text, lambda table: fold_name(table) == key)

    kept = [obs for obs in existing if fold_name(obs.name) != key]
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
    try:
        with open(path, "rb") as handle:
            return _parsed_toml(path, handle)
    except FileNotFoundError:
        return {}
    except NotADirectoryError:
        raise ObserverFileError(_not_a_directory(path)) from None
    except OSError as exc:
        raise ObserverFileError(
            f"cannot read {path}: {exc.strerror or exc}; check that it is a readable file"
        ) from None


def _not_a_directory(path: Path) -> str:
    """Say which folder on the way to `path` is a file (PASSPREDICT_HOME set to a file, most
    likely): 'cannot read .../observers.toml: Not a directory; check that it is a readable
    file' pointed at the wrong thing."""
    folder = next((p for p in path.parents if p.is_file()), path.parent)
    return (
        f"cannot use {path}: {folder} is a file, not a directory; set PASSPREDICT_HOME to a "
        f"directory (or move the file {str(folder)!r} aside)"
    )


def _parsed_toml(path: Path, handle: BinaryIO) -> dict[str, Any]:
    """The TOML of the observers file `path`, open as `handle`; tomllib is imported here, once
    a file is open, not at the top: a command without an observers file (most runs) needs no
    TOML parser (~2 ms of its start)."""
    import tomllib

    try:
        return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise _file_error(path, f"not valid TOML ({exc})", "correct that line") from None
    except UnicodeDecodeError as exc:
        raise _file_error(
            path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8"
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
    except NotADirectoryError:
        raise ObserverFileError(_not_a_directory(path)) from None
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
