"""Paths from a step as a Sankey: one column per level, ribbons as wide as the customers who move.

Draws the tree of :func:`journeymap.analytics.paths_from` (or ``paths_after_dropoff``). Each column is a
level (the step, then +1, +2, …; backward: −1, −2, … to the left); a bar is an activity at that level, summed
over the paths that reach it there, and a ribbon the customers moving from one bar to the next. So that
the labels stay legible (30 activities at depth 5), each column keeps its ``max_nodes`` largest bars of at
least ``min_share`` of the step's customers and groups the rest as ``"(other)"`` before drawing; every
bar keeps room for its two-line label, so labels never overlap. Text is drawn literally, on a white box.

>>> import pandas as pd, journeymap as jm
>>> ev = pd.DataFrame({"case_id": list("aabbc"), "activity": ["ad", "buy", "ad", "web", "ad"],
...                    "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02"] * 2 + ["2026-01-01"], utc=True)})
>>> ax = path_flow(jm.analytics.paths_from(ev, "ad", depth=1))
>>> ax.get_title(loc="left")
'Paths from ad'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.plot._common import literal, literal_text
from journeymap.plot._style import FAINT, INK, MUTED, OKABE_ITO, block_height, rc, wrap

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["path_flow"]

END, START, OTHER = "(end)", "(start)", "(other)"
PT = 1 / 72
SIZE = 8.0
COLUMN_IN = 2.45  # inches per column
PALETTE = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "purple", "orange", "sky")] + \
    ["#8C6BB1", "#4D9221", "#B35806", "#2166AC"]
WORDS = {
    "en": {"from": "Paths from {}", "to": "Paths to {}", "step": "step", "conv": "conv.",
           "note": "Ribbon width = customers; each column shows its largest steps, the rest grouped as (other)."},
    "es": {"from": "Caminos desde {}", "to": "Caminos hasta {}", "step": "paso", "conv": "conv.",
           "note": "Ancho de cinta = clientes; cada columna muestra sus pasos mayores, el resto como (other)."},
}


def columns(tree: pd.DataFrame, max_nodes: int = 8, min_share: float = 0.02) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(nodes, links)`` of the drawing: nodes per (level, label) with customers (and conversions), links
    (level of the source, source label, target label, customers); small nodes of a column become OTHER."""
    import pandas as pd

    tree = tree.reset_index(drop=True)
    root = str(tree["activity"].iloc[0])
    total = max(int(tree["customers"].iloc[0]), 1)
    has_conv = "conversions" in tree.columns
    body = tree[tree["level"] > 0]
    src = [str(p[-1]) if len(p) else root for p in body["prefix"]]
    links = pd.DataFrame({"level": body["level"].to_numpy() - 1, "source": src,
                          "target": body["activity"].astype(str).to_numpy(),
                          "customers": body["customers"].to_numpy(),
                          "conversions": body["conversions"].to_numpy() if has_conv else 0})
    nodes = links.groupby(["level", "target"], sort=False)[["customers", "conversions"]].sum().reset_index()
    nodes["level"] += 1
    nodes = nodes.rename(columns={"target": "label"})
    head = pd.DataFrame({"level": [0], "label": [root], "customers": [total],
                         "conversions": [int(tree["conversions"].iloc[0]) if has_conv else 0]})
    nodes = pd.concat([head, nodes])
    keep: dict[tuple[int, str], str] = {}
    for _, group in nodes.groupby("level", sort=True):
        level = int(group["level"].iloc[0])
        special = group["label"].isin([END, START, OTHER])
        ranked = group[~special].sort_values(["customers", "label"], ascending=[False, True], kind="stable")
        big = ranked[ranked["customers"] >= min_share * total].head(max_nodes if level else 1)
        for label in group["label"]:
            keep[(level, label)] = label if (label in set(big["label"]) or label in (END, START)) else OTHER
    nodes["label"] = [keep[(int(lv), lb)] for lv, lb in zip(nodes["level"], nodes["label"], strict=True)]
    links["source"] = [keep[(int(lv), s)] for lv, s in zip(links["level"], links["source"], strict=True)]
    links["target"] = [keep[(int(lv) + 1, t)] for lv, t in zip(links["level"], links["target"], strict=True)]
    nodes = nodes.groupby(["level", "label"], sort=False)[["customers", "conversions"]].sum().reset_index()
    nodes["kind"] = nodes["label"].map({OTHER: 1, END: 2, START: 2}).fillna(0)
    nodes = nodes.sort_values(["level", "kind", "customers", "label"], ascending=[True, True, False, True],
                              kind="stable").drop(columns="kind").reset_index(drop=True)
    links = links.groupby(["level", "source", "target"], sort=False)[["customers", "conversions"]].sum()
    return nodes, links.reset_index()


def path_flow(tree: pd.DataFrame, ax: Axes | None = None, lang: str = "en", *, direction: str | None = None,
              max_nodes: int = 8, min_share: float = 0.02, title: str | None = None) -> Axes:
    """Draw a path tree (see the module notes) and return the Axes.

    ``direction`` ("forward"/"backward") is read from the tree's end nodes when not given; backward trees
    run right to left so time flows left to right. Labels are English or Spanish (``lang``).
    """
    import matplotlib.pyplot as plt

    if lang not in WORDS:
        raise ValueError(f"lang must be 'en' or 'es', got {lang!r}")
    if not len(tree) or tree["level"].iloc[0] != 0:
        raise ValueError("path_flow needs the tree of paths_from (its first row is the root, level 0)")
    if direction is None:
        direction = tree.attrs.get("direction") or ("backward" if (tree["activity"] == START).any() else "forward")
    nodes, links = columns(tree, max_nodes, min_share)
    depth = int(nodes["level"].max())
    tallest = int(nodes.groupby("level").size().max())
    with plt.rc_context(rc()):
        if ax is None:
            height = max(4.5, tallest * block_height(2, SIZE) * PT * 2.0 + 1.6)
            fig = plt.figure(figsize=(max(5.0, COLUMN_IN * (depth + 1) + 0.4), height), layout="constrained")
            ax = fig.add_subplot()
        _draw(ax, nodes, links, depth, direction == "backward", WORDS[lang], tree)
        ax.set_title(title if title is not None else
                     WORDS[lang]["to" if direction == "backward" else "from"].format(tree["activity"].iloc[0]),
                     loc="left")
        return literal(ax)


def _draw(ax: Any, nodes: Any, links: Any, depth: int, backward: bool, words: dict[str, str], tree: Any) -> None:
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    root = ax.get_figure(root=True)
    height_in = root.get_size_inches()[1] * 0.78
    width_in = root.get_size_inches()[0] * 0.97
    total = float(nodes.loc[0, "customers"]) or 1.0
    slot_min = (block_height(2, SIZE) + 3) * PT / height_in  # a two-line label, in axes units
    gap = 0.01
    bar_w = 0.06  # in column units
    col_w = width_in / (depth + 1.0)  # inches per column
    label_pt = (col_w * (1 - bar_w) - 0.25) / PT  # room for a label between a bar and the next column
    colour = _colours(nodes)
    spots: dict[tuple[int, str], list[float]] = {}
    lowest = 0.0
    for level, group in nodes.groupby("level", sort=True):
        n = len(group)
        usable = 1.0 - gap * (n - 1)
        slots = [max(c / total * usable, slot_min) for c in group["customers"]]
        squeeze = min(1.0, usable / sum(slots))
        y = 1.0
        for (_, row), slot in zip(group.iterrows(), slots, strict=True):
            bar = row["customers"] / total * usable * squeeze
            slot = max(slot * squeeze, slot_min)
            mid = y - slot / 2
            spots[(int(level), row["label"])] = [mid + bar / 2, mid - bar / 2, mid + bar / 2, mid + bar / 2]
            y -= slot + gap
        lowest = min(lowest, y)
    x_of = (lambda lv: depth - lv) if backward else (lambda lv: lv)
    has_conv = "conversions" in tree.columns
    rank = {key: i for i, key in enumerate(spots)}
    order = links.assign(src=[rank[(int(lv), s)] for lv, s in zip(links["level"], links["source"], strict=True)],
                         tgt=[rank[(int(lv) + 1, t)] for lv, t in zip(links["level"], links["target"], strict=True)])
    for row in order.sort_values(["src", "tgt"], kind="stable").itertuples():
        s, t = spots[(row.level, row.source)], spots[(row.level + 1, row.target)]
        h = row.customers / total * (s[0] - s[1]) / max(_share(nodes, row.level, row.source, total), 1e-12)
        ht = row.customers / total * (t[0] - t[1]) / max(_share(nodes, row.level + 1, row.target, total), 1e-12)
        sy1, ty1 = s[2], t[3]
        s[2], t[3] = sy1 - h, ty1 - ht
        xs, xt = x_of(row.level), x_of(row.level + 1)
        xa, xb = (xs + bar_w, xt) if not backward else (xs, xt + bar_w)
        xm = (xa + xb) / 2
        verts = [(xa, sy1), (xm, sy1), (xm, ty1), (xb, ty1), (xb, ty1 - ht), (xm, ty1 - ht), (xm, sy1 - h),
                 (xa, sy1 - h), (xa, sy1)]
        codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4, Path.CURVE4,
                 Path.CURVE4, Path.CLOSEPOLY]
        ax.add_patch(PathPatch(Path(verts, codes), fc=colour[row.target], alpha=0.32, lw=0, zorder=1))
    for row in nodes.itertuples():
        top, bottom = spots[(row.level, row.label)][:2]
        x = x_of(row.level)
        ax.add_patch(Rectangle((x, bottom), bar_w, max(top - bottom, 0.002), fc=colour[row.label], ec="none",
                               zorder=2))
        name = wrap(row.label, label_pt, SIZE, max_lines=1)[0] if row.label.strip() else row.label
        figures = f"{int(row.customers):,} · {row.customers / total:.0%}"
        if has_conv:
            figures += f" · {words['conv']} {row.conversions / max(row.customers, 1):.0%}"
        literal_text(ax, x + bar_w + 0.03, (top + bottom) / 2, f"{name}\n{figures}", ha="left", va="center",
                     fontsize=SIZE, color=INK, zorder=3, linespacing=1.2,
                     bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})
    for level in range(depth + 1):
        head = words["step"] if level == 0 else f"{'−' if backward else '+'}{level}"
        literal_text(ax, x_of(level) + bar_w / 2, 1.01, head, ha="center", va="bottom", fontsize=SIZE, color=MUTED)
    ax.set_xlim(-0.05, depth + 0.97)
    ax.set_ylim(lowest - 0.01, 1.05)
    ax.set_axis_off()
    literal_text(ax, 0.0, -0.005, words["note"], transform=ax.transAxes, ha="left", va="top", fontsize=7.5,
                 color=MUTED)


def _share(nodes: Any, level: int, label: str, total: float) -> float:
    hit = nodes[(nodes["level"] == level) & (nodes["label"] == label)]
    return float(hit["customers"].iloc[0]) / total


def _colours(nodes: Any) -> dict[str, str]:
    """One colour per label, the same in every column (largest labels first); (other)/(end) in grey."""
    sizes = nodes.groupby("label")["customers"].sum().sort_values(ascending=False, kind="stable")
    out = {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(x for x in sizes.index
                                                                     if x not in (OTHER, END, START))}
    out.update({OTHER: "#7B8794", END: FAINT, START: FAINT})
    return out
