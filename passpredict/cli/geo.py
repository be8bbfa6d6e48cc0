"""`passpredict geo`: where to point a dish at a geostationary satellite.

Parsing and printing only; the pointing is `passpredict.products.geo.pointing` (and
`passpredict.products.geo.arc` for `--arc`, printed by `passpredict.cli.geo_arc`), the JSON and
CSV objects `passpredict.output.geo_json`. Conventions (streams, exit codes, zones, the test
clock) as in `passpredict.cli.geo_options`; `sun-outages` and `eclipses` have their own modules.

The pointing table and the --magnetic columns are still built here: a branch in flight (issue
14, i14-rest) edits exactly these functions, so they move to `passpredict.output.geo_text`
after it lands rather than under it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import click

from passpredict.cli.geo_options import (
    format_options,
    load_element_set,
    now_utc,
    observers_options,
    resolve_observer,
    table_zone,
    warn_if_stale,
    watched_geostationary_sets,
)
from passpredict.cli.magnetic import MagneticPolicy, magnetic_policy
from passpredict.cli.messages import warn
from passpredict.engine.ephemeris import load_timescale
from passpredict.inputs.param_types import INSTANT
from passpredict.output.emit import Output, emit
from passpredict.output.geo_json import (
    elements_dict,
    hold_note,
    observer_dict,
    pointing_dict,
    union_fields,
    with_dish_face,
)
from passpredict.output.geo_text import (
    heading,
    hemisphere,
    local,
    note_lines,
    place,
    stdout_console,
    text_lines,
    zone_label,
)
from passpredict.output.grid import Line, print_lines
from passpredict.output.tables import compass, format_age_days
from passpredict.output.terminal import clean, wrap_parts
from passpredict.products.geo.arc import dish_face_elevation_deg
from passpredict.products.geo.pointing import GeoPointing, NotGeostationaryError, geo_pointing
from passpredict.products.magnetic import magnetic_azimuth_deg
from passpredict.products.uncertainty import geo_pointing_uncertainty_deg
from passpredict.records import Observer
from tle_cache.elements import ElementSet


@click.command("geo")
@click.argument("satellites", nargs=-1, metavar="[SATELLITE]...")
@observers_options
@click.option(
    "--at", "at", type=INSTANT, metavar="ISO8601", help="The moment to point at. Default: now."
)
@click.option(
    "--magnetic",
    is_flag=True,
    help="Also give the compass (magnetic) azimuth, from the World Magnetic Model (WMM2025).",
)
@click.option(
    "--arc",
    is_flag=True,
    help="List every geostationary satellite above the horizon (store or --tle-file).",
)
@click.option(
    "--near", metavar="SAT", help="With --arc: give each one's angle from this satellite."
)
@click.option(
    "--offset-deg",
    type=float,
    metavar="DEG",
    help="An offset dish's offset angle (0-45): also give the dish-face elevation.",
)
@format_options
@click.pass_context
def geo_command(
    ctx: click.Context,
    satellites: tuple[str, ...],
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    at: datetime | None,
    magnetic: bool,
    arc: bool,
    near: str | None,
    offset_deg: float | None,
    tle_file: Path | None,
    output_format: str,
    zone: tzinfo | None,
    use_utc: bool,
) -> None:
    """Where to point a dish at a geostationary SATELLITE.

    Azimuth (true north), elevation, range, sub-satellite point, polarisation skew (LNB tilt)
    and the daily wobble of the pointing. SATELLITE is a NORAD number or a name; without one,
    every geostationary satellite of the watch list (or of --tle-file), one after the other
    (JSON and CSV: one document, a row each). Angles are
    geometric (no refraction). `--magnetic` adds the compass bearing (true azimuth minus the
    magnetic declination there and then); outside the model it is a usage error.

    `--arc` lists every geostationary satellite above the horizon instead, west to east, with
    (`--near SAT`) its angle from SAT as seen from the observer; `--offset-deg A` adds the
    elevation an offset dish's face is set to (the look elevation minus A).
    """
    from passpredict.cli.geo_arc import check_offset_deg, run_arc

    check_offset_deg(offset_deg)
    if near is not None and not arc:
        raise click.UsageError("--near goes with --arc; add --arc, or drop --near")
    if arc and (satellites or magnetic):
        raise click.UsageError("--arc lists every satellite: drop SATELLITE and --magnetic")
    if arc and len(observer_names) > 1:
        raise click.UsageError("--arc takes one observer; give one --observer")
    names = observer_names or (None,)
    observers = [resolve_observer(name, lat, lon, alt) for name in names]
    when = at if at is not None else now_utc(ctx)
    if arc:
        run_arc(
            observers[0],
            when,
            now_utc(ctx),
            load_timescale(),
            near_query=near,
            tle_file=tle_file,
            offset_deg=offset_deg,
            output_format=output_format,
            observer_dict=observer_dict(observers[0]),
        )
        return
    zones = [table_zone(place, zone, use_utc) for place in observers]
    if satellites:
        sets = [load_element_set(name, tle_file, when) for name in satellites]
    else:  # as `passes`: the watched ones (the geostationary of them), or --tle-file's
        sets = watched_geostationary_sets(tle_file, when)
    timescale = load_timescale()
    policy = _magnetic_policy(observers, when) if magnetic else None
    looks = [
        _look(es, place, when, timescale, policy, offset_deg, place_zone)
        for place, place_zone in zip(observers, zones, strict=True)
        for es in sets
    ]
    if len(looks) == 1:
        output = looks[0].output()
    else:
        output = Output(
            json=lambda: [look.document() for look in looks],
            csv=lambda: ([look.row for look in looks], union_fields([look.row for look in looks])),
            table=lambda: _print_looks(looks),
        )
    emit(sys.stdout, output_format, output)


@dataclass(frozen=True)
class _Look:
    """One satellite pointed at from one observer: its row and what its table needs."""

    pointing: GeoPointing
    es: ElementSet
    observer: Observer
    zone: tzinfo
    when_utc: datetime
    row: dict[str, Any]

    def document(self) -> dict[str, Any]:
        return {
            **self.row,
            "observer": observer_dict(self.observer),
            "elements": elements_dict(self.es, self.when_utc),
        }

    def table(self) -> None:
        _print_pointing(
            self.pointing,
            self.es,
            self.observer,
            self.zone,
            self.row.get("declination_deg"),
            self.row.get("dish_face_elevation_deg"),
            self.row.get("pointing_uncertainty_deg"),
        )

    def output(self) -> Output:
        return Output(self.document, lambda: ([self.row], list(self.row)), self.table)


def _look(
    es: ElementSet,
    observer: Observer,
    when: datetime,
    timescale: Any,
    magnetic: MagneticPolicy | None,
    offset_deg: float | None,
    zone: tzinfo,
) -> _Look:
    try:
        pointing = geo_pointing(es, observer, when, timescale)
    except NotGeostationaryError as error:
        raise click.BadParameter(str(error), param_hint="SATELLITE") from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    warn_if_stale(es, when, when, "the time asked")
    row = pointing_dict(pointing, es)
    if magnetic is not None:
        row = _with_magnetic(row, magnetic, observer, when, pointing.azimuth_deg)
    if offset_deg is not None:
        face_deg = dish_face_elevation_deg(pointing.elevation_deg, offset_deg)
        row = with_dish_face(row, face_deg)
    # the error bar of the pointing for the set's age (appended: no column moves)
    uncertainty_deg = geo_pointing_uncertainty_deg(es, es.age_days(when))
    row["pointing_uncertainty_deg"] = None if uncertainty_deg is None else round(uncertainty_deg, 3)
    return _Look(pointing, es, observer, zone, when, row)


def _print_looks(looks: list[_Look]) -> None:
    for n, look in enumerate(looks):
        if n:
            sys.stdout.write("\n")
        look.table()


def _magnetic_policy(observers: list[Observer], when_utc: datetime) -> MagneticPolicy:
    """`passpredict.cli.magnetic`'s policy, said once for every look: an observer in the
    blackout zone is a usage error; a date outside the model gets one warning."""
    policy = magnetic_policy(observers, when_utc, when_utc, required=True)
    for problem in policy.problems:
        warn(problem)
    return policy


def _with_magnetic(
    row: dict[str, Any],
    policy: MagneticPolicy,
    observer: Observer,
    when_utc: datetime,
    azimuth_deg: float,
) -> dict[str, Any]:
    """Return `row` with the declination and the magnetic azimuth beside the true one
    (null outside the model's dates: true azimuth only)."""
    declinations = policy.declinations_deg(observer, when_utc, [0.0])
    declination_deg = float("nan") if declinations is None else float(declinations[0])
    known = math.isfinite(declination_deg)
    out: dict[str, Any] = {}
    for key, value in row.items():
        out[key] = value
        if key == "azimuth_deg":
            out["azimuth_magnetic_deg"] = (
                round(float(magnetic_azimuth_deg(azimuth_deg, declination_deg)), 3)
                if known
                else None
            )
            out["declination_deg"] = round(declination_deg, 3) if known else None
    return out


def _print_pointing(
    p: GeoPointing,
    es: ElementSet,
    observer: Observer,
    zone: tzinfo,
    declination_deg: float | None = None,
    dish_face_elevation_deg: float | None = None,
    pointing_uncertainty_deg: float | None = None,
) -> None:
    console, width = stdout_console()
    out = heading(
        [
            f"{p.satellite} (NORAD {p.norad_id}) from {place(observer)}",
            f"{local(p.time_utc, zone, '%a %d %b %Y %H:%M:%S')} {zone_label(zone, p.time_utc)}",
        ],
        width,
    )
    if not p.above_horizon:
        out += text_lines(
            f"Below the horizon: elevation {p.elevation_deg:z.2f}°; {p.satellite} cannot be "
            f"seen from {observer.name}.",
            width,
            "  ",
            "  ",
        )
    skew = p.polarisation_skew_deg
    turn = "clockwise" if skew >= 0 else "anticlockwise"
    rows = [
        ("Azimuth (true)", [f"{p.azimuth_deg:.2f}° {compass(p.azimuth_deg)}"]),
        *_magnetic_rows(p.azimuth_deg, declination_deg),
        ("Elevation", [f"{p.elevation_deg:z.2f}°"]),
        *(
            []
            if dish_face_elevation_deg is None
            else [("Dish face (offset)", [f"{dish_face_elevation_deg:z.2f}°"])]
        ),
        ("Range", [f"{p.range_km:,.0f} km"]),
        (
            "Sub-satellite point",
            [
                hemisphere(p.subsatellite_longitude_deg, "EW")
                + " "
                + hemisphere(p.subsatellite_latitude_deg, "NS")
            ],
        ),
        (
            "Polarisation skew",
            [f"{skew:+.1f}° (turn the LNB {abs(skew):.1f}° {turn}, seen from behind the dish)"],
        ),
        (
            "Daily wobble",
            [
                f"azimuth {p.azimuth_min_deg:.3f}°..{p.azimuth_max_deg:.3f}° "
                f"({p.azimuth_wobble_deg:.3f}°)",
                f"elevation {p.elevation_min_deg:z.3f}°..{p.elevation_max_deg:z.3f}° "
                f"({p.elevation_wobble_deg:.3f}°)",
            ],
        ),
        *(
            []
            if pointing_uncertainty_deg is None
            else [
                (
                    "Pointing error",
                    [
                        f"±{pointing_uncertainty_deg:.3f}° (90th percentile for elements "
                        f"{format_age_days(es.age_days(p.time_utc))} days old)"
                    ],
                )
            ]
        ),
        (
            "Elements",
            [
                f"epoch {es.epoch_utc:%Y-%m-%d %H:%M} UTC "
                f"({format_age_days(es.age_days(p.time_utc))} days)",
                es.source or "unknown source",
            ],
        ),
    ]
    label_width = max(len(label) for label, _ in rows)
    for label, parts in rows:
        first = f"  {label:<{label_width}}  "
        out += [
            Line(x)
            for x in wrap_parts([clean(x) for x in parts], width, ", ", first, " " * len(first))
        ]
    out += note_lines(hold_note(es, p.station_kept), width)
    print_lines(console, out)


def _magnetic_rows(
    azimuth_deg: float, declination_deg: float | None
) -> list[tuple[str, list[str]]]:
    """The table's compass-bearing row (none without --magnetic)."""
    if declination_deg is None:
        return []
    bearing = float(magnetic_azimuth_deg(azimuth_deg, declination_deg))
    return [
        (
            "Azimuth (magnetic)",
            [
                f"{bearing:.2f}° {compass(bearing)}",
                f"declination {declination_deg:+.2f}° (WMM2025)",
            ],
        )
    ]
