"""`passpredict watch`: a long-running loop that runs a command before each AOS and at LOS.

Parsing and printing only; the loop is `passpredict.station.watch`. Each event handled is one
line on stdout (flushed, for a journal), warnings on stderr. SIGTERM (systemctl stop) ends the
loop quietly with exit 0; Ctrl-C exits 130.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from passpredict.cli.messages import verbosity_options, warn
from passpredict.cli.options import (
    chosen_element_sets,
    duration_option,
    observer_options,
    resolve_observers,
    tle_file_option,
)
from passpredict.engine.ephemeris import load_timescale
from passpredict.inputs.param_types import INSTANT, FiniteFloat
from passpredict.products.geo.lasting import lasting_looks
from passpredict.products.predict import predict
from passpredict.records import GeoLook, Pass
from passpredict.station.clock import SimulatedClock, SystemClock
from passpredict.station.watch import PassEvent, pass_environment, watch
from tle_cache.elements import ElementSet

#: Longest a hook may run (s) before it is stopped with a warning: the next event waits on it.
HOOK_TIMEOUT_S = 300.0


@click.command("watch")
@click.argument("satellites", nargs=-1, metavar="[SATELLITE]...")
@observer_options
@click.option("--exec", "command", metavar="CMD", help="Shell command run at each event.")
@click.option(
    "--before",
    default="5m",
    show_default=True,
    callback=duration_option,
    metavar="DURATION",
    help="How long before AOS the AOS event fires (30s, 5m, 1h).",
)
@click.option(
    "--min-elevation",
    "min_elevation_deg",
    type=FiniteFloat(-90, 90, max_open=True),
    default=10.0,
    show_default=True,
    metavar="DEG",
    help="Passes above this elevation (and the observer's horizon mask).",
)
@tle_file_option
@click.option("--start", type=INSTANT, metavar="ISO8601", help="Start here (with --speed).")
@click.option(
    "--speed",
    type=FiniteFloat(min=0, max=1e7, min_open=True),
    metavar="N",
    help="Run on a simulated clock from --start, N times faster than real time.",
)
@click.option(
    "--passes",
    "pass_count",
    type=click.IntRange(min=1),
    metavar="N",
    help="Stop after N passes (default: run until stopped).",
)
@verbosity_options
def watch_command(
    satellites: tuple[str, ...],
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    command: str | None,
    before: timedelta,
    min_elevation_deg: float,
    tle_file: Path | None,
    start: datetime | None,
    speed: float | None,
    pass_count: int | None,
) -> None:
    """Wait for passes and run CMD before each AOS (--before) and at LOS.

    CMD runs through the shell with the pass in its environment: PASS_EVENT (AOS or LOS),
    PASS_EVENT_UTC, PASS_SATELLITE, PASS_NORAD_ID, PASS_OBSERVER, PASS_AOS_UTC, PASS_LOS_UTC,
    PASS_CULMINATION_UTC, PASS_MAX_ELEVATION_DEG, PASS_AOS_AZIMUTH_DEG, PASS_LOS_AZIMUTH_DEG,
    PASS_DURATION_S, PASS_MIN_ELEVATION_DEG. A hook that fails or runs over 300 s gets a
    warning; the loop goes on. Made for a systemd service (see README, Ground station).
    """
    if start is not None and speed is None:
        raise click.UsageError("--start needs --speed (watch runs on the real clock otherwise)")
    observers = resolve_observers(observer_names, lat, lon, alt, None)
    timescale = load_timescale()
    cache: dict[str, Any] = {}

    def passes_between(begin: datetime, end: datetime) -> list[Pass]:
        first = "warned" not in cache
        selection = chosen_element_sets(satellites, tle_file, begin, end, begin, first)
        cache["warned"] = True
        found = predict(
            selection.element_sets, observers, begin, end, min_elevation_deg, timescale=timescale
        )
        if first and _warn_never_watched(
            found, observers, _lasting(found, selection.element_sets, begin, timescale)
        ):
            raise click.ClickException(
                "nothing to watch: no satellite here ever rises or sets over these observers "
                "(warnings above); give satellites that do, or another --min-elevation"
            )
        return list(found.passes)

    def run_hook(event: PassEvent) -> None:
        if command is None:
            return
        env = {**os.environ, **pass_environment(event)}
        try:
            done = subprocess.run(command, shell=True, env=env, timeout=HOOK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            warn(f"--exec {shlex.quote(command)} ran over {HOOK_TIMEOUT_S:g} s and was stopped")
            return
        if done.returncode != 0:
            warn(f"--exec {shlex.quote(command)} exited {done.returncode} at {event.kind}")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    now = datetime.now(UTC)  # the only clock read; the simulated clock starts here
    clock: Any = SimulatedClock(start or now, speed) if speed is not None else SystemClock()
    for event in watch(passes_between, clock, run_hook, before=before, max_passes=pass_count):
        env = pass_environment(event)
        sys.stdout.write(
            f"{env['PASS_EVENT_UTC']} {event.kind} {event.item.satellite} "
            f"({event.item.norad_id}) over {event.item.observer}, max "
            f"{event.item.max_elevation_deg:.1f} deg\n"
        )
        sys.stdout.flush()


def _steady(look: GeoLook) -> bool:
    """Whether a geostationary look stays on one side of the minimum elevation all its window."""
    return look.always_above_min_elevation or look.elevation_max_deg < look.min_elevation_deg


def _lasting(
    found: Any, element_sets: list[ElementSet], begin: datetime, timescale: Any
) -> list[GeoLook]:
    """The looks of the geostationary satellites that stay on one side of the minimum elevation
    in the first search's day, judged again over all the time their model gives from `begin`
    on (`lasting_looks`): a drifting one above all of the first day may set later."""
    steady = {look.norad_id for look in found.geostationary if _steady(look)}
    if not steady:
        return []
    sets = [es for es in element_sets if es.norad_id in steady]
    observers = list(found.observers)
    return lasting_looks(sets, observers, begin, found.min_elevation_deg, timescale)


def _warn_never_watched(found: Any, observers: list[Any], lasting: list[GeoLook]) -> bool:
    """Warn once about each satellite that gives no AOS or LOS to wait for: a geostationary
    one that stays above (or below) the minimum elevation for good (`lasting`: judged over
    every position its model gives, `lasting_looks`; was: over the first day only), one left
    out of the search (its note says why). Said at the first search; without it the loop
    waits without a word. Return whether that is every satellite over every observer
    (nothing to watch)."""
    names = [o.name for o in observers]
    never: set[tuple[int, str]] = set()
    for look in lasting:
        if _steady(look):
            where = "above" if look.always_above_min_elevation else "below"
            warn(
                f"{look.satellite} ({look.norad_id}) is geostationary and stays {where} "
                f"{look.min_elevation_deg:g} deg over {look.observer} for good under its "
                "element set: no AOS or LOS to wait for (see 'passpredict geo' for where it is)"
            )
            never.add((look.norad_id, look.observer))
    for item in found.notes:
        warn(f"{item.satellite} ({item.norad_id}): {item.reason}; it is not watched")
        never.update(
            (item.norad_id, name) for name in ([item.observer] if item.observer else names)
        )
    satellites = {report.norad_id for report in found.satellites}
    return not found.passes and never >= {(n, name) for n in satellites for name in names}
