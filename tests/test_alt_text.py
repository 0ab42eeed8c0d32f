"""Text alternatives written from the model, and carried by every image export (PNG, SVG, PDF, HTML)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest

import journeymap as jm
from journeymap.alt_text import alt_text, emotion_low, worst_stage
from journeymap.exporting import image_bytes, report_html


@pytest.fixture(scope="module")
def retail():
    return jm.load(jm.shipped_journey("retail_bopis_multichannel"))


@pytest.fixture(scope="module")
def retail_report(retail):
    return jm.score(retail)


def _hostile(journey):
    data = journey.model_dump(by_alias=True)
    data["title"] = "<script>alert(1)</script> $x^2$ & \x07bell " + "long " * 40
    data["touchpoints"][0]["action"] = "Clicks <b>buy</b>\x1b[31m $\\frac{a}{b}$"
    data["touchpoints"][0]["emotion"] = -2
    for tp in data["touchpoints"][1:]:
        tp["emotion"] = max(tp["emotion"], -1)
    return jm.Journey.model_validate(data)


def test_says_worst_stage_emotion_low_point_and_counts(retail, retail_report):
    text = alt_text(retail, "map", "en", retail_report)
    stage = retail_report.by_stage.sort_values("friction").iloc[-1]["name"]
    low = min(retail.touchpoints, key=lambda tp: tp.emotion)
    assert f"Worst stage by friction: {stage} (" in text
    assert f"Emotion low point: “{low.action}”" in text
    assert f"{len(retail.touchpoints)} touchpoints" in text
    assert f"{len(retail.pain_points())} pain points" in text
    assert f"{len(retail.opportunities)} opportunities" in text
    assert text.startswith("Journey map of “")
    assert worst_stage(retail, retail_report)[0] == stage
    assert emotion_low(retail)[0] == low.action


def test_spanish(retail, retail_report):
    text = alt_text(retail, "emotion", "es", retail_report)
    assert "Peor etapa por fricción" in text and "Punto emocional más bajo" in text
    assert "puntos de contacto" in text and "Worst" not in text


def test_without_report_leaves_friction_out(retail):
    text = alt_text(retail, "map", "en", False)
    assert "Worst stage" not in text and "Total friction" not in text
    assert "Emotion low point" in text


def test_part_names_the_stages_shown(retail):
    assert "This part shows the stages: Purchase, Pick-up." in alt_text(retail, "map", "en", False,
                                                                       part=["Purchase", "Pick-up"])


def test_hostile_text_is_one_plain_line(retail):
    text = alt_text(_hostile(retail), "map", "en", False)
    assert "\x07" not in text and "\x1b" not in text and "\n" not in text
    assert "<script>alert(1)</script> $x^2$" in text  # kept as text; escaping is the writer's job


def test_svg_has_title_and_desc(retail, retail_report):
    svg = image_bytes(retail, "svg", "map", "en", retail_report)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    title, desc = root.find(f"{ns}title"), root.find(f"{ns}desc")
    assert title is not None and title.text == "journey map"
    assert desc is not None and desc.text == alt_text(retail, "map", "en", retail_report)
    assert root.get("aria-labelledby") == "jm-title jm-desc"


def test_hostile_svg_stays_valid_and_escaped(retail):
    svg = image_bytes(_hostile(retail), "svg", "emotion", "en", False)
    root = ET.fromstring(svg)  # well-formed: nothing from the title broke out of <desc>
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    assert "<script>alert(1)</script>" in desc
    assert b"<script>" not in svg


def test_png_carries_description(retail, retail_report):
    from PIL import Image

    png = image_bytes(retail, "png", "priority", "es", retail_report, dpi=40)
    with Image.open(io.BytesIO(png)) as img:
        assert img.info["Description"] == alt_text(retail, "priority", "es", retail_report)


def test_pdf_subject_is_the_alt_text(retail, retail_report):
    pdf = image_bytes(retail, "pdf", "emotion", "en", retail_report)
    assert b"/Subject" in pdf


def test_report_alt_attributes_are_the_model_text(retail, retail_report):
    page = report_html(retail, "en", retail_report)
    alts = re.findall(r'<img class="chart" alt="([^"]*)"', page)
    assert len(alts) >= 3
    assert all("Worst stage by friction:" in a and "Emotion low point:" in a for a in alts)
