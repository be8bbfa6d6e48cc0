"""Walk the click command tree: every leaf command with its path, for tests that check a rule
on every command or option of the command line."""

from __future__ import annotations

from collections.abc import Iterator

import click


def leaf_commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Yield (path, command) for every command under `group` that is not itself a group."""
    ctx = click.Context(group)  # list/get, not .commands: subcommands load when looked up
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*prefix, name))
        elif command is not None:
            yield (*prefix, name), command
