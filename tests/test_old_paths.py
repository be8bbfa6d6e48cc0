"""The public import paths from before the layout keep working, as the very modules that moved.

The notebooks run unchanged and users' scripts with them: every `from passpredict... import`
line of the notebooks and the README is read from the files and run here, and each old path of
`passpredict.MOVED_MODULES` must give the same module object as its new path (so a monkeypatch
or a pickle through either sees one module).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import passpredict

ROOT = Path(__file__).resolve().parents[1]
IMPORT_LINE = re.compile(r"^\s*from (passpredict[\w.]*) import ([\w, ]+)$", re.M)

# the old paths the README and notebooks imported when the modules moved (2026-12-02)
OLD_PUBLIC_PATHS = [
    "dataframes",
    "eclipses",
    "ephemeris",
    "geo",
    "observers",
    "passes",
    "plots",
    "predict",
    "sun_outages",
    "timeutil",
    "tracks",
    "uncertainty",
    "visibility",
]


def _documented_imports() -> set[tuple[str, str]]:
    sources = [(ROOT / "README.md").read_text(encoding="utf-8")]
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources += ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    found = set()
    for text in sources:
        for module, names in IMPORT_LINE.findall(text):
            found.update((module, name.strip()) for name in names.split(","))
    return found


def test_the_readme_and_notebooks_import_something():
    modules = {module for module, _ in _documented_imports()}
    assert {"passpredict.predict", "passpredict.observers", "passpredict.plots"} <= modules


@pytest.mark.parametrize("module, name", sorted(_documented_imports()))
def test_every_documented_import_works(module, name):
    assert hasattr(importlib.import_module(module), name)


@pytest.mark.parametrize("old", OLD_PUBLIC_PATHS)
def test_an_old_path_is_the_moved_module(old):
    module = importlib.import_module(f"passpredict.{old}")
    if old == "timeutil":  # it did not move
        assert module.__name__ == "passpredict.timeutil"
        return
    new = passpredict.MOVED_MODULES[f"passpredict.{old}"]
    assert module is importlib.import_module(new)
    assert module.__name__ == new and module.__spec__.name == new
    assert getattr(passpredict, old) is module  # `from passpredict import predict` too


def test_an_old_path_works_in_a_fresh_interpreter_first():
    """Imported before anything else: the alias alone brings the module in."""
    code = (
        "import sys; from passpredict.geo import geo_pointing; "
        "import passpredict.predict as p; "
        "assert geo_pointing.__module__ == 'passpredict.products.geo.pointing'; "
        "assert sys.modules['passpredict.predict'] is sys.modules['passpredict.products.predict']; "
        "print(p.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "passpredict.products.predict"


def test_a_path_that_never_existed_still_fails():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("passpredict.no_such_module")


def test_the_readme_library_example_runs_as_written(tmp_path):
    """The README's library example (issue 12: it must run unchanged after the layout) is read
    from the README and run in a fresh interpreter; its result holds passes and GEO looks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Library\n", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    check = (
        "\nassert result.passes and result.geostationary, result"
        "\nassert {g.norad_id for g in result.geostationary} >= {39079, 43632}"
    )
    run = subprocess.run(
        [sys.executable, "-c", code + check],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PASSPREDICT_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
