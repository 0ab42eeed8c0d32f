"""plot.overview: one figure composed of the axes-level plots, scored once, with the caller's weights."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

import journeymap as jm
from journeymap.scoring import report as report_module


@pytest.fixture
def journey() -> jm.Journey:
    return jm.load(jm.shipped_journey("retail_bopis_multichannel"))


def _count_scores(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = report_module.score

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("journeymap.scoring.score", counting)
    return calls


def test_given_report_is_used_and_nothing_is_rescored(journey, monkeypatch):
    custom = jm.score(journey, weights={"wait": 4, "handoff": 0.1})
    calls = _count_scores(monkeypatch)
    fig = jm.plot.overview(journey, report=custom)
    assert calls == []  # the panels draw the report they were given
    heat = next(ax for ax in fig.axes if ax.get_title(loc="left") == "Friction by stage and channel")
    shown = sorted(int(t.get_text()) for t in heat.texts if t.get_text().isdigit())
    matrix = custom.matrix()
    expected = sorted(round(float(v)) for v in matrix.to_numpy().ravel() if not math.isnan(v))
    assert shown == expected  # the custom weights reach the heatmap
    plt.close(fig)


def test_without_a_report_the_journey_is_scored_once(journey, monkeypatch):
    calls = _count_scores(monkeypatch)
    fig = jm.plot.overview(journey)
    assert len(calls) == 1
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert {"Emotion along the journey", "Friction by stage and channel", "Pain points: severity × frequency",
            "Opportunities: value × effort"} <= set(titles)
    plt.close(fig)


def test_spanish_and_nothing_outside_the_figure(journey):
    fig = jm.plot.overview(jm.load(jm.shipped_journey("salud_cita_medica")))
    assert "Emoción a lo largo del recorrido" in [ax.get_title(loc="left") for ax in fig.axes]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = fig.bbox
    for ax in fig.axes:
        for text in ax.texts + ax.get_yticklabels() + ax.get_xticklabels():
            if not text.get_text() or not text.get_visible():
                continue
            extent = text.get_window_extent(renderer)
            assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1, text.get_text()
            assert extent.y0 >= box.y0 - 1 and extent.y1 <= box.y1 + 1, text.get_text()
    plt.close(fig)
