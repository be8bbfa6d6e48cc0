"""Where passpredict keeps its state: one directory, `PASSPREDICT_HOME` overrides it.

Everything the program writes (the element store, the user's observers, fetch logs) lives
under this directory, so tests and users can isolate a run by setting one variable.
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


def observers_file(environ: Mapping[str, str] | None = None) -> Path:
    """Return the TOML file that holds the user's named observers."""
    return home_dir(environ) / "observers.toml"
