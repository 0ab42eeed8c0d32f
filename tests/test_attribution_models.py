"""Attribution you can trust (issue 15): position-based, Shapley, Markov of order 2-3, bootstrap intervals,
the comparison table, its plot and its command line."""

from __future__ import annotations

import itertools
from math import factorial

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.analytics import (
    attribution,
    attribution_heuristics,
    attribution_markov,
    attribution_shapley,
    attribution_table,
    conversion_paths,
    markov_ci,
    markov_removal,
    read_events,
)
from journeymap.analytics.attribution_ci import bootstrap
from journeymap.analytics.position import parse_paths
from journeymap.analytics.shapley import shapley_exact, subset_worth
from journeymap.paths import PROJECT_ROOT

EVENTS = PROJECT_ROOT / "data" / "events"
TOY = pd.DataFrame({"path": ["a > b > c", "a > a > b", "b", "c > a", "a > c > c"],
                    "conversions": [3, 2, 1, 0, 1], "nulls": [1, 2, 4, 3, 2]})


def channelattribution_like(seed: int = 7, rows: int = 2000) -> pd.DataFrame:
    """A table shaped like ChannelAttribution's ``Data(PathData)`` example: paths of 4-5 channels named by Greek
    letters (``"eta > iota > alpha > eta"``), with conversion and null counts that depend on the channels."""
    rng = np.random.default_rng(seed)
    channels = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"])
    pull = np.linspace(0.02, 0.3, len(channels))  # each channel's pull towards converting
    out = []
    for _ in range(rows):
        picked = rng.integers(len(channels), size=rng.integers(4, 6))
        rate = 1 - np.prod(1 - pull[picked])
        customers = int(rng.integers(1, 40))
        conv = int(rng.binomial(customers, rate))
        out.append((" > ".join(channels[picked]), conv, customers - conv))
    return pd.DataFrame(out, columns=["path", "conversions", "nulls"])


# -- position-based ----------------------------------------------------------------------------------------

def test_position_based_splits_40_20_40():
    paths = pd.DataFrame({"path": ["a", "a > b", "a > b > c", "a > b > c > d > e"],
                          "conversions": [1, 1, 1, 10], "nulls": [0, 0, 0, 0]})
    one = attribution_heuristics(paths.iloc[[0]], ["position"])["position"]
    assert one.to_dict() == {"a": 1.0}
    two = attribution_heuristics(paths.iloc[[1]], ["position"])["position"]
    assert two.to_dict() == {"a": 0.5, "b": 0.5}
    three = attribution_heuristics(paths.iloc[[2]], ["position"])["position"]
    assert three.to_dict() == pytest.approx({"a": 0.4, "b": 0.2, "c": 0.4})
    five = attribution_heuristics(paths.iloc[[3]], ["position"])["position"]  # 20 % split over three middles
    assert five.to_dict() == pytest.approx({"a": 4.0, "b": 2 / 3, "c": 2 / 3, "d": 2 / 3, "e": 4.0})
    assert attribution_heuristics(paths).sum().to_numpy() == pytest.approx([13] * 4)


def test_rules_on_the_path_table_match_the_event_log():
    events, _ = read_events(EVENTS / "classic_social_to_purchase.csv", case="customer_id")
    from_events = attribution(events, "checkout", models=["first", "last", "linear"])
    from_paths = attribution_heuristics(conversion_paths(events, "checkout"), ["first", "last", "linear"])
    pd.testing.assert_frame_equal(from_paths.reindex(from_events.index), from_events, check_names=False)


# -- Shapley -----------------------------------------------------------------------------------------------

def brute_force_shapley(paths: pd.DataFrame) -> dict[str, float]:
    """The Shapley formula enumerated over every coalition, v(S) = conversions of paths using only S."""
    sets = [frozenset(p.split(" > ")) for p in paths["path"]]
    players = sorted(set().union(*sets))
    n = len(players)

    def v(coalition: set[str]) -> float:
        return float(sum(c for s, c in zip(sets, paths["conversions"], strict=True) if s <= coalition))

    out = {}
    for i in players:
        others = [p for p in players if p != i]
        total = 0.0
        for size in range(n):
            weight = factorial(size) * factorial(n - size - 1) / factorial(n)
            for coalition in itertools.combinations(others, size):
                total += weight * (v({*coalition, i}) - v(set(coalition)))
        out[i] = total
    return out


channel = st.sampled_from(list("abcdef"))
path_tables = st.lists(st.tuples(st.lists(channel, min_size=1, max_size=5), st.integers(0, 20), st.integers(0, 5)),
                       min_size=1, max_size=8).map(
    lambda rows: pd.DataFrame([(" > ".join(p), c, n) for p, c, n in rows], columns=["path", "conversions", "nulls"]))


@settings(max_examples=60, deadline=None)
@given(path_tables)
def test_shapley_equals_brute_force_and_is_efficient(paths):
    ours = attribution_shapley(paths, method="exact")
    assert ours["shapley"].to_dict() == pytest.approx(brute_force_shapley(paths), abs=1e-9)
    assert ours["shapley"].sum() == pytest.approx(paths["conversions"].sum())  # efficiency
    closed = attribution_shapley(paths, method="unanimity")["shapley"]
    assert closed.to_numpy() == pytest.approx(ours["shapley"].to_numpy(), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(path_tables, st.integers(0, 30))
def test_shapley_symmetry_and_null_player(paths, null_only):
    # 'y' always appears with 'x' on the same paths: identical roles -> equal credit
    twin = paths.assign(path=paths["path"] + " > x > y")
    # 'z' is only on a path nobody converted on -> no credit, whatever its nulls
    twin = pd.concat([twin, pd.DataFrame({"path": ["z > a"], "conversions": [0], "nulls": [null_only]})])
    credit = attribution_shapley(twin)["shapley"]
    assert credit["x"] == pytest.approx(credit["y"])
    assert credit["z"] == 0


def test_shapley_exact_on_a_known_game():
    # glove game: player 0 has a left glove, players 1 and 2 right gloves; v = 1 if a pair is formed
    worth = np.array([0, 0, 0, 1, 0, 1, 0, 1], dtype=float)
    assert shapley_exact(worth) == pytest.approx([2 / 3, 1 / 6, 1 / 6])
    masks = np.array([0b011, 0b101])
    assert subset_worth(masks, np.array([1.0, 2.0]), 3).tolist() == [0, 0, 0, 1, 0, 2, 0, 3]


def test_shapley_sampling_above_fifteen_channels():
    rng = np.random.default_rng(3)
    names = [f"ch{i:02d}" for i in range(18)]
    paths = pd.DataFrame({"path": [" > ".join(rng.choice(names, rng.integers(1, 5))) for _ in range(800)],
                          "conversions": rng.integers(0, 6, 800), "nulls": 1})
    sampled = attribution_shapley(paths, n_permutations=400, seed=5)
    assert sampled.attrs["method"] == "sampling" and (sampled["std_error"] > 0).any()
    exact = attribution_shapley(paths, method="unanimity")["shapley"]
    z = (sampled["shapley"] - exact).abs() / sampled["std_error"].where(sampled["std_error"] > 0, 1)
    assert z.max() < 4.5  # within the reported standard error
    assert sampled["shapley"].sum() == pytest.approx(paths["conversions"].sum())  # every order is efficient
    again = attribution_shapley(paths, n_permutations=400, seed=5)
    pd.testing.assert_frame_equal(sampled, again)


# -- Markov of higher order --------------------------------------------------------------------------------

def test_order_one_equals_the_first_order_solver():
    for paths in (TOY, pd.read_csv(EVENTS / "attribution_paths.csv"), channelattribution_like(rows=300)):
        first = attribution_markov(paths)
        general = markov_removal(paths, order=1).reindex(first.index)
        pd.testing.assert_frame_equal(general, first, check_exact=False, rtol=1e-10, atol=1e-12)


def test_order_two_by_hand():
    m = attribution_markov(TOY, order=2)
    # without a every state holding a goes: only path 'b' (1 of 5) converts -> P = 1/19 against 7/19
    assert m.loc["a", "removal_effect"] == pytest.approx(1 - (1 / 19) / (7 / 19))
    # without c: start→(a) 11/19, (a)→(a, b) directly or via (a, a) 8/11, (a, b) converts 2 of 8 (its move to
    # (b, c) is lost);
    # start→(b) 5/19 converts 1 of 5 -> P = 2/19 + 1/19
    assert m.loc["c", "removal_effect"] == pytest.approx(1 - (2 / 19 + 1 / 19) / (7 / 19))
    assert m.attrs["conversion_probability"] == pytest.approx(7 / 19)
    assert m["conversions"].sum() == pytest.approx(7)


def test_order_two_remembers_where_customers_came_from():
    # after b, customers coming from a always convert and those from c never: order 1 mixes them
    paths = pd.DataFrame({"path": ["a > b", "c > b"], "conversions": [10, 0], "nulls": [0, 10]})
    one, two = attribution_markov(paths), attribution_markov(paths, order=2)
    assert one.loc["c", "removal_effect"] == pytest.approx(0.5)  # order 1 credits c, which never converts
    assert two.loc["c", "removal_effect"] == pytest.approx(0)
    assert two.loc["a", "removal_effect"] == pytest.approx(1)
    assert markov_removal(paths, order=3)["removal_effect"].to_dict() == pytest.approx(
        two["removal_effect"].to_dict())
    with pytest.raises(ValueError, match="order must be"):
        markov_removal(paths, order=4)


@pytest.mark.parametrize("order", [2, 3])
def test_higher_orders_agree_with_channelattribution(order):
    """ChannelAttribution simulates the same order-k chain (repeats in a row kept as states); 0.01 = its noise."""
    ca = pytest.importorskip("ChannelAttribution", reason="ChannelAttribution cannot be installed here")
    paths = pd.read_csv(EVENTS / "attribution_paths.csv")
    res = ca.markov_model(paths, "path", "conversions", var_null="nulls", order=order, sep=">", flg_pro=False,
                          verbose=False, out_more=True, nsim_start=5e6, max_step=100, seed=0)
    theirs = res["removal_effects"].set_index("channel_name")["removal_effect"]
    ours = attribution_markov(paths, order=order)["removal_effect"]
    diff = (theirs.reindex(ours.index) - ours).abs()
    assert diff.max() < 0.01, diff.to_dict()


# -- bootstrap intervals -----------------------------------------------------------------------------------

def test_bootstrap_is_seeded_and_reproducible():
    paths = channelattribution_like(rows=400)
    a = attribution_table(paths, n_boot=60, seed=11)
    b = attribution_table(paths, n_boot=60, seed=11)
    c = attribution_table(paths, n_boot=60, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["markov_low"], c["markov_low"])
    assert list(a.columns[:3]) == ["first", "first_low", "first_high"]
    for model in ("first", "last", "linear", "position", "markov", "shapley"):
        assert a[model].sum() == pytest.approx(paths["conversions"].sum())
        assert (a[f"{model}_low"] <= a[f"{model}_high"]).all()


def test_exact_removal_effects_fall_inside_their_intervals():
    paths = channelattribution_like()
    ci = markov_ci(paths, n_boot=200, seed=0)
    inside = (ci["low"] <= ci["removal_effect"]) & (ci["removal_effect"] <= ci["high"])
    assert inside.all(), ci[~inside]
    assert (ci["high"] - ci["low"] > 0).all() and (ci["high"] - ci["low"] < 0.2).all()
    exact = attribution_markov(paths)["removal_effect"]
    assert ci["removal_effect"].to_numpy() == pytest.approx(exact.reindex(ci.index).to_numpy())


def test_bootstrap_resamples_customers():
    steps = parse_paths(TOY)
    draws = bootstrap(steps, ["first"], n_boot=40, seed=1)
    assert draws["first"].shape == (40, 3)
    assert len(set(draws["first"][:, 0])) > 1  # resamples differ
    # one path of 5 + 5 customers: a resample's conversions are Binomial(10, 0.5), so credit varies around 5
    one = parse_paths(pd.DataFrame({"path": ["a"], "conversions": [5], "nulls": [5]}))
    credit = bootstrap(one, ["linear"], n_boot=400, seed=0)["linear"][:, 0]
    assert set(credit) <= set(range(11)) and len(set(credit)) > 3 and abs(credit.mean() - 5) < 0.5
    with pytest.raises(ValueError, match="n_boot"):
        bootstrap(steps, ["first"], n_boot=0)


def test_table_from_events_equals_table_from_paths():
    events, _ = read_events(EVENTS / "classic_social_to_purchase.csv", case="customer_id")
    paths = conversion_paths(events, "checkout")
    a = attribution_table(events, "all", conversion="checkout", n_boot=30, seed=3)
    b = attribution_table(paths, "all", n_boot=30, seed=3)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="did you mean 'shapley'"):
        attribution_table(paths, ["shapely"])


# -- plot and command line ---------------------------------------------------------------------------------

def test_comparison_plot_is_literal_bilingual_and_legible():
    import matplotlib.pyplot as plt

    from journeymap.plot import attribution_comparison
    from journeymap.plot._style import contrast_ratio

    paths = pd.DataFrame({"path": ["$x$ > web", "web", "$x$ > mail > web"], "conversions": [5, 3, 4],
                          "nulls": [5, 9, 2]})
    table = attribution_table(paths, n_boot=40, seed=0)
    ax = attribution_comparison(table, lang="es")
    try:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert sorted(labels) == ["$x$", "mail", "web"]
        assert ax.get_xlabel() == "conversiones atribuidas" and "modelos" in ax.get_title(loc="left")
        legend = [t.get_text() for t in ax.figure.legends[0].get_texts()]
        assert "valor de Shapley" in legend and "por posición 40/20/40" in legend and len(legend) == 6
        whiskers = [c for c in ax.collections if type(c).__name__ == "LineCollection"]
        assert len(whiskers) == 6  # one set of intervals per model
        dots = [c for c in ax.collections if type(c).__name__ == "PathCollection"]
        for dot in dots:
            assert contrast_ratio(tuple(dot.get_facecolor()[0][:3]), "#FFFFFF") >= 3
        texts = ax.figure.findobj(lambda a: hasattr(a, "get_parse_math"))
        assert all(not t.get_parse_math() for t in texts)
    finally:
        plt.close(ax.figure)
    no_ci = attribution_comparison(attribution_table(paths, ["markov"], ci=False, order=2))
    try:
        assert not [c for c in no_ci.collections if type(c).__name__ == "LineCollection"]
        assert [t.get_text() for t in no_ci.figure.legends[0].get_texts()] == ["Markov order 2"]
    finally:
        plt.close(no_ci.figure)


def test_cli_all_models_with_intervals(capsys):
    from journeymap.cli import main

    classic = str(EVENTS / "classic_social_to_purchase.csv")
    assert main(["attribution", classic, "--case", "customer_id", "--conversion", "checkout", "-q",
                 "--models", "all", "--ci", "--n-boot", "50", "--format", "csv"]) == 0
    out = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out)).set_index("channel")
    paths = conversion_paths(read_events(EVENTS / "classic_social_to_purchase.csv", case="customer_id")[0],
                             "checkout")
    expected = attribution_table(paths, "all", n_boot=50, seed=0)
    assert out[expected.columns].to_numpy() == pytest.approx(expected.reindex(out.index).to_numpy(), rel=1e-5)
    assert out["time_decay"].sum() == pytest.approx(paths["conversions"].sum(), rel=1e-4)  # csv: 6 digits
    shipped = str(EVENTS / "attribution_paths.csv")
    assert main(["attribution", shipped, "--paths", "--models", "markov,shapley", "--ci", "--order", "2",
                 "--n-boot", "20", "--seed", "4"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert header == ["markov", "markov_low", "markov_high", "shapley", "shapley_low", "shapley_high"]
    assert main(["attribution", shipped, "--paths", "--models", "time_decay", "--ci"]) == 2
    assert "time_decay needs the times" in capsys.readouterr().err
