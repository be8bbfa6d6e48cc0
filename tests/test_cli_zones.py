"""Observers given by coordinates get the local time of that place (issue 14), on every command."""

from __future__ import annotations

from click.testing import CliRunner

from passpredict.cli.root import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_passes_at_coordinates_are_in_the_zone_of_that_place():
    # Tromsø keeps Norway's clock: in August, UTC+02:00 (was UTC before issue 14).
    result = run(
        "passes",
        "--lat",
        "69.6492",
        "--lon",
        "18.9553",
        "--start",
        "2026-08-22T00:00Z",
        "--days",
        "0.5",
    )
    assert result.exit_code == 0, result.stderr
    assert "times in Europe/Oslo (UTC+02:00)" in result.stdout


def test_tz_and_utc_still_win_over_the_place():
    for flag in (["--tz", "Asia/Tokyo"], ["--utc"]):
        result = run(
            "passes",
            "--lat",
            "69.6492",
            "--lon",
            "18.9553",
            "--start",
            "2026-08-22T00:00Z",
            "--days",
            "0.5",
            *flag,
        )
        assert result.exit_code == 0, result.stderr
        assert "Europe/Oslo" not in result.stdout
        assert ("Asia/Tokyo" if flag[0] == "--tz" else "times in UTC") in result.stdout


def test_geo_from_coordinates_shows_the_local_time():
    result = run(
        "geo",
        "azerspace-1",
        "--lat",
        "-0.1807",
        "--lon",
        "-78.4678",
        "--at",
        "2026-08-22T17:00Z",
    )
    # Azerspace-1 at 46 E is below Quito's horizon; the time is still Ecuador's (UTC-05:00).
    assert result.exit_code == 0, result.stderr
    assert "America/Guayaquil (UTC-05:00)" in result.stdout
