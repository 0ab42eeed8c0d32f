"""``jm.diff``: the semantic diff of two journeys (issue 17, part 4), with hand-written expectations.

The shipped pair retail_bopis_multichannel / retail_bopis_omnichannel (the same 14 steps redesigned) and a
journey against its calibrated copy (classic_social_to_purchase with its shipped event log) must give exactly
the changes written below; renames, unscorable journeys, text/JSON/HTML output and escaping are checked too.
"""

from __future__ import annotations

import json

import pytest

import journeymap as jm
from journeymap import shipped_journey
from journeymap._diff_walk import field_changes, renames
from journeymap.diff import JourneyDiff

MULTI = shipped_journey("retail_bopis_multichannel")
OMNI = shipped_journey("retail_bopis_omnichannel")

MULTI_PAINS = {"no_live_store_stock", "colour_unclear", "bot_no_fit_answer", "generic_newsletter",
               "loyalty_id_not_linked", "slow_collect_slot", "shared_till_queue", "parcel_not_found",
               "store_return_hidden", "paper_return_form", "slow_refund", "agent_cant_see_return", "ivr_wait",
               "returned_item_retargeted", "ad_lands_on_category", "retype_product_ref", "cart_not_synced",
               "repeat_id_at_counter"}
OMNI_PAINS = {"anonymous_first_visit", "reminder_timing", "peak_queue", "bank_refund_days", "qr_not_in_app_wallet"}
MULTI_OPPS = {"unified_oms", "ship_from_store", "cross_device_cart", "contextual_assistant", "instant_store_refund",
              "single_customer_view", "deep_link_ads", "dedicated_pickup_point", "customer_photos",
              "callback_not_queue"}
OMNI_OPPS = {"nudge_login", "send_time_optimisation", "pickup_lockers", "refund_tracker"}


def keys(items) -> set[str]:
    return {i.key for i in items}


def fields_of(d: JourneyDiff, kind: str, key: str) -> dict[str, tuple]:
    change = next(c for c in d.section(kind).changed if c.key == key)
    return {f.path: (f.old, f.new) for f in change.fields}


@pytest.fixture(scope="module")
def multi_omni() -> JourneyDiff:
    return jm.diff(MULTI, OMNI)


@pytest.fixture(scope="module")
def omni_multi() -> JourneyDiff:
    return jm.diff(OMNI, MULTI)


def test_multichannel_to_omnichannel_same_steps_redesigned(multi_omni):
    d = multi_omni
    tps = d.section("touchpoints")
    assert not tps.added and not tps.removed  # the same 14 steps …
    assert len(tps.changed) == 14  # … every one redesigned
    checkout = fields_of(d, "touchpoints", "checkout")
    assert checkout["emotion"] == (-0.5, 1.5)
    assert checkout["effort"] == (5, 2)
    assert checkout["duration_min"] == (12, 3)
    assert checkout["evidence"] == ("observed", "proposed")
    assert "pain_points" not in checkout  # pain points are their own section
    assert fields_of(d, "touchpoints", "store_pickup")["wait_min"] == (14, 2)
    assert fields_of(d, "touchpoints", "loyalty_offer")["personalised"] == (False, True)
    assert fields_of(d, "touchpoints", "review")["evidence"] == ("assumed", "proposed")


def test_multichannel_to_omnichannel_transitions(multi_omni):
    trs = multi_omni.section("transitions")
    assert not trs.added and not trs.removed
    assert len(trs.changed) == 22
    assert fields_of(multi_omni, "transitions", "ig_ad->product_page") == {
        "share": (0.7, 0.8), "context": ("none", "partial"), "recognised": (False, True)}
    assert fields_of(multi_omni, "transitions", "product_page->checkout")["share"] == (0.08, 0.22)


def test_multichannel_to_omnichannel_pain_points_and_opportunities(multi_omni):
    pains, opps = multi_omni.section("pain_points"), multi_omni.section("opportunities")
    assert keys(pains.removed) == MULTI_PAINS and keys(pains.added) == OMNI_PAINS and not pains.changed
    at = {i.key: i.data["at"] for i in pains.added}
    assert at["qr_not_in_app_wallet"] == "ready_sms->store_pickup" and at["peak_queue"] == "store_pickup"
    assert keys(opps.removed) == MULTI_OPPS and keys(opps.added) == OMNI_OPPS and not opps.changed


def test_multichannel_to_omnichannel_journey_fields_and_scores(multi_omni):
    d = multi_omni
    assert fields_of(d, "journey", "journey")["state"] == ("current", "future")
    assert fields_of(d, "journey", "journey")["id"] == ("retail_bopis_multichannel", "retail_bopis_omnichannel")
    assert not d.section("stages") and not d.section("channels") and not d.section("sources")
    multi, omni = jm.score(jm.load(MULTI)), jm.score(jm.load(OMNI))
    assert d.scores["friction"].a == pytest.approx(multi.total)
    assert d.scores["friction"].delta == pytest.approx(omni.total - multi.total)
    assert d.scores["friction"].delta < -15  # the redesign removes most friction
    assert d.scores["expected_conversion"].delta == pytest.approx(omni.expected_conversion - multi.expected_conversion)
    assert d.scores["expected_conversion"].delta > 0.1
    assert d.scores["continuity"].a == 0 and d.scores["continuity"].b > 80
    assert not d.score_errors
    texts = {(k, key, f.path) for k, key, f in d.texts}
    assert ("touchpoints", "checkout", "thoughts") in texts and ("journey", "journey", "title") in texts
    assert not any(f.path in ("emotion", "share", "state") for _, _, f in d.texts)


def test_the_pair_the_other_way_round_swaps_added_and_removed(multi_omni, omni_multi):
    for kind in ("pain_points", "opportunities"):
        assert keys(omni_multi.section(kind).added) == keys(multi_omni.section(kind).removed)
        assert keys(omni_multi.section(kind).removed) == keys(multi_omni.section(kind).added)
    assert fields_of(omni_multi, "touchpoints", "checkout")["emotion"] == (1.5, -0.5)
    for name in ("friction", "expected_conversion", "continuity"):
        assert omni_multi.scores[name].delta == pytest.approx(-multi_omni.scores[name].delta)


@pytest.mark.parametrize("name", ["retail_bopis_multichannel", "retail_bopis_omnichannel"])
def test_a_journey_against_itself_has_no_changes(name):
    d = jm.diff(shipped_journey(name), jm.load(shipped_journey(name)))
    assert not d and all(not s for s in d.sections.values())
    assert all(s.delta == 0 for s in d.scores.values())
    assert "no differences" in d.to_text()


@pytest.fixture(scope="module")
def calibrated() -> tuple[jm.Journey, jm.Journey, JourneyDiff]:
    from journeymap.analytics import calibrate, read_events

    designed = jm.load(shipped_journey("classic_social_to_purchase"))
    events, _ = read_events(jm.paths.PROJECT_ROOT / "data" / "events" / "classic_social_to_purchase.csv",
                            case="customer_id")
    cal = calibrate(designed, events, file="classic_social_to_purchase.csv")
    return designed, cal.journey, jm.diff(designed, cal.journey)


def test_calibrated_copy_shares_become_observed(calibrated):
    designed, _, d = calibrated
    trs = d.section("transitions")
    assert not trs.removed
    # every designed move is now measured: share from the log, evidence observed, an observed block added
    assert keys(trs.changed) == {tr.key for tr in designed.transitions}
    move = fields_of(d, "transitions", "tiktok_video->ig_profile")
    assert move["share"] == (0.4, 0.3826)
    assert move["evidence"] == ("assumed", "observed")
    assert move["observed"][0] is None and move["observed"][1]["count"] == 1913
    assert fields_of(d, "transitions", "checkout->shipping_sms")["share"] == (0.98, 0.871287)
    # moves the log shows but the design lacks are added
    assert keys(trs.added) == {"ig_profile->tiktok_video", "search_visit->chatbot_skin", "search_visit->email_signup",
                               "search_visit->checkout", "website_browse->search_visit",
                               "shipping_sms->refill_email", "unboxing->shipping_sms", "checkout->unboxing"}
    assert all(i.data["evidence"] == "observed" for i in trs.added)


def test_calibrated_copy_observed_blocks_and_source_added(calibrated):
    _, _, d = calibrated
    tps = d.section("touchpoints")
    assert not tps.added and not tps.removed and len(tps.changed) == 14
    for change in tps.changed:  # an observed block on every touchpoint, no designed text touched
        paths = {f.path for f in change.fields}
        assert "observed" in paths and paths <= {"observed", "entry_share"}
    tiktok = fields_of(d, "touchpoints", "tiktok_video")
    assert tiktok["entry_share"] == (None, 0.969)
    assert tiktok["observed"][1]["customers"] == 5000
    sources = d.section("sources")
    assert keys(sources.added) == {"events"} and not sources.removed
    added = sources.added[0].data
    assert (added["kind"], added["file"], added["customers"], added["rows"]) == (
        "events", "classic_social_to_purchase.csv", 5000, 9600)
    for kind in ("journey", "stages", "channels", "pain_points", "opportunities"):
        assert not d.section(kind), kind
    assert d.texts == []


def test_changed_id_when_unambiguous_and_transitions_follow():
    j = jm.load(shipped_journey("hotel_stay"))
    data = j.model_dump(by_alias=True)
    old = data["touchpoints"][1]["id"]
    data["touchpoints"][1]["id"] = "renamed_step"
    data["touchpoints"][1]["emotion"] = 1.0 if data["touchpoints"][1]["emotion"] != 1.0 else 0.5
    for tr in data["transitions"]:
        tr["from"] = "renamed_step" if tr["from"] == old else tr["from"]
        tr["to"] = "renamed_step" if tr["to"] == old else tr["to"]
    d = jm.diff(j, jm.Journey.model_validate(data))
    tps = d.section("touchpoints")
    assert not tps.added and not tps.removed
    (change,) = tps.changed
    assert (change.key, change.old_key) == ("renamed_step", old)
    assert [f.path for f in change.fields] == ["emotion"]
    assert not d.section("transitions")  # matched through the rename
    assert f"was {old}" in d.to_text() and f"antes {old}" in d.to_text("es")


def test_ambiguous_renames_stay_removed_and_added():
    from journeymap._diff_walk import Entry
    from journeymap.model import Stage

    def side(**labels):
        return {k: Entry(Stage(id=k, name=v), v) for k, v in labels.items()}

    assert renames(side(a="Buy", b="Pay"), side(x="Buy", y="Pay")) == {"a": "x", "b": "y"}
    assert renames(side(a="Buy", b="Buy"), side(x="Buy")) == {}  # two removed share the label
    assert renames(side(a="Buy"), side(x="Buy", y=" Buy ")) == {}  # two added share it (spaces trimmed)
    assert renames(side(a="Buy"), side(a="Buy", x="Buy")) == {}  # a is still there: nothing removed


def test_field_walk_covers_every_model_field():
    from journeymap.model import Touchpoint

    base = Touchpoint(id="t", stage="s", channel="web", action="Do")
    # every field a touchpoint has is compared (the walk reads model_fields: nothing is listed by hand)
    for name, info in Touchpoint.model_fields.items():
        value = getattr(base, name)
        other = base.model_copy(update={name: "changed" if value is None or isinstance(value, str) else None})
        assert [c.path for c in field_changes(base, other)] == [info.alias or name]
    obs = {"source": "e", "customers": 1, "visits": 2}
    nested = Touchpoint(id="t", stage="s", channel="web", action="Do", observed=obs)
    more = Touchpoint(id="t", stage="s", channel="web", action="Do", observed={**obs, "visits": 3})
    assert [str(c) for c in field_changes(nested, more)] == ["observed.visits: 2 → 3"]
    assert [c.path for c in field_changes(nested, more, exclude=("observed",))] == []


def _looping() -> jm.Journey:
    return jm.Journey.model_validate({
        "id": "loop", "title": "Loop", "stages": [{"id": "s", "name": "S"}],
        "touchpoints": [{"id": "a", "stage": "s", "channel": "website", "action": "A"},
                        {"id": "b", "stage": "s", "channel": "email", "action": "B"}],
        "transitions": [{"from": "a", "to": "b", "share": 1}, {"from": "b", "to": "a", "share": 1}]})


def test_a_journey_that_cannot_be_scored_is_reported_not_raised():
    good = _looping().model_copy(update={"transitions": _looping().transitions[:1]})
    d = jm.diff(good, _looping())
    assert set(d.score_errors) == {"b"} and "loop" in d.score_errors["b"]
    assert d.scores["friction"].a is not None and d.scores["friction"].b is None
    assert d.scores["friction"].delta is None
    assert keys(d.section("transitions").added) == {"b->a"}
    text = d.to_text()
    assert "B (loop) cannot be scored: journey 'loop': transitions: customers who reach a, b loop" in text
    assert "–" in text
    assert json.loads(d.to_json())["score_errors"]["b"] == d.score_errors["b"]
    assert "B (loop) cannot be scored" in d.to_html(maps=True)  # the map is drawn without friction


def test_json_is_plain_and_complete(multi_omni):
    doc = json.loads(multi_omni.to_json())
    assert doc["changed"] is True and doc["a"] == str(MULTI)
    assert doc["counts"]["pain_points"] == {"added": 5, "removed": 18, "changed": 0}
    assert doc["scores"]["friction"]["delta"] == pytest.approx(multi_omni.scores["friction"].delta)
    change = next(c for c in doc["sections"]["touchpoints"]["changed"] if c["id"] == "checkout")
    assert {"field": "effort", "old": 5, "new": 2} in change["fields"]
    assert any(t["id"] == "checkout" and t["field"] == "thoughts" for t in doc["texts"])


def test_text_in_spanish_and_without_control_characters():
    j = jm.load(shipped_journey("hotel_stay"))
    evil = j.model_copy(update={"title": "Hotel\x1b]0;owned\x07 \u202eevil"}, deep=True)
    text_en, text_es = jm.diff(j, evil).to_text(), jm.diff(j, evil).to_text("es")
    assert "\x1b" not in text_en and "\x07" not in text_en and "\u202e" not in text_en
    assert "Journey: 0 added, 0 removed, 1 changed" in text_en
    assert "Recorrido: 0 añadidos, 0 eliminados, 1 cambiados" in text_es
    assert "fricción" in text_es and "conversión esperada" in text_es
    with pytest.raises(ValueError, match="lang"):
        jm.diff(j, evil, score=False).to_text("fr")


def test_html_escapes_every_user_text():
    from evil import EVIL_A, evil_journey

    a = evil_journey()
    data = a.model_dump(by_alias=True)
    data["touchpoints"][0]["action"] = EVIL_A + " (changed)"
    data["opportunities"] = [*data.get("opportunities", []),
                             {"id": "new_idea", "text": "<b onmouseover=alert(1)>idea</b>"}]
    d = jm.diff(a, jm.Journey.model_validate(data), score=False)
    page = d.to_html(maps=False)
    assert "<script>alert" not in page and "<b onmouseover" not in page and "<img src=x" not in page
    assert "&lt;b onmouseover=alert(1)&gt;idea&lt;/b&gt;" in page
    assert "Content-Security-Policy" in page and "<script" not in page
    assert page.count("class='added'") == 1 and "class='changed'" in page


def test_html_has_both_maps_and_marked_rows(multi_omni):
    page = multi_omni.to_html("es")
    assert page.count('<img class="chart"') == 2 and page.count("data:image/png;base64,") == 2
    assert '<html lang="es">' in page and "Antes:" in page and "Después:" in page
    assert page.count("class='added'") == 5 + 4 and page.count("class='removed'") == 18 + 10
    assert page.count("class='changed'") == 1 + 14 + 22


def test_jm_diff_is_the_function_whatever_was_imported_first():
    import subprocess
    import sys

    code = "from journeymap.diff import JourneyDiff; import journeymap as jm; print(type(jm.diff).__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "function"  # not the module journeymap.diff
    assert jm.diff is sys.modules["journeymap.diff"].diff
    assert jm.JourneyDiff is JourneyDiff
    with pytest.raises(jm.JourneyError, match="file not found"):
        jm.diff("no/such/file.yaml", MULTI)


def test_every_pair_of_shipped_journeys_accounts_for_every_item():
    journeys = {p.stem: jm.load(p) for p in jm.shipped_journeys()}
    assert len(journeys) >= 8
    for a in journeys.values():
        for b in journeys.values():
            d = jm.diff(a, b, score=False)
            assert bool(d) == (a is not b)
            for kind, ids in (("touchpoints", lambda j: [t.id for t in j.touchpoints]),
                              ("pain_points", lambda j: [p.id for p, _ in j.pain_points()]),
                              ("opportunities", lambda j: [o.id for o in j.opportunities]),
                              ("stages", lambda j: [s.id for s in j.stages])):
                s = d.section(kind)
                renamed = {c.old_key: c.key for c in s.changed if c.old_key}
                kept = set(ids(a)) - keys(s.removed) - set(renamed)
                assert kept | set(renamed.values()) | keys(s.added) == set(ids(b)), (a.id, b.id, kind)
                assert not (keys(s.added) & set(ids(a))) and not (keys(s.removed) & set(ids(b)))
