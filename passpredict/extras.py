"""Optional dependencies: imported when a feature first needs them, with the fix in the error.

pandas and matplotlib are not needed to predict passes, so the core install leaves them out;
`pip install 'passpredict[notebooks]'` (or `pip install -e '.[notebooks]'` in a checkout) adds
them. A feature that needs one calls `import_optional` inside the function, never at module
level, so importing `passpredict.output.plots` or `passpredict.output.dataframes` always works.
"""

from __future__ import annotations

import importlib
from types import ModuleType

INSTALL_HINT = (
    "pip install 'passpredict[notebooks]' (from a checkout: pip install -e '.[notebooks]')"
)


def import_optional(name: str, feature: str) -> ModuleType:
    """Return the module `name`, or raise `ModuleNotFoundError` saying how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        top = name.partition(".")[0]
        raise ModuleNotFoundError(
            f"{feature} needs {top}, which is not installed; install the notebooks extra: "
            f"{INSTALL_HINT}",
            name=top,
        ) from error
