"""Segments and A/B (issue 15 part 3): per-segment analytics equal brute force; tests equal scipy; A/B CI coverage;
small-group warnings; hostile segment names; CLI one-line errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, fisher_exact

import journeymap as jm
from journeymap.analytics import _significance as sig
from journeymap.analytics import abtest as A
from journeymap.analytics import segments as S
from journeymap.cli import main
from journeymap.paths import PROJECT_ROOT

CLASSIC = str(PROJECT_ROOT / "data" / "events" / "classic_social_to_purchase.csv")
HOSTILE = ['=HYPERLINK("http://x")', "$x^2$ costs $5", "evil\x1b[2J\x07name", "+cmd", "-1+2"]


@pytest.fixture(scope="module")
def classic():
    events, _ = jm.analytics.read_events(CLASSIC, case="customer_id")
    rng = np.random.default_rng(7)  # a persona column that sometimes changes within a customer
    persona = rng.choice(["maker", "browser", "bargain hunter"], size=len(events), p=[0.5, 0.3, 0.2])
    return events.assign(persona=persona)


def _sequences(events):
    """Brute force: each customer's events in time order, ties in file order (a stable sort)."""
    ordered = events.reset_index(drop=True).sort_values(["case_id", "timestamp"], kind="stable")
    return {case: grp for case, grp in ordered.groupby("case_id", sort=False)}


def _first_value(grp, column):
    values = [v for v in grp[column] if not pd.isna(v) and str(v).strip()]
    return str(values[0]) if values else S.MISSING


# --- segments of customers ----------------------------------------------------------------------------------------
def test_a_customer_takes_the_segment_of_their_first_event_ties_in_file_order():
    ts = pd.to_datetime(["2026-01-02", "2026-01-01", "2026-01-01", "2026-01-01", "2026-01-03"], utc=True)
    ev = pd.DataFrame({"case_id": ["a", "a", "a", "b", "b"], "activity": ["x", "y", "z", "x", "y"],
                       "timestamp": ts, "persona": ["late", "tie-first", "tie-second", None, "known later"],
                       "channel": ["web", "app", "store", "email", "web"]})
    seg = S.segments_of(ev, "persona")
    assert seg.to_dict() == {"a": "tie-first", "b": "known later"}  # b's first event has no value
    assert S.segments_of(ev, "first_channel").to_dict() == {"a": "app", "b": "email"}
    assert S.segments_of(ev.assign(persona=None), "persona").to_dict() == {"a": S.MISSING, "b": S.MISSING}


def test_derived_segments_equal_brute_force(classic):
    seqs = _sequences(classic)
    seg = S.segments_of(classic, "first_channel")
    assert seg.to_dict() == {c: str(g["channel"].iloc[0]) for c, g in seqs.items()}
    cohort = S.segments_of(classic, "cohort_month")
    assert cohort.to_dict() == {c: g["timestamp"].iloc[0].strftime("%Y-%m") for c, g in seqs.items()}
    conv = S.segments_of(classic, "converted", conversion="checkout")
    assert conv.to_dict() == {c: "converted" if (g["activity"] == "checkout").any() else "not converted"
                              for c, g in seqs.items()}
    persona = S.segments_of(classic, "persona")
    assert persona.to_dict() == {c: _first_value(g, "persona") for c, g in seqs.items()}


# --- per-segment measures equal brute force ---------------------------------------------------------------------
def test_conversion_per_segment_equals_groupby(classic):
    got = S.by_segment(classic, "persona", "conversion", conversion="checkout").set_index("segment")
    seqs = _sequences(classic)
    brute = pd.DataFrame({"segment": [_first_value(g, "persona") for g in seqs.values()],
                          "converted": [(g["activity"] == "checkout").any() for g in seqs.values()]})
    want = brute.groupby("segment")["converted"].agg(customers="size", conversions="sum")
    assert got[["customers", "conversions"]].sort_index().to_dict() == want.sort_index().to_dict()
    assert list(got.index) == list(want.sort_values("customers", ascending=False).index)  # largest first
    assert np.allclose(got["rate"], got["conversions"] / got["customers"])
    lo, hi = got["rate_low"], got["rate_high"]
    assert ((lo <= got["rate"]) & (got["rate"] <= hi)).all()


def test_funnel_dfg_channels_attribution_per_segment_equal_the_analytic_on_each_segment(classic):
    seg = S.segments_of(classic, "persona")
    stages = ["tiktok_video", "ig_profile", "checkout"]
    fun = S.by_segment(classic, "persona", "funnel", stages=stages)
    dfg = S.by_segment(classic, "persona", "dfg")
    chan = S.by_segment(classic, "persona", "channels", conversion="checkout")
    credit = S.by_segment(classic, "persona", "attribution", conversion="checkout")
    for name in seg.unique():
        sub = classic[classic["case_id"].map(seg) == name]
        pd.testing.assert_frame_equal(fun[fun["segment"] == name].drop(columns="segment").reset_index(drop=True),
                                      jm.analytics.funnel(sub, stages))
        pd.testing.assert_frame_equal(dfg[dfg["segment"] == name].drop(columns="segment").reset_index(drop=True),
                                      jm.analytics.dfg(sub).edges.reset_index(drop=True))
        want = jm.analytics.conversion_by_channel(sub, "checkout").reset_index()
        pd.testing.assert_frame_equal(chan[chan["segment"] == name].drop(columns="segment").reset_index(drop=True),
                                      want, check_dtype=False)
        mine = credit[credit["segment"] == name].set_index("channel").drop(columns="segment")
        conversions = sub.groupby("case_id")["activity"].apply(lambda a: (a == "checkout").any()).sum()
        assert np.allclose(mine.sum(), conversions)  # every model's credits sum to the segment's conversions
        pd.testing.assert_frame_equal(mine, jm.analytics.attribution(sub, "checkout"), check_names=False)


def test_time_to_convert_per_segment_equals_numpy(classic):
    got = S.by_segment(classic, "first_channel", "time_to_convert", conversion="checkout").set_index("segment")
    seg = S.segments_of(classic, "first_channel")
    minutes = jm.analytics.time_to_convert(classic, "checkout").dt.total_seconds() / 60
    for name in got.index:
        m = minutes[minutes.index.map(seg) == name].to_numpy()
        assert got.loc[name, "converted"] == len(m)
        assert got.loc[name, "median_min"] == pytest.approx(np.median(m))
        assert got.loc[name, "p90_min"] == pytest.approx(np.quantile(m, 0.9))


def test_segment_without_the_funnel_step_or_conversion_gets_zeros_not_an_error():
    ev = pd.DataFrame({"case_id": list("aabb"), "activity": ["ad", "buy", "ad", "web"],
                       "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02"] * 2, utc=True),
                       "channel": ["tiktok", "web", "email", "web"], "device": ["ios", "ios", "android", "android"]})
    fun = S.by_segment(ev, "device", "funnel", stages=["ad", "buy"])
    assert fun[fun["segment"] == "android"]["customers"].tolist() == [1, 0]
    credit = S.by_segment(ev, "device", "attribution", conversion="buy")
    assert credit[credit["segment"] == "android"][["first", "markov"]].to_numpy().sum() == 0
    assert S.by_segment(ev, "device", "channels", conversion="buy")["conversions"].sum() == 2


def test_compare_segments_side_by_side(classic):
    wide = S.compare_segments(classic, "persona", "funnel", stages=["tiktok_video", "ig_profile", "checkout"])
    tidy = S.by_segment(classic, "persona", "funnel", stages=["tiktok_video", "ig_profile", "checkout"])
    assert list(wide.columns) == list(dict.fromkeys(tidy["segment"]))
    for row in tidy.itertuples():
        assert wide.loc[row.step, row.segment] == row.conversion
    conv = S.compare_segments(classic, "first_channel", "conversion", conversion="checkout")
    assert set(conv.index) >= {"customers", "conversions", "rate"}
    edges = S.compare_segments(classic, "converted", "dfg", conversion="checkout")
    assert edges.loc["tiktok_video → ig_profile"].sum() == 1913  # every edge count, split by segment


def test_paths_per_segment(classic):
    tidy = S.by_segment(classic, "first_channel", "paths", step="ig_profile", depth=2, conversion="checkout")
    seg = S.segments_of(classic, "first_channel")
    for name in seg.unique():
        sub = classic[classic["case_id"].map(seg) == name]
        want = jm.analytics.paths_from(sub, "ig_profile", depth=2, conversion="checkout")
        got = tidy[tidy["segment"] == name].drop(columns="segment").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)
    wide = S.compare_segments(classic, "first_channel", "paths", step="ig_profile", depth=1)
    assert wide.loc["ig_profile"].sum() == (classic["activity"] == "ig_profile").groupby(classic["case_id"]).any().sum()


# --- the tests of difference equal scipy -------------------------------------------------------------------------
def test_two_proportions_equals_hand_formulas_and_scipy():
    r = sig.two_proportions(30, 200, 45, 210)
    p1, p2 = 30 / 200, 45 / 210
    half = 1.959963984540054 * math.sqrt(p1 * (1 - p1) / 200 + p2 * (1 - p2) / 210)
    assert float(r["difference"]) == pytest.approx(p2 - p1)
    assert (float(r["ci_low"]), float(r["ci_high"])) == pytest.approx((p2 - p1 - half, p2 - p1 + half))
    chi2, p, _, _ = chi2_contingency([[30, 170], [45, 165]], correction=False)
    assert float(r["z"]) ** 2 == pytest.approx(chi2) and float(r["p_value"]) == pytest.approx(p)
    assert float(r["relative_lift"]) == pytest.approx((p2 - p1) / p1)


def test_chi_square_and_fisher_equal_scipy():
    table = [[12, 88], [30, 70], [20, 80]]
    got = sig.chi_square(table)
    chi2, p, dof, _ = chi2_contingency(table, correction=False)
    assert (got["chi2"], got["p_value"], got["dof"]) == pytest.approx((chi2, p, dof))
    assert math.isnan(got["fisher_p"])
    small = sig.chi_square([[1, 9], [6, 4]])
    assert small["min_expected"] < 5 and small["fisher_p"] == pytest.approx(fisher_exact([[1, 9], [6, 4]])[1])


def test_conversion_test_across_segments_equals_scipy(classic):
    table = A.conversion_test(classic, "persona", "checkout")
    x, n = table["conversions"].to_numpy(), table["customers"].to_numpy()
    chi2, p, dof, _ = chi2_contingency(np.column_stack([x, n - x]), correction=False)
    assert (table.attrs["chi2"], table.attrs["p_value"], table.attrs["dof"]) == pytest.approx((chi2, p, dof))
    ref = table.iloc[0]
    for name, row in table.iloc[1:].iterrows():
        _, pp, _, _ = chi2_contingency([[ref.conversions, ref.customers - ref.conversions],
                                        [row.conversions, row.customers - row.conversions]], correction=False)
        assert row["p_value"] == pytest.approx(pp), name
        assert row["difference"] == pytest.approx(row["rate"] - ref["rate"])
    assert table.attrs["reference"] == table.index[0] and table["warning"].eq("").all()
    other = A.conversion_test(classic, "persona", "checkout", reference="bargain hunter")
    assert other.index[0] == "bargain hunter"


def test_funnel_test_equals_scipy_per_step(classic):
    stages = ["tiktok_video", "ig_profile", "checkout"]
    tests = A.funnel_test(classic, "persona", stages).set_index("step")
    tidy = S.by_segment(classic, "persona", "funnel", stages=stages)
    wide = tidy.pivot(index="step", columns="segment", values="customers")
    for step in stages[1:]:
        reached, base = wide.loc[step].to_numpy(), wide.loc[stages[0]].to_numpy()
        chi2, p, _, _ = chi2_contingency(np.column_stack([reached, base - reached]), correction=False)
        assert tests.loc[step, "chi2"] == pytest.approx(chi2) and tests.loc[step, "p_value"] == pytest.approx(p)


def test_small_groups_are_warned_and_get_fisher(classic):
    few = classic[classic["case_id"].isin(classic["case_id"].drop_duplicates().iloc[:40])]
    table = A.conversion_test(few, "persona", "checkout")
    assert (table["customers"] < 30).all() and table["warning"].str.contains("small group").all()
    assert "small group" in table.attrs["warning"]
    rare = pd.DataFrame({"case_id": np.repeat(np.arange(100), 2), "arm": np.repeat(["control", "new"], 100),
                         "activity": np.column_stack([np.full(100, "visit"),
                                                      np.where(np.arange(100) % 25 == 0, "buy", "x")]).ravel(),
                         "timestamp": pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(np.tile([0, 1], 100),
                                                                                                "h")})
    ab = A.ab_test(rare, "arm", "buy")
    assert "expected count" in ab.loc["new", "warning"] and not math.isnan(ab.loc["new", "fisher_p"])
    x = ab["conversions"].to_numpy()
    n = ab["customers"].to_numpy()
    assert ab.loc["new", "fisher_p"] == pytest.approx(fisher_exact(np.column_stack([x, n - x]))[1])


# --- A/B -------------------------------------------------------------------------------------------------------------
def test_ab_interval_covers_the_true_difference_in_500_seeded_runs():
    rng = np.random.default_rng(2026)
    runs, n, p_a, p_b = 500, 2000, 0.10, 0.13
    x_a, x_b = rng.binomial(n, p_a, runs), rng.binomial(n, p_b, runs)
    r = sig.two_proportions(x_a, n, x_b, n)
    covered = float(np.mean((r["ci_low"] <= p_b - p_a) & (p_b - p_a <= r["ci_high"])))
    print(f"95 % CI coverage of the true difference over {runs} seeded runs: {covered:.1%} (goal ≥ 93 %)")
    assert covered >= 0.93
    assert float(np.mean(r["p_value"] < 0.05)) > 0.8  # a 3 pp effect on 2×2000 customers is usually detected


def _ab_log(rng, n, rates):
    arm = rng.choice(list(rates), size=n)
    buys = rng.random(n) < np.array([rates[a] for a in arm])
    start = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 10_000, n), "min")
    return pd.DataFrame({"case_id": np.repeat([f"c{i}" for i in range(n)], 2), "variant": np.repeat(arm, 2),
                         "activity": np.column_stack([np.full(n, "visit"), np.where(buys, "buy", "leave")]).ravel(),
                         "timestamp": np.column_stack([start, start + pd.Timedelta("5min")]).ravel()})


def test_ab_test_on_an_event_log_with_a_known_effect():
    ev = _ab_log(np.random.default_rng(11), 6000, {"B": 0.25, "control": 0.20})
    ab = A.ab_test(ev, conversion="buy")
    assert ab.index.tolist() == ["control", "B"]  # "control" is the control arm, whatever its size
    brute = ev.groupby("case_id").agg(arm=("variant", "first"), buy=("activity", lambda a: (a == "buy").any()))
    want = brute.groupby("arm")["buy"].agg(["size", "sum"])
    assert ab.loc["B", "customers"] == want.loc["B", "size"] and ab.loc["B", "conversions"] == want.loc["B", "sum"]
    assert ab.loc["B", "ci_low"] <= 0.05 <= ab.loc["B", "ci_high"] and ab.loc["B", "p_value"] < 0.001
    assert ab.loc["B", "relative_lift"] == pytest.approx(ab.loc["B", "difference"] / ab.loc["control", "rate"])


def test_two_journeys_logs_concatenated_with_a_label():
    a = _ab_log(np.random.default_rng(1), 300, {"x": 0.2}).drop(columns="variant")
    b = _ab_log(np.random.default_rng(2), 300, {"x": 0.4}).drop(columns="variant")  # same case ids as a
    both = A.concat_logs({"old": a, "new": b})
    ab = A.ab_test(both, "variant", "buy", control="old")
    assert ab["customers"].tolist() == [300, 300]  # the same id in two logs stays two customers
    assert ab.loc["old", "conversions"] == (a["activity"] == "buy").sum()
    with pytest.raises(jm.JourneyError, match="did you mean 'old'"):
        A.ab_test(both, "variant", "buy", control="olde")


# --- hostile names, plots, CLI -------------------------------------------------------------------------------------
def _hostile_log():
    ev = _ab_log(np.random.default_rng(5), 400, dict.fromkeys(HOSTILE, 0.3))
    return ev.rename(columns={"variant": "persona"})


def test_hostile_segment_names_are_literal_in_plots(tmp_path):
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from journeymap.plot._style import contrast_ratio

    table = A.conversion_test(_hostile_log(), "persona", "buy")
    for lang in ("en", "es"):
        ax = jm.plot.segment_comparison(table, lang=lang)
        ax.figure.savefig(tmp_path / f"seg_{lang}.png")  # mathtext would raise or draw italics
        texts = [t for t in ax.figure.findobj(Text) if t.get_text()]
        assert all(not t.get_parse_math() for t in texts)
        assert not any("\x1b" in t.get_text() or "\x07" in t.get_text() for t in texts)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert "$x^2$ costs $5" in labels and "evil[2Jname" in labels and '=HYPERLINK("http://x")' in labels
        assert all(contrast_ratio(t.get_color(), "#FFFFFF") >= 4.5 for t in texts)
        plt.close(ax.figure)
    ax = jm.plot.segment_comparison(table, lang="es")
    assert "tasa de conversión" in ax.get_xlabel()
    plt.close(ax.figure)


def test_hostile_segment_names_neutral_in_csv_and_terminal(tmp_path, capsys):
    path = tmp_path / "hostile.csv"
    _hostile_log().to_csv(path, index=False)
    assert main(["segments", str(path), "--no-channel", "--by", "persona", "--conversion", "buy", "-q", "--format",
                 "csv"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("persona,customers,conversions,rate")
    cells = [line.split(",")[0] for line in lines[1:]]
    assert not any(c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c.startswith("\"'=HYPERLINK") for c in cells) and "'+cmd" in cells and "'-1+2" in cells
    assert main(["segments", str(path), "--no-channel", "--by", "persona", "--conversion", "buy", "-q"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "evil[2Jname" in out and "all segments: chi-square" in out


def test_cli_funnel_and_measures(capsys):
    assert main(["segments", CLASSIC, "--case", "customer_id", "-q", "--by", "first_channel", "--measure", "funnel",
                 "--stages", "tiktok_video,ig_profile,checkout"]) == 0
    out = capsys.readouterr().out
    assert out.split()[:3] == ["segment", "step", "customers"] and "chi-square test of independence" in out
    assert main(["segments", CLASSIC, "--case", "customer_id", "-q", "--by", "cohort_month", "--measure", "dfg",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("segment,source,target,count")


@pytest.mark.parametrize(("argv", "status", "message"), [
    (["--by", "persna", "--conversion", "checkout"], 1, "segment: no column 'persna'"),
    (["--by", "stag", "--conversion", "checkout"], 1, "did you mean 'stage'?"),
    (["--by", "stage", "--conversion", "chekout"], 1, "did you mean 'checkout'?"),
    (["--by", "stage", "--measure", "funnel"], 2, "needs --stages"),
    (["--by", "stage", "--measure", "funnel", "--stages", "tiktok_video,chekout"], 1, "did you mean 'checkout'?"),
    (["--by", "stage"], 2, "needs --conversion"),
    (["--by", "first_channel", "--conversion", "checkout", "--reference", "instagrm"], 1,
     "did you mean 'instagram'?"),
])
def test_cli_errors_are_one_line(argv, status, message, capsys):
    assert main(["segments", CLASSIC, "--case", "customer_id", "-q", *argv]) == status
    err = capsys.readouterr().err.strip()
    assert message in err and "Traceback" not in err
    assert len(err.splitlines()) == 1 and (status == 2 or err.startswith(CLASSIC + ":"))


def test_cli_constants_match_the_library():
    from journeymap import cli_segments

    assert cli_segments.MEASURES == S.MEASURES and cli_segments.DERIVED == S.DERIVED


def test_unknown_measure_and_missing_arguments_in_the_api(classic):
    with pytest.raises(jm.JourneyError, match="did you mean 'funnel'"):
        S.by_segment(classic, "persona", "funel")
    with pytest.raises(jm.JourneyError, match="needs conversion="):
        S.by_segment(classic, "converted", "dfg")
    with pytest.raises(jm.JourneyError, match="needs stages="):
        S.by_segment(classic, "persona", "funnel")


def test_mutated_event_logs_never_crash_the_segments_command():
    import tempfile
    from pathlib import Path

    from hypothesis import given
    from test_fuzz_cli import FUZZ, assert_clean, mutated_logs, run

    cols = ("--case", "customer_id", "-q")

    @FUZZ
    @given(mutated_logs())
    def check(content):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "events.csv"
            path.write_bytes(content)
            for argv in (("--by", "stage", "--conversion", "checkout"),
                         ("--by", "first_channel", "--measure", "funnel", "--stages", "tiktok_video,ig_profile"),
                         ("--by", "cohort_month", "--measure", "attribution", "--conversion", "checkout",
                          "--format", "csv")):
                code, _, err = run("segments", str(path), *cols, *argv)
                assert_clean(code, err, path)

    check()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_gallery_figure_is_legible(lang):
    """The gallery's A/B of two shipped journeys: text contrast ≥ 4.5:1 on what is behind it, no two texts
    overlap, nothing is cut off at the figure's edge, and the small pilot arm is flagged."""
    import importlib.util

    import matplotlib.pyplot as plt
    from matplotlib.text import Text
    from test_plot_contrast import _text_problems

    spec = importlib.util.spec_from_file_location("gallery_segments", PROJECT_ROOT / "tools" / "gallery_segments.py")
    gallery = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gallery)
    table = gallery.ab_table()
    assert table.index[0] == "multichannel" and table.loc["omnichannel", "ci_low"] > 0  # omnichannel converts more
    assert "small group" in table.loc["omni pilot (store B)", "warning"]
    ax = jm.plot.segment_comparison(table, lang=lang)
    fig = ax.figure
    try:
        assert _text_problems(fig) == []
        renderer = fig.canvas.get_renderer()
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
                 if t.get_visible() and t.get_text().strip()]
        full = fig.bbox
        assert all(full.x0 - 1 <= b.x0 and b.x1 <= full.x1 + 1 and full.y0 - 1 <= b.y0 and b.y1 <= full.y1 + 1
                   for _, b in boxes), [n for n, b in boxes if b.x1 > full.x1 + 1]
        clashes = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:]
                   if ba.shrunk(0.98, 0.9).overlaps(bb.shrunk(0.98, 0.9))]
        assert clashes == []
        texts = [t.get_text() for t in fig.findobj(Text)]
        assert any(("Fisher p" if lang == "en" else "p de Fisher") in t for t in texts)
    finally:
        plt.close(fig)


def test_a_parquet_log_that_fits_runs_in_memory_else_one_clear_error(classic, tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_MEMORY_ROWS", "1000000")  # the tests' default sends every Parquet log to DuckDB
    path = tmp_path / "classic.parquet"
    classic.to_parquet(path)
    got = S.by_segment(str(path), "persona", "conversion", conversion="checkout")
    pd.testing.assert_frame_equal(got, S.by_segment(classic, "persona", "conversion", conversion="checkout"))
    assert A.ab_test(str(path), "persona", "checkout", control="maker").index[0] == "maker"
    raw = PROJECT_ROOT / "data" / "events" / "retail_bopis_multichannel.parquet"  # no case column: needs stitching
    with pytest.raises(jm.JourneyError, match="segments run in memory") as err:
        S.by_segment(str(raw), "channel", "dfg")
    assert len(str(err.value).splitlines()) == 1
