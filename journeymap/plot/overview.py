"""One figure that summarises a journey: emotion, friction by stage and channel, pain and opportunity priorities.

A figure-level function in seaborn's sense: it lays out one figure and draws into it with the axes-level
functions (:func:`~journeymap.plot.emotion_curve`, :func:`~journeymap.plot.friction_heatmap`,
:func:`~journeymap.plot.priority_matrix`), passing them the same ``report`` — so custom weights reach every
panel and the journey is scored once, not once per panel.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("hotel_stay"))
>>> fig = jm.plot.overview(j, report=jm.score(j, weights={"wait": 3}))
>>> [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")][:2]
['Emotion along the journey', 'Friction by stage and channel']
>>> import matplotlib.pyplot as plt; plt.close(fig)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.plot._common import friction_report, resolve_lang
from journeymap.plot._style import rc
from journeymap.plot.emotion import emotion_curve
from journeymap.plot.heatmap import friction_heatmap
from journeymap.plot.priority import priority_matrix

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from journeymap.model import Journey


def overview(journey: Journey, report: Any = None, lang: str | None = None) -> Figure:
    """Draw the overview figure of ``journey`` and return it.

    ``report``: the :class:`~journeymap.FrictionReport` every panel uses (default ``jm.score(journey)``, computed
    once here); ``lang``: "en" or "es" (default: the journey's language). Top: the emotion curve across the
    stages; middle: friction by stage × channel; bottom: the pain-point and opportunity matrices, each with its
    numbered key beside it.
    """
    import matplotlib.pyplot as plt

    lang = resolve_lang(journey, lang)
    report = friction_report(journey, report)
    with plt.rc_context(rc()):
        # the matrices' numbered keys are drawn to the right of their Axes: columns 1 and 3 are their room
        # fixed margins: room for long stage names on the left (2.5 in) and a 3.7 in key beside each matrix
        fig = plt.figure(figsize=(19, 18))
        grid = fig.add_gridspec(3, 4, height_ratios=(1.0, 1.1, 1.15), width_ratios=(1, 0.85, 1, 0.85), left=0.135,
                                right=0.985, top=0.97, bottom=0.05, hspace=0.36, wspace=0.06)
        emotion_curve(journey, ax=fig.add_subplot(grid[0, :3]), lang=lang)
        friction_heatmap(journey, ax=fig.add_subplot(grid[1, :3]), lang=lang,
                         report=report if report is not None else False)
        priority_matrix(journey, ax=fig.add_subplot(grid[2, 0]), lang=lang, kind="pain_points")
        priority_matrix(journey, ax=fig.add_subplot(grid[2, 2]), lang=lang, kind="opportunities")
    return fig
