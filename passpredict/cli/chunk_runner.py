"""Where the chunks of a large `passpredict passes` run go, and the progress bar they drive.

A Dask runner for --workers or --scheduler (imported only then), else None: the chunks run in
this process. On a terminal (and without --quiet) a progress bar on stderr counts satellites.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from passpredict.cli.messages import show_progress

if TYPE_CHECKING:
    from passpredict.runs.batch import Progress, Runner


@contextmanager
def chunk_runner(
    workers: int | None, scheduler: str | None, n_satellites: int
) -> Iterator[tuple[Runner | None, Progress | None]]:
    """Yield where chunks run (Dask, or here) and a progress callback (a bar on a terminal)."""
    from rich.console import Console
    from rich.progress import Progress as ProgressBar

    with _dask_or_local(workers, scheduler) as runner:
        if not (show_progress() and sys.stderr.isatty()):
            yield runner, None
            return
        # redirect_stdout=False: by default rich sends everything written to sys.stdout while
        # the bar is live to its own console, here the terminal: the data would miss a file
        with ProgressBar(
            console=Console(stderr=True), transient=True, redirect_stdout=False
        ) as bar:
            task = bar.add_task("satellites", total=n_satellites)
            yield runner, lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def _dask_or_local(workers: int | None, scheduler: str | None) -> Iterator[Runner | None]:
    """Yield a Dask runner for --workers or --scheduler, else None (the chunks run here)."""
    if workers is None and scheduler is None:
        yield None
        return
    from passpredict.runs.distributed import dask_runner

    with dask_runner(scheduler=scheduler, workers=workers) as runner:
        yield runner
