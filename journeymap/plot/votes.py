"""The room's view vs the model's view: a slope chart of dot-voting ranks against the computed priorities.

Left, each pain point (or opportunity) at its place by the room's dots, with its text and its dots; right,
the same item at its place in the model's ranking (pain points by impact, opportunities by friction removed
per effort). A line joins the two places: solid when the room and the model agree within one place, dashed
when the room puts the item higher than the model, dotted when lower — so the pattern reads without colour
too. The title gives Spearman's rank correlation (:func:`journeymap.votes.vote_ranking`).

>>> import journeymap as jm
>>> from journeymap.model_room import VoteRound
>>> j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
>>> pains = [p.id for p, _ in j.pain_points()]
>>> j = j.model_copy(update={"votes": [VoteRound(id="r1", on="pain_points", counts={pains[-1]: 6, pains[0]: 2})]})
>>> ax = jm.plot.votes_vs_model(j)
>>> ax.get_title(loc="left")
"The room's view vs the model's view: pain points"
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from journeymap.plot._common import literal, literal_text, resolve_lang
from journeymap.plot._style import FAINT, INK, MUTED, NEGATIVE_TEXT, OKABE_ITO, rc, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from journeymap.model import Journey

WORDS = {
    "en": {"title": "The room's view vs the model's view: {}", "pain": "pain points", "opportunity": "opportunities",
           "room": "Room (dots)", "model": "Model", "dots": "{} dots", "dot": "1 dot",
           "rho": "Spearman rank correlation {} (1 = same order, 0 = unrelated, -1 = reversed)",
           "rho_none": "Spearman rank correlation: not defined (fewer than two items or all dots equal)",
           "agree": "agree (within 1 place)", "higher": "room ranks it higher", "lower": "room ranks it lower",
           "none": "No dots on these items yet.", "unvoted": "{} more without dots (not drawn)"},
    "es": {"title": "La visión de la sala frente a la del modelo: {}", "pain": "puntos de dolor",
           "opportunity": "oportunidades", "room": "Sala (puntos)", "model": "Modelo", "dots": "{} puntos",
           "dot": "1 punto",
           "rho": "Correlación de rangos de Spearman {} (1 = mismo orden, 0 = sin relación, -1 = al revés)",
           "rho_none": "Correlación de rangos de Spearman: no definida (menos de dos elementos o mismos puntos)",
           "agree": "coinciden (a 1 puesto o menos)", "higher": "la sala lo pone más arriba",
           "lower": "la sala lo pone más abajo", "none": "Aún no hay puntos en estos elementos.",
           "unvoted": "{} más sin puntos (no se dibujan)"},
}
#: Line style per verdict: colour and dash pattern (never colour alone).
STYLES = {"agree": (MUTED, "-"), "higher": (OKABE_ITO["vermillion"], "--"), "lower": (OKABE_ITO["blue"], ":")}


def votes_vs_model(journey: Journey, ax: Axes | None = None, report: Any = None, lang: str | None = None, *,
                   round: str | None = None, kind: str | None = None, top: int = 12) -> Axes:
    """Draw the slope chart of one kind (``"pain"`` or ``"opportunity"``; default the first the round votes on)
    for voting round ``round`` (latest when ``None``, ``"all"`` for every round added up); ``top`` items by dots.
    ``report``: the journey's :class:`~journeymap.scoring.report.FrictionReport` (scored when omitted).
    """
    import matplotlib.pyplot as plt

    from journeymap.votes import vote_ranking

    lang = resolve_lang(journey, lang)
    words = WORDS[lang]
    table = vote_ranking(journey, round=round, report=report)
    if kind is None:
        kind = str(table["kind"].iloc[0]) if len(table) else "pain"
    if kind not in ("pain", "opportunity"):
        raise ValueError(f"kind must be 'pain' or 'opportunity', got {kind!r}")
    rows = table[table["kind"] == kind]
    shown = rows[rows["dots"] > 0].head(top)
    unvoted = int((rows["dots"] == 0).sum())
    n = max(len(shown), 1)
    with plt.rc_context(rc()):
        if ax is None:
            _fig, ax = plt.subplots(figsize=(10.5, 2.1 + 0.46 * n), layout="constrained")
        assert ax is not None
        ax.set_title(words["title"].format(words[kind]), loc="left", color=INK, fontsize=12)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        if not len(shown):
            literal_text(ax, 0.5, 0.5, words["none"], ha="center", va="center", color=MUTED, transform=ax.transAxes)
            return literal(ax)
        model_place = {pid: i for i, pid in enumerate(sorted(shown.index, key=lambda p: (shown.loc[p, "model_rank"],
                                                                                         list(rows.index).index(p))))}
        ax.set_xlim(-1.9, 1.35)
        ax.set_ylim(n - 0.4, -1.5)
        for x, head in ((0, words["room"]), (1, words["model"])):
            literal_text(ax, x, -0.85, head, ha="center", va="center", fontsize=10, color=INK, weight="bold")
        for y, (pid, row) in enumerate(shown.iterrows()):
            y2 = model_place[pid]
            diff = int(row["model_rank"]) - int(row["room_rank"])
            verdict = "agree" if abs(diff) <= 1 else ("higher" if diff > 0 else "lower")
            colour, dash = STYLES[verdict]
            ax.plot([0, 1], [y, y2], color=colour, ls=dash, lw=2, zorder=1)
            ax.scatter([0, 1], [y, y2], s=46, color=colour, zorder=2)
            label = (wrap(str(row["text"]), 300, 9, max_lines=1) or [""])[0]
            count = words["dot"] if int(row["dots"]) == 1 else words["dots"].format(int(row["dots"]))
            literal_text(ax, -0.08, y, f"{label}  ·  {count}  #{int(row['room_rank'])}", ha="right", va="center",
                         fontsize=9, color=INK)
            literal_text(ax, 1.08, y2, f"#{int(row['model_rank'])}", ha="left", va="center", fontsize=9, color=INK)
        rho = table.attrs.get("spearman", {}).get(kind, math.nan)
        note = words["rho_none"] if math.isnan(rho) else words["rho"].format(f"ρ = {rho:.2f}")
        if unvoted:
            note += "; " + words["unvoted"].format(unvoted)
        literal_text(ax, -1.9, -1.35, note, ha="left", va="center", fontsize=9,
                     color=NEGATIVE_TEXT if rho < 0 else MUTED)
        for verdict, (colour, dash) in STYLES.items():
            ax.plot([], [], color=colour, ls=dash, lw=2, label=words[verdict])
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, frameon=False, fontsize=8.5,
                  labelcolor=INK)
        ax.axvline(0, color=FAINT, lw=0.5, zorder=0)
        ax.axvline(1, color=FAINT, lw=0.5, zorder=0)
    return literal(ax)
