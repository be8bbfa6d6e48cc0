"""The fetch log's two records: a refresh's result per query, and what the store remembers.

Their own module, imported by `refresh` and by the fetch-log reads only: opening the store for
`passpredict passes` needs neither (issue 11: each frozen dataclass costs about 0.5 ms to
create at import on Python 3.11). `tle_cache.store` re-exports both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tle_cache.elements import ElementSet
from tle_cache.policy import CELESTRAK_SERVER


@dataclass(frozen=True)
class FetchState:
    """What the store remembers about one query sent to one server (the `fetches` table)."""

    query: str
    server: str
    last_attempt_utc: datetime | None
    last_success_utc: datetime | None
    status: str
    message: str


@dataclass(frozen=True)
class FetchRecord:
    """One query's result in a refresh, ready to be written.

    `attempted` is False when the request never reached the server (connection refused):
    then the attempt `record_request` logged before sending is withdrawn, the last attempt
    set back to `previous_attempt_utc`, and the 2-hour clock is not started. `server` is the
    server it was sent to (`policy.server_key`): the clock runs per query and server.
    `members` replaces the query's membership list when given (a data answer).
    """

    query: str
    status: str
    message: str = ""
    attempted: bool = True
    success: bool = False
    source: str = ""
    sets: Sequence[ElementSet] = field(default_factory=tuple)
    members: Sequence[int] | None = None
    server: str = CELESTRAK_SERVER
    previous_attempt_utc: datetime | None = None
