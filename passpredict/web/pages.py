"""The HTML pages: Passes, one pass, Sky now, Dish, Elements. Jinja2 with autoescape on.

Pages show what the API returns, formatted for people: times in the observer's local zone
rounded to the second (as the CLI's tables), directions as compass points. Every string from
outside (satellite and observer names, sources, messages) is escaped by the templates'
autoescape; the SVG builders escape their own labels (`passpredict.web.svg`).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from passpredict.inputs.observers import ObserverFileError, all_observers, builtin_observers
from passpredict.records import Observer, PassPoint
from passpredict.timeutil import format_utc
from passpredict.web import elements, svg
from passpredict.web.params import (
    MAX_SATELLITES,
    OBSERVER_KEYS,
    check_known,
    observer_pairs,
    parse_instant,
    parse_observer,
    parse_pass_query,
    parse_satellites,
)
from passpredict.web.requests import now_of, pass_detail

_ENV = Environment(
    loader=PackageLoader("passpredict.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_POINTS = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W",
           "WNW", "NW", "NNW")  # fmt: skip
_HALF_SECOND = timedelta(milliseconds=500)


def compass(azimuth_deg: float) -> str:
    """Return the 16-point compass direction of an azimuth (22.5 deg sectors)."""
    return _POINTS[int(((azimuth_deg % 360.0) + 11.25) // 22.5) % 16]


def local(moment: datetime | None, zone: tzinfo, fmt: str = "%H:%M:%S") -> str:
    """Return a time in `zone`, rounded to the second as the CLI's tables print it."""
    if moment is None:
        return "-"
    return ((moment + _HALF_SECOND).replace(microsecond=0)).astimezone(zone).strftime(fmt)


def _zone(observer: Observer, override: tzinfo | None) -> tzinfo:
    return override or ZoneInfo(observer.timezone or "UTC")


def _is_adhoc(observer: Observer) -> bool:
    """Return whether `observer` is typed coordinates (the form shows them, not a list entry)."""
    return observer_pairs(observer)[0][0] == "lat"


def _render(
    request: Request, template: str, http_status: int = 200, **context: Any
) -> HTMLResponse:
    config = request.app.state.config
    html = _ENV.get_template(template).render(
        path=request.url.path, allow_refresh=config.allow_refresh, **context
    )
    return HTMLResponse(html, status_code=http_status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return _render(request, "error.html", status, status=status, message=message)


def form_params(request: Request) -> dict[str, list[str]]:
    """Return the query string without empty values (a form sends its empty fields)."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if value.strip():
            params.setdefault(key, []).append(value)
    return params


def _observers(request: Request) -> list[Observer]:
    try:
        return all_observers(request.app.state.config.observers_path)
    except ObserverFileError:
        return builtin_observers()


def _point(point: PassPoint | None, zone: tzinfo) -> dict[str, Any] | None:
    if point is None:
        return None
    return {
        "local": local(point.time_utc, zone),
        "utc": format_utc(point.time_utc),
        "compass": compass(point.azimuth_deg),
        "azimuth_deg": point.azimuth_deg,
        "elevation_deg": point.elevation_deg,
    }


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def _refresh_hint(allow_refresh: bool) -> str:
    """The fix for stale elements on a page: the Elements page's refresh where the server
    offers it, else the server's command (a browser has no --tle-file)."""
    if allow_refresh:
        return "refresh them on the Elements page"
    return 'refresh the store where this server runs ("passpredict tle refresh")'


async def passes_page(request: Request) -> Response:
    params = form_params(request)
    config = request.app.state.config
    query = parse_pass_query(params, now_of(request), config.observers_path)
    prediction, warnings = await run_in_threadpool(request.app.state.engine.predict, query)
    zone = _zone(query.observer, query.zone)
    base = query.query_string()
    rows = []
    for item in prediction.passes:
        visibility = item.visibility
        link = urlencode(
            [
                *base,
                ("norad", str(item.norad_id)),
                ("culmination", format_utc(item.culmination.time_utc)),
            ]
        )
        rows.append(
            {
                "item": item,
                "date": local(item.start_utc, zone, "%a %d %b"),
                "rise": _point(item.rise, zone),
                "culmination": _point(item.culmination, zone),
                "set": _point(item.set, zone),
                "duration": _duration(item.duration_s),
                "visible": bool(visibility and visibility.visible),
                "visible_from": local(visibility.visible_start.time_utc, zone)
                if visibility and visibility.visible_start
                else None,
                "visible_to": local(visibility.visible_end.time_utc, zone)
                if visibility and visibility.visible_end
                else None,
                "link": "/pass?" + link,
            }
        )
    observers = _observers(request)
    # The Dish page for the same place, satellites and instant as the "Fixed in the sky" table
    # (a bare /dish would point from the default observer, now); at most the page's limit.
    geo_norads = list(dict.fromkeys(str(g.norad_id) for g in prediction.geostationary))
    dish_link = "/dish?" + urlencode(
        [
            *observer_pairs(query.observer),
            *(("satellite", n) for n in geo_norads[:MAX_SATELLITES]),
            ("at", format_utc(query.start_utc)),
        ]
    )
    return _render(
        request,
        "passes.html",
        dish_link=dish_link,
        hidden=[(k, v) for k, v in query.query_string() if k in ("satellite", "twilight", "tz")],
        query=query,
        prediction=prediction,
        rows=rows,
        zone_name=str(getattr(zone, "key", zone)),
        warnings=[
            *warnings,
            *(s.describe(_refresh_hint(config.allow_refresh)) for s in prediction.stale),
            *prediction.warnings,
        ],
        observers=observers,
        start_text=local(query.start_utc, zone, "%Y-%m-%dT%H:%M%z"),
        days=(query.end_utc - query.start_utc).total_seconds() / 86400.0,
        adhoc=_is_adhoc(query.observer),
    )


async def pass_page(request: Request) -> Response:
    detail = await run_in_threadpool(pass_detail, request)
    item, t = detail.item, detail.track
    zone = ZoneInfo(detail.zone_name)
    visible = None
    v = item.visibility
    if v is not None and v.visible and v.visible_start and v.visible_end:
        lo = (v.visible_start.time_utc - t.start_utc).total_seconds()
        hi = (v.visible_end.time_utc - t.start_utc).total_seconds()
        visible = (t.seconds >= lo - 1e-6) & (t.seconds <= hi + 1e-6)
    chart = svg.sky_chart(
        [svg.SkyPath(item.satellite, t.azimuth_deg, t.elevation_deg, visible)],
        min_elevation_deg=item.min_elevation_deg,
        title=f"{item.satellite} over {item.observer}",
    )
    samples = request.app.state.engine.pass_detail_json(detail)["samples"]
    times = t.times_utc()
    for sample, moment in zip(samples, (times[k] for k in np.flatnonzero(t.ok)), strict=True):
        sample["local"] = local(moment, zone)
        sample["compass"] = compass(sample["azimuth_deg"])
    params = form_params(request)
    back = urlencode(
        [
            (k, v)
            for k, vs in params.items()
            for v in vs
            if k not in ("norad", "culmination", "step")
        ]
    )
    return _render(
        request,
        "pass.html",
        item=item,
        detail=detail,
        chart=chart,
        samples=samples,
        zone_name=detail.zone_name,
        rise=_point(item.rise, zone),
        culmination=_point(item.culmination, zone),
        set=_point(item.set, zone),
        duration=_duration(item.duration_s),
        back="/passes?" + back,
    )


async def sky_page(request: Request) -> Response:
    params = form_params(request)
    check_known(params, OBSERVER_KEYS)
    observer = parse_observer(params, request.app.state.config.observers_path)
    return _render(
        request,
        "sky.html",
        observer=observer,
        observers=_observers(request),
        chart=svg.sky_chart([], title=f"The sky over {observer.name} now"),
        zone_name=str(getattr(_zone(observer, None), "key", "UTC")),
        api="/api/sky?" + urlencode(observer_pairs(observer)),
        adhoc=_is_adhoc(observer),
    )


async def dish_page(request: Request) -> Response:
    params = form_params(request)
    check_known(params, (*OBSERVER_KEYS, "at", "satellite"))
    observer = parse_observer(params, request.app.state.config.observers_path)
    at_utc = parse_instant(params, "at", now_of(request))
    satellites = parse_satellites(params)
    data = await run_in_threadpool(request.app.state.engine.dish, observer, satellites, at_utc)
    zone = ZoneInfo(observer.timezone or "UTC")
    for record in data["dishes"]:
        record["compass_svg"] = svg.compass_rose(
            record["azimuth_deg"],
            record["azimuth_magnetic_deg"],
            f"Bearing of {record['satellite']} from {observer.name}",
        )
        record["compass"] = compass(record["azimuth_deg"])
        for season in record["sun_outages"]["seasons"]:
            for outage in season["outages"]:
                for key in ("start", "peak", "end"):
                    moment = datetime.fromisoformat(outage[key])
                    outage[f"{key}_local"] = local(moment, zone)
                outage["date_local"] = local(
                    datetime.fromisoformat(outage["peak"]), zone, "%a %d %b %Y"
                )
    return _render(
        request,
        "dish.html",
        data=data,
        observer=observer,
        observers=_observers(request),
        at_local=local(at_utc, zone, "%a %d %b %Y %H:%M:%S %Z"),
        zone_name=observer.timezone or "UTC",
        adhoc=_is_adhoc(observer),
    )


async def elements_page(request: Request) -> Response:
    check_known(form_params(request), ())
    data = await run_in_threadpool(elements.status, request.app.state.config.home, now_of(request))
    return _render(request, "elements.html", data=data)


async def world_map(request: Request) -> Response:
    markers = [(o.name, o.latitude_deg, o.longitude_deg) for o in _observers(request)]
    return Response(
        str(svg.world_map(markers)),
        media_type="image/svg+xml",
        headers={"cache-control": "max-age=3600"},
    )


def routes() -> list[Route]:
    return [
        Route("/", lambda request: RedirectResponse("/passes", status_code=302)),
        Route("/passes", passes_page),
        Route("/pass", pass_page),
        Route("/sky", sky_page),
        Route("/dish", dish_page),
        Route("/elements", elements_page),
        Route("/map.svg", world_map),
    ]
