"""`passpredict plot sky|track|timeline` through click: files written, errors on one line."""

import os
import stat

import pytest
from click.testing import CliRunner

from passpredict.cli.plot import plot_group

pytest.importorskip("matplotlib")

#: Near the SPOT 7 bundled epoch (2026-05-30), so the passes are real ones.
NEAR_EPOCH = "2026-05-31T00:00:00Z"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run(*args: str):
    result = CliRunner().invoke(plot_group, list(args))
    # never a traceback: either success or a clean SystemExit from click
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_every_command_has_help():
    for command in ([], ["sky"], ["track"], ["timeline"]):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.stdout
    assert "--output" in run("sky", "--help").stdout


def test_sky_writes_a_png(tmp_path):
    (tmp_path / "out").mkdir()
    output = tmp_path / "out" / "sky.png"
    result = run("sky", "spot7", "--start", NEAR_EPOCH, "--days", "1", "-o", str(output))
    assert result.exit_code == 0, result.stderr
    assert output.read_bytes().startswith(PNG_MAGIC)
    assert f"wrote {output}" in result.stderr
    assert result.stdout == ""
    # no temporary file left beside it, and the picture is readable like any new file
    assert [p.name for p in output.parent.iterdir()] == ["sky.png"]
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(output.stat().st_mode) == 0o666 & ~mask


def test_sky_best_passes_and_geostationary_stars(tmp_path):
    output = tmp_path / "sky.svg"
    result = run(
        "sky",
        "--observer",
        "Shamakhi",
        "--start",
        NEAR_EPOCH,
        "--days",
        "3",
        "--best",
        "2",
        "--output",
        str(output),
    )
    assert result.exit_code == 0, result.stderr
    assert "(2 passes, 2 geostationary)" in result.stderr
    assert "<svg" in output.read_text()


def test_sky_needs_one_observer_and_some_passes(tmp_path):
    output = tmp_path / "sky.png"
    result = run(
        "sky",
        "--observer",
        "Baku",
        "--observer",
        "Ganja",
        "--start",
        NEAR_EPOCH,
        "-o",
        str(output),
    )
    assert result.exit_code == 2
    assert "one observer's sky" in result.stderr
    result = run(
        "sky",
        "spot7",
        "--start",
        NEAR_EPOCH,
        "--days",
        "0.05",
        "--min-elevation",
        "89",
        "-o",
        str(output),
    )
    assert result.exit_code == 1
    assert "no passes above 89 deg in the window" in result.stderr
    assert not output.exists()


def test_track_writes_a_zoomed_map(tmp_path):
    output = tmp_path / "track.png"
    result = run(
        "track",
        "spot7",
        "--observer",
        "Baku",
        "--observer",
        "Nakhchivan",
        "--start",
        NEAR_EPOCH,
        "--hours",
        "2",
        "--extent",
        "20",
        "80",
        "20",
        "60",
        "--tz",
        "UTC",
        "-o",
        str(output),
    )
    assert result.exit_code == 0, result.stderr
    assert output.read_bytes().startswith(PNG_MAGIC)
    assert "(SPOT 7, 2 h)" in result.stderr


def test_track_refuses_an_inside_out_extent(tmp_path):
    result = run(
        "track", "spot7", "--extent", "80", "20", "20", "60", "-o", str(tmp_path / "t.png")
    )
    assert result.exit_code == 2
    assert "is not an area" in result.stderr


def test_timeline_with_an_adhoc_observer(tmp_path):
    output = tmp_path / "timeline.svg"
    result = run(
        "timeline",
        "--observer",
        "Baku",
        "--lat",
        "52.2",
        "--lon",
        "0.12",
        "--tz",
        "Europe/London",
        "--start",
        NEAR_EPOCH,
        "--days",
        "2",
        "-o",
        str(output),
    )
    assert result.exit_code == 0, result.stderr
    text = output.read_text()
    assert "<svg" in text


@pytest.mark.parametrize(
    ("name", "message"),
    [("out.jpg", "name a .png or .svg file, e.g. out.png"), ("out", "suffix '(none)'")],
)
def test_output_suffix_must_be_png_or_svg(tmp_path, name, message):
    result = run("timeline", "--start", NEAR_EPOCH, "-o", str(tmp_path / name))
    assert result.exit_code == 2
    assert message in result.stderr


def test_output_directory_must_exist(tmp_path):
    result = run("timeline", "--start", NEAR_EPOCH, "-o", str(tmp_path / "nowhere" / "t.png"))
    assert result.exit_code == 2
    assert "does not exist; create it first" in result.stderr


def test_unknown_satellite_and_long_windows_are_usage_errors(tmp_path):
    output = str(tmp_path / "t.png")
    result = run("timeline", "hubble-deep", "--start", NEAR_EPOCH, "-o", output)
    assert result.exit_code == 2
    assert "unknown satellite 'hubble-deep'" in result.stderr
    result = run("timeline", "--start", NEAR_EPOCH, "--days", "40", "-o", output)
    assert result.exit_code == 2
    assert "at most 31 days" in result.stderr and "got 40" in result.stderr
    result = run("timeline", "--lat", "40", "-o", output)
    assert result.exit_code == 2
    assert "--lat and --lon go together" in result.stderr


def test_missing_matplotlib_is_one_line_with_the_fix(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run("timeline", "--start", NEAR_EPOCH, "-o", str(tmp_path / "t.png"))
    assert result.exit_code == 1
    assert "pip install 'passpredict[notebooks]'" in result.stderr


def test_sky_visible_only_and_twilight(tmp_path):
    output = tmp_path / "visible.png"
    result = run(
        "sky", "spot7", "--start", NEAR_EPOCH, "--days", "1", "--visible-only",
        "--twilight", "nautical", "-o", str(output),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert output.read_bytes().startswith(PNG_MAGIC)
    result = run("sky", "spot7", "--twilight", "dusk", "-o", str(output))
    assert result.exit_code == 2
    assert "twilight 'dusk' is neither civil" in result.stderr
    result = run(
        "sky", "spot7", "--start", "2026-05-31T06:00:00Z", "--days", "0.2", "--visible-only",
        "-o", str(tmp_path / "none.png"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no visible passes above 10 deg" in result.stderr


def test_sky_without_passes_says_why_when_the_prediction_knows(tmp_path):
    # an orbit ~200 km up with a huge drag term (B* 0.1): SGP4 propagates it at its epoch but
    # finds it decayed a day later; the chart's error names that, as `passes` does in its
    # notes, besides the window
    from tle_cache.tle_columns import tle_checksum

    lines = [
        "1 99001U 26001A   26140.00000000  .00000000  00000-0  10000-1 0  999",
        "2 99001  51.6000  10.0000 0001000  90.0000   0.0000 16.30000000   10",
    ]
    tle = tmp_path / "sunk.tle"
    tle.write_text("SUNK\n" + "".join(f"{line}{tle_checksum(line)}\n" for line in lines))
    output = tmp_path / "sky.png"
    result = run("sky", "--tle-file", str(tle), "--start", "2026-05-22T00:00Z", "-o", str(output))
    assert result.exit_code == 1 and not output.exists()
    (line,) = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("Error: no passes above 10 deg in the window (SUNK (99001): ")
    assert "decayed or unusable elements at the window start" in line
