"""`passpredict tle ...`: keep the element store fresh, inspect it, import and export sets.

Parsing and printing only: the work is in `tle_cache` (store, fetch, policy, refresh). The clock
is read once per command, here, and passed down. Library errors become one-line messages at
this boundary; nothing prints a traceback.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from passpredict.cli.messages import note, quiet_option, warn
from passpredict.home import home_dir
from passpredict.inputs.param_types import FilePath, FiniteFloat
from passpredict.output.grid import Column, Grid, Line, print_lines
from passpredict.output.store_status import query_rows, stamp, status_rows
from passpredict.output.tables import format_age_days
from passpredict.output.terminal import clean, make_console, output_width, wrap
from tle_cache.elements import ElementSet, parse_omm_epoch
from tle_cache.fetch import (
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_DEADLINE_S,
    CelestrakClient,
    Query,
    base_url_from_env,
    check_base_url,
)
from tle_cache.parse import ElementParseError, read_file_records, skipped_warnings
from tle_cache.policy import (
    RefreshLocked,
    RefreshLockError,
    refresh_lock,
    server_key,
)
from tle_cache.refresh import default_queries, refresh
from tle_cache.store import (
    BUNDLED_SOURCE,
    Store,
    open_store,
    open_store_for_reading,
    store_path,
)
from tle_cache.store_files import StoreError, write_problem

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_UNKNOWN_OBJECT = 4

EXIT_CODES_HELP = """\b
Exit codes:
  0  success; also "nothing to fetch yet" and "not modified"
  1  error: the run stopped at a network, server or data problem (nothing
     from the bad answer was stored), or the store cannot be used
  2  usage error (bad option or argument)
  3  another refresh is running; nothing was downloaded
  4  done, but a query named an unknown object ("No GP data found")"""

_NORAD = click.IntRange(1, 999_999_999)


class _Locked(click.ClickException):
    exit_code = EXIT_LOCKED


class _UnknownObject(click.ClickException):
    exit_code = EXIT_UNKNOWN_OBJECT


def _now_utc(ctx: click.Context) -> datetime:
    """Return the command's one clock reading (tests may fix it via ``obj={"now_utc": ...}``)."""
    obj = ctx.find_root().obj
    fixed = obj.get("now_utc") if isinstance(obj, dict) else None
    return fixed if fixed is not None else datetime.now(UTC)


@contextmanager
def _open(*, write: bool = True) -> Iterator[Store]:
    """Open the store in the home directory; `write=False` also opens a read-only one."""
    opener = open_store if write else open_store_for_reading
    try:
        with opener(store_path(home_dir())) as store:
            yield store
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _warn(message: str) -> None:
    warn(message)  # one place for every command's warnings: --quiet drops them


@click.group("tle", epilog=EXIT_CODES_HELP)
def tle_group() -> None:
    """Keep element sets fresh from CelesTrak in a local store (every set is kept).

    The store is elements.sqlite in $PASSPREDICT_HOME (or the user data directory).
    """


@tle_group.command("refresh", epilog=EXIT_CODES_HELP)
@click.option("--catnr", "catnrs", type=_NORAD, multiple=True, help="Catalog number to fetch.")
@click.option("--group", "groups", multiple=True, help="CelesTrak group to fetch, e.g. resource.")
@click.option("--name", "names", multiple=True, help="Fetch objects whose name contains TEXT.")
@click.option(
    "--base-url",
    envvar=BASE_URL_ENV,
    default=DEFAULT_BASE_URL,
    show_default=True,
    help=f"CelesTrak or a mirror (also ${BASE_URL_ENV}).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"], case_sensitive=False),
    default="json",
    show_default=True,
    help="OMM format to ask for.",
)
@click.option(
    "--timeout",
    type=FiniteFloat(0.01, DEFAULT_DEADLINE_S),
    default=10.0,
    show_default=True,
    help=f"Connect and read timeout, s; a request never takes over {DEFAULT_DEADLINE_S:g} s.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log one line per query on stderr.")
@quiet_option
@click.pass_context
def refresh_command(
    ctx: click.Context,
    catnrs: tuple[int, ...],
    groups: tuple[str, ...],
    names: tuple[str, ...],
    base_url: str,
    fmt: str,
    timeout: float,
    verbose: bool,
) -> None:
    """Fetch new element sets from CelesTrak into the store.

    Without --catnr/--group/--name it fetches the watched satellites (see 'tle add'). Each
    query is sent at most once per 2 hours, as CelesTrak's usage policy requires; a run
    inside that window says when the next one is allowed and exits 0. Quiet on success
    unless -v; made for cron (see the exit codes below).
    """
    now_utc = _now_utc(ctx)
    try:
        base_url = check_base_url(base_url)
        explicit = (
            [Query.catnr(n) for n in catnrs]
            + [Query.group(g) for g in groups]
            + [Query.name(t) for t in names]
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    log = (lambda line: click.echo(line, err=True)) if verbose else None
    home = home_dir()
    problem = write_problem(store_path(home))  # before the lock file is created in `home`
    if problem is not None:
        raise click.ClickException(problem)
    try:
        with refresh_lock(home), _open() as store:
            queries = explicit or default_queries(store)
            if not queries:
                note("the watchlist is empty: add a satellite with 'passpredict tle add'")
                return
            with CelestrakClient(
                base_url,
                fmt=fmt,
                connect_timeout_s=timeout,
                read_timeout_s=timeout,
                deadline_s=min(DEFAULT_DEADLINE_S, 3 * timeout),
            ) as client:
                report = refresh(store, client, queries, now_utc, log=log)
    except RefreshLocked as exc:
        raise _Locked(str(exc)) from None
    except RefreshLockError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # the home directory changed under us
        raise click.ClickException(f"cannot use {home}: {exc}") from None
    for line in [*report.warnings, *skipped_warnings(report.bad_records)]:
        _warn(line)
    replaced = _replaced_note(report.replaced_sets, "download")
    if verbose:
        click.echo(f"stored {report.new_sets} new element set(s){replaced}", err=True)
    if report.error is not None:
        kept = (
            f"; {report.new_sets} new set(s){replaced} from earlier queries kept"
            if report.new_sets or report.replaced_sets
            else ""
        )
        raise click.ClickException(
            f"refresh stopped without retrying: {report.error} (nothing from that answer was "
            f"stored{kept})"
        )
    if report.nothing_to_do:
        allowed = report.next_allowed_utc
        wait_min = max(0, round(((allowed or now_utc) - now_utc).total_seconds() / 60))
        note(
            f"nothing to fetch yet: CelesTrak allows each query once per 2 hours; next refresh "
            f"allowed at {stamp(allowed)} (in {wait_min // 60} h {wait_min % 60:02d} min)"
        )
    if report.unknown_objects:
        raise _UnknownObject("; ".join(q.message for q in report.unknown_objects))


@tle_group.command("status")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"], case_sensitive=False),
    default="table",
    show_default=True,
)
@click.option("--all", "everything", is_flag=True, help="Every stored satellite, not only watched.")
@click.pass_context
def status_command(ctx: click.Context, fmt: str, everything: bool) -> None:
    """Show, per satellite, the newest stored epoch, its age and source, and the fetch log.

    Fetch times are those of the server $PASSPREDICT_CELESTRAK_URL names (default CelesTrak):
    the 2-hour policy counts each query per server. In JSON, a null next_fetch_allowed_utc
    means a refresh may send the query now.
    """
    now_utc = _now_utc(ctx)
    try:
        server = server_key(check_base_url(base_url_from_env()))
    except ValueError as exc:
        raise click.UsageError(f"${BASE_URL_ENV}: {exc}") from None
    with _open(write=False) as store:
        satellites = status_rows(store, now_utc, everything, server)
        queries = query_rows(store, now_utc)
        path = str(store.path)
    if fmt.lower() == "json":
        document = {
            "now_utc": stamp(now_utc),
            "store": path,
            "server": server,
            "satellites": satellites,
            "queries": queries,
        }
        click.echo(json.dumps(document, indent=2))
        return
    _print_status(satellites, queries, path, now_utc, server)


def _print_status(
    satellites: list[dict[str, Any]],
    queries: list[dict[str, Any]],
    path: str,
    now_utc: datetime,
    server: str,
) -> None:
    """The status table, fitted to the terminal: where the line is too long for it, the
    fetch log and the source move to a second line under each satellite."""
    width = output_width(sys.stdout)
    out = [Line(x) for x in wrap(clean(f"store {path}, now {stamp(now_utc)}"), width, "", "  ")]
    first = [Column("NORAD"), Column("NAME", shrink=True), Column("NEWEST EPOCH"), Column("AGE d")]
    rest = [Column("LAST FETCH"), Column("NEXT FETCH"), Column("SOURCE")]
    rows = []
    for row in satellites:
        fetch = row["last_fetch_utc"] or "never"
        if row["last_fetch_status"]:
            fetch += f" ({row['last_fetch_status']})"
        age = "-" if row["age_days"] is None else format_age_days(row["age_days"])
        name = row["name"] or "(no set stored)"
        head = (str(row["norad_id"]), name, row["epoch_utc"] or "-", age)
        tail = (fetch, row["next_fetch_allowed_utc"] or "now", row["source"] or "-")
        rows.append((head, tail))
    table = Grid(first + rest, plain=True)
    for head, tail in rows:
        table.add_row(*head, *tail)
    if width is not None and table.natural_width() > width:
        table = Grid(first, plain=True)
        for head, (fetch, allowed, source) in rows:
            detail = [f"last fetch {fetch}", f"next allowed {allowed}", f"source {source}"]
            table.add_row(*head, detail=detail)
    if rows:
        out += table.render(width)
    else:  # a bare header would look like a store that lost its sets
        text = (
            "no satellite is watched: add one with 'passpredict tle add NORAD'; "
            "'passpredict tle status --all' lists every stored satellite"
        )
        out += [Line(x) for x in wrap(text, width, "", "  ")]
    shown = {(f"CATNR={row['norad_id']}", server) for row in satellites}
    for q in queries:
        if (q["query"], q["server"]) not in shown:
            at = "" if q["server"] == server else f" at {q['server']}"
            text = (
                f"{q['query']}{at}: last fetch {q['last_attempt_utc']} ({q['status']}), "
                f"next allowed {q['next_fetch_allowed_utc'] or 'now'}"
            )
            out += [Line(x) for x in wrap(clean(text), width, "", "  ")]
    print_lines(make_console(sys.stdout, width), out)


@tle_group.command("import")
@click.argument("file", type=FilePath("elements.tle", exists=True, dir_okay=False))
@click.option(
    "--strict", is_flag=True, help="Refuse the file if any record is bad (nothing imported)."
)
@quiet_option
@click.pass_context
def import_command(ctx: click.Context, file: Path, strict: bool) -> None:
    """Add the element sets in FILE (TLE, 3LE, OMM JSON or OMM CSV) to the store.

    Every record is validated; a bad one is skipped with a warning naming its line (the
    first few are named, the rest counted) and the good ones are kept, as with --tle-file.
    With --strict a bad record refuses the whole file.
    """
    now_utc = _now_utc(ctx)
    try:
        sets, errors = read_file_records(file, now_utc=now_utc)
    except ElementParseError as exc:
        raise click.ClickException(str(exc)) from None
    if strict and errors:
        more = f" (and {len(errors) - 1:,} more bad records)" if len(errors) > 1 else ""
        raise click.ClickException(
            f"{errors[0]}{more}; nothing imported (--strict): fix the file, or drop --strict "
            "to import the good records"
        )
    for line in skipped_warnings(errors, hint="--strict refuses a file with bad records"):
        _warn(line)
    with _open() as store:
        counts = store.add_sets(sets, f"file {file.resolve()} imported {stamp(now_utc)}", now_utc)
    distinct = len({(s.norad_id, s.epoch_utc) for s in sets})
    repeated = len(sets) - distinct  # the store keeps one current set per satellite and epoch
    again = f", {repeated} repeated in the file" if repeated else ""
    # a set repeated in the file with other elements replaces its earlier record: counted once
    replaced = min(counts.replaced, distinct - counts.new)
    kept = distinct - counts.new - replaced
    click.echo(
        f"imported {counts.new} new element set(s) from {file} ({kept} already stored"
        f"{again}){_replaced_note(replaced, 'import')}"
    )


def _replaced_note(replaced: int, newer: str) -> str:
    """The clause saying how many sets replaced a stored one of their epoch (empty: none)."""
    if not replaced:
        return ""
    return (
        f"; {replaced} replaced a stored set of the same epoch with other elements (the "
        f"{newer} wins; the older set is kept as superseded)"
    )


@tle_group.command("export")
@click.argument("norad_ids", metavar="[NORAD]...", type=_NORAD, nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tle", "json", "csv"], case_sensitive=False),
    default="tle",
    show_default=True,
)
@click.option("--history", is_flag=True, help="Every stored epoch, not only the newest.")
@click.option(
    "--superseded",
    is_flag=True,
    help="With --history: also the sets a re-issue of the same epoch replaced, each just "
    "before the set that replaced it.",
)
def export_command(norad_ids: tuple[int, ...], fmt: str, history: bool, superseded: bool) -> None:
    """Write the newest stored set of each satellite (default: all stored ones) to stdout."""
    from tle_cache.export import to_omm_csv, to_omm_json, to_tle_text

    if superseded and not history:
        raise click.UsageError("--superseded needs --history (it adds to the stored history)")

    with _open(write=False) as store:
        latest = store.latest(norad_ids or None)
        missing = sorted(set(norad_ids) - {s.norad_id for s in latest})
        if missing:
            watched = set(store.watchlist())
            unwatched = [n for n in missing if n not in watched]
            add = (
                f"add it with 'passpredict tle add {unwatched[0]}' and "
                if len(unwatched) == 1
                else "add them with 'passpredict tle add NORAD' and "
                if unwatched
                else "it is watched: "
            )
            raise click.ClickException(
                f"no element set for NORAD {', '.join(map(str, missing))} in the store; {add}"
                "run 'passpredict tle refresh'"
            )
        sets: list[ElementSet] = latest
        if history:
            # superseded first, then a stable sort by epoch: a replaced set comes just before
            # the set of the same epoch that replaced it (neither TLE nor OMM has a mark for it)
            sets = [
                s
                for one in latest
                for s in sorted(
                    [*(store.superseded(one.norad_id) if superseded else []),
                     *store.history(one.norad_id)],
                    key=lambda s: s.epoch_utc,
                )
            ]  # fmt: skip
    writer = {"tle": to_tle_text, "json": to_omm_json, "csv": to_omm_csv}[fmt.lower()]
    try:
        text = writer(sets)
    except ValueError as exc:
        raise click.ClickException(_export_problem(exc, fmt, norad_ids)) from None
    click.echo(text, nl=False)


def _export_problem(exc: ValueError, fmt: str, norad_ids: tuple[int, ...]) -> str:
    """One line for a set the format cannot hold; for TLE the fix is the command as OMM.

    The library's message names its own writers (``use to_omm_json or to_omm_csv``); at the
    command line the fix is ``--format json`` or ``--format csv``, which hold every set.
    """
    problem = re.sub(r"[;,]? *use to_omm_json or to_omm_csv\.?$", "", str(exc))
    if fmt.lower() != "tle" or isinstance(exc, ElementParseError):
        return problem
    command = " ".join(["passpredict tle export", *map(str, norad_ids)])
    return f"{problem}; OMM holds every set: {command} --format json (or --format csv)"


@tle_group.command("add")
@click.argument("norad_id", metavar="NORAD", type=_NORAD)
def add_command(norad_id: int) -> None:
    """Watch a satellite: a plain 'tle refresh' fetches it from now on."""
    with _open() as store:
        added = store.add_to_watchlist(norad_id)
    if added:
        click.echo(f"watching NORAD {norad_id}; the next 'passpredict tle refresh' fetches it")
    else:
        click.echo(f"NORAD {norad_id} is already watched; nothing changed")


@tle_group.command("remove")
@click.argument("norad_id", metavar="NORAD", type=_NORAD)
def remove_command(norad_id: int) -> None:
    """Stop fetching a satellite in a plain refresh (its stored sets are kept)."""
    with _open() as store:
        removed = store.remove_from_watchlist(norad_id)
    if removed:
        click.echo(f"no longer watching NORAD {norad_id}; its stored element sets are kept")
    else:
        click.echo(f"NORAD {norad_id} was not watched; nothing changed")


def _epoch_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[datetime, bool] | None:
    """Read --epoch: ISO 8601, UTC when no zone is given (as OMM epochs are)."""
    if value is None:
        return None
    try:
        epoch = parse_omm_epoch(value)
    except (ValueError, OverflowError):
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time; copy the EPOCH from "
            "'passpredict tle export NORAD --history --format json', e.g. "
            "2024-05-06T19:53:04.999776",
            ctx,
            param,
        ) from None
    whole_second = not re.search(r"\d\d:\d\d:\d\d[.,]\d", value)
    return epoch, whole_second


@tle_group.command("forget")
@click.argument("norad_id", metavar="NORAD", type=_NORAD)
@click.option(
    "--epoch",
    callback=_epoch_option,
    metavar="ISO8601",
    help="The epoch of the set to drop (UTC unless a zone is given; to the second or exact).",
)
@click.option("--all", "everything", is_flag=True, help="Drop every stored set of NORAD.")
def forget_command(norad_id: int, epoch: tuple[datetime, bool] | None, everything: bool) -> None:
    """Drop stored element sets of a satellite: one epoch (--epoch) or all of them (--all).

    For a bad set stored by an older passpredict, which every later prediction would trip
    over. --epoch without a fraction of a second matches the set within that second (as
    'tle status' prints epochs); with one, the exact epoch. Sets bundled with passpredict
    are kept: they come back on every start. The watchlist is not changed (see 'tle remove').
    """
    if (epoch is None) == (not everything):
        raise click.UsageError(
            f"give --epoch ISO8601 (one set of NORAD {norad_id}) or --all (every stored set), "
            "not both or neither; 'passpredict tle export "
            f"{norad_id} --history --format json' lists the stored epochs"
        )
    with _open() as store:
        stored = store.history(norad_id)
        if not stored:
            raise click.ClickException(f"no element set for NORAD {norad_id} in the store")
        chosen = stored if epoch is None else [s for s in stored if _same_epoch(s, *epoch)]
        if not chosen and epoch is not None:  # every stored set is chosen without --epoch
            nearest = sorted(stored, key=lambda s: abs(s.epoch_utc - epoch[0]))[:3]
            raise click.ClickException(
                f"no stored set of NORAD {norad_id} has epoch {_exact(epoch[0])}; the nearest "
                f"stored: {', '.join(_exact(s.epoch_utc) for s in nearest)}"
            )
        bundled = [s for s in chosen if s.source == BUNDLED_SOURCE]
        dropped = [s for s in chosen if s.source != BUNDLED_SOURCE]
        count = store.forget_sets(norad_id, [s.epoch_utc for s in dropped])
    if count:
        epochs = ", ".join(_exact(s.epoch_utc) for s in dropped[:3])
        more = f" and {count - 3} more" if count > 3 else ""
        click.echo(f"forgot {count} element set(s) of NORAD {norad_id} (epoch {epochs}{more})")
    if bundled:
        click.echo(
            f"kept {len(bundled)} bundled set(s) of NORAD {norad_id} (epoch "
            f"{', '.join(_exact(s.epoch_utc) for s in bundled)}): they ship with passpredict"
        )


def _same_epoch(element_set: ElementSet, epoch: datetime, whole_second: bool) -> bool:
    if whole_second:
        return element_set.epoch_utc.replace(microsecond=0) == epoch.replace(microsecond=0)
    return element_set.epoch_utc == epoch


def _exact(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
