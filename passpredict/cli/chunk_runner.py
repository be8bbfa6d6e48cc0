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
    without either): the caller reads its elements meanwhile, and closes it when done.

    Dask's modules, imported now, are frozen out of the garbage collector's sight
    (`freeze_long_lived`), as are the elements when `chunk_runner` is entered."""
    if workers is None and scheduler is None:
        return None
    from passpredict.runs.distributed import EarlyRunner

    early = EarlyRunner(scheduler=scheduler, workers=workers)
    freeze_long_lived()
    return early


def freeze_long_lived() -> None:
    """Leave every object alive now out of the cyclic garbage collector's full passes
    (`gc.freeze`), for a Dask run: they live as long as the command.

    Dask adds 80,000 objects (its modules) to the 80,000 of the elements, and its client
    unpickles every chunk's result while the command runs: five full collections of up to
    170,000 objects, 0.16-0.2 s of this process's CPU in the catalogue run (a local run:
    two, 0.03 s), against 0.04-0.05 s frozen (medians of 3; issue 11). Reference counting
    still frees them as ever; only garbage in cycles among them would wait for the exit.
    """
    import gc

    gc.freeze()


@contextmanager
def chunk_runner(
    early: EarlyRunner | None, n_satellites: int
) -> Iterator[tuple[Runner | None, Progress | None]]:
    """Yield where chunks run (the Dask runner `start_runner` started, or here: None) and a
    progress callback (a bar on a terminal). Rich's console and bar are imported only for the
    bar (about 60 ms, 2% of a whole-catalogue run to a file)."""
    runner = None
    if early is not None:
        runner = early.runner()
        freeze_long_lived()  # the elements, read by now
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
