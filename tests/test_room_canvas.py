"""Issue 17 parts 2-3 in the canvas: the latest round's dots and the comments are in the state the canvas draws;
a comment is resolved from the canvas through its EditSession (undoable, saved in the file)."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.widgets.canvas.protocol import CanvasController
from journeymap.widgets.canvas.state import build_state
from journeymap.widgets.session import EditSession

EVIL = "<img src=x onerror=alert(1)>"


def room_journey() -> jm.Journey:
    j = jm.load(jm.shipped_journey("hotel_stay"))
    d = j.model_dump(by_alias=True, mode="json", exclude_defaults=True)
    pains = [p.id for p, _ in j.pain_points()]
    opp = j.opportunities[0].id
    d["comments"] = [
        {"id": "c1", "target": "book_web", "author": "Ana", "text": EVIL, "at": "2026-11-30T09:00:00+00:00"},
        {"id": "c2", "target": pains[0], "author": "Bo", "text": "Seen twice", "at": "2026-11-30T09:05:00Z",
         "resolved": True},
    ]
    d["votes"] = [{"id": "r1", "on": "pain_points", "counts": {pains[0]: 2}, "open": False},
                  {"id": "r2", "label": "Second round", "on": "both", "counts": {pains[1]: 4, opp: 1, pains[0]: 0}}]
    return jm.Journey.model_validate(d)


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "room.yaml"
    jm.save(room_journey(), p)
    return p


def test_state_carries_the_latest_rounds_dots_and_the_comments(path):
    j = jm.load(path)
    pains = [p.id for p, _ in j.pain_points()]
    room = build_state(j)["room"]
    assert room["round"] == {"id": "r2", "label": "Second round", "on": "both", "open": True}
    assert room["dots"] == {pains[1]: 4, j.opportunities[0].id: 1}  # the latest round only; zero dots left out
    assert room["comments"]["book_web"] == [{"id": "c1", "author": "Ana", "when": "2026-11-30 09:00", "text": EVIL,
                                             "resolved": False}]
    assert room["comments"][pains[0]][0]["resolved"] is True
    labels = build_state(j, "es")["labels"]
    assert labels["rv_resolve"] == "Marcar como resuelto" and labels["rv_resolved"] == "resuelto"


def test_a_journey_without_a_room_has_an_empty_room():
    assert build_state(jm.load(jm.shipped_journey("hotel_stay")))["room"] == {"round": None, "dots": {},
                                                                              "comments": {}}


def test_resolve_is_an_undoable_edit_saved_in_the_file(path):
    c = CanvasController(EditSession(path))
    reply = c.handle({"edit": "e1", "op": "resolve_comment", "target": "c1", "fields": {"resolved": True}, "rev": 0})
    assert reply["ok"] and reply["rev"] == 1
    assert c.session.journey.comments[0].resolved
    assert build_state(c.session.journey)["room"]["comments"]["book_web"][0]["resolved"] is True
    assert c.handle({"edit": "e2", "op": "undo", "target": None, "rev": 1})["ok"]
    assert not c.session.journey.comments[0].resolved
    assert c.handle({"edit": "e3", "op": "redo", "target": None, "rev": 2})["ok"]
    assert c.handle({"edit": "e4", "op": "save", "target": None, "rev": 3})["ok"]
    saved = jm.load(path)
    assert [x.resolved for x in saved.comments] == [True, True]
    assert saved.comments[0].text == EVIL and saved.votes == room_journey().votes
    # reopen, through the widget as the browser would
    canvas = jm.widgets.JourneyCanvas(path)
    assert canvas.edit({"type": "edit", "edit": "w1", "op": "resolve_comment", "target": "c2",
                        "fields": {"resolved": False}, "rev": canvas.controller.rev})["ok"]
    assert canvas.state["room"]["comments"][next(p.id for p, _ in saved.pain_points())][0]["resolved"] is False
    assert canvas.state["can_undo"]


@pytest.mark.parametrize(("target", "fields", "words"), [
    ("nope", {"resolved": True}, "no comment 'nope'"),
    ("c1", {"resolved": "yes"}, "resolved must be true or false"),
    ("c1", {"text": "x"}, "cannot change 'text'"),
])
def test_bad_resolve_is_refused_and_changes_nothing(path, target, fields, words):
    c = CanvasController(EditSession(path))
    before = c.session.journey
    reply = c.handle({"edit": "e1", "op": "resolve_comment", "target": target, "fields": fields, "rev": 0})
    assert not reply["ok"] and words in reply["error"]
    assert c.session.journey is before and c.rev == 0
