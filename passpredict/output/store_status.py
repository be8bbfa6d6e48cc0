"""The element store as JSON rows: what `passpredict tle status` prints and the web API serves.

One row per satellite (its newest element set, its age, its last fetch and when the next one is
allowed under CelesTrak's rules) and one per query of the fetch log. Both front ends use these
functions, so `tle status --format json` and the web page's element panel cannot drift apart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tle_cache.fetch import Query
from tle_cache.policy import is_allowed, next_allowed_utc
from tle_cache.store import Store


def stamp(moment: datetime | None) -> str:
    """Format a moment as ISO 8601 UTC to the second with `Z`; '-' for none."""
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _or_null(moment: datetime | None) -> str | None:
    """`stamp` of a moment, None (JSON null) for none."""
    return None if moment is None else stamp(moment)


def status_rows(
    store: Store, now_utc: datetime, everything: bool, server: str
) -> list[dict[str, Any]]:
    """Return one JSON row per satellite of the store: its newest set and its last fetch.

    The watch list only, unless `everything`; `server` is the key the fetch log is kept under.
    """
    watched = store.watchlist()
    latest = {s.norad_id: s for s in store.latest(None if everything else watched)}
    ids = list(dict.fromkeys([*watched, *latest])) if everything else watched
    states = store.fetch_states(server)
    rows = []
    for norad_id in ids:
        element_set = latest.get(norad_id)
        state = states.get(Query.catnr(norad_id).key)
        attempt = state.last_attempt_utc if state else None
        allowed = None if is_allowed(attempt, now_utc) else next_allowed_utc(attempt)
        rows.append(
            {
                "norad_id": norad_id,
                "name": element_set.name if element_set else None,
                "watched": norad_id in watched,
                "epoch_utc": stamp(element_set.epoch_utc) if element_set else None,
                "age_days": round(element_set.age_days(now_utc), 2) if element_set else None,
                "source": element_set.source if element_set else None,
                "last_fetch_utc": _or_null(attempt),
                "last_fetch_status": state.status if state else None,
                "next_fetch_allowed_utc": _or_null(allowed),
            }
        )
    return rows


def query_rows(store: Store, now_utc: datetime) -> list[dict[str, Any]]:
    """Return one JSON row per query of the fetch log, with when the next fetch is allowed."""
    rows = []
    for state in store.fetch_log():
        allowed = (
            None
            if is_allowed(state.last_attempt_utc, now_utc)
            else (next_allowed_utc(state.last_attempt_utc))
        )
        rows.append(
            {
                "query": state.query,
                "server": state.server,
                # null, not the table's '-', for a moment that never was (as every key here)
                "last_attempt_utc": _or_null(state.last_attempt_utc),
                "last_success_utc": _or_null(state.last_success_utc),
                "status": state.status,
                "message": state.message,
                "next_fetch_allowed_utc": _or_null(allowed),
            }
        )
    return rows
