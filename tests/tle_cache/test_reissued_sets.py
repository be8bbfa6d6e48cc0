"""A set re-issued under the same epoch with other elements: the newest received wins.

CelesTrak re-issues corrected sets without changing the epoch. The store used to keep the first
set of an epoch and silently drop the correction (``INSERT OR IGNORE`` on the primary key);
now the newer replaces it, in `tle refresh`, `tle import` and every lookup alike, and the
replaced set is kept as superseded. The expectations are the elements the test serves.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from celestrak_server import CelestrakServer, Reply, data_text, load_sets
from click.testing import CliRunner
from conftest import checksum

from tle_cache.store import SCHEMA_VERSION, open_store, open_store_for_reading, store_path
from tle_cache.store_writes import same_elements

NOW = datetime(2026, 8, 23, 6, 0, tzinfo=UTC)
ISS = 25544
#: The correction: the mean anomaly moved by this much (a set several minutes off in time).
SHIFT_DEG = 2.5


@pytest.fixture
def server():
    with CelestrakServer() as running:
        yield running


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def _run(home, *args: str, url: str = "http://127.0.0.1:9", now_utc: datetime = NOW):
    from passpredict.cli.tle import tle_group

    result = CliRunner().invoke(
        tle_group,
        list(args),
        obj={"now_utc": now_utc},
        env={"PASSPREDICT_HOME": str(home), "PASSPREDICT_CELESTRAK_URL": url},
    )
    assert not isinstance(result.exception, Exception), f"traceback: {result.exception!r}"
    return result


def _newest_iss_tle() -> list[str]:
    """The three lines of the newest ISS set of the test data."""
    return data_text("iss_25544_last4.tle").splitlines()[-3:]


def _corrected_tle(lines: list[str]) -> list[str]:
    """The same set with its mean anomaly (columns 44-51 of line 2) moved by `SHIFT_DEG`."""
    line2 = lines[2]
    anomaly = (float(line2[43:51]) + SHIFT_DEG) % 360.0
    body = f"{line2[:43]}{anomaly:8.4f}{line2[51:68]}"
    return [lines[0], lines[1], body + str(checksum(body))]


def _corrected_omm() -> dict:
    """The newest ISS set as CelesTrak's OMM JSON would carry it, corrected."""
    [iss] = load_sets("iss_25544_last4.tle")[-1:]
    omm = dict(iss.omm)
    omm["MEAN_ANOMALY"] = round((float(omm["MEAN_ANOMALY"]) + SHIFT_DEG) % 360.0, 4)
    return omm


def test_a_refresh_replaces_a_stored_set_of_the_same_epoch_and_keeps_the_older(
    tmp_path, home, server
):
    original = tmp_path / "iss.tle"
    original.write_text("\n".join(_newest_iss_tle()) + "\n")
    assert "imported 1 new" in _run(home, "import", str(original)).stdout
    corrected = _corrected_omm()
    server.route("CATNR=25544", Reply(200, json.dumps([corrected]).encode()))

    result = _run(home, "refresh", "--catnr", str(ISS), "-v", url=server.url)

    assert result.exit_code == 0, result.output
    assert "stored 0 new element set(s); 1 replaced a stored set of the same epoch" in (
        result.stderr
    )
    with open_store_for_reading(store_path(home)) as store:
        [latest] = store.latest([ISS])
        [chosen] = store.sets_for_window(NOW, NOW + timedelta(hours=6), [ISS]).chosen
        [older] = store.superseded(ISS)
        history = store.history(ISS)
    for element_set in (latest, chosen):  # was the first set stored, before the fix
        assert float(element_set.omm["MEAN_ANOMALY"]) == corrected["MEAN_ANOMALY"]
        assert element_set.source.startswith(f"{server.host} CATNR=25544 fetched")
    assert older.tle_lines == tuple(_newest_iss_tle()[1:])  # nothing received is lost
    assert older.source.startswith("file ")
    assert [s.epoch_utc for s in history].count(latest.epoch_utc) == 1  # one current per epoch


def test_an_import_replaces_a_downloaded_set_and_the_same_elements_again_change_nothing(
    tmp_path, home, server
):
    [iss] = load_sets("iss_25544_last4.tle")[-1:]
    server.route("CATNR=25544", Reply(200, json.dumps([dict(iss.omm)]).encode()))
    assert _run(home, "refresh", "--catnr", str(ISS), url=server.url).exit_code == 0
    same = tmp_path / "same.tle"  # the TLE of the very set the download stored as OMM
    same.write_text("\n".join(_newest_iss_tle()) + "\n")

    again = _run(home, "import", str(same))

    assert again.stdout.startswith("imported 0 new element set(s)")
    assert "replaced" not in again.stdout
    corrected = tmp_path / "corrected.tle"
    corrected.write_text("\n".join(_corrected_tle(_newest_iss_tle())) + "\n")

    result = _run(home, "import", str(corrected))

    assert "(0 already stored); 1 replaced a stored set of the same epoch" in result.stdout
    with open_store_for_reading(store_path(home)) as store:
        [latest] = store.latest([ISS])
        superseded = store.superseded(ISS)
    assert latest.tle_lines == tuple(_corrected_tle(_newest_iss_tle())[1:])
    assert [s.tle_lines for s in superseded] == [None]  # the downloaded OMM set, kept
    assert same_elements(superseded[0].omm, iss.omm)


def test_the_bundled_snapshot_never_replaces_a_corrected_set(home):
    path = store_path(home)
    with open_store(path) as store:
        [bundled] = store.latest([40053])
        omm = dict(bundled.omm)
        omm["MEAN_ANOMALY"] = (float(omm["MEAN_ANOMALY"]) + SHIFT_DEG) % 360.0
        fixed = type(bundled)(40053, bundled.name, bundled.epoch_utc, omm, source="x")
        assert store.add_sets([fixed], "a corrected download", NOW).replaced == 1
    with open_store(path) as store:  # opening tops the store up with the bundled sets
        [latest] = store.latest([40053])
        assert latest.omm["MEAN_ANOMALY"] == omm["MEAN_ANOMALY"]
        assert [s.source for s in store.superseded(40053)] == ["bundled"]


def test_a_version_2_store_is_migrated_and_then_keeps_what_a_correction_replaces(home):
    path = store_path(home)
    with open_store(path) as store:
        before = {(s.norad_id, s.epoch_utc) for s in store.history(40053)}
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE superseded_sets; PRAGMA user_version = 2;")
    conn.close()
    with open_store(path) as store:
        assert {(s.norad_id, s.epoch_utc) for s in store.history(40053)} == before
        [bundled] = store.latest([40053])
        omm = dict(bundled.omm, MEAN_ANOMALY=(float(bundled.omm["MEAN_ANOMALY"]) + 1.0) % 360)
        fixed = type(bundled)(40053, bundled.name, bundled.epoch_utc, omm)
        assert store.add_sets([fixed], "a corrected download", NOW).replaced == 1
        assert store.superseded_count() == 1
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()


def test_history_export_with_superseded_includes_the_replaced_set_before_its_replacement(
    tmp_path, home
):
    # was: export --history left the superseded sets out, with no way to get them
    original, corrected = tmp_path / "iss.tle", tmp_path / "corrected.tle"
    original.write_text("\n".join(_newest_iss_tle()) + "\n")
    corrected.write_text("\n".join(_corrected_tle(_newest_iss_tle())) + "\n")
    assert _run(home, "import", str(original)).exit_code == 0
    assert "1 replaced" in _run(home, "import", str(corrected)).stdout

    plain = _run(home, "export", "25544", "--history").stdout.splitlines()
    full = _run(home, "export", "25544", "--history", "--superseded").stdout.splitlines()

    assert _newest_iss_tle()[2] not in plain  # the current history: the corrected set only
    assert full[-6:] == [*_newest_iss_tle(), *_corrected_tle(_newest_iss_tle())]
    assert full[:-6] + full[-3:] == plain
    refused = _run(home, "export", "25544", "--superseded")
    assert refused.exit_code == 2 and "--superseded needs --history" in refused.stderr
