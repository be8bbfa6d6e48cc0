"""`passpredict plot track`: a satellite's ground track on a world map, or as GeoJSON.

The map is `passpredict.output.plots.ground_track_map`, the GeoJSON
`passpredict.output.geojson_track`; both written whole or not at all (`passpredict.output.atomic`).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

import click

from passpredict.cli.messages import say, warn_stale
from passpredict.cli.options import length_option, resolve_observers
from passpredict.cli.plot_options import (
    GEOJSON_SUFFIXES,
    MAX_PLOT_DAYS,
    MAX_TRACK_STEP_S,
    check_output,
    common_options,
    draw,
    element_sets_for,
    plot_window,
)
from passpredict.engine.ephemeris import load_timescale
from passpredict.inputs.param_types import FiniteFloat
from passpredict.output.atomic import write_text_atomically
from passpredict.products.staleness import stale_elements


@click.command("track")
@click.argument("satellite", metavar="SATELLITE")
@common_options(False)
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
    file_format = check_output(output)
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
    start_utc, end_utc = plot_window(start, hours / 24.0)
    (element_set,) = element_sets_for((satellite,), tle_file, start_utc, end_utc)
    stale = stale_elements(element_set, start_utc, end_utc)
    warn_stale([stale] if stale else [])
    draw(
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
    start_utc, end_utc = plot_window(start, hours / 24.0)
    (element_set,) = element_sets_for((satellite,), tle_file, start_utc, end_utc)
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
    write_text_atomically(output, text)
    say(f"wrote {output} ({element_set.name}, {hours:g} h, GeoJSON)")
