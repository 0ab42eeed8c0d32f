"""The workshop app's start screen and workspace (journeymap.widgets.workshop), without a browser."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import journeymap as jm
from journeymap.templates import from_template
from journeymap.widgets.session import EditSession, backup_path
from journeymap.widgets.workshop import (
    ChoiceError,
    WorkshopApp,
    journey_files,
    kernel_watch,
    new_from_template,
    open_existing,
    restore_request,
    unsaved_work,
)

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("anywidget")


def edit(canvas, target, **fields):
    return canvas.edit({"type": "edit", "edit": f"e{canvas.controller.rev}", "op": "set_touchpoint",
                        "target": target, "fields": fields, "rev": canvas.controller.rev})


def test_a_typo_in_the_template_name_says_did_you_mean(tmp_path):
    with pytest.raises(ChoiceError, match=r"There is no template 'hotel_stai': did you mean 'hotel_stay'\?"):
        new_from_template("hotel_stai", folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_new_from_template_writes_the_template_and_never_overwrites(tmp_path):
    path = new_from_template("hotel_stay", "room one", folder=tmp_path)
    assert path == tmp_path / "room one.yaml"
    assert jm.load(path) == from_template("hotel_stay")
    with pytest.raises(ChoiceError, match="already exists: open it"):
        new_from_template("blank", "room one.yaml", folder=tmp_path)
    assert jm.load(path) == from_template("hotel_stay")
    with pytest.raises(ChoiceError, match="without folders"):
        new_from_template("blank", "../escape.yaml", folder=tmp_path)
    assert not (tmp_path.parent / "escape.yaml").exists()


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: "", "Pick a journey file"),
    (lambda d: str(d / "missing.yaml"), "There is no file at"),
    (lambda d: str(d), "is a folder"),
    (lambda d: (d / "notes.txt").write_text("x") and str(d / "notes.txt"), "is not a journey file"),
    (lambda d: (d / "bad.yaml").write_text("stages: [1\n") and str(d / "bad.yaml"), "does not load: "),
    (lambda d: (d / "wrong.yaml").write_text("title: 3\n") and str(d / "wrong.yaml"), "does not load: "),
])
def test_a_bad_file_choice_gets_a_one_line_message(tmp_path, make, message):
    with pytest.raises(ChoiceError, match=message) as info:
        open_existing(make(tmp_path))
    assert "\n" not in str(info.value) and "Traceback" not in str(info.value)


def test_a_near_miss_file_name_is_suggested(tmp_path):
    jm.save(from_template("blank"), tmp_path / "our_journey.yaml")
    with pytest.raises(ChoiceError, match=r"did you mean 'our_journey\.yaml'"):
        open_existing(tmp_path / "our_journy.yaml")


def test_restore_request_reads_the_page_query():
    assert restore_request("restore=%2Ftmp%2Fa%20b.yaml&x=1") == "/tmp/a b.yaml"
    assert restore_request("") is None


def test_start_screen_lists_templates_and_journeys_and_shows_errors_in_place(tmp_path):
    app = WorkshopApp(folder=tmp_path, query="")
    assert "blank" in app.template.options and "hotel_stay" in app.template.options
    assert any(str(label).endswith("hotel_stay.yaml") for label, _p in app.files.options)
    app.path.value = str(tmp_path / "nope.yaml")
    app.open_button.click()  # a typo: a message on the start screen, never an exception
    assert "There is no file at" in app.message.value and "role='alert'" in app.message.value
    assert app.widget.children[1] is app.start_screen and app.canvas is None
    app.path.value = "<b>x</b>.yaml"
    app.open_button.click()
    assert "<b>" not in app.message.value and "&lt;b&gt;" in app.message.value


def test_starting_from_a_template_opens_canvas_explorer_and_export(tmp_path):
    app = WorkshopApp(folder=tmp_path, query="")
    app.template.value = "hotel_stay"
    app.new_button.click()
    assert app.canvas is not None and app.canvas.session.path == tmp_path / "hotel_stay.yaml"
    assert app.widget.children[1] is app.workspace
    assert app.canvas in app.workspace.children and app.explorer.widget in app.tabs.children[0].children
    assert app.watch.path == str(tmp_path / "hotel_stay.yaml")
    tp = app.canvas.journey.touchpoints[0]
    emotion = -2.0 if tp.emotion != -2 else 2.0
    assert edit(app.canvas, tp.id, emotion=emotion)["ok"]
    assert app.explorer.journey.touchpoints[0].emotion == emotion  # the explorer follows the canvas
    app.tabs.selected_index = 1
    edit(app.canvas, tp.id, emotion=0.0)
    assert app.explorer.journey.touchpoints[0].emotion == emotion  # hidden: not redrawn on every edit …
    app.tabs.selected_index = 0
    assert app.explorer.journey.touchpoints[0].emotion == 0.0  # … but up to date when shown


def test_export_buttons_write_next_to_the_journey(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    app = WorkshopApp(folder=tmp_path, query="")
    app.new_button.click()
    panel = app.tabs.children[1]
    buttons = {b.description: b for b in panel.children[1].children}
    buttons["Export PNG"].click()
    status = panel.children[2].value
    assert (tmp_path / "blank.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", status
    assert "Exported" in status
    assert not any(b.disabled for b in buttons.values())


def _crash_after_an_edit(path: Path) -> EditSession:
    session = EditSession(path)
    tp = session.journey.touchpoints[0]
    session.set_touchpoint(tp.id, action="changed before the crash")
    session._write_backup()
    future = time.time() + 5
    os.utime(backup_path(path), (future, future))
    return session


def test_unsaved_work_is_offered_on_the_start_screen_and_restored(tmp_path):
    path = new_from_template("hotel_stay", folder=tmp_path)
    _crash_after_an_edit(path)
    assert unsaved_work(tmp_path) == [path]
    app = WorkshopApp(folder=tmp_path, query="")
    buttons = [b for b in app.unsaved_box.children if getattr(b, "description", "").startswith("Open ")]
    assert [b.description for b in buttons] == ["Open hotel_stay.yaml and restore"]
    buttons[0].click()
    assert app.canvas.journey.touchpoints[0].action == "changed before the crash"
    tp_id = app.canvas.journey.touchpoints[0].id
    assert app.canvas.state["cards"][tp_id]["action"] == "changed before the crash"  # the page sees it too
    assert app.canvas.controller.rev == 1 and app.canvas.rev == 1
    assert jm.load(path).touchpoints[0].action != "changed before the crash"  # only Save writes the file


def test_reload_and_restore_address_opens_the_journey_and_restores_its_backup(tmp_path):
    path = new_from_template("blank", folder=tmp_path)
    _crash_after_an_edit(path)
    app = WorkshopApp(folder=tmp_path, query="restore=" + str(path))
    assert app.canvas is not None and app.canvas.session.path == path
    assert app.canvas.journey.touchpoints[0].action == "changed before the crash"
    assert "Unsaved work restored" in app.restore_box.children[0].value


def test_a_preheated_app_looks_at_the_disk_when_the_page_connects(tmp_path):
    app = WorkshopApp(folder=tmp_path, query="")  # run before any page exists (Voilà preheat)
    path = new_from_template("blank", folder=tmp_path)
    _crash_after_an_edit(path)
    assert app.unsaved_box.children == ()
    sent = []
    app.watch.send = sent.append
    app.watch._handle_custom_msg({"type": "ping", "query": ""}, [])
    assert sent == [{"type": "pong"}]
    assert [b.description for b in app.unsaved_box.children[1:]] == ["Open blank.yaml and restore"]
    assert path in [p for _label, p in app.files.options]
    app.watch._handle_custom_msg({"type": "ping", "query": "restore=" + str(path)}, [])
    assert app.canvas is None  # only the first ping counts


def test_the_restore_offer_can_be_discarded(tmp_path):
    path = new_from_template("blank", folder=tmp_path)
    _crash_after_an_edit(path)
    app = WorkshopApp(folder=tmp_path, query="")
    app.open(path)
    assert [b.description for b in app.restore_box.children[1:]] == ["Restore unsaved work", "Discard it"]
    app.restore_box.children[2].click()
    assert not backup_path(path).exists() and app.restore_box.children == ()
    assert app.canvas.journey == jm.load(path)


def test_kernel_watch_answers_pings():
    watch = kernel_watch()
    sent = []
    watch.send = sent.append
    watch._handle_custom_msg({"type": "ping"}, [])
    watch._handle_custom_msg({"type": "other"}, [])
    assert sent == [{"type": "pong"}]
    assert watch.labels["ws_reload"] == "Reload and restore" and "L(\"ws_reload\")" in watch._esm
    assert kernel_watch(lang="es").labels["ws_reload"] == "Recargar y restaurar"


def test_the_app_speaks_spanish_errors_included(tmp_path):
    app = WorkshopApp(folder=tmp_path, query="", lang="es")
    assert (app.new_button.description, app.files.description) == ("Empezar con la plantilla", "Recorrido")
    app.template.value = "hotel_stay"
    app.file_name.value = "../fuera.yaml"
    app.new_button.click()
    assert "Escribe un nombre de archivo sin carpetas (se recibió &#x27;../fuera.yaml&#x27;)" in app.message.value
    app.path.value = str(tmp_path / "nada.yaml")
    app.open_button.click()
    assert "No hay ningún archivo en" in app.message.value and "There is" not in app.message.value


def test_a_typo_is_suggested_in_the_apps_language(tmp_path):
    with pytest.raises(ChoiceError) as info:
        new_from_template("hotel_stai", folder=tmp_path)
    assert info.value.text("es") == "No hay ninguna plantilla 'hotel_stai': ¿quisiste decir 'hotel_stay'?"


def test_switching_language_relabels_canvas_explorer_export_and_banner(tmp_path):
    app = WorkshopApp(folder=tmp_path, query="")
    app.template.value = "hotel_stay"
    app.new_button.click()
    assert app.language.value == "en" and app.canvas.state["labels"]["canvas_undo"] == "Undo"
    rev = app.canvas.rev
    app.language.value = "es"  # the switch on the page
    assert app.canvas.state["labels"]["canvas_undo"] == "Deshacer" and app.canvas.rev == rev  # not an edit
    assert app.tabs.get_title(0) == "¿Dónde duele?" and app.switch.description == "Cambiar de recorrido"
    assert app.export_buttons[0].description == "Exportar PDF" and app.explorer.lang == "es"
    assert app.watch.labels["ws_reload"] == "Recargar y restaurar"
    app.close()
    assert app.open_button.description == "Abrir el recorrido"


def test_a_spanish_journey_opens_in_spanish_until_the_switch_says_otherwise(tmp_path):
    spanish = next(p for p in journey_files(tmp_path) if jm.load(p).lang == "es")
    app = WorkshopApp(folder=tmp_path, query="")
    app.open(spanish)
    assert app.language.value == "es" and app.canvas.state["lang"] == "es"
    app.set_lang("en")
    assert app.canvas.state["lang"] == "en" and app.open_button.description == "Open journey"
    with pytest.raises(ValueError, match="lang must be one of"):
        app.set_lang("fr")


def test_workshop_notebook_runs_the_app():
    nb = json.loads((ROOT / "notebooks" / "02_workshop_mapping.ipynb").read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any("workshop_app(" in c for c in code)
    assert not any("JOURNEYMAP_TEMPLATE" in c for c in code)  # no environment variable picks the template


def test_voila_template_drops_the_font_awesome_cdn_and_sends_the_xsrf_token():
    source = (ROOT / "app" / "voila" / "templates" / "workshop" / "index.html.j2").read_text()
    assert "extends 'lab/index.html.j2'" in source and "_xsrf" in source and "sendBeacon" in source
    lab = Path(__import__("voila").__file__).parents[4] / "share/jupyter/voila/templates/lab/index.html.j2"
    if not lab.is_file():
        pytest.skip("voila's templates are not installed in this environment")
    cdn = [line.strip() for line in lab.read_text().splitlines() if "cdn.jsdelivr.net" in line]
    assert cdn, "voila's lab template changed: check the workshop template still removes every CDN link"
    for line in cdn:
        assert f"replace('{line}', '')" in source, line


def test_unsaved_work_offers_follow_the_language(tmp_path):
    path = new_from_template("hotel_stay", folder=tmp_path)
    _crash_after_an_edit(path)
    app = WorkshopApp(folder=tmp_path, query="")
    app.set_lang("es")
    assert [b.description for b in app.unsaved_box.children[1:]] == ["Abrir hotel_stay.yaml y restaurar"]
    assert "Hay trabajo sin guardar" in app.unsaved_box.children[0].value
