"""Stages and backstage edited on the canvas: add/move/delete a stage, backstage items in place (Python protocol)."""

from __future__ import annotations

import shutil

import pytest

import journeymap as jm
from journeymap.widgets.canvas.protocol import FIELDS, CanvasController, replay
from journeymap.widgets.canvas.state import build_state
from journeymap.widgets.session import EditSession

ORDER = ["consideration", "booking", "pre_arrival", "stay", "checkout", "loyalty"]


@pytest.fixture
def hotel(tmp_path):
    """The shipped file as written (comments, no ``order`` keys), so saving can be checked against it."""
    path = tmp_path / "hotel.yaml"
    shutil.copy(jm.shipped_journey("hotel_stay"), path)
    return path


@pytest.fixture
def ctl(hotel):
    return CanvasController(EditSession(hotel))


def edit(c, op, target=None, rev=None, **fields):
    return c.handle({"edit": f"s{len(c.log)}", "op": op, "target": target, "fields": fields,
                     "rev": c.rev if rev is None else rev})


def stage_ids(c):
    return [s.id for s in c.session.journey.ordered_stages()]


def scores(journey):
    report = jm.score(journey)
    return (report.total, report.continuity, report.expected_conversion,
            report.by_touchpoint.sort_index().to_dict())


def test_add_stage_at_the_end_and_after_a_stage_with_an_id_from_its_name(ctl):
    reply = edit(ctl, "add_stage", None, name="Después / Feedback", after=None)
    assert reply["ok"] and reply["rev"] == 1, reply
    assert stage_ids(ctl) == [*ORDER, "despues_feedback"]
    reply = edit(ctl, "add_stage", "booking", name="Booking", after="booking")  # the name's id is taken
    assert reply["ok"], reply
    assert stage_ids(ctl) == ["consideration", "booking", "booking_2", *ORDER[2:], "despues_feedback"]
    new = next(s for s in ctl.session.journey.stages if s.id == "booking_2")
    assert (new.name, new.goal) == ("Booking", "")
    # the file lists stages left to right, each order its position
    assert [s.order for s in ctl.session.journey.stages] == list(range(8))
    state = build_state(ctl.session.journey)
    assert [(s["id"], s["cards"]) for s in state["stages"]][2] == ("booking_2", [])


def test_a_touchpoint_added_to_a_new_empty_stage_is_linked_and_keeps_expected_conversion(ctl):
    before = jm.score(ctl.session.journey).expected_conversion
    assert edit(ctl, "add_stage", "booking", name="Compare rates", after="booking")["ok"]
    assert edit(ctl, "add_touchpoint", "compare_rates", stage="compare_rates", after=None, action="Compares")["ok"]
    journey = ctl.session.journey
    (new,) = [tp for tp in journey.touchpoints if tp.stage == "compare_rates"]
    assert any(tr.target == new.id for tr in journey.transitions)
    assert any(tr.source == new.id for tr in journey.transitions)
    assert jm.score(journey).expected_conversion == pytest.approx(before)


def test_move_stage_before_another_or_last(ctl):
    assert edit(ctl, "move_stage", "loyalty", before="booking")["ok"]
    assert stage_ids(ctl) == ["consideration", "loyalty", "booking", "pre_arrival", "stay", "checkout"]
    assert edit(ctl, "move_stage", "consideration", before=None)["ok"]
    assert stage_ids(ctl) == ["loyalty", "booking", "pre_arrival", "stay", "checkout", "consideration"]
    rev = ctl.rev
    reply = edit(ctl, "move_stage", "stay", before="stay")  # onto itself: accepted, nothing changes
    assert reply["ok"] and reply["rev"] == rev


def test_delete_stage_with_touchpoints_is_refused_with_a_clear_message(ctl):
    before, rev = ctl.session.journey, ctl.rev
    reply = edit(ctl, "delete_stage", "booking")
    assert not reply["ok"]
    assert reply["error"] == "stage 'Booking' is not empty: move or delete its 2 touchpoints first"
    assert ctl.session.journey is before and ctl.rev == rev
    for tp in [tp for tp in ctl.session.journey.touchpoints if tp.stage == "consideration"]:
        assert edit(ctl, "move_touchpoint", tp.id, stage="booking", before=None)["ok"]
    assert edit(ctl, "delete_stage", "consideration")["ok"]
    assert stage_ids(ctl) == ORDER[1:]
    assert [s.order for s in ctl.session.journey.stages] == list(range(5))


def test_one_touchpoint_left_is_said_in_the_singular(ctl):
    assert edit(ctl, "add_stage", None, name="Extra", after=None)["ok"]
    assert edit(ctl, "add_touchpoint", "extra", stage="extra", after=None, action="Something")["ok"]
    assert edit(ctl, "delete_stage", "extra")["error"] == (
        "stage 'Extra' is not empty: move or delete its 1 touchpoint first")


def test_stage_ops_are_undoable(ctl):
    original = ctl.session.journey
    edit(ctl, "add_stage", None, name="New stage", after="stay")
    edit(ctl, "move_stage", "new_stage", before="consideration")
    edit(ctl, "delete_stage", "new_stage")
    assert ctl.session.journey == original
    assert ctl.rev == 3
    for expected in (["new_stage", *ORDER], [*ORDER[:4], "new_stage", *ORDER[4:]], ORDER):
        assert edit(ctl, "undo")["ok"]
        assert stage_ids(ctl) == expected
    assert ctl.session.journey == original
    assert edit(ctl, "redo")["ok"] and stage_ids(ctl) == [*ORDER[:4], "new_stage", *ORDER[4:]]


def test_stale_stage_edits_are_refused_never_moved_elsewhere(ctl):
    assert edit(ctl, "add_stage", None, name="Temp", after=None)["ok"]
    assert edit(ctl, "delete_stage", "temp")["ok"]
    before, rev = ctl.session.journey, ctl.rev
    for op, target, fields in [("move_stage", "temp", {"before": None}), ("delete_stage", "temp", {}),
                               ("set_stage", "temp", {"name": "x"}), ("add_stage", "temp", {"after": "temp"}),
                               ("move_stage", "stay", {"before": "temp"})]:
        reply = edit(ctl, op, target, rev=rev - 1, **fields)
        assert not reply["ok"] and "(deleted or renamed since): the edit was not applied" in reply["error"], reply
    assert ctl.session.journey is before and ctl.rev == rev


def test_stage_ops_refuse_unknown_fields_and_bad_names(ctl):
    assert edit(ctl, "add_stage", None, id="mine", name="x")["error"] == "'add_stage' cannot change 'id'"
    assert edit(ctl, "move_stage", "stay", after="booking")["error"] == "'move_stage' cannot change 'after'"
    assert edit(ctl, "move_stage", None, before=None)["error"] == "'move_stage' needs a target id"
    assert "at least 1 character" in edit(ctl, "add_stage", None, name="")["error"]
    assert edit(ctl, "add_stage", None, name=["<b>"])["error"] == "name must be text"
    assert ctl.rev == 0
    new_ops = {"add_stage", "move_stage", "delete_stage", "add_backstage", "set_backstage", "remove_backstage"}
    assert new_ops <= set(FIELDS)


def test_a_stage_reorder_that_keeps_the_flow_keeps_every_score(ctl):
    before = scores(ctl.session.journey)
    transitions = ctl.session.journey.transitions
    assert edit(ctl, "move_stage", "loyalty", before="consideration")["ok"]
    assert edit(ctl, "move_stage", "booking", before=None)["ok"]
    assert ctl.session.journey.transitions == transitions
    assert scores(ctl.session.journey) == before


def test_backstage_items_added_edited_and_removed_in_place(ctl):
    items = list(ctl.session.journey.touchpoint("book_web").backstage)
    assert edit(ctl, "add_backstage", "book_web", text="Rate sync to the channel manager")["ok"]
    assert edit(ctl, "set_backstage", "book_web", index=0, old=items[0], text="Requests read by the PMS")["ok"]
    assert edit(ctl, "remove_backstage", "book_web", index=1, old=items[1])["ok"]
    assert ctl.session.journey.touchpoint("book_web").backstage == [
        "Requests read by the PMS", *items[2:], "Rate sync to the channel manager"]
    state = build_state(ctl.session.journey)
    assert state["cards"]["book_web"]["backstage"][-1] == "Rate sync to the channel manager"
    assert edit(ctl, "undo")["ok"]
    assert ctl.session.journey.touchpoint("book_web").backstage == ["Requests read by the PMS", *items[1:],
                                                                   "Rate sync to the channel manager"]


def test_a_stale_backstage_edit_never_lands_on_another_item(ctl):
    items = list(ctl.session.journey.touchpoint("book_web").backstage)
    assert len(items) >= 2
    rev = ctl.rev
    assert edit(ctl, "remove_backstage", "book_web", index=0, old=items[0])["ok"]
    before, now = ctl.session.journey, ctl.rev
    # made against the old list: item 1 is now at index 0, and index 0 no longer reads items[0]
    for op, fields in [("set_backstage", {"index": 0, "old": items[0], "text": "x"}),
                       ("remove_backstage", {"index": 0, "old": items[0]}),
                       ("set_backstage", {"index": len(items), "old": "y", "text": "x"})]:
        reply = edit(ctl, op, "book_web", rev=rev, **fields)
        assert not reply["ok"] and "(deleted or renamed since)" in reply["error"], reply
    assert edit(ctl, "set_backstage", "book_web", index=True, text="x")["error"].startswith("index must be")
    assert ctl.session.journey is before and ctl.rev == now


def test_set_touchpoint_backstage_is_validated_by_the_model(ctl):
    assert edit(ctl, "set_touchpoint", "book_web", backstage=["One", "Two"])["ok"]
    assert ctl.session.journey.touchpoint("book_web").backstage == ["One", "Two"]
    assert "valid list" in edit(ctl, "set_touchpoint", "book_web", backstage="One")["error"]
    assert "valid string" in edit(ctl, "set_touchpoint", "book_web", backstage=["a", 3])["error"]
    assert "at most 2000" in edit(ctl, "set_touchpoint", "book_web", backstage=["a" * 2001])["error"]
    assert ctl.session.journey.touchpoint("book_web").backstage == ["One", "Two"]


def test_read_only_canvas_refuses_stage_and_backstage_edits(hotel):
    c = CanvasController(EditSession(hotel), readonly=True)
    for op, target, fields in [("add_stage", None, {"name": "x"}), ("move_stage", "stay", {"before": None}),
                               ("delete_stage", "stay", {}), ("add_backstage", "book_web", {"text": "x"})]:
        assert edit(c, op, target, **fields)["error"] == "this map is read-only"
    assert c.rev == 0


def test_replay_of_stage_and_backstage_edits_equals_the_session_and_the_saved_file(ctl, hotel, tmp_path):
    original = hotel.read_text()
    edit(ctl, "add_stage", "booking", name="Compare", after="booking")
    edit(ctl, "set_stage", "compare", name="Compare rates")
    edit(ctl, "move_stage", "compare", before="consideration")
    edit(ctl, "add_touchpoint", "compare", stage="compare", after=None, action="Compares rates")
    edit(ctl, "add_backstage", "compare_tp1", text="Rate parity check")
    edit(ctl, "delete_stage", "booking")  # refused: still has touchpoints
    edit(ctl, "move_stage", "loyalty", before="stay")
    edit(ctl, "undo")
    assert edit(ctl, "save")["ok"]
    saved = jm.load(hotel)
    assert saved == ctl.session.journey
    copy = tmp_path / "original.yaml"
    copy.write_text(original)
    assert replay(copy, ctl.log, backup_dir=tmp_path / "replay").session.journey == saved
    assert [s.id for s in saved.ordered_stages()] == ["compare", *ORDER]
    assert saved.touchpoint("compare_tp1").backstage == ["Rate parity check"]
    text = hotel.read_text()
    assert text.startswith("# yaml-language-server: $schema=")  # the user's file is kept: comments stay
    assert "# The front desk isn't in the built-in catalogue" in text
    import yaml

    # the file lists the stages left to right, as they are shown (their order written where it changed)
    assert [s["id"] for s in yaml.safe_load(text)["stages"]] == ["compare", *ORDER]


def test_new_labels_are_sent_in_english_and_spanish():
    keys = ["canvas_add_stage", "canvas_add_stage_after", "canvas_new_stage", "canvas_stage_left",
            "canvas_stage_right", "canvas_delete_stage", "canvas_add_backstage", "canvas_new_backstage"]
    en, es = build_state(jm.load(jm.shipped_journey("hotel_stay")), "en")["labels"], \
        build_state(jm.load(jm.shipped_journey("hotel_stay")), "es")["labels"]
    for key in keys:
        assert en[key] and es[key] and en[key] != key and es[key] != en[key], key
