"""The journey canvas protocol driven from Python: edits by id and revision, linking, undo/redo, save."""

from __future__ import annotations

import random

import pytest

import journeymap as jm
from journeymap.widgets.canvas.protocol import CanvasController, replay
from journeymap.widgets.canvas.state import build_state
from journeymap.widgets.session import EditSession


@pytest.fixture
def hotel(tmp_path):
    path = tmp_path / "hotel.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), path)
    return path


@pytest.fixture
def ctl(hotel):
    return CanvasController(EditSession(hotel))


def edit(c, op, target=None, rev=None, **fields):
    return c.handle({"edit": f"t{len(c.log)}", "op": op, "target": target, "fields": fields,
                     "rev": c.rev if rev is None else rev})


def conversion(c):
    return jm.score(c.session.journey).expected_conversion


def test_edit_by_id_bumps_rev_and_acknowledges(ctl):
    reply = edit(ctl, "set_touchpoint", "book_web", action="Books on the site")
    assert reply == {"type": "ack", "edit": "t0", "ok": True, "op": "set_touchpoint", "target": "book_web",
                     "error": None, "rev": 1, "stale": False}
    assert ctl.session.journey.touchpoint("book_web").action == "Books on the site"


def test_stale_edit_lands_on_its_own_target_never_on_another(ctl):
    journey = ctl.session.journey
    others = {tp.id: tp.emotion for tp in journey.touchpoints if tp.id != "review_check"}
    edit(ctl, "move_touchpoint", "review_check", stage="consideration", before="search_hotel")  # reorder
    edit(ctl, "set_touchpoint", "book_web", action="x")
    reply = edit(ctl, "set_touchpoint", "review_check", rev=0, emotion=-2)  # made against rev 0
    assert reply["ok"] and reply["stale"]
    journey = ctl.session.journey
    assert journey.touchpoint("review_check").emotion == -2
    assert {tp.id: tp.emotion for tp in journey.touchpoints if tp.id != "review_check"} == others


def test_edit_on_a_deleted_target_is_rejected_and_changes_nothing(ctl):
    assert edit(ctl, "delete_touchpoint", "review_check")["ok"]
    before, rev = ctl.session.journey, ctl.rev
    for op, target, fields in [("set_touchpoint", "review_check", {"emotion": 1}),
                               ("add_pain", "review_check", {"text": "slow"}),
                               ("set_transition", "review_check->book_web", {"share": 0.1}),
                               ("add_touchpoint", "consideration",
                                {"stage": "consideration", "after": "review_check"})]:
        reply = edit(ctl, op, target, rev=rev - 1, **fields)
        assert not reply["ok"]
        assert "deleted or renamed since" in reply["error"], reply["error"]
    assert ctl.session.journey is before and ctl.rev == rev


def test_invalid_values_unknown_fields_and_ops_are_rejected(ctl):
    before = ctl.session.journey
    assert "less than or equal" in edit(ctl, "set_touchpoint", "book_web", effort=9)["error"]
    assert edit(ctl, "set_touchpoint", "book_web", emotion=True)["ok"] is False
    assert edit(ctl, "set_touchpoint", "book_web", emotion=float("nan"))["ok"] is False
    assert "cannot change 'stage'" in edit(ctl, "set_touchpoint", "book_web", stage="stay")["error"]
    assert edit(ctl, "drop_table", "book_web")["error"] == "unknown edit 'drop_table'"
    assert edit(ctl, "set_touchpoint", "book_web", action=["<b>"])["ok"] is False
    assert ctl.session.journey is before and ctl.rev == 0


def test_emotion_snaps_to_half_steps(ctl):
    edit(ctl, "set_touchpoint", "book_web", emotion=-1.3)
    assert ctl.session.journey.touchpoint("book_web").emotion == -1.5


def test_add_between_links_into_the_flow_and_keeps_expected_conversion(ctl):
    before = conversion(ctl)
    reply = edit(ctl, "add_touchpoint", "booking", stage="booking", after="book_web", action="Pays")
    assert reply["ok"]
    journey = ctl.session.journey
    new = next(tp for tp in journey.touchpoints if tp.action == "Pays")
    assert new.stage == "booking"
    keys = {tr.key: tr.share for tr in journey.transitions}
    assert keys[f"book_web->{new.id}"] == 0.99 and keys[f"{new.id}->confirm_email"] == 1.0
    assert "book_web->confirm_email" not in keys
    assert conversion(ctl) == pytest.approx(before)
    ids = [tp.id for tp in journey.touchpoints]
    assert ids.index(new.id) == ids.index("book_web") + 1


def test_add_at_the_end_of_each_stage_keeps_expected_conversion(ctl):
    before = conversion(ctl)
    for stage in [s.id for s in ctl.session.journey.stages]:
        assert edit(ctl, "add_touchpoint", stage, stage=stage, after=None)["ok"]
    assert conversion(ctl) == pytest.approx(before)
    state = build_state(ctl.session.journey)
    assert all(len(s["cards"]) >= 2 for s in state["stages"])


def test_delete_relinks_predecessors_to_successors(ctl):
    before = conversion(ctl)
    assert edit(ctl, "add_touchpoint", "booking", stage="booking", after="book_web")["ok"]
    new = ctl.session.journey.touchpoints[[tp.id for tp in ctl.session.journey.touchpoints].index("book_web") + 1]
    assert edit(ctl, "delete_touchpoint", new.id)["ok"]
    keys = {tr.key: tr.share for tr in ctl.session.journey.transitions}
    assert keys["book_web->confirm_email"] == pytest.approx(0.99)
    assert conversion(ctl) == pytest.approx(before)


def test_transitions_pains_and_opportunities(ctl):
    assert edit(ctl, "add_transition", "search_hotel", to="front_desk")["ok"]
    assert edit(ctl, "set_transition", "search_hotel->front_desk", share=0.1, context="none", recognised=False)["ok"]
    tr = next(t for t in ctl.session.journey.transitions if t.key == "search_hotel->front_desk")
    assert (tr.share, tr.context, tr.recognised) == (0.1, "none", False)
    assert edit(ctl, "add_pain", "search_hotel->front_desk", text="Repeats the booking number")["ok"]
    pain = next(p for p, where in ctl.session.journey.pain_points() if where == "search_hotel->front_desk")
    assert edit(ctl, "add_opportunity", pain.id, text="Pass the booking on")["ok"]
    opp = ctl.session.journey.opportunities[-1]
    assert opp.addresses == [pain.id]
    assert edit(ctl, "set_pain", pain.id, severity=5)["ok"]
    assert edit(ctl, "set_opportunity", opp.id, text="Share the booking")["ok"]
    assert edit(ctl, "remove_transition", "search_hotel->front_desk")["ok"]
    assert ctl.session.journey.opportunities[-1].addresses == []  # its pain point went with the transition
    assert edit(ctl, "remove_opportunity", opp.id)["ok"]
    assert opp.id not in {o.id for o in ctl.session.journey.opportunities}


def test_move_to_another_stage(ctl):
    assert edit(ctl, "move_touchpoint", "rebook", stage="checkout", before="express_checkout")["ok"]
    journey = ctl.session.journey
    assert journey.touchpoint("rebook").stage == "checkout"
    ids = [tp.id for tp in journey.touchpoints]
    assert ids.index("rebook") + 1 == ids.index("express_checkout")


def test_undo_redo_bump_rev_and_restore(ctl):
    original = ctl.session.journey
    edit(ctl, "set_touchpoint", "book_web", emotion=2)
    changed = ctl.session.journey
    assert edit(ctl, "undo")["ok"] and ctl.session.journey == original and ctl.rev == 2
    assert edit(ctl, "redo")["ok"] and ctl.session.journey == changed and ctl.rev == 3
    assert edit(ctl, "redo")["error"] == "nothing to redo" and ctl.rev == 3


def test_save_writes_exactly_the_acknowledged_state_and_drops_the_backup(ctl, hotel):
    edit(ctl, "set_touchpoint", "book_web", thoughts="Fine")
    edit(ctl, "add_touchpoint", "stay", stage="stay", after=None)
    assert ctl.session.backup_file.exists()
    assert edit(ctl, "save")["ok"]
    assert jm.load(hotel) == ctl.session.journey
    assert not ctl.session.backup_file.exists() and ctl.saved_rev == ctl.rev
    assert not EditSession(hotel).has_newer_backup()


def test_random_edit_sequence_replays_to_the_same_journey(ctl, hotel):
    rng = random.Random(7)
    for _ in range(150):
        journey = ctl.session.journey
        tp = rng.choice(journey.touchpoints)
        op = rng.choice(["text", "emotion", "add", "delete", "link", "undo", "pain", "move"])
        if op == "text":
            edit(ctl, "set_touchpoint", tp.id, rev=rng.randint(0, ctl.rev), action=f"step {rng.random():.3f}")
        elif op == "emotion":
            edit(ctl, "set_touchpoint", tp.id, emotion=rng.choice([-2, -1, 0.5, 2]))
        elif op == "add":
            edit(ctl, "add_touchpoint", tp.stage, stage=tp.stage, after=rng.choice([tp.id, None]))
        elif op == "delete" and len(journey.touchpoints) > 3:
            edit(ctl, "delete_touchpoint", tp.id)
        elif op == "link":
            edit(ctl, "add_transition", tp.id, to=rng.choice(journey.touchpoints).id)
        elif op == "undo":
            edit(ctl, "undo")
        elif op == "pain":
            edit(ctl, "add_pain", tp.id, text="hurts")
        elif op == "move":
            stage = rng.choice(journey.stages).id
            edit(ctl, "move_touchpoint", tp.id, stage=stage, before=None)
        jm.Journey.model_validate(ctl.session.journey.model_dump(by_alias=True))  # always valid
    edit(ctl, "save")
    again = replay(jm.shipped_journey("hotel_stay"), ctl.log, backup_dir=hotel.parent / "replay")
    assert again.session.journey == jm.load(hotel)
    assert again.rev == ctl.rev


def test_state_is_what_the_browser_draws(ctl):
    state = build_state(ctl.session.journey, "es")
    assert state["labels"]["canvas_save"] == "Guardar"
    assert state["stages"][0]["id"] == "consideration"
    report = jm.score(ctl.session.journey)
    assert state["totals"]["friction"] == round(report.total, 1)
    assert state["cards"]["book_web"]["friction"] == round(report.by_touchpoint.loc["book_web", "friction"], 1)
    assert state["cards"]["book_web"]["channel"]["colour"].startswith("#")


def test_chip_colours_have_aa_contrast_with_white_text():
    from journeymap.widgets.canvas.state import KIND_COLOURS

    def lum(hex_colour):
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for colour in KIND_COLOURS.values():
        assert (1.05) / (lum(colour) + 0.05) >= 4.5, colour


def test_importing_journeymap_widgets_does_not_load_anywidget():
    import subprocess
    import sys

    code = "import journeymap, journeymap.widgets, sys; print('anywidget' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_widget_applies_messages_and_syncs_state(hotel):
    canvas = jm.widgets.JourneyCanvas(hotel, lang="es")
    sent = []
    canvas.send = sent.append  # what would go to the browser
    canvas._on_msg(canvas, {"type": "edit", "edit": "b1", "op": "set_touchpoint", "target": "book_web",
                            "fields": {"emotion": 1}, "rev": 0}, [])
    assert canvas.rev == 1 and canvas.state["rev"] == 1 and canvas.state["cards"]["book_web"]["emotion"] == 1
    assert sent == [{"type": "ack", "edit": "b1", "ok": True, "op": "set_touchpoint", "target": "book_web",
                     "error": None, "rev": 1, "stale": False}]
    assert canvas.state["labels"]["canvas_undo"] == "Deshacer" and canvas.state["can_undo"]


def test_crash_backup_is_written_after_the_reply_not_before(hotel):
    canvas = jm.widgets.JourneyCanvas(hotel)
    backup = canvas.session.backup_file
    seen = []
    canvas.send = lambda reply: seen.append((reply["edit"], backup.exists()))
    canvas._on_msg(canvas, {"type": "edit", "edit": "b1", "op": "set_touchpoint", "target": "book_web",
                            "fields": {"emotion": 1}, "rev": 0}, [])
    assert seen == [("b1", False)]  # the reply went out before the (fsync'ed) backup write
    assert jm.load(backup).touchpoint("book_web").emotion == 1  # ... which happened before the next message
    canvas.edit({"edit": "b2", "op": "set_touchpoint", "target": "book_web", "fields": {"emotion": -1}, "rev": 1})
    assert jm.load(backup).touchpoint("book_web").emotion == -1  # the Python API writes it at once
