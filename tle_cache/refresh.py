"""One refresh run: ask CelesTrak each query the policy allows, validate, store in one go.

The run sends its queries one after the other and stops at the first answer that means
"something is wrong" (docs: celestrak.md): no retry, nothing from that answer stored.

The request log comes first: before each request, `Store.record_request` commits "request
sent" in its own small transaction, and a request whose log entry cannot be written (a full
disk, a read-only or damaged store) is not sent. So a run killed, interrupted or failing to
store its answer after sending never lets the next run ask the same query within 2 hours.
Everything else the run learned (new sets, the outcome of each query, group memberships) is
written in a single transaction at the end, so readers never see half a refresh and a run
killed before that commit leaves the sets as they were. A request that never reached the
server (connection refused) has its log entry withdrawn: it does not start the clock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from tle_cache.elements import ElementSet
from tle_cache.fetch import (
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    Answer,
    CelestrakClient,
    FetchError,
    Outcome,
    Query,
    QueryKind,
)
from tle_cache.parse import ElementParseError, parse_records
from tle_cache.policy import MIN_QUERY_INTERVAL, is_allowed, next_allowed_utc
from tle_cache.safe_text import printable
from tle_cache.sniff import element_format
from tle_cache.store import FetchRecord, FetchState, Store
from tle_cache.store_files import StoreError

#: Statuses of a query in a run (the first four are also written to the fetch log).
DATA, NOT_MODIFIED, UNKNOWN_OBJECT, ERROR, SKIPPED = (
    "data",
    "not-modified",
    "unknown-object",
    "error",
    "skipped",
)


@dataclass
class QueryReport:
    """What happened to one query in a run. `warnings` are one-line notes for a human about
    an answer that was stored all the same (e.g. TLE text where OMM was asked)."""

    query: str
    status: str
    message: str = ""
    received: int = 0
    bad_records: list[str] = field(default_factory=list)
    next_allowed_utc: datetime | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class RefreshReport:
    """The outcome of a run. `error` is the one-line reason when the run stopped early.

    `new_sets` counts the sets of an epoch the store did not hold; `replaced_sets` those that
    replaced a stored set of their epoch with other elements (a corrected re-issue: the newer
    download wins, the older is kept as superseded; `tle_cache.store_writes`).
    """

    queries: list[QueryReport] = field(default_factory=list)
    error: str | None = None
    new_sets: int = 0
    replaced_sets: int = 0

    @property
    def unknown_objects(self) -> list[QueryReport]:
        return [q for q in self.queries if q.status == UNKNOWN_OBJECT]

    @property
    def bad_records(self) -> list[str]:
        return [f"{q.query}: {bad}" for q in self.queries for bad in q.bad_records]

    @property
    def warnings(self) -> list[str]:
        """Every query's warnings, in query order (each line names its query)."""
        return [line for q in self.queries for line in q.warnings]

    @property
    def nothing_to_do(self) -> bool:
        """True when the policy held back every query: no request was sent."""
        return bool(self.queries) and all(q.status == SKIPPED for q in self.queries)

    @property
    def next_allowed_utc(self) -> datetime | None:
        """The earliest moment one of the held-back queries may be sent."""
        times = [q.next_allowed_utc for q in self.queries if q.next_allowed_utc is not None]
        return min(times) if times else None


def default_queries(store: Store) -> list[Query]:
    """Return the queries of a plain refresh: one ``CATNR`` per watched satellite."""
    return [Query.catnr(n) for n in store.watchlist()]


def refresh(
    store: Store,
    client: CelestrakClient,
    queries: Sequence[Query],
    now_utc: datetime,
    *,
    log: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Run `queries` against `client` and write what they returned to `store`.

    `now_utc` is the run's single clock reading: it decides the 2-hour policy, rejects epochs
    too far in its future and stamps the fetch log. The policy counts each query per server
    (`client.server`): what was sent to another server neither blocks nor frees this one.
    `log` gets one line per query.

    Raises `StoreError` when the store cannot be written: before a request (that request
    and the later ones are not sent; what earlier queries brought is stored if it can be),
    or at the end (the answers are lost, the request log keeps the requests). The message
    says which.
    """
    say = log or (lambda line: None)
    report = RefreshReport()
    records: list[FetchRecord] = []
    server = client.server
    states = store.fetch_states(server)
    unsent: StoreError | None = None
    try:
        for query in dict.fromkeys(queries):  # the same query twice in one run is sent once
            last_attempt = _last_attempt(states, query)
            if not is_allowed(last_attempt, now_utc):
                allowed = next_allowed_utc(last_attempt)
                report.queries.append(QueryReport(query.key, SKIPPED, next_allowed_utc=allowed))
                say(
                    f"{query.key}: not sent, asked {server} at {_hm(last_attempt)}; next "
                    f"allowed {_hm(allowed)}"
                )
                continue
            try:
                store.record_request(query.key, server, now_utc)
            except StoreError as exc:
                unsent = type(exc)(
                    f"{exc}; {query.key} was not sent (a request is sent only once it is logged)"
                )
                break
            record, item = _ask(client, query, now_utc, last_attempt)
            records.append(record)
            report.queries.append(item)
            say(f"{query.key}: {'stopped: ' if item.status == ERROR else ''}{item.message}")
            if item.status == ERROR:
                report.error = item.message
                break
    except BaseException:
        # Interrupted (Ctrl-C) or a bug: keep what the earlier queries brought, if the store
        # lets us; the request log already holds every request sent.
        if records:
            with contextlib.suppress(StoreError):
                store.record_refresh(records, now_utc)
        raise
    if records:
        try:
            counts = store.record_refresh(records, now_utc)
            report.new_sets, report.replaced_sets = counts.new, counts.replaced
        except StoreError as exc:
            raise type(exc)(
                f"{exc}; the answers of this run were not stored, their requests stay logged: "
                f"next allowed {_hm(now_utc + MIN_QUERY_INTERVAL)}"
            ) from None
    if unsent is not None:
        raise unsent
    return report


def _last_attempt(states: Mapping[str, FetchState], query: Query) -> datetime | None:
    """Return the latest logged attempt of `query` at this server (None: never sent).

    Every row that names the query counts, also one an older version logged under another
    spelling (``NAME=spot``, see `Query.same_key`).
    """
    times = [
        state.last_attempt_utc
        for key, state in states.items()
        if state.last_attempt_utc is not None and query.same_key(key)
    ]
    return max(times) if times else None


def _ask(
    client: CelestrakClient, query: Query, now_utc: datetime, last_attempt: datetime | None
) -> tuple[FetchRecord, QueryReport]:
    """Send one query (already logged) and turn the answer into its record and report."""
    try:
        answer = client.fetch(query)
    except FetchError as exc:
        record = FetchRecord(
            query.key,
            ERROR,
            str(exc),
            attempted=exc.reached_server,
            server=client.server,
            previous_attempt_utc=last_attempt,
        )
        return record, QueryReport(query.key, ERROR, str(exc))
    record, item = _evaluate(answer, client.host, now_utc, client.fmt)
    return replace(record, server=client.server), item


def _evaluate(
    answer: Answer, host: str, now_utc: datetime, asked_format: str
) -> tuple[FetchRecord, QueryReport]:
    """Turn a classified answer into the fetch-log record and the report line.

    `asked_format` is the FORMAT the request sent (JSON or CSV): a DATA answer in TLE text
    instead is stored (its sets are good) with a warning on the report.
    """
    key = answer.query.key
    if answer.outcome is Outcome.NOT_MODIFIED:
        message = "not modified since the last download (HTTP 403), keeping the stored sets"
        return (
            FetchRecord(key, NOT_MODIFIED, answer.text, success=True),
            QueryReport(key, NOT_MODIFIED, message),
        )
    if answer.outcome is Outcome.UNKNOWN_OBJECT:
        message = (
            f"unknown object: {answer.url} answered HTTP {answer.status_code} "
            f"{answer.text!r}; {_unknown_fix(answer.query)}"
        )
        return FetchRecord(key, UNKNOWN_OBJECT, message), QueryReport(key, UNKNOWN_OBJECT, message)
    try:
        sets, errors = parse_records(answer.text, source=answer.url, now_utc=now_utc)
    except ElementParseError as exc:
        message = f"not element data: {printable(exc)}"  # it may quote the answer
        return FetchRecord(key, ERROR, message), QueryReport(key, ERROR, message)
    sets, foreign = _matching(answer.query, sets)
    bad = [printable(e) for e in errors] + foreign
    if not sets:
        first = bad[0] if bad else "no records"
        message = f"no valid element set in the answer from {answer.url} ({first})"
        return FetchRecord(key, ERROR, message), QueryReport(key, ERROR, message, bad_records=bad)
    message = f"{len(sets)} element set(s) received (HTTP {answer.status_code})"
    if bad:
        message += f", {len(bad)} bad record(s) skipped"
    source = f"{host} {key} fetched {now_utc.strftime('%Y-%m-%dT%H:%M:%SZ')}"
    members = None if answer.query.kind is QueryKind.CATNR else [s.norad_id for s in sets]
    record = FetchRecord(
        key, DATA, message, success=True, source=source, sets=sets, members=members
    )
    warnings: list[str] = []
    # (not for one object: its set is in the answer or the answer says it is not there)
    if answer.query.kind is not QueryKind.CATNR and element_format(answer.text) == "TLE":
        warnings.append(_tle_answer_warning(answer.query, host, asked_format, len(sets)))
    item = QueryReport(key, DATA, message, received=len(sets), bad_records=bad, warnings=warnings)
    return record, item


def _tle_answer_warning(query: Query, host: str, asked_format: str, received: int) -> str:
    """The one line for a TLE answer to a group or name query where OMM was asked: what
    came, what may be missing, the fix.

    Since 2026 new objects get catalog numbers of 100000 and up, which TLE cannot carry: a
    TLE answer to a group or name query silently leaves them out (docs: celestrak.md). A
    one-object (CATNR) query is not warned about: the set it asked for is in the answer, or
    the run says it is not (a mirror answering TLE would otherwise get one line per watched
    satellite on every refresh).
    """
    missing = (
        "objects numbered 100000 and up may be missing from it (TLE cannot carry such "
        "catalog numbers)"
    )
    return (
        f"{query.key}: asked {host} for OMM {asked_format} (FORMAT={asked_format}), it answered "
        f"TLE text; its {received} set(s) were stored, but {missing}; use a server that "
        f"answers OMM JSON or CSV, e.g. the default {DEFAULT_BASE_URL} (--base-url / "
        f"${BASE_URL_ENV})"
    )


def _unknown_fix(query: Query) -> str:
    """What to do about a query CelesTrak has no data for (exit code 4 is for a human)."""
    if query.kind is QueryKind.CATNR:
        return (
            f"check the catalog number (a decayed object has no sets); to stop fetching it: "
            f"passpredict tle remove {query.value}"
        )
    if query.kind is QueryKind.GROUP:
        return "check the group name (e.g. active, stations, resource; see celestrak.org)"
    return f"no object's name contains {query.value!r}; check the text"


def _matching(query: Query, sets: list[ElementSet]) -> tuple[list[ElementSet], list[str]]:
    """Keep, for a CATNR query, only sets of that object; the others are reported as bad."""
    if query.kind is not QueryKind.CATNR:
        return sets, []
    wanted = int(query.value)
    good = [s for s in sets if s.norad_id == wanted]
    foreign = [
        f"a set of NORAD {s.norad_id} in the answer for {query.key}: skipped"
        for s in sets
        if s.norad_id != wanted
    ]
    return good, foreign


def _hm(moment: datetime | None) -> str:
    return "never" if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")
