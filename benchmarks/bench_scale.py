"""Out-of-core scaling of the default lazy engine (DuckDB over Parquet): dfg + variants + funnel.

    python benchmarks/bench_scale.py --events 100_000_000          # also runs 10 M for the curve
    python benchmarks/bench_scale.py --events 10_000_000 --sizes 1_000_000

Generates Parquet once under data/generated/scale/ (git-ignored; ~10 events per customer, 30 activities,
6 channels, ~5 % timestamp ties within a customer, rows shuffled within each file of 10 M rows) and runs
each size in a fresh process so that its peak RSS is its own. Prints time, events/s and peak RSS per size,
and the time ratio against the smallest size next to the events ratio (linear scaling = equal ratios).
Goals (issue 7): peak RSS ≤ 6 GB at 100 M events on a 24 GiB, 2-core machine, and time growing no worse
than linearly (time ratio ≤ events ratio). Logs above JOURNEYMAP_BUCKET_ROWS events (4 M) are worked in
customer buckets; the split is made by the first call (dfg) and reused by the other two.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "generated" / "scale"
FILE_ROWS = 10_000_000
STAGES = ["a00", "a06", "a12", "a18"]


def generate(n: int, seed: int = 7, out: Path = OUT) -> Path:
    """Parquet folder with ``n`` events under ``out`` (cached: reused when complete)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    folder = out / f"events_{n}"
    done = folder / "_COMPLETE"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    activities = pa.array([f"a{i:02d}" for i in range(30)])
    channels = pa.array(["website", "email", "store", "app", "phone", "instagram"])
    first_case, written, part = 0, 0, 0
    t0 = time.perf_counter()
    while written < n:
        rows = min(FILE_ROWS, n - written)
        lengths = rng.poisson(9, size=rows // 9 + 16) + 1
        lengths = lengths[: np.searchsorted(np.cumsum(lengths), rows) + 1]
        lengths[-1] -= lengths.sum() - rows
        lengths = lengths[lengths > 0]
        case = np.repeat(np.arange(first_case, first_case + len(lengths), dtype=np.int64), lengths)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        pos = np.arange(rows) - starts
        act = np.minimum(pos * 3 + (rng.random(rows) < 0.3), 29).astype(np.int32)
        noise = rng.random(rows) < 0.03  # some customers wander off the main path
        act[noise] = rng.integers(0, 30, size=int(noise.sum()))
        gaps = (rng.exponential(180, size=rows) * 60e6).astype(np.int64)
        gaps[rng.random(rows) < 0.05] = 0  # same-timestamp events within a customer: file order decides
        gaps[pos == 0] = 0
        base = np.repeat(1_767_225_600_000_000 + rng.integers(0, 300 * 86_400_000_000, size=len(lengths)), lengths)
        ts = base + np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[np.cumsum(lengths) - lengths], lengths)
        perm = rng.permutation(rows)  # rows shuffled within the file
        chan = (act % 6).astype(np.int32)
        table = pa.table({
            "case_id": pc.binary_join_element_wise("C", pc.cast(pa.array(case[perm]), pa.string()), ""),
            "activity": pa.DictionaryArray.from_arrays(pa.array(act[perm]), activities),
            "channel": pa.DictionaryArray.from_arrays(pa.array(chan[perm]), channels),
            "timestamp": pa.array(ts[perm], type=pa.timestamp("us", tz="UTC")),
        })
        pq.write_table(table, folder / f"part-{part:04d}.parquet", row_group_size=1_000_000, compression="zstd")
        written += rows
        first_case += len(lengths)
        part += 1
        print(f"  generated {written:,} / {n:,} events ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    done.write_text(str(n))
    return folder


def run_one(folder: Path) -> dict:
    """Child process: dfg + variants + funnel on the folder; timings and own peak RSS."""
    sys.path.insert(0, str(ROOT))
    from journeymap.analytics import dfg, funnel, variants

    out = {}
    t0 = time.perf_counter()
    g = dfg(folder)
    out["dfg_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    v = variants(folder)
    out["variants_s"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    f = funnel(folder, STAGES)
    out["funnel_s"] = time.perf_counter() - t2
    out["total_s"] = time.perf_counter() - t0
    out["edges"], out["variants"], out["funnel_last"] = len(g.edges), len(v), int(f["customers"].iloc[-1])
    out["cases"] = int(v["cases"].sum())
    out["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=lambda s: int(s.replace("_", "")), default=100_000_000)
    ap.add_argument("--sizes", type=lambda s: [int(x.replace("_", "")) for x in s.split(",")],
                    default=[10_000_000], help="smaller sizes for the scaling curve (default 10_000_000)")
    ap.add_argument("--out", type=Path, default=OUT, help="where the generated Parquet goes (default %(default)s)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(Path(args.child))))
        return 0
    sizes = sorted({*[s for s in args.sizes if s < args.events], args.events})
    results = []
    for n in sizes:
        folder = generate(n, out=args.out)
        env = {**os.environ, "JOURNEYMAP_DUCKDB_THREADS": os.environ.get("JOURNEYMAP_DUCKDB_THREADS", "2"),
               "JOURNEYMAP_MEMORY_ROWS": "0"}  # this benchmark measures DuckDB: no in-memory route for small logs
        proc = subprocess.run([sys.executable, __file__, "--child", str(folder)], capture_output=True, text=True,
                              env=env, check=False)
        if proc.returncode:
            print(proc.stderr[-3000:], file=sys.stderr)
            return proc.returncode
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["events"] = n
        results.append(r)
        print(f"{n:>13,} events: dfg {r['dfg_s']:6.1f} s  variants {r['variants_s']:6.1f} s  funnel "
              f"{r['funnel_s']:6.1f} s  total {r['total_s']:6.1f} s  {n / r['total_s']:>12,.0f} events/s  "
              f"peak RSS {r['peak_rss_gb']:.2f} GB  ({r['cases']:,} cases, {r['variants']:,} variants)", flush=True)
    base = results[0]
    for r in results[1:]:
        print(f"scaling {base['events']:,} → {r['events']:,}: events ×{r['events'] / base['events']:.1f}, "
              f"time ×{r['total_s'] / base['total_s']:.2f} (≤ events ratio = no worse than linear)")
        linear = r["total_s"] / base["total_s"] <= r["events"] / base["events"]
        print(f"time grows {'no worse than linearly: OK' if linear else 'faster than linearly: ABOVE GOAL'}")
    worst = max(r["peak_rss_gb"] for r in results)
    print(f"peak RSS {worst:.2f} GB (goal ≤ 6 GB at 100 M): {'OK' if worst <= 6 else 'ABOVE GOAL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
