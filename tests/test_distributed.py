"""Batches on a Dask cluster of worker processes on 127.0.0.1: identical to a local run.

The workers are separate processes that unpickle the element sets, build their own SGP4
models and load their own timescale and ephemeris, so equality here is a real check of the
claim that where a chunk runs does not change its answer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("distributed")

from passpredict.engine.ephemeris import load_astronomy
from passpredict.engine.orbits import OrbitClass, classify
from passpredict.engine.passes import PassTable, search_passes
from passpredict.engine.time_axis import TimeBase
from passpredict.output.formats import pass_dict
from passpredict.records import Observer
from passpredict.runs import batch
from passpredict.runs.batch import predict_batch, run_batch
from passpredict.runs.distributed import DaskRunner, DistributedError, EarlyRunner, dask_runner
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle"
OBSERVERS = [
    Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku"),
    Observer("Tromsø", 69.65, 18.96, 10.0),
    Observer("Quito", -0.1807, -78.4678, 2850.0),
]
START = datetime(2026, 5, 7, 18, 30, tzinfo=UTC)
END = START + timedelta(days=1)
SMALL_CHUNK_CELLS = 1000


@pytest.fixture(scope="module")
def runner():
    with dask_runner(workers=2) as dask:
        yield dask


@pytest.fixture(scope="module")
def element_sets():
    return read_file(DATA, now_utc=START)


def test_engine_on_the_cluster_is_identical_to_one_local_call(runner, element_sets, timescale):
    searchable = [es for es in element_sets if classify(es) is not OrbitClass.GEOSTATIONARY]
    timebase = TimeBase.create(START, END, timescale)
    duration_s = (END - START).total_seconds()
    local = search_passes(searchable, OBSERVERS, timebase, duration_s, 10.0)
    remote = run_batch(
        searchable,
        OBSERVERS,
        timebase,
        duration_s,
        10.0,
        max_cells=SMALL_CHUNK_CELLS,
        runner=runner,
    )
    assert len(local) > 100
    for name in PassTable.__dataclass_fields__:
        assert np.array_equal(getattr(local, name), getattr(remote, name), equal_nan=True), name


def test_predictions_with_visibility_on_the_cluster_match_local_ones(runner, element_sets):
    astronomy = load_astronomy()
    try:
        options = dict(twilight_deg=-6.0, radio=True, max_cells=SMALL_CHUNK_CELLS)
        local = list(
            predict_batch(element_sets, OBSERVERS, START, END, 10.0, astronomy=astronomy, **options)
        )
        remote = list(
            predict_batch(element_sets, OBSERVERS, START, END, 10.0, runner=runner, **options)
        )
    finally:
        astronomy.ephemeris.close()
    assert len(local) == len(remote) > 5
    for mine, theirs in zip(local, remote, strict=True):
        assert [pass_dict(p) for p in mine.passes] == [pass_dict(p) for p in theirs.passes]
        assert mine.satellites == theirs.satellites
        assert mine.geostationary == theirs.geostationary
        assert mine.notes == theirs.notes
    assert any(p.visibility is not None and p.visibility.visible for c in local for p in c.passes)


def test_results_come_back_in_order_with_few_chunks_in_flight(runner):
    bounded = DaskRunner(runner.client, max_in_flight=2)
    assert list(bounded.map(pow, [(2, n) for n in range(12)])) == [2**n for n in range(12)]


def test_an_unreachable_scheduler_is_a_clear_error():
    refused = dask_runner(scheduler="tcp://127.0.0.1:9", connect_timeout_s=1.0)
    with pytest.raises(DistributedError, match="cannot reach the Dask scheduler"), refused:
        pass


def test_scheduler_and_workers_exclude_each_other():
    both = dask_runner(scheduler="tcp://127.0.0.1:9", workers=2)
    with pytest.raises(ValueError, match="either a scheduler address or a number"), both:
        pass
    with pytest.raises(ValueError, match="at least 1"), dask_runner(workers=0):
        pass


def test_a_second_cluster_starts_quietly_while_port_8787_is_taken():
    # Dask's HTTP server took 8787 by default: a second run (or a notebook's cluster) made it
    # print "Port 8787 is already in use" and, under warnings as errors, fail to start
    import socket
    import warnings

    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
        holder.listen()
    except OSError:
        pass  # taken already: the same situation
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with dask_runner(workers=1) as dask:
                port = dask.client.scheduler_info()["services"]["dashboard"]
                assert list(dask.map(pow, [(3, 2)])) == [9]
        assert port != 8787
    finally:
        holder.close()


def test_an_early_runner_is_the_runner_and_closes_once():
    early = EarlyRunner(workers=1)
    try:
        runner = early.runner()
        assert list(runner.map(pow, [(2, 5), (3, 3)])) == [32, 27]
        # the worker was warmed up: it holds the ephemeris before any chunk asked for it
        assert all(
            runner.client.run(lambda: batch._process_astronomy.cache_info().currsize).values()
        )
    finally:
        early.close()
    early.close()
    assert runner.client.status == "closed"


def test_a_local_early_runner_stops_the_fork_server_it_started():
    # its workers' CPU then counts for this process (time, os.wait4); one started before
    # (another cluster's, still forking workers) is left running
    from passpredict.runs import distributed

    before = distributed._fork_server_pid()
    children_cpu_s = _children_cpu_s()
    early = EarlyRunner(workers=1)
    try:
        assert list(early.runner().map(_busy_s, [(0.3,)])) == [0.3]
        assert distributed._fork_server_pid() is not None
    finally:
        early.close()
    assert distributed._fork_server_pid() == before
    if before is None:  # stopped by SIGTERM, the worker's CPU is still counted here
        assert _children_cpu_s() - children_cpu_s >= 0.3


def _busy_s(seconds: float) -> float:
    import time

    begin = time.process_time()
    while time.process_time() - begin < seconds:
        pass
    return seconds


def _children_cpu_s() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_an_early_runner_says_what_failed_and_still_closes():
    early = EarlyRunner(scheduler="tcp://127.0.0.1:9", connect_timeout_s=1.0)
    with pytest.raises(DistributedError, match="cannot reach the Dask scheduler"):
        early.runner()
    early.close()


def test_a_call_travels_pickled_and_comes_back_the_same():
    from passpredict.runs.distributed import call_pickled, pickled_call

    assert call_pickled(pickled_call(pow, (2, 10))) == 1024
    offset = 3  # a lambda (and what it closes over) goes by cloudpickle, as Dask would send it
    assert call_pickled(pickled_call(lambda x: x + offset, (4,))) == 7


def test_the_runner_runs_a_lambda_on_the_cluster(runner):
    assert list(runner.map(lambda a, b: a * b, [(2, 3), (4, 5)])) == [6, 20]
