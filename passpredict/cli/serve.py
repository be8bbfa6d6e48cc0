"""`passpredict serve`: the local web page and JSON API (extra `web`), parsing and start-up only.

Binds 127.0.0.1 unless another host is asked for, with a warning then: the page has no
login, so anyone who can reach the port can use it. The store is opened once at start-up,
as every reading command opens it (a new store is seeded from the bundled snapshot); after
that requests only read it, except `POST /api/refresh`, which exists only with
`--allow-refresh`.
"""

from __future__ import annotations

import contextlib
import signal

import click

from passpredict.cli.messages import warn

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
    from tle_cache.store import StoreError, open_store_for_reading, store_path

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
    server = _server_class(uvicorn)(
        uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    )
    server.run()
    click.echo("passpredict: stopped", err=True)


def _server_class(uvicorn):
    """Return a uvicorn server that stops cleanly on Ctrl-C or SIGTERM, exit 0.

    uvicorn re-raises the signal after its graceful shutdown, which ends in a traceback of
    the cancelled lifespan task; here the signal only asks the server to stop.
    """

    class QuietServer(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):
            def stop(signum, frame) -> None:
                self.should_exit = True

            previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for number, handler in previous.items():
                    signal.signal(number, handler)

    return QuietServer
