"""The shipped personas and journeys meet the bar set for example content."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap as jm
from journeymap.paths import PERSONAS_DIR

JOURNEYS = jm.shipped_journeys()


def test_enough_personas_of_different_segments():
    personas = [jm.load_persona(p) for p in sorted(PERSONAS_DIR.glob("*.yaml"))]
    assert len(personas) >= 5
    assert len({p.segment for p in personas}) == len(personas), "each persona a different segment"
    for p in personas:
        assert p.id == Path(PERSONAS_DIR / f"{p.id}.yaml").stem
        assert p.summary and p.goals and p.frustrations and p.motivations and p.quote
        assert p.preferred_channels and p.demographics


def test_enough_journeys():
    assert len(JOURNEYS) >= 7
    assert any(jm.load(p).lang == "es" for p in JOURNEYS)


@pytest.mark.parametrize("path", JOURNEYS, ids=[p.stem for p in JOURNEYS])
def test_each_journey_has_substance(path):
    j = jm.load(path)
    assert len(j.touchpoints) >= 10
    assert len({t.channel for t in j.touchpoints}) >= 4
    assert len(j.stages) >= 4
    assert j.pain_points() and j.opportunities
    assert j.persona_obj() is not None, "persona resolved from personas/"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_multichannel_and_omnichannel_pair():
    multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    omni = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    assert [t.id for t in multi.touchpoints] == [t.id for t in omni.touchpoints]
    assert [t.channel for t in multi.touchpoints] == [t.channel for t in omni.touchpoints]
    multi_switches = jm.cross_channel_transitions(multi)
    omni_switches = jm.cross_channel_transitions(omni)
    assert multi_switches and all(t.context == "none" and not t.recognised for t in multi_switches)
    assert all(t.context != "none" and t.recognised for t in omni_switches)


def test_required_journeys_exist():
    for name in ("classic_social_to_purchase", "retail_bopis_multichannel", "retail_bopis_omnichannel",
                 "bank_account_opening", "hotel_stay", "telecom_tech_support", "salud_cita_medica"):
        jm.shipped_journey(name)


def test_every_persona_is_used_or_documented():
    used = {jm.load(p).persona_obj().id for p in JOURNEYS}
    assert used <= {p.stem for p in PERSONAS_DIR.glob("*.yaml")}
