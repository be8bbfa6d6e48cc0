"""Driving a ground station: the antenna rotator and the radio, through hamlib's daemons.

- `hamlib`: the rotctld/rigctld network protocol (our own client, with timeouts).
- `wrap`: which way the rotator turns for a pass (cable wrap, mechanical stop, flip).
- `doppler`: the frequencies to tune for a range rate.
- `clock`: the real clock and the simulated one (`--start ... --speed N`).
- `tracker`: the live tracking loop (pre-position, track, park).
- `watch`: the AOS/LOS hook loop (`passpredict watch`).

May import: the leaf modules, the engine, the products and the inputs (beside the output layer,
not above it). Never output, runs, web or cli.
"""
