"""The HTML diff page in headless Chromium (issue 17, part 4), network blocked.

A diff whose texts are markup (``<script>``, ``<img onerror>``) is opened offline: the markup shows as text,
no dialog opens, no request leaves, no console error appears, both maps load as pictures, and the rows
are marked added / removed / changed in the tables. A screenshot goes to tests/browser/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evil import EVIL_A, EVIL_B, evil_journey
from servers import CHROMIUM, chromium

import journeymap as jm

ARTIFACTS = Path(__file__).parent / "browser" / "artifacts"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    before = evil_journey()
    data = before.model_dump(by_alias=True)
    data["touchpoints"][0]["emotion"] = -2.0
    data["touchpoints"].append({"id": "evil_step", "stage": data["stages"][-1]["id"], "channel": "email",
                                "action": f"New {EVIL_A}"})
    data["transitions"].append({"from": data["touchpoints"][-2]["id"], "to": "evil_step", "share": 0.5})
    data["opportunities"] = data["opportunities"][1:]
    after = jm.Journey.model_validate(data)
    out = tmp_path_factory.mktemp("diff") / "diff.html"
    jm.diff(before, after).write(out)
    return out


def test_diff_page_offline_safe_and_marked(page_file, tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        blocked, errors, dialogs = [], [], []

        def route(r):
            if r.request.url.startswith(("file:", "data:", "about:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        sizes = page.eval_on_selector_all(".maps img", "imgs => imgs.map(i => [i.naturalWidth, i.complete])")
        assert len(sizes) == 2 and all(w > 500 and done for w, done in sizes)
        text = page.inner_text("body")
        assert EVIL_A in text and EVIL_B in text  # shown as text, not run
        assert page.locator("script").count() == 0
        assert page.locator("table[data-section='touchpoints'] tr.added td.id").inner_text() == "evil_step"
        assert page.locator("table[data-section='opportunities'] tr.removed").count() == 1
        assert page.locator("table[data-section='touchpoints'] tr.changed").count() >= 1
        badge = page.locator("tr.added .badge").first
        assert badge.inner_text() == "added"  # a word, not only a colour
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "diff_page.png"), full_page=True)
        context.close()
    assert not blocked and not dialogs and not errors
