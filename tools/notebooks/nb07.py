"""Source of notebooks/07_evidence.ipynb."""

from nbtools import code, md, write

CHECK = "# NBVAL_CHECK_OUTPUT\n"

cells = [
    md("""# Designed meets measured: calibrate a journey, attach survey and customer evidence

A map drawn in a workshop is a set of hypotheses. When a strategist presents it, the first question is
*"how do we know?"* — and half of journey-mapping projects fail to drive action because that question has
no answer. This notebook takes a designed journey and brings three kinds of evidence to it:

1. an **event log** (what customers did) calibrates the flow: who goes where, how many start where, who converts;
2. a **survey** (what customers scored) gives NPS, CSAT and CES per step, each with its *n* and 95 % interval;
3. **quotes** (what customers said) are tagged to touchpoints and suggest emotions and pain points —
   which you accept or reject; nothing changes on its own.

Every value then says where it comes from: **observed**, **assumed** or **proposed**, and the map shows it.
The data in `data/` is synthetic (simulated from the shipped journeys; see `data/evidence/README.md`).
Method and thresholds: `docs/evidence.md`."""),
    code("""from pathlib import Path

import pandas as pd

import journeymap as jm

an, ev = jm.analytics, jm.evidence
DATA = Path("../data")  # relative to this notebook

design = jm.load(jm.shipped_journey("classic_social_to_purchase"))
before = jm.score(design)"""),
    md("""The map's cards come from customer interviews (most are `evidence: observed`), but its **flow** — which
share of customers goes from each step to the next — is the team's estimate. `evidence_summary()` says how much
of the journey's reach-weighted friction rests on assumed values, and how much of the flow is measured:"""),
    code(CHECK + """print(before.evidence_summary())"""),
    md("""## 1. Calibrate the flow from the event log

`calibrate` writes into a *copy* of the design what the log measures — transition and entry shares, visits,
times between events, conversion — marks each `evidence: observed` and names the log under `sources:`. The
**drift** report puts every assumed value beside the observed one, ranked by the exact effect of that one
value on expected conversion and friction."""),
    code(CHECK + """events, report = an.read_events(DATA / "events" / "classic_social_to_purchase.csv", case="customer_id",
                                journey=design)
print(report)
cal = an.calibrate(design, events, file="classic_social_to_purchase.csv")
print(cal.drift)"""),
    code("""jm.plot.drift_chart(cal.drift);"""),
    md("""Read the chart from the top: the moves whose measured share changes expected conversion most. Moves the
design lacks (*not designed*) are added to the calibrated journey; a move the log never shows (*never seen*)
gets share 0. Some "not designed" moves here are only a few percent: this log's timestamps are rounded to 5
minutes, so two events of a customer can share a time, and ties keep the file's order — a real export can look
like a customer went backwards. The drift report is where such data questions surface before anyone argues
about the design."""),
    code(CHECK + """table = cal.drift.table
table[table["kind"] == "conversion"][["key", "assumed", "observed", "n", "note"]]"""),
    md("""## 2. Survey answers: metrics with their n

Raw answers (one row per respondent and step) become NPS, CSAT and CES per touchpoint, each with how many
answered and a 95 % interval. Fewer than 30 answers is flagged as a small sample — on the map too."""),
    code(CHECK + """survey = ev.read_survey(DATA / "evidence" / "classic_social_to_purchase_survey.csv", journey=design)
print(survey.report)
survey.metrics()[["step", "nps_n", "nps", "nps_low", "nps_high", "csat_n", "csat", "ces_n", "ces", "small"]].round(1)"""),
    md("""## 3. Customers' words: mentions and suggestions

Each quote is assigned to the touchpoints whose keywords it names (`*_keywords.yaml`: an editable list per
touchpoint, in English and Spanish) and its tone is scored by a small documented lexicon (no model download).
Every assignment says which phrase matched, so you can check it."""),
    code(CHECK + """quotes = ev.read_quotes(DATA / "evidence" / "classic_social_to_purchase_quotes.csv")
keywords = ev.load_keywords(DATA / "evidence" / "classic_social_to_purchase_keywords.yaml", journey=design)
tagged = ev.tag(quotes, keywords)
ev.mentions(tagged)[["touchpoint", "mentions", "negative", "share_negative", "mean_tone"]]"""),
    code("""journey = ev.attach_quotes(survey.attach(cal.journey), tagged, file="classic_social_to_purchase_quotes.csv")
proposals = ev.suggest(journey, tagged, survey=survey)"""),
    code(CHECK + """pd.DataFrame([{"id": s.id, "current": s.current,
               "suggested": s.value.text if s.kind == "pain_point" else s.value, "because": s.reason}
              for s in proposals])"""),
    md("""Nothing has changed yet: these are proposals. In the canvas, `canvas.show_suggestions(proposals)` lists them
with **Accept** / **Reject** (undoable like any edit). Here we accept the ones with at least two thirds of the
mentions negative, and the survey's effort scores, and leave the rest for the team to discuss:"""),
    code(CHECK + """negative = ev.mentions(tagged).set_index("touchpoint")["share_negative"]
chosen = [s for s in proposals if s.kind == "effort" or negative.get(s.target, 0) >= 2 / 3]
for s in chosen:
    journey = ev.accept(journey, s)
print("accepted:", ", ".join(s.id for s in chosen))
after = jm.score(journey)
print(after.evidence_summary())"""),
    md("""## 4. The map, with its evidence

Solid frames are observed, plain ones assumed, dashed ones proposed; a small diamond marks a card with one
measured value; observed moves are solid lines. The survey lane shows each metric with its *n* (small
samples in italics)."""),
    code("""jm.plot.journey_map(journey, report=after);"""),
    code("""jm.plot.journey_map(journey, report=after, lang="es");"""),
    md("""## 5. What changed in the priorities

Calibration changes how many customers reach each pain point; the quotes add pain points the workshop did not
name. The ranking of pains (severity × frequency × reach) and of opportunities (friction removed per unit of
effort) before and after:"""),
    code(CHECK + """def top(report, n=5):
    pains = report.pain_ranking().head(n)
    return pd.DataFrame({"pain point": pains.index, "where": pains["where"].to_numpy(),
                         "impact": pains["impact"].round(3).to_numpy()})


pd.concat({"designed": top(before), "with evidence": top(after)}, axis=1)"""),
    code(CHECK + """opp = pd.concat({"designed": before.opportunity_ranking()["removed_per_effort"],
                 "with evidence": after.opportunity_ranking()["removed_per_effort"]}, axis=1)
opp.round(3).sort_values("with evidence", ascending=False)"""),
    code(CHECK + """print(f"expected conversion: {before.expected_conversion:.3f} designed, {after.expected_conversion:.3f} with evidence")
print(f"friction: {before.total:.1f} designed, {after.total:.1f} with evidence")"""),
    md("""Save the journey with its evidence (here to a temporary folder) — the file keeps every observed block, the
survey metrics with their intervals, the quotes and the `sources:` they came from, so anyone can see where each
number was measured. From the command line the same steps are `journeymap calibrate` and
`journeymap evidence`."""),
    code(CHECK + """import tempfile

out = Path(tempfile.mkdtemp()) / "classic_with_evidence.yaml"
jm.save(journey, out)
again = jm.load(out)
[(s.id, s.kind, s.file, s.rows) for s in again.sources]"""),
]

write(cells, "07_evidence.ipynb")
