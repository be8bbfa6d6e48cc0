"""How fast `passpredict serve` answers, after start-up (issue 15: a page in under 100 ms).

Starts `passpredict serve` as a user does (its own process, a fresh PASSPREDICT_HOME seeded
from the bundled snapshot), waits until it answers, loads each URL once to warm it, then
times ROUNDS rounds, one request of every URL per round (interleaved, so a burst of load on
this shared machine hits them all), wall time from request to the last byte over HTTP on
127.0.0.1. Side by side, the same prediction in this process through the library alone
(`predict` + `formats.to_json`), so the ratio shows what the web layer adds.

    python benchmarks/bench_web.py [--rounds 30]

The target: the Passes page for Baku with the 3 tracked satellites (3 days) under 100 ms
(median). Needs the web extra (`pip install -e '.[web]'`).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

TARGET_MS = 100.0
START = "2026-05-31T04:00:00Z"
URLS = {
    "Passes page (Baku, 3 sats, 3 days)": f"/passes?start={START}&days=3",
    "GET /api/passes (same query)": f"/api/passes?start={START}&days=3",
    "GET /api/sky (Sky now, polled every second)": "/api/sky",
    "Pass page (sky chart + track)": None,  # filled in from the passes page
    "Elements page": "/elements",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[float, bytes]:
    began = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as answer:
        body = answer.read()
    return (time.perf_counter() - began) * 1e3, body


def _start(home: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    script = Path(sys.executable).parent / "passpredict"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "passpredict.cli.root"]
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        env={**os.environ, "PASSPREDICT_HOME": str(home)},
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    while True:
        try:
            _get(base + "/api/observers")
            print(f"start-up (process start to first answer): {time.perf_counter() - began:.2f} s")
            return process, base
        except OSError:
            if process.poll() is not None or time.perf_counter() - began > 60:
                raise SystemExit("passpredict serve did not start") from None
            time.sleep(0.05)


def _library_ms(home: Path) -> float:
    """The same prediction through the library alone, in this process (median of 10)."""
    from passpredict.engine.ephemeris import load_astronomy
    from passpredict.inputs.observers import default_observer
    from passpredict.inputs.sources import select_element_sets
    from passpredict.output.formats import to_json
    from passpredict.products.predict import predict
    from passpredict.products.visibility import VisibilityOptions

    astronomy = load_astronomy()
    start = datetime.fromisoformat(START).astimezone(UTC)
    end = start + timedelta(days=3)
    times = []
    for _ in range(11):
        began = time.perf_counter()
        sets = select_element_sets([], None, home, start_utc=start, end_utc=end).element_sets
        prediction = predict(
            sets,
            [default_observer()],
            start,
            end,
            10.0,
            timescale=astronomy.timescale,
            visibility=VisibilityOptions(astronomy, -6.0, {}),
        )
        to_json(prediction)
        times.append((time.perf_counter() - began) * 1e3)
    astronomy.ephemeris.close()
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        process, base = _start(home)
        try:
            _, page = _get(base + URLS["Passes page (Baku, 3 sats, 3 days)"])
            link = page.decode().split('href="/pass?', 1)[1].split('"', 1)[0]
            URLS["Pass page (sky chart + track)"] = "/pass?" + link.replace("&amp;", "&")
            first = {name: _get(base + url)[0] for name, url in URLS.items()}
            timings: dict[str, list[float]] = {name: [] for name in URLS}
            for _ in range(rounds):
                for name, url in URLS.items():
                    timings[name].append(_get(base + url)[0])
        finally:
            process.terminate()
            process.wait(timeout=10)
        library = _library_ms(home)
    print(f"{rounds} rounds, wall time per request over HTTP on 127.0.0.1 (median, p90, first):")
    for name, values in timings.items():
        values.sort()
        p90 = values[int(0.9 * (len(values) - 1))]
        print(
            f"  {name:45s} {statistics.median(values):7.1f} ms {p90:7.1f} ms {first[name]:7.1f} ms"
        )
    page_ms = statistics.median(timings["Passes page (Baku, 3 sats, 3 days)"])
    api_ms = statistics.median(timings["GET /api/passes (same query)"])
    print(f"  library alone (select + predict + to_json)    {library:7.1f} ms")
    print(f"  ratio page / library {page_ms / library:.2f}x, API / library {api_ms / library:.2f}x")
    verdict = "met" if page_ms < TARGET_MS else "MISSED"
    print(f"target: Passes page under {TARGET_MS:.0f} ms: {page_ms:.1f} ms, {verdict}")


if __name__ == "__main__":
    main()
