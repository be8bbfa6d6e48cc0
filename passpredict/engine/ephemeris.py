"""The astronomy collaborators: a timescale and the Sun, from data installed with the package.

Skyfield's default loader downloads files at run time; we never do. The timescale uses the
leap-second and Earth-orientation tables built into Skyfield, and the planetary ephemeris is the
JPL DE421 file shipped by the `skyfield-data` package (valid 1900-2050). We open that file by path
instead of calling `skyfield_data.get_skyfield_data_path()`, because that call warns about the
age of the Earth-orientation file we do not use.

Neither goes through `skyfield.api.Loader`: importing `skyfield.api` (its loader module imports
urllib, ssl, http.client and email for downloads, plus star and constellation code) cost about
30 ms CPU on every start of the command line, more than the pass search of the bundled elements
(issue 11). We build the same timescale and open the same kernel from Skyfield's lower modules.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import skyfield_data
from skyfield.functions import load_bundled_npy
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
    """Return a Skyfield timescale built from tables inside Skyfield (no download).

    The same steps as `Loader.timescale(builtin=True)` of Skyfield 1.55 (tests/test_ephemeris.py
    holds the two equal): the bundled IERS arrays of daily TT, Delta T and leap seconds.
    """
    arrays = load_bundled_npy("iers.npz")
    daily_tt = arrays["tt_jd_minus_arange"]
    daily_tt += np.arange(len(daily_tt))
    daily_delta_t = (arrays["delta_t_1e7"] / 1e7).round(7)
    return Timescale((daily_tt, daily_delta_t), arrays["leap_dates"], arrays["leap_offsets"])


def load_astronomy() -> Astronomy:
    """Open the installed timescale and DE421 ephemeris; never touches the network."""
    path = bundled_data_dir() / _EPHEMERIS_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"the planetary ephemeris {path} is missing; reinstall with "
            "'pip install --force-reinstall skyfield-data'"
        )
    # What Loader(directory)("de421.bsp") returns for a file already on disk.
    return Astronomy(timescale=load_timescale(), ephemeris=SpiceKernel(str(path)))
