"""A short text summary of a journey (what ``journeymap info`` prints)."""

from __future__ import annotations

from collections import Counter

from journeymap.graph import cross_channel_transitions, entries, exits
from journeymap.i18n import t
from journeymap.model import Journey


def describe(journey: Journey, lang: str = "en") -> str:
    """Stages, touchpoints per stage, channels per kind, and the flow's shape.

    >>> import journeymap as jm
    >>> text = describe(jm.load(jm.shipped_journey("retail_bopis_omnichannel")))
    >>> text.splitlines()[0].startswith("retail_bopis_omnichannel:")
    True
    """
    persona = journey.persona_obj()
    who = persona.name if persona else (journey.persona or "—")
    lines = [
        f"{journey.id}: {journey.title}",
        f"  {t('persona', lang)}: {who} · {t('state', lang)}: {t(journey.state, lang)} · "
        f"{t('info_lang', lang)}: {journey.lang}",
    ]
    per_stage = Counter(tp.stage for tp in journey.touchpoints)
    lines.append(f"  {t('stages', lang)} ({len(journey.stages)}):")
    for stage in journey.ordered_stages():
        lines.append(f"    {stage.name:<28} {per_stage[stage.id]:>3} {t('touchpoints', lang)}")
    per_channel = Counter(tp.channel for tp in journey.touchpoints)
    lines.append(f"  {t('channels', lang)} ({len(per_channel)}):")
    for ch_id, n in per_channel.most_common():
        ch = journey.channel_info(ch_id)
        lines.append(f"    {ch.name(lang):<28} {n:>3}  ({t(ch.kind, lang)})")
    n_pain = len(journey.pain_points())
    lines.append(
        f"  {t('touchpoints', lang)}: {len(journey.touchpoints)} · {t('transitions', lang)}: "
        f"{len(journey.transitions)} · {t('cross_channel', lang)}: {len(cross_channel_transitions(journey))}"
    )
    lines.append(
        f"  {t('pain_points', lang)}: {n_pain} · {t('opportunities', lang)}: {len(journey.opportunities)}"
    )
    lines.append(f"  {t('entries', lang)}: {', '.join(entries(journey))} · "
                 f"{t('exits', lang)}: {', '.join(exits(journey))}")
    return "\n".join(lines)
