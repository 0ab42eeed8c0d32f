"""What a workshop room adds to a journey: comments and dot-voting rounds (see docs/workshop_room.md).

:class:`Comment` s sit on a touchpoint, a pain point or an opportunity (by id);
a :class:`VoteRound` holds the dots a room gave to pain points and/or
opportunities. Both are plain journey fields (``comments:``, ``votes:``), saved
with the journey and checked like its other references (:func:`room_errors`).

>>> c = Comment(id="c1", target="web", author="Ana", text="Slow page", at="2026-11-30T09:00:00+00:00")
>>> c.resolved
False
>>> VoteRound(id="r1", on="pain_points", dots=3).counts
{}
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)]


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "expected a number, not true/false")
    return value


Count = Annotated[int, Field(ge=0), BeforeValidator(_not_bool)]
#: A participant's name as typed on the join page.
Name = Annotated[str, Field(min_length=1, max_length=60)]


class _RoomModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


def iso_time(value: str) -> str:
    """``value`` if it is an ISO 8601 date-time (``ValueError`` otherwise).

    >>> iso_time("2026-11-30T09:00:00Z")
    '2026-11-30T09:00:00Z'
    """
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("expected an ISO date-time such as 2026-11-30T09:00:00+00:00")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("expected an ISO date-time such as 2026-11-30T09:00:00+00:00") from None
    return value


class Comment(_RoomModel):
    """A remark on a touchpoint, pain point or opportunity, by someone, at some time; resolvable."""

    id: Id
    target: str = Field(max_length=80, description="Id of the touchpoint, pain point or opportunity it is about.")
    author: Name
    text: str = Field(min_length=1, max_length=2000)
    at: str = Field(description="When it was written (ISO date-time).")
    resolved: bool = False

    @field_validator("at")
    @classmethod
    def _at(cls, value: str) -> str:
        return iso_time(value)


class VoteRound(_RoomModel):
    """One dot-voting round: each participant has ``dots`` dots for pain points, opportunities or both."""

    id: Id
    label: str = Field(default="", max_length=200)
    on: Literal["pain_points", "opportunities", "both"] = "both"
    dots: Annotated[int, BeforeValidator(_not_bool)] = Field(default=3, ge=1, le=50,
                                                             description="Dots per participant.")
    open: bool = Field(default=True, description="Are votes still accepted?")
    counts: dict[str, Count] = Field(default_factory=dict, description="Dots per pain point or opportunity id.")
    voters: dict[str, Count] = Field(default_factory=dict, description="Dots used per participant.")


def _error(loc: tuple, value: object, msg: str) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError("reference", "{msg}", {"msg": msg}), loc=loc, input=value)


def targets(data: dict) -> tuple[set[str], set[str], set[str]]:
    """Touchpoint, pain point and opportunity ids of journey ``data``."""
    def items(owner: Any, key: str) -> list[dict]:
        value = owner.get(key) if isinstance(owner, dict) else None
        return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []

    tps = {tp["id"] for tp in items(data, "touchpoints") if isinstance(tp.get("id"), str)}
    pains = {p["id"] for key in ("touchpoints", "transitions") for owner in items(data, key)
             for p in items(owner, "pain_points") if isinstance(p.get("id"), str)}
    opps = {o["id"] for o in items(data, "opportunities") if isinstance(o.get("id"), str)}
    return tps, pains, opps


def votable(on: str, pains: set[str], opps: set[str]) -> set[str]:
    """Ids a round ``on`` pain points, opportunities or both may give dots to."""
    return (pains if on in ("pain_points", "both") else set()) | (opps if on in ("opportunities", "both") else set())


def room_errors(data: dict) -> list[InitErrorDetails]:
    """Broken references of ``comments:`` and ``votes:`` in journey ``data``: unknown targets, duplicate ids,
    more dots used than a round gives."""
    from journeymap.safety import suggest

    tps, pains, opps = targets(data)
    errors: list[InitErrorDetails] = []
    for key in ("comments", "votes"):
        seen: set[str] = set()
        value = data.get(key)
        for i, item in enumerate(value if isinstance(value, list) else []):
            cid = item.get("id") if isinstance(item, dict) else None
            if isinstance(cid, str) and cid in seen:
                errors.append(_error((key, i, "id"), cid, "duplicate value; expected a unique id"))
            if isinstance(cid, str):
                seen.add(cid)
    comments = data.get("comments")
    known = sorted(tps | pains | opps)
    for i, c in enumerate(comments if isinstance(comments, list) else []):
        target = c.get("target") if isinstance(c, dict) else None
        if isinstance(target, str) and target not in tps | pains | opps:
            errors.append(_error(("comments", i, "target"), target,
                                 f"unknown touchpoint, pain point or opportunity; {suggest(target, known)}"))
    votes = data.get("votes")
    for i, r in enumerate(votes if isinstance(votes, list) else []):
        if not isinstance(r, dict):
            continue
        ok = votable(r.get("on", "both") if isinstance(r.get("on"), str) else "both", pains, opps)
        counts, voters, dots = r.get("counts"), r.get("voters"), r.get("dots", 3)
        for target in counts if isinstance(counts, dict) else {}:
            if target not in ok:
                hint = suggest(target, sorted(ok))
                errors.append(_error(("votes", i, "counts", target), target,
                                     f"unknown value; expected an id this round votes on; {hint}"))
        for who, used in (voters.items() if isinstance(voters, dict) else ()):
            if isinstance(used, int) and isinstance(dots, int) and not isinstance(used, bool) and used > dots:
                errors.append(_error(("votes", i, "voters", who), used,
                                     f"too large value; expected at most the round's {dots} dots"))
    return errors
