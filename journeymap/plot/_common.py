"""Helpers shared by the plots: the friction report, column order, labels, and literal text.

User text is never math: matplotlib reads ``$…$`` in any text as mathtext (``"Costs $5 or $10"``
draws italics or raises). Every text a plot draws goes through :func:`literal_text`,
:func:`literal_ticklabels` or :func:`literal` here, which turn mathtext off for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeymap.model import Journey, Touchpoint

#: Text properties that draw a string literally (no mathtext).
LITERAL = {"parse_math": False}


def literal_text(ax: Any, x: float, y: float, s: str, **kwargs: Any) -> Any:
    """``ax.text(x, y, s, **kwargs)`` with mathtext off: ``s`` is drawn exactly as given."""
    return ax.text(x, y, s, **kwargs, **LITERAL)


def map_text(ax: Any, x: float, y: float, s: str, **kwargs: Any) -> Any:
    """:func:`literal_text` for the journey map: a :class:`~journeymap.plot._fast_text.MapText` (drawn quicker).

    Like ``ax.text`` (data coordinates, not clipped, mathtext off), with control characters removed
    (:func:`journeymap.safety.terminal`) as :func:`literal` would.
    """
    from journeymap.plot._fast_text import MapText
    from journeymap.safety import terminal

    text = MapText(x, y, terminal(s), **{"transform": ax.transData, "clip_on": False, **kwargs, **LITERAL})
    # What ``ax.text`` does, less its clip box (unused: the text is not clipped; ~5 % of building a map).
    add = getattr(ax, "_add_text", None)
    add(text) if add is not None else ax.add_artist(text)
    return text


def literal_ticklabels(axis: Any, labels: list[str], **kwargs: Any) -> list:
    """``axis.set_ticklabels(labels)`` (an ``ax.xaxis``/``ax.yaxis``, ticks already set) with mathtext off."""
    return axis.set_ticklabels(list(labels), **kwargs, **LITERAL)


def literal(artist: Any) -> Any:
    """Turn mathtext off for every text in ``artist`` (an Axes, a Legend, a Figure); returns ``artist``.

    Each plot calls it on its Axes last, so titles, axis labels, tick labels and legend entries made
    anywhere in the plot are drawn literally too. Control characters (ESC, BEL, …), which no font can
    draw, are removed (:func:`journeymap.safety.terminal`).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_title("Costs $5 or $10"); _ = ax.legend(["$x$"], loc="best")
    >>> all(not t.get_parse_math() for t in literal(ax).findobj(lambda a: hasattr(a, "get_parse_math")))
    True
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    from journeymap.safety import terminal

    for found in artist.findobj(Text):
        found.set_parse_math(False)
        text = found.get_text()
        if terminal(text) != text:
            found.set_text(terminal(text))
    return artist


#: Pass ``report=NO_REPORT`` (or ``False``) to draw without friction.
NO_REPORT = False


def friction_report(journey: Journey, report: Any = None) -> Any:
    """The :class:`FrictionReport` to colour by: ``report`` if given, else ``jm.score(journey)``.

    Returns ``None`` when ``report`` is ``False``, or when the journey cannot be scored because
    customers could loop in it forever (it is then drawn without friction).
    """
    if report is False:
        return None
    if report is not None:
        return report
    from journeymap.scoring import EndlessLoopError, score

    try:
        return score(journey)
    except EndlessLoopError:
        return None


def column_order(journey: Journey) -> list[Touchpoint]:
    """Touchpoints left to right: by stage order, then file order within a stage.

    >>> import journeymap as jm
    >>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    >>> [tp.id for tp in column_order(j)][:3]
    ['ig_ad', 'product_page', 'size_chat']
    """
    rank = {s.id: i for i, s in enumerate(journey.ordered_stages())}
    return sorted(journey.touchpoints, key=lambda tp: rank[tp.stage])


def short_label(journey: Journey, channel_id: str) -> str:
    """A channel's short label (≤ 6 characters), made from its id when the file gives none.

    >>> import journeymap as jm
    >>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
    >>> short_label(j, "instagram")
    'IG'
    """
    channel = journey.channel_info(channel_id)
    return channel.short or channel.id.replace("_", "")[:5].upper()


def resolve_lang(journey: Journey, lang: str | None) -> str:
    """``lang`` if given (``"en"``/``"es"``), else the journey's own language."""
    chosen = lang or journey.lang
    if chosen not in ("en", "es"):
        raise ValueError(f"lang must be 'en' or 'es', got {chosen!r}")
    return chosen


def touchpoint_friction(report: Any) -> dict[str, float]:
    """Friction per touchpoint id from a report (empty without one)."""
    if report is None:
        return {}
    frame = report.by_touchpoint
    return {str(k): float(v) for k, v in frame["friction"].items()}


def touchpoint_reach(report: Any) -> dict[str, float]:
    """Reach (0..1) per touchpoint id from a report (empty without one)."""
    if report is None or "reach" not in report.by_touchpoint.columns:
        return {}
    return {str(k): float(v) for k, v in report.by_touchpoint["reach"].items()}
