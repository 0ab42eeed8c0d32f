"""The workshop app (``make workshop``: Voilà) driven in headless Chromium with the internet blocked.

Starts the app on 127.0.0.1 on a free port, waits for the widgets, moves a touchpoint's emotion slider
with the keyboard, checks that the friction total on screen changes, presses Save and checks the file on
disk changed and still loads; then types a touchpoint action containing ``<img src=x onerror=alert(1)>``
and checks no dialog fires and the text shows literally. A screenshot goes to tests/browser/artifacts/.

Needs ``/usr/bin/chromium``: required when ``CI=true``; skipped (loudly) elsewhere if absent.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from servers import CHROMIUM, free_port, stop
from servers import CHROMIUM_ARGS as ARGS

import journeymap as jm

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).parent / "artifacts"
EVIL = "<img src=x onerror=alert(1)>"
TOTAL = re.compile(r"Friction: (\d+\.\d) / 100")

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def workshop_app(tmp_path_factory):
    """``make workshop`` on a free port, editing a journey file in a temporary folder."""
    home = tmp_path_factory.mktemp("voila-home")
    journey_file = home / "room" / "our_journey.yaml"
    port = free_port()
    env = {**os.environ, "HOME": str(home), "JOURNEYMAP_WORKSHOP_FILE": str(journey_file),
           "JOURNEYMAP_TEMPLATE": "hotel_stay", "JUPYTER_CONFIG_DIR": str(home / "jupyter"),
           "JUPYTER_DATA_DIR": str(home / "jupyter-data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "IPYTHONDIR": str(home / "ipython"), "MPLBACKEND": "Agg"}
    log = home / "voila.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(["make", "-s", "workshop", f"PORT={port}"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    else:
        pytest.fail(f"the workshop app did not start:\n{log.read_text(errors='replace')[-3000:]}")
    yield f"http://127.0.0.1:{port}/", journey_file, log
    stop(proc)


def test_workshop_app_edit_score_save_and_escape(workshop_app, tmp_path_factory):
    from playwright.sync_api import expect, sync_playwright

    url, journey_file, _log = workshop_app
    home = tmp_path_factory.mktemp("chromium-home")
    dialogs, page_errors, blocked = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS,
                                    env={**os.environ, "HOME": str(home)})
        context = browser.new_context(viewport={"width": 1500, "height": 1100})

        def offline(route):
            if route.request.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", offline)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.goto(url, timeout=180_000)
        try:
            slider = page.locator(".widget-slider").filter(
                has=page.locator(".widget-label", has_text=re.compile(r"^emotion$"))).first
            slider.wait_for(timeout=180_000)
            assert "import journeymap" not in page.content(), "no code is visible in the app"
            label = page.get_by_text(TOTAL).first
            expect(label).to_be_visible(timeout=60_000)
            before_total = TOTAL.search(label.inner_text()).group(1)
            before_file = journey_file.read_text()
            readout = slider.locator(".widget-readout").inner_text()
            handle = slider.locator(".noUi-handle")
            handle.focus()
            handle.press("Home" if float(readout) > -2 else "End")
            expect(label).not_to_have_text(re.compile(rf"Friction: {re.escape(before_total)} / 100"),
                                           timeout=60_000)
            after_total = TOTAL.search(label.inner_text()).group(1)
            assert after_total != before_total

            page.get_by_role("button", name="Save", exact=True).click()
            deadline = time.monotonic() + 60
            while journey_file.read_text() == before_file and time.monotonic() < deadline:
                time.sleep(0.2)
            saved = jm.load(journey_file)
            assert journey_file.read_text() != before_file
            assert f"{jm.score(saved).total:.1f}" == after_total

            action = page.locator(".widget-textarea").filter(
                has=page.locator(".widget-label", has_text=re.compile(r"^action$"))).locator("textarea").first
            action.fill(EVIL)
            action.press("Tab")
            option = page.locator("select option", has_text=EVIL)
            expect(option.first).to_be_attached(timeout=60_000)
            assert EVIL in option.first.inner_text().replace("\xa0", " ")  # the Select shows spaces as nbsp
            assert action.input_value() == EVIL
            page.wait_for_timeout(1000)
            assert dialogs == [], f"a dialog fired: {dialogs}"
            assert page_errors == [], f"JavaScript errors: {page_errors}"
            assert not [u for u in blocked if "font-awesome" not in u and "fontawesome" not in u], blocked
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "workshop_app.png"), full_page=False)
            browser.close()
