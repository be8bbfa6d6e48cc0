"""What a command says on stderr besides its data: warnings and notes, grouped, at a chosen level.

Three levels, set by `--quiet` / `--verbose` on any command that warns (or before the command,
on `passpredict` itself):

- quiet: errors only. Warnings, notes, confirmations and the progress bar are dropped; errors
  are click's and always print.
- normal (default): one line per kind of warning. 20,000 stale element sets are one line, not
  20,000 ("3 element sets are stale (oldest 187.0 days at the window start): run ...").
- verbose: the same lines, each followed by one indented ``- `` item per set.

The library hands back records (`passpredict.products.staleness.StaleElements`); the wording is
here.
The level lives in the click context's `meta`, shared by a command and its parents. A line is
cleaned of control characters (names come from files) and, on a terminal (or with `COLUMNS`),
word-wrapped to its width like the tables, continuation lines indented; in a pipe or a log it
stays one line, for grep.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # a type only: `--help` need not import the element-set code behind it
    from passpredict.products.staleness import StaleElements

QUIET, NORMAL, VERBOSE = -1, 0, 1
_KEY = "passpredict.verbosity"


def _set_level(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value:
        return
    wanted = QUIET if param.name == "quiet" else VERBOSE
    if ctx.meta.get(_KEY, NORMAL) not in (NORMAL, wanted):
        raise click.UsageError("--quiet and --verbose exclude each other; give one")
    ctx.meta[_KEY] = wanted


def verbosity_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --verbose/-v and --quiet/-q; they set the level for `warn`, `note` and friends."""
    function = click.option(
        "--quiet",
        "-q",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="Print errors only: no warnings, notes or progress.",
    )(function)
    return click.option(
        "--verbose",
        "-v",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="List every item behind a warning (e.g. each stale element set).",
    )(function)


def quiet_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add only --quiet/-q, for a command whose --verbose already means something else."""
    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="Print errors only: no warnings, notes or progress.",
    )(function)


def level() -> int:
    """Return the current level (NORMAL outside a click command)."""
    ctx = click.get_current_context(silent=True)
    return NORMAL if ctx is None else ctx.meta.get(_KEY, NORMAL)


def _echo(text: str, first: str = "", rest: str = "  ") -> None:
    # here, not at the top: a run that says nothing (most) needs no terminal code, nor
    # rich's cell widths behind it (~2 ms of every command's start)
    from passpredict.output.terminal import clean, output_width, wrap

    for line in wrap(clean(text), output_width(sys.stderr), first, rest):
        click.echo(line, err=True)


def warn(text: str) -> None:
    """Print one warning, unless --quiet."""
    if level() > QUIET:
        _echo(text, "warning: ")


def note(text: str) -> None:
    """Print one note (something worth knowing, nothing wrong), unless --quiet."""
    if level() > QUIET:
        _echo(text, "note: ")


def say(text: str) -> None:
    """Print a confirmation such as "wrote sky.png", unless --quiet."""
    if level() > QUIET:
        _echo(text)


def show_progress() -> bool:
    """Tell whether a progress bar may be drawn (it still needs a terminal on stderr)."""
    return level() > QUIET


def warn_stale(reports: Sequence[StaleElements], start: str = "the window start") -> None:
    """Print the stale element sets as one line per kind (and one per set with --verbose).

    Three kinds, because each needs another remedy: sets already too old at the window start
    (refresh them), sets whose epoch lies long after the window start (a replay of the past
    needs older sets), and sets fresh at the start that only grow too old in a long window
    (they cannot be fresher). The age quoted is the one tables and JSON show, at the window
    start (`start` names it: "the time asked" for a single instant); the judgement is made on
    the furthest time predicted.
    """
    if level() <= QUIET or not reports:
        return
    old = [r for r in reports if r.stale_at_start and r.age_at_start_days > 0]
    early = [r for r in reports if r.stale_at_start and r.age_at_start_days <= 0]
    later = [r for r in reports if not r.stale_at_start]
    if old:
        oldest = max(old, key=lambda r: r.age_at_start_days)
        age = f"{oldest.age_at_start_days:.1f} days"
        head = (
            f"the elements of {oldest.name} ({oldest.norad_id}) are stale ({age} old"
            if len(old) == 1
            else f"{len(old)} element sets are stale (oldest {age}"
        )
        _group(f'{head} at {start}): run "passpredict tle refresh"', old, start)
    if early:
        farthest = min(early, key=lambda r: r.age_at_start_days)
        gap = f"{-farthest.age_at_start_days:.1f} days"
        head = (
            f"the elements of {farthest.name} ({farthest.norad_id}) are dated {gap} after"
            if len(early) == 1
            else f"{len(early)} element sets are dated up to {gap} after"
        )
        _group(f"{head} {start}: pass older elements with --tle-file", early, start)
    if later:
        farthest = max(later, key=lambda r: r.worst_age_days)
        age = f"{farthest.worst_age_days:.1f} days from the epoch at its far end"
        head = (
            f"the elements of {farthest.name} ({farthest.norad_id}) go stale within the "
            f"window ({age}, over {farthest.limit_days:g})"
            if len(later) == 1
            else f"{len(later)} element sets go stale within the window (up to {age})"
        )
        _group(f"{head}: trust late predictions less", later, start)


def _group(head: str, reports: Sequence[StaleElements], start: str) -> None:
    verbose = level() >= VERBOSE
    if len(reports) > 1 and not verbose:
        head += " (-v lists them)"
    warn(head)
    if verbose:
        for r in sorted(reports, key=lambda r: -r.worst_age_days):
            _echo(_detail(r, start), "  - ", "    ")


def _detail(r: StaleElements, start: str) -> str:
    far = ""
    if round(r.worst_age_days, 1) != round(abs(r.age_at_start_days), 1):
        far = f", {r.worst_age_days:.1f} days from the epoch at the window's far end"
    return (
        f"{r.name} ({r.norad_id}): {r.orbit.value}, epoch {r.epoch_utc:%Y-%m-%d %H:%M} UTC, "
        f"{_age(r.age_at_start_days)} at {start}{far} (stale after {r.limit_days:g} days): "
        f"{r.consequence}"
    )


def _age(days: float) -> str:
    return f"{days:.1f} days old" if days >= 0 else f"{-days:.1f} days before its epoch"
