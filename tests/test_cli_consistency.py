"""One meaning per option across commands, no doubled answers, one CSV dialect (issue 10)."""

from __future__ import annotations

import csv
import io
import json
import math

import click
import pytest
from click.testing import CliRunner

from passpredict.cli.root import main
from passpredict.inputs.observers import parse_coordinate
from passpredict.records import Observer

NEAR_EPOCH = ("--start", "2026-05-31T00:00:00Z")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


# --- duplicates ------------------------------------------------------------------------------


def test_the_same_observer_twice_is_predicted_once():
    # was: every pass printed twice
    once = run("passes", "spot7", *NEAR_EPOCH, "--days", "1", "--format", "json")
    thrice = run(
        "passes", "spot7", *NEAR_EPOCH, "--days", "1", "--format", "json",
        "--observer", "Baku", "--observer", "baku", "--observer", "Bakı",
    )  # fmt: skip
    assert once.exit_code == thrice.exit_code == 0
    assert json.loads(thrice.stdout) == json.loads(once.stdout)
    assert len(json.loads(once.stdout)["observers"]) == 1


def test_same_coordinates_under_another_name_are_kept():
    result = run(
        "passes", "spot7", *NEAR_EPOCH, "--days", "1", "--format", "json",
        "--observer", "Baku", "--lat", "40.4093", "--lon", "49.8671", "--alt", "-28",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert [o["name"] for o in data["observers"]] == ["Baku", "40.4093N 49.8671E"]


def test_the_same_satellite_named_twice_is_predicted_once():
    args = ("passes", *NEAR_EPOCH, "--days", "1", "--format", "csv")
    once = run(*args, "spot7")
    assert run(*args, "spot7", "40053", "SPOT-7", "azersky").stdout == once.stdout


# --- coordinates: one parser, one meaning ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "axis", "expected"),
    [
        ("12.05S", "latitude", -12.05),
        ("12.05 s", "latitude", -12.05),
        ("40.4093°N", "latitude", 40.4093),
        ("-12.05", "latitude", -12.05),
        ("+12.05", "latitude", 12.05),
        ("77.04W", "longitude", -77.04),
        ("49.87e", "longitude", 49.87),
    ],
)
def test_parse_coordinate_reads_signs_and_hemisphere_letters(text, axis, expected):
    assert math.isclose(parse_coordinate(text, axis), expected)


@pytest.mark.parametrize(
    ("text", "axis", "message"),
    [
        ("-12.05S", "latitude", "both a sign and a hemisphere letter"),
        ("12.05E", "latitude", "latitude must be decimal degrees"),
        ("12.05N", "longitude", "longitude must be decimal degrees"),
        ("inf", "latitude", "finite"),
        ("", "latitude", "latitude must be decimal degrees"),
    ],
)
def test_parse_coordinate_refuses_what_it_cannot_read(text, axis, message):
    with pytest.raises(ValueError, match=message):
        parse_coordinate(text, axis)


SITE_SIGNED = ("--lat", "40.4093", "--lon", "49.8671")
SITE_LETTERS = ("--lat", "40.4093N", "--lon", "49.8671E")
SOUTH_WEST_SIGNED = ("--lat", "-12.05", "--lon", "-77.04")
SOUTH_WEST_LETTERS = ("--lat", "12.05S", "--lon", "77.04W")


@pytest.mark.parametrize(
    "args",
    [
        ["passes", "spot7", *NEAR_EPOCH, "--days", "1", "--format", "json"],
        ["track", "spot7", *NEAR_EPOCH, "--minutes", "20", "--format", "csv"],
        ["geo", "az1", "--at", "2026-08-23T00:00Z", "--format", "json"],
        ["sun-outages", "az1", "--start", "2026-10-01T00:00Z", "--days", "20", "--format", "json"],
    ],
    ids=["passes", "track", "geo", "sun-outages"],
)
def test_every_lat_lon_takes_hemisphere_letters(args):
    # was: observers add took 12.05S, --lat did not ("'12.05S' is not a valid float", exit 2)
    signed, letters = run(*args, *SITE_SIGNED), run(*args, *SITE_LETTERS)
    assert signed.exit_code == letters.exit_code == 0, letters.stderr
    assert letters.stdout == signed.stdout
    if args[0] in ("passes", "track"):
        assert run(*args, *SOUTH_WEST_LETTERS).stdout == run(*args, *SOUTH_WEST_SIGNED).stdout


def test_plot_lat_lon_take_hemisphere_letters(tmp_path):
    pytest.importorskip("matplotlib")
    result = run(
        "plot", "timeline", "spot7", *NEAR_EPOCH, *SOUTH_WEST_LETTERS, "-o", str(tmp_path / "t.png")
    )
    assert result.exit_code == 0, result.stderr


def test_observers_add_and_lat_read_a_coordinate_the_same_way(isolated_home):
    assert run("observers", "add", "Lima", *SOUTH_WEST_LETTERS).exit_code == 0
    stored = json.loads(run("observers", "list", "--format", "json").stdout)[-1]
    adhoc = json.loads(
        run(
            "passes", "spot7", *NEAR_EPOCH, "--days", "1", "--format", "json", *SOUTH_WEST_LETTERS
        ).stdout
    )["observers"][0]
    assert (stored["latitude_deg"], stored["longitude_deg"]) == (-12.05, -77.04)
    assert (adhoc["latitude_deg"], adhoc["longitude_deg"]) == (-12.05, -77.04)
    for bad in ("-12.05S", "12.05E"):
        assert run("observers", "add", "X", "--lat", bad, "--lon", "1").exit_code == 2
        assert run("passes", "--lat", bad, "--lon", "1").exit_code == 2


def _alt_options():
    def walk(group, prefix=()):
        ctx = click.Context(group)  # list/get: subcommands load when looked up
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if isinstance(command, click.Group):
                yield from walk(command, (*prefix, name))
            else:
                for param in command.params:
                    if "--alt" in getattr(param, "opts", ()):
                        yield (*prefix, name), param

    return list(walk(main))


def test_alt_means_the_same_height_in_every_help_text():
    # was: "above sea level" in observers add, "above the WGS84 ellipsoid" elsewhere; the code
    # always used it as an ellipsoidal height (Observer.elevation_m, skyfield's wgs84.latlon)
    options = _alt_options()
    assert {path for path, _ in options} >= {("passes",), ("observers", "add"), ("geo",)}
    for path, param in options:
        assert "Height in metres above the WGS84 ellipsoid" in param.help, path


def test_the_builtin_heights_are_what_the_observer_record_uses():
    baku = json.loads(run("observers", "list", "--format", "json").stdout)[0]
    assert Observer("Baku", 40.4093, 49.8671, baku["elevation_m"]).elevation_m == -28.0


# --- one CSV dialect: true / false -----------------------------------------------------------

CSV_RUNS = {
    "passes": ["passes", *NEAR_EPOCH, "--days", "1", "--format", "csv"],
    "passes-visible": ["passes", "spot7", *NEAR_EPOCH, "--days", "2", "--format", "csv"],
    "geo": ["geo", "az1", "--at", "2026-08-23T00:00Z", "--format", "csv"],
    "sun-outages": [
        "sun-outages", "az1", "--start", "2026-10-01T00:00Z", "--days", "20", "--format", "csv",
    ],
    "eclipses": [
        "eclipses", "az1", "--start", "2026-09-15T00:00Z", "--days", "5", "--format", "csv",
    ],
    "track": ["track", "spot7", *NEAR_EPOCH, "--format", "csv"],
}  # fmt: skip
BOOLEAN_COLUMNS = {
    "in_progress_at_start",
    "in_progress_at_end",
    "always_above_horizon",
    "station_kept",
    "visible",
    "sunlit",
    "above_horizon",
}


@pytest.mark.parametrize("name", list(CSV_RUNS))
def test_csv_booleans_are_lowercase_true_and_false(name):
    # was: Python's True / False
    result = run(*CSV_RUNS[name])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    cells = {cell for row in rows for cell in row.values()}
    assert not cells & {"True", "False"}
    for column in BOOLEAN_COLUMNS & set(rows[0]):
        assert {row[column] for row in rows} <= {"true", "false", ""}, column
    if name in ("geo", "sun-outages", "eclipses", "passes"):
        assert {row["station_kept"] for row in rows} & {"true", "false"}
