"""How soon a participant sees another's sticky note in the workshop room (issue 17: goal < 2 s).

Two Chromium pages join a room served in this process; page A adds a note through its form, and the time
until page B shows it is measured, ROUNDS times, with four more pages polling as in a room. Prints the median
and the worst, and the ratio of the worst to the goal. Usage: python benchmarks/bench_room.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import ARGS, CHROMIUM, refuse_off_machine

import journeymap as jm
from journeymap.room.server import RoomServer
from journeymap.room.state import Room

GOAL_S = 2.0
ROUNDS = 10


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "journey.yaml"
        jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
        server = RoomServer(Room(path)).start()
        refused: list[str] = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                pages = []
                for name in ["Ana", "Bo", "Chidi", "Dara", "Eun", "Fay"]:
                    ctx = browser.new_context(viewport={"width": 390, "height": 844})
                    refuse_off_machine(ctx, refused)
                    page = ctx.new_page()
                    page.goto(server.url())
                    page.fill("#name", name)
                    page.click("#join-button")
                    page.wait_for_selector("li.card")
                    pages.append(page)
                a, b = pages[0], pages[1]
                times = []
                for i in range(ROUNDS):
                    text = f"bench note {i}"
                    a.locator("li.card > .row button:not(.secondary)").nth(1).click()
                    a.fill("#composer-text", text)
                    a.click("#composer-send")
                    start = time.monotonic()
                    b.get_by_text(text, exact=True).wait_for(timeout=30000)
                    times.append(time.monotonic() - start)
                browser.close()
        finally:
            server.stop()
        assert not refused, refused
    worst = max(times)
    print(f"note seen by another participant: median {statistics.median(times):.2f} s, worst {worst:.2f} s "
          f"over {ROUNDS} notes, 6 pages polling (goal < {GOAL_S:.0f} s): {worst / GOAL_S:.2f} x goal "
          f"{'OK' if worst < GOAL_S else 'SLOW'}")


if __name__ == "__main__":
    main()
