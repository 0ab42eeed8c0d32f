"""The journey map's legend: channel kinds, emotion, friction and evidence keys, laid out in flowing rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeymap.channels import KINDS
from journeymap.i18n import t
from journeymap.plot._common import map_text
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


def legend_items(journey: Journey, lang: str, with_friction: bool,
                 with_evidence: bool = False) -> list[tuple[str, list, str]]:
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
    if with_evidence:
        items.append(("heading", [], f"{t('evidence', lang).capitalize()}:"))
        items += [(f"card_{ev}", [None, None], t(f"ev_{ev}", lang)) for ev in ("observed", "assumed", "proposed")]
        items.append(("measured", [None], t("ev_measured", lang)))
        items += [(f"move_{ev}", [None, None], t(f"ev_move_{ev}", lang)) for ev in ("observed", "assumed", "proposed")]
    return items


def _item_width(kind: str, colours: list, label: str) -> float:
    weight = "bold" if kind == "heading" else "normal"
    swatches = 0.0 if kind == "heading" else len(colours) * SWATCH + GAP
    return swatches + text_width(label, SIZE, weight) * PT


def legend_rows(journey: Journey, lang: str, width: float, with_friction: bool,
                with_evidence: bool = False) -> list[list[tuple]]:
    """Items placed in rows no wider than the figure: ``[[(x, kind, colours, label), …], …]``."""
    rows: list[list[tuple]] = [[]]
    x = MARGIN
    limit = width - MARGIN
    items = legend_items(journey, lang, with_friction, with_evidence)
    for n, (kind, colours, label) in enumerate(items):
        w = _item_width(kind, colours, label)
        gap = ITEM_GAP if kind == "heading" else 0.16
        # a heading stays on the row of its first entry
        keep = w + gap + _item_width(*items[n + 1]) if kind == "heading" and n + 1 < len(items) else w
        if rows[-1] and x + keep > limit:
            rows.append([])
            x = MARGIN
        rows[-1].append((x, kind, colours, label))
        x += w + gap
    return rows


def legend_height(journey: Journey, lang: str, width: float, with_friction: bool,
                  with_evidence: bool = False) -> float:
    """Height in inches the legend needs."""
    return len(legend_rows(journey, lang, width, with_friction, with_evidence)) * ROW_H


def draw_legend(ax, journey: Journey, lang: str, width: float, top: float, with_friction: bool,
                with_evidence: bool = False) -> None:
    """Draw the legend rows starting at ``top`` (inches, axes data units)."""
    from matplotlib.patches import Circle, Rectangle

    for r, row in enumerate(legend_rows(journey, lang, width, with_friction, with_evidence)):
        cy = top + r * ROW_H + ROW_H / 2
        for x, kind, colours, label in row:
            if kind == "heading":
                map_text(ax, x, cy, label, fontsize=SIZE, fontweight="bold", color=INK, va="center", ha="left")
                continue
            if kind.startswith(("card_", "move_")) or kind == "measured":
                _evidence_swatch(ax, kind, x, cy, len(colours) * SWATCH)
                map_text(ax, x + len(colours) * SWATCH + GAP, cy, label, fontsize=SIZE, color=MUTED,
                         va="center", ha="left", gid=f"legend-{kind}")
                continue
            for i, colour in enumerate(colours):
                sx = x + i * SWATCH
                if kind == "dot":
                    ax.add_artist(Circle((sx + SWATCH / 2, cy), SWATCH / 2.4, color=colour, lw=0))
                else:
                    ax.add_artist(Rectangle((sx, cy - SWATCH / 2), SWATCH, SWATCH, color=colour, lw=0))
            map_text(ax, x + len(colours) * SWATCH + GAP, cy, label, fontsize=SIZE, color=MUTED, va="center",
                     ha="left")


def _evidence_swatch(ax, kind: str, x: float, cy: float, width: float) -> None:
    from matplotlib.patches import Rectangle, RegularPolygon

    from journeymap.plot._evidence import CARD_STYLE, MOVE_STYLE

    if kind == "measured":
        ax.add_artist(RegularPolygon((x + width / 2, cy), 4, radius=0.05, fc=INK, ec="none"))
    elif kind.startswith("card_"):
        face, edge, lw, ls = CARD_STYLE[kind[5:]]
        ax.add_artist(Rectangle((x, cy - SWATCH / 2), width, SWATCH, fc=face, ec=edge, lw=lw, ls=ls))
    else:
        colour, lw, ls = MOVE_STYLE[kind[5:]]
        ax.plot([x, x + width], [cy, cy], color=colour, lw=lw, ls=ls, solid_capstyle="butt")


def extra_height(lines: int) -> float:
    """Height of the "other opportunities" note."""
    return block_height(lines, SIZE) * PT
