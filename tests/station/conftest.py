"""Fixtures that start hamlib's real daemons with their dummy devices (see hamlib_daemons)."""

from __future__ import annotations

import pytest
from hamlib_daemons import start_daemon, stop_daemon


@pytest.fixture
def rotctld(tmp_path):
    """hamlib's dummy rotator (azimuth -180..450, elevation 0..90, as the backend has it)."""
    daemon = start_daemon("rotctld", tmp_path)
    yield daemon
    stop_daemon(daemon)


@pytest.fixture
def rotctld_flip(tmp_path):
    """The dummy rotator configured as a 0..360 / 0..180 deg (over-the-top) rotator."""
    daemon = start_daemon("rotctld", tmp_path, "min_az=0", "max_az=360", "max_el=180")
    yield daemon
    stop_daemon(daemon)


@pytest.fixture
def rigctld(tmp_path):
    """hamlib's dummy radio."""
    daemon = start_daemon("rigctld", tmp_path)
    yield daemon
    stop_daemon(daemon)
