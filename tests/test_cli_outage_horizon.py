"""`sun-outages` for a satellite low in the sky that rises and sets every day.

The "no link" refusal looked at the elevation at the window start only, so the same question
asked at another hour was refused. The independent expectation: TIANTONG-1 3 wobbles from
-1.1 to +2.2 deg seen from Tromso (tests/data/geo/PROVENANCE.md), up part of every day.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from click.testing import CliRunner

from passpredict.cli.sun_outages import sun_outages_command

NOW = datetime(2026, 8, 20, 12, tzinfo=UTC)

TIANTONG = "tests/data/geo/tiantong-1-3_47321_2026-08-22.tle"
PLACE = ["47321", "--tle-file", TIANTONG, "--lat", "69.65", "--lon", "18.96", "-q"]


def outage_peaks(start, home):
    result = CliRunner().invoke(
        sun_outages_command,
        [*PLACE, "--start", start, "--days", "200", "--format", "csv"],
        obj={"now_utc": NOW},
        env={"PASSPREDICT_HOME": str(home)},
    )
    assert result.exit_code == 0, result.output
    return [row["peak"] for row in csv.DictReader(io.StringIO(result.stdout))]


def test_a_satellite_that_rises_daily_does_not_depend_on_the_start_hour(tmp_path):
    # TIANTONG-1 3 wobbles from -1.1 to +2.2 deg seen from Tromso (tests/data/geo/PROVENANCE.md):
    # it is up part of every day, so a window starting while it is down still has its outages
    at_midnight = outage_peaks("2026-08-23T00:00Z", tmp_path)
    # (the autumn 2026 outages come while it is below the horizon, so only spring 2027's count:
    # tests/test_sun_outage_horizon.py)
    assert at_midnight and all(peak.startswith("2027-0") for peak in at_midnight)
    assert outage_peaks("2026-08-23T12:00Z", tmp_path) == at_midnight
