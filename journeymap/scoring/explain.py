"""Readable breakdowns of a touchpoint's friction score."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeymap.scoring.weights import COMPONENTS

if TYPE_CHECKING:
    from journeymap.scoring.report import FrictionReport


def _inputs(report: FrictionReport, tp_id: str) -> dict[str, str]:
    tp = report.journey.touchpoint(tp_id)
    t = report.by_transition
    arriving = t[t["target"] == tp_id]
    switches = arriving.loc[arriving["cross_channel"].astype(bool)]
    reach = report.reach[tp_id]
    switch_share = switches["flow"].sum() / reach if reach > 0 else 0.0
    minutes = (tp.wait_min or 0) + report.weights.duration_weight * (tp.duration_min or 0)
    return {
        "effort": "effort not rated" if tp.effort is None else f"effort {tp.effort} of 7",
        "emotion": f"emotion {tp.emotion:+g} (only negative counts)",
        "pain": f"{len(tp.pain_points)} pain point(s) here, "
                f"{int(arriving['pain'].gt(0).sum())} on the way in",
        "wait": f"{minutes:g} min waiting (incl. {report.weights.duration_weight:g} × active time)",
        "handoff": f"{switch_share:.0%} arrive from another channel",
    }


def explain(report: FrictionReport, tp_id: str) -> str:
    """Each component's input, normalised value, weight and points, summing to the score.

    >>> import journeymap as jm
    >>> r = jm.score(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
    >>> print(r.explain("checkout").splitlines()[0])  # doctest: +ELLIPSIS
    checkout — ...
    """
    if tp_id not in report.by_touchpoint.index:
        raise KeyError(f"no touchpoint '{tp_id}' in journey '{report.journey.id}'")
    tp = report.journey.touchpoint(tp_id)
    row = report.by_touchpoint.loc[tp_id]
    raw = report.components.loc[tp_id]
    w = report.weights
    stage = next(s.name for s in report.journey.stages if s.id == tp.stage)
    channel = report.journey.channel_info(tp.channel).name(report.journey.lang)
    lines = [
        f"{tp_id} — {tp.action} ({stage} · {channel})",
        f"friction {row['friction']:.1f} / 100; visited {row['reach']:.2f} times per customer",
    ]
    inputs = _inputs(report, tp_id)
    for c in COMPONENTS:
        lines.append(
            f"  {c:<8} {inputs[c]:<46} → {raw[c]:.2f} × weight {getattr(w, c):.2f}/{w.total:.2f}"
            f" = {row[c]:5.1f} points"
        )
    lines.append(f"  {'total':<8} {'':<46}   {'':>25}{sum(row[c] for c in COMPONENTS):5.1f} points")
    return "\n".join(lines)
