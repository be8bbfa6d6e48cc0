"""The astronomy collaborators: a timescale and the Sun, from data installed with the package.

Skyfield's default loader downloads files at run time; we never do. The timescale uses the
leap-second and Earth-orientation tables built into Skyfield, and the planetary ephemeris is the
JPL DE421 file shipped by the `skyfield-data` package (valid 1900-2050). We open that file by path
instead of calling `skyfield_data.get_skyfield_data_path()`, because that call warns about the
age of the Earth-orientation file we do not use.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import skyfield_data
from skyfield.api import Loader
from skyfield.jpllib import SpiceKernel
from skyfield.timelib import Timescale
from skyfield.vectorlib import VectorFunction

_EPHEMERIS_FILE = "de421.bsp"


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class Astronomy(NamedTuple):
    """A timescale plus the ephemeris bodies the library needs, created once and passed in."""

    timescale: Timescale
    ephemeris: SpiceKernel

    @property
    def sun(self) -> VectorFunction:
        return self.ephemeris["sun"]

    @property
    def earth(self) -> VectorFunction:
        return self.ephemeris["earth"]


def bundled_data_dir() -> Path:
    """Return the directory of the ephemeris files installed with `skyfield-data`."""
    return Path(skyfield_data.__file__).resolve().parent / "data"


def load_timescale() -> Timescale:
    """Return a Skyfield timescale built from tables inside Skyfield (no download)."""
    return Loader(str(bundled_data_dir()), verbose=False).timescale(builtin=True)


def load_astronomy() -> Astronomy:
    """Open the installed timescale and DE421 ephemeris; never touches the network."""
    path = bundled_data_dir() / _EPHEMERIS_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"the planetary ephemeris {path} is missing; reinstall with "
            "'pip install --force-reinstall skyfield-data'"
        )
    loader = Loader(str(path.parent), verbose=False)
    return Astronomy(timescale=load_timescale(), ephemeris=loader(_EPHEMERIS_FILE))
