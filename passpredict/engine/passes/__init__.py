"""The pass search: coarse vectorised scan, then safeguarded Newton root finding.

For every satellite and observer at once, in four steps, one module each:

1. `scan`: SGP4 on a grid shared by every observer, 1/6 of the period for near-circular
   orbits below 225 min and 1/20 (at most 10 min) for every other orbit; on grids of 400
   samples or more, samples where the orbit plane is provably too far from every observer
   are skipped. At each sample we have sin(elevation) and its analytic time derivative.
2. `bracket`: a sign change of the elevation rate between two samples brackets one maximum
   (or minimum), refined only if central-angle bounds say it could reach the threshold (all
   of them when there are 64 or fewer maxima; or, for a minimum between two samples above
   it, only if it could dip below it); a sign change of
   sin(elevation) - sin(threshold) over an interval without one brackets one crossing.
3. `refine`: maxima (roots of the elevation rate) and threshold crossings to 1 ms by
   safeguarded Newton on SGP4 itself, from first guesses on a quintic Hermite interpolation
   of the track (`guesses`), so most roots take one SGP4 evaluation, made for every bracket
   at once. Rise and set are the threshold crossings themselves, not a filter applied
   afterwards.
4. `assemble`: passes from the sorted crossings; the window ends act as brackets, so a pass
   in progress at the start has no rise and one in progress at the end has no set, and its
   culmination is the highest point inside the window.

Beside them: `elevation` (sin(elevation) and its derivatives from SGP4's states, on the grid
and at single points: the geometry every step shares), `table` (`PassTable`, the arrays the
search returns, and `Pass` records from them) and `search` (`find_passes` and
`search_passes`, which group satellites by step and run the four steps). The split follows
the steps so that each module holds one of them; every name other code imports is
re-exported here, so `passpredict.engine.passes` (and the old path `passpredict.passes`) is
the public surface and the modules inside are not.

What is promised: every pass that lasts 0.5 s or more from rise to set is found, whatever
the window's start (which sets the grid's phase), with rise, culmination and set within 2 ms
of the brute-force oracle (tests/test_passes_oracle.py slides the window start across a whole
grid step over grazes of 0.5 s and 0.1 s). Shorter grazes are usually found too (all 432
grazes of 10 ms in a trial over the oracle's satellites and observers at random window
starts), but not promised: within the 1 ms root tolerance of a maximum, a graze can no longer
be told from a near miss.

Nothing here depends on which other satellites or observers share a call: a satellite's grid
depends only on its own period, a skipped sample is one no observer could need, and every
computation is elementwise, so a chunked run gives the same numbers bit for bit
(`passpredict.runs.batch`).

Geometry conventions (see `passpredict.engine.frames`): SGP4 with WGS72 constants, Earth
rotation by GMST 1982 at UT1, observers on WGS84, geometric elevation (no refraction).
"""

from passpredict.engine.passes.elevation import J2, NEAR_CIRCULAR_MAX_ECCENTRICITY
from passpredict.engine.passes.guesses import HERMITE_SUBSTEPS
from passpredict.engine.passes.refine import TIME_TOLERANCE_S
from passpredict.engine.passes.scan import (
    MAX_STEP_S,
    MIN_STEP_S,
    NEAR_CIRCULAR_STEP_FRACTION,
    STEP_FRACTION_OF_PERIOD,
    STEP_QUANTUM_S,
    coarse_step_s,
)
from passpredict.engine.passes.search import find_passes, search_passes
from passpredict.engine.passes.table import (
    PassTable,
    concatenate_tables,
    pass_records,
    sort_table,
)

__all__ = [
    "HERMITE_SUBSTEPS",
    "J2",
    "MAX_STEP_S",
    "MIN_STEP_S",
    "NEAR_CIRCULAR_MAX_ECCENTRICITY",
    "NEAR_CIRCULAR_STEP_FRACTION",
    "STEP_FRACTION_OF_PERIOD",
    "STEP_QUANTUM_S",
    "TIME_TOLERANCE_S",
    "PassTable",
    "coarse_step_s",
    "concatenate_tables",
    "find_passes",
    "pass_records",
    "search_passes",
    "sort_table",
]
