"""A stand-in for CelesTrak's gp.php on 127.0.0.1, recording every request it gets.

Tests route a query (``CATNR=40053``, ``GROUP=resource``: the parameters other than FORMAT) to
a `Reply` that says what to answer and how: normally, cut short, hanging, or trickling bytes.
Nothing is mocked: the client under test opens real sockets to this server.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "celestrak"

NOT_UPDATED_BODY = (
    b"GP data has not updated since your last successful download of GROUP=resource at "
    b"2026-11-25 04:00:01 UTC.\r\nData is updated once every 2 hours.\r\n"
)
NO_DATA_BODY = b"No GP data found"
HTML_BODY = (
    b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>\n"
    b"<body><h1>CelesTrak is down for maintenance</h1></body></html>\n"
)


@dataclass
class Reply:
    """How the server answers one routed query.

    `mode` is ``normal``; ``truncated`` (announces `len(body) + 1000` bytes, sends `body`,
    closes); ``hang`` (reads the request, never answers); ``trickle-body`` (headers, then one
    body byte every `interval_s`); ``trickle-headers`` (one header byte every `interval_s`).
    """

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    mode: str = "normal"
    interval_s: float = 0.05
    send_length: bool = True


@dataclass(frozen=True)
class SeenRequest:
    """One request as the server received it."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    @property
    def key(self) -> str:
        return _route_key(self.params)


def _route_key(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items() if k != "FORMAT")


class CelestrakServer:
    """Serve routed replies on 127.0.0.1 (any free port) from a thread; use as a context."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply] = {}
        self.default = Reply(500, b"test server: no route for this query", "text/plain")
        self.requests: list[SeenRequest] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")

    def route(self, key: str, reply: Reply) -> None:
        self.routes[key] = reply

    def seen(self, key: str | None = None) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if key is None or r.key == key]

    def start(self) -> CelestrakServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()  # joins the handler threads (block_on_close)
        self._thread.join()

    def __enter__(self) -> CelestrakServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    owner: CelestrakServer

    def handle_error(self, request, client_address) -> None:
        pass  # the client gave up (timeout tests): a broken pipe is expected


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        seen = SeenRequest("GET", parts.path, params, dict(self.headers.items()))
        with owner._lock:
            owner.requests.append(seen)
        reply = owner.routes.get(seen.key, owner.default)
        if parts.path != "/NORAD/elements/gp.php":
            reply = Reply(404, b"test server: unknown path", "text/plain")
        with contextlib.suppress(OSError):  # the client may have closed the connection
            self._answer(reply, owner.stopping)

    def _answer(self, reply: Reply, stopping: threading.Event) -> None:
        if reply.mode == "hang":
            stopping.wait(30)
            return
        head = [f"HTTP/1.0 {reply.status} {_reason(reply.status)}"]
        head.append(f"Content-Type: {reply.content_type}")
        if reply.send_length:
            extra = 1000 if reply.mode == "truncated" else 0
            head.append(f"Content-Length: {len(reply.body) + extra}")
        head += [f"{k}: {v}" for k, v in reply.headers.items()]
        head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode()
        if reply.mode == "trickle-headers":
            self._trickle(head_bytes, reply.interval_s, stopping)
            return
        self.wfile.write(head_bytes)
        if reply.mode == "trickle-body":
            self._trickle(reply.body, reply.interval_s, stopping)
            return
        self.wfile.write(reply.body)
        self.wfile.flush()
        if reply.mode == "truncated":
            self.connection.shutdown(socket.SHUT_WR)

    def _trickle(self, data: bytes, interval_s: float, stopping: threading.Event) -> None:
        for i in range(len(data)):
            if stopping.is_set():
                return
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
            time.sleep(interval_s)


def _reason(status: int) -> str:
    return BaseHTTPRequestHandler.responses.get(status, ("Unknown",))[0]


# --- real element data, as files and as the answers CelesTrak would give -------------------


def data_text(name: str) -> str:
    """Return a file of tests/data/celestrak as text, line endings untouched."""
    return (DATA_DIR / name).read_bytes().decode("utf-8")


def load_sets(name: str) -> list:
    """Return the element sets of a tests/data/celestrak file (`ElementSet`s, file order)."""
    from tle_cache.parse import parse_text

    return parse_text(data_text(name), name)


def omm_body(sets: list, fmt: str = "JSON") -> bytes:
    """Render `sets` as gp.php would answer with FORMAT=JSON or FORMAT=CSV (CRLF for CSV)."""
    from tle_cache.export import to_omm_csv, to_omm_json

    if fmt.upper() == "JSON":
        return to_omm_json(sets).encode()
    return to_omm_csv(sets).replace("\n", "\r\n").encode()
