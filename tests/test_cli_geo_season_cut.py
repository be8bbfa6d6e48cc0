"""A default window that starts mid-season must not present the rest as the whole season.

`sun-outages` and `eclipses` without --days/--end show the next two seasons from --start. When
--start falls inside a season, the first one is cut: its day count, first day and longest day
are only those of the window. The independent expectation is the textbook one: Azerspace-1's
autumn 2026 eclipse season runs from the end of August to mid-October (47 days, longest near the
equinox), and Baku's autumn outage season from 7 to 11 October (5 days); a heading from 24
September or 9 October must say it is cut ("within the window"), and the next, whole, season
must not.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from click.testing import CliRunner

from passpredict.cli.eclipses import eclipses_command
from passpredict.cli.sun_outages import sun_outages_command

NOW = datetime(2026, 8, 20, 12, tzinfo=UTC)
AZERSPACE1 = "tests/data/geo/azerspace-1_39079_2026.tle"
CUT = "(within the window)"


def run(command, args, home):
    result = CliRunner().invoke(
        command,
        ["39079", "--tle-file", AZERSPACE1, "--utc", "-q", *args],
        obj={"now_utc": NOW},
        env={"PASSPREDICT_HOME": str(home), "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if "season" in line or ": " in line]


def test_an_eclipse_season_cut_by_the_start_says_so(tmp_path):
    lines = run(eclipses_command, ["--start", "2026-09-23T21:00Z", "--summary"], tmp_path)
    autumn = next(line for line in lines if line.startswith("Autumn 2026"))
    spring = next(line for line in lines if line.startswith("Spring 2027"))
    assert CUT in autumn, autumn  # 23 of the season's 47 days
    assert CUT not in spring and "47 days" in spring, spring


def test_an_outage_season_cut_by_the_start_says_so(tmp_path):
    lines = run(sun_outages_command, ["--start", "2026-10-09T08:46Z"], tmp_path)
    autumn = next(line for line in lines if line.startswith("Autumn 2026"))
    spring = next(line for line in lines if line.startswith("Spring 2027"))
    assert CUT in autumn and "3 days" in autumn, autumn  # 3 of the season's 5 days
    assert CUT not in spring, spring


def test_a_whole_season_after_the_start_is_not_marked(tmp_path):
    lines = run(eclipses_command, ["--start", "2026-08-22T00:00Z", "--summary"], tmp_path)
    autumn = next(line for line in lines if line.startswith("Autumn 2026"))
    assert CUT not in autumn and "47 days" in autumn, autumn


# --- JSON and CSV: the cut is a field, not only a heading ----------------------------------


def data(command, args, home, fmt):
    result = CliRunner().invoke(
        command,
        ["39079", "--tle-file", AZERSPACE1, "-q", *args, "--format", fmt],
        obj={"now_utc": NOW},
        env={"PASSPREDICT_HOME": str(home)},
    )
    assert result.exit_code == 0, result.output
    if fmt == "json":
        return {s["name"]: s for s in json.loads(result.stdout)["seasons"]}
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_json_and_csv_mark_an_eclipse_season_cut_by_the_start(tmp_path):
    # the autumn 2026 season runs 30/31 Aug - 15 Oct (47 days): from 23 Sep it is cut
    seasons = data(eclipses_command, ["--start", "2026-09-23T21:00Z"], tmp_path, "json")
    autumn, spring = seasons["autumn 2026"], seasons["spring 2027"]
    assert (autumn["cut_by_window_start"], autumn["cut_by_window_end"]) == (True, False)
    assert (spring["cut_by_window_start"], spring["cut_by_window_end"]) == (False, False)
    assert spring["days"] == 47  # was unmarked next to a 23-day autumn, before the fix
    rows = data(eclipses_command, ["--start", "2026-09-23T21:00Z"], tmp_path, "csv")
    marks = {
        (r["season"], r["season_cut_by_window_start"], r["season_cut_by_window_end"]) for r in rows
    }
    assert marks == {("autumn 2026", "true", "false"), ("spring 2027", "false", "false")}


def test_json_marks_an_eclipse_season_cut_by_an_explicit_end(tmp_path):
    args = ["--start", "2026-08-22T00:00Z", "--end", "2026-10-01T00:00Z"]
    autumn = data(eclipses_command, args, tmp_path, "json")["autumn 2026"]
    assert (autumn["cut_by_window_start"], autumn["cut_by_window_end"]) == (False, True)
    whole = data(eclipses_command, ["--start", "2026-08-22T00:00Z"], tmp_path, "json")
    assert not any(s["cut_by_window_start"] or s["cut_by_window_end"] for s in whole.values())


def test_json_and_csv_mark_an_outage_season_cut_at_either_end(tmp_path):
    # Baku's autumn 2026 outages run 7-11 October
    late = data(sun_outages_command, ["--start", "2026-10-09T08:46Z"], tmp_path, "json")
    autumn = late["autumn 2026"]
    assert (autumn["cut_by_window_start"], autumn["cut_by_window_end"], autumn["days"]) == (
        True,
        False,
        3,
    )
    args = ["--start", "2026-10-01T00:00Z", "--end", "2026-10-08T12:00Z"]
    [row, *_] = data(sun_outages_command, args, tmp_path, "csv")
    assert (row["season_cut_by_window_start"], row["season_cut_by_window_end"]) == ("false", "true")
    args = ["--start", "2026-10-01T00:00Z", "--end", "2026-10-20T00:00Z"]
    whole = data(sun_outages_command, args, tmp_path, "json")["autumn 2026"]
    assert (whole["cut_by_window_start"], whole["cut_by_window_end"], whole["days"]) == (
        False,
        False,
        5,
    )


# --- an explicit window: the heading says what the fields say -------------------------------


def test_an_explicit_window_marks_only_the_seasons_it_cuts(tmp_path):
    # Baku's autumn 2026 outage season is 7-11 October: a window of 1 September + 60 days holds
    # all of it (no mark, and "5 days"); one ending 9 October holds its first days only.
    for days, cut in (("60", False), ("38.5", True)):
        args = ["--start", "2026-09-01T00:00Z", "--days", days]
        (autumn,) = [x for x in run(sun_outages_command, args, tmp_path) if x.startswith("Autumn")]
        fields = data(sun_outages_command, args, tmp_path, "json")["autumn 2026"]
        assert (CUT in autumn) is cut, autumn
        assert fields["cut_by_window_end"] is cut and fields["cut_by_window_start"] is False
        if not cut:
            assert "5 days" in autumn, autumn


def test_an_explicit_window_holding_a_whole_eclipse_season_does_not_mark_it(tmp_path):
    # the autumn 2026 eclipse season runs 30/31 August - 15 October: 20 August + 70 days holds it
    args = ["--start", "2026-08-20T00:00Z", "--days", "70", "--summary"]
    (autumn,) = [x for x in run(eclipses_command, args, tmp_path) if x.startswith("Autumn 2026")]
    assert CUT not in autumn and "47 days" in autumn, autumn
