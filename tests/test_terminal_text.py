"""The text helpers of the human output: rounding to the second, cleaning untrusted text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import numpy as np
from rich.cells import cell_len
from test_tables import EVIL

from passpredict.output.grid import _padded_column, one_cell_each
from passpredict.output.tables import format_age_days, printed_duration, round_to_second
from passpredict.output.terminal import (
    _packed_parts,
    clean,
    fit,
    output_width,
    safe,
    wrap,
    wrap_parts,
)


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


# --- the fast paths of the table layer against the cell-by-cell rules ---------------------------

_PIECES = ["a", "Z", " ", "9", "°", "★", "±", "…", "é", "\u0301", "界", "🛰", "(in progress)"]


def _random_texts(rng, count: int) -> list[str]:
    return ["".join(rng.choice(_PIECES, rng.integers(0, 6))) for _ in range(count)]


def test_a_column_padded_at_once_is_each_cell_padded_by_its_cells():
    rng = np.random.default_rng(5)
    for _ in range(3000):
        cells = _random_texts(rng, int(rng.integers(1, 6)))
        if rng.random() < 0.5:  # columns of plain text and the tables' marks, the usual case
            cells = [
                c for c in (x.translate({ord("é"): "e", 0x301: "", ord("界"): "j"}) for x in cells)
            ]
            cells = [c.replace("🛰", "s") for c in cells]
        width, right, shrink = (
            int(rng.integers(0, 12)),
            bool(rng.random() < 0.5),
            bool(rng.random() < 0.5),
        )
        padded = _padded_column(cells, width, right, shrink)
        if padded is None:
            continue
        for cell, out in zip(cells, padded, strict=True):
            fill = " " * max(0, width - cell_len(cell))
            assert out == (fill + cell if right else cell + fill)
            assert not (shrink and cell_len(cell) > width)


def test_one_cell_each_is_cell_len_equal_to_len():
    rng = np.random.default_rng(6)
    for text in _random_texts(rng, 5000):
        if one_cell_each(text):
            assert cell_len(text) == len(text), text
    assert not one_cell_each("界") and not one_cell_each("e\u0301")


def test_wrap_parts_on_one_line_is_the_packing_part_by_part():
    rng = np.random.default_rng(8)
    for _ in range(3000):
        parts = _random_texts(rng, int(rng.integers(0, 5)))
        width = int(rng.integers(1, 30))
        sep = str(rng.choice([", ", "; ", "  ", ",\t"]))
        first, rest = str(rng.choice(["", "  ", "★ "])), str(rng.choice(["", "    "]))
        assert wrap_parts(parts, width, sep, first, rest) == _packed_parts(
            parts, width, sep, first, rest
        )


def test_wrap_ends_on_a_letter_wider_than_the_line():
    # it used to loop for ever: nothing of a two-cell letter fits one cell
    assert wrap("界界", 1) == ["界", "界"]
    assert wrap_parts(["界界 x"], 1, ", ", "", "") == ["界", "界", "x"]
