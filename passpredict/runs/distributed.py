"""Run a batch beyond one process: on a Dask cluster, or on a local cluster of N processes.

`passpredict.runs.batch` cuts a run into chunks of satellites; `DaskRunner` sends each chunk to a
Dask worker and hands the results back in chunk order, keeping only a few chunks in flight so
that memory on this side stays bounded however long the run. Workers run the same module-level
functions as a local run (`batch.search_chunk`, `batch.predict_job`) on the same inputs, so the
results are identical to a local run, bit for bit; each worker loads its own timescale and
ephemeris from the installed data files. For the streamed formats the workers also write each
chunk's passes (`batch.predict_text_job`), the text the client would have written.
Each call travels as one pickled payload (`pickled_call`), which Dask's scheduler passes on
without unpickling it.

Dask is an optional extra: ``pip install 'passpredict[distributed]'``. On a real cluster every
worker needs passpredict installed too (``dask-worker`` in the same environment).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, suppress
from itertools import islice
from typing import Any

#: How many chunks per worker may be computed ahead of the one being consumed.
CHUNKS_AHEAD_PER_WORKER = 2
#: Seconds to wait for a scheduler to answer (Dask retries a refused connection until then).
CONNECT_TIMEOUT_S = 10.0

INSTALL_HINT = "Dask is not installed; install the extra: pip install 'passpredict[distributed]'"

#: Dask settings for the local cluster of `--workers N` only (a cluster of `--scheduler` is
#: configured by whoever runs it). `None` removes a key of Dask's defaults.
#:
#: - ``MALLOC_TRIM_THRESHOLD_``: Dask's nanny puts ``MALLOC_TRIM_THRESHOLD_=65536`` in each
#:   worker's environment, so that a long-lived worker hands freed memory back to the system.
#:   glibc then also stops raising its mmap threshold, so every large numpy temporary of the
#:   search is a fresh mmap whose pages fault in zeroed: the catalogue's predictions took
#:   0.55-0.65 s more system CPU (2.3 s in all, 9x the page faults: 560,000 against 64,000;
#:   issue 11). Our workers live one command, and memory goes back when they exit; a value
#:   the user sets in the environment still wins (Dask reads the environment first).
#: - ``multiprocessing-method``: workers are forked from a fork server (`start_fork_server`)
#:   instead of each spawning a fresh interpreter that imports numpy, Dask, skyfield and
#:   passpredict again: 0.35-0.4 s of CPU per worker at start, against 0.35 s once for the
#:   server, which imports them while this process still reads its elements.
#: - ``profile.enabled``: each worker samples its threads' stacks every 10 ms for the
#:   dashboard, which the local cluster does not serve: about 0.05 s of CPU per worker in
#:   the catalogue run (medians, issue 11).
#: - the intervals: the scheduler, the two nannies (both in this process) and the workers
#:   each wake every 20 ms to time their event loop (``admin.tick``, for a warning when it is
#:   blocked), every 500 ms to sample CPU, memory, disk and network for the dashboard
#:   (``system-monitor``), and every 100 ms to read a worker's memory
#:   (``memory.monitor-interval``, which pauses or restarts a worker over its limit: 1 s is
#:   soon enough for a run of seconds). Slower: 0.1 s less CPU in the catalogue run
#:   (5.57 -> 5.47 s, medians of 4).
#: - ``worker-saturation``: Dask hands a worker of one thread up to ceil(1.1) = 2 chunks
#:   at once, so a chunk could wait behind a busy worker while the other worker sat idle
#:   (seen: 4 chunks on one worker, 2 on the other, the last 1.2 s with one idle); at 1.0 a
#:   chunk waits at the scheduler for the first free worker: 3.44 s of wall against 3.52 s
#:   for the catalogue (medians of 6, same CPU).
LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.multiprocessing-method": "forkserver",
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "10s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.worker-saturation": 1.0,
}
#: What the fork server imports once for every worker forked from it: the main module (as
#: multiprocessing's own default does), Dask's worker and the chunk runner; with them
#: `batch.WORKER_MODULES`, what `batch.predict_job` imports (skyfield among them).
FORK_SERVER_PRELOAD = ("__main__", "distributed", "passpredict.runs.batch")


class DistributedError(RuntimeError):
    """The cluster could not be reached or started; the message says what to do."""


class DaskRunner:
    """A `passpredict.runs.batch.Runner` on a Dask client: results come back in argument order."""

    def __init__(self, client: Any, max_in_flight: int | None = None) -> None:
        self.client = client
        if max_in_flight is None:
            workers = max(len(client.scheduler_info().get("workers", {})), 1)
            max_in_flight = CHUNKS_AHEAD_PER_WORKER * workers
        self.max_in_flight = max(int(max_in_flight), 1)

    def map(
        self, function: Callable[..., Any], arguments: Iterable[tuple[Any, ...]]
    ) -> Iterator[Any]:
        remaining = iter(arguments)
        in_flight: deque[Any] = deque(
            self._submit(function, args) for args in islice(remaining, self.max_in_flight)
        )
        while in_flight:
            result = in_flight.popleft().result()
            following = next(remaining, None)
            if following is not None:
                in_flight.append(self._submit(function, following))
            yield result

    def _submit(self, function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        # The call goes pickled, as bytes (`call_pickled`): Dask's scheduler unpickles every
        # task it is sent and pickles it again for the worker, 17 ms of its CPU (in the
        # client's process, for a local cluster) and of each chunk's way to its worker for
        # 940 kB of element sets, the catalogue's chunk; bytes it copies.
        return self.client.submit(call_pickled, pickled_call(function, args), pure=False)


def pickled_call(function: Callable[..., Any], args: tuple[Any, ...]) -> bytes:
    """Pickle a call for `call_pickled`: by pickle, or by cloudpickle (as Dask does) for
    what pickle cannot name on a worker (a lambda, a function of ``__main__``)."""
    import pickle

    try:
        payload = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        payload = b"__main__"
    if b"__main__" in payload:
        import cloudpickle  # type: ignore[import-untyped]  # a dependency of Dask

        payload = cloudpickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
    return payload


def call_pickled(payload: bytes) -> Any:
    """Run a call that `pickled_call` pickled (on a worker)."""
    import pickle

    function, args = pickle.loads(payload)
    return function(*args)


@contextmanager
def dask_runner(
    scheduler: str | None = None,
    workers: int | None = None,
    connect_timeout_s: float | None = None,
) -> Iterator[DaskRunner]:
    """Yield a `DaskRunner` on the scheduler at `scheduler`, or on a local cluster.

    The local cluster has `workers` processes of one thread each, listening on 127.0.0.1
    only (its HTTP metrics server on a free port there), with no dashboard; it is shut down
    on exit. Raises `DistributedError` when Dask is missing or the scheduler cannot be
    reached.
    """
    if (scheduler is None) == (workers is None):
        raise ValueError("give either a scheduler address or a number of workers")
    if workers is not None and workers < 1:
        raise ValueError(f"the number of workers must be at least 1, got {workers!r}")
    if connect_timeout_s is None:
        connect_timeout_s = CONNECT_TIMEOUT_S
    try:
        import dask.config

        forked = workers is not None and start_fork_server()
        from distributed import Client, LocalCluster
    except ImportError:
        raise DistributedError(INSTALL_HINT) from None
    local_config = dict(LOCAL_CLUSTER_CONFIG)
    if forked:
        _tell_dask_the_fork_server_is_loaded()
    else:
        del local_config["distributed.worker.multiprocessing-method"]
    cluster = None
    try:
        if scheduler is not None:
            client = Client(scheduler, timeout=connect_timeout_s)
        else:
            # the settings are read as the workers start, so they hold for this cluster only
            with dask.config.set(local_config):
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    # Dask serves HTTP (metrics) even with no dashboard, on 8787 unless told:
                    # a free port on 127.0.0.1 instead, so a second cluster (another run, a
                    # notebook's) neither clashes nor prints "Port 8787 is already in use"
                    dashboard_address="127.0.0.1:0",
                    scheduler_kwargs={"dashboard": False},
                )
            client = Client(cluster, timeout=connect_timeout_s)
    except (OSError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise DistributedError(
            f"cannot reach {where} ({error}); check the address, or use --workers N "
            "for a cluster on this machine"
        ) from None
    try:
        yield DaskRunner(client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def start_fork_server() -> bool:
    """Start multiprocessing's fork server (once per process), loading `FORK_SERVER_PRELOAD`;
    return whether a local cluster can fork its workers from it (not on Windows).

    Called before this process imports Dask, so that the server's imports overlap it. A
    forked worker inherits the server's environment, not the one Dask's nanny sets as it
    starts the worker, so the server gets that environment (``distributed.nanny.
    pre-spawn-environ``, with `LOCAL_CLUSTER_CONFIG`; a variable set already wins, as in Dask)
    before numpy loads in it: one thread for BLAS. This process's environment gets it too,
    as the nanny would do anyway. A server started earlier with other modules is used as it is.
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    from multiprocessing import forkserver

    import dask.config

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        environ = dask.config.get("distributed.nanny.pre-spawn-environ")
    for name, value in environ.items():
        if value is not None:
            os.environ.setdefault(name, str(value))
    from passpredict.runs.batch import WORKER_MODULES

    preload = [*FORK_SERVER_PRELOAD, *WORKER_MODULES]
    multiprocessing.get_context("forkserver").set_forkserver_preload(preload)
    forkserver.ensure_running()
    return True


def stop_fork_server() -> None:
    """Stop multiprocessing's fork server, if it runs, and wait for it to exit.

    Else it exits only after this process, which never waits for it: the CPU of the workers
    forked from it would be missing from this process's children (``time``, `os.wait4`, the
    benchmarks) and the server would outlive the command for a moment. The wait lasts until
    every process forked from the server has exited: call it once their clusters are closed
    (`EarlyRunner.close` does, for a server its own cluster started). Stopping it is a
    private method of multiprocessing (the one its tests use); should it go, the server
    ends with this process as before.

    Asked to stop, the server finalizes its interpreter (numpy, Dask, skyfield and
    passpredict loaded): 0.12-0.25 s of wall at the end of every ``--workers`` run, for
    nothing. So when no process of ours forked from it is left (`multiprocessing.
    active_children`: the server sends a child's exit code only once it has reaped it, so
    their CPU is in its account already), it gets SIGTERM first, which ends it at once
    (it handles only SIGCHLD and SIGINT); then the same wait. Its pid is multiprocessing's
    private record (`_fork_server_pid`); unknown, it is only asked to stop.
    """
    import multiprocessing
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if not callable(stop):
        return
    pid = _fork_server_pid()
    if pid is not None and not multiprocessing.active_children():
        import signal

        with suppress(OSError):  # gone already: the wait below returns at once
            os.kill(pid, signal.SIGTERM)
    stop()


def _fork_server_pid() -> int | None:
    # multiprocessing's private record of its running fork server (None: none, or unknown)
    from multiprocessing import forkserver

    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    return pid if isinstance(pid, int) else None


def _tell_dask_the_fork_server_is_loaded() -> None:
    # On its first fork-server context Dask imports its own list of packages here (pandas
    # among them: 0.2 s of CPU) to hand to a server that we have started already, where the
    # list would have no effect. A private flag of distributed.utils: should it be renamed,
    # Dask imports them again, and nothing else changes.
    import distributed.utils

    if hasattr(distributed.utils, "_forkserver_preload_set"):
        distributed.utils._forkserver_preload_set = True


def _import_dask_here(local: bool) -> None:
    # Dask's import (0.33 s of CPU) in the calling thread, before the caller parses: in the
    # start thread it ran only after the parse (a thread that reads many small files gets
    # the GIL back from a busy one after each read only when that one yields it: 1 s of wall
    # for it), and the cluster's start waited for it. So the cluster starts while the parse
    # runs, and the chunks go out as it ends: 0.35-0.45 s of wall less in the catalogue run.
    # The fork server first, to import its modules meanwhile. Missing Dask: the start thread
    # raises `DistributedError`.
    try:
        if local:
            start_fork_server()
        import distributed  # noqa: F401
    except ImportError:
        pass


class EarlyRunner:
    """A `dask_runner` started now, to be used later: Dask imported (and, for a local
    cluster, the fork server started) in the calling thread, the cluster in a background one.

    A local cluster takes about 1.4 s of wall time to start (Dask's imports, then worker
    processes, forked from a server that imports Dask and passpredict meanwhile
    (`start_fork_server`), that load the ephemeris);
    `passpredict passes --workers N` starts it, and warms every worker up
    (`passpredict.runs.batch.warm_up`), before it reads the elements, so that all this
    overlaps the parse instead of following it. `runner()`
    waits for it and raises what starting raised (`DistributedError`, `ValueError`); `close()`
    shuts it down (waiting for the start first), and is safe to call whatever happened.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int | None = None,
        connect_timeout_s: float | None = None,
    ) -> None:
        self._local = workers is not None
        # a fork server this command starts is stopped with its cluster (`stop_fork_server`)
        self._owns_fork_server = self._local and _fork_server_pid() is None
        _import_dask_here(self._local)
        self._manager: AbstractContextManager[DaskRunner] = dask_runner(
            scheduler, workers, connect_timeout_s
        )
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="passpredict-dask-start")
        self._started: Future[DaskRunner] = self._pool.submit(self._start)
        self._closed = False

    def _start(self) -> DaskRunner:
        from passpredict.runs.batch import warm_up

        runner = self._manager.__enter__()
        # every worker imports the search and loads its ephemeris now, not on its first chunk
        runner.client.run(warm_up)
        return runner

    def runner(self) -> DaskRunner:
        """The runner, once the cluster is up (raises what starting it raised)."""
        return self._started.result()

    def close(self) -> None:
        """Shut the cluster down (if it started), and a local one's fork server; a second
        call does nothing."""
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=True)
        if self._started.exception() is None:
            self._manager.__exit__(None, None, None)
        if self._owns_fork_server:
            stop_fork_server()
