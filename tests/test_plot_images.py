"""Image comparison of every plot type against committed baselines (matplotlib's compare, with a tolerance).

The inputs are frozen copies of two shipped journeys (``tests/baseline_images/inputs/``), drawn
without scoring (``report=False``) except the friction heatmap, so the images change only when the
drawing code does. After an intended visual change, regenerate and LOOK at the new images:

    JOURNEYMAP_REGEN_BASELINES=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_plot_images.py

Fonts are deterministic: DejaVu Sans, bundled with matplotlib.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib.testing.compare import compare_images

import journeymap as jm

BASE = Path(__file__).parent / "baseline_images"
INPUTS = BASE / "inputs"
REGEN = os.environ.get("JOURNEYMAP_REGEN_BASELINES") == "1"
TOL = 2.0  # RMS over 0..255 grey levels; catches moved or missing text and shapes


def _load(name: str) -> jm.Journey:
    return jm.load(INPUTS / f"{name}.yaml")


def _heatmap(j: jm.Journey):
    if j.lang == "es":
        return jm.plot.friction_heatmap(j, metric="emotion")
    return jm.plot.friction_heatmap(j)


PLOTS = {
    "map": (lambda j: jm.plot.journey_map(j, report=False), 30),
    "emotion": (lambda j: jm.plot.emotion_curve(j), 60),
    "heatmap": (_heatmap, 60),
    "flow": (lambda j: jm.plot.channel_flow(j, report=False), 60),
    "flow_matrix": (lambda j: jm.plot.channel_flow(j, report=False, style="matrix"), 60),
    "priority": (lambda j: jm.plot.priority_matrix(j), 60),
    "opportunities": (lambda j: jm.plot.priority_matrix(j, kind="opportunities"), 60),
}


@pytest.mark.parametrize("plot", sorted(PLOTS))
@pytest.mark.parametrize("journey", ["retail_bopis_multichannel", "salud_cita_medica"])
def test_matches_baseline(plot, journey, tmp_path):
    draw, dpi = PLOTS[plot]
    ax = draw(_load(journey))
    name = f"{journey}-{plot}.png"
    actual = tmp_path / name
    ax.figure.savefig(actual, dpi=dpi, metadata={"Software": None})
    plt.close(ax.figure)
    expected = BASE / name
    if REGEN:
        expected.write_bytes(actual.read_bytes())
        return
    assert expected.exists(), f"no baseline {expected.name}; regenerate (see this module's docstring)"
    result = compare_images(str(expected), str(actual), tol=TOL)
    assert result is None, result


def test_comparison_detects_a_change(tmp_path):
    """The baseline check can fail: a map with one lane fewer does not match."""
    expected = BASE / "retail_bopis_multichannel-map.png"
    if not expected.exists():
        pytest.skip("baselines not generated yet")
    lanes = tuple(lane for lane in jm.plot.DEFAULT_LANES if lane != "thoughts")
    ax = jm.plot.journey_map(_load("retail_bopis_multichannel"), report=False, lanes=lanes)
    actual = tmp_path / "changed.png"
    ax.figure.savefig(actual, dpi=30)
    plt.close(ax.figure)
    with pytest.raises(Exception, match=r"[Ss]ize|do not match"):
        result = compare_images(str(expected), str(actual), tol=TOL)
        if result is not None:
            raise AssertionError("images do not match")
