"""`tle refresh` and its lock file: every way the lock or the home can be unusable, one line.

The real CLI in a child process. Was: a lock file that is a link was followed (and its
target created), a directory or a read-only lock file stopped the run with a raw errno
message, and a home that is a file was called "read-only" with advice to chmod it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from celestrak_server import NOT_UPDATED_BODY, CelestrakServer, Reply
from cli_process import run_cli

REFRESH = ("tle", "refresh", "--catnr", "25544")
# root: bind-mount $0 onto itself, make that mount read-only, then run the command
_RO_MOUNT = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'


@pytest.fixture
def server():
    with CelestrakServer() as running:
        running.route("CATNR=25544", Reply(403, NOT_UPDATED_BODY, "text/plain"))
        yield running


def _refused(home, server, *words: str) -> str:
    done = run_cli(home, *REFRESH, url=server.url)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    for word in words:
        assert word in line, line
    assert server.seen() == [], "nothing may be sent without the lock"
    return line


def test_a_lock_that_is_a_link_is_not_followed(tmp_path, server):
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "elsewhere" / "victim"
    target.parent.mkdir()
    (home / "refresh.lock").symlink_to(target)
    line = _refused(home, server, "refresh lock", "is a symbolic link", "rm '")
    assert str(home / "refresh.lock") in line
    assert not target.exists(), "was: the link was followed and its target created"


def test_a_lock_that_is_a_directory_is_named_with_the_fix(tmp_path, server):
    home = tmp_path / "home"
    (home / "refresh.lock").mkdir(parents=True)
    _refused(home, server, f"the refresh lock {home / 'refresh.lock'} is a directory", "rmdir")


def test_a_lock_that_is_a_named_pipe_neither_hangs_nor_is_used(tmp_path, server):
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / "refresh.lock")
    _refused(home, server, "is not a file", "rm '")


@pytest.mark.parametrize("below", [False, True], ids=["home-is-a-file", "home-below-a-file"])
def test_a_home_that_is_a_file_is_called_a_file(tmp_path, server, below):
    plain = tmp_path / "plain"
    plain.write_text("not a directory")
    home = plain / "passpredict" if below else plain
    line = _refused(home, server, f"{plain} is a file, not a directory", "PASSPREDICT_HOME")
    assert "chmod" not in line and "read-only" not in line


def test_a_read_only_lock_file_still_locks(tmp_path, server):
    """`flock` needs no write access: the lock is opened read-only (was: exit 1, EROFS)."""
    home = tmp_path / "home"
    home.mkdir()
    lock = home / "refresh.lock"
    lock.touch()
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("root without unshare: cannot make one file read-only")
        prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c", _RO_MOUNT]
        prefix.append(str(lock))
        probe = subprocess.run([*prefix, "sh", "-c", f": >> '{lock}'"], capture_output=True)
        if probe.returncode == 0:
            pytest.skip("cannot make the lock file read-only here")
    else:
        lock.chmod(0o444)
        prefix = []
    done = run_cli(home, *REFRESH, url=server.url, prefix=prefix)
    assert done.returncode == 0, done.stderr
    assert len(server.seen()) == 1
