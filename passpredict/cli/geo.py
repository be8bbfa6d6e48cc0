"""`passpredict geo`, `sun-outages` and `eclipses`: the geostationary products on the command line.

Parsing and printing only; the physics is in `passpredict.products.geo.pointing`,
`passpredict.products.geo.sun_outages` and
`passpredict.products.geo.eclipses`. Data goes to stdout, warnings to stderr; exit 0 on success (no
outage
in the window is a success), 1 on a runtime error, 2 on a usage error (including a satellite
that is not geostationary, for `geo` and `sun-outages`); one-line errors, never a traceback.
Tables are in the observer's time zone (`--tz` / `--utc` override), JSON and CSV in UTC.
Tests may fix the clock with ``obj={"now_utc": ...}``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from passpredict.cli.magnetic import MagneticPolicy, magnetic_policy
from passpredict.cli.messages import verbosity_options, warn, warn_stale
from passpredict.cli.options import (
    ALTITUDE_HELP,
    ELEVATION,
    INSTANT,
    LATITUDE,
    LATITUDE_HELP,
    LONGITUDE,
    LONGITUDE_HELP,
    ZONE,
    FiniteFloat,
    length_option,
    strict_elements,
    strict_option,
    window,
)
from passpredict.engine.ephemeris import load_astronomy, load_timescale
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS
from passpredict.home import home_dir, observers_file
from passpredict.inputs.observers import (
    ObserverFileError,
    adhoc_observer,
    all_observers,
    default_observer,
    find_observer,
)
from passpredict.inputs.sources import ElementSourceError, select_element_sets
from passpredict.output.emit import CsvRows, Output, emit
from passpredict.output.geo_json import (
    OUTAGE_FIELDS,
    elements_dict,
    hold_note,
    outage_dict,
    outage_season_dict,
    pointing_dict,
)
from passpredict.output.grid import Column, Grid, Line, print_lines
from passpredict.output.tables import (
    compass,
    format_age_days,
    observer_zone,
    printed_duration,
    round_to_second,
)
from passpredict.output.terminal import clean, make_console, output_width, wrap, wrap_parts
from passpredict.products.geo.eclipses import (
    DEFAULT_GEO_SEARCH_DAYS,
    DEFAULT_SEARCH_DAYS,
    Eclipse,
    EclipseSeason,
    find_eclipses,
)
from passpredict.products.geo.eclipses import group_seasons as group_eclipse_seasons
from passpredict.products.geo.pointing import GeoPointing, NotGeostationaryError, geo_pointing
from passpredict.products.geo.sun_outages import (
    DEFAULT_SEARCH_DAYS as DEFAULT_OUTAGE_SEARCH_DAYS,
)
from passpredict.products.geo.sun_outages import (
    OutageSeason,
    find_sun_outages,
    group_seasons,
    half_power_beamwidth_deg,
    outage_threshold_deg,
    season_name,
)
from passpredict.products.magnetic import magnetic_azimuth_deg
from passpredict.products.staleness import stale_elements
from passpredict.products.uncertainty import geo_pointing_uncertainty_deg
from passpredict.records import Observer
from passpredict.timeutil import format_utc
from tle_cache.elements import ElementSet
from tle_cache.parse import ElementParseError

#: Longest window accepted (days).
MAX_WINDOW_DAYS = 800.0
#: The dish assumed when neither a threshold nor a dish is given: a 1.2 m Ku-band VSAT.
DEFAULT_DISH_M = 1.2
DEFAULT_FREQUENCY_GHZ = 11.7
#: Seasons shown by default (the next spring and autumn ones).
DEFAULT_SEASONS = 2


# --- shared plumbing ----------------------------------------------------------------------------


def _now_utc(ctx: click.Context) -> datetime:
    """Return the command's one clock reading (tests may fix it via ``obj={"now_utc": ...}``)."""
    obj = ctx.find_root().obj
    fixed = obj.get("now_utc") if isinstance(obj, dict) else None
    return fixed if fixed is not None else datetime.now(UTC)


def load_element_set(
    query: str, tle_file: Path | None, start_utc: datetime, end_utc: datetime | None = None
) -> ElementSet:
    """Return the element set for one SATELLITE argument and window: the one place data is chosen.

    Today that is `passpredict.inputs.sources` (a --tle-file, else the local store seeded from the
    bundled snapshot; the set nearest the window); warnings go to stderr.
    """
    try:
        selection = select_element_sets(
            [query],
            tle_file,
            home_dir(),
            start_utc=start_utc,
            end_utc=end_utc,
            strict=strict_elements(),
            now_utc=_now_utc(click.get_current_context()),
        )
    except (ElementParseError, ElementSourceError) as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="SATELLITE") from None
    for warning in selection.warnings:
        warn(warning)
    if not selection.element_sets:
        raise click.BadParameter(f"no element set for {query!r}", param_hint="SATELLITE")
    return selection.element_sets[0]


def _observer(name: str | None, lat: float | None, lon: float | None, alt: float) -> Observer:
    if name is not None and lat is not None:
        raise click.UsageError("--observer and --lat/--lon exclude each other; give one")
    if (lat is None) != (lon is None):
        raise click.UsageError(
            "--lat and --lon go together; give both, e.g. --lat 40.41 --lon 49.87"
        )
    if lat is not None and lon is not None:
        try:
            return adhoc_observer(lat, lon, alt)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    if name is None:
        return default_observer()
    try:
        known = all_observers(observers_file())
    except ObserverFileError as error:
        raise click.ClickException(str(error)) from None
    try:
        return find_observer(name, known)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--observer'") from None


def _zone(observer: Observer, zone: tzinfo | None, use_utc: bool) -> tzinfo:
    if zone is not None and use_utc:
        raise click.UsageError("--tz and --utc exclude each other; give one")
    return observer_zone(observer, UTC if use_utc else zone)


def _window(
    ctx: click.Context, start: datetime | None, days: float | None, end: datetime | None
) -> tuple[datetime, datetime | None]:
    """Return the window start and its end (`None`: the command's default)."""
    return window(
        start if start is not None else _now_utc(ctx),
        None if days is None else timedelta(days=days),
        end,
        length_flag="--days",
        max_days=MAX_WINDOW_DAYS,
    )


def _warn_if_stale(
    es: ElementSet, start_utc: datetime, end_utc: datetime, start: str = "the window start"
) -> None:
    """Warn about old elements exactly as `passes` does (`passpredict.products.staleness`)."""
    report = stale_elements(es, start_utc, end_utc)
    warn_stale([report] if report is not None else [], start)


def _observer_dict(observer: Observer) -> dict[str, Any]:
    return {
        "name": observer.name,
        "latitude_deg": observer.latitude_deg,
        "longitude_deg": observer.longitude_deg,
        "elevation_m": observer.elevation_m,
        "timezone": observer.timezone or "UTC",
    }


def _window_held(es: ElementSet, start_utc: datetime, end_utc: datetime) -> bool:
    """Tell whether part of the window lies beyond the hold horizon of a geostationary set."""
    if classify(es) is not OrbitClass.GEOSTATIONARY:
        return False
    return max(abs(es.age_days(start_utc)), abs(es.age_days(end_utc))) > HOLD_HORIZON_DAYS


def _output() -> tuple[Console, int | None]:
    """Return the console tables are printed on and the width they must fit (None: any)."""
    width = output_width(sys.stdout)
    return make_console(sys.stdout, width), width


def _local(value: datetime | None, zone: tzinfo, fmt: str = "%H:%M:%S") -> str:
    """A table time in `zone`, rounded to the second (12:45:35.6 prints 12:45:36)."""
    return "-" if value is None else round_to_second(value).astimezone(zone).strftime(fmt)


def _text(text: str, width: int | None, first: str = "", rest: str = "  ") -> list[Line]:
    return [Line(x) for x in wrap(clean(text), width, first, rest)]


def _heading(parts: list[str], width: int | None, sep: str = ", ") -> list[Line]:
    return [Line(x, True) for x in wrap_parts([clean(p) for p in parts], width, sep, "", "  ")]


def _note_lines(note: str | None, width: int | None) -> list[Line]:
    """The held-at-station note, under the table, wrapped to the width."""
    return [] if not note else _text(f"{note}.", width, "  Note: ", "  ")


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _hemi(value_deg: float, letters: str) -> str:
    return f"{abs(value_deg):.3f}°{letters[0] if value_deg >= 0 else letters[1]}"


def _zone_label(zone: tzinfo, at_utc: datetime) -> str:
    offset = at_utc.astimezone(zone).strftime("%z")
    return f"{zone} (UTC{offset[:3]}:{offset[3:]})"


def _place(observer: Observer) -> str:
    lat = f"{abs(observer.latitude_deg):.4f}{'N' if observer.latitude_deg >= 0 else 'S'}"
    lon = f"{abs(observer.longitude_deg):.4f}{'E' if observer.longitude_deg >= 0 else 'W'}"
    if observer.name == f"{lat} {lon}":
        return f"{observer.name} ({observer.elevation_m:g} m)"
    return f"{observer.name} ({lat} {lon}, {observer.elevation_m:g} m)"


def _format_options(f: Callable, extra: tuple[str, ...] = ()) -> Callable:
    f = verbosity_options(f)
    f = click.option("--utc", "use_utc", is_flag=True, help="Show table times in UTC.")(f)
    f = click.option("--tz", "zone", type=ZONE, help="Show table times in this IANA zone.")(f)
    f = click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json", "csv", *extra]),
        default="table",
        show_default=True,
    )(f)
    return click.option(
        "--tle-file",
        type=click.Path(path_type=Path),
        metavar="PATH",
        help="Read element sets (TLE/3LE, OMM JSON or CSV) from this file instead.",
    )(strict_option(f))


def _calendar_format_options(f: Callable) -> Callable:
    """The format options plus ``--format ics`` (an iCalendar file)."""
    return _format_options(f, ("ics",))


def _observer_options(f: Callable, many: bool = False) -> Callable:
    f = click.option("--alt", type=ELEVATION, default=0.0, show_default=True, help=ALTITUDE_HELP)(f)
    f = click.option("--lon", type=LONGITUDE, help=LONGITUDE_HELP)(f)
    f = click.option("--lat", type=LATITUDE, help=LATITUDE_HELP)(f)
    return click.option(
        "--observer",
        "observer_names" if many else "observer_name",
        metavar="NAME",
        multiple=many,
        help="Named observer; see 'passpredict observers list'. Default: Baku."
        + (" Repeat for several." if many else ""),
    )(f)


def _observers_options(f: Callable) -> Callable:
    """The observer options with a repeatable --observer (`geo`: one row per pair)."""
    return _observer_options(f, many=True)


def _window_options(f: Callable) -> Callable:
    f = click.option("--end", type=INSTANT, metavar="ISO8601", help="Window end (or --days).")(f)
    f = length_option("--days", "days", MAX_WINDOW_DAYS)(f)
    return click.option(
        "--start",
        type=INSTANT,
        metavar="ISO8601",
        help="Window start with an offset, e.g. 2026-09-01T00:00Z. Default: now.",
    )(f)


# --- geo ----------------------------------------------------------------------------------------


@click.command("geo")
@click.argument("satellites", nargs=-1, metavar="[SATELLITE]...")
@_observers_options
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
@_format_options
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
    and the daily wobble of the pointing. SATELLITE is a NORAD number or a name. Angles are
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
    if not arc and not satellites:
        raise click.UsageError("give a SATELLITE (a NORAD number or a name), or --arc")
    if arc and len(observer_names) > 1:
        raise click.UsageError("--arc takes one observer; give one --observer")
    names = observer_names or (None,)
    observers = [_observer(name, lat, lon, alt) for name in names]
    when = at if at is not None else _now_utc(ctx)
    if arc:
        run_arc(
            observers[0],
            when,
            _now_utc(ctx),
            load_timescale(),
            near_query=near,
            tle_file=tle_file,
            offset_deg=offset_deg,
            output_format=output_format,
            observer_dict=_observer_dict(observers[0]),
        )
        return
    zones = [_zone(place, zone, use_utc) for place in observers]
    sets = [load_element_set(name, tle_file, when) for name in satellites]
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
            csv=lambda: ([look.row for look in looks], _fields([look.row for look in looks])),
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
            "observer": _observer_dict(self.observer),
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
    _warn_if_stale(es, when, when, "the time asked")
    row = pointing_dict(pointing, es)
    if magnetic is not None:
        row = _with_magnetic(row, magnetic, observer, when, pointing.azimuth_deg)
    if offset_deg is not None:
        row = _with_dish_face(row, pointing.elevation_deg, offset_deg)
    # the error bar of the pointing for the set's age (appended: no column moves)
    uncertainty_deg = geo_pointing_uncertainty_deg(es, es.age_days(when))
    row["pointing_uncertainty_deg"] = None if uncertainty_deg is None else round(uncertainty_deg, 3)
    return _Look(pointing, es, observer, zone, when, row)


def _fields(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def _print_looks(looks: list[_Look]) -> None:
    for n, look in enumerate(looks):
        if n:
            sys.stdout.write("\n")
        look.table()


def _with_dish_face(row: dict[str, Any], elevation_deg: float, offset_deg: float) -> dict[str, Any]:
    """Return `row` with an offset dish's face elevation after the elevation."""
    from passpredict.products.geo.arc import dish_face_elevation_deg

    out: dict[str, Any] = {}
    for key, value in row.items():
        out[key] = value
        if key == "elevation_deg":
            out["dish_face_elevation_deg"] = round(
                dish_face_elevation_deg(elevation_deg, offset_deg), 3
            )
    return out


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
    console, width = _output()
    out = _heading(
        [
            f"{p.satellite} (NORAD {p.norad_id}) from {_place(observer)}",
            f"{_local(p.time_utc, zone, '%a %d %b %Y %H:%M:%S')} {_zone_label(zone, p.time_utc)}",
        ],
        width,
    )
    if not p.above_horizon:
        out += _text(
            f"Below the horizon: elevation {p.elevation_deg:.2f}°; {p.satellite} cannot be "
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
        ("Elevation", [f"{p.elevation_deg:.2f}°"]),
        *(
            []
            if dish_face_elevation_deg is None
            else [("Dish face (offset)", [f"{dish_face_elevation_deg:.2f}°"])]
        ),
        ("Range", [f"{p.range_km:,.0f} km"]),
        (
            "Sub-satellite point",
            [
                _hemi(p.subsatellite_longitude_deg, "EW")
                + " "
                + _hemi(p.subsatellite_latitude_deg, "NS")
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
                f"elevation {p.elevation_min_deg:.3f}°..{p.elevation_max_deg:.3f}° "
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
    out += _note_lines(hold_note(es, p.station_kept), width)
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


# --- sun-outages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Threshold:
    threshold_deg: float
    dish_m: float | None
    frequency_ghz: float | None

    @property
    def beamwidth_deg(self) -> float | None:
        if self.dish_m is None or self.frequency_ghz is None:
            return None
        return half_power_beamwidth_deg(self.dish_m, self.frequency_ghz)

    def describe(self) -> str:
        if self.beamwidth_deg is None:
            return f"threshold {self.threshold_deg:.2f}° (given)"
        return (
            f"threshold {self.threshold_deg:.2f}°: half the {self.beamwidth_deg:.2f}° half-power "
            f"beamwidth (70 λ/D) of a {self.dish_m:g} m dish at {self.frequency_ghz:g} GHz, "
            "plus the Sun's radius (0.27°)"
        )


def _threshold(
    threshold_deg: float | None, dish_m: float | None, frequency_ghz: float | None
) -> _Threshold:
    if threshold_deg is not None:
        if dish_m is not None or frequency_ghz is not None:
            raise click.UsageError(
                "--threshold-deg excludes --dish-m and --frequency-ghz; give one or the other"
            )
        return _Threshold(threshold_deg, None, None)
    dish = DEFAULT_DISH_M if dish_m is None else dish_m
    frequency = DEFAULT_FREQUENCY_GHZ if frequency_ghz is None else frequency_ghz
    return _Threshold(outage_threshold_deg(dish, frequency), dish, frequency)


@click.command("sun-outages")
@click.argument("satellite")
@_observer_options
@_window_options
@click.option(
    "--threshold-deg",
    type=FiniteFloat(0, 10, min_open=True),
    metavar="DEG",
    help="Outage while the Sun is within this angle of the satellite.",
)
@click.option(
    "--dish-m",
    type=FiniteFloat(0, 100, min_open=True),
    metavar="M",
    help=f"Dish diameter, for the threshold (default {DEFAULT_DISH_M:g}).",
)
@click.option(
    "--frequency-ghz",
    type=FiniteFloat(0, 100, min_open=True),
    metavar="GHZ",
    help=f"Downlink frequency, for the threshold (default {DEFAULT_FREQUENCY_GHZ:g}).",
)
@_calendar_format_options
@click.pass_context
def sun_outages_command(
    ctx: click.Context,
    satellite: str,
    observer_name: str | None,
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    days: float | None,
    end: datetime | None,
    threshold_deg: float | None,
    dish_m: float | None,
    frequency_ghz: float | None,
    tle_file: Path | None,
    output_format: str,
    zone: tzinfo | None,
    use_utc: bool,
) -> None:
    """When the Sun passes behind a geostationary SATELLITE and blinds the dish.

    For each day of each outage season: start, peak (closest approach) and end, and the least
    Sun-satellite separation. The threshold is --threshold-deg, or half the half-power
    beamwidth (70 λ/D) of a --dish-m dish at --frequency-ghz plus the Sun's radius (default: a
    1.2 m dish at 11.7 GHz, 1.01°). Default window: the next two seasons (spring and autumn).
    `--format ics` writes an iCalendar file, one event per day, whose UIDs stay the same when
    fresher elements move an outage by seconds (re-importing updates, not duplicates).
    """
    observer = _observer(observer_name, lat, lon, alt)
    table_zone = _zone(observer, zone, use_utc)
    start_utc, end_utc = _window(ctx, start, days, end)
    threshold = _threshold(threshold_deg, dish_m, frequency_ghz)
    search_end = end_utc or start_utc + timedelta(days=DEFAULT_OUTAGE_SEARCH_DAYS)
    es = load_element_set(satellite, tle_file, start_utc, search_end)
    astronomy = load_astronomy()
    try:
        outages = find_sun_outages(
            es, observer, start_utc, search_end, astronomy, threshold.threshold_deg
        )
    except NotGeostationaryError as error:
        raise click.BadParameter(str(error), param_hint="SATELLITE") from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    seasons = group_seasons(outages, observer.latitude_deg)
    if end_utc is None:
        seasons = seasons[:DEFAULT_SEASONS]
        search_end = seasons[-1].last.end_utc if seasons else search_end
    station_kept = _window_held(es, start_utc, search_end)
    _warn_if_stale(es, start_utc, search_end)

    def document() -> dict[str, Any]:
        return {
            "satellite": es.name,
            "norad_id": es.norad_id,
            "observer": _observer_dict(observer),
            "elements": elements_dict(es, start_utc),
            "window": {"start": format_utc(start_utc), "end": format_utc(search_end)},
            "threshold_deg": round(threshold.threshold_deg, 4),
            "dish_m": threshold.dish_m,
            "frequency_ghz": threshold.frequency_ghz,
            "half_power_beamwidth_deg": None
            if threshold.beamwidth_deg is None
            else round(threshold.beamwidth_deg, 4),
            "station_kept": station_kept,
            "note": hold_note(es, station_kept),
            "seasons": [outage_season_dict(s) for s in seasons],
        }

    def rows() -> CsvRows:
        rows = [{"season": s.name, **outage_dict(o)} for s in seasons for o in s.outages]
        fields = ["season", *(outage_dict(seasons[0].first) if seasons else OUTAGE_FIELDS)]
        return rows, fields

    def table() -> None:
        _print_outages(
            es, observer, seasons, threshold, table_zone, start_utc, search_end, end_utc is not None
        )

    def ics() -> str:
        from passpredict.output.outage_ical import outages_to_ics

        outages = [o for s in seasons for o in s.outages]
        return outages_to_ics(outages, [observer], _now_utc(ctx), {es.norad_id: es.epoch_utc})

    emit(sys.stdout, output_format, Output(document, rows, table, ics=ics))


def _print_outages(
    es: ElementSet,
    observer: Observer,
    seasons: list[OutageSeason],
    threshold: _Threshold,
    zone: tzinfo,
    start_utc: datetime,
    end_utc: datetime,
    explicit_window: bool,
) -> None:
    console, width = _output()
    out = _heading(
        [
            f"Sun outages of {es.name} (NORAD {es.norad_id}) from {_place(observer)}",
            f"times in {_zone_label(zone, start_utc)}",
        ],
        width,
        "; ",
    )
    out += _text(threshold.describe(), width, "  ", "    ")
    if not seasons:
        out += _text(
            f"No outage from {_local(start_utc, zone, '%Y-%m-%d %H:%M')} to "
            f"{_local(end_utc, zone, '%Y-%m-%d %H:%M')}.",
            width,
            "  ",
            "  ",
        )
    for season in seasons:
        deepest = season.deepest
        out.append(Line(""))
        out += _heading(
            [
                f"{season.name.capitalize()}{' (within the window)' if explicit_window else ''}:"
                f" {_days(len(season.outages))}",
                f"{_local(season.first.start_utc, zone, '%a %d %b')} to "
                f"{_local(season.last.end_utc, zone, '%a %d %b %Y')}; closest "
                f"{deepest.min_separation_deg:.2f}° on "
                f"{_local(deepest.peak_utc, zone, '%a %d %b')}",
            ],
            width,
        )
        table = Grid(
            [
                Column("Date"),
                Column("Start"),
                Column("Peak"),
                Column("End"),
                Column("Duration", "right"),
                Column("Min separation", "right"),
            ]
        )
        for o in season.outages:
            table.add_row(
                _local(o.peak_utc, zone, "%a %d %b %Y"),
                _local(o.start_utc, zone),
                _local(o.peak_utc, zone),
                _local(o.end_utc, zone),
                printed_duration(o.start_utc, o.end_utc),
                f"{o.min_separation_deg:.3f}°",
            )
        out += table.render(width)
    out += _note_lines(hold_note(es, _window_held(es, start_utc, end_utc)), width)
    print_lines(console, out)


# --- eclipses -----------------------------------------------------------------------------------


@click.command("eclipses")
@click.argument("satellite")
@_window_options
@click.option(
    "--summary", is_flag=True, help="Geostationary: show only the season summaries (table)."
)
@_format_options
@click.pass_context
def eclipses_command(
    ctx: click.Context,
    satellite: str,
    start: datetime | None,
    days: float | None,
    end: datetime | None,
    summary: bool,
    tle_file: Path | None,
    output_format: str,
    zone: tzinfo | None,
    use_utc: bool,
) -> None:
    """When SATELLITE passes through Earth's shadow.

    Each eclipse's penumbra (partial shadow) and umbra (full shadow) entry and exit. For a
    geostationary satellite, also the eclipse seasons (first day, last day, longest eclipse);
    default window: its next two seasons. Other orbits: one eclipse per orbit; default window
    one day. Tables are in Baku time unless --tz or --utc is given.
    """
    table_zone = _zone(default_observer(), zone, use_utc)
    start_utc, end_utc = _window(ctx, start, days, end)
    es = load_element_set(satellite, tle_file, start_utc, end_utc)
    geostationary = classify(es) is OrbitClass.GEOSTATIONARY
    default_days = DEFAULT_GEO_SEARCH_DAYS if geostationary else DEFAULT_SEARCH_DAYS
    search_end = end_utc or start_utc + timedelta(days=default_days)
    astronomy = load_astronomy()
    try:
        eclipses = find_eclipses(es, start_utc, search_end, astronomy)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    seasons = group_eclipse_seasons(eclipses) if geostationary else []
    if geostationary and end_utc is None:
        seasons = seasons[:DEFAULT_SEASONS]
        eclipses = [e for s in seasons for e in s.eclipses]
        search_end = seasons[-1].last.penumbra_exit_utc if seasons else search_end
    station_kept = _window_held(es, start_utc, search_end)
    _warn_if_stale(es, start_utc, search_end)

    def document() -> dict[str, Any]:
        return {
            "satellite": es.name,
            "norad_id": es.norad_id,
            "orbit": classify(es).value,
            "elements": elements_dict(es, start_utc),
            "window": {"start": format_utc(start_utc), "end": format_utc(search_end)},
            "station_kept": station_kept,
            "note": hold_note(es, station_kept),
            "seasons": [_eclipse_season_dict(s) for s in seasons] if geostationary else None,
            "eclipses": [_eclipse_dict(e) for e in eclipses],
        }

    def table() -> None:
        _print_eclipses(
            es, eclipses, seasons, summary, table_zone, start_utc, search_end, end_utc is not None
        )

    rows = lambda: ([_eclipse_dict(e) for e in eclipses], _ECLIPSE_FIELDS)  # noqa: E731
    emit(sys.stdout, output_format, Output(document, rows, table))


_ECLIPSE_FIELDS = (
    "satellite",
    "norad_id",
    "penumbra_entry",
    "umbra_entry",
    "umbra_exit",
    "penumbra_exit",
    "duration_s",
    "umbra_duration_s",
    "station_kept",
)


def _eclipse_dict(e: Eclipse) -> dict[str, Any]:
    return {
        "satellite": e.satellite,
        "norad_id": e.norad_id,
        "penumbra_entry": format_utc(e.penumbra_entry_utc),
        "umbra_entry": None if e.umbra_entry_utc is None else format_utc(e.umbra_entry_utc),
        "umbra_exit": None if e.umbra_exit_utc is None else format_utc(e.umbra_exit_utc),
        "penumbra_exit": format_utc(e.penumbra_exit_utc),
        "duration_s": round(e.duration_s, 1),
        "umbra_duration_s": round(e.umbra_duration_s, 1),
        "station_kept": e.station_kept,
    }


def _eclipse_season_name(s: EclipseSeason) -> str:
    # named as in the northern hemisphere, where the project's users are
    return season_name(s.longest.penumbra_entry_utc, 0.0)


def _eclipse_season_dict(s: EclipseSeason) -> dict[str, Any]:
    return {
        "name": _eclipse_season_name(s),
        "days": len(s.eclipses),
        "first_eclipse": format_utc(s.first.penumbra_entry_utc),
        "last_eclipse": format_utc(s.last.penumbra_entry_utc),
        "longest": _eclipse_dict(s.longest),
        "longest_duration_s": round(s.longest.duration_s, 1),
        "longest_umbra_duration_s": round(s.longest.umbra_duration_s, 1),
    }


def _print_eclipses(
    es: ElementSet,
    eclipses: list[Eclipse],
    seasons: list[EclipseSeason],
    summary: bool,
    zone: tzinfo,
    start_utc: datetime,
    end_utc: datetime,
    explicit_window: bool,
) -> None:
    console, width = _output()
    out = _heading(
        [
            f"Eclipses of {es.name} (NORAD {es.norad_id})",
            f"times in {_zone_label(zone, start_utc)}",
        ],
        width,
        "; ",
    )
    if not eclipses:
        out += _text(
            f"No eclipse from {_local(start_utc, zone, '%Y-%m-%d %H:%M')} to "
            f"{_local(end_utc, zone, '%Y-%m-%d %H:%M')}.",
            width,
            "  ",
            "  ",
        )
    day = "%a %d %b %Y %H:%M"
    for season in seasons:
        longest = season.longest
        out.append(Line(""))
        out += _heading(
            [
                f"{_eclipse_season_name(season).capitalize()} eclipse season"
                f"{' (within the window)' if explicit_window else ''}: "
                f"{_days(len(season.eclipses))}",
                f"first {_local(season.first.penumbra_entry_utc, zone, day)}",
                f"last {_local(season.last.penumbra_entry_utc, zone, day)}; longest "
                f"{_eclipse_duration(longest)} (umbra {_umbra_duration(longest)}) "
                f"on {_local(longest.penumbra_entry_utc, zone, '%a %d %b')}",
            ],
            width,
        )
        if not summary:
            out += _eclipse_table(list(season.eclipses), zone, width)
    if not seasons and eclipses:
        out += _eclipse_table(eclipses, zone, width)
    out += _note_lines(hold_note(es, _window_held(es, start_utc, end_utc)), width)
    print_lines(console, out)


def _eclipse_duration(e: Eclipse) -> str:
    return printed_duration(e.penumbra_entry_utc, e.penumbra_exit_utc)


def _umbra_duration(e: Eclipse) -> str:
    if e.umbra_entry_utc is None or e.umbra_exit_utc is None:
        return "-"
    return printed_duration(e.umbra_entry_utc, e.umbra_exit_utc)


def _eclipse_table(eclipses: list[Eclipse], zone: tzinfo, width: int | None) -> list[Line]:
    """One row per eclipse; narrower than the terminal: short dates, two-line headers."""

    def build(narrow: bool) -> Grid:
        headers = (
            ("Date", "Penumbra\nin", "Umbra\nin", "Umbra\nout", "Penumbra\nout")
            if narrow
            else ("Date", "Penumbra in", "Umbra in", "Umbra out", "Penumbra out")
        )
        table = Grid(
            [
                *(Column(h) for h in headers),
                Column("Duration", "right"),
                Column("In umbra", "right"),
            ]
        )
        for e in eclipses:
            table.add_row(
                _local(e.penumbra_entry_utc, zone, "%d %b %Y" if narrow else "%a %d %b %Y"),
                _local(e.penumbra_entry_utc, zone),
                _local(e.umbra_entry_utc, zone),
                _local(e.umbra_exit_utc, zone),
                _local(e.penumbra_exit_utc, zone),
                _eclipse_duration(e),
                _umbra_duration(e),
            )
        return table

    table = build(narrow=False)
    if width is not None and table.natural_width() > width:
        table = build(narrow=True)
    return table.render(width)
