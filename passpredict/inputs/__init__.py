"""Inputs: where element sets and places come from.

`satellites` (naming a satellite: NORAD number, name, group), `sources` (element sets from the
store, a file or the bundled set), `observers` (the user's places in observers.toml, built-in
places; `observers_toml` edits that file's text in place), `zones` (the IANA time zone of a
place, offline).

May import: the leaf modules, the engine and the products (an observer's horizon mask is checked
by `passpredict.products.horizon`), and `tle_cache`. Never output, station, runs, web or cli.
No eager imports here.
"""
