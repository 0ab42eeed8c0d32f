"""Evidence suggestions beside the canvas, in Voilà and headless Chromium, offline.

Accept is clicked on two suggestions at human speed (with Undo on the canvas in between) and, on a second page,
fast (keyboard Enter then an immediate click); the canvas card shows the new emotion and the new sticky note,
Save writes them, and the saved file equals :func:`journeymap.evidence.suggest.accept` applied in Python.
Quotes are shown as text (never markup); axe-core finds no serious violation (contrast AA included).
Screenshot: docs/gallery/canvas_suggestions.png.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from servers import chromium, refuse_off_machine, write_notebook
from servers import voila as voila_server

import journeymap as jm
from journeymap.evidence.suggest import Suggestion, accept

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "docs" / "gallery"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow

#: The suggestions the notebook shows (and the test applies in Python to compare with the saved file).
SUGGESTIONS = """
from journeymap.evidence.suggest import Suggestion
from journeymap.model import PainPoint, Quote
Q = (Quote(text="<b>Slow</b> & the page <img src=x onerror=alert(1)> froze twice", source="review site",
           date="2026-03-02"),
     Quote(text="Paying took forever, I almost gave up", source="survey comment", date="2026-03-05", lang="en"),
     Quote(text="Tardó muchísimo en confirmar la reserva", source="encuesta", date="2026-03-07", lang="es"),
     Quote(text="a fourth quote is never shown", source="survey"))
SUGGESTIONS = [
    Suggestion(id="emotion:book_web", kind="emotion", target="book_web", value=-1.5, current=0.0, quotes=Q,
               reason="14 mentions, 71 % negative", reason_es="14 menciones, 71 % negativas"),
    Suggestion(id="pain:book_web:1", kind="pain_point", target="book_web",
               value=PainPoint(id="book_web_slow", text="The booking page is slow to confirm", severity=4,
                               frequency=0.6, evidence="observed", quotes=list(Q[:2])),
               current=None, quotes=Q[:2], reason="9 mentions of slowness", reason_es="9 menciones de lentitud"),
    Suggestion(id="effort:online_checkin", kind="effort", target="online_checkin", value=6, current=4,
               quotes=Q[1:2], reason="CES 5.8 (n 41, small sample)", reason_es="CES 5,8 (n 41, muestra pequeña)"),
]
"""


def _notebook(folder: Path, name: str, journey: str, lang: str) -> None:
    source = (f"import journeymap as jm\n{SUGGESTIONS}\ncanvas = jm.widgets.JourneyCanvas({journey!r}, lang={lang!r})\n"
              "panel = canvas.show_suggestions(SUGGESTIONS)\npanel.with_canvas()")
    write_notebook(folder / name, source)


def _suggestions() -> dict[str, Suggestion]:
    scope: dict = {}
    exec(SUGGESTIONS, scope)  # the very objects the notebook builds
    return {s.id: s for s in scope["SUGGESTIONS"]}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("suggestions")
    for name, lang in (("human", "en"), ("fast", "en"), ("spanish", "es")):
        jm.save(jm.load(jm.shipped_journey("hotel_stay")), folder / f"{name}.yaml")
        _notebook(folder, f"{name}.ipynb", f"{name}.yaml", lang)
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), folder / "original.yaml")
    return folder


@pytest.fixture(scope="module")
def voila(workdir, tmp_path_factory):
    with voila_server(workdir, tmp_path_factory.mktemp("voila-home"), BIN) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as b:
        yield b


def _open(browser, url: str, errors: list[str], blocked: list[str]):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    refuse_off_machine(context, blocked)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url, timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    page.locator(".jm-sg-row").first.wait_for(timeout=60_000)
    return page


def _row(page, sid: str):
    return page.locator(f'.jm-sg-row[data-id="{sid}"]')


def _settled(page, timeout: float = 30) -> None:
    """Every suggestion click answered by the kernel, every canvas edit acknowledged."""
    page.wait_for_function("""() => {
        const s = window.__jmSuggestions, c = window.__jmCanvas;
        return (!s || s.acked.length === s.sent.length) && (!c || c.acked.length === c.sent.length);
    }""", timeout=timeout * 1000)


def _status(page, sid: str, status: str) -> None:
    page.wait_for_function(f"document.querySelector('.jm-sg-row[data-id=\"{sid}\"]')?.dataset.status === {status!r}",
                           timeout=30_000)


def _emotion_on_card(page, tp: str) -> float:
    return float(page.locator(f'.jm-dot[data-id="{tp}"]').get_attribute("aria-valuenow"))


def _stickies(page, tp: str) -> list[str]:
    """The pain-point notes in the card's column (its sticky-note lane ends with its "Add pain point" button)."""
    return page.evaluate(STICKIES_JS % tp)


STICKIES_JS = """[...(document.querySelector('[data-focus="pain-add:%s"]')?.closest('.jm-stickies')
    ?.querySelectorAll('.jm-pain .jm-sticky-text') || [])].map(n => n.textContent)"""


def _shoot(page, path: Path) -> None:
    """The canvas and the panel under it in one picture: the window made as tall as both (Voilà scrolls inside)."""
    box = page.locator(".jm-sg").bounding_box()
    top = page.locator(".jm-canvas").bounding_box()
    height = int(box["y"] + box["height"] - min(top["y"], 0) + 24)
    page.set_viewport_size({"width": 1600, "height": max(1000, height)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


def _axe(page, selector: str) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"axe.run({json.dumps(selector)}, {{resultTypes: ['violations']}})")
    return [f"{v['impact']}: {v['id']}: {v['help']} — " + "; ".join(n["html"][:200] for n in v["nodes"][:6])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _save_and_compare(page, path: Path, expected: jm.Journey) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    _settled(page)
    page.wait_for_function("window.__jmCanvas.acked.at(-1)?.op === 'save'", timeout=30_000)
    assert jm.load(path) == expected


def test_accept_at_human_speed_undo_and_save(voila, workdir, browser):
    errors, blocked = [], []
    page = _open(browser, voila + "human.ipynb", errors, blocked)
    sg = _suggestions()
    original = jm.load(workdir / "original.yaml")
    assert _emotion_on_card(page, "book_web") == 0
    # what a row shows: touchpoint, change, reason, three quotes as text, named buttons
    row = _row(page, "emotion:book_web")
    assert "Emotion: 0 → −1.5" in row.inner_text() and "14 mentions, 71 % negative" in row.inner_text()
    quotes = row.locator("blockquote")
    assert quotes.count() == 3
    assert quotes.first.inner_text().startswith("“<b>Slow</b> & the page <img src=x onerror=alert(1)>")
    assert page.locator(".jm-sg blockquote b, .jm-sg img").count() == 0  # text, never markup
    accept_btn = page.get_by_role("button", name=re.compile(r"^Accept: Books three nights.* — Emotion: 0 → −1\.5$"))
    assert accept_btn.count() == 1
    assert _axe(page, ".jm-sg") == []

    accept_btn.click()
    _status(page, "emotion:book_web", "accepted")
    page.wait_for_timeout(600)  # a person reads the next row
    _row(page, "pain:book_web:1").get_by_role("button", name="Accept", exact=False).click()
    _status(page, "pain:book_web:1", "accepted")
    _settled(page)
    assert _emotion_on_card(page, "book_web") == -1.5
    assert "The booking page is slow to confirm" in _stickies(page, "book_web")
    assert "Applied: " in page.locator(".jm-sg-status").inner_text()
    GALLERY.mkdir(parents=True, exist_ok=True)
    page.locator(".jm-card[data-id='book_web']").click()
    _shoot(page, GALLERY / "canvas_suggestions.png")  # two accepted, one still to decide

    page.get_by_role("button", name="Undo", exact=True).click()  # the canvas' own Undo takes the pain point back
    _status(page, "pain:book_web:1", "pending")
    _settled(page)
    page.wait_for_function(f"!{STICKIES_JS % 'book_web'}.includes('The booking page is slow to confirm')",
                           timeout=30_000)
    page.wait_for_timeout(400)
    _row(page, "pain:book_web:1").get_by_role("button", name="Accept", exact=False).click()
    _status(page, "pain:book_web:1", "accepted")
    _row(page, "effort:online_checkin").get_by_role("button", name="Reject", exact=False).click()
    page.wait_for_function("!document.querySelector('.jm-sg-row[data-id=\"effort:online_checkin\"]')")
    _settled(page)
    assert "1 rejected in this session" in page.locator(".jm-sg").inner_text()
    assert "null" not in page.locator(".jm-sg").inner_text() and "undefined" not in page.locator(".jm-sg").inner_text()
    assert _axe(page, ".jm-sg") == []
    _save_and_compare(page, workdir / "human.yaml",
                      accept(accept(original, sg["emotion:book_web"]), sg["pain:book_web:1"]))
    assert errors == [], errors
    assert not [u for u in blocked if "fontawesome" not in u and "font-awesome" not in u], blocked


def test_accept_fast_with_the_keyboard_then_save(voila, workdir, browser):
    errors, blocked = [], []
    page = _open(browser, voila + "fast.ipynb", errors, blocked)
    sg = _suggestions()
    _row(page, "emotion:book_web").locator(".jm-sg-accept").focus()
    page.keyboard.press("Enter")  # keyboard, then an immediate click on the next: no wait in between
    _row(page, "effort:online_checkin").locator(".jm-sg-accept").click()
    _row(page, "pain:book_web:1").locator(".jm-sg-accept").dblclick()  # a double click adds one pain point
    _settled(page)
    for sid in sg:
        _status(page, sid, "accepted")
    assert _emotion_on_card(page, "book_web") == -1.5
    assert _stickies(page, "book_web").count("The booking page is slow to confirm") == 1
    # focus stayed in the panel (on the heading once no Accept is left), not lost to the page
    assert page.evaluate("document.activeElement.closest('.jm-sg') !== null")
    expected = jm.load(workdir / "original.yaml")
    for sid in ("emotion:book_web", "effort:online_checkin", "pain:book_web:1"):
        expected = accept(expected, sg[sid])
    _save_and_compare(page, workdir / "fast.yaml", expected)
    assert errors == [], errors


def test_panel_in_spanish(voila, browser):
    errors, blocked = [], []
    page = _open(browser, voila + "spanish.ipynb", errors, blocked)
    panel = page.locator(".jm-sg")
    assert "Sugerencias a partir de la evidencia de clientes (3)" in panel.inner_text()
    assert "14 menciones, 71 % negativas" in panel.inner_text()
    assert "null" not in panel.inner_text() and "undefined" not in panel.inner_text()
    assert page.get_by_role("button", name="Aceptar: Books three nights", exact=False).count() == 2
    assert page.get_by_role("button", name="Rechazar: ", exact=False).count() == 3
    page.locator(".jm-sg").screenshot(path=str(GALLERY / "canvas_suggestions_es.png"))
    # keyboard only: Tab from an Accept reaches its Reject; Enter rejects; focus moves on to the next Accept
    _row(page, "emotion:book_web").locator(".jm-sg-accept").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Rechazar: Books three")
    page.keyboard.press("Enter")
    page.wait_for_function("!document.querySelector('.jm-sg-row[data-id=\"emotion:book_web\"]')")
    _settled(page)
    assert page.evaluate("document.activeElement.dataset.focus") == "accept:pain:book_web:1"
    assert "Rechazada: " in page.locator(".jm-sg-status").inner_text()
    assert _emotion_on_card(page, "book_web") == 0
    assert _axe(page, ".jm-sg") == []
    assert errors == [], errors
