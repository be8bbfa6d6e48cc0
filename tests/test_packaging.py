"""What `pip install .` puts in the wheel: every package and data file the code imports or reads.

An editable install (what the suite runs on) imports from the checkout, so a package missing from
the wheel only shows on a user's machine; these tests read the packaging configuration instead.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]


def _find_config() -> dict:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return pyproject["tool"]["setuptools"]["packages"]["find"]


def test_every_folder_of_python_code_is_a_package_the_wheel_includes():
    config = _find_config()
    found = set(find_packages(where=str(ROOT), include=config["include"]))
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("passpredict", "tle_cache")
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    missing_init = sorted(
        f for f in folders if not (ROOT / f.replace(".", "/") / "__init__.py").exists()
    )
    assert not missing_init, (
        f"folders of code without __init__.py (left out of the wheel): {missing_init}"
    )
    assert folders <= found, f"packages left out of the wheel: {sorted(folders - found)}"
    assert "passpredict.station" in found


def test_every_data_file_the_package_reads_is_declared():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]
    declared: set[Path] = set()
    for package, globs in patterns.items():
        base = ROOT / package.replace(".", "/")
        for pattern in globs:
            declared |= set(base.glob(pattern))
    data_files = {
        path
        for top in ("passpredict", "tle_cache")
        for path in (ROOT / top).rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert data_files <= declared, (
        f"data files left out of the wheel: {sorted(map(str, data_files - declared))}"
    )
