"""passpredict: when can a satellite be seen or contacted from a place on Earth.

The package is built in layers; each imports only from the layers below it (tests/test_layers.py
checks every import, function-level ones included):

    records, home, extras, timeutil   leaf infrastructure: plain records, the state directory,
                                      optional dependencies, times parsed and formatted at the edges
    engine/     propagation, frames, the window's time axis, orbit classes, the pass search
    products/   what is built on the engine: predictions, visibility, radio, tracks, GEO (geo/)
    inputs/     where element sets and places come from: satellites, sources, observers, zones
    output/     what the user reads: formats, tables, calendars, DataFrames, plots
    station/    a live ground station: clock, rotator and radio control (beside output)
    runs/       batches in chunks, locally or on a Dask cluster (streams through output)
    web/        the browser front end and JSON API
    cli/        the `passpredict` command line, one module per command group

Moved modules keep their old public paths. The README and the notebooks import, for example,
`passpredict.predict` and `passpredict.observers`; those names are aliases of the modules that
now live in the subpackages. They are served by a meta-path finder rather than facade modules:
the alias *is* the moved module (the same object in `sys.modules`), so a name looked up,
monkeypatched or pickled through the old path is the real one, there is no second copy of
any name list to keep in step, and nothing is imported until an old path is asked for
(`import passpredict` stays as cheap as it was). New code imports the new paths.
"""

from __future__ import annotations

import importlib
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Loader
else:
    # the import system only calls create_module and exec_module; importlib.abc costs ~10 ms
    # to import, which `import passpredict` does not pay for a base class
    Loader = object

__version__ = "0.1.0"

# old public path -> where the module lives now (the names the README and notebooks import)
MOVED_MODULES: dict[str, str] = {
    "passpredict.dataframes": "passpredict.output.dataframes",
    "passpredict.eclipses": "passpredict.products.geo.eclipses",
    "passpredict.ephemeris": "passpredict.engine.ephemeris",
    "passpredict.geo": "passpredict.products.geo.pointing",
    "passpredict.observers": "passpredict.inputs.observers",
    "passpredict.passes": "passpredict.engine.passes",
    "passpredict.plots": "passpredict.output.plots",
    "passpredict.predict": "passpredict.products.predict",
    "passpredict.sun_outages": "passpredict.products.geo.sun_outages",
    "passpredict.tracks": "passpredict.products.track",
    "passpredict.uncertainty": "passpredict.products.uncertainty",
    "passpredict.visibility": "passpredict.products.visibility",
}


class _AliasLoader(Loader):
    """Loads an old module path as the module it moved to (the same object)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._target_spec: ModuleSpec | None = None

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        self._target_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # the import system stamped the alias's spec on the module; give it back its own
        module.__spec__ = self._target_spec


class _AliasFinder:
    """Finds the old public module paths of `MOVED_MODULES` (a `sys.meta_path` finder)."""

    @staticmethod
    def find_spec(fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        moved_to = MOVED_MODULES.get(fullname)
        if moved_to is None:
            return None
        return ModuleSpec(fullname, _AliasLoader(moved_to))


if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
    sys.meta_path.append(_AliasFinder())
