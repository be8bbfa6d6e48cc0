"""The pictures at their edges, as a user putting one in a report meets them (sweep 14).

Each test reads the figure's artists (positions, texts, legend boxes), never pixels: a chart
that fits its figure, a legend off the data, a pass cut by the window start drawn from there,
an empty window and decayed elements said in words, and the two conventions (a sky chart's
east, a ground track cut at the antimeridian) checked against Skyfield and plain geometry.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from click.testing import CliRunner
from skyfield.api import EarthSatellite, wgs84

from passpredict.cli.plot import plot_group
from passpredict.inputs.observers import default_observer
from passpredict.output.plots import ground_track_map, pass_timeline, sky_chart
from passpredict.products.predict import predict
from passpredict.products.track import ground_track, pass_track
from passpredict.records import Observer
from tle_cache.bundled import load_bundled
from tle_cache.tle_columns import tle_checksum

pytest.importorskip("matplotlib")

SVALBARD = Observer("Svalbard", 78.23, 15.39, 0.0, "Arctic/Longyearbyen")
MCMURDO = Observer("McMurdo", -77.85, 166.67, 0.0, "Antarctica/McMurdo")
NEAR_EPOCH = datetime(2026, 6, 1, 20, tzinfo=UTC)
SVALBARD_ZONE = ZoneInfo("Arctic/Longyearbyen")
#: SPOT 7 over Baku rises 06:34:48, culminates 06:39:30 (71 deg) and sets 06:44:10 UTC on
#: 2 June 2026 (Skyfield's find_events on the bundled set); a window starting at 06:37 cuts it.
MID_PASS = datetime(2026, 6, 2, 6, 37, tzinfo=UTC)
#: A window edge may sit this far (inches) outside the figure: antialiasing, not clipping.
FIT_TOLERANCE_IN = 0.005


@pytest.fixture(scope="module")
def spot7():
    return [es for es in load_bundled() if es.norad_id == 40053]


@pytest.fixture(scope="module")
def azerspace1():
    return [es for es in load_bundled() if es.norad_id == 39079]


def sunk_elements(tmp_path):
    """An orbit ~200 km up with a huge drag term: SGP4 gives up on it within a day."""
    from tle_cache.parse import read_file

    lines = [
        "1 99001U 26001A   26140.00000000  .00000000  00000-0  10000-1 0  999",
        "2 99001  51.6000  10.0000 0001000  90.0000   0.0000 16.30000000   10",
    ]
    path = tmp_path / "sunk.tle"
    path.write_text("SUNK\n" + "".join(f"{line}{tle_checksum(line)}\n" for line in lines))
    return path, read_file(path)


def overflow_in(fig) -> float:
    """Return how far (inches) anything drawn on the figure reaches outside it, after one draw
    (what one plain `fig.savefig` gives)."""
    fig.canvas.draw()
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    width, height = fig.get_size_inches()
    return max(-box.x0, -box.y0, box.x1 - width, box.y1 - height, 0.0)


def texts(fig) -> str:
    fig.canvas.draw()
    found = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return "\n".join(t for t in found if t)


def test_a_sky_chart_fits_its_figure_with_few_legend_entries(spot7, azerspace1, timescale):
    # was: the title cut at the top and the legend at the bottom of a plain savefig (by
    # 0.064 in for one geostationary star, 0.012 in for one pass); the notebook hid it,
    # its inline display saves with bbox_inches="tight"
    looks = predict(
        azerspace1, [SVALBARD], NEAR_EPOCH, NEAR_EPOCH + timedelta(hours=1), 10.0,
        timescale=timescale,
    ).geostationary  # fmt: skip
    fig = sky_chart([], azerspace1, [SVALBARD], timescale=timescale, looks=looks)
    assert overflow_in(fig) <= FIT_TOLERANCE_IN
    baku = default_observer()
    passes = predict(
        spot7, [baku], NEAR_EPOCH, NEAR_EPOCH + timedelta(days=1), 10.0, timescale=timescale
    ).passes
    for count in (1, 2, 4):
        fig = sky_chart(passes[:count], spot7, [baku], timescale=timescale)
        assert overflow_in(fig) <= FIT_TOLERANCE_IN, count


def test_a_point_at_azimuth_90_is_drawn_on_the_right_as_the_chart_says(spot7, timescale):
    # the chart's convention is a map's (north up, east right, azimuth clockwise), written on
    # the chart; a sky chart seen from below would put east on the left
    baku = default_observer()
    passes = predict(
        spot7, [baku], NEAR_EPOCH, NEAR_EPOCH + timedelta(days=1), 10.0, timescale=timescale
    ).passes
    fig = sky_chart(passes[:1], spot7, [baku], timescale=timescale)
    ax = fig.axes[0]
    centre = ax.transData.transform((0.0, 0.0))
    east = ax.transData.transform((np.radians(90.0), 45.0)) - centre
    north = ax.transData.transform((np.radians(0.0), 45.0)) - centre
    assert east[0] > 0 and abs(east[1]) < 1e-6 * abs(east[0])
    assert north[1] > 0 and abs(north[0]) < 1e-6 * abs(north[1])
    labels = {round(np.degrees(t)) % 360: label.get_text() for t, label in
              zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)}  # fmt: skip
    assert labels[90].startswith("E") and labels[270].startswith("W")
    assert "azimuth clockwise from north" in texts(fig)


def test_a_pass_already_up_at_the_window_start_is_drawn_from_there(spot7, timescale):
    # was: its path mirrored back from the culmination to a 'rise' before the window, and its
    # start time written mid-path at the culmination
    baku = default_observer()
    (item,) = predict(
        spot7, [baku], MID_PASS, MID_PASS + timedelta(minutes=30), 10.0, timescale=timescale
    ).passes
    assert item.rise is None and item.window_start_utc == MID_PASS
    track = pass_track(item, spot7[0], baku, timescale=timescale)
    assert track.start_utc == MID_PASS
    satellite = EarthSatellite.from_satrec(spot7[0].satrec(), timescale)
    place = wgs84.latlon(baku.latitude_deg, baku.longitude_deg, baku.elevation_m)
    elevation, azimuth, _ = (satellite - place).at(timescale.from_datetime(MID_PASS)).altaz()
    assert track.azimuth_deg[0] == pytest.approx(azimuth.degrees, abs=0.01)
    assert track.elevation_deg[0] == pytest.approx(elevation.degrees, abs=0.01)
    fig = sky_chart([item], spot7, [baku], timescale=timescale)
    (path,) = [line for line in fig.axes[0].lines if len(line.get_xdata()) == len(track)]
    assert np.degrees(path.get_xdata()[0]) == pytest.approx(azimuth.degrees, abs=0.01)
    assert 90.0 - path.get_ydata()[0] == pytest.approx(elevation.degrees, abs=0.01)
    # the start time (Baku, UTC+4) where the path starts, not at the culmination
    (label,) = [t for t in fig.axes[0].texts if t.get_text() == "10:37"]
    assert np.degrees(label.get_position()[0]) == pytest.approx(azimuth.degrees, abs=0.01)


def test_the_ground_track_legend_is_off_the_map(spot7, timescale):
    # was: in the lower left corner of the map, over McMurdo's coverage circle and the track
    fig = ground_track_map(
        spot7[0], [MCMURDO], NEAR_EPOCH, NEAR_EPOCH + timedelta(hours=3), timescale=timescale
    )
    (ax,) = fig.axes
    assert ax.get_legend() is None
    (legend,) = fig.legends
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert not legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))
    assert "McMurdo" not in [t.get_text() for t in legend.get_texts()]
    assert overflow_in(fig) <= FIT_TOLERANCE_IN


def test_no_ground_track_line_spans_the_antimeridian(spot7, timescale):
    # McMurdo (166.67 E) sits by the antimeridian: the track and its coverage circle cross it
    fig = ground_track_map(
        spot7[0], [MCMURDO], NEAR_EPOCH, NEAR_EPOCH + timedelta(hours=3), timescale=timescale
    )
    crossings = 0
    for line in fig.axes[0].lines:
        lon = np.asarray(line.get_xdata(), dtype=float)
        if lon.size < 2:
            continue
        steps = np.abs(np.diff(lon))
        assert np.all(steps[np.isfinite(steps)] <= 180.0)
        crossings += int(np.isnan(lon).sum())
    assert crossings >= 2  # both the track and the circle were cut, not just left alone


def test_a_ground_track_of_decayed_elements_is_refused_in_words(tmp_path, timescale):
    # was: an empty world map titled as a track, "height nan km" in its legend, and numpy's
    # "Mean of empty slice" RuntimeWarning on stderr
    path, (sunk,) = sunk_elements(tmp_path)
    start = datetime(2026, 5, 22, tzinfo=UTC)
    with pytest.raises(ValueError, match=r"SGP4 cannot propagate SUNK \(99001\) at any time"):
        ground_track(sunk, start, start + timedelta(hours=3), step_s=20.0, timescale=timescale)
    with pytest.raises(ValueError, match="have decayed or are unusable there"):
        ground_track_map(sunk, [], start, start + timedelta(hours=3), timescale=timescale)
    runner = CliRunner()
    for output in ("track.png", "track.geojson"):
        target = tmp_path / output
        result = runner.invoke(
            plot_group,
            ["track", "SUNK", "--tle-file", str(path), "--start", "2026-05-22T00:00Z",
             "-o", str(target)],
        )  # fmt: skip
        assert result.exit_code == 1 and not target.exists()
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("Error: SGP4 cannot propagate SUNK (99001)")


def test_a_ground_track_that_decays_in_the_window_marks_where(tmp_path, timescale):
    _, (sunk,) = sunk_elements(tmp_path)
    start = datetime(2026, 5, 20, tzinfo=UTC)
    track = ground_track(sunk, start, start + timedelta(days=1), step_s=20.0, timescale=timescale)
    good = np.flatnonzero(np.isfinite(track.latitude_deg))
    assert 0 < good[-1] < len(track) - 1  # SGP4 gives up inside the window
    fig = ground_track_map(sunk, [], start, start + timedelta(days=1), timescale=timescale)
    (mark,) = [line for line in fig.axes[0].lines if line.get_marker() == "X"]
    assert mark.get_xdata()[0] == track.longitude_deg[good[-1]]
    when = track.start_utc + timedelta(seconds=float(track.seconds[good[-1]]))
    assert f"SGP4 gives up after {when:%d %b %H:%M} (decayed elements)" in texts(fig)


def test_an_empty_timeline_says_so_and_why(spot7, tmp_path, timescale):
    # was: a blank frame titled "Passes: 0 passes", with no threshold and no reason
    baku = default_observer()
    high = predict(
        spot7, [baku], NEAR_EPOCH, NEAR_EPOCH + timedelta(hours=2), 85.0, timescale=timescale
    )
    assert high.passes == ()
    text = texts(pass_timeline(high))
    assert "no passes above 85° in this window" in text and "Passes above 85°" in text
    _, (sunk,) = sunk_elements(tmp_path)
    start = datetime(2026, 5, 22, tzinfo=UTC)
    gone = predict([sunk], [baku], start, start + timedelta(days=1), 10.0, timescale=timescale)
    text = texts(pass_timeline(gone))
    assert "no passes above 10° in this window" in text
    assert "SUNK (99001): decayed or unusable elements" in text


def test_an_eclipse_chart_names_the_zone_of_its_dates(astronomy):
    # was: "local date of the evening" under a UTC axis
    from passpredict.output.plots.eclipses import eclipse_season_chart
    from passpredict.products.geo.eclipses import find_eclipses

    azerspace_1 = next(es for es in load_bundled() if es.norad_id == 39079)
    eclipses = find_eclipses(
        azerspace_1, datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 8, tzinfo=UTC), astronomy
    )
    fig = eclipse_season_chart(eclipses)
    assert fig.axes[0].get_xlabel() == "night of (date of the evening, UTC)"
    fig = eclipse_season_chart(eclipses, zone="Asia/Baku")
    assert fig.axes[0].get_xlabel() == "night of (date of the evening, Asia/Baku)"


def test_a_timeline_of_one_day_says_which_day(spot7, timescale):
    # was: hours on the axis ("02:00 ... 23:00") and no date anywhere on the picture
    day = predict(
        spot7, [SVALBARD], NEAR_EPOCH, NEAR_EPOCH + timedelta(days=1), 10.0, timescale=timescale
    )
    fig = pass_timeline(day)
    assert fig.axes[0].get_xlabel() == (
        "local time (Arctic/Longyearbyen, UTC+02:00) from Mon 01 Jun 2026 22:00"
    )


def test_pictures_from_stale_elements_say_so_on_the_picture(spot7, timescale):
    # was: only the command line's stderr said the elements were 187 days old; a picture
    # saved into a report showed passes hours off with nothing on it to say so
    baku = default_observer()
    late = datetime(2026, 12, 3, 17, 53, tzinfo=UTC)
    old = predict(spot7, [baku], late, late + timedelta(days=1), 10.0, timescale=timescale)
    age_days = round((late + timedelta(days=1) - spot7[0].epoch_utc).total_seconds() / 86400)
    sky = sky_chart(old.passes, spot7, [baku], timescale=timescale)
    track = ground_track_map(spot7[0], [baku], late, late + timedelta(hours=3), timescale=timescale)
    for fig in (sky, track, pass_timeline(old)):
        note = fig.get_suptitle().replace("\n", " ")
        assert note.startswith("Stale elements: SPOT 7, up to "), note
        assert "over 7 is stale for a leo-meo orbit" in note
        assert "pass times may be off by minutes or more" in note
        assert overflow_in(fig) <= FIT_TOLERANCE_IN
    assert f"up to {age_days} days" in sky.get_suptitle().replace("\n", " ")
    fresh = predict(
        spot7, [baku], NEAR_EPOCH, NEAR_EPOCH + timedelta(days=1), 10.0, timescale=timescale
    )
    for fig in (sky_chart(fresh.passes, spot7, [baku], timescale=timescale), pass_timeline(fresh)):
        assert fig.get_suptitle() == ""


def test_an_eclipse_season_near_noon_in_the_display_zone_stays_in_one_piece(astronomy):
    # was: the axis ran from noon to noon whatever the zone; eclipses near noon in the display
    # zone (a Pacific satellite near 180 E in UTC, the default) were cut at the top, and a
    # night was skipped or drawn twice where the entry crossed noon. Azerspace-1's autumn
    # entries (20:12 to 20:49 UTC) in a zone 8:30 behind UTC fall on both sides of noon.
    from datetime import timezone

    from passpredict.output.plots.eclipses import eclipse_season_chart
    from passpredict.products.geo.eclipses import find_eclipses

    azerspace_1 = next(es for es in load_bundled() if es.norad_id == 39079)
    eclipses = find_eclipses(
        azerspace_1, datetime(2026, 8, 22, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), astronomy
    )
    zone = timezone(-timedelta(hours=8, minutes=30))
    local_entries = [e.penumbra_entry_utc.astimezone(zone) for e in eclipses]
    assert {t.hour for t in local_entries} == {11, 12}  # the case: entries either side of noon
    days = (local_entries[-1].date() - local_entries[0].date()).days
    assert len(eclipses) == days + 1  # one eclipse a day, every day of the season
    fig = eclipse_season_chart(eclipses, zone=zone)
    (ax,) = [a for a in fig.axes if a.get_title()]
    xs = sorted({round(bar.get_x() + bar.get_width() / 2) for bar in ax.patches})
    assert xs == list(range(len(eclipses))), "one night per eclipse, none skipped or doubled"
    low, high = ax.get_ylim()
    for bar in ax.patches:
        assert low <= bar.get_y() and bar.get_y() + bar.get_height() <= high
    # the y axis reads the clock: the first night's pale bar starts at the first local entry
    first = min(ax.patches, key=lambda bar: (bar.get_x(), -bar.get_height()))
    assert ax.yaxis.get_major_formatter()(first.get_y(), 0) == f"{local_entries[0]:%H:%M}"


def test_a_day_eclipse_is_labelled_by_its_calendar_date(astronomy):
    # Azerspace-1's eclipses are at 10:12 to 11:30 in Honolulu (UTC-10): daytime there, so the
    # columns carry the eclipse's own date, not 'the evening before'
    from zoneinfo import ZoneInfo

    from passpredict.output.plots.eclipses import eclipse_season_chart
    from passpredict.products.geo.eclipses import find_eclipses

    azerspace_1 = next(es for es in load_bundled() if es.norad_id == 39079)
    eclipses = find_eclipses(
        azerspace_1, datetime(2026, 8, 22, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), astronomy
    )
    honolulu = ZoneInfo("Pacific/Honolulu")
    fig = eclipse_season_chart(eclipses, zone=honolulu)
    (ax,) = [a for a in fig.axes if a.get_title()]
    assert ax.get_xlabel() == "date (Pacific/Honolulu)"
    first = eclipses[0].penumbra_entry_utc.astimezone(honolulu)
    assert ax.get_title().startswith(f"{first:%d %b} - ")
    assert ax.xaxis.get_major_formatter()(0, 0) == f"{first:%d %b}"


def test_a_sun_outage_across_midnight_in_the_display_zone_is_one_bar(azerspace1, astronomy):
    # was: the axis ran midnight to midnight, so an outage from 23:5x to 00:0x in the display
    # zone was a bar from its end down to its start, across the whole day. Baku's October
    # outages of Azerspace-1 (08:41 to 08:53 UTC) in a zone 8:48 behind UTC cross midnight.
    from datetime import timezone

    from passpredict.output.plots import sun_outage_calendar
    from passpredict.products.geo.sun_outages import find_sun_outages

    baku = default_observer()
    outages = find_sun_outages(
        azerspace1[0], baku, datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 20, tzinfo=UTC),
        astronomy, 1.0,
    )  # fmt: skip
    zone = timezone(-timedelta(hours=8, minutes=48))
    assert any(
        o.start_utc.astimezone(zone).date() != o.end_utc.astimezone(zone).date() for o in outages
    )
    fig = sun_outage_calendar(outages, observers=[baku], zone=zone)
    (ax,) = [a for a in fig.axes if a.get_title()]
    bars = sorted(ax.patches, key=lambda bar: bar.get_x())
    assert len(bars) == len(outages)
    low, high = ax.get_ylim()
    for bar, outage in zip(bars, sorted(outages, key=lambda o: o.peak_utc), strict=True):
        minutes = (outage.end_utc - outage.start_utc).total_seconds() / 60.0
        assert bar.get_height() == pytest.approx(minutes)
        assert low <= bar.get_y() and bar.get_y() + bar.get_height() <= high
        start = outage.start_utc.astimezone(zone)
        assert ax.yaxis.get_major_formatter()(bar.get_y(), 0) == f"{start:%H:%M}"


def test_every_ground_track_legend_entry_names_something_drawn_on_the_map(
    spot7, azerspace1, timescale
):
    # was: a geostationary track (held at station) drawn as a line of no length, so the legend's
    # track and orange 'above 10 deg' lines matched nothing visible on the map
    baku = default_observer()
    window = (NEAR_EPOCH, NEAR_EPOCH + timedelta(days=1))
    for elements in (azerspace1[0], spot7[0]):
        fig = ground_track_map(elements, [baku], *window, timescale=timescale)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        (ax,) = fig.axes
        for line in ax.lines:
            if not line.get_label() or line.get_label().startswith("_"):
                continue
            if len(line.get_xdata()) == 0:
                continue  # a legend-only proxy (the coverage circles, drawn unlabelled)
            box = line.get_window_extent(renderer)
            has_marker = line.get_marker() not in ("None", None, "", " ")
            assert has_marker or max(box.width, box.height) >= 3.0, line.get_label()
    # the dot stands at Azerspace 1's published orbital slot, 46.0 E on the equator (the
    # elements are 82 days old here, so the position is held at station, as the title says)
    fig = ground_track_map(azerspace1[0], [baku], *window, timescale=timescale)
    (dot,) = [line for line in fig.axes[0].lines if line.get_label().endswith("ground track")]
    assert dot.get_xdata()[0] == pytest.approx(46.0, abs=0.1)
    assert dot.get_ydata()[0] == pytest.approx(0.0, abs=0.1)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "above 10° for an observer" in labels


def test_labels_on_a_crowded_polar_sky_do_not_overlap(spot7, azerspace1, timescale):
    # was: at Svalbard a day of SPOT 7's passes wrote 08:25 over 10:03 by the north point, and
    # Azerspace 1's label (1.4 deg up at 149 deg) ran over the compass's 'SE 135°'
    window = (NEAR_EPOCH, NEAR_EPOCH + timedelta(days=1))
    result = predict(spot7 + azerspace1, [SVALBARD], *window, 10.0, timescale=timescale)
    passes = list(result.passes)
    assert len(passes) >= 10
    fig = sky_chart(
        passes, spot7 + azerspace1, [SVALBARD], timescale=timescale, looks=result.geostationary
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    compass = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    times = [t for t in ax.texts if len(t.get_text()) == 5 and t.get_text()[2] == ":"]
    assert len(times) == len(passes)  # a label was made for each pass ...
    shown = [t.get_window_extent(renderer) for t in times if t.get_visible()]
    assert 0 < len(shown) < len(passes)  # ... and the crowded ones left out
    for i, box in enumerate(shown):
        assert not any(box.overlaps(other) for other in shown[i + 1 :] + compass)
    (geo,) = [t for t in ax.texts if t.get_text().startswith("AZERSPACE 1")]
    assert not any(geo.get_window_extent(renderer).overlaps(other) for other in compass)
    # the legend still names every pass, with its start time in local time
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for item in passes:
        local = item.start_utc.astimezone(SVALBARD_ZONE)
        assert any(f"{local:%d %b %H:%M}" in text for text in legend)
