"""Bad input found by a systematic sweep of every command and option (sweep 15).

Each command's options were fed empty strings, NaN, huge and tiny numbers, impossible dates,
files of the wrong kind and unusable addresses, one at a time, each in its own process; every
case here was a traceback, a message about something the user never named, the wrong exit
code, or a run that never ended.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import click
import pytest
from cli_walk import leaf_commands
from click.testing import CliRunner

from passpredict.cli.root import main
from passpredict.inputs.param_types import FilePath

PROGRAM = Path(sys.executable).with_name("passpredict")


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Run in a scratch directory: whatever a command wrongly writes lands there."""
    monkeypatch.chdir(tmp_path)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def one_line_error(result, exit_code: int, *words: str) -> str:
    assert result.exit_code == exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


#: Every file option or argument, with what its command needs besides.
FILE_PARAMETERS = [
    (["passes", "spot7"], "--tle-file"),
    (["track", "spot7"], "--tle-file"),
    (["geo", "azerspace-1"], "--tle-file"),
    (["sun-outages", "azerspace-1"], "--tle-file"),
    (["eclipses", "azerspace-1"], "--tle-file"),
    (["plot", "sky", "-o", "x.png"], "--tle-file"),
    (["plot", "sky"], "--output"),
    (["plot", "timeline"], "--output"),
    (["plot", "track", "spot7"], "--output"),
    (["plot", "sun-outages", "azerspace-1"], "--output"),
    (["plot", "eclipses", "azerspace-1"], "--output"),
    (["observers", "add", "Roof", "--lat", "40", "--lon", "49"], "--horizon"),
    (["tle", "import"], None),
]


def test_every_path_parameter_refuses_an_empty_name():
    """Every click.Path parameter of the command line is a `FilePath` (no '' as '.')."""
    for path, command in leaf_commands(main):
        for param in command.params:
            if isinstance(param.type, click.Path):
                assert isinstance(param.type, FilePath), (path, param.name)


@pytest.mark.parametrize(("args", "option"), FILE_PARAMETERS)
def test_an_empty_file_name_is_a_usage_error_that_says_so(args, option):
    # was: --tle-file "" exit 1 ".: is a directory, not an element file" (a directory never
    # named), -o "" a ValueError traceback (PosixPath('.') has an empty name), --horizon ""
    # "cannot read .: Is a directory", tle import "" "File '' does not exist"
    given = [*args, option, ""] if option else [*args, ""]
    line = one_line_error(run(*given), 2, "file name is empty", "e.g.")
    assert ".:" not in line and "'.'" not in line
    if option:
        assert option in line
    assert not list(Path.cwd().iterdir())  # nothing written


@pytest.mark.parametrize(
    ("args", "option"), [(a, o) for a, o in FILE_PARAMETERS if o in ("--tle-file", None)]
)
@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_tle_file_that_is_not_a_file_is_a_usage_error_as_for_tle_import(args, option, kind):
    # was: --tle-file MISSING exit 1 ("no such file; check the path"), tle import MISSING exit
    # 2: the README's exit codes call a bad argument a usage error (2)
    name = "no-such-file.tle" if kind == "missing" else "."
    given = [*args, option, name] if option else [*args, name]
    words = ("does not exist",) if kind == "missing" else ("is a directory",)
    line = one_line_error(run(*given), 2, name, *words)
    assert (option or "FILE") in line


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["passes", "spot7"], "--days"),
        (["track", "spot7"], "--minutes"),
        (["plot", "sky", "-o", "x.png"], "--days"),
        (["plot", "timeline", "-o", "x.png"], "--days"),
        (["plot", "track", "spot7", "-o", "x.png"], "--hours"),
        (["plot", "sun-outages", "azerspace-1", "-o", "x.png"], "--days"),
        (["plot", "eclipses", "azerspace-1", "-o", "x.png"], "--days"),
        (["eclipses", "azerspace-1"], "--days"),
    ],
)
def test_a_window_shorter_than_a_microsecond_is_a_usage_error(args, option):
    # 1e-320 days is above 0, so it passed the option's range, but start + timedelta(days=
    # 1e-320) == start: was exit 1 "the window must end after it starts" on the plots, not
    # naming --days
    start = "2026-03-01T00:00Z"
    result = run(*args, "--start", start, option, "1e-320")
    one_line_error(result, 2, option, "microsecond")
    assert not list(Path.cwd().iterdir())


def test_a_window_of_a_few_microseconds_is_still_a_window():
    # the shortest window the time axis holds (2 microseconds) is accepted, as before
    result = run("track", "spot7", "--start", "2026-05-31T04:00Z", "--minutes", "3.4e-8")
    assert result.exit_code == 0, result.output


# --- serve: the address is bound before it is announced ---------------------------------------


def test_serve_on_a_port_in_use_is_one_line_exit_1():
    # was: "serving on http://127.0.0.1:N/" then uvicorn's "ERROR: [Errno 98] error while
    # attempting to bind ...: address already in use", exit 3
    pytest.importorskip("uvicorn")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    line = one_line_error(result, 1, f"port {port}", "in use", "--port")
    assert "serving on" not in result.stderr and line


@pytest.mark.parametrize(
    ("host", "words"),
    [
        ("", ("--host", "empty", "127.0.0.1")),  # was: served on every interface, "http://:N/"
        ("192.0.2.1", ("--host", "192.0.2.1", "127.0.0.1")),  # TEST-NET-1: not this machine's
    ],
)
def test_serve_on_an_address_it_cannot_listen_on_is_a_usage_error(host, words):
    # was: exit 3 after "serving on", with uvicorn's "[Errno 99] ... address" log line
    pytest.importorskip("uvicorn")
    result = run("serve", "--host", host, "--port", str(_free_port()))
    one_line_error(result, 2, *words)
    assert "serving on" not in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_still_serves_on_the_socket_it_bound(tmp_path):
    pytest.importorskip("uvicorn")
    port = _free_port()
    env = {**os.environ, "PASSPREDICT_HOME": str(tmp_path / "home")}
    server = subprocess.Popen(
        [str(PROGRAM), "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/observers") as answer:
                    names = [o["name"] for o in json.load(answer)["observers"]]
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert "Baku" in names
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err


# --- passes on Dask: what can be checked while parsing is ---------------------------------------


def test_workers_beyond_any_machine_are_a_usage_error_before_anything_starts():
    # was: --workers 100000 started a local cluster of 100000 processes (killed after 20 s)
    result = run("passes", "spot7", "--workers", "100000")
    one_line_error(result, 2, "--workers", "100000", "256")


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("", ("--scheduler", "empty", "tcp://")),  # was: exit 0, a local run
        (" ", ("--scheduler", "empty", "tcp://")),
        ("127.0.0.1", ("--scheduler", "HOST:PORT", "8786")),  # was: exit 1 "missing port number
        ("abc", ("--scheduler", "HOST:PORT", "8786")),  # in address 'abc'", neither named
        ("tcp://127.0.0.1:99999", ("--scheduler", "HOST:PORT")),
        ("http://127.0.0.1:8786", ("--scheduler", "not http://", "tcp://")),
    ],
)
def test_a_malformed_scheduler_address_is_a_usage_error_naming_the_option(address, words):
    result = run("passes", "spot7", "--start", "2026-05-31T04:00Z", "--scheduler", address)
    one_line_error(result, 2, *words)


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "[::1]:8786", "tls://h.example:1"])
def test_well_formed_scheduler_addresses_pass_the_check(address):
    from passpredict.cli.passes import _scheduler_option

    assert _scheduler_option(click.Context(click.Command("x")), None, address) == address


# --- the state directory ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["observers", "list"], ["observers", "add", "Roof", "--lat", "40", "--lon", "49"]]
)
def test_a_home_that_is_a_file_is_named_as_the_problem(args, tmp_path, monkeypatch):
    # was: "cannot read HOME/observers.toml: Not a directory; check that it is a readable
    # file", which sent the user looking for a file that cannot exist
    home = tmp_path / "home-file"
    home.write_text("not a directory\n")
    monkeypatch.setenv("PASSPREDICT_HOME", str(home))
    line = one_line_error(run(*args), 1, f"{home} is a file", "PASSPREDICT_HOME")
    assert "readable file" not in line
    assert home.read_text() == "not a directory\n"


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--park", "nan,0", ("'--park'", "finite")),
        ("--park", "180,inf", ("'--park'", "finite")),
        ("--az-range", "0:1e308", ("'--az-range'", "360 to 720")),
        ("--az-range", "0:10", ("'--az-range'", "360 to 720")),
    ],
)
def test_a_station_value_that_cannot_be_flown_is_a_usage_error(option, value, words):
    # was: accepted without --rotctld (and --park nan,0 even with --plan)
    for live in ([], ["--plan"]):
        one_line_error(run("track", "spot7", *live, option, value), 2, *words)


@pytest.mark.parametrize(
    "given",
    [["--park", "180,0"], ["--az-range", "0:360"], ["--passes", "2"], ["--speed", "10"],
     ["--el-max", "180"], ["--deadband-deg", "2"], ["--downlink-mhz", "145.8"]],
)  # fmt: skip
def test_a_station_option_without_the_live_loop_is_a_usage_error(given):
    # was: silently ignored, the sky track printed as if it had not been given
    line = one_line_error(run("track", "spot7", *given), 2, given[0], "--rotctld", "--plan")
    assert "only means something to a station" in line
