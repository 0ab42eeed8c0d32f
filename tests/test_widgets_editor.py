"""JourneyEditor and EditSession driven from Python: every control, the model, the preview, the file."""

from __future__ import annotations

import os
import time

import pytest

import journeymap as jm
from journeymap.widgets import EditSession, JourneyEditor, backup_path


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "hotel.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), target)
    return target


@pytest.fixture
def editor(path):
    return JourneyEditor(path)


def tp(editor, tp_id=None):
    return editor.session.journey.touchpoint(tp_id or editor.selected)


def test_slider_changes_model_preview_and_backup(editor, path):
    before_total, before_svg = editor.friction_label.value, editor.preview.value
    editor.fields["emotion"].value = -2
    editor.fields["effort"].value = 7
    assert (tp(editor).emotion, tp(editor).effort) == (-2, 7)
    assert editor.friction_label.value != before_total and editor.preview.value != before_svg
    assert f"{jm.score(editor.session.journey).total:.1f} / 100" in editor.friction_label.value
    backup = jm.load(backup_path(path))
    assert backup.touchpoint(editor.selected).effort == 7
    assert jm.load(path).touchpoint(editor.selected).effort != 7, "the file itself changes only on Save"
    assert "unsaved changes" in editor.status.value


def test_every_touchpoint_field(editor):
    f = editor.fields
    f["action"].value = "Compares three hotels on a map"
    f["thoughts"].value = "Close to the venue?"
    f["backstage"].value = "Rate parity check\n\nChannel manager sync"
    f["wait_min"].value = 4
    f["duration_min"].value = 12
    f["evidence"].value = "observed"
    f["conversion"].value = True
    f["stage"].value = "booking"
    f["channel"].value = "whatsapp"
    f["effort"].value = 0  # not rated
    t = tp(editor)
    assert (t.action, t.thoughts, t.backstage) == ("Compares three hotels on a map", "Close to the venue?",
                                                   ["Rate parity check", "Channel manager sync"])
    assert (t.wait_min, t.duration_min, t.evidence, t.conversion, t.stage, t.channel, t.effort) == (
        4, 12, "observed", True, "booking", "whatsapp", None)
    f["id"].value = "hotel_search"
    assert editor.selected == "hotel_search"
    assert any(tr.source == "hotel_search" for tr in editor.session.journey.transitions)


def test_invalid_input_is_shown_inline_and_never_reaches_the_model(editor, path):
    journey = editor.session.journey
    editor.fields["id"].value = "two words"
    assert "pattern" in editor.errors["id"].value and "two words" in editor.errors["id"].value
    editor.fields["action"].value = ""
    assert "at least 1 character" in editor.errors["action"].value
    editor.fields["id"].value = "<img src=x onerror=alert(1)>"
    assert "<img" not in editor.errors["id"].value and "&lt;img" in editor.errors["id"].value
    assert editor.session.journey == journey
    assert not backup_path(path).exists()


def test_undo_redo_twenty_steps(editor):
    original = editor.session.journey
    values = [round(-2 + 0.5 * (i % 9), 1) for i in range(1, 26)]
    values = [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
    states = [editor.session.journey]
    for v in values:
        editor.fields["emotion"].value = v
        states.append(editor.session.journey)
    assert len(states) > 21
    for expected in reversed(states[:-1]):
        editor.undo_button.click()
        assert editor.session.journey == expected
    assert editor.session.journey == original and editor.undo_button.disabled
    for expected in states[1:]:
        editor.redo_button.click()
        assert editor.session.journey == expected
        assert editor.fields["emotion"].value == expected.touchpoint(editor.selected).emotion
    assert editor.redo_button.disabled


def test_save_and_save_as(editor, path, tmp_path):
    editor.fields["emotion"].value = 1.5
    editor.save_button.click()
    assert jm.load(path).touchpoint(editor.selected).emotion == 1.5
    assert not backup_path(path).exists() and "saved" in editor.save_error.value
    editor.save_as_path.value = str(tmp_path / "copy.json")
    editor.save_as_button.click()
    assert jm.load(tmp_path / "copy.json") == editor.session.journey
    assert editor.session.path == tmp_path / "copy.json"
    editor.save_as_path.value = "no_suffix"
    editor.save_as_button.click()
    assert ".yaml or .json" in editor.save_error.value
    editor.save_as_path.value = str(tmp_path / "missing_dir_file" / "x.yaml")
    (tmp_path / "missing_dir_file").write_text("a file, not a folder")
    editor.save_as_button.click()
    assert "cannot write" in editor.save_error.value


def test_restore_from_backup_after_a_crash(path):
    first = JourneyEditor(path)
    first.fields["emotion"].value = -1.5
    first.fields["thoughts"].value = "Unsaved thought"
    del first  # the kernel dies: nothing saved
    time.sleep(0.01)
    os.utime(backup_path(path))
    second = JourneyEditor(path)
    assert second.restore_box.layout.display == "flex"
    assert tp(second).thoughts != "Unsaved thought"
    second.restore_button.click()
    assert tp(second).thoughts == "Unsaved thought" and tp(second).emotion == -1.5
    assert second.restore_box.layout.display == "none"
    second.undo_button.click()  # restoring is undoable
    assert tp(second).thoughts != "Unsaved thought"


def test_discard_backup_and_no_offer_when_file_is_newer(path):
    first = JourneyEditor(path)
    first.fields["emotion"].value = 2
    second = JourneyEditor(path)
    second.discard_button.click()
    assert not backup_path(path).exists() and second.restore_box.layout.display == "none"
    first.fields["emotion"].value = 1
    time.sleep(0.01)
    jm.save(jm.load(path), path)  # the file is newer than the backup
    assert JourneyEditor(path).restore_box.layout.display == "none"


def test_stages_add_rename_reorder_delete(editor):
    editor.new_stage_name.value = ""
    editor.add_stage_button.click()
    assert "type a name" in editor.stage_error.value
    editor.new_stage_name.value = "Advocacy & reviews"
    editor.add_stage_button.click()
    j = editor.session.journey
    assert j.ordered_stages()[-1].id == "advocacy_reviews" and editor.stage_list.value == "advocacy_reviews"
    editor.stage_name.value = "Advocacy"
    editor.stage_goal.value = "Tell others"
    assert editor.session.journey.ordered_stages()[-1].name == "Advocacy"
    editor.stage_up.click()
    assert [s.id for s in editor.session.journey.ordered_stages()][-2] == "advocacy_reviews"
    editor.stage_down.click()
    editor.delete_stage_button.click()
    assert "advocacy_reviews" not in {s.id for s in editor.session.journey.stages}
    editor.stage_list.value = "booking"
    editor.delete_stage_button.click()
    assert "still has touchpoints" in editor.stage_error.value


def test_touchpoints_add_reorder_delete(editor):
    editor.stage_list.value = "booking"
    editor.add_tp_button.click()
    new = editor.selected
    assert new.startswith("booking_") and tp(editor).stage == "booking"
    ids = [t.id for t in editor.session.journey.touchpoints]
    editor.tp_up.click()
    assert [t.id for t in editor.session.journey.touchpoints].index(new) == ids.index(new) - 1
    editor.tp_down.click()
    editor.delete_tp_button.click()
    assert new not in {t.id for t in editor.session.journey.touchpoints}
    editor.tp_list.value = "front_desk"
    assert editor.selected == "front_desk" and editor.fields["id"].value == "front_desk"


def test_custom_channel(editor):
    editor.new_channel_id.value = "lobby_screen"
    editor.new_channel_kind.value = "physical"
    editor.new_channel_name.value = "Lobby screen"
    editor.add_channel_button.click()
    assert tp(editor).channel == "lobby_screen"
    assert editor.session.journey.channel_info("lobby_screen").kind == "physical"
    editor.new_channel_id.value = "email"
    editor.add_channel_button.click()
    assert "built in" in editor.channel_error.value


def test_pain_points_and_opportunities(editor):
    editor.tp_list.value = "book_web"
    editor.pain_text.value = "Price changes at the last step"
    editor.pain_severity.value = 4
    editor.pain_frequency.value = 0.35
    editor.add_pain_button.click()
    pain = tp(editor).pain_points[-1]
    assert (pain.text, pain.severity, pain.frequency) == ("Price changes at the last step", 4, 0.35)
    editor.pain_list.value = pain.id
    editor.pain_text.value = "Resort fee added at the last step"
    editor.update_pain_button.click()
    assert tp(editor).pain_points[-1].text == "Resort fee added at the last step"
    editor.opp_text.value = "Show the full price from the first page"
    editor.opp_addresses.value = (pain.id,)
    editor.opp_value.value = 5
    editor.add_opp_button.click()
    opp = editor.session.journey.opportunities[-1]
    assert opp.addresses == [pain.id] and opp.value == 5
    editor.opp_list.value = opp.id
    editor.delete_opp_button.click()
    assert opp.id not in {o.id for o in editor.session.journey.opportunities}
    editor.pain_list.value = pain.id
    editor.delete_pain_button.click()
    assert pain.id not in {p.id for p in tp(editor).pain_points}
    editor.pain_text.value = ""
    editor.add_pain_button.click()
    assert "at least 1 character" in editor.pain_error.value


def test_transitions(editor):
    editor.tp_list.value = "book_web"
    editor.tr_target.value = "front_desk"
    editor.tr_share.value = 0.01
    editor.tr_context.value = "none"
    editor.tr_recognised.value = False
    editor.set_tr_button.click()
    tr = next(t for t in editor.session.journey.transitions if t.key == "book_web->front_desk")
    assert (tr.share, tr.context, tr.recognised) == (0.01, "none", False)
    editor.tr_list.value = "front_desk"
    editor.tr_share.value = 1.0
    editor.set_tr_button.click()
    assert "at most 1" in editor.tr_error.value
    editor.remove_tr_button.click()
    assert "book_web->front_desk" not in {t.key for t in editor.session.journey.transitions}


def test_endless_loop_is_shown_not_raised(tmp_path):
    j = jm.Journey.model_validate({"id": "loop", "title": "Loop", "stages": [{"id": "s", "name": "S"}],
                                   "touchpoints": [{"id": i, "stage": "s", "channel": "phone", "action": i}
                                                   for i in ("a", "b")]})
    editor = JourneyEditor(j, backup_dir=tmp_path)
    editor.tp_list.value = "b"
    editor.tr_target.value = "a"
    editor.tr_share.value = 1.0
    editor.set_tr_button.click()
    assert editor.report is None and "loop forever" in editor.friction_label.value
    assert "a->b" in {t.key for t in editor.session.journey.transitions}


def test_session_without_a_file(tmp_path):
    j = jm.load(jm.shipped_journey("coffee_loyalty_app"))
    s = EditSession(j, backup_dir=tmp_path)
    s.set_touchpoint(j.touchpoints[0].id, emotion=-1)
    assert (tmp_path / "coffee_loyalty_app.journeymap-backup.json").is_file()
    with pytest.raises(ValueError, match="Save as"):
        s.save()
    assert s.save(tmp_path / "c.yaml") == tmp_path / "c.yaml" and s.path == tmp_path / "c.yaml"
    assert s.apply(lambda d: d["touchpoints"][99])[0].message.startswith("list index")
    assert s.undo() and s.redo()


def test_full_map_on_request(editor):
    assert len(editor.full_map.value) == 0
    editor.full_map_button.click()
    assert bytes(editor.full_map.value).startswith(b"\x89PNG")
