"""The journey map: stages as column bands, lanes for what the customer does, thinks and feels.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> ax = jm.plot.journey_map(j, report=False)
>>> w, h = ax.figure.get_size_inches()     # the figure grows with the journey: 1.9 in per touchpoint
>>> round(float(w), 2) == round(2 * 0.3 + 1.45 + 1.9 * len(j.touchpoints), 2)
True
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.i18n import t
from journeymap.plot._common import friction_report, literal, map_text, resolve_lang, short_label
from journeymap.plot._legend import draw_legend
from journeymap.plot._map_layout import (
    DEFAULT_LANES,
    INDENT,
    LABEL_W,
    LANE_PAD,
    MARGIN,
    PAD,
    PILL_H,
    PILL_W,
    PT,
    SIZES,
    VISIBILITY_H,
    Lane,
    Plan,
    plan_map,
)
from journeymap.plot._style import (
    BAND,
    FAINT,
    INK,
    MUTED,
    NEGATIVE,
    OKABE_ITO,
    POSITIVE,
    block_height,
    emotion_colour,
    heat_colour,
    ink_on,
    kind_colour,
    rc,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from journeymap.model import Journey

HEADER_BG, HEADER_INK, HEADER_GOAL = "#323F4B", "#FFFFFF", "#E4E7EB"
OPPORTUNITY = OKABE_ITO["green"]


def map_size(journey: Journey, lang: str | None = None, lanes: tuple[str, ...] = DEFAULT_LANES,
             report: Any = None, col_width: float = 1.9, evidence: bool | None = None) -> tuple[float, float]:
    """The ``(width, height)`` in inches the map needs (use it to size a figure you pass as ``ax=``).

    >>> import journeymap as jm
    >>> w, h = map_size(jm.load(jm.shipped_journey("hotel_stay")), report=False)
    >>> w > h
    True
    """
    plan = plan_map(journey, resolve_lang(journey, lang), tuple(lanes), friction_report(journey, report), col_width,
                    evidence)
    return plan.width, plan.height


def journey_map(journey: Journey, ax: Axes | None = None, lang: str | None = None,
                lanes: tuple[str, ...] | list[str] = DEFAULT_LANES, report: Any = None,
                col_width: float = 1.9, evidence: bool | None = None) -> Axes:
    """Draw the journey map and return its Axes (one Axes; data units are inches).

    Columns are touchpoints (ordered by stage, then file order) under stage bands; the lanes are, top
    to bottom: channel (colour = channel kind, short label), customer actions, thoughts, the emotion
    curve (markers coloured by valence), pain points (marker = severity 1–5, with the share affected),
    opportunities (next to the first pain point they address), a friction heat strip (when
    :mod:`journeymap.scoring` is available or ``report`` is given), survey metrics (NPS, CSAT, CES with
    their number of answers n; n < 30 is flagged "small sample") and, below the line of visibility,
    backstage actions (service-blueprint mode). Lanes with nothing to show are left out.

    Evidence: each customer-action card is framed by where its values come from — solid frame on a
    pale fill for ``observed``, a hairline for ``assumed``, dashed for ``proposed`` — a small diamond
    marks a partly measured card, and neighbouring columns linked by a transition get a connector in
    the channel lane (solid observed, dashed assumed, dotted proposed); the legend explains them.

    Parameters
    ----------
    journey : the journey to draw.
    ax : draw here; by default a new figure sized for the journey is made (it grows with the number of
        touchpoints and with the text). When you pass ``ax``, size its figure with :func:`map_size`
        and let the Axes fill it, or text may not fit.
    lang : "en" or "es" for the labels; default: the journey's own language.
    lanes : which lanes to draw, in order (a subset of :data:`DEFAULT_LANES`).
    report : a ``FrictionReport`` to colour by; default ``jm.score(journey)`` when scoring is
        installed; ``False`` draws without friction.
    col_width : width of a touchpoint column in inches.
    evidence : draw the evidence frames, connectors and legend; default: when anything in the journey
        is not ``assumed`` (or it has data sources).

    Never calls ``plt.show()``: save with ``ax.figure.savefig(...)`` or :func:`journeymap.exporting.export`.
    """
    import matplotlib.pyplot as plt

    lang = resolve_lang(journey, lang)
    report = friction_report(journey, report)
    plan = plan_map(journey, lang, tuple(lanes), report, col_width, evidence)
    with plt.rc_context(rc()):
        if ax is None:
            fig = plt.figure(figsize=(plan.width, plan.height))
            ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, plan.width)
        ax.set_ylim(plan.height, 0)
        ax.set_axis_off()
        _no_ticks(ax)
        _draw(ax, plan)
    return literal(ax)


def _no_ticks(ax: Axes) -> None:
    """No tick locations on the (hidden) axes: otherwise the first ``findobj`` builds ticks nobody sees."""
    from matplotlib.ticker import NullLocator

    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(NullLocator())
        axis.set_minor_locator(NullLocator())


def _draw(ax: Axes, plan: Plan) -> None:
    # Shapes go in with ``add_artist``, not ``add_patch``: the limits are already fixed, and add_patch's
    # data-limit update (a Bézier extent per rounded box) was ~15 % of building a 60-touchpoint map.
    from matplotlib.patches import Rectangle

    right = plan.width - MARGIN
    # title
    map_text(ax, MARGIN, MARGIN, "\n".join(plan.title), fontsize=SIZES["title"], fontweight="bold", color=INK,
             va="top", ha="left")
    sub_y = MARGIN + block_height(len(plan.title), SIZES["title"]) * PT
    map_text(ax, MARGIN, sub_y, plan.subtitle, fontsize=SIZES["subtitle"], color=MUTED, va="top", ha="left")
    # stage bands and headers
    top, bottom = plan.header_top, plan.body_bottom
    for n, (sid, first, last, name, goal) in enumerate(plan.stage_spans):
        x0, x1 = plan.col_x(first), plan.col_x(last + 1)
        ax.add_artist(Rectangle((x0, top), x1 - x0, bottom - top, color=BAND[n % 2], lw=0, zorder=0))
        ax.add_artist(Rectangle((x0 + 0.02, top), x1 - x0 - 0.04, plan.header_h, color=HEADER_BG, lw=0, zorder=1))
        map_text(ax, x0 + PAD, top + LANE_PAD, "\n".join(name), fontsize=SIZES["stage"], fontweight="bold",
                 color=HEADER_INK, va="top", ha="left", zorder=2)
        gy = top + LANE_PAD + block_height(len(name), SIZES["stage"]) * PT + 0.03
        if goal:
            map_text(ax, x0 + PAD, gy, "\n".join(goal), fontsize=SIZES["goal"], style="italic", color=HEADER_GOAL,
                     va="top", ha="left", zorder=2)
            gy += block_height(len(goal), SIZES["goal"]) * PT + 0.03
        if plan.stage_metrics.get(sid):
            map_text(ax, x0 + PAD, gy, "\n".join(plan.stage_metrics[sid]), fontsize=SIZES["goal"], color=HEADER_INK,
                     va="top", ha="left", zorder=2, gid=f"stage-metric:{sid}")
        if n:
            ax.plot([x0, x0], [top, bottom], color=FAINT, lw=0.8, zorder=1)
    # lanes
    for lane in plan.lanes:
        ax.plot([MARGIN, right], [lane.top, lane.top], color=FAINT, lw=0.6, zorder=1)
        map_text(ax, MARGIN + 0.05, lane.top + LANE_PAD, "\n".join(lane.label), fontsize=SIZES["lane"],
                 fontweight="bold", color=INK, va="top", ha="left")
        if lane.key == "backstage":
            line_y = lane.top - VISIBILITY_H / 2
            ax.plot([MARGIN, right], [line_y, line_y], color=MUTED, lw=1.2, ls=(0, (6, 4)), zorder=2)
            map_text(ax, MARGIN + 0.05, line_y - 0.03, t("line_of_visibility", plan.lang), fontsize=SIZES["tick"],
                     style="italic", color=MUTED, va="bottom", ha="left")
        _DRAW[lane.key](ax, plan, lane)
    if plan.evidence:
        _draw_evidence(ax, plan)
    ax.plot([MARGIN, right], [bottom, bottom], color=FAINT, lw=0.6, zorder=1)
    draw_legend(ax, plan.journey, plan.lang, plan.width, plan.legend_top, bool(plan.friction), plan.evidence)
    if plan.extra_opportunities:
        from journeymap.plot._legend import legend_height

        y = plan.legend_top + legend_height(plan.journey, plan.lang, plan.width, bool(plan.friction),
                                            plan.evidence) + 0.05
        map_text(ax, MARGIN, y, "\n".join(plan.extra_opportunities), fontsize=SIZES["legend"], color=MUTED,
                 va="top", ha="left")


def _draw_evidence(ax: Axes, plan: Plan) -> None:
    from journeymap.plot._evidence import draw_cards, draw_moves

    by_key = {lane.key: lane for lane in plan.lanes}
    card_lane = by_key.get("actions") or by_key.get("channel")
    if card_lane is not None:
        draw_cards(ax, plan, card_lane)
    if "channel" in by_key:
        draw_moves(ax, plan, by_key["channel"], PILL_W, PILL_H, LANE_PAD)


def _draw_metrics(ax: Axes, plan: Plan, lane: Lane) -> None:
    from journeymap.plot._evidence import draw_metrics

    draw_metrics(ax, plan, lane, PAD, LANE_PAD)


def _draw_channel(ax: Axes, plan: Plan, lane: Lane) -> None:
    from matplotlib.patches import FancyBboxPatch

    from journeymap.hierarchy import details

    linked = details(plan.journey)
    for i, tp_id in enumerate(plan.columns):
        tp = plan.journey.touchpoint(tp_id)
        colour = kind_colour(plan.journey.channel_info(tp.channel).kind)
        cx = plan.col_x(i) + plan.col_w / 2
        y0 = lane.top + LANE_PAD
        ax.add_artist(FancyBboxPatch((cx - PILL_W / 2, y0), PILL_W, PILL_H,
                                     boxstyle="round,pad=0,rounding_size=0.1", fc=colour, ec="none", zorder=3))
        map_text(ax, cx, y0 + PILL_H / 2, short_label(plan.journey, tp.channel), fontsize=SIZES["channel_short"],
                 fontweight="bold", color=ink_on(colour), va="center", ha="center", zorder=4)
        map_text(ax, cx, y0 + PILL_H + 0.06, "\n".join(lane.cells[tp_id]), fontsize=SIZES["channel_name"],
                 color=MUTED, va="top", ha="center", multialignment="center")
        if tp_id in linked:  # a sub-journey details this step, or its stage (docs/hierarchy.md)
            map_text(ax, cx + PILL_W / 2 + 0.04, y0 + PILL_H / 2 - 0.03, t("drill_down", plan.lang),
                     fontsize=SIZES["tick"], color=MUTED, va="bottom", ha="left", gid=f"drill-down:{tp_id}")


def _draw_text(ax: Axes, plan: Plan, lane: Lane) -> None:
    size = SIZES["action" if lane.key == "actions" else "thought"]
    style = "normal" if lane.key == "actions" else "italic"
    colour = INK if lane.key == "actions" else MUTED
    for i, tp_id in enumerate(plan.columns):
        lines = lane.cells[tp_id]
        if lines:
            map_text(ax, plan.col_x(i) + PAD, lane.top + LANE_PAD, "\n".join(lines), fontsize=size, style=style,
                     color=colour, va="top", ha="left")


def _draw_emotion(ax: Axes, plan: Plan, lane: Lane) -> None:
    import numpy as np

    top, bottom = lane.top + LANE_PAD + 0.08, lane.top + lane.height - LANE_PAD - 0.08
    mid, half = (top + bottom) / 2, (bottom - top) / 2

    def y_of(e):
        return mid - np.asarray(e, dtype=float) / 2 * half

    x_left, x_right = plan.col_x(0), plan.col_x(len(plan.columns))
    for level in (-2, 0, 2):
        ax.plot([x_left, x_right], [y_of(level)] * 2, color=FAINT, lw=0.8 if level == 0 else 0.5,
                ls="-" if level == 0 else ":", zorder=1)
        tick = f"{level:+d}".replace("-", "−") if level else "0"
        map_text(ax, MARGIN + LABEL_W - 0.1, float(y_of(level)), tick, fontsize=SIZES["tick"], color=MUTED,
                 va="center", ha="right")
    xs = np.array([plan.col_x(i) + plan.col_w / 2 for i in range(len(plan.columns))])
    es = np.array([plan.emotion[c] for c in plan.columns])
    ys = y_of(es)
    ax.fill_between(xs, ys, mid, where=es >= 0, interpolate=True, color=POSITIVE, alpha=0.10, lw=0, zorder=1)
    ax.fill_between(xs, ys, mid, where=es <= 0, interpolate=True, color=NEGATIVE, alpha=0.12, lw=0, zorder=1)
    ax.plot(xs, ys, color=MUTED, lw=1.8, zorder=3, solid_capstyle="round")
    ax.scatter(xs, ys, s=70, c=[emotion_colour(e) for e in es], edgecolors="white", linewidths=1.2, zorder=4)


def _draw_items(ax: Axes, plan: Plan, lane: Lane) -> None:
    from matplotlib.patches import Circle, Rectangle, RegularPolygon

    size = SIZES["backstage" if lane.key == "backstage" else "item"]
    colour = MUTED if lane.key == "backstage" else INK
    for i, tp_id in enumerate(plan.columns):
        x = plan.col_x(i) + PAD
        for item in lane.cells.get(tp_id, []):
            y = lane.top + LANE_PAD + item.y
            my = y + size * 1.2 * PT / 2 + 0.01  # centre of the first line
            if lane.key == "pain_points":
                sev = item.severity or 3
                ax.add_artist(Circle((x + 0.065, my), 0.062, fc=heat_colour(sev * 20), ec=INK, lw=0.4, zorder=3))
            elif lane.key == "opportunities":
                ax.add_artist(RegularPolygon((x + 0.065, my), 4, radius=0.07, fc=OPPORTUNITY, ec="none", zorder=3))
            else:
                ax.add_artist(Rectangle((x + 0.035, my - 0.03), 0.06, 0.06, fc=FAINT, ec="none", zorder=3))
            map_text(ax, x + INDENT, y, "\n".join(item.lines), fontsize=size, color=colour, va="top", ha="left")


def _draw_friction(ax: Axes, plan: Plan, lane: Lane) -> None:
    from matplotlib.patches import FancyBboxPatch

    for i, tp_id in enumerate(plan.columns):
        value = plan.friction.get(tp_id)
        if value is None:
            continue
        colour = heat_colour(value)
        x0, y0 = plan.col_x(i) + 0.05, lane.top + LANE_PAD
        ax.add_artist(FancyBboxPatch((x0, y0), plan.col_w - 0.1, lane.height - 2 * LANE_PAD,
                                     boxstyle="round,pad=0,rounding_size=0.06", fc=colour, ec="none", zorder=2))
        map_text(ax, x0 + (plan.col_w - 0.1) / 2, lane.top + lane.height / 2, f"{value:.0f}", fontsize=8.5,
                 fontweight="bold", color=ink_on(colour), va="center", ha="center", zorder=3)


_DRAW = {
    "channel": _draw_channel,
    "actions": _draw_text,
    "thoughts": _draw_text,
    "emotion": _draw_emotion,
    "pain_points": _draw_items,
    "opportunities": _draw_items,
    "backstage": _draw_items,
    "friction": _draw_friction,
    "metrics": _draw_metrics,
}
