"""Lazy subcommands: the static table matches the commands, and start-up imports stay lean."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from passpredict.cli.lazy import SUBCOMMANDS, load_command


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_the_table_names_each_command_with_its_own_summary(name):
    command = load_command(SUBCOMMANDS[name])
    assert command.name == name
    assert not command.hidden and not command.deprecated and command.short_help is None
    first_paragraph = command.help.partition("\n\n")[0]
    assert SUBCOMMANDS[name].summary.split() == first_paragraph.split()


def _help_in_a_fresh_process(*args: str, load_all: bool) -> str:
    code = (
        "import sys, click; from passpredict.cli.root import main; sys.argv[0] = 'passpredict'\n"
        "if LOAD:\n"
        "    for name in main.list_commands(click.Context(main)):\n"
        "        main.get_command(click.Context(main), name)\n"
        "main()"
    ).replace("LOAD", str(load_all))
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("width", ["40", "80", "200"])
def test_the_root_help_lists_what_the_loaded_commands_would_list(width, monkeypatch):
    monkeypatch.setenv("COLUMNS", width)
    lazy = _help_in_a_fresh_process("--help", load_all=False)
    loaded = _help_in_a_fresh_process("--help", load_all=True)  # click's own listing
    assert "Commands:" in lazy and "  watch " in lazy
    assert lazy == loaded


def _modules_after(*args: str, chunk_cells: int | None = None) -> set[str]:
    """The modules a fresh process holds after `passpredict ARGS`; with `chunk_cells`, a run
    in chunks of that many cells (as a whole catalogue is cut)."""
    chunks = (
        ""
        if chunk_cells is None
        else (
            "import passpredict.runs.batch as b; b.DEFAULT_PREDICTION_CHUNK_CELLS = "
            f"{chunk_cells}\n"
        )
    )
    code = chunks + (
        "import json, sys; from passpredict.cli.root import main; sys.argv[0] = 'passpredict'\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_imports_no_subcommand_and_no_network_or_table_code():
    modules = _modules_after("--help")
    for name in ("passpredict.cli.geo", "passpredict.cli.tle", "passpredict.products.predict"):
        assert name not in modules
    assert "requests" not in modules and "rich.console" not in modules
    assert "tle_cache" not in modules and "numpy" not in modules  # no element-set code either


@pytest.mark.parametrize("output_format", ["json", "csv"])
def test_passes_to_json_or_csv_imports_neither_requests_nor_rich_console(
    output_format, tmp_path, monkeypatch
):
    monkeypatch.setenv("PASSPREDICT_HOME", str(tmp_path))
    modules = _modules_after("passes", "--start", "2026-05-08T00:00Z", "--format", output_format)
    assert "passpredict.products.predict" in modules  # it did run
    assert "requests" not in modules and "urllib3" not in modules
    assert "rich.console" not in modules and "rich.table" not in modules
    assert "numpy.ma" not in modules  # np.unique's first call imports it: ~15 ms


def test_passes_at_named_observers_imports_no_toml_track_or_terminal_code(tmp_path, monkeypatch):
    # a name is looked up in the user's observers file too: with none there, no TOML parser;
    # JSON needs no track module, and a run with nothing to say (--quiet here: the bundled
    # sets' epochs lie after this start) no terminal code (rich.cells)
    monkeypatch.setenv("PASSPREDICT_HOME", str(tmp_path))
    args = ("--observer", "Baku", "--start", "2026-05-08T00:00Z", "--format", "json", "--quiet")
    modules = _modules_after("passes", *args)
    assert "passpredict.products.predict" in modules  # it did run
    assert "tomllib" not in modules and "passpredict.products.track" not in modules
    assert "passpredict.output.terminal" not in modules and "rich.cells" not in modules


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_a_run_in_chunks_to_a_file_imports_no_progress_bar(output_format, tmp_path, monkeypatch):
    # the bar is drawn on a terminal only; to a file rich's console and bar are ~60 ms of imports
    monkeypatch.setenv("PASSPREDICT_HOME", str(tmp_path))
    modules = _modules_after(
        "passes", "--start", "2026-05-08T00:00Z", "--format", output_format, chunk_cells=100
    )
    assert "passpredict.runs.merge" in modules  # it did run in chunks
    assert "rich.console" not in modules and "rich.progress" not in modules


def test_the_default_passes_table_imports_no_track_code_or_rich_table(tmp_path, monkeypatch):
    monkeypatch.setenv("PASSPREDICT_HOME", str(tmp_path))
    modules = _modules_after("passes", "--start", "2026-05-08T00:00Z")
    assert "passpredict.output.tables" in modules  # it printed a table
    assert "rich.table" not in modules and "passpredict.products.track" not in modules
    # to a pipe, as here, not rich's console either: it would print no style
    # (tests/test_terminal_width.py: the same text where rich does style it)
    assert "rich.console" not in modules
    assert "platformdirs" not in modules and "tomllib" not in modules  # home set, no file


def test_the_default_passes_imports_no_download_parser_or_cluster_code(tmp_path, monkeypatch):
    """What issue 11 took off every start: each of these cost milliseconds of CPU."""
    monkeypatch.setenv("PASSPREDICT_HOME", str(tmp_path))
    _modules_after("passes", "--start", "2026-05-08T00:00Z")  # seeds the store
    modules = _modules_after("passes", "--start", "2026-05-08T00:00Z")
    assert "passpredict.output.tables" in modules  # it printed a table
    # the timescale and ephemeris come without skyfield.api's loader and its download code
    assert "skyfield.api" not in modules and "skyfield.iokit" not in modules
    assert "urllib.request" not in modules and "ssl" not in modules
    # a seeded store holds the bundled sets: found by their lines, not parsed again
    assert "tle_cache.parse" not in modules and "decimal" not in modules
    # the Dask runner's module only with --workers or --scheduler; package data by pkgutil
    assert "passpredict.runs.distributed" not in modules and "concurrent.futures" not in modules
    assert "importlib.resources" not in modules


def _blas_threads_after(env: dict[str, str]) -> str:
    code = (
        "import os, sys; from passpredict.cli.root import main; sys.argv[0] = 'passpredict'\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "passes", "--start", "2026-05-08T00:00Z", "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_the_command_line_asks_openblas_for_one_thread_unless_told(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env["PASSPREDICT_HOME"] = str(tmp_path)
    assert _blas_threads_after(env) == "1"  # set before numpy is imported
    assert _blas_threads_after({**env, "OPENBLAS_NUM_THREADS": "2"}) == "2"  # the user's wins
