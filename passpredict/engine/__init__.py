"""The engine: SGP4 propagation, frames, the window's time axis, orbit classes, the pass search.

`propagate`, `frames` (TEME to Earth-fixed to an observer's sky), `time_axis` (`TimeBase`, a
window's time axis: seconds from its start mapped to the dates SGP4 and GMST need; it was
`timebase`, a twin in name only of `passpredict.timeutil`, which parses and formats times at
the edges and stays a leaf), `orbits` (orbit classes), `rootfind` and `crossings` (bracketed
roots, threshold crossings), `ephemeris` (the timescale and ephemeris files), `sun` and
`shadow` (the Sun and Earth's shadow), `stationkeeping` (a GEO satellite held at station),
`passes` (the pass search).

May import: the leaf modules (`passpredict.records`, `home`, `extras`, `timeutil`) and itself.
Never products, inputs, output, station, runs, web or cli. No eager imports here.
"""
