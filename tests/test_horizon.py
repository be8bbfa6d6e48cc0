"""Horizon masks: masked passes against a brute-force 1 s oracle of the same mask; mask files."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from passpredict.products.horizon import mask_from_points, read_mask_file
from passpredict.products.predict import predict
from passpredict.records import Observer
from tle_cache.parse import read_file

DATA = Path(__file__).parent / "data"
SPOT7 = DATA / "visibility" / "spot7_40053_2026-05-30.tle"
ISS = DATA / "predict" / "iss_2026-08_five_sets.tle"
MASK_FILE = DATA / "horizon" / "rooftop.txt"
START = datetime(2026, 5, 30, 0, 0, tzinfo=UTC)
#: What the issue promises: masked rise and set within 1 s of the 1 s oracle.
ORACLE_TOLERANCE_S = 1.0


def _mask_oracle(path: Path):
    """The skyline read and interpolated here, not by passpredict.products.horizon: linear in
    azimuth between the file's points, wrapping across north."""
    points = [
        tuple(float(v) for v in line.split())
        for line in path.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    az = np.array([a for a, _ in points])
    el = np.array([e for _, e in points])

    def elevation_at(azimuth_deg):
        return np.interp(np.mod(azimuth_deg, 360.0), az, el, period=360.0)

    return elevation_at


def oracle_intervals(element_set, observer, mask_path, min_el, start, end, timescale):
    """Every 1 s sample where Skyfield's full-accuracy altitude clears max(mask, min_el);
    runs of them, as (first, last) seconds since `start`. Independent of the engine: the
    elevation comes from `(satellite - wgs84.latlon(...)).at(t).altaz()` and the mask from
    `_mask_oracle`."""
    line1, line2 = element_set.tle_lines
    satellite = EarthSatellite(line1, line2, element_set.name, timescale)
    place = wgs84.latlon(observer.latitude_deg, observer.longitude_deg, observer.elevation_m)
    seconds = np.arange(0.0, (end - start).total_seconds() + 0.5, 1.0)
    t = timescale.from_datetimes([start + timedelta(seconds=float(x)) for x in seconds])
    alt, az, _ = (satellite - place).at(t).altaz()
    mask = _mask_oracle(mask_path)
    above = alt.degrees >= np.maximum(mask(az.degrees), min_el)
    edges = np.diff(above.astype(int))
    ups = list(np.flatnonzero(edges == 1) + 1)
    downs = list(np.flatnonzero(edges == -1))
    if above[0]:
        ups.insert(0, 0)
    if above[-1]:
        downs.append(len(above) - 1)
    return [(seconds[a], seconds[b]) for a, b in zip(ups, downs, strict=True)]


@pytest.mark.parametrize(("path", "min_el"), [(SPOT7, 0.0), (SPOT7, 10.0), (ISS, 5.0)])
def test_masked_passes_match_the_brute_force_oracle(timescale, path, min_el):
    es = read_file(path)[0]
    mask = read_mask_file(MASK_FILE)
    start = max(START, es.epoch_utc)
    end = start + timedelta(days=1)
    plain = Observer("Roof", 40.4093, 49.8671, -28.0)
    roof = Observer("Roof", 40.4093, 49.8671, -28.0, horizon=mask.points())
    masked = predict([es], [roof], start, end, min_el, timescale=timescale).passes
    unmasked = predict([es], [plain], start, end, min_el, timescale=timescale).passes
    expected = oracle_intervals(es, roof, MASK_FILE, min_el, start, end, timescale)
    got = [
        (
            (p.rise.time_utc - start).total_seconds() if p.rise else 0.0,
            (p.set.time_utc - start).total_seconds() if p.set else (end - start).total_seconds(),
        )
        for p in masked
    ]
    assert len(got) == len(expected), (got, expected)
    for (rise, set_), (first, last) in zip(got, expected, strict=True):
        # the oracle's first sample above lies in [rise, rise + 1 s), its last in (set - 1, set]
        assert first - ORACLE_TOLERANCE_S <= rise <= first + 1e-6
        assert last - 1e-6 <= set_ <= last + ORACLE_TOLERANCE_S
    # the mask hides something here: fewer or shorter passes than without it
    assert sum(b - a for a, b in got) < sum(p.duration_s or 0 for p in unmasked)
    for p in masked:
        assert p.rise is None or p.rise.elevation_deg >= min_el - 1e-3
        assert p.rise is None or p.culmination.elevation_deg >= p.rise.elevation_deg - 1e-6


def test_a_pass_behind_a_wall_vanishes_and_a_ducking_pass_is_split(timescale):
    es = read_file(SPOT7)[0]
    end = START + timedelta(days=2)
    plain = Observer("Roof", 40.4093, 49.8671, -28.0)
    unmasked = predict([es], [plain], START, end, 0.0, timescale=timescale).passes
    # a wall of 60 deg everywhere: only passes higher than that survive, and only their tops
    wall = Observer("Roof", 40.4093, 49.8671, -28.0, horizon=((0.0, 60.0),))
    walled = predict([es], [wall], START, end, 0.0, timescale=timescale).passes
    assert len(walled) == sum(p.max_elevation_deg > 60.0 for p in unmasked)
    for p in walled:
        assert abs(p.rise.elevation_deg - 60.0) < 1e-3 and abs(p.set.elevation_deg - 60.0) < 1e-3
    # one pass through the notch of a wall: a tall obstacle across its culmination splits it
    top = max(unmasked, key=lambda p: p.max_elevation_deg)
    az = top.culmination.azimuth_deg
    corners = {-3: 0.0, -2: 85.0, 2: 85.0, 3: 0.0, 180: 0.0}
    points = sorted({(az + d) % 360: el for d, el in corners.items()}.items())
    split = Observer("Roof", 40.4093, 49.8671, -28.0, horizon=mask_from_points(points).points())
    window_start = top.rise.time_utc - timedelta(minutes=1)
    window_end = top.set.time_utc + timedelta(minutes=1)
    pieces = predict([es], [split], window_start, window_end, 0.0, timescale=timescale).passes
    assert len(pieces) == 2
    assert pieces[0].set.time_utc < top.culmination.time_utc < pieces[1].rise.time_utc
    assert pieces[0].rise.time_utc == pytest.approx(top.rise.time_utc, abs=timedelta(seconds=0.01))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0 5\n90 10\n45 3\n", "azimuth 45 on line 3 does not follow 90"),
        ("0 5\n400 3\n", "outside 0-360"),
        ("0 5\n90 95\n", "outside -5..90"),
        ("0 5\n90 -6\n", "outside -5..90"),
        ("0 5\nninety 3\n", "line 2: 'ninety 3' is not 'az_deg el_deg'"),
        ("# nothing\n", "no points"),
        ("0 5\n360 7\n", "0 and 360 are both north"),
    ],
)
def test_bad_mask_files_are_refused_with_the_line(tmp_path, text, message):
    path = tmp_path / "mask.txt"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as caught:
        read_mask_file(path)
    assert "\n" not in str(caught.value)


def test_mask_wraps_across_north():
    mask = mask_from_points([(10, 10), (350, 30)])
    assert mask.elevation_at(np.array([0.0, 10.0, 350.0, 180.0])) == pytest.approx(
        [20.0, 10.0, 30.0, 20.0]
    )


def test_observers_add_horizon_stores_the_mask_and_passes_use_it(tmp_path):
    import json

    from click.testing import CliRunner

    from passpredict.cli.root import main

    runner = CliRunner()
    added = runner.invoke(
        main,
        [
            "observers",
            "add",
            "Roof",
            "--lat",
            "40.4093",
            "--lon",
            "49.8671",
            "--alt",
            "-28",
            "--horizon",
            str(MASK_FILE),
        ],
    )
    assert added.exit_code == 0, added.output
    listed = json.loads(runner.invoke(main, ["observers", "list", "--format", "json"]).stdout)
    (roof,) = [o for o in listed if o["name"] == "Roof"]
    assert roof["horizon_deg"][2] == [25.0, 30.0]
    # a later rewrite of the file (another observer added) keeps the mask
    runner.invoke(main, ["observers", "add", "Other", "--lat", "1", "--lon", "2"])
    listed = json.loads(runner.invoke(main, ["observers", "list", "--format", "json"]).stdout)
    assert [o["horizon_deg"] for o in listed if o["name"] == "Roof"] == [roof["horizon_deg"]]

    args = [
        "passes",
        "spot7",
        "--tle-file",
        str(SPOT7),
        "--start",
        "2026-05-30T00:00Z",
        "--days",
        "2",
        "--min-elevation",
        "0",
        "--format",
        "json",
    ]
    masked = json.loads(runner.invoke(main, [*args, "--observer", "Roof"]).stdout)
    flat = json.loads(
        runner.invoke(main, [*args, "--lat", "40.4093", "--lon", "49.8671", "--alt", "-28"]).stdout
    )
    assert 0 < len(masked["passes"]) < len(flat["passes"]) + 2
    assert masked["passes"] != flat["passes"]


def test_observers_add_refuses_a_bad_mask_file(tmp_path):
    from click.testing import CliRunner

    from passpredict.cli.root import main

    bad = tmp_path / "bad.txt"
    bad.write_text("0 5\n90 10\n45 3\n")
    result = CliRunner().invoke(
        main, ["observers", "add", "Roof", "--lat", "40", "--lon", "49", "--horizon", str(bad)]
    )
    assert result.exit_code == 2
    assert "azimuth 45 on line 3 does not follow 90" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
