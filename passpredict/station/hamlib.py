"""A client for hamlib's network daemons, rotctld (rotators) and rigctld (radios).

The protocol is lines of text over TCP. Every command is sent in hamlib's *extended response*
mode (a leading ``+``): the daemon then echoes the command name, prints each value as
``Key: value`` and always ends with ``RPRT n``, so a reply's end is known without guessing how
many lines a command returns; ``n`` is 0 on success and minus a hamlib error code otherwise
(``RPRT -1``: invalid parameter, e.g. a position outside the rotator's range).

Commands used (the short forms of hamlib's rotctl/rigctl): rotator ``P az el`` (set position),
``p`` (get position), ``S`` (stop), ``\\dump_state`` (limits); radio ``F hz`` / ``f`` (main
VFO frequency), ``S 1 VFOB`` (split on, transmit on VFO B), ``I hz`` / ``i`` (transmit
frequency while split).

Every socket operation has a timeout (connect, then each read). Failures raise `HamlibError`
subclasses with a one-line message naming the daemon, the address and a fix.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

#: Seconds to wait for a connection, and for each reply.
CONNECT_TIMEOUT_S = 3.0
REPLY_TIMEOUT_S = 5.0
#: Longest reply accepted (bytes): a reply longer than this is not hamlib talking.
_MAX_REPLY_BYTES = 65536

#: hamlib's error codes (rig.h, `enum rig_errcode_e`), as `RPRT -n` reports them.
HAMLIB_ERRORS = {
    1: "invalid parameter",
    2: "invalid configuration",
    3: "out of memory",
    4: "function not implemented",
    5: "communication timed out",
    6: "I/O error",
    7: "internal hamlib error",
    8: "protocol error",
    9: "command rejected by the device",
    10: "argument truncated",
    11: "function not available",
    12: "VFO not targetable",
    13: "bus error",
    14: "bus busy",
    15: "invalid argument",
    16: "invalid VFO",
    17: "argument out of domain",
}


class HamlibError(Exception):
    """A hamlib daemon could not be reached or refused a command (one-line message).

    `daemon` names the daemon ("rotctld", "rigctld") when the error came from a command sent
    over an open connection.
    """

    daemon: str | None = None


class HamlibConnectError(HamlibError):
    """The daemon is down, refuses connections, or its host is unknown."""


class HamlibReplyError(HamlibError):
    """The daemon answered ``RPRT -n`` (`code` is n, positive) or something unreadable."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Endpoint:
    """Where a daemon listens: `host` (a name, IPv4 or IPv6 address) and TCP `port`."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_endpoint(text: str) -> Endpoint:
    """Parse ``HOST:PORT`` (``localhost:4533``, ``[::1]:4533``; ``:4533`` means localhost).

    Raises `ValueError` naming the text and the accepted form.
    """
    raw = str(text).strip()
    form = "give HOST:PORT, e.g. localhost:4533 or [::1]:4533"
    if raw.startswith("["):
        host, sep, rest = raw[1:].partition("]")
        if not sep or not rest.startswith(":"):
            raise ValueError(f"{text!r} is not HOST:PORT; {form}")
        port_text = rest[1:]
    else:
        host, sep, port_text = raw.rpartition(":")
        if not sep or ":" in host:
            raise ValueError(f"{text!r} is not HOST:PORT; {form}")
    host = host or "localhost"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"{text!r}: the port must be a number from 1 to 65535; {form}")
    if any(ch.isspace() for ch in host):
        raise ValueError(f"{text!r}: the host has a space in it; {form}")
    try:
        host.encode("idna")  # what socket.getaddrinfo does first: an empty or long label fails
    except UnicodeError:
        raise ValueError(
            f"{text!r}: {host!r} is not a host name (each dot-separated part must have 1 to 63 "
            f"characters); {form}"
        ) from None
    return Endpoint(host, int(port_text))


class HamlibConnection:
    """One TCP connection to rotctld or rigctld, speaking the extended response protocol.

    `daemon` ("rotctld" or "rigctld") only words the messages. Use as a context manager, or
    call `close`.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        daemon: str,
        *,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        reply_timeout_s: float = REPLY_TIMEOUT_S,
    ) -> None:
        self.endpoint = endpoint
        self.daemon = daemon
        self.reply_timeout_s = reply_timeout_s
        try:
            self._socket = socket.create_connection(
                (endpoint.host, endpoint.port), timeout=connect_timeout_s
            )
        except socket.gaierror as error:
            raise HamlibConnectError(
                f"cannot find the {daemon} host {endpoint.host!r} ({error.strerror}); "
                f"check the address given as HOST:PORT"
            ) from None
        except TimeoutError:
            raise HamlibConnectError(
                f"{daemon} at {endpoint} did not answer within {connect_timeout_s:g} s; "
                "check that it runs and that no firewall is in the way"
            ) from None
        except OSError as error:
            raise HamlibConnectError(
                f"cannot connect to {daemon} at {endpoint}: "
                f"{(error.strerror or str(error)).lower()}; start it (e.g. '{daemon} -m 1 "
                f"-t {endpoint.port}' for hamlib's dummy device) or fix the address"
            ) from None
        self._socket.settimeout(reply_timeout_s)
        self._buffer = b""

    def __enter__(self) -> HamlibConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._socket.close()

    def command(self, text: str) -> dict[str, str]:
        """Send one command, return its ``Key: value`` lines as a dict (values stripped).

        Raises `HamlibReplyError` for ``RPRT -n`` or an unreadable reply and
        `HamlibConnectError` when the connection breaks or the reply times out.
        """
        try:
            return self._command(text)
        except HamlibError as error:
            error.daemon = self.daemon
            raise

    def _command(self, text: str) -> dict[str, str]:
        line = f"+{text}\n".encode("ascii")
        try:
            self._socket.sendall(line)
            lines = self._read_reply()
        except TimeoutError:
            raise HamlibConnectError(
                f"{self.daemon} at {self.endpoint} did not answer {text.split()[0]!r} within "
                f"{self.reply_timeout_s:g} s; check the daemon and its device"
            ) from None
        except OSError as error:
            raise HamlibConnectError(
                f"lost the connection to {self.daemon} at {self.endpoint}: "
                f"{(error.strerror or str(error)).lower()}; check that it still runs"
            ) from None
        status = lines[-1]
        try:
            code = int(status.split()[1])
        except (IndexError, ValueError):
            raise HamlibReplyError(
                f"{self.daemon} at {self.endpoint} sent an unreadable status {status!r}"
            ) from None
        if code != 0:
            reason = HAMLIB_ERRORS.get(-code, "unknown error")
            raise HamlibReplyError(
                f"{self.daemon} at {self.endpoint} refused {text!r}: RPRT {code} ({reason})",
                -code,
            )
        values: dict[str, str] = {}
        for item in lines[:-1]:
            key, sep, value = item.partition(":")
            if sep:
                values[key.strip()] = value.strip()
        return values

    def _read_reply(self) -> list[str]:
        """Read lines up to and including the closing ``RPRT n``."""
        lines: list[str] = []
        while True:
            while b"\n" not in self._buffer:
                if len(self._buffer) > _MAX_REPLY_BYTES:
                    raise HamlibReplyError(
                        f"{self.daemon} at {self.endpoint} sent a reply over "
                        f"{_MAX_REPLY_BYTES} bytes; is this a hamlib daemon?"
                    )
                chunk = self._socket.recv(4096)
                if not chunk:
                    raise ConnectionResetError(0, "the daemon closed the connection")
                self._buffer += chunk
            raw, _, self._buffer = self._buffer.partition(b"\n")
            text = raw.decode("ascii", errors="replace").strip()
            lines.append(text)
            if text.startswith("RPRT"):
                return lines
            if len(lines) > 200:
                raise HamlibReplyError(
                    f"{self.daemon} at {self.endpoint} sent no RPRT line; is this a hamlib "
                    "daemon (rotctld or rigctld)?"
                )


def _number(values: dict[str, str], key: str, where: HamlibConnection) -> float:
    try:
        return float(values[key])
    except (KeyError, ValueError):
        raise HamlibReplyError(
            f"{where.daemon} at {where.endpoint} sent no readable {key!r} in {values!r}"
        ) from None


@dataclass(frozen=True)
class RotatorRange:
    """The positions a rotator accepts (from ``\\dump_state``), degrees."""

    azimuth_min_deg: float
    azimuth_max_deg: float
    elevation_min_deg: float
    elevation_max_deg: float


class Rotator:
    """An antenna rotator behind rotctld."""

    def __init__(self, connection: HamlibConnection) -> None:
        self.connection = connection

    def set_position(self, azimuth_deg: float, elevation_deg: float) -> None:
        """Send ``P az el`` (two decimals: 0.01 deg, finer than any rotator's resolution)."""
        self.connection.command(f"P {azimuth_deg:.2f} {elevation_deg:.2f}")

    def position(self) -> tuple[float, float]:
        """Return the (azimuth, elevation) the rotator reports, degrees."""
        values = self.connection.command("p")
        return (
            _number(values, "Azimuth", self.connection),
            _number(values, "Elevation", self.connection),
        )

    def stop(self) -> None:
        """Send ``S``: stop moving."""
        self.connection.command("S")

    def range(self) -> RotatorRange | None:
        """Return the rotator's limits, or None if the daemon does not tell them."""
        try:
            values = self.connection.command("\\dump_state")
        except HamlibReplyError:
            return None
        try:
            return RotatorRange(
                float(values["Minimum Azimuth"]),
                float(values["Maximum Azimuth"]),
                float(values["Minimum Elevation"]),
                float(values["Maximum Elevation"]),
            )
        except (KeyError, ValueError):
            return None


class Radio:
    """A radio behind rigctld."""

    def __init__(self, connection: HamlibConnection) -> None:
        self.connection = connection

    def set_frequency(self, frequency_hz: float) -> None:
        """Send ``F hz`` (whole hertz) to the current (receive) VFO."""
        self.connection.command(f"F {round(frequency_hz)}")

    def frequency_hz(self) -> float:
        """Return the current VFO's frequency (hertz)."""
        return _number(self.connection.command("f"), "Frequency", self.connection)

    def enable_split(self) -> None:
        """Send ``S 1 VFOB``: split on, transmitting on VFO B (the uplink)."""
        self.connection.command("S 1 VFOB")

    def set_split_frequency(self, frequency_hz: float) -> None:
        """Send ``I hz``: the transmit frequency while split."""
        self.connection.command(f"I {round(frequency_hz)}")

    def split_frequency_hz(self) -> float:
        """Return the transmit frequency while split (hertz)."""
        return _number(self.connection.command("i"), "TX Frequency", self.connection)
