"""The hamlib client against the real daemons (dummy devices), and against a refusing port."""

from __future__ import annotations

import socket
import threading

import pytest

from passpredict.station.hamlib import (
    Endpoint,
    HamlibConnectError,
    HamlibConnection,
    HamlibReplyError,
    Radio,
    Rotator,
    parse_endpoint,
)


def test_set_position_reaches_the_daemon_and_reads_back(rotctld):
    with HamlibConnection(rotctld.endpoint, "rotctld") as connection:
        rotator = Rotator(connection)
        rotator.set_position(123.456, 45.678)
        az, el = rotator.position()
    assert rotctld.received("P") == [("123.46", "45.68")]
    # the dummy rotator moves at a finite speed: it reports where it is on its way
    assert 0.0 <= az <= 123.46 and 0.0 <= el <= 45.68


def test_rotator_limits_come_from_the_daemon(rotctld, rotctld_flip):
    with HamlibConnection(rotctld.endpoint, "rotctld") as connection:
        limits = Rotator(connection).range()
    assert (limits.azimuth_min_deg, limits.azimuth_max_deg) == (-180.0, 450.0)
    assert (limits.elevation_min_deg, limits.elevation_max_deg) == (0.0, 90.0)
    with HamlibConnection(rotctld_flip.endpoint, "rotctld") as connection:
        limits = Rotator(connection).range()
    assert (limits.azimuth_max_deg, limits.elevation_max_deg) == (360.0, 180.0)


def test_out_of_range_position_is_rprt_minus_one(rotctld):
    with (
        HamlibConnection(rotctld.endpoint, "rotctld") as connection,
        pytest.raises(HamlibReplyError) as caught,
    ):
        Rotator(connection).set_position(10.0, 95.0)
    assert caught.value.code == 1
    assert "RPRT -1 (invalid parameter)" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_radio_frequencies_and_split(rigctld):
    with HamlibConnection(rigctld.endpoint, "rigctld") as connection:
        radio = Radio(connection)
        radio.set_frequency(145_800_123.4)
        assert radio.frequency_hz() == 145_800_123
        radio.enable_split()
        radio.set_split_frequency(435_000_017)
        assert radio.split_frequency_hz() == 435_000_017
    assert rigctld.received("F")[-1][-1] == "145800123"
    assert rigctld.received("I")[-1][-1] == "435000017"


def test_refused_port_is_one_line():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(HamlibConnectError) as caught:
        HamlibConnection(Endpoint("127.0.0.1", port), "rotctld")
    message = str(caught.value)
    assert "refused" in message and f"rotctld -m 1 -t {port}" in message
    assert "\n" not in message


def test_silent_server_times_out():
    """A server that accepts but never answers: the read timeout, not a hang."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True)
    thread.start()
    try:
        connection = HamlibConnection(Endpoint("127.0.0.1", port), "rotctld", reply_timeout_s=0.2)
        with pytest.raises(HamlibConnectError, match=r"did not answer 'p' within 0\.2 s"):
            Rotator(connection).position()
        connection.close()
    finally:
        thread.join(timeout=5)
        for conn, _ in accepted:
            conn.close()
        server.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("localhost:4533", Endpoint("localhost", 4533)),
        (":4532", Endpoint("localhost", 4532)),
        ("[::1]:4533", Endpoint("::1", 4533)),
        ("10.0.0.5:4533", Endpoint("10.0.0.5", 4533)),
    ],
)
def test_parse_endpoint(text, expected):
    assert parse_endpoint(text) == expected


@pytest.mark.parametrize("text", ["localhost", "host:0", "host:70000", "host:abc", "::1:4533"])
def test_parse_endpoint_refuses(text):
    with pytest.raises(ValueError, match="HOST:PORT"):
        parse_endpoint(text)


def test_missing_daemon_skips_outside_ci_and_fails_under_ci(monkeypatch, tmp_path):
    from hamlib_daemons import _binary

    monkeypatch.setenv("PATH", str(tmp_path))  # no rotctld here
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install libhamlib-utils"):
        _binary("rotctld")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install libhamlib-utils"):
        _binary("rotctld")
