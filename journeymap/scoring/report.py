"""``score(journey)`` → :class:`FrictionReport`: explainable friction per touchpoint, stage, channel.

Each touchpoint gets a friction score from 0 (smooth) to 100 (as bad as it
gets): ``100 × Σ weight·component / Σ weight`` over the five components of
:mod:`journeymap.scoring.components`. The report keeps each component's
contribution in points, so they add up to the score. Stage, channel and journey
scores are means weighted by **reach** (expected visits per customer, see
:mod:`journeymap.scoring.flow`). See docs/friction.md for the full method.

Example
-------
>>> import journeymap as jm
>>> report = jm.score(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
>>> row = report.by_touchpoint.loc["checkout"]
>>> bool(abs(row[["effort", "emotion", "pain", "wait", "handoff"]].sum() - row["friction"]) < 1e-9)
True
>>> 0 <= report.total <= 100
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from journeymap.graph import channel_by_touchpoint
from journeymap.model import Journey
from journeymap.scoring import flow
from journeymap.scoring.components import effort_part, emotion_part, pain_hit, pain_part, wait_part
from journeymap.scoring.weights import COMPONENTS, Weights, load_weights

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.scoring.evidence import EvidenceSummary


def score(journey: Journey, weights: Weights | dict[str, Any] | str | Path | None = None) -> FrictionReport:
    """Score a journey's friction. ``weights``: a :class:`Weights`, a dict, a YAML file, or defaults."""
    import pandas as pd

    w = load_weights(weights)
    channel = channel_by_touchpoint(journey)
    cross = {tr.key: channel[tr.source] != channel[tr.target] for tr in journey.transitions}
    reach = flow.visits(journey)
    crossings = flow.flows(journey, reach)
    incoming: dict[str, list] = {tp.id: [] for tp in journey.touchpoints}
    for tr in journey.transitions:
        incoming[tr.target].append(tr)
    raw_rows, rows = [], []
    for tp in journey.touchpoints:
        arrivals = reach[tp.id]
        handoff = 0.0
        transit_pain = []
        for tr in incoming[tp.id]:
            part = crossings[tr.key] / arrivals if arrivals > 0 else 0.0
            if cross[tr.key]:
                handoff += part * w.penalty(tr.context, tr.recognised)
            transit_pain += [(p, part) for p in tr.pain_points]
        spared = 1.0 - pain_part(tp.pain_points)
        for pain, part in transit_pain:
            spared *= 1.0 - part * pain_hit(pain)
        raw = {
            "effort": effort_part(tp), "emotion": emotion_part(tp), "pain": 1.0 - spared,
            "wait": wait_part(tp, w), "handoff": min(1.0, handoff),
        }
        contrib = {c: 100.0 * getattr(w, c) * raw[c] / w.total for c in COMPONENTS}
        base = {"id": tp.id, "stage": tp.stage, "channel": tp.channel, "reach": reach[tp.id]}
        raw_rows.append({**base, **raw})
        row = {**base, **contrib, "friction": sum(contrib.values())}
        if tp.metrics is not None:
            row.update({k: getattr(tp.metrics, k) for k in ("nps", "csat", "ces")})
            row.update({k: n for k in _N_KEYS if (n := getattr(tp.metrics, k)) is not None})
        rows.append(row)
    by_tp = pd.DataFrame(rows).set_index("id")
    raw_df = pd.DataFrame(raw_rows).set_index("id")
    trans = pd.DataFrame([
        {"key": tr.key, "source": tr.source, "target": tr.target, "share": tr.share, "flow": crossings[tr.key],
         "cross_channel": cross[tr.key], "context": tr.context, "recognised": tr.recognised,
         "handoff": w.penalty(tr.context, tr.recognised) if cross[tr.key] else 0.0,
         "pain": pain_part(tr.pain_points)}
        for tr in journey.transitions
    ], columns=["key", "source", "target", "share", "flow", "cross_channel", "context", "recognised",
                "handoff", "pain"]).set_index("key")
    return FrictionReport(journey, w, by_tp, raw_df, trans, reach)


#: Numbers of answers behind each survey metric, kept beside the metric when known.
_N_KEYS = ("nps_n", "csat_n", "ces_n")


def _weighted(df: pd.DataFrame, key: str) -> pd.DataFrame:
    cols = [*COMPONENTS, "friction"]
    weights = df["reach"].where(df["reach"] > 0, 0.0)

    def agg(group: pd.DataFrame) -> pd.Series:
        import pandas as pd

        w = weights.loc[group.index]
        total = w.sum()
        means = (group[cols].mul(w, axis=0).sum() / total) if total > 0 else group[cols].mean()
        return pd.concat([pd.Series({"touchpoints": len(group), "reach": group["reach"].sum()}), means])

    # agg returns a Series per group, so apply gives a DataFrame (pandas-stubs types it as a Series).
    out = cast("pd.DataFrame", df.groupby(key, sort=False)[["reach", *cols]].apply(agg))
    return out.astype({"touchpoints": int})


@dataclass
class FrictionReport:
    """Friction of one journey, explainable down to each component of each touchpoint.

    ``by_touchpoint`` holds, per touchpoint, its stage, channel, ``reach``
    (expected visits per customer), the points each component contributes and
    ``friction`` (their sum, 0..100). ``components`` holds the normalised 0..1
    inputs before weighting.
    """

    journey: Journey
    weights: Weights
    by_touchpoint: pd.DataFrame
    components: pd.DataFrame
    by_transition: pd.DataFrame
    reach: dict[str, float] = field(repr=False)

    @cached_property
    def by_stage(self) -> pd.DataFrame:
        """Reach-weighted friction per stage (stage order), with component contributions."""
        df = _weighted(self.by_touchpoint, "stage")
        order = [s.id for s in self.journey.ordered_stages() if s.id in df.index]
        df = df.loc[order]
        stages = {s.id: s for s in self.journey.stages}
        df.insert(0, "name", [stages[i].name for i in df.index])
        if any(stages[i].metrics is not None for i in df.index):
            for key in ("nps", "csat", "ces"):
                df[key] = [getattr(stages[i].metrics, key) if stages[i].metrics else None for i in df.index]
            for key in _N_KEYS:
                if any(stages[i].metrics is not None and getattr(stages[i].metrics, key) is not None
                       for i in df.index):
                    df[key] = [getattr(stages[i].metrics, key) if stages[i].metrics else None for i in df.index]
        return df

    @cached_property
    def by_channel(self) -> pd.DataFrame:
        """Reach-weighted friction per channel, worst first."""
        df = _weighted(self.by_touchpoint, "channel").sort_values("friction", ascending=False)
        df.insert(0, "name", [self.journey.channel_info(c).name(self.journey.lang) for c in df.index])
        df.insert(1, "kind", [self.journey.channel_info(c).kind for c in df.index])
        return df

    @cached_property
    def total(self) -> float:
        """Reach-weighted mean friction of the journey (0..100)."""
        df = self.by_touchpoint
        weight = df["reach"].sum()
        return float((df["friction"] * df["reach"]).sum() / weight) if weight > 0 else float(df["friction"].mean())

    @cached_property
    def endings(self) -> dict[str, float]:
        """Share of customers whose journey ends at each touchpoint, drop-outs included (sums to 1)."""
        return flow.endings(self.journey, self.reach)

    @cached_property
    def exits(self) -> dict[str, float]:
        """Share of customers who reach each exit (a touchpoint with no way on)."""
        from journeymap.graph import exits

        return {tp_id: self.endings[tp_id] for tp_id in exits(self.journey)}

    @cached_property
    def expected_conversion(self) -> float:
        """Expected conversions per customer: reach of the ``conversion`` touchpoints (else of the exits)."""
        marked = [tp.id for tp in self.journey.touchpoints if tp.conversion]
        if marked:
            return float(sum(self.reach[t] for t in marked))
        return float(sum(self.exits.values()))

    @cached_property
    def continuity(self) -> float:
        """Continuity index (0..100): flow-weighted share of channel switches that carry context."""
        from journeymap.scoring.scorecard import continuity_index

        return continuity_index(self)

    def matrix(self) -> pd.DataFrame:
        """Stage (rows, in order) × channel (columns) reach-weighted friction; NaN where no touchpoint."""
        df = self.by_touchpoint
        w = df["reach"]
        num = (df["friction"] * w).groupby([df["stage"], df["channel"]]).sum()
        den = w.groupby([df["stage"], df["channel"]]).sum()
        plain = df.groupby(["stage", "channel"])["friction"].mean()
        cell = (num / den).where(den > 0, plain).unstack("channel")
        stages = [s.id for s in self.journey.ordered_stages() if s.id in cell.index]
        channels = list(dict.fromkeys(df["channel"]))
        return cell.loc[stages, channels]

    def explain(self, touchpoint_id: str) -> str:
        """A readable breakdown of one touchpoint's score: each component, its weight and points."""
        from journeymap.scoring.explain import explain

        return explain(self, touchpoint_id)

    @cached_property
    def scorecard(self) -> pd.DataFrame:
        """The omnichannel scorecard (see :func:`journeymap.scoring.scorecard.scorecard`)."""
        from journeymap.scoring.scorecard import scorecard

        return scorecard(self)

    def evidence_summary(self) -> EvidenceSummary:
        """Shares of the reach-weighted friction resting on observed / assumed / proposed values.

        See :func:`journeymap.scoring.evidence.evidence_summary` (and docs/friction.md, "Evidence").
        """
        from journeymap.scoring.evidence import evidence_summary

        return evidence_summary(self)

    def pain_ranking(self) -> pd.DataFrame:
        """Pain points ranked by severity × frequency × reach."""
        from journeymap.scoring.priorities import pain_ranking

        return pain_ranking(self)

    def opportunity_ranking(self) -> pd.DataFrame:
        """Opportunities ranked by friction removed per unit of effort."""
        from journeymap.scoring.priorities import opportunity_ranking

        return opportunity_ranking(self)
