"""Issue 14 part 4: evidence on every view (score, scorecard, map, network, HTML report, CLI).

The journey is built by hand here (calibrate/read_survey come from other modules): four touchpoints
with observed / assumed+measured / proposed / assumed cards, observed and assumed transitions, and
survey metrics with n (one small sample).
"""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

import journeymap as jm
from journeymap.model import Journey
from journeymap.scoring.evidence import component_evidence, evidence_points, evidence_summary, flow_observed_share


def mixed_journey(lang: str = "en") -> Journey:
    return Journey.model_validate({
        "id": "mixed", "title": "Mixed evidence <b>&amp; $5 or $10</b>", "lang": lang,
        "stages": [{"id": "s1", "name": "Find"}, {"id": "s2", "name": "Buy",
                                                  "metrics": {"nps": 5, "nps_n": 80, "source": "svy"}}],
        "sources": [{"id": "log", "kind": "events", "file": "events.csv", "customers": 1000},
                    {"id": "svy", "kind": "survey", "file": "survey.csv", "rows": 300}],
        "touchpoints": [
            {"id": "a", "stage": "s1", "channel": "website", "action": "Browse <script>x</script>",
             "evidence": "observed", "effort": 4, "emotion": -1,
             "observed": {"source": "log", "customers": 1000, "visits": 1200, "entries": 1000},
             "metrics": {"nps": -12.5, "nps_n": 45, "csat": 71.0, "csat_n": 40, "ces": 4.2, "ces_n": 12,
                         "nps_ci": [-30.0, 5.0], "ces_ci": [3.5, 4.9], "source": "svy"}},
            {"id": "b", "stage": "s1", "channel": "whatsapp", "action": "Ask a question",
             "effort": 7, "emotion": -2, "measured": ["emotion"],
             "pain_points": [{"id": "p1", "text": "Slow reply", "severity": 5, "frequency": 0.4,
                              "evidence": "observed"},
                             {"id": "p2", "text": "Repeats order number", "severity": 5, "frequency": 0.2}]},
            {"id": "c", "stage": "s2", "channel": "store", "action": "Pick up", "evidence": "proposed",
             "effort": 4, "wait_min": 10, "metrics": {"csat": 90.0, "csat_n": 200}},
            {"id": "d", "stage": "s2", "channel": "email", "action": "Read receipt", "emotion": -2},
        ],
        "transitions": [
            {"from": "a", "to": "b", "share": 0.5, "evidence": "observed",
             "observed": {"source": "log", "count": 500}, "context": "none", "recognised": False},
            {"from": "b", "to": "c", "share": 0.8},
            {"from": "c", "to": "d", "share": 1.0, "evidence": "proposed"},
        ],
    })


# -- scoring/evidence.py ------------------------------------------------------------------------------


def test_component_rule_by_hand():
    j = mixed_journey()
    a, b, c, d = (j.touchpoint(x) for x in "abcd")
    assert component_evidence(a, "handoff") == {"observed": 1.0}  # observed card: everything observed
    assert component_evidence(b, "emotion") == {"observed": 1.0}  # measured on an assumed card
    assert component_evidence(b, "effort") == {"assumed": 1.0}
    assert component_evidence(b, "handoff") == {"assumed": 1.0}  # never observed on a non-observed card
    pain = component_evidence(b, "pain")  # hits 1.0*0.4 observed vs 1.0*0.2 assumed
    assert pain["observed"] == pytest.approx(2 / 3) and pain["assumed"] == pytest.approx(1 / 3)
    assert component_evidence(c, "wait") == {"proposed": 1.0}
    assert component_evidence(d, "emotion") == {"assumed": 1.0}


def test_summary_hand_computed():
    j = mixed_journey()
    report = jm.score(j)
    bt = report.by_touchpoint
    reach = bt["reach"]
    # observed: all of a; emotion + 2/3 pain of b.  proposed: all of c.  assumed: the rest.
    obs = reach["a"] * bt.at["a", "friction"] + reach["b"] * (bt.at["b", "emotion"] + 2 / 3 * bt.at["b", "pain"])
    prop = reach["c"] * bt.at["c", "friction"]
    total = float((reach * bt["friction"]).sum())
    s = report.evidence_summary()
    assert s.observed == pytest.approx(obs / total)
    assert s.proposed == pytest.approx(prop / total)
    assert s.assumed == pytest.approx(1 - (obs + prop) / total)
    assert s.assumed > 0.05 and s.observed > 0.05 and s.proposed > 0.0
    # flow: entry a (1.0, observed block) + a->b 0.5 (observed) + b->c 0.4 + c->d 0.4
    assert s.flow_observed == pytest.approx((1.0 + 0.5) / (1.0 + 0.5 + 0.4 + 0.4))
    assert flow_observed_share(j) == pytest.approx(s.flow_observed)
    assert s.measured == 1
    assert "assumed values" in str(s) and f"{100 * s.assumed:.0f}%" in str(s)
    assert "supuestos" in s.text("es")


def test_points_add_up_to_friction_per_touchpoint():
    report = jm.score(mixed_journey())
    points = evidence_points(report).groupby("touchpoint")["points"].sum()
    for tp_id, friction in report.by_touchpoint["friction"].items():
        assert points[tp_id] == pytest.approx(friction)


@pytest.mark.parametrize("name", ["hotel_stay", "retail_bopis_multichannel", "retail_bopis_omnichannel",
                                  "salud_cita_medica", "bank_account_opening"])
def test_shares_sum_to_one_on_shipped_journeys(name):
    s = jm.score(jm.load(jm.shipped_journey(name))).evidence_summary()
    assert s.observed + s.assumed + s.proposed == pytest.approx(1.0)
    assert all(0 <= v <= 1 for v in (s.observed, s.assumed, s.proposed, s.flow_observed))


def test_all_observed_journey_rests_on_nothing_assumed():
    data = mixed_journey().model_dump(by_alias=True)
    for tp in data["touchpoints"]:
        tp["evidence"] = "observed"
        tp["observed"] = {"source": "log", "customers": 10, "visits": 10, "entries": 10}
    for tr in data["transitions"]:
        tr["evidence"] = "observed"
    s = evidence_summary(jm.score(Journey.model_validate(data)))
    assert s.assumed == 0.0 and s.proposed == 0.0 and s.observed == pytest.approx(1.0)
    assert s.flow_observed == pytest.approx(1.0)


def test_default_journey_is_all_assumed():
    j = Journey.model_validate({"id": "x", "title": "x", "stages": [{"id": "s", "name": "S"}],
                                "touchpoints": [{"id": "a", "stage": "s", "channel": "website", "action": "A",
                                                 "effort": 5}]})
    s = jm.score(j).evidence_summary()
    assert (s.observed, s.assumed, s.proposed, s.flow_observed) == (0.0, 1.0, 0.0, 0.0)


# -- score output and scorecard --------------------------------------------------------------------


def test_by_touchpoint_keeps_n_columns():
    report = jm.score(mixed_journey())
    bt = report.by_touchpoint
    assert {"nps", "csat", "ces", "nps_n", "csat_n", "ces_n"} <= set(bt.columns)
    assert bt.at["a", "ces_n"] == 12 and bt.at["c", "csat_n"] == 200
    assert math.isnan(bt.at["c", "nps_n"])
    assert report.by_stage.at["s2", "nps_n"] == 80


def test_scorecard_evidence_row():
    report = jm.score(mixed_journey())
    row = report.scorecard.loc["evidence"]
    assert row["value"] == pytest.approx(100 * report.evidence_summary().assumed)
    assert row["explanation"].startswith(f"{row['value']:.0f}% of the reach-weighted friction rests on assumed")


def test_score_command_prints_metrics_with_n_and_evidence(tmp_path, capsys):
    import yaml

    from journeymap.cli import main

    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(mixed_journey().model_dump(by_alias=True, exclude_none=True), allow_unicode=True))
    report = jm.score(mixed_journey())
    assert main(["score", str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1] == f"evidence: {report.evidence_summary()}"
    row_a = next(line for line in lines if line.startswith("a "))
    assert "-12 n=45" in row_a and "71% n=40" in row_a and "4.2 n=12*" in row_a
    assert "90% n=200" in next(line for line in lines if line.startswith("c "))
    assert lines[-1] == "* n < 30: small sample"
    assert main(["score", str(path), "--by", "stage"]) == 0
    assert "+5 n=80" in capsys.readouterr().out
    assert main(["score", str(path), "--format", "json"]) == 0
    payload = __import__("json").loads(capsys.readouterr().out)
    assert payload["evidence"]["assumed"] == pytest.approx(report.evidence_summary().assumed)
    row = next(r for r in payload["rows"] if r["id"] == "a")
    assert (row["nps_n"], row["csat_n"], row["ces_n"]) == (45, 40, 12)
    assert main(["score", str(path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("nps,csat,ces,nps_n,csat_n,ces_n")


def test_score_command_without_metrics_has_no_footnote(capsys):
    from journeymap.cli import main

    assert main(["score", str(jm.shipped_journey("hotel_stay"))]) == 0
    out = capsys.readouterr().out
    assert "evidence: friction resting on assumed values" in out and "small sample" not in out


# -- the map ------------------------------------------------------------------------------------------


def _by_gid(ax, prefix: str) -> dict[str, object]:
    return {a.get_gid().split(":", 1)[1]: a for a in ax.findobj(lambda a: (a.get_gid() or "").startswith(prefix))}


@pytest.fixture
def mixed_map():
    ax = jm.plot.journey_map(mixed_journey())
    yield ax
    plt.close(ax.figure)


def test_map_cards_by_evidence(mixed_map):
    from matplotlib.colors import to_hex

    cards = _by_gid(mixed_map, "evidence-card:")
    assert set(cards) == {"a", "b", "c", "d"}
    a, b, c, d = (cards[x] for x in "abcd")
    assert a.get_fill() and to_hex(a.get_facecolor()) != "#ffffff" and a.get_facecolor()[3] == 1.0
    assert a.get_linestyle() == "-" and a.get_linewidth() > b.get_linewidth()
    assert c.get_linestyle() == "--" and c.get_facecolor()[3] == 0.0  # proposed: dashed outline, no fill
    assert b.get_linestyle() == "-" and b.get_facecolor()[3] == 0.0  # assumed: the plain hairline
    assert d.get_linestyle() == "-" and d.get_linewidth() == b.get_linewidth()
    assert set(_by_gid(mixed_map, "evidence-measured:")) == {"b"}  # only the partly measured card


def test_map_moves_solid_observed_dashed_assumed(mixed_map):
    moves = _by_gid(mixed_map, "evidence-move:")
    assert set(moves) == {"a->b", "b->c", "c->d"}
    assert moves["a->b"].get_linestyle() == "-"
    assert moves["b->c"].get_linestyle() == "--"
    assert moves["c->d"].get_linestyle() == ":"


def test_map_legend_names_every_evidence_style(mixed_map):
    texts = {a.get_gid()[len("legend-"):]: a.get_text() for a in
             mixed_map.findobj(lambda a: (a.get_gid() or "").startswith("legend-"))}
    assert texts == {"card_observed": "observed", "card_assumed": "assumed", "card_proposed": "proposed",
                     "measured": "partly measured", "move_observed": "observed move",
                     "move_assumed": "assumed move", "move_proposed": "proposed move"}


def test_map_metrics_lane_with_n_and_small_sample(mixed_map):
    lane = [t for t in mixed_map.texts if t.get_text() == "Survey metrics"]
    assert len(lane) == 1
    metric = {}
    for text in mixed_map.texts:
        if (text.get_gid() or "").startswith("metric:"):
            metric.setdefault(text.get_gid()[7:], []).append(text.get_text().replace("\n", " "))
    assert metric["a"] == ["NPS −12 · n=45", "CSAT 71% · n=40", "CES 4.2 · n=12 (small sample)"]
    assert metric["c"] == ["CSAT 90% · n=200"]
    assert all("n=" in line for lines in metric.values() for line in lines)
    small = [t for t in mixed_map.texts if "small sample" in t.get_text()]
    assert small and all(t.get_style() == "italic" for t in small)


def test_metrics_lane_is_switchable_and_absent_without_metrics():
    j = mixed_journey()
    ax = jm.plot.journey_map(j, lanes=[x for x in jm.plot.DEFAULT_LANES if x != "metrics"])
    try:
        assert not [t for t in ax.texts if (t.get_gid() or "").startswith("metric:")]
        assert "Survey metrics" not in {t.get_text() for t in ax.texts}
    finally:
        plt.close(ax.figure)
    hotel = jm.plot.journey_map(jm.load(jm.shipped_journey("hotel_stay")), report=False)
    try:
        assert "Survey metrics" not in {t.get_text() for t in hotel.texts}
    finally:
        plt.close(hotel.figure)


def test_map_spanish_labels():
    ax = jm.plot.journey_map(mixed_journey("es"))
    try:
        texts = {t.get_text().replace("\n", " ") for t in ax.texts}
        assert {"Métricas de encuesta", "observado", "supuesto", "propuesto", "medido en parte"} <= texts
        assert any("(muestra pequeña)" in x for x in texts) and any("CSAT 71 % · n=40" in x for x in texts)
    finally:
        plt.close(ax.figure)


def test_map_without_evidence_draws_none():
    j = mixed_journey()
    ax = jm.plot.journey_map(j, evidence=False)
    try:
        assert not _by_gid(ax, "evidence-") and not _by_gid(ax, "legend-card")
    finally:
        plt.close(ax.figure)
    plain = Journey.model_validate({"id": "x", "title": "x", "stages": [{"id": "s", "name": "S"}],
                                    "touchpoints": [{"id": "a", "stage": "s", "channel": "website", "action": "A"},
                                                    {"id": "b", "stage": "s", "channel": "email", "action": "B"}]})
    ax = jm.plot.journey_map(plain)
    try:
        assert not _by_gid(ax, "evidence-")  # nothing but defaults: the map looks as it always did
    finally:
        plt.close(ax.figure)


def test_map_user_text_is_literal(mixed_map):
    title = next(t for t in mixed_map.texts if t.get_text().startswith("Mixed evidence"))
    assert title.get_text() == "Mixed evidence <b>&amp; $5 or $10</b>" and not title.get_parse_math()
    assert all(not t.get_parse_math() for t in mixed_map.texts)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_map_text_contrast_and_nothing_outside(lang):
    from test_plot_contrast import _text_problems

    ax = jm.plot.journey_map(mixed_journey(lang))
    try:
        fig = ax.figure
        assert _text_problems(fig) == []
        fig.canvas.draw()
        bounds = fig.bbox
        for text in ax.texts:
            box = text.get_window_extent()
            assert box.x0 >= bounds.x0 - 1 and box.x1 <= bounds.x1 + 1, text.get_text()
            assert box.y0 >= bounds.y0 - 1 and box.y1 <= bounds.y1 + 1, text.get_text()
    finally:
        plt.close(ax.figure)


# -- HTML report and network --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_report_html():
    from journeymap.exporting import report_html

    return report_html(mixed_journey())


def test_report_html_evidence_block(mixed_report_html):
    page = mixed_report_html
    s = jm.score(mixed_journey()).evidence_summary()
    assert '<div class="ev-legend"' in page
    for cls, label in (("ev-observed", "observed"), ("ev-assumed", "assumed"), ("ev-proposed", "proposed")):
        assert f'<span class="ev {cls}">{label}</span>' in page
    assert "partly measured" in page and "observed move" in page and "proposed move" in page
    assert f"{100 * s.assumed:.0f}% of the reach-weighted friction rests on assumed values" in page
    assert f"<b>{100 * s.flow_observed:.0f}%</b>flow on observed shares" in page
    assert '<span class="ev ev-assumed ev-measured" title="emotion">assumed</span>' in page  # card b


def test_report_html_metrics_with_n_and_intervals(mixed_report_html):
    page = mixed_report_html
    assert "-12 [-30, 5] · n=45" in page
    assert "<td class='num small'>4.2 [3.5, 4.9] · n=12 (small sample)</td>" in page
    assert "90 · n=200" in page and "5 · n=80" in page  # touchpoint c; stage s2


def test_report_html_escapes_user_text(mixed_report_html):
    body = mixed_report_html.split("<iframe", 1)[0] + mixed_report_html.split("</iframe>", 1)[1]
    assert "<script>x</script>" not in body and "Browse &lt;script&gt;x&lt;/script&gt;" in body
    assert "<b>&amp;" not in body


def test_report_html_spanish():
    from journeymap.exporting import report_html

    page = report_html(mixed_journey("es"))
    assert '<span class="ev ev-observed">observado</span>' in page and "muestra pequeña" in page
    assert "fricción basada en valores supuestos" in page and "Fuentes de datos" in page


def test_network_evidence_styles():
    from journeymap.network import network_html, to_pyvis

    net = to_pyvis(mixed_journey())
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes["a"]["borderWidth"] > nodes["d"]["borderWidth"]
    assert nodes["c"]["shapeProperties"]["borderDashes"] and "shapeProperties" not in nodes["d"]
    assert nodes["b"]["label"].endswith("◆") and not nodes["d"]["label"].endswith("◆")
    assert "CES 4.2 · n=12 (small sample)" in nodes["a"]["title"] and "n=1000 (log)" in nodes["a"]["title"]
    edges = {(e["from"], e["to"]): e for e in net.edges}
    assert edges[("a", "b")]["background"]["enabled"] and edges[("a", "b")]["background"]["dashes"] is False
    assert edges[("c", "d")]["background"]["dashes"]
    assert "background" not in edges[("b", "c")]
    assert "n=500" in edges[("a", "b")]["title"]
    page = network_html(net)
    assert 'class="jm-ev"' in page and "partly measured" in page and "observed move" in page
    assert "<script>x</script>" not in page.split("<body>", 1)[1].split("vis.DataSet", 1)[0]
    plain = network_html(jm.load(jm.shipped_journey("retail_bopis_omnichannel")).model_copy(
        update={"touchpoints": [tp.model_copy(update={"evidence": "assumed"}) for tp in
                                jm.load(jm.shipped_journey("retail_bopis_omnichannel")).touchpoints]}))
    assert 'class="jm-ev"' not in plain


def sixty(lang: str = "en") -> Journey:
    kinds = ["observed", "assumed", "proposed"]
    channels = ["website", "email", "store", "whatsapp", "chatbot"]
    tps, trs = [], []
    for i in range(60):
        tp = {"id": f"t{i}", "stage": f"s{i // 10}", "channel": channels[i % 5], "evidence": kinds[i % 3],
              "action": f"Step {i}: the customer does something long enough to wrap ${i}", "emotion": i % 5 - 2}
        if i % 4 == 1:
            tp["measured"] = ["emotion"]
        if i % 2 == 0:
            tp["metrics"] = {"nps": (i * 7) % 200 - 100, "nps_n": 10 + 3 * i, "csat": 50 + i % 50,
                             "csat_n": 20 + i, "ces": 1 + i % 6, "ces_n": 5 + 2 * i}
        tps.append(tp)
        if i:
            trs.append({"from": f"t{i - 1}", "to": f"t{i}", "share": 0.9, "evidence": kinds[(i + 1) % 3]})
    return Journey.model_validate({"id": "sixty", "title": "Sixty touchpoints", "lang": lang, "touchpoints": tps,
                                   "stages": [{"id": f"s{k}", "name": f"Stage {k}"} for k in range(6)],
                                   "transitions": trs})


@pytest.mark.parametrize("lang", ["en", "es"])
def test_sixty_touchpoints_metrics_stay_in_their_column(lang):
    from test_plot_contrast import _text_problems

    from journeymap.plot._map_layout import LABEL_W, MARGIN, PAD

    ax = jm.plot.journey_map(sixty(lang))
    try:
        fig = ax.figure
        fig.canvas.draw()
        assert len(_by_gid(ax, "evidence-card:")) == 60 and len(_by_gid(ax, "evidence-move:")) == 59
        assert len(_by_gid(ax, "evidence-measured:")) == len([i for i in range(60) if i % 4 == 1 and i % 3])
        to_data = ax.transData.inverted()
        boxes: dict[str, list] = {}
        for text in ax.texts:
            gid = text.get_gid() or ""
            if gid.startswith("metric:"):
                (x0, y0), (x1, y1) = to_data.transform(text.get_window_extent().get_points())
                col = int(gid[8:])
                left = MARGIN + LABEL_W + col * 1.9
                assert left + PAD - 0.01 <= x0 and x1 <= left + 1.9 - PAD + 0.01, text.get_text()
                boxes.setdefault(gid, []).append((min(y0, y1), max(y0, y1)))
        assert len(boxes) == 30
        for spans in boxes.values():  # lines of one cell never overlap
            spans.sort()
            assert all(a[1] <= b[0] + 1e-6 for a, b in itertools.pairwise(spans))
        assert _text_problems(fig) == []
    finally:
        plt.close(ax.figure)


def test_stage_metrics_in_the_stage_header_with_the_lane():
    j = mixed_journey()
    ax = jm.plot.journey_map(j)
    try:
        found = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("stage-metric:")}
        assert found == {"stage-metric:s2": "NPS +5 · n=80"}  # one line per metric
    finally:
        plt.close(ax.figure)
    ax = jm.plot.journey_map(j, lanes=["channel", "actions", "emotion"])
    try:
        assert not [t for t in ax.texts if (t.get_gid() or "").startswith("stage-metric:")]
    finally:
        plt.close(ax.figure)
