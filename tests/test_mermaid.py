"""Mermaid journey export and import: round trips keep stages, touchpoints and scores."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap as jm
from journeymap.mermaid import from_mermaid, to_mermaid
from journeymap.scales import emotion_to_mermaid


def _strip_meta(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("%%"))


def _shape(j: jm.Journey):
    return [(s.id, s.name) for s in j.ordered_stages()], [
        (tp.id, tp.stage, tp.channel, tp.action, emotion_to_mermaid(tp.emotion)) for tp in j.touchpoints]


@pytest.mark.parametrize("path", jm.shipped_journeys(), ids=lambda p: p.stem)
def test_round_trip_of_shipped_journeys(path):
    j = jm.load(path)
    back = from_mermaid(to_mermaid(j), prefer="diagram")
    stages, tps = _shape(j)
    b_stages, b_tps = _shape(back)
    assert b_stages == [s for s in stages if any(t[1] == s[0] for t in tps)]
    order = {s.id: i for i, s in enumerate(j.ordered_stages())}
    assert b_tps == sorted(tps, key=lambda t: order[t[1]])
    assert [tp.emotion for tp in back.touchpoints] == [tp.emotion for tp in sorted(j.touchpoints,
                                                                                   key=lambda t: order[t.stage])]
    assert back.title == j.title and back.lang == j.lang and back.state == j.state
    assert to_mermaid(back) .splitlines()[:2] == to_mermaid(j).splitlines()[:2]


@pytest.mark.parametrize("path", jm.shipped_journeys(), ids=lambda p: p.stem)
def test_round_trip_without_the_metadata_comments(path):
    j = jm.load(path)
    back = from_mermaid(_strip_meta(to_mermaid(j)))
    order = {s.id: i for i, s in enumerate(j.ordered_stages())}
    ordered = sorted(j.touchpoints, key=lambda t: order[t.stage])
    assert len(back.stages) == len(j.stages)
    assert [emotion_to_mermaid(tp.emotion) for tp in back.touchpoints] == [emotion_to_mermaid(tp.emotion)
                                                                           for tp in ordered]
    if j.persona_obj() is not None:
        assert back.persona_obj().name == j.persona_obj().name.replace(",", "‚")
    catalogue = [tp.channel for tp in ordered]
    assert [tp.channel for tp in back.touchpoints if tp.channel in jm.CATALOGUE] == \
        [c for c in catalogue if c in jm.CATALOGUE]


NAMES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from(
    list(":#;,%\n")), min_size=1, max_size=30).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stage_names=st.lists(NAMES, min_size=1, max_size=4), data=st.data())
def test_round_trip_property(stage_names, data):
    stages = [{"id": f"s{i}", "name": name} for i, name in enumerate(stage_names)]
    n = data.draw(st.integers(1, 8))
    tps = [{"id": f"t{k}", "stage": f"s{data.draw(st.integers(0, len(stages) - 1))}",
            "channel": data.draw(st.sampled_from(sorted(jm.CATALOGUE))), "action": data.draw(NAMES),
            "emotion": data.draw(st.floats(-2, 2, allow_nan=False))} for k in range(n)]
    j = jm.Journey(id="prop", title=data.draw(NAMES), stages=stages, touchpoints=tps)
    text = to_mermaid(j)
    body = [line for line in text.splitlines()[1:] if not line.strip().startswith("%%")]
    assert all("#" not in line and ";" not in line for line in body)
    back = from_mermaid(text, prefer="diagram")
    order = {s.id: i for i, s in enumerate(j.ordered_stages())}
    ordered = sorted(j.touchpoints, key=lambda t: order[t.stage])
    assert [(tp.id, tp.stage, tp.action, tp.channel, tp.emotion) for tp in back.touchpoints] == \
        [(tp.id, tp.stage, tp.action, tp.channel, tp.emotion) for tp in ordered]
    assert {s.id: s.name for s in back.stages} == {s.id: s.name for s in j.stages if s.id in {t.stage for t in ordered}}
    plain = from_mermaid(_strip_meta(text))
    assert [emotion_to_mermaid(tp.emotion) for tp in plain.touchpoints] == [emotion_to_mermaid(tp.emotion)
                                                                            for tp in ordered]


def test_reads_hand_written_mermaid():
    j = from_mermaid("""```mermaid
journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me, Cat
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me, Email
```""")
    assert [s.name for s in j.stages] == ["Go to work", "Go home"]
    assert [tp.emotion for tp in j.touchpoints] == [2, 0, -2, 2, 2]
    assert j.persona_obj().name == "Me"
    assert j.touchpoints[-1].channel == "email"
    assert j.touchpoints[1].channel == "x_cat" and j.channel_info("x_cat").name_en == "Cat"
    assert j.touchpoints[0].channel == "x_unspecified"
    assert (j.transitions[0].source, j.transitions[0].target) == (j.touchpoints[0].id, j.touchpoints[1].id)


@pytest.mark.parametrize("text, message", [
    ("", "starting with 'journey'"),
    ("graph TD\n A-->B", "starting with 'journey'"),
    ("journey\n title x", "no tasks"),
    ("journey\n section A\n  Task: 9: Me", "1 to 5"),
    ("journey\n section A\n  just words", "task: score: actors"),
    ("journey\n section A\n  T: 3: Me\n %% jm {bad json", "jm"),
])
def test_bad_input_is_a_journey_error(text, message):
    with pytest.raises(jm.JourneyError, match=message):
        from_mermaid(text)


def test_custom_channels_survive():
    j = jm.load(jm.shipped_journey("salud_cita_medica"))
    back = from_mermaid(to_mermaid(j))
    assert {c.id for c in back.channels} <= {c.id for c in j.channels}
    assert back.channel_info("farmacia").name_es == "Farmacia"


def test_lazy_names():
    assert jm.to_mermaid is to_mermaid and jm.from_mermaid is from_mermaid
