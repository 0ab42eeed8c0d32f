"""Friction scoring: components, reach through branches and loops, scorecard, priorities, what-if."""

from __future__ import annotations

import pytest

import journeymap as jm
from journeymap.scoring import COMPONENTS, EndlessLoopError, Weights, endings, visits

PAIRS = [("retail_bopis_multichannel", "retail_bopis_omnichannel")]


def journey(base, **changes) -> jm.Journey:
    base.update(changes)
    return jm.Journey.model_validate(base)


@pytest.mark.parametrize("multi, omni", PAIRS)
def test_omnichannel_beats_multichannel(multi, omni):
    a = jm.score(jm.load(jm.shipped_journey(multi)))
    b = jm.score(jm.load(jm.shipped_journey(omni)))
    assert b.total < a.total
    assert b.continuity > a.continuity
    assert b.expected_conversion > a.expected_conversion


def test_pairs_cover_every_shipped_pair():
    names = {p.stem for p in jm.shipped_journeys()}
    multis = {n for n in names if n.endswith("_multichannel")}
    assert multis == {m for m, _ in PAIRS}
    assert all(n.replace("_multichannel", "_omnichannel") in names for n in multis)


def test_components_hand_computed(base):
    """A single touchpoint journey whose score can be worked out by hand."""
    j = jm.Journey.model_validate({
        "id": "one", "title": "One", "stages": [{"id": "s", "name": "S"}],
        "touchpoints": [{"id": "t", "stage": "s", "channel": "phone", "action": "Calls", "effort": 7,
                         "emotion": -2, "wait_min": 10_080,
                         "pain_points": [{"id": "p", "text": "x", "severity": 5, "frequency": 1}]}]})
    r = jm.score(j)
    assert r.by_touchpoint.loc["t", "friction"] == pytest.approx(85.0)  # all but handoff (0.15) at maximum
    assert r.total == pytest.approx(85.0)
    assert dict(r.components.loc["t", list(COMPONENTS)]) == pytest.approx(
        {"effort": 1, "emotion": 1, "pain": 1, "wait": 1, "handoff": 0})


def test_handoff_depends_on_context_and_recognition(base):
    scores = {}
    for context in ("none", "partial", "full"):
        for recognised in (False, True):
            data = dict(base)
            data["transitions"] = [{"from": "ad", "to": "web", "share": 1.0, "context": context,
                                    "recognised": recognised}, {"from": "web", "to": "shop", "share": 1.0}]
            scores[context, recognised] = jm.score(jm.Journey.model_validate(data)).by_touchpoint.loc[
                "web", "handoff"]
    assert scores["none", False] > scores["none", True] > scores["partial", True] > scores["full", True] == 0
    assert scores["none", False] == pytest.approx(15.0)  # penalty 1.0 × weight 0.15 × 100


def test_same_channel_transitions_have_no_handoff(base):
    base["touchpoints"][1]["channel"] = "instagram"
    base["transitions"][0]["context"] = "none"
    assert jm.score(jm.Journey.model_validate(base)).by_touchpoint.loc["web", "handoff"] == 0


def test_reach_with_branches_and_drop_off(base):
    base["transitions"] = [{"from": "ad", "to": "web", "share": 0.5}, {"from": "ad", "to": "shop", "share": 0.3},
                           {"from": "web", "to": "shop", "share": 0.6}]
    j = jm.Journey.model_validate(base)
    assert visits(j) == pytest.approx({"ad": 1.0, "web": 0.5, "shop": 0.6})
    assert endings(j) == pytest.approx({"ad": 0.2, "web": 0.2, "shop": 0.6})
    assert jm.score(j).exits == pytest.approx({"shop": 0.6})


def test_loop_scores_without_hanging(base):
    """support → retry → support: the loop is solved, not walked."""
    base["transitions"] = [{"from": "ad", "to": "web", "share": 1.0}, {"from": "web", "to": "shop", "share": 0.9},
                           {"from": "shop", "to": "web", "share": 0.5}]
    j = jm.Journey.model_validate(base)
    v = visits(j)
    # web is entered once from ad, then again each time shop sends customers back: v_web = 1 + 0.5 v_shop
    assert v["shop"] == pytest.approx(0.9 * v["web"])
    assert v["web"] == pytest.approx(1 / (1 - 0.45))
    assert sum(endings(j).values()) == pytest.approx(1.0)
    assert 0 <= jm.score(j).total <= 100


def test_self_loop(base):
    base["transitions"] = [{"from": "ad", "to": "ad", "share": 0.5}, {"from": "ad", "to": "web", "share": 0.5},
                           {"from": "web", "to": "shop"}]
    assert visits(jm.Journey.model_validate(base))["ad"] == pytest.approx(2.0)


def test_endless_loop_is_a_clear_error(base):
    base["transitions"] = [{"from": "ad", "to": "web"}, {"from": "web", "to": "ad"}]
    with pytest.raises(EndlessLoopError, match="ad, web loop forever"):
        jm.score(jm.Journey.model_validate(base))


def test_entry_shares(base):
    base["touchpoints"][0]["entry_share"] = 3
    base["touchpoints"][2]["entry_share"] = 1
    with pytest.raises(Exception, match="less than or equal to 1"):
        jm.Journey.model_validate(base)
    base["touchpoints"][0]["entry_share"] = 0.6
    base["touchpoints"][2]["entry_share"] = 0.2
    j = jm.Journey.model_validate(base)
    assert jm.entries(j) == ["ad", "shop"]
    assert jm.scoring.entry_distribution(j) == pytest.approx({"ad": 0.75, "shop": 0.25})


def test_expected_conversion_marked_or_exits(base):
    j = jm.Journey.model_validate(base)
    assert jm.score(j).expected_conversion == pytest.approx(0.3 * 0.9)  # exit reach
    base["touchpoints"][1]["conversion"] = True
    assert jm.score(jm.Journey.model_validate(base)).expected_conversion == pytest.approx(0.3)


def test_stage_channel_and_matrix_are_reach_weighted(base):
    r = jm.score(jm.Journey.model_validate(base))
    tp = r.by_touchpoint
    buy = tp.loc[["web", "shop"]]
    expected = (buy["friction"] * buy["reach"]).sum() / buy["reach"].sum()
    assert r.by_stage.loc["buy", "friction"] == pytest.approx(expected)
    assert r.by_stage.loc["buy", "touchpoints"] == 2
    assert r.by_channel.loc["store", "friction"] == pytest.approx(tp.loc["shop", "friction"])
    m = r.matrix()
    assert list(m.index) == ["aware", "buy"] and m.loc["buy", "website"] == pytest.approx(tp.loc["web", "friction"])
    assert m.isna().loc["aware", "website"]


def test_explain_sums_to_the_score():
    r = jm.score(jm.load(jm.shipped_journey("telecom_tech_support")))
    for tp_id, row in r.by_touchpoint.iterrows():
        text = r.explain(tp_id)
        points = [float(line.rsplit("=", 1)[1].split()[0]) for line in text.splitlines() if "× weight" in line]
        assert len(points) == len(COMPONENTS)
        assert sum(points) == pytest.approx(row["friction"], abs=0.06)
        assert f"friction {row['friction']:.1f}" in text
    with pytest.raises(KeyError, match="no touchpoint 'nope'"):
        r.explain("nope")


def test_weights_from_dict_file_and_errors(base, tmp_path):
    j = jm.Journey.model_validate(base)
    only_effort = jm.score(j, {"effort": 1, "emotion": 0, "pain": 0, "wait": 0, "handoff": 0})
    assert only_effort.by_touchpoint.loc["web", "friction"] == pytest.approx(100 * (3 - 1) / 6)
    path = tmp_path / "w.yaml"
    path.write_text("pain: 2\n")
    assert jm.score(j, path).weights.pain == 2
    path.write_text("pain: -2\nbogus: 1\n")
    with pytest.raises(jm.JourneyError) as info:
        jm.score(j, path)
    assert {p.path for p in info.value.problems} == {"pain", "bogus"}
    with pytest.raises(jm.JourneyError, match="at least one component weight"):
        jm.score(j, {k: 0 for k in COMPONENTS})
    path.write_text("- 1\n")
    with pytest.raises(jm.JourneyError, match="mapping"):
        jm.score(j, path)
    with pytest.raises(jm.JourneyError, match="not found"):
        jm.score(j, tmp_path / "none.yaml")
    assert jm.scoring.load_weights(Weights(pain=1)).pain == 1


def test_scorecard_components(base):
    base["touchpoints"][0]["personalised"] = True
    base["touchpoints"][1]["personalised"] = False
    base["touchpoints"][1]["on_brand"] = True
    r = jm.score(jm.Journey.model_validate(base))
    card = r.scorecard["value"]
    flows = r.by_transition["flow"]
    # switches: ad->web (partial, recognised), web->shop (none, not recognised)
    assert card["channel_integration"] == pytest.approx(100 * 0.5 * flows["ad->web"] / flows.sum())
    assert card["data"] == pytest.approx(100 * flows["ad->web"] / flows.sum())
    assert card["personalisation"] == pytest.approx(100 * 1.0 / (1.0 + r.reach["web"]))
    assert card["brand_coherence"] == 100
    assert card["channels"] == 3
    assert card["repeats_per_customer"] == pytest.approx(flows["web->shop"])
    # all customers start on instagram; those ending on web or at the shop ended elsewhere
    assert card["cross_channel_rate"] == pytest.approx(100 * 0.3)
    assert "not assessed" not in " ".join(r.scorecard["explanation"])


def test_pain_and_opportunity_rankings():
    r = jm.score(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
    pains = r.pain_ranking()
    top = pains.iloc[0]
    assert top["impact"] == pytest.approx(top["severity"] * top["frequency"] * top["reach"])
    assert pains["impact"].is_monotonic_decreasing
    opps = r.opportunity_ranking()
    assert opps["removed_per_effort"].is_monotonic_decreasing
    best = opps.index[0]
    _fixed, c = jm.what_if(r.journey, fix=r.journey.opportunities[
        [o.id for o in r.journey.opportunities].index(best)].addresses)
    assert -c.totals.loc["friction", "delta"] == pytest.approx(opps.loc[best, "friction_removed"])
    assert (opps["friction_removed"] >= 0).all()


def test_what_if_and_compare():
    j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    changed, c = jm.what_if(j, carry_context=["ig_ad->product_page"], recognise="all")
    assert changed.transitions[0].context == "full"
    assert all(t.recognised for t in jm.cross_channel_transitions(changed))
    assert [t.context for t in changed.transitions[1:]] == [t.context for t in j.transitions[1:]]
    assert c.totals.loc["friction", "delta"] < 0 and c.totals.loc["data", "b"] == 100
    assert "friction" in c.summary() and c.conversion_delta == 0
    assert list(c.by_stage.columns) == ["name", "a", "b", "delta"]
    with pytest.raises(KeyError, match="no transition a->b"):
        jm.what_if(j, carry_context=["a->b"])
    with pytest.raises(KeyError, match="no pain point zzz"):
        jm.what_if(j, fix=["zzz"])
    assert j.transitions[0].context == "none", "the original journey is untouched"


def test_metrics_shown_beside_friction(base):
    base["touchpoints"][1]["metrics"] = {"nps": 20, "csat": 75, "responses": 40}
    base["stages"][1]["metrics"] = {"ces": 5.5}
    r = jm.score(jm.Journey.model_validate(base))
    assert r.by_touchpoint.loc["web", "nps"] == 20 and r.by_touchpoint.loc["web", "csat"] == 75
    assert r.by_stage.loc["buy", "ces"] == 5.5 and r.by_stage["nps"].isna().all()
