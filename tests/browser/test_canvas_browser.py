"""The journey canvas in headless Chromium, offline: renders in JupyterLab 4 and Voilà, survives 200 random edits.

Each server runs in a temporary HOME on 127.0.0.1 and every non-local request is blocked. The random-edit
test drives the real UI (keyboard, clicks, drags) with 10–50 ms between actions, presses Save, then replays
the edit messages the page sent through :func:`journeymap.widgets.canvas.protocol.replay` on a fresh copy
of the journey: the saved file must equal that journey. Screenshots go to docs/gallery/canvas_*.png.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers import CHROMIUM, free_port, stop
from servers import CHROMIUM_ARGS as ARGS

import journeymap as jm
from journeymap.widgets.canvas.protocol import replay

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "docs" / "gallery"
BIN = Path(sys.executable).parent
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")

pytestmark = pytest.mark.slow


def _notebook(folder: Path, name: str, journey: str, lang: str) -> None:
    source = (f"import journeymap as jm\ncanvas = jm.widgets.JourneyCanvas({journey!r}, lang={lang!r})\ncanvas")
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (folder / name).write_text(json.dumps(nb))


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "jupyter"),
            "JUPYTER_DATA_DIR": str(home / "jupyter-data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "IPYTHONDIR": str(home / "ipython"), "MPLBACKEND": "Agg", "DISPLAY": "", "WAYLAND_DISPLAY": ""}


def _serve(cmd: list[str], folder: Path, home: Path, port: int):
    log = home / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=folder, env=_env(home), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.3)
    stop(proc)
    pytest.fail(f"server did not start:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("canvas")
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), folder / "journey.yaml")
    shutil.copy(folder / "journey.yaml", folder / "original.yaml")
    jm.save(jm.load(jm.shipped_journey("salud_cita_medica")), folder / "salud.yaml")
    _notebook(folder, "canvas.ipynb", "journey.yaml", "en")
    _notebook(folder, "canvas_es.ipynb", "salud.yaml", "es")
    return folder


@pytest.fixture(scope="module")
def voila(workdir, tmp_path_factory):
    home, port = tmp_path_factory.mktemp("voila-home"), free_port()
    proc = _serve([str(BIN / "voila"), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", str(workdir)],
                  workdir, home, port)
    yield f"http://127.0.0.1:{port}/voila/render/"
    stop(proc)


@pytest.fixture(scope="module")
def lab(workdir, tmp_path_factory):
    home, port, token = tmp_path_factory.mktemp("lab-home"), free_port(), secrets.token_hex(8)
    proc = _serve([str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                   f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workdir}", "--allow-root"],
                  workdir, home, port)
    yield f"http://127.0.0.1:{port}/lab/tree/", token
    stop(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS,
                              env={**os.environ, "HOME": str(home)})
        yield b
        b.close()


def _page(browser, blocked, errors):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})

    def offline(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def _cards(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('.jm-card')].map(n => n.dataset.id)")


def _quiet(page, timeout: float = 30) -> None:
    """Wait until every edit the page sent is acknowledged."""
    page.wait_for_function("window.__jmCanvas && window.__jmCanvas.acked.length === window.__jmCanvas.sent.length",
                           timeout=timeout * 1000)


def _step(page, rng: random.Random, i: int) -> None:
    ids = _cards(page)
    tid = rng.choice(ids)
    card = page.locator(f'.jm-card[data-id="{tid}"]')
    kind = rng.choices(["text", "emotion", "drag", "add", "delete", "link", "share", "undo", "pain"],
                       weights=[4, 4, 1, 3, 2 if len(ids) > 6 else 0, 2, 1, 2, 1])[0]
    if kind == "text":
        card.focus(timeout=1000)
        page.keyboard.press("Enter")
        page.keyboard.insert_text(f"edit {i} <b>&amp;")
        page.keyboard.press("Enter")
    elif kind == "emotion":
        page.locator(f'.jm-dot[data-id="{tid}"]').focus(timeout=1000)
        page.keyboard.press(rng.choice(["ArrowUp", "ArrowDown"]))
    elif kind == "drag":
        box = page.locator(f'.jm-dot[data-id="{tid}"]').bounding_box(timeout=1000)
        if box:
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x, y + rng.choice([-40, 30, 60]), steps=3)
            page.mouse.up()
    elif kind == "add":
        if rng.random() < 0.7:
            card.locator(".jm-between").click(timeout=1000)
        else:
            page.locator(".jm-slot .jm-add").nth(rng.randrange(page.locator(".jm-slot").count())).click(timeout=1000)
    elif kind == "delete":
        card.locator(".jm-del").first.click(timeout=1000)
    elif kind == "link":
        card.click(timeout=1000)
        add = page.get_by_role("button", name="Add a move to")
        if add.count():
            add.click(timeout=1000)
    elif kind == "share":
        card.click(timeout=1000)
        share = page.locator(".jm-inspector input[type=number][step='0.05']").first
        if share.count():
            share.fill(str(rng.choice([0.1, 0.5, 0.9])), timeout=1000)
            share.press("Tab")
    elif kind == "undo":
        card.focus(timeout=1000)
        page.keyboard.press(rng.choice(["Control+z", "Control+z", "Control+Shift+Z"]))
    elif kind == "pain":
        card.focus(timeout=1000)
        page.locator(".jm-stickies .jm-small").filter(has_text="Add pain point").nth(ids.index(tid)).click(timeout=1000)


def _random_edits_then_save(page, workdir: Path, seed: int) -> None:
    from playwright.sync_api import Error as PlaywrightError

    rng = random.Random(seed)
    for i in range(200):
        with contextlib.suppress(PlaywrightError):  # the element went away under a re-render: pick again
            _step(page, rng, i)
        page.wait_for_timeout(rng.uniform(10, 50))
    page.get_by_role("button", name="Save", exact=True).click()
    _quiet(page, 60)
    log = page.evaluate("window.__jmCanvas")
    sent, acked = log["sent"], log["acked"]
    assert sent[-1]["op"] == "save" and acked[-1] == {**acked[-1], "op": "save", "ok": True}
    assert [a["edit"] for a in acked] == [m["edit"] for m in sent], "every edit acknowledged, in order"
    assert len(sent) >= 120, f"only {len(sent)} edits were sent"
    ops = {m["op"] for m in sent}
    assert {"set_touchpoint", "add_touchpoint", "delete_touchpoint", "undo", "add_transition"} <= ops, ops
    assert sum(a["ok"] for a in acked) >= 100
    expected = replay(workdir / "original.yaml", sent, backup_dir=workdir / "replay").session.journey
    saved = jm.load(workdir / "journey.yaml")
    assert saved == expected
    assert saved != jm.load(workdir / "original.yaml")


def test_canvas_in_voila_random_edits_save_and_screenshots(voila, workdir, browser):
    blocked, errors = [], []
    page = _page(browser, blocked, errors)
    page.goto(voila + "canvas.ipynb", timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    assert "import journeymap" not in page.inner_text("body")
    GALLERY.mkdir(parents=True, exist_ok=True)
    page.locator(".jm-card").nth(2).click()
    page.screenshot(path=str(GALLERY / "canvas_en.png"))
    _check_readable(page, 14)
    page.get_by_role("button", name="Presentation").click()
    page.wait_for_function("document.querySelector('.jm-zoom').textContent.startsWith('130')")
    page.screenshot(path=str(GALLERY / "canvas_en_zoom.png"))
    _check_readable(page, 18)
    page.get_by_role("button", name="Presentation").click()
    _random_edits_then_save(page, workdir, seed=12)
    assert errors == [], errors
    assert not [u for u in blocked if "font-awesome" not in u and "fontawesome" not in u], blocked

    es = _page(browser, [], errors)
    es.goto(voila + "canvas_es.ipynb", timeout=120_000)
    es.locator(".jm-card").first.wait_for(timeout=120_000)
    assert es.get_by_role("button", name="Deshacer").count() == 1
    es.locator(".jm-card").nth(1).click()
    es.screenshot(path=str(GALLERY / "canvas_es.png"))
    es.get_by_role("button", name="Presentación").click()
    es.wait_for_function("document.querySelector('.jm-zoom').textContent.startsWith('130')")
    es.screenshot(path=str(GALLERY / "canvas_es_zoom.png"))
    _check_readable(es, 18)
    assert errors == [], errors


def _check_readable(page, min_px: float) -> None:
    """Every visible text in the canvas is at least ``min_px`` and user text is not markup."""
    sizes = page.evaluate("""() => [...document.querySelectorAll('.jm-canvas *')]
        .filter(n => [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()) && n.getClientRects().length)
        .map(n => parseFloat(getComputedStyle(n).fontSize))""")
    assert sizes and min(sizes) >= min_px - 0.01, min(sizes)


def test_canvas_renders_in_jupyterlab(lab, workdir, browser):
    from playwright.sync_api import Error as PlaywrightError

    base, token = lab
    blocked, errors = [], []
    page = _page(browser, blocked, errors)
    page.goto(f"{base}canvas.ipynb?token={token}", timeout=120_000)
    cell = page.locator(".jp-Notebook .jp-Cell").first
    cell.wait_for(timeout=120_000)
    for _attempt in range(8):  # the kernel may still be starting, or a first key press lost while Lab settles
        page.keyboard.press("Escape")  # closes a kernel or news dialog if one is up
        cell.click()
        page.keyboard.press("Shift+Enter")
        try:
            page.locator(".jm-card").first.wait_for(timeout=15_000)
            break
        except PlaywrightError:
            continue
    page.locator(".jm-card").first.wait_for(timeout=30_000)
    dot = page.locator(".jm-dot").first
    before = page.locator("[data-total=friction]").inner_text()
    dot.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    _quiet(page)
    page.wait_for_function(f"document.querySelector('[data-total=friction]').textContent !== {before!r}")
    assert errors == [], errors
    assert not blocked, blocked
