"""Health checks while editing: the canvas state carries the findings, they follow every edit made through an
EditSession (debounced in a kernel), and the editor shows them; picking one selects what it names."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

import journeymap as jm
from journeymap.widgets.canvas.widget import JourneyCanvas
from journeymap.widgets.checks_panel import CheckRunner, Debouncer, keep_unset, payload, target_of
from journeymap.widgets.session import EditSession

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def journey(lang: str = "en") -> jm.Journey:
    """Two stages (one empty), a touchpoint with no emotion nor effort, a channel switch with no context,
    a pain point with no opportunity."""
    return jm.Journey.model_validate({
        "id": "d", "title": "D", "lang": lang,
        "stages": [{"id": "s", "name": "S"}, {"id": "e", "name": "E"}],
        "touchpoints": [
            {"id": "a", "stage": "s", "channel": "website", "action": "Browse the catalogue"},
            {"id": "b", "stage": "s", "channel": "store", "action": "Pay at the till", "emotion": 1, "effort": 2,
             "evidence": "observed", "pain_points": [{"id": "p1", "text": "Queue is long"}]}],
        "transitions": [{"from": "a", "to": "b"}]})


def codes(items) -> list[tuple[str, str]]:
    return [(f["code"], f["where"]) if isinstance(f, dict) else (f.code, f.where) for f in items]


def test_keep_unset_keeps_not_written_fields_through_an_edit():
    j = journey()
    s = EditSession(j, backup_dir=None)
    s.set_touchpoint("b", effort=3)  # an edit elsewhere
    a = s.journey.touchpoint("a")
    assert "emotion" not in a.model_fields_set  # was: every field "written" after any edit
    assert "context" not in s.journey.transitions[0].model_fields_set
    assert ("emotion-not-set", "a") in codes(jm.check(s.journey))
    s.set_touchpoint("a", emotion=1)
    assert "emotion" in s.journey.touchpoint("a").model_fields_set
    assert ("emotion-not-set", "a") not in codes(jm.check(s.journey))
    s.set_touchpoint("a", id="a2")  # a renamed touchpoint keeps its place and what it left unwritten
    assert "effort" not in s.journey.touchpoint("a2").model_fields_set
    assert ("channel-switch-no-context", "a2->b") in codes(jm.check(s.journey))
    s.undo()
    s.undo()
    assert ("emotion-not-set", "a") in codes(jm.check(s.journey))


def test_keep_unset_does_not_hide_a_value_that_changed():
    before = journey()
    after = jm.Journey.model_validate({**before.model_dump(by_alias=True)})
    after.touchpoints[0].emotion = 0.0
    keep_unset(before, after)
    assert "emotion" not in after.touchpoints[0].model_fields_set
    changed = before.model_dump(by_alias=True)
    changed["touchpoints"][0]["emotion"] = -1.0
    after = keep_unset(before, jm.Journey.model_validate(changed))
    assert "emotion" in after.touchpoints[0].model_fields_set


@pytest.mark.parametrize("name", ["hotel_stay", "salud_cita_medica", "telecom_tech_support"])
def test_runner_equals_check_on_shipped_and_edited_journeys(name, tmp_path):
    runner = CheckRunner()
    s = EditSession(jm.load(jm.shipped_journey(name)), backup_dir=tmp_path)
    assert runner.run(s.journey) == jm.check(s.journey)
    tp = s.journey.touchpoints[0]
    s.set_touchpoint(tp.id, action=s.journey.touchpoints[1].action)  # a duplicate text now
    assert runner.run(s.journey) == jm.check(s.journey)
    assert ("duplicate-text", f"{tp.id}, {s.journey.touchpoints[1].id}") in codes(runner.run(s.journey))
    s.set_touchpoint(tp.id, effort=None, emotion=-2)
    assert runner.run(s.journey, "es") == jm.check(s.journey, "es")


def test_runner_equals_check_on_the_generated_60_touchpoint_journey():
    from bench_canvas import journey_60

    j = journey_60()
    runner = CheckRunner()
    assert runner.run(j) == jm.check(j)
    s = EditSession(j, backup_dir=None)
    s.set_touchpoint("t3", action="Something else entirely, nothing like the others")
    assert runner.run(s.journey) == jm.check(s.journey)


def test_runner_reports_an_unscorable_journey_instead_of_raising(tmp_path):
    j = journey()
    s = EditSession(j, backup_dir=tmp_path)
    assert s.set_transition("b", "a", share=1.0) == []  # a -> b -> a: nobody leaves
    with pytest.raises(jm.JourneyError):
        jm.check(s.journey)
    found = CheckRunner().run(s.journey)
    assert found[0].code == "invalid-file" and "loop" in found[0].message


def test_targets_name_the_object_a_finding_points_at():
    j = journey()
    assert target_of(j, "a") == {"kind": "touchpoint", "id": "a"}
    assert target_of(j, "e") == {"kind": "stage", "id": "e"}
    assert target_of(j, "a->b") == {"kind": "transition", "id": "a->b"}
    assert target_of(j, "p1") == {"kind": "touchpoint", "id": "b"}
    assert target_of(j, "a, b") == {"kind": "touchpoint", "id": "a"}
    assert target_of(j, "d") is None


def test_payload_counts_severity_words_icons_and_limit():
    j = journey("es")
    found = jm.check(j)
    data = payload(j, found, limit=2)
    assert data["count"] == len(found) == 5 and data["warnings"] == 5 and data["errors"] == 0
    assert data["more"] == 3 and len(data["items"]) == 2
    first = data["items"][0]
    assert first["label"] == "aviso" and first["icon"] == "⚠"  # icon and word, in the journey's language
    assert first["why"] and first["fix"] and first["target"] == {"kind": "stage", "id": "e"}
    assert data["summary"] == found.summary()


def test_canvas_state_carries_findings_and_they_follow_edits(tmp_path):
    canvas = JourneyCanvas(journey(), backup_dir=tmp_path)
    before = codes(canvas.checks["items"])
    assert ("emotion-not-set", "a") in before and ("effort-not-set", "a") in before
    assert canvas.checks["count"] == 5
    reply = canvas.edit({"edit": "e1", "op": "set_touchpoint", "target": "a", "fields": {"emotion": 1}, "rev": 0})
    assert reply["ok"]
    after = codes(canvas.checks["items"])
    assert ("emotion-not-set", "a") not in after and ("effort-not-set", "a") in after  # only the fixed one goes
    assert canvas.checks["count"] == 4
    canvas.edit({"edit": "e2", "op": "undo", "rev": 1})
    assert ("emotion-not-set", "a") in codes(canvas.checks["items"])
    canvas.set_lang("es")
    assert canvas.checks["items"][0]["label"] == "aviso"


def test_canvas_readonly_shows_no_checks(tmp_path):
    canvas = JourneyCanvas(journey(), backup_dir=tmp_path, readonly=True)
    assert canvas.checks == {}


def test_debouncer_runs_once_after_the_edits_pause():
    calls = []
    d = Debouncer(lambda: calls.append(1), delay=0.05)
    d.poke()
    assert calls == [1]  # no running loop: at once

    async def edits():
        for _ in range(5):
            d.poke()
            await asyncio.sleep(0.001)
        assert d.pending and calls == [1]  # nothing ran while edits kept coming
        while d.pending:
            await asyncio.sleep(0.01)

    asyncio.run(edits())
    assert calls == [1, 1]


def test_canvas_in_a_kernel_answers_the_edit_before_the_checks_run(tmp_path):
    canvas = JourneyCanvas(journey(), backup_dir=tmp_path)

    async def edit():
        canvas.edit({"edit": "e1", "op": "set_touchpoint", "target": "a", "fields": {"emotion": 1}, "rev": 0})
        stale = codes(canvas.checks["items"])
        assert canvas.checks_debounce.pending and ("emotion-not-set", "a") in stale
        while canvas.checks_debounce.pending:
            await asyncio.sleep(0.01)

    asyncio.run(edit())
    assert ("emotion-not-set", "a") not in codes(canvas.checks["items"])


def test_editor_shows_findings_and_picking_one_selects_it(tmp_path):
    editor = jm.widgets.JourneyEditor(journey(), path=tmp_path / "d.yaml", backup_dir=tmp_path)
    panel = editor.checks
    assert panel.widget in editor.widget.children
    assert 'data-count="5"' in panel.header.value and ">5</span>" in panel.header.value
    labels = [label for label, _ in panel.list.options]
    assert any(label.startswith("⚠ warning · a: touchpoint 'a' has no emotion set") for label in labels)
    editor.selected = "b"
    editor.refresh()
    pick = next(i for label, i in panel.list.options if " · a: " in label and "emotion" in label)
    panel.list.value = pick
    assert editor.selected == "a" and editor.tp_list.value == "a"
    assert "Why" in panel.detail.value and "Fix" in panel.detail.value
    pick = next(i for label, i in panel.list.options if " · e: " in label)
    panel.list.value = pick
    assert editor.stage_list.value == "e"
    pick = next(i for label, i in panel.list.options if " · a->b: " in label)
    panel.list.value = pick
    assert editor.selected == "a" and editor.tr_list.value == "b"
    editor.fields["emotion"].value = 1.5  # the edit fixes the finding: the list follows
    labels = [label for label, _ in panel.list.options]
    assert not any("emotion" in label and " · a: " in label for label in labels)
    assert 'data-count="4"' in panel.header.value


def test_editor_panel_speaks_spanish(tmp_path):
    editor = jm.widgets.JourneyEditor(journey("es"), path=tmp_path / "d.yaml", backup_dir=tmp_path)
    panel = editor.checks
    assert "Revisiones" in panel.header.value and panel.list.description == "Revisiones"
    assert panel.list.options[0][0].startswith("⚠ aviso · e: ")


def test_runner_on_many_texts_runs_the_rule_whole(monkeypatch, tmp_path):
    import journeymap.widgets.checks_panel as panel

    monkeypatch.setattr(panel, "PAIRWISE", 1)
    s = EditSession(jm.load(jm.shipped_journey("hotel_stay")), backup_dir=tmp_path)
    first, second = s.journey.touchpoints[:2]
    s.set_touchpoint(first.id, action=second.action)
    found = CheckRunner().run(s.journey)
    assert found == jm.check(s.journey) and ("duplicate-text", f"{first.id}, {second.id}") in codes(found)
