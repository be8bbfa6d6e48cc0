"""The command tree: every command is reachable from `passpredict` and documents itself."""

import click
from click.testing import CliRunner

from passpredict.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
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
