"""Calibrate how far off a pass time is, given the age of the element set it was predicted from.

Regenerates `passpredict/data/time_uncertainty.json` (the table `passpredict.products.uncertainty`
reads) and `docs/time-uncertainty.png`; the method, data and results are in
docs/uncertainty.md. Run from the repository root, with the element histories of
`shared/data/tle/` beside the checkout (or `--data DIR`):

    python calibration/calibrate_time_uncertainty.py            # about 2 minutes on 2 cores

Low orbits. For each satellite, every element set at least half a day after the previous
one chosen is a reference: the truth for the passes within half a day of its epoch (the set
nearest those passes). For each target age (0.5 to 30 days) the set published nearest that
long before the reference is the old set; both predict the passes over four observers
(69.6 N to 33.9 S) at the default 10 deg threshold, passes are matched by their highest point
(same observer, within 20 minutes), and the differences of the rise, culmination and set
times are the errors, at the age of the old set at the pass. Errors are binned by age per drag
level (perigee height of the old set), and the median and 90th percentile of the absolute
error in each bin are fitted with a quadratic in log(age) - log(error).

Geostationary satellites. Every set of Azerspace-1 and -2 is propagated to the epoch of every
later set up to 120 days on, as `passpredict geo` does (plain SGP4 up to 4 days from the epoch,
held at station beyond), and compared with the later set at its own epoch: the angle between
the two directions seen from Baku and from Tromsø is the pointing error.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from passpredict.engine.ephemeris import load_timescale  # noqa: E402
from passpredict.engine.orbits import (  # noqa: E402
    EARTH_EQUATORIAL_RADIUS_KM,
    OrbitClass,
    classify,
    perigee_radius_km,
)
from passpredict.engine.passes import search_passes  # noqa: E402
from passpredict.engine.stationkeeping import HOLD_HORIZON_DAYS, hold_errors  # noqa: E402
from passpredict.engine.time_axis import TimeBase  # noqa: E402
from passpredict.records import Observer  # noqa: E402
from tle_cache.elements import ElementSet  # noqa: E402
from tle_cache.parse import read_file  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "tle"
DEFAULT_TABLE = ROOT / "passpredict" / "data" / "time_uncertainty.json"
DEFAULT_PLOT = ROOT / "docs" / "time-uncertainty.png"

LEO_FILES = (
    "targets/spot-7_azersky_40053.tle",
    "comparison/spot-6_38755.tle",
    "comparison/aqua_27424.tle",
    "comparison/landsat-8_39084.tle",
    "comparison/metop-b_38771.tle",
    "comparison/noaa-19_33591.tle",
    "comparison/noaa-20_jpss-1_43013.tle",
    "comparison/iss_zarya_25544.tle",
)
GEO_FILES = ("targets/azerspace-1_39079.tle", "targets/azerspace-2_intelsat-38_43632.tle")

OBSERVERS = (
    Observer("Tromsø", 69.6492, 18.9553, 0.0),
    Observer("Baku", 40.4093, 49.8671, -28.0),
    Observer("Quito", -0.1807, -78.4678, 2850.0),
    Observer("Cape Town", -33.9249, 18.4241, 0.0),
)
GEO_OBSERVERS = (OBSERVERS[1], OBSERVERS[0])
MIN_ELEVATION_DEG = 10.0
TARGET_AGES_DAYS = (0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 14.0, 21.0, 30.0)
#: Age bins (days) of the fit, one around each target age.
AGE_EDGES_DAYS = (0.25, 0.75, 1.5, 2.5, 4.0, 6.0, 8.5, 12.0, 17.0, 25.0, 35.0)
GEO_AGE_EDGES_DAYS = (0.25, 0.75, 1.5, 2.5, 4.0, 6.0, 8.5, 12.0, 17.0, 25.0, 35.0, 60.0, 120.0)
#: Drag levels by the perigee height (km above the equatorial radius) of the set in use.
DRAG_LEVELS = (
    ("high", 0.0, 500.0),
    ("moderate", 500.0, 750.0),
    ("low", 750.0, 2000.0),
)
#: Half-width (days) of the window of passes around each reference epoch.
TRUTH_HALF_WINDOW_DAYS = 0.5
#: Smallest spacing (days) between two references of one satellite.
REFERENCE_SPACING_DAYS = 0.5
#: How far (as a share of the target age, at least 0.25 day) the old set may be from it.
AGE_TOLERANCE = 0.25
#: Passes of one satellite over one observer are an orbit (over 90 minutes) apart.
MATCH_WINDOW_S = 1200.0
#: Fewest samples for an age bin to enter the fit.
MIN_BIN_SAMPLES = 30
FIT_DEGREE = 2
EVENTS = ("rise", "culmination", "set", "pass")
QUANTILES = {"median": 50.0, "p90": 90.0}


@dataclass(frozen=True)
class Samples:
    """Timing errors of predicted passes (s, predicted minus truth), one row per matched pass."""

    satellite: NDArray[np.str_]
    norad_id: NDArray[np.int64]
    observer: NDArray[np.str_]
    perigee_km: NDArray[np.float64]
    bstar: NDArray[np.float64]
    age_days: NDArray[np.float64]
    rise_s: NDArray[np.float64]
    culmination_s: NDArray[np.float64]
    set_s: NDArray[np.float64]
    unmatched: int
    matched: int

    def event_errors(self, event: str) -> NDArray[np.float64]:
        """Absolute errors of one event; for "pass" the largest of the three (NaN skipped)."""
        if event == "pass":
            stacked = np.abs(np.stack([self.rise_s, self.culmination_s, self.set_s]))
            return np.nanmax(stacked, axis=0)
        return np.abs(getattr(self, f"{event}_s"))

    def subset(self, mask: NDArray[np.bool_]) -> Samples:
        return Samples(
            self.satellite[mask],
            self.norad_id[mask],
            self.observer[mask],
            self.perigee_km[mask],
            self.bstar[mask],
            self.age_days[mask],
            self.rise_s[mask],
            self.culmination_s[mask],
            self.set_s[mask],
            self.unmatched,
            self.matched,
        )


def perigee_height_km(es: ElementSet) -> float:
    return perigee_radius_km(es) - EARTH_EQUATORIAL_RADIUS_KM


def references(sets: Sequence[ElementSet]) -> list[ElementSet]:
    """Return the sets used as truth: each at least `REFERENCE_SPACING_DAYS` after the last."""
    chosen: list[ElementSet] = []
    for es in sets:
        if not chosen or es.epoch_utc - chosen[-1].epoch_utc >= timedelta(
            days=REFERENCE_SPACING_DAYS
        ):
            chosen.append(es)
    return chosen


def old_set(
    sets: Sequence[ElementSet], epochs_s: NDArray[np.float64], reference: ElementSet, age: float
) -> ElementSet | None:
    """Return the set published nearest `age` days before `reference`, if near enough."""
    wanted = reference.epoch_utc.timestamp() - age * 86400.0
    k = int(np.argmin(np.abs(epochs_s - wanted)))
    offset_days = abs(epochs_s[k] - wanted) / 86400.0
    if (
        offset_days > max(AGE_TOLERANCE * age, 0.25)
        or epochs_s[k] >= reference.epoch_utc.timestamp()
    ):
        return None
    return sets[k]


def leo_samples(sets: Sequence[ElementSet], observers: Sequence[Observer], timescale) -> Samples:
    """Predict each reference's passes from older sets and collect the timing errors."""
    sets = sorted(sets, key=lambda es: es.epoch_utc)
    epochs_s = np.array([es.epoch_utc.timestamp() for es in sets])
    rows: list[tuple] = []
    unmatched = matched = 0
    for reference in references(sets):
        olds = []
        for age in TARGET_AGES_DAYS:
            es = old_set(sets, epochs_s, reference, age)
            if es is not None and all(es is not o for o in olds):
                olds.append(es)
        if not olds:
            continue
        start = reference.epoch_utc - timedelta(days=TRUTH_HALF_WINDOW_DAYS)
        end = reference.epoch_utc + timedelta(days=TRUTH_HALF_WINDOW_DAYS)
        timebase = TimeBase.create(start, end, timescale)
        group = [reference, *olds]
        table = search_passes(
            group, observers, timebase, (end - start).total_seconds(), MIN_ELEVATION_DEG
        )
        truth = table.satellite_index == 0
        for k, es in enumerate(olds, start=1):
            mine = table.satellite_index == k
            perigee = perigee_height_km(es)
            bstar = float(es.omm.get("BSTAR", 0.0))
            epoch_offset_s = (es.epoch_utc - start).total_seconds()
            for t in np.flatnonzero(truth):
                same = np.flatnonzero(mine & (table.observer_index == table.observer_index[t]))
                if same.size == 0:
                    unmatched += 1
                    continue
                gap = np.abs(table.culmination_s[same] - table.culmination_s[t])
                p = same[int(np.argmin(gap))]
                if gap.min() > MATCH_WINDOW_S:
                    unmatched += 1
                    continue
                age_days = (table.culmination_s[t] - epoch_offset_s) / 86400.0
                if age_days < AGE_EDGES_DAYS[0]:
                    continue
                matched += 1
                rows.append(
                    (
                        sets[-1].name,
                        es.norad_id,
                        observers[table.observer_index[t]].name,
                        perigee,
                        bstar,
                        age_days,
                        table.rise_s[p] - table.rise_s[t],
                        table.culmination_s[p] - table.culmination_s[t],
                        table.set_s[p] - table.set_s[t],
                    )
                )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 9
    return Samples(
        np.array(columns[0], dtype=str),
        np.array(columns[1], dtype=np.int64),
        np.array(columns[2], dtype=str),
        *(np.array(c, dtype=float) for c in columns[3:]),
        unmatched=unmatched,
        matched=matched,
    )


def merge(parts: Sequence[Samples]) -> Samples:
    fields = (
        "satellite",
        "norad_id",
        "observer",
        "perigee_km",
        "bstar",
        "age_days",
        "rise_s",
        "culmination_s",
        "set_s",
    )
    merged = {f: np.concatenate([getattr(p, f) for p in parts]) for f in fields}
    return Samples(
        **merged,
        unmatched=sum(p.unmatched for p in parts),
        matched=sum(p.matched for p in parts),
    )


def binned(
    age_days: NDArray[np.float64], errors: NDArray[np.float64], edges: Sequence[float]
) -> list[dict]:
    """Return per age bin: the median age, count, median and 90th percentile of the errors."""
    out = []
    for low, high in itertools.pairwise(edges):
        inside = (age_days >= low) & (age_days < high) & np.isfinite(errors)
        n = int(inside.sum())
        if n == 0:
            continue
        out.append(
            {
                "age_min_days": low,
                "age_max_days": high,
                "age_days": float(np.median(age_days[inside])),
                "count": n,
                **{q: float(np.percentile(errors[inside], p)) for q, p in QUANTILES.items()},
            }
        )
    return out


def fit_curve(bins: Sequence[dict], quantile: str, degree: int = FIT_DEGREE) -> dict:
    """Fit log10(error) as a polynomial in log10(age) over the bins with enough samples.

    Weighted by the square root of each bin's count. Returns the coefficients (highest power
    first, for `numpy.polyval`), the residual of every bin (log10 of bin value over fit) and
    the spread: the largest residual as a factor.
    """
    used = [b for b in bins if b["count"] >= MIN_BIN_SAMPLES and b[quantile] > 0]
    x = np.log10([b["age_days"] for b in used])
    y = np.log10([b[quantile] for b in used])
    w = np.sqrt([b["count"] for b in used])
    coefficients = np.polyfit(x, y, min(degree, len(used) - 1), w=w)
    residuals = y - np.polyval(coefficients, x)
    return {
        "coefficients": [float(c) for c in coefficients],
        "age_min_days": float(min(b["age_min_days"] for b in used)),
        "age_floor_days": float(min(b["age_days"] for b in used)),
        "age_max_days": float(max(b["age_max_days"] for b in used)),
        "residuals_log10": [float(r) for r in residuals],
        "spread_factor": float(10 ** np.max(np.abs(residuals))),
    }


def leo_level(samples: Samples, name: str, low: float, high: float) -> dict | None:
    inside = (samples.perigee_km >= low) & (samples.perigee_km < high)
    if not inside.any():
        return None
    part = samples.subset(inside)
    level = {
        "name": name,
        "perigee_min_km": low,
        "perigee_max_km": high,
        "satellites": sorted(
            {f"{n} ({k})" for n, k in zip(part.satellite, part.norad_id, strict=True)}
        ),
        "samples": int(inside.sum()),
        "bstar_range": [float(part.bstar.min()), float(part.bstar.max())],
        "events": {},
    }
    for event in EVENTS:
        bins = binned(part.age_days, part.event_errors(event), AGE_EDGES_DAYS)
        level["events"][event] = {
            "bins": bins,
            "fits": {q: fit_curve(bins, q) for q in QUANTILES},
        }
    return level


def geo_errors(sets: Sequence[ElementSet], timescale) -> tuple[np.ndarray, np.ndarray]:
    """Return (age days, pointing error deg) of `passpredict geo`'s policy for one satellite."""
    ages, errors = [], []
    for observer in GEO_OBSERVERS:
        lead, propagated, held = hold_errors(sets, observer, timescale, max_lead_days=120.0)
        ages.append(lead)
        errors.append(np.where(lead <= HOLD_HORIZON_DAYS, propagated, held))
    return np.concatenate(ages), np.concatenate(errors)


def file_record(data: Path, name: str, sets: Sequence[ElementSet]) -> dict:
    digest = hashlib.sha256((data / name).read_bytes()).hexdigest()
    return {
        "file": f"shared/data/tle/{name}",
        "sha256": digest,
        "sets": len(sets),
        "first_epoch_utc": f"{sets[0].epoch_utc:%Y-%m-%d}",
        "last_epoch_utc": f"{sets[-1].epoch_utc:%Y-%m-%d}",
    }


def git_commit() -> str:
    """Return the checkout's commit, with "+changes" when files differ from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                "passpredict",
                "tle_cache",
                "calibration",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+changes" if dirty else head


def calibrate(data: Path, generated_utc: datetime) -> tuple[dict, Samples, tuple]:
    timescale = load_timescale()
    files, parts = [], []
    for name in LEO_FILES:
        sets = sorted(read_file(data / name), key=lambda es: es.epoch_utc)
        sets = [es for es in sets if classify(es) is OrbitClass.LEO_MEO]
        files.append(file_record(data, name, sets))
        began = time.perf_counter()
        part = leo_samples(sets, OBSERVERS, timescale)
        print(
            f"{name}: {len(sets)} sets, {part.matched} passes compared "
            f"({part.unmatched} without a match), {time.perf_counter() - began:.0f} s",
            file=sys.stderr,
        )
        parts.append(part)
    samples = merge(parts)
    levels = [lv for lv in (leo_level(samples, *d) for d in DRAG_LEVELS) if lv is not None]
    per_satellite = []
    for norad_id in sorted(set(samples.norad_id.tolist())):
        part = samples.subset(samples.norad_id == norad_id)
        per_satellite.append(
            {
                "name": str(part.satellite[0]),
                "norad_id": norad_id,
                "perigee_km": [
                    round(float(part.perigee_km.min()), 1),
                    round(float(part.perigee_km.max()), 1),
                ],
                "samples": int(part.age_days.size),
                "pass": binned(part.age_days, part.event_errors("pass"), AGE_EDGES_DAYS),
            }
        )

    geo_ages, geo_deg, geo_sats = [], [], []
    for name in GEO_FILES:
        sets = sorted(read_file(data / name), key=lambda es: es.epoch_utc)
        files.append(file_record(data, name, sets))
        ages, errors = geo_errors(sets, timescale)
        geo_ages.append(ages)
        geo_deg.append(errors)
        geo_sats.append(sets[0].name)
        print(f"{name}: {len(sets)} sets, {ages.size} comparisons", file=sys.stderr)
    geo_ages_a, geo_deg_a = np.concatenate(geo_ages), np.concatenate(geo_deg)
    geo_bins = binned(geo_ages_a, geo_deg_a, GEO_AGE_EDGES_DAYS)
    table = {
        "schema": 1,
        "provenance": {
            "generated_utc": generated_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "script": "calibration/calibrate_time_uncertainty.py",
            "passpredict_commit": git_commit(),
            "method": (
                "LEO: each set at least 0.5 day after the previous one chosen is the truth for "
                "the passes within 0.5 day of its epoch; the set published nearest 0.5, 1, 2, "
                "3, 5, 7, 10, 14, 21 and 30 days earlier predicts the same passes; passes "
                "matched by culmination (same observer, within 20 min); error = predicted - "
                "truth time of rise, culmination and set, at the old set's age at the pass; "
                "'pass' is the largest of the three. Binned by age per drag level (perigee "
                "height of the old set); median and 90th percentile of |error| per bin fitted "
                "by a quadratic in log10(age) - log10(error), weights sqrt(count), bins of at "
                f"least {MIN_BIN_SAMPLES} samples. GEO: every set propagated to the epoch of "
                "every later set up to 120 days as 'passpredict geo' does (plain SGP4 up to 4 "
                "days, held at station beyond), error = angle between the directions to it "
                "and to the later set seen from the observer; binned quantiles, linearly "
                "interpolated in log10(age)."
            ),
            "observers": [
                {"name": o.name, "latitude_deg": o.latitude_deg, "longitude_deg": o.longitude_deg}
                for o in OBSERVERS
            ],
            "min_elevation_deg": MIN_ELEVATION_DEG,
            "data": files,
            "leo_passes_compared": samples.matched,
            "leo_passes_unmatched": samples.unmatched,
        },
        "leo": {
            "quantity": "absolute error of the predicted pass time (s)",
            "drag_levels": levels,
            "satellites": per_satellite,
        },
        "geo": {
            "quantity": "pointing error: angle between predicted and later direction (deg)",
            "satellites": geo_sats,
            "observers": [o.name for o in GEO_OBSERVERS],
            "samples": int(geo_ages_a.size),
            "bins": geo_bins,
        },
    }
    return table, samples, (geo_ages_a, geo_deg_a)


def plot(table: dict, samples: Samples, geo: tuple, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levels = table["leo"]["drag_levels"]
    fig, axes = plt.subplots(
        2,
        len(levels) + 1,
        figsize=(4.2 * (len(levels) + 1), 7.5),
        gridspec_kw={"height_ratios": [3, 1]},
        squeeze=False,
    )
    rng = np.random.default_rng(1)
    for col, level in enumerate(levels):
        ax, res = axes[0, col], axes[1, col]
        inside = (samples.perigee_km >= level["perigee_min_km"]) & (
            samples.perigee_km < level["perigee_max_km"]
        )
        age, err = samples.age_days[inside], samples.event_errors("pass")[inside]
        shown = rng.permutation(age.size)[:3000]
        ax.scatter(
            age[shown],
            np.maximum(err[shown], 1e-3),
            s=2,
            alpha=0.15,
            color="0.5",
            label="passes (largest of rise/culm./set)",
        )
        event = level["events"]["pass"]
        for q, colour in (("median", "tab:blue"), ("p90", "tab:red")):
            bins = event["bins"]
            fit = event["fits"][q]
            grid = np.logspace(np.log10(fit["age_floor_days"]), np.log10(fit["age_max_days"]), 100)
            ax.plot(
                [b["age_days"] for b in bins],
                [b[q] for b in bins],
                "o",
                color=colour,
                label=f"{q} per age bin",
            )
            ax.plot(
                grid,
                10 ** np.polyval(fit["coefficients"], np.log10(grid)),
                "-",
                color=colour,
                label=f"{q} fit (spread x{fit['spread_factor']:.2f})",
            )
            used = [b for b in bins if b["count"] >= MIN_BIN_SAMPLES and b[q] > 0]
            res.plot(
                [b["age_days"] for b in used],
                [10**r for r in fit["residuals_log10"]],
                "o-",
                color=colour,
                label=q,
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(1e-3, 1e3)
        ax.set_title(
            f"perigee {level['perigee_min_km']:.0f}-{level['perigee_max_km']:.0f} km "
            f"({level['name']} drag)\n" + ", ".join(level["satellites"]),
            fontsize=8,
        )
        ax.set_xlabel("age of the element set at the pass (days)")
        ax.set_ylabel("pass time error (s)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
        res.set_xscale("log")
        res.axhline(1.0, color="0.3", lw=0.8)
        res.set_ylim(0.5, 2.0)
        res.set_yscale("log")
        res.set_xlabel("age (days)")
        res.set_ylabel("bin / fit")
        res.grid(True, which="both", alpha=0.3)
        res.legend(fontsize=7)
    ax, res = axes[0, -1], axes[1, -1]
    geo_age, geo_err = geo
    shown = rng.permutation(geo_age.size)[:4000]
    ax.scatter(
        geo_age[shown],
        np.maximum(geo_err[shown], 1e-4),
        s=2,
        alpha=0.15,
        color="0.5",
        label="set pairs",
    )
    bins = table["geo"]["bins"]
    for q, colour in (("median", "tab:blue"), ("p90", "tab:red")):
        ax.plot(
            [b["age_days"] for b in bins],
            [b[q] for b in bins],
            "o-",
            color=colour,
            label=f"{q} per age bin",
        )
    ax.axvline(HOLD_HORIZON_DAYS, color="0.3", ls=":", lw=1, label="held at station from here")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_title("geostationary: " + ", ".join(table["geo"]["satellites"]), fontsize=8)
    ax.set_xlabel("age of the element set (days)")
    ax.set_ylabel("pointing error (deg)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    res.set_axis_off()
    fig.suptitle(
        "Pass-time and GEO pointing error vs element-set age "
        f"(calibration of {table['provenance']['generated_utc'][:10]})",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared/data/tle folder")
    parser.add_argument("--table", type=Path, default=DEFAULT_TABLE)
    parser.add_argument("--plot", type=Path, default=DEFAULT_PLOT)
    parser.add_argument("--samples", type=Path, help="also write every LEO sample as CSV")
    args = parser.parse_args(argv)
    table, samples, geo = calibrate(args.data, datetime.now(UTC))
    args.table.parent.mkdir(parents=True, exist_ok=True)
    args.table.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n")
    plot(table, samples, geo, args.plot)
    if args.samples:
        with args.samples.open("w") as out:
            out.write(
                "satellite,norad_id,observer,perigee_km,bstar,age_days,rise_s,culmination_s,set_s\n"
            )
            for row in zip(
                samples.satellite,
                samples.norad_id,
                samples.observer,
                samples.perigee_km,
                samples.bstar,
                samples.age_days,
                samples.rise_s,
                samples.culmination_s,
                samples.set_s,
                strict=True,
            ):
                out.write(",".join(str(v) for v in row) + "\n")
    print(f"wrote {args.table} and {args.plot}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
