"""Text alternatives for every image of a journey, written from the model (no matplotlib needed).

One paragraph, in English or Spanish, says what the picture shows, how much it holds (stages,
touchpoints, pain points, opportunities), the worst stage by friction, the emotion low point and the
worst pain point. Exports use it for the PNG ``Description``, the SVG ``<title>``/``<desc>``, the PDF
subject, the HTML report's ``alt`` attributes and the deck's picture descriptions.

>>> import journeymap as jm
>>> text = alt_text(jm.load(jm.shipped_journey("hotel_stay")), "map", "en")
>>> text.startswith("Journey map of ") and "Worst stage by friction:" in text and "Emotion low point:" in text
True
>>> "Peor etapa por fricción" in alt_text(jm.load(jm.shipped_journey("hotel_stay")), "map", "es")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.i18n import t

if TYPE_CHECKING:
    from journeymap.model import Journey

#: The image kinds with a text alternative (``kind=``), each the i18n key of its name.
KINDS = {"map": "journey_map", "emotion": "emotion_curve", "heatmap": "friction_heatmap", "flow": "channel_flow",
         "priority": "priority_pain", "opportunities": "priority_opportunities", "preview": "journey_map",
         "network": "network"}

_WORDS = {
    "en": {"of": "of", "pains": "pain points", "opps": "opportunities", "worst": "Worst stage by friction",
           "low": "Emotion low point", "at": "at", "in": "in", "top": "Top pain point", "sev": "severity",
           "none": "No pain points", "total": "Total friction", "conv": "expected conversion",
           "part": "This part shows the stages"},
    "es": {"of": "de", "pains": "puntos de dolor", "opps": "oportunidades", "worst": "Peor etapa por fricción",
           "low": "Punto emocional más bajo", "at": "en", "in": "en", "top": "Principal punto de dolor",
           "sev": "gravedad", "none": "Sin puntos de dolor", "total": "Fricción total",
           "conv": "conversión esperada", "part": "Esta parte muestra las etapas"},
}


def top_pain(journey: Journey) -> Any:
    """The worst pain point and where it sits (highest severity, then frequency; file order breaks ties), or None."""
    pains = journey.pain_points()
    if not pains:
        return None
    return max(pains, key=lambda pw: (pw[0].severity, pw[0].frequency, -pains.index(pw)))


def _plain(text: object) -> str:
    """One line of printable text: control characters become spaces, runs of spaces collapse."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return " ".join(cleaned.split())


def _report(journey: Journey, report: Any) -> Any:
    if report is False:
        return None
    if report is not None:
        return report
    try:
        from journeymap.scoring import score
    except ImportError:  # pragma: no cover - scoring ships with journeymap
        return None
    try:
        return score(journey)
    except (ValueError, ArithmeticError):
        return None


def _number(value: float, lang: str, digits: int = 0) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "es" else text


def worst_stage(journey: Journey, report: Any) -> tuple[str, float] | None:
    """The name and reach-weighted friction of the stage with the most friction (``None`` without a report)."""
    if report is None or report.by_stage.empty:
        return None
    frame = report.by_stage
    sid = frame["friction"].astype(float).idxmax()
    return str(frame.loc[sid, "name"]), float(frame.loc[sid, "friction"])


def emotion_low(journey: Journey) -> tuple[str, str, float]:
    """The touchpoint (its action), stage name and emotion of the lowest emotion (file order breaks ties)."""
    tp = min(journey.touchpoints, key=lambda x: x.emotion)
    stages = {s.id: s.name for s in journey.stages}
    return tp.action, stages.get(tp.stage, tp.stage), float(tp.emotion)


def alt_text(journey: Journey, kind: str = "map", lang: str | None = None, report: Any = None,
             part: list[str] | None = None) -> str:
    """The text alternative of image ``kind`` of ``journey`` (one paragraph, plain text).

    ``report``: a FrictionReport (default: ``jm.score(journey)``; ``False`` leaves friction out).
    ``part``: stage names when the image shows only part of the map (a deck slide).
    """
    lang = lang if lang in _WORDS else (journey.lang if journey.lang in _WORDS else "en")
    w = _WORDS[lang]
    report = _report(journey, report)
    chart = t(KINDS.get(kind, "journey_map"), lang)
    stages = [_plain(s.name) for s in journey.ordered_stages()]
    pains = journey.pain_points()
    parts = [f"{chart[:1].upper()}{chart[1:]} {w['of']} “{_plain(journey.title)}”: {len(stages)} {t('stages', lang)} "
             f"({', '.join(stages)}), {len(journey.touchpoints)} {t('touchpoints', lang)}, {len(pains)} {w['pains']}, "
             f"{len(journey.opportunities)} {w['opps']}."]
    if part:
        parts.append(f"{w['part']}: {', '.join(_plain(p) for p in part)}.")
    worst = worst_stage(journey, report)
    if worst is not None:
        parts.append(f"{w['worst']}: {_plain(worst[0])} ({_number(worst[1], lang)}/100).")
    action, stage, emotion = emotion_low(journey)
    parts.append(f"{w['low']}: “{_plain(action)}” {w['in']} {_plain(stage)} ({_number(emotion, lang, 1)}).")
    top = top_pain(journey)
    if top is None:
        parts.append(f"{w['none']}.")
    else:
        pain, where = top
        parts.append(f"{w['top']}: “{_plain(pain.text)}” {w['at']} {_plain(where)} ({w['sev']} {pain.severity}/5).")
    if report is not None:
        parts.append(f"{w['total']} {_number(report.total, lang)}/100, {w['conv']} "
                     f"{_number(100 * report.expected_conversion, lang)}{' %' if lang == 'es' else '%'}.")
    return " ".join(parts)
