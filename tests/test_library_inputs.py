"""What a notebook user hands the library: numpy numbers, dates, strings; answers or clear errors.

Found by sweep7's sweep of the library API (issue 11, round 8): each case here once gave a false
message or a bare AttributeError instead.
"""

import numpy as np
import pytest

from passpredict.records import Observer


@pytest.mark.parametrize("number", [np.int64(40), np.float32(40.25), np.int32(40)])
def test_observer_takes_numpy_numbers_as_floats(number):
    # was "latitude_deg must be a finite number, got np.int64(40)": false, and what a frame's
    # integer column gives (row.elevation_m of an itertuples row)
    observer = Observer("Roof", number, number, number)
    for value in (observer.latitude_deg, observer.longitude_deg, observer.elevation_m):
        assert type(value) is float and value == float(number)


def test_observer_keeps_python_numbers_as_given():
    observer = Observer("Roof", 40, 49.5, 30)
    assert (observer.latitude_deg, observer.elevation_m) == (40, 30)
    assert type(observer.latitude_deg) is int  # unchanged: outputs print what was given


@pytest.mark.parametrize(
    "value", [np.float64("nan"), np.float32("inf"), np.bool_(True), "40", None]
)
def test_observer_still_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(ValueError, match="latitude_deg must be a finite number"):
        Observer("Roof", value, 0.0)


def test_observer_range_check_names_the_numpy_value():
    with pytest.raises(ValueError, match=r"latitude_deg must be between -90 and \+90, got 91.0"):
        Observer("Roof", np.int64(91), 0.0)
