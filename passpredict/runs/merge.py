"""Joining the chunk predictions of a batch run into what is printed: records or columns.

`passpredict.runs.batch.merge_predictions` joins chunks as records; `merge_as_columns` keeps
their passes as columns (`LazyPasses`) when the chunks hold them so, which a large table or
calendar needs (it builds records a slice at a time). A streamed run keeps of each chunk only
what its warnings need (`warning_cues`), and writes it with `stream_writer`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import numpy as np

from passpredict.products.columns import LazyPasses, concatenate_columns
from passpredict.runs import batch
from passpredict.runs.batch import merge_predictions

#: The formats written chunk by chunk as the chunks come (memory bounded by a chunk).
STREAM_FORMATS = ("json", "jsonl", "csv")


def stream_writer(output_format: str, magnetic: bool) -> Callable[..., Any]:
    """The chunk-by-chunk writer of a format in `STREAM_FORMATS`."""
    writers: dict[str, Callable[..., Any]] = {
        "json": batch.write_json_stream,
        "jsonl": batch.write_jsonl_stream,
        "csv": functools.partial(batch.write_csv_stream, magnetic=magnetic),
    }
    return writers[output_format]


def native_columns(output_format: str, first: Any, streamed: bool = True) -> bool:
    """Whether what is printed is drawn from merged columns (the table, the calendar, parquet;
    json, jsonl and csv too where they are not `streamed`: a run with --next): when the chunks
    hold their passes as columns already (`LazyPasses`). From records, turning each chunk into
    columns and back costs 8 s of CPU on the whole catalogue for 50 MB of memory (measured)."""
    if first is None or (streamed and output_format in STREAM_FORMATS):
        return False
    return isinstance(first.passes, LazyPasses)


def merge_as_columns(chunks: Iterable[Any]) -> Any:
    """Join chunk predictions keeping their passes as columns (`LazyPasses`), in time order
    as `merge_predictions` sorts them: each chunk's records are let go as it comes, so a large
    table holds arrays, not a record per pass (the table builds records a slice at a time).
    The first N passes of the whole run: `Prediction.first` of the result (it judges the
    elements' ages on them too)."""
    parts, rest = [], []
    for chunk in chunks:
        if len(chunk.passes):
            parts.append(chunk.columns)
        rest.append(replace(chunk, passes=(), table=None))
    merged = merge_predictions(rest)
    if not parts:
        return merged
    columns = concatenate_columns(parts)
    start_us = columns.times_utc(columns.start_s).view(np.int64)
    order = np.argsort(start_us, kind="stable")
    return replace(merged, passes=LazyPasses(columns.take(order)))


def warning_cues(prediction: Any) -> Any:
    """Keep of a streamed chunk only what the warnings need (not its passes)."""
    return replace(prediction, passes=(), satellites=(), geostationary=(), notes=(), table=None)
