"""Switching journey, persona or language (goal < 1 s each), measured where people switch.

1. The workshop app (``make workshop``) in headless Chromium at 1600×1000: open a journey, then
   * language: click "Español"/"English" → the canvas shows every label in the other language;
   * journey: "Switch journey", pick another journey file (a journey of another persona), click "Open journey" →
     the new journey's cards are on the page. Picking from the list is the person's time and is not counted.
   Between measurements the bench waits until the app is idle (the friction explorer, built after the canvas
   has painted, is ready), as a person does between two decisions.
2. The journey viewer (``JourneyViewer``) in the kernel: persona, journey and language switches on the shipped
   journeys — the time until the Map tab (the read-only canvas) holds the new journey's state; the page then
   redraws the board (the same drawing code the canvas's edit → paint figure in bench_canvas.py measures in
   Chromium). Printed for a first visit and for a return to a view already drawn.

    .venv/bin/python benchmarks/bench_switch.py [--rounds 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import ARGS, CHROMIUM, refuse_off_machine, workshop_server

import journeymap as jm
from journeymap.i18n import t

GOAL_S = 1.0
IDLE = "() => !document.body.innerText.includes('Scoring the journey') && " \
       "!document.body.innerText.includes('Calculando la fricción')"


def verdict(name: str, values: list[float]) -> str:
    worst = max(values)
    return (f"{name}_s median={statistics.median(values):.2f} max={worst:.2f} n={len(values)} goal={GOAL_S:.1f} "
            f"ratio={worst / GOAL_S:.2f} ({'meets' if worst < GOAL_S else 'misses'} the goal)")


def workshop(rounds: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    found: dict[str, list[float]] = {"workshop_language": [], "workshop_journey": []}
    journeys = ["hotel_stay", "retail_bopis_omnichannel"]  # two personas
    first_ids = {name: jm.load(jm.shipped_journey(name)).touchpoints[0].id for name in journeys}
    refused: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, workshop_server(Path(tmp)) as (port, _log), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS,
                                    env={**os.environ, "HOME": tmp})
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        refuse_off_machine(context, refused)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)

        def open_journey(name: str, lang: str) -> float:
            page.get_by_label(t("ws_journey", lang), exact=True).select_option(
                label=f"data/journeys/{name}.yaml")
            start = time.monotonic()
            page.get_by_role("button", name=t("ws_open", lang)).click()
            page.locator(f'.jm-card[data-id="{first_ids[name]}"]').first.wait_for(timeout=120_000)
            took = time.monotonic() - start
            page.wait_for_function(IDLE, timeout=120_000)
            return took

        page.get_by_role("button", name="Open journey").wait_for(timeout=120_000)
        open_journey(journeys[0], "en")
        lang = "en"
        for i in range(rounds * 2):
            other = "es" if lang == "en" else "en"
            label = t("lane_actions", other)
            start = time.monotonic()
            page.get_by_role("button", name="Español" if other == "es" else "English").click()
            page.wait_for_function(
                f"() => {{ const c = document.querySelector('.jm-canvas'); return c && c.lang === '{other}' && "
                f"[...c.querySelectorAll('.jm-lane-label')].some(e => e.textContent === {label!r}); }}",
                timeout=60_000)
            found["workshop_language"].append(time.monotonic() - start)
            page.wait_for_function(IDLE, timeout=120_000)
            lang = other
            page.get_by_role("button", name=t("ws_switch", lang)).click()
            page.get_by_role("button", name=t("ws_open", lang)).wait_for(timeout=60_000)
            found["workshop_journey"].append(open_journey(journeys[(i + 1) % 2], lang))
        browser.close()
    if refused:
        raise SystemExit(f"requests off the machine: {refused[:3]}")
    return found


def viewer() -> dict[str, list[float]]:
    from journeymap.paths import JOURNEYS_DIR
    from journeymap.widgets import JourneyViewer

    found: dict[str, list[float]] = {"viewer_persona_first": [], "viewer_journey_first": [],
                                     "viewer_language_first": [], "viewer_return": []}
    v = JourneyViewer(JOURNEYS_DIR)

    def timed(key: str, action) -> None:
        start = time.perf_counter()
        action()
        found[key].append(time.perf_counter() - start)

    personas = [value for _label, value in v.persona.options if value is not None]
    for persona in personas:
        timed("viewer_persona_first", lambda persona=persona: setattr(v.persona, "value", persona))
        for _label, journey in v.journey.options[1:]:
            timed("viewer_journey_first", lambda journey=journey: setattr(v.journey, "value", journey))
    for lang in ("es", "en"):
        key = "viewer_language_first" if lang == "es" else "viewer_return"
        timed(key, lambda lang=lang: setattr(v.lang, "value", lang))
    for persona in personas:
        timed("viewer_return", lambda persona=persona: setattr(v.persona, "value", persona))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--skip-viewer", action="store_true")
    opts = parser.parse_args()
    results = workshop(opts.rounds)
    if not opts.skip_viewer:
        results.update(viewer())
    print(f"load_average={os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, values in results.items():
        print(verdict(name, values))


if __name__ == "__main__":
    main()
