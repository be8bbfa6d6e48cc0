"""`passpredict serve`: the local web page and JSON API (extra `web`), parsing and start-up only.

Binds 127.0.0.1 unless another host is asked for, with a warning then: the page has no
login, so anyone who can reach the port can use it. The store is opened once at start-up,
as every reading command opens it (a new store is seeded from the bundled snapshot); after
that requests only read it, except `POST /api/refresh`, which exists only with
`--allow-refresh`.
"""

from __future__ import annotations

import contextlib
import errno
import signal
import socket
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING

import click

from passpredict.cli.messages import warn

if TYPE_CHECKING:
    import uvicorn

#: Hosts that reach this machine only.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--allow-refresh",
    is_flag=True,
    help="Offer a refresh button (CelesTrak, 2-hour policy as 'tle refresh'). Off by default.",
)
def serve_command(host: str, port: int, allow_refresh: bool) -> None:
    """Serve passes, the sky now, dish pointing and the element store as a local web page.

    Open the printed address in a browser. Everything is computed here, offline; the JSON
    API is under /api/ (fields of --format json; see the README). Ctrl-C stops it.
    """
    try:
        import uvicorn

        from passpredict.web.app import ServerConfig, create_app
    except ImportError as error:
        raise click.ClickException(
            f"the web page needs the 'web' extra ({error.name} is missing): "
            "pip install 'passpredict[web]'"
        ) from None
    from passpredict.home import home_dir, observers_file
    from tle_cache.store import open_store_for_reading, store_path
    from tle_cache.store_files import StoreError

    if not host.strip():
        raise click.BadParameter(
            "the address is empty; give one to listen on, e.g. --host 127.0.0.1 (this machine "
            "only) or --host 0.0.0.0 (every interface)",
            param_hint="'--host'",
        )
    listening = listen_socket(host, port)
    if host not in LOOPBACK_HOSTS:
        warn(
            f"serving on {host}, not only on this machine: anyone who can reach port {port} "
            "can use the page (there is no login); use --host 127.0.0.1 to keep it local"
        )
    home = home_dir()
    try:
        with open_store_for_reading(store_path(home)):
            pass  # seeded now if new, as any reading command would; requests only read
    except StoreError as error:
        warn(f"{error}; the pages use the element sets bundled with passpredict instead")
    config = ServerConfig(home, observers_file(), host=host, allow_refresh=allow_refresh)
    app = create_app(config)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"passpredict: serving on http://{shown}:{port}/ (Ctrl-C stops)", err=True)
    server = _server_class()(
        uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    )
    server.run(sockets=[listening])
    click.echo("passpredict: stopped", err=True)


def listen_socket(host: str, port: int) -> socket.socket:
    """Return a socket bound to `host`:`port`, or fail in one line with the fix.

    Bound here, before the address is announced, not by uvicorn: its failures (a port in use,
    a host name that does not resolve, an address of another machine) came after "serving
    on ..." as uvicorn's log line, with exit 3. A host or port that cannot be used is a
    usage error (exit 2); a port another program holds is a runtime one (exit 1).
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise click.BadParameter(
            f"cannot listen on {host!r}: not an address or a known host name ({reason}); "
            "give an address of this machine, e.g. 127.0.0.1",
            param_hint="'--host'",
        ) from None
    listening = socket.socket(family, kind, proto)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        listening.bind(address)
    except OSError as error:
        listening.close()
        if error.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"port {port} on {host} is in use by another program; stop it or choose "
                f"another port, e.g. --port {port + 1 if port < 65535 else 8000}"
            ) from None
        if error.errno == errno.EACCES:
            raise click.BadParameter(
                f"port {port} needs administrator rights here; choose one from 1024 up, "
                "e.g. --port 8000",
                param_hint="'--port'",
            ) from None
        raise click.BadParameter(
            f"cannot listen on {host} port {port} ({error.strerror or error}); give an "
            "address of this machine, e.g. --host 127.0.0.1",
            param_hint="'--host'",
        ) from None
    return listening


def _server_class() -> type[uvicorn.Server]:
    """Return a uvicorn server that stops cleanly on Ctrl-C or SIGTERM, exit 0.

    uvicorn re-raises the signal after its graceful shutdown, which ends in a traceback of
    the cancelled lifespan task; here the signal only asks the server to stop. Called once the
    'web' extra is known to be installed.
    """
    import uvicorn

    class QuietServer(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            def stop(signum: int, frame: FrameType | None) -> None:
                self.should_exit = True

            previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for number, handler in previous.items():
                    signal.signal(number, handler)

    return QuietServer
