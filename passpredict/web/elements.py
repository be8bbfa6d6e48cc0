"""The Elements page's data: what the store holds, and the one endpoint that may write it.

`status` is `passpredict tle status --format json` (the same record builders), so the page,
the API and the CLI show the same ages, sources and fetch log. `refresh` runs exactly what
`passpredict tle refresh` runs (the lock, the store's write check, the 2-hour policy per
query and server, the request log written before each request); the app calls it only when
the server was started with `--allow-refresh`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from passpredict.timeutil import format_utc
from tle_cache.fetch import (
    BASE_URL_ENV,
    DEFAULT_DEADLINE_S,
    CelestrakClient,
    base_url_from_env,
    check_base_url,
)
from tle_cache.parse import skipped_warnings
from tle_cache.policy import RefreshLocked, RefreshLockError, refresh_lock, server_key
from tle_cache.refresh import default_queries
from tle_cache.refresh import refresh as run_refresh
from tle_cache.store import open_store, open_store_for_reading, store_path
from tle_cache.store_files import StoreError, write_problem

#: Connect and read timeout of a refresh from the page (s), the CLI's default.
REFRESH_TIMEOUT_S = 30.0


class RefreshProblem(Exception):
    """The store or a refresh could not be used; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _base_url() -> str:
    """The CelesTrak base URL of the environment, checked; a bad one is the server's problem
    (500) named with its variable, never an unhandled error."""
    try:
        return check_base_url(base_url_from_env())
    except ValueError as error:
        raise RefreshProblem(500, f"${BASE_URL_ENV}: {error}") from None


def _server() -> str:
    return server_key(_base_url())


def status(home: Path, now_utc: datetime) -> dict[str, Any]:
    """Return the store's contents as `passpredict tle status --format json` does."""
    from passpredict.output.store_status import query_rows, stamp, status_rows

    server = _server()
    try:
        with open_store_for_reading(store_path(home)) as store:
            satellites = status_rows(store, now_utc, False, server)
            queries = query_rows(store, now_utc)
            path = str(store.path)
    except StoreError as error:
        raise RefreshProblem(500, str(error)) from None
    return {
        "now_utc": stamp(now_utc),
        "store": path,
        "server": server,
        "satellites": satellites,
        "queries": queries,
    }


def refresh(home: Path, now_utc: datetime) -> dict[str, Any]:
    """Fetch the watched satellites' new sets as `passpredict tle refresh` does."""
    base_url = _base_url()
    problem = write_problem(store_path(home))
    if problem is not None:
        raise RefreshProblem(500, problem)
    try:
        with refresh_lock(home), open_store(store_path(home)) as store:
            queries = default_queries(store)
            with CelestrakClient(
                base_url,
                connect_timeout_s=REFRESH_TIMEOUT_S,
                read_timeout_s=REFRESH_TIMEOUT_S,
                deadline_s=min(DEFAULT_DEADLINE_S, 3 * REFRESH_TIMEOUT_S),
            ) as client:
                report = run_refresh(store, client, queries, now_utc)
    except RefreshLocked as error:
        raise RefreshProblem(409, str(error)) from None
    except (RefreshLockError, StoreError) as error:
        raise RefreshProblem(500, str(error)) from None
    allowed = report.next_allowed_utc if report.nothing_to_do else None
    return {
        "new_sets": report.new_sets,
        "replaced_sets": report.replaced_sets,
        "nothing_to_do": report.nothing_to_do,
        "next_allowed_utc": None if allowed is None else format_utc(allowed),
        "error": None if report.error is None else str(report.error),
        "unknown_objects": [q.message for q in report.unknown_objects],
        "warnings": [*report.warnings, *skipped_warnings(report.bad_records)],
    }
