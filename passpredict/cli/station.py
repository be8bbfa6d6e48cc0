"""`passpredict track` driving a station: --rotctld, --rigctld, --plan, --dry-run, --next-pass.

Parsing and printing only: the loop is `passpredict.station.tracker`, the plans
`passpredict.station.wrap`, the protocol `passpredict.station.hamlib`. Every command sent (or,
with --dry-run, that would be sent) is one line on stdout, text or JSON lines (--format
json); the live status line and events go to stderr.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

import click

from passpredict.cli.messages import note, warn
from passpredict.engine.ephemeris import load_timescale
from passpredict.inputs.param_types import FiniteFloat
from passpredict.records import Observer
from passpredict.station.clock import ManualClock, SimulatedClock, SystemClock
from passpredict.station.doppler import DopplerPlan
from passpredict.station.hamlib import (
    Endpoint,
    HamlibConnection,
    HamlibError,
    Radio,
    Rotator,
    RotatorRange,
    parse_endpoint,
)
from passpredict.station.schedule import hold_segment, segment_for, upcoming_passes
from passpredict.station.target import Target
from passpredict.station.tracker import (
    Command,
    DryRunRadio,
    DryRunRotator,
    Segment,
    Tracker,
    TrackerOptions,
)
from passpredict.station.wrap import RotatorLimits, parse_azimuth_range
from tle_cache.elements import ElementSet

#: Exit status after Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130
#: Highest frequency accepted (1 THz), as `--frequency-mhz`.
MAX_FREQUENCY_MHZ = 1e6

LIVE_OPTIONS = ("rotctld", "rigctld", "dry_run", "plan")


def _endpoint(ctx: click.Context, param: click.Parameter, value: str | None) -> Endpoint | None:
    if value is None:
        return None
    try:
        return parse_endpoint(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def _park(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        az_text, el_text = value.split(",")
        park = float(az_text), float(el_text)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not AZ,EL; give the park position in degrees, e.g. 180,0", ctx, param
        ) from None
    if not all(math.isfinite(v) for v in park):
        raise click.BadParameter(
            f"{value!r}: the park position must be finite numbers of degrees, e.g. 180,0",
            ctx,
            param,
        )
    return park


def _az_range(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        low, high = parse_azimuth_range(value)
        RotatorLimits(low, high, 90.0)  # the span checked now, not only once a loop starts
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None
    return low, high


def refuse_unused_station_options(ctx: click.Context, station: dict[str, Any]) -> None:
    """Refuse a station option given without the live loop (--rotctld, --rigctld, --plan,
    --dry-run) that alone uses it: it was silently ignored (`track --park 180,0`)."""
    if any(station[name] for name in LIVE_OPTIONS):
        return
    given = click.core.ParameterSource.COMMANDLINE
    for param in ctx.command.params:
        name = param.name or ""
        if name not in station or name in (*LIVE_OPTIONS, "next_pass"):
            continue
        if ctx.get_parameter_source(name) is given:
            raise click.UsageError(
                f"{max(param.opts, key=len)} only means something to a station: give it with "
                "--rotctld, --rigctld, --plan or --dry-run (see README, Ground station)",
                ctx,
            )


def station_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add the station options to `track`."""
    frequency = FiniteFloat(min=0, max=MAX_FREQUENCY_MHZ, min_open=True)
    options = [
        click.option(
            "--next-pass",
            is_flag=True,
            help="Track the next pass above --min-elevation (default 0), from AOS to LOS.",
        ),
        click.option(
            "--rotctld",
            metavar="HOST:PORT",
            callback=_endpoint,
            help="Drive the rotator behind hamlib's rotctld (e.g. localhost:4533), live.",
        ),
        click.option(
            "--rigctld",
            metavar="HOST:PORT",
            callback=_endpoint,
            help="Tune the radio behind hamlib's rigctld (e.g. localhost:4532) for Doppler.",
        ),
        click.option("--downlink-mhz", type=frequency, metavar="F", help="Downlink (MHz)."),
        click.option(
            "--uplink-mhz", type=frequency, metavar="F", help="Uplink (MHz): split, sent by I."
        ),
        click.option(
            "--doppler-step-hz",
            type=FiniteFloat(min=0, max=1e6, min_open=True),
            default=10.0,
            show_default=True,
            metavar="HZ",
            help="Send a frequency when its correction moved this much.",
        ),
        click.option(
            "--inverting", is_flag=True, help="Inverting transponder (for retuning; see README)."
        ),
        click.option(
            "--az-range",
            callback=_az_range,
            metavar="MIN:MAX",
            help="Rotator azimuth span: 0:360, -180:180, 0:450, -180:540 "
            "(default: what rotctld reports, else 0:360).",
        ),
        click.option(
            "--el-max",
            type=click.Choice(["90", "180"]),
            help="Highest rotator elevation; 180 allows flipped passes (default: rotctld's).",
        ),
        click.option("--plan", is_flag=True, help="Print how each pass will be flown; no loop."),
        click.option(
            "--dry-run", is_flag=True, help="Print the commands that would be sent; send none."
        ),
        click.option("--park", callback=_park, metavar="AZ,EL", help="Park here after each LOS."),
        click.option(
            "--deadband-deg",
            type=FiniteFloat(min=0, max=90),
            default=1.0,
            show_default=True,
            metavar="DEG",
            help="Send P only when the target moved more than this on an axis.",
        ),
        click.option(
            "--passes",
            "pass_count",
            type=click.IntRange(min=1),
            metavar="N",
            help="Fly N passes, then stop (default: until Ctrl-C; --plan: 1).",
        ),
        click.option(
            "--speed",
            type=FiniteFloat(min=0, max=1e6, min_open=True),
            metavar="N",
            help="Run on a simulated clock from --start, N times faster than real time.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def next_pass_window(
    element_set: ElementSet, observer: Observer, start_utc: datetime, min_elevation_deg: float
) -> tuple[datetime, datetime]:
    """Return (AOS, LOS) of the next pass (or the one in progress) from `start_utc`."""
    for item in upcoming_passes(
        element_set, observer, start_utc, min_elevation_deg, load_timescale()
    ):
        aos = item.rise.time_utc if item.rise is not None else start_utc
        assert item.set is not None  # upcoming_passes yields whole passes (or one in progress)
        return aos, item.set.time_utc
    raise click.ClickException(
        f"{element_set.name} has no pass above {min_elevation_deg:g} deg over {observer.name} "
        "in the next 30 days"
    )


class _Printer:
    """The loop's sink: commands to stdout, status and events to stderr."""

    def __init__(self, output_format: str) -> None:
        self.json = output_format == "json"
        self.tty = sys.stderr.isatty()
        self._status_shown = False

    def command(self, command: Command) -> None:
        stamp = command.time_utc.astimezone(UTC).isoformat(timespec="milliseconds")
        stamp = stamp.replace("+00:00", "Z")
        if self.json:
            row: dict[str, object] = {
                "time_utc": stamp,
                "daemon": command.daemon,
                "command": command.text,
            }
            if command.azimuth_deg is not None:
                row["azimuth_deg"] = command.azimuth_deg
                row["elevation_deg"] = command.elevation_deg
            if command.frequency_hz is not None:
                row["frequency_hz"] = round(command.frequency_hz)
            if command.satellite is not None:
                row["satellite"] = command.satellite
            line = json.dumps(row)
        else:
            line = f"{stamp} {command.daemon} {command.text}"
        self._clear()
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def status(self, text: str) -> None:
        if self.tty:
            sys.stderr.write("\r\x1b[K" + text)
            sys.stderr.flush()
            self._status_shown = True

    def _clear(self) -> None:
        if self._status_shown:
            sys.stderr.write("\r\x1b[K")
            self._status_shown = False

    def warn(self, text: str) -> None:
        self._clear()
        warn(text)

    def event(self, text: str) -> None:
        self._clear()
        note(text)


def _limits(
    az_range: tuple[float, float] | None, el_max: str | None, reported: RotatorRange | None
) -> RotatorLimits:
    """The limits to plan with: the options, else the rotator's own, else 0:360 / 90."""
    if reported is not None:
        low, high = reported.azimuth_min_deg, reported.azimuth_max_deg
        default_az = (low, min(high, low + 720.0)) if high - low >= 360.0 else (0.0, 360.0)
        default_el = "180" if reported.elevation_max_deg >= 180.0 else "90"
    else:
        default_az, default_el = (0.0, 360.0), "90"
    az = az_range or default_az
    el = float(el_max or default_el)
    try:
        limits = RotatorLimits(az[0], az[1], el)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--az-range' / '--el-max'") from None
    if reported is not None and not (
        reported.azimuth_min_deg - 1e-6 <= limits.azimuth_min_deg
        and limits.azimuth_max_deg <= reported.azimuth_max_deg + 1e-6
        and limits.elevation_max_deg <= reported.elevation_max_deg + 1e-6
    ):
        raise click.UsageError(
            f"the rotator accepts azimuth {reported.azimuth_min_deg:g}:"
            f"{reported.azimuth_max_deg:g} and elevation up to {reported.elevation_max_deg:g}, "
            f"so --az-range {limits.azimuth_min_deg:g}:{limits.azimuth_max_deg:g} --el-max "
            f"{limits.elevation_max_deg:g} cannot be flown; give a range inside the rotator's"
        )
    return limits


def run_station(
    element_set: ElementSet,
    observer: Observer,
    start: datetime | None,
    end_utc: datetime | None,
    min_elevation_deg: float | None,
    output_format: str,
    options: dict[str, Any],
) -> None:
    """Plan, or fly live, the passes of one satellite for one observer."""
    now = datetime.now(UTC)  # the only clock read, for the default start
    start_utc = start or now
    if options["inverting"] and options["uplink_mhz"] is None:
        raise click.UsageError("--inverting needs --uplink-mhz (the transponder's uplink)")
    if options["rigctld"] is not None and options["downlink_mhz"] is None:
        raise click.UsageError("--rigctld needs --downlink-mhz F (and --uplink-mhz for split)")
    doppler = None
    if options["downlink_mhz"] is not None:
        doppler = DopplerPlan(
            options["downlink_mhz"] * 1e6,
            None if options["uplink_mhz"] is None else options["uplink_mhz"] * 1e6,
            options["inverting"],
            options["doppler_step_hz"],
        )
    printer = _Printer(output_format)
    with ExitStack() as stack:
        rotator: Any = None
        radio: Any = None
        reported = None
        try:
            if options["rotctld"] is not None and not options["dry_run"]:
                connection = stack.enter_context(HamlibConnection(options["rotctld"], "rotctld"))
                rotator = Rotator(connection)
                reported = rotator.range()
            if options["rigctld"] is not None and not options["dry_run"]:
                radio = Radio(stack.enter_context(HamlibConnection(options["rigctld"], "rigctld")))
        except HamlibError as error:
            raise click.ClickException(str(error)) from None
        limits = _limits(options["az_range"], options["el_max"], reported)
        park = options["park"]
        if park is not None and not limits.contains(*park):
            raise click.BadParameter(
                f"{park[0]:g},{park[1]:g} is outside the rotator's range "
                f"(azimuth {limits.azimuth_min_deg:g}:{limits.azimuth_max_deg:g}, elevation "
                f"0:{limits.elevation_max_deg:g})",
                param_hint="'--park'",
            )
        if options["dry_run"]:
            if options["rotctld"] is not None or doppler is None:
                rotator = DryRunRotator()
            radio = DryRunRadio() if doppler is not None else None
        target = Target(element_set, observer, load_timescale())
        threshold = 0.0 if min_elevation_deg is None else min_elevation_deg
        here = None
        if rotator is not None and not options["dry_run"]:
            try:
                here = rotator.position()[0]
            except HamlibError as error:
                raise click.ClickException(str(error)) from None
        segments = _segments(target, start_utc, end_utc, threshold, limits, here, options)
        if options["plan"]:
            _print_plan(islice(segments, options["pass_count"] or 1), output_format, limits)
            return
        if options["speed"] is not None:
            clock: Any = SimulatedClock(start_utc, options["speed"])
        elif options["dry_run"]:
            clock = ManualClock(start_utc)
        else:
            clock = SystemClock()
        tracker = Tracker(
            target,
            clock,
            limits,
            TrackerOptions(deadband_deg=options["deadband_deg"], park=park),
            printer,
            rotator,
            radio,
            doppler,
        )
        if options["dry_run"]:
            tracker.real_sleep = lambda s: None
        count = options["pass_count"]
        try:
            tracker.run(islice(segments, count) if count else segments)
        except HamlibError as error:
            # a daemon died or refused mid-run: the run ends, the error line last and on its
            # own line. The radio's failure leaves a working rotator, parked as after Ctrl-C;
            # a rotator that refused or vanished is sent nothing more (no wild move)
            printer._clear()
            if error.daemon != "rotctld":
                _park_on_leaving(tracker, park, rotator)
            raise click.ClickException(str(error)) from None
        except KeyboardInterrupt:
            printer._clear()
            _park_on_leaving(tracker, park, rotator)
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        printer._clear()


def _park_on_leaving(tracker: Tracker, park: tuple[float, float] | None, rotator: Any) -> None:
    """Park the rotator, if a park position was given, before the run ends early."""
    if park is None or rotator is None or tracker.parked:
        return
    try:
        tracker.park()
    except HamlibError as error:
        warn(f"could not park: {error}")


def _segments(
    target: Target,
    start_utc: datetime,
    end_utc: datetime | None,
    threshold: float,
    limits: RotatorLimits,
    here: float | None,
    options: dict[str, Any],
) -> Iterator[Segment]:
    if target.geostationary:
        yield hold_segment(target, start_utc, end_utc or start_utc + timedelta(hours=1), limits)
        return
    current = here
    for item in upcoming_passes(
        target.element_set, target.observer, start_utc, threshold, target.timescale
    ):
        if end_utc is not None and item.start_utc >= end_utc:
            return
        segment = segment_for(item, target, limits, start_utc, current)
        park = options["park"]
        current = park[0] if park is not None else float(segment.plan.azimuth_deg[-1])
        yield segment


def _print_plan(segments: Iterator[Segment], output_format: str, limits: RotatorLimits) -> None:
    """One line (or JSON object) per pass: when, which way, flipped, where it must unwind."""
    rows: list[dict[str, Any]] = []
    for s in segments:
        plan = s.plan
        rows.append(
            {
                "satellite": s.satellite,
                "norad_id": s.norad_id,
                "aos_utc": _z(s.aos_utc),
                "los_utc": _z(s.los_utc),
                "max_elevation_deg": round(s.max_elevation_deg, 2),
                "flipped": plan.flipped,
                "over_the_top": plan.over_the_top,
                "pointing_offset_max_deg": round(plan.offset_max_deg, 2),
                "azimuth_rate_max_deg_s": round(plan.azimuth_rate_max_deg_s, 3),
                "direction": plan.direction,
                "aos_azimuth_deg": round(float(plan.azimuth_deg[0]), 2),
                "los_azimuth_deg": round(float(plan.azimuth_deg[-1]), 2),
                "azimuth_min_deg": round(float(plan.azimuth_deg.min()), 2),
                "azimuth_max_deg": round(float(plan.azimuth_deg.max()), 2),
                "crosses_stop": plan.crosses_stop,
                "unwind_utc": [_z(s.aos_utc + timedelta(seconds=t)) for t in plan.unwind_s],
                "az_range_deg": [limits.azimuth_min_deg, limits.azimuth_max_deg],
                "el_max_deg": limits.elevation_max_deg,
            }
        )
    if output_format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    for r in rows:
        if r["over_the_top"]:
            how = (
                "over the top (azimuth held, elevation through 90; within "
                f"{r['pointing_offset_max_deg']:.1f} deg of the satellite)"
            )
        else:
            how = "flipped (over the top)" if r["flipped"] else "normal"
        stop = (
            "unwinds a full turn at " + ", ".join(r["unwind_utc"])
            if r["crosses_stop"]
            else "never crosses the stop"
        )
        sys.stdout.write(
            f"{r['satellite']}: AOS {r['aos_utc']} LOS {r['los_utc']} max el "
            f"{r['max_elevation_deg']:.1f}; {how}, {r['direction']}, azimuth "
            f"{r['aos_azimuth_deg']:.1f} -> {r['los_azimuth_deg']:.1f} (span "
            f"{r['azimuth_min_deg']:.1f}..{r['azimuth_max_deg']:.1f} of "
            f"{limits.azimuth_min_deg:g}:{limits.azimuth_max_deg:g}), up to "
            f"{r['azimuth_rate_max_deg_s']:.2f} deg/s; {stop}\n"
        )


def _z(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
