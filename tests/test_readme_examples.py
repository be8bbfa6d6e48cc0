"""The README's ISS example runs as written on a fresh install and prints what the README shows.

The command is read from the README itself and run from the repository root with an empty
PASSPREDICT_HOME (the autouse fixture): no store, no network, in an 80-column terminal as
the README's examples are printed. The lines the README shows (it elides the rest with "...")
must come out in that order with the same times, elevations and magnitudes.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from passpredict.cli.root import main

REPO = Path(__file__).resolve().parents[1]
NUMBERS = re.compile(r"\d\d:\d\d:\d\d|\d+\.\d°|~[+-]\d\.\d|\d+m\d\ds")


def _console_block(section: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1]
    block = body.split("```console\n", 1)[1].split("```", 1)[0]
    return block.splitlines()


def _numbers(lines: list[str]) -> list[list[str]]:
    """The times, elevations, magnitudes and durations of each line that has any."""
    rows = [NUMBERS.findall(line) for line in lines]
    return [row for row in rows if row]


def test_the_iss_example_works_as_written_on_a_fresh_install(monkeypatch, isolated_home):
    lines = _console_block("Seeing a satellite")
    command = shlex.split(lines[0].removeprefix("$ "))
    assert command[:3] == ["passpredict", "passes", "25544"]
    shown = _numbers(lines[1:])
    assert len(shown) == 4  # two passes, each with its visible part
    monkeypatch.chdir(REPO)  # the example's paths are relative to a checkout
    assert not isolated_home.exists()  # a fresh install: no store yet
    result = CliRunner().invoke(main, command[1:], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr  # was exit 2: ISS is neither bundled nor stored
    printed = _numbers(result.stdout.splitlines())
    starts = [i for i in range(len(printed)) if printed[i : i + len(shown)] == shown]
    assert starts, f"the README's lines are not in the output:\n{result.stdout}"
