"""Property tests of the friction model (hypothesis)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import journeys

import journeymap as jm
from journeymap.scoring import COMPONENTS, EndlessLoopError, endings, flows, visits

CONTEXT_ORDER = ["none", "partial", "full"]


def scored(j):
    try:
        return jm.score(j)
    except EndlessLoopError:
        assume(False)


def _with(j, mutate):
    data = copy.deepcopy(j.model_dump(by_alias=True))
    mutate(data)
    return jm.Journey.model_validate(data)


@settings(max_examples=60, deadline=None)
@given(journeys(), st.data())
def test_worse_inputs_never_lower_friction(j, data):
    before = scored(j)
    i = data.draw(st.integers(0, len(j.touchpoints) - 1))
    tp = j.touchpoints[i]
    kind = data.draw(st.sampled_from(["effort", "emotion", "severity"]))
    if kind == "effort":
        new = data.draw(st.integers(tp.effort or 1, 7))
        after = scored(_with(j, lambda d: d["touchpoints"][i].update(effort=new)))
    elif kind == "emotion":
        new = data.draw(st.floats(-2, tp.emotion))
        after = scored(_with(j, lambda d: d["touchpoints"][i].update(emotion=new)))
    else:
        assume(tp.pain_points)
        k = data.draw(st.integers(0, len(tp.pain_points) - 1))
        new = data.draw(st.integers(tp.pain_points[k].severity, 5))
        after = scored(_with(j, lambda d: d["touchpoints"][i]["pain_points"][k].update(severity=new)))
    assert after.by_touchpoint.loc[tp.id, "friction"] >= before.by_touchpoint.loc[tp.id, "friction"] - 1e-9
    assert after.total >= before.total - 1e-9


@settings(max_examples=60, deadline=None)
@given(journeys(), st.data())
def test_more_context_never_raises_friction(j, data):
    assume(j.transitions)
    before = scored(j)
    i = data.draw(st.integers(0, len(j.transitions) - 1))
    tr = j.transitions[i]
    better = data.draw(st.sampled_from(CONTEXT_ORDER[CONTEXT_ORDER.index(tr.context):]))
    after = scored(_with(j, lambda d: d["transitions"][i].update(context=better, recognised=True
                                                                   if tr.recognised else
                                                                   data.draw(st.booleans()))))
    assert after.total <= before.total + 1e-9
    assert (after.by_touchpoint["friction"] <= before.by_touchpoint["friction"] + 1e-9).all()


@settings(max_examples=80, deadline=None)
@given(journeys())
def test_reach_is_conserved(j):
    try:
        v = visits(j)
    except EndlessLoopError:
        assume(False)
    f = flows(j, v)
    for tp in j.touchpoints:
        out = sum(x for key, x in f.items() if key.split("->")[0] == tp.id)
        assert out <= v[tp.id] + 1e-9
        assert v[tp.id] >= 0
    assert sum(endings(j, v).values()) == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(journeys())
def test_complete_shares_send_everyone_to_an_exit(j):
    """Make shares complete (each non-exit node sends all its customers on): exits get everyone."""
    data = j.model_dump(by_alias=True)
    out = {}
    for tr in data["transitions"]:
        out.setdefault(tr["from"], []).append(tr)
    for trs in out.values():
        for tr in trs:
            tr["share"] = 1 / len(trs)
    complete = jm.Journey.model_validate(data)
    try:
        report = jm.score(complete)
    except EndlessLoopError:
        assume(False)
    assert sum(report.exits.values()) == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(journeys())
def test_explain_components_sum_to_the_score(j):
    report = scored(j)
    for tp_id, row in report.by_touchpoint.iterrows():
        assert sum(row[c] for c in COMPONENTS) == pytest.approx(row["friction"])
        assert 0 <= row["friction"] <= 100
        lines = [line for line in report.explain(tp_id).splitlines() if "× weight" in line]
        assert len(lines) == len(COMPONENTS)
