"""Issue 12 point 7 from Python: what-if rows keep their height, the viewer keeps its overlay and does not clip
the network, every widget label is translated (en/es), sliders and images have accessible names."""

from __future__ import annotations

import re

import pytest

import journeymap as jm
from journeymap.i18n import t
from journeymap.widgets import FrictionExplorer, JourneyViewer
from journeymap.widgets.preview import svg_preview


def _many_pains(n: int = 11) -> jm.Journey:
    data = jm.load(jm.shipped_journey("retail_bopis_multichannel")).model_dump(mode="json", exclude_none=True)
    tp = data["touchpoints"][0]
    tp["pain_points"] = [{"id": f"p{i}", "text": f"pain number {i}", "severity": 3} for i in range(n)]
    return jm.Journey.model_validate(data)


def _px(value: str | None) -> float:
    return float(re.fullmatch(r"([\d.]+)px", value or "").group(1))


def test_what_if_rows_keep_a_height_and_the_list_scrolls():
    fx = FrictionExplorer(_many_pains(11), heatmap=False)
    assert len(fx.fix) >= 11
    box = fx.what_if_box.layout
    assert "auto" in (box.overflow or "") and _px(box.max_height) >= 200
    rows = [*fx.fix.values(), *(c for c in fx.what_if_box.children if c not in fx.fix.values())]
    for row in rows:
        assert _px(row.layout.min_height) >= 24, row
        assert row.layout.flex == "0 0 auto", row  # flex items do not shrink below their height


@pytest.mark.parametrize("lang", ["en", "es"])
def test_explorer_labels_are_translated(lang):
    fx = FrictionExplorer(_many_pains(3), lang=lang, heatmap=False)
    labels = [s.description for s in fx.weights.values()] + [fx.reset_button.description]
    labels += [b.description for b in (*fx.fix.values(), *fx.carry.values(), *fx.recognise.values())]
    labels += [fx.widget.children[3].get_title(i) for i in range(3)]
    text = " ".join(labels) + fx.summary.value + fx.worst.value + fx.pains.value
    english = ["weight", "reset what-if", "fix:", "carry context", "Rankings", "Scorecard", "expected conversion",
               "continuity", "Worst touchpoints", "Pain points by impact"]
    if lang == "es":
        assert not [w for w in english if w in text], text
        assert "peso de" in text and "resolver:" in text and "Clasificaciones" in text
    else:
        assert all(w in text for w in english), text


def test_sliders_and_switches_have_accessible_names():
    fx = FrictionExplorer(_many_pains(3), lang="es", heatmap=False)
    for slider in fx.weights.values():
        assert slider.description and slider.tooltip == slider.description
    for box in (*fx.carry.values(), *fx.recognise.values()):
        assert box.tooltip and "->" in box.tooltip  # names the transition, not just "recognise"
    editor = jm.widgets.JourneyEditor(jm.load(jm.shipped_journey("hotel_stay")))
    sliders = [c for c in _walk(editor.widget) if type(c).__name__.endswith("Slider")]
    assert sliders and all(s.description.strip() for s in sliders)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.fixture(scope="module")
def viewer():
    return JourneyViewer(jm.paths.JOURNEYS_DIR, network=True)


def test_viewer_keeps_the_overlay_when_the_future_journey_is_picked(viewer):
    viewer.persona.value = "lucia_urban_shopper"
    assert viewer.journey.value == "retail_bopis_multichannel"
    assert viewer.compare.value == "retail_bopis_omnichannel"
    viewer.journey.value = "retail_bopis_omnichannel"  # the future journey
    assert viewer.compare.value == "retail_bopis_multichannel"
    assert "retail_bopis_multichannel" in viewer.compare.value
    viewer.tabs.selected_index = 1  # the emotion tab
    two = bytes(viewer.emotion.value)
    viewer.compare.value = None
    assert bytes(viewer.emotion.value) != two, "the overlay was drawn before it was removed"


def test_viewer_network_tab_is_not_clipped(viewer):
    from journeymap.widgets.viewer import NETWORK_HEAD_PX, NETWORK_PX

    viewer.tabs.selected_index = 2
    frame = viewer.network.value
    outer = int(re.search(r'style="width:100%;height:(\d+)px;border:0"', frame).group(1))
    assert f"height: {NETWORK_PX}px;" in frame  # the graph inside the page
    assert outer >= NETWORK_PX + NETWORK_HEAD_PX >= NETWORK_PX + 100  # room for the page's title and key too


def test_viewer_labels_follow_the_language(viewer):
    viewer.lang.value = "es"
    assert viewer.persona.description == "persona" and viewer.journey.description == "recorrido"
    assert viewer.compare.description == "superponer" and viewer.persona.options[0][0] == "todas"
    assert [viewer.tabs.get_title(i) for i in range(5)] == ["Mapa", "Emoción", "Red", "Tablas", "Mapa como imagen"]
    assert viewer.lanes["pain_points"].description == "Puntos de dolor"
    viewer.tabs.selected_index = 3
    assert "Puntos de contacto" in viewer.tables.value
    viewer.lang.value = "en"
    assert [viewer.tabs.get_title(i) for i in range(5)] == ["Map", "Emotion", "Network", "Tables", "Map as an image"]
    assert viewer.compare.options[0][0] == "none"


def test_images_have_text_alternatives_from_the_model(viewer):
    j = viewer.journeys[viewer.journey.value]
    worst = max((p for p, _ in j.pain_points()), key=lambda p: (p.severity, p.frequency))
    for tab, image in ((4, viewer.map), (1, viewer.emotion)):
        viewer.tabs.selected_index = tab
        assert image.tooltip is None  # a tooltip breaks ipywidgets 8.1's ImageView in the browser
        (cls,) = [c for c in image._dom_classes if c.startswith("jm-alt-")]
        text = viewer.names.alts[cls]
        assert j.title in text and f"{len(j.touchpoints)} " in text and worst.text in text
    svg = svg_preview(j, jm.score(j), "es")
    assert 'role="img"' in svg and "aria-label=" in svg and t("touchpoints", "es") in svg


def test_preview_chip_text_reads():
    from journeymap.plot._style import contrast_ratio

    j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    svg = svg_preview(j, jm.score(j))
    chips = re.findall(r'<rect [^>]*fill="(#[0-9A-Fa-f]{6})"[^>]*/><text [^>]*fill="(#[0-9A-Fa-f]{6})"', svg)
    assert len(chips) >= len(j.touchpoints)
    for background, ink in chips:
        assert contrast_ratio(ink, background) >= 4.5, (ink, background)


def _labels(widget) -> list[str]:
    out = []
    for node in _walk(widget):
        for attr in ("description", "placeholder", "tooltip"):
            value = getattr(node, attr, None)
            if isinstance(value, str) and value:
                out.append(value)
        if type(node).__name__ in ("Dropdown", "Select") and node.options:
            out += [str(o[0]) if isinstance(o, tuple) else str(o) for o in node.options]
    return out


def test_editor_labels_are_translated():
    j = jm.load(jm.shipped_journey("hotel_stay"))
    en = " | ".join(_labels(jm.widgets.JourneyEditor(j, lang="en").widget))
    es = " | ".join(_labels(jm.widgets.JourneyEditor(j, lang="es").widget))
    english = ["Undo", "Save as", "+ stage", "delete stage", "+ touchpoint", "wait (min)", "counts as conversion",
               "+ pain point", "set transition", "customer recognised", "Draw the full journey map", "observed",
               "Move the stage left"]
    assert all(w in en for w in english), en
    assert not [w for w in english if w in es], es
    assert "Guardar como" in es and "Deshacer" in es and "observado" in es and "parcial" in es
    editor = jm.widgets.JourneyEditor(j, lang="es")
    assert "Fricción" in editor.friction_label.value and "conversión esperada" in editor.friction_label.value
    assert "guardado" in editor.status.value or "sin guardar" in editor.status.value
