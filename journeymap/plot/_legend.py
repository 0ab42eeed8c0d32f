"""The journey map's legend: channel kinds, emotion and friction keys, laid out in flowing rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeymap.channels import KINDS
from journeymap.i18n import t
from journeymap.plot._common import literal_text
from journeymap.plot._style import (
    INK,
    MUTED,
    block_height,
    emotion_colour,
    heat_colour,
    kind_colour,
    text_width,
)

if TYPE_CHECKING:
    from journeymap.model import Journey

PT = 1 / 72
SIZE = 7.6
SWATCH = 0.13  # swatch side, inches
GAP = 0.08  # between a swatch and its label
ITEM_GAP = 0.28  # between items
ROW_H = 0.26
MARGIN = 0.3


def legend_items(journey: Journey, lang: str, with_friction: bool) -> list[tuple[str, list, str]]:
    """``(kind, swatch colours, label)`` for each legend entry, in reading order."""
    used = {journey.channel_info(tp.channel).kind for tp in journey.touchpoints}
    items: list[tuple[str, list, str]] = [
        ("heading", [], f"{t('channels', lang).capitalize()}:")
    ]
    items += [("kind", [kind_colour(k)], t(k, lang)) for k in KINDS if k in used]
    items.append(("heading", [], f"{t('emotion', lang).capitalize()}:"))
    items += [("dot", [emotion_colour(v)], t(key, lang)) for v, key in (
        (-2, "emotion_very_negative"), (0, "emotion_neutral"), (2, "emotion_very_positive"))]
    if with_friction:
        items.append(("heading", [], f"{t('friction', lang).capitalize()}:"))
        items.append(("ramp", [heat_colour(v) for v in (0, 25, 50, 75, 100)], "0 … 100"))
    items.append(("heading", [], f"{t('severity_short', lang).capitalize()}:"))
    items.append(("ramp", [heat_colour(v * 20) for v in (1, 2, 3, 4, 5)], "1 … 5"))
    return items


def _item_width(kind: str, colours: list, label: str) -> float:
    weight = "bold" if kind == "heading" else "normal"
    swatches = 0.0 if kind == "heading" else len(colours) * SWATCH + GAP
    return swatches + text_width(label, SIZE, weight) * PT


def legend_rows(journey: Journey, lang: str, width: float, with_friction: bool) -> list[list[tuple]]:
    """Items placed in rows no wider than the figure: ``[[(x, kind, colours, label), …], …]``."""
    rows: list[list[tuple]] = [[]]
    x = MARGIN
    limit = width - MARGIN
    for kind, colours, label in legend_items(journey, lang, with_friction):
        w = _item_width(kind, colours, label)
        gap = ITEM_GAP if kind == "heading" else 0.16
        if rows[-1] and x + w > limit:
            rows.append([])
            x = MARGIN
        rows[-1].append((x, kind, colours, label))
        x += w + gap
    return rows


def legend_height(journey: Journey, lang: str, width: float, with_friction: bool) -> float:
    """Height in inches the legend needs."""
    return len(legend_rows(journey, lang, width, with_friction)) * ROW_H


def draw_legend(ax, journey: Journey, lang: str, width: float, top: float, with_friction: bool) -> None:
    """Draw the legend rows starting at ``top`` (inches, axes data units)."""
    from matplotlib.patches import Circle, Rectangle

    for r, row in enumerate(legend_rows(journey, lang, width, with_friction)):
        cy = top + r * ROW_H + ROW_H / 2
        for x, kind, colours, label in row:
            if kind == "heading":
                literal_text(ax, x, cy, label, fontsize=SIZE, fontweight="bold", color=INK, va="center", ha="left")
                continue
            for i, colour in enumerate(colours):
                sx = x + i * SWATCH
                if kind == "dot":
                    ax.add_patch(Circle((sx + SWATCH / 2, cy), SWATCH / 2.4, color=colour, lw=0))
                else:
                    ax.add_patch(Rectangle((sx, cy - SWATCH / 2), SWATCH, SWATCH, color=colour, lw=0))
            literal_text(ax, x + len(colours) * SWATCH + GAP, cy, label, fontsize=SIZE, color=MUTED, va="center",
                         ha="left")


def extra_height(lines: int) -> float:
    """Height of the "other opportunities" note."""
    return block_height(lines, SIZE) * PT
