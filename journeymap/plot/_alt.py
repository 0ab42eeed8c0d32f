"""Alt text for every chart, written from the model (no matplotlib needed).

Screen-reader users get what the picture says: the journey's title, its stages, how many touchpoints it
has, and its worst pain point (highest severity, then frequency; file order breaks ties).

>>> import journeymap as jm
>>> text = alt_text(jm.load(jm.shipped_journey("hotel_stay")), "map", "en")
>>> text.startswith("Journey map of ") and "touchpoints" in text and "Top pain point:" in text
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.i18n import t

if TYPE_CHECKING:
    from journeymap.model import Journey

_KIND = {"map": "journey_map", "emotion": "emotion_curve", "heatmap": "friction_heatmap", "flow": "channel_flow",
         "priority": "priority_matrix", "preview": "journey_map", "network": "network"}


def top_pain(journey: Journey):
    """The worst pain point and where it sits, or ``None``."""
    pains = journey.pain_points()
    if not pains:
        return None
    return max(pains, key=lambda pw: (pw[0].severity, pw[0].frequency, -pains.index(pw)))


def alt_text(journey: Journey, kind: str = "map", lang: str | None = None, report: Any = None) -> str:
    """One or two plain sentences describing the chart ``kind`` of ``journey`` (``report``: adds total friction)."""
    lang = lang or journey.lang
    chart = t(_KIND.get(kind, "journey_map"), lang)
    stages = [s.name for s in journey.ordered_stages()]
    words = {"of": "de", "stage": "etapas", "top": "Principal punto de dolor", "at": "en", "sev": "gravedad",
             "none": "Sin puntos de dolor", "total": "fricción total"} if lang == "es" else {
             "of": "of", "stage": "stages", "top": "Top pain point", "at": "at", "sev": "severity",
             "none": "No pain points", "total": "total friction"}
    parts = [f"{chart[:1].upper()}{chart[1:]} {words['of']} “{journey.title}”: {len(stages)} {words['stage']} "
             f"({', '.join(stages)}), {len(journey.touchpoints)} {t('touchpoints', lang)}."]
    worst = top_pain(journey)
    if worst is None:
        parts.append(f"{words['none']}.")
    else:
        pain, where = worst
        parts.append(f"{words['top']}: “{pain.text}” {words['at']} {where} ({words['sev']} {pain.severity}/5).")
    total = getattr(report, "total", None)
    if isinstance(total, (int, float)):
        parts.append(f"{words['total'][:1].upper()}{words['total'][1:]} {total:.0f}.")
    return " ".join(parts)
