"""JourneyCanvas's public API for changes made outside the browser: refresh, restore_backup, set_lang."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.widgets.session import EditSession


@pytest.fixture
def hotel(tmp_path):
    path = tmp_path / "hotel.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), path)
    return path


def browser_edit(canvas, rev, emotion, name="b1"):
    sent = []
    canvas.send = sent.append
    canvas._on_msg(canvas, {"type": "edit", "edit": name, "op": "set_touchpoint", "target": "book_web",
                            "fields": {"emotion": emotion}, "rev": rev}, [])
    return sent[-1]


def test_refresh_after_a_python_change_redraws_and_makes_older_browser_edits_stale(hotel):
    canvas = jm.widgets.JourneyCanvas(hotel)
    assert canvas.session.set_touchpoint("book_web", action="Books by phone") == []
    assert canvas.state["cards"]["book_web"]["action"] != "Books by phone"  # not drawn until refresh
    canvas.refresh()
    assert canvas.state["cards"]["book_web"]["action"] == "Books by phone" and canvas.rev == 1
    reply = browser_edit(canvas, rev=0, emotion=1)  # made against the picture before the change
    assert reply["stale"] is True and reply["ok"] is True  # flagged as made on an older picture ...
    tp = canvas.journey.touchpoint("book_web")  # ... and applied to the object it names, by id
    assert (tp.emotion, tp.action) == (1, "Books by phone")  # the Python change is not lost


def test_restore_backup_replaces_the_journey_and_is_undoable(hotel):
    first = EditSession(hotel)
    first.set_touchpoint("book_web", emotion=2)  # writes the crash backup, the file stays as it was
    canvas = jm.widgets.JourneyCanvas(hotel)
    assert canvas.session.has_newer_backup()
    assert canvas.restore_backup() == []
    assert canvas.state["cards"]["book_web"]["emotion"] == 2 and canvas.rev == 1
    assert canvas.session.undo() and canvas.journey.touchpoint("book_web").emotion != 2


def test_restore_of_a_broken_backup_reports_it_and_keeps_the_journey(hotel):
    canvas = jm.widgets.JourneyCanvas(hotel)
    canvas.session.backup_file.write_text("{not json", encoding="utf-8")
    before = canvas.journey
    problems = canvas.restore_backup()
    assert problems and canvas.journey == before and canvas.rev == 0


def test_set_lang_relabels_without_a_new_revision(hotel):
    canvas = jm.widgets.JourneyCanvas(hotel, lang="en")
    english = canvas.state["labels"]["canvas_undo"]
    canvas.set_lang("es")
    assert canvas.state["labels"]["canvas_undo"] == "Deshacer" != english and canvas.rev == 0
    assert canvas.state["lang"] == "es"


def test_deferred_backup_is_written_by_flush_and_not_before(hotel):
    session = EditSession(hotel)
    session.defer_backup = True
    session.set_touchpoint("book_web", emotion=1)
    assert not session.backup_file.exists()
    assert session.flush_backup() is True and jm.load(session.backup_file).touchpoint("book_web").emotion == 1
    assert session.flush_backup() is False  # nothing new
    session.save()
    assert not session.backup_file.exists() and session.flush_backup() is False  # a save leaves nothing due


def test_a_read_only_canvas_refuses_every_edit_and_shows_other_journeys(hotel):
    canvas = jm.widgets.JourneyCanvas(jm.load(hotel), readonly=True, backup_dir=hotel.parent / "b")
    assert canvas.state["readonly"] is True
    for op, target, fields in [("set_touchpoint", "book_web", {"emotion": 1}), ("undo", None, {}),
                               ("save", None, {}), ("delete_touchpoint", "book_web", {})]:
        reply = canvas.edit({"edit": op, "op": op, "target": target, "fields": fields, "rev": canvas.rev})
        assert (reply["ok"], reply["error"]) == (False, "this map is read-only")
    assert canvas.journey == jm.load(hotel) and not canvas.session.backup_file.exists()
    other = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    canvas.show(other, lang="es")
    assert canvas.state["title"] == other.title and canvas.state["lang"] == "es" and canvas.state["readonly"]
    with pytest.raises(ValueError, match="read-only canvas"):
        jm.widgets.JourneyCanvas(hotel).show(other)
