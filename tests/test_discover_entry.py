"""Issue 13 item 3: a discovered journey carries where customers start (observed entry shares).

So its reach (expected visits per customer, :func:`journeymap.scoring.visits`) is what the log shows:
the share of customers visiting each touchpoint (the visits per customer where some come back), and,
for a log simulated from a journey without friction drop-off, that journey's own reach within sampling error.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap as jm
from journeymap.analytics import conformance, discover, discover_with_stats, simulate
from journeymap.references import closed_loops
from journeymap.scoring import entry_distribution, visits

CUSTOMERS = 3000
#: Sampling error allowed: this many standard errors (plus the 4-decimal rounding of discovered shares).
Z = 4.0
ROUNDING = 2e-3

SHIPPED = ["retail_bopis_omnichannel", "retail_bopis_multichannel", "classic_social_to_purchase",
           "bank_account_opening", "coffee_loyalty_app", "hotel_stay", "salud_cita_medica", "telecom_tech_support"]


def _per_customer(events: pd.DataFrame, n: int) -> pd.DataFrame:
    """Observed ``visits`` (events per customer), ``share`` (customers visiting / all) and ``var`` of the
    per-customer visit count, per activity (customers without a visit count as 0)."""
    counts = events.groupby(["activity", "customer_id"]).size()
    by_act = counts.groupby(level="activity")
    total, squares, visitors = by_act.sum(), (counts**2).groupby(level="activity").sum(), by_act.size()
    mean = total / n
    return pd.DataFrame({"visits": mean, "share": visitors / n, "var": squares / n - mean**2,
                         "repeat": by_act.max() > 1})


def _check(design: jm.Journey, customers: int, seed: int) -> jm.Journey:
    events = simulate(design, customers=customers, seed=seed, friction_dropoff=0.0, max_events=400,
                      identities=False)
    found = discover(events, case="customer_id", journey=design)
    reach = visits(found)
    seen = _per_customer(events, customers)
    starts = events.groupby("customer_id")["activity"].first().value_counts() / customers
    assert {t.id: t.entry_share for t in found.touchpoints if t.entry_share} == pytest.approx(
        starts.to_dict(), abs=1e-6)
    for tp_id, row in seen.iterrows():
        # the discovered journey's reach is what the log shows: visits per customer ...
        assert reach[tp_id] == pytest.approx(row["visits"], abs=ROUNDING, rel=ROUNDING)
        if not row["repeat"]:  # ... which is the share of customers visiting where nobody comes back
            assert reach[tp_id] == pytest.approx(row["share"], abs=ROUNDING, rel=ROUNDING)
    own = visits(design)
    for tp_id, expected in own.items():  # and the design's own reach, within sampling error
        got = reach.get(tp_id, 0.0)
        var = seen["var"].get(tp_id, 0.0)
        se = math.sqrt(max(var, expected * max(0.0, 1 - expected), 1.0 / customers) / customers)
        assert abs(got - expected) <= Z * se + ROUNDING, (tp_id, got, expected, se)
    assert conformance(found, events, case="customer_id").fitness == 1.0  # every observed start is an entry
    return found


@st.composite
def small_journeys(draw) -> jm.Journey:
    """2–5 touchpoints on catalogue channels, 1–3 entries with or without entry shares, branches and loops
    whose shares leave every touchpoint with a way out."""
    n = draw(st.integers(2, 5))
    ids = [f"t{i}" for i in range(n)]
    n_entries = draw(st.integers(1, min(3, n)))
    shares = draw(st.one_of(st.none(), st.lists(st.integers(1, 9), min_size=n_entries, max_size=n_entries)))
    channels = draw(st.lists(st.sampled_from(["website", "email", "store", "phone", "instagram"]),
                             min_size=n, max_size=n))
    touchpoints = [{"id": t, "stage": "s", "channel": c, "action": t} for t, c in zip(ids, channels, strict=True)]
    if shares:
        for tp, share in zip(touchpoints, shares, strict=False):
            tp["entry_share"] = share / sum(shares)
    transitions = []
    for src in ids:
        targets = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
        if not shares:  # entries are the touchpoints nobody moves to: keep the first n_entries free
            targets = [t for t in targets if ids.index(t) >= n_entries]
        out = draw(st.floats(0.3, 0.85))
        weights = [draw(st.integers(1, 5)) for _ in targets]
        transitions += [{"from": src, "to": t, "share": round(out * w / sum(weights), 4)}
                        for t, w in zip(targets, weights, strict=True)]
    j = jm.Journey(id="p", title="P", stages=[{"id": "s", "name": "S"}], touchpoints=touchpoints,
                   transitions=transitions)
    assert not closed_loops(j)
    return j


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(design=small_journeys(), seed=st.integers(0, 2**16))
def test_discovered_reach_is_observed_and_matches_the_design(design, seed):
    _check(design, CUSTOMERS, seed)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_journeys_round_trip_their_reach(name):
    _check(jm.load(jm.shipped_journey(name)), CUSTOMERS, seed=3)


def _two_doors() -> jm.Journey:
    """49 % of customers start at the ad, 51 % go straight to the web page, which the ad also leads to."""
    return jm.Journey(
        id="doors", title="Two doors", stages=[{"id": "s", "name": "S"}],
        touchpoints=[{"id": "ad", "stage": "s", "channel": "instagram", "action": "See the ad", "entry_share": 0.49},
                     {"id": "web", "stage": "s", "channel": "website", "action": "Browse", "entry_share": 0.51},
                     {"id": "buy", "stage": "s", "channel": "store", "action": "Buy"}],
        transitions=[{"from": "ad", "to": "web", "share": 0.6}, {"from": "web", "to": "buy", "share": 0.5}])


def test_a_touchpoint_where_49_percent_start_does_not_get_reach_one():
    events = simulate(_two_doors(), customers=4000, seed=8, friction_dropoff=0.0, identities=False)
    found = discover_with_stats(events, case="customer_id")
    starts = found.touchpoints["starts"] / 4000
    assert {t.id: t.entry_share for t in found.journey.touchpoints} == pytest.approx(
        {"ad": starts["ad"], "web": starts["web"], "buy": None}, abs=1e-6)
    reach = visits(found.journey)
    assert reach["ad"] == pytest.approx(starts["ad"], abs=1e-6) and abs(reach["ad"] - 0.49) < 0.04
    shares = events.groupby("activity")["customer_id"].nunique() / 4000
    assert reach == pytest.approx(shares.to_dict(), abs=ROUNDING)


def test_simulate_starts_customers_in_the_entry_proportions():
    design = _two_doors().model_copy(deep=True)
    design.touchpoints[0].entry_share, design.touchpoints[1].entry_share = 0.2, 0.8
    assert entry_distribution(design) == {"ad": 0.2, "web": 0.8}
    events = simulate(design, customers=5000, seed=1, identities=False)
    first = events.groupby("customer_id")["activity"].first().value_counts(normalize=True)
    se = math.sqrt(0.2 * 0.8 / 5000)
    assert abs(first["ad"] - 0.2) < Z * se


def test_entry_shares_sum_to_at_most_one_and_keep_rare_starts():
    many = 1_500_001  # one customer of 1.5 M starts at "rare": its share is below the 6-decimal rounding
    from journeymap.analytics.discovery import _entry_shares

    shares = _entry_shares(pd.Series({"a": many - 2, "b": 1, "rare": 1}), {"a": "a", "b": "b", "rare": "rare"},
                           many)
    assert shares["rare"] == 1 / many and sum(shares.values()) <= 1
    assert np.isclose(sum(shares.values()), 1, atol=1e-5)


def test_conformance_of_a_log_where_nobody_moves():
    """Customers with one event each: no moves at all (this raised KeyError: 'count')."""
    design = _two_doors()
    events = pd.DataFrame({"case_id": ["a", "b"], "activity": ["ad", "web"],
                           "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02"], utc=True)})
    report = conformance(design, events)
    assert report.fitness == 1.0 and list(report.unexpected.columns) == ["key", "source", "target", "count"]
    assert len(report.unexpected) == 0 and report.missing["key"].tolist() == ["ad->web", "web->buy"]
