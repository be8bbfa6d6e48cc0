"""`passes --format parquet`: where the binary file goes, and what is said when it cannot.

The file goes to stdout, as every other format does (`passpredict passes --format parquet >
passes.parquet`), but not to a terminal: binary there is noise, so that is a usage error
naming the fix. Without pandas or pyarrow (the notebooks extra) it is one line with the
install command, said before any computing.
"""

from __future__ import annotations

import sys
from typing import Any, BinaryIO

import click

from passpredict.output.parquet import check_parquet, write_parquet


def parquet_stdout() -> BinaryIO:
    """Return the binary stdout to write Parquet to, after checking it can be written."""
    try:
        check_parquet()
    except ModuleNotFoundError as error:
        raise click.ClickException(str(error)) from None
    stream = sys.stdout.buffer
    if sys.stdout.isatty():
        raise click.UsageError(
            "--format parquet writes a binary file: redirect stdout, e.g. > passes.parquet"
        )
    return stream


def emit_parquet(stream: BinaryIO, prediction: Any, frequency_hz: float | None) -> None:
    """Write the passes as Parquet (`passpredict.output.parquet`); the other parts ride in its
    metadata, so nothing is said about them here."""
    write_parquet(stream, prediction, frequency_hz)
    stream.flush()
