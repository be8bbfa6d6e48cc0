"""Numbers and dates at their limits, and outputs that cannot be written: one line, exit 2.

Every case here was a traceback (OverflowError, ValueError, FileNotFoundError) or an exit 1
for a usage error, found by trying each option of each command with huge, tiny, NaN and
infinite values (issue 10). The sweep over float options walks the command tree, so an option
added later is tried too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import click
import pytest
from cli_walk import leaf_commands
from click.testing import CliRunner

import passpredict.cli.geo_options
import passpredict.cli.root
from passpredict.cli.root import main
from passpredict.inputs.param_types import EARLIEST_UTC, LATEST_UTC, LONGEST_WINDOW_DAYS

PROGRAM = Path(sys.executable).with_name("passpredict")

#: What each command needs besides the option under test, so that the option is what fails.
REQUIRED: dict[tuple[str, ...], list[str]] = {
    ("passes",): [],
    ("track",): ["spot7"],
    ("geo",): ["azerspace-1"],
    ("sun-outages",): ["azerspace-1"],
    ("eclipses",): ["azerspace-1"],
    ("plot", "sky"): ["-o", "x.png"],
    ("plot", "track"): ["spot7", "-o", "x.png"],
    ("plot", "timeline"): ["-o", "x.png"],
    ("plot", "sun-outages"): ["azerspace-1", "-o", "x.png"],
    ("plot", "eclipses"): ["azerspace-1", "-o", "x.png"],
    ("observers", "add"): ["Roof", "--lat", "1", "--lon", "1"],
    ("tle", "refresh"): [],
    ("watch",): ["spot7", "--passes", "1"],
}


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Run in a scratch directory: the `-o x.png` of a plot that wrongly ran lands there."""
    monkeypatch.chdir(tmp_path)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _one_line_usage_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _float_options():
    """Every (command path, option, arity) whose value is a number of degrees, metres, ..."""
    for path, command in leaf_commands(main):
        for param in command.params:
            if not isinstance(param, click.Option) or param.is_flag:
                continue
            types = getattr(param.type, "types", [param.type])
            floats = [isinstance(t, click.types.FloatParamType) for t in types]
            named = param.type.name in ("latitude_deg", "longitude_deg", "elevation_m")
            if any(floats) or named:
                yield path, param.opts[0], max(param.nargs, 1)


FLOAT_OPTIONS = sorted(_float_options())


def test_the_sweep_finds_the_options_it_is_meant_to():
    found = {(path, option) for path, option, _ in FLOAT_OPTIONS}
    for expected in (
        (("passes",), "--days"),
        (("passes",), "--min-elevation"),
        (("passes",), "--lat"),
        (("passes",), "--alt"),
        (("track",), "--step"),
        (("track",), "--minutes"),
        (("sun-outages",), "--dish-m"),
        (("plot", "track"), "--extent"),
        (("observers", "add"), "--alt"),
    ):
        assert expected in found
    assert {path for path, _ in found} <= set(REQUIRED)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
@pytest.mark.parametrize(("path", "option", "arity"), FLOAT_OPTIONS)
def test_no_float_option_takes_nan_or_infinity(path, option, arity, value):
    # was: --min-elevation nan exit 1, --days nan a ValueError traceback, --frequency-mhz inf
    # accepted, --min-elevation nan on track printed nothing, exit 0
    extra = [a for a in REQUIRED[path] if a != option]
    if option in ("--lat", "--lon") and path != ("observers", "add"):
        extra += ["--lon" if option == "--lat" else "--lat", "1"]
    values = [value, *["1"] * (arity - 1)]
    result = run(*path, *extra, option, *values)
    _one_line_usage_error(result, option)


@pytest.mark.parametrize(
    "args",
    [
        ["passes", "--days", "1e9"],
        ["passes", "--days", "1e8"],
        ["passes", "--days", "3000000"],
        ["track", "spot7", "--minutes", "1e12"],
        ["sun-outages", "azerspace-1", "--days", "1e9"],
        ["eclipses", "azerspace-1", "--days", "1e9"],
        ["plot", "sky", "-o", "x.png", "--days", "1e9"],
        ["plot", "track", "spot7", "-o", "x.png", "--hours", "1e12"],
    ],
)
def test_huge_window_lengths_are_refused_before_any_date_arithmetic(args):
    # was: OverflowError tracebacks (timedelta or datetime out of range)
    _one_line_usage_error(run(*args), "at most")


@pytest.mark.parametrize(
    "args",
    [
        ["passes", "--start", "9999-12-31T00:00Z"],
        ["passes", "--start", "9999-12-31T23:00-05:00"],  # the year 10000 in UTC
        ["passes", "--start", "0001-01-01T00:00+01:00"],  # the year 0 in UTC
        ["passes", "--end", "9999-12-31T23:59Z"],
        ["passes", "--start", "2060-01-01T00:00Z"],  # past the Sun ephemeris
        ["track", "spot7", "--start", "9999-12-31T23:00Z"],
        ["sun-outages", "azerspace-1", "--start", "9999-12-01T00:00Z"],
        ["eclipses", "azerspace-1", "--start", "9999-12-01T00:00Z"],
        ["eclipses", "spot7", "--start", "9999-12-31T12:00Z"],
        ["geo", "azerspace-1", "--at", "9999-12-31T23:00Z"],
        ["plot", "sky", "-o", "x.png", "--start", "9999-12-31T23:00Z"],
    ],
)
def test_instants_outside_the_supported_span_are_usage_errors(args):
    # was: OverflowError tracebacks, or a skyfield "ephemeris segment only covers" exit 1
    _one_line_usage_error(run(*args), "outside the supported span 1900-01-01 to 2051-01-01")


def test_the_supported_span_and_longest_window_lie_inside_the_shipped_ephemeris(astronomy):
    # so no command can ask the Sun of a time the file does not cover (was: skyfield's
    # "ephemeris segment only covers dates 1899-07-29 through 2053-10-09" for --start 2060)
    ts = astronomy.timescale
    first = min(s.spk_segment.start_jd for s in astronomy.ephemeris.segments)
    last = max(s.spk_segment.end_jd for s in astronomy.ephemeris.segments)
    assert ts.from_datetime(EARLIEST_UTC - timedelta(days=1)).tdb > first
    latest_end = LATEST_UTC + timedelta(days=LONGEST_WINDOW_DAYS + 1)
    assert ts.from_datetime(latest_end).tdb < last
    assert (
        max(passpredict.cli.root.MAX_WINDOW_DAYS, passpredict.cli.geo_options.MAX_WINDOW_DAYS)
        <= LONGEST_WINDOW_DAYS
    )


@pytest.mark.parametrize(
    "args",
    [
        ["track", "spot7", "--step", "1e-9"],
        ["track", "spot7", "--step", "1e300"],
        ["plot", "track", "spot7", "-o", "x.png", "--step", "1e-9"],
        ["plot", "track", "spot7", "-o", "x.png", "--step", "1e300"],  # was: a 1-point "track"
        ["passes", "--frequency-mhz", "1e300"],
        ["track", "spot7", "--frequency-mhz", "1e300"],
    ],
)
def test_steps_and_frequencies_out_of_range_are_usage_errors(args):
    _one_line_usage_error(run(*args), "not in the range")


@pytest.mark.parametrize(
    "args",
    [
        ["passes", "--twilight", "nan"],
        ["passes", "--std-mag", "nan"],
        ["passes", "--std-mag", "25544=inf"],
        ["passes", "--lat", "1e400", "--lon", "1"],
    ],
)
def test_numbers_inside_text_options_refuse_nan_and_infinity_too(args):
    _one_line_usage_error(run(*args))


def test_an_empty_window_is_a_usage_error():
    # refused by the option since sweep 15 (the window's own check said "is not after its start")
    _one_line_usage_error(run("passes", "--days", "1e-300"), "--days", "at least a microsecond")
    _one_line_usage_error(
        run("passes", "--start", "2026-05-31T00:00Z", "--end", "2026-05-31T00:00Z"),
        "is not after its start",
    )


# --- plot: check what can be checked before computing ----------------------------------------


def _nothing_computed(home: Path) -> bool:
    """The first computing step selects element sets, which creates the store in the home."""
    return not home.exists()


def test_plot_into_an_unwritable_place_fails_first_in_one_line(isolated_home):
    pytest.importorskip("matplotlib")
    # was: a FileNotFoundError traceback after the whole prediction
    result = run("plot", "sky", "--start", "2026-05-31T00:00Z", "-o", "/proc/nope.png")
    _one_line_usage_error(result, "--output", "cannot create a file in /proc")
    assert _nothing_computed(isolated_home)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_plot_into_a_read_only_folder_fails_first_in_one_line(isolated_home, tmp_path):
    pytest.importorskip("matplotlib")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run("plot", "timeline", "-o", str(folder / "t.png"))
    finally:
        folder.chmod(0o755)
    _one_line_usage_error(result, "--output", "cannot create a file in")
    assert _nothing_computed(isolated_home)


@pytest.mark.skipif(not PROGRAM.exists(), reason="console script not installed")
@pytest.mark.parametrize(
    "command", [["sky"], ["track", "spot7"], ["timeline"]], ids=["sky", "track", "timeline"]
)
def test_plot_without_matplotlib_says_so_before_computing(tmp_path, command):
    # a real process in which `import matplotlib` fails, as on an install without the extra
    shim = tmp_path / "shim" / "matplotlib"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError(\"No module named 'matplotlib'\")\n")
    home = tmp_path / "home"
    env = dict(os.environ, PYTHONPATH=str(shim.parent), PASSPREDICT_HOME=str(home))
    result = subprocess.run(
        [str(PROGRAM), "plot", *command, "-o", str(tmp_path / "p.png")],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "needs matplotlib" in lines[0] and "pip install 'passpredict[notebooks]'" in lines[0]
    # was: the element sets were chosen (creating the store) and every pass computed first
    assert _nothing_computed(home)


@pytest.mark.parametrize("command", [["sun-outages"], ["plot", "sun-outages", "-o", "x.png"]])
def test_a_dish_too_wide_for_an_outage_threshold_is_a_usage_error_naming_it(command):
    # found by a CLI sweep: a 0.6 m dish at 1.5 GHz (L band) was 'Error: threshold_deg must
    # be above 0 and at most 10, got 11.92515558888889', exit 1, naming no option
    result = run(*command, "azerspace-1", "--dish-m", "0.6", "--frequency-ghz", "1.5")
    _one_line_usage_error(result, "--dish-m 0.6", "--frequency-ghz 1.5", "11.93", "--threshold-deg")
