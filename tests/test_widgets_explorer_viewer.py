"""FrictionExplorer and JourneyViewer driven from Python."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.widgets import FrictionExplorer, JourneyViewer

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def multi():
    return jm.load(jm.shipped_journey("retail_bopis_multichannel"))


def test_explorer_weights_move_the_score(multi):
    fx = FrictionExplorer(multi, heatmap=False)
    base = fx.report.total
    assert base == pytest.approx(jm.score(multi).total)
    fx.weights["handoff"].value = 1.0
    expected = jm.score(multi, {**{c: s.value for c, s in fx.weights.items()}}).total
    assert fx.report.total == pytest.approx(expected) and fx.report.total != base
    for slider in fx.weights.values():
        slider.value = 0
    assert "default weights" in fx.message.value and fx.report.total == pytest.approx(base)


def test_explorer_what_if_toggles(multi):
    fx = FrictionExplorer(multi)
    assert bytes(fx.heatmap.value).startswith(PNG)
    first_switch = next(iter(fx.carry))
    fx.carry[first_switch].value = True
    fx.recognise[first_switch].value = True
    _, expected = jm.what_if(multi, carry_context=[first_switch], recognise=[first_switch])
    assert fx.comparison.totals.loc["friction", "b"] == pytest.approx(expected.totals.loc["friction", "b"])
    assert f"→ {expected.totals.loc['friction', 'b']:.1f}" in fx.summary.value
    pain = next(iter(fx.fix))
    fx.fix[pain].value = True
    assert pain not in {p.id for p, _ in fx.comparison.b.journey.pain_points()}
    assert pain not in fx.pains.value
    fx.reset_button.click()
    assert fx.comparison.totals.loc["friction", "delta"] == 0
    assert "Worst touchpoints" in fx.worst.value and "channel_integration" in fx.scorecard.value


def test_explorer_escapes_user_text(base):
    base["touchpoints"][1]["pain_points"][0]["text"] = "<script>alert(1)</script>"
    fx = FrictionExplorer(jm.Journey.model_validate(base), heatmap=False)
    assert "<script>" not in fx.pains.value and "&lt;script&gt;" in fx.pains.value


def test_viewer_persona_journey_overlay_lanes_lang(tmp_path):
    viewer = JourneyViewer(jm.paths.JOURNEYS_DIR, network=False)
    assert len(viewer.journeys) == len(jm.shipped_journeys())
    viewer.persona.value = "lucia_urban_shopper"
    assert {o[1] for o in viewer.journey.options} == {"retail_bopis_multichannel", "retail_bopis_omnichannel"}
    assert viewer.compare.value == "retail_bopis_omnichannel"
    shown = viewer.journeys[viewer.journey.value]
    assert viewer.canvas.state["title"] == shown.title and viewer.canvas.state["readonly"]  # the Map tab
    assert viewer.emotion.value == b"" and viewer.map.value == b""  # drawn when their tab opens
    viewer.tabs.selected_index = 4  # the map as an image, with its lane switches
    before_map = viewer.map.value
    assert bytes(before_map).startswith(PNG)
    viewer.lanes["backstage"].value = False
    assert viewer.map.value != before_map
    viewer.tabs.selected_index = 1
    before_emotion = viewer.emotion.value
    assert bytes(before_emotion).startswith(PNG)
    viewer.compare.value = None
    assert viewer.emotion.value != before_emotion
    viewer.lang.value = "es"
    viewer.tabs.selected_index = 3
    assert "Puntos de contacto" in viewer.tables.value and "retail" not in viewer.problems.value
    assert viewer.busy.layout.visibility == "hidden" and "Procesando" in viewer.busy.value
    viewer.tabs.selected_index = 0
    assert viewer.canvas.state["labels"]["lane_actions"] == "Acciones del cliente"


def test_viewer_map_is_the_read_only_canvas_and_follows_every_switch():
    viewer = JourneyViewer(jm.paths.JOURNEYS_DIR, network=False)
    for persona in [value for _label, value in viewer.persona.options if value is not None]:
        viewer.persona.value = persona
        assert viewer.canvas.state["title"] == viewer.journeys[viewer.journey.value].title
    tp = viewer.canvas.journey.touchpoints[0]
    reply = viewer.canvas.edit({"edit": "x", "op": "set_touchpoint", "target": tp.id, "fields": {"emotion": 1},
                                "rev": viewer.canvas.rev})
    assert reply["ok"] is False and reply["error"] == "this map is read-only"
    assert viewer.journeys[viewer.journey.value].touchpoints[0] == tp  # nothing changed


def test_viewer_draws_the_shown_tab_and_keeps_drawings(monkeypatch):
    import journeymap.plot as plot

    viewer = JourneyViewer(jm.paths.JOURNEYS_DIR, network=False)
    drawn = []
    real = plot.journey_map
    monkeypatch.setattr(plot, "journey_map", lambda *a, **k: drawn.append(a[0].id) or real(*a, **k))
    first, second = viewer.journey.options[0][1], viewer.journey.options[1][1]
    viewer.journey.value = second
    assert drawn == []  # the Map tab is the canvas: no image is drawn
    viewer.tabs.selected_index = 4
    viewer.journey.value = first
    viewer.journey.value = second  # drawn a moment ago: kept
    viewer.journey.value = first
    assert drawn == [second, first]
    viewer.lang.value = "es" if viewer.lang.value == "en" else "en"
    assert drawn == [second, first, first]  # another language is another drawing
    viewer.tabs.selected_index = 3
    assert drawn == [second, first, first]  # the tables tab needs no map


def test_viewer_network_tab_and_bad_files(tmp_path):
    good = tmp_path / "good.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), good)
    (tmp_path / "bad.yaml").write_text("id: [broken\n")
    viewer = JourneyViewer(tmp_path)
    assert list(viewer.journeys) == ["hotel_stay"]
    assert "bad YAML syntax" in viewer.problems.value
    assert viewer.network.value == ""  # drawn when its tab opens
    viewer.tabs.selected_index = 2
    assert viewer.network.value.startswith("<iframe srcdoc=") and "<script" not in viewer.network.value
    with pytest.raises(jm.JourneyError, match="bad YAML"):
        JourneyViewer([tmp_path / "bad.yaml"])


def test_explorer_follows_the_editor(tmp_path):
    path = tmp_path / "j.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), path)
    editor = jm.widgets.JourneyEditor(path)
    fx = FrictionExplorer(editor.session.journey, heatmap=False).follow(editor)
    editor.fields["effort"].value = 7
    assert fx.report.total == pytest.approx(jm.score(editor.session.journey).total)
    editor.pain_text.value = "New pain"
    editor.add_pain_button.click()
    assert any("New pain" in box.description for box in fx.fix.values())
