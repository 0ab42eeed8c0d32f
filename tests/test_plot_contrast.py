"""WCAG contrast of text in every plot: each drawn label against the pixels right around it is ≥ 4.5:1.

Issue 12 point 5: channel chips had white text at 2.3:1 and friction cells white on orange. The colour
helpers are checked pair by pair (every channel-kind chip, the friction ramp, the emotion ramp, fixed
label colours on the backgrounds they sit on), and then every text of every rendered figure is checked
against the background actually painted around it.
"""

from __future__ import annotations

from collections import Counter

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

import journeymap as jm
from journeymap.plot import _style
from journeymap.plot._style import (
    BAND,
    INK,
    KIND_COLOURS,
    MIN_CONTRAST,
    MUTED,
    contrast_ratio,
    emotion_colour,
    heat_colour,
    hex_colour,
    ink_on,
    kind_colour,
)
from journeymap.plot.journey_map import HEADER_BG, HEADER_GOAL, HEADER_INK


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#56B4E9") == pytest.approx(2.3, abs=0.05)  # the old chip text


@pytest.mark.parametrize("kind", [*KIND_COLOURS, "unknown-kind"])
def test_channel_chip_text(kind):
    chip = kind_colour(kind)
    assert contrast_ratio(ink_on(chip), chip) >= MIN_CONTRAST


def test_friction_and_emotion_cells_every_value():
    for value in np.linspace(0, 100, 201):
        cell = hex_colour(heat_colour(value))
        assert contrast_ratio(ink_on(cell), cell) >= MIN_CONTRAST, (value, cell)
    for value in np.linspace(-2, 2, 81):
        cell = hex_colour(emotion_colour(value))
        assert contrast_ratio(ink_on(cell), cell) >= MIN_CONTRAST, (value, cell)


def test_ink_on_always_passes_for_any_background():
    rng = np.random.default_rng(12)
    for rgb in rng.random((500, 3)):
        assert contrast_ratio(ink_on(tuple(rgb)), tuple(rgb)) >= MIN_CONTRAST, rgb


@pytest.mark.parametrize(("text", "background"), [
    (INK, "#FFFFFF"), (MUTED, "#FFFFFF"), (INK, BAND[0]), (MUTED, BAND[0]), (MUTED, "#F5F7FA"),
    (HEADER_INK, HEADER_BG), (HEADER_GOAL, HEADER_BG), (_style.NEGATIVE_TEXT, "#FFFFFF"),
])
def test_fixed_label_colours(text, background):
    assert contrast_ratio(text, background) >= MIN_CONTRAST


def _text_problems(fig) -> list[str]:
    """Texts whose colour has contrast < 4.5 with the most common pixel colour just outside their box."""
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    height, width = pixels.shape[:2]
    problems = []
    for text in fig.findobj(matplotlib.text.Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent()
        if box.width < 2 or box.height < 2:
            continue
        x0, x1 = int(box.x0) - 2, int(box.x1) + 2
        y0, y1 = height - int(box.y1) - 2, height - int(box.y0) + 2  # display y is from the bottom
        xs, ys = [x0, (x0 + x1) // 2, x1], [y0, (y0 + y1) // 2, y1]
        ring = [(x, y) for x in xs for y in ys if (x, y) != xs[1:2] + ys[1:2] and 0 <= x < width and 0 <= y < height]
        if len(ring) < 4:
            continue
        colour, _ = Counter(tuple(pixels[y, x]) for x, y in ring).most_common(1)[0]
        background = tuple(c / 255 for c in colour)
        ink = matplotlib.colors.to_rgba(text.get_color())
        alpha = text.get_alpha() if text.get_alpha() is not None else ink[3]
        shown = tuple(alpha * c + (1 - alpha) * b for c, b in zip(ink[:3], background, strict=True))
        ratio = contrast_ratio(shown, background)
        if ratio < MIN_CONTRAST:
            problems.append(f"{text.get_text()[:30]!r}: {hex_colour(shown)} on {hex_colour(background)} = {ratio:.2f}")
    return problems


FIGURES = {
    "map": lambda j: jm.plot.journey_map(j),
    "heatmap": lambda j: jm.plot.friction_heatmap(j),
    "heatmap_emotion": lambda j: jm.plot.friction_heatmap(j, metric="emotion"),
    "flow": lambda j: jm.plot.channel_flow(j),
    "flow_matrix": lambda j: jm.plot.channel_flow(j, style="matrix"),
    "priority": lambda j: jm.plot.priority_matrix(j),
    "opportunities": lambda j: jm.plot.priority_matrix(j, kind="opportunities"),
    "emotion": lambda j: jm.plot.emotion_curve(j),
}


@pytest.mark.parametrize("plot", sorted(FIGURES))
@pytest.mark.parametrize("journey", ["hotel_stay", "retail_bopis_multichannel"])
def test_every_text_in_every_plot_reads(plot, journey):
    ax = FIGURES[plot](jm.load(jm.shipped_journey(journey)))
    try:
        assert _text_problems(ax.figure) == []
    finally:
        plt.close(ax.figure)
