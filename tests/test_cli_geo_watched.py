"""`geo` without SATELLITE points at the watched geostationary satellites, as `passes` takes
the watch list (bundled default: Azerspace-1, Azerspace-2, SPOT 7; SPOT 7 is not one).

Was: a usage error ("give a SATELLITE"). The expectation is the explicit call: the same
documents, rows and blocks as ``geo 39079 43632``, the multi-satellite form of
tests/test_cli_geo_many.py.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from passpredict.cli.root import main

AT = ["--at", "2026-08-22T00:00Z"]
SPOT7 = str(Path(__file__).parent / "data" / "visibility" / "spot7_40053_2026-05-30.tle")


def run(home: Path, *args: str):
    return CliRunner().invoke(
        main, list(args), env={"PASSPREDICT_HOME": str(home), "COLUMNS": "100"}
    )


def test_json_and_csv_are_the_explicit_call_of_the_watched_geostationary_ones(tmp_path):
    for fmt in ("json", "csv", "table"):
        watched = run(tmp_path, "geo", *AT, "--format", fmt)
        explicit = run(tmp_path, "geo", "39079", "43632", *AT, "--format", fmt)
        assert watched.exit_code == 0, watched.output
        assert watched.stdout == explicit.stdout, fmt
    documents = json.loads(run(tmp_path, "geo", *AT, "--format", "json").stdout)
    assert [d["norad_id"] for d in documents] == [39079, 43632]  # SPOT 7 is left out
    rows = list(csv.DictReader(io.StringIO(run(tmp_path, "geo", *AT, "--format", "csv").stdout)))
    assert [r["norad_id"] for r in rows] == ["39079", "43632"]
    table = run(tmp_path, "geo", *AT).stdout
    assert table.count("(NORAD 39079) from") == 1 and table.count("(NORAD 43632) from") == 1


def test_no_geostationary_satellite_watched_is_a_one_line_usage_error(tmp_path):
    for norad in ("39079", "43632"):
        assert run(tmp_path, "tle", "remove", norad).exit_code == 0
    result = run(tmp_path, "geo", *AT)
    assert result.exit_code == 2 and result.stdout == ""
    (error,) = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert "no geostationary satellite is watched" in error
    assert "give a SATELLITE" in error and "passpredict tle add NORAD" in error
    in_file = run(tmp_path, "geo", "--tle-file", SPOT7, *AT)
    assert in_file.exit_code == 2
    assert f"no geostationary satellite is in {SPOT7}" in in_file.stderr
    assert "Traceback" not in result.output + in_file.output
