"""The HTML report's "Workshop" section: the voting rounds (the room's view vs the model's) and the comments.

Used by :func:`journeymap.exporting.report_html`; empty when the journey has neither ``votes:`` nor
``comments:``. Every user text (item texts, round labels, authors, comments) is escaped.

>>> import journeymap as jm
>>> from journeymap.model_room import Comment
>>> j = jm.load(jm.shipped_journey("hotel_stay"))
>>> workshop_html(j, None, "en")
''
>>> c = Comment(id="c1", target=j.touchpoints[0].id, author="Ana", text="<b>hi</b>", at="2026-11-30T09:00:00Z")
>>> html = workshop_html(j.model_copy(update={"comments": [c]}), None, "en")
>>> "&lt;b&gt;hi&lt;/b&gt;" in html and "<b>hi</b>" not in html
True
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

from journeymap.i18n import t

if TYPE_CHECKING:
    from journeymap.model import Journey
    from journeymap.model_room import Comment, VoteRound

#: Styles of the section (added to the report's own).
CSS = """
.workshop ol.comments { list-style: none; padding: 0; margin: 0 0 12px; }
.workshop ol.comments li { border-left: 3px solid #0072B2; padding: 4px 10px; margin: 0 0 8px; }
.workshop ol.comments li.resolved { border-left-color: #9AA5B1; color: #52606D; }
.workshop ol.comments li.resolved .text { text-decoration: line-through; }
.workshop .who { font-size: 12px; color: #52606D; }
.workshop .tag { font-size: 12px; border: 1px solid #52606D; border-radius: 3px; padding: 0 4px; margin-left: 6px; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def target_text(journey: Journey, target: str) -> str:
    """What a comment or a dot is about, in words: a touchpoint's action, a pain point's or an opportunity's
    text (the id when it is none of them)."""
    for tp in journey.touchpoints:
        if tp.id == target:
            return tp.action
    for pain, _ in journey.pain_points():
        if pain.id == target:
            return pain.text
    for opp in journey.opportunities:
        if opp.id == target:
            return opp.text
    return target


def when(at: str) -> str:
    """An ISO date-time as ``2026-11-30 09:05`` (the text itself when it does not parse)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(at).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def _round_html(journey: Journey, r: VoteRound, report: Any, lang: str) -> str:
    from journeymap.votes import vote_ranking

    title = t("rv_round", lang).format(r.label or r.id)
    facts = [t(f"rv_on_{r.on}", lang), t("rv_dots_each", lang).format(r.dots),
             t("rv_participants", lang).format(len(r.voters)), t("rv_open" if r.open else "rv_closed", lang)]
    parts = [f"<h3>{_e(title)}</h3><p class='meta'>{_e(' · '.join(facts))}</p>"]
    if report is None:
        return "".join(parts)
    table = vote_ranking(journey, round=r.id, report=report)
    voted = table[table["dots"] > 0]
    if not len(voted):
        parts.append(f"<p>{_e(t('rv_no_dots', lang))}</p>")
        return "".join(parts)
    head = "".join(f"<th{' class=num' if num else ''}>{_e(t(key, lang))}</th>" for key, num in (
        ("rv_item", False), ("rv_kind", False), ("rv_dots", True), ("rv_room_rank", True), ("rv_model_rank", True)))
    rows = [f"<tr><td>{_e(row['text'])}</td><td>{_e(t('rv_kind_' + row['kind'], lang))}</td>"
            f"<td class='num'>{int(row['dots'])}</td><td class='num'>{int(row['room_rank'])}</td>"
            f"<td class='num'>{int(row['model_rank'])}</td></tr>" for _, row in voted.iterrows()]
    parts.append(f"<div class='scroll'><table class='votes'><tr>{head}</tr>{''.join(rows)}</table></div>")
    if len(table) > len(voted):
        parts.append(f"<p class='meta'>{_e(t('rv_unvoted', lang).format(len(table) - len(voted)))}</p>")
    for kind, rho in table.attrs.get("spearman", {}).items():
        value = t("rv_spearman_none", lang) if math.isnan(rho) else f"{rho:.2f}"
        parts.append(f"<p>{_e(t('rv_spearman', lang).format(t('rv_kind_' + kind, lang), value))}</p>")
    return "".join(parts)


def _comment_html(journey: Journey, c: Comment, lang: str) -> str:
    tag = f"<span class='tag'>{_e(t('rv_resolved', lang))}</span>" if c.resolved else ""
    return (f"<li{' class=resolved' if c.resolved else ''}><div class='who'>{_e(c.author)} · {_e(when(c.at))} · "
            f"{_e(t('rv_on', lang))} {_e(target_text(journey, c.target))}{tag}</div>"
            f"<div class='text'>{_e(c.text)}</div></li>")


def workshop_html(journey: Journey, report: Any, lang: str) -> str:
    """The section as HTML text ('' when the journey has no voting rounds and no comments). Without a
    ``report`` (the journey could not be scored) the rounds are listed without the ranking."""
    if not journey.votes and not journey.comments:
        return ""
    parts = [_round_html(journey, r, report, lang) for r in journey.votes]
    if journey.votes and report is not None:
        parts.append(f"<p class='meta'>{_e(t('rv_model_note', lang))}</p>")
    open_ = [c for c in journey.comments if not c.resolved]
    done = [c for c in journey.comments if c.resolved]
    parts.append(f"<h3>{_e(t('rv_open_comments', lang).format(len(open_)))}</h3>")
    parts.append(f"<ol class='comments'>{''.join(_comment_html(journey, c, lang) for c in open_)}</ol>" if open_
                 else f"<p class='meta'>{_e(t('rv_no_comments', lang))}</p>")
    if done:
        parts.append(f"<h3>{_e(t('rv_resolved_comments', lang).format(len(done)))}</h3>")
        parts.append(f"<ol class='comments'>{''.join(_comment_html(journey, c, lang) for c in done)}</ol>")
    return (f"<h2>{_e(t('rv_workshop', lang))}</h2>"
            f"<div class='card workshop'>{''.join(parts)}</div>")
