"""Bad input found by a systematic sweep of every command and option (sweep 15).

Each command's options were fed empty strings, NaN, huge and tiny numbers, impossible dates,
files of the wrong kind and unusable addresses, one at a time, each in its own process; every
case here was a traceback, a message about something the user never named, the wrong exit
code, or a run that never ended.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from passpredict.cli.root import main
from passpredict.inputs.param_types import FilePath


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Run in a scratch directory: whatever a command wrongly writes lands there."""
    monkeypatch.chdir(tmp_path)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def one_line_error(result, exit_code: int, *words: str) -> str:
    assert result.exit_code == exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


#: Every file option or argument, with what its command needs besides.
FILE_PARAMETERS = [
    (["passes", "spot7"], "--tle-file"),
    (["track", "spot7"], "--tle-file"),
    (["geo", "azerspace-1"], "--tle-file"),
    (["sun-outages", "azerspace-1"], "--tle-file"),
    (["eclipses", "azerspace-1"], "--tle-file"),
    (["plot", "sky", "-o", "x.png"], "--tle-file"),
    (["plot", "sky"], "--output"),
    (["plot", "timeline"], "--output"),
    (["plot", "track", "spot7"], "--output"),
    (["plot", "sun-outages", "azerspace-1"], "--output"),
    (["plot", "eclipses", "azerspace-1"], "--output"),
    (["observers", "add", "Roof", "--lat", "40", "--lon", "49"], "--horizon"),
    (["tle", "import"], None),
]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_every_path_parameter_refuses_an_empty_name():
    """Every click.Path parameter of the command line is a `FilePath` (no '' as '.')."""
    for path, command in _commands(main):
        for param in command.params:
            if isinstance(param.type, click.Path):
                assert isinstance(param.type, FilePath), (path, param.name)


@pytest.mark.parametrize(("args", "option"), FILE_PARAMETERS)
def test_an_empty_file_name_is_a_usage_error_that_says_so(args, option):
    # was: --tle-file "" exit 1 ".: is a directory, not an element file" (a directory never
    # named), -o "" a ValueError traceback (PosixPath('.') has an empty name), --horizon ""
    # "cannot read .: Is a directory", tle import "" "File '' does not exist"
    given = [*args, option, ""] if option else [*args, ""]
    line = one_line_error(run(*given), 2, "file name is empty", "e.g.")
    assert ".:" not in line and "'.'" not in line
    if option:
        assert option in line
    assert not list(Path.cwd().iterdir())  # nothing written
