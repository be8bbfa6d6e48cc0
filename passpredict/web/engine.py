"""What the web pages compute, with the same library calls as the command line.

One `Engine` per server holds what is expensive to open (the timescale and the DE421
ephemeris) and the home directory; every method takes its instant as a parameter (the
routes read the clock, once per request, as the CLI's commands do). The JSON each method
returns is built by the CLI's own functions (`formats.prediction_dict` for passes, the
`geo`, `sun-outages` and `tle status` record builders), so the API's fields are those of
`--format json` and follow them when they change.

Computations share one lock: Skyfield's ephemeris file and the store connection are not
promised to be thread-safe, and a page costs milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from passpredict.engine.ephemeris import Astronomy
from passpredict.inputs.sources import ElementSourceError, select_element_sets
from passpredict.output.formats import prediction_dict, track_samples
from passpredict.output.geo_json import observer_dict
from passpredict.output.textarrays import rounded
from passpredict.products.geo.pointing import NotGeostationaryError, geo_pointing
from passpredict.products.geo.sun_outages import (
    DEFAULT_SEARCH_DAYS,
    OutageSeason,
    find_sun_outages,
    group_seasons,
    outage_threshold_deg,
)
from passpredict.products.magnetic import MagneticModelError, declination, magnetic_azimuth_deg
from passpredict.products.predict import Prediction, predict
from passpredict.products.track import Track, look_track, pass_track, track
from passpredict.products.visibility import VisibilityOptions
from passpredict.records import Observer, Pass
from passpredict.timeutil import format_utc
from passpredict.web.params import BadQuery, PassQuery
from tle_cache.elements import ElementSet

#: The dishes the Dish page points by default: Azerspace-1 and Azerspace-2 (Intelsat 38).
DEFAULT_DISH_SATELLITES = ("39079", "43632")
#: The sun-outage threshold of the Dish page: a 1.2 m Ku-band dish, as `sun-outages`.
DISH_M = 1.2
FREQUENCY_GHZ = 11.7
#: Outage seasons shown (the next spring and autumn), as `sun-outages` by default.
OUTAGE_SEASONS = 2
#: Sun-outage searches kept (one per satellite, place and day): a search costs about 1 s.
_OUTAGE_CACHE_SIZE = 32


@dataclass(frozen=True)
class PassDetail:
    """One pass, the set it was predicted from and its track (for the chart and the table)."""

    item: Pass
    element_set: ElementSet
    track: Track
    zone_name: str


class Engine:
    """The server's computations (module docstring)."""

    def __init__(self, home: Path, astronomy: Astronomy) -> None:
        self.home = home
        self.astronomy = astronomy
        self._lock = threading.Lock()
        self._outages: dict[
            tuple[int, datetime, Observer, datetime], tuple[float, list[OutageSeason]]
        ] = {}

    # --- element sets ----------------------------------------------------------------------

    def _select(
        self, queries: Sequence[str], start_utc: datetime, end_utc: datetime | None
    ) -> tuple[list[ElementSet], list[str]]:
        """Return the sets for the window (as `passes` picks them) and the selection warnings."""
        try:
            selection = select_element_sets(
                queries, None, self.home, start_utc=start_utc, end_utc=end_utc
            )
        except ElementSourceError as error:
            raise BadQuery("start", str(error)) from None
        except ValueError as error:
            raise BadQuery("satellite", str(error)) from None
        if not selection.element_sets:
            raise BadQuery("satellite", "no element sets to predict from")
        return selection.element_sets, selection.warnings

    # --- passes ----------------------------------------------------------------------------

    def predict(self, query: PassQuery) -> tuple[Prediction, list[str]]:
        """Return what `passpredict passes` predicts for the same options, and its warnings."""
        with self._lock:
            element_sets, warnings = self._select(query.satellites, query.start_utc, query.end_utc)
            prediction = self._predict(element_sets, query)
        if query.visible_only:
            prediction = prediction.visible_only()
        return prediction, warnings

    def _predict(self, element_sets: Sequence[ElementSet], query: PassQuery) -> Prediction:
        try:
            return predict(
                element_sets,
                [query.observer],
                query.start_utc,
                query.end_utc,
                query.min_elevation_deg,
                timescale=self.astronomy.timescale,
                visibility=VisibilityOptions(self.astronomy, query.twilight_deg, {}),
            )
        except ValueError as error:
            raise BadQuery(None, str(error)) from None

    def passes_json(self, query: PassQuery) -> dict[str, Any]:
        """Return the passes as `passpredict passes --format json` writes them."""
        prediction, _ = self.predict(query)
        return prediction_dict(prediction)

    def pass_detail(
        self, query: PassQuery, norad_id: int, culmination_utc: datetime, step_s: float
    ) -> PassDetail:
        """Return the pass of `norad_id` culminating at `culmination_utc` (within 1 s) and its
        track every `step_s`: the same prediction as the passes page, for that satellite."""
        with self._lock:
            element_sets, _ = self._select([str(norad_id)], query.start_utc, query.end_utc)
            prediction = self._predict(element_sets, query)
            matches = [
                p
                for p in prediction.passes
                if p.norad_id == norad_id
                and abs((p.culmination.time_utc - culmination_utc).total_seconds()) <= 1.0
            ]
            if not matches:
                raise BadQuery(
                    "culmination",
                    f"no pass of NORAD {norad_id} culminates at {format_utc(culmination_utc)} "
                    "in this window; pick a pass from the passes page",
                )
            item = matches[0]
            element_set = element_sets[0]
            span = pass_track(
                item,
                element_set,
                query.observer,
                timescale=self.astronomy.timescale,
                step_s=60.0,
            )
            end_utc = span.start_utc + timedelta(seconds=float(span.seconds[-1]))
            tracks = track(
                element_set,
                [query.observer],
                span.start_utc,
                end_utc,
                step_s,
                timescale=self.astronomy.timescale,
            )
        zone = query.zone or query.observer.timezone or "UTC"
        return PassDetail(item, element_set, tracks[0], str(getattr(zone, "key", zone)))

    def pass_detail_json(self, detail: PassDetail) -> dict[str, Any]:
        """Return a pass (fields of `passes --format json`) and its track samples (fields of
        `passpredict track --format json`)."""
        from passpredict.output.formats import pass_dict

        return {
            "pass": pass_dict(detail.item),
            "epoch": format_utc(detail.element_set.epoch_utc),
            "step_s": detail.track.step_s,
            "samples": track_samples(detail.track),
        }

    # --- the sky now -----------------------------------------------------------------------

    def sky(self, observer: Observer, at_utc: datetime) -> dict[str, Any]:
        """Return where each watched satellite is in `observer`'s sky at `at_utc`."""
        with self._lock:
            element_sets, warnings = self._select([], at_utc, None)
            rows = []
            for es in element_sets:
                look = look_track(
                    es, observer, at_utc, at_utc, step_s=1.0, timescale=self.astronomy.timescale
                )
                az, el, rng = (
                    float(a[0]) for a in (look.azimuth_deg, look.elevation_deg, look.range_km)
                )
                rows.append(
                    {
                        "satellite": es.name,
                        "norad_id": es.norad_id,
                        "azimuth_deg": rounded(az, 3),
                        "elevation_deg": rounded(el, 3),
                        "range_km": rounded(rng, 3),
                        "above_horizon": el > 0.0,
                        "age_days": rounded(es.age_days(at_utc), 3),
                    }
                )
        return {
            "time": format_utc(at_utc),
            "observer": observer_dict(observer),
            "satellites": rows,
            "warnings": warnings,
        }

    # --- dish pointing ---------------------------------------------------------------------

    def dish(
        self, observer: Observer, satellites: Sequence[str], at_utc: datetime
    ) -> dict[str, Any]:
        """Return the pointing of each geostationary satellite (fields of `geo --format
        json`), its magnetic bearing and the next sun-outage seasons (`sun-outages`)."""
        from passpredict.output.geo_json import elements_dict, pointing_dict

        dishes = []
        with self._lock:
            for query in satellites or DEFAULT_DISH_SATELLITES:
                (es,), _ = self._select([query], at_utc, None)
                try:
                    pointing = geo_pointing(es, observer, at_utc, self.astronomy.timescale)
                except NotGeostationaryError as error:
                    raise BadQuery("satellite", str(error)) from None
                record = pointing_dict(pointing, es)
                record["elements"] = elements_dict(es, at_utc)
                record.update(_magnetic(observer, at_utc, pointing.azimuth_deg))
                record["sun_outages"] = (
                    self._outages_json(es, observer, at_utc)
                    if pointing.above_horizon
                    else _no_link_outages(es, observer, pointing.elevation_deg)
                )
                dishes.append(record)
        return {"time": format_utc(at_utc), "observer": observer_dict(observer), "dishes": dishes}

    def _outages_json(self, es: ElementSet, observer: Observer, at_utc: datetime) -> dict[str, Any]:
        from passpredict.output.geo_json import outage_season_cut, outage_season_dict

        day = at_utc.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        search_end = day + timedelta(days=DEFAULT_SEARCH_DAYS)
        key = (es.norad_id, es.epoch_utc, observer, day)
        if key not in self._outages:
            threshold_deg = outage_threshold_deg(DISH_M, FREQUENCY_GHZ)
            outages = find_sun_outages(
                es,
                observer,
                day,
                search_end,
                self.astronomy,
                threshold_deg,
            )
            seasons = group_seasons(outages, observer.latitude_deg)[:OUTAGE_SEASONS]
            if len(self._outages) >= _OUTAGE_CACHE_SIZE:
                self._outages.pop(next(iter(self._outages)))
            self._outages[key] = (threshold_deg, seasons)
        threshold_deg, seasons = self._outages[key]
        return {
            "threshold_deg": rounded(threshold_deg, 4),
            "dish_m": DISH_M,
            "frequency_ghz": FREQUENCY_GHZ,
            "seasons": [
                outage_season_dict(s, outage_season_cut(s, day, search_end)) for s in seasons
            ],
            "note": None,
        }


def _no_link_outages(es: ElementSet, observer: Observer, elevation_deg: float) -> dict[str, Any]:
    """Return the outage record of a satellite below the horizon: no link, so no outage.

    `find_sun_outages` refuses such a satellite (a ValueError, once a 500 on the Dish page
    from Denver); the page still shows where the dish would point, and says why no outages.
    """
    return {
        "threshold_deg": rounded(outage_threshold_deg(DISH_M, FREQUENCY_GHZ), 4),
        "dish_m": DISH_M,
        "frequency_ghz": FREQUENCY_GHZ,
        "seasons": [],
        "note": f"{es.name} is below the horizon of {observer.name} (elevation "
        f"{elevation_deg:.1f} deg): there is no link, so no sun outage",
    }


def _magnetic(observer: Observer, at_utc: datetime, azimuth_deg: float) -> dict[str, Any]:
    """Return the compass bearing for a true azimuth, or why there is none (WMM2025)."""
    try:
        found = declination(
            observer.latitude_deg, observer.longitude_deg, observer.elevation_m, at_utc
        )
    except MagneticModelError as error:
        return {"declination_deg": None, "azimuth_magnetic_deg": None, "magnetic_note": str(error)}
    return {
        "declination_deg": rounded(found.declination_deg, 3),
        "azimuth_magnetic_deg": rounded(
            float(magnetic_azimuth_deg(azimuth_deg, found.declination_deg)), 3
        ),
        "magnetic_note": "compass readings degrade here (weak horizontal field)"
        if found.caution
        else None,
        "magnetic_model": found.model,
    }
