"""Shared fixtures: the offline timescale, isolated state directory, bundled element sets."""

import pytest

from passpredict.engine.ephemeris import load_astronomy, load_timescale


@pytest.fixture(scope="session")
def timescale():
    return load_timescale()


@pytest.fixture(scope="session")
def astronomy():
    """The offline timescale and DE421 ephemeris, opened once for the whole run."""
    astronomy = load_astronomy()
    yield astronomy
    astronomy.ephemeris.close()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own PASSPREDICT_HOME, so no test touches a real user's state."""
    home = tmp_path / "home"
    monkeypatch.setenv("PASSPREDICT_HOME", str(home))
    monkeypatch.delenv("COLUMNS", raising=False)  # table layouts follow COLUMNS when it is set
    return home
