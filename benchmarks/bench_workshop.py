"""Workshop app (``make workshop``): first paint in Chromium (goal < 5 s on this machine).

Starts the app as ``make workshop`` does (temporary HOME, 127.0.0.1, new journeys in a temporary folder), waits
until Voilà has a kernel ready (preheat), then opens the page ``--loads`` times, each in a fresh browser
context, and measures navigation → start screen visible ("Start from template" button). Also times the
journey opening: click on "Start from template" → first canvas card. Every non-local request is refused.

    .venv/bin/python benchmarks/bench_workshop.py [--loads 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import ARGS, ROOT, free_port, refuse_off_machine, wait_for

GOAL_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    opts = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        port = free_port()
        env = {**os.environ, "HOME": str(home), "JOURNEYMAP_WORKSHOP_DIR": str(home / "room"),
               "JUPYTER_CONFIG_DIR": str(home / "jc"), "JUPYTER_DATA_DIR": str(home / "jd"),
               "JUPYTER_RUNTIME_DIR": str(home / "rt"), "IPYTHONDIR": str(home / "ip"), "MPLBACKEND": "Agg"}
        log = home / "voila.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(["make", "-s", "workshop", f"PORT={port}"], cwd=ROOT, env=env, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(lambda: "is filled with" in log.read_text(errors="replace"), 120, "Voilà's kernel pool")
            paints, opens, off_machine = [], [], []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS,
                                            env={**os.environ, "HOME": str(home)})

                for i in range(opts.loads):
                    # each page takes the ready kernel; wait for the pool to be refilled, as between real visits
                    filled = log.read_text(errors="replace").count("is filled with")
                    context = browser.new_context(viewport={"width": 1600, "height": 1000})
                    refuse_off_machine(context, off_machine)
                    page = context.new_page()
                    start = time.monotonic()
                    page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
                    page.get_by_role("button", name="Start from template").wait_for(timeout=120_000)
                    paints.append(time.monotonic() - start)
                    page.get_by_label("Save as").fill(f"bench_{i}")
                    start = time.monotonic()
                    page.get_by_role("button", name="Start from template").click()
                    page.locator(".jm-card").first.wait_for(timeout=120_000)
                    opens.append(time.monotonic() - start)
                    context.close()
                    wait_for(lambda f=filled: log.read_text(errors="replace").count("is filled with") > f, 120,
                             "the kernel pool to refill")
                browser.close()
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
    median = statistics.median(paints)
    print(f"loads={len(paints)} first_paint_s: " + " ".join(f"{t:.2f}" for t in paints))
    print(f"first_paint_s median={median:.2f} max={max(paints):.2f} goal={GOAL_S:.1f} "
          f"ratio={median / GOAL_S:.2f} ({'meets' if median < GOAL_S else 'misses'} the goal)")
    print(f"open_template_s median={statistics.median(opens):.2f} (click 'Start from template' to the first card)")
    print(f"requests_off_machine={len(off_machine)}")
    if off_machine:
        sys.exit(1)


if __name__ == "__main__":
    main()
