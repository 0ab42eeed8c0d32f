"""journeymap's event-log analytics against the pandas sort floor and pm4py, each in its own process.

    python benchmarks/bench_discovery.py                    # 10 M events (the goal size)
    python benchmarks/bench_discovery.py --events 1_000_000 # a quick run

The log is generated once, by its own process, into data/generated/discovery/ (git-ignored) and reused:
N events of N/10 customers with string ids (``C0000042``), 30 activities, 6 channels (both plain strings),
~5 % of events at the same timestamp as the previous event of their customer (ties: file order decides),
rows shuffled. Then the contenders run one after the other, each in a fresh process that reads the same
Parquet file first (the read is not timed, except for (c), whose whole point is reading it) and reports its
own peak RSS (``ru_maxrss``; a fresh process, so not inherited from the generator):

(a) pandas ``sort_values([case, timestamp], kind="stable")``: the floor any pandas user pays;
(b) journeymap on the DataFrame: ``dfg`` (with start/end counts) + ``variants`` + ``funnel`` (4 steps) +
    ``channel_transitions`` — timed from the first call to the last result, ordering included (imports,
    here and in (d), are not timed);
(c) the same four calls on the Parquet path (reading is part of the work): a log this size is read into
    memory once and runs on the same engine as (b) (journeymap/analytics/_memory.py);
(c') the same with JOURNEYMAP_MEMORY_ROWS=0: the DuckDB engine, out of core, as for logs above 20 M events;
(d) pm4py ``format_dataframe`` + ``discover_dfg`` + ``get_variants`` (less work than (b)).

Prints each time and peak RSS, the ratios against the goals of issue 13 (b, c ≤ 1.0 × a; d ≥ 4 × b and
4 × c; peak RSS ≤ 4 GB; c' is held to the same goals), the load average before and after (timings are
noisy on a busy machine), and whether (b), (c), (c') and (d) found the same directly-follows counts,
start/end counts and variants.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "generated" / "discovery"
STAGES = ["a00", "a06", "a12", "a18"]
GOAL_RSS_GB = 4.0


def _int(text: str) -> int:
    return int(text.replace("_", ""))


def generate(n: int, out: Path = OUT, seed: int = 13) -> Path:
    """The Parquet log of ``n`` events (cached: reused when complete)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = out / f"events_{n}.parquet"
    if path.exists() and (out / f"events_{n}.complete").exists():
        return path
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_cases = max(1, n // 10)
    lengths = 1 + np.bincount(rng.integers(0, n_cases, size=n - n_cases), minlength=n_cases)
    case = np.repeat(np.arange(n_cases, dtype=np.int64), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    pos = np.arange(n) - starts
    act = np.minimum(pos * 3 + (rng.random(n) < 0.3), 29).astype(np.int32)
    noise = rng.random(n) < 0.03  # some customers wander off the main path
    act[noise] = rng.integers(0, 30, size=int(noise.sum()))
    gaps = (rng.exponential(180, size=n) * 60e6).astype(np.int64)
    gaps[rng.random(n) < 0.05] = 0  # same timestamp as the previous event: file order decides
    gaps[pos == 0] = 0
    base = np.repeat(1_767_225_600_000_000 + rng.integers(0, 300 * 86_400_000_000, size=n_cases), lengths)
    csum = np.cumsum(gaps)
    ts = base + csum - np.repeat(csum[np.cumsum(lengths) - lengths], lengths)
    perm = rng.permutation(n)
    activities = np.array([f"a{i:02d}" for i in range(30)], dtype=object)
    channels = np.array(["website", "email", "store", "app", "phone", "instagram"], dtype=object)
    table = pa.table({
        "case_id": pc.utf8_lpad(pc.cast(pa.array(case[perm]), pa.string()), 7, "0"),
        "activity": pa.array(activities[act[perm]], type=pa.string()),
        "channel": pa.array(channels[(act[perm] + (pos[perm] % 2)) % 6], type=pa.string()),
        "timestamp": pa.array(ts[perm], type=pa.timestamp("us", tz="UTC")),
    })
    table = table.set_column(0, "case_id", pc.binary_join_element_wise("C", table["case_id"], ""))
    pq.write_table(table, path, row_group_size=1_000_000, compression="zstd")
    (out / f"events_{n}.complete").write_text(str(n))
    return path


def _summary(dfg_counts: dict, start: dict, end: dict, variant_counts: list[int]) -> dict:
    return {"edges": len(dfg_counts), "moves": int(sum(dfg_counts.values())),
            "dfg_sha1": hashlib.sha1(repr(sorted((str(k), int(v)) for k, v in dfg_counts.items())).encode())
            .hexdigest(),
            "start": sorted((str(k), int(v)) for k, v in start.items()),
            "end": sorted((str(k), int(v)) for k, v in end.items()),
            "variants": len(variant_counts), "variant_counts": sorted(variant_counts, reverse=True)[:20]}


def child(kind: str, path: Path) -> dict:
    """One contender, in this (fresh) process: its timings, peak RSS and a summary of its results."""
    import pandas as pd

    out: dict = {}
    frame = None if kind in ("parquet", "duckdb") else pd.read_parquet(path)
    if kind in ("frame", "parquet", "duckdb"):  # imports are not timed
        sys.path.insert(0, str(ROOT))
        from journeymap.analytics import channel_transitions, dfg, funnel, variants
    elif kind == "pm4py":
        import pm4py
    t0 = time.perf_counter()
    if kind == "sort":
        frame.sort_values(["case_id", "timestamp"], kind="stable")
        out["summary"] = None
    elif kind in ("frame", "parquet", "duckdb"):
        if kind == "duckdb":
            os.environ["JOURNEYMAP_MEMORY_ROWS"] = "0"
        events = frame if kind == "frame" else path
        laps = {}
        t = time.perf_counter()
        g = dfg(events, progress=False)
        laps["dfg"] = time.perf_counter() - t
        t = time.perf_counter()
        v = variants(events, progress=False)
        laps["variants"] = time.perf_counter() - t
        t = time.perf_counter()
        f = funnel(events, STAGES)
        laps["funnel"] = time.perf_counter() - t
        t = time.perf_counter()
        m = channel_transitions(events)
        laps["channels"] = time.perf_counter() - t
        out["laps"] = laps
        out["summary"] = _summary(g.counts(), g.start.to_dict(), g.end.to_dict(), v["cases"].tolist())
        out["funnel"] = f["customers"].tolist()
        out["channel_moves"] = int(m.to_numpy().sum())
    elif kind == "pm4py":
        laps = {}
        t = time.perf_counter()
        log = pm4py.format_dataframe(frame, case_id="case_id", activity_key="activity", timestamp_key="timestamp")
        laps["format"] = time.perf_counter() - t
        t = time.perf_counter()
        counts, start, end = pm4py.discover_dfg(log)
        laps["dfg"] = time.perf_counter() - t
        t = time.perf_counter()
        var = pm4py.get_variants(log)
        laps["variants"] = time.perf_counter() - t
        out["laps"] = laps
        out["summary"] = _summary(counts, start, end, [int(c) for c in var.values()])
    else:
        raise ValueError(kind)
    out["seconds"] = time.perf_counter() - t0
    out["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    return out


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _spawn(args: list[str], env: dict) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False)
    if proc.returncode:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"{args} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=_int, default=10_000_000)
    ap.add_argument("--out", type=Path, default=OUT, help="where the generated Parquet goes (default %(default)s)")
    ap.add_argument("--only", default="sort,frame,parquet,duckdb,pm4py", help="contenders to run (comma-separated)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.generate:
        print(json.dumps({"path": str(generate(args.events, args.out))}))
        return 0
    if args.child:
        kind, _, path = args.child.partition("=")
        print(json.dumps(child(kind, Path(path))))
        return 0
    env = {**os.environ, "JOURNEYMAP_DUCKDB_THREADS": os.environ.get("JOURNEYMAP_DUCKDB_THREADS", "2")}
    print(f"load average before: {_load()} ({os.cpu_count()} cores)", flush=True)
    path = _spawn(["--generate", "--events", str(args.events), "--out", str(args.out)], env)["path"]
    names = {"sort": "(a) pandas stable sort_values([case, timestamp])",
             "frame": "(b) journeymap on the DataFrame (dfg+start/end, variants, funnel, channels)",
             "parquet": "(c) journeymap on the Parquet path (read into memory once), same calls",
             "duckdb": "(c') journeymap on the Parquet path, DuckDB engine forced, same calls",
             "pm4py": "(d) pm4py format_dataframe + discover_dfg + get_variants"}
    res: dict[str, dict] = {}
    for kind in [k for k in names if k in args.only.split(",")]:
        r = res[kind] = _spawn(["--child", f"{kind}={path}"], env)
        laps = "  ".join(f"{k} {v:.2f}" for k, v in r.get("laps", {}).items())
        print(f"{names[kind]:<80} {r['seconds']:7.2f} s  peak RSS {r['peak_rss_gb']:5.2f} GB  {laps}", flush=True)
    print(f"events: {args.events:,}; load average after: {_load()}")

    def ratio(label: str, num: str, den: str, goal: float, below: bool) -> None:
        if num in res and den in res:
            x = res[num]["seconds"] / res[den]["seconds"]
            ok = x <= goal if below else x >= goal
            print(f"{label}: {x:5.2f}x (goal {'≤' if below else '≥'} {goal:g}x): {'OK' if ok else 'MISSED'}")

    ratio("b/a journeymap DataFrame vs pandas sort floor", "frame", "sort", 1.0, True)
    ratio("c/a journeymap Parquet vs pandas sort floor", "parquet", "sort", 1.0, True)
    ratio("d/b pm4py vs journeymap DataFrame", "pm4py", "frame", 4.0, False)
    ratio("d/c pm4py vs journeymap Parquet", "pm4py", "parquet", 4.0, False)
    ratio("c'/a journeymap DuckDB vs pandas sort floor", "duckdb", "sort", 1.0, True)
    ratio("d/c' pm4py vs journeymap DuckDB", "pm4py", "duckdb", 4.0, False)
    for kind in ("frame", "parquet", "duckdb"):
        if kind in res:
            gb = res[kind]["peak_rss_gb"]
            ok = "OK" if gb <= GOAL_RSS_GB else "MISSED"
            print(f"peak RSS {kind}: {gb:.2f} GB (goal ≤ {GOAL_RSS_GB:g} GB): {ok}")
    sums = {k: r["summary"] for k, r in res.items() if r.get("summary")}
    if len(sums) > 1:
        first = next(iter(sums.values()))
        same = all(s == first for s in sums.values())
        print(f"same dfg, start/end and variant counts in {', '.join(sums)}: {'yes' if same else 'NO'}")
    ours = [k for k in ("frame", "parquet", "duckdb") if k in res]
    if len(ours) > 1:
        same = len({(repr(res[k]["funnel"]), res[k]["channel_moves"]) for k in ours}) == 1
        print(f"same funnel and channel moves in {', '.join(ours)}: {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
