"""Paths from a step (issue 15 part 1): counts equal a pure-Python brute force on the shipped logs, forward and
backward, depth 1..5, with and without ``top``; drop-off paths follow the funnel's rules; hostile names are
drawn literally and neutralised in CSV; the CLI answers bad input with one line."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from _textboxes import cut_off, overlaps

import journeymap as jm
from journeymap.analytics.pathflow import END, OTHER, START, paths_after_dropoff, paths_from

ROOT = jm.shipped_journey("retail_bopis_omnichannel").parents[1]
CLASSIC = ROOT / "events" / "classic_social_to_purchase.csv"
RETAIL = ROOT / "events" / "retail_bopis_omnichannel.csv"


@functools.cache
def classic() -> pd.DataFrame:
    events, _ = jm.analytics.read_events(CLASSIC, case="customer_id")
    return events


@functools.cache
def retail() -> pd.DataFrame:
    raw, _ = jm.analytics.read_events(RETAIL, case=None, tz="Europe/Madrid")
    events, _ = jm.analytics.stitch(raw, identifiers=["device_id", "email", "phone", "loyalty_id"])
    return events


LOGS = {"classic": (classic, "case_id"), "retail": (retail, "customer_id")}


def sequences(events: pd.DataFrame, case: str) -> dict[str, list[str]]:
    """Each customer's activities sorted by timestamp, ties in row order: plain Python, no numpy."""
    per: dict[str, list[tuple]] = defaultdict(list)
    for i, (c, a, ts) in enumerate(zip(events[case], events["activity"], events["timestamp"], strict=True)):
        per[str(c)].append((ts, i, str(a)))
    return {c: [a for _, _, a in sorted(rows)] for c, rows in per.items()}


def brute_tree(seqs: dict[str, list[str]], step: str, depth: int, direction: str, top: int | None) -> Counter:
    """``{(level, prefix, activity): customers}`` by walking each customer's list, then grouping recursively."""
    stop = END if direction == "forward" else START
    walks = []
    for seq in seqs.values():
        if step not in seq:
            continue
        i = seq.index(step)  # the FIRST occurrence
        walks.append(seq[i + 1:] if direction == "forward" else seq[:i][::-1])
    out: Counter = Counter({(0, (), step): len(walks)})

    def grow(group: list[list[str]], prefix: tuple, level: int) -> None:
        if level > depth:
            return
        nxt: dict[str, list[list[str]]] = defaultdict(list)
        for walk in group:
            nxt[walk[level - 1] if len(walk) >= level else stop].append(walk)
        ranked = sorted((k for k in nxt if k != stop), key=lambda k: (-len(nxt[k]), k))
        if top is not None and len(ranked) > top:
            merged = [w for k in ranked[top:] for w in nxt.pop(k)]
            nxt[OTHER] = merged
        for label, walks_ in nxt.items():
            out[(level, prefix, label)] += len(walks_)
            if label != stop:
                grow(walks_, (*prefix, label), level + 1)

    grow(walks, (), 1)
    return out


def as_counter(tree: pd.DataFrame) -> Counter:
    return Counter({(lv, tuple(p), a): c for lv, p, a, c in tree[["level", "prefix", "activity", "customers"]]
                    .itertuples(index=False)})


def busiest(events: pd.DataFrame, case: str, rank: int) -> str:
    counts = events.drop_duplicates([case, "activity"])["activity"].value_counts()
    return str(counts.index[rank])


@pytest.mark.parametrize("log", sorted(LOGS))
@pytest.mark.parametrize("direction", ["forward", "backward"])
@pytest.mark.parametrize("top", [None, 2])
@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5])
def test_counts_equal_brute_force_on_shipped_logs(log, direction, top, depth):
    load, case = LOGS[log]
    events = load()
    seqs = sequences(events, case)
    for rank in (0, 3):
        step = busiest(events, case, rank)
        tree = paths_from(events, step, depth=depth, direction=direction, top=top, case=case)
        assert as_counter(tree) == brute_tree(seqs, step, depth, direction, top)
        assert tree["level"].max() <= depth
        assert tree.loc[0, "share"] == 1.0


def test_children_sum_to_parent_and_end_only_where_journeys_stop():
    events = classic()
    tree = paths_from(events, busiest(events, "case_id", 0), depth=4, case="case_id")
    key = {(lv, (*p, a)): c for lv, p, a, c in tree[["level", "prefix", "activity", "customers"]]
           .itertuples(index=False)}
    children = tree[tree["level"] > 0].groupby([tree["level"] - 1, tree["prefix"]])["customers"].sum()
    for (level, prefix), total in children.items():
        parent = key[(level, prefix)] if level else int(tree.loc[0, "customers"])
        assert total == parent
    assert (tree["activity"] == END).any()


def test_conversion_column_is_share_converting_at_or_after_anchor():
    events = classic()
    seqs = sequences(events, "case_id")
    step = busiest(events, "case_id", 2)
    tree = paths_from(events, step, depth=2, conversion="checkout", case="case_id")
    # brute force for each level-1 node
    per: dict[str, list[bool]] = defaultdict(list)
    for seq in seqs.values():
        if step in seq:
            i = seq.index(step)
            nxt = seq[i + 1] if len(seq) > i + 1 else END
            per[nxt].append("checkout" in seq[i:])
    level1 = tree[tree["level"] == 1].set_index("activity")
    for label, flags in per.items():
        assert level1.loc[label, "customers"] == len(flags)
        assert level1.loc[label, "conversion"] == pytest.approx(np.mean(flags))
    assert 0 < tree.loc[0, "conversion"] < 1


def test_ties_keep_file_order():
    ts = pd.to_datetime(["2026-01-01 09:00"] * 3 + ["2026-01-01 09:00"] * 3, utc=True)
    ev = pd.DataFrame({"case_id": list("aaabbb"), "activity": ["x", "b", "c", "x", "c", "b"], "timestamp": ts})
    tree = paths_from(ev, "x", depth=2)
    assert sorted(tuple((*p, a)) for p, a in tree.loc[tree["level"] == 2, ["prefix", "activity"]]
                  .itertuples(index=False)) == [("b", "c"), ("c", "b")]
    back = paths_from(ev, "c", depth=2, direction="backward")
    got = {(*p, a) for p, a in back.loc[back["level"] >= 1, ["prefix", "activity"]].itertuples(index=False)}
    assert ("b",) in got and ("x",) in got and ("b", "x") in got and ("x", START) in got


def test_top_groups_the_rest_as_other():
    events = classic()
    step = busiest(events, "case_id", 0)
    full = paths_from(events, step, depth=1, case="case_id")
    small = paths_from(events, step, depth=1, top=1, case="case_id")
    labels = small.loc[small["level"] == 1, "activity"].tolist()
    assert len([x for x in labels if x not in (OTHER, END)]) == 1
    assert small["customers"][small["level"] == 1].sum() == full["customers"][full["level"] == 1].sum()


def test_paths_after_dropoff_follow_the_funnel():
    events = classic()
    stages = [busiest(events, "case_id", 0), busiest(events, "case_id", 1), "checkout"]
    fun = jm.analytics.funnel(events, stages=stages, case="case_id")
    seqs = sequences(events, "case_id")
    for k in (1, 2):
        tree = paths_after_dropoff(events, stages, k, depth=2, case="case_id")
        assert tree.loc[0, "customers"] == fun.loc[k, "drop_off"]
        assert tree.loc[0, "activity"] == stages[k - 1]
        # brute force: strict-order funnel match, then the next activity
        nxt = Counter()
        for seq in seqs.values():
            pos, at = -1, []
            for stage in stages[:k + 1]:
                pos = next((i for i in range(pos + 1, len(seq)) if seq[i] == stage), None)
                if pos is None:
                    break
                at.append(pos)
            if len(at) == k:
                nxt[seq[at[-1] + 1] if at[-1] + 1 < len(seq) else END] += 1
        level1 = tree[tree["level"] == 1].set_index("activity")["customers"].to_dict()
        assert level1 == dict(nxt)


def test_bad_arguments_are_clear():
    events = classic()
    with pytest.raises(jm.JourneyError, match="did you mean"):
        paths_from(events, "checkot", case="case_id")
    with pytest.raises(ValueError, match="depth"):
        paths_from(events, "checkout", depth=0, case="case_id")
    with pytest.raises(ValueError, match="direction"):
        paths_from(events, "checkout", direction="sideways", case="case_id")
    with pytest.raises(ValueError, match="k must be"):
        paths_after_dropoff(events, ["checkout", "checkout"], 2, case="case_id")


def test_small_parquet_runs_in_memory_large_one_gets_one_line(monkeypatch):
    pytest.importorskip("duckdb")
    path = str(ROOT / "events" / "retail_bopis_multichannel.parquet")
    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "100000")  # conftest sends every Parquet log to DuckDB
    small = paths_from(path, "ig_ad", depth=3, top=2, case="device_id")
    frame = pd.read_parquet(path)
    assert small.equals(paths_from(frame, "ig_ad", depth=3, top=2, case="device_id"))
    with pytest.raises(jm.JourneyError, match="missing column"):
        paths_from(path, "ig_ad", case="case_id")
    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "0")  # every Parquet log goes to DuckDB
    for call in (lambda: paths_from(path, "ig_ad", case="device_id"),
                 lambda: paths_after_dropoff(path, ["ig_ad", "checkout"], 1, case="device_id")):
        with pytest.raises(jm.JourneyError, match="not available out of core yet") as info:
            call()
        assert "\n" not in str(info.value).strip()


EVIL = ["=HYPERLINK(\"http://x\")", "$x^2$ costs $5", "bell\x07\x1b[31mred", "+cmd", "@sum"]


def evil_log() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    rows = []
    for c in range(60):
        seq = ["start", *rng.choice(EVIL, size=4)]
        for i, a in enumerate(seq):
            rows.append({"case_id": f"c{c}", "activity": a, "timestamp": pd.Timestamp("2026-01-01", tz="UTC")
                         + pd.Timedelta(minutes=10 * i + c)})
    return pd.DataFrame(rows)


def test_hostile_names_drawn_literally():
    tree = paths_from(evil_log(), "start", depth=3)
    ax = jm.plot.path_flow(tree)
    try:
        texts = [t.get_text() for t in ax.figure.findobj(matplotlib.text.Text)]
        assert any("$x^2$" in t for t in texts)
        assert not any("\x1b" in t or "\x07" in t for t in texts)
        assert all(not t.get_parse_math() for t in ax.figure.findobj(matplotlib.text.Text))
        assert overlaps(ax.figure) == [] and cut_off(ax.figure) == []
    finally:
        plt.close(ax.figure)


def test_cli_paths_csv_is_neutralised_and_unknown_step_is_one_line(tmp_path, capsys):
    from journeymap.cli import main

    path = tmp_path / "evil.csv"
    log = evil_log()
    log["channel"] = "website"
    log.to_csv(path, index=False)
    assert main(["paths", str(path), "--from", "start", "--depth", "2", "--format", "csv", "-q"]) == 0
    out = capsys.readouterr().out
    assert "'=HYPERLINK" in out and "\n=" not in out and ",=" not in out and ",+" not in out and ",@" not in out
    code = main(["paths", str(path), "--from", "strat", "-q"])
    err = capsys.readouterr().err
    assert code != 0
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and "did you mean 'start'" in lines[0] and lines[0].startswith(str(path))


def test_cli_paths_table_backward_and_conversion(capsys):
    from journeymap.cli import main

    assert main(["paths", str(CLASSIC), "--case", "customer_id", "--from", "checkout", "--backward",
                 "--depth", "2", "--top", "3", "--conversion", "checkout", "-q"]) == 0
    out = capsys.readouterr().out
    assert "checkout" in out and "customers" in out and OTHER in out
    assert " < " in out and " > " not in out  # backward paths read "just before < before that"


def thirty_activity_log(customers: int = 3000, seed: int = 15) -> pd.DataFrame:
    """A random log over 30 activities: each activity prefers a few next steps (so paths have structure),
    journeys end with probability 12 % per step or at 'purchase'."""
    rng = np.random.default_rng(seed)
    names = [f"{w}_{k}" for k, w in enumerate(["ad", "search", "product_page", "review", "compare", "wishlist",
                                               "newsletter", "app_open", "push", "chat", "call_centre", "faq",
                                               "store_visit", "size_guide", "cart", "coupon", "checkout",
                                               "payment", "purchase", "delivery", "return", "survey",
                                               "loyalty", "social_post", "video", "blog", "email", "sms",
                                               "pickup", "support_ticket"])]
    weights = rng.dirichlet(np.full(30, 0.15), size=30)
    rows = []
    start = pd.Timestamp("2026-03-01", tz="UTC")
    for c in range(customers):
        a = int(rng.choice(30, p=rng.dirichlet(np.full(30, 0.3)) if c == 0 else weights[0]))
        t = start + pd.Timedelta(minutes=int(rng.integers(0, 20000)))
        for _ in range(12):
            rows.append((f"c{c}", names[a], t))
            if names[a].startswith("purchase") or rng.random() < 0.12:
                break
            a = int(rng.choice(30, p=weights[a]))
            t += pd.Timedelta(minutes=int(rng.exponential(90)) + 1)
    return pd.DataFrame(rows, columns=["case_id", "activity", "timestamp"])


def depth5_figure(lang: str = "en"):
    events = thirty_activity_log()
    step = events.groupby("activity")["case_id"].nunique().idxmax()
    tree = paths_from(events, step, depth=5, top=6, conversion=[a for a in events["activity"].unique()
                                                                 if a.startswith("purchase")])
    return tree, jm.plot.path_flow(tree, lang=lang)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_depth5_on_30_activities_is_legible(lang):
    from test_plot_contrast import _text_problems

    tree, ax = depth5_figure(lang)
    try:
        assert tree["activity"].nunique() >= 25  # the tree really holds most of the 30 activities
        assert overlaps(ax.figure) == [] and cut_off(ax.figure) == []
        assert _text_problems(ax.figure) == []
        heads = [t.get_text() for t in ax.texts if t.get_text() in ("+5", "step", "paso")]
        assert "+5" in heads
        bars = [p for p in ax.patches if type(p).__name__ == "Rectangle"]
        assert len(bars) <= 6 * 10  # at most max_nodes + (other) + (end) per column
    finally:
        plt.close(ax.figure)


def test_backward_flow_runs_right_to_left():
    events = classic()
    tree = paths_from(events, "checkout", depth=3, direction="backward", top=4, case="case_id")
    ax = jm.plot.path_flow(tree, lang="es")
    try:
        assert ax.get_title(loc="left") == "Caminos hasta checkout"
        heads = {t.get_text(): t.get_position()[0] for t in ax.texts if t.get_text() in ("paso", "−3")}
        assert heads["paso"] > heads["−3"]
        assert overlaps(ax.figure) == []
    finally:
        plt.close(ax.figure)


if __name__ == "__main__":  # python tests/test_pathflow.py: the gallery image
    from pathlib import Path

    _, axes = depth5_figure()
    out = Path(__file__).parents[1] / "docs" / "gallery" / "path_flow_depth5.png"
    axes.figure.savefig(out, dpi=110)
    print(out)
