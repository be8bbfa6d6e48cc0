"""Horizon masks: the skyline an observer sees (buildings, hills, trees), and passes above it.

A mask is a list of (azimuth, elevation) points, degrees, azimuths increasing from north
through east; between points the skyline is linear in azimuth, and it wraps from the last
point back to the first across north. It comes from a file of ``az_deg el_deg`` lines
(`observers add --horizon FILE`) and is kept with the observer in observers.toml.

With a mask, a pass rises where the satellite clears the higher of the mask and the minimum
elevation, and sets where it falls below it. `mask_table` finds those moments by root finding
on each pass the search found at the minimum elevation (every moment above the mask is also
above the minimum elevation, so no masked pass can lie outside one): the clearance,
elevation minus the threshold at the satellite's azimuth, is sampled every
`SCAN_STEP_S` along the pass and each sign change is refined to 1 ms by regula falsi
(`passpredict.engine.rootfind`). A pass wholly behind the mask vanishes.

A pass that ducks behind an obstacle and comes out again is **split**: each stretch above the
mask is a pass of its own, with its own rise, culmination (its highest point; when the
pass's own culmination is hidden, the end of the stretch nearer to it) and set. A rotator
should not try to follow a satellite through a wall, and a calendar event should be the time
the satellite can really be heard. Dips and gaps shorter than `SCAN_STEP_S` may be missed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from passpredict.engine.frames import look_angles, observer_ecef_km, observer_enu_basis
from passpredict.engine.passes import PassTable
from passpredict.engine.rootfind import find_roots
from passpredict.records import Observer

#: Step (s) of the clearance samples along a pass, and the most samples one pass gets.
SCAN_STEP_S = 1.0
MAX_SAMPLES_PER_PASS = 20_000
#: Root tolerance (s), as the pass search's.
TIME_TOLERANCE_S = 1e-3
#: Elevation limits of a mask point (deg): a little below the horizon (a valley, the sea from
#: a cliff) up to the zenith.
MIN_MASK_ELEVATION_DEG = -5.0
MAX_MASK_ELEVATION_DEG = 90.0
#: A clearance this small (deg) at a pass's own rise or set is zero: the mask is not above
#: the minimum elevation there, and the search's crossing stands.
_CLEARANCE_EPS_DEG = 1e-6

#: (table rows, seconds) -> Earth-fixed positions (n, 3) km of each row's satellite.
PositionFunction = Callable[[NDArray[np.intp], NDArray[np.float64]], NDArray[np.float64]]


# A NamedTuple, not a frozen dataclass: made 5x faster at import, on every start (issue 11).
class HorizonMask(NamedTuple):
    """A skyline: azimuths (strictly increasing, 0 <= az < 360) and elevations, degrees."""

    azimuth_deg: tuple[float, ...]
    elevation_deg: tuple[float, ...]

    def elevation_at(self, azimuth_deg: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return the skyline's elevation at each azimuth (linear, wrapping across north)."""
        return np.interp(
            np.mod(azimuth_deg, 360.0), self.azimuth_deg, self.elevation_deg, period=360.0
        )

    def points(self) -> tuple[tuple[float, float], ...]:
        return tuple(zip(self.azimuth_deg, self.elevation_deg, strict=True))


def mask_from_points(points: Sequence[Sequence[float]], where: str = "horizon") -> HorizonMask:
    """Return a validated mask; raise `ValueError` naming `where`, the point and the fix.

    Azimuths must increase strictly and lie in 0..360 (360 is north again: it is dropped when
    it repeats the elevation at 0, refused otherwise); elevations in -5..90.
    """
    if not points:
        raise ValueError(f"{where}: no points; give 'az_deg el_deg' pairs, e.g. '0 5'")
    azs: list[float] = []
    els: list[float] = []
    for index, point in enumerate(points, start=1):
        if len(point) != 2 or any(isinstance(v, bool) for v in point):
            raise ValueError(f"{where}: point {index} is not an azimuth and an elevation")
        az, el = (float(v) for v in point)
        if not (np.isfinite(az) and np.isfinite(el)):
            raise ValueError(f"{where}: point {index} is not finite ({az!r} {el!r})")
        if not 0.0 <= az <= 360.0:
            raise ValueError(
                f"{where}: azimuth {az:g} at point {index} is outside 0-360; give compass "
                "azimuths in degrees from north through east"
            )
        if not MIN_MASK_ELEVATION_DEG <= el <= MAX_MASK_ELEVATION_DEG:
            raise ValueError(
                f"{where}: elevation {el:g} at point {index} is outside -5..90 deg; give the "
                "skyline's elevation in degrees"
            )
        if azs and az <= azs[-1]:
            raise ValueError(
                f"{where}: azimuth {az:g} at point {index} does not follow {azs[-1]:g}; list the "
                "points by increasing azimuth, each azimuth once"
            )
        azs.append(az)
        els.append(el)
    if azs[-1] == 360.0 and len(azs) > 1:
        if azs[0] == 0.0 and els[0] != els[-1]:
            raise ValueError(
                f"{where}: azimuths 0 and 360 are both north but have elevations {els[0]:g} "
                f"and {els[-1]:g}; give one"
            )
        if azs[0] == 0.0:
            azs.pop()
            els.pop()
        else:
            azs[-1], els[-1] = 0.0, els[-1]
            azs.insert(0, azs.pop())
            els.insert(0, els.pop())
    elif azs[-1] == 360.0:
        azs[-1] = 0.0
    return HorizonMask(tuple(azs), tuple(els))


def read_mask_file(path: Path) -> HorizonMask:
    """Read a mask file: ``az_deg el_deg`` per line; blank lines and ``#`` comments ignored.

    Raises `ValueError` with the file, the line and the fix.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text; save the mask as plain text") from None
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None
    points = []
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.replace(",", " ").split()
        try:
            if len(fields) != 2:
                raise ValueError
            points.append((float(fields[0]), float(fields[1])))
        except ValueError:
            raise ValueError(
                f"{path} line {number}: {raw.strip()!r} is not 'az_deg el_deg' (two numbers, "
                "e.g. '120 15.5')"
            ) from None
        lines.append(number)
    try:
        return mask_from_points(points, str(path))
    except ValueError as error:
        message = str(error)
        for index, number in enumerate(lines, start=1):  # name the file's line, not the point
            message = message.replace(f"at point {index} ", f"on line {number} ")
        raise ValueError(message) from None


def observer_mask(observer: Observer) -> HorizonMask | None:
    """Return the observer's mask, or None when it has none."""
    points = getattr(observer, "horizon", None)
    if not points:
        return None
    return mask_from_points(points, f"observer {observer.name!r} horizon")


def mask_table(
    table: PassTable,
    positions: PositionFunction,
    observers: Sequence[Observer],
    masks: Sequence[HorizonMask | None],
    min_elevation_deg: float,
    duration_s: float,
) -> PassTable:
    """Return the passes of `table` as seen above each observer's mask (see the docstring).

    Rows of observers without a mask are kept as they are; the result is sorted by start.
    """
    if not any(m is not None for m in masks) or len(table) == 0:
        return table
    observers = list(observers)
    obs_ecef = observer_ecef_km(observers)
    enu = observer_enu_basis(observers)

    def look(
        rows: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], ...]:
        r = positions(table.satellite_index[rows], seconds)
        o = table.observer_index[rows]
        return look_angles(r, obs_ecef[o], enu[o])

    def lift(rows: NDArray[np.intp], azimuth_deg: NDArray[np.float64]) -> NDArray[np.float64]:
        """How far (deg, >= 0) the mask raises the threshold above the minimum elevation."""
        raised = np.zeros(azimuth_deg.shape)
        for j in np.unique(table.observer_index[rows]):
            mask = masks[j]
            if mask is not None:
                pick = table.observer_index[rows] == j
                raised[pick] = np.maximum(mask.elevation_at(azimuth_deg[pick]) - min_el, 0.0)
        return raised

    def clearance(
        rows: NDArray[np.intp], seconds: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Elevation above the threshold, and the mask's lift, at each instant."""
        az, el, _ = look(rows, seconds)
        raised = lift(rows, az)
        return el - min_el - raised, raised

    min_el = float(min_elevation_deg)
    rows_out: list[tuple[int, float, float, float]] = []
    for i in range(len(table)):
        if masks[table.observer_index[i]] is None:
            rows_out.append((i, table.rise_s[i], table.culmination_s[i], table.set_s[i]))
        else:
            rows_out.extend(_pieces(i, table, clearance, look, duration_s))
    masked = np.array([masks[o] is not None for o in table.observer_index], dtype=bool)
    return _table_from(rows_out, table, look, masked)


def _pieces(
    i: int,
    table: PassTable,
    clearance: Callable[..., tuple[NDArray[np.float64], NDArray[np.float64]]],
    look: Callable[..., tuple[NDArray[np.float64], ...]],
    duration_s: float,
) -> list[tuple[int, float, float, float]]:
    """Split row `i` into its stretches above the mask: (row, rise, culmination, set)."""
    rise, culm, set_ = table.rise_s[i], table.culmination_s[i], table.set_s[i]
    a = 0.0 if np.isnan(rise) else float(rise)
    b = float(duration_s) if np.isnan(set_) else float(set_)
    length = b - a
    step = max(SCAN_STEP_S, length / MAX_SAMPLES_PER_PASS)
    t = np.unique(np.append(a + np.arange(0.0, length, step), b)) if length > 0 else np.array([a])
    rows = np.full(t.size, i, dtype=np.intp)
    f, raised = clearance(rows, t)
    # at the search's own rise and set the satellite is at the minimum elevation (to the
    # search's tolerance): it is above the mask there exactly when the mask does not lift it
    for end, known in ((0, not np.isnan(rise)), (-1, not np.isnan(set_))):
        if known and raised[end] <= _CLEARANCE_EPS_DEG:
            f[end] = 0.0
    above = f >= 0.0
    if not above.any():
        return []
    edges = np.diff(above.astype(np.int8))
    ups = np.flatnonzero(edges == 1)  # between samples k and k+1
    downs = np.flatnonzero(edges == -1)
    bracket = np.concatenate([ups, downs])
    roots = np.empty(0)
    if bracket.size:
        roots = find_roots(
            lambda x, active: clearance(np.full(x.size, i, dtype=np.intp), x)[0],
            t[bracket],
            t[bracket + 1],
            f[bracket],
            f[bracket + 1],
            TIME_TOLERANCE_S,
        )
    starts = list(roots[: ups.size])
    ends = list(roots[ups.size :])
    if above[0]:
        starts.insert(0, float(rise))  # NaN: in progress at the window start, as before
    if above[-1]:
        ends.append(float(set_))
    pieces = []
    for start, end in zip(starts, ends, strict=True):
        s0 = a if np.isnan(start) else start
        s1 = b if np.isnan(end) else end
        if s0 <= culm <= s1:
            top = float(culm)
        else:
            # elevation rises to the culmination and falls after it, so the top of a
            # stretch without it is one of its ends
            ends_s = np.array([s0, s1])
            _, el, _ = look(np.full(2, i, dtype=np.intp), ends_s)
            top = float(ends_s[int(np.argmax(el))])
        pieces.append((i, float(start), top, float(end)))
    return pieces


def _table_from(
    rows: list[tuple[int, float, float, float]],
    table: PassTable,
    look: Callable[..., tuple[NDArray[np.float64], ...]],
    recompute: NDArray[np.bool_],
) -> PassTable:
    """Build the table of `rows` (source row, rise, culmination, set), sorted by start.

    Rows flagged in `recompute` (by source row) get their look angles anew; the others keep
    the search's.
    """
    index = np.array([r[0] for r in rows], dtype=np.intp)
    times = np.array([r[1:] for r in rows], dtype=float).reshape(-1, 3)
    points = table.points[index].copy() if index.size else np.empty((0, 3, 3))
    fresh = recompute[index][:, None] & ~np.isnan(times)
    if fresh.any():
        az, el, rng = look(np.repeat(index[:, None], 3, axis=1)[fresh], times[fresh])
        points[fresh] = np.stack([az, el, rng], axis=-1)
    points[np.isnan(times)] = np.nan
    start = np.where(np.isnan(times[:, 0]), -np.inf, times[:, 0])
    order = np.lexsort((times[:, 1], start))
    return PassTable(
        table.satellite_index[index][order],
        table.observer_index[index][order],
        times[order, 0],
        times[order, 1],
        times[order, 2],
        points[order],
    )
