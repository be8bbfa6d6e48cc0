"""The text helpers of the human output: rounding to the second, cleaning untrusted text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from test_tables import EVIL

from passpredict.output.tables import format_age_days, printed_duration, round_to_second
from passpredict.output.terminal import clean, fit, output_width, safe, wrap, wrap_parts


def test_round_to_second_rounds_half_up():
    base = datetime(2026, 5, 31, 9, 19, 57, tzinfo=UTC)
    assert round_to_second(base + timedelta(microseconds=600_000)).second == 58
    assert round_to_second(base + timedelta(microseconds=499_999)).second == 57
    assert round_to_second(base + timedelta(microseconds=500_000)).second == 58
    assert round_to_second(datetime(2026, 12, 31, 23, 59, 59, 700_000, tzinfo=UTC)) == datetime(
        2027, 1, 1, tzinfo=UTC
    )


def test_a_duration_is_the_difference_of_the_printed_times():
    rise = datetime(2026, 5, 31, 9, 19, 57, 600_000, tzinfo=UTC)  # prints 09:19:58
    set_ = rise + timedelta(seconds=142.8)  # 09:22:20.4, prints 09:22:20
    assert printed_duration(rise, set_) == "2m22s"  # 09:22:20 - 09:19:58, not round(142.8)


def test_clean_and_safe():
    assert clean("SPOT 7") == "SPOT 7"
    cleaned = clean(EVIL)
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202e]", cleaned)
    assert cleaned.startswith("EVIL[/] [link=https://example.invalid]click[/link]")
    assert "RLO NEXT" in cleaned  # the newline became a space: one name, one line
    assert safe("[/]\x1b") == "\\[/]\ufffd"


def test_format_age_days_has_no_negative_zero():
    assert [format_age_days(x) for x in (-0.04, -0.05001, 0.04, 1.26)] == [
        "0.0",
        "-0.1",
        "0.0",
        "1.3",
    ]


def test_output_width_order():
    class Tty:
        def isatty(self):
            return False

    assert output_width(Tty(), {"COLUMNS": "80"}) == 80
    assert output_width(Tty(), {}) is None  # a pipe or file: no limit
    assert output_width(Tty(), {"COLUMNS": "0"}) is None
    assert output_width(Tty(), {"COLUMNS": "wide"}) is None


def test_wrap_and_fit_count_cells():
    assert fit("★★★★", 3) == "★★…"
    lines = wrap("a " * 50 + "/" + "x" * 100, 40, "  Note: ", "  ")
    assert all(len(line) <= 40 for line in lines) and lines[0].startswith("  Note: a a")
    assert wrap_parts(["one", "two"], 80) == ["one; two"]
    assert wrap_parts(["x" * 50, "y" * 50], 80) == ["x" * 50 + ";", "y" * 50]
    assert wrap_parts(["x" * 50, "y" * 50], None) == ["x" * 50 + "; " + "y" * 50]


def test_table_times_print_as_strftime_does_in_every_kind_of_zone():
    # time_text writes HH:MM:SS by time.isoformat (faster), the dated form by strftime: both
    # as strftime prints them, across a day and DST changes in zones either side of UTC
    import random
    from zoneinfo import ZoneInfo

    from passpredict.output.table_cells import time_text

    rng = random.Random(7)
    zones = [ZoneInfo(z) for z in ("UTC", "Asia/Baku", "America/St_Johns", "Europe/London")]
    zones.append(UTC)
    moments = [
        datetime(2026, 3, 8, 6, 30, tzinfo=UTC) + timedelta(seconds=s) for s in range(0, 7200, 7)
    ]
    moments += [
        datetime(2026, 1, 1, tzinfo=UTC)
        + timedelta(microseconds=rng.randrange(366 * 86_400_000_000))
        for _ in range(3000)
    ]
    for zone in zones:
        for moment in moments:
            local = round_to_second(moment).astimezone(zone)
            assert time_text(moment, zone, False) == local.strftime("%H:%M:%S")
            assert time_text(moment, zone, True) == local.strftime("%a %d %b %H:%M:%S")
