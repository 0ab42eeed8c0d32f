"""Cost to serve and the business case (issue 15 part 5): jm.economics, compare/what_if money, HTML, CLI."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from pydantic import ValidationError

import journeymap as jm
from journeymap.channels import CATALOGUE, DEFAULT_COSTS
from journeymap.cli import main
from journeymap.cost_to_serve import economics, economics_from_events, load_costs, money
from journeymap.errors import JourneyError
from journeymap.scoring import flow


def _demo(**extra) -> jm.Journey:
    extra = {"value_per_conversion": 20, **extra}
    return jm.Journey(
        id="chat_demo", title="Chat demo",
        stages=[{"id": "s", "name": "Shop"}, {"id": "t", "name": "Pay"}],
        touchpoints=[{"id": "web", "stage": "s", "channel": "website", "action": "Browse"},
                     {"id": "chat", "stage": "s", "channel": "live_chat", "action": "Ask"},
                     {"id": "buy", "stage": "t", "channel": "website", "action": "Buy", "conversion": True}],
        transitions=[{"from": "web", "to": "chat", "share": 0.4, "context": "none"},
                     {"from": "web", "to": "buy", "share": 0.5},
                     {"from": "chat", "to": "buy", "share": 0.5}], **extra)


def test_hand_computed_example():
    e = economics(_demo())
    # reach: web 1, chat 0.4, buy 0.5 + 0.4 × 0.5 = 0.7; website 0.10, live chat 3.82 (ContactBabel)
    assert e.contact_cost == pytest.approx(1 * 0.10 + 0.4 * 3.82 + 0.7 * 0.10)
    assert e.repeat_cost == pytest.approx(0.4 * 3.82)  # web → chat loses context; chat → buy carries it
    assert e.cost_per_customer == pytest.approx(3.226)
    assert e.expected_value == pytest.approx(14.0)
    assert e.net == pytest.approx(14.0 - 3.226)
    assert e.cost_per_conversion == pytest.approx(3.226 / 0.7)
    assert e.by_stage["cost"].to_dict() == pytest.approx({"s": 0.10 + 2 * 1.528, "t": 0.07})
    assert e.by_channel.loc["live_chat", "cost"] == pytest.approx(2 * 1.528)
    assert list(e.repeats.index) == ["web->chat"] and e.missing == []


def test_unrecognised_switch_is_a_repeat_even_with_context():
    j = _demo()
    j.transitions[2] = j.transitions[2].model_copy(update={"recognised": False})  # chat → buy (website)
    assert economics(j).repeat_cost == pytest.approx(0.4 * 3.82 + 0.2 * 0.10)


def test_no_value_per_conversion_gives_none_and_says_so():
    e = economics(_demo(value_per_conversion=None))
    assert e.expected_value is None and e.net is None
    assert math.isnan(e.totals.loc["net", "value"])
    assert "value_per_conversion" in e.summary()


def _pairs() -> list[tuple[str, str]]:
    stems = {p.stem for p in jm.shipped_journeys()}
    return [(s, s.replace("_multichannel", "_omnichannel")) for s in sorted(stems)
            if s.endswith("_multichannel") and s.replace("_multichannel", "_omnichannel") in stems]


def _by_hand(journey: jm.Journey) -> float:
    """Cost per customer straight from the flow equations: Σ visits × cost + Σ lost-switch flow × target cost."""
    price = {tp.channel: (CATALOGUE[tp.channel].cost if tp.channel in CATALOGUE else None) or 0.0
             for tp in journey.touchpoints}
    price.update(journey.costs)
    visits = flow.visits(journey)
    tps = {tp.id: tp for tp in journey.touchpoints}
    cost = sum(visits[i] * price[tp.channel] for i, tp in tps.items())
    for tr in journey.transitions:
        src, dst = tps[tr.source], tps[tr.target]
        if src.channel != dst.channel and (tr.context == "none" or not tr.recognised):
            cost += visits[tr.source] * tr.share * price[dst.channel]
    return cost


@pytest.mark.parametrize(("multi", "omni"), _pairs())
def test_omnichannel_twin_costs_less_per_customer(multi, omni):
    a, b = jm.load(jm.shipped_journey(multi)), jm.load(jm.shipped_journey(omni))
    ea, eb = economics(a), economics(b)
    assert ea.cost_per_customer == pytest.approx(_by_hand(a))
    assert eb.cost_per_customer == pytest.approx(_by_hand(b))
    assert eb.cost_per_customer < ea.cost_per_customer
    assert eb.repeat_cost < ea.repeat_cost


def test_at_least_one_shipped_pair():
    assert ("retail_bopis_multichannel", "retail_bopis_omnichannel") in _pairs()


def test_cost_precedence(tmp_path):
    own = {"id": "kiosk2", "kind": "physical", "name_en": "Kiosk", "name_es": "Quiosco", "cost": 1.5}
    j = _demo(channels=[own])
    j.touchpoints[0] = j.touchpoints[0].model_copy(update={"channel": "kiosk2"})
    e = economics(j)
    assert (e.cost_per_contact["kiosk2"], e.cost_source["kiosk2"]) == (1.5, "channel")
    assert (e.cost_per_contact["live_chat"], e.cost_source["live_chat"]) == (3.82, "catalogue")
    j2 = j.model_copy(update={"costs": {"live_chat": 2.0, "kiosk2": 1.0}})
    e2 = economics(j2)
    assert e2.cost_per_contact == {"kiosk2": 1.0, "live_chat": 2.0, "website": 0.10}
    assert set(e2.cost_source.values()) == {"journey", "catalogue"}
    e3 = economics(j2, costs={"live_chat": 3.0})
    assert (e3.cost_per_contact["live_chat"], e3.cost_source["live_chat"]) == (3.0, "given")
    assert e3.cost_per_contact["kiosk2"] == 1.0
    f = tmp_path / "costs.yaml"
    f.write_text("live_chat: 4\nwebsite: 0\n")
    e4 = economics(j2, costs=f)
    assert e4.cost_per_contact["live_chat"] == 4.0 and e4.cost_per_contact["website"] == 0.0
    assert e4.contact_cost == pytest.approx(1.0 + 0.4 * 4)


def test_missing_costs_are_counted_zero_and_listed():
    j = _demo()
    j.touchpoints[0] = j.touchpoints[0].model_copy(update={"channel": "instagram"})
    assert "instagram" not in DEFAULT_COSTS
    e = economics(j)
    assert e.missing == ["instagram"] and e.cost_source["instagram"] == "missing"
    assert e.by_touchpoint.loc["web", "cost"] == 0.0
    assert "instagram" in e.summary() and "counted as 0" in e.summary()
    assert "sin coste por contacto para: instagram" in e.summary("es")
    assert economics(j, costs={"instagram": 0.3}).missing == []


def test_journey_costs_and_currency_validated():
    with pytest.raises(ValidationError) as info:
        _demo(costs={"fax": 1, "phone": -1}, currency="€<b>")
    locs = {tuple(e["loc"]) for e in info.value.errors()}
    assert {("costs", "fax"), ("costs", "phone"), ("currency",)} <= locs
    with pytest.raises(ValidationError):
        _demo(value_per_conversion=True)


def test_journey_file_with_money_round_trips_and_reports_lines(tmp_path):
    j = _demo(costs={"live_chat": 2.5}, currency="USD")
    path = tmp_path / "j.yaml"
    jm.save(j, path)
    back = jm.load(path)
    assert (back.costs, back.currency, back.value_per_conversion) == ({"live_chat": 2.5}, "USD", 20)
    text = path.read_text().replace("live_chat: 2.5", "live_chat: lots")
    path.write_text(text)
    problems = jm.validate(path)
    line = text.splitlines().index("  live_chat: lots") + 1
    assert [str(p) for p in problems] == [f"{path}:{line}: costs.live_chat: input should be a valid number, "
                                          f"unable to parse string as a number (got 'lots')"]


def test_costs_file_errors_are_one_line_with_file_and_line(tmp_path, capsys):
    f = tmp_path / "costs.yaml"
    f.write_text("phone: 4\nemial: 3\nstore: -1\nsms: true\n")
    with pytest.raises(JourneyError) as info:
        load_costs(f, _demo())
    shown = [str(p) for p in info.value.problems]
    assert shown[0] == f"{f}:2: emial: unknown channel; did you mean 'email'? (got 'emial')"
    assert shown[1].startswith(f"{f}:3: store: input should be greater than or equal to 0")
    assert shown[2].startswith(f"{f}:4: sms: expected a number, not true/false")
    for bad, expected in (("- 1\n", ":1: expected a mapping"), ("phone: [1\n", ":2: bad YAML syntax")):
        f.write_text(bad)
        with pytest.raises(JourneyError) as info:
            load_costs(f)
        assert expected in str(info.value.problems[0]) and "\n" not in str(info.value.problems[0])
    f.write_text("phone: 4\nemial: 3\n")
    rc = main(["economics", str(jm.shipped_journey("hotel_stay")), "--costs", str(f)])
    err = capsys.readouterr().err
    assert rc == 1 and err.strip() == f"{f}:2: emial: unknown channel; did you mean 'email'? (got 'emial')"
    assert "Traceback" not in err


def _hostile_journey() -> jm.Journey:
    evil = {"id": "evil", "kind": "messaging", "name_en": '=HYPERLINK("http://x")<script>alert(1)</script>',
            "name_es": "<img src=x onerror=alert(1)>"}
    j = _demo(channels=[evil], costs={"evil": 2.0})
    j.touchpoints[1] = j.touchpoints[1].model_copy(update={"channel": "evil"})
    return j


def test_hostile_names_escaped_in_html():
    from journeymap.exporting_money import money_html

    j = _hostile_journey()
    html = money_html(j, jm.score(j), "en")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in money_html(j.model_copy(update={"lang": "es"}), jm.score(j), "es")
    j_bad_currency = j.model_copy(update={"currency": "<b>x"})  # bypassing validation: still escaped
    out = money_html(j_bad_currency, jm.score(j_bad_currency), "en")
    assert "<b>x" not in out and "&lt;b&gt;x" in out


def test_hostile_names_neutralised_in_csv(tmp_path, capsys):
    path = tmp_path / "evil.yaml"
    jm.save(_hostile_journey(), path)
    assert main(["economics", str(path), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = pd.read_csv(__import__("io").StringIO(out))
    names = list(rows["name"])
    assert "'=HYPERLINK(\"http://x\")<script>alert(1)</script>" in names
    assert not any(str(n).startswith("=") for n in names)


def test_compare_and_what_if_carry_money():
    multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    omni = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    c = jm.compare(multi, omni)
    for row in ("cost_per_customer", "repeat_cost", "expected_value", "net"):
        assert row in c.totals.index
    delta = economics(omni).cost_per_customer - economics(multi).cost_per_customer
    assert c.totals.loc["cost_per_customer", "delta"] == pytest.approx(delta)
    pp = 100 * c.conversion_delta
    assert c.money_sentence() == (f"retail_bopis_omnichannel instead of retail_bopis_multichannel saves "
                                  f"{money(-delta)} per customer and adds {pp:.1f} pp conversion.")
    assert "cost / customer" in c.summary()


def test_what_if_sentence_from_the_numbers():
    j = _demo()
    _changed, c = jm.what_if(j, carry_context=["web->chat"])
    assert c.changes == {"carry": 1, "recognise": 0, "fix": 0}
    saved = 0.4 * 3.82
    assert c.totals.loc["cost_per_customer", "delta"] == pytest.approx(-saved)
    assert c.money_sentence() == (f"Carrying context at this handoff saves {money(saved)} per customer, leaves "
                                  f"conversion unchanged and raises the net value by {money(saved)} per customer.")
    assert c.money_sentence("es").startswith("Llevar el contexto en este traspaso ahorra 1,53 € por cliente")
    multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    keys = ["ig_ad->product_page", "product_page->cart_email", "checkout->order_confirmation"]
    _changed, c = jm.what_if(multi, carry_context=keys, recognise=keys)
    assert c.money_sentence().startswith("Carrying context at these 3 handoffs and recognising the customer at "
                                         "these 3 handoffs saves €")


def test_html_report_has_the_money_section():
    from journeymap.exporting import report_html

    text = report_html(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
    assert 'class="card money"' in text and "Cost to serve and value" in text and "€6.77" in text


def test_explorer_shows_money():
    pytest.importorskip("ipywidgets")
    from journeymap.widgets.explorer import FrictionExplorer

    x = FrictionExplorer(_demo(), heatmap=False)
    assert "Cost per customer: €3.23 → €3.23" in x.summary.value
    x.carry["web->chat"].value = True
    assert "€3.23 → €1.70" in x.summary.value and "saves €1.53 per customer" in x.summary.value


def test_cli_economics_json_matches_the_api(capsys):
    path = jm.shipped_journey("retail_bopis_multichannel")
    assert main(["economics", str(path), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    e = economics(jm.load(path))
    assert payload["totals"]["cost_per_customer"] == pytest.approx(e.cost_per_customer)
    assert payload["missing"] == ["instagram", "reviews"] and payload["totals"]["net"] is None
    assert main(["economics", str(path)]) == 0
    assert "illustrative" in capsys.readouterr().out
    assert main(["compare", str(path), str(jm.shipped_journey("retail_bopis_omnichannel"))]) == 0
    assert "saves €1.11 per customer" in capsys.readouterr().out


def test_economics_from_events_brute_force():
    j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    events = jm.analytics.simulate(j, customers=150, seed=7)
    out = economics_from_events(events, costs={"website": 0.2})
    customers = events["customer_id"].nunique()
    total = 0.0
    for ch, n in events["channel"].value_counts().items():
        price = 0.2 if ch == "website" else (CATALOGUE[ch].cost or 0.0)
        assert out.loc[ch, "contacts"] == n
        total += n * price
    assert out.loc["TOTAL", "cost_per_customer"] == pytest.approx(total / customers)
    assert set(out.attrs["missing"]) == {c for c in set(events["channel"]) if CATALOGUE[c].cost is None}
    assert out.attrs["missing"] and math.isnan(out.loc[out.attrs["missing"][0], "cost_per_contact"])
    with pytest.raises(JourneyError, match="did you mean 'channel'"):
        economics_from_events(events, channel="chanel")


def test_economics_from_events_uses_the_journey_costs_then_given_ones():
    j = _demo(costs={"live_chat": 2.0}, currency="USD")
    log = pd.DataFrame({"customer_id": [1, 1, 2], "channel": ["website", "live_chat", " LIVE_CHAT "]})
    out = economics_from_events(log, journey=j)
    assert out.loc["live_chat", "cost"] == 4.0 and out.loc["live_chat", "cost_source"] == "journey"
    assert out.attrs["currency"] == "USD"
    out = economics_from_events(log, costs={"live_chat": 1.0}, journey=j)
    assert out.loc["TOTAL", "cost_per_customer"] == pytest.approx((0.10 + 2 * 1.0) / 2)


def test_cli_economics_events(capsys):
    journey = jm.shipped_journey("classic_social_to_purchase")
    log = journey.parent.parent / "events" / "classic_social_to_purchase.csv"
    assert main(["economics", str(journey), "--events", str(log), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    events = pd.read_csv(log)
    expected = sum(n * (CATALOGUE[c].cost or 0.0) for c, n in events["channel"].value_counts().items())
    total = next(r for r in payload["rows"] if r["channel"] == "TOTAL")
    assert total["cost_per_customer"] == pytest.approx(expected / events["customer_id"].nunique())
    assert "tiktok" in payload["missing"]


def test_jm_economics_is_the_function_also_after_its_module_is_imported():
    import importlib

    importlib.import_module("journeymap.cost_to_serve")  # sets jm.cost_to_serve, never jm.economics
    assert jm.economics(_demo()).cost_per_customer == pytest.approx(3.226)
    assert "economics" in jm._LAZY
