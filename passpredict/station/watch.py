"""The AOS/LOS hook loop behind `passpredict watch`: run a command before each pass and at LOS.

The loop is handed its clock (`passpredict.station.clock`), a source of passes and a runner
for the command, so it can be tested without sleeping or spawning. It waits for each event
with one `sleep_until` (no busy waiting: a day's wait is one call on the real clock, woken
at most once a minute to notice a clock step), which suits a systemd service.

Events, in time order across every satellite and observer: `AOS` at `before` ahead of the
rise (or at once, for a pass already in progress or nearer than that), `LOS` at the set.
The command gets the pass in environment variables (`pass_environment`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from passpredict.records import Pass
from passpredict.station.clock import Clock


@dataclass(frozen=True)
class PassEvent:
    """A moment to run the hook: `kind` is "AOS" (before the rise) or "LOS" (at the set)."""

    when_utc: datetime
    kind: str
    item: Pass


def _z(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def pass_environment(event: PassEvent) -> dict[str, str]:
    """Return the PASS_* variables the hook sees (times ISO 8601 UTC, angles in degrees)."""
    p = event.item
    env = {
        "PASS_EVENT": event.kind,
        "PASS_EVENT_UTC": _z(event.when_utc),
        "PASS_SATELLITE": p.satellite,
        "PASS_NORAD_ID": str(p.norad_id),
        "PASS_OBSERVER": p.observer,
        "PASS_AOS_UTC": _z(p.start_utc),
        "PASS_CULMINATION_UTC": _z(p.culmination.time_utc),
        "PASS_MAX_ELEVATION_DEG": f"{p.max_elevation_deg:.3f}",
        "PASS_CULMINATION_AZIMUTH_DEG": f"{p.culmination.azimuth_deg:.3f}",
        "PASS_MIN_ELEVATION_DEG": f"{p.min_elevation_deg:g}",
    }
    if p.rise is not None:
        env["PASS_AOS_AZIMUTH_DEG"] = f"{p.rise.azimuth_deg:.3f}"
    if p.set is not None:
        env["PASS_LOS_UTC"] = _z(p.set.time_utc)
        env["PASS_LOS_AZIMUTH_DEG"] = f"{p.set.azimuth_deg:.3f}"
        env["PASS_DURATION_S"] = f"{(p.set.time_utc - p.start_utc).total_seconds():.1f}"
    return env


def pass_events(passes: Iterable[Pass], before: timedelta, now_utc: datetime) -> list[PassEvent]:
    """Return the AOS and LOS events of complete passes, sorted by time (AOS first on ties).

    A pass already over at `now_utc` has none (a late start, a suspended machine).
    """
    events = []
    for p in passes:
        if p.set is None or p.set.time_utc <= now_utc:
            continue
        events.append(PassEvent(max(p.start_utc - before, now_utc), "AOS", p))
        events.append(PassEvent(p.set.time_utc, "LOS", p))
    return sorted(events, key=lambda e: (e.when_utc, e.kind != "AOS"))


def watch(
    windows: Callable[[datetime, datetime], list[Pass]],
    clock: Clock,
    run_hook: Callable[[PassEvent], None],
    *,
    before: timedelta,
    window: timedelta = timedelta(days=1),
    max_passes: int | None = None,
) -> Iterator[PassEvent]:
    """Run the hook for every event, window after window; yield each event once handled.

    `windows(start, end)` returns the passes (complete ones used) whose set falls in
    [start, end); each is handled once. Stops after `max_passes` LOS events, or never.
    """
    done_los = 0
    start = clock.now()
    seen: set[tuple[int, str, datetime]] = set()
    while True:
        # search a window only when it is near: no running ahead through empty days
        clock.sleep_until(start - before - timedelta(hours=1))
        end = start + window
        fresh = [
            p
            for p in windows(start, end)
            if p.set is not None and (p.norad_id, p.observer, p.set.time_utc) not in seen
        ]
        for event in pass_events(fresh, before, clock.now()):
            clock.sleep_until(event.when_utc)
            run_hook(event)
            yield event
            if event.kind == "LOS":
                p = event.item
                seen.add((p.norad_id, p.observer, event.when_utc))  # an LOS is at the set
                done_los += 1
                if max_passes is not None and done_los >= max_passes:
                    return
        start = end - window / 4  # overlap: a pass across the edge is found whole
