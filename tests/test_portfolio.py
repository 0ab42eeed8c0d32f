"""jm.portfolio: many journeys in one picture (issue 16, part 2). Every expected number is computed here from
per-journey ``jm.score`` results (or by re-scoring with pain points removed), never copied from output."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys

import pytest

import journeymap as jm
from journeymap.scoring.priorities import friction_removed, without_pains

SHIPPED = jm.shipped_journeys()


@pytest.fixture(scope="module")
def shipped():
    return jm.portfolio(jm.paths.JOURNEYS_DIR)


def _journey(jid, *, persona="ana", state="current", stages=(("buy", "Buy"),), opportunities=(), pains=None,
             title=None, wait=30.0):
    """A small journey: two touchpoints per stage; pain points on the first of each stage."""
    stage_list = [{"id": sid, "name": name} for sid, name in stages]
    tps = []
    for n, (sid, _) in enumerate(stages):
        tps.append({"id": f"{sid}_web", "stage": sid, "channel": "website", "action": f"Looks {n}", "effort": 3 + n % 3,
                    "emotion": -1, "wait_min": wait, "pain_points": (pains or {}).get(sid, [])})
        tps.append({"id": f"{sid}_store", "stage": sid, "channel": "store", "action": f"Goes {n}", "effort": 2,
                    "emotion": 0.5})
    return jm.Journey(id=jid, title=title or jid.replace("_", " "), state=state,
                      persona={"id": persona, "name": persona.capitalize()} if persona else None,
                      stages=stage_list, touchpoints=tps, opportunities=list(opportunities))


def _pain(pid, severity=4, frequency=0.6):
    return {"id": pid, "text": f"pain {pid}", "severity": severity, "frequency": frequency}


# -- one row per journey ------------------------------------------------------------------------
def test_rows_equal_each_journeys_own_score(shipped):
    assert shipped.problems == []
    assert list(shipped.journeys["file"]) == [str(p) for p in SHIPPED]
    for path in SHIPPED:
        j = jm.load(path)
        r = jm.score(j)
        ev = r.evidence_summary()
        row = shipped.journeys.loc[j.id]
        assert row["state"] == j.state and row["persona"] == j.persona.id and row["persona_name"] == j.persona.name
        assert row["friction"] == pytest.approx(r.total, abs=1e-12)
        assert row["conversion"] == pytest.approx(r.expected_conversion, abs=1e-12)
        assert row["continuity"] == pytest.approx(r.continuity, abs=1e-12)
        assert (row["observed"], row["assumed"], row["proposed"]) == pytest.approx(
            (ev.observed, ev.assumed, ev.proposed), abs=1e-12)


def test_each_journey_is_scored_once(monkeypatch):
    import journeymap.comparison
    import journeymap.scoring
    import journeymap.scoring.report

    calls = []
    real = journeymap.scoring.report.score

    def counting(journey, weights=None):
        calls.append(journey.id)
        return real(journey, weights)

    for module in (journeymap.scoring, journeymap.scoring.report, journeymap.comparison):
        monkeypatch.setattr(module, "score", counting)
    pf = jm.portfolio(SHIPPED)
    for table in (pf.journeys, pf.heatmap(), pf.heatmap(None), pf.pain_points, pf.opportunities, pf.pairs):
        assert len(table)
    assert sorted(calls) == sorted(jm.load(p).id for p in SHIPPED)


def test_accepts_a_list_of_paths_and_journey_objects_and_keeps_duplicate_ids_apart():
    a = jm.load(SHIPPED[0])
    pf = jm.portfolio([SHIPPED[0], a, _journey("small")])
    assert list(pf.journeys.index) == [a.id, f"{a.id} (2)", "small"]
    assert list(pf.journeys["file"]) == [str(SHIPPED[0]), "", ""]
    assert pf.journeys["friction"].iloc[0] == pf.journeys["friction"].iloc[1]


def test_weights_reach_every_journey():
    weights = {"wait": 5, "pain": 0.5}
    pf = jm.portfolio(SHIPPED[:3], weights=weights)
    for path in SHIPPED[:3]:
        j = jm.load(path)
        assert pf.journeys.loc[j.id, "friction"] == pytest.approx(jm.score(j, weights).total, abs=1e-12)


# -- files that do not load ---------------------------------------------------------------------
def test_an_invalid_file_is_reported_and_the_rest_summarised(tmp_path):
    for path in SHIPPED[:2]:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: Broken\nstages: []\ntouchpoints: []\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a journey", encoding="utf-8")
    pf = jm.portfolio(tmp_path)
    assert list(pf.journeys["file"]) == [str(tmp_path / p.name) for p in SHIPPED[:2]]
    assert pf.problems and all(p.file == str(tmp_path / "broken.yaml") for p in pf.problems)
    assert all("\n" not in str(p) for p in pf.problems)


def test_a_missing_folder_or_an_empty_one_is_one_clear_error(tmp_path):
    with pytest.raises(jm.JourneyError, match="no such folder or file"):
        jm.portfolio(tmp_path / "nope")
    with pytest.raises(jm.JourneyError, match=r"no journey files \(\*\.yaml"):
        jm.portfolio(tmp_path)
    (tmp_path / "bad.yaml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(jm.JourneyError, match=r"bad\.yaml"):  # nothing loads: every problem is raised
        jm.portfolio(tmp_path)


# -- persona × stage heatmap ----------------------------------------------------------------------
def test_heatmap_cells_are_reach_weighted_friction_pooled_over_a_personas_journeys():
    a = _journey("a", stages=(("buy", "Buy"), ("use", "Use")), pains={"buy": [_pain("p1")]})
    b = _journey("b", stages=(("purchase", "buy "), ("help", "Help")), wait=90.0)  # "buy " matches "Buy" by name
    c = _journey("c", persona="bo", stages=(("buy", "Checkout"),))  # matches a's "buy" by id
    d = _journey("d", state="future", stages=(("buy", "Buy"),), wait=0.0)
    pf = jm.portfolio([a, b, c, d])
    frame = pf.heatmap()
    assert list(frame.index) == ["Ana", "Bo"]
    assert list(frame.columns) == ["Buy", "Use", "Help"]  # the name most stages in the column have

    def pooled(parts):
        num = sum(float((r.by_touchpoint["friction"] * r.by_touchpoint["reach"])[r.by_touchpoint["stage"] == s].sum())
                  for r, s in parts)
        den = sum(float(r.by_touchpoint["reach"][r.by_touchpoint["stage"] == s].sum()) for r, s in parts)
        return num / den

    ra, rb, rc, rd = (jm.score(j) for j in (a, b, c, d))
    assert frame.loc["Ana", "Buy"] == pytest.approx(pooled([(ra, "buy"), (rb, "purchase")]), abs=1e-9)
    assert frame.loc["Ana", "Use"] == pytest.approx(pooled([(ra, "use")]), abs=1e-9)
    assert frame.loc["Bo", "Buy"] == pytest.approx(pooled([(rc, "buy")]), abs=1e-9)
    assert math.isnan(frame.loc["Bo", "Help"])
    assert pf.heatmap("future").loc["Ana", "Buy"] == pytest.approx(pooled([(rd, "buy")]), abs=1e-9)
    everything = pf.heatmap(None)
    assert everything.loc["Ana", "Buy"] == pytest.approx(pooled([(ra, "buy"), (rb, "purchase"), (rd, "buy")]))
    by_id = jm.portfolio([a, b, c], stage_key="id").heatmap()
    assert list(by_id.columns) == ["Buy", "buy ", "Use", "Help"]  # by mean position: first stages, then second
    by_name = jm.portfolio([a, b, c], stage_key="name").heatmap()
    assert "Checkout" in by_name.columns and by_name.loc["Bo", "Checkout"] == pytest.approx(pooled([(rc, "buy")]))


def test_heatmap_on_the_shipped_journeys_matches_each_journeys_stage_scores(shipped):
    frame = shipped.heatmap()
    assert "Lucía Moreno" in frame.index
    multi = jm.score(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
    for stage_id, row in multi.by_stage.iterrows():
        assert frame.loc["Lucía Moreno", row["name"]] == pytest.approx(row["friction"], abs=1e-9), stage_id


# -- pain points and opportunities across journeys -------------------------------------------------
def test_pain_points_are_ranked_across_journeys(shipped):
    pains = shipped.pain_points
    assert pains["impact"].is_monotonic_decreasing and list(pains.index) == list(range(1, len(pains) + 1))
    expected = 0
    for path in SHIPPED:
        j = jm.load(path)
        ranking = jm.score(j).pain_ranking()
        expected += len(ranking)
        mine = pains[pains["journey"] == j.id].set_index("id")
        assert mine["impact"].to_dict() == pytest.approx(ranking["impact"].to_dict(), abs=1e-12)
    assert len(pains) == expected


def test_cross_journey_opportunity_totals_equal_hand_sums():
    shared = {"id": "faster_pickup", "text": "Cut the wait at pick-up", "addresses": ["wait_pick"], "effort": 2,
              "value": 4}
    a = _journey("a", pains={"buy": [_pain("wait_pick"), _pain("rude", 2, 0.3)]},
                 opportunities=[shared, {"id": "train", "text": "Train staff", "addresses": ["rude"], "effort": 1}])
    b = _journey("b", pains={"buy": [_pain("wait_pick", 5, 0.9)]}, opportunities=[{**shared, "effort": 4}])
    c = _journey("c", persona="bo", pains={"buy": [_pain("queue", 3, 0.5)]},
                 opportunities=[{"id": "c_queue", "text": "  cut the WAIT at pick up!", "addresses": ["queue"],
                                 "effort": 3}])
    pf = jm.portfolio([a, b, c])
    opps = pf.opportunities

    def removed(journey, pains):  # by hand: re-score the journey with these pain points fixed
        return jm.score(journey).total - jm.score(without_pains(journey, pains)).total

    total = removed(a, {"wait_pick"}) + removed(b, {"wait_pick"}) + removed(c, {"queue"})
    row = opps.loc["faster_pickup"]
    assert row["friction_removed"] == pytest.approx(total, abs=1e-9)
    assert row["effort"] == 4 and row["n_journeys"] == 3 and row["journeys"] == "a, b, c"
    assert row["ids"] == "faster_pickup, c_queue"
    assert row["removed_per_effort"] == pytest.approx(total / 4, abs=1e-9)
    assert opps.loc["train", "friction_removed"] == pytest.approx(removed(a, {"rude"}), abs=1e-9)
    assert list(pf.shared_opportunities.index) == ["faster_pickup"]
    ranked = sorted(opps.index, key=lambda g: -opps.loc[g, "removed_per_effort"])
    assert list(opps.index) == ranked
    members = pf.opportunity_members
    assert members.loc[members["journey"] == "b", "friction_removed"].iloc[0] == pytest.approx(
        friction_removed(jm.score(b), {"wait_pick"}), abs=1e-12)


def test_two_members_of_a_group_in_one_journey_count_their_pains_fixed_together():
    a = _journey("a", pains={"buy": [_pain("p1"), _pain("p2", 5, 0.8)]},
                 opportunities=[{"id": "o1", "text": "Fix it", "addresses": ["p1"]},
                                {"id": "o2", "text": "fix it.", "addresses": ["p2"]}])
    row = jm.portfolio([a]).opportunities.loc["o1"]
    both = jm.score(a).total - jm.score(without_pains(a, {"p1", "p2"})).total
    assert row["friction_removed"] == pytest.approx(both, abs=1e-9) and row["n_journeys"] == 1


# -- current vs future ----------------------------------------------------------------------------
def test_current_and_future_are_paired_on_the_shipped_journeys(shipped):
    multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    omni = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    totals = jm.compare(multi, omni).totals
    (row,) = shipped.pairs.to_dict("records")
    assert (row["current"], row["future"], row["persona"]) == (multi.id, omni.id, "lucia_urban_shopper")
    for name, key in (("friction", "friction"), ("conversion", "expected_conversion"), ("continuity", "continuity")):
        for side, col in (("current", "a"), ("future", "b"), ("delta", "delta")):
            assert row[f"{name}_{side}"] == pytest.approx(float(totals.loc[key, col]), abs=1e-12)


def test_pairs_by_name_stem_and_explicit_pairs():
    js = [_journey("shop_current"), _journey("shop_future", state="future"), _journey("help_today"),
          _journey("help_target", state="future"), _journey("lonely", state="future", persona="bo")]
    pf = jm.portfolio(js)
    assert pf.pairs[["current", "future"]].values.tolist() == [["shop_current", "shop_future"],
                                                               ["help_today", "help_target"]]
    explicit = jm.portfolio(js, pairs=[("shop_current", "lonely")])
    assert explicit.pairs[["current", "future"]].values.tolist() == [["shop_current", "lonely"]]
    with pytest.raises(jm.JourneyError, match="did you mean 'shop_future'"):
        jm.portfolio(js, pairs=[("shop_current", "shop_futur")])


# -- imports, plot --------------------------------------------------------------------------------
def test_portfolio_tables_do_not_import_matplotlib():
    code = ("import sys, journeymap as jm; pf = jm.portfolio(jm.shipped_journeys()); "
            "[len(x) for x in (pf.journeys, pf.heatmap(), pf.pain_points, pf.opportunities, pf.pairs)]; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_heatmap_plot_draws_every_cell_and_keeps_its_text_inside_the_figure(shipped):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = jm.plot.portfolio_heatmap(shipped)
    fig = ax.figure
    try:
        frame = shipped.heatmap()
        drawn = [t.get_text() for t in ax.texts]
        assert len(drawn) == int(frame.notna().sum().sum())
        assert [t.get_text() for t in ax.get_yticklabels()] == list(frame.columns)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]
        for t in texts:
            b = t.get_window_extent(renderer)
            assert b.x0 >= box.x0 - 1 and b.x1 <= box.x1 + 1 and b.y0 >= box.y0 - 1 and b.y1 <= box.y1 + 1, t.get_text()
        labels = [t.get_window_extent(renderer) for t in ax.get_yticklabels() + ax.get_xticklabels()]
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not a.overlaps(b)
        fig2, ax2 = plt.subplots()
        assert jm.plot.portfolio_heatmap(shipped, ax=ax2, lang="es", state="future") is ax2
        assert ax2.get_title(loc="left").startswith("Fricción")
        plt.close(fig2)
    finally:
        plt.close(fig)
