"""Every human table fits a terminal narrower than 80 columns (`passpredict.output.grid`'s rule).

Was: the tables were laid out for 80 columns and up; at ``COLUMNS=60`` the pass rows ran to
77 cells (the geostationary arc to 82, even at 80), and the terminal wrapped them into a mess.
Now columns fold under the row, lowest priority first, until the rows fit; at 80 columns and
up the goldens (tests/test_golden.py) are unchanged.
"""

from __future__ import annotations

import re

import pytest
from golden import (
    AZERSPACE1,
    GEO_BELT,
    ISS_AUG,
    SPOT7,
    TARGETS,
    VISUAL,
    Case,
    run_case,
)
from rich.cells import cell_len

from passpredict.output.grid import Column, Grid

D30 = ("--start", "2026-05-30T18:00Z")
COMMANDS = {
    "passes": ("passes", "--tle-file", VISUAL, "--start", "2026-05-08T00:00Z", "--days", "0.3"),
    "passes-every-column": (
        "passes", "--tle-file", SPOT7, *D30, "--days", "1", "--frequency-mhz", "437.5",
        "--std-mag", "40053=5.5", "--magnetic", "--format", "table",
    ),
    "passes-geo": ("passes", "--tle-file", AZERSPACE1, "--start", "2026-08-22T00:00Z"),
    "geo": ("geo", "39079", "--tle-file", AZERSPACE1, "--at", "2026-08-22T00:00Z", "--magnetic"),
    "geo-arc": (
        "geo", "--arc", "--near", "AZERSPACE 1", "--offset-deg", "22.3", "--tle-file", GEO_BELT,
        "--at", "2026-08-23T00:00Z",
    ),
    "track": (
        "track", "40053", "--tle-file", SPOT7, "--start", "2026-05-30T18:55Z", "--minutes", "3",
        "--step", "60", "--magnetic", "--frequency-mhz", "437.5",
    ),
    "eclipses": ("eclipses", "39079", "--tle-file", AZERSPACE1, "--start", "2026-08-22T00:00Z"),
    "eclipses-leo": ("eclipses", "25544", "--tle-file", ISS_AUG, "--start", "2026-08-21T00:00Z"),
    "sun-outages": (
        "sun-outages", "39079", "--tle-file", AZERSPACE1, "--start", "2026-09-01T00:00Z",
        "--days", "60",
    ),
    "observers": ("observers", "list"),
}  # fmt: skip


@pytest.mark.parametrize("columns", [40, 60, 79])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_line_is_wider_than_the_terminal(name: str, columns: int, tmp_path) -> None:
    case = Case(name, COMMANDS[name], columns)
    lines = run_case(case, tmp_path / "home").decode().splitlines()
    assert len(lines) > 3
    wide = [line for line in lines if cell_len(line) > columns]
    assert not wide, f"{len(wide)} lines wider than {columns}: {wide[:3]}"


@pytest.mark.parametrize("columns", [40, 60, 79])
def test_tle_status_fits(columns: int, tmp_path) -> None:
    case = Case("status", ("tle", "status"), columns, imports=(TARGETS, ISS_AUG))
    lines = run_case(case, tmp_path / "home").decode().splitlines()
    assert lines and max(map(cell_len, lines)) <= columns


def test_a_folded_pass_keeps_every_value_under_its_row(tmp_path) -> None:
    """Nothing is lost: each folded column's value is under the row, after its header."""
    wide = run_case(Case("w", COMMANDS["passes-every-column"], 200), tmp_path / "a").decode()
    narrow = run_case(Case("n", COMMANDS["passes-every-column"], 40), tmp_path / "b").decode()
    rows = [line for line in wide.splitlines() if line.startswith("SPOT 7 ") and "°" in line]
    assert len(rows) == 5
    flat = " ".join(narrow.replace("│", " ").split())  # the folded parts, unwrapped
    for row in rows:  # each cell of the wide row is somewhere in the narrow table
        for cell in row.split("│")[1:6]:  # rise to duration (the rest: the details)
            words = re.sub(r"^\w{3} \d\d \w{3} ", "", " ".join(cell.split()))  # the date: a heading
            if words:
                assert words in flat, words
    assert "Culmination 23:01:27 W" in narrow  # culmination folds before Max el and Set


def test_the_fold_order_is_by_priority_then_from_the_right() -> None:
    grid = Grid(
        [
            Column("Name", shrink=True),
            Column("A", priority=1),
            Column("B"),
            Column("C", priority=1),
            Column("D"),
        ]
    )
    grid.add_row("Satellite", "aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd")
    assert [line.text for line in grid.render(80)] == [line.text for line in grid.render(None)]
    assert sorted(grid.fitted_widths(60)) == [0, 1, 2, 3, 4]  # it fits: nothing folds
    # 9 + 4 * (3 + 8) = 53, the name cut first (to 6 at most): at 36 two columns must go, D (the
    # right-most of the lowest priority) then B; the name gets its room back
    assert grid.fitted_widths(40) == {0: 7, 1: 8, 2: 8, 3: 8}
    assert sorted(grid.fitted_widths(36)) == [0, 1, 3]
    text = [line.text for line in grid.render(36)]
    assert text[2] == "Satellite │ aaaaaaaa │ cccccccc"
    assert text[3] == "          │ B bbbbbbbb, D dddddddd"
    # too narrow for anything but the first column: it is cut, the rest fold
    assert sorted(grid.fitted_widths(8)) == [0]
