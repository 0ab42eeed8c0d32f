"""Benchmark: a 10,000-touchpoint journey file loads + validates, and scores, in under 2 s each (issue 11).

The journey is a long chain with branches, skips and loops back (some loops hundreds of touchpoints
long), written as YAML and as JSON. Prints the best of ``--repeat`` runs of each step and its ratio
to the 2 s goal (below 1.0 means the goal is met).

    .venv/bin/python benchmarks/bench_big_journey.py [--touchpoints 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

import journeymap as jm

GOAL_S = 2.0


def generate(n: int, seed: int = 11) -> dict:
    """Journey data: ``n`` touchpoints in 20 stages; a chain plus branches, skips and loops back."""
    rng = random.Random(seed)
    channels = sorted(jm.CATALOGUE)
    stages = [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(20)]
    tps = []
    for i in range(n):
        tp = {"id": f"t{i}", "stage": f"s{i * 20 // n}", "channel": rng.choice(channels), "action": f"Step {i}",
              "emotion": round(rng.uniform(-2, 2), 2), "effort": rng.randint(1, 7)}
        if rng.random() < 0.2:
            tp["pain_points"] = [{"id": f"p{i}", "text": "Slow", "severity": rng.randint(1, 5), "frequency": 0.5}]
        tps.append(tp)
    transitions = []
    for i in range(n - 1):
        targets = {i + 1}
        if rng.random() < 0.3 and i + 5 < n:
            targets.add(i + rng.randint(2, 5))
        if rng.random() < 0.05 and i > 400:
            targets.add(i - rng.choice([1, 3, 50, 400]))  # loops back, short and long
        share = round(0.95 / len(targets), 4)
        transitions += [{"from": f"t{i}", "to": f"t{t}", "share": share} for t in sorted(targets)]
    return {"id": "big", "title": "Big", "stages": stages, "touchpoints": tps, "transitions": transitions}


def best_of(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def report(label: str, seconds: float) -> None:
    ratio = seconds / GOAL_S
    print(f"{label:<28} best {seconds * 1000:8.0f} ms   ratio to {GOAL_S:g} s goal {ratio:5.2f}  "
          f"({'met' if ratio < 1 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = generate(args.touchpoints)
    folder = Path(tempfile.mkdtemp())
    yaml_path, json_path = folder / "big.yaml", folder / "big.json"
    yaml_path.write_text(yaml.safe_dump(data, sort_keys=False))
    json_path.write_text(json.dumps(data, indent=1))
    journey = jm.load(json_path)  # warm up imports
    jm.score(journey)
    print(f"journey: {len(journey.touchpoints)} touchpoints, {len(journey.transitions)} transitions")
    report("load + validate (YAML)", best_of(lambda: jm.load(yaml_path), args.repeat))
    report("load + validate (JSON)", best_of(lambda: jm.load(json_path), args.repeat))
    report("validate in memory", best_of(lambda: jm.Journey.model_validate(data), args.repeat))
    report("score", best_of(lambda: jm.score(journey), args.repeat))


if __name__ == "__main__":
    main()
