"""Priority matrices: pain points (severity × frequency) and opportunities (value × effort).

Points are numbered; the key beside the chart lists what each number is, so long texts never
overlap the points or each other.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
>>> ax = jm.plot.priority_matrix(j, kind="opportunities")
>>> ax.get_xlabel()
'effort to build (1 low … 5 high)'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from journeymap.i18n import t
from journeymap.model import PainPoint
from journeymap.plot._common import literal, literal_text, literal_ticklabels, resolve_lang
from journeymap.plot._style import FAINT, INK, MUTED, OKABE_ITO, heat_colour, hex_colour, ink_on, rc, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from journeymap.model import Journey, Opportunity

KEY_SIZE = 7.8


def priority_points(journey: Journey,
                    kind: str = "pain_points") -> list[tuple[float, float, str, PainPoint | Opportunity]]:
    """``(x, y, text, item)`` for each point: (frequency, severity) or (effort, value).

    >>> import journeymap as jm
    >>> pts = priority_points(jm.load(jm.shipped_journey("hotel_stay")))
    >>> all(0 <= x <= 1 and 1 <= y <= 5 for x, y, _, _ in pts)
    True
    """
    if kind == "pain_points":
        return [(p.frequency, float(p.severity), p.text, p) for p, _ in journey.pain_points()]
    if kind == "opportunities":
        return [(float(o.effort), float(o.value), o.text, o) for o in journey.opportunities]
    raise ValueError(f"kind must be 'pain_points' or 'opportunities', got {kind!r}")


def _spread(points: list[tuple[float, float]], rx: float, ry: float) -> list[tuple[float, float]]:
    """Points sharing a spot are moved onto a small circle around it, so none hides another."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (x, y) in enumerate(points):
        groups.setdefault((round(x, 3), round(y, 3)), []).append(i)
    out = list(points)
    for (x, y), members in groups.items():
        if len(members) == 1:
            continue
        radius = 1.0 if len(members) <= 6 else 1.4
        for k, i in enumerate(members):
            angle = math.pi / 2 + 2 * math.pi * k / len(members)
            out[i] = (x + rx * radius * math.cos(angle), y + ry * radius * math.sin(angle))
    return out


def priority_matrix(journey: Journey, ax: Axes | None = None, lang: str | None = None,
                    kind: str = "pain_points") -> Axes:
    """Draw a 2 × 2 priority matrix and return the Axes.

    ``kind="pain_points"``: x = frequency (share affected), y = severity 1–5; quadrants "fix first",
    "rare but severe", "widespread irritants", "watch". ``kind="opportunities"``: x = effort to build,
    y = value; quadrants "quick wins", "big bets", "fill-ins", "money pits". A numbered key to the
    right of the Axes names each point.
    """
    import matplotlib.pyplot as plt

    lang = resolve_lang(journey, lang)
    points = priority_points(journey, kind)
    pains = kind == "pain_points"
    key_w = 3.6  # inches for the key
    keys = [wrap(f"{n}. {text}", key_w * 72 - 36, KEY_SIZE, max_lines=2) for n, (_, _, text, _) in
            enumerate(points, 1)]
    key_lines = sum(len(k) for k in keys)
    with plt.rc_context(rc()):
        if ax is None:
            height = max(5.6, key_lines * KEY_SIZE * 1.2 / 72 + 1.6)
            fig = plt.figure(figsize=(6.2 + key_w, height))
            ax = fig.add_axes((0.09, 0.11, 5.2 / (6.2 + key_w), 1 - 0.11 - 0.9 / height))
        if pains:
            xlim, ylim, xmid, ymid = (-0.06, 1.06), (0.3, 5.95), 0.5, 3.0
            quads = [("rare_blockers", "left", "top"), ("fix_first", "right", "top"),
                     ("watch", "left", "bottom"), ("widespread_irritants", "right", "bottom")]
            xlabel, ylabel = t("frequency", lang), t("severity", lang)
        else:
            xlim, ylim, xmid, ymid = (0.4, 5.6), (0.3, 5.95), 3.0, 3.0
            quads = [("quick_wins", "left", "top"), ("big_bets", "right", "top"),
                     ("fill_ins", "left", "bottom"), ("money_pits", "right", "bottom")]
            xlabel, ylabel = t("effort_to_build", lang), t("value", lang)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.axvline(xmid, color=FAINT, lw=1, zorder=1)
        ax.axhline(ymid, color=FAINT, lw=1, zorder=1)
        for key, ha, va in quads:
            x = xlim[0] + 0.015 * (xlim[1] - xlim[0]) if ha == "left" else xlim[1] - 0.015 * (xlim[1] - xlim[0])
            y = ylim[1] - 0.05 if va == "top" else ylim[0] + 0.05
            literal_text(ax, x, y, t(key, lang).upper(), ha=ha, va=va, fontsize=8, fontweight="bold", color=MUTED,
                         alpha=0.9)
        if pains:
            ax.axhspan(ymid, ylim[1], xmin=(xmid - xlim[0]) / (xlim[1] - xlim[0]), color=OKABE_ITO["vermillion"],
                       alpha=0.06, lw=0, zorder=0)
        else:
            ax.axhspan(ymid, ylim[1], xmax=(xmid - xlim[0]) / (xlim[1] - xlim[0]), color=OKABE_ITO["green"],
                       alpha=0.07, lw=0, zorder=0)
        rx, ry = 0.028 * (xlim[1] - xlim[0]), 0.2
        placed = _spread([(x, y) for x, y, _, _ in points], rx, ry)
        for n, ((x, y), (_, _, _, item)) in enumerate(zip(placed, points, strict=True), 1):
            colour = heat_colour(item.severity * 20) if isinstance(item, PainPoint) else OKABE_ITO["green"]
            ax.scatter([x], [y], s=260, c=[colour], edgecolors=INK if pains else "white", linewidths=0.5, zorder=3,
                       marker="o" if pains else "D")
            literal_text(ax, x, y, str(n), ha="center", va="center", fontsize=7, fontweight="bold",
                         color=ink_on(hex_colour(colour)), zorder=4)
        ax.set_xlabel(xlabel, color=INK)
        ax.set_ylabel(ylabel, color=INK)
        if pains:
            ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
            literal_ticklabels(ax.xaxis, ["0%", "25%", "50%", "75%", "100%"])
        else:
            ax.set_xticks([1, 2, 3, 4, 5])
        ax.set_yticks([1, 2, 3, 4, 5])
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(t("priority_pain" if pains else "priority_opportunities", lang), loc="left")
        if keys:
            literal_text(ax, 1.04, 1.0, "\n".join("\n".join(k) for k in keys), transform=ax.transAxes, ha="left",
                         va="top", fontsize=KEY_SIZE, color=INK, linespacing=1.2)
    return literal(ax)

