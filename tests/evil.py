"""A journey whose user texts are markup: every HTML output must show them as text and run nothing."""

from __future__ import annotations

import journeymap as jm

EVIL_A, EVIL_B = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"


def evil_journey() -> jm.Journey:
    """The omnichannel retail journey with markup in its title, stage, action, persona, pain and opportunity."""
    j = jm.load(jm.shipped_journey("retail_bopis_omnichannel")).model_copy(deep=True)
    j.title = f"Evil {EVIL_A} {EVIL_B}"
    j.description = EVIL_B
    j.stages[0].name = f"Stage {EVIL_B}"
    j.touchpoints[0].action = f"Action {EVIL_A} {EVIL_B}"
    j.touchpoints[0].thoughts = EVIL_B
    j.persona.name = f"Persona {EVIL_A}"
    j.persona.goals = [EVIL_B]
    j.touchpoints[1].pain_points[0].text = f"Pain {EVIL_A}"
    j.opportunities[0].text = f"Opportunity {EVIL_B}"
    return j
