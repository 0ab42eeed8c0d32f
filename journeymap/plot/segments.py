"""Segment comparison: conversion rate per segment (or A/B arm) with its interval, and the difference.

One horizontal bar per segment, reference first (at the top): the bar is the conversion rate, the
whisker its Wilson 95 % interval. The right-hand column gives the difference with the reference
in percentage points, its interval and the p-value of the two-proportion test (Fisher's exact
p-value when an expected count is below 5); a small group is flagged. Input:
:func:`~journeymap.analytics.conversion_test` or :func:`~journeymap.analytics.ab_test`
(or a ``by_segment(..., "conversion")`` table, then without differences).

>>> import pandas as pd
>>> table = pd.DataFrame({"customers": [400, 380], "conversions": [80, 110], "rate": [0.2, 0.289],
...                       "rate_low": [0.164, 0.246], "rate_high": [0.242, 0.337], "difference": [0.0, 0.089],
...                       "ci_low": [float("nan"), 0.027], "ci_high": [float("nan"), 0.152],
...                       "p_value": [float("nan"), 0.004], "warning": ["", ""]},
...                      index=pd.Index(["control", "new"], name="variant"))
>>> ax = segment_comparison(table)
>>> [t.get_text() for t in ax.get_yticklabels()]
['control', 'new']
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from journeymap.plot._common import literal, literal_text, literal_ticklabels
from journeymap.plot._style import FAINT, INK, MUTED, NEGATIVE_TEXT, NEUTRAL, OKABE_ITO, rc

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WORDS = {
    "en": {"x": "conversion rate (bar) and 95 % interval (whisker)", "title": "Conversion by {}",
           "diff": "difference vs reference", "reference": "reference", "pp": "pp", "small": "small group",
           "customers": "{:,} customers", "overall": "all segments: χ² {}",
           "fisher": "Fisher p"},
    "es": {"x": "tasa de conversión (barra) e intervalo del 95 % (bigote)", "title": "Conversión por {}",
           "diff": "diferencia con la referencia", "reference": "referencia", "pp": "pp",
           "small": "grupo pequeño", "customers": "{:,} clientes", "overall": "todos los segmentos: χ² {}",
           "fisher": "p de Fisher"},
}


def _p(value: float | None, name: str = "p") -> str:
    """``p = 0.012``, ``p < 0.001``, ``p = –`` (no test)."""
    if value is None or math.isnan(value):
        return f"{name} = –"
    return f"{name} < 0.001" if value < 0.001 else f"{name} = {value:.3f}"


def _pp(x: float) -> str:
    return f"{0.0:.1f}" if round(100 * x, 1) == 0 else f"{100 * x:+.1f}"


def segment_comparison(table: Any, ax: Axes | None = None, *, lang: str = "en", title: str | None = None,
                       top: int = 20) -> Axes:
    """Draw the conversion rate per segment with interval whiskers and the difference column (see above)."""
    import matplotlib.pyplot as plt
    import pandas as pd

    words = WORDS.get(lang, WORDS["en"])
    frame = table.set_index("segment") if "segment" in getattr(table, "columns", ()) else table
    frame = frame.head(top)
    from journeymap.safety import terminal

    names = [terminal(n) for n in frame.index]  # tick labels are re-made at draw time: no control chars in them
    rows = frame.to_dict("records")
    with plt.rc_context(rc()):
        if ax is None:
            _, ax = plt.subplots(figsize=(10.5, 1.6 + 0.5 * max(len(rows), 2)), layout="constrained")
        assert ax is not None
        ys = list(range(len(rows)))[::-1]
        high = max([r.get("rate_high", r["rate"]) for r in rows] + [0.01])
        for i, (y, row) in enumerate(zip(ys, rows, strict=True)):
            colour = NEUTRAL if i == 0 and "difference" in frame.columns else OKABE_ITO["blue"]
            ax.barh(y, row["rate"], height=0.6, color=colour, edgecolor=INK, linewidth=0.6, zorder=2)
            if "rate_low" in row and not pd.isna(row["rate_low"]):
                ax.errorbar(row["rate"], y, xerr=[[row["rate"] - row["rate_low"]], [row["rate_high"] - row["rate"]]],
                            fmt="none", ecolor=INK, elinewidth=1.4, capsize=4, zorder=3)
            count = words["customers"].format(int(row["customers"])).replace(",", "." if lang == "es" else ",")
            literal_text(ax, 0.0, y - 0.42, count, fontsize=8,
                         color=MUTED, va="top", ha="left", transform=ax.get_yaxis_transform())
            cells = []
            if "difference" in frame.columns:
                if i == 0:
                    cells.append((words["reference"], MUTED))
                else:
                    ci = (f" [{_pp(row['ci_low'])}, {_pp(row['ci_high'])}]"
                          if not pd.isna(row.get("ci_low", float("nan"))) else "")
                    fisher = row.get("fisher_p", float("nan"))
                    shown = _p(fisher, words["fisher"]) if not pd.isna(fisher) else _p(row.get("p_value"))
                    cells.append((f"{_pp(row['difference'])} {words['pp']}{ci}   {shown}", INK))
            if row.get("warning"):
                cells.append((f"⚠ {words['small']}", NEGATIVE_TEXT))
            for k, (text, tone) in enumerate(cells):
                literal_text(ax, 1.03, y + 0.14 - 0.3 * k, text, va="center", ha="left", fontsize=9.5, color=tone,
                             transform=ax.get_yaxis_transform(), clip_on=False)
        if "difference" in frame.columns:
            literal_text(ax, 1.03, len(rows) - 0.35, words["diff"], va="bottom", ha="left", fontsize=8.5,
                         color=MUTED, transform=ax.get_yaxis_transform(), clip_on=False)
        ax.set_yticks(ys)
        literal_ticklabels(ax.yaxis, names, fontsize=10)
        ax.set_ylim(-0.8, len(rows) - 0.2)
        ax.set_xlim(0, min(1.0, high * 1.15))
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:.0f} %"))
        ax.set_xlabel(words["x"], color=INK)
        name = title or words["title"].format(frame.index.name or "segment")
        ax.set_title(name, loc="left", color=INK, fontsize=12)
        overall = getattr(table, "attrs", {}).get("p_value")
        if overall is not None and not (isinstance(overall, float) and math.isnan(overall)) and len(rows) > 2:
            literal_text(ax, 1.0, 1.01, words["overall"].format(_p(overall)), ha="right", va="bottom", fontsize=9,
                         color=MUTED, transform=ax.transAxes)
        ax.grid(axis="x", color=FAINT, lw=0.5, alpha=0.6, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return literal(ax)
