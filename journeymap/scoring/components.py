"""The five friction components of a touchpoint, each normalised to 0..1.

* **effort** — ``(effort − 1) / 6`` (CES 1 → 0, 7 → 1; unknown effort counts 0).
* **emotion** — negative emotion only: ``max(0, −emotion) / 2``.
* **pain** — the chance a customer meets at least one pain point, each pain point
  counting ``severity/5 × frequency``: ``1 − Π(1 − severity/5 × frequency)``.
  Pain points on incoming transitions count in proportion to the customers who
  arrive through them.
* **wait** — ``log(1 + t) / log(1 + cap)`` capped at 1, with
  ``t = wait_min + duration_weight × duration_min`` (minutes).
* **handoff** — for customers arriving from another channel: the transition's
  penalty (context none > partial > full, plus more when not recognised),
  averaged over all arrivals (entries and same-channel arrivals count 0).

>>> from journeymap.model import Touchpoint, PainPoint
>>> tp = Touchpoint(id="t", stage="s", channel="web", action="a", effort=4, emotion=-1,
...                 pain_points=[PainPoint(id="p", text="x", severity=5, frequency=0.5)])
>>> effort_part(tp), emotion_part(tp), pain_part(tp.pain_points)
(0.5, 0.5, 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from journeymap.model import PainPoint, Touchpoint
from journeymap.scoring.weights import Weights


def effort_part(tp: Touchpoint) -> float:
    """Effort on 0..1 (unknown effort counts as none)."""
    return 0.0 if tp.effort is None else (tp.effort - 1) / 6


def emotion_part(tp: Touchpoint) -> float:
    """Negative emotion on 0..1 (positive emotion does not offset other friction)."""
    return max(0.0, -tp.emotion) / 2


def pain_hit(pain: PainPoint) -> float:
    """How much one pain point hurts: ``severity / 5 × frequency`` (0..1)."""
    return pain.severity / 5 * pain.frequency


def pain_part(pains: Iterable[PainPoint]) -> float:
    """Combined pain on 0..1: the chance of being hurt by at least one (independent) pain point."""
    spared = 1.0
    for pain in pains:
        spared *= 1.0 - pain_hit(pain)
    return 1.0 - spared


def wait_part(tp: Touchpoint, weights: Weights) -> float:
    """Waiting (plus a share of active time) on a log scale, 0..1."""
    minutes = (tp.wait_min or 0.0) + weights.duration_weight * (tp.duration_min or 0.0)
    return min(1.0, math.log1p(minutes) / math.log1p(weights.wait_cap_min))
