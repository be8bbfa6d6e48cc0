"""`passpredict observers` through click's CliRunner: exit codes, stdout data, stderr messages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from passpredict.cli.observers import observers_group

BUILTIN_NAMES = ["Baku", "Shamakhi Astrophysical Observatory", "Ganja", "Nakhchivan"]
JSON_KEYS = {"name", "latitude_deg", "longitude_deg", "elevation_m", "timezone", "builtin"}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PASSPREDICT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def observers_file(home: Path) -> Path:
    return home / "observers.toml"


def run(*args: str):
    result = CliRunner().invoke(observers_group, list(args), prog_name="passpredict observers")
    if result.exit_code in (0, 1, 2):
        # Handled outcomes only: an escaped exception would be a traceback for the user.
        assert result.exception is None or isinstance(result.exception, SystemExit), result
    return result


def listed(*extra: str) -> list[dict]:
    result = run("list", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_list_json_gives_the_builtins_with_the_documented_keys(home):
    rows = listed()
    assert [row["name"] for row in rows] == BUILTIN_NAMES
    assert all(set(row) == JSON_KEYS for row in rows)
    assert all(row["builtin"] is True and row["timezone"] == "Asia/Baku" for row in rows)
    assert rows[0] == {
        "name": "Baku",
        "latitude_deg": 40.4093,
        "longitude_deg": 49.8671,
        "elevation_m": -28.0,
        "timezone": "Asia/Baku",
        "builtin": True,
    }


def test_list_table_shows_every_name_on_stdout(home):
    result = run("list")
    assert result.exit_code == 0
    for name in BUILTIN_NAMES:
        assert name in result.stdout
    assert "default" in result.stdout
    assert "observers.toml" in result.stderr and "observers.toml" not in result.stdout


def test_add_then_list_then_remove(home, observers_file):
    result = run(
        "add", "My Roof", "--lat", "40.39", "--lon", "49.85", "--alt", "30", "--tz", "Asia/Baku"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Added 'My Roof' (40.3900N 49.8500E, 30 m, Asia/Baku)" in result.stderr
    assert observers_file.exists()

    rows = listed()
    assert rows[-1] == {
        "name": "My Roof",
        "latitude_deg": 40.39,
        "longitude_deg": 49.85,
        "elevation_m": 30.0,
        "timezone": "Asia/Baku",
        "builtin": False,
    }

    result = run("remove", "my roof")
    assert result.exit_code == 0, result.stderr
    assert "Removed" in result.stderr
    assert [row["name"] for row in listed()] == BUILTIN_NAMES


def test_add_takes_hemisphere_letters_and_defaults(home):
    result = run("add", "Lima", "--lat", "12.05S", "--lon", "77.04 w")
    assert result.exit_code == 0, result.stderr
    lima = listed()[-1]
    assert (lima["latitude_deg"], lima["longitude_deg"]) == (-12.05, -77.04)
    # Issue 14: without --tz the zone of that place (was None, i.e. UTC).
    assert (lima["elevation_m"], lima["timezone"]) == (0.0, "America/Lima")
    assert "time zone of that place" in result.stderr


def test_add_takes_negative_numbers_as_option_values(home):
    assert run("add", "South", "--lat", "-33.9", "--lon", "-70.6", "--alt", "-10").exit_code == 0
    assert listed()[-1]["latitude_deg"] == -33.9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lat", "123", "--lon", "1"], "latitude_deg must be between -90 and +90, got 123.0"),
        (["--lat", "1", "--lon", "181"], "longitude_deg must be between -180 and +180, got 181.0"),
        (["--lat", "-40S", "--lon", "1"], "both a sign and a hemisphere letter; give one"),
        (["--lat", "abc", "--lon", "1"], "latitude must be decimal degrees such as 40.5, -40.5"),
        (["--lat", "40E", "--lon", "1"], "latitude must be decimal degrees"),
        (["--lat", "nan", "--lon", "1"], "latitude must be"),
        (["--lat", "inf", "--lon", "1"], "latitude must be a finite number"),
        (["--lat", "1", "--lon", "1", "--alt", "20000"], "elevation_m must be between"),
        (["--lat", "1", "--lon", "1", "--tz", "Asia/Bakuu"], "did you mean 'Asia/Baku'"),
        (["--lon", "1"], "Missing option '--lat'"),
    ],
)
def test_add_bad_values_are_usage_errors(home, observers_file, args, message):
    result = run("add", "Somewhere", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not observers_file.exists()


@pytest.mark.parametrize("name", ["Baku", "shamakhi", "Gəncə"])
def test_add_refuses_builtin_names(home, name):
    result = run("add", name, "--lat", "1", "--lon", "1")
    assert result.exit_code == 2
    assert "name of the built-in observer" in result.stderr


def test_add_refuses_a_taken_name(home):
    assert run("add", "My Roof", "--lat", "1", "--lon", "1").exit_code == 0
    result = run("add", "MY-ROOF", "--lat", "2", "--lon", "2")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert "passpredict observers remove 'My Roof'" in result.stderr


def test_add_refuses_an_empty_name(home):
    result = run("add", " ", "--lat", "1", "--lon", "1")
    assert result.exit_code == 2
    assert "observer name must contain a letter or digit" in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [("Baku", "built-in observer and cannot be removed"), ("Nowhere", "no user observer named")],
)
def test_remove_errors_are_usage_errors(home, name, message):
    result = run("remove", name)
    assert result.exit_code == 2
    assert message in result.stderr


def test_broken_file_is_a_runtime_error_everywhere_and_kept(home, observers_file):
    observers_file.parent.mkdir(parents=True)
    observers_file.write_text('[observers."My Roof"\nlatitude_deg = 1\n', encoding="utf-8")
    before = observers_file.read_bytes()
    for args in (
        ["list"],
        ["list", "--format", "json"],
        ["add", "Other", "--lat", "1", "--lon", "1"],
        ["remove", "My Roof"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"Error: {observers_file}: not valid TOML")
        assert "Traceback" not in result.stderr
    assert observers_file.read_bytes() == before


def test_home_is_read_at_call_time(tmp_path, monkeypatch):
    for sub in ("one", "two"):
        monkeypatch.setenv("PASSPREDICT_HOME", str(tmp_path / sub))
        assert run("add", f"Roof {sub}", "--lat", "1", "--lon", "1").exit_code == 0
    assert [row["name"] for row in listed()][4:] == ["Roof two"]
    assert (tmp_path / "one" / "observers.toml").exists()


@pytest.mark.parametrize("args", [[], ["list"], ["add"], ["remove"]])
def test_every_command_has_help(home, args):
    result = run(*args, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: passpredict observers")
    body = result.stdout.split("\n\n", 2)[1].strip()
    assert len(body) > 20


def test_group_attaches_to_a_main_cli(home):
    @click.group()
    def main() -> None:
        """Stand-in for passpredict.cli.root.main."""

    main.add_command(observers_group)
    result = CliRunner().invoke(main, ["observers", "list", "--format", "json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 4


def test_add_without_tz_where_no_zone_is_known_keeps_utc(home, monkeypatch):
    # A zone name the installed tzdata cannot load is not stored: UTC, and no claim.
    monkeypatch.setattr("passpredict.cli.observers.zone_at", lambda lat, lon: None)
    result = run("add", "Somewhere", "--lat", "10", "--lon", "10")
    assert result.exit_code == 0, result.stderr
    assert listed()[-1]["timezone"] is None
    assert "time zone of that place" not in result.stderr


def test_add_with_tz_keeps_the_given_zone(home):
    result = run("add", "Roof", "--lat", "40.39", "--lon", "49.85", "--tz", "UTC")
    assert result.exit_code == 0, result.stderr
    assert listed()[-1]["timezone"] == "UTC"


@pytest.fixture
def platform_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """No PASSPREDICT_HOME: the platform's directories (XDG on Linux), both under tmp_path."""
    monkeypatch.delenv("PASSPREDICT_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "config" / "passpredict", tmp_path / "data" / "passpredict"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG directories")
def test_without_passpredict_home_the_file_is_in_the_config_directory(platform_dirs):
    config, data = platform_dirs
    result = run("add", "Roof", "--lat", "1", "--lon", "1")
    assert result.exit_code == 0 and str(config / "observers.toml") in result.stderr
    assert (config / "observers.toml").exists() and not data.exists()
    assert "Moved" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG directories")
def test_the_old_file_is_read_and_the_first_write_moves_it_saying_so_once(platform_dirs):
    config, data = platform_dirs
    data.mkdir(parents=True)
    old = data / "observers.toml"
    old.write_text('# mine\n[observers."Old Roof"]\nlatitude_deg = 2.0\nlongitude_deg = 3.0\n')
    assert [row["name"] for row in listed()][4:] == ["Old Roof"]  # read where it was
    result = run("add", "New Roof", "--lat", "1", "--lon", "1")
    assert result.exit_code == 0, result.stderr
    [moved] = [line for line in result.stderr.splitlines() if line.startswith("Moved")]
    assert str(old) in moved and str(config / "observers.toml") in moved
    assert not old.exists()
    assert (config / "observers.toml").read_text().startswith("# mine\n")  # comments kept
    assert [row["name"] for row in listed()][4:] == ["Old Roof", "New Roof"]
    again = run("remove", "new roof")
    assert again.exit_code == 0 and "Moved" not in again.stderr


def test_passpredict_home_keeps_the_file_under_it(home, platform_dirs, monkeypatch):
    monkeypatch.setenv("PASSPREDICT_HOME", str(home))
    config, data = platform_dirs
    assert run("add", "Roof", "--lat", "1", "--lon", "1").exit_code == 0
    assert (home / "observers.toml").exists() and not config.exists() and not data.exists()


def test_a_negative_zero_is_written_without_its_sign(home: Path) -> None:
    """Was: ``--alt -0`` printed "-0 m", and a latitude a hair below 0 printed "-0.0000"."""
    result = run("add", "Null Island", "--lat", "-0.00001", "--lon", "-0.000001", "--alt", "-0")
    assert result.exit_code == 0, result.output
    assert "Added 'Null Island' (0.0000N 0.0000E, 0 m, " in result.stderr
    table = run("list").stdout
    (row,) = [line for line in table.splitlines() if line.startswith("Null Island")]
    cells = [cell.strip() for cell in row.split("│")]
    assert cells[1:4] == ["0.0000", "0.0000", "0"]
    assert "-0" not in row


def test_geo_text_places_round_to_zero_without_a_sign() -> None:
    from passpredict.output.geo_text import hemisphere, place
    from passpredict.records import Observer

    assert hemisphere(-0.0001, "EW") == "0.000°E"
    assert hemisphere(-0.001, "EW") == "0.001°W"
    spot = Observer("spot", -0.00001, -0.00001, -0.0)
    assert place(spot) == "spot (0.0000N 0.0000E, 0 m)"
