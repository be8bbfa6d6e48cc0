"""The live loop's edges: a rotator that does not follow, a refusal mid-pass, the status line,
--dry-run, bad host names, --plan text, and watch under SIGTERM.

`FakeRotctld` is a small rotctld on 127.0.0.1 written against the protocol (extended replies,
``RPRT n``), for the behaviour hamlib's dummy rotator cannot show: an elevation motor that
never moves, a device that refuses a position. Expectations come from `track`/`passes`.
"""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from passpredict.cli.root import main
from passpredict.products.track import track
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parents[1] / "data"
SPOT7 = str(DATA / "visibility" / "spot7_40053_2026-05-30.tle")
BAKU = Observer("Baku", 40.4093, 49.8671, -28.0, "Asia/Baku")
BEFORE_PASS = "2026-05-30T17:14:00Z"
PASSPREDICT = str(Path(sys.executable).parent / "passpredict")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def first_pass() -> dict:
    """The pass `passes` finds after BEFORE_PASS (above 0 deg, as `track` flies it)."""
    found = invoke("passes", "spot7", "--tle-file", SPOT7, "--start", BEFORE_PASS, "--end",
                   "2026-05-30T17:40:00Z", "--min-elevation", "0", "--format", "json")  # fmt: skip
    (item,) = json.loads(found.stdout)["passes"]
    return item


class FakeRotctld:
    """A rotctld that takes `P`, reports `p` as `report(last P)`, refuses the `refuse_at`-th P."""

    def __init__(self, report, refuse_at: int | None = None) -> None:
        self.report = report
        self.refuse_at = refuse_at
        self.received: list[str] = []
        self.closed = threading.Event()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"127.0.0.1:{self._server.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        connection, _ = self._server.accept()
        last = (0.0, 0.0)
        moves = 0
        with connection, connection.makefile("rwb") as stream:
            for raw in stream:
                line = raw.decode().strip().lstrip("+")
                self.received.append(line)
                if line == "\\dump_state":
                    reply = ("dump_state:\nMinimum Azimuth: -180.000000\nMaximum Azimuth: "
                             "180.000000\nMinimum Elevation: 0.000000\nMaximum Elevation: "
                             "90.000000\nRPRT 0\n")  # fmt: skip
                elif line.startswith("P "):
                    moves += 1
                    if moves == self.refuse_at:
                        reply = "set_pos:\nRPRT -9\n"
                    else:
                        last = tuple(float(v) for v in line.split()[1:3])
                        reply = "set_pos:\nRPRT 0\n"
                elif line == "p":
                    az, el = self.report(last)
                    reply = f"get_pos:\nAzimuth: {az:.6f}\nElevation: {el:.6f}\nRPRT 0\n"
                else:
                    reply = "RPRT -4\n"
                stream.write(reply.encode())
                stream.flush()
        self.closed.set()

    def close(self) -> None:
        self._server.close()


@pytest.fixture
def fake_rotctld():
    servers = []

    def start(report, refuse_at=None):
        servers.append(FakeRotctld(report, refuse_at))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _moves(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if '"rotctld"' in line]


def test_a_rotator_whose_elevation_never_moves_is_reported_once(fake_rotctld, timescale):
    # the azimuth follows, the elevation motor is dead: off by the elevation sent
    server = fake_rotctld(lambda last: (last[0], 0.0))
    result = invoke("track", "spot7", "--tle-file", SPOT7, "--start", BEFORE_PASS, "--speed",
                    "2000", "--passes", "1", "--rotctld", server.endpoint, "--park", "90,0",
                    "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "does not follow" in line]
    assert len(warnings) == 1, result.stderr  # once a pass, not once a tick
    pattern = r"reports [\d.-]+, ([\d.-]+) while sent [\d.-]+, ([\d.-]+)"
    reported_el, sent_el = map(float, re.findall(pattern, warnings[0])[0])
    assert reported_el == 0.0 and sent_el > 5.0
    # it fires 30 s (the grace) of pass time after the satellite rose past 5 deg (the
    # tolerance): the elevation sent then is what track gives 30 s after that, within the
    # 1 deg deadband and a tick
    (es,) = read_file(SPOT7)
    aos = datetime.fromisoformat(first_pass()["rise"]["time"].replace("Z", "+00:00"))
    (t,) = track(es, [BAKU], aos, aos + timedelta(minutes=5), 1.0, timescale=timescale)
    above = int(np.argmax(t.elevation_deg > 5.0))
    assert abs(sent_el - t.elevation_deg[above + 30]) <= 2.0


def test_a_refused_position_mid_pass_is_one_line_and_nothing_more_is_sent(fake_rotctld):
    server = fake_rotctld(lambda last: last, refuse_at=5)
    result = invoke("track", "spot7", "--tle-file", SPOT7, "--start", BEFORE_PASS, "--speed",
                    "2000", "--passes", "1", "--rotctld", server.endpoint, "--park", "90,0",
                    "--format", "json")  # fmt: skip
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if not line.startswith("note:")]
    assert len(errors) == 1 and "RPRT -9" in errors[0] and "Traceback" not in result.output
    assert server.closed.wait(5)  # the connection was closed, not left hanging
    moves = [line for line in server.received if line.startswith("P ")]
    assert len(moves) == 5  # the refused one was the last command: no retry, no wild move
    # the rotator was left at the last position it accepted, a point of the pass
    accepted = _moves(result.stdout)
    assert len(accepted) == 4 and f"P {accepted[-1]['azimuth_deg']:.2f}" in moves[3]


def test_dry_run_prints_the_track_commands_and_connects_to_nothing(timescale):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        endpoint = f"127.0.0.1:{listener.getsockname()[1]}"
        result = invoke("track", "spot7", "--tle-file", SPOT7, "--start", BEFORE_PASS,
                        "--passes", "1", "--rotctld", endpoint, "--dry-run", "--park", "90,0",
                        "--az-range", "-180:180")  # fmt: skip
        listener.settimeout(0.01)
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody connected
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()]
    assert len(rows) > 20 and all(r[1] == "rotctld" and r[2] == "P" for r in rows)
    (es,) = read_file(SPOT7)
    for stamp, _daemon, _p, az, el in rows[1:-1]:  # between the pre-position and the park
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
        (t,) = track(es, [BAKU], when, when, 1.0, timescale=timescale)
        assert abs((float(az) - t.azimuth_deg[0] + 180.0) % 360.0 - 180.0) <= 0.2
        assert abs(float(el) - max(t.elevation_deg[0], 0.0)) <= 0.2
    assert rows[-1][3:] == ["90.00", "0.00"]
    # the pre-position is the AOS azimuth of the pass (passes says where it rises)
    item = first_pass()
    rise_az = item["rise"]["azimuth_deg"]
    assert abs((float(rows[0][3]) - rise_az + 180.0) % 360.0 - 180.0) <= 0.2
    assert "AOS in" not in result.stderr  # no status line without a terminal


def test_status_line_is_drawn_on_a_terminal(timescale):
    controller, terminal = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:  # read as it comes: a full terminal buffer would block the child
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed its end
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        process = subprocess.Popen(
            [PASSPREDICT, "track", "spot7", "--tle-file", SPOT7, "--start", BEFORE_PASS,
             "--passes", "1", "--dry-run", "--rotctld", "127.0.0.1:4533"],
            stdout=subprocess.PIPE, stderr=terminal, text=True,
        )  # fmt: skip
        os.close(terminal)
        out, _ = process.communicate(timeout=120)
        reader.join(10)
    finally:
        os.close(controller)
    screen = b"".join(chunks)
    assert process.returncode == 0
    text = screen.decode()
    frames = [f for f in text.split("\r\x1b[K") if f]
    countdown = [f for f in frames if "AOS in" in f]
    tracking = [f for f in frames if "LOS in" in f]
    assert countdown and tracking, text[:500]
    # the first countdown is from --start to the AOS that passes gives
    item = first_pass()
    aos = datetime.fromisoformat(item["rise"]["time"].replace("Z", "+00:00"))
    left = round((aos - datetime(2026, 5, 30, 17, 14, tzinfo=UTC)).total_seconds())
    assert countdown[0].startswith(f"SPOT 7: AOS in {left // 60:02d}:{left % 60:02d}")
    # while tracking: the satellite's az/el (as track gives) and what was sent
    match = re.match(r"SPOT 7: az +([\d.]+) el +([\d.-]+) \| sent", tracking[0])
    assert match, tracking[0]
    (es,) = read_file(SPOT7)
    (t,) = track(es, [BAKU], aos, aos, 1.0, timescale=timescale)
    assert abs(float(match.group(1)) - t.azimuth_deg[0]) <= 0.01
    assert " rotctld P " in out  # the commands still go to stdout


def test_unresolvable_host_name_is_one_line():
    host = "a" * 64 + ".example"  # a label over 63 characters: no resolver can look it up
    result = invoke("track", "spot7", "--tle-file", SPOT7, "--start", BEFORE_PASS,
                    "--rotctld", f"{host}:4533")  # fmt: skip
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert "is not a host name" in result.stderr and "Traceback" not in result.output


def test_plan_text_says_how_each_pass_is_flown():
    args = ("track", "spot7", "--tle-file", SPOT7, "--start", BEFORE_PASS, "--plan",
            "--passes", "2", "--az-range", "-180:180", "--el-max", "90")  # fmt: skip
    text = invoke(*args).stdout.splitlines()
    rows = json.loads(invoke(*args, "--format", "json").stdout)
    assert len(text) == len(rows) == 2
    for line, row in zip(text, rows, strict=True):
        assert line.startswith(f"SPOT 7: AOS {row['aos_utc']} LOS {row['los_utc']} max el ")
        assert f"azimuth {row['aos_azimuth_deg']:.1f} -> {row['los_azimuth_deg']:.1f}" in line
        assert "normal" in line and "of -180:180" in line
        assert "never crosses the stop" in line
    # the JSON's own numbers agree with passes: the first pass's rise
    assert rows[0]["aos_utc"][:19] == first_pass()["rise"]["time"][:19]


def test_watch_exits_0_on_sigterm(tmp_path):
    process = subprocess.Popen(
        [PASSPREDICT, "watch", "spot7", "--tle-file", SPOT7, "--start", "2026-05-30T17:14:17Z",
         "--speed", "1", "--before", "5m", "--exec", "true"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PASSPREDICT_HOME": str(tmp_path)},
    )  # fmt: skip
    try:
        first = process.stdout.readline()  # the before-AOS event: now it sleeps until LOS
        assert " AOS SPOT 7 " in first, process.stderr.read() if process.poll() else first
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert out == "" and "Traceback" not in err  # no LOS: it stopped while waiting
