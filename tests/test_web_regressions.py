"""Regressions found by a user's sweep of `passpredict serve` (sweep9), through the test client.

Each test is a request a user made that answered wrongly before its fix: a 500 for a valid
question, or a 400 that named the wrong parameter or listed nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette 1.x suggests 'httpx2'; httpx works the same
    from starlette.testclient import TestClient

from passpredict.web.app import ServerConfig, create_app

NOW_UTC = datetime(2026, 5, 31, 0, 0, tzinfo=UTC)
#: Denver: both Azerspaces (about 46 and 45 deg E) are some 48 deg below its horizon.
DENVER = {"lat": "39.74", "lon": "-104.99"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    home: Path = tmp_path_factory.mktemp("web-sweep9")
    config = ServerConfig(home, home / "observers.toml")
    app = create_app(config, clock=lambda: NOW_UTC)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        yield c


def test_dish_from_where_the_satellites_are_below_the_horizon(client):
    # was HTTP 500 'internal error: ValueError: AZERSPACE 1 is below the horizon ...'
    answer = client.get("/api/dish", params=DENVER)
    assert answer.status_code == 200, answer.text
    dishes = answer.json()["dishes"]
    assert [d["norad_id"] for d in dishes] == [39079, 43632]
    for d in dishes:
        assert d["above_horizon"] is False and d["elevation_deg"] < -40.0
        assert d["sun_outages"]["seasons"] == []
        assert "below the horizon" in d["sun_outages"]["note"]
    page = client.get("/dish", params=DENVER)
    assert page.status_code == 200, page.text
    assert "below the horizon" in page.text.lower()
    assert "No sun outage in the next year" not in page.text
    # the summary says it too, beside the negative elevation, for each satellite
    assert page.text.count("(below the horizon: no line of sight from here)") == 2
    assert "no line of sight" not in client.get("/dish").text  # from Baku both are up


def test_dish_above_the_horizon_has_no_outage_note(client):
    dishes = client.get("/api/dish").json()["dishes"]
    assert all(d["sun_outages"]["note"] is None and d["sun_outages"]["seasons"] for d in dishes)


@pytest.mark.parametrize("norad", ["²", "٣"])
def test_a_pass_norad_is_ascii_digits(client, norad):
    # '²' was HTTP 500 "invalid literal for int()"; '٣' (Arabic-Indic 3) asked for NORAD 3
    query = {"norad": norad, "culmination": "2026-05-31T05:21:08.885Z", "days": "1"}
    for url in ("/api/pass", "/pass"):
        answer = client.get(url, params=query)
        assert answer.status_code == 400, answer.text
        assert "norad must be a NORAD catalog number" in answer.text
    assert client.get("/api/pass", params=query).json()["parameter"] == "norad"


def test_a_bad_longitude_names_lon(client):
    # was parameter 'lat' with the message 'lon: longitude_deg must be ...' (the BadQuery of
    # lon, a ValueError, was caught and raised again as one of lat)
    for url in ("/api/sky", "/api/passes", "/api/dish"):
        body = client.get(url, params={"lat": "40", "lon": "200"}).json()
        assert body["parameter"] == "lon", body
        assert "longitude_deg must be between -180 and +180, got 200.0" in body["error"]
    body = client.get("/api/sky", params={"lat": "95", "lon": "10"}).json()
    assert body["parameter"] == "lat" and "latitude_deg" in body["error"]


@pytest.mark.parametrize("url", ["/api/elements", "/api/observers", "/elements"])
def test_a_page_without_parameters_says_so(client, url):
    # was "unknown parameter 'all'; this page takes " (an empty list)
    answer = client.get(url, params={"all": "1"})
    assert answer.status_code == 400
    assert "unknown parameter &#39;all&#39;; this page takes no parameters" in answer.text or (
        answer.json()["error"] == "unknown parameter 'all'; this page takes no parameters"
    )


@pytest.mark.parametrize("place", [{"observer": "Ganja"}, DENVER])
def test_the_dish_link_of_the_passes_page_keeps_the_place(client, place):
    # was a bare '/dish': from Ganja (or Denver) it pointed the dish from Baku, now
    query = {**place, "satellite": "43632", "start": "2026-09-01T08:00Z", "days": "1"}
    page = client.get("/passes", params=query).text
    link = page.split('<a id="dish-link" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link.startswith("/dish?")
    look = page.split('<table class="geo">', 1)[1].split("</tbody>", 1)[0]
    azimuth_text = look.split("<td>")[2].split("°")[0]  # Satellite, Azimuth, ...
    dish = client.get(link)
    assert dish.status_code == 200, dish.text
    sections = dish.text.split('<section class="dish"')[1:]
    assert len(sections) == 1 and 'data-norad="43632"' in sections[0]
    assert f"{azimuth_text}°" in sections[0].split('class="azimuth-true">', 1)[1][:20]


SKY_JS = Path(__file__).parents[1] / "passpredict" / "web" / "static" / "sky.js"


def test_the_sky_page_clock_is_the_observers(client):
    # was the API's UTC string '2026-05-31T00:00:00.000Z' on a page of local times
    page = client.get("/sky", params=DENVER).text
    assert 'data-zone="America/Denver"' in page
    assert '<span id="sky-zone">America/Denver</span>' in page
    assert 'data-zone="Asia/Baku"' in client.get("/sky").text
    assert "localClock(data.time, box.dataset.zone)" in SKY_JS.read_text()


def node_or_skip(script: str) -> str:
    """Node.js, to run the page's `script`: outside CI a missing one skips the test; under
    CI=true it fails it (.ci/run installs the Debian package nodejs when missing)."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"node is missing, needed to run {script}: apt-get install nodejs")
        pytest.skip(f"no node to run {script}")
    return node


def test_the_sky_clock_formats_in_the_zone():
    node = node_or_skip("sky.js")
    script = (
        "globalThis.document = {addEventListener() {}};"
        f"require('vm').runInThisContext(require('fs').readFileSync({str(SKY_JS)!r}, 'utf8'));"
        "console.log([localClock('2026-05-31T00:00:00.600Z', 'America/Denver'),"
        " localClock('2026-05-31T00:00:00.000Z', 'Asia/Baku'),"
        " localClock('2026-05-31T00:00:00.000Z', 'Mars/Olympus')].join('|'));"
    )
    result = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "18:00:01|04:00:00|00:00:00 UTC"


MAP_JS = SKY_JS.parent / "map.js"
#: A DOM of the observer form, enough for map.js: elements with a value and their listeners.
FAKE_FORM = """
const listeners = {};
function element(id) {
  return { id, value: "", hidden: true, handlers: {},
    addEventListener(type, f) { this.handlers[type] = f; } };
}
const els = {};
for (const id of ["map-toggle", "map", "lat", "lon", "alt", "observer-select"]) {
  els[id] = element(id);
}
globalThis.document = {
  getElementById: (id) => els[id],
  addEventListener: (type, f) => { listeners[type] = f; },
};
require("vm").runInThisContext(require("fs").readFileSync(process.argv[1], "utf8"));
listeners.DOMContentLoaded();
"""


def run_form(node: str, steps: str) -> str:
    result = subprocess.run(
        [node, "-e", FAKE_FORM + steps, str(MAP_JS)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_choosing_a_named_place_clears_the_coordinates():
    # was a 400 'observer and lat/lon exclude each other' after passes for typed coordinates
    # (the form keeps them filled in) and then a place chosen from the list
    node = node_or_skip("map.js")
    steps = """
    els.lat.value = "39.74"; els.lon.value = "-104.99"; els.alt.value = "0.0";
    els["observer-select"].value = "Ganja";
    els["observer-select"].handlers.change();
    console.log(JSON.stringify([els.lat.value, els.lon.value, els.alt.value]));
    els.lat.value = "40"; els["observer-select"].value = "";
    els["observer-select"].handlers.change();
    console.log(els.lat.value);
    """
    assert run_form(node, steps).splitlines() == ['["","",""]', "40"]


@pytest.mark.parametrize("url", ["/sky", "/dish"])
def test_sky_and_dish_forms_keep_typed_coordinates(client, url):
    # was a list of named places only, none selected: the browser showed Baku, and pressing the
    # button went back to Baku; now the passes page's observer form (coordinates and map)
    page = client.get(url, params=DENVER).text
    form = page.split("<form", 1)[1].split("</form>", 1)[0]
    assert '<option value="" selected>' in form
    assert " selected>" not in form.split('<option value="" selected>', 1)[1]
    assert 'name="lat" id="lat"' in form and 'value="39.74"' in form
    assert 'value="-104.99"' in form and 'id="map-toggle"' in form
    assert '<script src="/static/map.js" defer></script>' in page
    named = client.get(url, params={"observer": "Ganja"}).text.split("</form>", 1)[0]
    assert '<option value="Ganja" selected>' in named and 'value="39.74"' not in named


class _FormFields(HTMLParser):
    """The name=value pairs a browser submits for the first form of a page (no JS)."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._done:
            return
        if tag == "input" and "name" in a:
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.pairs.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._done = True


def test_the_passes_form_keeps_satellites_twilight_and_zone(client):
    # was: 'Show passes' dropped satellite, twilight and tz (no field in the form), so changing
    # only the days answered for the whole watch list in civil twilight in the observer's zone
    query = [("satellite", "40053"), ("twilight", "nautical"), ("tz", "Asia/Tokyo"),
             ("start", "2026-05-31T00:00Z"), ("days", "2")]  # fmt: skip
    page = client.get("/passes", params=query).text
    fields = _FormFields()
    fields.feed(page)
    again = client.get("/passes", params=fields.pairs)
    assert again.status_code == 200, again.text
    assert ("satellite", "40053") in fields.pairs and ("tz", "Asia/Tokyo") in fields.pairs
    table = page.split('<table id="passes"', 1)[1].split("</table>", 1)[0]
    assert again.text.split('<table id="passes"', 1)[1].split("</table>", 1)[0] == table
    assert "Fixed in the sky" not in again.text  # no Azerspace: the watch list was dropped


@pytest.mark.parametrize("allow_refresh", [False, True])
def test_a_stale_warning_on_a_page_gives_a_fix_a_browser_can_use(tmp_path, allow_refresh):
    # the passes page repeated the command line's advice, '(or pass --tle-file with fresh
    # elements)', which means nothing in a browser (found by the web sweep)
    config = ServerConfig(tmp_path, tmp_path / "observers.toml", allow_refresh=allow_refresh)
    app = create_app(config, clock=lambda: NOW_UTC)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        # SPOT 7's bundled set (epoch 2026-05-30) is stale in July
        page = c.get("/passes", params={"satellite": "40053", "start": "2026-07-10T00:00Z"}).text
    assert "is stale for a leo-meo orbit" in page
    assert "--tle-file" not in page
    fix = "refresh them on the Elements page" if allow_refresh else "passpredict tle refresh"
    assert fix in page
