"""Attribution comparison: every model's credit per channel, with its bootstrap interval (dot and whisker).

One row per channel (most credited first); within a row one dot per model —
each model its own colour *and* marker shape, so it reads in grey and for
colour-blind readers — and a whisker from ``<model>_low`` to ``<model>_high``
when the table has intervals (:func:`journeymap.analytics.attribution_table`).
Marker colours have at least 3:1 contrast on white; text is dark ink.

>>> import pandas as pd, journeymap as jm
>>> paths = pd.DataFrame({"path": ["a > b", "b", "a > c"], "conversions": [6, 2, 3], "nulls": [4, 8, 7]})
>>> table = jm.analytics.attribution_table(paths, n_boot=50, seed=0)
>>> ax = jm.plot.attribution_comparison(table, lang="es")
>>> ax.get_xlabel()
'conversiones atribuidas'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.plot._common import literal, literal_text, literal_ticklabels
from journeymap.plot._style import BAND, FAINT, INK, MUTED, rc

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WORDS = {
    "en": {"x": "conversions credited", "title": "Which channels earn the conversions: {n} models compared",
           "ci": "whiskers: {level:.0%} bootstrap interval ({n_boot} resamples of customers, seed {seed})",
           "no ci": "no intervals (run with ci=True)", "total": "{conv:,.0f} conversions",
           "first": "first touch", "last": "last touch", "linear": "linear", "position": "position 40/20/40",
           "time_decay": "time decay", "markov": "Markov removal effect", "markov_k": "Markov order {k}",
           "shapley": "Shapley value"},
    "es": {"x": "conversiones atribuidas", "title": "Qué canales ganan las conversiones: {n} modelos comparados",
           "ci": "bigotes: intervalo bootstrap del {level:.0%} ({n_boot} remuestreos de clientes, semilla {seed})",
           "no ci": "sin intervalos (use ci=True)", "total": "{conv:,.0f} conversiones",
           "first": "primer contacto", "last": "último contacto", "linear": "lineal",
           "position": "por posición 40/20/40", "time_decay": "decaimiento temporal",
           "markov": "Markov (efecto de eliminación)", "markov_k": "Markov de orden {k}",
           "shapley": "valor de Shapley"},
}

#: (colour, marker) per model; every colour ≥ 3:1 against white (non-text contrast).
MODEL_STYLE = {
    "first": ("#0072B2", "o"),
    "last": ("#A84A00", "s"),
    "linear": ("#007A5A", "D"),
    "position": ("#A6487F", "^"),
    "time_decay": ("#8A6100", "v"),
    "markov": ("#000000", "P"),
    "shapley": ("#6F4E9C", "X"),
}


def _models(table: Any, models: Any) -> list[str]:
    if models is not None:
        return [m for m in models if m in table.columns]
    return [c for c in table.columns if not str(c).endswith(("_low", "_high"))]


def attribution_comparison(table: Any, *, models: list[str] | None = None, lang: str = "en", top: int = 15,
                           ax: Axes | None = None) -> Axes:
    """Draw the ``top`` channels of an :func:`~journeymap.analytics.attribution_table` (see the module notes)."""
    import matplotlib.pyplot as plt

    words = WORDS.get(lang, WORDS["en"])
    chosen = _models(table, models)
    order = table[chosen].mean(axis=1).sort_values(ascending=False, kind="stable").index[:top]
    rows = table.loc[order]
    n, k = len(rows), max(len(chosen), 1)
    with plt.rc_context(rc()):
        own = ax is None
        if ax is None:
            fig, ax = plt.subplots(figsize=(10.5, 1.9 + n * (0.16 * k + 0.22)), layout="constrained")
            fig.get_layout_engine().set(w_pad=0.15, h_pad=0.1)  # type: ignore[union-attr, call-arg]
        assert ax is not None
        ys = list(range(n))[::-1]
        step = 0.8 / k
        for y in ys:
            if y % 2 == 0:
                ax.axhspan(y - 0.5, y + 0.5, color=BAND[0], zorder=0, lw=0)
        has_ci = False
        for j, model in enumerate(chosen):
            colour, marker = MODEL_STYLE.get(model, (INK, "o"))
            offset = 0.4 - step * (j + 0.5)
            yy = [y + offset for y in ys]
            x = rows[model].to_numpy(dtype=float)
            if f"{model}_low" in rows and f"{model}_high" in rows:
                has_ci = True
                ax.hlines(yy, rows[f"{model}_low"].to_numpy(dtype=float), rows[f"{model}_high"].to_numpy(dtype=float),
                          color=colour, lw=1.6, zorder=2)
            label = words["markov_k"].format(k=table.attrs.get("order", 1)) if (
                model == "markov" and table.attrs.get("order", 1) != 1) else words.get(model, model)
            ax.scatter(x, yy, s=46, color=colour, marker=marker, edgecolor="white", linewidth=0.6, zorder=3,
                       label=label)
        ax.set_yticks(ys)
        literal_ticklabels(ax.yaxis, [str(c) for c in rows.index], fontsize=10, color=INK)
        ax.set_ylim(-0.5, n - 0.5)
        hi = max([float(rows[c].max()) for c in rows.columns if c in chosen or str(c).endswith("_high")] + [1.0])
        ax.set_xlim(-0.015 * hi, 1.03 * hi)  # dots at 0 stay whole
        ax.set_xlabel(words["x"], color=INK)
        ax.grid(axis="x", color=FAINT, lw=0.5, alpha=0.6)
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        note = words["ci"].format(level=table.attrs.get("level", 0.95), n_boot=table.attrs.get("n_boot", 0),
                                  seed=table.attrs.get("seed")) if has_ci else words["no ci"]
        if "conversions" in table.attrs:
            note = words["total"].format(conv=table.attrs["conversions"]) + " · " + note
        ax.set_title(words["title"].format(n=len(chosen)), loc="left", color=INK, fontsize=12, pad=20)
        literal_text(ax, 0.0, 1.01, note, transform=ax.transAxes, ha="left", va="bottom", fontsize=8.5,
                     color=MUTED)
        if own:
            ax.figure.legend(loc="outside lower center", ncol=min(len(chosen), 4), frameon=False, fontsize=9,
                             labelcolor=INK)
            literal(ax.figure)
        else:
            ax.legend(loc="lower right", frameon=True, fontsize=8.5, labelcolor=INK)
    return literal(ax)
