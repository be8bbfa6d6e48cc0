"""Every plot function draws a labelled, local-time figure and writes a non-empty image."""

import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from passpredict.inputs.observers import builtin_observers, default_observer, find_observer
from passpredict.output.plots import (
    ground_track_map,
    pass_timeline,
    sky_chart,
    sun_outage_calendar,
    visible_window,
    zone_label,
)
from passpredict.products.predict import predict
from passpredict.records import Observer, Pass, PassPoint
from tle_cache.bundled import load_bundled

pytest.importorskip("matplotlib")

START = datetime(2026, 5, 31, tzinfo=UTC)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def element_sets():
    return load_bundled()


@pytest.fixture(scope="module")
def prediction(element_sets, timescale):
    return predict(
        element_sets,
        builtin_observers(),
        START,
        START + timedelta(days=2),
        10.0,
        timescale=timescale,
    )


def texts(fig) -> str:
    """Return every piece of text on a figure: titles, labels, tick labels, legends."""
    fig.canvas.draw()
    found = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return "\n".join(t for t in found if t)


def write(fig, path: Path) -> bytes:
    fig.savefig(path)
    data = path.read_bytes()
    assert len(data) > 10_000
    return data


def baku_passes(prediction):
    return [p for p in prediction.passes if p.observer == "Baku"]


def test_sky_chart_shows_passes_in_baku_time(prediction, element_sets, timescale, tmp_path):
    passes = baku_passes(prediction)[:3]
    looks = [g for g in prediction.geostationary if g.observer == "Baku"]
    fig = sky_chart(passes, element_sets, builtin_observers(), timescale=timescale, looks=looks)
    text = texts(fig)
    assert "SPOT 7, AZERSPACE 1, AZERSPACE 2 (IS-38) over Baku" in text
    assert "Asia/Baku, UTC+04:00" in text
    for compass_label in ("N\n0°", "E\n90°", "S\n180°", "W\n270°"):
        assert compass_label in text
    assert "10° min" in text
    # each pass in the legend with its local start time, and each GEO satellite by name
    for item in passes:
        local = item.rise.time_utc.astimezone(find_zone("Asia/Baku"))
        assert f"{local:%a %d %b %H:%M}" in text
    assert "AZERSPACE 1" in text and "AZERSPACE 2 (IS-38)" in text
    assert write(fig, tmp_path / "sky.png").startswith(PNG_MAGIC)
    assert b"<svg" in write(fig, tmp_path / "sky.svg")


def find_zone(name):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def test_sky_chart_in_another_zone(prediction, element_sets, timescale):
    fig = sky_chart(
        baku_passes(prediction)[:1],
        element_sets,
        builtin_observers(),
        timescale=timescale,
        zone="UTC",
        title="one pass",
    )
    text = texts(fig)
    assert "UTC, UTC+00:00" in text and "one pass" in text


def test_sky_chart_refuses_what_it_cannot_draw(prediction, element_sets, timescale):
    observers = builtin_observers()
    with pytest.raises(ValueError, match="no passes or looks to draw"):
        sky_chart([], element_sets, observers, timescale=timescale)
    mixed = [prediction.passes[0], next(p for p in prediction.passes if p.observer == "Ganja")]
    with pytest.raises(ValueError, match="one observer's sky"):
        sky_chart(mixed, element_sets, observers, timescale=timescale)
    item = baku_passes(prediction)[0]
    with pytest.raises(ValueError, match="no observer named 'Baku'"):
        sky_chart([item], element_sets, observers[1:], timescale=timescale)
    geo_only = [es for es in element_sets if es.norad_id != 40053]
    with pytest.raises(ValueError, match=r"no element set for SPOT 7 \(NORAD 40053\)"):
        sky_chart([item], geo_only, observers, timescale=timescale)


@dataclass(frozen=True)
class Visibility:
    """The shape of issue 5's visibility record, as far as the sky chart reads it."""

    visible_start: PassPoint | None
    visible_end: PassPoint | None

    @property
    def visible(self) -> bool:
        return self.visible_start is not None


if "visibility" in Pass.__dataclass_fields__:
    SeenPass = Pass
else:  # before issue 5 adds `Pass.visibility`, a subclass stands in for it

    @dataclass(frozen=True)
    class SeenPass(Pass):
        visibility: Visibility | None = None


def with_visibility(item: Pass, seen: Visibility | None) -> Pass:
    fields = {name: getattr(item, name) for name in Pass.__dataclass_fields__}
    fields.pop("visibility", None)
    return SeenPass(**fields, visibility=seen)


def test_visible_window_reads_the_visibility_fields(prediction):
    item = baku_passes(prediction)[0]
    assert visible_window(item) is None  # no visibility asked for
    part = Visibility(item.rise, item.culmination)
    assert visible_window(with_visibility(item, part)) == (
        item.rise.time_utc,
        item.culmination.time_utc,
    )
    assert visible_window(with_visibility(item, Visibility(None, None))) is False


def test_sky_chart_highlights_the_visible_part(prediction, element_sets, timescale, tmp_path):
    item = baku_passes(prediction)[0]
    seen = with_visibility(item, Visibility(item.rise, item.culmination))
    unseen = with_visibility(baku_passes(prediction)[1], Visibility(None, None))
    fig = sky_chart([seen, unseen], element_sets, builtin_observers(), timescale=timescale)
    text = texts(fig)
    assert "visible part (sunlit, dark sky)" in text and "not visible" in text
    widths = sorted({line.get_linewidth() for line in fig.axes[0].get_lines()})
    assert 3.2 in widths  # the bold visible part
    write(fig, tmp_path / "visible.png")


def test_ground_track_map_with_coverage_circles(prediction, element_sets, timescale, tmp_path):
    spot7 = next(es for es in element_sets if es.norad_id == 40053)
    observers = [default_observer(), find_observer("Nakhchivan", builtin_observers())]
    start = baku_passes(prediction)[0].start_utc - timedelta(hours=1)
    fig = ground_track_map(spot7, observers, start, start + timedelta(hours=3), timescale=timescale)
    text = texts(fig)
    assert "SPOT 7 ground track" in text and "Asia/Baku, UTC+04:00" in text
    assert "Baku" in text and "Nakhchivan" in text
    assert "longitude (deg, east positive)" in text and "latitude (deg, north positive)" in text
    assert "above 10° for an observer" in text  # SPOT 7 passes over Baku in these 3 hours
    assert "seen above 10° inside" in text
    assert write(fig, tmp_path / "track.png").startswith(PNG_MAGIC)


def test_ground_track_map_zoomed_and_for_a_geostationary_satellite(
    element_sets, timescale, tmp_path
):
    azerspace = next(es for es in element_sets if es.norad_id == 39079)
    fig = ground_track_map(
        azerspace,
        [default_observer()],
        START,
        START + timedelta(days=1),
        timescale=timescale,
        extent=(30.0, 60.0, -10.0, 50.0),
        zone="UTC",
    )
    text = texts(fig)
    assert "held at station" in text and "UTC, UTC+00:00" in text
    ax = fig.axes[0]
    assert ax.get_xlim() == (30.0, 60.0) and ax.get_ylim() == (-10.0, 50.0)
    write(fig, tmp_path / "geo.png")
    with pytest.raises(ValueError, match="must end after it starts"):
        ground_track_map(azerspace, [], START, START, timescale=timescale)


def test_timeline_of_a_prediction(prediction, tmp_path):
    fig = pass_timeline(prediction)
    text = texts(fig)
    for observer in ("Baku", "Ganja", "Nakhchivan", "Shamakhi Astrophysical Observatory"):
        assert f"SPOT 7 · {observer}" in text
        assert f"AZERSPACE 1 · {observer}" in text
    assert "local time (Asia/Baku, UTC+04:00)" in text
    assert "highest elevation (deg)" in text
    assert "always in view at" in text
    assert f"{len(prediction.passes)} passes" in text
    assert "Mon 01 Jun" in text and "Tue 02 Jun" in text  # local midnights
    assert write(fig, tmp_path / "timeline.png").startswith(PNG_MAGIC)


def test_timeline_of_passes_alone(prediction, tmp_path):
    fig = pass_timeline(baku_passes(prediction), zone="Europe/London")
    assert "Europe/London, UTC+01:00" in texts(fig)
    write(fig, tmp_path / "timeline.svg")
    empty = pass_timeline([], start_utc=START, end_utc=START + timedelta(hours=6))
    assert "0 passes" in texts(empty)
    with pytest.raises(ValueError, match="give start_utc and end_utc"):
        pass_timeline([])


def test_zone_label_names_the_offset_in_force():
    winter = datetime(2026, 1, 15, tzinfo=UTC)
    summer = datetime(2026, 7, 15, tzinfo=UTC)
    assert zone_label(find_zone("Europe/London"), winter) == "Europe/London, UTC+00:00"
    assert zone_label(find_zone("Europe/London"), summer) == "Europe/London, UTC+01:00"
    assert zone_label(find_zone("America/St_Johns"), winter) == "America/St_Johns, UTC-03:30"


def test_missing_matplotlib_says_how_to_install_it(monkeypatch, prediction):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'passpredict\[notebooks\]'"):
        pass_timeline(prediction)


def test_sun_outage_calendar_of_both_azerspaces(element_sets, astronomy, tmp_path):
    from passpredict.products.geo.sun_outages import find_sun_outages

    baku = default_observer()
    outages = [
        outage
        for es in element_sets
        if es.norad_id in (39079, 43632)
        for outage in find_sun_outages(
            es,
            baku,
            datetime(2026, 10, 1, tzinfo=UTC),
            datetime(2026, 10, 15, tzinfo=UTC),
            astronomy,
            1.0,
        )
    ]
    assert {o.satellite for o in outages} == {"AZERSPACE 1", "AZERSPACE 2 (IS-38)"}
    fig = sun_outage_calendar(outages, observers=[baku])
    text = texts(fig)
    assert "Sun outages at Baku: Sun within 1.00° of the satellite" in text
    assert "local time (Asia/Baku, UTC+04:00)" in text and "local date" in text
    assert "October 2026" in text and "09 Oct" in text
    assert "AZERSPACE 2 (IS-38)" in text and "peak" in text
    # the bars sit around 12:45 Baku time, when the Sun stands due south behind the satellites
    # (read through the axis's own clock labels: the axis is a day centred on the outages)
    low, high = fig.axes[0].get_ylim()
    clock = fig.axes[0].yaxis.get_major_formatter()
    assert "12:30" < clock(low, 0) < clock(high, 0) < "13:00"
    assert write(fig, tmp_path / "outages.png").startswith(PNG_MAGIC)
    with pytest.raises(ValueError, match="no sun outages to draw"):
        sun_outage_calendar([])


def test_sky_chart_of_geostationary_satellites_alone(prediction, element_sets, timescale):
    looks = [g for g in prediction.geostationary if g.observer == "Baku"]
    fig = sky_chart([], element_sets, builtin_observers(), timescale=timescale, looks=looks)
    text = texts(fig)
    assert "AZERSPACE 1, AZERSPACE 2 (IS-38) over Baku" in text
    assert "geostationary: a fixed point" in text
    assert "az 186.0°, el 43.1°" in text


def test_real_visibility_bolds_the_evening_passes(element_sets, astronomy, tmp_path):
    from passpredict.products.visibility import VisibilityOptions

    spot7 = [es for es in element_sets if es.norad_id == 40053]
    baku = default_observer()
    seen = predict(
        spot7, [baku], START, START + timedelta(days=1), 10.0, timescale=astronomy.timescale,
        visibility=VisibilityOptions(astronomy),
    )  # fmt: skip
    windows = [visible_window(p) for p in seen.passes]
    # in early June SPOT 7 is sunlit in Baku's dark evening sky, never in daylight mornings
    assert any(isinstance(w, tuple) for w in windows) and False in windows
    fig = sky_chart(seen.passes, spot7, [baku], timescale=astronomy.timescale)
    assert "visible part (sunlit, dark sky)" in texts(fig)
    timeline = pass_timeline(seen)
    assert "visible by eye (sunlit, dark sky)" in texts(timeline)
    write(timeline, tmp_path / "visible-timeline.png")


def test_a_geostationary_satellite_below_the_horizon_is_a_hollow_star_said_so(
    element_sets, timescale
):
    # found by the library sweep: from Denver the Azerspaces (46 E, 45 E) are far below the
    # horizon, and were drawn as filled stars on the rim, as if they sat on the horizon
    denver = Observer("Denver", 39.74, -104.99, 1600.0, "America/Denver")
    geo = [es for es in element_sets if es.norad_id in (39079, 43632)]
    result = predict(geo, [denver], START, START + timedelta(days=1), 10.0, timescale=timescale)
    looks = list(result.geostationary)
    assert len(looks) == 2 and all(look.elevation_deg < -30.0 for look in looks)
    fig = sky_chart([], geo, [denver], timescale=timescale, looks=looks)
    text = texts(fig)
    assert text.count("(below the horizon)") == 2 and "... below the horizon" in text
    stars = [
        line for line in fig.axes[0].lines if line.get_marker() == "*" and len(line.get_xdata())
    ]
    assert len(stars) == 2 and all(line.get_markerfacecolor() == "none" for line in stars)
    above = list(prediction_geo_baku(element_sets, timescale))  # 43 deg up in Baku
    fig = sky_chart([], geo, builtin_observers(), timescale=timescale, looks=above)
    assert "below the horizon" not in texts(fig)


def prediction_geo_baku(element_sets, timescale):
    geo = [es for es in element_sets if es.norad_id in (39079, 43632)]
    baku = default_observer()
    return predict(
        geo, [baku], START, START + timedelta(days=1), 10.0, timescale=timescale
    ).geostationary
