"""The terminal tables of the geostationary commands: sun outages, eclipses, and their pieces.

`passpredict sun-outages` and `eclipses` print these with `--format table` (the default): a
heading wrapped to the terminal, one grid per season, the held-at-station note under it. Times
are in the zone given (the observer's, unless `--tz` or `--utc`), rounded to the second.
The small helpers (`local`, `heading`, `text_lines`, ...) are shared with `passpredict geo`'s
pointing table.
"""

from __future__ import annotations

import sys
from datetime import datetime, tzinfo

from rich.console import Console

from passpredict.engine.stationkeeping import window_held
from passpredict.output.geo_json import (
    eclipse_season_cut,
    eclipse_season_name,
    hold_note,
    outage_season_cut,
)
from passpredict.output.grid import Column, Grid, Line, print_lines
from passpredict.output.tables import printed_duration, round_to_second
from passpredict.output.terminal import clean, make_console, output_width, wrap, wrap_parts
from passpredict.output.textarrays import rounded
from passpredict.products.geo.eclipses import Eclipse, EclipseSeason
from passpredict.products.geo.sun_outages import OutageSeason, OutageThreshold
from passpredict.records import Observer
from tle_cache.elements import ElementSet


def stdout_console() -> tuple[Console, int | None]:
    """Return the console tables are printed on and the width they must fit (None: any)."""
    width = output_width(sys.stdout)
    return make_console(sys.stdout, width), width


def local(value: datetime | None, zone: tzinfo, fmt: str = "%H:%M:%S") -> str:
    """A table time in `zone`, rounded to the second (12:45:35.6 prints 12:45:36)."""
    return "-" if value is None else round_to_second(value).astimezone(zone).strftime(fmt)


def text_lines(text: str, width: int | None, first: str = "", rest: str = "  ") -> list[Line]:
    """Return `text` wrapped to `width` as plain lines."""
    return [Line(x) for x in wrap(clean(text), width, first, rest)]


def heading(parts: list[str], width: int | None, sep: str = ", ") -> list[Line]:
    """Return a bold heading of `parts`, broken between parts to fit `width`."""
    return [Line(x, True) for x in wrap_parts([clean(p) for p in parts], width, sep, "", "  ")]


def note_lines(note: str | None, width: int | None) -> list[Line]:
    """The held-at-station note, under the table, wrapped to the width."""
    return [] if not note else text_lines(f"{note}.", width, "  Note: ", "  ")


def days_text(count: int) -> str:
    """Return "1 day" or "N days"."""
    return f"{count} day" if count == 1 else f"{count} days"


def hemisphere(value_deg: float, letters: str) -> str:
    """Return e.g. 46.000°E for 46 with letters "EW" (the first letter for positive values)."""
    value = rounded(value_deg, 3)  # a value that rounds to 0 is 0.000 and takes the first letter
    return f"{abs(value):.3f}°{letters[0] if value >= 0 else letters[1]}"


def zone_label(zone: tzinfo, at_utc: datetime) -> str:
    """Return e.g. "Asia/Baku (UTC+04:00)": the zone and its offset at `at_utc`."""
    offset = at_utc.astimezone(zone).strftime("%z")
    return f"{zone} (UTC{offset[:3]}:{offset[3:]})"


def place(observer: Observer) -> str:
    """Return the observer's name and, unless the name says it already, where it is."""
    lat_deg, lon_deg = rounded(observer.latitude_deg, 4), rounded(observer.longitude_deg, 4)
    lat = f"{abs(lat_deg):.4f}{'N' if lat_deg >= 0 else 'S'}"  # as coordinates_name writes it
    lon = f"{abs(lon_deg):.4f}{'E' if lon_deg >= 0 else 'W'}"
    if observer.name == f"{lat} {lon}":
        return f"{observer.name} ({observer.elevation_m:zg} m)"
    return f"{observer.name} ({lat} {lon}, {observer.elevation_m:zg} m)"


def describe_threshold(threshold: OutageThreshold) -> str:
    """Say what the outage threshold is and where it comes from."""
    if threshold.beamwidth_deg is None:
        return f"threshold {threshold.threshold_deg:.2f}° (given)"
    return (
        f"threshold {threshold.threshold_deg:.2f}°: half the {threshold.beamwidth_deg:.2f}° "
        f"half-power beamwidth (70 λ/D) of a {threshold.dish_m:g} m dish at "
        f"{threshold.frequency_ghz:g} GHz, plus the Sun's radius (0.27°)"
    )


def print_outages(
    es: ElementSet,
    observer: Observer,
    seasons: list[OutageSeason],
    threshold: OutageThreshold,
    zone: tzinfo,
    start_utc: datetime,
    end_utc: datetime,
    searched_end_utc: datetime,
) -> None:
    """Print the sun-outage table: a heading per season and one row per day.

    A season the window searched (`start_utc` to `searched_end_utc`) may have cut, at either
    end, is headed "(within the window)": the rule of the JSON's `cut_by_window_start` /
    `cut_by_window_end` (`passpredict.output.geo_json.SeasonCut`), so both say the same.
    """
    console, width = stdout_console()
    out = heading(
        [
            f"Sun outages of {es.name} (NORAD {es.norad_id}) from {place(observer)}",
            f"times in {zone_label(zone, start_utc)}",
        ],
        width,
        "; ",
    )
    out += text_lines(describe_threshold(threshold), width, "  ", "    ")
    if not seasons:
        out += text_lines(
            f"No outage from {local(start_utc, zone, '%Y-%m-%d %H:%M')} to "
            f"{local(end_utc, zone, '%Y-%m-%d %H:%M')}.",
            width,
            "  ",
            "  ",
        )
    for season in seasons:
        deepest = season.deepest
        cut = any(outage_season_cut(season, start_utc, searched_end_utc))
        out.append(Line(""))
        out += heading(
            [
                f"{season.name.capitalize()}{_WITHIN if cut else ''}:"
                f" {days_text(len(season.outages))}",
                f"{local(season.first.start_utc, zone, '%a %d %b')} to "
                f"{local(season.last.end_utc, zone, '%a %d %b %Y')}; closest "
                f"{deepest.min_separation_deg:.2f}° on "
                f"{local(deepest.peak_utc, zone, '%a %d %b')}",
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
                local(o.peak_utc, zone, "%a %d %b %Y"),
                local(o.start_utc, zone),
                local(o.peak_utc, zone),
                local(o.end_utc, zone),
                printed_duration(o.start_utc, o.end_utc),
                f"{o.min_separation_deg:.3f}°",
            )
        out += table.render(width)
    out += note_lines(hold_note(es, window_held(es, start_utc, end_utc)), width)
    print_lines(console, out)


_WITHIN = " (within the window)"


def print_eclipses(
    es: ElementSet,
    eclipses: list[Eclipse],
    seasons: list[EclipseSeason],
    summary: bool,
    zone: tzinfo,
    start_utc: datetime,
    end_utc: datetime,
    searched_end_utc: datetime,
) -> None:
    """Print the eclipse table: season headings (geostationary) and one row per eclipse.

    A season the window searched may have cut is headed "(within the window)", as in
    `print_outages`.
    """
    console, width = stdout_console()
    out = heading(
        [
            f"Eclipses of {es.name} (NORAD {es.norad_id})",
            f"times in {zone_label(zone, start_utc)}",
        ],
        width,
        "; ",
    )
    if not eclipses:
        out += text_lines(
            f"No eclipse from {local(start_utc, zone, '%Y-%m-%d %H:%M')} to "
            f"{local(end_utc, zone, '%Y-%m-%d %H:%M')}.",
            width,
            "  ",
            "  ",
        )
    day = "%a %d %b %Y %H:%M"
    for season in seasons:
        longest = season.longest
        cut = any(eclipse_season_cut(season, start_utc, searched_end_utc))
        out.append(Line(""))
        out += heading(
            [
                f"{eclipse_season_name(season).capitalize()} eclipse season"
                f"{_WITHIN if cut else ''}: "
                f"{days_text(len(season.eclipses))}",
                f"first {local(season.first.penumbra_entry_utc, zone, day)}",
                f"last {local(season.last.penumbra_entry_utc, zone, day)}; longest "
                f"{_eclipse_duration(longest)} (umbra {_umbra_duration(longest)}) "
                f"on {local(longest.penumbra_entry_utc, zone, '%a %d %b')}",
            ],
            width,
        )
        if not summary:
            out += _eclipse_table(list(season.eclipses), zone, width)
    if not seasons and eclipses:
        out += _eclipse_table(eclipses, zone, width)
    out += note_lines(hold_note(es, window_held(es, start_utc, end_utc)), width)
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
                local(e.penumbra_entry_utc, zone, "%d %b %Y" if narrow else "%a %d %b %Y"),
                local(e.penumbra_entry_utc, zone),
                local(e.umbra_entry_utc, zone),
                local(e.umbra_exit_utc, zone),
                local(e.penumbra_exit_utc, zone),
                _eclipse_duration(e),
                _umbra_duration(e),
            )
        return table

    table = build(narrow=False)
    if width is not None and table.natural_width() > width:
        table = build(narrow=True)
    return table.render(width)
