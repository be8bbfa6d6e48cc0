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


def test_a_window_across_a_clock_change_says_both_offsets():
    # found by a CLI sweep: a window across the end of summer time was headed "times in
    # Europe/London (UTC+01:00)" while its passes after 01:00 UTC on 25 October were (rightly)
    # in UTC+00:00; a window without a change keeps its one offset
    args = ("passes", "spot7", "--tz", "Europe/London", "--days", "1")
    across = run(*args, "--start", "2026-10-24T20:00Z")
    assert across.exit_code == 0, across.stderr
    assert "times in Europe/London (UTC+01:00 at the window start, UTC+00:00 at its end)" in (
        across.stdout
    )
    assert "Sun 25 Oct 06:03:24" in across.stdout  # 06:03:24 UTC, after the change
    within = run(*args, "--start", "2026-10-26T00:00Z")
    assert "times in Europe/London (UTC+00:00), minimum" in within.stdout
