"""Big and hostile but valid input for ``render`` (issue 11).

* A journey map whose action is one 2,000-character word (and a thought of 2,000 characters), rendered
  to PNG: goal < 2 s. Printed with its ratio to the goal, and the old quadratic wrapping's time on a
  300-character word for comparison (it is cubic-ish: 2,000 characters took minutes).
* ``journeymap render`` of a 10,000-touchpoint journey to PNG, HTML, CSV and Mermaid, each in a fresh
  child process (its own peak RSS from ``resource.ru_maxrss``; the data is generated in another process
  first, see docs on measuring memory): goal < 60 s and < 2 GB, or a clear one-line refusal.
* The same goal for the largest journeys ``render`` still draws (200 touchpoints for a map or report,
  2,000 for the other charts and the network page), so the limits are shown to be within it.

Not a unit test:  .venv/bin/python benchmarks/bench_hostile_render.py [--touchpoints 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

GOAL_WORD_S, GOAL_RENDER_S, GOAL_RSS_MB = 2.0, 60.0, 2048.0
CHANNELS = ["website", "mobile_app", "email", "whatsapp", "store", "phone", "instagram", "chatbot", "sms"]

CHILD = textwrap.dedent("""
    import resource, subprocess, sys, time
    from journeymap.cli import main
    t = time.perf_counter()
    code = main(sys.argv[1:])
    seconds = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT {code} {seconds:.3f} {rss_mb:.1f}", flush=True)
""")

MAKE = textwrap.dedent("""
    import sys
    import journeymap as jm
    n, out = int(sys.argv[1]), sys.argv[2]
    channels = {channels!r}
    stages = max(1, n // 100)
    jm.save(jm.Journey(
        id="big", title=f"A journey of {{n}} touchpoints",
        stages=[{{"id": f"s{{i}}", "name": f"Stage {{i}}"}} for i in range(stages)],
        touchpoints=[{{"id": f"t{{k}}", "stage": f"s{{k * stages // n}}", "channel": channels[k % len(channels)],
                      "action": f"Customer does step {{k}}", "emotion": ((k * 7) % 9 - 4) / 2}}
                     for k in range(n)]), out)
""").format(channels=CHANNELS)


def long_word_map() -> tuple[float, float]:
    """Seconds to render the hotel map as PNG (100 dpi): with an action that is one 2,000-character word and
    a 2,000-character thought, and as shipped (the baseline, same run). Best of 2 each, after a warm-up."""
    import matplotlib

    matplotlib.use("Agg")
    import journeymap as jm
    from journeymap.exporting import image_bytes

    plain = jm.load(jm.shipped_journey("hotel_stay"))
    image_bytes(plain, "png", dpi=100)  # warm-up: fonts, caches
    best = base = float("inf")
    for n in range(2):
        j = plain.model_copy(deep=True)
        j.touchpoints[0].action = "".join(chr(0x61 + (i * (7 + n)) % 26) for i in range(2000))  # fresh text
        j.touchpoints[1].thoughts = "W" * 1999 + str(n)
        t = time.perf_counter()
        image_bytes(j, "png", dpi=100)
        best = min(best, time.perf_counter() - t)
        t = time.perf_counter()
        image_bytes(plain, "png", dpi=100)
        base = min(base, time.perf_counter() - t)
    return best, base


def old_wrap_seconds(length: int = 300) -> float:
    """The wrapping before issue 11 on one ``length``-character word (for comparison)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_hardening_outputs import _old_wrap

    word = "".join(chr(0x61 + (i * 11) % 26) for i in range(length))
    t = time.perf_counter()
    _old_wrap(word, 120, 8)
    return time.perf_counter() - t


def new_wrap_seconds(length: int = 300) -> float:
    from journeymap.plot._style import wrap

    word = "".join(chr(0x61 + (i * 13) % 26) for i in range(length))
    t = time.perf_counter()
    wrap(word, 120, 8)
    return time.perf_counter() - t


def render(source: Path, out: Path, *extra: str) -> tuple[int, float, float, str]:
    """Run ``journeymap render`` in a fresh process: (exit code, seconds, peak RSS MB, stderr's first line)."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", CHILD, "render", str(source), "-o", str(out), *extra],
                          capture_output=True, text=True, env=env, timeout=1800)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        return done.returncode, float("nan"), float("nan"), (done.stderr.strip().splitlines() or ["?"])[-1]
    _, code, seconds, rss = line.split()
    return int(code), float(seconds), float(rss), (done.stderr.strip().splitlines() or [""])[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=10_000)
    parser.add_argument("--skip-limits", action="store_true", help="do not time renders at the size limits")
    args = parser.parse_args()

    seconds, baseline = long_word_map()
    print(f"map with a 2,000-character word: {seconds:.2f} s  (goal {GOAL_WORD_S:.0f} s: "
          f"{seconds / GOAL_WORD_S:.2f} of the goal) {'OK' if seconds < GOAL_WORD_S else 'SLOW'}; "
          f"the same map as shipped: {baseline:.2f} s (ratio {seconds / baseline:.2f})")
    old, new = old_wrap_seconds(), new_wrap_seconds()
    print(f"wrap one 300-character word: {new * 1000:.1f} ms now vs {old * 1000:.0f} ms with the old wrapping "
          f"({old / max(new, 1e-9):.0f}x)")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "big.yaml"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", MAKE, str(args.touchpoints), str(source)], check=True, timeout=1800)
        print(f"\n{args.touchpoints} touchpoints written in {time.perf_counter() - t:.1f} s (separate process)")
        for name, extra in (("map.png", ()), ("report.html", ()), ("network.html", ("--kind", "network")),
                            ("emotion.png", ("--kind", "emotion")), ("table.csv", ()), ("diagram.mmd", ())):
            code, secs, rss, message = render(source, folder / name, *extra)
            verdict = ("refused" if code == 2 else "written" if code == 0 else f"exit {code}")
            ok = secs < GOAL_RENDER_S and rss < GOAL_RSS_MB and code in (0, 2)
            print(f"render {name:<13} {verdict:<8} {secs:7.2f} s ({secs / GOAL_RENDER_S:.2f} of 60 s)  "
                  f"peak RSS {rss:7.0f} MB ({rss / GOAL_RSS_MB:.2f} of 2 GB)  {'OK' if ok else 'OVER GOAL'}")
            if code != 0:
                print(f"    {message}")
        if args.skip_limits:
            return
        from journeymap.exporting import MAX_DRAWN_TOUCHPOINTS, MAX_MAP_TOUCHPOINTS

        print("\nat the limits (the largest journeys render still draws):")
        for n, name, extra in ((MAX_MAP_TOUCHPOINTS, "map.png", ()), (MAX_MAP_TOUCHPOINTS, "report.html", ()),
                               (MAX_DRAWN_TOUCHPOINTS, "network.html", ("--kind", "network")),
                               (MAX_DRAWN_TOUCHPOINTS, "emotion.png", ("--kind", "emotion")),
                               (MAX_DRAWN_TOUCHPOINTS, "heatmap.png", ("--kind", "heatmap"))):
            source = folder / f"at{n}.yaml"
            if not source.exists():
                subprocess.run([sys.executable, "-c", MAKE, str(n), str(source)], check=True, timeout=1800)
            code, secs, rss, message = render(source, folder / f"{n}_{name}", *extra)
            ok = secs < GOAL_RENDER_S and rss < GOAL_RSS_MB and code == 0
            print(f"{n:>5} touchpoints {name:<13} exit {code}  {secs:7.2f} s ({secs / GOAL_RENDER_S:.2f} of 60 s)  "
                  f"peak RSS {rss:7.0f} MB ({rss / GOAL_RSS_MB:.2f} of 2 GB)  {'OK' if ok else 'OVER GOAL'}")
            if code != 0:
                print(f"    {message}")


if __name__ == "__main__":
    main()
