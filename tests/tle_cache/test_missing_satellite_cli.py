"""`passpredict passes ISS` on a fresh install: the error names the exact fix, and the fix works.

The fix is run as printed (`tle add`, then `tle refresh` against a local gp.php standing in
for CelesTrak), then the same `passes` command succeeds.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest
from celestrak_server import NOT_UPDATED_BODY, CelestrakServer, Reply, load_sets, omm_body
from click.testing import CliRunner

from passpredict.cli.root import main

WINDOW = ["--start", "2026-08-22T12:00Z", "--days", "1"]


@pytest.fixture
def server():
    with CelestrakServer() as running:
        running.route("CATNR=25544", Reply(200, omm_body(load_sets("iss_25544_last4.tle")[-1:])))
        for tracked in (39079, 43632, 40053):  # the watch list's others: "not modified"
            running.route(f"CATNR={tracked}", Reply(403, NOT_UPDATED_BODY, "text/plain"))
        yield running


def run(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.mark.parametrize("query", ["ISS", "25544"])
def test_a_satellite_not_stored_names_the_commands_that_fetch_it(query, server):
    result = run("passes", query, *WINDOW)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    # was "unknown satellite 'ISS'" / "fetch its elements (passpredict tle refresh)", which
    # does not fetch an unwatched satellite
    assert "no element set for ISS (ZARYA) (NORAD 25544) in the element store" in line
    assert "or give --tle-file FILE" in line
    (fix,) = re.findall(r"fetch it: (passpredict tle add 25544 && passpredict tle refresh)", line)
    for command in fix.split(" && "):
        done = run(*shlex.split(command)[1:], env={"PASSPREDICT_CELESTRAK_URL": server.url})
        assert done.exit_code == 0, done.stderr
    assert [r.key for r in server.seen()][-1] == "CATNR=25544"
    after = run("passes", query, *WINDOW, "--format", "json")
    assert after.exit_code == 0, after.stderr
    data = json.loads(after.stdout)
    assert [s["norad_id"] for s in data["satellites"]] == [25544] and data["passes"]
