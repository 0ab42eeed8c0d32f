"""Conversions between journeymap's stored scales and other common scales.

Stored scales
-------------
* **emotion**: −2 (very negative) … 0 (neutral) … +2 (very positive).
* **effort**: 1 (effortless) … 7 (extremely hard) — the 7-point Customer Effort
  Score read as "how much effort did this take". Surveys that ask the CES 2.0
  question ("the company made it easy", 7 = strongly agree) must be flipped
  with :func:`ces_agreement_to_effort` before they are stored.

Other scales
------------
* **Mermaid** ``journey`` diagrams score tasks with integers 1 (bad) … 5 (good).
* The **common** scale is −1 (worst) … +1 (best), so emotion and effort can be
  drawn and compared on one axis.
"""

from __future__ import annotations

EMOTION_MIN, EMOTION_MAX = -2.0, 2.0
EFFORT_MIN, EFFORT_MAX = 1, 7


def emotion_to_mermaid(emotion: float) -> int:
    """Map an emotion (−2..+2) to Mermaid's integer score 1..5.

    >>> [emotion_to_mermaid(e) for e in (-2, -1, 0, 1, 2)]
    [1, 2, 3, 4, 5]
    >>> emotion_to_mermaid(0.4)
    3
    """
    return int(min(5, max(1, _round_half_up(emotion + 3))))


def mermaid_to_emotion(score: int) -> float:
    """Map a Mermaid score 1..5 back to an emotion −2..+2.

    >>> mermaid_to_emotion(1), mermaid_to_emotion(5)
    (-2.0, 2.0)
    """
    if not 1 <= score <= 5:
        raise ValueError(f"Mermaid score must be between 1 and 5, got {score!r}")
    return float(score - 3)


def effort_to_mermaid(effort: float) -> int:
    """Map an effort (1 effortless .. 7 very hard) to Mermaid 1..5 (5 = good).

    >>> [effort_to_mermaid(e) for e in (1, 4, 7)]
    [5, 3, 1]
    """
    return int(min(5, max(1, _round_half_up(5 - (effort - 1) * 4 / 6))))


def emotion_to_unit(emotion: float) -> float:
    """Emotion on the common −1..+1 scale.

    >>> emotion_to_unit(-2), emotion_to_unit(1)
    (-1.0, 0.5)
    """
    return float(emotion) / 2.0


def unit_to_emotion(value: float) -> float:
    """Inverse of :func:`emotion_to_unit`.

    >>> unit_to_emotion(0.5)
    1.0
    """
    return float(value) * 2.0


def effort_to_unit(effort: float) -> float:
    """Effort on the common −1..+1 scale (+1 = effortless, −1 = extremely hard).

    >>> effort_to_unit(1), effort_to_unit(4), effort_to_unit(7)
    (1.0, 0.0, -1.0)
    """
    return (4.0 - float(effort)) / 3.0


def unit_to_effort(value: float) -> float:
    """Inverse of :func:`effort_to_unit`.

    >>> unit_to_effort(-1.0)
    7.0
    """
    return 4.0 - 3.0 * float(value)


def ces_agreement_to_effort(agreement: float) -> float:
    """Flip a CES 2.0 answer (7 = "strongly agree it was easy") to stored effort.

    >>> ces_agreement_to_effort(7), ces_agreement_to_effort(1)
    (1.0, 7.0)
    """
    return 8.0 - float(agreement)


def _round_half_up(x: float) -> int:
    import math

    return math.floor(x + 0.5)
