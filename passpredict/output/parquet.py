"""Passes as a Parquet file, for notebooks and data tools (pyarrow, in the notebooks extra).

The file holds one row per pass: the columns of `passpredict.output.dataframes.to_dataframe` (the
`Pass` record's names with units, `rise_utc`, `rise_azimuth_deg`, ..., times as UTC
timestamps to the microsecond, full precision, absent values null), made from the pass
columns without a record per pass. What is not a pass (the window, observers, element sets,
geostationary looks, notes, warnings) rides along as the JSON document of `--format json`
without its passes, in the schema metadata under the key ``passpredict``:
``json.loads(pyarrow.parquet.read_schema(f).metadata[b"passpredict"])``.
"""

from __future__ import annotations

import io
import json
import warnings
from dataclasses import replace
from typing import BinaryIO

from passpredict.extras import import_optional
from passpredict.products.predict import Prediction

#: The schema-metadata key of the prediction's other parts.
METADATA_KEY = b"passpredict"


def check_parquet() -> None:
    """Raise `ModuleNotFoundError` with the install command unless pandas and pyarrow import."""
    import_optional("pandas", "--format parquet")
    import_optional("pyarrow.parquet", "--format parquet")


def write_parquet(out: BinaryIO, prediction: Prediction, frequency_hz: float | None = None) -> None:
    """Write the prediction's passes to `out` as one Parquet file (see the module docstring);
    `frequency_hz` goes in the metadata's window (the file has range rates, not Doppler)."""
    from passpredict.output.dataframes import GeostationaryLeftOut, to_dataframe
    from passpredict.output.formats import prediction_dict

    pa = import_optional("pyarrow", "--format parquet")
    pq = import_optional("pyarrow.parquet", "--format parquet")
    with warnings.catch_warnings():
        # the file's metadata carries the geostationary looks (the module docstring)
        warnings.simplefilter("ignore", GeostationaryLeftOut)
        frame = to_dataframe(prediction)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    rest = prediction_dict(replace(prediction, passes=(), table=None), frequency_hz)
    del rest["passes"]
    metadata = {**(table.schema.metadata or {}), METADATA_KEY: json.dumps(rest).encode()}
    table = table.replace_schema_metadata(metadata)
    buffer = io.BytesIO()  # pyarrow seeks back in a file; a pipe cannot
    pq.write_table(table, buffer)
    out.write(buffer.getvalue())
