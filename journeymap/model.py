"""The journey model: one pydantic class per concept, validated on construction.

A :class:`Journey` is a graph of :class:`Touchpoint` s (nodes) linked by
:class:`Transition` s (edges), grouped in :class:`Stage` s and seen through a
:class:`Persona`. Pain points sit on touchpoints or on transitions;
opportunities address pain points.

Example
-------
>>> j = Journey(id="demo", title="Demo",
...             stages=[{"id": "buy", "name": "Purchase"}],
...             touchpoints=[{"id": "web", "stage": "buy", "channel": "website", "action": "Browse"},
...                          {"id": "pay", "stage": "buy", "channel": "store", "action": "Pay"}])
>>> [(t.source, t.target) for t in j.transitions]   # omitted transitions link file order
[('web', 'pay')]
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal, cast

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    ModelWrapValidatorHandler,
    Tag,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from journeymap.channels import CATALOGUE, Channel
from journeymap.model_room import Comment, VoteRound
from journeymap.references import as_details, raise_all, reference_error, reference_errors

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        max_length=80,
        description="Identifier: letters, digits, '_', '-' or '.', starting with a letter or digit.",
    ),
]
Text = Annotated[str, Field(max_length=2000)]


def not_bool(value: Any) -> Any:
    """Refuse ``true``/``false`` where a number is expected (pydantic would read them as 1 and 0).

    >>> not_bool(3)
    3
    """
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "expected a number, not true/false")
    return value


#: A number field: true/false, NaN and infinities are errors, not guesses.
Number = BeforeValidator(not_bool)
Emotion = Annotated[float, Field(ge=-2, le=2, description="−2 very negative … +2 very positive."), Number]
Effort = Annotated[int, Field(ge=1, le=7, description="1 effortless … 7 extremely hard (CES)."), Number]
Share = Annotated[float, Field(ge=0, le=1, description="Share of customers, 0..1."), Number]
Minutes = Annotated[float, Field(ge=0, description="Minutes."), Number]
Score5 = Annotated[int, Field(ge=1, le=5), Number]
Count = Annotated[int, Field(ge=0), Number]
#: Where a value comes from: measured in data, assumed in a workshop, or proposed for the future.
Evidence = Literal["observed", "assumed", "proposed"]
#: An amount of money (a cost or a value): 0 or more.
Money = Annotated[float, Field(ge=0, le=1e9), Number]
Interval = Annotated[list[Annotated[float, Number]], Field(min_length=2, max_length=2,
                                                           description="95 % interval [low, high].")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=False,
                              allow_inf_nan=False)


class Persona(_Model):
    """Who travels the journey: a specific, named sketch of a customer segment."""

    id: Id
    name: str = Field(min_length=1, max_length=200)
    summary: Text = ""
    segment: str = Field(default="", max_length=200, description="Segment the persona stands for.")
    demographics: dict[str, str | int | float] = Field(
        default_factory=dict, description="Free key/value facts: age, occupation, location, …"
    )
    goals: list[Text] = Field(default_factory=list)
    motivations: list[Text] = Field(default_factory=list)
    frustrations: list[Text] = Field(default_factory=list)
    preferred_channels: list[str] = Field(
        default_factory=list, description="Channel ids, most preferred first."
    )
    quote: Text = ""

    @model_validator(mode="wrap")
    @classmethod
    def _known_channels(cls, data: Any, handler: ModelWrapValidatorHandler[Persona]) -> Persona:
        channels = data.get("preferred_channels") if isinstance(data, dict) else None
        unknown = [
            reference_error(("preferred_channels", i), ch, "a channel id from the catalogue")
            for i, ch in enumerate(channels if isinstance(channels, list) else [])
            if isinstance(ch, str) and ch not in CATALOGUE
        ]
        try:
            persona = handler(data)
        except ValidationError as exc:  # every problem at once, channels included
            raise ValidationError.from_exception_data("Persona", as_details(exc) + unknown) from None
        raise_all("Persona", unknown)
        return persona


class Source(_Model):
    """One data set behind observed values: an event log, a survey or a file of quotes."""

    id: Id
    kind: Literal["events", "survey", "quotes"] = Field(description="What the data set is.")
    file: str = Field(default="", max_length=500, description="File name it was read from.")
    customers: Count | None = Field(default=None, description="Customers (or respondents) in it.")
    rows: Count | None = Field(default=None, description="Events, responses or quotes in it.")
    start: str | None = Field(default=None, max_length=40, description="First date in it (ISO).")
    end: str | None = Field(default=None, max_length=40, description="Last date in it (ISO).")
    conversion: Share | None = Field(
        default=None, description="Share of its customers who reached a conversion touchpoint.")
    note: Text = ""


class Spread(_Model):
    """Median and quartiles of a time, in minutes."""

    median: Minutes
    q1: Minutes
    q3: Minutes


class Observed(_Model):
    """What an event log measured at a touchpoint (written by :func:`journeymap.analytics.calibrate`)."""

    source: str = Field(description="Id of the journey's source it comes from.")
    customers: Count = Field(description="Customers who visited at least once.")
    visits: Count = Field(description="Events (visits), repeats included.")
    entries: Count = Field(default=0, description="Customers who started here.")
    exits: Count = Field(default=0, description="Customers whose last event is here.")
    gap_min: Spread | None = Field(default=None, description="Time from the previous event to this one.")


class ObservedMove(_Model):
    """What an event log measured on a transition."""

    source: str = Field(description="Id of the journey's source it comes from.")
    count: Count = Field(description="Moves seen from this touchpoint straight to the next.")
    gap_min: Spread | None = Field(default=None, description="Time between the two events.")


class Quote(_Model):
    """A verbatim customer quote (review, transcript, survey comment) kept as evidence."""

    text: Text = Field(min_length=1)
    source: str = Field(default="", max_length=200, description="Where it comes from (review site, survey…).")
    date: str | None = Field(default=None, max_length=40, description="When it was said (ISO date).")
    lang: Literal["en", "es"] | None = None
    tone: Annotated[float, Field(ge=-1, le=1), Number] | None = Field(
        default=None, description="Tone from the lexicon, −1 negative … +1 positive.")


class SurveyMetrics(_Model):
    """Survey results measured at a touchpoint or stage (see :mod:`journeymap.metrics`).

    With raw responses (:func:`journeymap.evidence.read_survey`) each metric keeps
    its number of answers (``*_n``) and 95 % interval (``*_ci``).
    """

    nps: Annotated[float, Field(ge=-100, le=100), Number] | None = Field(
        default=None, description="Net Promoter Score, −100..100.")
    csat: Annotated[float, Field(ge=0, le=100), Number] | None = Field(
        default=None, description="CSAT: % of 4–5 answers on 1–5.")
    ces: Annotated[float, Field(ge=1, le=7), Number] | None = Field(
        default=None, description="Mean Customer Effort Score, 1..7.")
    responses: Annotated[int, Field(ge=0), Number] | None = Field(
        default=None, description="Number of responses behind the figures.")
    nps_n: Count | None = Field(default=None, description="Answers behind the NPS.")
    csat_n: Count | None = Field(default=None, description="Answers behind the CSAT.")
    ces_n: Count | None = Field(default=None, description="Answers behind the CES.")
    nps_ci: Interval | None = None
    csat_ci: Interval | None = None
    ces_ci: Interval | None = None
    source: str = Field(default="", max_length=80, description="Id of the journey's source (a survey).")


class Stage(_Model):
    """A phase of the journey (awareness, consideration, purchase, …)."""

    id: Id
    name: str = Field(min_length=1, max_length=200)
    goal: Text = Field(default="", description="What the customer wants to achieve here.")
    order: Annotated[int, Number] | None = Field(
        default=None, description="Position left to right; defaults to the position in the file."
    )
    metrics: SurveyMetrics | None = None
    detail: str | None = Field(
        default=None, max_length=500,
        description="A sub-journey file that details this stage's one touchpoint (see docs/hierarchy.md).")


class PainPoint(_Model):
    """Something that hurts. ``severity`` 1 (annoying) … 5 (blocking)."""

    id: Id
    text: Text = Field(min_length=1)
    severity: Score5 = 3
    frequency: Share = Field(default=0.5, description="Share of customers affected (0..1).")
    evidence: Evidence = "assumed"
    quotes: list[Quote] = Field(default_factory=list, description="Customer quotes behind it.")


class Opportunity(_Model):
    """An improvement idea. ``value`` and ``effort`` are 1 (low) … 5 (high)."""

    id: Id
    text: Text = Field(min_length=1)
    addresses: list[str] = Field(default_factory=list, description="Pain point ids it relieves.")
    value: Score5 = 3
    effort: Score5 = 3


class Touchpoint(_Model):
    """One interaction between the customer and the brand, on one channel."""

    id: Id
    stage: str = Field(description="Id of the stage it belongs to.")
    channel: str = Field(description="Channel id (catalogue or the journey's own channels).")
    action: Text = Field(min_length=1, description="What the customer does.")
    thoughts: Text = Field(default="", description="What the customer thinks or says.")
    emotion: Emotion = 0.0
    effort: Effort | None = None
    duration_min: Minutes | None = Field(default=None, description="Active time, minutes.")
    wait_min: Minutes | None = Field(default=None, description="Waiting time, minutes.")
    backstage: list[Text] = Field(default_factory=list, description="What the company does unseen.")
    evidence: Evidence = Field(default="assumed", description="Where its values come from.")
    measured: list[Literal["emotion", "effort", "duration_min", "wait_min"]] = Field(
        default_factory=list, description="Values taken from data (survey, quotes, logs) on an otherwise "
                                          "assumed or proposed touchpoint.")
    pain_points: list[PainPoint] = Field(default_factory=list)
    conversion: bool = Field(
        default=False, description="Reaching this touchpoint counts as converting (e.g. the purchase)."
    )
    entry_share: Share | None = Field(
        default=None, description="Share of customers who start here (default: split over the entries)."
    )
    personalised: bool | None = Field(default=None, description="Is the experience adapted to the customer?")
    on_brand: bool | None = Field(default=None, description="Same brand message and tone as other channels?")
    metrics: SurveyMetrics | None = None
    observed: Observed | None = Field(default=None, description="What an event log measured here.")
    quotes: list[Quote] = Field(default_factory=list, description="Customer quotes about this touchpoint.")
    detail: str | None = Field(
        default=None, max_length=500,
        description="A sub-journey file that details this step, relative to this file (see docs/hierarchy.md).")


class Transition(_Model):
    """A move from one touchpoint to the next.

    ``share`` is the share of customers at ``from`` who go on to ``to``; the
    shares leaving a touchpoint may sum to less than 1 (the rest drop out).
    """

    source: str = Field(alias="from", description="Touchpoint id the customer leaves.")
    target: str = Field(alias="to", description="Touchpoint id the customer reaches.")
    share: Share = 1.0
    context: Literal["none", "partial", "full"] = Field(
        default="full", description="How much context travels with the customer."
    )
    recognised: bool = Field(default=True, description="Is the customer recognised on arrival?")
    pain_points: list[PainPoint] = Field(default_factory=list)
    evidence: Evidence = Field(default="assumed", description="Where its share comes from.")
    observed: ObservedMove | None = Field(default=None, description="What an event log measured here.")

    @property
    def key(self) -> str:
        """``"from->to"``, the transition's name in reports and what-if lists."""
        return f"{self.source}->{self.target}"


def _cost_errors(data: dict) -> list:
    """A ``costs:`` key that is neither a catalogue channel nor one of the journey's own channels."""
    costs, own = data.get("costs"), {c.get("id") if isinstance(c, dict) else getattr(c, "id", None)
                                      for c in data.get("channels") or []}
    return [reference_error(("costs", key), key, "a channel id from the catalogue or the journey's channels")
            for key in (costs if isinstance(costs, dict) else ()) if key not in CATALOGUE and key not in own]


def _persona_form(value: object) -> str:
    return "ref" if isinstance(value, str) else "inline"


#: A persona given inline, or by id (resolved from ``personas/`` by :func:`journeymap.load`).
PersonaRef = (
    Annotated[Annotated[Persona, Tag("inline")] | Annotated[Id, Tag("ref")], Discriminator(_persona_form)]
    | None
)


class Journey(_Model):
    """A customer journey: stages, touchpoints and the transitions between them."""

    model_config = ConfigDict(
        json_schema_extra={"title": "journeymap journey"}, extra="forbid", populate_by_name=True
    )

    id: Id
    title: str = Field(min_length=1, max_length=300)
    description: Text = ""
    persona: PersonaRef = Field(
        default=None, description="A persona id (resolved from personas/) or an inline persona."
    )
    lang: Literal["en", "es"] = "en"
    state: Literal["current", "future"] = "current"
    channels: list[Channel] = Field(default_factory=list, description="Channels not in the catalogue.")
    stages: list[Stage] = Field(min_length=1)
    touchpoints: list[Touchpoint] = Field(min_length=1)
    transitions: list[Transition] = Field(
        # None is a sentinel for "omitted": the validator below always replaces it with a list.
        default=cast("list[Transition]", None),
        description="Omit to link the touchpoints in file order.",
        validate_default=False,
    )
    opportunities: list[Opportunity] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list, description="Data sets behind observed values.")
    value_per_conversion: Money | None = Field(
        default=None, description="What one conversion is worth, in `currency` (see docs/economics.md).")
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$",
                          description="ISO 4217 code of the money amounts (EUR, USD, GBP, …).")
    costs: dict[str, Money] = Field(default_factory=dict, description="Cost per contact by channel id, "
                                    "overriding the catalogue's illustrative defaults and the journey's channels.")
    comments: list[Comment] = Field(default_factory=list, description="Remarks on touchpoints, pain points and "
                                    "opportunities (docs/workshop_room.md).")
    votes: list[VoteRound] = Field(default_factory=list, description="Dot-voting rounds of a workshop room.")

    @model_validator(mode="wrap")
    @classmethod
    def _check(cls, data: Any, handler: ModelWrapValidatorHandler[Journey]) -> Journey:
        # Cross-references are checked even when fields fail, so every problem shows at once.
        try:
            journey = handler(data)
        except ValidationError as exc:
            if not isinstance(data, dict):
                raise
            raise ValidationError.from_exception_data(
                "Journey", as_details(exc) + reference_errors(data) + _cost_errors(data)) from None
        if journey.transitions is None:
            tps = journey.touchpoints
            journey.transitions = [
                Transition(source=a.id, target=b.id) for a, b in itertools.pairwise(tps)
            ]
        for i, stage in enumerate(journey.stages):
            if stage.order is None:
                stage.order = i
        data = journey.model_dump(by_alias=True)
        raise_all("Journey", reference_errors(data) + _cost_errors(data))
        return journey

    # -- lookups -------------------------------------------------------------
    def channel_info(self, channel_id: str) -> Channel:
        """The :class:`~journeymap.channels.Channel` for an id used in this journey."""
        for ch in self.channels:
            if ch.id == channel_id:
                return ch
        return CATALOGUE[channel_id]

    def touchpoint(self, tp_id: str) -> Touchpoint:
        """The touchpoint with this id (``KeyError`` if none); O(1) through an index checked on each use."""
        tps = self.touchpoints
        pos = self.__dict__.get("_tp_index", {}).get(tp_id)
        if pos is not None and pos < len(tps) and tps[pos].id == tp_id:
            return tps[pos]
        index = {tp.id: i for i, tp in enumerate(tps)}  # first build, or the list changed since
        self.__dict__["_tp_index"] = index
        if tp_id not in index:
            raise KeyError(tp_id)
        return tps[index[tp_id]]

    def ordered_stages(self) -> list[Stage]:
        """Stages sorted by ``order`` (ties keep file order)."""
        return sorted(self.stages, key=lambda s: s.order or 0)

    def pain_points(self) -> list[tuple[PainPoint, str]]:
        """Every pain point with where it sits: a touchpoint id or a ``from->to`` key."""
        found = [(p, tp.id) for tp in self.touchpoints for p in tp.pain_points]
        found += [(p, tr.key) for tr in self.transitions for p in tr.pain_points]
        return found

    def persona_obj(self) -> Persona | None:
        """The persona if resolved (``None`` when absent or only an id)."""
        return self.persona if isinstance(self.persona, Persona) else None

    def to_networkx(self, kind: str = "full"):
        """The journey as a ``networkx.DiGraph``; see :func:`journeymap.graph.to_networkx`."""
        from journeymap.graph import to_networkx

        return to_networkx(self, kind=kind)

    def to_frame(self):
        """One row per touchpoint; see :func:`journeymap.frames.to_frame`."""
        from journeymap.frames import to_frame

        return to_frame(self)
