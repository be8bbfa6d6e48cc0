"""Inputs: where element sets and places come from.

`satellites` (naming a satellite: NORAD number, name, group), `sources` (element sets from the
store, a file or the bundled set), `observers` (the public entry for places: it re-exports
`observer_lookup`, the built-in places and lookup by name; `observer_checks`, typed coordinates,
names and zones checked; `observers_file`, the user's observers.toml, whose text
`observers_toml` edits in place), `zones` (the IANA time zone of a place, offline).

May import: the leaf modules, the engine and the products (an observer's horizon mask is checked
by `passpredict.products.horizon`), and `tle_cache`. Never output, station, runs, web or cli.
No eager imports here.
"""
