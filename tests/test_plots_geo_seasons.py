"""`plot sun-outages` and `plot eclipses` (issue 14): the seasons as pictures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from passpredict.cli.plot import plot_group
from passpredict.products.geo.eclipses import find_eclipses, group_seasons
from tle_cache.bundled import load_bundled

pytest.importorskip("matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
AUGUST = "2026-08-22T00:00Z"


def run(*args: str):
    result = CliRunner().invoke(plot_group, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_both_commands_have_help():
    for command in ("sun-outages", "eclipses"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "--output" in result.stdout


def test_sun_outages_picture_of_the_next_two_seasons(tmp_path):
    output = tmp_path / "outages.png"
    result = run("sun-outages", "azerspace-1", "--start", AUGUST, "-o", str(output))
    assert result.exit_code == 0, result.stderr
    assert output.read_bytes().startswith(PNG_MAGIC)
    # October 2026 and March 2027 for a 1.2 m Ku-band dish (the README's figures).
    assert "outage days" in result.stderr


def test_eclipse_chart_has_one_bar_pair_per_night(astronomy):
    from passpredict.output.plots.eclipses import eclipse_season_chart

    azerspace_1 = next(es for es in load_bundled() if es.norad_id == 39079)
    eclipses = find_eclipses(
        azerspace_1, datetime(2026, 8, 22, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), astronomy
    )
    (season,) = group_seasons(eclipses)
    figure = eclipse_season_chart(season.eclipses)
    (ax,) = [a for a in figure.axes if a.get_title()]
    bars = ax.patches
    with_umbra = sum(e.umbra_entry_utc is not None for e in season.eclipses)
    assert len(bars) == len(season.eclipses) + with_umbra
    # The tallest bar is the longest eclipse, in minutes; the title names its night.
    assert max(b.get_height() for b in bars) == pytest.approx(season.longest.duration_s / 60)
    assert f"longest {round(season.longest.duration_s / 60)} min" in ax.get_title()
    assert "22 Sep" in ax.get_title()  # the README: longest on 22 September


def test_eclipses_picture_is_written(tmp_path):
    output = tmp_path / "eclipses.svg"
    result = run("eclipses", "azerspace-1", "--start", AUGUST, "-o", str(output))
    assert result.exit_code == 0, result.stderr
    assert output.read_text().lstrip().startswith("<?xml")


def test_eclipses_of_a_low_orbit_are_refused_in_one_line(tmp_path):
    result = run("eclipses", "spot7", "--start", AUGUST, "-o", str(tmp_path / "e.png"))
    assert result.exit_code == 2
    assert "is not geostationary" in result.stderr
    assert sum(line.startswith("Error:") for line in result.stderr.splitlines()) == 1


def test_sun_outages_for_two_observers_is_refused(tmp_path):
    result = run(
        "sun-outages",
        "azerspace-1",
        "--observer",
        "Baku",
        "--observer",
        "Ganja",
        "-o",
        str(tmp_path / "o.png"),
    )
    assert result.exit_code == 2
    assert "one observer" in result.stderr
