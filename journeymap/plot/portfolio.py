"""The portfolio heatmap: reach-weighted friction by stage (rows) and persona (columns), across journeys.

>>> import journeymap as jm
>>> pf = jm.portfolio(jm.shipped_journeys())
>>> ax = jm.plot.portfolio_heatmap(pf, lang="es")
>>> ax.get_title(loc="left")
'Fricción ponderada por alcance, por buyer persona y etapa'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from journeymap.plot._common import literal, literal_text, literal_ticklabels
from journeymap.plot._style import HEAT_CMAP, INK, MUTED, hex_colour, ink_on, rc, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from journeymap.portfolio import Portfolio

#: Width given to one persona column and to the stage names, in inches.
COLUMN_IN, LABELS_IN = 1.25, 2.3


def figure_size(rows: int, columns: int) -> tuple[float, float]:
    """The figure size (inches) :func:`portfolio_heatmap` uses for ``rows`` stages × ``columns`` personas."""
    return LABELS_IN + 1.4 + COLUMN_IN * max(1, columns), 1.6 + 0.36 * max(1, rows)


def portfolio_heatmap(portfolio: Portfolio, ax: Axes | None = None, lang: str = "en", state: str | None = "current",
                      annotate: bool = True) -> Axes:
    """Draw :meth:`Portfolio.heatmap <journeymap.portfolio.Portfolio.heatmap>` and return the Axes.

    One row per stage (matched across journeys, in lifecycle order), one column per persona; a cell is the
    reach-weighted friction (0 none … 100 worst) of that persona's journeys at that stage, blank where they
    have no such stage. ``state``: ``"current"`` (default), ``"future"`` or ``None`` (all journeys).
    ``lang`` ("en"/"es") sets the title and scale; stage and persona names are shown as written.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from journeymap.portfolio import word

    matrix = portfolio.heatmap(state).T  # stages down, personas across
    with plt.rc_context(rc()):
        if ax is None:
            # constrained layout with a margin round the text
            fig = plt.figure(figsize=figure_size(*matrix.shape), layout=ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.1))
            ax = fig.add_subplot()
        ax.set_title(word("heatmap", lang), loc="left", pad=10)
        if matrix.empty:
            ax.set_axis_off()
            literal_text(ax, 0.5, 0.5, word("alt_empty", lang), ha="center", va="center", color=MUTED,
                         transform=ax.transAxes)
            return literal(ax)
        values = np.ma.masked_invalid(matrix.to_numpy())
        image = ax.imshow(values, cmap=HEAT_CMAP, vmin=0, vmax=100, aspect="auto")
        ax.set_facecolor("#F5F7FA")
        if annotate:
            for (r, c), value in np.ndenumerate(matrix.to_numpy()):
                if np.isnan(value):
                    continue
                rgba = cast("tuple[float, float, float, float]", image.cmap(image.norm(value)))
                literal_text(ax, c, r, f"{value:.0f}", ha="center", va="center", fontsize=8.5, fontweight="bold",
                             color=ink_on(hex_colour(rgba)))
        ax.set_xticks(range(matrix.shape[1]))
        column_pt = COLUMN_IN * 72 - 8
        literal_ticklabels(ax.xaxis, ["\n".join(wrap(str(p), column_pt, 8.5, max_lines=2)) for p in matrix.columns],
                           fontsize=8.5)
        ax.xaxis.tick_top()
        ax.set_yticks(range(matrix.shape[0]))
        literal_ticklabels(ax.yaxis, [" ".join(wrap(str(s), LABELS_IN * 72 - 10, 8.5, max_lines=1))
                                      for s in matrix.index], fontsize=8.5)
        ax.tick_params(length=0, labelcolor=INK)
        ax.set_xticks(np.arange(-0.5, matrix.shape[1]), minor=True)
        ax.set_yticks(np.arange(-0.5, matrix.shape[0]), minor=True)
        ax.grid(which="minor", color="white", lw=2)
        ax.tick_params(which="minor", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.6, pad=0.02, aspect=30)
        bar.set_label(word("scale", lang), color=INK)
        bar.outline.set_visible(False)
        literal(bar.ax)
    return literal(ax)
