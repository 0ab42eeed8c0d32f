"""HTML exports in headless Chromium (Debian's, driven by Playwright), with the network blocked.

A journey whose texts contain ``<script>alert(1)</script>`` and ``<img src=x onerror=alert(1)>``
is exported as the HTML report and as network pages. In the browser those strings must show as
text, no dialog may open, no request may leave the machine, no console error may appear, and the
network view must draw its canvas. Screenshots go to ``tests/browser/artifacts/`` (git-ignored).

Needs ``/usr/bin/chromium``: required when ``CI=true``; skipped (loudly) elsewhere if absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evil import EVIL_A, EVIL_B, evil_journey
from servers import chromium

from journeymap.exporting import export

ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.slow





@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as b:
        yield b


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    j = evil_journey()
    return {
        "report": export(j, out / "report.html"),
        "network": export(j, out / "network.html", kind="network"),
        "network-full": export(j, out / "network_full.html", kind="network-full"),
    }


class Page:
    """A page opened offline, recording dialogs, console errors and attempted requests."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.dialogs, self.errors, self.blocked = [], [], []

        def route(r):
            if r.request.url.startswith(("file:", "data:", "about:")):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())

    def check_clean(self):
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.blocked == [], f"external requests attempted: {self.blocked}"

    def close(self):
        self.context.close()


def _canvas_ink(frame) -> int:
    """Non-white pixels on the network canvas."""
    return frame.evaluate("""() => {
        const c = document.querySelector('#jm-network canvas');
        if (!c) return 0;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++;
        return n;
    }""")


def _check_network(frame, title_text: str):
    # polled from Python: the page's Content-Security-Policy (rightly) forbids Playwright's eval-based waits
    for _ in range(150):
        if frame.evaluate("() => document.body.getAttribute('data-drawn')") == "yes":
            break
        frame.page.wait_for_timeout(100)
    else:
        raise AssertionError("the network never finished drawing")
    assert _canvas_ink(frame) > 2000, "the network canvas is blank"
    assert frame.locator("h1").inner_text() == title_text
    assert frame.evaluate("() => document.querySelectorAll('script').length") == 2
    assert frame.evaluate("() => document.querySelectorAll('img').length") == 0


@pytest.mark.parametrize("kind", ["network", "network-full"])
def test_network_page_draws_offline_and_shows_evil_text_as_text(browser, files, kind):
    ARTIFACTS.mkdir(exist_ok=True)
    view = Page(browser, files[kind])
    try:
        page = view.page
        title = f"Evil {EVIL_A} {EVIL_B}"
        _check_network(page.main_frame, title)
        # hover the first touchpoint: its tooltip must hold the raw text, as text
        node = "ig_ad" if kind == "network" else "touchpoint:ig_ad"
        x, y = page.evaluate(f"""() => {{
            const n = window.jmNetwork, p = n.canvasToDOM(n.getPositions(['{node}'])['{node}']);
            const r = document.querySelector('#jm-network').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }}""")
        page.mouse.move(x, y)
        tip = page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5000)
        assert f"Action {EVIL_A} {EVIL_B}" in tip.inner_text()
        # set as text (innerText): only the <br>s of line breaks, no parsed <script>/<img>
        assert tip.evaluate("t => [...t.querySelectorAll('*')].every(c => c.tagName === 'BR')")
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"{kind}.png"))
        view.check_clean()
    finally:
        view.close()


def test_report_shows_evil_text_as_text_and_draws_the_network(browser, files):
    ARTIFACTS.mkdir(exist_ok=True)
    view = Page(browser, files["report"])
    try:
        page = view.page
        assert page.locator("h1").first.inner_text() == f"Evil {EVIL_A} {EVIL_B}"
        assert page.get_by_text(f"Persona {EVIL_A}", exact=False).count() >= 1
        assert page.locator("li", has_text=EVIL_B).count() >= 1
        assert page.evaluate("() => document.querySelectorAll('script').length") == 0
        assert page.evaluate("() => document.querySelectorAll('img:not(.chart)').length") == 0
        page.screenshot(path=str(ARTIFACTS / "report_top.png"))
        iframe = page.locator("iframe")
        iframe.scroll_into_view_if_needed()  # Chromium throttles off-screen frames
        frame = next(f for f in page.frames if f != page.main_frame)
        _check_network(frame, f"Evil {EVIL_A} {EVIL_B}")
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "report_network.png"))
        # every chart image decoded (inline data: URLs, no fetch)
        sizes = page.evaluate("() => [...document.querySelectorAll('img.chart')].map(i => i.naturalWidth)")
        assert sizes and all(w > 100 for w in sizes)
        view.check_clean()
    finally:
        view.close()
