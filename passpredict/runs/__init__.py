"""Runs: a batch of satellites cut into chunks, run locally or on a Dask cluster.

`batch` (chunks, runners, the streaming of each chunk's rows to the output writers as it
arrives), `distributed` (the Dask runner). They sit above the output layer because a batch
writes each chunk as it comes back, so memory stays bounded however long the run; the command
line only chooses the runner and the destination.

May import: the leaf modules, the engine, the products, the inputs and the output layer. Never
station, web or cli. No eager imports here.
"""
