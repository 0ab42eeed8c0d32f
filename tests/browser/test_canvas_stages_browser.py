"""Stages and backstage edited on the canvas in Voilà + headless Chromium, offline.

A facilitator adds a stage, renames it in place, moves it, adds a touchpoint in it, edits, adds and removes
backstage items, is told why a stage with touchpoints cannot be deleted, deletes an empty one, and saves: the
saved file must equal the edit messages the page sent replayed through
:func:`journeymap.widgets.canvas.protocol.replay`. The new controls are checked for clipping and overlap at
1600×1000 and in presentation zoom (screenshots in tests/browser/artifacts/), and are labelled in Spanish too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import test_canvas_browser as cb  # shared helpers: page set-up, quiet wait, overlap and readability checks
from servers import chromium
from servers import voila as voila_server

import journeymap as jm
from journeymap.widgets.canvas.protocol import replay

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.slow

#: Controls of the stage headers that are clipped by, or stick out of, their header; or overlap each other or the
#: next header (the round "+ stage" button sits in the gap between two headers).
HEADER_PROBLEMS = """() => {
  const box = (n) => n.getBoundingClientRect();
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const out = [];
  const heads = [...document.querySelectorAll('.jm-stage')];
  heads.forEach((head, i) => {
    const h = box(head);
    const name = head.querySelector('.jm-stage-name');
    const tools = [...head.querySelectorAll('.jm-stage-tools .jm-btn')];
    for (const t of [name, ...tools]) {
      const r = box(t);
      if (r.left < h.left - 0.5 || r.right > h.right + 0.5 || r.top < h.top - 0.5 || r.bottom > h.bottom + 0.5)
        out.push(`${head.dataset.stage}: ${t.className} outside its header`);
      if (t.scrollWidth > t.clientWidth + 1) out.push(`${head.dataset.stage}: ${t.className} text clipped`);
    }
    for (const t of tools) if (hit(box(t), box(name))) out.push(`${head.dataset.stage}: a tool covers the name`);
    const add = head.querySelector('.jm-stage-add');
    if (add) for (const other of heads) if (other !== head && hit(box(add), box(other)))
      out.push(`${head.dataset.stage}: + stage on ${other.dataset.stage}`);
  });
  const end = document.querySelector('.jm-stage-end .jm-btn');
  if (!end) out.push('no + stage at the end');
  else for (const head of heads) if (hit(box(end), box(head))) out.push(`+ stage at the end on ${head.dataset.stage}`);
  for (const bs of document.querySelectorAll('.jm-backstage')) {
    const r = box(bs);
    for (const b of bs.querySelectorAll('.jm-btn, .jm-bs')) {
      const q = box(b);
      if (q.right > r.right + 0.5 || q.left < r.left - 0.5) out.push(`backstage ${b.className} sticks out`);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("canvas-stages")
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), folder / "stages.yaml")
    shutil.copy(folder / "stages.yaml", folder / "stages_original.yaml")
    cb._notebook(folder, "stages.ipynb", "stages.yaml", "en")
    jm.save(jm.load(jm.shipped_journey("salud_cita_medica")), folder / "salud.yaml")
    cb._notebook(folder, "salud_es.ipynb", "salud.yaml", "es")
    return folder


@pytest.fixture(scope="module")
def voila(workdir, tmp_path_factory):
    with voila_server(workdir, tmp_path_factory.mktemp("voila-home"), cb.BIN) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-home")) as b:
        yield b


def _stages(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('.jm-stage')].map(n => n.dataset.stage)")


def _focused(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.dataset.focus")


def _rename(page, key: str, text: str) -> None:
    """Edit the text at ``data-focus=key`` in place with the keyboard: Enter, select all, type, Enter."""
    page.locator(f'[data-focus="{key}"]').focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    cb._quiet(page)


def test_stages_and_backstage_edited_on_the_board_then_saved(voila, workdir, browser):
    blocked, errors = [], []
    page = cb._page(browser, blocked, errors)
    page.goto(voila + "stages.ipynb", timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    order = ["consideration", "booking", "pre_arrival", "stay", "checkout", "loyalty"]
    assert _stages(page) == order

    # add a stage at the end: its name has the focus, Enter renames it in place
    page.get_by_role("button", name="+ Add a stage", exact=True).click()
    cb._quiet(page)
    page.wait_for_function("document.querySelectorAll('.jm-stage').length === 7")
    assert _stages(page) == [*order, "new_stage"]
    page.wait_for_function("document.activeElement && document.activeElement.dataset.focus === 'stage:new_stage'")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("Farewell")
    page.keyboard.press("Enter")
    cb._quiet(page)
    page.wait_for_function("""document.querySelector('[data-stage="new_stage"] .jm-stage-name').textContent
                              === 'Farewell'""")

    # move it two places left with the keyboard: the focus stays on its ← button
    left = page.get_by_role("button", name="Move stage left: Farewell")
    left.focus()
    page.keyboard.press("Enter")
    cb._quiet(page)
    page.wait_for_function("document.querySelectorAll('.jm-stage')[5].dataset.stage === 'new_stage'")
    assert _focused(page) == "stage-left:new_stage"
    page.keyboard.press("Enter")
    cb._quiet(page)
    page.wait_for_function("document.querySelectorAll('.jm-stage')[4].dataset.stage === 'new_stage'")
    assert _stages(page) == [*order[:4], "new_stage", *order[4:]]

    # add a touchpoint in it (the "+" at the end of the empty stage), then a backstage step on that card
    page.get_by_role("button", name="Add a touchpoint at the end of Farewell").click()
    cb._quiet(page)
    page.locator('.jm-card[data-id="new_stage_tp1"]').wait_for()
    page.get_by_role("button", name="Add backstage step: New touchpoint").click()
    cb._quiet(page)
    page.wait_for_function("document.activeElement && document.activeElement.dataset.focus === 'bs:new_stage_tp1:0'")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("Housekeeping checks the minibar")
    page.keyboard.press("Enter")
    cb._quiet(page)

    # edit a shipped backstage item in place, and remove another
    shipped = jm.load(workdir / "stages_original.yaml").touchpoint("book_web").backstage
    _rename(page, "bs:book_web:0", "Special requests go straight to the PMS")
    page.get_by_role("button", name=f"Remove: {shipped[1]}").click()
    cb._quiet(page)
    page.wait_for_function("""[...document.querySelectorAll('.jm-bs-text')].some(
                              n => n.textContent === 'Special requests go straight to the PMS')""")

    # a stage that still has touchpoints is not deleted: the reason is shown at its header
    page.get_by_role("button", name="Delete stage: Booking").click()
    cb._quiet(page)
    alert = page.locator('[data-stage="booking"] .jm-error')
    alert.wait_for()
    assert alert.text_content() == "stage 'Booking' is not empty: move or delete its 2 touchpoints first"
    assert "booking" in _stages(page)

    # a stage added between two others (the round "+" after Consideration), deleted again with its ×
    page.get_by_role("button", name="Add a stage after Consideration").click()
    cb._quiet(page)
    page.wait_for_function("document.querySelectorAll('.jm-stage')[1].dataset.stage === 'new_stage_2'")
    page.get_by_role("button", name="Delete stage: New stage").click()
    cb._quiet(page)
    page.wait_for_function("!document.querySelector('[data-stage=\"new_stage_2\"]')")
    assert _focused(page) == "stage:consideration"  # the focus goes to the stage beside it, not to the page

    # nothing clipped or overlapping, at 1600×1000 and in presentation zoom
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "canvas_stages.png"))
    page.locator('[data-stage="new_stage"]').scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "canvas_stages_new.png"))
    assert page.evaluate(HEADER_PROBLEMS) == []
    assert page.evaluate(cb.OVERLAPS) == []
    page.get_by_role("button", name="Presentation").click()
    page.wait_for_function("document.querySelector('.jm-zoom').textContent.startsWith('130')")
    assert page.evaluate(HEADER_PROBLEMS) == []
    assert page.evaluate(cb.OVERLAPS) == []
    cb._check_readable(page, 18)
    page.locator('[data-stage="new_stage"]').scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "canvas_stages_zoom.png"))
    page.locator(".jm-stage-end").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "canvas_stages_end_zoom.png"))
    page.get_by_role("button", name="Presentation").click()

    page.get_by_role("button", name="Save", exact=True).click()
    cb._quiet(page, 60)
    log = page.evaluate("window.__jmCanvas")
    sent, acked = log["sent"], log["acked"]
    assert [a["edit"] for a in acked] == [m["edit"] for m in sent]
    assert [m["op"] for m in sent] == [
        "add_stage", "set_stage", "move_stage", "move_stage", "add_touchpoint", "add_backstage", "set_backstage",
        "set_backstage", "remove_backstage", "delete_stage", "add_stage", "delete_stage", "save"]
    assert [a["ok"] for a in acked].count(False) == 1  # the refused delete
    saved = jm.load(workdir / "stages.yaml")
    assert saved == replay(workdir / "stages_original.yaml", sent, backup_dir=workdir / "replay").session.journey
    assert [s.id for s in saved.ordered_stages()] == [*order[:4], "new_stage", *order[4:]]
    assert next(s for s in saved.stages if s.id == "new_stage").name == "Farewell"
    assert saved.touchpoint("new_stage_tp1").stage == "new_stage"
    assert saved.touchpoint("new_stage_tp1").backstage == ["Housekeeping checks the minibar"]
    assert saved.touchpoint("book_web").backstage == ["Special requests go straight to the PMS", *shipped[2:]]
    assert errors == [], errors
    assert not [u for u in blocked if "font-awesome" not in u and "fontawesome" not in u], blocked


def test_stage_controls_are_labelled_in_spanish(voila, browser):
    errors: list[str] = []
    page = cb._page(browser, [], errors)
    page.goto(voila + "salud_es.ipynb", timeout=120_000)
    page.locator(".jm-card").first.wait_for(timeout=120_000)
    first = page.locator(".jm-stage .jm-stage-name").first.text_content()
    assert page.get_by_role("button", name="+ Añadir una etapa", exact=True).count() == 1
    assert page.get_by_role("button", name=f"Mover la etapa a la derecha: {first}").count() == 1
    assert page.get_by_role("button", name=f"Eliminar etapa: {first}").count() == 1
    assert page.get_by_role("button", name=f"Añadir una etapa después de {first}").count() == 1
    assert page.locator(".jm-backstage > .jm-btn").first.text_content() == "+ Añadir tarea de trastienda"
    assert page.evaluate(HEADER_PROBLEMS) == []
    page.get_by_role("button", name="Presentación").click()
    page.wait_for_function("document.querySelector('.jm-zoom').textContent.startsWith('130')")
    assert page.evaluate(HEADER_PROBLEMS) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "canvas_stages_es_zoom.png"))
    assert errors == [], errors
