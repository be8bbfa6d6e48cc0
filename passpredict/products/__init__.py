"""Products built on the engine: what a user asks for, computed from records handed in.

`predict` (passes for many satellites and observers), `columns` (passes as arrays), `visibility`
and `magnitude` (sunlit satellite, dark sky, brightness), `radio` (range rate, Doppler), `horizon`
(horizon masks), `uncertainty` (pass-time error bars), `magnetic` (declination), `staleness` (how
old an element set is for the window it is asked for), `track` (a rotator's look-angle series),
`tracks` (sampled tracks for plots), and `geo/` (geostationary satellites).

May import: the leaf modules and the engine. Never inputs (products take records, not files or
the network), output, station, runs, web or cli. No eager imports here.
"""
