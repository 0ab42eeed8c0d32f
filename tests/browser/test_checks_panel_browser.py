"""The canvas's checks panel in Voilà and headless Chromium, offline (en and es).

The panel lists the journey's health-check findings with a count badge equal to ``jm.check``'s count; a fix made
on the canvas (the missing emotion set with the keyboard) removes its finding once the debounce has passed, both
at human speed and with a burst of fast edits (after which the panel equals the checks of the journey the edits
produced, replayed in Python); clicking a finding selects the touchpoint, move or stage it names; axe-core finds
no serious or critical violation. Screenshots: docs/gallery/canvas_checks.png and canvas_checks_es.png.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from servers import CHROMIUM, chromium, refuse_off_machine, write_notebook
from servers import voila as voila_server

import journeymap as jm
from journeymap.widgets.canvas.protocol import replay

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "docs" / "gallery"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]

TEXTS = {
    "en": ["Discover", "Join", "Use", "Renew", "See an ad for the gym", "Compare membership plans",
           "Tour the gym with staff", "Sign the contract", "Contract has hidden fees", "Book a class in the app",
           "Loyalty raffle", "Gym membership"],
    "es": ["Descubrir", "Inscribirse", "Usar", "Renovar", "Ve un anuncio del gimnasio", "Compara los planes de socio",
           "Visita el gimnasio con el personal", "Firma el contrato", "El contrato tiene cargos ocultos",
           "Reserva una clase en la app", "Sorteo de fidelidad", "Socio del gimnasio"],
}


def gym(lang: str) -> jm.Journey:
    """A journey with findings: a touchpoint with no emotion (web), one with no effort (app), an empty stage
    (renew), channel switches with no context, a pain point with no opportunity, an opportunity addressing
    nothing."""
    x = TEXTS[lang]
    return jm.Journey.model_validate({
        "id": "gym", "title": x[11], "lang": lang,
        "stages": [{"id": "discover", "name": x[0]}, {"id": "join", "name": x[1]}, {"id": "use", "name": x[2]},
                   {"id": "renew", "name": x[3]}],
        "touchpoints": [
            {"id": "ad", "stage": "discover", "channel": "instagram", "action": x[4], "emotion": 1, "effort": 1,
             "evidence": "observed"},
            {"id": "web", "stage": "discover", "channel": "website", "action": x[5], "effort": 3},
            {"id": "visit", "stage": "join", "channel": "store", "action": x[6], "emotion": 1.5, "effort": 2},
            {"id": "signup", "stage": "join", "channel": "store", "action": x[7], "emotion": -1, "effort": 5,
             "conversion": True, "evidence": "observed", "pain_points": [{"id": "fees", "text": x[8], "severity": 4}]},
            {"id": "app", "stage": "use", "channel": "mobile_app", "action": x[9], "emotion": -0.5}],
        "transitions": [{"from": "ad", "to": "web", "context": "partial"}, {"from": "web", "to": "visit"},
                        {"from": "visit", "to": "signup"}, {"from": "signup", "to": "app"}],
        "opportunities": [{"id": "raffle", "text": x[10], "addresses": []}]})


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("checks")
    for lang in ("en", "es"):
        jm.save(gym(lang), folder / f"gym_{lang}.yaml")
        source = f"import journeymap as jm\ncanvas = jm.widgets.JourneyCanvas('gym_{lang}.yaml', lang={lang!r})\ncanvas"
        write_notebook(folder / f"checks_{lang}.ipynb", source)
        editor = f"import journeymap as jm\njm.widgets.JourneyEditor('gym_{lang}.yaml', lang={lang!r})"
        write_notebook(folder / f"editor_{lang}.ipynb", editor)
    return folder


@pytest.fixture(scope="module")
def voila(workdir, tmp_path_factory):
    with voila_server(workdir, tmp_path_factory.mktemp("voila-home"), BIN) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as b:
        yield b


def _open(browser, url: str, blocked: list[str], errors: list[str]):
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    refuse_off_machine(context, blocked)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, timeout=120_000)
    page.locator(".jm-checks .jm-badge").wait_for(timeout=120_000)
    return page


def _badge(page) -> int:
    return int(page.locator(".jm-checks .jm-badge").get_attribute("data-count"))


def _findings(page) -> list[tuple[str, str]]:
    return [tuple(x) for x in page.evaluate(
        "[...document.querySelectorAll('.jm-finding[data-code]')].map(n => [n.dataset.code, n.dataset.where])")]


def _quiet(page) -> None:
    page.wait_for_function("window.__jmCanvas.acked.length === window.__jmCanvas.sent.length", timeout=30_000)


def _wait_gone(page, code: str, where: str, timeout: float = 20) -> float:
    """Seconds until the finding (code, where) is no longer listed."""
    started = time.monotonic()
    page.wait_for_function(
        f"!document.querySelector('.jm-finding[data-code=\"{code}\"][data-where=\"{where}\"]')", timeout=timeout * 1000)
    return time.monotonic() - started


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run('.jm-canvas', {resultTypes: ['violations']})")
    return [f"{v['impact']}: {v['id']}: {v['help']} — " + "; ".join(n["html"][:200] for n in v["nodes"][:4])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_checks_panel_lists_updates_selects_and_is_accessible(voila, workdir, browser):
    blocked, errors = [], []
    page = _open(browser, voila + "checks_en.ipynb", blocked, errors)
    expected = jm.check(jm.load(workdir / "gym_en.yaml"))
    assert _badge(page) == len(expected) == 7
    assert sorted(_findings(page)) == sorted((f.code, f.where) for f in expected)
    item = page.locator('.jm-finding[data-code="emotion-not-set"][data-where="web"]')
    assert "warning" in item.locator(".jm-sev").inner_text() and "⚠" in item.locator(".jm-sev").inner_text()
    assert "Why:" in item.inner_text() and "Fix:" in item.inner_text()
    toggle = page.locator(".jm-checks-toggle")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert toggle.get_attribute("aria-label") == "Checks: 7 findings"

    # Clicking a finding selects what it names: a card, a move, a stage header.
    item.get_by_role("button", name="Show: web").click()
    page.wait_for_function("document.querySelector('.jm-card.jm-selected').dataset.id === 'web'")
    assert page.evaluate("document.activeElement.dataset.id") == "web"
    page.locator('.jm-finding[data-where="web->visit"]').get_by_role("button").click()
    page.wait_for_function("!!document.querySelector('.jm-link-g.jm-selected[data-key=\"web->visit\"]')")
    page.locator('.jm-finding[data-where="renew"]').get_by_role("button").click()
    page.wait_for_function("document.querySelector('.jm-stage[data-stage=\"renew\"]').classList.contains('jm-flash')")
    page.locator('.jm-finding[data-where="fees"]').get_by_role("button").click()  # a pain point: its card
    page.wait_for_function("document.querySelector('.jm-card.jm-selected').dataset.id === 'signup'")

    GALLERY.mkdir(parents=True, exist_ok=True)
    page.locator('.jm-finding[data-code="emotion-not-set"]').get_by_role("button").click()
    page.wait_for_timeout(1700)  # the highlight has faded
    page.screenshot(path=str(GALLERY / "canvas_checks.png"))
    assert _axe(page) == []

    # Human speed: set the missing emotion with the keyboard; its finding goes once the edits pause.
    dot = page.locator('.jm-dot[data-id="web"]')
    dot.focus()
    page.wait_for_timeout(400)
    dot.press("ArrowUp")
    took = _wait_gone(page, "emotion-not-set", "web")
    print(f"finding gone {took * 1000:.0f} ms after the key press (debounce 250 ms)")
    assert _badge(page) == 6 and ("effort-not-set", "app") in _findings(page)

    # Fast: a burst of edits (emotion keys and an effort set in the inspector), no pause between them.
    updates_before = len(page.evaluate("window.__jmCanvas.checks"))
    page.locator('.jm-card[data-id="app"]').click()
    page.locator('.jm-inspector select').first.select_option("4")
    ad = page.locator('.jm-dot[data-id="ad"]')
    ad.focus()
    for _ in range(8):
        ad.press("ArrowDown")
    _quiet(page)
    _wait_gone(page, "effort-not-set", "app")
    page.wait_for_timeout(800)  # the last debounced run has landed
    sent = page.evaluate("window.__jmCanvas.sent")
    final = replay(workdir / "gym_en.yaml", sent).session.journey
    wanted = jm.check(final)
    assert _badge(page) == len(wanted) == 5
    assert sorted(_findings(page)) == sorted((f.code, f.where) for f in wanted)
    updates = len(page.evaluate("window.__jmCanvas.checks")) - updates_before
    assert 1 <= updates < 9, updates  # debounced: fewer check runs than the 9 edits
    assert _axe(page) == []
    assert errors == [], errors
    assert not [u for u in blocked if "font-awesome" not in u and "fontawesome" not in u], blocked


def test_checks_panel_in_spanish(voila, workdir, browser):
    blocked, errors = [], []
    page = _open(browser, voila + "checks_es.ipynb", blocked, errors)
    assert _badge(page) == len(jm.check(jm.load(workdir / "gym_es.yaml"))) == 7
    toggle = page.locator(".jm-checks-toggle")
    assert toggle.get_attribute("aria-label") == "Revisiones: 7 hallazgos"
    item = page.locator('.jm-finding[data-code="effort-not-set"][data-where="app"]')
    assert "aviso" in item.locator(".jm-sev").inner_text()
    assert "Por qué:" in item.inner_text() and "Cómo corregir:" in item.inner_text()
    item.get_by_role("button", name="Mostrar: app").click()
    page.wait_for_function("document.querySelector('.jm-card.jm-selected').dataset.id === 'app'")
    page.wait_for_timeout(1700)
    page.screenshot(path=str(GALLERY / "canvas_checks_es.png"))
    assert _axe(page) == []
    # The panel folds away (and opens again) with its button.
    toggle.click()
    page.wait_for_function("!document.querySelector('.jm-checks-list')")
    assert page.locator(".jm-checks-toggle").get_attribute("aria-expanded") == "false"
    page.locator(".jm-checks-toggle").click()
    page.locator(".jm-checks-list").wait_for()
    assert errors == [], errors


def test_editor_checks_panel_in_voila(voila, workdir, browser):
    blocked, errors = [], []
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    refuse_off_machine(context, blocked)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(voila + "editor_en.ipynb", timeout=120_000)
    badge = page.locator(".jm-checks-panel .jm-badge")
    badge.wait_for(timeout=120_000)
    assert badge.get_attribute("data-count") == "7"
    listing = page.locator(".jm-checks-panel select")
    labels = listing.locator("option").all_inner_texts()  # ipywidgets writes spaces as no-break spaces
    plain = [x.replace("\xa0", " ") for x in labels]
    assert len(labels) == 7 and any(x.startswith("⚠ warning · web: touchpoint 'web' has no emotion") for x in plain)
    listing.select_option(label=labels[next(i for i, x in enumerate(plain) if " · app: " in x)])
    page.wait_for_function("""[...document.querySelectorAll('select')].some(s => s.selectedIndex >= 0
        && s.options[s.selectedIndex].text.replace(/\u00a0/g, ' ').includes('· app —'))""", timeout=20_000)
    assert "Why:" in page.locator(".jm-checks-panel").inner_text()
    page.locator(".jm-checks-panel").screenshot(path=str(GALLERY / "editor_checks.png"))
    assert errors == [], errors
