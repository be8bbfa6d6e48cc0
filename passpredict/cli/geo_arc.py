"""`passpredict geo --arc`: every geostationary satellite a dish could be on, on the command line.

Parsing and printing only; the arc and the offset-dish angle are `passpredict.products.geo.arc`. The
satellites are the store's every set (or a --tle-file's) classified geostationary and above
the horizon, west to east; with `--near SAT` each carries its angle from that target as seen
from the observer, so an installer can tell Azerspace-1 (46 E) from Azerspace-2 (45 E).
"""

from __future__ import annotations

import math
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from passpredict.cli.messages import warn
from passpredict.home import home_dir
from passpredict.inputs.sources import ElementSourceError, select_element_sets
from passpredict.output.emit import Output, emit
from passpredict.output.grid import Column, Grid, Line, print_lines
from passpredict.output.tables import compass
from passpredict.output.terminal import clean, make_console, output_width, wrap_parts
from passpredict.products.geo.arc import ArcEntry, dish_face_elevation_deg, geo_arc
from passpredict.products.uncertainty import geo_pointing_uncertainty_deg
from passpredict.records import Observer
from passpredict.timeutil import format_utc
from tle_cache.elements import ElementSet
from tle_cache.parse import ElementParseError


def check_offset_deg(offset_deg: float | None) -> None:
    """Refuse an --offset-deg outside 0-45 (or not a number) in one line, exit 2."""
    if offset_deg is None:
        return
    try:
        dish_face_elevation_deg(0.0, offset_deg)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--offset-deg'") from None


def _sets(
    queries: list[str], tle_file: Path | None, when_utc: datetime, now_utc: datetime, hint: str
) -> list[ElementSet]:
    try:
        selection = select_element_sets(
            queries,
            tle_file,
            home_dir(),
            start_utc=when_utc,
            now_utc=now_utc,
            every_satellite=not queries,
        )
    except (ElementParseError, ElementSourceError) as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=hint) from None
    for warning in selection.warnings:
        warn(warning)
    return list(selection.element_sets)


def arc_rows(
    entries: list[ArcEntry],
    near: ElementSet | None,
    offset_deg: float | None,
    uncertainties_deg: list[float | None] | None = None,
) -> list[dict[str, Any]]:
    """Return one plain row per satellite of the arc (the JSON and CSV records).

    `uncertainties_deg` (one per entry) is each pointing's expected error from the age of its
    set (`products.uncertainty.geo_pointing_uncertainty_deg`, as `geo` gives it), last in the row.
    """
    rows = []
    for number, entry in enumerate(entries):
        p = entry.pointing
        row: dict[str, Any] = {
            "satellite": p.satellite,
            "norad_id": p.norad_id,
            "subsatellite_longitude_deg": round(p.subsatellite_longitude_deg, 3),
            "azimuth_deg": round(p.azimuth_deg, 3),
            "elevation_deg": round(p.elevation_deg, 3),
            "range_km": round(p.range_km, 1),
            "above_horizon": p.above_horizon,
            "separation_deg": None
            if entry.separation_deg is None
            else round(entry.separation_deg, 3),
            "target": near is not None and p.norad_id == near.norad_id,
        }
        if offset_deg is not None:
            row["dish_face_elevation_deg"] = round(
                dish_face_elevation_deg(p.elevation_deg, offset_deg), 3
            )
        if uncertainties_deg is not None:
            uncertainty_deg = uncertainties_deg[number]
            row["pointing_uncertainty_deg"] = (
                None if uncertainty_deg is None else round(uncertainty_deg, 3)
            )
        rows.append(row)
    return rows


def run_arc(
    observer: Observer,
    when_utc: datetime,
    now_utc: datetime,
    timescale: Any,
    *,
    near_query: str | None,
    tle_file: Path | None,
    offset_deg: float | None,
    output_format: str,
    observer_dict: dict[str, Any],
) -> None:
    """List the geostationary arc from `observer` at `when_utc` in `output_format`."""
    near = None
    if near_query is not None:
        (near,) = _sets([near_query], tle_file, when_utc, now_utc, "'--near'")[:1]
    sets = _sets([], tle_file, when_utc, now_utc, "'--tle-file'")
    try:
        entries = geo_arc(sets, observer, when_utc, timescale, near=near)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    by_norad: dict[int, ElementSet] = {}
    for es in sets:  # the first set of a satellite, as geo_arc takes it
        by_norad.setdefault(es.norad_id, es)
    uncertainties_deg = [
        geo_pointing_uncertainty_deg(es, es.age_days(when_utc))
        for es in (by_norad[entry.pointing.norad_id] for entry in entries)
    ]
    rows = arc_rows(entries, near, offset_deg, uncertainties_deg)
    fields = [
        *_FIELDS,
        *(["dish_face_elevation_deg"] if offset_deg is not None else []),
        "pointing_uncertainty_deg",
    ]
    output = Output(
        json=lambda: {
            "time": format_utc(when_utc),
            "observer": observer_dict,
            "near": None if near is None else {"norad_id": near.norad_id, "name": near.name},
            "offset_deg": offset_deg,
            "satellites": rows,
        },
        csv=lambda: (rows, fields),
        table=lambda: _print_arc(rows, observer, when_utc, near, offset_deg),
    )
    emit(sys.stdout, output_format, output)


_FIELDS = [
    "satellite",
    "norad_id",
    "subsatellite_longitude_deg",
    "azimuth_deg",
    "elevation_deg",
    "range_km",
    "above_horizon",
    "separation_deg",
    "target",
]


def _print_arc(
    rows: list[dict[str, Any]],
    observer: Observer,
    when_utc: datetime,
    near: ElementSet | None,
    offset_deg: float | None,
) -> None:
    width = output_width(sys.stdout)
    console = make_console(sys.stdout, width)
    head = [
        f"Geostationary arc from {observer.name}",
        f"{format_utc(when_utc)}",
        f"{len(rows)} satellites above the horizon, west to east",
    ]
    if near is not None:
        head.append(f"separation from {near.name} (NORAD {near.norad_id})")
    out = [Line(x, True) for x in wrap_parts([clean(h) for h in head], width, ", ", "", "  ")]
    columns = [
        Column("Satellite", shrink=True),
        Column("NORAD", "right"),
        Column("Lon", "right"),
        Column("Azimuth", "right"),
        Column("Elevation", "right"),
    ]
    if offset_deg is not None:
        columns.append(Column(f"Dish face\n({offset_deg:g}° offset)", "right"))
    if near is not None:
        columns.append(Column("Separation", "right"))
    grid = Grid(columns)
    for row in rows:
        lon = row["subsatellite_longitude_deg"]
        cells = [
            ("▶ " if row["target"] else "") + row["satellite"],
            str(row["norad_id"]),
            f"{abs(lon):.1f}°{'E' if lon >= 0 else 'W'}",
            f"{row['azimuth_deg']:.2f}° {compass(row['azimuth_deg'])}",
            f"{row['elevation_deg']:z.2f}°",
        ]
        if offset_deg is not None:
            cells.append(f"{row['dish_face_elevation_deg']:z.2f}°")
        if near is not None:
            sep = row["separation_deg"]
            cells.append("-" if sep is None or math.isnan(sep) else f"{sep:.2f}°")
        grid.add_row(*cells)
    out += grid.render(width)
    print_lines(console, out)
