"""Benchmark: score a generated 2,000-touchpoint journey (goal: < 200 ms on a 2-core machine).

Prints the time in ms and as a ratio to networkx building the same graph (the baseline,
measured in the same run so machine load affects both alike).

    .venv/bin/python benchmarks/bench_scoring.py [--touchpoints 2000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import networkx as nx

import journeymap as jm


def generate(n: int, seed: int = 7) -> jm.Journey:
    """A journey of ``n`` touchpoints in 20 stages: mostly forward, with branches, skips and loops back."""
    rng = random.Random(seed)
    channels = sorted(jm.CATALOGUE)
    stages = [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(20)]
    tps = []
    for i in range(n):
        tps.append({
            "id": f"t{i}", "stage": f"s{i * 20 // n}", "channel": rng.choice(channels), "action": f"Step {i}",
            "emotion": rng.uniform(-2, 2), "effort": rng.randint(1, 7), "wait_min": rng.choice([0, 5, 60, 1440]),
            "pain_points": [{"id": f"p{i}", "text": "x", "severity": rng.randint(1, 5), "frequency": rng.random()}]
            if rng.random() < 0.3 else [],
        })
    transitions = []
    for i in range(n - 1):
        targets = {i + 1} | ({i + rng.randint(2, 5)} if rng.random() < 0.4 and i + 5 < n else set())
        if rng.random() < 0.05 and i > 3:
            targets.add(i - rng.randint(1, 3))  # a loop back
        share = 0.95 / len(targets)
        context = rng.choice(["none", "partial", "full"])
        transitions += [{"from": f"t{i}", "to": f"t{t}", "share": share, "context": context,
                         "recognised": rng.random() < 0.5} for t in sorted(targets)]
    return jm.Journey.model_validate({"id": "bench", "title": "Bench", "stages": stages, "touchpoints": tps,
                                      "transitions": transitions})


def best_of(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    j = generate(args.touchpoints)

    def baseline() -> nx.DiGraph:
        g = nx.DiGraph()
        g.add_nodes_from((tp.id, {"stage": tp.stage, "channel": tp.channel}) for tp in j.touchpoints)
        g.add_edges_from((t.source, t.target, {"share": t.share}) for t in j.transitions)
        return g

    jm.score(j)  # warm up imports
    base_min, base_med = best_of(baseline, args.repeat)
    score_min, score_med = best_of(lambda: jm.score(j), args.repeat)
    print(f"journey: {len(j.touchpoints)} touchpoints, {len(j.transitions)} transitions")
    print(f"networkx graph build (baseline): min {base_min * 1000:8.1f} ms   median {base_med * 1000:8.1f} ms")
    print(f"jm.score:                        min {score_min * 1000:8.1f} ms   median {score_med * 1000:8.1f} ms")
    print(f"ratio score / baseline (median): {score_med / base_med:.1f}x")
    print(f"goal < 200 ms: {'met' if score_med < 0.2 else 'NOT met'}")


if __name__ == "__main__":
    main()
