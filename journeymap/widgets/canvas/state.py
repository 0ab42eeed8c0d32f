"""The state the canvas draws: plain JSON built from the journey and its score.

Python computes everything (friction from :func:`journeymap.score`, the same function the rest of the
package uses); the browser only draws what it is sent.
"""

from __future__ import annotations

import functools
from typing import Any

from journeymap.i18n import _TABLE, t
from journeymap.model import Journey

#: Channel-chip background per channel kind: white text on each is ≥ 7:1 (WCAG AAA).
KIND_COLOURS = {
    "digital_owned": "#1e40af", "social": "#9d174d", "messaging": "#166534",
    "human_assisted": "#9a3412", "physical": "#5b21b6", "paid_media": "#374151",
}
_LABEL_KEYS = [k for k in _TABLE if k.startswith(("canvas_", "rv_"))] + [
    "stage", "touchpoint", "channel", "emotion", "effort", "friction", "pain_points", "opportunities",
    "backstage", "share", "context", "recognised", "lane_emotion", "lane_friction", "total_friction",
    "expected_conversion", "severity_short", "frequency_short", "value_short", "effort_short", "yes", "no",
    "lane_actions", "lane_thoughts", "lane_pain_points", "lane_opportunities", "lane_backstage",
    "emotion_very_negative", "emotion_very_positive", "emotion_neutral", "line_of_visibility", "drill_down",
]


def labels(lang: str) -> dict[str, str]:
    """Every label the canvas shows, in ``lang`` (from :mod:`journeymap.i18n`)."""
    return dict(_labels(lang))


@functools.lru_cache(maxsize=8)
def _labels(lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((key, t(key, lang)) for key in _LABEL_KEYS)


def _num(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def build_state(journey: Journey, lang: str | None = None) -> dict[str, Any]:
    """The canvas state for ``journey``: stages with their cards, transitions, opportunities and totals."""
    lang = lang or journey.lang
    friction: dict[str, float] = {}
    totals: dict[str, Any] = {"friction": None, "continuity": None, "conversion": None, "error": None}
    try:
        from journeymap.scoring import score

        report = score(journey)
        friction = {str(k): float(v) for k, v in report.by_touchpoint["friction"].to_dict().items()}
        totals.update(friction=_num(report.total, 1), continuity=_num(report.continuity, 1),
                      conversion=_num(report.expected_conversion, 4))
    except Exception as exc:  # an unscorable journey (e.g. a closed loop) still draws, with the reason
        totals["error"] = str(exc)
    from journeymap.hierarchy import details

    linked = details(journey)
    opps_by_pain: dict[str, list[str]] = {}
    for opp in journey.opportunities:
        for pain_id in opp.addresses:
            opps_by_pain.setdefault(pain_id, []).append(opp.id)
    cards: dict[str, Any] = {}
    channels: dict[str, dict[str, str]] = {}
    for tp in journey.touchpoints:
        if tp.channel not in channels:
            ch = _channel(journey, tp.channel)
            channels[tp.channel] = {"id": tp.channel, "name": ch.name(lang) if ch else tp.channel,
                                    "colour": KIND_COLOURS.get(ch.kind if ch else "", "#374151")}
        cards[tp.id] = {
            "id": tp.id, "stage": tp.stage, "action": tp.action, "thoughts": tp.thoughts,
            "emotion": tp.emotion, "effort": tp.effort, "wait_min": tp.wait_min, "evidence": tp.evidence,
            "conversion": tp.conversion, "backstage": list(tp.backstage), "detail": linked.get(tp.id),
            "channel": dict(channels[tp.channel]),
            "pains": [_pain(p, opps_by_pain) for p in tp.pain_points],
            "friction": _num(friction.get(tp.id), 1),
        }
    by_stage: dict[str, list[str]] = {}
    for tp in journey.touchpoints:
        by_stage.setdefault(tp.stage, []).append(tp.id)
    stages = [{"id": s.id, "name": s.name, "goal": s.goal, "cards": by_stage.get(s.id, [])}
              for s in journey.ordered_stages()]
    transitions = [{"key": tr.key, "from": tr.source, "to": tr.target, "share": tr.share, "context": tr.context,
                    "recognised": tr.recognised, "pains": [_pain(p, opps_by_pain) for p in tr.pain_points]}
                   for tr in journey.transitions]
    opportunities = {o.id: {"id": o.id, "text": o.text, "value": o.value, "effort": o.effort,
                            "addresses": list(o.addresses)} for o in journey.opportunities}
    return {"title": journey.title, "lang": lang, "stages": stages, "cards": cards, "transitions": transitions,
            "opportunities": opportunities, "totals": totals, "labels": labels(lang), "room": room_state(journey)}


def room_state(journey: Journey) -> dict[str, Any]:
    """What the workshop room added, for the canvas: the latest voting round and its dots per pain point /
    opportunity id, and the comments per target id (oldest first; ``when`` as ``YYYY-MM-DD HH:MM``).

    >>> import journeymap as jm
    >>> room_state(jm.load(jm.shipped_journey("hotel_stay")))
    {'round': None, 'dots': {}, 'comments': {}}
    """
    from journeymap.exporting_room import when

    latest = journey.votes[-1] if journey.votes else None
    comments: dict[str, list[dict[str, Any]]] = {}
    for c in journey.comments:
        comments.setdefault(c.target, []).append({"id": c.id, "author": c.author, "when": when(c.at), "text": c.text,
                                                  "resolved": c.resolved})
    return {"round": None if latest is None else {"id": latest.id, "label": latest.label or latest.id,
                                                  "on": latest.on, "open": latest.open},
            "dots": {} if latest is None else {k: int(v) for k, v in latest.counts.items() if v},
            "comments": comments}


def _channel(journey: Journey, channel: str) -> Any:
    try:
        return journey.channel_info(channel)
    except KeyError:
        return None


def _pain(pain: Any, opps_by_pain: dict[str, list[str]]) -> dict[str, Any]:
    return {"id": pain.id, "text": pain.text, "severity": pain.severity, "frequency": pain.frequency,
            "opportunities": opps_by_pain.get(pain.id, [])}
