"""The journey canvas in headless Chromium, offline: renders in JupyterLab 4 and Voilà, survives 200 random edits.

Each server runs in a temporary HOME on 127.0.0.1 and every non-local request is blocked. The random-edit
test drives the real UI (keyboard, clicks, drags) with 10–50 ms between actions, presses Save, then replays
the edit messages the page sent through :func:`journeymap.widgets.canvas.protocol.replay` on a fresh copy
of the journey: the saved file must equal that journey. Screenshots go to docs/gallery/canvas_*.png.
"""

from __future__ import annotations

import contextlib
import random
import secrets
import shutil
import sys
from pathlib import Path

import pytest
from servers import chromium, free_port, refuse_off_machine, serve, stop, write_notebook
from servers import voila as voila_server

import journeymap as jm
from journeymap.widgets.canvas.protocol import replay

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "docs" / "gallery"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


#: Test scaffolding: renaming a stage takes the kernel 1.2 s, so the busy indicator must show.
SLOW_STAGE_RENAME = """
import time
_apply = canvas._apply
def _slow(msg):
    if msg.get("op") == "set_stage":
        time.sleep(1.2)
    return _apply(msg)
canvas._apply = _slow
"""


def _notebook(folder: Path, name: str, journey: str, lang: str, extra: str = "") -> None:
    source = (f"import journeymap as jm\ncanvas = jm.widgets.JourneyCanvas({journey!r}, lang={lang!r})\n{extra}canvas")
    write_notebook(folder / name, source)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("canvas")
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), folder / "journey.yaml")
    shutil.copy(folder / "journey.yaml", folder / "original.yaml")
    jm.save(jm.load(jm.shipped_journey("salud_cita_medica")), folder / "salud.yaml")
    _notebook(folder, "canvas.ipynb", "journey.yaml", "en")
    _notebook(folder, "canvas_es.ipynb", "salud.yaml", "es")
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), folder / "drag.yaml")
    _notebook(folder, "drag.ipynb", "drag.yaml", "en", extra=SLOW_STAGE_RENAME)
    return folder


@pytest.fixture(scope="module")
def voila(workdir, tmp_path_factory):
    with voila_server(workdir, tmp_path_factory.mktemp("voila-home"), BIN) as url:
        yield url


@pytest.fixture(scope="module")
def lab(workdir, tmp_path_factory):
    home, port, token = tmp_path_factory.mktemp("lab-home"), free_port(), secrets.token_hex(8)
    proc = serve([str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                   f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workdir}", "--allow-root"],
                  workdir, home, port)
    yield f"http://127.0.0.1:{port}/lab/tree/", token
    stop(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as b:
        yield b


def _page(browser, blocked, errors):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    refuse_off_machine(context, blocked)
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
    kind = rng.choices(["text", "emotion", "drag", "add", "delete", "link", "share", "undo", "pain", "stage",
                        "backstage"], weights=[4, 4, 1, 3, 2 if len(ids) > 6 else 0, 2, 1, 2, 1, 1, 1])[0]
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
    elif kind == "stage":  # add one (between two or at the end), move one left/right, delete one (refused if not empty)
        head = page.locator(".jm-stage").nth(rng.randrange(page.locator(".jm-stage").count()))
        action = rng.choice(["add", "add", "left", "right", "del"])
        if action == "add":
            between = head.locator(".jm-stage-add")
            (between if between.count() else page.locator(".jm-stage-end .jm-btn")).click(timeout=1000)
        else:
            button = head.locator(f'[data-focus^="stage-{action}:"]')
            if button.is_enabled(timeout=1000):
                button.click(timeout=1000)
    elif kind == "backstage":  # edit an item in place, remove one, or add one, in the card's backstage lane
        lane = page.locator(".jm-backstage").nth(ids.index(tid))
        items = lane.locator(".jm-bs")
        if items.count() and rng.random() < 0.6:
            item = items.nth(rng.randrange(items.count()))
            if rng.random() < 0.7:
                item.locator(".jm-bs-text").focus(timeout=1000)
                page.keyboard.press("Enter")
                page.keyboard.insert_text(f" bs{i}")
                page.keyboard.press("Enter")
            else:
                item.locator(".jm-del").click(timeout=1000)
        else:
            lane.locator(":scope > .jm-btn").click(timeout=1000)


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
    assert page.evaluate(OVERLAPS) == []
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
    assert es.evaluate(OVERLAPS) == []  # the busy salud flow: no label on another, no arc in the stage headers
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


def _drag(page, source, target, steps: int = 8) -> None:
    """Press on ``source``, move the mouse to ``target`` in steps, release (real pointer/drag events)."""
    a, b = source.bounding_box(), target.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=steps)
    page.mouse.up()


def _last_ack(page) -> dict:
    _quiet(page)
    return page.evaluate("window.__jmCanvas.acked[window.__jmCanvas.acked.length - 1]")


def test_drag_cards_connect_select_arrows_and_busy_indicator(voila, workdir, browser):
    blocked, errors = [], []
    page = _page(browser, blocked, errors)
    page.goto(voila + "drag.ipynb", timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    card = lambda tid: page.locator(f'.jm-card[data-id="{tid}"]')  # noqa: E731
    link = lambda key: page.locator(f'.jm-link-g[data-key="{key}"]')  # noqa: E731

    # every transition is drawn; the loop front_desk -> room_entry goes back (dashed arc)
    assert page.locator(".jm-link-g").count() == 21
    assert "jm-back" in link("front_desk->room_entry").get_attribute("class")
    assert "jm-back" not in link("search_hotel->book_web").get_attribute("class")
    assert link("search_hotel->review_check").locator(".jm-flow-label").text_content() == "55%"

    # click the arrow: the inspector edits that move (share, context, recognised, pain points)
    link("book_web->confirm_email").locator(".jm-flow-label").click()  # the label, or the arrow's stroke
    inspector = page.locator(".jm-inspector")
    assert inspector.locator("h3").text_content().startswith("Selected move from")
    share = inspector.locator("input[type=number]")
    share.fill("0.8")
    share.press("Tab")
    _quiet(page)
    page.wait_for_function("""document.querySelector('.jm-link-g[data-key="book_web->confirm_email"] .jm-flow-label')
                              .textContent === '80%'""")
    inspector.get_by_role("button", name="+ Add pain point").click()
    _quiet(page)
    page.wait_for_function("""document.querySelector('.jm-link-g[data-key="book_web->confirm_email"]')
                              .classList.contains('jm-has-pain')""")
    assert "⚠1" in link("book_web->confirm_email").locator(".jm-flow-label").text_content()
    assert "jm-selected" in link("book_web->confirm_email").get_attribute("class")

    # reorder inside a stage: drop review_check on search_hotel puts it first
    _drag(page, card("review_check"), card("search_hotel"))
    assert _last_ack(page)["op"] == "move_touchpoint"
    page.wait_for_function("document.querySelector('.jm-card').dataset.id === 'review_check'")
    assert _cards(page)[:2] == ["review_check", "search_hotel"]

    # move to another stage: drop confirm_email (Booking) on the end slot of "Consideration"
    _drag(page, card("confirm_email"), page.locator(".jm-slot").first)
    ack = _last_ack(page)
    assert ack["op"] == "move_touchpoint" and ack["target"] == "confirm_email" and ack["ok"], ack
    page.wait_for_function("document.querySelectorAll('.jm-card')[2].dataset.id === 'confirm_email'")

    # drag from a card's connector handle to another card adds a move; it is drawn as an arrow
    _drag(page, card("review_check").locator(".jm-connect"), card("confirm_email"), steps=12)
    ack = _last_ack(page)
    assert ack["op"] == "add_transition" and ack["ok"], ack
    link("review_check->confirm_email").wait_for()
    assert page.locator(".jm-connect-overlay").count() == 0

    # keyboard: Enter on an arrow selects it too
    link("offer_email->rebook").locator(".jm-arrow-hit").focus()
    page.keyboard.press("Enter")
    assert "jm-selected" in link("offer_email->rebook").get_attribute("class")

    # anything over 300 ms shows the busy indicator (the notebook makes a stage rename take 1.2 s)
    page.locator(".jm-stage-name").first.dblclick()
    page.keyboard.insert_text(" slow")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.jm-status').textContent === 'Working…'", timeout=1100)
    _quiet(page)
    page.wait_for_function("document.querySelector('.jm-status').textContent !== 'Working…'", timeout=2000)

    page.get_by_role("button", name="Save", exact=True).click()
    assert _last_ack(page)["op"] == "save"
    saved = jm.load(workdir / "drag.yaml")
    moves = {tr.key: tr for tr in saved.transitions}
    assert saved.touchpoint("confirm_email").stage == "consideration"
    assert [tp.id for tp in saved.touchpoints if tp.stage == "consideration"] == [
        "review_check", "search_hotel", "confirm_email"]
    assert moves["book_web->confirm_email"].share == 0.8
    assert len(moves["book_web->confirm_email"].pain_points) == 1
    assert "review_check->confirm_email" in moves
    assert saved.stages[0].name.endswith(" slow")
    assert errors == [], errors


#: Boxes that overlap: flow labels with each other and the stage headers, move notes with cards and other notes.
OVERLAPS = """() => {
  const box = (n) => n.getBoundingClientRect();
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const out = [];
  const labels = [...document.querySelectorAll('.jm-link-g')]
    .map((g) => [g.dataset.key, box(g.querySelector('.jm-flow-label'))]);
  labels.forEach(([k, a], i) => labels.slice(i + 1)
    .forEach(([l, b]) => { if (hit(a, b)) out.push(`label ${k} / ${l}`); }));
  const stages = [...document.querySelectorAll('.jm-stage')].map(box);
  const arcs = [...document.querySelectorAll('.jm-arrow')].map(box);
  for (const s of stages) {
    for (const [k, a] of labels) if (hit(a, s)) out.push(`label ${k} / stage header`);
    for (const a of arcs) if (a.top < s.bottom && a.right > s.left && a.left < s.right) out.push('arc in header band');
  }
  const notes = [...document.querySelectorAll('.jm-stickies, .jm-handoffs, .jm-card')];
  for (const n of document.querySelectorAll('.jm-handoff'))
    for (const m of notes) if (!m.contains(n) && hit(box(n), box(m))) out.push(`${n.dataset.key} / ${m.className}`);
  return out;
}"""


def test_pain_points_on_a_move_are_sticky_notes_edited_in_place(voila, workdir, browser):
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), workdir / "handoff.yaml")
    _notebook(workdir, "handoff.ipynb", "handoff.yaml", "en")
    errors: list[str] = []
    page = _page(browser, [], errors)
    page.goto(voila + "handoff.ipynb", timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    key = "search_hotel->book_web"  # an arc over review_check, no pain points yet
    notes = page.locator(f'.jm-handoff[data-key="{key}"]')
    assert notes.count() == 0
    # the move that has a pain point in the shipped journey shows it as a note on the board already
    shipped = page.locator('.jm-handoff[data-key="confirm_email->online_checkin"] .jm-pain .jm-sticky-text')
    assert shipped.count() == 1 and shipped.text_content().startswith("The booking made on the website")

    # select the arrow, add a pain point: it appears as a note on the board, under the source card
    page.locator(f'.jm-link-g[data-key="{key}"] .jm-flow-label').click()
    page.locator(".jm-inspector").get_by_role("button", name="+ Add pain point").click()
    _quiet(page)
    notes.wait_for()
    group = notes.get_attribute("aria-label")
    assert group.startswith("Pain points, Move: Searches") and "→ Books three nights" in group, group
    assert "⚠1" in page.locator(f'.jm-link-g[data-key="{key}"] .jm-flow-label').text_content()
    note = notes.locator(".jm-pain .jm-sticky-text")
    assert note.text_content() == "New pain point"
    a, b = notes.bounding_box(), page.locator('.jm-card[data-id="search_hotel"]').bounding_box()
    assert abs(a["x"] - b["x"]) < 2, "the notes of a move sit in its source card's column"

    # edit its text in place, with the keyboard
    note.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("Ad price differs from the site")
    page.keyboard.press("Enter")
    _quiet(page)
    page.wait_for_function(f"""document.querySelector('.jm-handoff[data-key="{key}"] .jm-sticky-text')
                              .textContent === 'Ad price differs from the site'""")
    # a second note from the board's own button, then removed with its × (add_pain / remove_pain on the move)
    notes.get_by_role("button", name="Add pain point: Searches").click()
    _quiet(page)
    page.wait_for_function(f"document.querySelectorAll('.jm-handoff[data-key=\"{key}\"] .jm-pain').length === 2")
    notes.locator(".jm-pain").nth(1).get_by_role("button", name="Remove: New pain point").click()
    _quiet(page)
    page.wait_for_function(f"document.querySelectorAll('.jm-handoff[data-key=\"{key}\"] .jm-pain').length === 1")
    sent = [m["op"] for m in page.evaluate("window.__jmCanvas.sent")]
    assert sent == ["add_pain", "set_pain", "add_pain", "remove_pain"], sent

    # the group's head selects the move; nothing overlaps at normal and presentation zoom
    notes.locator(".jm-handoff-to").click()
    assert "jm-selected" in page.locator(f'.jm-link-g[data-key="{key}"]').get_attribute("class")
    assert "jm-selected" in notes.get_attribute("class")
    assert page.evaluate(OVERLAPS) == []
    page.get_by_role("button", name="Presentation").click()
    page.wait_for_function("document.querySelector('.jm-zoom').textContent.startsWith('130')")
    assert page.evaluate(OVERLAPS) == []
    _check_readable(page, 18)

    page.get_by_role("button", name="Save", exact=True).click()
    assert _last_ack(page)["op"] == "save"
    saved = {tr.key: tr for tr in jm.load(workdir / "handoff.yaml").transitions}
    assert [p.text for p in saved[key].pain_points] == ["Ad price differs from the site"]
    assert len(saved["confirm_email->online_checkin"].pain_points) == 1
    assert errors == [], errors


LABEL_COVERED = """() => {
  // Each lane label is a frozen column: across the whole height of its lane, the strip it occupies must show
  // the label, never a card, a note or a button scrolling past (they go under it).
  const out = [];
  const grid = document.querySelector('.jm-grid');
  for (const label of document.querySelectorAll('.jm-lane-label')) {
    const row = getComputedStyle(label).gridRowStart;
    const inRow = [...grid.children].filter(e => e !== label && getComputedStyle(e).gridRowStart === row);
    if (!inRow.length) continue;
    const top = Math.min(...inRow.map(e => e.getBoundingClientRect().top));
    const bottom = Math.max(...inRow.map(e => e.getBoundingClientRect().bottom));
    const r = label.getBoundingClientRect();
    for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.05, 0.25, 0.5, 0.75, 0.95]) {
      const x = r.left + r.width * fx, y = top + (bottom - top) * fy;
      if (y < 0 || y > innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit && hit.closest('.jm-card, .jm-sticky, .jm-btn, .jm-slot, .jm-between'))
        out.push(`${label.textContent} at ${fx},${fy}: ${hit.className}`);
    }
  }
  return out;
}"""


def test_lane_labels_stay_readable_when_the_board_scrolls_sideways(voila, browser):
    blocked, errors = [], []
    page = _page(browser, blocked, errors)
    page.set_viewport_size({"width": 1000, "height": 1000})  # narrower than the board: it scrolls
    page.goto(voila + "canvas.ipynb", timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    board = page.locator(".jm-board")
    assert page.evaluate("document.querySelector('.jm-board').scrollWidth > "
                         "document.querySelector('.jm-board').clientWidth")
    for left in (0, 220, 460, 900):
        board.evaluate(f"b => b.scrollLeft = {left}")
        page.wait_for_timeout(100)
        assert page.evaluate(LABEL_COVERED) == [], left
    page.screenshot(path=str(Path(__file__).parent / "artifacts" / "canvas_scrolled_labels.png"))
    assert not errors
