"""The passes a live loop will fly, found ahead of time, and each one's rotator plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import numpy as np
from skyfield.timelib import Timescale

from passpredict.products.predict import predict
from passpredict.records import Observer, Pass
from passpredict.station.target import Target
from passpredict.station.tracker import Segment
from passpredict.station.wrap import RotatorLimits, plan_pass
from tle_cache.elements import ElementSet

#: Passes are searched this far ahead at a time, up to `SEARCH_LIMIT` in all.
SEARCH_CHUNK = timedelta(days=1)
SEARCH_LIMIT = timedelta(days=30)
#: Plan samples: every second, at most this many per pass.
PLAN_STEP_S = 1.0
MAX_PLAN_SAMPLES = 7200


def upcoming_passes(
    element_set: ElementSet,
    observer: Observer,
    start_utc: datetime,
    min_elevation_deg: float,
    timescale: Timescale,
) -> Iterator[Pass]:
    """Yield the passes from `start_utc` on (one in progress first), as far as 30 days.

    The observer's horizon mask applies (`passpredict.products.horizon`). A pass in progress at
    `start_utc` comes with `rise` None.
    """
    begin = start_utc
    last_set: datetime | None = None
    while begin < start_utc + SEARCH_LIMIT:
        end = begin + SEARCH_CHUNK
        found = predict(
            [element_set], [observer], begin, end, min_elevation_deg, timescale=timescale
        )
        for item in found.passes:
            if item.set is None:
                break  # cut by the chunk's end: found whole by the next chunk
            if last_set is not None and item.set.time_utc <= last_set:
                continue
            if item.rise is None and begin > start_utc:
                continue  # the tail of a pass already yielded
            last_set = item.set.time_utc
            yield item
        cut = [p for p in found.passes if p.set is None and p.rise is not None]
        resume = cut[0].rise.time_utc - timedelta(seconds=1) if cut else end
        begin = resume if resume > begin else end


def segment_for(
    item: Pass,
    target: Target,
    limits: RotatorLimits,
    start_utc: datetime,
    current_azimuth_deg: float | None,
) -> Segment:
    """Return the segment flying `item` (from `start_utc` if it is already in progress)."""
    aos = item.rise.time_utc if item.rise is not None else start_utc
    los = item.set.time_utc if item.set is not None else aos
    return _segment(item.satellite, item.norad_id, aos, los, target, limits, current_azimuth_deg)


def hold_segment(
    target: Target, start_utc: datetime, end_utc: datetime, limits: RotatorLimits
) -> Segment:
    """Return a segment that points at a geostationary satellite from start to end."""
    es = target.element_set
    return _segment(es.name, es.norad_id, start_utc, end_utc, target, limits, None)


def _segment(name, norad_id, aos, los, target, limits, current_az) -> Segment:
    length = max((los - aos).total_seconds(), 0.0)
    step = max(PLAN_STEP_S, length / MAX_PLAN_SAMPLES)
    seconds = np.append(np.arange(0.0, length, step), length)
    times = [aos + timedelta(seconds=float(s)) for s in seconds]
    az, el, _ = target.look(times)
    plan = plan_pass(seconds, az, el, limits, current_az)
    return Segment(name, norad_id, aos, los, float(np.max(el)), plan)
