"""Friction (or emotion, effort, touchpoint count) by stage × channel.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("hotel_stay"))
>>> ax = jm.plot.friction_heatmap(j, metric="touchpoints")
>>> ax.get_title(loc="left")
'Touchpoints by stage and channel'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from journeymap.i18n import t
from journeymap.plot._common import friction_report, literal, literal_text, literal_ticklabels, resolve_lang
from journeymap.plot._style import HEAT_CMAP, INK, emotion_cmap, hex_colour, ink_on, rc, wrap

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from journeymap.model import Journey

METRICS = ("friction", "emotion", "effort", "touchpoints")


def stage_channel_matrix(journey: Journey, metric: str = "friction", report: Any = None) -> pd.DataFrame:
    """The stage × channel table the heatmap draws (NaN where no touchpoint).

    ``friction`` is the report's reach-weighted friction (needs scoring); ``emotion`` and ``effort``
    are means over the touchpoints in the cell; ``touchpoints`` counts them.

    >>> import journeymap as jm
    >>> m = stage_channel_matrix(jm.load(jm.shipped_journey("hotel_stay")), "touchpoints")
    >>> int(m.sum().sum()) == len(jm.load(jm.shipped_journey("hotel_stay")).touchpoints)
    True
    """

    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    stages = [s.id for s in journey.ordered_stages()]
    channels = list(dict.fromkeys(tp.channel for tp in journey.touchpoints))
    if metric == "friction":
        report = friction_report(journey, report)
        if report is None:
            raise RuntimeError("this journey cannot be scored (customers loop forever) or report=False was given; "
                               "try metric='emotion'")
        matrix = report.matrix()
    else:
        frame = journey.to_frame()
        if metric == "touchpoints":
            matrix = frame.groupby(["stage", "channel"]).size().unstack()
        else:
            matrix = frame.astype({metric: float}).groupby(["stage", "channel"])[metric].mean().unstack()
    matrix = matrix.reindex(index=stages, columns=channels)
    return matrix.dropna(how="all").astype(float) if metric != "friction" else matrix.astype(float)


def friction_heatmap(journey: Journey, ax: Axes | None = None, lang: str | None = None, report: Any = None,
                     metric: str = "friction", annotate: bool = True) -> Axes:
    """Draw a stage × channel heatmap and return the Axes.

    Rows are stages (journey order), columns the channels in order of first use. ``metric`` is
    ``"friction"`` (default, from ``report`` or ``jm.score(journey)``; 0 none … 100 worst, sequential
    colours), ``"emotion"`` (diverging −2 … +2), ``"effort"`` (1 … 7) or ``"touchpoints"`` (count).
    Empty cells (no touchpoint) stay blank.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    lang = resolve_lang(journey, lang)
    matrix = stage_channel_matrix(journey, metric, report)
    names = {s.id: s.name for s in journey.stages}
    with plt.rc_context(rc()):
        if ax is None:
            fig = plt.figure(figsize=(2.6 + 1.1 * matrix.shape[1], 1.9 + 0.62 * matrix.shape[0]),
                             layout="constrained")
            ax = fig.add_subplot()
        cmap, vmin, vmax, label = {
            "friction": (HEAT_CMAP, 0, 100, t("friction_scale", lang)),
            "emotion": (emotion_cmap(), -2, 2, t("mean_emotion", lang)),
            "effort": ("YlOrBr", 1, 7, t("mean_effort", lang)),
            "touchpoints": ("Blues", 0, max(1.0, float(np.nanmax(matrix.to_numpy()))), t("touchpoint_count", lang)),
        }[metric]
        values = np.ma.masked_invalid(matrix.to_numpy())
        image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        ax.set_facecolor("#F5F7FA")
        if annotate:
            for (r, c), value in np.ndenumerate(matrix.to_numpy()):
                if np.isnan(value):
                    continue
                text = f"{value:.0f}" if metric in ("friction", "touchpoints") else f"{value:+.1f}" \
                    if metric == "emotion" else f"{value:.1f}"
                # A scalar value maps to one RGBA tuple (the stubs also allow an array).
                rgba = cast("tuple[float, float, float, float]", image.cmap(image.norm(value)))
                colour = ink_on(hex_colour(rgba))
                literal_text(ax, c, r, text, ha="center", va="center", fontsize=9, fontweight="bold", color=colour)
        root = ax.get_figure(root=True)  # the Figure even when ax sits in a SubFigure
        assert root is not None, "an Axes always belongs to a figure"
        col_pt = root.get_size_inches()[0] * 72 * 0.8 / max(1, matrix.shape[1]) - 6
        ax.set_xticks(range(matrix.shape[1]))
        literal_ticklabels(ax.xaxis, ["\n".join(wrap(journey.channel_info(c).name(lang), max(col_pt, 40), 8,
                                                       max_lines=3))
                            for c in matrix.columns], fontsize=8)
        ax.xaxis.tick_top()
        ax.set_yticks(range(matrix.shape[0]))
        literal_ticklabels(ax.yaxis, ["\n".join(wrap(names[s], 130, 9, max_lines=2)) for s in matrix.index])
        ax.tick_params(length=0, labelcolor=INK)
        ax.set_xticks(np.arange(-0.5, matrix.shape[1]), minor=True)
        ax.set_yticks(np.arange(-0.5, matrix.shape[0]), minor=True)
        ax.grid(which="minor", color="white", lw=2)
        ax.tick_params(which="minor", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
        bar.set_label(label, color=INK)
        bar.outline.set_visible(False)
        literal(bar.ax)
        title_key = "friction_heatmap" if metric == "friction" else None
        title = t(title_key, lang) if title_key else _metric_title(metric, lang)
        ax.set_title(title, loc="left", pad=12)
    return literal(ax)


def _metric_title(metric: str, lang: str) -> str:
    what = {"emotion": t("emotion", lang), "effort": t("effort", lang), "touchpoints": t("touchpoints", lang)}
    return f"{what[metric].capitalize()} {t('by_stage_channel', lang)}"

