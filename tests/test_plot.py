"""The plots: API shape, languages, lanes, growth with the journey, and no overlapping text."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

import journeymap as jm
from journeymap.plot._style import text_width, wrap

sys.path.insert(0, str(Path(__file__).parent))
from _textboxes import cut_off, overlaps

SHIPPED = jm.shipped_journeys()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def big_journey(n: int = 32, stages: int = 6) -> jm.Journey:
    channels = ["website", "mobile_app", "email", "whatsapp", "store", "phone", "instagram", "chatbot"]
    return jm.Journey(
        id="big", title="A long omnichannel journey with many touchpoints to check readability",
        stages=[{"id": f"s{i}", "name": f"Stage {i} with a longer name", "goal": "Get something done well"}
                for i in range(stages)],
        touchpoints=[{
            "id": f"t{k}", "stage": f"s{k * stages // n}", "channel": channels[k % len(channels)],
            "action": f"Customer does step {k}, which takes a sentence or two to describe properly in a workshop",
            "thoughts": "Why is this so slow?" if k % 3 else "", "emotion": ((k * 7) % 9 - 4) / 2,
            "backstage": ["A system syncs the order"] if k % 2 else [],
            "pain_points": [{"id": f"p{k}", "text": "Has to repeat the order number", "severity": 1 + k % 5}]
            if k % 4 == 0 else [],
        } for k in range(n)],
        opportunities=[{"id": "o1", "text": "Share context across channels",
                        "addresses": [f"p{k}" for k in range(0, n, 4)][:2]}],
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_journey_map_text_never_overlaps_or_leaves_the_figure(path, lang):
    ax = jm.plot.journey_map(jm.load(path), lang=lang)
    assert overlaps(ax.figure) == []
    assert cut_off(ax.figure) == []


def test_thirty_touchpoints_stay_readable():
    j = big_journey(32)
    ax = jm.plot.journey_map(j)
    fig = ax.figure
    assert overlaps(fig) == [] and cut_off(fig) == []
    # columns keep their width: the figure grows instead of squeezing text
    w_small, _ = jm.plot.map_size(big_journey(8, 3), report=False)
    assert fig.get_size_inches()[0] > 3 * w_small
    sizes = [t.get_fontsize() for t in fig.texts + ax.texts]
    assert min(sizes) >= 7


def test_overlap_checker_catches_overlaps():
    fig = plt.figure(figsize=(3, 2))
    fig.text(0.1, 0.5, "overlapping text")
    fig.text(0.15, 0.5, "overlapping text")
    fig.text(0.9, 0.9, "cut off at the edge")
    assert len(overlaps(fig)) == 1
    assert cut_off(fig) == ["cut off at the edge"]


def test_journey_map_uses_spanish_labels_and_lanes():
    j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    texts = {t.get_text().replace("\n", " ") for t in jm.plot.journey_map(j, lang="es").texts}
    assert {"Acciones del cliente", "Pensamientos", "Trastienda", "línea de visibilidad"} <= texts
    texts = {t.get_text().replace("\n", " ") for t in jm.plot.journey_map(j, lang="en").texts}
    assert {"Customer actions", "Thoughts", "Backstage", "line of visibility"} <= texts


def test_default_language_is_the_journeys():
    j = jm.load(jm.shipped_journey("salud_cita_medica"))
    texts = {t.get_text().replace("\n", " ") for t in jm.plot.journey_map(j, report=False).texts}
    assert "Acciones del cliente" in texts


def test_lanes_subset_and_order():
    j = jm.load(jm.shipped_journey("hotel_stay"))
    ax = jm.plot.journey_map(j, lanes=["emotion", "actions"], report=False)
    names = ("Emotion", "Customer actions", "Thoughts", "Backstage")
    labels = [t.get_text().replace("\n", " ") for t in ax.texts]
    assert [x for x in labels if x in names] == ["Emotion", "Customer actions"]
    with pytest.raises(ValueError, match="unknown lane"):
        jm.plot.journey_map(j, lanes=["nope"])


def test_friction_strip_only_with_a_report():
    j = jm.load(jm.shipped_journey("hotel_stay"))
    without = {t.get_text() for t in jm.plot.journey_map(j, report=False).texts}
    assert "Friction (0–100)" not in without
    report = jm.score(j)
    texts = [t.get_text() for t in jm.plot.journey_map(j, report=report).texts]
    assert "Friction (0–100)" in texts
    worst = report.by_touchpoint["friction"].max()
    assert f"{worst:.0f}" in texts


def test_map_draws_into_a_given_axes():
    j = jm.load(jm.shipped_journey("coffee_loyalty_app"))
    w, h = jm.plot.map_size(j)
    fig, ax = plt.subplots(figsize=(w, h))
    assert jm.plot.journey_map(j, ax=ax) is ax
    assert tuple(fig.get_size_inches()) == (w, h)


def test_user_text_with_dollars_is_not_mathtext():
    j = big_journey(3, 1).model_copy(deep=True)
    j.touchpoints[0].action = "Pays $5 and gets $10 back"
    ax = jm.plot.journey_map(j, report=False)
    assert any("$5" in t.get_text() for t in ax.texts)
    ax.figure.canvas.draw()  # would raise on unbalanced mathtext


def test_no_plt_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() called"))
    j = jm.load(jm.shipped_journey("hotel_stay"))
    jm.plot.journey_map(j)
    jm.plot.emotion_curve(j)
    jm.plot.friction_heatmap(j, metric="emotion")
    jm.plot.channel_flow(j)
    jm.plot.priority_matrix(j)


def test_emotion_curve_overlays_and_aligns_stages():
    a = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    b = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    ax = jm.plot.emotion_curve([a, b], lang="es")
    assert len(ax.get_lines()) >= 2
    ys = [list(line.get_ydata()) for line in ax.get_lines() if len(line.get_ydata()) > 2]
    assert ys[0] == [tp.emotion for tp in jm.plot._common.column_order(a)]
    assert ax.get_title(loc="left") == "Emoción a lo largo del recorrido"
    assert ax.get_xticklabels()[0].get_text() == "Awareness"
    _, given = plt.subplots()
    assert jm.plot.emotion_curve(a, ax=given) is given
    with pytest.raises(ValueError):
        jm.plot.emotion_curve([])


@pytest.mark.parametrize("metric", ["emotion", "effort", "touchpoints", "friction"])
def test_heatmap_metrics(metric):
    j = jm.load(jm.shipped_journey("bank_account_opening"))
    ax = jm.plot.friction_heatmap(j, metric=metric, lang="es")
    matrix = jm.plot.heatmap.stage_channel_matrix(j, metric)
    annotated = [t for t in ax.texts]
    assert len(annotated) == int(matrix.notna().sum().sum())
    with pytest.raises(ValueError):
        jm.plot.friction_heatmap(j, metric="nope")


def test_heatmap_of_an_unscorable_journey_explains():
    loop = jm.Journey.model_validate({
        "id": "loop", "title": "Loop", "stages": [{"id": "s", "name": "S"}],
        "touchpoints": [{"id": i, "stage": "s", "channel": "phone", "action": i} for i in ("a", "b")],
        "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}]})
    with pytest.raises(RuntimeError, match="metric='emotion'"):
        jm.plot.friction_heatmap(loop)
    assert "Friction (0–100)" not in {t.get_text() for t in jm.plot.journey_map(loop).texts}


@pytest.mark.parametrize("style", ["sankey", "matrix"])
def test_channel_flow(style):
    j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    ax = jm.plot.channel_flow(j, style=style, report=False)
    flows = jm.plot.flow.channel_flows(j, report=False)
    assert flows["weight"].sum() == pytest.approx(sum(tr.share for tr in j.transitions))
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Instagram" in texts or "Instagram" in " ".join(t.get_text() for t in ax.get_yticklabels())
    if style == "sankey":
        assert overlaps(ax.figure) == [] and cut_off(ax.figure) == []
    with pytest.raises(ValueError):
        jm.plot.channel_flow(j, style="pie")


@pytest.mark.parametrize("kind", ["pain_points", "opportunities"])
def test_priority_matrix_numbers_every_point(kind):
    j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    ax = jm.plot.priority_matrix(j, kind=kind)
    points = jm.plot.priority.priority_points(j, kind)
    numbers = {t.get_text() for t in ax.texts}
    assert {str(n) for n in range(1, len(points) + 1)} <= numbers
    assert overlaps(ax.figure) == [] and cut_off(ax.figure) == []
    with pytest.raises(ValueError):
        jm.plot.priority_matrix(j, kind="nope")


def test_spread_separates_points_on_the_same_spot():
    from journeymap.plot.priority import _spread

    out = _spread([(1.0, 1.0), (1.0, 1.0), (2.0, 2.0)], 0.1, 0.1)
    assert out[0] != out[1] and out[2] == (2.0, 2.0)


def test_wrap_respects_width():
    text = "Customer opens the app, logs in with a passkey and finds the order"
    for line in wrap(text, 90, 8):
        assert text_width(line, 8) <= 90
    assert wrap("x" * 80, 50, 8)[0] != "x" * 80  # long words are split
    assert wrap("a b c d e f g h", 20, 8, max_lines=2)[-1].endswith("…")
