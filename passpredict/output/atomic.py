"""Files written whole or not at all: a temporary file beside the target, renamed into place.

A picture or a GeoJSON file written by `passpredict plot` is first written to a temporary name
in the target's directory and then renamed over the target (`os.replace`, atomic on one file
system), so a failed or interrupted run never leaves half a file. The file gets the mode a
plainly created one would (0666 less the umask; `mkstemp` makes 0600): a picture is for sharing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace_atomically(path: Path, write: Callable[[str], None], suffix: str = "") -> None:
    """Call `write` with a temporary path beside `path`, then rename the result onto `path`.

    `suffix` ends the temporary name (matplotlib reads the format from it). On any error the
    temporary file is removed and the error raised; `path` is untouched.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` whole or not at all."""

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(text)

    replace_atomically(path, write)


def current_umask() -> int:
    """Return the process's umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
