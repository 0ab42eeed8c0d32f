"""The workshop app (``make workshop``: Voilà) driven in headless Chromium with the internet blocked.

One server for the module (short cull timeout). Checks: the start screen paints (first paint printed), a typo
gets a clear message, a template opens the canvas, explorer and export; zero requests leave the machine and no
icon font is needed; closing pages frees their kernels (the number of live kernels stays bounded); killing the
kernel makes the page say so with "Reload and restore", which brings the unsaved edit back.
Screenshots of the start screen and the app at 1600×1000 go to docs/gallery/workshop_*.png.

Needs ``/usr/bin/chromium``: required when ``CI=true``; skipped (loudly) elsewhere if absent.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from servers import CHROMIUM, chromium, free_port, refuse_off_machine, stop

import journeymap as jm

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "docs" / "gallery"
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")
VIEWPORT = {"width": 1600, "height": 1000}
CULL_S = 6

pytestmark = pytest.mark.slow
if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("/usr/bin/chromium is required on CI")
    pytest.skip("no /usr/bin/chromium", allow_module_level=True)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """``make workshop`` on a free port; new journeys go to a temporary folder."""
    home = tmp_path_factory.mktemp("voila-home")
    room = home / "room"
    port = free_port()
    env = {**os.environ, "HOME": str(home), "JOURNEYMAP_WORKSHOP_DIR": str(room),
           "JUPYTER_CONFIG_DIR": str(home / "jupyter"), "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython"), "MPLBACKEND": "Agg"}
    env.pop("JUPYTER_PATH", None)
    log = home / "voila.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(["make", "-s", "workshop", f"PORT={port}", f"CULL_IDLE={CULL_S}"], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    else:
        pytest.fail(f"the workshop app did not start:\n{log.read_text(errors='replace')[-3000:]}")
    yield {"url": f"http://127.0.0.1:{port}/", "room": room, "log": log, "proc": proc}
    stop(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as b:
        yield b


def open_page(browser, url, route_requests=True):
    """A fresh context; every request whose host is not this machine is logged and refused.

    Without ``route_requests`` nothing is intercepted: Playwright's interception loses the keep-alive
    requests (beacons) a page sends while it unloads, which real browsers deliver."""
    context = browser.new_context(viewport=VIEWPORT)
    off_machine: list[str] = []
    errors: list[str] = []
    if route_requests:
        refuse_off_machine(context, off_machine, LOCAL)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    start = time.monotonic()
    page.goto(url, timeout=120_000)
    page.get_by_role("button", name="Start from template").wait_for(timeout=120_000)
    return page, time.monotonic() - start, off_machine, errors


def kernels(app) -> dict[str, psutil.Process]:
    """The live kernel processes the app started, by kernel id."""
    found = {}
    for child in psutil.Process(app["proc"].pid).children(recursive=True):
        try:
            cmd = " ".join(child.cmdline())
        except psutil.Error:
            continue
        match = re.search(r"kernel-([0-9a-f-]{36})\.json", cmd)
        if "ipykernel" in cmd and match:
            found[match.group(1)] = child
    return found


def test_start_screen_template_canvas_offline(app, browser):
    from playwright.sync_api import expect

    page, first_paint, off_machine, errors = open_page(browser, app["url"])
    print(f"\nworkshop first paint: {first_paint:.2f} s (goal 5 s, ratio {first_paint / 5:.2f})")
    GALLERY.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(GALLERY / "workshop_start.png"))
    assert "import journeymap" not in page.content(), "no code is visible in the app"

    page.get_by_label("or path").fill("data/journeys/hotel_sty.yaml")
    page.get_by_role("button", name="Open journey").click()
    expect(page.get_by_role("alert").filter(has_text="There is no file at data/journeys/hotel_sty.yaml")
           ).to_be_visible(timeout=30_000)
    expect(page.get_by_role("alert")).to_contain_text("did you mean 'hotel_stay.yaml'")
    assert page.locator(".jp-OutputArea-output[data-mime-type*='error'], .jp-RenderedText[data-mime-type"
                        "='application/vnd.jupyter.stderr']").count() == 0

    page.get_by_label("Template").select_option("hotel_stay")
    page.get_by_label("Save as").fill("our_journey")
    page.get_by_role("button", name="Start from template").click()
    canvas = page.locator(".jm-canvas")
    expect(canvas).to_be_visible(timeout=60_000)
    expect(page.locator(".jm-total[data-total='friction']")).to_contain_text("/ 100")
    expect(page.get_by_role("tab", name="Where does it hurt?")).to_be_visible()
    expect(page.get_by_role("tab", name="Hand it out")).to_be_visible()
    assert (app["room"] / "our_journey.yaml").is_file()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(GALLERY / "workshop_app.png"))

    page.get_by_role("tab", name="Hand it out").click()
    page.get_by_role("button", name="Export PNG").click()
    expect(page.get_by_role("status").filter(has_text="Exported")).to_be_visible(timeout=90_000)
    assert (app["room"] / "our_journey.png").read_bytes()[:4] == b"\x89PNG"

    icons = page.evaluate("""() => [...document.querySelectorAll('.fa, .fas, .far, .fab, [class*="fa-"]')]
        .filter(e => e.offsetParent !== null).map(e => e.className)""")
    assert icons == [], f"icon-font glyphs shown (they need Font Awesome): {icons}"
    assert off_machine == [], f"requests off the machine: {off_machine}"
    assert errors == [], errors
    page.goto("about:blank")
    page.context.close()


KERNEL_ID = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
LOSE_SHUTDOWN = """() => { const beacon = navigator.sendBeacon.bind(navigator), fetch0 = window.fetch;
    navigator.sendBeacon = (url, body) => String(url).includes('/api/shutdown/') || beacon(url, body);
    window.fetch = (url, opts) => String(url).includes('/api/shutdown/') ? Promise.resolve(new Response())
                                                                          : fetch0(url, opts); }"""


def test_closing_pages_frees_their_kernels(app, browser):
    """Page close shuts the kernel down; when that request is lost, culling frees it (the backstop)."""
    page_kernels = []
    for i in range(3):
        page, _t, _off, _errors = open_page(browser, app["url"], route_requests=False)
        page_kernels.append(page.evaluate(KERNEL_ID))
        assert page_kernels[-1] in kernels(app)
        if i == 0:
            page.evaluate(LOSE_SHUTDOWN)  # as if the browser crashed or the network dropped
        page.goto("about:blank")  # leave the page as a user does (closing the context drops queued beacons)
        page.wait_for_timeout(500)
        page.context.close()
    deadline = time.monotonic() + 4 * CULL_S + 30
    while (set(page_kernels) & set(kernels(app)) or len(kernels(app)) > 1) and time.monotonic() < deadline:
        time.sleep(1)
    log = app["log"].read_text(errors="replace")
    print(f"\nlive kernels after 3 page loads and closes: {len(kernels(app))} (the ready one in the pool)")
    assert not set(page_kernels) & set(kernels(app)), log[-3000:]
    assert len(kernels(app)) <= 1
    assert "_xsrf' argument missing" not in log, "the page-close shutdown request was refused"
    assert f"Culling 'idle' kernel 'python3' ({page_kernels[0]})" in log, "the lost page was not culled"
    assert all(f"Culling 'idle' kernel 'python3' ({k})" not in log for k in page_kernels[1:]), \
        "a page close did not shut its kernel down"


def test_a_dead_kernel_is_announced_and_reload_restores(app, browser):
    from playwright.sync_api import expect

    page, _t, _off, _errors = open_page(browser, app["url"])
    kernel_id = page.evaluate(KERNEL_ID)
    page.get_by_label("Template").select_option("blank")
    page.get_by_label("Save as").fill("crash_test")
    page.get_by_role("button", name="Start from template").click()
    text = page.locator(".jm-board .jm-text").first
    expect(text).to_be_visible(timeout=60_000)
    text.focus()
    text.press("Enter")
    page.locator(".jm-board input.jm-input").first.fill("edited before the crash")
    page.locator(".jm-board input.jm-input").first.press("Enter")
    expect(page.locator(".jm-board")).to_contain_text("edited before the crash", timeout=30_000)
    path = app["room"] / "crash_test.yaml"
    deadline = time.monotonic() + 20
    while not jm.widgets.backup_path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.2)

    os.kill(kernels(app)[kernel_id].pid, signal.SIGKILL)
    expect(page.get_by_text("The app has stopped")).to_be_visible(timeout=40_000)
    page.screenshot(path=str(GALLERY / "workshop_kernel_stopped.png"))
    page.get_by_role("button", name="Reload and restore").click()
    expect(page.get_by_role("status").filter(has_text="Unsaved work restored")).to_be_visible(timeout=90_000)
    expect(page.locator(".jm-board")).to_contain_text("edited before the crash", timeout=30_000)
    assert "edited before the crash" not in path.read_text()  # restored into the page, not saved yet
    page.get_by_role("button", name="Save", exact=True).click()
    deadline = time.monotonic() + 30
    while "edited before the crash" not in path.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "edited before the crash" in path.read_text()
    page.context.close()
