"""Issue 17 part 5: the agenda and timer in headless Chromium.

The facilitator starts the timer; a participant's phone page shows the step and a countdown that goes down;
the facilitator's "Next step" reaches the participant within 2 s, and its live region says the new step once.
The server's clock is shifted (not slept through) to reach the last minute and the end of the step: both are said
in words and marked by a border, not by colour alone. Phone: no sideways scrolling; axe: no serious violation
on either page. Picture: tests/browser/artifacts/room_agenda.png (copied to docs/gallery/).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from servers import CHROMIUM, chromium, refuse_off_machine

import journeymap as jm

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]

ARTIFACTS = Path(__file__).with_name("artifacts")
AXE = Path(__file__).with_name("vendor") / "axe.min.js"


class ShiftedClock:
    """The wall clock plus a shift the test sets (to jump to the last minute without waiting for it)."""

    def __init__(self) -> None:
        self.shift = 0.0

    def __call__(self) -> float:
        return time.time() + self.shift


def seconds(clock: str) -> int:
    m = re.fullmatch(r"\+?(\d\d):(\d\d)", clock)
    assert m, clock
    return int(m[1]) * 60 + int(m[2])


def axe_serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({[n['html'][:120] for n in v['nodes']]})" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def test_facilitator_runs_the_agenda_and_participants_follow(tmp_path):
    from playwright.sync_api import expect

    from journeymap.room.agenda import Timer, timer_path
    from journeymap.room.server import RoomServer
    from journeymap.room.state import Room

    path = tmp_path / "journey.yaml"
    jm.save(jm.load(jm.shipped_journey("retail_bopis_multichannel")), path)
    clock = ShiftedClock()
    server = RoomServer(Room(path), timer=Timer(path=timer_path(path), clock=clock)).start()
    refused: list[str] = []
    try:
        with chromium(tmp_path / "home") as browser:
            fctx = browser.new_context(viewport={"width": 1280, "height": 720})
            pctx = browser.new_context(viewport={"width": 390, "height": 844})
            for ctx in (fctx, pctx):
                refuse_off_machine(ctx, refused)
            fac, phone = fctx.new_page(), pctx.new_page()
            for page, url, name in ((fac, server.url(facilitator=True), "Facilitator"), (phone, server.url(), "Ana")):
                page.goto(url)
                page.fill("#name", name)
                page.click("#join-button")
                page.wait_for_selector("li.card")
            expect(fac.locator("#agenda-clock")).to_have_text("10:00", timeout=10000)
            expect(fac.locator("#agenda-flag")).to_have_text("Paused")
            assert phone.is_hidden("#agenda-now") and phone.is_hidden("#agenda")  # no timer used yet: no bar

            fac.click("#agenda-toggle")
            expect(fac.locator("#agenda-toggle")).to_have_text("Pause")
            expect(phone.locator("#agenda-now")).to_be_visible(timeout=2000)
            expect(phone.locator("#agenda-now-step")).to_have_text("Step 1 of 8: Welcome and goal")
            assert phone.is_hidden("#agenda") and phone.locator("#agenda-controls button").count() == 4
            first = seconds(phone.text_content("#agenda-now-clock"))
            time.sleep(2.5)
            later = seconds(phone.text_content("#agenda-now-clock"))
            assert 570 < later < first <= 600, (first, later)  # the participant's countdown goes down

            t0 = time.monotonic()
            fac.click("#agenda-next")
            expect(phone.locator("#agenda-now-step")).to_have_text("Step 2 of 8: Persona", timeout=2000)
            print(f"next step reached the participant in {time.monotonic() - t0:.2f} s (goal < 2 s)")
            expect(phone.locator("#agenda-live")).to_have_text("Step 2 of 8: Persona, 15 minutes")
            expect(fac.locator("#agenda-steps li[aria-current=step]")).to_have_text("Persona · 15 min")
            expect(fac.locator("#agenda-title")).to_have_text("Persona")
            assert 880 <= seconds(phone.text_content("#agenda-now-clock")) <= 900

            clock.shift = 15 * 60 - 40  # the last minute: said once, in words, with a dashed border
            expect(phone.locator("#agenda-now-flag")).to_have_text("⚠ Last minute", timeout=3000)
            expect(phone.locator("#agenda-live")).to_have_text("One minute left")
            expect(phone.locator("#agenda-now-clock")).to_have_class(re.compile(r"\blast\b"))
            expect(fac.locator("#agenda-flag")).to_have_text("⚠ Last minute", timeout=3000)
            clock.shift += 60  # over time: "Time is up", the clock counts up with a "+"
            expect(phone.locator("#agenda-now-flag")).to_have_text("⏰ Time is up", timeout=3000)
            expect(phone.locator("#agenda-live")).to_have_text("Time is up")
            expect(phone.locator("#agenda-now-clock")).to_have_text(re.compile(r"^\+00:\d\d$"))
            expect(fac.locator("#agenda-clock")).to_have_class(re.compile(r"\bover\b"), timeout=3000)

            fac.click("#agenda-plus")  # +1 min: back under time
            expect(phone.locator("#agenda-now-clock")).to_have_text(re.compile(r"^00:[0-5]\d$"), timeout=3000)
            assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390

            for _ in range(2):  # the picture: the touchpoints step, running, with time to spare
                fac.click("#agenda-next")
            clock.shift = 0
            expect(fac.locator("#agenda-title")).to_have_text("Touchpoints")
            expect(phone.locator("#agenda-now-step")).to_have_text("Step 4 of 8: Touchpoints", timeout=3000)
            ARTIFACTS.mkdir(exist_ok=True)
            fac.locator("#agenda").screenshot(path=str(ARTIFACTS / "room_agenda.png"))
            phone.screenshot(path=str(ARTIFACTS / "room_agenda_phone.png"))

            for url, viewport in ((server.url(), (390, 844)), (server.url(facilitator=True), (1280, 720))):
                actx = browser.new_context(viewport=dict(zip(("width", "height"), viewport, strict=True)),
                                           bypass_csp=True)
                audit = actx.new_page()
                audit.goto(url)
                audit.wait_for_selector("li.card")
                audit.wait_for_selector("#agenda-now:not([hidden]), #agenda:not([hidden])")
                assert not axe_serious(audit), url
                actx.close()
    finally:
        server.stop()
    assert not refused
    assert jm.load(path).votes == []  # the timer never touches the journey


def test_the_agenda_speaks_spanish_for_a_spanish_journey(tmp_path):
    from playwright.sync_api import expect

    from journeymap.room.server import RoomServer
    from journeymap.room.state import Room

    path = tmp_path / "salud.yaml"
    jm.save(jm.load(jm.shipped_journey("salud_cita_medica")), path)
    server = RoomServer(Room(path)).start()
    refused: list[str] = []
    try:
        with chromium(tmp_path / "home") as browser:
            pages = []
            for url, name, size in ((server.url(facilitator=True), "Facilitadora", (1280, 720)),
                                    (server.url(), "Ana", (390, 844))):
                ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
                refuse_off_machine(ctx, refused)
                page = ctx.new_page()
                page.goto(url)
                page.fill("#name", name)
                page.click("#join-button")
                page.wait_for_selector("li.card")
                pages.append(page)
            fac, phone = pages
            expect(fac.locator("#agenda-step")).to_have_text("Paso 1 de 8", timeout=10000)
            expect(fac.locator("#agenda-flag")).to_have_text("En pausa")
            assert fac.text_content("#agenda-heading") == "Agenda"
            assert fac.get_attribute("#agenda-plus", "aria-label") == "+1 min: añadir un minuto"
            fac.click("#agenda-toggle")
            expect(fac.locator("#agenda-toggle")).to_have_text("Pausar")
            expect(phone.locator("#agenda-now-step")).to_have_text("Paso 1 de 8: Bienvenida y objetivo", timeout=3000)
            fac.click("#agenda-next")
            expect(phone.locator("#agenda-live")).to_have_text("Paso 2 de 8: Persona, 15 minutos", timeout=3000)
            assert fac.text_content("#agenda-do").startswith("Leed la persona")
    finally:
        server.stop()
    assert not refused
