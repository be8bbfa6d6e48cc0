"""What the `passpredict plot` commands share: options, the window, elements, checks, drawing.

Each plot command predicts like `passpredict passes` (same satellites, observers, window and
element sources), draws one figure and writes it to `--output` as PNG or SVG, chosen by the
file's suffix, through a temporary name renamed into place (`passpredict.output.atomic`), so a
failed run never leaves half an image. Needs matplotlib: `pip install 'passpredict[notebooks]'`.

Everything that can be known before computing is checked first (`check_output`), so a run
never computes for nothing: that matplotlib can be imported, that the suffix is .png or .svg,
and that a file can be created in the output's directory (by creating one: permission bits lie
for root, and a read-only mount or /proc refuses what the bits allow).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from passpredict.cli.messages import say, verbosity_options, warn, warn_stale
from passpredict.cli.options import chosen_element_sets, observer_options, tle_file_option
from passpredict.engine.ephemeris import load_astronomy
from passpredict.extras import import_optional
from passpredict.inputs.param_types import INSTANT, ZONE, FilePath, FiniteFloat
from passpredict.output.atomic import replace_atomically
from passpredict.products.predict import Prediction, predict
from passpredict.products.visibility import VisibilityOptions, parse_twilight
from passpredict.records import Observer
from tle_cache.elements import ElementSet

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


def common_options(output_required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return a decorator adding the options every plot command shares (observer, window,
    elements, output)."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        return add_common(function, output_required)

    return decorate


def add_common(function: Callable[..., Any], output_required: bool) -> Callable[..., Any]:
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
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
            type=FilePath("sky.png", dir_okay=False),
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


common = common_options(True)


OUTPUT_OPTION = click.option(
    "--output",
    "-o",
    required=True,
    type=FilePath("sky.png", dir_okay=False),
    metavar="FILE.png|FILE.svg",
    help="Where to write the picture; the suffix chooses PNG or SVG.",
)


def element_sets_for(
    satellites: tuple[str, ...], tle_file: Path | None, start_utc: datetime, end_utc: datetime
) -> list[ElementSet]:
    selection = chosen_element_sets(satellites, tle_file, start_utc, end_utc, datetime.now(UTC))
    element_sets = list(selection.element_sets)
    if not element_sets:
        raise click.ClickException("no element sets to plot from")
    return element_sets


def plot_window(start: datetime | None, days: float) -> tuple[datetime, datetime]:
    """Return the window; `days` was bounded by its option (`MAX_PLOT_DAYS`), start by INSTANT."""
    start_utc = start if start is not None else datetime.now(UTC)
    return start_utc, start_utc + timedelta(days=days)


def check_output(output: Path) -> str:
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


def twilight_callback(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return parse_twilight(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


TWILIGHT_OPTION = click.option(
    "--twilight",
    "twilight_deg",
    default="civil",
    show_default=True,
    metavar="civil|nautical|astronomical|DEG",
    callback=twilight_callback,
    help="How dark the sky must be for a pass to be visible: the Sun below -6, -12, -18 or DEG.",
)


def predict_visible(
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


def draw(make: Callable[[], Any], output: Path, file_format: str, what: str) -> None:
    """Build the figure and write it atomically; turn library errors into one-line messages."""
    try:
        figure = make()
    except ModuleNotFoundError as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    replace_atomically(
        output,
        lambda temporary: figure.savefig(temporary, format=file_format, dpi=110),
        suffix=output.suffix,
    )
    say(f"wrote {output} ({what})")
