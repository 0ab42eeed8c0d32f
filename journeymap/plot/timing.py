"""Time plots: the time-to-convert distribution (histogram or ECDF with median and p90), and range charts
(p25–p75 bar, median dot) of the slowest steps between activities and of the time in each stage.

Times are shown in the unit that suits the median (minutes, hours or days). Every text is literal.

>>> import pandas as pd, journeymap as jm
>>> ev = pd.DataFrame({"case_id": list("aabb"), "activity": ["ad", "buy"] * 2,
...                    "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-01", "2026-01-04"], utc=True)})
>>> ax = time_to_convert_chart(jm.analytics.time_to_convert_distribution(ev, "buy"))
>>> ax.get_xlabel()
'days to convert'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.plot._common import literal, literal_text, literal_ticklabels
from journeymap.plot._style import FAINT, INK, MUTED, NEGATIVE_TEXT, OKABE_ITO, rc, wrap

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["edge_time_chart", "stage_time_chart", "time_to_convert_chart"]

UNITS = {"en": {"min": "minutes", "h": "hours", "d": "days"}, "es": {"min": "minutos", "h": "horas", "d": "días"}}
FACTOR = {"min": 1.0, "h": 60.0, "d": 1440.0}
WORDS = {
    "en": {"to_convert": "{} to convert", "customers": "customers", "share": "share converted by then",
           "title": "Time to convert", "median": "median", "p90": "p90", "edges": "Slowest steps between activities",
           "stages": "Time in stage", "range": "bar: p25–p75, dot: median", "between": "{} between the two steps",
           "in_stage": "{} in the stage", "of": "{} of {} customers converted", "none": "no customer converted"},
    "es": {"to_convert": "{} hasta convertir", "customers": "clientes", "share": "proporción convertida",
           "title": "Tiempo hasta convertir", "median": "mediana", "p90": "p90",
           "edges": "Pasos más lentos entre actividades", "stages": "Tiempo en cada etapa",
           "range": "barra: p25–p75, punto: mediana", "between": "{} entre los dos pasos",
           "in_stage": "{} en la etapa", "of": "{} de {} clientes convirtieron", "none": "ningún cliente convirtió"},
}


def unit_for(minutes: float) -> str:
    """``"min"``, ``"h"`` or ``"d"``: the unit in which ``minutes`` reads best.

    >>> unit_for(30), unit_for(300), unit_for(3000)
    ('min', 'h', 'd')
    """
    if minutes != minutes or minutes < 120:  # NaN too
        return "min"
    return "h" if minutes < 2 * 1440 else "d"


def _words(lang: str) -> dict[str, str]:
    if lang not in WORDS:
        raise ValueError(f"lang must be 'en' or 'es', got {lang!r}")
    return WORDS[lang]


def _fmt(minutes: float, lang: str) -> str:
    unit = unit_for(minutes)
    short = {"min": "min", "h": "h", "d": "d"}[unit]
    return f"{minutes / FACTOR[unit]:.3g} {short}"


def time_to_convert_chart(dist: Any, ax: Axes | None = None, lang: str = "en", *, kind: str = "hist",
                          bins: int = 30) -> Axes:
    """Histogram (``kind="hist"``) or ECDF (``"ecdf"``) of a
    :class:`~journeymap.analytics.timing.TimeToConvert`, with its median and p90 as dashed lines."""
    import matplotlib.pyplot as plt
    import numpy as np

    words = _words(lang)
    if kind not in ("hist", "ecdf"):
        raise ValueError(f"kind must be 'hist' or 'ecdf', got {kind!r}")
    values = dist.minutes.to_numpy(dtype=float)
    unit = unit_for(dist.median)
    x = values / FACTOR[unit]
    with plt.rc_context(rc()):
        if ax is None:
            ax = plt.figure(figsize=(7.5, 4.2), layout="constrained").add_subplot()
        if not len(x):
            literal_text(ax, 0.5, 0.5, words["none"], transform=ax.transAxes, ha="center", color=MUTED)
        elif kind == "hist":
            ax.hist(x, bins=bins, color=OKABE_ITO["blue"], alpha=0.75, edgecolor="white", linewidth=0.5)
            ax.set_ylabel(words["customers"])
        else:
            xs = np.sort(x)
            ax.step(np.concatenate([[0], xs]), np.arange(len(xs) + 1) / len(xs), where="post",
                    color=OKABE_ITO["blue"], lw=1.6)
            ax.set_ylim(0, 1.02)
            ax.set_ylabel(words["share"])
        if len(x):
            for name, value, colour, y in (("median", dist.median, INK, 0.97), ("p90", dist.p90, NEGATIVE_TEXT, 0.86)):
                ax.axvline(value / FACTOR[unit], color=colour, ls="--", lw=1.2)
                literal_text(ax, value / FACTOR[unit], y, f" {words[name]} {_fmt(value, lang)}",
                             transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=8.5, color=colour,
                             bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.9})
        ax.set_xlabel(words["to_convert"].format(UNITS[lang][unit]))
        ax.set_xlim(left=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(words["title"], loc="left")
        literal_text(ax, 1.0, 1.01, words["of"].format(dist.converted, dist.customers), transform=ax.transAxes,
                     ha="right", va="bottom", fontsize=8, color=MUTED)
        return literal(ax)


def _range_chart(table: Any, labels: list[str], ax: Any, lang: str, title: str, xlabel: str) -> Any:
    import matplotlib.pyplot as plt

    unit = unit_for(float(table["median_min"].max()) if len(table) else 0.0)  # the slowest shown
    f = FACTOR[unit]
    n = len(table)
    if ax is None:
        ax = plt.figure(figsize=(8.0, 1.4 + 0.32 * max(n, 1)), layout="constrained").add_subplot()
    ys = list(range(n))[::-1]
    ax.hlines(ys, table["p25_min"] / f, table["p75_min"] / f, color=OKABE_ITO["sky"], lw=7, alpha=0.8)
    ax.plot(table["median_min"] / f, ys, "o", color=OKABE_ITO["blue"], ms=5, zorder=3)
    ax.set_yticks(ys)
    literal_ticklabels(ax.yaxis, labels, fontsize=8)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlim(left=0)
    ax.grid(axis="x", color=FAINT, lw=0.5, alpha=0.6)
    ax.tick_params(axis="y", length=0, labelcolor=INK)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    words = WORDS[lang]
    ax.set_xlabel(words[xlabel].format(UNITS[lang][unit]))
    ax.set_title(words[title], loc="left")
    literal_text(ax, 1.0, 1.01, words["range"], transform=ax.transAxes, ha="right", va="bottom", fontsize=8,
                 color=MUTED)
    return literal(ax)


def edge_time_chart(edges: pd.DataFrame, ax: Axes | None = None, lang: str = "en", *, top: int = 15,
                    min_count: int = 1) -> Axes:
    """The ``top`` slowest edges (by median) of :func:`~journeymap.analytics.timing.time_between` with at
    least ``min_count`` customers moving, slowest on top."""
    import matplotlib.pyplot as plt

    _words(lang)  # checks lang
    table = edges[edges["count"] >= min_count].sort_values(["median_min", "count"], ascending=[False, False],
                                                           kind="stable").head(top)
    labels = [" → ".join(wrap(str(s), 140, 8, max_lines=1) + wrap(str(t), 140, 8, max_lines=1)) + f" (n={c:,})"
              for s, t, c in table[["source", "target", "count"]].itertuples(index=False)]
    with plt.rc_context(rc()):
        return _range_chart(table, labels, ax, lang, "edges", "between")


def stage_time_chart(stages: pd.DataFrame, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Time in each stage from :func:`~journeymap.analytics.timing.time_in_stage` (``per="stage"``, or the
    per-customer table, summarised here), stages top to bottom in journey order."""
    import matplotlib.pyplot as plt

    _words(lang)  # checks lang
    if "minutes" in stages.columns:  # per customer: summarise
        import numpy as np
        import pandas as pd

        rows = []
        for stage, g in stages.groupby("stage", sort=False)["minutes"]:
            v = g.dropna().to_numpy(dtype=float)
            q = np.percentile(v, [25, 50, 75]) if len(v) else [np.nan] * 3
            rows.append({"stage": stage, "customers": len(v), "p25_min": q[0], "median_min": q[1], "p75_min": q[2]})
        stages = pd.DataFrame(rows)
    labels = [wrap(str(s), 180, 8, max_lines=1)[0] + f" (n={c:,})" for s, c in
              stages[["stage", "customers"]].itertuples(index=False)]
    with plt.rc_context(rc()):
        return _range_chart(stages, labels, ax, lang, "stages", "in_stage")
