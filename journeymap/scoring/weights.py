"""Friction weights and penalties, with documented defaults (see docs/friction.md).

>>> Weights().effort, Weights(effort=2).effort
(0.3, 2.0)
>>> load_weights({"pain": 0.5}).pain
0.5
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from journeymap.errors import JourneyError, Problem, format_loc

COMPONENTS = ("effort", "emotion", "pain", "wait", "handoff")


class Weights(BaseModel):
    """How much each friction component counts, and the penalties behind them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    effort: float = Field(default=0.30, ge=0, description="Weight of customer effort (CES 1..7).")
    emotion: float = Field(default=0.20, ge=0, description="Weight of negative emotion.")
    pain: float = Field(default=0.25, ge=0, description="Weight of pain points (severity × frequency).")
    wait: float = Field(default=0.10, ge=0, description="Weight of waiting and duration.")
    handoff: float = Field(default=0.15, ge=0, description="Weight of cross-channel handoffs.")
    context_none: float = Field(default=0.6, ge=0, le=1, description="Handoff penalty when no context travels.")
    context_partial: float = Field(default=0.3, ge=0, le=1, description="Handoff penalty for partial context.")
    unrecognised: float = Field(default=0.4, ge=0, le=1, description="Extra penalty: customer not recognised.")
    wait_cap_min: float = Field(default=10_080, gt=1, description="Minutes of waiting that count as worst (a week).")
    duration_weight: float = Field(default=0.25, ge=0, le=1, description="Share of active time that counts as waiting.")

    @model_validator(mode="after")
    def _some_weight(self) -> Weights:
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
        from journeymap.io import _parse_yaml

        path = Path(source)
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise JourneyError([Problem(name, "", "file not found or unreadable")]) from None
        data = _parse_yaml(text, name) or {}
        if not isinstance(data, dict):
            raise JourneyError([Problem(name, "", "expected a mapping of weights", type(data).__name__)])
        source = data
    try:
        return Weights.model_validate(source)
    except ValidationError as exc:
        raise JourneyError([
            Problem(name, format_loc(tuple(e["loc"])), e["msg"], e.get("input") if e["loc"] else None)
            for e in exc.errors(include_url=False)
        ]) from None
