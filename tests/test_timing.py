"""Time (issue 15 part 2): time to convert, time between steps and time in stage equal a per-customer
brute force (pure Python + numpy percentiles) on small fixtures with ties; plots mark median and p90, draw
hostile names literally, in English and Spanish, with no overlapping text."""

from __future__ import annotations

import itertools
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from _textboxes import overlaps

import journeymap as jm
from journeymap.analytics.timing import time_between, time_in_stage, time_to_convert_distribution

ACTS = ["ad", "=cmd()", "$5 or $10$", "web", "buy"]
STAGE = {"ad": "aware", "=cmd()": "consider", "$5 or $10$": "consider", "web": "consider", "buy": "buy"}


def fixture(seed: int = 7, cases: int = 60) -> pd.DataFrame:
    """Random journeys; timestamps on a 30-minute grid so ties happen often; rows shuffled."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(cases):
        t = pd.Timestamp("2026-02-01", tz="UTC") + pd.Timedelta(minutes=30 * int(rng.integers(0, 50)))
        for _ in range(int(rng.integers(1, 8))):
            a = ACTS[int(rng.integers(0, len(ACTS)))]
            rows.append({"case_id": f"k{c}", "activity": a, "stage": STAGE[a], "timestamp": t})
            t += pd.Timedelta(minutes=30 * int(rng.integers(0, 4)))
    frame = pd.DataFrame(rows)
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def per_case(events: pd.DataFrame, column: str = "activity") -> dict[str, list[tuple[pd.Timestamp, str]]]:
    """Each case's (timestamp, value) sorted by time, ties in row order: plain Python."""
    out: dict[str, list] = defaultdict(list)
    for i, (c, v, ts) in enumerate(zip(events["case_id"], events[column], events["timestamp"], strict=True)):
        out[c].append((ts, i, v))
    return {c: [(ts, v) for ts, _, v in sorted(rows)] for c, rows in out.items()}


def cut_off(fig) -> list[str]:
    """Texts outside the figure, tick labels left out (matplotlib keeps labels of ticks beyond the view
    limits as invisible-in-practice Text objects; constrained layout places the drawn ones)."""
    ticks = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for t in axis.get_ticklabels()}
    w, h = fig.canvas.get_width_height()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if id(t) not in ticks and t.get_text().strip()
            and t.get_visible() and ((b := t.get_window_extent(renderer)).x0 < -0.5 or b.y0 < -0.5
                                     or b.x1 > w + 0.5 or b.y1 > h + 0.5)]


def minutes(a: pd.Timestamp, b: pd.Timestamp) -> float:
    return (b - a).total_seconds() / 60


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("start", [None, "web"])
def test_time_to_convert_equals_brute_force(seed, start):
    ev = fixture(seed)
    want, eligible = {}, 0
    for c, seq in per_case(ev).items():
        names = [v for _, v in seq]
        i = 0 if start is None else (names.index(start) if start in names else None)
        if i is None:
            continue
        eligible += 1
        j = next((k for k in range(i, len(seq)) if names[k] == "buy"), None)
        if j is not None:
            want[c] = minutes(seq[i][0], seq[j][0])
    got = time_to_convert_distribution(ev, "buy", start=start)
    assert got.minutes.to_dict() == pytest.approx(want)
    assert got.customers == eligible and got.converted == len(want)
    values = np.array(list(want.values()))
    assert got.median == pytest.approx(np.percentile(values, 50))
    assert got.p90 == pytest.approx(np.percentile(values, 90))
    summary = got.summary()
    assert summary["p25_min"] == pytest.approx(np.percentile(values, 25))
    assert summary["rate"] == pytest.approx(len(want) / eligible)
    if start is None:  # the same minutes as measures.time_to_convert
        old = jm.analytics.time_to_convert(ev, "buy").dt.total_seconds() / 60
        assert old.to_dict() == pytest.approx(got.minutes.to_dict())


@pytest.mark.parametrize("seed", [1, 4])
def test_time_between_equals_brute_force_and_dfg(seed):
    ev = fixture(seed)
    gaps: dict[tuple[str, str], list[float]] = defaultdict(list)
    for seq in per_case(ev).values():
        for (t0, a), (t1, b) in itertools.pairwise(seq):
            gaps[(a, b)].append(minutes(t0, t1))
    got = time_between(ev).set_index(["source", "target"])
    assert set(got.index) == set(gaps)
    for key, values in gaps.items():
        row = got.loc[key]
        assert row["count"] == len(values)
        q = np.percentile(values, [25, 50, 75])
        assert [row["p25_min"], row["median_min"], row["p75_min"]] == pytest.approx(list(q))
        assert row["mean_min"] == pytest.approx(np.mean(values))
    dfg = jm.analytics.dfg(ev).edges.set_index(["source", "target"])
    assert dfg["count"].to_dict() == got["count"].to_dict()
    assert dfg["median_min"].to_dict() == pytest.approx(got["median_min"].to_dict())
    counts = time_between(ev)["count"].tolist()
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("until", ["last", "next"])
def test_time_in_stage_equals_brute_force(until):
    ev = fixture(5)
    want = {}
    for c, seq in per_case(ev, "stage").items():
        for stage in {v for _, v in seq}:
            at = [k for k, (_, v) in enumerate(seq) if v == stage]
            end = at[-1] if until == "last" else at[-1] + 1
            want[(c, stage)] = minutes(seq[at[0]][0], seq[end][0]) if end < len(seq) else np.nan
    got = time_in_stage(ev, until=until)
    got_map = {(c, s): m for c, s, m in got[["case_id", "stage", "minutes"]].itertuples(index=False)}
    assert set(got_map) == set(want)
    for key, value in want.items():
        assert got_map[key] == pytest.approx(value, nan_ok=True), key
    events = {(c, s): n for c, s, n in got[["case_id", "stage", "events"]].itertuples(index=False)}
    assert events == ev.groupby(["case_id", "stage"]).size().to_dict()
    summary = time_in_stage(ev, until=until, per="stage").set_index("stage")
    log = jm.analytics.EventLog(ev, "case_id", "activity", "timestamp", "channel")
    assert time_in_stage(log, until=until).equals(got)  # an EventLog's activity never replaces the stage column
    by_activity = time_in_stage(ev, stage="activity")
    assert set(by_activity["stage"]) == set(ev["activity"])
    for stage in summary.index:
        values = [v for (_, s), v in want.items() if s == stage and v == v]
        assert summary.loc[stage, "customers"] == len(values)
        assert summary.loc[stage, "median_min"] == pytest.approx(np.percentile(values, 50))
    position: dict[str, list[int]] = defaultdict(list)  # stages in order of their median first position
    for seq in per_case(ev, "stage").values():
        names = [v for _, v in seq]
        for stage in set(names):
            position[stage].append(names.index(stage))
    order = sorted(position, key=lambda s: (np.median(position[s]), list(summary.index).index(s)))
    assert list(summary.index) == order


def test_bad_input_is_clear():
    ev = fixture(1)
    with pytest.raises(jm.JourneyError, match="did you mean 'buy'"):
        time_to_convert_distribution(ev, "bye")
    with pytest.raises(jm.JourneyError, match="start step"):
        time_to_convert_distribution(ev, "buy", start="wbe")
    with pytest.raises(ValueError, match="until"):
        time_in_stage(ev, until="forever")


def test_parquet_small_in_memory_large_one_line(monkeypatch):
    pytest.importorskip("duckdb")
    path = str(jm.shipped_journey("retail_bopis_omnichannel").parents[1] / "events"
               / "retail_bopis_multichannel.parquet")
    frame = pd.read_parquet(path)
    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "100000")  # conftest sends every Parquet log to DuckDB
    assert time_between(path, case="device_id").equals(time_between(frame, case="device_id"))
    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "0")
    for call in (lambda: time_between(path, case="device_id"), lambda: time_in_stage(path, case="device_id"),
                 lambda: time_to_convert_distribution(path, "checkout", case="device_id")):
        with pytest.raises(jm.JourneyError, match="not available out of core yet") as info:
            call()
        assert "\n" not in str(info.value).strip()


@pytest.mark.parametrize("kind", ["hist", "ecdf"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_time_to_convert_chart_marks_median_and_p90(kind, lang):
    from test_plot_contrast import _text_problems

    dist = time_to_convert_distribution(fixture(2, cases=200), "buy")
    ax = jm.plot.time_to_convert_chart(dist, kind=kind, lang=lang)
    try:
        unit = jm.plot.timing.unit_for(dist.median)
        factor = jm.plot.timing.FACTOR[unit]
        xs = sorted(line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--")
        assert xs == pytest.approx(sorted([dist.median / factor, dist.p90 / factor]))
        texts = " ".join(t.get_text() for t in ax.texts)
        assert ("median" if lang == "en" else "mediana") in texts and "p90" in texts
        assert ax.get_xlabel().startswith(jm.plot.timing.UNITS[lang][unit])
        assert overlaps(ax.figure) == [] and cut_off(ax.figure) == [] and _text_problems(ax.figure) == []
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_edge_and_stage_charts_literal_and_ordered(lang):
    from test_plot_contrast import _text_problems

    ev = fixture(3, cases=120)
    edges = time_between(ev)
    ax = jm.plot.edge_time_chart(edges, top=6, lang=lang)
    try:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert len(labels) == 6 and any("$5 or $10$" in x or "=cmd()" in x for x in labels)
        assert all(not t.get_parse_math() for t in ax.figure.findobj(matplotlib.text.Text))
        medians = edges.sort_values("median_min", ascending=False, kind="stable")["median_min"].head(6).tolist()
        dots = next(line for line in ax.lines if line.get_marker() == "o")
        ys = dots.get_ydata()
        assert list(np.asarray(dots.get_xdata())[np.argsort(-ys)]) == pytest.approx(
            [m / jm.plot.timing.FACTOR[jm.plot.timing.unit_for(max(medians))] for m in medians])
        assert overlaps(ax.figure) == [] and _text_problems(ax.figure) == []
    finally:
        plt.close(ax.figure)
    ax = jm.plot.stage_time_chart(time_in_stage(ev), lang=lang)
    try:
        assert ax.get_title(loc="left") == ("Time in stage" if lang == "en" else "Tiempo en cada etapa")
        assert overlaps(ax.figure) == []
    finally:
        plt.close(ax.figure)


def test_control_characters_never_reach_the_figure():
    ev = fixture(2)
    ev["activity"] = ev["activity"].replace("web", "we\x1b[2Jb\x07")
    ax = jm.plot.edge_time_chart(time_between(ev))
    try:
        assert not any("\x1b" in t.get_text() or "\x07" in t.get_text()
                       for t in ax.figure.findobj(matplotlib.text.Text))
    finally:
        plt.close(ax.figure)
