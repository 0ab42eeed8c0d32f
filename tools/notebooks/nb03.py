"""Source of notebooks/03_friction_scoring.ipynb (run, then strip: see tools/notebooks/README.md)."""

from nbtools import code, md, write

CHECK = "# NBVAL_CHECK_OUTPUT\n"

cells = [
    md("""# Friction scoring: where does the journey hurt, and what should we fix first?

A journey map shows *what* happens. A friction score says **where it hurts and how much**, in numbers you can
defend in a meeting — because every number breaks down into the parts that made it.

journeymap scores each touchpoint from **0 (smooth) to 100 (as bad as it gets)** from five components:
**effort** (Customer Effort Score 1–7), **negative emotion**, **pain points** (severity × share of customers
affected), **waiting**, and the **handoff** when customers switch channel and lose their context. Stage,
channel and journey scores weight each touchpoint by its **reach** — how many customers get there. The method,
with a worked example, is in `docs/friction.md`.

We use a telecom technical-support journey: a broadband customer whose connection fails."""),
    code("""import journeymap as jm

journey = jm.load(jm.shipped_journey("telecom_tech_support"))
report = jm.score(journey)
print(journey.title)
print("The fault counts as fixed at:", [t.id for t in journey.touchpoints if t.conversion])"""),
    code(CHECK + """print(f"Journey friction:    {report.total:5.1f} / 100")
print(f"Continuity index:    {report.continuity:5.1f} / 100   (context carried across channel switches)")
print(f"Expected conversion: {report.expected_conversion:6.1%}        (customers whose fault gets fixed)")"""),
    md("""## Which stages hurt most?

Each stage's friction is the reach-weighted mean of its touchpoints; the columns `effort` … `handoff` are the
points each component contributes, so they add up to `friction`."""),
    code(CHECK + """report.by_stage.round(1)"""),
    code("""import matplotlib.pyplot as plt

from journeymap.scoring import COMPONENTS

stages = report.by_stage
fig, ax = plt.subplots(figsize=(9, 3.8))
left = [0.0] * len(stages)
colors = ["#0072B2", "#D55E00", "#CC79A7", "#E69F00", "#009E73"]  # colour-blind-safe (Okabe–Ito)
for component, color in zip(COMPONENTS, colors, strict=True):
    ax.barh(stages["name"], stages[component], left=left, color=color, label=component)
    left = [a + b for a, b in zip(left, stages[component], strict=True)]
ax.invert_yaxis()
ax.set_xlabel("friction points (0–100)")
ax.set_title("Friction by stage, split into its components")
ax.legend(ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
fig.tight_layout()
plt.show()"""),
    md("""## The worst touchpoints, explained

`report.by_touchpoint` has one row per touchpoint. `reach` is the expected number of visits per customer —
above 1 where customers loop (call again, retry)."""),
    code(CHECK + """worst = report.by_touchpoint.sort_values("friction", ascending=False).head(5)
worst[["stage", "channel", "reach", "friction"]].round(2)"""),
    code(CHECK + """print(report.explain(worst.index[0]))"""),
    md("""## Where stages meet channels

The stage × channel grid shows which channel hurts in which stage (empty where the channel is not used)."""),
    code("""report.matrix().round(0).style.background_gradient(cmap="Oranges", axis=None).format(precision=0, na_rep="")"""),
    md("""## The omnichannel scorecard

The four components of an omnichannel strategy — channel integration, data, personalisation and brand
coherence — each from 0 to 100, plus how many customers finish in a different channel from the one they
started in, and how often they have to repeat themselves."""),
    code(CHECK + """card = report.scorecard
for component, row in card.iterrows():
    value = "n/a" if row["value"] != row["value"] else f"{row['value']:.1f}"
    print(f"{component:<22} {value:>6}  {row['explanation']}")"""),
    md("""## What to fix first

**Pain points** rank by `severity × frequency × reach`: a severe problem that few customers meet can matter
less than a moderate one that everybody meets."""),
    code(CHECK + """report.pain_ranking()[["where", "severity", "frequency", "reach", "impact"]].head(6).round(2)"""),
    md("""**Opportunities** rank by the friction they remove — journeymap removes the pain points each one addresses
and scores the journey again — per unit of effort (1–5). `value` and `effort` are the team's own estimates:
together they make the value-vs-effort matrix."""),
    code(CHECK + """report.opportunity_ranking()[["value", "effort", "friction_removed", "removed_per_effort"]].round(2)"""),
    md("""## What if…?

`jm.what_if` applies changes — fix pain points, carry context across a channel switch, recognise the customer —
and compares the result with the original. Here: the two best opportunities, plus carrying the context and
recognising the customer on every channel switch (one case history that every channel can see)."""),
    code(CHECK + """best = report.opportunity_ranking().index[:2]
fixes = [pain for opp in journey.opportunities if opp.id in best for pain in opp.addresses]
changed, comparison = jm.what_if(journey, fix=fixes, carry_context="all", recognise="all")
print(comparison.summary())"""),
    code(CHECK + """comparison.by_stage.round(1)"""),
    md("""## Your own weights

The default weights are a starting point, not a law. A team that cares most about channel handoffs can say
so — and see whether the ranking changes. Weights can also live in a YAML file (`journeymap score FILE
--weights my_weights.yaml`)."""),
    code(CHECK + """handoff_first = jm.score(journey, weights={"handoff": 0.5, "effort": 0.2, "emotion": 0.1, "pain": 0.15,
                                         "wait": 0.05})
print(f"default weights: {report.total:.1f}   handoff-first weights: {handoff_first.total:.1f}")
handoff_first.by_touchpoint.sort_values("friction", ascending=False).head(3)[["channel", "friction"]].round(1)"""),
    md("""## Survey results beside the score

Friction is a model; surveys are what customers said. `jm.metrics` computes **NPS** (% promoters 9–10 minus
% detractors 0–6), **CSAT** (% of 4–5 answers on 1–5) and **CES** (mean on 1–7) from raw answers, and the
result can be attached to a touchpoint or stage so it appears beside the friction score."""),
    code(CHECK + """from journeymap import metrics

after_call = metrics.survey(nps_answers=[2, 6, 9, 4, 10, 5, 7, 3], ces_answers=[6, 7, 5, 6, 4, 7, 6, 5])
print(f"NPS {after_call.nps:+.0f}   CES {after_call.ces:.2f}   ({after_call.responses} responses)")

call = journey.touchpoint("phone_call").model_copy(update={"metrics": after_call})
with_survey = journey.model_copy(update={"touchpoints": [call if t.id == "phone_call" else t
                                                         for t in journey.touchpoints]})
jm.score(with_survey).by_touchpoint.loc[["phone_call"], ["friction", "nps", "ces"]].round(1)"""),
    md("""## Explore it yourself

Move the weights and tick what-if changes; the totals, the rankings, the heatmap and the scorecard follow."""),
    code("""jm.widgets.FrictionExplorer(journey)"""),
    md("""## From the command line

The same numbers, for scripts and spreadsheets:

```
journeymap score data/journeys/telecom_tech_support.yaml --by stage
journeymap score data/journeys/telecom_tech_support.yaml --by touchpoint --format csv > friction.csv
journeymap compare data/journeys/retail_bopis_multichannel.yaml data/journeys/retail_bopis_omnichannel.yaml
```

Next: `04_multichannel_vs_omnichannel.ipynb` compares the same journey run multichannel and omnichannel."""),
]

write(cells, "03_friction_scoring.ipynb")
