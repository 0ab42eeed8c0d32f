"""Source of notebooks/08_paths_time_money.ipynb."""

from nbtools import code, md, write

CHECK = "# NBVAL_CHECK_OUTPUT\n"

cells = [
    md("""# Paths, time, segments, attribution you can trust — and the money

What product-analytics and attribution tools are asked most, on the same event log and journeys as the rest
of the workbench:

1. **paths** — where customers go after a step (or came from), and where those who left a funnel went;
2. **time** — how long converting takes, and which steps are slow;
3. **segments** — the same analytic per group, with a test of whether the difference is real;
4. **attribution** — which channels earn the conversions, by six models, each with a bootstrap interval;
5. **money** — what a journey costs per customer, what broken handoffs cost, and what fixing them saves.

The log is synthetic (simulated from the shipped journeys, see `tools/make_events.py`)."""),
    code("""from pathlib import Path

import journeymap as jm

an = jm.analytics
DATA = Path("../data")  # relative to this notebook
events, report = an.read_events(DATA / "events" / "classic_social_to_purchase.csv", case="customer_id")
print(report)"""),
    md("""## 1. Paths from a step

From the website, where do customers go next — five steps deep? Each node counts the customers who reach it
through that prefix (anchored at each customer's first visit of the step) and how many of them convert
afterwards. `top=` keeps the largest branches and groups the rest as *(other)*."""),
    code(CHECK + """tree = an.paths_from(events, "website_browse", depth=5, top=4, conversion="checkout")
tree[tree["level"] <= 2][["level", "prefix", "activity", "customers", "share", "conversion"]].round(3)"""),
    code("""jm.plot.path_flow(tree);"""),
    md("""Backwards: how did the customers who bought get to the checkout?"""),
    code(CHECK + """back = an.paths_from(events, "checkout", depth=3, direction="backward", top=3)
back[back["level"] == 1][["activity", "customers", "share"]]"""),
    md("""Customers who left a funnel: of those who reached the blog but never the website, where did they go?"""),
    code(CHECK + """gone = an.paths_after_dropoff(events, ["tiktok_video", "blog_post", "website_browse"], 2, depth=2, top=4)
gone[gone["level"] == 1][["activity", "customers", "share"]]"""),
    md("""## 2. Time

Time to convert, from each customer's first event to their first purchase: the median says what is typical,
p90 how long the slow tail waits."""),
    code(CHECK + """ttc = an.time_to_convert_distribution(events, "checkout")
print(f"median {ttc.median / 60:.1f} h, p90 {ttc.p90 / 60:.1f} h over {len(ttc.minutes)} converting customers")"""),
    code("""jm.plot.time_to_convert_chart(ttc, kind="ecdf");"""),
    code(CHECK + """edges = an.time_between(events)
edges.sort_values("median_min", ascending=False).head(5).round(1)"""),
    code("""jm.plot.edge_time_chart(edges, top=10);"""),
    md("""## 3. Segments: is the difference real?

Conversion by the channel each customer started on, with the difference to the largest group, its 95 %
interval and p-value. Small groups are flagged: a difference there is a question, not an answer."""),
    code(CHECK + """test = an.conversion_test(events, "first_channel", "checkout")
test.round(4)"""),
    code("""jm.plot.segment_comparison(test);"""),
    md("""An A/B view: the same shop before integration (multichannel) and after (omnichannel), one log per journey,
labelled and compared. Here both logs are simulated, so the "experiment" is illustrative."""),
    code(CHECK + """multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
omni = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
logs = {"multichannel": an.simulate(multi, customers=1500, seed=1, identities=False),
        "omnichannel": an.simulate(omni, customers=1500, seed=2, identities=False)}
ab = an.ab_test(an.concat_logs(logs, case="customer_id"), "variant", "checkout", control="multichannel",
                case="customer_id")
ab.round(4)"""),
    md("""## 4. Attribution you can trust

Six models side by side — first, last, linear, position-based (40/20/40), Shapley and the exact Markov removal
effect — each with a 95 % bootstrap interval (200 resamples of customers, seeded, so the table is reproducible).
Where the intervals of two channels overlap, the data does not tell them apart."""),
    code(CHECK + """paths = an.conversion_paths(events, "checkout")
table = an.attribution_table(paths, models="all", ci=True, n_boot=200, seed=0)
table.round(1)"""),
    code("""jm.plot.attribution_comparison(table);"""),
    md("""## 5. The money

Every channel has a cost per contact (catalogue defaults are illustrative — a call ≈ 5.25, an e-mail ≈ 4.42, a
chat ≈ 3.82, after ContactBabel — and every journey or a YAML file can override them). `jm.economics` prices
each touchpoint's reach and the repeats that lost context causes; `what_if` shows the money beside friction and
conversion."""),
    code(CHECK + """from journeymap.cost_to_serve import money

for journey in (multi, omni):
    e = jm.economics(journey)
    print(f"{journey.id}: {money(e.cost_per_customer, e.currency)} per customer, "
          f"of which repeats {money(e.repeat_cost, e.currency)}; no cost for {e.missing}")"""),
    code(CHECK + """changed, comparison = jm.what_if(multi, carry_context="all", recognise="all")
print(comparison.money_sentence())"""),
    md("""The omnichannel twin costs less per customer than the multichannel journey, and the difference is mostly the
repeats: customers who are not recognised tell their story again, and each retelling is a paid contact.
`journeymap economics FILE`, `journeymap paths`, `journeymap segments` and `journeymap attribution --models all
--ci` give the same tables from the command line."""),
]

write(cells, "08_paths_time_money.ipynb")
