"""Where the chunks of a large `passpredict passes` run go, and the progress bar they drive.

A Dask runner for --workers or --scheduler (imported only then), started before the elements
are read so that its start overlaps the parse; else None: the chunks run in this process. On a
terminal (and without --quiet) a progress bar on stderr counts satellites.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from passpredict.cli.messages import show_progress

if TYPE_CHECKING:
    from passpredict.runs.batch import Progress, Runner
    from passpredict.runs.distributed import EarlyRunner


def start_runner(workers: int | None, scheduler: str | None) -> EarlyRunner | None:
    """Start the Dask runner of --workers or --scheduler now, in the background (None
    without either): the caller reads its elements meanwhile, and closes it when done."""
    if workers is None and scheduler is None:
        return None
    from passpredict.runs.distributed import EarlyRunner

    return EarlyRunner(scheduler=scheduler, workers=workers)


@contextmanager
def chunk_runner(
    early: EarlyRunner | None, n_satellites: int
) -> Iterator[tuple[Runner | None, Progress | None]]:
    """Yield where chunks run (the Dask runner `start_runner` started, or here: None) and a
    progress callback (a bar on a terminal). Rich's console and bar are imported only for the
    bar (about 60 ms, 2% of a whole-catalogue run to a file)."""
    runner = None if early is None else early.runner()
    if not (show_progress() and sys.stderr.isatty()):
        yield runner, None
        return
    from rich.console import Console
    from rich.progress import Progress as ProgressBar

    # redirect_stdout=False: by default rich sends everything written to sys.stdout while
    # the bar is live to its own console, here the terminal: the data would miss a file
    with ProgressBar(console=Console(stderr=True), transient=True, redirect_stdout=False) as bar:
        task = bar.add_task("satellites", total=n_satellites)
        yield runner, lambda done, total: bar.update(task, completed=done, total=total)
