"""A read-only PASSPREDICT_HOME or store file: readers still work, writers say what to do.

The CLI runs in a subprocess on a home that really is read-only: without write permission
for an ordinary user, and, for root (whom permissions do not stop), on a read-only bind mount
in a private mount namespace. Was: "move it aside" (wrong advice: nothing is damaged) for
every command, and a traceback from `tle refresh`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from celestrak_server import CelestrakServer

HISTORY = Path(__file__).resolve().parents[1] / "data" / "predict" / "iss_2026-08_five_sets.tle"
CLI = "from passpredict.cli.root import main; main()"
# root: bind-mount $0 onto itself, make that mount read-only, then run the command
_RO_MOUNT = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--mount", "--propagation", "private", "sh", "-c", _RO_MOUNT, "/tmp"]
    return subprocess.run([*probe, "true"], capture_output=True).returncode == 0


@contextmanager
def read_only(path: Path) -> Iterator[list[str]]:
    """Make `path` read-only for the CLI; yield the command prefix that runs under it."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield []
        finally:
            path.chmod(mode)
        return
    if not _can_mount():
        pytest.skip("running as root without mount namespaces: cannot make a path read-only")
    yield ["unshare", "--mount", "--propagation", "private", "sh", "-c", _RO_MOUNT, str(path)]


def cli(prefix: list[str], home: Path, *args: str, url: str = "http://127.0.0.1:9"):
    env = {**os.environ, "PASSPREDICT_HOME": str(home), "PASSPREDICT_CELESTRAK_URL": url}
    done = subprocess.run(
        [*prefix, sys.executable, "-c", CLI, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def home(tmp_path) -> Path:
    """A home whose store holds the five ISS sets (not bundled: readers must read the store)."""
    folder = tmp_path / "home"
    assert cli([], folder, "tle", "import", str(HISTORY)).returncode == 0
    return folder


def _check_readers(prefix: list[str], home: Path) -> None:
    passes = cli(prefix, home, "passes", "25544", "--start", "2026-08-22T00:00Z", "--days", "0.3",
                 "--format", "json")  # fmt: skip
    assert passes.returncode == 0, passes.stderr
    (iss,) = json.loads(passes.stdout)["satellites"]
    assert "iss_2026-08_five_sets.tle" in iss["source"]  # from the store, not a fallback
    assert "bundled" not in passes.stderr and "move it aside" not in passes.stderr
    status = cli(prefix, home, "tle", "status", "--format", "json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["satellites"][0]["norad_id"] == 39079
    export = cli(prefix, home, "tle", "export", "25544")
    assert export.returncode == 0 and export.stdout.startswith("ISS (ZARYA)\n1 25544U")


def _check_writers(prefix: list[str], home: Path, named: Path) -> None:
    with CelestrakServer() as server:
        for args in (["tle", "add", "25544"], ["tle", "import", str(HISTORY)], ["tle", "refresh"]):
            done = cli(prefix, home, *args, url=server.url)
            assert done.returncode == 1, (args, done.stderr)
            (line,) = done.stderr.splitlines()
            assert line.startswith("Error: cannot write the element store: ")
            assert str(named) in line and "read-only" in line
            assert "PASSPREDICT_HOME to a writable directory" in line
            assert "move it aside" not in line
        assert server.seen() == [], "nothing may be asked of a server for a store it cannot write"


def test_a_read_only_home_is_read_and_writers_say_what_to_do(home):
    before = digest(home)
    with read_only(home) as prefix:
        _check_readers(prefix, home)
        _check_writers(prefix, home, home if not prefix else home / "elements.sqlite")
    assert digest(home) == before  # no lock file, no journal left behind, store untouched


def test_a_read_only_store_file_is_read_and_writers_name_the_file(home):
    store = home / "elements.sqlite"
    before = store.read_bytes()
    with read_only(store) as prefix:
        _check_readers(prefix, home)
        _check_writers(prefix, home, store)
    assert store.read_bytes() == before


def test_no_store_in_a_read_only_home_falls_back_to_bundled_with_the_right_advice(tmp_path):
    empty = tmp_path / "home"
    empty.mkdir()
    with read_only(empty) as prefix:
        done = cli(prefix, empty, "passes", "--start", "2026-05-31T00:00Z", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert {s["source"] for s in json.loads(done.stdout)["satellites"]} == {"bundled"}
    (warning,) = [line for line in done.stderr.splitlines() if "element store" in line]
    assert f"there is no element store in {empty} yet and none can be created" in warning
    assert "PASSPREDICT_HOME to a writable directory" in warning
    assert "move it aside" not in warning and warning.endswith("bundled with passpredict instead")
    assert list(empty.iterdir()) == []
