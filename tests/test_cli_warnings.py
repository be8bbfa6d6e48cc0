"""Warnings a person can read: grouped per kind, listed with --verbose, dropped with --quiet,
and given the same way by every command that uses element sets (issue 10)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from passpredict.cli.root import main
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data" / "batch" / "mixed_2026-05-07.tle"
#: Two months after the file's epochs (2026-04-30..2026-05-07): every set is stale, none decayed.
LATE = ("--start", "2026-07-10T00:00:00Z", "--days", "1")
N_SETS = len(read_file(DATA))


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def warnings_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning:")]


def test_many_stale_sets_are_one_line_not_one_per_satellite():
    # was: one 300-character warning per satellite (20,000 lines for a 20,000-object file)
    result = run("passes", "--tle-file", str(DATA), *LATE, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert N_SETS == 20
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(
        r"warning: 20 element sets are stale \(oldest \d+\.\d days at the window start\): "
        r'run "passpredict tle refresh" \(-v lists them\)',
        lines[0],
    ), lines[0]
    assert len(lines[0]) <= 120


def test_verbose_lists_each_stale_set_under_its_line():
    result = run("passes", "--tle-file", str(DATA), *LATE, "--format", "csv", "--verbose")
    assert result.exit_code == 0, result.stderr
    head, *items = result.stderr.splitlines()
    assert head.startswith("warning: 20 element sets are stale") and "-v lists" not in head
    assert len(items) == N_SETS and all(line.startswith("  - ") for line in items)
    named = {int(re.search(r"\((\d+)\): ", line).group(1)) for line in items}
    assert named == {es.norad_id for es in read_file(DATA)}
    spot7 = next(line for line in items if "(40053)" in line)
    assert "leo-meo" in spot7 and "pass times may be off by minutes or more" in spot7


def test_quiet_drops_warnings_but_not_data_or_errors():
    quiet = run("passes", "--tle-file", str(DATA), *LATE, "--format", "csv", "--quiet")
    loud = run("passes", "--tle-file", str(DATA), *LATE, "--format", "csv")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert quiet.stdout == loud.stdout and loud.stderr
    error = run("passes", "--tle-file", str(DATA), "--days", "1e9", "--quiet")
    assert error.exit_code == 2 and error.stderr.startswith("Error: ")
    # before the command too, on passpredict itself
    assert run("--quiet", "passes", "--tle-file", str(DATA), *LATE).stderr == ""
    both = run("passes", "--quiet", "--verbose")
    assert both.exit_code == 2 and "exclude each other" in both.stderr


def test_the_age_in_the_warning_is_the_age_the_table_and_json_show():
    # the table's Age and JSON age_days are at the window start; so is the warning's
    data = json.loads(run("passes", "--tle-file", str(DATA), *LATE, "--format", "json").stdout)
    oldest = max(s["age_days"] for s in data["satellites"])
    table = run("passes", "--tle-file", str(DATA), *LATE)
    (line,) = warnings_of(table)
    quoted = re.search(r"oldest (\d+\.\d) days", line).group(1)
    assert quoted == f"{oldest:.1f}"
    assert re.search(rf"(?<![\d.]){re.escape(quoted)} stale", table.stdout)  # the Age column


def test_json_keeps_one_sentence_per_stale_set():
    # the machine format is unchanged: every set's warning, worded in full
    data = json.loads(run("passes", "--tle-file", str(DATA), *LATE, "--format", "json").stdout)
    assert len(data["warnings"]) == N_SETS
    assert all(w.startswith("elements of ") and "tle refresh" in w for w in data["warnings"])


def test_a_long_window_over_fresh_elements_is_its_own_kind():
    # fresh at the start, too old by the end: refreshing cannot help, so it says something else
    result = run("passes", "--tle-file", str(DATA), "--start", "2026-05-08T00:00Z", "--days", "30")
    (line,) = warnings_of(result)
    assert "element sets go stale within the window" in line
    assert "trust late predictions less" in line and "tle refresh" not in line


ONE_STALE = 'warning: the elements of {name} ({norad}) are stale ({age} days old at {when}): run "passpredict tle refresh"'  # noqa: E501


@pytest.mark.parametrize(
    ("args", "name", "norad", "when"),
    [
        (["passes", "spot7", *LATE], "SPOT 7", 40053, "the window start"),
        (["track", "spot7", "--start", LATE[1]], "SPOT 7", 40053, "the window start"),
        (["geo", "az1", "--at", "2027-02-01T00:00Z"], "AZERSPACE 1", 39079, "the time asked"),
        (
            ["sun-outages", "az1", "--start", "2027-02-01T00:00Z", "--days", "60"],
            "AZERSPACE 1",
            39079,
            "the window start",
        ),
        (
            ["eclipses", "az1", "--start", "2027-02-01T00:00Z", "--days", "60"],
            "AZERSPACE 1",
            39079,
            "the window start",
        ),
    ],
    ids=["passes", "track", "geo", "sun-outages", "eclipses"],
)
def test_every_command_that_uses_elements_warns_the_same_way(args, name, norad, when):
    # was: geo (and plot track, below) said nothing, track had its own wording
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (line,) = warnings_of(result)
    age = re.search(r"\((\d+\.\d) days old", line).group(1)
    assert line == ONE_STALE.format(name=name, norad=norad, age=age, when=when)


def test_plot_track_warns_about_stale_elements_like_passes(tmp_path):
    pytest.importorskip("matplotlib")
    output = tmp_path / "track.png"
    result = run("plot", "track", "spot7", "--start", LATE[1], "-o", str(output))
    assert result.exit_code == 0, result.stderr
    (line,) = warnings_of(result)
    assert line.startswith("warning: the elements of SPOT 7 (40053) are stale (")
    quiet = run("plot", "track", "spot7", "--start", LATE[1], "-o", str(output), "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_std_mag_for_a_satellite_not_in_the_run_is_a_warning():
    args = ("passes", "spot7", "--start", "2026-05-31T00:00Z", "--days", "1")
    result = run(*args, "--std-mag", "25544=-1.8", "--std-mag", "40053=5")
    assert result.exit_code == 0
    assert warnings_of(result) == [
        "warning: --std-mag '25544=-1.8': no such satellite in this run, so it is not used; "
        "check the NORAD number"
    ]
    assert warnings_of(run(*args, "--std-mag", "40053=5")) == []


def test_on_an_80_column_terminal_warnings_wrap_instead_of_running_off():
    args = ("passes", "--tle-file", str(DATA), *LATE, "--format", "csv", "-v")
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, list(args))
    lines = result.stderr.splitlines()
    assert len(lines) > 1 + N_SETS and max(len(line) for line in lines) <= 80
    assert lines[0].startswith("warning: 20 element sets are stale")
    assert sum(line.startswith("  - ") for line in lines) == N_SETS
    # in a pipe (no COLUMNS), each stays one line
    assert len(run(*args).stderr.splitlines()) == 1 + N_SETS


def test_summary_of_a_satellite_without_eclipse_seasons_is_a_warning_not_silence():
    args = ("eclipses", "spot7", "--start", "2026-05-31T00:00Z", "--days", "1")
    summary, plain = run(*args, "--summary"), run(*args)
    assert summary.exit_code == 0 and summary.stdout == plain.stdout  # every eclipse, as without
    assert [w for w in warnings_of(summary) if "--summary" in w] == [
        "warning: --summary shows a geostationary satellite's eclipse seasons; SPOT 7 (40053) "
        "is not geostationary (one eclipse per orbit): every eclipse is listed; drop --summary"
    ]
    geo = run(
        "eclipses", "azerspace-1", "--start", "2026-02-20T00:00Z", "--days", "40", "--summary"
    )
    assert geo.exit_code == 0 and not [w for w in warnings_of(geo) if "--summary" in w]


def test_next_passes_are_not_called_stale_for_the_days_searched_beyond_them():
    # --next 3 searches 30 days; SPOT 7's bundled set (epoch 2026-05-30) is fresh for the
    # three passes shown on 2026-05-31, stale only for a window that reaches past 7 days
    shown = run("passes", "spot7", "--start", "2026-05-31T00:00Z", "--next", "3")
    assert shown.exit_code == 0 and warnings_of(shown) == []
    assert " stale " not in shown.stdout
    data = json.loads(
        run(
            "passes", "spot7", "--start", "2026-05-31T00:00Z", "--next", "3", "--format", "json"
        ).stdout
    )
    assert len(data["passes"]) == 3 and data["warnings"] == []
    searched = run("passes", "spot7", "--start", "2026-05-31T00:00Z", "--days", "30")
    assert ["go stale within the window" in w for w in warnings_of(searched)] == [True]
