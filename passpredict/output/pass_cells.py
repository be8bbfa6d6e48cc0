"""Table cells of what a pass carries beyond its geometry: its error bar and compass bearings.

`passpredict.output.tables` draws the pass table; these are its cells for the fields of
`passpredict.products.pass_extras` (`Pass.time_uncertainty_s`, `PassPoint.azimuth_magnetic_deg`).
"""

from __future__ import annotations

from passpredict.records import Pass

#: Time uncertainties (s) up to this are left out of the table (JSON and CSV have them all).
SHOWN_UNCERTAINTY_S = 1.0


def uncertainty_cell(p: Pass) -> str:
    """The error bar of a pass's times (``±12 s``) when it exceeds a second, else empty."""
    value = p.time_uncertainty_s
    if value is None or not value > SHOWN_UNCERTAINTY_S:
        return ""
    return f"±{value:,.0f} s"


def compass_cell(p: Pass) -> str:
    """The compass (magnetic) azimuths at rise, culmination and set (``-`` where none)."""
    bearings = []
    for point in (p.rise, p.culmination, p.set):
        if point is None or point.azimuth_magnetic_deg is None:
            bearings.append("-")
        else:
            bearings.append(f"{point.azimuth_magnetic_deg:.0f}°")
    return " ".join(bearings)
