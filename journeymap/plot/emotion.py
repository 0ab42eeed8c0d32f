"""Emotion curves: one journey, or several overlaid (current vs future, multichannel vs omnichannel, personas).

>>> import journeymap as jm
>>> a = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
>>> b = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> ax = jm.plot.emotion_curve({"Multichannel": a, "Omnichannel": b})
>>> [t.get_text() for t in ax.get_legend().get_texts()]
['Multichannel', 'Omnichannel']
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from journeymap.i18n import t
from journeymap.plot._common import column_order, literal, literal_ticklabels, resolve_lang
from journeymap.plot._style import BAND, FAINT, INK, SERIES, rc, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from journeymap.model import Journey


def _as_mapping(journeys: Journey | Sequence[Journey] | Mapping[str, Journey]) -> dict[str, Journey]:
    from journeymap.model import Journey

    if isinstance(journeys, Journey):
        return {journeys.title: journeys}
    if isinstance(journeys, Mapping):
        return dict(journeys)
    found: dict[str, Journey] = {}
    for j in journeys:
        found[j.title if j.title not in found else f"{j.title} ({j.id})"] = j
    if not found:
        raise ValueError("emotion_curve needs at least one journey")
    return found


def emotion_curve(journeys: Journey | Sequence[Journey] | Mapping[str, Journey], ax: Axes | None = None,
                  lang: str | None = None, title: str | None = None) -> Axes:
    """Draw the emotion (−2 … +2) of one or more journeys across their stages and return the Axes.

    ``journeys`` is a journey, a list of journeys, or a ``{label: journey}`` mapping (labels go in the
    legend; by default the journeys' titles). Stages are matched by id, so a current and a future
    version of a journey, or two personas on the same stages, line up; each stage is one band and a
    journey's touchpoints in that stage spread evenly across it. Series differ in colour, marker and
    line style, so they stay apart in greyscale and for colour-blind readers.
    """
    import matplotlib.pyplot as plt

    series = _as_mapping(journeys)
    first = next(iter(series.values()))
    lang = resolve_lang(first, lang)
    stages: dict[str, str] = {}
    for j in series.values():
        for stage in j.ordered_stages():
            stages.setdefault(stage.id, stage.name)
    index = {sid: i for i, sid in enumerate(stages)}
    with plt.rc_context(rc()):
        if ax is None:
            fig = plt.figure(figsize=(max(8.0, 1.75 * len(stages) + 1.5), 5.4), layout="constrained")
            ax = fig.add_subplot()
        for i in range(len(stages)):
            ax.axvspan(i, i + 1, color=BAND[i % 2], lw=0, zorder=0)
        ax.axhline(0, color=FAINT, lw=1, zorder=1)
        for n, (label, j) in enumerate(series.items()):
            colour, marker, style = SERIES[n % len(SERIES)]
            xs, ys = [], []
            for sid in stages:
                tps = [tp for tp in column_order(j) if tp.stage == sid]
                for m, tp in enumerate(tps):
                    xs.append(index[sid] + (m + 0.5) / len(tps))
                    ys.append(tp.emotion)
            ax.plot(xs, ys, color=colour, marker=marker, ls=style, lw=2.2, ms=7, mec="white", mew=1.0,
                    label="\n".join(wrap(label, 300, 9, max_lines=2)), zorder=3 + n)
        ax.set_xlim(0, len(stages))
        ax.set_ylim(-2.35, 2.35)
        root = ax.get_figure(root=True)  # the Figure even when ax sits in a SubFigure
        assert root is not None, "an Axes always belongs to a figure"
        width_in = root.get_size_inches()[0] * ax.get_position().width
        per_stage_pt = width_in * 72 / max(1, len(stages)) - 8
        ax.set_xticks([i + 0.5 for i in range(len(stages))])
        literal_ticklabels(ax.xaxis, ["\n".join(wrap(name, per_stage_pt, 9, max_lines=3)) for name in stages.values()])
        ax.tick_params(axis="x", length=0, labelcolor=INK)
        ax.set_yticks([-2, -1, 0, 1, 2])
        literal_ticklabels(ax.yaxis, [f"−2  {t('emotion_very_negative', lang)}", "−1",
                                      f"0  {t('emotion_neutral', lang)}", "+1",
                                      f"+2  {t('emotion_very_positive', lang)}"])
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(title if title is not None else t("emotion_curve", lang), loc="left", parse_math=False)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.1 - 0.04 * max(0, _max_lines(ax) - 1)), frameon=False,
                  ncol=1 if len(series) > 2 else len(series), fontsize=9)
    return literal(ax)


def _max_lines(ax: Axes) -> int:
    return max((label.get_text().count("\n") + 1 for label in ax.get_xticklabels()), default=1)
