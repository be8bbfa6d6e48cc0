"""The command line's magnetic policy: --magnetic refuses in one line, otherwise null + warning."""

from __future__ import annotations

from datetime import UTC, datetime

import click
import numpy as np
import pytest

from passpredict.cli.magnetic import magnetic_policy
from passpredict.products.magnetic import declination
from passpredict.records import Observer

BAKU = Observer("Baku", 40.4093, 49.8671, -28.0)
#: Near the north magnetic pole: horizontal field 287 nT in 2026, inside the blackout zone.
POLE = Observer("Pole camp", 86.5, 150.0, 0.0)
JUNE = datetime(2026, 6, 1, tzinfo=UTC)


def test_required_and_outside_the_epoch_is_one_warning_and_true_azimuths_there():
    """The issue: a date outside the WMM epoch range is said, and falls back to true azimuths
    (the window's other times keep their bearings); it was a usage error before."""
    end = datetime(2030, 1, 2, tzinfo=UTC)
    policy = magnetic_policy([BAKU], JUNE, end, required=True)
    assert policy.usable == {"Baku": True}
    (problem,) = policy.problems
    assert problem.startswith("--magnetic: 2030-01-02 is outside") and "\n" not in problem
    inside, outside = policy.declinations_deg(BAKU, JUNE, [0.0, (end - JUNE).total_seconds()])
    assert inside == pytest.approx(declination(40.4093, 49.8671, -28.0, JUNE).declination_deg)
    assert np.isnan(outside)


def test_required_and_in_the_blackout_zone_is_a_usage_error():
    with pytest.raises(click.UsageError, match="blackout zone"):
        magnetic_policy([BAKU, POLE], JUNE, JUNE, required=True)


def test_not_required_gives_true_azimuths_only_for_that_observer():
    policy = magnetic_policy([BAKU, POLE], JUNE, JUNE, required=False)
    assert policy.usable == {"Baku": True, "Pole camp": False}
    assert len(policy.problems) == 1 and policy.problems[0].startswith("Pole camp: ")
    assert policy.declinations_deg(POLE, JUNE, [0.0]) is None
    (d,) = policy.declinations_deg(BAKU, JUNE, [0.0])
    assert d == pytest.approx(declination(40.4093, 49.8671, -28.0, JUNE).declination_deg)
