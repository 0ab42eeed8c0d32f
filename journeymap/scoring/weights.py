"""Friction weights and penalties, with documented defaults (see docs/friction.md).

>>> Weights().effort, Weights(effort=2).effort
(0.3, 2.0)
>>> load_weights({"pain": 0.5}).pain
0.5
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from journeymap.errors import JourneyError, Problem, format_loc, lower_first
from journeymap.model import not_bool

#: A weight: a finite number ≥ 0 (true/false, NaN and infinities are errors).
W = Annotated[float, BeforeValidator(not_bool)]

COMPONENTS = ("effort", "emotion", "pain", "wait", "handoff")


class Weights(BaseModel):
    """How much each friction component counts, and the penalties behind them."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    effort: W = Field(default=0.30, ge=0, description="Weight of customer effort (CES 1..7).")
    emotion: W = Field(default=0.20, ge=0, description="Weight of negative emotion.")
    pain: W = Field(default=0.25, ge=0, description="Weight of pain points (severity × frequency).")
    wait: W = Field(default=0.10, ge=0, description="Weight of waiting and duration.")
    handoff: W = Field(default=0.15, ge=0, description="Weight of cross-channel handoffs.")
    context_none: W = Field(default=0.6, ge=0, le=1, description="Handoff penalty when no context travels.")
    context_partial: W = Field(default=0.3, ge=0, le=1, description="Handoff penalty for partial context.")
    unrecognised: W = Field(default=0.4, ge=0, le=1, description="Extra penalty: customer not recognised.")
    wait_cap_min: W = Field(default=10_080, gt=1, description="Minutes of waiting that count as worst (a week).")
    duration_weight: W = Field(default=0.25, ge=0, le=1, description="Share of active time that counts as waiting.")

    @model_validator(mode="after")
    def _some_weight(self) -> Weights:
        if not math.isfinite(self.total):
            raise ValueError("the component weights are too large to add up; scale them down")
        if self.total <= 0:
            raise ValueError("at least one component weight must be above 0")
        return self

    @property
    def total(self) -> float:
        """Sum of the component weights (contributions are normalised by it)."""
        return sum(getattr(self, c) for c in COMPONENTS)

    def penalty(self, context: str, recognised: bool) -> float:
        """Handoff penalty (0..1) of one cross-channel transition.

        >>> Weights().penalty("none", False), Weights().penalty("full", True)
        (1.0, 0.0)
        """
        base = {"none": self.context_none, "partial": self.context_partial}.get(context, 0.0)
        return min(1.0, base + (0.0 if recognised else self.unrecognised))


def load_weights(source: Weights | dict[str, Any] | str | Path | None, name: str = "weights") -> Weights:
    """Weights from a :class:`Weights`, a dict, a YAML file path, or ``None`` (defaults).

    Bad values raise :class:`~journeymap.errors.JourneyError` naming the file and field.
    """
    if source is None:
        return Weights()
    if isinstance(source, Weights):
        return source
    if isinstance(source, str | Path):
        from journeymap.io import read_text
        from journeymap.yamlmap import parse

        path = Path(source)
        name = str(path)
        doc = parse(read_text(path), name)  # strict: duplicate keys, huge numbers, alias bombs refused
        if doc.data is None:
            doc.data = {}
        if not isinstance(doc.data, dict):
            raise JourneyError([Problem(name, "", "expected a mapping of weights", type(doc.data).__name__)])
        source = doc.data
    else:
        doc = None
    try:
        return Weights.model_validate(source)
    except ValidationError as exc:
        raise JourneyError([
            Problem(name, format_loc(tuple(e["loc"])), lower_first(e["msg"]),
                    e.get("input") if e["loc"] else None, doc.line(tuple(e["loc"])) if doc else None)
            for e in exc.errors(include_url=False)
        ]) from None
