"""Where customers go: expected visits per touchpoint from the transition shares.

Customers enter at the entry touchpoints, then at each touchpoint ``u`` a share
``share(u→w)`` moves on to ``w``; the rest (``1 − Σ shares``) leave the journey
there. The expected number of visits ``v`` solves the linear system

    v = s + Pᵀ v        (s: entry distribution, P: matrix of shares)

which is solved exactly, one strongly connected component at a time in
topological order (a loop is a small dense system; the rest is a sweep), so
branches and loops cost no path enumeration. For a touchpoint on no loop,
``v`` is the share of customers who reach it.

Example
-------
>>> import journeymap as jm
>>> j = jm.Journey(id="d", title="D", stages=[{"id": "s", "name": "S"}],
...     touchpoints=[{"id": i, "stage": "s", "channel": "website", "action": i} for i in ("a", "b", "c")],
...     transitions=[{"from": "a", "to": "b", "share": 0.8},
...                  {"from": "b", "to": "a", "share": 0.5}, {"from": "b", "to": "c", "share": 0.5}])
>>> {k: round(v, 3) for k, v in visits(j).items()}   # a ↔ b loop: a is visited 1/0.6 times
{'a': 1.667, 'b': 1.333, 'c': 0.667}
>>> {k: round(v, 3) for k, v in endings(j).items()}   # where customers leave: sums to 1
{'a': 0.333, 'b': 0.0, 'c': 0.667}
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import networkx as nx

from journeymap.graph import entries

if TYPE_CHECKING:
    from journeymap.model import Journey


class EndlessLoopError(ValueError):
    """Customers who enter this loop can never leave it (its shares leave no way out)."""


def entry_distribution(journey: Journey) -> dict[str, float]:
    """Share of customers starting at each entry (``entry_share`` normalised, else equal)."""
    starts = entries(journey)
    given = {tp.id: tp.entry_share for tp in journey.touchpoints if tp.entry_share}
    if given:
        total = sum(given.values())
        return {k: v / total for k, v in given.items()}
    return {tp_id: 1.0 / len(starts) for tp_id in starts}


def _out_edges(journey: Journey) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for tr in journey.transitions:
        out[tr.source].append((tr.target, tr.share))
    return out


def visits(journey: Journey, start: dict[str, float] | None = None) -> dict[str, float]:
    """Expected visits per customer for every touchpoint (file order).

    ``start`` overrides the entry distribution (e.g. ``{"tp": 1.0}``). Raises
    :class:`EndlessLoopError` if some loop can never be left.
    """
    import numpy as np

    start = entry_distribution(journey) if start is None else start
    out = _out_edges(journey)
    g = nx.DiGraph()
    g.add_nodes_from(tp.id for tp in journey.touchpoints)
    g.add_weighted_edges_from((tr.source, tr.target, tr.share) for tr in journey.transitions if tr.share > 0)
    cond = nx.condensation(g)
    inflow: dict[str, float] = defaultdict(float, start)
    result: dict[str, float] = {}
    for comp in nx.topological_sort(cond):
        members = sorted(cond.nodes[comp]["members"])
        if len(members) == 1 and not g.has_edge(members[0], members[0]):
            result[members[0]] = inflow[members[0]]
        else:
            index = {m: i for i, m in enumerate(members)}
            a = np.eye(len(members))
            leaks = False
            for m in members:
                kept = 0.0
                for target, share in out[m]:
                    if target in index:
                        a[index[target], index[m]] -= share
                        kept += share
                leaks = leaks or kept < 1 - 1e-12
            if not leaks:
                raise EndlessLoopError(
                    f"customers who reach {', '.join(members)} loop forever: "
                    "lower a share in this loop or add a way out"
                )
            solved = np.linalg.solve(a, np.array([inflow[m] for m in members]))
            result.update({m: float(max(0.0, x)) for m, x in zip(members, solved, strict=True)})
        for m in members:
            for target, share in out[m]:
                if target not in members:
                    inflow[target] += result[m] * share
    return {tp.id: result[tp.id] for tp in journey.touchpoints}


def flows(journey: Journey, reach: dict[str, float] | None = None) -> dict[str, float]:
    """Expected crossings per customer of each transition, keyed ``"from->to"``."""
    reach = visits(journey) if reach is None else reach
    return {tr.key: reach[tr.source] * tr.share for tr in journey.transitions}


def endings(journey: Journey, reach: dict[str, float] | None = None) -> dict[str, float]:
    """Share of customers whose journey ends at each touchpoint (exit or drop-out); sums to 1."""
    reach = visits(journey) if reach is None else reach
    left = defaultdict(float)
    for tr in journey.transitions:
        left[tr.source] += tr.share
    return {tp_id: v * max(0.0, 1.0 - left[tp_id]) for tp_id, v in reach.items()}
