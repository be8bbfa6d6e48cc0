"""`watch`: AOS/LOS hooks at the right moments with the pass in the environment."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from passpredict.cli.root import main
from passpredict.products.predict import predict
from passpredict.records import Observer
from passpredict.station.clock import ManualClock
from passpredict.station.watch import pass_environment, watch
from tle_cache.parse import read_file

SPOT7 = str(Path(__file__).parents[1] / "data" / "visibility" / "spot7_40053_2026-05-30.tle")
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
START = datetime(2026, 5, 30, 17, 0, tzinfo=UTC)


def test_hooks_fire_before_aos_and_at_los_on_the_clock(timescale):
    (es,) = read_file(SPOT7)
    clock = ManualClock(START)
    fired = []

    def windows(begin, end):
        return list(predict([es], [BAKU], begin, end, 10.0, timescale=timescale).passes)

    def hook(event):
        fired.append((clock.now(), pass_environment(event)))

    events = list(watch(windows, clock, hook, before=timedelta(minutes=5), max_passes=4))
    expected = windows(START, START + timedelta(days=2))[:4]
    assert [e.kind for e in events] == ["AOS", "LOS"] * 4
    for k, p in enumerate(expected):
        (aos_at, aos_env), (los_at, los_env) = fired[2 * k], fired[2 * k + 1]
        # the hook ran at the moment, not before: the clock was there when it was called
        assert aos_at == p.rise.time_utc - timedelta(minutes=5)
        assert los_at == p.set.time_utc
        assert aos_env["PASS_EVENT"] == "AOS" and los_env["PASS_EVENT"] == "LOS"
        assert aos_env["PASS_NORAD_ID"] == "40053"
        assert aos_env["PASS_MAX_ELEVATION_DEG"] == f"{p.max_elevation_deg:.3f}"
        stamp = p.rise.time_utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        assert aos_env["PASS_AOS_UTC"] == stamp


def test_watch_command_runs_the_hook_with_the_pass(tmp_path):
    log = tmp_path / "hook.log"
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["watch", "spot7", "--tle-file", SPOT7, "--start", "2026-05-30T17:00Z",
         "--speed", "2000", "--passes", "2", "--before", "5m",
         "--exec", f"env | grep ^PASS_ | sort >> {log}; echo --- >> {log}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    blocks = [b for b in log.read_text().split("---\n") if b.strip()]
    envs = [dict(line.split("=", 1) for line in b.strip().splitlines()) for b in blocks]
    assert [e["PASS_EVENT"] for e in envs] == ["AOS", "LOS", "AOS", "LOS"]
    passes = json.loads(
        runner.invoke(main, ["passes", "spot7", "--tle-file", SPOT7, "--start",
                             "2026-05-30T17:00Z", "--days", "1", "--format", "json"]).stdout
    )["passes"]  # fmt: skip
    for k in range(2):
        assert envs[2 * k]["PASS_AOS_UTC"] == passes[k]["rise"]["time"]
        assert envs[2 * k + 1]["PASS_LOS_UTC"] == passes[k]["set"]["time"]
    assert len(result.stdout.splitlines()) == 4


def test_watch_refuses_a_bad_duration():
    result = CliRunner().invoke(main, ["watch", "--before", "five minutes", "--passes", "1"])
    assert result.exit_code == 2
    assert "is not a duration" in result.stderr


def test_a_pass_already_over_has_no_events_and_one_in_progress_fires_at_once(timescale):
    from passpredict.station.watch import pass_events

    (es,) = read_file(SPOT7)
    (first, second, *_) = predict([es], [BAKU], START, START + timedelta(days=1), 10.0,
                                  timescale=timescale).passes  # fmt: skip
    # was: a late start put the first pass's LOS before its AOS
    late = first.set.time_utc + timedelta(seconds=1)
    assert [e.item for e in pass_events([first, second], timedelta(minutes=5), late)] == [
        second,
        second,
    ]
    during = first.culmination.time_utc
    events = pass_events([first], timedelta(minutes=5), during)
    assert [(e.kind, e.when_utc) for e in events] == [("AOS", during), ("LOS", first.set.time_utc)]


def test_durations_are_limited_to_seven_days_whatever_their_unit():
    """Was: the limit looked at the number before the unit, so '9d' (and '200h') passed."""
    from passpredict.cli.options import parse_duration

    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("168h") == timedelta(days=7)
    assert parse_duration("90") == timedelta(seconds=90)
    for too_long in ("9d", "200h", "10081m", "604801"):
        with pytest.raises(ValueError, match="at most 7d"):
            parse_duration(too_long)
    for option in (["watch", "--before", "9d"], ["passes", "--format", "ics", "--alarm", "8d"]):
        result = CliRunner().invoke(main, option)
        assert result.exit_code == 2 and "at most 7d" in result.stderr


def test_a_satellite_that_can_never_give_an_event_is_said_once(tmp_path):
    # found by a CLI sweep: 'watch 39079' (a geostationary satellite always above the
    # minimum elevation) waited for ever without a word; now each such satellite gets one
    # warning at the first search, and the others are watched as before
    both = tmp_path / "both.tle"
    geo = Path(__file__).parents[1] / "data" / "geo" / "azerspace-1_39079_2026.tle"
    both.write_text(Path(SPOT7).read_text() + geo.read_text())
    result = CliRunner().invoke(
        main,
        ["watch", "--tle-file", str(both), "--start", "2026-05-30T17:00Z",
         "--speed", "100000", "--passes", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if "AZERSPACE 1" in line]
    assert len(said) == 1 and "geostationary" in said[0] and "no AOS" in said[0], said
    assert len(result.stdout.splitlines()) == 4  # SPOT 7's two passes, AOS and LOS


def test_watching_only_satellites_that_never_rise_or_set_is_an_error():
    geo = Path(__file__).parents[1] / "data" / "geo" / "azerspace-1_39079_2026.tle"
    result = CliRunner().invoke(
        main,
        ["watch", "--tle-file", str(geo), "--start", "2026-05-30T17:00Z", "--speed", "100000"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nothing to watch" in result.stderr.splitlines()[-1]


#: A geostationary-class set (n 1.05 rev/day, e 0.0001, i 0.05 deg) that drifts east 17 deg a
#: day: from Baku it is above 10 deg all of its first day (96 E to 113 E) and sets on the second.
#: Made with sgp4's sgp4init and exporter (epoch 2026-05-30T00:00Z, mean anomaly 340 deg).
DRIFTER = """DRIFTER
1 99901U          26150.00000000  .00000000  00000-0  00000+0 0    04
2 99901   0.0500   0.0000 0001000   0.0000 340.0000  1.05000000    09
"""


def test_a_drifting_geostationary_satellite_above_all_day_one_is_watched_until_it_sets(tmp_path):
    # was: watch judged "stays above" on the first day of its search only, warned "no AOS or
    # LOS to wait for" and, with nothing else to watch, stopped with 'nothing to watch'
    from skyfield.api import EarthSatellite, load, wgs84

    path = tmp_path / "drifter.tle"
    path.write_text(DRIFTER)
    _, line1, line2 = DRIFTER.splitlines()
    ts = load.timescale(builtin=True)
    satellite = EarthSatellite(line1, line2, "DRIFTER", ts)
    start = datetime(2026, 5, 30, tzinfo=UTC)
    minutes = np.arange(0, 3 * 1440)  # brute force: the elevation every minute for 3 days
    times = ts.from_datetimes([start + timedelta(minutes=int(m)) for m in minutes])
    elevation = (
        (satellite - wgs84.latlon(BAKU.latitude_deg, BAKU.longitude_deg, BAKU.elevation_m))
        .at(times)
        .altaz()[0]
        .degrees
    )
    assert elevation[:1441].min() > 10.0  # above all of day one: what fooled the judgement
    below = int(np.flatnonzero(elevation < 10.0)[0])
    set_after, set_before = start + timedelta(minutes=below - 1), start + timedelta(minutes=below)
    result = CliRunner().invoke(
        main,
        ["watch", "--tle-file", str(path), "--start", "2026-05-30T00:00Z",
         "--speed", "100000", "--passes", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "stays above" not in result.stderr
    aos, los = result.stdout.splitlines()
    assert " AOS DRIFTER (99901) over Baku" in aos and " LOS DRIFTER (99901) over Baku" in los
    los_utc = datetime.fromisoformat(los.split()[0].replace("Z", "+00:00"))
    assert set_after <= los_utc <= set_before, (los_utc, set_after, set_before)


def test_a_satellite_held_at_its_station_still_stays_above_for_good(timescale):
    """The judgement's window holds every position the model gives later (held: a sidereal
    day repeated), so a real geostationary satellite is still said to stay above."""
    from passpredict.products.geo.lasting import lasting_looks, lasting_window_end_utc

    sets = read_file(Path(__file__).parents[1] / "data" / "geo" / "azerspace-1_39079_2026.tle")
    geo = max((es for es in sets if es.epoch_utc <= START), key=lambda es: es.epoch_utc)
    end = lasting_window_end_utc(geo, START)
    assert end >= max(START, geo.epoch_utc + timedelta(days=4)) + timedelta(seconds=86164)
    (look,) = lasting_looks([geo], [BAKU], START, 10.0, timescale)
    assert look.always_above_min_elevation and 42 < look.elevation_min_deg < 44
