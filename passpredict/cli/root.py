"""The `passpredict` command line: parsing and printing only, every computation is in the library.

Conventions of every command: data on stdout, warnings and progress on stderr; exit 0 on
success (an empty result is a success), 1 on a runtime error, 2 on a usage error; one-line
error messages, never a traceback.

This module is the root group and its error handling; each command lives in its own module,
imported when it runs (`passpredict.cli.lazy` lists them).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from passpredict import __version__
from passpredict.cli.lazy import LazyGroup
from passpredict.cli.messages import verbosity_options

#: Exit status after Ctrl-C: 128 + SIGINT, what a shell reports for a program it interrupted.
EXIT_INTERRUPTED = 130
#: New container objects (net of those freed) after which the command line's process runs a
#: cyclic garbage collection: CPython's default is 700 (`fewer_collections`).
COLLECT_AFTER_OBJECTS = 200_000

# Names other code reads from here: the `passes` command lived in this module before issue 12.
# Imported when asked for, so that `passpredict --help` imports no command.
_FROM_PASSES = ("MAX_FREQUENCY_MHZ", "MAX_WINDOW_DAYS", "NEXT_SEARCH_DAYS", "passes")


def __getattr__(name: str) -> Any:
    if name in _FROM_PASSES:
        from passpredict.cli import passes

        return getattr(passes, name)
    if name == "_merge_as_columns":
        from passpredict.runs.merge import merge_as_columns

        return merge_as_columns
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def single_threaded_blas() -> None:
    """Ask numpy's OpenBLAS for one thread, unless the user chose a number or numpy is loaded.

    OpenBLAS starts a thread per core when numpy is imported and keeps them spinning after
    its calls; a command line run does no large linear algebra (its rotations are 3 x 3,
    written out), so those threads only burn CPU: ~100 ms of a 0.17 s `passpredict passes` on
    2 cores (issue 11). Only the command line's own process (and its Dask workers, which
    inherit the environment) is affected; the library leaves numpy as the caller has it.
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def fewer_collections() -> None:
    """Let the cyclic garbage collector of the command line's process wait for 200,000 new
    objects instead of 700.

    A catalogue run keeps a few hundred thousand container objects to its end (element sets
    and their OMM dicts, reports, records) and makes almost no cyclic garbage (reference
    counting frees the rest): with the default threshold the collector walked them in 245
    passes, 37 ms of CPU of a 2.3 s run, to free nothing; at this threshold it makes none in
    that run (issue 11). Garbage cycles, if any, still go at most 200,000 objects later. Only
    the process started as `passpredict` (no arguments passed to `main`) is affected: the
    library, and a program or test calling the command line, keep their own settings.
    """
    threshold, *older = gc.get_threshold()
    gc.set_threshold(max(threshold, COLLECT_AFTER_OBJECTS), *older)


class _OneLineErrors(LazyGroup):
    """The root group: every error is one line on stderr, usage errors included.

    Click prints a usage error as the command's usage, a hint and the message on three lines;
    we print `Error: <message> (see 'passpredict passes --help')` instead, with the same exit
    codes (2 usage, 1 runtime). A closed pipe (`passpredict passes | head`) exits quietly.
    Ctrl-C (SIGINT) exits 130, the shell's 128 + 2, so a script can tell it from a failure.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **kwargs: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        single_threaded_blas()
        if args is None:  # the program itself, its arguments from sys.argv
            fewer_collections()
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except click.UsageError as error:
            where = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            click.echo(f"Error: {error.format_message()}{where}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort as error:
            if isinstance(error.__cause__, KeyboardInterrupt):
                click.echo("Interrupted.", err=True)
                sys.exit(EXIT_INTERRUPTED)
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except KeyboardInterrupt:  # outside click's own handling, e.g. while cleaning up
            click.echo("\nInterrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()  # nothing more can be written; do not complain about it
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="passpredict")
@verbosity_options
def main() -> None:
    """Predict when satellites can be seen or contacted from places on Earth.

    Start with 'passpredict passes'. State (element store, your observers) lives in one
    directory: $PASSPREDICT_HOME, or the platform's user data directory.

    Data goes to stdout, warnings and progress to stderr. Warnings are one line per kind;
    --verbose lists what is behind each, --quiet prints errors only (here or on any command).
    """
