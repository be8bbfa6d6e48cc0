"""Where passpredict keeps its state: one directory, `PASSPREDICT_HOME` overrides it.

Everything the program writes (the element store, the user's observers, fetch logs) lives
under this directory when `PASSPREDICT_HOME` is set, so tests and users can isolate a run by
setting one variable. Without it the observers file, which a user edits, is in the platform's
config directory and the rest in its data directory (`observers_file`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

HOME_ENV = "PASSPREDICT_HOME"


def home_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return the state directory: `$PASSPREDICT_HOME`, else the platform's user data dir."""
    env = os.environ if environ is None else environ
    override = env.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs  # only without PASSPREDICT_HOME: not imported when the variable is set

    return Path(platformdirs.user_data_dir("passpredict", appauthor=False))


OBSERVERS_FILE_NAME = "observers.toml"


def observers_config_file(environ: Mapping[str, str] | None = None) -> Path:
    """Return where the user's observers file is written: under `$PASSPREDICT_HOME` when it is
    set (one variable isolates all state), else in the platform's user config directory."""
    env = os.environ if environ is None else environ
    if env.get(HOME_ENV, "").strip():
        return home_dir(env) / OBSERVERS_FILE_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("passpredict", appauthor=False)) / OBSERVERS_FILE_NAME


def legacy_observers_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """Return where the observers file was kept before it moved to the config directory (the
    user data directory), or None where that is the same place (PASSPREDICT_HOME, macOS)."""
    old = home_dir(environ) / OBSERVERS_FILE_NAME
    return None if old == observers_config_file(environ) else old


def observers_file(environ: Mapping[str, str] | None = None) -> Path:
    """Return the TOML file the user's observers are read from: the config file, or, while
    that does not exist, the old file in the data directory if there is one."""
    new = observers_config_file(environ)
    old = legacy_observers_file(environ)
    if old is not None and not new.exists() and old.exists():
        return old
    return new
