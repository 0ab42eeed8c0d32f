"""The canvas marks a card whose step is detailed by a sub-journey (headless Chromium, no server).

The canvas ES module is rendered into a blank page with a stand-in anywidget model holding the state
:func:`journeymap.widgets.canvas.state.build_state` makes. Needs ``/usr/bin/chromium`` (skipped if absent).
"""

from __future__ import annotations

import base64
import json

import pytest
from servers import CHROMIUM, chromium

import journeymap as jm
from journeymap.widgets.canvas.state import build_state
from journeymap.widgets.canvas.widget import HERE, load_esm

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]

PAGE = """<!doctype html><html><head><style>{css}</style></head><body><div id="root"></div>
<script type="module">
const state = {state};
const handlers = {{}};
const model = {{
  get: (k) => ({{ state, rev: 0, zoom: 1 }})[k],
  set() {{}}, save_changes() {{}}, send() {{}},
  on: (name, f) => {{ handlers[name] = f; }}, off() {{}},
}};
const mod = await import("data:text/javascript;base64,{esm}");
mod.default.render({{ model, el: document.getElementById("root") }});
window.rendered = true;
</script></body></html>"""


@pytest.mark.parametrize("lang, mark", [("en", "↳ detail"), ("es", "↳ detalle")])
def test_canvas_card_shows_the_drill_down_mark(tmp_path, lang, mark):
    journey = jm.Journey.model_validate({
        "id": "p", "title": "P", "stages": [{"id": "s", "name": "S"}],
        "touchpoints": [{"id": "a", "stage": "s", "channel": "website", "action": "Plain step"},
                        {"id": "b", "stage": "s", "channel": "website", "action": "Detailed step",
                         "detail": "sub/onboarding.yaml"}]})
    state = build_state(journey, lang)
    assert state["cards"]["b"]["detail"] == "sub/onboarding.yaml" and state["cards"]["a"]["detail"] is None
    esm = base64.b64encode(load_esm().encode()).decode()
    html = PAGE.format(css=(HERE / "canvas.css").read_text(), state=json.dumps(state), esm=esm)
    with chromium(tmp_path / "home") as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_content(html)
        page.wait_for_function("window.rendered === true", timeout=20000)
        marks = page.eval_on_selector_all(".jm-detail", "ns => ns.map(n => [n.textContent, n.title])")
        assert marks == [[mark, "sub/onboarding.yaml"]], (marks, errors)
        assert not errors
