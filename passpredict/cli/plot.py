"""`passpredict plot sky|track|timeline`: the plots of `passpredict.output.plots`, written to a
file.

Each command predicts like `passpredict passes` (same satellites, observers, window and element
sources), draws one figure and writes it to `--output` as PNG or SVG, chosen by the file's
suffix. The file is written to a temporary name and renamed into place, so a failed run never
leaves half an image. Needs matplotlib: `pip install 'passpredict[notebooks]'`.

Everything that can be known before computing is checked first, so a run never computes for
nothing: that matplotlib can be imported, that the suffix is .png or .svg, and that a file can
be created in the output's directory (by creating one: permission bits lie for root, and a
read-only mount or /proc refuses what the bits allow).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import click

from passpredict.cli.messages import note, say, verbosity_options, warn, warn_stale
from passpredict.cli.options import (
    INSTANT,
    ZONE,
    FiniteFloat,
    length_option,
    observer_options,
    resolve_observers,
    strict_elements,
    tle_file_option,
)
from passpredict.engine.ephemeris import load_astronomy, load_timescale
from passpredict.extras import import_optional
from passpredict.home import home_dir
from passpredict.inputs.sources import ElementSourceError, select_element_sets
from passpredict.products.predict import Prediction, predict
from passpredict.products.staleness import stale_elements
from passpredict.products.visibility import VisibilityOptions, parse_twilight
from passpredict.records import Observer
from tle_cache.elements import ElementSet
from tle_cache.parse import ElementParseError

#: File suffixes `--output` accepts, and the matplotlib format each one means.
OUTPUT_FORMATS = {".png": "png", ".svg": "svg"}
#: Most passes one sky chart draws before it becomes unreadable.
MAX_SKY_PASSES = 12
#: Longest window a plot accepts (days): a timeline of more is a wall of ticks.
MAX_PLOT_DAYS = 31.0
#: Longest step between ground-track samples (s): a LEO orbit takes 90 minutes.
MAX_TRACK_STEP_S = 600.0
#: --output suffixes that mean GeoJSON for `plot track`.
GEOJSON_SUFFIXES = (".geojson", ".json")
#: Longest window of the season pictures (days), as for 'passpredict sun-outages'/'eclipses'.
MAX_GEO_PLOT_DAYS = 800.0
#: Seasons a season picture shows by default (spring and autumn).
DEFAULT_GEO_SEASONS = 2


@click.group("plot", context_settings={"help_option_names": ["-h", "--help"]})
def plot_group() -> None:
    """Draw passes as pictures: a sky chart, a ground track, a timeline, sun outages or eclipses.

    Times on the pictures are the observer's local time (--tz to choose another zone).
    Needs matplotlib: pip install 'passpredict[notebooks]'.
    """


def _common_options(output_required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return a decorator adding the options every plot command shares (observer, window,
    elements, output)."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        return _add_common(function, output_required)

    return decorate


def _add_common(function: Callable[..., Any], output_required: bool) -> Callable[..., Any]:
    options = [
        observer_options,
        click.option(
            "--start",
            type=INSTANT,
            metavar="ISO8601",
            help="Window start with an offset, e.g. 2026-11-25T18:00+04:00. Default: now.",
        ),
        click.option(
            "--min-elevation",
            "min_elevation_deg",
            type=FiniteFloat(-90, 90, max_open=True),
            default=10.0,
            show_default=True,
            metavar="DEG",
            help="Minimum elevation: rise and set are the crossings of this height.",
        ),
        tle_file_option,
        click.option("--tz", "zone", type=ZONE, help="Show times in this IANA zone."),
        click.option(
            "--output",
            "-o",
            required=output_required,
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FILE.png|FILE.svg" if output_required else "FILE.png|.svg|.geojson",
            help="Where to write the picture; the suffix chooses PNG or SVG."
            if output_required
            else "Where to write: the suffix chooses PNG, SVG or GeoJSON (default: GeoJSON "
            "on stdout with --format geojson).",
        ),
        verbosity_options,
    ]
    for option in reversed(options):
        function = option(function)
    return function


_common = _common_options(True)


_OUTPUT = click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.png|FILE.svg",
    help="Where to write the picture; the suffix chooses PNG or SVG.",
)


def _element_sets(
    satellites: tuple[str, ...], tle_file: Path | None, start_utc: datetime, end_utc: datetime
) -> list[ElementSet]:
    try:
        selection = select_element_sets(
            satellites,
            tle_file,
            home_dir(),
            start_utc=start_utc,
            end_utc=end_utc,
            strict=strict_elements(),
            now_utc=datetime.now(UTC),
        )
    except (ElementParseError, ElementSourceError) as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="SATELLITE") from None
    for warning in selection.warnings:
        warn(warning)
    element_sets = list(selection.element_sets)
    if not element_sets:
        raise click.ClickException("no element sets to plot from")
    return element_sets


def _window(start: datetime | None, days: float) -> tuple[datetime, datetime]:
    """Return the window; `days` was bounded by its option (`MAX_PLOT_DAYS`), start by INSTANT."""
    start_utc = start if start is not None else datetime.now(UTC)
    return start_utc, start_utc + timedelta(days=days)


def _check_output(output: Path) -> str:
    """Check, before any computing, that the picture can be drawn and written; return its format.

    Imports matplotlib (missing: exit 1, with the install command), checks the suffix and
    creates and removes a file in the output's directory (exit 2 naming the problem).
    """
    try:
        import_optional("matplotlib", "plotting")
    except ModuleNotFoundError as error:
        raise click.ClickException(str(error)) from None
    suffix = output.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise click.BadParameter(
            f"{output} has the suffix {output.suffix or '(none)'!r}; name a .png or .svg file, "
            f"e.g. {output.with_suffix('.png').name}",
            param_hint="'--output'",
        )
    if not output.parent.is_dir():
        raise click.BadParameter(
            f"the directory {output.parent} does not exist; create it first",
            param_hint="'--output'",
        )
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise click.BadParameter(
            f"cannot create a file in {output.parent} ({error.strerror or error}); "
            "choose a writable place for the picture",
            param_hint="'--output'",
        ) from None
    return OUTPUT_FORMATS[suffix]


def _twilight_option(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return parse_twilight(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


_TWILIGHT = click.option(
    "--twilight",
    "twilight_deg",
    default="civil",
    show_default=True,
    metavar="civil|nautical|astronomical|DEG",
    callback=_twilight_option,
    help="How dark the sky must be for a pass to be visible: the Sun below -6, -12, -18 or DEG.",
)


def _predict(
    element_sets: list[ElementSet],
    observers: list[Observer],
    start_utc: datetime,
    end_utc: datetime,
    min_elevation_deg: float,
    twilight_deg: float,
) -> Prediction:
    """Predict with visibility (the sunlit, dark-sky part of each pass), like `passes`."""
    astronomy = load_astronomy()
    try:
        prediction = predict(
            element_sets,
            observers,
            start_utc,
            end_utc,
            min_elevation_deg,
            timescale=astronomy.timescale,
            visibility=VisibilityOptions(astronomy, twilight_deg),
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    warn_stale(prediction.stale)
    for warning in prediction.warnings:
        warn(warning)
    return prediction


def _draw(make: Callable[[], Any], output: Path, file_format: str, what: str) -> None:
    """Build the figure and write it atomically; turn library errors into one-line messages."""
    try:
        figure = make()
    except ModuleNotFoundError as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    handle, temporary = tempfile.mkstemp(
        prefix=f".{output.name}.", suffix=output.suffix, dir=output.parent
    )
    os.close(handle)
    try:
        figure.savefig(temporary, format=file_format, dpi=110)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; a picture is for sharing
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    say(f"wrote {output} ({what})")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@plot_group.command("sky")
@click.argument("satellites", nargs=-1, metavar="[SATELLITE]...")
@_common
@length_option("--days", "days", MAX_PLOT_DAYS, default=1.0, show_default=True)
@click.option(
    "--best",
    type=click.IntRange(min=1),
    metavar="N",
    help="Draw only the N highest passes of the window.",
)
@_TWILIGHT
@click.option("--visible-only", is_flag=True, help="Draw only passes with a visible part.")
def sky_command(
    satellites: tuple[str, ...],
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    min_elevation_deg: float,
    tle_file: Path | None,
    zone: tzinfo | None,
    output: Path,
    days: float,
    best: int | None,
    twilight_deg: float,
    visible_only: bool,
) -> None:
    """Draw one observer's sky with the passes of the window (polar chart).

    Azimuth runs around (north up, clockwise), elevation inward (90 deg at the centre); arrows
    show the direction of travel; the part of a pass visible by eye (satellite sunlit, sky dark
    per --twilight) is bold, the rest dashed. Geostationary satellites appear as stars.
    Default: the tracked satellites over Baku for one day.
    """
    from passpredict.output.plots import sky_chart

    file_format = _check_output(output)
    observers = resolve_observers(observer_names, lat, lon, alt, zone)
    if len(observers) != 1:
        raise click.UsageError("a sky chart shows one observer's sky; give one --observer")
    start_utc, end_utc = _window(start, days)
    element_sets = _element_sets(satellites, tle_file, start_utc, end_utc)
    prediction = _predict(
        element_sets, observers, start_utc, end_utc, min_elevation_deg, twilight_deg
    )
    if visible_only:
        prediction = prediction.visible_only()
    passes = list(prediction.passes)
    if best is not None:
        passes = sorted(passes, key=lambda p: -p.max_elevation_deg)[:best]
        passes.sort(key=lambda p: p.start_utc)
    if len(passes) > MAX_SKY_PASSES:
        note(
            f"drawing the first {MAX_SKY_PASSES} of {len(passes)} passes; "
            "use --best N or a shorter --days"
        )
        passes = passes[:MAX_SKY_PASSES]
    if not passes and not prediction.geostationary:
        which = "visible passes" if visible_only else "passes"
        raise click.ClickException(
            f"no {which} above {min_elevation_deg:g} deg in the window; "
            "widen it with --days or lower --min-elevation"
        )
    _draw(
        lambda: sky_chart(
            passes,
            element_sets,
            observers,
            timescale=load_timescale(),
            looks=prediction.geostationary,
            zone=zone,
        ),
        output,
        file_format,
        f"{len(passes)} passes, {len(prediction.geostationary)} geostationary",
    )


@plot_group.command("track")
@click.argument("satellite", metavar="SATELLITE")
@_common_options(False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["png", "svg", "geojson"]),
    help="Picture (png, svg) or GeoJSON for GIS tools. Default: from --output's suffix.",
)
@length_option("--hours", "hours", MAX_PLOT_DAYS * 24, default=3.0, show_default=True)
@click.option(
    "--step",
    "step_s",
    type=FiniteFloat(min=1.0, max=MAX_TRACK_STEP_S),
    default=20.0,
    show_default=True,
    metavar="S",
    help="Seconds between track samples.",
)
@click.option(
    "--extent",
    type=(FiniteFloat(), FiniteFloat(), FiniteFloat(), FiniteFloat()),
    metavar="LON_MIN LON_MAX LAT_MIN LAT_MAX",
    help="Map area in degrees (default: the whole world).",
)
def track_command(
    satellite: str,
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    min_elevation_deg: float,
    tle_file: Path | None,
    zone: tzinfo | None,
    output: Path | None,
    output_format: str | None,
    hours: float,
    step_s: float,
    extent: tuple[float, float, float, float] | None,
) -> None:
    """Draw a satellite's ground track on a world map with each observer's coverage circle.

    The track is bold where the satellite stands above --min-elevation for an observer; the
    dashed circle around each observer encloses the points it is seen that high from.
    --format geojson (or an --output ending in .geojson) writes the same as GeoJSON instead:
    the track cut at the antimeridian, the parts seen from each observer, the observers and
    their coverage edges (to stdout without --output).
    """
    from passpredict.output.plots import ground_track_map

    if output_format is None and output is not None and output.suffix.lower() in GEOJSON_SUFFIXES:
        output_format = "geojson"
    if output_format == "geojson":
        _track_geojson(
            satellite,
            observer_names,
            lat,
            lon,
            alt,
            start,
            min_elevation_deg,
            tle_file,
            zone,
            output,
            hours,
            step_s,
        )
        return
    if output is None:
        raise click.UsageError("give --output FILE.png or FILE.svg (or --format geojson)")
    file_format = _check_output(output)
    if output_format is not None and output_format != file_format:
        raise click.BadParameter(
            f"--format {output_format} but {output} is a .{file_format} file; make them agree",
            param_hint="'--format'",
        )
    if extent is not None:
        lon_min, lon_max, lat_min, lat_max = extent
        if not (-180 <= lon_min < lon_max <= 180 and -90 <= lat_min < lat_max <= 90):
            raise click.BadParameter(
                f"{extent} is not an area; give LON_MIN < LON_MAX within -180..180 and "
                "LAT_MIN < LAT_MAX within -90..90, e.g. --extent 20 80 20 60",
                param_hint="'--extent'",
            )
    observers = resolve_observers(observer_names, lat, lon, alt, zone)
    start_utc, end_utc = _window(start, hours / 24.0)
    (element_set,) = _element_sets((satellite,), tle_file, start_utc, end_utc)
    stale = stale_elements(element_set, start_utc, end_utc)
    warn_stale([stale] if stale else [])
    _draw(
        lambda: ground_track_map(
            element_set,
            observers,
            start_utc,
            end_utc,
            timescale=load_timescale(),
            min_elevation_deg=min_elevation_deg,
            step_s=step_s,
            zone=zone,
            extent=extent,
        ),
        output,
        file_format,
        f"{element_set.name}, {hours:g} h",
    )


@plot_group.command("timeline")
@click.argument("satellites", nargs=-1, metavar="[SATELLITE]...")
@_common
@length_option("--days", "days", MAX_PLOT_DAYS, default=3.0, show_default=True)
@_TWILIGHT
def timeline_command(
    satellites: tuple[str, ...],
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    min_elevation_deg: float,
    tle_file: Path | None,
    zone: tzinfo | None,
    output: Path,
    days: float,
    twilight_deg: float,
) -> None:
    """Draw the passes of several satellites over several observers on one time axis.

    One row per satellite and observer, one bar per pass coloured by its highest elevation,
    outlined in black when part of it is visible by eye (per --twilight). Default: the
    tracked satellites over Baku for three days.
    """
    from passpredict.output.plots import pass_timeline

    file_format = _check_output(output)
    observers = resolve_observers(observer_names, lat, lon, alt, zone)
    start_utc, end_utc = _window(start, days)
    element_sets = _element_sets(satellites, tle_file, start_utc, end_utc)
    prediction = _predict(
        element_sets, observers, start_utc, end_utc, min_elevation_deg, twilight_deg
    )
    _draw(
        lambda: pass_timeline(prediction, zone=zone),
        output,
        file_format,
        f"{len(prediction.passes)} passes",
    )


def _geo_window(start: datetime | None, days: float | None, default_days: float):
    start_utc = start if start is not None else datetime.now(UTC)
    return start_utc, start_utc + timedelta(days=default_days if days is None else days), days


def _one_observer(observers: list[Observer]) -> Observer:
    if len(observers) > 1:
        raise click.UsageError(
            "a sun-outage picture is for one observer; give one --observer or --lat/--lon"
        )
    return observers[0]


@plot_group.command("sun-outages")
@click.argument("satellite")
@observer_options
@click.option(
    "--start",
    type=INSTANT,
    metavar="ISO8601",
    help="Window start with an offset, e.g. 2026-09-01T00:00Z. Default: now.",
)
@length_option("--days", "days", MAX_GEO_PLOT_DAYS)
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
    help="Dish diameter, for the threshold (default 1.2).",
)
@click.option(
    "--frequency-ghz",
    type=FiniteFloat(0, 100, min_open=True),
    metavar="GHZ",
    help="Downlink frequency, for the threshold (default 11.7).",
)
@tle_file_option
@click.option("--tz", "zone", type=ZONE, help="Show times in this IANA zone.")
@_OUTPUT
@verbosity_options
def sun_outages_plot_command(
    satellite: str,
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    days: float | None,
    threshold_deg: float | None,
    dish_m: float | None,
    frequency_ghz: float | None,
    tle_file: Path | None,
    zone: tzinfo | None,
    output: Path,
) -> None:
    """Draw the sun outages of a geostationary SATELLITE: a panel per season, a bar per day.

    Same outages as 'passpredict sun-outages' (threshold from --threshold-deg, or a --dish-m
    dish at --frequency-ghz; default a 1.2 m dish at 11.7 GHz). Default window: the next two
    seasons. Times are the observer's local time (--tz to choose another zone).
    """
    from passpredict.output.plots import sun_outage_calendar
    from passpredict.products.geo.pointing import NotGeostationaryError
    from passpredict.products.geo.sun_outages import (
        DEFAULT_SEARCH_DAYS,
        find_sun_outages,
        group_seasons,
        outage_threshold_deg,
    )

    file_format = _check_output(output)
    if threshold_deg is not None and (dish_m is not None or frequency_ghz is not None):
        raise click.UsageError(
            "--threshold-deg excludes --dish-m and --frequency-ghz; give one or the other"
        )
    threshold = threshold_deg or outage_threshold_deg(dish_m or 1.2, frequency_ghz or 11.7)
    observer = _one_observer(resolve_observers(observer_names, lat, lon, alt, zone))
    start_utc, end_utc, days = _geo_window(start, days, DEFAULT_SEARCH_DAYS)
    (element_set,) = _element_sets((satellite,), tle_file, start_utc, end_utc)
    astronomy = load_astronomy()
    try:
        outages = find_sun_outages(element_set, observer, start_utc, end_utc, astronomy, threshold)
    except NotGeostationaryError as error:
        raise click.BadParameter(str(error), param_hint="SATELLITE") from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    if days is None:  # the next two seasons, as 'passpredict sun-outages' shows them
        seasons = group_seasons(outages, observer.latitude_deg)[:DEFAULT_GEO_SEASONS]
        outages = [o for s in seasons for o in s.outages]
        end_utc = max((o.end_utc for o in outages), default=end_utc)
    stale = stale_elements(element_set, start_utc, end_utc)
    warn_stale([stale] if stale else [])
    _draw(
        lambda: sun_outage_calendar(outages, observers=[observer], zone=zone),
        output,
        file_format,
        f"{element_set.name}, {len(outages)} outage days",
    )


@plot_group.command("eclipses")
@click.argument("satellite")
@click.option(
    "--start",
    type=INSTANT,
    metavar="ISO8601",
    help="Window start with an offset, e.g. 2026-08-01T00:00Z. Default: now.",
)
@length_option("--days", "days", MAX_GEO_PLOT_DAYS)
@tle_file_option
@click.option("--tz", "zone", type=ZONE, help="Show times in this IANA zone (default: UTC).")
@_OUTPUT
@verbosity_options
def eclipses_plot_command(
    satellite: str,
    start: datetime | None,
    days: float | None,
    tle_file: Path | None,
    zone: tzinfo | None,
    output: Path,
) -> None:
    """Draw the eclipse seasons of a geostationary SATELLITE: a panel per season, a bar a night.

    Each bar is one passage through the Earth's shadow (pale: penumbra, dark: umbra) on a
    noon-to-noon time axis. Same eclipses as 'passpredict eclipses'; default window: the next
    two seasons. Times in UTC unless --tz.
    """
    from passpredict.engine.orbits import OrbitClass, classify
    from passpredict.output.plots.eclipses import eclipse_season_chart
    from passpredict.products.geo.eclipses import DEFAULT_GEO_SEARCH_DAYS, find_eclipses
    from passpredict.products.geo.eclipses import group_seasons as eclipse_seasons

    file_format = _check_output(output)
    start_utc, end_utc, days = _geo_window(start, days, DEFAULT_GEO_SEARCH_DAYS)
    (element_set,) = _element_sets((satellite,), tle_file, start_utc, end_utc)
    if classify(element_set) is not OrbitClass.GEOSTATIONARY:
        raise click.BadParameter(
            f"{element_set.name} (NORAD {element_set.norad_id}) is not geostationary: it has no "
            "eclipse seasons to draw; 'passpredict eclipses' lists its eclipses",
            param_hint="SATELLITE",
        )
    astronomy = load_astronomy()
    try:
        eclipses = find_eclipses(element_set, start_utc, end_utc, astronomy)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        astronomy.ephemeris.close()
    if days is None:
        seasons = eclipse_seasons(eclipses)[:DEFAULT_GEO_SEASONS]
        eclipses = [e for s in seasons for e in s.eclipses]
        end_utc = max((e.penumbra_exit_utc for e in eclipses), default=end_utc)
    stale = stale_elements(element_set, start_utc, end_utc)
    warn_stale([stale] if stale else [])
    _draw(
        lambda: eclipse_season_chart(eclipses, zone=zone),
        output,
        file_format,
        f"{element_set.name}, {len(eclipses)} eclipses",
    )


def _track_geojson(
    satellite: str,
    observer_names: tuple[str, ...],
    lat: float | None,
    lon: float | None,
    alt: float,
    start: datetime | None,
    min_elevation_deg: float,
    tle_file: Path | None,
    zone: tzinfo | None,
    output: Path | None,
    hours: float,
    step_s: float,
) -> None:
    """`plot track --format geojson`: the ground track as GeoJSON, to a file or stdout."""
    import json

    from passpredict.output.geojson_track import ground_track_geojson

    if output is not None and output.suffix.lower() not in GEOJSON_SUFFIXES:
        raise click.BadParameter(
            f"{output} does not end in .geojson or .json; name a GeoJSON file, "
            f"e.g. {output.with_suffix('.geojson').name}",
            param_hint="'--output'",
        )
    if output is not None and not output.parent.is_dir():
        raise click.BadParameter(
            f"the directory {output.parent} does not exist; create it first",
            param_hint="'--output'",
        )
    observers = resolve_observers(observer_names, lat, lon, alt, zone)
    start_utc, end_utc = _window(start, hours / 24.0)
    (element_set,) = _element_sets((satellite,), tle_file, start_utc, end_utc)
    stale = stale_elements(element_set, start_utc, end_utc)
    warn_stale([stale] if stale else [])
    try:
        data = ground_track_geojson(
            element_set,
            observers,
            start_utc,
            end_utc,
            timescale=load_timescale(),
            min_elevation_deg=min_elevation_deg,
            step_s=step_s,
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    text = json.dumps(data, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    say(f"wrote {output} ({element_set.name}, {hours:g} h, GeoJSON)")
