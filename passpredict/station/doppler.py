"""The frequencies to tune for a satellite's range rate: downlink, uplink, transponders.

To first order in v/c (`passpredict.products.radio`): a downlink sent at `F` arrives at
`F (1 - rr/c)`; for the satellite to receive an uplink at `U`, the ground transmits at
`U / (1 - rr/c)`. `rr` is the range rate, negative while the satellite approaches.

The satellite-frame pair (`downlink_hz`, `uplink_hz`) stays fixed while the ground
frequencies follow the Doppler shift: the signal keeps its place in the transponder's
passband. When the operator retunes the receiver (the radio reports a downlink that is not
the one last sent), `retuned` moves the satellite-frame downlink there and the uplink with
it: by the same amount on a normal transponder, by the opposite amount on an inverting one
(`inverting`, where the downlink passband is the uplink's mirrored), so that the uplink
still lands where the downlink is heard.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from passpredict.products.radio import SPEED_OF_LIGHT_KM_S


@dataclass(frozen=True)
class DopplerPlan:
    """Satellite-frame frequencies (hertz) and the smallest change worth sending."""

    downlink_hz: float
    uplink_hz: float | None = None
    inverting: bool = False
    step_hz: float = 10.0

    def __post_init__(self) -> None:
        for label, value in (("downlink", self.downlink_hz), ("uplink", self.uplink_hz)):
            if value is not None and not value > 0.0:
                raise ValueError(f"the {label} frequency must be above 0 Hz, got {value!r}")
        if not self.step_hz > 0.0:
            raise ValueError(f"the Doppler step must be above 0 Hz, got {self.step_hz!r}")
        if self.inverting and self.uplink_hz is None:
            raise ValueError("an inverting transponder needs an uplink frequency too")

    def ground_downlink_hz(self, range_rate_km_s: float) -> float:
        """Return the frequency to receive on."""
        return self.downlink_hz * (1.0 - range_rate_km_s / SPEED_OF_LIGHT_KM_S)

    def ground_uplink_hz(self, range_rate_km_s: float) -> float | None:
        """Return the frequency to transmit on (None without an uplink)."""
        if self.uplink_hz is None:
            return None
        return self.uplink_hz / (1.0 - range_rate_km_s / SPEED_OF_LIGHT_KM_S)

    def retuned(self, heard_hz: float, range_rate_km_s: float) -> DopplerPlan:
        """Return the plan after the operator tuned the receiver to `heard_hz`."""
        downlink = heard_hz / (1.0 - range_rate_km_s / SPEED_OF_LIGHT_KM_S)
        moved = downlink - self.downlink_hz
        uplink = self.uplink_hz
        if uplink is not None:
            uplink = uplink - moved if self.inverting else uplink + moved
        return replace(self, downlink_hz=downlink, uplink_hz=uplink)
