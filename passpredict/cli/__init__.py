"""The `passpredict` command line: one module per command group, parsing and printing only.

`root` (the `passpredict` group and its `passes` command), `lazy` (subcommands imported when
first run, so `passpredict passes` does not pay for the others), `options` and `messages` (shared
options, warnings and errors), and one module per command group: `geo` (with `geo_arc`),
`sun_outages`, `eclipses` (the three share `geo_options`), `magnetic`, `observers`, `plot`
(with `plot_passes`, `plot_track` and `plot_geo`, sharing `plot_options`), `serve`, `station`,
`tle`, `track`, `watch`.

May import every layer. Nothing imports the command line except itself and the entry point
(`passpredict = "passpredict.cli.root:main"`); `passpredict.cli:main`, the entry point of
installs made before the move, still resolves (module `__getattr__`, no eager import).
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """Give `main` on first use, so importing a command module does not import them all."""
    if name == "main":
        from passpredict.cli.root import main

        return main
    raise AttributeError(f"module 'passpredict.cli' has no attribute {name!r}")
