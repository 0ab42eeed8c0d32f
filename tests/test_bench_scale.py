"""The scale benchmark runs end to end (tiny sizes, split into buckets) and reports its goals."""

from __future__ import annotations

import os
import subprocess
import sys

from journeymap.paths import PROJECT_ROOT


def test_bench_scale_runs_and_reports_the_goals(tmp_path):
    env = {**os.environ, "JOURNEYMAP_BUCKET_ROWS": "15000", "JOURNEYMAP_DUCKDB_TEMP": str(tmp_path / "duck")}
    out = subprocess.run([sys.executable, str(PROJECT_ROOT / "benchmarks" / "bench_scale.py"), "--events", "40_000",
                          "--sizes", "20_000", "--out", str(tmp_path)], capture_output=True, text=True, env=env,
                         check=True, timeout=600).stdout
    lines = out.splitlines()
    assert lines[0].split()[0] == "20,000" and lines[1].split()[0] == "40,000"
    assert "scaling 20,000 → 40,000: events ×2.0" in out
    assert "time grows" in out and "peak RSS" in out
    assert (tmp_path / "events_40000" / "_COMPLETE").read_text() == "40000"
    assert list((tmp_path / "duck").glob("journeymap-*")) == []  # the split is removed when the run ends
