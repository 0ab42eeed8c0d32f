"""Drift chart: assumed vs observed shares, one row per value that moved, largest effect first.

A hollow ring is what the design assumed, a filled dot what the log observed;
the line between them is the drift. The right-hand column gives the exact
effect of that one value on the designed journey's expected conversion
(percentage points) — the ranking of :class:`~journeymap.analytics.Drift`.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> ev = jm.analytics.simulate(j, customers=3000, seed=2)
>>> cal = jm.analytics.calibrate(j, ev, case="customer_id")
>>> ax = jm.plot.drift_chart(cal.drift)
>>> ax.get_xlabel()
'share of customers'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from journeymap.plot._common import literal, literal_text, literal_ticklabels
from journeymap.plot._style import FAINT, INK, MUTED, NEGATIVE_TEXT, OKABE_ITO, rc

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WORDS = {
    "en": {"x": "share of customers", "assumed": "assumed (design)", "observed": "observed (log)",
           "effect": "effect on\nconversion", "friction": "on\nfriction",
           "title": "Where the log disagrees with the design",
           "none": "No share differs from the design beyond sampling noise.",
           "not designed": "not designed", "never seen": "never seen", "changed": "changed",
           "entry share": "start at", "pp": "pp"},
    "es": {"x": "proporción de clientes", "assumed": "supuesto (diseño)", "observed": "observado (registro)",
           "effect": "efecto en\nconversión", "friction": "en\nfricción",
           "title": "Dónde el registro contradice el diseño",
           "none": "Ninguna proporción difiere del diseño más allá del ruido de muestreo.",
           "not designed": "no diseñada", "never seen": "nunca vista", "changed": "cambiada",
           "entry share": "empiezan en", "pp": "pp"},
}


def _signed(x: float, digits: int) -> str:
    """``+1.5``, ``-0.3``; a value that rounds to zero is ``0.0`` (never ``-0.0``)."""
    return f"{0.0:.{digits}f}" if round(x, digits) == 0 else f"{x:+.{digits}f}"


def _label(kind: str, key: str, words: dict[str, str]) -> str:
    if kind == "entry share":
        return f"{words['entry share']} {key}"
    return key.replace("->", " → ")


def drift_chart(drift: Any, *, top: int = 12, kinds: tuple[str, ...] = ("transition share", "entry share"),
                lang: str = "en", ax: Axes | None = None) -> Axes:
    """Draw the ``top`` flagged shares of a :class:`~journeymap.analytics.Drift` (see the module notes)."""
    import matplotlib.pyplot as plt

    words = WORDS.get(lang, WORDS["en"])
    table = drift.flagged
    rows = table[table["kind"].isin(kinds)].head(top)
    with plt.rc_context(rc()):
        if ax is None:
            fig, ax = plt.subplots(figsize=(10.5, 1.3 + 0.42 * max(len(rows), 2)), layout="constrained")
            fig.get_layout_engine().set(w_pad=0.2, h_pad=0.08)  # type: ignore[union-attr, call-arg]
        assert ax is not None
        ax.set_xlim(-0.02, 1.02)
        ax.set_xlabel(words["x"], color=INK)
        ax.set_title(words["title"], loc="left", color=INK, fontsize=12)
        if not len(rows):
            literal_text(ax, 0.5, 0.5, words["none"], ha="center", va="center", color=MUTED,
                         transform=ax.transAxes)
            ax.set_yticks([])
            return literal(ax)
        ys = list(range(len(rows)))[::-1]
        for y, row in zip(ys, rows.to_dict("records"), strict=True):
            a, o = row["assumed"], row["observed"]
            has_a = not (a is None or (isinstance(a, float) and math.isnan(a)))
            colour = NEGATIVE_TEXT if has_a and o < a else OKABE_ITO["blue"]
            if has_a:
                ax.plot([a, o], [y, y], color=colour, lw=2.2, zorder=1, solid_capstyle="round")
                ax.scatter([a], [y], s=70, facecolor="white", edgecolor=INK, linewidth=1.5, zorder=2)
            ax.scatter([o], [y], s=70, color=colour, zorder=3)
            effect, friction = row["effect_conversion"], row["effect_friction"]
            cells = ([words.get(row["status"], row["status"]), ""] if math.isnan(effect)
                     else [f"{_signed(100 * effect, 1)} {words['pp']}", _signed(friction, 2)])
            for x, cell in zip((1.04, 1.17), cells, strict=True):
                literal_text(ax, x, y, cell, va="center", ha="left", fontsize=9.5, color=INK,
                             transform=ax.get_yaxis_transform(), clip_on=False)
        for x, head in zip((1.04, 1.17), (words["effect"], words["friction"]), strict=True):
            literal_text(ax, x, len(rows) - 0.4, head, va="bottom", ha="left", fontsize=8.5, color=MUTED,
                         transform=ax.get_yaxis_transform(), clip_on=False)
        ax.set_yticks(ys)
        literal_ticklabels(ax.yaxis, [_label(r["kind"], str(r["key"]), words) for r in rows.to_dict("records")],
                           fontsize=9.5)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.grid(axis="x", color=FAINT, lw=0.5, alpha=0.6)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.scatter([], [], s=70, facecolor="white", edgecolor=INK, label=words["assumed"])
        ax.scatter([], [], s=70, color=INK, label=words["observed"])
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09 - 0.5 / max(len(rows), 2)), ncol=2,
                  frameon=False, fontsize=9)
    return literal(ax)
