"""The health-check rules behind :func:`journeymap.checks.check`.

Each rule takes a journey and yields ``(code, where, params)`` tuples; :mod:`journeymap.checks`
turns them into findings with a severity and text in English or Spanish (see docs/checks.md).

"Not set" means "not written in the file": pydantic records the fields given on construction in
``model_fields_set``, so an ``emotion`` left at its default 0.0 and a ``context`` left at its default
``full`` are told apart from the same values written out.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import networkx as nx

from journeymap.graph import channel_by_touchpoint, entries, exits, flow_graph

if TYPE_CHECKING:
    from journeymap.model import Journey, SurveyMetrics

Hit = tuple[str, str, dict]

#: Share of the friction resting on assumed evidence above which a warning is given.
ASSUMED_LIMIT = 0.5
#: Survey answers below which a metric is a small sample (as ``journeymap score`` marks it).
SMALL_N = 30
#: difflib ratio at or above which two normalised texts count as near-duplicates.
NEAR = 0.9


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pain_without_opportunity(j: Journey) -> Iterator[Hit]:
    addressed = {pid for opp in j.opportunities for pid in opp.addresses}
    for pain, where in j.pain_points():
        if pain.id not in addressed:
            yield "pain-without-opportunity", pain.id, {"id": pain.id, "text": _short(pain.text), "at": where}


def opportunity_addresses_nothing(j: Journey) -> Iterator[Hit]:
    for opp in j.opportunities:
        if not opp.addresses:
            yield "opportunity-addresses-nothing", opp.id, {"id": opp.id, "text": _short(opp.text)}


def missing_emotion_or_effort(j: Journey) -> Iterator[Hit]:
    for tp in j.touchpoints:
        if "emotion" not in tp.model_fields_set and "emotion" not in tp.measured:
            yield "emotion-not-set", tp.id, {"id": tp.id}
        if tp.effort is None:
            yield "effort-not-set", tp.id, {"id": tp.id}


def unreachable_touchpoints(j: Journey) -> Iterator[Hit]:
    g = flow_graph(j)
    starts = entries(j)
    seen = set(starts)
    for start in starts:
        seen |= nx.descendants(g, start)
    for tp in j.touchpoints:
        if tp.id not in seen:
            yield "unreachable-touchpoint", tp.id, {"id": tp.id, "entries": ", ".join(starts)}


def dead_ends(j: Journey) -> Iterator[Hit]:
    """Exits reached on some path that passes no conversion touchpoint (only when any is marked).

    An exit after the conversion (a review after the purchase) is not a dead end: everyone there
    has converted already.
    """
    converting = {tp.id for tp in j.touchpoints if tp.conversion}
    if not converting:
        return
    g = flow_graph(j)
    g.remove_nodes_from(converting)
    seen: set[str] = set()
    for start in entries(j):
        if start in g:
            seen |= {start} | nx.descendants(g, start)
    for tp_id in exits(j):
        if tp_id in seen:
            yield "dead-end-not-conversion", tp_id, {"id": tp_id}


def empty_stages(j: Journey) -> Iterator[Hit]:
    used = {tp.stage for tp in j.touchpoints}
    for stage in j.ordered_stages():
        if stage.id not in used:
            yield "stage-without-touchpoints", stage.id, {"id": stage.id, "name": _short(stage.name)}


def switches_without_context(j: Journey) -> Iterator[Hit]:
    channel = channel_by_touchpoint(j)
    for tr in j.transitions:
        if channel[tr.source] != channel[tr.target] and "context" not in tr.model_fields_set:
            yield "channel-switch-no-context", tr.key, {
                "id": tr.key, "a": channel[tr.source], "b": channel[tr.target]}


def assumed_friction(j: Journey, limit: float = ASSUMED_LIMIT) -> Iterator[Hit]:
    from journeymap.scoring import score

    summary = score(j).evidence_summary()
    if summary.friction_total > 0 and summary.assumed > limit:
        yield "assumed-friction", j.id, {"share": summary.assumed, "limit": limit}


def _small(metrics: SurveyMetrics | None) -> Iterator[tuple[str, int]]:
    if metrics is None:
        return
    for key in ("nps", "csat", "ces"):
        n = getattr(metrics, f"{key}_n")
        if n is None:
            n = metrics.responses
        if getattr(metrics, key) is not None and n is not None and n < SMALL_N:
            yield key, n


def small_samples(j: Journey) -> Iterator[Hit]:
    places = [("stage", s.id, s.metrics) for s in j.stages]
    places += [("touchpoint", tp.id, tp.metrics) for tp in j.touchpoints]
    for kind, place, metrics in places:
        for key, n in _small(metrics):
            yield "small-survey-sample", place, {"metric": key.upper(), "kind": kind, "id": place, "n": n}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _similar(items: list[tuple[str, str]]) -> Iterator[tuple[str, str, float]]:
    """Pairs of ids whose normalised texts match with a difflib ratio ≥ :data:`NEAR`, in list order.

    difflib's ratio is at most 2·(characters in common, as multisets) / (total length) — its
    ``quick_ratio`` bound. That bound is computed for all pairs at once with numpy, and the exact
    ratio only for the pairs it does not rule out, so thousands of texts stay cheap.
    """
    import numpy as np

    texts = [_norm(text) for _, text in items]
    if len(texts) < 2:
        return
    alphabet = {c: k for k, c in enumerate(sorted({c for text in texts for c in text}))}
    counts = np.zeros((len(texts), max(len(alphabet), 1)), dtype=np.int64)
    for i, text in enumerate(texts):
        for c in text:
            counts[i, alphabet[c]] += 1
    lengths = counts.sum(axis=1)
    for i in range(len(texts) - 1):
        common = np.minimum(counts[i], counts[i + 1:]).sum(axis=1)
        maybe = np.nonzero(2 * common >= NEAR * (lengths[i] + lengths[i + 1:]))[0] + i + 1
        if not len(maybe):
            continue
        matcher = difflib.SequenceMatcher(None, "", texts[i], autojunk=False)  # b (texts[i]) is cached
        for j in maybe:
            matcher.set_seq1(texts[j])
            ratio = 1.0 if texts[j] == texts[i] else matcher.ratio()
            if ratio >= NEAR:
                yield items[i][0], items[int(j)][0], ratio


def duplicate_texts(j: Journey) -> Iterator[Hit]:
    groups = {
        "actions": [(tp.id, tp.action) for tp in j.touchpoints],
        "pain_points": [(p.id, p.text) for p, _ in j.pain_points()],
        "opportunities": [(o.id, o.text) for o in j.opportunities],
    }
    for kind, items in groups.items():
        for first, second, ratio in _similar(items):
            yield "duplicate-text", f"{first}, {second}", {"kind": kind, "a": first, "b": second, "ratio": ratio}


#: Every rule, in the order findings are listed.
RULES = (
    unreachable_touchpoints, dead_ends, empty_stages, pain_without_opportunity, opportunity_addresses_nothing,
    missing_emotion_or_effort, switches_without_context, small_samples, duplicate_texts, assumed_friction,
)
