"""Health checks while editing: time per check run on the generated 60-touchpoint journeys (goal < 50 ms).

The canvas and the editor run the checks again once edits pause (``journeymap.widgets.checks_panel``). Timed,
on the 60-touchpoint journey of ``bench_canvas.py`` (the canvas latency benchmark) and that of ``bench_views.py``
(both generated, with many near-duplicate action texts, so ~1,900 findings each):

* ``jm.check(j)`` from scratch (what ``journeymap check`` does);
* ``CheckRunner.run`` after an emotion/effort edit (the usual canvas edit: duplicate pairs and the wording of
  unchanged findings are reused) — the figure the 50 ms goal is for;
* ``CheckRunner.run`` after an action text edit (duplicate pairs recomputed);
* ``payload()`` — the JSON the canvas is sent (first 200 findings) — and its size.

CPU time per run (median of several runs), the ratio to the goal, and the machine's load average.

    .venv/bin/python benchmarks/bench_checks.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import journeymap as jm
from journeymap.widgets.checks_panel import CheckRunner, payload
from journeymap.widgets.session import EditSession

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_canvas import journey_60
from bench_views import journey as views_journey

GOAL_MS = 50.0


def cpu_ms(func, runs: int) -> float:
    """Median CPU milliseconds of ``func`` over ``runs`` calls (``func`` gets the run number)."""
    times = []
    for i in range(runs):
        start = time.process_time()
        func(i)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def row(label: str, ms: float, goal: float | None = GOAL_MS) -> None:
    verdict = "" if goal is None else f"  {ms / goal:5.2f}× goal  {'OK' if ms < goal else 'SLOW'}"
    print(f"{label:<58} {ms:8.1f} ms{verdict}")


def bench(name: str, journey: jm.Journey, runs: int) -> None:
    print(f"\n{name}: {len(journey.touchpoints)} touchpoints, {len(jm.check(journey))} findings")
    row("jm.check from scratch", cpu_ms(lambda _i: jm.check(journey), runs))
    session = EditSession(journey, backup_dir=None)
    session.defer_backup = True
    runner = CheckRunner()
    runner.run(session.journey)
    ids = [tp.id for tp in journey.touchpoints]

    def emotion_edit(i: int) -> None:
        session.set_touchpoint(ids[i % len(ids)], emotion=(i % 5) - 2, effort=1 + i % 7)
        runner.run(session.journey)

    edit_ms = cpu_ms(lambda i: session.set_touchpoint(ids[i % len(ids)], emotion=(i % 5) - 2), runs)
    row("  (the edit alone, for scale)", edit_ms, None)
    row("CheckRunner after an emotion/effort edit (edit included)", cpu_ms(emotion_edit, runs))

    def text_edit(i: int) -> None:
        session.set_touchpoint(ids[i % len(ids)], action=f"Reworded step {i} with its own words")
        runner.run(session.journey)

    row("CheckRunner after an action text edit (edit included)", cpu_ms(text_edit, runs))
    found = runner.run(session.journey)
    size = len(json.dumps(payload(session.journey, found)))
    row(f"payload() for the canvas ({size / 1024:.0f} KB of JSON)", cpu_ms(lambda _i: payload(session.journey, found),
                                                                           runs), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"goal: a check run after an edit < {GOAL_MS:.0f} ms (CPU time, median of {args.runs} runs); "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    bench("bench_canvas.journey_60", journey_60(), args.runs)
    bench("bench_views.journey(60)", views_journey(60, 6), args.runs)


if __name__ == "__main__":
    main()
