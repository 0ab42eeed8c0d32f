"""Benchmark: one edit in the JourneyEditor → validate → re-score → re-draw the preview, 50 times.

A generated 60-touchpoint journey; each step moves one touchpoint's emotion slider, as a user would. Prints
p50/p95 in ms (goal: p95 < 150 ms on a 2-core machine) and the ratio to a baseline measured in the same run:
validating the same journey with pydantic once (``Journey.model_validate``), the least work any edit needs.

    .venv/bin/python benchmarks/bench_widgets.py [--touchpoints 60] [--edits 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scoring import generate

import journeymap as jm


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=60)
    parser.add_argument("--edits", type=int, default=50)
    args = parser.parse_args()
    journey = generate(args.touchpoints, seed=3)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        jm.save(journey, path)
        editor = jm.widgets.JourneyEditor(path)
        data = journey.model_dump(by_alias=True)
        baseline = []
        for _ in range(args.edits):
            start = time.perf_counter()
            jm.Journey.model_validate(data)
            baseline.append(time.perf_counter() - start)
        times = []
        for i in range(args.edits):
            editor.tp_list.value = journey.touchpoints[i % len(journey.touchpoints)].id
            slider = editor.fields["emotion"]
            new = -2.0 if slider.value > -2 else 2.0
            start = time.perf_counter()
            slider.value = new
            times.append(time.perf_counter() - start)
            assert editor.session.journey.touchpoint(editor.selected).emotion == new
    p50, p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
    base = statistics.median(baseline) * 1000
    print(f"journey: {len(journey.touchpoints)} touchpoints; {args.edits} edits (edit → validate → backup → "
          "score → preview)")
    print(f"baseline (validate once): median {base:7.2f} ms")
    print(f"edit round trip:          p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (p50 = {p50 / base:.0f}x baseline)")
    print(f"goal p95 < 150 ms: {'met' if p95 < 150 else 'NOT met'}")


if __name__ == "__main__":
    main()
