"""The workshop room on the canvas in Voilà and headless Chromium, offline: the latest round's dots (dots and a
number) on the sticky notes, open-comment counts on cards and notes, the comments in the inspector with their
author and time (user text as text: a comment that is HTML stays text), "Mark resolved" marks one resolved (struck,
with the word) and Save writes it to the file; axe-core finds no serious or critical violation.
Screenshot: docs/gallery/canvas_votes.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from servers import CHROMIUM, chromium, refuse_off_machine, write_notebook
from servers import voila as voila_server

import journeymap as jm

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "docs" / "gallery"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BIN = Path(sys.executable).parent
EVIL = "<img src=x onerror=alert(1)>"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]


def room_journey() -> jm.Journey:
    d = jm.load(jm.shipped_journey("hotel_stay")).model_dump(by_alias=True, mode="json", exclude_defaults=True)
    d["comments"] = [
        {"id": "c1", "target": "book_web", "author": "Ana", "text": f"Checkout form asks twice {EVIL}",
         "at": "2026-11-30T09:10:00+00:00"},
        {"id": "c2", "target": "no_invoice_fields", "author": "Bo", "text": "Finance team hits this weekly",
         "at": "2026-11-30T09:12:00+00:00"},
        {"id": "c3", "target": "business_profile", "author": "Cy", "text": "Already on the roadmap",
         "at": "2026-11-30T09:14:00+00:00", "resolved": True},
        {"id": "c4", "target": "booking_not_in_app", "author": "Dara", "text": "Happens at every app install",
         "at": "2026-11-30T09:16:00+00:00"},
    ]
    d["votes"] = [{"id": "r1", "label": "Worst pains", "on": "both", "dots": 3, "open": False,
                   "counts": {"no_invoice_fields": 5, "preferences_not_remembered": 2, "business_profile": 1},
                   "voters": {"Ana": 3, "Bo": 3, "Cy": 2}}]
    return jm.Journey.model_validate(d)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("room-canvas")
    jm.save(room_journey(), folder / "room.yaml")
    source = "import journeymap as jm\ncanvas = jm.widgets.JourneyCanvas('room.yaml', lang='en')\ncanvas"
    write_notebook(folder / "room.ipynb", source)
    return folder


@pytest.fixture(scope="module")
def voila(workdir, tmp_path_factory):
    with voila_server(workdir, tmp_path_factory.mktemp("voila-home"), BIN) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as b:
        yield b


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run('.jm-canvas', {resultTypes: ['violations']})")
    return [f"{v['impact']}: {v['id']}: {v['help']} — " + "; ".join(n["html"][:200] for n in v["nodes"][:4])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_dots_comments_and_resolve_in_the_canvas(voila, workdir, browser):
    blocked, errors = [], []
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    refuse_off_machine(context, blocked)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: errors.append(f"dialog: {d.message}") or d.dismiss())
    page.goto(voila + "room.ipynb", timeout=120_000)
    page.locator('.jm-card[data-id="book_web"]').wait_for(timeout=120_000)

    # Dots: glyphs and a number on the voted notes (pain point and opportunity), nothing on the others.
    dots = page.locator('.jm-room[data-room="no_invoice_fields"] .jm-dots')
    assert dots.is_visible()
    assert dots.get_attribute("data-dots") == "5" and dots.inner_text().replace("\n", " ") == "●●●●● 5 dots"
    assert page.locator('.jm-room[data-room="preferences_not_remembered"] .jm-dots').inner_text().endswith("2 dots")
    assert page.locator('.jm-room[data-room="business_profile"] .jm-dots').first.inner_text().endswith("1 dot")
    assert page.locator('.jm-room[data-room="wrong_invoice"]').count() == 0
    # Open-comment counts on the card and on the pain point's note.
    card_count = page.locator('.jm-card[data-id="book_web"] .jm-ccount')
    assert card_count.is_visible() and card_count.inner_text() == "open comments: 1"
    assert page.locator('.jm-room[data-room="no_invoice_fields"] .jm-ccount').inner_text() == "open comments: 1"
    assert page.locator('.jm-room[data-room="business_profile"] .jm-ccount').first.inner_text() == "open comments: 0"

    # The inspector lists the card's comments (on the card, its pain points and their opportunities).
    page.locator('.jm-card[data-id="book_web"] .jm-chip').click()
    c1 = page.locator('.jm-inspector .jm-comment[data-comment="c1"]')
    c1.wait_for(timeout=20_000)
    assert c1.locator(".jm-comment-who").inner_text() == "Ana · 2026-11-30 09:10 · on " + \
        room_journey().touchpoint("book_web").action
    assert c1.locator(".jm-comment-text").inner_text() == f"Checkout form asks twice {EVIL}"
    assert page.evaluate("document.querySelectorAll('.jm-canvas img').length") == 0  # text, never markup
    c3 = page.locator('.jm-inspector .jm-comment[data-comment="c3"]')
    assert "jm-resolved" in c3.get_attribute("class") and c3.locator(".jm-comment-state").inner_text() == "resolved"
    assert c3.locator(".jm-comment-text").evaluate("n => getComputedStyle(n).textDecorationLine") == "line-through"

    # Mark resolved: an edit like any other; the count drops, the comment is struck; Save writes it.
    c1.get_by_role("button", name="Mark resolved").click()
    page.wait_for_function("document.querySelector('.jm-comment[data-comment=\"c1\"]')"
                           ".classList.contains('jm-resolved')", timeout=20_000)
    assert card_count.inner_text() == "open comments: 0"
    assert page.locator('.jm-toolbar button:has-text("Undo")').is_enabled()
    GALLERY.mkdir(parents=True, exist_ok=True)
    page.locator('.jm-card[data-id="book_web"]').scroll_into_view_if_needed()
    page.screenshot(path=str(GALLERY / "canvas_votes.png"))
    assert _axe(page) == []
    page.locator('.jm-toolbar button:has-text("Save")').click()
    page.wait_for_function("window.__jmCanvas.acked.length === window.__jmCanvas.sent.length", timeout=30_000)
    page.wait_for_timeout(300)
    saved = jm.load(workdir / "room.yaml")
    assert {c.id: c.resolved for c in saved.comments} == {"c1": True, "c2": False, "c3": True, "c4": False}
    assert saved.comments[0].text == f"Checkout form asks twice {EVIL}"
    assert [m["op"] for m in page.evaluate("window.__jmCanvas.sent")] == ["resolve_comment", "save"]
    # A move's pain points carry their comments too: selecting the move lists them.
    assert page.locator('.jm-room[data-room="booking_not_in_app"] .jm-ccount').inner_text() == "open comments: 1"
    page.locator('.jm-handoff-to[data-focus="handoff:confirm_email->online_checkin"]').click()
    c4 = page.locator('.jm-inspector .jm-comment[data-comment="c4"]')
    c4.wait_for(timeout=20_000)
    assert c4.locator(".jm-comment-text").inner_text() == "Happens at every app install"
    assert errors == [], errors
    assert not [u for u in blocked if "font-awesome" not in u and "fontawesome" not in u], blocked
    context.close()
