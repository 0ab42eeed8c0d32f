"""Bootstrap intervals for every attribution model on a million paths (goal ≤ 30 s for 200 resamples).

A million customers' paths over nine channels (1–5 steps, so ≈ 65 k distinct paths; conversion depends on
the channels touched), then ``attribution_table(paths, "all", ci=True, n_boot=200, seed=0)``: first, last,
linear, position, exact Markov removal effects and Shapley, each recomputed on 200 multinomial resamples of
the customers. Also times the point estimates alone (no intervals) and the Markov intervals at order 2.
Prints the times, the load average and the ratio to the goal.

    .venv/bin/python benchmarks/bench_attribution_ci.py [--customers 1000000] [--n-boot 200]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from journeymap.analytics import attribution_table, markov_ci

GOAL_S = 30.0


def paths_table(customers: int, seed: int = 0) -> pd.DataFrame:
    """``customers`` random paths grouped into a path table (path, conversions, nulls)."""
    rng = np.random.default_rng(seed)
    channels = np.array(["email", "search_ads", "social_ads", "website", "store", "sms", "app", "call_center",
                         "chat"])
    pull = np.linspace(0.01, 0.12, len(channels))
    lengths = rng.integers(1, 6, size=customers)
    steps = rng.integers(len(channels), size=int(lengths.sum()))
    cuts = np.cumsum(lengths)[:-1]
    owner = np.repeat(np.arange(customers), lengths)
    miss = np.ones(customers)
    np.multiply.at(miss, owner, 1 - pull[steps])
    converted = rng.random(customers) < 1 - miss
    text = [" > ".join(channels[p]) for p in np.split(steps, cuts)]
    frame = pd.DataFrame({"path": text, "conversions": converted.astype(int), "nulls": (~converted).astype(int)})
    return frame.groupby("path", sort=False)[["conversions", "nulls"]].sum().reset_index()


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--n-boot", type=int, default=200)
    opts = parser.parse_args()
    paths = paths_table(opts.customers)
    print(f"customers={opts.customers:,} distinct_paths={len(paths):,} conversions={int(paths['conversions'].sum()):,} "
          f"load_average={os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    _, point = timed(lambda: attribution_table(paths, "all", ci=False))
    print(f"point_estimates_all_models_s={point:.2f}")
    table, full = timed(lambda: attribution_table(paths, "all", ci=True, n_boot=opts.n_boot, seed=0))
    print(f"bootstrap_all_models_s={full:.2f} n_boot={opts.n_boot} goal={GOAL_S:.0f} "
          f"ratio_to_goal={full / GOAL_S:.2f} ({'meets' if full <= GOAL_S else 'misses'} the goal)")
    _, order2 = timed(lambda: markov_ci(paths, order=2, n_boot=opts.n_boot, seed=0))
    print(f"bootstrap_markov_order2_s={order2:.2f} ratio_to_goal={order2 / GOAL_S:.2f}")
    again = attribution_table(paths, "all", ci=True, n_boot=opts.n_boot, seed=0)
    print(f"same_seed_same_table={again.equals(table)}")
    width = (table["markov_high"] - table["markov_low"]) / table["markov"]
    print(f"markov_interval_width_relative_median={width.median():.3f} load_average_after={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
