"""Source of notebooks/05_personas.ipynb."""

from nbtools import code, md, write

CHECK = "# NBVAL_CHECK_OUTPUT\n"

cells = [
    md("""# Personas: the same journey through different eyes

A journey map is always *somebody's* journey. The same bank account opening is easy for a student who lives
on their phone and hard for someone who would rather talk to a person in a branch. This notebook shows the
shipped personas, then walks one journey with different personas to see where it hurts for whom.

> **An assumption to discuss, not a fact:** below we adjust effort and emotion by whether each touchpoint's
> channel is one of the persona's *preferred channels* (one point easier and half a point happier on a
> preferred channel, one point harder and half a point less happy otherwise). In a real project you would
> map each persona's journey with them, or measure it — this is a quick way to start the conversation."""),
    code("""import pandas as pd

import journeymap as jm
from journeymap.paths import PERSONAS_DIR

personas = {p.stem: jm.load_persona(p) for p in sorted(PERSONAS_DIR.glob("*.yaml"))}
len(personas)"""),
    md("""## Who they are"""),
    code(CHECK + """pd.DataFrame([{"name": p.name, "segment": p.segment, "age": p.demographics.get("age"),
               "prefers": ", ".join(p.preferred_channels[:3])} for p in personas.values()],
             index=list(personas))"""),
    code(CHECK + """lucia = personas["lucia_urban_shopper"]
print(lucia.name, "—", lucia.summary)
print("Goals:", *lucia.goals, sep="\\n  • ")
print("Frustrations:", *lucia.frustrations, sep="\\n  • ")
print(f'"{lucia.quote}"')"""),
    md("""## One journey, three personas

We take the bank account opening journey and walk it as three different people."""),
    code("""def through_eyes(journey, persona):
    \"\"\"The journey as `persona` might live it (see the assumption at the top).\"\"\"
    touchpoints = []
    for tp in journey.touchpoints:
        preferred = tp.channel in persona.preferred_channels
        effort = None if tp.effort is None else min(7, max(1, tp.effort + (-1 if preferred else 1)))
        emotion = min(2.0, max(-2.0, tp.emotion + (0.5 if preferred else -0.5)))
        touchpoints.append(tp.model_copy(update={"effort": effort, "emotion": emotion}))
    return journey.model_copy(update={"id": f"{journey.id}_{persona.id}", "persona": persona,
                                      "touchpoints": touchpoints})


bank = jm.load(jm.shipped_journey("bank_account_opening"))
walkers = ["daniel_first_account", "george_retiree_broadband", "aisha_shift_nurse"]
versions = {personas[p].name: through_eyes(bank, personas[p]) for p in walkers}"""),
    code(CHECK + """rows = []
for name, journey in versions.items():
    report = jm.score(journey)
    preferred = sum(tp.channel in journey.persona.preferred_channels for tp in journey.touchpoints)
    rows.append({"persona": name, "touchpoints on preferred channels": preferred,
                 "friction": round(report.total, 1), "worst touchpoint": report.by_touchpoint["friction"].idxmax()})
pd.DataFrame(rows).set_index("persona")"""),
    code("""import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(11, 4.5))
jm.plot.emotion_curve(versions, ax=ax, title="Opening a bank account: emotion by persona")
plt.show()"""),
    md("""Where they differ most, stage by stage (friction 0–100):"""),
    code(CHECK + """pd.DataFrame({name: jm.score(j).by_stage.set_index("name")["friction"] for name, j in versions.items()}).round(1)"""),
    md("""## Browse every journey by persona

The viewer lists the shipped journeys by persona. Pick one, toggle lanes, switch the labels to Spanish, and
overlay the current and future state where a persona has both (Lucía's click & collect)."""),
    code("""jm.widgets.JourneyViewer(jm.paths.JOURNEYS_DIR)"""),
    md("""## Exercise

Write a persona for your own customer (copy a file in `personas/`, change it, keep the id equal to the file
name), then walk the bank journey — or your own — through their eyes with `through_eyes(journey, persona)`.
Which stage hurts most for them? Would you still choose the same first fix?"""),
]

write(cells, "05_personas.ipynb")
