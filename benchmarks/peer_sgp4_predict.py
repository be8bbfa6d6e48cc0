"""A plain sgp4-predict script: read a TLE file, find every pass over one observer, write CSV.

sgp4-predict (PyPI `sgp4-predict`, a Rust pass finder with Python bindings) is the second peer
of the benchmarks. Run as a script, this is the end-to-end peer of `passpredict passes
--tle-file F --format csv` (bench_edge.py): what a user of sgp4-predict would write for the
same product. Per pass: rise, culmination and set, each with its time (ISO 8601 UTC, ms),
azimuth, elevation and range, as our CSV has them; no visibility, Sun or element-age columns,
so it does less than our command line, never more. Imported, `find_passes` is the timed
sgp4-predict side of the one-pair comparison and the source of its agreement figures.

How sgp4-predict is used (its documented knobs; everything else left at its defaults):
- `transits_iter(..., skip_leading_partial=False, clamp_to_interval=True)`: a pass in progress
  at a window end is cut there, as ours is (that end then has no rise or set);
- `max_transit_duration` is raised to the window plus two days: its default of one hour
  raises RuntimeError on every medium-orbit pass (GNSS passes last hours), losing data;
- a satellite above the threshold for the whole window still raises ("window too long"): it
  is reported as one pass with neither rise nor set, as ours would be, culminating where
  `max_elevation` says;
- the culmination is `max_elevation` over the (cut) pass; look angles from `observe_at`.

Its conventions are not ours: it rotates the Earth by GMST at UTC where we use UT1 (a few
hundred milliseconds of rotation apart), and it documents heights on WGS84; the benchmarks
report its differences as they are.

Run:  python benchmarks/peer_sgp4_predict.py FILE --start 2026-05-08T00:00Z --days 1 > out.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta

from sgp4_predict import GeodeticPoint, Interval, Predictor, Tle

COLUMNS = [
    "satellite",
    "norad_id",
    *(
        f"{event}_{field}"
        for event in ("rise", "culmination", "set")
        for field in (
            "time",
            "azimuth_deg",
            "elevation_deg",
            "range_km",
        )
    ),
    "max_elevation_deg",
    "duration_s",
]


@dataclass(frozen=True)
class Event:
    """A rise, culmination or set: UTC time, azimuth in [0, 360) deg, elevation deg, range km."""

    time_utc: datetime
    azimuth_deg: float
    elevation_deg: float
    range_km: float


#: A pass: (rise, culmination, set); rise / set None where the window cuts the pass.
PeerPass = tuple[Event | None, Event, Event | None]


def read_tles(path: str) -> tuple[list[tuple[str, str, Predictor]], list[str]]:
    """Return (name, NORAD field, predictor) for each 3LE record, and the records refused."""
    with open(path, encoding="utf-8") as handle:
        lines = [line.rstrip() for line in handle if line.strip()]
    found, refused = [], []
    for k in range(0, len(lines) - 2, 3):
        name, line1, line2 = lines[k].strip(), lines[k + 1], lines[k + 2]
        try:
            found.append((name, line1[2:7].strip(), Predictor.from_tle(Tle(name, line1, line2))))
        except ValueError as error:
            refused.append(f"{name}: {error}")
    return found, refused


def observer(latitude_deg: float, longitude_deg: float, elevation_m: float) -> GeodeticPoint:
    return GeodeticPoint(latitude_deg, longitude_deg, elevation_m)


def _event(predictor: Predictor, when: datetime, where: GeodeticPoint) -> Event:
    seen = predictor.observe_at(when, where)
    return Event(when, seen.azimuth_deg % 360.0, seen.elevation_deg, seen.range / 1000.0)


def find_passes(
    predictor: Predictor,
    where: GeodeticPoint,
    start_utc: datetime,
    end_utc: datetime,
    min_elevation_deg: float,
) -> list[PeerPass]:
    """Every pass in [start_utc, end_utc] with its three events (see the module docstring).

    Raises RuntimeError where sgp4-predict cannot propagate the elements (decayed).
    """
    window = Interval(start=start_utc, end=end_utc)
    longest = end_utc - start_utc + timedelta(days=2)
    try:
        transits = list(
            predictor.transits_iter(
                where,
                window,
                min_elevation_deg,
                skip_leading_partial=False,
                clamp_to_interval=True,
                max_transit_duration=longest,
            )
        )
    except RuntimeError as error:
        if "window too long" not in str(error):
            raise
        transits = [window]  # above the threshold from end to end
    found = []
    for transit in transits:
        when, seen = predictor.max_elevation(where, transit)
        top = Event(when, seen.azimuth_deg % 360.0, seen.elevation_deg, seen.range / 1000.0)
        rise = None if transit.start <= start_utc else _event(predictor, transit.start, where)
        fall = None if transit.end >= end_utc else _event(predictor, transit.end, where)
        found.append((rise, top, fall))
    return found


def _time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _cells(event: Event | None) -> list[object]:
    if event is None:
        return ["", "", "", ""]
    return [
        _time(event.time_utc),
        round(event.azimuth_deg, 3),
        round(event.elevation_deg, 3),
        round(event.range_km, 3),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tle_file")
    parser.add_argument("--start", required=True, type=datetime.fromisoformat)
    parser.add_argument("--days", type=float, default=1.0)
    parser.add_argument("--lat", type=float, default=40.4093)
    parser.add_argument("--lon", type=float, default=49.8671)
    parser.add_argument("--alt", type=float, default=-28.0)
    parser.add_argument("--min-elevation", type=float, default=10.0)
    args = parser.parse_args(argv)
    start = args.start
    end = start + timedelta(days=args.days)
    where = observer(args.lat, args.lon, args.alt)
    satellites, refused = read_tles(args.tle_file)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    passes, failed = 0, 0
    for name, norad, predictor in satellites:
        try:
            found = find_passes(predictor, where, start, end, args.min_elevation)
        except RuntimeError:
            failed += 1
            continue
        for rise, top, fall in found:
            first = start if rise is None else rise.time_utc
            last = end if fall is None else fall.time_utc
            writer.writerow(
                [
                    name,
                    norad,
                    *_cells(rise),
                    *_cells(top),
                    *_cells(fall),
                    round(top.elevation_deg, 3),
                    round((last - first).total_seconds(), 3),
                ]
            )
        passes += len(found)
    print(
        f"{len(satellites)} satellites, {passes} passes; {len(refused)} records refused, "
        f"{failed} satellites sgp4-predict could not propagate",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
