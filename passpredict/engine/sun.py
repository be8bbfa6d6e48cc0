"""The Sun over a window: Skyfield's apparent geocentric Sun, interpolated between nodes.

Shared by everything that needs the Sun many times over (sun outages, eclipses, shadow and
visibility of passes): Skyfield computes the apparent Sun (DE421, light time and annual
aberration) at a few nodes, and positions in between are interpolated in the TEME frame, then
rotated into the Earth-fixed frame by the same GMST 1982 as the SGP4 positions, so satellite
and Sun always share one frame.
"""

from __future__ import annotations

import math
import weakref
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from skyfield.jpllib import SpiceKernel
from skyfield.sgp4lib import TEME
from skyfield.timelib import Timescale

from passpredict.engine.ephemeris import Astronomy
from passpredict.engine.propagate import earth_fixed_km
from passpredict.engine.time_axis import TimeBase

#: Spacing of the Skyfield Sun nodes interpolated in between. Skyfield's apparent Sun (its
#: full nutation) costs about 0.2 ms a node, so hourly nodes took 152 of 192 ms of a 30-day
#: run (issue 11); a degree-5 Lagrange polynomial through six nodes 12 hours apart follows the
#: Sun's 0.5 deg a step to well under 1e-4 arcsec (tests/test_sun.py measures it against
#: Skyfield's full-accuracy Sun), closer than the chord between hourly nodes did (8e-5).
SUN_NODE_STEP_S = 43200.0
#: Nodes in each interpolating polynomial (degree 5).
_STENCIL = 6


def _weight_steps() -> list[tuple[list[tuple[int, float | None]], float]]:
    """For each node k, how its Lagrange weight prod_{m != k} (u - m) / (k - m) is made.

    Dividing by -1, +-2 or +-4 only scales by a signed power of two, which is exact and
    commutes with every rounding of the product, so it is taken out of the product and put
    on the node's coordinates instead (tiny arrays); only the divisions by 3 and 5 stay in
    place. The weights' products then round exactly as the written-out formula does, bit for
    bit (tests/test_sun.py), with 8 divisions instead of 30.
    """
    plans = []
    for k in range(_STENCIL):
        scale, steps = 1.0, []
        for m in range(_STENCIL):
            if m == k:
                continue
            size = abs(k - m)
            scale = -scale if k < m else scale
            while size % 2 == 0:
                size //= 2
                scale *= 0.5
            steps.append((m, None if size == 1 else float(size)))
        plans.append((steps, scale))
    return plans


#: (m, odd divisor or None) in order of m, and the power-of-two scale, per node k.
_WEIGHT_STEPS = _weight_steps()


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class SunTrack(NamedTuple):
    """The apparent geocentric Sun over a window, interpolated from Skyfield nodes.

    `node_seconds` are seconds from `timebase.start_utc`, `node_teme_km` (n, 3) the Sun in the
    TEME frame there. Interpolation happens in TEME (which barely turns) and the result is
    rotated into the Earth-fixed frame by the same GMST 1982 as the SGP4 positions, so the
    satellite and the Sun always share one frame.
    """

    timebase: TimeBase
    node_seconds: NDArray[np.float64]
    node_teme_km: NDArray[np.float64]

    @classmethod
    def create(
        cls,
        astronomy: Astronomy,
        timebase: TimeBase,
        first_s: float,
        last_s: float,
        step_s: float = SUN_NODE_STEP_S,
    ) -> SunTrack:
        """Compute the Sun at nodes covering [first_s, last_s] (seconds from the start)."""
        if not last_s >= first_s:
            raise ValueError(f"last_s must not precede first_s, got {first_s!r} > {last_s!r}")
        # every instant of [first_s, last_s] has two and a half steps of nodes on either side
        count = math.ceil((last_s - first_s) / step_s) + _STENCIL
        nodes = first_s - 2.5 * step_s + step_s * np.arange(count, dtype=np.float64)
        return cls(timebase, nodes, _apparent_sun_teme_km(astronomy, timebase.start_utc, nodes))

    def teme_km(self, seconds: ArrayLike) -> NDArray[np.float64]:
        """Return the apparent geocentric Sun (n, 3) km in TEME at `seconds` from the start."""
        secs = np.atleast_1d(np.asarray(seconds, dtype=float))
        sun_teme_km: NDArray[np.float64] = np.ascontiguousarray(self._teme_rows(secs).T)
        return sun_teme_km

    def _teme_rows(self, secs: NDArray[np.float64]) -> NDArray[np.float64]:
        """`teme_km` at `secs` (1-d), as rows (3, n): x, y and z, each contiguous.

        In blocks of `_SUN_BLOCK_POINTS`: a block's dozen temporaries stay in the cache (a
        catalogue chunk asks for 36,000 instants at once); each instant's arithmetic is its
        own, so the same bits whatever the blocks.
        """
        if secs.size and (secs.min() < self.node_seconds[0] or secs.max() > self.node_seconds[-1]):
            raise ValueError(
                f"the Sun was computed for {self.node_seconds[0]:.0f}..{self.node_seconds[-1]:.0f}"
                f" s from the start, not for {secs.min():.0f}..{secs.max():.0f} s; widen the track"
            )
        # the nodes' coordinates times each node's power-of-two scale (`_weight_steps`)
        coordinates = self.node_teme_km.T
        scaled = [[coordinates[j] * scale for j in range(3)] for _, scale in _WEIGHT_STEPS]
        rows = np.empty((3, secs.size))
        for begin in range(0, secs.size, _SUN_BLOCK_POINTS):
            block = slice(begin, begin + _SUN_BLOCK_POINTS)
            _lagrange_into(self.node_seconds, scaled, secs[block], rows[:, block])
        return rows

    def ecef_km(
        self, seconds: ArrayLike, gmst_rad: NDArray[np.float64] | None = None
    ) -> NDArray[np.float64]:
        """Return the apparent geocentric Sun (n, 3) km in the Earth-fixed frame at `seconds`.

        `gmst_rad`, if given, is `timebase.gmst_rad(seconds)` already computed by the caller
        (the satellites' positions at the same times need it too).
        """
        secs = np.atleast_1d(np.asarray(seconds, dtype=float))
        gmst = self.timebase.gmst_rad(secs) if gmst_rad is None else gmst_rad
        return self.ecef_rotated_km(secs, (np.cos(gmst), np.sin(gmst)))

    def ecef_rotated_km(
        self,
        seconds: NDArray[np.float64],
        rotation: tuple[NDArray[np.float64], NDArray[np.float64]],
    ) -> NDArray[np.float64]:
        """`ecef_km` at `seconds` (1-d), given (cos, sin) of `timebase.gmst_rad(seconds)`.

        The satellites' positions at the same instants rotate by the same angle
        (`passpredict.engine.propagate.propagate_positions`): computed once for both.
        """
        x, y, z = self._teme_rows(seconds)
        # `teme_to_ecef`'s rotation of positions, without the velocity the Sun does not need
        return earth_fixed_km(x, y, z, *rotation)


#: The Sun at the nodes already computed, per ephemeris and timescale: (start, first node,
#: count, step) -> (count, 3) km, read-only. A batch's chunks share one window, so one track.
_NODES_KEPT = 16
_NODES: weakref.WeakKeyDictionary[
    SpiceKernel,
    weakref.WeakKeyDictionary[Timescale, dict[tuple[datetime, float, int, float], NDArray[Any]]],
] = weakref.WeakKeyDictionary()


def _apparent_sun_teme_km(
    astronomy: Astronomy, start: datetime, nodes: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return Skyfield's apparent geocentric Sun (n, 3) km in TEME at `nodes` (s from `start`).

    Kept per ephemeris, timescale and node grid: a catalogue's chunks ask for the same
    nodes, and Skyfield's Sun costs about 2.5 ms a track (its nutation series), 15 ms of a
    catalogue run (issue 11). The same call on the same instants: the same bits.
    """
    key = (start, float(nodes[0]), nodes.size, float(nodes[1] - nodes[0]))
    by_timescale = _NODES.setdefault(astronomy.ephemeris, weakref.WeakKeyDictionary())
    kept = by_timescale.setdefault(astronomy.timescale, {})
    found = kept.get(key)
    if found is None:
        t = astronomy.timescale.utc(
            start.year,
            start.month,
            start.day,
            start.hour,
            start.minute,
            start.second + start.microsecond * 1e-6 + nodes,
        )
        apparent = astronomy.earth.at(t).observe(astronomy.sun).apparent()
        found = np.asarray(apparent.frame_xyz(TEME).km).T
        found.flags.writeable = False
        if len(kept) >= _NODES_KEPT:
            kept.clear()
        kept[key] = found
    return found


#: Instants `SunTrack._teme_rows` interpolates at a time (8,192: 64 KB an array).
_SUN_BLOCK_POINTS = 8192


def _lagrange_into(
    node_seconds: NDArray[np.float64],
    scaled: list[list[NDArray[np.float64]]],
    secs: NDArray[np.float64],
    rows: NDArray[np.float64],
) -> None:
    """Interpolate the Sun at `secs` into `rows` (3, n), from the nodes' scaled coordinates.

    Lagrange basis: w_k = prod over m != k of (u - m) / (k - m), multiplied in order of m,
    then the sum of w_k times node k, in order of k: on 1-d arrays, one coordinate at a time
    (a (n, 6) weight table and an (n, 6, 3) gather cost about four times as much); the
    divisions by powers of two are exact scalings, moved onto the nodes (`_weight_steps`):
    the same bits, a fifth less time. The products and sums go into arrays of the block's
    own (no temporaries), the same operations in the same order: the same bits.
    """
    step = node_seconds[1] - node_seconds[0]
    # the six nodes around each instant (three before, three after; fewer at the ends)
    first = np.floor((secs - node_seconds[0]) / step).astype(np.intp)
    first -= 2
    np.clip(first, 0, node_seconds.size - _STENCIL, out=first)
    u = secs - node_seconds[first]
    u /= step  # in units of the step, from the stencil's first node
    shifted = [u - m for m in range(_STENCIL)]
    weight = np.empty(secs.size)
    term = np.empty(secs.size)
    at = np.empty(secs.size, dtype=np.intp)
    for k, (steps, _) in enumerate(_WEIGHT_STEPS):
        factors = [shifted[m] if odd is None else shifted[m] / odd for m, odd in steps]
        np.multiply(factors[0], factors[1], out=weight)
        for factor in factors[2:]:
            np.multiply(weight, factor, out=weight)
        np.add(first, k, out=at)
        for j in range(3):
            if k == 0:
                np.multiply(weight, scaled[k][j].take(at), out=rows[j])
            else:
                scaled[k][j].take(at, out=term)
                term *= weight
                rows[j] += term


#: How fast the Sun's direction turns in the Earth-fixed frame (rad/s): the Earth's rotation
#: (7.292e-5; the Sun's own drift along the ecliptic turns it slightly slower), rounded up.
SUN_TURN_RATE_RAD_S = 7.3e-5
#: Safety factor on `altitude_curvature_bound_deg_s2`, over the rounding up of its rate.
ALTITUDE_CURVATURE_MARGIN = 1.5


def altitude_curvature_bound_deg_s2(
    altitude_deg: float, rate_deg_s: float, width_s: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Bound |d^2 el / dt^2| (deg/s^2) of the Sun's altitude el on any interval `width_s` long
    where el reaches `altitude_deg` somewhere, el moving at most `rate_deg_s`.

    sin el = u . d with u the observer's up and d the unit vector to the Sun, which turns
    about the Earth's axis at W <= `SUN_TURN_RATE_RAD_S`: |(sin el)'| <= W and
    |(sin el)''| <= W^2. From el = asin(sin el), el'' = (sin el)'' / cos el +
    (sin el)'^2 sin el / cos^3 el, so |el''| <= W^2 (1 / c + 1 / c^3) with c the smallest
    cos el on the interval, where |el| <= |altitude| + rate * width; times
    `ALTITUDE_CURVATURE_MARGIN` (which also covers the observer's offset from the Earth's
    centre, 4e-5 of the Sun's distance, and the Sun's slow drift in declination). Near the
    zenith or the nadir (within a degree) there is no bound (inf): the altitude has a kink
    there. With it, `passpredict.engine.crossings.span_crossings` skips the 1 s
    resampling of a 120 s interval whose two altitudes clear the twilight's by a few
    thousandths of a degree on the same side.
    """
    width = np.asarray(width_s, dtype=float)
    farthest_deg = abs(altitude_deg) + rate_deg_s * width
    c = np.cos(np.radians(np.minimum(farthest_deg, 90.0)))
    with np.errstate(divide="ignore"):
        bound_rad = ALTITUDE_CURVATURE_MARGIN * SUN_TURN_RATE_RAD_S**2 * (1.0 / c + 1.0 / c**3)
    bound: NDArray[np.float64] = np.where(farthest_deg < 89.0, np.degrees(bound_rad), np.inf)
    return bound
