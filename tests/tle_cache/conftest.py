"""Shared fixtures for the tle_cache tests: the copied real data and small helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from tle_cache.elements import ElementSet

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "tle"

#: Offsets from the epoch at which two renderings of one set are compared.
COMPARE_OFFSETS = (timedelta(0), timedelta(hours=7), timedelta(days=1), timedelta(days=3))


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture
def read_data() -> Callable[[str], str]:
    """Return a reader of a test data file as text, line endings untouched."""

    def read(name: str) -> str:
        return (DATA_DIR / name).read_bytes().decode("utf-8")

    return read


@pytest.fixture
def positions_km() -> Callable[[ElementSet], np.ndarray]:
    """Return a function giving a set's SGP4 TEME positions (km) at `COMPARE_OFFSETS`."""

    def positions(element_set: ElementSet) -> np.ndarray:
        sat = element_set.satrec()
        rows = []
        for offset in COMPARE_OFFSETS:
            error, position, _ = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF + offset / timedelta(1))
            assert error == 0, f"SGP4 error {error} for {element_set.name}"
            rows.append(position)
        return np.array(rows)

    return positions


def checksum(line: str) -> int:
    """Independent TLE checksum: digits add their value, '-' adds 1, the rest 0."""
    total = 0
    for character in line[:68]:
        if character.isdigit():
            total += int(character)
        elif character == "-":
            total += 1
    return total % 10


@pytest.fixture
def edit_line() -> Callable[..., str]:
    """Return a function that overwrites columns of a TLE line (1-based), fixing the checksum.

    With ``keep_checksum=True`` the old checksum digit stays, to build a checksum error.
    """

    def edit(line: str, first_column: int, text: str, *, keep_checksum: bool = False) -> str:
        start = first_column - 1
        edited = line[:start] + text + line[start + len(text) :]
        if keep_checksum:
            return edited
        return edited[:68] + str(checksum(edited))

    return edit


@pytest.fixture
def independent_checksum() -> Callable[[str], int]:
    """Return the test suite's own TLE checksum, to check lines the library wrote."""
    return checksum
