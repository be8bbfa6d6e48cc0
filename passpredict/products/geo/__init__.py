"""Geostationary products: pointing a dish, the look over a window, the arc, sun outages, eclipses.

`pointing` (where to point a dish: azimuth, elevation, skew, the daily wobble), `look` (a GEO
satellite's look record and threshold crossings over a window), `lasting` (whether one stays
above or below the threshold for good), `arc` (the geostationary arc
from one place, and the separation from a target), `sun_outages`, `eclipses`.

May import what `passpredict.products` may (leaf modules, the engine) and the other products.
No eager imports here.
"""
