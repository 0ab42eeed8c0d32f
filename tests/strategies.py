"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

import journeymap as jm

CHANNELS = sorted(jm.CATALOGUE)
ids = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
text = st.text(min_size=1, max_size=40)
maybe_text = st.one_of(st.just(""), text)
floats = st.floats(min_value=-2, max_value=2, allow_nan=False, allow_infinity=False)
flags = st.one_of(st.none(), st.booleans())
survey = st.one_of(st.none(), st.fixed_dictionaries({}, optional={
    "nps": st.floats(-100, 100), "csat": st.floats(0, 100), "ces": st.floats(1, 7), "responses": st.integers(0, 999)}))
minutes = st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False))


@st.composite
def journeys(draw) -> jm.Journey:
    stage_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    tp_ids = draw(st.lists(ids, min_size=1, max_size=7, unique=True))
    pain_ids = iter(f"p{i}" for i in range(100))
    touchpoints = []
    for tp_id in tp_ids:
        pains = [
            {"id": next(pain_ids), "text": draw(text), "severity": draw(st.integers(1, 5)),
             "frequency": draw(st.floats(0, 1))}
            for _ in range(draw(st.integers(0, 2)))
        ]
        touchpoints.append({
            "id": tp_id, "stage": draw(st.sampled_from(stage_ids)), "channel": draw(st.sampled_from(CHANNELS)),
            "action": draw(text), "thoughts": draw(maybe_text), "emotion": draw(floats),
            "effort": draw(st.one_of(st.none(), st.integers(1, 7))), "duration_min": draw(minutes),
            "wait_min": draw(minutes), "backstage": draw(st.lists(text, max_size=2)),
            "evidence": draw(st.sampled_from(["observed", "assumed", "proposed"])), "pain_points": pains,
            "conversion": draw(st.booleans()), "personalised": draw(flags), "on_brand": draw(flags),
            "entry_share": draw(st.one_of(st.none(), st.floats(0.01, 1).map(lambda x: x / len(tp_ids)))),
            "metrics": draw(survey),
        })
    transitions = None
    if draw(st.booleans()):
        transitions = []
        for src in tp_ids:
            targets = draw(st.lists(st.sampled_from(tp_ids), max_size=3, unique=True))  # loops allowed
            for tgt in targets:
                transitions.append({
                    "from": src, "to": tgt, "share": draw(st.floats(0, 1)) / max(1, len(targets)),
                    "context": draw(st.sampled_from(["none", "partial", "full"])),
                    "recognised": draw(st.booleans()),
                })
    all_pains = [p["id"] for tp in touchpoints for p in tp["pain_points"]]
    opportunities = [
        {"id": f"o{i}", "text": draw(text), "addresses": draw(st.lists(st.sampled_from(all_pains), max_size=2))
         if all_pains else [], "value": draw(st.integers(1, 5)), "effort": draw(st.integers(1, 5))}
        for i in range(draw(st.integers(0, 2)))
    ]
    persona = draw(st.one_of(st.none(), st.builds(
        lambda n, g, q: {"id": "persona_x", "name": n, "goals": g, "quote": q,
                         "demographics": {"age": 30, "city": "Sevilla"}},
        text, st.lists(text, max_size=2), maybe_text)))
    data = {
        "id": draw(ids), "title": draw(text), "description": draw(maybe_text), "persona": persona,
        "lang": draw(st.sampled_from(["en", "es"])), "state": draw(st.sampled_from(["current", "future"])),
        "stages": [{"id": s, "name": draw(text), "goal": draw(maybe_text)} for s in stage_ids],
        "touchpoints": touchpoints, "opportunities": opportunities,
        "channels": [{"id": "my_channel", "kind": "physical", "name_en": "Pop-up", "name_es": "Pop-up"}],
    }
    if transitions is not None:
        data["transitions"] = transitions
    return jm.Journey.model_validate(data)
