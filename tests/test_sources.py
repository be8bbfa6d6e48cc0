"""Which element set a command uses for its window, and which windows are refused (issue 10).

The rule (the latest set at or before the window start, else the earliest after it; refused
more than 3 years from every set) is checked against a plain-Python oracle written from the
README's wording, on random histories, and end to end through every command that picks sets.
Pass times for a replayed 2015 window come from Skyfield's `find_events` on the 2015 set.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sgp4.api import Satrec
from sgp4.conveniences import sat_epoch_datetime
from skyfield.api import EarthSatellite, wgs84

from passpredict.cli.root import main
from passpredict.engine.ephemeris import load_timescale
from tle_cache.bundled import load_bundled
from tle_cache.nearest import MAX_EPOCH_DISTANCE_DAYS, sets_for_window
from tle_cache.store import open_store, store_path

DATA = Path(__file__).parent / "data"
HISTORY = DATA / "tle" / "iss_25544_history_excerpt.tle"
SPOT7_2026 = DATA / "visibility" / "spot7_40053_2026-05-30.tle"
AZ1_2026 = DATA / "geo" / "azerspace-1_39079_2026.tle"
BAKU = wgs84.latlon(40.4093, 49.8671, elevation_m=-28.0)
LATEST_BEFORE = "latest at or before the window start"
EARLIEST_AFTER = "earliest after the window start"
#: The same instant read from the file by sgp4 and by our parser (JSON times carry ms).
SAME_EPOCH_S = 1e-3


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def tle_sets(path: Path) -> list[tuple[str, str, datetime]]:
    """(line 1, line 2, epoch) of each set in a 3-line file, read with sgp4 alone."""
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    sets = []
    for i in range(0, len(lines), 3):
        sat = Satrec.twoline2rv(lines[i + 1], lines[i + 2])
        sets.append((lines[i + 1], lines[i + 2], sat_epoch_datetime(sat)))
    return sets


def epoch_of(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- the rule, against an oracle --------------------------------------------------------------


def oracle(
    epochs: list[datetime], start: datetime, end: datetime, limit_days: float
) -> tuple[datetime, bool]:
    """The README's rule spelled out: (the epoch chosen, whether the window is refused)."""

    def gap_days(epoch: datetime) -> float:
        if epoch <= start:
            return (start - epoch) / timedelta(days=1)
        return max((epoch - end) / timedelta(days=1), 0.0)

    before = [e for e in epochs if e <= start]
    after = [e for e in epochs if e > start]
    chosen = max(before) if before else min(after)
    far = before and after and gap_days(chosen) > limit_days
    if far and gap_days(min(after)) < gap_days(chosen):
        chosen = min(after)
    # refused exactly when every set lies beyond the limit (brute force over all of them)
    refused = min(gap_days(e) for e in epochs) > limit_days
    return chosen, refused


def test_the_choice_follows_the_rule_on_random_histories():
    template = load_bundled()[2]
    rng = random.Random(10)
    base = datetime(2000, 1, 1, tzinfo=UTC)
    sets, epochs_by_id = [], {}
    for norad_id in rng.sample(range(1, 90000), 60):
        count = rng.randint(1, 12)
        epochs = [base + timedelta(days=rng.uniform(0, 30 * 365.25)) for _ in range(count)]
        if rng.random() < 0.2:
            epochs.append(epochs[0])  # the same epoch twice (a re-issued set)
        epochs_by_id[norad_id] = epochs
        sets += [replace(template, norad_id=norad_id, epoch_utc=e) for e in epochs]
    rng.shuffle(sets)
    for _ in range(40):
        start = base + timedelta(days=rng.uniform(-5 * 365.25, 35 * 365.25))
        end = start + timedelta(days=rng.choice([0.0, 1.0, 400.0]))
        wanted = rng.sample(sorted(epochs_by_id), 25)
        picked = sets_for_window(sets, start, end, norad_ids=wanted)
        chosen = {es.norad_id: es for es in picked.chosen}
        refused = {t.nearest.norad_id: t for t in picked.too_far}
        assert [es.norad_id for es in picked.chosen] == [n for n in wanted if n in chosen]
        for norad_id in wanted:
            epoch, too_far = oracle(epochs_by_id[norad_id], start, end, MAX_EPOCH_DISTANCE_DAYS)
            assert (norad_id in refused) is too_far
            if too_far:
                assert refused[norad_id].nearest.epoch_utc == epoch
                continue
            assert chosen[norad_id].epoch_utc == epoch
            expected = LATEST_BEFORE if epoch <= start else EARLIEST_AFTER
            assert chosen[norad_id].selected.startswith(expected)


def test_the_store_picks_what_the_rule_picks_from_the_whole_history(tmp_path):
    template = load_bundled()[2]
    rng = random.Random(11)
    base = datetime(2010, 1, 1, tzinfo=UTC)
    sets = [
        replace(template, norad_id=n, epoch_utc=base + timedelta(days=rng.uniform(0, 5000)))
        for n in range(1, 41)
        for _ in range(rng.randint(1, 9))
    ]
    refused = 0
    with open_store(store_path(tmp_path), seed=lambda: []) as store:
        store.add_sets(sets, "test", base)
        stored = [s for n in range(1, 41) for s in store.history(n)]
        for _ in range(30):
            start = base + timedelta(days=rng.uniform(-400, 5400))
            ids = rng.sample(range(1, 45), 20)  # 41..44 are not stored
            end = start + timedelta(days=rng.choice([0.0, 3.0]))
            assert len(store.around(start, ids)) <= 2 * len(ids)
            from_store = store.sets_for_window(start, end, ids, max_distance_days=900.0)
            from_all = sets_for_window(stored, start, end, norad_ids=ids, max_distance_days=900.0)
            assert [(s.norad_id, s.epoch_utc, s.selected) for s in from_store.chosen] == [
                (s.norad_id, s.epoch_utc, s.selected) for s in from_all.chosen
            ]
            assert [t.nearest.epoch_utc for t in from_store.too_far] == [
                t.nearest.epoch_utc for t in from_all.too_far
            ]
            assert [t.distance_days for t in from_store.too_far] == pytest.approx(
                [t.distance_days for t in from_all.too_far], abs=1e-9
            )
            refused += len(from_all.too_far)
    assert refused, "some windows lie beyond the limit"


# --- a history file and the store replay the past ----------------------------------------------


def test_a_history_file_gives_the_passes_of_its_own_set_for_a_past_window():
    start = datetime(2015, 5, 1, tzinfo=UTC)
    line1, line2, epoch = next(s for s in tle_sets(HISTORY) if s[2].year == 2015)
    result = run(
        "passes", "--tle-file", str(HISTORY), "--start", "2015-05-01T00:00Z", "--days", "1",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (iss,) = data["satellites"]
    # was the 2026 set: "decayed", no passes
    assert abs((epoch_of(iss["epoch"]) - epoch).total_seconds()) < SAME_EPOCH_S
    assert iss["orbit"] == "leo-meo" and iss["selected"] == LATEST_BEFORE
    ts = load_timescale()
    satellite = EarthSatellite(line1, line2, "ISS (ZARYA)", ts)
    times, events = satellite.find_events(
        BAKU, ts.from_datetime(start), ts.from_datetime(start + timedelta(days=1)), 10.0
    )
    rises = [t.utc_datetime() for t, e in zip(times, events, strict=True) if e == 0]
    assert len(rises) == 5
    ours = [epoch_of(p["rise"]["time"]) for p in data["passes"] if p["rise"]]
    assert len(ours) == len(rises)
    assert all(abs((a - b).total_seconds()) < 1.0 for a, b in zip(ours, rises, strict=True))


def test_the_store_replays_history_and_says_why_in_the_table():
    assert run("tle", "import", str(HISTORY)).exit_code == 0
    epochs = [s[2] for s in tle_sets(HISTORY)]
    for start, expected, why in [
        ("2015-05-01T00:00Z", epochs[2], LATEST_BEFORE),
        ("2013-01-01T00:00Z", epochs[0], EARLIEST_AFTER),
        ("2026-08-25T00:00Z", epochs[-1], LATEST_BEFORE),
    ]:
        result = run("passes", "25544", "--start", start, "--format", "json")
        assert result.exit_code == 0, result.stderr
        (iss,) = json.loads(result.stdout)["satellites"]
        assert abs((epoch_of(iss["epoch"]) - expected).total_seconds()) < SAME_EPOCH_S
        assert iss["selected"] == why
    table = run("passes", "25544", "--start", "2013-01-01T00:00Z", "--days", "1", "--utc")
    assert "2013-05-09 05:54" in table.stdout
    assert "Each set is the earliest after the window start." in table.stdout


def test_a_latest_set_years_before_gives_way_to_a_later_one_near_the_window():
    result = run(
        "passes", "--tle-file", str(HISTORY), "--start", "2024-06-01T00:00Z", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    (iss,) = json.loads(result.stdout)["satellites"]
    assert iss["epoch"].startswith("2026-08-22T12:00")  # 2.2 years after; 2015-11-01 is 8.6 before
    assert iss["selected"].startswith(EARLIEST_AFTER + " (the latest before it is more than 3")


def _json_epoch(command: str, data: dict) -> tuple[str, str | None]:
    if command in ("geo", "sun-outages", "eclipses"):
        return data["elements"]["epoch"], data["elements"]["selected"]
    if command == "track":
        return data["epoch"], None
    (satellite,) = data["satellites"]
    return satellite["epoch"], satellite["selected"]


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("passes", ["25544", "--start", "2015-05-01T00:00Z", "--days", "1"]),
        ("track", ["25544", "--start", "2015-05-01T00:00Z", "--minutes", "5"]),
        ("geo", ["39079", "--at", "2026-04-01T00:00Z"]),
        ("sun-outages", ["39079", "--start", "2026-04-01T00:00Z", "--days", "20"]),
        ("eclipses", ["39079", "--start", "2026-04-01T00:00Z", "--days", "20"]),
    ],
)
def test_every_command_uses_the_set_of_its_window(command, args):
    path = HISTORY if args[0] == "25544" else AZ1_2026
    start = epoch_of(args[2].replace("Z", "+00:00"))
    expected = max(e for _, _, e in tle_sets(path) if e <= start)
    result = run(command, *args, "--tle-file", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    epoch, why = _json_epoch(command, json.loads(result.stdout))
    assert abs((epoch_of(epoch) - expected).total_seconds()) < SAME_EPOCH_S
    assert why in (None, LATEST_BEFORE)


# --- windows far from every set are refused -----------------------------------------------------


def test_a_window_years_after_every_set_is_refused_with_the_limit_and_the_fix():
    result = run("passes", "--tle-file", str(HISTORY), "--start", "2031-01-01T00:00Z")
    assert result.exit_code == 1  # was 0 with a warning
    (line,) = result.stderr.splitlines()
    assert "4.4 years after the nearest element set of ISS (ZARYA) (25544" in line
    assert "at most 3 years" in line and "--tle-file" in line and "move the window" in line
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["passes", "spot7", "--start", "1957-10-04T19:28Z"],
        ["track", "spot7", "--start", "1957-10-04T19:28Z"],
        ["geo", "azerspace-1", "--at", "1957-10-04T19:28Z"],
        ["sun-outages", "azerspace-1", "--start", "1957-10-04T19:28Z"],
        ["eclipses", "azerspace-1", "--start", "1957-10-04T19:28Z"],
        ["plot", "sky", "spot7", "--start", "1957-10-04T19:28Z", "-o", "{tmp}/sky.png"],
    ],
)
def test_every_command_refuses_a_window_69_years_before_the_bundled_sets(args, tmp_path):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run(*args)
    assert result.exit_code == 1, result.stderr
    (line,) = result.stderr.splitlines()
    assert re.search(r"lies 6[78]\.\d years before the nearest element set of", line), line
    assert "at most 3 years" in line
    assert not (tmp_path / "sky.png").exists()


def test_in_a_mixed_run_the_satellites_too_far_are_left_out_with_one_warning(tmp_path):
    both = tmp_path / "iss_history_and_spot7_2026.tle"
    both.write_text(HISTORY.read_text() + SPOT7_2026.read_text())
    result = run(
        "passes", "--tle-file", str(both), "--start", "2015-05-01T00:00Z", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    assert [s["norad_id"] for s in json.loads(result.stdout)["satellites"]] == [25544]
    (warning,) = [line for line in result.stderr.splitlines() if "left out" in line]
    assert warning.startswith("warning: 1 satellite left out: the window (2015-05-01 to ")
    assert "SPOT 7 (40053, epoch 2026-05-30)" in warning


def test_every_satellite_means_the_whole_store_not_the_watch_list(tmp_path):
    # geo --arc wants every satellite the store holds: the bundled snapshot plus a set of a
    # satellite nobody added to the watch list.
    from passpredict.inputs.sources import select_element_sets

    bundled = load_bundled()
    stranger = replace(bundled[0], norad_id=99001, name="STRANGER")
    with open_store(store_path(tmp_path)) as store:
        store.add_sets([stranger], "test", datetime(2026, 1, 1, tzinfo=UTC))
        watched = store.watchlist()
    when = bundled[0].epoch_utc
    plain = select_element_sets([], None, tmp_path, start_utc=when)
    every = select_element_sets([], None, tmp_path, start_utc=when, every_satellite=True)
    assert sorted(es.norad_id for es in plain.element_sets) == sorted(watched)
    assert 99001 not in watched
    expected = sorted({es.norad_id for es in bundled} | {99001})
    assert sorted(es.norad_id for es in every.element_sets) == expected


def test_a_chosen_set_is_the_constructor_s_copy_with_its_reason():
    # with_reason copies the fields without the constructor (it runs once per satellite)
    from tle_cache.elements import ElementSet
    from tle_cache.nearest import with_reason

    for es in load_bundled():
        es.satrec()
        chosen = with_reason(es, "latest at or before the window start")
        made = ElementSet(
            es.norad_id, es.name, es.epoch_utc, es.omm, es.tle_lines, es.source,
            "latest at or before the window start", es._satrec_cache,
        )  # fmt: skip
        assert chosen == made and repr(chosen) == repr(made)
        assert [getattr(chosen, f.name) for f in fields(made)] == [
            getattr(made, f.name) for f in fields(made)
        ]
        assert chosen._satrec_cache is es._satrec_cache  # the SGP4 model is not rebuilt
        assert es.selected == "" and chosen is not es
        with pytest.raises(AttributeError):
            chosen.selected = "changed"  # still frozen
