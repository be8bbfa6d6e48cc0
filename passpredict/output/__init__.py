"""Output: what the user reads, built from library results; nothing here computes a prediction.

`formats` (JSON, CSV, NDJSON writers), `pass_output` and `textarrays` (the columnar pass
writers), `emit` (writing a result to stdout or a file), `atomic` (files written whole or not
at all), `tables`, `grid` and `terminal` (rich
tables and plain text for a terminal), `geo_json` and `geo_text` (the geostationary
commands' JSON objects and tables), `ical` and `outage_ical` (calendars), `dataframes`
(pandas), `geojson_track`, `plots` (a package: one module per picture) and `worldmap`
(matplotlib figures and the coastlines they draw).

May import: the leaf modules, the engine, the products and the inputs. Never station, runs, web
or cli. No eager imports here: pandas and matplotlib load when a feature first needs them.
"""
