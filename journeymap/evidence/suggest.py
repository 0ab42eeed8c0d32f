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

from dataclasses import dataclass
from typing import Literal

from journeymap.model import Journey, PainPoint, Quote, Touchpoint

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
