"""What a notebook user hands the library: numpy numbers, dates, strings; answers or clear errors.

Found by sweep7's sweep of the library API (issue 11, round 8): each case here once gave a false
message or a bare AttributeError instead.
"""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from passpredict.engine.passes import find_passes
from passpredict.products.predict import predict
from passpredict.records import Observer
from tle_cache.bundled import load_bundled

START = datetime(2026, 5, 31, tzinfo=UTC)


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


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2026, 5, 31), "a date"),
        ("2026-05-31T00:00Z", "a str"),
        (np.datetime64("2026-05-31T00:00"), "a datetime64"),
    ],
)
@pytest.mark.parametrize("search", [predict, find_passes])
def test_a_time_that_is_not_a_datetime_is_a_type_error_that_shows_the_fix(
    timescale, search, value, shown
):
    # was AttributeError: 'str' object has no attribute 'tzinfo'
    spot7 = [es for es in load_bundled() if es.norad_id == 40053]
    observer = Observer("Baku", 40.4093, 49.8671)
    with pytest.raises(TypeError, match=rf"start must be an aware datetime, got {shown} ") as e:
        search(spot7, [observer], value, START + timedelta(days=1), 10.0, timescale=timescale)
    assert "tzinfo=UTC" in str(e.value)


def test_find_passes_refuses_an_observer_with_a_horizon_mask_it_would_ignore(timescale):
    # find_passes searches above min_elevation_deg only (the engine knows no masks): it gave
    # passes behind the observer's wall with no word, where predict cuts them at the mask
    spot7 = [es for es in load_bundled() if es.norad_id == 40053]
    wall = ((0.0, 5.0), (90.0, 5.0), (100.0, 40.0), (180.0, 40.0), (190.0, 5.0))
    yard = Observer("Yard", 40.4093, 49.8671, horizon=wall)
    end = START + timedelta(days=3)
    with pytest.raises(ValueError, match=r"horizon mask of Yard.*predict") as e:
        find_passes(spot7, [yard], START, end, 10.0, timescale)
    assert "replace(observer, horizon=None)" in str(e.value)
    masked = predict(spot7, [yard], START, end, 10.0, timescale=timescale).passes
    flat = find_passes(spot7, [Observer("Yard", 40.4093, 49.8671)], START, end, 10.0, timescale)
    assert [p.set.time_utc for p in masked] != [p.set.time_utc for p in flat]  # what it hid


def _search_call(search, astronomy, **changes):
    spot7 = [es for es in load_bundled() if es.norad_id == 40053]
    arguments = {
        "element_sets": spot7,
        "observers": [Observer("Baku", 40.4093, 49.8671)],
        "start_utc": START,
        "end_utc": START + timedelta(days=1),
        "min_elevation_deg": 10.0,
        "timescale": astronomy.timescale,
        **changes,
    }
    return search(**arguments)


@pytest.mark.parametrize("search", [predict, find_passes])
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # each was an AttributeError or a TypeError that named no argument
        ({"observers": ["Baku"]}, r"observers must hold Observer records, got a str 'Baku'.*"
         r"find_observer\('Baku', builtin_observers\(\)\)"),
        ({"observers": [(40.4, 49.9)]}, r"got a tuple \(40.4, 49.9\).*Observer\(name, "),
        ({"min_elevation_deg": "10"}, r"min_elevation_deg must be a number of degrees, got a "
         r"str '10'"),
        ({"min_elevation_deg": None}, "min_elevation_deg must be a number of degrees, got a "
         "NoneType None"),
        ({"timescale": "astronomy"}, r"timescale must be a skyfield Timescale, got a str"),
    ],
)  # fmt: skip
def test_a_wrong_argument_type_is_a_type_error_naming_it(astronomy, search, changes, message):
    with pytest.raises(TypeError, match=message):
        _search_call(search, astronomy, **changes)


@pytest.mark.parametrize("search", [predict, find_passes])
def test_the_astronomy_for_the_timescale_says_which_part_to_pass(astronomy, search):
    # was "cannot create weak reference to 'Astronomy' object" from skyfield
    with pytest.raises(TypeError, match=r"got an Astronomy.*astronomy\.timescale"):
        _search_call(search, astronomy, timescale=astronomy)


def test_visibility_must_be_visibility_options(astronomy):
    # was AttributeError: 'Astronomy' object has no attribute 'astronomy'
    with pytest.raises(TypeError, match=r"visibility must be VisibilityOptions or None, got an "
                       r"Astronomy.*VisibilityOptions\(astronomy\)"):  # fmt: skip
        _search_call(predict, astronomy, visibility=astronomy)
    with pytest.raises(TypeError, match="got a bool True"):
        _search_call(predict, astronomy, visibility=True)


@pytest.mark.parametrize("search", [predict, find_passes])
def test_one_bare_set_or_observer_says_to_wrap_it_in_a_list(astronomy, search):
    spot7 = next(es for es in load_bundled() if es.norad_id == 40053)
    with pytest.raises(TypeError, match=r"element_sets must be a sequence of ElementSet.*\["):
        _search_call(search, astronomy, element_sets=spot7)
    with pytest.raises(TypeError, match=r"wrap it in a list: \[observer\]"):
        _search_call(search, astronomy, observers=Observer("Baku", 40.4093, 49.8671))


@pytest.mark.parametrize("search", [predict, find_passes])
def test_observers_may_come_from_a_generator(astronomy, search):
    # find_passes read them twice: IndexError: list index out of range
    listed = _search_call(search, astronomy)
    observers = (o for o in [Observer("Baku", 40.4093, 49.8671)])
    generated = _search_call(search, astronomy, observers=observers)
    assert list(generated if search is find_passes else generated.passes) == list(
        listed if search is find_passes else listed.passes
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # a NORAD number as text matched no satellite: the magnitudes were silently dropped
        ({"std_magnitudes": {"25544": -1.8}}, r"std_magnitudes keys must be NORAD numbers "
         r"\(int\), got a str '25544'; e.g. \{25544: -1.8\}"),
        ({"std_magnitudes": {25544: "-1.8"}}, r"std_magnitudes\[25544\] must be a finite "
         r"number, got a str '-1.8'"),
        ({"twilight_deg": "civil"}, r"twilight_deg must be a number of degrees, got a str "
         r"'civil'.*parse_twilight\('civil'\)"),
    ],
)  # fmt: skip
def test_visibility_options_refuse_what_they_would_misread(astronomy, changes, message):
    from passpredict.products.visibility import VisibilityOptions

    with pytest.raises(TypeError, match=message):
        VisibilityOptions(astronomy, **changes)


def test_visibility_options_need_the_astronomy_not_the_timescale(astronomy):
    from passpredict.products.visibility import VisibilityOptions

    with pytest.raises(TypeError, match=r"astronomy must be an Astronomy.*load_astronomy\(\)"):
        VisibilityOptions(astronomy.timescale)
