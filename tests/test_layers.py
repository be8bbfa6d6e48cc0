"""The layers of `passpredict`: every import, function-level ones included, runs down, never up.

This is the independent check of the architecture the package docstrings describe
(`passpredict/__init__.py`): each module's imports are read with `ast` from the source, not by
importing it, and each must land in a lower layer or in the module's own package. A layer may
import any layer below it; two packages on one level (output and station) import neither way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "passpredict"

# the level of each room; a module may import a lower level, or its own room
LEVELS = {
    "passpredict": 0,  # the root: version and the old-path aliases, nothing else
    "passpredict.records": 0,
    "passpredict.home": 0,
    "passpredict.extras": 0,
    "passpredict.timeutil": 0,
    "passpredict.engine": 1,
    "passpredict.products": 2,
    "passpredict.inputs": 3,
    "passpredict.output": 4,
    "passpredict.station": 4,
    "passpredict.runs": 5,
    "passpredict.web": 6,
    "passpredict.cli": 7,
}

# Known debt, to be paid by moving these into the library; the test fails when one is paid
# and not struck from this list, so the list can only shrink.
ALLOWED_UPWARD: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _room(module: str) -> str:
    """The entry of `LEVELS` a module belongs to (the longest matching prefix)."""
    candidates = [room for room in LEVELS if module == room or module.startswith(room + ".")]
    room = max(candidates, key=len)
    if room == "passpredict" and module != "passpredict":
        raise AssertionError(f"{module} is in no layer; add it to a subpackage or to LEVELS")
    return room


def _imports(path: Path) -> set[str]:
    """Every passpredict module `path` imports, at any depth of the code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            # `from passpredict.runs import batch` imports the module passpredict.runs.batch
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if _exists(candidate):
                    found.add(candidate)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; the house uses absolute imports")
    return {name for name in found if name == "passpredict" or name.startswith("passpredict.")}


def _exists(module: str) -> bool:
    base = ROOT.joinpath(*module.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_layer():
    for path in MODULES:
        _room(_module_name(path))


def test_every_import_names_a_module_that_exists():
    """An import of an old path (`passpredict.cli_geo`) would only work through an alias."""
    for path in MODULES:
        for name in _imports(path):
            base = name
            while not _exists(base):  # `from passpredict.x import name`: x must exist
                base = base.rpartition(".")[0]
                assert base, f"{_module_name(path)} imports {name}, which does not exist"
            assert base != "passpredict" or name == "passpredict", (
                f"{_module_name(path)} imports {name}: not a module of the new layout"
            )


@pytest.mark.parametrize("path", MODULES, ids=lambda path: _module_name(path))
def test_imports_run_down_the_layers(path):
    module = _module_name(path)
    room = _room(module)
    for imported in sorted(_imports(path)):
        target = _room(imported) if _exists(imported) else _room(imported.rpartition(".")[0])
        if target == room or (module, imported) in ALLOWED_UPWARD:
            continue
        assert LEVELS[target] < LEVELS[room], (
            f"{module} (layer {room}) imports {imported} (layer {target}): "
            "a layer imports only from the layers below it"
        )


def test_nothing_outside_the_command_line_imports_it():
    for path in MODULES:
        module = _module_name(path)
        if _room(module) == "passpredict.cli":
            continue
        for imported in _imports(path):
            if imported.startswith("passpredict.cli"):
                assert (module, imported) in ALLOWED_UPWARD, f"{module} imports {imported}"


def test_the_known_debts_are_still_owed():
    """Strike an entry from ALLOWED_UPWARD once the import is gone."""
    imports = {_module_name(path): _imports(path) for path in MODULES}
    for module, imported in ALLOWED_UPWARD:
        assert imported in imports[module], f"{module} no longer imports {imported}"


def test_the_entry_point_is_the_command_line():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'passpredict = "passpredict.cli.root:main"' in text
