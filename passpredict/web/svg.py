"""SVG drawings of the web pages: the sky (polar) chart, the compass rose, the world map.

Drawn as text, without matplotlib, so the `web` extra stays small and a chart costs well
under a millisecond. Every label that may come from a file (a satellite's name) goes through
`markupsafe.escape`; colours and sizes are presentation attributes, never `style`, so the
pages work under a Content-Security-Policy without inline styles.

The polar chart has north at the top and east to the right, as the sky is seen looking up
from the ground with a map held overhead (the convention of `passpredict plot sky`):
azimuth clockwise from north, elevation inward, 90 deg at the centre, the horizon at the rim.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from markupsafe import Markup, escape
from numpy.typing import ArrayLike

from passpredict.output.worldmap import country_rings

#: Size of the polar chart's square canvas and its radius (SVG user units).
SKY_SIZE = 440.0
SKY_RADIUS = 180.0
_CENTRE = SKY_SIZE / 2.0
_COMPASS_POINTS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
#: World map canvas: 2 units per degree, equirectangular.
MAP_SCALE = 2.0


def sky_xy(azimuth_deg: ArrayLike, elevation_deg: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Return chart coordinates of look angles (elevations below 0 are drawn on the rim)."""
    az = np.radians(np.asarray(azimuth_deg, dtype=float))
    el = np.clip(np.asarray(elevation_deg, dtype=float), 0.0, 90.0)
    radius = (90.0 - el) / 90.0 * SKY_RADIUS
    return _CENTRE + radius * np.sin(az), _CENTRE - radius * np.cos(az)


@dataclass(frozen=True)
class SkyPath:
    """One satellite's path across the chart; `visible` marks the samples seen by eye."""

    label: str
    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray
    visible: np.ndarray | None = None
    colour: str = "#1f77b4"


def _polyline(x: np.ndarray, y: np.ndarray, **attributes: str) -> str:
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True))
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{v}"' for k, v in attributes.items())
    return f'<polyline points="{points}" fill="none"{extra}/>'


def sky_grid(min_elevation_deg: float | None = None) -> str:
    """Return the chart's rings (0, 30, 60 deg), spokes and compass labels."""
    parts = [f'<circle cx="{_CENTRE}" cy="{_CENTRE}" r="{SKY_RADIUS}" fill="#0b1d33"/>']
    for el in (0.0, 30.0, 60.0):
        r = (90.0 - el) / 90.0 * SKY_RADIUS
        parts.append(
            f'<circle cx="{_CENTRE}" cy="{_CENTRE}" r="{r:.1f}" fill="none" '
            'stroke="#5c7a99" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_CENTRE + 3:.1f}" y="{_CENTRE - r + 12:.1f}" font-size="10" '
            f'fill="#9fb6cc">{el:.0f}°</text>'
        )
    if min_elevation_deg is not None and min_elevation_deg > 0:
        r = (90.0 - min_elevation_deg) / 90.0 * SKY_RADIUS
        parts.append(
            f'<circle cx="{_CENTRE}" cy="{_CENTRE}" r="{r:.1f}" fill="none" stroke="#9fb6cc" '
            'stroke-width="1" stroke-dasharray="3 4"/>'
        )
    for index, name in enumerate(_COMPASS_POINTS):
        angle = math.radians(45.0 * index)
        x, y = math.sin(angle), -math.cos(angle)
        parts.append(
            f'<line x1="{_CENTRE}" y1="{_CENTRE}" x2="{_CENTRE + SKY_RADIUS * x:.1f}" '
            f'y2="{_CENTRE + SKY_RADIUS * y:.1f}" stroke="#5c7a99" stroke-width="0.6"/>'
        )
        lx, ly = _CENTRE + (SKY_RADIUS + 18) * x, _CENTRE + (SKY_RADIUS + 18) * y + 4
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="13" text-anchor="middle" '
            f'fill="#223">{name}</text>'
        )
    return "".join(parts)


def sky_chart(
    paths: Sequence[SkyPath],
    *,
    min_elevation_deg: float | None = None,
    chart_id: str = "sky-chart",
    title: str = "",
) -> Markup:
    """Return a polar chart with each path, an arrow dot at its end and its label at the start."""
    parts = [
        f'<svg id="{escape(chart_id)}" class="sky" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {SKY_SIZE:.0f} {SKY_SIZE:.0f}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        sky_grid(min_elevation_deg),
        '<g class="paths">',
    ]
    for path in paths:
        up = np.isfinite(path.elevation_deg) & (path.elevation_deg >= 0.0)
        if not up.any():
            continue
        x, y = sky_xy(path.azimuth_deg[up], path.elevation_deg[up])
        parts.append(
            _polyline(
                x,
                y,
                stroke=path.colour,
                stroke_width="2",
                stroke_dasharray="5 4",
                class_="pass-path",
            )
        )
        if path.visible is not None and path.visible[up].any():
            seen = path.visible[up]
            parts.append(
                _polyline(
                    x[seen], y[seen], stroke="#ffd23f", stroke_width="4", class_="visible-path"
                )
            )
        parts.append(f'<circle cx="{x[-1]:.1f}" cy="{y[-1]:.1f}" r="4" fill="{path.colour}"/>')
        parts.append(
            f'<text x="{x[0]:.1f}" y="{y[0] - 6:.1f}" font-size="11" fill="#fff" '
            f'text-anchor="middle">{escape(path.label)}</text>'
        )
    parts.append('</g><g id="sky-dots"></g></svg>')
    return Markup("".join(parts))


def compass_rose(true_azimuth_deg: float, magnetic_azimuth_deg: float | None, label: str) -> Markup:
    """Return a compass rose with the true bearing (solid) and the magnetic one (dashed).

    The magnetic arrow is where a compass needle's reading `magnetic_azimuth_deg` points: on
    the rose, true north is up, so it is drawn at the true azimuth too; the rose's magnetic
    north mark sits at the declination (true - magnetic).
    """
    size, c, r = 260.0, 130.0, 100.0
    parts = [
        f'<svg class="compass" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size:.0f} '
        f'{size:.0f}" role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>',
        f'<circle cx="{c}" cy="{c}" r="{r}" fill="#f4f7fb" stroke="#345" stroke-width="2"/>',
    ]
    for index in range(72):
        a = math.radians(5.0 * index)
        inner = r - (12 if index % 18 == 0 else 8 if index % 2 == 0 else 4)
        parts.append(
            f'<line x1="{c + inner * math.sin(a):.1f}" y1="{c - inner * math.cos(a):.1f}" '
            f'x2="{c + r * math.sin(a):.1f}" y2="{c - r * math.cos(a):.1f}" stroke="#345" '
            'stroke-width="1"/>'
        )
    for index, name in enumerate(("N", "E", "S", "W")):
        a = math.radians(90.0 * index)
        parts.append(
            f'<text x="{c + (r + 14) * math.sin(a):.1f}" y="{c - (r + 14) * math.cos(a) + 5:.1f}" '
            f'font-size="14" font-weight="bold" text-anchor="middle" fill="#223">{name}</text>'
        )

    def arrow(azimuth_deg: float, colour: str, dashed: bool, css: str) -> str:
        a = math.radians(azimuth_deg)
        tip_x, tip_y = c + (r - 6) * math.sin(a), c - (r - 6) * math.cos(a)
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        return (
            f'<line class="{css}" x1="{c}" y1="{c}" x2="{tip_x:.1f}" y2="{tip_y:.1f}" '
            f'stroke="{colour}" stroke-width="4"{dash} data-azimuth-deg="{azimuth_deg:.3f}"/>'
            f'<circle cx="{tip_x:.1f}" cy="{tip_y:.1f}" r="5" fill="{colour}"/>'
        )

    parts.append(arrow(true_azimuth_deg, "#c0392b", False, "bearing-true"))
    if magnetic_azimuth_deg is not None:
        declination_deg = true_azimuth_deg - magnetic_azimuth_deg
        a = math.radians(declination_deg)
        parts.append(
            f'<text class="magnetic-north" x="{c + (r - 22) * math.sin(a):.1f}" '
            f'y="{c - (r - 22) * math.cos(a) + 4:.1f}" font-size="11" text-anchor="middle" '
            'fill="#2c7">MN</text>'
        )
    parts.append(f'<circle cx="{c}" cy="{c}" r="5" fill="#345"/></svg>')
    return Markup("".join(parts))


def world_map(markers: Sequence[tuple[str, float, float]] = ()) -> Markup:
    """Return the offline world map (Natural Earth outlines, `passpredict.output.worldmap`).

    Equirectangular, `MAP_SCALE` units per degree: x = (lon + 180) * s, y = (90 - lat) * s,
    the mapping `static/map.js` inverts for a click. `markers` are (label, lat, lon).
    """
    width, height = 360.0 * MAP_SCALE, 180.0 * MAP_SCALE
    parts = [
        f'<svg id="world-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" data-scale="{MAP_SCALE:g}" role="img" '
        'aria-label="World map: click to choose a place">',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#cfe3f3"/>',
        '<g fill="#f2efe6" stroke="#9a9a8a" stroke-width="0.5">',
    ]
    for ring in country_rings():
        x = (ring[:, 0] + 180.0) * MAP_SCALE
        y = (90.0 - ring[:, 1]) * MAP_SCALE
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True))
        parts.append(f'<polygon points="{points}"/>')
    parts.append("</g>")
    for label, lat, lon in markers:
        x, y = (lon + 180.0) * MAP_SCALE, (90.0 - lat) * MAP_SCALE
        parts.append(
            f'<circle class="marker" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#c0392b">'
            f"<title>{escape(label)}</title></circle>"
        )
    parts.append('<circle id="map-pick" cx="-10" cy="-10" r="4" fill="#1f77b4"/></svg>')
    return Markup("".join(parts))
