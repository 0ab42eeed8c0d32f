"""The model itself: catalogue, defaults, scales, templates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import journeymap as jm
from journeymap import scales
from journeymap.channels import KINDS
from journeymap.templates import blank, from_template


def test_catalogue_has_enough_channels_of_every_kind():
    assert len(jm.CATALOGUE) >= 18
    assert {c.kind for c in jm.CATALOGUE.values()} == set(KINDS)
    for ch in jm.CATALOGUE.values():
        assert ch.name_en and ch.name_es and ch.short
    for needed in ("website", "mobile_app", "chatbot", "email", "sms", "push", "phone", "store", "whatsapp",
                   "messenger", "twitter_x", "voice_assistant", "print_ad", "event", "word_of_mouth",
                   "video_call", "blog", "social_media"):
        assert needed in jm.CATALOGUE


def test_custom_channel_is_looked_up(base):
    base["channels"] = [{"id": "popup", "kind": "physical", "name_en": "Pop-up", "name_es": "Tienda efímera"}]
    j = jm.Journey.model_validate(base)
    assert j.channel_info("popup").name("es") == "Tienda efímera"
    assert j.channel_info("email").kind == "digital_owned"


def test_stage_order_defaults_to_file_position(base):
    base["stages"][0]["order"] = 5
    j = jm.Journey.model_validate(base)
    assert [s.order for s in j.stages] == [5, 1]
    assert [s.id for s in j.ordered_stages()] == ["buy", "aware"]


def test_lookups(base):
    j = jm.Journey.model_validate(base)
    assert j.touchpoint("web").channel == "website"
    with pytest.raises(KeyError):
        j.touchpoint("nope")
    assert [(p.id, where) for p, where in j.pain_points()] == [("slow", "web")]
    assert j.persona_obj() is None
    assert j.transitions[1].key == "web->shop"


@given(st.integers(1, 5))
def test_mermaid_emotion_round_trip(score):
    assert scales.emotion_to_mermaid(scales.mermaid_to_emotion(score)) == score


@given(st.floats(-2, 2))
def test_unit_scales_invert(x):
    assert scales.unit_to_emotion(scales.emotion_to_unit(x)) == pytest.approx(x)
    assert -1 <= scales.emotion_to_unit(x) <= 1


@given(st.integers(1, 7))
def test_effort_scales(e):
    assert scales.unit_to_effort(scales.effort_to_unit(e)) == pytest.approx(e)
    assert 1 <= scales.effort_to_mermaid(e) <= 5
    assert scales.ces_agreement_to_effort(scales.ces_agreement_to_effort(e)) == e


def test_mermaid_score_out_of_range():
    with pytest.raises(ValueError, match="between 1 and 5"):
        scales.mermaid_to_emotion(6)


def test_templates():
    j = blank("Café del barrio", lang="es")
    assert j.id == "cafe_del_barrio" and len(j.stages) == 5 and j.lang == "es"
    assert from_template("hotel_stay").id == "hotel_stay"
    assert from_template(str(jm.shipped_journey("hotel_stay")), title="Copy").title == "Copy"
    with pytest.raises(KeyError, match="unknown template"):
        from_template("nope")
