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


def _pain_raw(report: FrictionReport, tp_id: str, removed: set[str]) -> float:
    """The pain component (0..1) of one touchpoint with the pain points ``removed`` fixed — the same
    formula as :func:`~journeymap.scoring.report.score`, from the report's reach and flows."""
    from journeymap.scoring.components import pain_hit, pain_part

    tp = report.journey.touchpoint(tp_id)
    spared = 1.0 - pain_part([p for p in tp.pain_points if p.id not in removed])
    arrivals = report.reach[tp_id]
    flows = report.by_transition["flow"]
    for tr in report.journey.transitions:
        if tr.target != tp_id:
            continue
        part = flows[tr.key] / arrivals if arrivals > 0 else 0.0
        for pain in tr.pain_points:
            if pain.id not in removed:
                spared *= 1.0 - part * pain_hit(pain)
    return 1.0 - spared


def friction_removed(report: FrictionReport, pain_ids: set[str]) -> float:
    """How much the journey's total friction drops when these pain points are fixed.

    Fixing a pain point changes only the pain component of the touchpoint it sits on (or that its
    transition leads to); reach and every other component stay, so the drop is computed from the report
    itself, without scoring the journey again — custom weights included.

    >>> import journeymap as jm
    >>> r = jm.score(jm.load(jm.shipped_journey("retail_bopis_multichannel")), weights={"pain": 3})
    >>> fixed = jm.score(without_pains(r.journey, {"ivr_wait"}), r.weights)
    >>> abs(friction_removed(r, {"ivr_wait"}) - (r.total - fixed.total)) < 1e-9
    True
    """
    w = report.weights
    df = report.by_touchpoint
    touched = set()
    for pain, where in report.journey.pain_points():
        if pain.id in pain_ids:
            touched.add(where.split("->")[1] if "->" in where else where)
    weight = df["reach"].where(df["reach"] > 0, 0.0)
    total_weight = float(weight.sum())
    pain_now = report.components["pain"].astype(float).to_dict()
    drop = 0.0
    for tp_id in touched:
        before = pain_now[tp_id]
        after = _pain_raw(report, tp_id, pain_ids)
        points = 100.0 * w.pain * (before - after) / w.total
        drop += points * (float(weight[tp_id]) / total_weight if total_weight > 0 else 1.0 / len(df))
    return drop


def opportunity_ranking(report: FrictionReport) -> pd.DataFrame:
    """Opportunities ranked by friction removed per unit of effort.

    ``friction_removed`` is the drop in total friction when the pain points an
    opportunity addresses are fixed (:func:`friction_removed`: computed from the report, which is not scored
    again); ``value``/``effort`` (1..5) give the value-vs-effort matrix.
    """
    import pandas as pd

    rows = []
    for opp in report.journey.opportunities:
        removed = friction_removed(report, set(opp.addresses))
        rows.append({"id": opp.id, "text": opp.text, "addresses": ", ".join(opp.addresses), "value": opp.value,
                     "effort": opp.effort, "friction_removed": removed, "removed_per_effort": removed / opp.effort})
    cols = ["id", "text", "addresses", "value", "effort", "friction_removed", "removed_per_effort"]
    df = pd.DataFrame(rows, columns=cols).set_index("id")
    return df.sort_values("removed_per_effort", ascending=False, kind="stable")
