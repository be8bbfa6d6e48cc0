"""Every notebook runs top to bottom, offline, in a fresh kernel, with no error and no warning.

The notebooks are stored without outputs and read no file outside the repository; this module
checks that too. The kernel is this interpreter (a kernelspec written to a temporary
JUPYTER_PATH), so the notebooks see the package under test, not whatever `python` is on PATH.
"""

import json
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
KERNEL_NAME = "passpredict-tests"
#: Seconds one cell may take; the three notebooks together take about 20 s.
CELL_TIMEOUT_S = 120
#: Modules a notebook may import: the package, the standard library and the notebooks extra.
ALLOWED_IMPORTS = {
    "passpredict",
    "tle_cache",
    "datetime",
    "pathlib",
    "tempfile",
    "pandas",
    "matplotlib",
}


def test_the_three_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01-spot7-over-baku.ipynb",
        "02-azerspace-pointing.ipynb",
        "03-element-history.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs_and_self_contained(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "**Question.**" in first.source
    assert notebook.cells[-1].cell_type == "markdown"
    assert notebook.cells[-1].source.startswith("## Answer")
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None, "clear the outputs"
        assert "shared/" not in cell.source and "/work" not in cell.source
        assert "sys.path" not in cell.source
        for line in cell.source.splitlines():
            match = re.match(r"\s*(?:from|import)\s+([\w.]+)", line)
            if match:
                assert match.group(1).split(".")[0] in ALLOWED_IMPORTS, line


def test_the_element_history_is_small_and_in_the_repository():
    history = NOTEBOOKS_DIR / "data" / "spot-7_azersky_40053.tle"
    assert history.stat().st_size < 60_000
    from tle_cache.parse import read_file

    sets = read_file(history)
    assert len(sets) == 330 and {s.norad_id for s in sets} == {40053}


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory):
    """Register this interpreter as a Jupyter kernel in a private JUPYTER_PATH."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "passpredict tests",
                "language": "python",
            }
        )
    )
    return root


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_clean(path, kernel_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    client.execute()
    images = 0
    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"cell {number}: {output.get('evalue')}"
            if output.output_type == "stream":
                assert output.name == "stdout", f"cell {number} wrote to stderr: {output.text}"
            if "image/png" in output.get("data", {}):
                images += 1
    assert images >= 2, "each notebook answers with pictures"
