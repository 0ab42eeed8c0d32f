"""Moves between channels: a Sankey-style flow (or a matrix), weighted by the customers who move.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
>>> flows = channel_flows(j, report=False)
>>> list(flows.columns)
['source', 'target', 'context', 'weight']
>>> ax = jm.plot.channel_flow(j, style="matrix")
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from journeymap.channels import KINDS
from journeymap.i18n import t
from journeymap.plot._common import friction_report, literal, literal_text, literal_ticklabels, resolve_lang
from journeymap.plot._style import INK, MUTED, hex_colour, ink_on, kind_colour, rc, wrap

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from journeymap.model import Journey

PT = 1 / 72


def channel_flows(journey: Journey, report: Any = None) -> pd.DataFrame:
    """Transitions summed per (source channel, target channel, context).

    ``weight`` is the share of all customers who make the move (the report's ``flow``) when scoring
    is available, else the sum of the transitions' ``share``.
    """
    import pandas as pd

    report = friction_report(journey, report)
    flow = {}
    if report is not None and "flow" in report.by_transition.columns:
        flow = {str(k): float(v) for k, v in report.by_transition["flow"].items()}
    rows = []
    for tr in journey.transitions:
        rows.append({
            "source": journey.touchpoint(tr.source).channel,
            "target": journey.touchpoint(tr.target).channel,
            "context": tr.context,
            "weight": flow.get(tr.key, tr.share) if flow else tr.share,
        })
    frame = pd.DataFrame(rows, columns=["source", "target", "context", "weight"])
    # as_index=False keeps the keys as columns, so the sum is a DataFrame (pandas-stubs says Series).
    return cast("pd.DataFrame",
                frame.groupby(["source", "target", "context"], as_index=False, sort=False)["weight"].sum())


def _order(journey: Journey, ids) -> list[str]:
    first = {tp.channel: i for i, tp in reversed(list(enumerate(journey.touchpoints)))}
    return sorted(set(ids), key=lambda c: (KINDS.index(journey.channel_info(c).kind), first.get(c, 0)))


def channel_flow(journey: Journey, ax: Axes | None = None, lang: str | None = None, report: Any = None,
                 style: str = "sankey") -> Axes:
    """Draw how customers move between channels and return the Axes.

    ``style="sankey"``: channels the customer leaves on the left, channels they arrive at on the
    right, bands as wide as the flow; band colour = the channel kind left, hatched where context is
    lost on the move (``context: none``). ``style="matrix"``: a from × to table of the same weights.
    Weights are customers moving (scoring's reach × share) or, without scoring, summed shares.
    """
    import matplotlib.pyplot as plt

    if style not in ("sankey", "matrix"):
        raise ValueError(f"style must be 'sankey' or 'matrix', got {style!r}")
    lang = resolve_lang(journey, lang)
    report = friction_report(journey, report)
    flows = channel_flows(journey, report)
    weighted = report is not None
    with plt.rc_context(rc()):
        if style == "matrix":
            return literal(_matrix(journey, flows, ax, lang, weighted))
        return literal(_sankey(journey, flows, ax, lang, weighted))


def _matrix(journey: Journey, flows, ax, lang: str, weighted: bool):
    import matplotlib.pyplot as plt
    import numpy as np

    table = flows.groupby(["source", "target"])["weight"].sum().unstack(fill_value=0.0)
    table = table.reindex(index=_order(journey, table.index), columns=_order(journey, table.columns), fill_value=0)
    if ax is None:
        fig = plt.figure(figsize=(2.8 + 1.05 * table.shape[1], 2.0 + 0.55 * table.shape[0]), layout="constrained")
        ax = fig.add_subplot()
    values = table.to_numpy()
    image = ax.imshow(np.ma.masked_equal(values, 0), cmap="Blues", vmin=0, vmax=values.max() or 1, aspect="auto")
    ax.set_facecolor("#F5F7FA")
    for (r, c), value in np.ndenumerate(values):
        if value > 0:
            colour = ink_on(hex_colour(image.cmap(image.norm(value))))
            label = (f"{value:.0%}" if value >= 0.005 else "<1%") if weighted else \
                (f"{value:.2f}" if value >= 0.005 else "<0.01")
            literal_text(ax, c, r, label, ha="center", va="center", fontsize=8.5,
                         color=colour)
    name = {c: journey.channel_info(c).name(lang) for c in set(table.index) | set(table.columns)}
    ax.set_xticks(range(table.shape[1]))
    literal_ticklabels(ax.xaxis, ["\n".join(wrap(name[c], 70, 8, max_lines=3)) for c in table.columns], fontsize=8)
    ax.set_yticks(range(table.shape[0]))
    literal_ticklabels(ax.yaxis, [name[c] for c in table.index], fontsize=8.5)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(t("to_channel", lang), color=MUTED)
    ax.set_ylabel(t("from_channel", lang), color=MUTED)
    ax.tick_params(length=0, labelcolor=INK)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    bar.set_label(t("flow_weight_reach" if weighted else "flow_weight_share", lang), color=INK)
    bar.outline.set_visible(False)
    literal(bar.ax)
    ax.set_title(t("channel_flow", lang), loc="left")
    return ax


def _sankey(journey: Journey, flows, ax, lang: str, weighted: bool):
    import matplotlib.pyplot as plt
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    left = _order(journey, flows["source"])
    right = _order(journey, flows["target"])
    n = max(len(left), len(right))
    if ax is None:
        fig = plt.figure(figsize=(10.5, max(4.2, 0.5 * n + 1.6)), layout="constrained")
        ax = fig.add_subplot()
    total = float(flows["weight"].sum()) or 1.0
    root = ax.get_figure(root=True)  # the Figure even when ax sits in a SubFigure
    assert root is not None, "an Axes always belongs to a figure"
    height_in = root.get_size_inches()[1] * 0.8
    min_slot = 2.3 * 8.5 * 1.2 * PT / height_in  # room for a two-line label, in axes units
    gap = 0.02

    def place(ids, column):
        sums = flows.groupby(column)["weight"].sum()
        hs = {c: float(sums.get(c, 0.0)) / total for c in ids}
        usable = 1.0 - gap * (len(ids) - 1)
        scale = usable / sum(max(h, 1e-9) for h in hs.values())
        slots = {c: max(hs[c] * scale, min_slot) for c in ids}
        squeeze = min(1.0, usable / sum(slots.values()))
        y, spots = 1.0, {}
        for c in ids:
            slot = slots[c] * squeeze
            bar = hs[c] * scale * squeeze
            spots[c] = (y - slot / 2 - bar / 2, y - slot / 2 + bar / 2, bar)  # bottom, top, height
            y -= slot + gap
        return spots

    lspots, rspots = place(left, "source"), place(right, "target")
    x0, x1, w = 0.0, 1.0, 0.035
    lcur = {c: spot[1] for c, spot in lspots.items()}
    rcur = {c: spot[1] for c, spot in rspots.items()}
    order = flows.assign(li=flows["source"].map(left.index), ri=flows["target"].map(right.index))
    for row in order.sort_values(["li", "ri"]).itertuples():
        _, _, lh = lspots[row.source]
        _, _, rh = rspots[row.target]
        lsum = float(flows.loc[flows["source"] == row.source, "weight"].sum()) or 1.0
        rsum = float(flows.loc[flows["target"] == row.target, "weight"].sum()) or 1.0
        dl, dr = lh * row.weight / lsum, rh * row.weight / rsum
        ly1, ry1 = lcur[row.source], rcur[row.target]
        ly0, ry0 = ly1 - dl, ry1 - dr
        lcur[row.source], rcur[row.target] = ly0, ry0
        xa, xb, xm = x0 + w, x1 - w, 0.5
        verts = [(xa, ly1), (xm, ly1), (xm, ry1), (xb, ry1), (xb, ry0), (xm, ry0), (xm, ly0), (xa, ly0), (xa, ly1)]
        codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4, Path.CURVE4,
                 Path.CURVE4, Path.CLOSEPOLY]
        colour = kind_colour(journey.channel_info(row.source).kind)
        lost = row.context == "none"
        ax.add_patch(PathPatch(Path(verts, codes), fc=colour, alpha=0.38 if not lost else 0.3, lw=0,
                               hatch="////" if lost else None, ec=INK if lost else "none", zorder=2))
    for spots, x, ha, tx in ((lspots, x0, "right", x0 - 0.015), (rspots, x1 - w, "left", x1 + 0.015)):
        column = "source" if spots is lspots else "target"
        for c, (bottom, top, height) in spots.items():
            colour = kind_colour(journey.channel_info(c).kind)
            ax.add_patch(Rectangle((x, bottom), w, max(height, 0.002), fc=colour, ec="none", zorder=3))
            share = float(flows.loc[flows[column] == c, "weight"].sum()) / total
            label = "\n".join(wrap(journey.channel_info(c).name(lang), 150, 8.5, max_lines=2))
            literal_text(ax, tx, (bottom + top) / 2, f"{label} · {share:.0%}", ha=ha, va="center", fontsize=8.5,
                         color=INK)
    ax.set_xlim(-0.42, 1.42)
    ax.set_ylim(min(min(s[0] for s in lspots.values()), min(s[0] for s in rspots.values())) - 0.03, 1.02)
    ax.set_axis_off()
    literal_text(ax, x0 + w / 2, 1.02, t("from_channel", lang), ha="center", va="bottom", fontsize=8.5, color=MUTED)
    literal_text(ax, x1 - w / 2, 1.02, t("to_channel", lang), ha="center", va="bottom", fontsize=8.5, color=MUTED)
    from matplotlib.patches import Patch

    handles = [Patch(fc="white", ec=INK, hatch="////", label=t("context_lost", lang))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), frameon=False, fontsize=8.5)
    weight = t("flow_weight_reach" if weighted else "flow_weight_share", lang)
    ax.set_title(t("channel_flow", lang), loc="left", pad=22)
    literal_text(ax, 1.0, -0.01, weight, transform=ax.transAxes, ha="right", va="top", fontsize=8, color=MUTED)
    return ax

