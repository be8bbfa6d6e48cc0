"""The benchmark scripts import and their helpers work, on two satellites (no timing asserted).

The benchmarks are the yardstick of issue 11, so their parts are checked against independent
expectations here: the referee's fast altitude against Skyfield's `altaz`, the agreement
bookkeeping against hand-made pass lists, the sgp4-predict peer against the engine on real
elements, the launcher's peak memory against a child that allocates a known amount.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
#: 20 sets from the benchmark's own snapshot (tests/data/batch/PROVENANCE.md).
MIXED = ROOT / "tests" / "data" / "batch" / "mixed_2026-05-07.tle"
START = datetime(2026, 5, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def bench(timescale):
    """The benchmark modules, imported as the scripts import each other."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_common
        import bench_edge
        import bench_passes
        import peer_sgp4_predict

        yield bench_common, bench_passes, bench_edge, peer_sgp4_predict
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def two(timescale):
    """ISS and SPOT 7 from the mixed file, with the engine's answer over Baku for a day."""
    from passpredict.engine.passes import search_passes
    from passpredict.engine.time_axis import TimeBase
    from passpredict.records import Observer
    from tle_cache.parse import read_file

    sets = [es for es in read_file(MIXED) if es.norad_id in (25544, 40053)]
    baku = Observer("Baku", 40.4093, 49.8671, -28.0)
    end = START + timedelta(days=1)
    timebase = TimeBase.create(START, end, timescale)
    table = search_passes(sets, [baku], timebase, 86400.0, 10.0)
    return sets, baku, table


def test_referee_altitude_is_skyfields_altaz(bench, two, timescale):
    _, bench_passes, _, _ = bench
    sets, baku, _ = two
    satellite = EarthSatellite(*sets[1].tle_lines, sets[1].name, timescale)
    topos = wgs84.latlon(baku.latitude_deg, baku.longitude_deg, baku.elevation_m)
    t0 = timescale.from_datetime(START)
    seconds = np.linspace(0.0, 86400.0, 97)
    fast = bench_passes.skyfield_altitude(satellite, topos, timescale, t0, seconds)
    t = timescale.tt_jd(np.full(seconds.size, t0.whole), t0.tt_fraction + seconds / 86400.0)
    slow = (satellite - topos).at(t).altaz()[0].degrees
    assert np.abs(fast - slow).max() < 1e-9


def test_worst_difference_is_reported_as_it_is(bench):
    _, bench_passes, _, _ = bench
    agreement = bench_passes.Agreement("peer")
    ours = [(100.0, 400.0, 700.0), (5000.0, 5300.0, 5600.0), (80000.0, 86400.0, None)]
    theirs = [(100.1, 400.0, 700.0), (5002.0, 5300.0, 5600.0)]
    agreement.add((0, 0), "x / y", ours, theirs, 86400.0)
    # was capped at the 0.5 s limit: a 2 s rise difference printed as 0.1 s
    assert agreement.worst_s == pytest.approx(2.0)
    assert agreement.worst_label == "rise, x / y"
    assert agreement.over_limit == 1
    messages = agreement.problems[0, 0]
    assert any("rise at 5000.000 s, peer 5002.000 s" in m for m in messages)
    assert any("only in ours" in m for m in messages)  # the pass cut by the window end


def test_pass_matching_pairs_overlapping_spans(bench):
    _, bench_passes, _, _ = bench
    ours = [(None, 10.0, 50.0), (1000.0, 1100.0, 1200.0)]
    theirs = [(1001.0, 1100.0, 1199.0), (3000.0, 3100.0, 3200.0)]
    matched, only_ours, only_theirs = bench_passes.match_passes(ours, theirs, 86400.0)
    assert matched == [(ours[1], theirs[0])]
    assert only_ours == [ours[0]]
    assert only_theirs == [theirs[1]]


def test_compare_two_satellites_with_both_peers(bench, two, timescale):
    bench_common, bench_passes, _, _ = bench
    sets, baku, table = two
    window = bench_common.Window(START, START + timedelta(days=1))
    satellites = {i: EarthSatellite(*es.tle_lines, es.name, timescale) for i, es in enumerate(sets)}
    raw = {
        (i, 0): bench_passes.skyfield_events(satellites[i], baku, window, timescale)
        for i in satellites
    }
    comparison = bench_passes.compare(
        sets, list(raw), [baku], window, timescale, table, raw, satellites
    )
    assert comparison.skyfield.passes == len(table) > 0
    assert comparison.skyfield.peer_passes == len(table)
    assert comparison.sgp4_predict.peer_passes == len(table)
    assert comparison.skyfield.problems == {}
    assert 0.0 < comparison.skyfield.worst_s < bench_passes.AGREEMENT_S
    times = np.stack([table.rise_s, table.culmination_s, table.set_s])
    assert comparison.ours_looks.events == np.count_nonzero(~np.isnan(times))
    assert all(t.met for t in comparison.targets("test"))


def test_sgp4_predict_script_writes_the_engines_passes(bench, two, tmp_path, capsys):
    _, _, _, peer = bench
    sets, _, table = two
    tle = tmp_path / "two.tle"
    tle.write_text("".join(f"{es.name}\n{es.tle_lines[0]}\n{es.tle_lines[1]}\n" for es in sets))
    assert peer.main([str(tle), "--start", "2026-05-08T00:00+00:00", "--days", "1"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == len(table)
    assert list(rows[0]) == peer.COLUMNS
    ours = np.sort(table.rise_s[~np.isnan(table.rise_s)])
    theirs = np.sort(
        [
            (datetime.fromisoformat(r["rise_time"]) - START).total_seconds()
            for r in rows
            if r["rise_time"]
        ]
    )
    # the peer rotates the Earth at UTC, we at UT1: tens of milliseconds apart
    assert np.abs(ours - theirs).max() < 0.5


def test_launcher_reports_the_childs_own_peak_memory(bench, tmp_path):
    bench_common, _, _, _ = bench
    allocate = "x = bytearray(80_000_000); x[::4096] = b'1' * len(x[::4096])"
    big = bench_common.run_child(
        [sys.executable, "-S", "-c", allocate], tmp_path / "out", tmp_path / "err"
    )
    small = bench_common.run_child(
        [sys.executable, "-S", "-c", "pass"], tmp_path / "out", tmp_path / "err"
    )
    assert big.exit_code == small.exit_code == 0
    assert big.peak_rss_mb > 80
    assert small.peak_rss_mb < 40  # not this (larger) process's size, carried over exec
    assert small.cpu_s >= 0 and small.wall_s > 0


def test_engine_only_child_counts_the_engines_passes(bench, two, tmp_path):
    bench_common, _, _, _ = bench
    sets, _, table = two
    tle = tmp_path / "two.tle"
    tle.write_text("".join(f"{es.name}\n{es.tle_lines[0]}\n{es.tle_lines[1]}\n" for es in sets))
    argv = [sys.executable, str(BENCHMARKS / "engine_only.py"), str(tle), "--start"]
    run = bench_common.run_child(
        [*argv, "2026-05-08T00:00+00:00"], tmp_path / "out", tmp_path / "err"
    )
    assert run.exit_code == 0, run.stderr.read_text()
    summary = json.loads(run.stdout.read_text())
    assert summary["passes"] == len(table)
    assert summary["searched"] == 2


def test_format_probe_and_output_counts(bench, two, tmp_path):
    _, _, bench_edge, _ = bench
    sets, _, table = two
    tle = tmp_path / "two.tle"
    tle.write_text("".join(f"{es.name}\n{es.tle_lines[0]}\n{es.tle_lines[1]}\n" for es in sets))
    assert bench_edge.supported("json", tle, tmp_path)
    assert bench_edge.supported("no-such-format", tle, tmp_path) is False
    text, count = bench_edge.count_output("json", tmp_path / "probe.json")
    assert count == len(table) and text.endswith(f"{len(table):,} passes")


def test_geometry_limit_and_observers(bench, two, timescale):
    _, _, bench_edge, _ = bench
    sets, _, _ = two
    from passpredict.engine.time_axis import TimeBase

    places = bench_edge.spread_observers(100)
    latitudes = np.array([p.latitude_deg for p in places])
    assert len({(p.latitude_deg, p.longitude_deg) for p in places}) == 100
    assert -90 < latitudes.min() < -80 and 80 < latitudes.max() < 90
    assert abs(np.sin(np.radians(latitudes)).mean()) < 1e-9  # even in area, both hemispheres
    timebase = TimeBase.create(START, START + timedelta(days=1), timescale)
    run, samples = bench_edge.geometry_limit(sets, places[:3], timebase, 86400.0)
    assert run() == samples  # a look angle for every observer at every grid sample


def test_target_lines(bench):
    bench_common, _, _, _ = bench
    met = bench_common.Target("json: CLI / engine", 1.2, "<=", 1.5)
    assert met.met and met.line().endswith("measured 1.20x: MET")
    missing = bench_common.Target("jsonl", None, "<=", 1.5, missing="n/a (not supported)")
    assert not missing.met and missing.line().endswith("n/a (not supported): NOT MET")
    memory = bench_common.Target("table peak", 720.0, "<", 300, unit="MB")
    assert memory.line().endswith("target < 300 MB; measured 720.00 MB: NOT MET")
