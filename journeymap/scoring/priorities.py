"""Where to act first: pain points by impact, opportunities by friction removed per effort."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.model import Journey
    from journeymap.scoring.report import FrictionReport


def pain_ranking(report: FrictionReport) -> pd.DataFrame:
    """Pain points ranked by ``impact = severity × frequency × reach`` (reach of where they sit).

    >>> import journeymap as jm
    >>> r = jm.score(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
    >>> r.pain_ranking()["impact"].is_monotonic_decreasing
    True
    """
    import pandas as pd

    flows = report.by_transition["flow"]
    rows = []
    for pain, where in report.journey.pain_points():
        reach = flows[where] if "->" in where else report.reach[where]
        rows.append({"id": pain.id, "where": where, "text": pain.text, "severity": pain.severity,
                     "frequency": pain.frequency, "reach": reach,
                     "impact": pain.severity * pain.frequency * reach})
    cols = ["id", "where", "text", "severity", "frequency", "reach", "impact"]
    df = pd.DataFrame(rows, columns=cols).set_index("id")
    return df.sort_values("impact", ascending=False, kind="stable")


def without_pains(journey: Journey, pain_ids: set[str]) -> Journey:
    """A copy of ``journey`` with these pain points removed (as if fixed)."""
    data = journey.model_dump(by_alias=True)
    for owner in ("touchpoints", "transitions"):
        for item in data[owner]:
            item["pain_points"] = [p for p in item["pain_points"] if p["id"] not in pain_ids]
    for opp in data["opportunities"]:
        opp["addresses"] = [p for p in opp["addresses"] if p not in pain_ids]
    from journeymap.model import Journey

    return Journey.model_validate(data)


def opportunity_ranking(report: FrictionReport) -> pd.DataFrame:
    """Opportunities ranked by friction removed (computed by applying them) per unit of effort.

    ``friction_removed`` is the drop in total friction when the pain points an
    opportunity addresses are fixed; ``value``/``effort`` (1..5) give the
    value-vs-effort matrix.
    """
    import pandas as pd

    from journeymap.scoring.report import score

    rows = []
    for opp in report.journey.opportunities:
        fixed = score(without_pains(report.journey, set(opp.addresses)), report.weights)
        removed = report.total - fixed.total
        rows.append({"id": opp.id, "text": opp.text, "addresses": ", ".join(opp.addresses), "value": opp.value,
                     "effort": opp.effort, "friction_removed": removed, "removed_per_effort": removed / opp.effort})
    cols = ["id", "text", "addresses", "value", "effort", "friction_removed", "removed_per_effort"]
    df = pd.DataFrame(rows, columns=cols).set_index("id")
    return df.sort_values("removed_per_effort", ascending=False, kind="stable")
