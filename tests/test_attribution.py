"""Attribution: heuristics, and the exact Markov removal effect checked against ChannelAttribution."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from journeymap.analytics import (
    attribution,
    attribution_markov,
    conversion_paths,
    markov_transition_matrix,
    read_events,
)
from journeymap.errors import JourneyError
from journeymap.paths import PROJECT_ROOT

EVENTS = PROJECT_ROOT / "data" / "events"
TOY = pd.DataFrame({"path": ["a > b > c", "a > a > b", "b", "c > a", "a > c > c"],
                    "conversions": [3, 2, 1, 0, 1], "nulls": [1, 2, 4, 3, 2]})

# Exact removal effects of the shipped example (data/events/attribution_paths.csv), from the absorbing
# chain solved as a linear system; see docs/attribution.md.
SHIPPED_EXACT = {
    "tiktok": 0.950250, "instagram": 0.674183, "blog": 1.000000, "search_ads": 0.706067,
    "website": 0.984336, "email": 0.675676, "chatbot": 0.289487, "live_chat": 0.142334,
}


def test_toy_chain_by_hand():
    """P(convert) and the removal of 'a' worked out by hand (docs/attribution.md)."""
    m = attribution_markov(TOY)
    assert m.attrs["conversion_probability"] == pytest.approx(7 / 19)
    # without a: start→b (5/19)·x_b + start→c (3/19)·x_c with x_c = 4/10, x_b = 3/13 + 4/13 · x_c
    x_c = 0.4
    x_b = 3 / 13 + 4 / 13 * x_c
    p_without_a = 5 / 19 * x_b + 3 / 19 * x_c
    assert m.loc["a", "removal_effect"] == pytest.approx(1 - p_without_a / (7 / 19))
    assert m["conversions"].sum() == pytest.approx(7) and m["share"].sum() == pytest.approx(1)
    tm = markov_transition_matrix(TOY)
    assert tm.loc["a", "a"] == 0 and np.allclose(tm.sum(axis=1), 1)  # self-loops dropped, rows sum to 1


def test_self_loops_do_not_matter():
    collapsed = TOY.assign(path=["a > b > c", "a > b", "b", "c > a", "a > c"])
    pd.testing.assert_frame_equal(attribution_markov(TOY), attribution_markov(collapsed))


def test_shipped_example_exact_values():
    paths = pd.read_csv(EVENTS / "attribution_paths.csv")
    m = attribution_markov(paths)
    assert m["removal_effect"].round(6).to_dict() == SHIPPED_EXACT
    assert m["conversions"].sum() == pytest.approx(paths["conversions"].sum())


def _channelattribution(paths, **kw):
    ca = pytest.importorskip("ChannelAttribution", reason="ChannelAttribution cannot be installed here")
    res = ca.markov_model(paths, "path", "conversions", var_null="nulls", order=1, sep=">", flg_pro=False,
                          verbose=False, out_more=True, **kw)
    return res["removal_effects"].set_index("channel_name")["removal_effect"]


@pytest.mark.parametrize("example", ["shipped", "toy"])
def test_agrees_with_channelattribution(example):
    """ChannelAttribution simulates the chain; with enough simulations it agrees within 0.005.

    max_step=100: ChannelAttribution's default cuts simulated paths short, which on chains with loops
    (the toy example) lowers every removal effect by ~0.02 (see docs/attribution.md).
    """
    paths = pd.read_csv(EVENTS / "attribution_paths.csv") if example == "shipped" else TOY
    theirs = _channelattribution(paths, nsim_start=5e6, conv_par=0.005, max_step=100, seed=0)
    ours = attribution_markov(paths)["removal_effect"]
    diff = (theirs.reindex(ours.index) - ours).abs()
    assert diff.max() < 0.005, diff.to_dict()


def million_paths(seed: int = 0) -> pd.DataFrame:
    """A million random conversion paths over six channels (also used by benchmarks/bench_attribution.py)."""
    rng = np.random.default_rng(seed)
    channels = np.array(["email", "search_ads", "social_ads", "website", "store", "sms"])
    lengths = rng.integers(1, 6, size=1_000_000)
    steps = channels[rng.integers(len(channels), size=lengths.sum())]
    cuts = np.cumsum(lengths)[:-1]
    paths = pd.DataFrame({"path": [" > ".join(p) for p in np.split(steps, cuts)]})
    paths["conversions"] = rng.integers(0, 2, size=len(paths))
    paths["nulls"] = 1 - paths["conversions"]
    return paths


def test_markov_on_a_million_paths_credits_every_conversion():
    # Its speed (goal < 2 s) is measured by benchmarks/bench_attribution.py, not here: tests run on loaded machines.
    paths = million_paths()
    m = attribution_markov(paths)
    assert len(m) == 6
    assert m["conversions"].sum() == pytest.approx(paths["conversions"].sum())


def test_heuristics_and_paths_from_events():
    events, _ = read_events(EVENTS / "classic_social_to_purchase.csv", case="customer_id")
    paths = conversion_paths(events, "checkout")
    shipped = pd.read_csv(EVENTS / "attribution_paths.csv")
    pd.testing.assert_frame_equal(paths, shipped, check_dtype=False)
    credit = attribution(events, "checkout")
    conversions = paths["conversions"].sum()
    assert list(credit.columns) == ["first", "last", "linear", "time_decay", "markov"]
    assert np.allclose(credit.sum(), conversions)
    assert credit.loc["email", "last"] > credit.loc["tiktok", "last"]
    assert credit.loc["tiktok", "first"] > credit.loc["email", "first"]
    assert credit["markov"].round(6).to_dict() == attribution_markov(paths)["conversions"].round(6).to_dict()


def test_time_decay_half_life():
    ev = pd.DataFrame({"case_id": ["a"] * 3, "activity": ["ad", "mail", "buy"],
                       "channel": ["instagram", "email", "website"],
                       "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03"]).tz_localize("UTC")})
    credit = attribution(ev, "buy", models=["time_decay"], half_life="1D")
    assert credit.loc["email", "time_decay"] == pytest.approx(2 * credit.loc["instagram", "time_decay"])
    with pytest.raises(JourneyError, match="conversion 'never' matches no value"):  # issue 11: not 0 credit
        attribution(ev, "never", models=["first", "markov"])
    with pytest.raises(ValueError, match="unknown attribution model"):
        attribution(ev, "buy", models=["shapley"])
    with pytest.raises(ValueError, match="order must be"):  # orders 2-3: tests/test_attribution_models.py
        attribution_markov(TOY, order=4)
    with pytest.raises(JourneyError, match="missing column"):
        attribution_markov(TOY.rename(columns={"nulls": "n"}))
