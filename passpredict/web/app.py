"""The Starlette application of `passpredict serve`: routes, errors, security headers.

A bad query is HTTP 400 with ``{"error": ..., "parameter": ...}`` (an HTML page with the
same message for the pages), never a 500 or a traceback. Every response carries a
Content-Security-Policy that allows only the server itself: no script, style or font can come
from anywhere else, and an injected inline script would not run even if escaping failed.
Bound to a loopback address, the server also refuses requests whose Host header names
another site (DNS rebinding); the refresh endpoint needs a header a cross-site form cannot
send.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from passpredict.engine.ephemeris import load_astronomy
from passpredict.web import api, pages
from passpredict.web.elements import RefreshProblem
from passpredict.web.engine import Engine
from passpredict.web.params import BadQuery

STATIC_DIR = Path(__file__).parent / "static"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@dataclass(frozen=True)
class ServerConfig:
    """How the server was started: its home, the host it binds, whether refresh is on."""

    home: Path
    observers_path: Path
    host: str = "127.0.0.1"
    allow_refresh: bool = False


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _bad_query(request: Request, error: Exception) -> Response:
    assert isinstance(error, BadQuery)
    if _wants_json(request):
        return JSONResponse(error.as_json(), status_code=400)
    return pages.error_page(request, 400, error.message)


async def _store_problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, RefreshProblem)
    if _wants_json(request):
        return JSONResponse({"error": error.message}, status_code=error.status)
    return pages.error_page(request, error.status, error.message)


async def _unexpected(request: Request, error: Exception) -> Response:
    message = f"internal error: {type(error).__name__}: {error}".splitlines()[0]
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=500)
    return pages.error_page(request, 500, message)


class _SecurityHeaders:
    """ASGI middleware adding `SECURITY_HEADERS` to every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    config: ServerConfig, clock: Callable[[], datetime] | None = None, engine: Engine | None = None
) -> Starlette:
    """Return the application; `clock` gives "now" (read once per request; tests fix it)."""
    middleware = [Middleware(_SecurityHeaders)]
    if config.host in LOOPBACK_HOSTS:
        middleware.append(
            Middleware(
                TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "[::1]", "::1"]
            )
        )
    owned = engine is None
    engine = engine or Engine(config.home, load_astronomy())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if owned:
            engine.astronomy.ephemeris.close()  # the DE421 file opened for this app

    app = Starlette(
        lifespan=lifespan,
        routes=[
            *pages.routes(),
            *api.routes(),
            Route("/favicon.ico", lambda request: Response(status_code=204)),
            Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=middleware,
        exception_handlers={
            BadQuery: _bad_query,
            RefreshProblem: _store_problem,
            Exception: _unexpected,
        },
    )
    app.state.config = config
    app.state.engine = engine
    app.state.clock = clock or (lambda: datetime.now(UTC))
    return app
