"""Suggested changes from customers' words (and survey effort), which the user accepts or rejects.

Nothing here overwrites a value silently: :func:`suggest` returns proposals
(:class:`Suggestion`), and :func:`accept` applies one of them to a *copy* of the
journey — the target's value is set and the field name added to its
``measured`` list (a pain point is appended with ``evidence: observed``).
Everything else stays exactly as it was.

>>> from journeymap.model import Journey
>>> j = Journey(id="d", title="D", stages=[{"id": "s", "name": "S"}],
...             touchpoints=[{"id": "pay", "stage": "s", "channel": "website", "action": "Pay"}])
>>> s = Suggestion(id="emotion:pay", kind="emotion", target="pay", value=-1.5, current=0.0,
...                quotes=(), reason="5 mentions, 80 % negative", reason_es="5 menciones, 80 % negativas")
>>> k = accept(j, s)
>>> k.touchpoint("pay").emotion, k.touchpoint("pay").measured, j.touchpoint("pay").emotion
(-1.5, ['emotion'], 0.0)
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from journeymap.model import Journey, PainPoint, Quote, Touchpoint

#: Fewest tagged mentions for an emotion suggestion.
MIN_MENTIONS = 3
#: Fewest negative mentions, and smallest negative share, for a pain point suggestion.
MIN_NEGATIVE = 3
MIN_SHARE_NEGATIVE = 0.5
#: Fewest CES answers for an effort suggestion.
MIN_CES_N = 30
#: An existing pain point whose text is at least this similar (difflib ratio) already covers a suggestion.
SIMILAR = 0.6

Kind = Literal["emotion", "effort", "pain_point"]


@dataclass(frozen=True)
class Suggestion:
    """One proposed change to one touchpoint, with the evidence behind it.

    ``id`` is stable for the same input (``"emotion:checkout"``, ``"effort:checkout"``,
    ``"pain:checkout:1"``); ``current`` is the user's value now (``None`` for a new
    pain point); ``reason`` / ``reason_es`` say in one line why (``"14 mentions, 71 % negative"``).
    """

    id: str
    kind: Kind
    target: str
    value: float | int | PainPoint
    current: float | int | None
    quotes: tuple[Quote, ...]
    reason: str
    reason_es: str


def _unique_pain_id(journey: Journey, wanted: str) -> str:
    taken = {p.id for p, _ in journey.pain_points()}
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def accept(journey: Journey, suggestion: Suggestion) -> Journey:
    """A copy of ``journey`` with ``suggestion`` applied; ``journey`` itself is not changed.

    Emotion / effort: the value is set and the field name added to the touchpoint's
    ``measured`` list. Pain point: appended to the touchpoint (its id made unique in
    the journey). Raises ``KeyError`` for an unknown target and ``ValueError`` for a
    value out of range or of the wrong kind.
    """
    index = next((i for i, tp in enumerate(journey.touchpoints) if tp.id == suggestion.target), None)
    if index is None:
        raise KeyError(f"no touchpoint {suggestion.target!r} in journey {journey.id!r}")
    old = journey.touchpoints[index]
    data = old.model_dump(by_alias=True)
    if suggestion.kind in ("emotion", "effort"):
        if isinstance(suggestion.value, PainPoint | bool) or not isinstance(suggestion.value, int | float):
            raise ValueError(f"a {suggestion.kind} suggestion needs a number (got {suggestion.value!r})")
        data[suggestion.kind] = suggestion.value
        if suggestion.kind not in data["measured"]:
            data["measured"] = [*data["measured"], suggestion.kind]
    elif suggestion.kind == "pain_point":
        if not isinstance(suggestion.value, PainPoint):
            raise ValueError(f"a pain_point suggestion needs a PainPoint (got {suggestion.value!r})")
        pain = suggestion.value.model_dump(by_alias=True)
        pain["id"] = _unique_pain_id(journey, pain["id"])
        data["pain_points"] = [*data["pain_points"], pain]
    else:
        raise ValueError(f"unknown suggestion kind {suggestion.kind!r}")
    new_tp = Touchpoint.model_validate(data)  # checks the range (emotion −2..2, effort 1..7)
    copy = journey.model_copy(deep=True)
    copy.touchpoints = [*copy.touchpoints[:index], new_tp, *copy.touchpoints[index + 1:]]
    copy.__dict__.pop("_tp_index", None)
    return copy


# -- suggest -----------------------------------------------------------------------------------------
def emotion_from_tone(mean_tone: float) -> float:
    """The emotion (−2..2) for a mean tone (−1..1): twice the tone, to the nearest 0.5.

    >>> [emotion_from_tone(t) for t in (-1, -0.45, -0.1, 0.3, 0.8)]
    [-2.0, -1.0, 0.0, 0.5, 1.5]
    """
    return max(-2.0, min(2.0, round(4 * float(mean_tone)) / 2)) + 0.0


def _pct(share: float) -> int:
    return round(100 * share)


def _num(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "es" else text


def _quote(row: Any) -> Quote:
    date = row["date"] if isinstance(row["date"], str) and row["date"] else None
    lang = row["lang"] if row["lang"] in ("en", "es") else None
    text = str(row["text"])[:2000]
    return Quote(text=text, source=str(row["source"] or "")[:200], date=date, lang=lang, tone=float(row["tone"]))


def _negative_term(rows: pd.DataFrame) -> str | None:
    """The complaint heard most: the negative lexicon words (as customers wrote them, through
    :func:`~journeymap.evidence.tone.explain`) with the largest summed weight over these quotes
    (ties: first seen)."""
    from journeymap.evidence.tone import explain

    weight: dict[str, float] = {}
    for text, lang in zip(rows["text"], rows["lang"], strict=True):
        for term, w in explain(text, lang if lang in ("en", "es") else None):
            if w < 0:
                weight[term] = weight.get(term, 0.0) - w
    return max(weight, key=weight.__getitem__) if weight else None


def _covered(tp: Touchpoint, text: str, phrases: list[str], term: str | None) -> bool:
    """An existing pain point of the touchpoint already covers a suggestion: its words hold one of
    the keywords the negative quotes matched (what customers complain about) or the complaint, or
    its text is similar (difflib ratio ≥ 0.6)."""
    from journeymap.evidence.tone import stem, tokens

    def words(t: str) -> set[str]:
        return {stem(w) for w in tokens(t) if w != "*"}

    subjects = [w for w in (*(words(p) for p in phrases), words(term) if term else set()) if w]
    for pain in tp.pain_points:
        have = words(pain.text)
        if any(subject <= have for subject in subjects):
            return True
        if difflib.SequenceMatcher(None, pain.text.casefold(), text.casefold()).ratio() >= SIMILAR:
            return True
    return False


def _ces_rows(survey: Any) -> dict[str, tuple[float, int]]:
    frame = survey.metrics(by="touchpoint")
    key = "touchpoint" if "touchpoint" in frame.columns else "step"
    out = {}
    for tp, ces, n in zip(frame[key], frame["ces"], frame["ces_n"], strict=True):
        if pd.notna(ces) and pd.notna(n):
            out[str(tp)] = (float(ces), int(n))
    return out


def _pain(tp: Touchpoint, rows: pd.DataFrame, lang: str) -> Suggestion | None:
    from journeymap.evidence.tagger import NEGATIVE, top_quotes

    bad = rows[rows["tone"] < NEGATIVE]
    share = len(bad) / len(rows)
    if len(bad) < MIN_NEGATIVE or share < MIN_SHARE_NEGATIVE:
        return None
    phrase = str(bad["phrase"].value_counts(sort=True).index[0])[:200]
    term = _negative_term(bad)
    said_en, said_es = (f"'{term}'", f"«{term}»") if term else ("problems", "problemas")
    if lang == "es":
        text = f"Los clientes mencionan {said_es} sobre «{phrase}» ({len(bad)} de {len(rows)} menciones negativas)"
    else:
        text = f"Customers report {said_en} about '{phrase}' ({len(bad)} of {len(rows)} mentions negative)"
    if _covered(tp, text, list(bad["phrase"].unique()), term):
        return None
    pain = PainPoint(id=f"voc-{tp.id}"[:80], text=text, severity=int(min(5, max(1, round(1 + 4 * share)))),
                     frequency=round(share, 4), evidence="observed",
                     quotes=[_quote(r) for _, r in top_quotes(bad).iterrows()])
    return Suggestion(
        id=f"pain:{tp.id}:1", kind="pain_point", target=tp.id, value=pain, current=None, quotes=tuple(pain.quotes),
        reason=f"{len(bad)} of {len(rows)} mentions negative ({_pct(share)} %), most said {said_en}",
        reason_es=f"{len(bad)} de {len(rows)} menciones negativas ({_pct(share)} %), lo más dicho: {said_es}")


def suggest(journey: Journey, tagged: pd.DataFrame, survey: Any = None) -> list[Suggestion]:
    """Proposed emotions, pain points (and efforts, from a survey) for ``journey``; nothing is applied.

    From ``tagged`` (:func:`~journeymap.evidence.tagger.tag`), per touchpoint of the journey:

    - **emotion** (``emotion:<tp>``) with at least 3 mentions: :func:`emotion_from_tone` of the
      mean tone;
    - **pain point** (``pain:<tp>:1``) with at least 3 negative mentions (tone < −0.05) making
      at least half of its mentions, unless an existing pain point of the touchpoint already
      covers it (its words hold a keyword the negative quotes matched, or the complaint, or it
      is a similar text: difflib ratio ≥ 0.6). The text
      names the complaint heard most often and the keyword ("Customers report 'wait' about
      'pick up'"), in the journey's language; ``severity`` is ``1 + 4 × share_negative``
      rounded; ``frequency`` is ``share_negative`` — the share of the touchpoint's *mentions*
      that are negative, a stand-in, since quotes cannot tell the share of its visitors who
      suffer it. ``evidence: observed``, with the top negative quotes;
    - **effort** (``effort:<tp>``) from ``survey`` (any object whose ``metrics(by="touchpoint")``
      has ``touchpoint`` (or ``step``), ``ces`` and ``ces_n`` columns) with at least 30 CES
      answers: the mean rounded to a whole number 1..7.

    A suggestion equal to the current value is left out. Same input, same suggestions (ids and
    order: journey order, then emotion, effort, pain point). Tagged touchpoints the journey
    does not have are ignored.
    """
    from journeymap.evidence.tagger import NEGATIVE, top_quotes

    ces = _ces_rows(survey) if survey is not None else {}
    groups = dict(tuple(tagged.groupby("touchpoint", sort=False))) if len(tagged) else {}
    out: list[Suggestion] = []
    for tp in journey.touchpoints:
        rows = groups.get(tp.id)
        if rows is not None and len(rows) >= MIN_MENTIONS:
            n, negative = len(rows), int((rows["tone"] < NEGATIVE).sum())
            share, mean = negative / n, float(rows["tone"].mean())
            value = emotion_from_tone(mean)
            if value != tp.emotion:
                out.append(Suggestion(
                    id=f"emotion:{tp.id}", kind="emotion", target=tp.id, value=value, current=tp.emotion,
                    quotes=tuple(_quote(r) for _, r in top_quotes(rows).iterrows()),
                    reason=f"{n} mentions, {_pct(share)} % negative, mean tone {_num(mean, 'en')}",
                    reason_es=f"{n} menciones, {_pct(share)} % negativas, tono medio {_num(mean, 'es')}"))
        if tp.id in ces and ces[tp.id][1] >= MIN_CES_N:
            mean_ces, n_ces = ces[tp.id]
            effort = int(min(7, max(1, round(mean_ces))))
            if effort != tp.effort:
                out.append(Suggestion(
                    id=f"effort:{tp.id}", kind="effort", target=tp.id, value=effort, current=tp.effort,
                    quotes=(), reason=f"survey CES {_num(mean_ces, 'en')} from {n_ces} answers",
                    reason_es=f"CES de la encuesta {_num(mean_ces, 'es')} con {n_ces} respuestas"))
        if rows is not None:
            pain = _pain(tp, rows, journey.lang)
            if pain is not None:
                out.append(pain)
    return out
