"""The JSON API under /api/: the fields of the CLI's `--format json`, times in UTC 'Z'.

- ``GET /api/passes``: `passpredict passes --format json` (the same `formats.to_json`);
- ``GET /api/pass``: one pass (`passes` fields) and its track (`track --format json` samples);
- ``GET /api/sky``: where the watched satellites are now;
- ``GET /api/dish``: `geo --format json` per satellite, magnetic bearing, next sun outages;
- ``GET /api/observers``: the built-in and the user's observers;
- ``GET /api/elements``: `passpredict tle status --format json`;
- ``POST /api/refresh``: `passpredict tle refresh`, only with `--allow-refresh`.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from passpredict.inputs.observers import ObserverFileError, all_observers
from passpredict.output.formats import to_json
from passpredict.output.geo_json import observer_dict
from passpredict.web import elements
from passpredict.web.params import (
    OBSERVER_KEYS,
    BadQuery,
    check_known,
    parse_instant,
    parse_observer,
    parse_pass_query,
    parse_satellites,
)
from passpredict.web.requests import multi_params, now_of, pass_detail

#: The header a refresh request must carry: a cross-site form cannot send it.
REFRESH_HEADER = "x-passpredict-refresh"


async def passes(request: Request) -> Response:
    params = multi_params(request)
    query = parse_pass_query(params, now_of(request), request.app.state.config.observers_path)
    prediction, _ = await run_in_threadpool(request.app.state.engine.predict, query)
    return Response(to_json(prediction), media_type="application/json")


async def one_pass(request: Request) -> Response:
    engine = request.app.state.engine
    detail = await run_in_threadpool(pass_detail, request)
    return JSONResponse(engine.pass_detail_json(detail))


async def sky(request: Request) -> Response:
    params = multi_params(request)
    check_known(params, (*OBSERVER_KEYS, "at"))
    observer = parse_observer(params, request.app.state.config.observers_path)
    at_utc = parse_instant(params, "at", now_of(request))
    data = await run_in_threadpool(request.app.state.engine.sky, observer, at_utc)
    return JSONResponse(data)


async def dish(request: Request) -> Response:
    params = multi_params(request)
    check_known(params, (*OBSERVER_KEYS, "at", "satellite"))
    observer = parse_observer(params, request.app.state.config.observers_path)
    at_utc = parse_instant(params, "at", now_of(request))
    satellites = parse_satellites(params)
    data = await run_in_threadpool(request.app.state.engine.dish, observer, satellites, at_utc)
    return JSONResponse(data)


async def observers(request: Request) -> Response:
    check_known(multi_params(request), ())
    try:
        known = all_observers(request.app.state.config.observers_path)
    except ObserverFileError as error:
        raise BadQuery("observer", str(error)) from None
    return JSONResponse({"observers": [observer_dict(o) for o in known]})


async def store_status(request: Request) -> Response:
    check_known(multi_params(request), ())
    data = await run_in_threadpool(elements.status, request.app.state.config.home, now_of(request))
    return JSONResponse(data)


async def refresh(request: Request) -> Response:
    config = request.app.state.config
    if not config.allow_refresh:
        return JSONResponse(
            {"error": "refresh is off: start the server with 'passpredict serve --allow-refresh'"},
            status_code=403,
        )
    if request.headers.get(REFRESH_HEADER) != "1":
        return JSONResponse(
            {"error": f"a refresh request needs the header '{REFRESH_HEADER}: 1'"},
            status_code=400,
        )
    data = await run_in_threadpool(elements.refresh, config.home, now_of(request))
    return JSONResponse(data)


def routes() -> list[Route]:
    return [
        Route("/api/passes", passes),
        Route("/api/pass", one_pass),
        Route("/api/sky", sky),
        Route("/api/dish", dish),
        Route("/api/observers", observers),
        Route("/api/elements", store_status),
        Route("/api/refresh", refresh, methods=["POST"]),
    ]
