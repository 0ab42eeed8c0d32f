"""Accessibility in headless Chromium, offline: axe-core finds no serious or critical violation, and the canvas
works with the keyboard alone.

axe-core (MPL-2.0) is vendored in ``tests/browser/vendor/`` and injected into each page. Checked: the journey
canvas in Voilà, the HTML report and the network page (``jm.export``). The keyboard test adds a touchpoint,
sets its emotion, adds a pain point and saves with ``page.keyboard`` only, then reads the saved YAML.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from servers import chromium, refuse_off_machine, write_notebook
from servers import voila as voila_server

import journeymap as jm

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BIN = Path(sys.executable).parent
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "about:", "file:")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as b:
        yield b


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    for name in ("journey", "keyboard"):
        jm.save(jm.load(jm.shipped_journey("hotel_stay")), folder / f"{name}.yaml")
        source = f"import journeymap as jm\ncanvas = jm.widgets.JourneyCanvas('{name}.yaml', lang='en')\ncanvas"
        write_notebook(folder / f"{name}.ipynb", source)
    source = ("import journeymap as jm\nj = jm.load('journey.yaml')\n"
              "display(jm.widgets.FrictionExplorer(j, lang='es'))\n"
              "display(jm.widgets.JourneyViewer(['journey.yaml'], lang='en'))\n"
              "display(jm.widgets.JourneyEditor(jm.load('journey.yaml'), lang='es'))")
    write_notebook(folder / "widgets.ipynb", source)
    return folder


@pytest.fixture(scope="module")
def voila(workdir, tmp_path_factory):
    with voila_server(workdir, tmp_path_factory.mktemp("voila-home"), BIN) as url:
        yield url


def _page(browser, blocked: list[str]):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    refuse_off_machine(context, blocked, LOCAL)
    return context.new_page()


def assert_axe_clean(page, selector: str | None = None, where: str = "") -> None:
    problems = axe_problems(page, selector)
    assert not problems, where + "\n" + "\n".join(problems)


def axe_problems(page, selector: str | None = None) -> list[str]:
    """Serious and critical axe-core violations on ``page`` (within ``selector`` if given), one line each."""
    page.add_script_tag(path=str(AXE))
    context = json.dumps(selector) if selector else "document"
    result = page.evaluate(f"axe.run({context}, {{resultTypes: ['violations']}})")
    return [f"{v['impact']}: {v['id']}: {v['help']} — " + "; ".join(n["html"][:200] for n in v["nodes"][:6])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_axe_html_report(browser, tmp_path):
    path = jm.export(jm.load(jm.shipped_journey("hotel_stay")), tmp_path / "x.html")
    page = _page(browser, [])
    page.goto(path.resolve().as_uri())
    assert_axe_clean(page)
    images = page.evaluate("[...document.images].map(i => i.alt)")
    assert images and all(len(alt) > 20 for alt in images), images


def test_axe_network_page(browser, tmp_path):
    path = jm.export(jm.load(jm.shipped_journey("hotel_stay")), tmp_path / "net.html", kind="network")
    page = _page(browser, [])
    page.goto(path.resolve().as_uri())
    page.wait_for_timeout(500)
    assert_axe_clean(page)


def test_axe_canvas_in_voila(voila, browser):
    blocked: list[str] = []
    page = _page(browser, blocked)
    page.goto(voila + "journey.ipynb", timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    assert_axe_clean(page, ".jm-canvas")
    page.locator(".jm-card").nth(2).click()
    assert_axe_clean(page, ".jm-canvas", "with a card selected and the inspector open")
    page.locator(".jm-arrow-hit").first.focus()
    page.keyboard.press("Enter")
    assert_axe_clean(page, ".jm-canvas", "with a move (transition) selected")
    page.locator(".jm-card .jm-text").first.focus()
    page.keyboard.press("Enter")
    page.locator(".jm-input").wait_for()
    assert_axe_clean(page, ".jm-canvas", "while a text is edited in place")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Presentation").click()
    page.wait_for_function("document.querySelector('.jm-zoom').textContent.startsWith('130')")
    assert_axe_clean(page, ".jm-canvas", "in presentation zoom")


def _quiet(page, timeout: float = 30) -> None:
    """Wait until every edit the page sent is acknowledged by Python."""
    page.wait_for_function("window.__jmCanvas && window.__jmCanvas.acked.length === window.__jmCanvas.sent.length",
                           timeout=timeout * 1000)


def _tab_to(page, test: str, limit: int = 900) -> None:
    """Press Tab until the focused element passes the JS expression ``test`` (on ``a``, the active element)."""
    check = f"(() => {{ const a = document.activeElement; return !!a && !!({test}); }})()"
    for _ in range(limit):
        if page.evaluate(check):
            _assert_focus_visible(page)
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {test}; focus is on "
                + page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 200)"))


def _assert_focus_visible(page) -> None:
    """The focused element shows it: an outline, a ring (box-shadow) or, for SVG shapes, a focus stroke."""
    style = page.evaluate("""() => { const a = document.activeElement, c = getComputedStyle(a);
        return {html: a.outerHTML.slice(0, 120), outline: c.outlineStyle, width: parseFloat(c.outlineWidth),
                shadow: c.boxShadow, stroke: c.stroke, strokeWidth: parseFloat(c.strokeWidth),
                svg: a instanceof SVGElement}; }""")
    shown = (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] not in ("none", "") or (
        style["svg"] and style["stroke"] not in ("none", "") and style["strokeWidth"] >= 2)
    assert shown, style


def _cards(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('.jm-card')].map(n => n.dataset.id)")


def test_canvas_keyboard_only_add_touchpoint_emotion_pain_save(voila, workdir, browser):
    page = _page(browser, [])
    page.goto(voila + "keyboard.ipynb", timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    before = _cards(page)
    # 1. add a touchpoint between the second and the third card
    _tab_to(page, f"a.dataset.focus === 'add:{before[1]}'")
    page.keyboard.press("Enter")
    _quiet(page)
    page.wait_for_function(f"document.querySelectorAll('.jm-card').length === {len(before) + 1}")
    (new,) = set(_cards(page)) - set(before)
    # 2. set its emotion with the arrow keys on its dot
    _tab_to(page, f"a.dataset.focus === 'emo:{new}'")
    start = float(page.evaluate("document.activeElement.getAttribute('aria-valuenow')"))
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    _quiet(page)
    # 3. add a pain point to it, then type its text
    _tab_to(page, f"a.dataset.focus === 'pain-add:{new}'")
    page.keyboard.press("Enter")
    _quiet(page)
    _tab_to(page, "a.classList.contains('jm-sticky-text') && a.textContent.includes('New pain point')")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("Typed without a mouse")
    page.keyboard.press("Enter")
    _quiet(page)
    # 4. save
    _tab_to(page, "a.dataset.focus === 'save'")
    page.keyboard.press("Enter")
    _quiet(page)
    page.wait_for_function("window.__jmCanvas.sent.at(-1).op === 'save' && window.__jmCanvas.acked.at(-1).ok")

    saved = jm.load(workdir / "keyboard.yaml")
    tp = saved.touchpoint(new)
    assert tp.stage == saved.touchpoint(before[1]).stage
    assert tp.emotion == max(-2.0, start - 1.0)
    assert [p.text for p in tp.pain_points] == ["Typed without a mouse"]
    assert len(saved.touchpoints) == len(before) + 1


def test_axe_explorer_and_viewer_in_voila(voila, browser):
    page = _page(browser, [])
    page.goto(voila + "widgets.ipynb", timeout=120_000)
    page.locator(".widget-slider").first.wait_for(timeout=120_000)
    page.locator(".widget-tab").nth(1).wait_for(timeout=120_000)
    handles = page.locator(".widget-slider .noUi-handle")
    assert handles.count() >= 5  # one weight per friction component
    page.wait_for_function("document.querySelectorAll('.noUi-handle[aria-label]').length >= 5")
    names = page.evaluate("""[...document.querySelectorAll('.widget-slider .noUi-handle')]
        .map(h => h.getAttribute('aria-label') || '')""")
    assert all(names), names
    assert "Click to show javascript error" not in page.inner_text("body")
    # The viewer's map is the canvas, read-only: the same board with no editing control.
    viewer_map = page.locator(".jm-canvas.jm-readonly")
    viewer_map.locator(".jm-card").first.wait_for(timeout=60_000)
    assert viewer_map.locator(".jm-card").count() == len(jm.load(jm.shipped_journey("hotel_stay")).touchpoints)
    assert viewer_map.locator(".jm-connect, .jm-del, .jm-input, .jm-inspector:visible").count() == 0
    assert viewer_map.get_by_role("button", name="Save").count() == 0
    assert viewer_map.get_by_role("button", name="Presentation").count() == 1  # viewing controls stay
    assert {viewer_map.locator(".jm-card").nth(i).get_attribute("draggable") for i in range(3)} == {"false"}
    assert_axe_clean(page, ".jm-a11y-scope")
    for tab in page.locator(".jm-a11y-scope .lm-TabBar-tab").all():  # every tab of explorer and viewer shown
        tab.click()
        page.wait_for_timeout(200)
        assert_axe_clean(page, ".jm-a11y-scope", tab.inner_text())
    drawn = "[...document.querySelectorAll('.jm-a11y-scope img')].filter(i => i.naturalWidth > 0)"
    page.wait_for_function(f"{drawn}.length >= 3", timeout=120_000)  # the viewer draws a tab when it opens
    alts = page.evaluate(f"{drawn}.map(i => i.alt)")
    assert len(alts) >= 3 and all("Three nights" in a for a in alts), alts
