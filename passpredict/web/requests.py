"""Helpers shared by the HTML and JSON routes: query parameters, the clock, one pass."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request

from passpredict.inputs.param_types import INSTANT, FiniteFloat
from passpredict.web.engine import PassDetail
from passpredict.web.params import convert, parse_pass_query, single

#: Extra parameters of a pass page: which pass, and the track's step.
PASS_DETAIL_KEYS = ("norad", "culmination", "step")
#: Default and limits of a track's step (s).
DEFAULT_STEP_S = 10.0
_STEP = FiniteFloat(min=1.0, max=600.0)


def multi_params(request: Request) -> dict[str, list[str]]:
    """Return the query string as name -> every value given (repeatable `satellite`)."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


def now_of(request: Request) -> datetime:
    """Return the request's one clock reading (the app's clock; tests fix it)."""
    now_utc: datetime = request.app.state.clock()
    return now_utc


def pass_detail(request: Request) -> PassDetail:
    """Return the pass a `/pass` or `/api/pass` request names, with its track."""
    from passpredict.web.params import BadQuery

    params = multi_params(request)
    query = parse_pass_query(
        params, now_of(request), request.app.state.config.observers_path, PASS_DETAIL_KEYS
    )
    norad_text = single(params, "norad")
    # str.isdigit also takes '²' (int() refuses it: a 500) and '٣' (int() reads 3): ASCII only
    if norad_text is None or not (norad_text.isascii() and norad_text.isdigit()):
        raise BadQuery("norad", f"norad must be a NORAD catalog number, got {norad_text!r}")
    culmination = single(params, "culmination")
    if culmination is None:
        raise BadQuery("culmination", "culmination (the pass's ISO 8601 time) is missing")
    culmination_utc = convert(INSTANT, culmination, "culmination")
    step = single(params, "step")
    step_s = DEFAULT_STEP_S if step is None else float(convert(_STEP, step, "step"))
    detail: PassDetail = request.app.state.engine.pass_detail(
        query, int(norad_text), culmination_utc, step_s
    )
    return detail
