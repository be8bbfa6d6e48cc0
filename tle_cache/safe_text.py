"""Text from outside made safe to print and to store: control characters, credentials.

A server's error body, a ``Location`` header or an exception's text can hold anything: ESC
sequences that clear the screen or set the window title, bidirectional overrides that reorder
a line. `printable` makes such text one inert line before it reaches a message, the fetch log
or a terminal (the same rules as `passpredict.output.terminal.clean`, which this package does not
import). A base URL may carry ``user:password@``: `without_credentials` takes it out of
anything that is stored or printed (the client still sends it, see `tle_cache.fetch`).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

#: Shown in place of a control character (visible, harmless).
REPLACEMENT = "\ufffd"

_WHITESPACE_CONTROLS = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
#: Bidirectional embeddings, overrides, isolates and marks: they reorder what a line shows.
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_TRANSLATION = {
    **{code: REPLACEMENT for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))},
    **{ord(c): " " for c in _WHITESPACE_CONTROLS},
    **{ord(c): REPLACEMENT for c in _BIDI_CONTROLS},
}

# ``scheme://userinfo@`` anywhere, and a leading ``userinfo@host`` (a stored source).
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")
_LEADING_USERINFO = re.compile(r"^[^\s/?#]*@(?=\S)")


def printable(text: object) -> str:
    """Return `text` as one printable line: line breaks and tabs become spaces, every other
    control character (ESC, BEL, CSI, DEL, C1) and bidirectional control becomes U+FFFD."""
    value = str(text)
    if value.isascii() and value.isprintable():
        return value
    return value.translate(_TRANSLATION)


def without_credentials(text: str) -> str:
    """Return `text` with the ``user:password@`` of every URL in it removed.

    Also removes a leading ``user:password@`` before a host, as a set's source read from a
    store written by an older version holds it (``user:pw@mirror CATNR=25544 fetched ...``).
    """
    if "@" not in text:
        return text
    return _LEADING_USERINFO.sub("", _URL_USERINFO.sub(r"\1", text))


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """Split ``scheme://user:password@host/...`` into the URL without them and the pair.

    The pair is percent-decoded (``p%40ss`` is ``p@ss``), as HTTP Basic auth sends it; None
    when the URL carries no user name.
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    credentials = (unquote(parts.username or ""), unquote(parts.password or ""))
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host)), credentials
