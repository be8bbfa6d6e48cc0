"""`passpredict plot sky` and `plot timeline`: passes drawn as a sky chart or on a time axis.

Both predict with visibility like `passpredict passes` (`passpredict.cli.plot_options`) and draw
with `passpredict.output.plots`.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from passpredict.cli.messages import note
from passpredict.cli.options import length_option, resolve_observers
from passpredict.cli.plot_options import (
    MAX_PLOT_DAYS,
    MAX_SKY_PASSES,
    TWILIGHT_OPTION,
    check_output,
    common,
    draw,
    element_sets_for,
    plot_window,
    predict_visible,
)
from passpredict.engine.ephemeris import load_timescale

if TYPE_CHECKING:
    from passpredict.products.predict import Prediction


@click.command("sky")
@click.argument("satellites", nargs=-1, metavar="[SATELLITE]...")
@common
@length_option("--days", "days", MAX_PLOT_DAYS, default=1.0, show_default=True)
@click.option(
    "--best",
    type=click.IntRange(min=1),
    metavar="N",
    help="Draw only the N highest passes of the window.",
)
@TWILIGHT_OPTION
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

    file_format = check_output(output)
    observers = resolve_observers(observer_names, lat, lon, alt, zone)
    if len(observers) != 1:
        raise click.UsageError("a sky chart shows one observer's sky; give one --observer")
    start_utc, end_utc = plot_window(start, days)
    element_sets = element_sets_for(satellites, tle_file, start_utc, end_utc)
    prediction = predict_visible(
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
            f"no {which} above {min_elevation_deg:g} deg in the window{_why(prediction)}; "
            "widen it with --days or lower --min-elevation"
        )
    draw(
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


def _why(prediction: Prediction) -> str:
    """What the prediction's notes say about satellites without passes (decayed elements, an
    orbit that never rises here), as a parenthesis for the error, or nothing."""
    if not prediction.notes:
        return ""
    said = [f"{n.satellite} ({n.norad_id}): {n.reason}" for n in prediction.notes[:2]]
    more = len(prediction.notes) - len(said)
    return f" ({'; '.join(said)}{f'; {more} more' if more else ''})"


@click.command("timeline")
@click.argument("satellites", nargs=-1, metavar="[SATELLITE]...")
@common
@length_option("--days", "days", MAX_PLOT_DAYS, default=3.0, show_default=True)
@TWILIGHT_OPTION
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
    a black triangle over it when part of it is visible by eye (per --twilight); an empty
    window says so, and why when known. Default: the tracked satellites over Baku for three
    days.
    """
    from passpredict.output.plots import pass_timeline

    file_format = check_output(output)
    observers = resolve_observers(observer_names, lat, lon, alt, zone)
    start_utc, end_utc = plot_window(start, days)
    element_sets = element_sets_for(satellites, tle_file, start_utc, end_utc)
    prediction = predict_visible(
        element_sets, observers, start_utc, end_utc, min_elevation_deg, twilight_deg
    )
    draw(
        lambda: pass_timeline(prediction, zone=zone),
        output,
        file_format,
        f"{len(prediction.passes)} passes",
    )
