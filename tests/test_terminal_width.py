"""Human tables fit the terminal: nothing wraps at 80 columns, wider shows more, pipes get rows.

Checked the way a person meets it: the installed console script with stdout on a real
pseudo-terminal of 80x24 (and 160x50), every line measured in terminal cells (the star and the
degree sign included); and through click with COLUMNS=80, and as a pipe.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pty_run import run_in_pty, script
from rich.cells import cell_len

from passpredict.cli.root import main

VISIBILITY = Path(__file__).parent / "data" / "visibility"
ISS = [
    "--tle-file",
    str(VISIBILITY / "iss_25544_2026-08-21_22.tle"),
    "--start",
    "2026-08-22T12:00Z",
]

#: Every command and option set the terminal check covers (item: "A terminal is 80 columns").
COMMANDS = {
    "passes": ["passes", "--start", "2026-05-31T00:00Z", "--days", "3"],
    "passes-visible-only": [
        "passes", *ISS, "--days", "3", "--visible-only", "--std-mag", "25544=-1.8",
    ],
    "passes-frequency": [
        "passes", "spot7", "--start", "2026-05-31T00:00Z", "--days", "2",
        "--frequency-mhz", "145.8", "--std-mag", "40053=4",
    ],
    "passes-in-progress": [
        "passes", "spot7", "--start", "2026-05-31T05:21:00Z", "--end", "2026-05-31T07:00:00Z",
    ],
    "geo": ["geo", "azerspace-1", "--at", "2026-11-25T06:00Z"],
    "sun-outages": ["sun-outages", "azerspace-1", "--start", "2026-08-22T00:00Z"],
    "eclipses-geo": ["eclipses", "azerspace-1", "--start", "2026-08-22T00:00Z"],
    "eclipses-leo": ["eclipses", "spot7", "--start", "2026-05-30T00:00Z"],
    "tle-status": ["tle", "status"],
}  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("home")


def invoke(args: list[str], home: Path, **env: str):
    result = CliRunner().invoke(main, args, env={"PASSPREDICT_HOME": str(home), **env})
    assert result.exit_code == 0, result.output
    return result


def wider_than(text: str, columns: int) -> list[str]:
    return [line for line in text.splitlines() if cell_len(line) > columns]


def test_the_console_script_is_installed():
    assert script().exists(), "the pty tests run the installed 'passpredict' script"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_nothing_wraps_in_a_real_80x24_terminal(name, home):
    screen = run_in_pty(COMMANDS[name], home, columns=80, rows=24)
    assert screen.exit_code == 0, screen.stderr
    assert screen.text.strip(), "the command printed its table"
    assert screen.too_wide(80) == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_columns_80_is_honoured_when_stdout_is_not_a_terminal(name, home):
    result = invoke(COMMANDS[name], home, COLUMNS="80")
    assert wider_than(result.stdout, 80) == []


def _json_passes(args: list[str], home: Path) -> list[dict]:
    return json.loads(invoke([*args, "--format", "json"], home).stdout)["passes"]


def _hms(stamp: str) -> str:
    """Baku wall time of a JSON time, rounded to the nearest second."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(hours=4)
    return (moment + timedelta(milliseconds=500)).strftime("%H:%M:%S")


def test_at_80_columns_every_pass_keeps_its_times_and_visibility(home):
    args = COMMANDS["passes-visible-only"]
    passes = _json_passes(args, home)
    assert len(passes) >= 3
    screen = run_in_pty(args, home, columns=80)
    text = screen.text
    for p in passes:
        row = next(line for line in screen.lines if _hms(p["rise"]["time"]) in line)
        assert _hms(p["culmination"]["time"]) in row and _hms(p["set"]["time"]) in row
        assert _hms(p["visible_start"]["time"]) in text  # on the line under the pass
        assert f"mag ~{p['brightest_magnitude']:+.1f}" in text
    assert text.count("│ ★ visible") == len(passes)
    # the day is a heading over its passes instead of a date on every row
    assert "Sun 23 Aug 2026" in screen.lines


def test_at_80_columns_doppler_moves_under_each_pass(home):
    screen = run_in_pty(COMMANDS["passes-frequency"], home, columns=80)
    n = len(_json_passes(COMMANDS["passes-frequency"], home))
    assert len(re.findall(r"Doppler [+-]\d\.\d\d [+-]\d\.\d\d [+-]\d\.\d\d kHz", screen.text)) == n


def test_the_held_at_station_note_is_wrapped_under_the_table(home):
    screen = run_in_pty(COMMANDS["sun-outages"], home, columns=80)
    note_at = next(i for i, line in enumerate(screen.lines) if "Note: held at station" in line)
    # the note, 190 characters, follows the last table row on three lines
    lines = screen.lines[note_at : note_at + 3]
    assert all(cell_len(line) <= 80 for line in lines)
    note = " ".join(" ".join(lines).split())
    assert note.endswith(
        "its epoch orbit's longitude and daily libration instead of the model's drift."
    )
    assert "│" in screen.lines[note_at - 1]


def test_an_empty_magnitude_column_is_left_out(home):
    # 160 columns: wide enough for the one-line layout, with the visibility column
    screen = run_in_pty(COMMANDS["passes"], home, columns=160, rows=50)
    header = next(line for line in screen.lines if line.startswith("Satellite ┃ Rise"))
    assert "Visible" in header and "Mag" not in header  # no --std-mag: no magnitudes
    with_mag = run_in_pty(COMMANDS["passes-visible-only"], home, columns=160, rows=50)
    assert any(re.search(r"┃ +Mag", line) for line in with_mag.lines)


def test_a_wide_terminal_shows_one_line_per_pass(home):
    args = COMMANDS["passes-visible-only"]
    passes = _json_passes(args, home)
    screen = run_in_pty(args, home, columns=160, rows=50)
    assert screen.too_wide(160) == []
    rows = [line for line in screen.lines if line.startswith("ISS (ZARYA) │") and "°" in line]
    assert len(rows) == len(passes)
    assert all(re.search(r"│ \w{3} \d\d Aug \d\d:\d\d:\d\d", r) and "★" in r for r in rows)


def test_a_pipe_gets_one_line_per_pass_at_any_length(home):
    # stdout is not a terminal and COLUMNS is unset: rows are never wrapped or cut
    args = [*COMMANDS["passes-frequency"]]
    passes = _json_passes(args, home)
    out = invoke(args, home).stdout
    rows = [line for line in out.splitlines() if line.startswith("SPOT 7    │") and "°" in line]
    assert len(rows) == len(passes)
    assert all(
        "kHz" not in r and re.search(r"[+-]\d\.\d\d [+-]\d\.\d\d [+-]\d\.\d\d$", r) for r in rows
    )
    assert max(cell_len(r) for r in rows) > 80  # wider than a terminal, and whole
    note = invoke(COMMANDS["sun-outages"], home).stdout
    assert any(
        line.startswith("  Note: held at station") and line.endswith("drift.")
        for line in note.splitlines()
    )


@pytest.mark.parametrize("force", [{"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}])
def test_a_pipe_forced_to_a_terminal_gets_bold_headers_and_the_same_text(home, force):
    # a pipe is printed without rich's console; where rich would still style it (FORCE_COLOR,
    # TTY_COMPATIBLE), rich's console prints it: the same text, headers in bold
    plain = invoke(COMMANDS["passes"], home, COLUMNS="100").stdout
    styled = invoke(COMMANDS["passes"], home, COLUMNS="100", **force).stdout
    assert "\x1b" not in plain
    assert "\x1b[1m" in styled
    assert re.sub(r"\x1b\[[0-9;]*m", "", styled) == plain


#: A track with every column (compass, Doppler) and a long observer name: wider than 80.
TRACK_WIDE = [
    "track", "40053", "--tle-file", str(VISIBILITY / "spot7_40053_2026-05-30.tle"),
    "--start", "2026-05-30T18:30Z", "--minutes", "2", "--step", "30", "--magnetic",
    "--frequency-mhz", "437.5", "--observer", "Shamakhi Astrophysical Observatory",
]  # fmt: skip


def test_a_track_fits_the_terminal_and_a_pipe_gets_whole_rows(home):
    # found by a CLI sweep: the track table was printed 100 columns wide whatever the
    # terminal (an 80-column one got 87- to 100-cell lines), and a pipe got its rows cut
    # across two lines ("Sun 30 May" / "22:30:00") and its heading wrapped at 100
    samples = json.loads(invoke([*TRACK_WIDE, "--format", "json"], home).stdout)
    count = len(samples["tracks"][0]["samples"])
    piped = invoke(TRACK_WIDE, home).stdout.splitlines()
    assert piped[0].startswith("SPOT 7 from Shamakhi") and piped[0].endswith("every 30 s")
    rows = [line for line in piped if re.match(r"\w{3} \d\d \w{3} \d\d:\d\d:\d\d ", line)]
    assert len(rows) == count
    assert wider_than(invoke(TRACK_WIDE, home, COLUMNS="80").stdout, 80) == []
    screen = run_in_pty(TRACK_WIDE, home, columns=80, rows=24)
    assert screen.exit_code == 0, screen.stderr
    assert screen.too_wide(80) == []
