"""The store's file: damage found before writing, each kind of failure told apart, no links.

Every case runs the real CLI in a child process on a real file: random bytes in a page, a
full tmpfs, a file-size limit (the kernel refuses the write: an I/O error that is not a full
disk), another process holding the write lock, symbolic links. Was: a damaged store was
written into (opening checks the schema only), a full disk or an I/O error was reported as
damage ("move it aside", advice that throws the history away), and links were followed (a
link to an empty file became a database, a link to another store was written into).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from celestrak_server import DATA_DIR, NOT_UPDATED_BODY, CelestrakServer, Reply
from cli_process import run_cli, small_disk

from tle_cache.store import StoreError, open_store, store_path
from tle_cache.store_files import StoreBusy

RESOURCE = DATA_DIR / "resource_2026-05-30.tle"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _raw(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def home(tmp_path) -> Path:
    """A home whose store holds the bundled sets and the 166 of the resource group."""
    folder = tmp_path / "home"
    imported = run_cli(folder, "tle", "import", str(RESOURCE))
    assert imported.returncode == 0, imported.stderr
    assert not (folder / "elements.sqlite-wal").exists(), "closed: all in the main file"
    return folder


# --- damage: found before any write --------------------------------------------------------


def _damage_a_table_page(path: Path) -> int:
    """Overwrite one leaf page of the element_sets table with random bytes; return its number.

    A page no write command reads: the watchlist, the fetch log and the lookups of the
    bundled sets (through the primary-key index) never touch it.
    """
    pages = [row[0] for row in _raw(path, "SELECT pageno FROM dbstat WHERE name = 'element_sets' "
                                          "AND pagetype = 'leaf' ORDER BY pageno")]  # fmt: skip
    assert len(pages) > 10
    page = pages[len(pages) // 2]
    size = _raw(path, "PRAGMA page_size")[0][0]
    data = bytearray(path.read_bytes())
    data[(page - 1) * size : page * size] = random.Random(16).randbytes(size)
    path.write_bytes(bytes(data))
    return page


@pytest.mark.parametrize(
    "args",
    [("tle", "add", "25544"), ("tle", "remove", "40053"), ("tle", "refresh", "--catnr", "25544")],
    ids=["add", "remove", "not-modified-refresh"],
)
def test_a_damaged_store_is_not_written_into(home, args):
    store = store_path(home)
    page = _damage_a_table_page(store)
    assert _raw(store, "PRAGMA quick_check(1)") != [("ok",)]  # SQLite itself sees the damage
    before = _digest(store)
    with CelestrakServer() as server:
        server.route("CATNR=25544", Reply(403, NOT_UPDATED_BODY, "text/plain"))
        done = run_cli(home, *args, url=server.url)
        assert server.seen() == [], "nothing may be asked for a store that cannot take it"
    assert done.returncode == 1, f"exit 0: wrote into a store damaged at page {page}"
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"Error: {store} is damaged (SQLite's integrity check: ")
    assert "move it aside" in line and ".recover" in line
    assert _digest(store) == before
    assert not Path(f"{store}-wal").exists() or Path(f"{store}-wal").stat().st_size == 0


def test_an_intact_store_is_written_as_before(home):
    assert run_cli(home, "tle", "add", "25544").returncode == 0
    assert _raw(store_path(home), "SELECT norad_id FROM watchlist")[-1] == (25544,)


# --- a full disk, an I/O error, a busy store: not damage -----------------------------------


def test_a_full_disk_is_called_a_full_disk_and_the_store_is_kept(tmp_path):
    with small_disk(tmp_path / "disk", 1024) as disk:
        home = disk.mountpoint / "home"
        assert run_cli(home, "tle", "status", prefix=disk.prefix).returncode == 0
        disk.fill(leave_kib=64)  # room to open the store, not for 166 sets
        done = run_cli(home, "tle", "import", str(RESOURCE), prefix=disk.prefix)
        assert done.returncode == 1
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"Error: cannot write the element store {home}/elements.sqlite")
        assert "the disk is full" in line and "free some space" in line
        assert "keep it" in line and "move it aside" not in line
        disk.empty()
        again = run_cli(home, "tle", "import", str(RESOURCE), prefix=disk.prefix)
        assert again.returncode == 0 and "imported 166 new element set(s)" in again.stdout


def test_a_store_on_a_full_disk_is_still_read_and_a_refresh_fails_cleanly(tmp_path):
    """Was: opening the store to read made SQLite create its WAL index (-shm), which a full
    disk refuses, so `passes` warned and used the bundled sets and `tle status` exited 1."""
    with small_disk(tmp_path / "disk", 1024) as disk:
        home = disk.mountpoint / "home"
        assert run_cli(home, "tle", "import", str(RESOURCE), prefix=disk.prefix).returncode == 0
        store = store_path(home)
        disk.fill(leave_kib=0)
        before = _digest(store_path(disk.view / "home"))  # this process sees it there
        status = run_cli(home, "tle", "status", prefix=disk.prefix)
        assert status.returncode == 0, status.stderr
        assert status.stderr == "" and status.stdout.startswith(f"store {store}, now ")
        window = ("--lat", "51.5", "--lon", "0", "--start", "2026-05-30T00:00:00Z", "--days", "1")
        passes = run_cli(home, "passes", *window, prefix=disk.prefix)
        assert "bundled with passpredict" not in passes.stderr
        assert passes.returncode == 0, passes.stderr
        with CelestrakServer() as server:
            done = run_cli(home, "tle", "refresh", url=server.url, prefix=disk.prefix)
        assert done.returncode == 1
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"Error: cannot write the element store {store}: the disk is full")
        assert _digest(store_path(disk.view / "home")) == before


def test_an_io_error_is_not_called_damage(home):
    """The kernel refuses to grow a file past RLIMIT_FSIZE (EFBIG, Python ignores SIGXFSZ):
    a real write error that is not ENOSPC, so SQLite reports SQLITE_IOERR."""
    if shutil.which("prlimit") is None:
        pytest.skip("needs prlimit (util-linux) to set a file-size limit")
    store = store_path(home)
    before = _raw(store, "SELECT COUNT(*) FROM element_sets")
    history = DATA_DIR.parent / "predict" / "iss_2026-08_five_sets.tle"
    done = run_cli(home, "tle", "import", str(history), prefix=["prlimit", "--fsize=16384"])
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(
        f"Error: {store}: the operating system reported an I/O error (SQLITE_IOERR"
    )
    assert "do not delete it" in line and "check the disk" in line
    assert "move it aside" not in line and "disk is full" not in line
    assert _raw(store, "PRAGMA integrity_check") == [("ok",)]
    assert _raw(store, "SELECT COUNT(*) FROM element_sets") == before


def test_a_store_kept_busy_by_another_writer_says_try_again(tmp_path):
    path = store_path(tmp_path)
    open_store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with open_store(path, busy_timeout_s=0.2) as store, pytest.raises(StoreBusy) as info:
            store.add_to_watchlist(25544)
    finally:
        other.execute("ROLLBACK")
        other.close()
    message = str(info.value)
    assert message == (
        f"{path}: the store stayed busy for 0.2 s (another passpredict is writing it); try "
        "again when it has finished"
    )


# --- links ---------------------------------------------------------------------------------


def test_a_store_that_is_a_link_to_an_empty_file_is_refused(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    empty = tmp_path / "notes.txt"
    empty.touch()
    (home / "elements.sqlite").symlink_to(empty)
    for args in (("tle", "status"), ("tle", "add", "25544"), ("tle", "refresh")):
        done = run_cli(home, *args)
        assert done.returncode == 1, args
        (line,) = done.stderr.splitlines()
        assert "is a symbolic link (to " in line and str(empty) in line
        assert "does not follow links" in line
    assert empty.read_bytes() == b"", "was: made an SQLite database"


def test_a_store_that_is_a_link_to_another_store_is_not_written_into(tmp_path, home):
    other_home = tmp_path / "other"
    other_home.mkdir()
    (other_home / "elements.sqlite").symlink_to(store_path(home))
    before = _digest(store_path(home))
    done = run_cli(other_home, "tle", "add", "25544")
    assert done.returncode == 1 and "symbolic link" in done.stderr
    assert _digest(store_path(home)) == before
    assert run_cli(home, "tle", "add", "25544").returncode == 0  # the real one still works


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_side_file_that_is_a_link_is_refused(home, tmp_path, suffix):
    target = tmp_path / f"target{suffix}"
    Path(f"{store_path(home)}{suffix}").symlink_to(target)
    done = run_cli(home, "tle", "add", "25544")
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert f"the store's side file {store_path(home)}{suffix} is a symbolic link" in line
    assert not target.exists(), "the link was followed"


def test_a_store_that_is_a_named_pipe_is_refused_without_hanging(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / "elements.sqlite")
    done = run_cli(home, "tle", "status")
    assert done.returncode == 1 and "is not a regular file (a named pipe)" in done.stderr


def test_a_directory_above_the_store_may_be_a_link(tmp_path):
    real = tmp_path / "disk" / "passpredict"
    real.mkdir(parents=True)
    (tmp_path / "home").symlink_to(real)
    assert run_cli(tmp_path / "home", "tle", "add", "25544").returncode == 0
    assert (real / "elements.sqlite").is_file()


def test_the_library_refuses_links_too(tmp_path):
    (tmp_path / "elements.sqlite").symlink_to(tmp_path / "elsewhere.sqlite")
    with pytest.raises(StoreError, match="symbolic link"):
        open_store(store_path(tmp_path))
    assert not (tmp_path / "elsewhere.sqlite").exists()
