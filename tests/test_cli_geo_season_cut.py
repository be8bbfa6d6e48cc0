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
