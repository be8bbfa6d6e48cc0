"""The command tree: every command is reachable from `passpredict` and documents itself."""

import click
import pytest
from click.testing import CliRunner

from passpredict.cli.root import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)  # list/get, not .commands: subcommands load when looked up
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_is_registered_and_has_help():
    paths = list(_commands(main))
    for expected in (
        "passes",
        "tle",
        "observers",
        "geo",
        "sun-outages",
        "eclipses",
        "track",
        "plot",
    ):
        assert (expected,) in paths
    for path in paths:
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Usage:" in result.stdout


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(main, ["pases"])
    assert result.exit_code == 2
    assert "No such command" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["passes", "--lat", "95", "--lon", "1"],
        ["passes", "--start", "2026-11-25T10:00"],
        ["geo", "spot7"],
        ["tle", "export", "--format", "xml"],
        ["sun-outages", "azerspace-1", "--dish-m", "-1", "--frequency-ghz", "11"],
        ["track", "spot7", "--step", "0"],
        ["plot", "sky", "--output", "x.jpg"],
        ["observers", "add", "Roof", "--lat", "100", "--lon", "0"],
    ],
)
def test_usage_errors_are_one_line_with_a_pointer_to_help(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert lines[0].endswith("--help')")
    assert result.stdout == ""
