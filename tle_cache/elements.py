"""The element-set record every other module passes around.

An `ElementSet` is one published set of mean elements for one object. It always carries the
CCSDS OMM fields (the 17 keys CelesTrak serves, as strings or numbers), because OMM is the only
format that can name catalog numbers of 100000 and up. When the set was read from a TLE, the two
original lines are kept as well, so that the SGP4 model is initialised from exactly the digits
the publisher printed (a TLE and its OMM rendering are not bit-identical).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, overload

from sgp4 import omm as sgp4_omm
from sgp4.api import WGS72, Satrec

#: The OMM keys CelesTrak serves, in its order (see docs: celestrak.md).
OMM_KEYS: tuple[str, ...] = (
    "OBJECT_NAME",
    "OBJECT_ID",
    "EPOCH",
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "EPHEMERIS_TYPE",
    "CLASSIFICATION_TYPE",
    "NORAD_CAT_ID",
    "ELEMENT_SET_NO",
    "REV_AT_EPOCH",
    "BSTAR",
    "MEAN_MOTION_DOT",
    "MEAN_MOTION_DDOT",
)

#: Largest catalog number the SGP4 record itself can hold (Alpha-5 range); larger numbers
#: are kept in `ElementSet.norad_id` and the record gets 0.
_SATREC_MAX_SATNUM = 339999


class _KeptNumber:
    """A number computed from an instance once, on first read, then kept in its `__dict__`,
    where later reads find it without calling this descriptor again.

    `functools.cached_property` does the same, but on Python 3.11 takes a lock on every first
    read (about 1 us); an element set's numbers are pure functions of its fields.
    """

    def __init__(self, compute: Callable[[Any], float]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__
        self.name = compute.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _KeptNumber: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> float: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> float | _KeptNumber:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True)
class ElementSet:
    """One mean-element set: who (NORAD id, name), when (epoch, UTC) and the OMM fields.

    Not hashable (it holds the OMM mapping); key collections by `(norad_id, epoch_utc)`.

    `source` says where the set came from (a file path, a URL, ``"bundled"``) so that outputs
    can tell the user which data a prediction used; `selected` says why this set of its
    satellite was chosen for a window (``"latest at or before the window start"``; see
    `tle_cache.nearest`), empty when the caller chose it.
    """

    norad_id: int
    name: str
    epoch_utc: datetime
    omm: Mapping[str, Any]
    tle_lines: tuple[str, str] | None = None
    source: str = ""
    selected: str = ""
    _satrec_cache: list[Satrec] = field(default_factory=list, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.epoch_utc.tzinfo is None:
            raise ValueError(
                f"epoch_utc must be timezone-aware, got {self.epoch_utc!r}; "
                "use datetime(..., tzinfo=datetime.UTC)"
            )

    @classmethod
    def from_parsed_tle(
        cls,
        norad_id: int,
        name: str,
        epoch_utc: datetime,
        omm: Mapping[str, Any],
        tle_lines: tuple[str, str],
        source: str,
        satrec: Satrec,
    ) -> ElementSet:
        """Return the set a parser has read and checked, with the SGP4 record it built from
        `tle_lines` (what `satrec` would build).

        The same instance the constructor makes (the same `__dict__`, in field order), without
        its frozen per-field assignments and check: 0.4 us instead of 1.2 us, for a catalogue's
        15,000 sets (issue 11). `epoch_utc` must be timezone-aware, as the constructor demands.
        """
        element_set = object.__new__(cls)
        element_set.__dict__.update(
            norad_id=norad_id,
            name=name,
            epoch_utc=epoch_utc,
            omm=omm,
            tle_lines=tle_lines,
            source=source,
            selected="",
            _satrec_cache=[satrec],
        )
        return element_set

    # The mean elements as numbers, read off the OMM fields once and kept in the instance's
    # __dict__ (`_KeptNumber` writes there directly, which a frozen dataclass allows): a
    # catalogue run reads them ~40 times per set (classification, grids, bounds), 640,000
    # reads of 15,347 sets, ~0.1 s as float(omm[key]) each time. The OMM mapping is never
    # changed after the set is made (`replace` makes a new set, with no kept numbers).

    @_KeptNumber
    def mean_motion_rev_per_day(self) -> float:
        return float(self.omm["MEAN_MOTION"])

    @_KeptNumber
    def eccentricity(self) -> float:
        return float(self.omm["ECCENTRICITY"])

    @_KeptNumber
    def inclination_deg(self) -> float:
        return float(self.omm["INCLINATION"])

    @_KeptNumber
    def period_min(self) -> float:
        return 1440.0 / self.mean_motion_rev_per_day

    def age_days(self, at_utc: datetime) -> float:
        """Return how many days `at_utc` lies after the epoch (negative before it)."""
        return (at_utc - self.epoch_utc).total_seconds() / 86400.0

    def satrec(self) -> Satrec:
        """Return the SGP4 model of this set (built once, then reused).

        From TLE lines when we have them (sgp4's `twoline2rv`), else from the OMM fields by
        `sgp4.omm.initialize` (WGS72 constants, the standard for SGP4 element sets), which gives
        the satrec of the same set's TLE element for element, the epoch within the microsecond
        OMM prints (tests/tle_cache/test_omm_satrec.py, all 15,347 active objects). sgp4 holds
        catalog numbers 100000-339999 as Alpha-5 and refuses larger ones, so those records get
        0; the number itself lives on in `norad_id` and the OMM fields.
        """
        if not self._satrec_cache:
            try:
                sat = self._build_satrec()
            except Exception as exc:  # a value SGP4's C types refuse (issue 16)
                stamp = self.epoch_utc.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                raise ValueError(
                    f"SGP4 cannot use the element set of {self.name} ({self.norad_id}) with "
                    f"epoch {stamp} ({type(exc).__name__}: {str(exc)[:80]}); if an older "
                    f"passpredict stored it, drop it: passpredict tle forget {self.norad_id} "
                    f"--epoch {stamp}"
                ) from exc
            self._satrec_cache.append(sat)
        return self._satrec_cache[0]

    def _build_satrec(self) -> Satrec:
        if self.tle_lines is not None:
            return Satrec.twoline2rv(*self.tle_lines, WGS72)
        fields = {k: str(v) for k, v in self.omm.items()}
        if int(fields["NORAD_CAT_ID"]) > _SATREC_MAX_SATNUM:
            fields["NORAD_CAT_ID"] = "0"
        fields.setdefault("OBJECT_ID", "")
        fields["EPOCH"] = format_omm_epoch(self.epoch_utc)  # sgp4 needs the fraction
        sat = Satrec()
        sgp4_omm.initialize(sat, fields, WGS72)
        return sat


def format_omm_epoch(epoch_utc: datetime) -> str:
    """Format an epoch the way CelesTrak's OMM does: ISO 8601, microseconds, no zone letter."""
    return epoch_utc.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def parse_omm_epoch(text: str) -> datetime:
    """Parse an OMM `EPOCH` (UTC, fraction and trailing ``Z`` optional) to an aware datetime."""
    cleaned = text.strip().removesuffix("Z")
    parsed = datetime.fromisoformat(cleaned)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
