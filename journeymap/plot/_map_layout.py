"""Where everything on the journey map goes, computed before anything is drawn.

All lengths are in inches: the map is drawn on an Axes whose data units are
inches, so text (sized in points) and boxes share one scale and every wrapped
block's height is known in advance. That is what keeps labels from overlapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeymap.i18n import t
from journeymap.plot._common import column_order, touchpoint_friction
from journeymap.plot._style import block_height, wrap

if TYPE_CHECKING:
    from journeymap.model import Journey

PT = 1 / 72  # one point in inches
MARGIN, LABEL_W, PAD = 0.3, 1.45, 0.08
LANE_PAD = 0.1
ITEM_GAP = 0.05
INDENT = 0.17  # room for an item's marker
SIZES = {
    "title": 16, "subtitle": 9.5, "stage": 10, "goal": 7.4, "lane": 8.8, "action": 8, "thought": 7.6,
    "item": 7.4, "backstage": 7.2, "channel_short": 8, "channel_name": 7, "tick": 7, "legend": 7.6,
}
MAX_LINES = {"action": 9, "thought": 7, "item": 5, "backstage": 4, "goal": 3, "stage": 2, "title": 2}
EMOTION_H, FRICTION_H, VISIBILITY_H = 1.25, 0.42, 0.24
PILL_W, PILL_H = 0.62, 0.25

#: Lanes in drawing order; ``lanes=`` picks and orders a subset.
DEFAULT_LANES = ("channel", "actions", "thoughts", "emotion", "pain_points", "opportunities", "friction",
                 "metrics", "backstage")


@dataclass
class Item:
    """A marked, wrapped text item in a list lane (pain point, opportunity, backstage action)."""

    lines: list[str]
    y: float  # top, relative to the lane's top
    severity: int | None = None


@dataclass
class Lane:
    """One horizontal lane: its name, vertical extent and per-column content."""

    key: str
    label: list[str]
    top: float = 0.0
    height: float = 0.0
    cells: dict[str, Any] = field(default_factory=dict)  # touchpoint id -> lines or items


@dataclass
class Plan:
    """The whole map, laid out: sizes in inches, every text already wrapped."""

    journey: Journey
    lang: str
    width: float
    height: float
    col_w: float
    columns: list[str]
    title: list[str]
    subtitle: str
    stage_spans: list[tuple[str, int, int, list[str], list[str]]]  # id, first col, last col, name, goal
    header_top: float
    header_h: float
    lanes: list[Lane]
    legend_top: float
    extra_opportunities: list[str]
    friction: dict[str, float]
    emotion: dict[str, float]
    evidence: bool = False  # draw cards, moves and the legend by evidence (observed/assumed/proposed)
    stage_metrics: dict[str, list[str]] = field(default_factory=dict)  # stage id -> wrapped survey line(s)

    def col_x(self, i: int) -> float:
        """Left edge of column ``i``."""
        return MARGIN + LABEL_W + i * self.col_w

    @property
    def body_bottom(self) -> float:
        """Bottom of the last lane."""
        last = self.lanes[-1]
        return last.top + last.height


def _list_lane(items: list[tuple[str, int | None]], width_pt: float, size: float, max_lines: int) -> tuple:
    placed, y = [], 0.0
    for text, severity in items:
        lines = wrap(text, width_pt, size, max_lines=max_lines)
        placed.append(Item(lines, y, severity))
        y += block_height(len(lines), size) * PT + ITEM_GAP
    return placed, max(0.0, y - ITEM_GAP)


def _pain_text(pain, lang: str) -> str:
    percent = f"{round(pain.frequency * 100)}{' %' if lang == 'es' else '%'}"
    return f"{pain.text} ({percent})"


def plan_map(journey: Journey, lang: str, lanes: tuple[str, ...] = DEFAULT_LANES, report: Any = None,
             col_width: float = 1.9, evidence: bool | None = None) -> Plan:
    """Lay out the journey map; see :func:`journeymap.plot.journey_map`."""
    if evidence is None:
        from journeymap.scoring.evidence import has_evidence

        evidence = has_evidence(journey)
    unknown = [lane for lane in lanes if lane not in DEFAULT_LANES]
    if unknown:
        raise ValueError(f"unknown lane(s) {unknown}; choose from {list(DEFAULT_LANES)}")
    tps = column_order(journey)
    cols = [tp.id for tp in tps]
    col_index = {tp_id: i for i, tp_id in enumerate(cols)}
    inner_pt = (col_width - 2 * PAD) / PT
    width = 2 * MARGIN + LABEL_W + len(cols) * col_width
    friction = touchpoint_friction(report)

    # title block
    y = MARGIN
    title = wrap(journey.title, (width - 2 * MARGIN) / PT, SIZES["title"], weight="bold",
                 max_lines=MAX_LINES["title"])
    persona = journey.persona_obj()
    who = persona.name if persona else (journey.persona if isinstance(journey.persona, str) else "")
    bits = [f"{t('persona', lang)}: {who}" if who else "", t(journey.state, lang),
            f"{len(journey.stages)} {t('stages', lang)}", f"{len(tps)} {t('touchpoints', lang)}"]
    subtitle = "  ·  ".join(b for b in bits if b)
    y += block_height(len(title), SIZES["title"]) * PT + block_height(1, SIZES["subtitle"]) * PT + 0.18

    # stage headers
    spans = []
    stage_metrics: dict[str, list[str]] = {}
    for stage in journey.ordered_stages():
        idx = [col_index[tp.id] for tp in tps if tp.stage == stage.id]
        if not idx:
            continue
        span_pt = (len(idx) * col_width - 2 * PAD) / PT
        name = wrap(stage.name, span_pt, SIZES["stage"], weight="bold", max_lines=MAX_LINES["stage"])
        goal = wrap(stage.goal, span_pt, SIZES["goal"], style="italic", max_lines=MAX_LINES["goal"])
        spans.append((stage.id, min(idx), max(idx), name, goal))
        if "metrics" in lanes and stage.metrics is not None:
            from journeymap.plot._evidence import metric_entries

            stage_metrics[stage.id] = [line for entry, _ in metric_entries(stage.metrics, lang)
                                       for line in wrap(entry, span_pt, SIZES["goal"], max_lines=2)]

    def _stage_h(sid: str, n: list[str], g: list[str]) -> float:
        h = block_height(len(n), SIZES["stage"]) * PT + (block_height(len(g), SIZES["goal"]) * PT + 0.03 if g else 0)
        m = stage_metrics.get(sid)
        return h + (block_height(len(m), SIZES["goal"]) * PT + 0.03 if m else 0)

    header_h = 2 * LANE_PAD + max(_stage_h(sid, n, g) for sid, _, _, n, g in spans)
    header_top, y = y, y + header_h

    # lanes
    placed_opps: dict[str, list] = {tp_id: [] for tp_id in cols}
    pain_col: dict[str, str] = {}
    for tp in tps:
        for pain in tp.pain_points:
            pain_col[pain.id] = tp.id
    for tr in journey.transitions:
        for pain in tr.pain_points:
            pain_col[pain.id] = tr.target
    extra = []
    for opp in journey.opportunities:
        where = sorted({pain_col[p] for p in opp.addresses if p in pain_col}, key=col_index.__getitem__)
        if where:
            placed_opps[where[0]].append(opp)
        else:
            extra.append(opp.text)

    label_pt = (LABEL_W - 0.2) / PT
    built: list[Lane] = []
    for key in lanes:
        lane = Lane(key, wrap(t(f"lane_{key}", lang), label_pt, SIZES["lane"], weight="bold", max_lines=3))
        content_h = 0.0
        if key == "channel":
            for tp in tps:
                ch = journey.channel_info(tp.channel)
                lane.cells[tp.id] = wrap(ch.name(lang), inner_pt, SIZES["channel_name"], max_lines=2)
            content_h = PILL_H + 0.06 + max(block_height(len(v), SIZES["channel_name"]) * PT
                                            for v in lane.cells.values())
        elif key in ("actions", "thoughts"):
            size = SIZES["action" if key == "actions" else "thought"]
            for tp in tps:
                text = tp.action if key == "actions" else (f"“{tp.thoughts}”" if tp.thoughts else "")
                lane.cells[tp.id] = wrap(text, inner_pt, size, style="normal" if key == "actions" else "italic",
                                         max_lines=MAX_LINES["action" if key == "actions" else "thought"])
            content_h = max(block_height(len(v), size) * PT for v in lane.cells.values())
        elif key == "emotion":
            content_h = EMOTION_H - 2 * LANE_PAD
        elif key == "friction":
            if not friction:
                continue
            content_h = FRICTION_H - 2 * LANE_PAD
        elif key == "metrics":
            from journeymap.plot._evidence import metrics_cells

            lane.cells, content_h = metrics_cells(tps, lang, inner_pt)
        else:
            size = SIZES["backstage" if key == "backstage" else "item"]
            limit = MAX_LINES["backstage" if key == "backstage" else "item"]
            for tp in tps:
                entries: list[tuple[str, int | None]]
                if key == "pain_points":
                    entries = [(_pain_text(p, lang), p.severity) for p in tp.pain_points]
                    entries += [(f"↳ {_pain_text(p, lang)}", p.severity)
                                for tr in journey.transitions if tr.target == tp.id for p in tr.pain_points]
                elif key == "opportunities":
                    entries = [(o.text, None) for o in placed_opps[tp.id]]
                else:
                    entries = [(b, None) for b in tp.backstage]
                lane.cells[tp.id], h = _list_lane(entries, inner_pt - INDENT / PT, size, limit)
                content_h = max(content_h, h)
        if content_h <= 0:
            continue  # nothing to show in this lane for this journey
        label_h = block_height(len(lane.label), SIZES["lane"]) * PT
        lane.height = max(content_h, label_h) + 2 * LANE_PAD
        if key == "backstage":
            y += VISIBILITY_H  # the line of visibility sits in its own thin band
        lane.top, y = y, y + lane.height
        built.append(lane)
    if not built:
        raise ValueError("no lane left to draw; pick lanes that have content in this journey")

    legend_top = y + 0.2
    extra_lines = 0
    if extra:
        extra_text = f"{t('other_opportunities', lang)}: " + " · ".join(extra)
        extra = wrap(extra_text, (width - 2 * MARGIN) / PT, SIZES["legend"], max_lines=4)
        extra_lines = len(extra)
    from journeymap.plot._legend import legend_height

    height = legend_top + legend_height(journey, lang, width, report is not None and bool(friction), evidence) \
        + (block_height(extra_lines, SIZES["legend"]) * PT + 0.1 if extra_lines else 0) + MARGIN
    return Plan(journey, lang, width, height, col_width, cols, title, subtitle, spans, header_top, header_h,
                built, legend_top, extra, friction, {tp.id: tp.emotion for tp in tps}, evidence, stage_metrics)
