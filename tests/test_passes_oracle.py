"""The pass engine against a brute-force oracle (issue 2: "Correctness, proven in tests").

The oracle (`tests/oracle.py`) samples Skyfield's full-accuracy elevation every second and
refines crossings and maxima by bisection and golden-section search; it shares no code with
`passpredict.engine.passes`. It is itself checked against Skyfield's own `find_events`.

Cases: four LEO satellites (SPOT 7, ISS, METOP-B, and ORS-5, whose orbit is equatorial) over
Baku, Tromsø (69.65 N) and Quito (on the equator, 2850 m up), at 0, 10 and 60 deg, over two
days that start while METOP-B is above 60 deg over Tromsø and end while ORS-5 is above 60 deg
over Quito. Extra thresholds turn seven passes into grazes of 0.5 to 17 s, two of them lying
between two samples of the oracle's 1 s scan.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from oracle import (
    SAMPLE_STEP_S,
    OraclePass,
    Track,
    Window,
    read_element_sets,
    scan,
)
from oracle import find_passes as oracle_find_passes

from passpredict.engine.passes import coarse_step_s, find_passes
from passpredict.records import Observer, Pass
from tle_cache.elements import ElementSet

DATA_DIR = Path(__file__).parent / "data" / "oracle"

# -- Tolerances -------------------------------------------------------------------------------
#: Issue 2: rise, set and culmination within 0.1 s of the oracle ...
EVENT_TIME_TOL_S = 0.1
#: ... and the maximum elevation within 0.01 deg.
MAX_ELEVATION_TOL_DEG = 0.01
#: A pass whose maximum clears the threshold by less than this may be missed or invented
#: without failing (no finite precision can decide it). A 0.001 deg margin is still a graze of
#: 0.7-7 s in the cases here, so the grazes of "a few seconds" the issue asks for must be found.
AMBIGUOUS_MARGIN_DEG = 1e-3
#: The engine's look angles against Skyfield's at the engine's own instants: the geometry
#: must agree at the millisecond level (1 ms of LEO motion is under 0.001 deg and 8 m).
LOOK_ELEVATION_TOL_DEG = 2e-3
LOOK_AZIMUTH_TOL_DEG = 2e-3  # on the sky, i.e. times cos(elevation)
LOOK_RANGE_TOL_KM = 0.02
#: Rise and set are the threshold crossings themselves.
CROSSING_ELEVATION_TOL_DEG = 0.01
#: Skyfield's `find_events` refines to half a second (measured here: 0.30 s worst).
FIND_EVENTS_TOL_S = 0.5

# -- Cases ------------------------------------------------------------------------------------
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0)
TROMSO = Observer("Tromsø", 69.65, 18.96, 10.0)
QUITO = Observer("Quito", -0.1807, -78.4678, 2850.0)
OBSERVERS = (BAKU, TROMSO, QUITO)

SPOT7, ISS, METOP_B, ORS5 = 40053, 25544, 38771, 42921

#: METOP-B is above 60 deg over Tromsø at the start; ORS-5 is above 60 deg over Quito at the end.
WINDOW_START = datetime(2026, 5, 6, 9, 33, tzinfo=UTC)
WINDOW_END = WINDOW_START + timedelta(days=2)
THRESHOLDS_DEG = (0.0, 10.0, 60.0)

#: (satellite, observer, threshold): a threshold just under a pass's maximum turns that pass
#: into a graze. Durations are the oracle's; two of these grazes fall between two samples of
#: a 1 s scan, so only the oracle's refinement of near-threshold maxima finds them.
GRAZE_CASES = (
    (ORS5, QUITO, 88.32),  # three grazes of 0.7-1.1 s near the zenith, one between samples
    (SPOT7, TROMSO, 85.491),  # 0.50 s, between samples, 0.0027 deg above the threshold
    (METOP_B, BAKU, 74.714),  # 0.86 s
    (ISS, QUITO, 43.64),  # 2.5 s
    (ISS, TROMSO, 2.58),  # 17 s, low in the north: the ISS barely clears Tromsø's horizon
)

#: Windows inside the main one, for ORS-5 over Quito at 10 deg: passes culminate at
#: 11:20:13, 13:02:53 and 14:45:33.
EDGE_WINDOW = (datetime(2026, 5, 6, 11, 22, tzinfo=UTC), datetime(2026, 5, 6, 13, 1, tzinfo=UTC))
INSIDE_ONE_PASS_WINDOW = (
    datetime(2026, 5, 6, 14, 44, tzinfo=UTC),
    datetime(2026, 5, 6, 14, 47, tzinfo=UTC),
)
#: Ten minutes in which nothing rises above 5 deg anywhere.
EMPTY_WINDOW = (datetime(2026, 5, 6, 10, 20, tzinfo=UTC), datetime(2026, 5, 6, 10, 30, tzinfo=UTC))


# -- Fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def element_sets() -> list[ElementSet]:
    return read_element_sets(DATA_DIR / "elements.tle")


@dataclass
class OracleRun:
    """The oracle over one window: the 1 s scan of every (satellite, observer), done once."""

    window: Window
    tracks: dict[tuple[int, str], Track]
    samples: dict
    _passes: dict = field(default_factory=dict)

    @classmethod
    def create(
        cls, element_sets, observers, timescale, start_utc, end_utc, step_s=SAMPLE_STEP_S
    ) -> OracleRun:
        window = Window(timescale, start_utc, end_utc, step_s)
        tracks = {
            (es.norad_id, obs.name): Track.create(
                es, obs.latitude_deg, obs.longitude_deg, obs.elevation_m, timescale
            )
            for es in element_sets
            for obs in observers
        }
        samples = dict(zip(tracks, scan(list(tracks.values()), window), strict=True))
        return cls(window, tracks, samples)

    def passes(self, norad_id: int, observer: str, min_elevation_deg: float) -> list[OraclePass]:
        """Return the oracle's passes of one pair at one threshold (computed once)."""
        key = (norad_id, observer, min_elevation_deg)
        if key not in self._passes:
            track = self.tracks[key[:2]]
            samples = self.samples[key[:2]]
            self._passes[key] = oracle_find_passes(track, self.window, samples, min_elevation_deg)
        return self._passes[key]


@pytest.fixture(scope="module")
def oracle(element_sets, timescale) -> OracleRun:
    return OracleRun.create(element_sets, OBSERVERS, timescale, WINDOW_START, WINDOW_END)


@pytest.fixture(scope="module")
def engine(element_sets, timescale):
    """The engine's answer for every satellite and observer at once, per threshold (cached)."""

    @functools.cache
    def run(min_elevation_deg: float) -> list[Pass]:
        return find_passes(
            element_sets,
            OBSERVERS,
            WINDOW_START,
            WINDOW_END,
            min_elevation_deg=min_elevation_deg,
            timescale=timescale,
        )

    return run


# -- Comparison -------------------------------------------------------------------------------
@dataclass
class Differences:
    """Worst engine-oracle differences over some passes."""

    rise_s: float = 0.0
    set_s: float = 0.0
    culmination_s: float = 0.0
    max_elevation_deg: float = 0.0
    passes: int = 0


def _span(p, window: Window) -> tuple[datetime, datetime]:
    start = p.rise.time_utc if p.rise else window.start_utc
    end = p.set.time_utc if p.set else window.end_utc
    return start, end


def compare(
    engine_passes: Sequence[Pass],
    oracle_passes: Sequence[OraclePass],
    track: Track,
    window: Window,
    min_elevation_deg: float,
    label: str,
    time_tol_s: float = EVENT_TIME_TOL_S,
    max_elevation_tol_deg: float = MAX_ELEVATION_TOL_DEG,
    culmination_tol_s: float | None = None,
) -> Differences:
    """Match the engine's passes of one satellite and observer to the oracle's, and check them.

    Passes are matched by overlapping intervals; a pass found by only one side fails the test
    unless its maximum is within `AMBIGUOUS_MARGIN_DEG` of the threshold.
    """
    matched, missed, invented = [], [], []
    i = j = 0
    while i < len(engine_passes) or j < len(oracle_passes):
        if i == len(engine_passes):
            missed.append(oracle_passes[j])
            j += 1
            continue
        if j == len(oracle_passes):
            invented.append(engine_passes[i])
            i += 1
            continue
        e_start, e_end = _span(engine_passes[i], window)
        o_start, o_end = _span(oracle_passes[j], window)
        if e_start <= o_end and o_start <= e_end:
            matched.append((engine_passes[i], oracle_passes[j]))
            i += 1
            j += 1
        elif e_end < o_start:
            invented.append(engine_passes[i])
            i += 1
        else:
            missed.append(oracle_passes[j])
            j += 1

    def clear(p) -> bool:
        return p.max_elevation_deg - min_elevation_deg >= AMBIGUOUS_MARGIN_DEG

    def describe(p) -> str:
        start, end = _span(p, window)
        return f"{start:%Y-%m-%dT%H:%M:%S.%f}..{end:%H:%M:%S.%f} max {p.max_elevation_deg:.4f}"

    assert not [p for p in missed if clear(p)], (
        f"{label}: engine missed {[describe(p) for p in missed]}"
    )
    assert not [p for p in invented if clear(p)], (
        f"{label}: engine invented {[describe(p) for p in invented]}"
    )

    diff = Differences(passes=len(matched))
    for e, o in matched:
        where = f"{label}, oracle pass {describe(o)}"
        assert (e.rise is None) == (o.rise is None), f"{where}: engine rise {e.rise}"
        assert (e.set is None) == (o.set is None), f"{where}: engine set {e.set}"
        for name, e_point, o_point in (
            ("rise", e.rise, o.rise),
            ("set", e.set, o.set),
            ("culmination", e.culmination, o.culmination),
        ):
            if o_point is None:
                continue
            dt = abs((e_point.time_utc - o_point.time_utc).total_seconds())
            setattr(diff, f"{name}_s", max(getattr(diff, f"{name}_s"), dt))
            limit = time_tol_s
            if name == "culmination" and culmination_tol_s is not None:
                limit = culmination_tol_s
            assert dt <= limit, (
                f"{where}: {name} at {e_point.time_utc:%H:%M:%S.%f}, oracle "
                f"{o_point.time_utc:%H:%M:%S.%f} ({dt:.3f} s apart)"
            )
        d_max = abs(e.max_elevation_deg - o.max_elevation_deg)
        diff.max_elevation_deg = max(diff.max_elevation_deg, d_max)
        assert d_max <= max_elevation_tol_deg, (
            f"{where}: engine max elevation {e.max_elevation_deg:.5f} deg ({d_max:.5f} off)"
        )
        for name, point in (("rise", e.rise), ("set", e.set)):
            if point is not None:
                assert abs(point.elevation_deg - min_elevation_deg) <= CROSSING_ELEVATION_TOL_DEG, (
                    f"{where}: engine {name} elevation {point.elevation_deg:.5f} deg is not the "
                    f"threshold {min_elevation_deg}"
                )
    check_look_angles([e for e, _ in matched], track, window, label)
    return diff


def check_look_angles(
    engine_passes: Sequence[Pass], track: Track, window: Window, label: str
) -> None:
    """Check every point the engine reports against Skyfield at the engine's own instant."""
    points = [p for e in engine_passes for p in (e.rise, e.culmination, e.set) if p is not None]
    if not points:
        return
    t = window.timescale.from_datetimes([p.time_utc for p in points])
    elevation, azimuth, range_km = track.look(t)
    for point, el, az, rng in zip(points, elevation, azimuth, range_km, strict=True):
        where = f"{label}, engine point at {point.time_utc:%Y-%m-%dT%H:%M:%S.%f}"
        assert abs(point.elevation_deg - el) <= LOOK_ELEVATION_TOL_DEG, (
            f"{where}: elevation {point.elevation_deg:.5f}, Skyfield {el:.5f}"
        )
        d_az = (point.azimuth_deg - az + 180.0) % 360.0 - 180.0
        assert abs(d_az) * np.cos(np.radians(el)) <= LOOK_AZIMUTH_TOL_DEG, (
            f"{where}: azimuth {point.azimuth_deg:.5f}, Skyfield {az:.5f}"
        )
        assert abs(point.range_km - rng) <= LOOK_RANGE_TOL_KM, (
            f"{where}: range {point.range_km:.4f} km, Skyfield {rng:.4f} km"
        )


def compare_all(
    engine_passes: Sequence[Pass],
    oracle: OracleRun,
    pairs,
    min_elevation_deg: float,
    oracle_passes=None,
    **tolerances: float,
) -> Differences:
    """Compare the engine and the oracle on each (satellite, observer) pair."""
    total = Differences()
    for norad_id, observer in pairs:
        mine = [p for p in engine_passes if p.norad_id == norad_id and p.observer == observer]
        theirs = (
            oracle_passes[(norad_id, observer)]
            if oracle_passes is not None
            else oracle.passes(norad_id, observer, min_elevation_deg)
        )
        label = f"NORAD {norad_id} over {observer} at {min_elevation_deg} deg"
        diff = compare(
            mine,
            theirs,
            oracle.tracks[(norad_id, observer)],
            oracle.window,
            min_elevation_deg,
            label,
            **tolerances,
        )
        for name in ("rise_s", "set_s", "culmination_s", "max_elevation_deg"):
            setattr(total, name, max(getattr(total, name), getattr(diff, name)))
        total.passes += diff.passes
    return total


def effective_start(p: Pass, window_start: datetime) -> datetime:
    return p.rise.time_utc if p.rise else window_start


# -- The oracle itself ------------------------------------------------------------------------
def _find_events_passes(track: Track, window: Window, min_elevation_deg: float):
    """Skyfield's `find_events`, grouped into (rise_s, [culmination_s...], set_s) passes."""
    t1 = window.timescale.from_datetime(window.end_utc)
    t, events = track.satellite.find_events(track.topos, window.t0, t1, min_elevation_deg)
    seconds = ((t.whole - window.t0.whole) + (t.tt_fraction - window.t0.tt_fraction)) * 86400.0
    passes, current = [], None
    for s, event in zip(seconds.tolist(), events.tolist(), strict=True):
        if current is None:
            current = [None, [], None]
            passes.append(current)
        if event == 0:
            current[0] = s
        elif event == 1:
            current[1].append(s)
        else:
            current[2] = s
            current = None
    return passes


@pytest.mark.parametrize("min_elevation_deg", [*THRESHOLDS_DEG, "grazes"])
def test_oracle_agrees_with_skyfield_find_events(oracle, min_elevation_deg):
    if min_elevation_deg == "grazes":
        cases = [((sat, obs.name), thr) for sat, obs, thr in GRAZE_CASES]
    else:
        cases = [(key, min_elevation_deg) for key in oracle.tracks]
    for key, threshold in cases:
        ours = oracle.passes(*key, threshold)
        theirs = _find_events_passes(oracle.tracks[key], oracle.window, threshold)
        assert len(ours) == len(theirs), (key, threshold)
        for mine, (rise_s, culminations_s, set_s) in zip(ours, theirs, strict=True):
            for point, s in ((mine.rise, rise_s), (mine.set, set_s)):
                assert (point is None) == (s is None), (key, threshold, point, s)
                if s is not None:
                    assert abs(point.seconds - s) <= FIND_EVENTS_TOL_S, (key, threshold, s)
            if culminations_s:  # none when the pass only descends inside the window
                nearest = min(abs(c - mine.culmination.seconds) for c in culminations_s)
                assert nearest <= FIND_EVENTS_TOL_S, (key, threshold, culminations_s)


def test_oracle_passes_are_consistent_with_its_samples(oracle):
    """Rises and sets sit on the threshold; no 1 s sample is above a pass's maximum."""
    for (norad_id, observer), samples in oracle.samples.items():
        for threshold in THRESHOLDS_DEG:
            for p in oracle.passes(norad_id, observer, threshold):
                for point in (p.rise, p.set):
                    if point is not None:
                        # 0.25 ms from the crossing at up to ~1 deg/s
                        assert abs(point.elevation_deg - threshold) < 1e-3
                start = p.rise.seconds if p.rise else 0.0
                end = p.set.seconds if p.set else samples.seconds[-1]
                inside = (samples.seconds >= start) & (samples.seconds <= end)
                assert np.all(samples.elevation_deg[inside] >= threshold)
                assert np.max(samples.elevation_deg[inside], initial=-90.0) <= (
                    p.max_elevation_deg + 1e-9
                )


def test_cases_include_grazes_high_passes_and_passes_in_progress(oracle):
    """Guard the test cases themselves, in case the data or the window ever change."""
    durations, maxima = [], []
    for threshold in THRESHOLDS_DEG:
        passes = {key: oracle.passes(*key, threshold) for key in oracle.tracks}
        flat = [p for ps in passes.values() for p in ps]
        durations += [p.duration_s for p in flat if p.duration_s is not None]
        maxima += [p.max_elevation_deg for p in flat]
        assert passes[(METOP_B, TROMSO.name)][0].rise is None, threshold
        assert passes[(ORS5, QUITO.name)][-1].set is None, threshold
    between_samples = 0
    for norad_id, observer, threshold in GRAZE_CASES:
        seconds = oracle.samples[(norad_id, observer.name)].seconds
        grazes = [
            p
            for p in oracle.passes(norad_id, observer.name, threshold)
            if p.max_elevation_deg - threshold < 0.1
        ]
        assert grazes, (norad_id, observer, threshold)
        for graze in grazes:
            assert graze.max_elevation_deg - threshold >= AMBIGUOUS_MARGIN_DEG
            durations.append(graze.duration_s)
            inside = (seconds >= graze.rise.seconds) & (seconds <= graze.set.seconds)
            between_samples += not np.any(inside)
    assert between_samples >= 2  # grazes that no sample of the 1 s scan sees
    assert sum(d < 30.0 for d in durations) >= 4
    assert max(maxima) > 85.0
    assert not oracle.passes(ORS5, TROMSO.name, 0.0)
    assert len(oracle.passes(ORS5, QUITO.name, 60.0)) >= 25


# -- The engine against the oracle ------------------------------------------------------------
@pytest.mark.parametrize("min_elevation_deg", THRESHOLDS_DEG)
def test_engine_matches_oracle(oracle, engine, min_elevation_deg):
    passes = engine(min_elevation_deg)
    starts = [effective_start(p, WINDOW_START) for p in passes]
    assert starts == sorted(starts)
    assert {p.min_elevation_deg for p in passes} <= {min_elevation_deg}
    diff = compare_all(passes, oracle, list(oracle.tracks), min_elevation_deg)
    assert diff.passes >= 40


@pytest.mark.parametrize(
    ("norad_id", "observer", "min_elevation_deg"),
    GRAZE_CASES,
    ids=[f"{sat}-{obs.name}-{thr}" for sat, obs, thr in GRAZE_CASES],
)
def test_engine_finds_grazing_passes(
    oracle, element_sets, timescale, norad_id, observer, min_elevation_deg
):
    passes = find_passes(
        element_sets,
        [observer],
        WINDOW_START,
        WINDOW_END,
        min_elevation_deg=min_elevation_deg,
        timescale=timescale,
    )
    compare_all(passes, oracle, [(norad_id, observer.name)], min_elevation_deg)


def _sub_window_comparison(element_sets, timescale, window, min_elevation_deg):
    run = OracleRun.create(element_sets, OBSERVERS, timescale, *window)
    passes = find_passes(
        element_sets, OBSERVERS, *window, min_elevation_deg=min_elevation_deg, timescale=timescale
    )
    compare_all(passes, run, list(run.tracks), min_elevation_deg)
    return passes


def test_window_starting_and_ending_inside_passes(element_sets, timescale):
    passes = _sub_window_comparison(element_sets, timescale, EDGE_WINDOW, 10.0)
    ors5 = [p for p in passes if p.norad_id == ORS5 and p.observer == QUITO.name]
    assert len(ors5) == 2
    first, last = ors5
    # Already past its culmination at the start: the highest point is the window start.
    assert first.rise is None and first.set is not None
    assert first.culmination.time_utc == EDGE_WINDOW[0]
    assert first.in_progress_at_start and first.duration_s is None
    # Still climbing at the end: the highest point is the window end.
    assert last.rise is not None and last.set is None
    assert abs((last.culmination.time_utc - EDGE_WINDOW[1]).total_seconds()) <= EVENT_TIME_TOL_S
    assert last.in_progress_at_end


def test_window_inside_one_pass(element_sets, timescale):
    passes = _sub_window_comparison(element_sets, timescale, INSIDE_ONE_PASS_WINDOW, 10.0)
    (only,) = passes
    assert (only.norad_id, only.observer) == (ORS5, QUITO.name)
    assert only.rise is None and only.set is None
    assert INSIDE_ONE_PASS_WINDOW[0] < only.culmination.time_utc < INSIDE_ONE_PASS_WINDOW[1]


def test_window_without_passes_gives_an_empty_list(element_sets, timescale):
    passes = _sub_window_comparison(element_sets, timescale, EMPTY_WINDOW, 10.0)
    assert passes == []


def test_high_latitude_observer_never_sees_an_equatorial_orbit(oracle, engine, element_sets):
    (ors5,) = [es for es in element_sets if es.norad_id == ORS5]
    assert ors5.inclination_deg < 0.1
    highest = float(np.max(oracle.samples[(ORS5, TROMSO.name)].elevation_deg))
    assert highest < -30.0  # far below Tromsø's horizon, all the time
    for threshold in THRESHOLDS_DEG:
        assert not [p for p in engine(threshold) if p.norad_id == ORS5 and p.observer != "Quito"]


# -- Across the 2016-12-31 leap second --------------------------------------------------------
#: MetOp-B's set of 2017-01-13 over Tromsø (a pass every orbit), a day centred on the leap
#: second 2016-12-31 23:59:60, where UT1 - UTC steps from -0.41 to +0.59 s.
LEAP_WINDOW = (datetime(2016, 12, 31, 12, tzinfo=UTC), datetime(2017, 1, 1, 12, tzinfo=UTC))
#: Precise agreement, as the README states it (measured here: 0.3 ms, 2e-7 deg). UT1 - UTC
#: interpolated linearly between the window's ends put these events 4-5 ms off.
PRECISE_TIME_TOL_S = 2e-3
PRECISE_MAX_ELEVATION_TOL_DEG = 1e-5


@pytest.mark.parametrize("min_elevation_deg", [0.0, 10.0])
def test_window_across_the_2016_leap_second_matches_the_oracle(timescale, min_elevation_deg):
    (metop,) = read_element_sets(DATA_DIR / "metop-b_38771_2017-01-13.tle")
    run = OracleRun.create([metop], [TROMSO], timescale, *LEAP_WINDOW)
    passes = find_passes([metop], [TROMSO], *LEAP_WINDOW, min_elevation_deg, timescale)
    diff = compare_all(
        passes,
        run,
        list(run.tracks),
        min_elevation_deg,
        time_tol_s=PRECISE_TIME_TOL_S,
        max_elevation_tol_deg=PRECISE_MAX_ELEVATION_TOL_DEG,
    )
    assert diff.passes >= 8


# -- Grazes wherever the window starts ---------------------------------------------------------
#: (satellite, observer, threshold, highest point): grazes of 0.10 s and 0.50 s (the oracle's
#: durations), low in Baku's sky and near Tromsø's zenith. The engine once missed the 0.10 s one
#: for some window starts: the value of a maximum was taken at the last point Newton evaluated,
#: up to a second from the maximum, which can lie below the threshold while the maximum is above.
SLIDING_GRAZES = (
    (METOP_B, BAKU, 2.512917, datetime(2026, 5, 6, 19, 22, 6, tzinfo=UTC)),
    (METOP_B, BAKU, 2.5129128, datetime(2026, 5, 6, 19, 22, 6, tzinfo=UTC)),
    (SPOT7, TROMSO, 85.491, datetime(2026, 5, 7, 18, 51, 57, tzinfo=UTC)),
)
#: The window start moves by this across a whole grid step of the satellite.
SLIDE_STEP_S = 2.5


@pytest.mark.parametrize(
    ("norad_id", "observer", "min_elevation_deg", "highest"),
    SLIDING_GRAZES,
    ids=[f"{sat}-{obs.name}-{thr}" for sat, obs, thr, _ in SLIDING_GRAZES],
)
def test_grazes_are_found_wherever_the_window_starts(
    element_sets, timescale, norad_id, observer, min_elevation_deg, highest
):
    (es,) = [es for es in element_sets if es.norad_id == norad_id]
    near = (highest - timedelta(minutes=10), highest + timedelta(minutes=10))
    run = OracleRun.create([es], [observer], timescale, *near)
    (graze,) = run.passes(norad_id, observer.name, min_elevation_deg)
    assert 0.09 < graze.duration_s < 0.55
    step_s = coarse_step_s(es)
    for offset_s in np.arange(0.0, step_s, SLIDE_STEP_S):
        start = highest - timedelta(hours=3, seconds=float(offset_s))
        passes = find_passes(
            [es], [observer], start, start + timedelta(hours=6), min_elevation_deg, timescale
        )
        mine = [p for p in passes if near[0] <= p.culmination.time_utc <= near[1]]
        compare_all(
            mine,
            run,
            [(norad_id, observer.name)],
            min_elevation_deg,
            time_tol_s=PRECISE_TIME_TOL_S,
            max_elevation_tol_deg=PRECISE_MAX_ELEVATION_TOL_DEG,
        )
        assert len(mine) == 1, f"window from {start:%H:%M:%S.%f}: {mine}"


# -- Geostationary satellites that cross the threshold ------------------------------------------
GEO_DATA_DIR = Path(__file__).parent / "data" / "geo"
#: TIANTONG-1 3 (NORAD 47321, inclination 1.7 deg) from Tromsø: low in the east-south-east, its
#: daily wobble takes it from -1.1 to +2.2 deg, so at threshold 0 it rises and sets once a day.
#: Two days from 24 minutes after its epoch, so the elements are propagated as they are (not held
#: at station) and Skyfield's plain SGP4 is the oracle.
GEO_WINDOW = (datetime(2026, 8, 22, 14, tzinfo=UTC), datetime(2026, 8, 24, 14, tzinfo=UTC))
#: The oracle scans a geostationary track every 10 s (its refinement margin grows to match).
GEO_ORACLE_STEP_S = 10.0
#: A geostationary culmination is flat: 1e-10 deg of elevation moves it by about 0.15 s.
GEO_CULMINATION_TOL_S = 1.0


def test_geostationary_crossings_are_passes_that_match_the_oracle(timescale):
    from passpredict.products.predict import predict

    (geo,) = read_element_sets(GEO_DATA_DIR / "tiantong-1-3_47321_2026-08-22.tle")
    result = predict([geo], [TROMSO], *GEO_WINDOW, 0.0, timescale=timescale)
    (look,) = result.geostationary
    assert not look.station_kept
    assert look.elevation_min_deg < 0.0 < look.elevation_max_deg < 3.0
    run = OracleRun.create([geo], [TROMSO], timescale, *GEO_WINDOW, step_s=GEO_ORACLE_STEP_S)
    oracle_passes = run.passes(geo.norad_id, TROMSO.name, 0.0)
    assert [p.rise is None for p in oracle_passes] == [False, False]
    assert all(p.duration_s > 10 * 3600 for p in oracle_passes)  # up for hours every day
    diff = compare_all(
        list(result.passes),
        run,
        [(geo.norad_id, TROMSO.name)],
        0.0,
        time_tol_s=PRECISE_TIME_TOL_S,
        max_elevation_tol_deg=PRECISE_MAX_ELEVATION_TOL_DEG,
        culmination_tol_s=GEO_CULMINATION_TOL_S,
    )
    assert diff.passes == len(result.passes) == 2
    # the look record's highest point is the highest culmination
    assert look.elevation_max_deg == pytest.approx(
        max(p.max_elevation_deg for p in result.passes), abs=1e-9
    )
