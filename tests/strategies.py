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


#: Texts that try to break a Mermaid diagram or its ``%% jm`` metadata.
HOSTILE = ["%%{init: {'theme':'dark'}}%%", "a\n%% jm-data 1 {}", "x: 5: y; z", "  lead and trail  ", "#59;<b>&",
           "%% jm-journey v1 lang=en chars=1 lines=1 sha256=0", "line\r\nbreak\u2028sep", "```mermaid", "ñ 😀 中文"]
hostile_text = st.one_of(text, st.sampled_from(HOSTILE))
spreads = st.one_of(st.none(), st.builds(lambda a, b, c: dict(zip(("q1", "median", "q3"), sorted((a, b, c)),
                                                                  strict=True)),
                                         *[st.floats(0, 1e5, allow_nan=False)] * 3))
quotes = st.lists(st.fixed_dictionaries({"text": hostile_text}, optional={
    "source": maybe_text, "date": st.just("2026-01-31"), "lang": st.sampled_from(["en", "es"]),
    "tone": st.floats(-1, 1)}), max_size=2)


def _interval(draw, low, high):
    a, b = sorted((draw(st.floats(low, high)), draw(st.floats(low, high))))
    return [a, b]


@st.composite
def evidence_journeys(draw) -> jm.Journey:
    """A :func:`journeys` journey with every evidence and money field filled in (issues 14–15), hostile texts."""
    data = draw(journeys()).model_dump(by_alias=True)
    sources = [{"id": f"src{i}", "kind": kind, "file": draw(maybe_text), "customers": draw(st.integers(0, 10**6)),
                "rows": draw(st.one_of(st.none(), st.integers(0, 10**7))), "start": "2026-01-01", "end": "2026-02-01",
                "conversion": draw(st.one_of(st.none(), st.floats(0, 1))), "note": draw(maybe_text)}
               for i, kind in enumerate(draw(st.lists(st.sampled_from(["events", "survey", "quotes"]),
                                                      min_size=1, max_size=3)))]
    src = st.sampled_from([s["id"] for s in sources])

    def metrics():
        if not draw(st.booleans()):
            return None
        return {"nps": draw(st.floats(-100, 100)), "nps_n": draw(st.integers(0, 500)),
                "nps_ci": _interval(draw, -100, 100), "csat": draw(st.floats(0, 100)),
                "csat_ci": _interval(draw, 0, 100), "ces": draw(st.floats(1, 7)), "ces_n": draw(st.integers(0, 50)),
                "responses": draw(st.integers(0, 999)), "source": draw(src)}

    for stage in data["stages"]:
        stage["metrics"], stage["name"] = metrics(), draw(hostile_text)
    for tp in data["touchpoints"]:
        tp["action"], tp["thoughts"] = draw(hostile_text), draw(hostile_text)
        tp["measured"] = draw(st.lists(st.sampled_from(["emotion", "effort", "duration_min", "wait_min"]),
                                       unique=True, max_size=4))
        tp["quotes"], tp["metrics"] = draw(quotes), metrics()
        for pain in tp["pain_points"]:
            pain["quotes"], pain["evidence"] = draw(quotes), draw(st.sampled_from(["observed", "assumed"]))
        if draw(st.booleans()):
            tp["observed"] = {"source": draw(src), "customers": draw(st.integers(0, 999)),
                              "visits": draw(st.integers(0, 9999)), "entries": draw(st.integers(0, 99)),
                              "exits": draw(st.integers(0, 99)), "gap_min": draw(spreads)}
    for i, tr in enumerate(data["transitions"]):
        tr["evidence"] = draw(st.sampled_from(["observed", "assumed", "proposed"]))
        if draw(st.booleans()):
            tr["observed"] = {"source": draw(src), "count": draw(st.integers(0, 999)), "gap_min": draw(spreads)}
        tr["pain_points"] = [{"id": f"q{i}", "text": draw(hostile_text), "quotes": draw(quotes)}
                             ] if draw(st.booleans()) else []
    channels = sorted({tp["channel"] for tp in data["touchpoints"]})
    data.update(sources=sources, title=draw(hostile_text), description=draw(hostile_text),
                value_per_conversion=draw(st.one_of(st.none(), st.floats(0, 1e9))),
                currency=draw(st.sampled_from(["EUR", "USD", "GBP", "MXN"])),
                costs={ch: draw(st.floats(0, 1e4)) for ch in draw(st.lists(st.sampled_from(channels), max_size=3))})
    if draw(st.booleans()):
        data["persona"] = "persona_ref"  # a persona given by id (resolved by jm.load, kept as the id here)
    return jm.Journey.model_validate(data)
