"""The HTTP client for CelesTrak's GP service: one query in, one classified answer out.

The client knows the endpoint's contract (docs: celestrak.md, "Answers to expect") and nothing
about the store: it sends one request per query, never retries, never follows a redirect, and
turns every answer into either an `Answer` (new data, "not modified", "unknown object") or a
`FetchError` that tells the caller to stop the run. Every request has a (connect, read) timeout
and a total deadline, so a server that accepts the connection and then hangs or trickles bytes
fails the request in bounded time.

Credentials in the base URL (``https://user:password@mirror.example``, a mirror behind HTTP
Basic auth) are sent, as Basic auth on every request, and never stored or printed: the
client keeps them apart from its URL, so no answer, message, log line or stored source can
hold them. Everything a server sends that ends up in a message (the first line of an error
body, a ``Location`` header) is made one printable line first (`safe_text.printable`).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from urllib.parse import urlencode, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from passpredict import __version__
from tle_cache.policy import server_key
from tle_cache.safe_text import printable, split_credentials, without_credentials

DEFAULT_BASE_URL = "https://celestrak.org"
BASE_URL_ENV = "PASSPREDICT_CELESTRAK_URL"
GP_PATH = "/NORAD/elements/gp.php"


def project_url() -> str | None:
    """Return the project's repository URL from the installed package's metadata, or None.

    `[project.urls]` in pyproject.toml is the one place it is written (``Repository``, else
    ``Homepage``, else the first URL listed); None when passpredict runs uninstalled.
    """
    try:
        entries = metadata.metadata("passpredict").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    urls: dict[str, str] = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().lower(), url.strip())
    for label in ("repository", "homepage", "source"):
        if urls.get(label):
            return urls[label]
    return next((url for url in urls.values() if url), None)


def user_agent() -> str:
    """Return the User-Agent CelesTrak asks for: name, version and where to reach the project."""
    url = project_url()
    return f"passpredict/{__version__}" + (f" (+{url})" if url else "")


USER_AGENT = user_agent()

#: Formats we ask for online: OMM only, the one that carries 6-digit catalog numbers.
FETCH_FORMATS = ("JSON", "CSV")

DEFAULT_CONNECT_TIMEOUT_S = 10.0
DEFAULT_READ_TIMEOUT_S = 10.0
#: A whole request (connect, headers, body) must finish within this, whatever the server does.
DEFAULT_DEADLINE_S = 30.0
#: The `active` group is under 3 MB as CSV; anything much larger is not an answer we expect.
DEFAULT_MAX_BYTES = 50_000_000

NOT_MODIFIED_PREFIX = "GP data has not updated"
NO_DATA_PREFIX = "No GP data found"

_MAX_CATNR = 999_999_999  # CATNR takes up to 9 digits


class QueryKind(StrEnum):
    """The `gp.php` query parameters we use."""

    CATNR = "CATNR"
    GROUP = "GROUP"
    NAME = "NAME"


@dataclass(frozen=True)
class Query:
    """One `gp.php` query, e.g. ``CATNR=40053`` or ``GROUP=resource``.

    `key` is what the 2-hour policy counts: it leaves out the format and the host, so neither
    ``--format`` nor ``--base-url`` can be used to ask CelesTrak the same question twice. A
    group is written in lower case and a name in upper case: CelesTrak matches both without
    regard to case, so ``--name spot`` and ``--name SPOT`` are one question (one key).
    """

    kind: QueryKind
    value: str

    def __post_init__(self) -> None:
        kind = QueryKind(self.kind)
        value = str(self.value).strip()
        if kind is QueryKind.CATNR:
            if not value.isdigit() or not 1 <= int(value) <= _MAX_CATNR:
                raise ValueError(
                    f"a catalog number is 1 to 999999999, got {self.value!r}; e.g. --catnr 40053"
                )
            value = str(int(value))
        elif kind is QueryKind.GROUP:
            value = value.lower()
            if not value or not all(c.isalnum() or c in "-_" for c in value):
                raise ValueError(
                    f"a group name is letters, digits, '-' and '_', got {self.value!r}; "
                    "e.g. --group resource"
                )
        elif not value:
            raise ValueError("a name query needs some text, e.g. --name SPOT")
        else:
            value = value.upper()  # CelesTrak's names are upper case; NAME ignores case
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "value", value)

    @classmethod
    def catnr(cls, norad_id: int) -> Query:
        return cls(QueryKind.CATNR, str(norad_id))

    @classmethod
    def group(cls, name: str) -> Query:
        return cls(QueryKind.GROUP, name)

    @classmethod
    def name(cls, text: str) -> Query:
        return cls(QueryKind.NAME, text)

    @property
    def key(self) -> str:
        return f"{self.kind.value}={self.value}"

    def same_key(self, logged: str) -> bool:
        """Tell whether a key in the fetch log names this query, as an older version wrote it.

        Versions before NAME was folded to upper case logged ``NAME=spot`` as typed; such a
        row still counts against the 2-hour floor of ``NAME=SPOT``.
        """
        if self.kind is QueryKind.NAME:
            kind, _, value = logged.partition("=")
            return kind == QueryKind.NAME.value and value.strip().upper() == self.value
        return logged == self.key


class Outcome(StrEnum):
    """What an answer that does not stop the run means."""

    DATA = "data"
    NOT_MODIFIED = "not-modified"
    UNKNOWN_OBJECT = "unknown-object"


@dataclass(frozen=True)
class Answer:
    """A classified answer. `text` is the body for DATA (to be parsed), a short note otherwise."""

    query: Query
    url: str
    status_code: int
    outcome: Outcome
    text: str


class FetchError(Exception):
    """An answer (or the lack of one) that must stop the run: tell a human, do not retry.

    `reached_server` is False when no request got to the server (DNS failure, connection
    refused, connect timeout): such an attempt does not count against the 2-hour policy.
    """

    def __init__(
        self,
        message: str,
        *,
        query: Query,
        url: str,
        status_code: int | None = None,
        reached_server: bool = True,
    ) -> None:
        super().__init__(printable(without_credentials(message)))
        self.query = query
        self.url = url
        self.status_code = status_code
        self.reached_server = reached_server


def base_url_from_env(environ: Mapping[str, str] | None = None) -> str:
    """Return `$PASSPREDICT_CELESTRAK_URL` if set, else the CelesTrak host."""
    env = os.environ if environ is None else environ
    return env.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL


def check_base_url(base_url: str) -> str:
    """Return `base_url` without a trailing slash; refuse anything but an http(s) origin.

    The URL may carry ``user:password@`` (sent as Basic auth); the error message never shows
    it.
    """
    shown = printable(without_credentials(base_url.strip()))
    problem = f"base URL must look like https://celestrak.org (scheme and host), got {shown!r}"
    try:
        parts = urlsplit(base_url.strip())
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a port that is not a number, a bad IPv6 literal
        raise ValueError(problem) from None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not port_ok
        or parts.query
        or parts.fragment
        or not all(c.isprintable() and not c.isspace() for c in base_url.strip())
    ):
        raise ValueError(problem)
    endpoint = _ENDPOINT_PATH.search(parts.path)
    if endpoint is not None:
        # The URL copied from CelesTrak's pages: sent as it is, the request would go to
        # .../gp.php/NORAD/elements/gp.php, a 404 that counts against the server's error
        # budget and holds the query back for 2 hours at that server.
        origin = printable(without_credentials(base_url.strip()[: -len(endpoint.group(0))]))
        raise ValueError(
            f"the base URL names the server, not its endpoint: give {origin} without "
            f"{endpoint.group(0).rstrip('/')} (passpredict adds {GP_PATH})"
        )
    return base_url.strip().rstrip("/")


#: A base-URL path that already holds CelesTrak's endpoint (or its folder) at its end.
_ENDPOINT_PATH = re.compile(r"/NORAD/elements(/[^/]*)*/?$", re.IGNORECASE)


class CelestrakClient:
    """A `requests` session configured once for CelesTrak: User-Agent, timeouts, no redirects.

    Use it as a context manager (or call `close`) so the session's sockets are released.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        fmt: str = "JSON",
        connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S,
        read_timeout_s: float = DEFAULT_READ_TIMEOUT_S,
        deadline_s: float = DEFAULT_DEADLINE_S,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        fmt = fmt.upper()
        if fmt not in FETCH_FORMATS:
            raise ValueError(f"fetch format must be one of {', '.join(FETCH_FORMATS)}, got {fmt!r}")
        self.base_url, credentials = split_credentials(check_base_url(base_url))
        self.fmt = fmt
        self.timeout = (connect_timeout_s, read_timeout_s)
        self.deadline_s = deadline_s
        self.max_bytes = max_bytes
        self.session = requests.Session()
        if credentials is not None:
            self.session.auth = credentials  # Basic auth; kept out of every URL we print
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json, text/csv, text/plain;q=0.5"
        adapter = _WatchedAdapter(max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    @property
    def host(self) -> str:
        """``host[:port]`` as the base URL writes it (never with credentials)."""
        return urlsplit(self.base_url).netloc

    @property
    def server(self) -> str:
        """The server as the 2-hour policy counts it (`policy.server_key`)."""
        return server_key(self.base_url)

    def url_for(self, query: Query) -> str:
        """Return the `gp.php` URL of `query`, always with an explicit FORMAT."""
        params = urlencode({query.kind.value: query.value, "FORMAT": self.fmt})
        return f"{self.base_url}{GP_PATH}?{params}"

    def fetch(self, query: Query) -> Answer:
        """Send `query` once and classify the answer; raise `FetchError` when the run must stop."""
        url = self.url_for(query)
        watch = _Watch()
        timer = threading.Timer(self.deadline_s, watch.fire)
        timer.daemon = True
        _local.watch = watch
        timer.start()
        try:
            status, headers, body = self._get(query, url, watch)
        finally:
            timer.cancel()
            _local.watch = None
        return _classify(query, url, status, headers, body)

    def _get(self, query: Query, url: str, watch: _Watch) -> tuple[int, Mapping[str, str], bytes]:
        def fail(message: str, reached: bool = True) -> FetchError:
            return FetchError(message, query=query, url=url, reached_server=reached)

        late = f"{url} did not finish within {self.deadline_s:g} s (the server is too slow)"
        try:
            with self.session.get(
                url, timeout=self.timeout, allow_redirects=False, stream=True
            ) as response:
                announced = _content_length(response.headers)
                if announced is not None and announced > self.max_bytes:
                    raise fail(  # refused before its body: a bogus answer costs no download
                        f"{url} announced {announced} bytes, more than {self.max_bytes} "
                        "bytes; refusing it"
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_content(chunk_size=65536):
                    if watch.fired:
                        raise fail(late)
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise fail(f"{url} sent more than {self.max_bytes} bytes; refusing it")
                    chunks.append(chunk)
                if watch.fired:
                    raise fail(late)
                return response.status_code, response.headers, b"".join(chunks)
        except FetchError:
            raise
        except requests.exceptions.ConnectTimeout:
            raise fail(
                f"could not connect to {self.host} within {self.timeout[0]:g} s; {_OFFLINE_HINT}",
                reached=False,
            ) from None
        except requests.exceptions.ReadTimeout:
            if watch.fired:
                raise fail(late) from None
            raise fail(f"no answer from {url} within {self.timeout[1]:g} s") from None
        except requests.exceptions.ChunkedEncodingError:
            if watch.fired:
                raise fail(late) from None
            raise fail(f"the answer from {url} was cut off (truncated body)") from None
        except requests.exceptions.ConnectionError as exc:
            if watch.fired:
                raise fail(late) from None
            if _is_connect_failure(exc):
                raise fail(
                    f"could not connect to {self.host}: {_reason(exc)}; {_OFFLINE_HINT}", False
                ) from None
            raise fail(f"the connection to {self.host} broke: {_reason(exc)}") from None
        except requests.exceptions.RequestException as exc:
            raise fail(f"request to {url} failed: {_reason(exc)}") from None

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> CelestrakClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


#: The fix a failed connection names: nothing was sent, so it is this side's network or address.
_OFFLINE_HINT = "check this machine's network connection and the server address"


def _classify(
    query: Query, url: str, status: int, headers: Mapping[str, str], body: bytes
) -> Answer:
    """Map a complete HTTP answer to an `Answer`, or raise `FetchError` (docs: celestrak.md)."""
    text = body.decode("utf-8-sig", errors="replace")
    head = text.lstrip()
    if status == 200 and head.startswith(NO_DATA_PREFIX):
        return Answer(query, url, status, Outcome.UNKNOWN_OBJECT, _first_line(head))
    if status == 200:
        return Answer(query, url, status, Outcome.DATA, text)
    if status == 404 and head.startswith(NO_DATA_PREFIX):
        return Answer(query, url, status, Outcome.UNKNOWN_OBJECT, _first_line(head))
    if status == 403 and head.startswith(NOT_MODIFIED_PREFIX):
        return Answer(query, url, status, Outcome.NOT_MODIFIED, _first_line(head))
    if 300 <= status < 400:
        location = printable(headers.get("Location", "nowhere"))[:200]
        message = (
            f"{url} answered HTTP {status} (redirect to {location}); redirects are not "
            "followed: check --base-url / $PASSPREDICT_CELESTRAK_URL"
        )
    else:
        detail = _first_line(head) or "empty body"
        message = f"{url} answered HTTP {status}: {detail}"
    raise FetchError(message, query=query, url=url, status_code=status)


def _content_length(headers: Mapping[str, str]) -> int | None:
    """Return the body size an answer announces, or None when it says none (or nonsense)."""
    text = headers.get("Content-Length", "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _first_line(text: str, limit: int = 100) -> str:
    """The first line of a body, shortened and made printable: it may reach a terminal."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    line = printable(line)
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _reason(exc: BaseException) -> str:
    """Return the innermost cause of a requests error as one short line."""
    inner: BaseException = exc
    while True:
        args = getattr(inner, "args", ())
        nxt = getattr(inner, "reason", None) or (args[0] if args else None)
        if isinstance(nxt, BaseException) and nxt is not inner:
            inner = nxt
            continue
        break
    text = printable(without_credentials(str(inner)))
    text = text.split("Failed to establish a new connection: ")[-1]
    return text if len(text) <= 160 else text[:157] + "..."


def _is_connect_failure(exc: BaseException) -> bool:
    """Return True when the error happened before anything reached the server."""
    inner: BaseException | None = exc
    seen = 0
    while inner is not None and seen < 8:
        if isinstance(inner, urllib3.exceptions.NewConnectionError | ConnectionRefusedError):
            return True
        args = getattr(inner, "args", ())
        inner = getattr(inner, "reason", None) or (
            args[0] if args and isinstance(args[0], BaseException) else None
        )
        seen += 1
    return False


# --- The total deadline -------------------------------------------------------------------
# A read timeout bounds each socket read, not a whole answer: a server may send one byte of
# its headers every few seconds forever. A timer thread therefore shuts down the sockets the
# current request uses when the deadline passes; the blocked read returns at once and
# `fetch` reports the deadline. Connections register themselves in a thread-local watch when
# they start reading a response.

_local = threading.local()


class _Watch:
    """The sockets of one request, and whether its deadline has passed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.fired = False

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shutdown(sock)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _register(sock: socket.socket | None) -> None:
    watch = getattr(_local, "watch", None)
    if watch is not None:
        watch.add(sock)


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    def getresponse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _register(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def getresponse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _register(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    """An adapter whose connections join the current request's deadline watch."""

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }
