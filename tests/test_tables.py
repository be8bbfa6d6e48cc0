"""What the human tables print: rounded times, ages without a negative zero, untrusted names.

Names come from files and servers: markup (``[/]``, ``[link=...]``) and escape sequences
(clear screen, window title, OSC 8 hyperlinks) in them must reach the terminal as inert text.
"""

from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pty_run import SGR, run_in_pty
from rich.console import Console

from passpredict.cli.geo import geo_command
from passpredict.cli.root import main
from passpredict.cli.tle import tle_group
from passpredict.output.tables import render_table
from passpredict.products.predict import predict
from passpredict.records import Observer
from tle_cache.bundled import load_bundled
from tle_cache.store import store_path

#: A name no terminal should act on: markup rich would parse (the lone [/] crashed the passes
#: table), erase-screen, set-window-title and an OSC 8 hyperlink, a bidi override, a newline.
EVIL = (
    "EVIL[/] [link=https://example.invalid]click[/link] [bold red]x"
    "\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://example.invalid\x1b\\here\x1b]8;;\x1b\\"
    "\u202eRLO\nNEXT"
)
SPOT7_EPOCH = datetime(2026, 5, 30, 15, 33, 32, 520384, tzinfo=UTC)


def _invoke(command, args, home: Path, now: datetime | None = None):
    result = CliRunner().invoke(
        command, args, env={"PASSPREDICT_HOME": str(home)}, obj={"now_utc": now} if now else None
    )
    assert result.exit_code == 0, result.output
    return result


def _is(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


# --- times are rounded to the second -----------------------------------------------------------


def test_pass_table_times_are_rounded_and_durations_add_up(tmp_path):
    args = ["passes", "spot7", "--start", "2026-05-31T00:00Z", "--days", "2", "--utc"]
    passes = json.loads(_invoke(main, [*args, "--format", "json"], tmp_path).stdout)["passes"]
    table = _invoke(main, args, tmp_path).stdout
    half = timedelta(milliseconds=500)
    fractions = []
    for p in passes:
        rise, culmination, set_ = (_is(p[k]["time"]) for k in ("rise", "culmination", "set"))
        fractions += [t.microsecond >= 500_000 for t in (rise, culmination, set_)]
        expected = [(t + half).strftime("%H:%M:%S") for t in (rise, culmination, set_)]
        row = next(line for line in table.splitlines() if expected[0] in line)
        assert expected[1] in row and expected[2] in row
        seconds = round(
            (
                (set_ + half).replace(microsecond=0) - (rise + half).replace(microsecond=0)
            ).total_seconds()
        )
        assert row.split("│")[5].strip() == f"{seconds // 60}m{seconds % 60:02d}s"
    assert any(fractions), "some times must round up for the test to mean anything"


# --- ages ---------------------------------------------------------------------------------------


def test_an_age_just_before_the_epoch_is_zero_not_minus_zero(tmp_path):
    start = SPOT7_EPOCH - timedelta(minutes=30)  # age -0.02 days
    args = ["passes", "spot7", "--start", start.isoformat(), "--days", "1"]
    out = _invoke(main, args, tmp_path).stdout
    row = next(line for line in out.splitlines() if line.startswith("SPOT 7") and "40053" in line)
    assert row.split("│")[4].strip() == "0.0"
    assert "-0.0" not in out
    assert "Age d: days from the epoch to the window start" in out
    status = _invoke(tle_group, ["status"], tmp_path, now=start).stdout
    assert "-0.0" not in status
    assert (
        next(line for line in status.splitlines() if line.startswith("40053")).split()[4] == "0.0"
    )
    geo_at = datetime(2026, 8, 22, 15, 0, tzinfo=UTC)  # Azerspace-1's epoch is 15:09:49
    geo = _invoke(geo_command, ["az1", "--at", geo_at.isoformat()], tmp_path).stdout
    assert "(0.0 days)" in geo and "-0.0" not in geo


# --- untrusted names ----------------------------------------------------------------------------


def _terminal_console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=80, force_terminal=True, highlight=False), buffer


def _assert_inert(raw: str) -> None:
    """Only bold/colour sequences; no other escape, no BEL, no OSC 8 hyperlink."""
    rest = SGR.sub("", raw)
    assert "\x1b" not in rest and "\x07" not in rest and "\u202e" not in rest


def test_render_table_is_safe_on_its_own(timescale):
    # names that never went through a parser: an old store, a library caller
    spot7 = next(es for es in load_bundled() if es.norad_id == 40053)
    observer = Observer(f"Roof {EVIL}", 40.4093, 49.8671, -28.0, "Asia/Baku")
    start = datetime(2026, 5, 31, tzinfo=UTC)
    prediction = predict(
        [replace(spot7, name=EVIL, source=f"file {EVIL}")],
        [observer],
        start,
        start + timedelta(days=1),
        timescale=timescale,
    )
    assert prediction.passes
    for width in (80, 200):
        console, buffer = _terminal_console()
        console.width = width
        render_table(prediction, console, None, 145.8e6)
        raw = buffer.getvalue()
        _assert_inert(raw)
        text = SGR.sub("", raw)
        assert "Roof EVIL[/] [link=https://example.invalid]click[/link]" in text


@pytest.fixture
def evil_store(tmp_path):
    """A store written by an older version: SPOT 7's name and source hold EVIL."""
    _invoke(tle_group, ["status"], tmp_path)  # creates and seeds the store
    with sqlite3.connect(store_path(tmp_path)) as db:
        changed = db.execute(
            "UPDATE element_sets SET name = ?, source = ? WHERE norad_id = 40053",
            (EVIL, f"https://example.invalid/{EVIL}"),
        ).rowcount
    assert changed >= 1
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["passes", "40053", "--start", "2026-05-31T00:00Z", "--days", "1"],
        ["passes", "40053", "--start", "2026-05-31T00:00Z", "--days", "1", "--frequency-mhz", "1"],
        ["tle", "status"],
        ["eclipses", "40053", "--start", "2026-05-30T00:00Z"],
    ],
)
def test_crafted_names_reach_a_real_terminal_as_plain_text(evil_store, args):
    for columns in (80, 200):
        screen = run_in_pty(args, evil_store, columns=columns)
        assert screen.exit_code == 0, screen.stderr
        assert "Traceback" not in screen.stderr
        _assert_inert(screen.raw)
        # the markup is printed as written (a long name may be wrapped between its words)
        assert "EVIL[/]" in screen.text
        assert "[link=https://example.invalid]click[/link]" in screen.text
        assert screen.too_wide(columns) == []


# --- the pass table streams ---------------------------------------------------------------------


def _spot7_table(timescale, name: str, width: int | None = None) -> str:
    from passpredict.output.terminal import table_console

    spot7 = next(es for es in load_bundled() if es.norad_id == 40053)
    observer = Observer("Roof", 40.4093, 49.8671, -28.0, "Asia/Baku")
    start = datetime(2026, 5, 31, tzinfo=UTC)
    prediction = predict(
        [replace(spot7, name=name)],
        [observer],
        start,
        start + timedelta(days=3),
        timescale=timescale,
        radio=True,
    )
    assert len(prediction.passes) > 3
    buffer = io.StringIO()
    render_table(prediction, table_console(buffer, width), None, 145.8e6)
    return buffer.getvalue()


def test_a_name_holding_the_packing_separators_stays_one_cell(timescale):
    # the pass table packs a pass's texts into one string, split on \x1f and \x1e
    for width in (None, 80):
        assert _spot7_table(timescale, "SPOT\x1f7\x1eX", width) == _spot7_table(
            timescale, "SPOT 7 X", width
        )


def test_the_pass_table_is_the_same_in_chunks_of_one(timescale, monkeypatch):
    import passpredict.output.grid as grid
    import passpredict.output.pass_table as pass_table

    whole = {width: _spot7_table(timescale, "SPOT 7", width) for width in (None, 80, 120)}
    monkeypatch.setattr(pass_table, "TABLE_SLICE_ROWS", 1)
    monkeypatch.setattr(grid, "PRINT_BATCH_LINES", 1)
    for width, text in whole.items():
        assert _spot7_table(timescale, "SPOT 7", width) == text
