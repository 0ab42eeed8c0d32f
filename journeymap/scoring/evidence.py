"""How much of a journey's friction rests on observed, assumed or proposed values.

The rule (docs/friction.md, "Evidence"): a touchpoint's friction component rests on
**observed** evidence when the touchpoint is ``evidence: observed``, or when the value was
measured on an otherwise assumed/proposed card: effort ← ``"effort" in measured``, emotion ←
``"emotion" in measured``, wait ← ``"wait_min" in measured``, pain ← the pain points marked
``evidence: observed`` (their share of the pain part, in proportion to each pain point's hit
``severity/5 × frequency``, transit pain points weighted by the share of customers arriving
through them). Handoff is never observed on a card that is not (context and recognition do not
show in a log). What is not observed is **proposed** on a ``proposed`` card, **assumed** otherwise.

:func:`evidence_summary` splits the journey's reach-weighted friction ``Σ reach × points`` into
the three shares (they sum to 1) and gives the share of the flow (entries plus transition
flows) that rests on observed shares.

>>> import journeymap as jm
>>> s = jm.score(jm.load(jm.shipped_journey("retail_bopis_omnichannel"))).evidence_summary()
>>> s.assumed, s.observed, s.proposed    # a future-state map: every card is proposed
(0.0, 0.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from journeymap.scoring.components import pain_hit
from journeymap.scoring.weights import COMPONENTS

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.model import Journey, PainPoint, Touchpoint
    from journeymap.scoring.report import FrictionReport

EVIDENCE = ("observed", "assumed", "proposed")
_MEASURED = {"effort": "effort", "emotion": "emotion", "wait": "wait_min"}


def _fallback(tp: Touchpoint) -> str:
    return "proposed" if tp.evidence == "proposed" else "assumed"


def component_evidence(tp: Touchpoint, component: str,
                       transit: list[tuple[PainPoint, float]] | None = None) -> dict[str, float]:
    """The evidence behind one friction component of ``tp``: ``{evidence: fraction}`` (sums to 1).

    ``transit`` lists the pain points on incoming transitions with the share of arrivals they reach
    (used for ``pain`` only).

    >>> from journeymap.model import Touchpoint, PainPoint
    >>> tp = Touchpoint(id="t", stage="s", channel="web", action="a", measured=["effort"],
    ...                 pain_points=[PainPoint(id="a", text="x", severity=5, frequency=0.4, evidence="observed"),
    ...                              PainPoint(id="b", text="y", severity=5, frequency=0.2)])
    >>> component_evidence(tp, "effort"), component_evidence(tp, "handoff")
    ({'observed': 1.0}, {'assumed': 1.0})
    >>> {k: round(v, 3) for k, v in component_evidence(tp, "pain").items()}
    {'observed': 0.667, 'assumed': 0.333}
    """
    if tp.evidence == "observed":
        return {"observed": 1.0}
    rest = _fallback(tp)
    if component in _MEASURED:
        return {"observed": 1.0} if _MEASURED[component] in tp.measured else {rest: 1.0}
    if component == "pain":
        hits = [(p.evidence == "observed", pain_hit(p)) for p in tp.pain_points]
        hits += [(p.evidence == "observed", part * pain_hit(p)) for p, part in (transit or [])]
        total = sum(h for _, h in hits)
        if total <= 0:
            return {rest: 1.0}
        seen = sum(h for observed, h in hits if observed) / total
        out = {"observed": seen, rest: 1.0 - seen}
        return {k: v for k, v in out.items() if v > 0}
    return {rest: 1.0}  # handoff (and anything else): not observable unless the whole card is


def _transit(report: FrictionReport) -> dict[str, list[tuple[PainPoint, float]]]:
    flows = report.by_transition["flow"]
    found: dict[str, list[tuple[PainPoint, float]]] = {tp.id: [] for tp in report.journey.touchpoints}
    for tr in report.journey.transitions:
        arrivals = report.reach.get(tr.target, 0.0)
        part = float(flows[tr.key]) / arrivals if arrivals > 0 else 0.0
        found[tr.target] += [(p, part) for p in tr.pain_points]
    return found


def evidence_points(report: FrictionReport) -> pd.DataFrame:
    """One row per touchpoint × component × evidence: ``points`` of friction and ``fraction`` of the component.

    Columns: ``touchpoint, component, evidence, fraction, points, reach``. The points of a
    touchpoint add up to its friction.
    """
    import pandas as pd

    transit = _transit(report)
    rows = []
    table = report.by_touchpoint[[*COMPONENTS, "reach"]].astype(float).to_dict("index")
    for tp in report.journey.touchpoints:
        row = table[tp.id]
        for comp in COMPONENTS:
            for ev, frac in component_evidence(tp, comp, transit[tp.id]).items():
                rows.append({"touchpoint": tp.id, "component": comp, "evidence": ev, "fraction": frac,
                             "points": row[comp] * frac, "reach": row["reach"]})
    return pd.DataFrame(rows, columns=["touchpoint", "component", "evidence", "fraction", "points", "reach"])


def by_touchpoint(report: FrictionReport) -> pd.DataFrame:
    """Per touchpoint the friction points resting on each evidence class (columns observed/assumed/proposed)."""
    df = evidence_points(report)
    table = df.pivot_table(index="touchpoint", columns="evidence", values="points", aggfunc="sum", fill_value=0.0)
    table = table.reindex(index=[tp.id for tp in report.journey.touchpoints], columns=list(EVIDENCE),
                          fill_value=0.0)
    table.columns.name = None
    return table


@dataclass(frozen=True)
class EvidenceSummary:
    """Shares (0..1) of the reach-weighted friction resting on each kind of evidence, and of the flow."""

    observed: float
    assumed: float
    proposed: float
    flow_observed: float  #: share of the flow (entries + transition flows) resting on observed shares
    friction_total: float  #: Σ reach × friction points the shares split
    measured: int = 0  #: touchpoints with at least one measured value on an otherwise unobserved card

    def text(self, lang: str = "en") -> str:
        """One line in English or Spanish."""
        from journeymap.i18n import t

        pct = (lambda v: f"{100 * v:.0f} %") if lang == "es" else (lambda v: f"{100 * v:.0f}%")
        return t("evidence_summary_line", lang).format(
            assumed=pct(self.assumed), observed=pct(self.observed), proposed=pct(self.proposed),
            flow=pct(self.flow_observed))

    def __str__(self) -> str:
        return self.text("en")


def flow_observed_share(journey: Journey, report: FrictionReport | None = None) -> float:
    """Share of the flow (entry shares + transition flows) that rests on observed shares (0..1).

    An entry counts as observed when its touchpoint carries an ``observed`` block (calibration
    writes one with the entries it counted); a transition when it is ``evidence: observed``.
    """
    from journeymap.scoring import flow

    reach = report.reach if report is not None else flow.visits(journey)
    flows = flow.flows(journey, reach)
    entries = flow.entry_distribution(journey)
    observed_tp = {tp.id for tp in journey.touchpoints if tp.observed is not None}
    total = sum(entries.values()) + sum(flows.values())
    if total <= 0:
        return 0.0
    seen = sum(v for k, v in entries.items() if k in observed_tp)
    seen += sum(flows[tr.key] for tr in journey.transitions if tr.evidence == "observed")
    return float(seen / total)


def evidence_summary(report: FrictionReport) -> EvidenceSummary:
    """Split ``Σ reach × friction`` by evidence; see the module docstring for the rule.

    With no friction at all the split counts each touchpoint × component alike.
    """
    df = evidence_points(report)
    weight = df["reach"].clip(lower=0) * df["points"]
    total = float(weight.sum())
    if total <= 0:
        weight = df["fraction"]
    denom = float(weight.sum())
    shares = {ev: float(weight[df["evidence"] == ev].sum() / denom) if denom > 0 else 0.0 for ev in EVIDENCE}
    if denom <= 0:
        shares["assumed"] = 1.0
    measured = sum(1 for tp in report.journey.touchpoints if tp.measured and tp.evidence != "observed")
    return EvidenceSummary(shares["observed"], shares["assumed"], shares["proposed"],
                           flow_observed_share(report.journey, report), total, measured)


def touchpoint_class(tp: Touchpoint) -> str:
    """The card's look on views: its ``evidence``, plus ``"measured"`` when it is partly measured.

    >>> from journeymap.model import Touchpoint
    >>> touchpoint_class(Touchpoint(id="t", stage="s", channel="web", action="a", measured=["emotion"]))
    'assumed+measured'
    """
    partly = tp.evidence != "observed" and (
        bool(tp.measured) or any(p.evidence == "observed" for p in tp.pain_points))
    return f"{tp.evidence}+measured" if partly else tp.evidence


def has_evidence(journey: Journey) -> bool:
    """Does anything in the journey differ from the default ``assumed`` (so views show evidence)?"""
    if journey.sources:
        return True
    for tp in journey.touchpoints:
        if tp.evidence != "assumed" or tp.measured or tp.observed is not None:
            return True
        if any(p.evidence != "assumed" for p in tp.pain_points):
            return True
    return any(tr.evidence != "assumed" or tr.observed is not None for tr in journey.transitions)
