"""Evidence on the journey map: card frames, the "measured" mark, move connectors, the metrics lane.

Cards (the customer-action cell of each column) are drawn by where their values come from:

* **observed** — a solid dark frame on a pale blue fill;
* **assumed** — a hairline grey frame (the map as it always looked);
* **proposed** — a dashed frame, no fill (future-state values).

A small dark diamond on a card's top edge, at the right, marks a partly measured card (an assumed or
proposed card with a value taken from data, or an observed pain point). In the channel lane a
connector joins neighbouring columns linked by a transition: solid when its share was observed,
dashed when assumed, dotted when proposed. Every evidence artist carries a ``gid``
(``evidence-card:<id>``, ``evidence-measured:<id>``, ``evidence-move:<from->to>``) so tests and
tools can find it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.i18n import t
from journeymap.plot._style import FAINT, INK, MUTED, NEGATIVE_TEXT, block_height, wrap

if TYPE_CHECKING:
    from journeymap.model import SurveyMetrics

PT = 1 / 72
OBSERVED_FILL = "#E3EEF7"  # INK on it: 12.6:1
#: How each evidence class frames a card: (face colour, edge colour, line width, line style).
CARD_STYLE: dict[str, tuple[str, str, float, Any]] = {
    "observed": (OBSERVED_FILL, INK, 1.3, "-"),
    "assumed": ("none", FAINT, 0.6, "-"),
    "proposed": ("none", MUTED, 1.2, "--"),
}
#: How each evidence class draws a move connector: (colour, line width, line style).
MOVE_STYLE: dict[str, tuple[str, float, Any]] = {
    "observed": (INK, 1.5, "-"),
    "assumed": (MUTED, 1.1, "--"),
    "proposed": (MUTED, 1.1, ":"),
}
SMALL_N = 30  #: fewer answers than this are flagged "small sample"
METRIC_SIZE = 7.2
METRIC_GAP = 0.04


def _n(metrics: SurveyMetrics, key: str) -> int | None:
    n = getattr(metrics, f"{key}_n")
    return n if n is not None else metrics.responses


def metric_entries(metrics: SurveyMetrics | None, lang: str) -> list[tuple[str, bool]]:
    """``(text, small)`` per metric that has a value: ``"NPS +12 · n=45"``; ``small`` when n < 30.

    >>> from journeymap.model import SurveyMetrics
    >>> metric_entries(SurveyMetrics(nps=12.5, nps_n=45, ces=3.24, ces_n=12), "en")
    [('NPS +12 · n=45', False), ('CES 3.2 · n=12 (small sample)', True)]
    """
    if metrics is None:
        return []
    pct = " %" if lang == "es" else "%"
    shown = {
        "nps": lambda v: f"NPS {v:+.0f}".replace("-", "−"),
        "csat": lambda v: f"CSAT {v:.0f}{pct}",
        "ces": lambda v: f"CES {v:.1f}".replace(".", "," if lang == "es" else "."),
    }
    out = []
    for key, fmt in shown.items():
        value = getattr(metrics, key)
        if value is None:
            continue
        n = _n(metrics, key)
        small = n is not None and n < SMALL_N
        text = fmt(value) + (f" · n={n}" if n is not None else " · n=?")
        if small:
            text += f" ({t('small_sample', lang)})"
        out.append((text, small))
    return out


def metrics_cells(tps: list, lang: str, inner_pt: float) -> tuple[dict[str, list], float]:
    """Wrapped metric lines per touchpoint: ``{id: [(lines, small, y), …]}`` and the tallest cell's height."""
    cells: dict[str, list] = {}
    tallest = 0.0
    for tp in tps:
        placed, y = [], 0.0
        for text, small in metric_entries(tp.metrics, lang):
            lines = wrap(text, inner_pt, METRIC_SIZE, style="italic" if small else "normal", max_lines=3)
            placed.append((lines, small, y))
            y += block_height(len(lines), METRIC_SIZE) * PT + METRIC_GAP
        cells[tp.id] = placed
        tallest = max(tallest, y - METRIC_GAP if placed else 0.0)
    return cells, tallest


def draw_metrics(ax: Any, plan: Any, lane: Any, pad: float, lane_pad: float) -> None:
    """The metrics lane: one line per metric with its n; small samples in italics and dark orange."""
    from journeymap.plot._common import map_text

    for i, tp_id in enumerate(plan.columns):
        for lines, small, y in lane.cells.get(tp_id, []):
            map_text(ax, plan.col_x(i) + pad, lane.top + lane_pad + y, "\n".join(lines), fontsize=METRIC_SIZE,
                     color=NEGATIVE_TEXT if small else INK, style="italic" if small else "normal",
                     va="top", ha="left", gid=f"metric:{tp_id}")


def draw_cards(ax: Any, plan: Any, lane: Any) -> None:
    """Frame each column's cell in ``lane`` by its touchpoint's evidence; mark partly measured cards."""
    from matplotlib.patches import FancyBboxPatch, RegularPolygon

    from journeymap.scoring.evidence import touchpoint_class

    for i, tp_id in enumerate(plan.columns):
        tp = plan.journey.touchpoint(tp_id)
        cls = touchpoint_class(tp)
        face, edge, lw, ls = CARD_STYLE[tp.evidence]
        x0, y0 = plan.col_x(i) + 0.03, lane.top + 0.04
        w, h = plan.col_w - 0.06, lane.height - 0.08
        ax.add_artist(FancyBboxPatch((x0, y0), w, h, boxstyle="round,pad=0,rounding_size=0.05", fc=face, ec=edge,
                                     lw=lw, ls=ls, zorder=1.5, gid=f"evidence-card:{tp_id}"))
        if cls.endswith("+measured"):
            ax.add_artist(RegularPolygon((x0 + w - 0.1, y0), 4, radius=0.045, fc=INK, ec="none", zorder=4,
                                         gid=f"evidence-measured:{tp_id}"))


def draw_moves(ax: Any, plan: Any, lane: Any, pill_w: float, pill_h: float, lane_pad: float) -> None:
    """Connectors between neighbouring channel pills for each transition between neighbouring columns."""
    index = {tp_id: i for i, tp_id in enumerate(plan.columns)}
    y = lane.top + lane_pad + pill_h / 2
    for tr in plan.journey.transitions:
        a, b = index[tr.source], index[tr.target]
        if b != a + 1:
            continue
        colour, lw, ls = MOVE_STYLE[tr.evidence]
        x0 = plan.col_x(a) + plan.col_w / 2 + pill_w / 2 + 0.06
        x1 = plan.col_x(b) + plan.col_w / 2 - pill_w / 2 - 0.1
        ax.plot([x0, x1], [y, y], color=colour, lw=lw, ls=ls, zorder=2, solid_capstyle="butt",
                gid=f"evidence-move:{tr.key}")
        ax.plot([x1 + 0.02], [y], marker=">", ms=4, color=colour, zorder=2, gid=f"evidence-head:{tr.key}")
