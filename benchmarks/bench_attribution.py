"""Markov attribution on a million conversion paths (goal < 2 s on this machine).

Times ``attribution_markov`` on the million random paths of ``tests/test_attribution.million_paths`` (six
channels, 1–5 steps) and, in the same run, the least work any path-based model needs: grouping the identical
paths with pandas (``groupby("path").sum()``). Prints both, the ratio between them and the ratio to the goal.

    .venv/bin/python benchmarks/bench_attribution.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_attribution import million_paths

from journeymap.analytics import attribution_markov

GOAL_S = 2.0


def best(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    opts = parser.parse_args()
    paths = million_paths()
    grouping = best(lambda: paths.groupby("path")[["conversions", "nulls"]].sum(), opts.repeat)
    markov = best(lambda: attribution_markov(paths), opts.repeat)
    print(f"paths={len(paths):,} load_average={os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          f"(best of {opts.repeat})")
    print(f"baseline groupby_identical_paths_s={grouping:.2f}")
    print(f"attribution_markov_s={markov:.2f} ratio_to_baseline={markov / grouping:.1f} goal={GOAL_S:.1f} "
          f"ratio_to_goal={markov / GOAL_S:.2f} ({'meets' if markov < GOAL_S else 'misses'} the goal)")


if __name__ == "__main__":
    main()
