"""The astronomy collaborators built without skyfield.api equal what Skyfield's Loader builds."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from skyfield.api import Loader

from passpredict.engine.ephemeris import bundled_data_dir, load_astronomy, load_timescale


def test_the_timescale_equals_the_loaders_builtin_timescale():
    ours = load_timescale()
    theirs = Loader(str(bundled_data_dir()), verbose=False).timescale(builtin=True)
    for name in ("delta_t_table", "leap_dates", "leap_offsets", "_leap_utc", "_leap_offsets"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(theirs, name), err_msg=name)
    t_ours, t_theirs = ours.utc(2026, 5, 8, 3, 17, 41.5), theirs.utc(2026, 5, 8, 3, 17, 41.5)
    assert (t_ours.tt, t_ours.ut1, t_ours.delta_t) == (t_theirs.tt, t_theirs.ut1, t_theirs.delta_t)


def test_the_ephemeris_is_the_kernel_the_loader_opens():
    astronomy = load_astronomy()
    theirs = Loader(str(bundled_data_dir()), verbose=False)("de421.bsp")
    assert astronomy.ephemeris.path == theirs.path
    t = astronomy.timescale.utc(2026, 5, 8)
    ours_km = (astronomy.sun - astronomy.earth).at(t).position.km
    theirs_km = (theirs["sun"] - theirs["earth"]).at(t).position.km
    assert ours_km.tolist() == theirs_km.tolist()
    astronomy.ephemeris.close()
    theirs.close()


def test_loading_the_astronomy_imports_no_download_code():
    code = (
        "import sys; from passpredict.engine.ephemeris import load_astronomy; load_astronomy()\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(done.stdout.split())
    assert "skyfield.api" not in modules and "skyfield.iokit" not in modules
    assert "urllib.request" not in modules and "ssl" not in modules
