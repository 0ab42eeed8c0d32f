"""Where customers go: expected visits per touchpoint from the transition shares.

Customers enter at the entry touchpoints, then at each touchpoint ``u`` a share
``share(u→w)`` moves on to ``w``; the rest (``1 − Σ shares``) leave the journey
there. The expected number of visits ``v`` solves the linear system

    v = s + Pᵀ v        (s: entry distribution, P: matrix of shares)

which is solved exactly with one sparse LU factorisation (``scipy.sparse``), so
branches and loops cost no path enumeration and 10,000 touchpoints take milliseconds. For a touchpoint on no loop,
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

from journeymap.errors import JourneyError, Problem
from journeymap.graph import entries
from journeymap.references import closed_loops, loop_message

if TYPE_CHECKING:
    from journeymap.model import Journey


class EndlessLoopError(JourneyError):
    """Customers who enter this loop can never leave it (its shares leave no way out)."""

    def __init__(self, message: str, journey_id: str = "journey"):
        super().__init__([Problem(f"journey '{journey_id}'", "transitions", message)])


def entry_distribution(journey: Journey) -> dict[str, float]:
    """Share of customers starting at each entry (``entry_share`` normalised, else equal)."""
    starts = entries(journey)
    given = {tp.id: tp.entry_share for tp in journey.touchpoints if tp.entry_share}
    if given:
        total = sum(given.values())
        return {k: v / total for k, v in given.items()}
    return {tp_id: 1.0 / len(starts) for tp_id in starts}


def visits(journey: Journey, start: dict[str, float] | None = None) -> dict[str, float]:
    """Expected visits per customer for every touchpoint (file order).

    ``start`` overrides the entry distribution (e.g. ``{"tp": 1.0}``). Raises
    :class:`EndlessLoopError` if some loop can never be left (the same check
    :func:`journeymap.validate` reports: :func:`journeymap.references.closed_loops`).
    """
    import numpy as np
    from scipy.sparse import coo_matrix, identity
    from scipy.sparse.linalg import spsolve

    start = entry_distribution(journey) if start is None else start
    loops = closed_loops(journey)
    if loops:
        raise EndlessLoopError(loop_message(loops[0]), journey.id)
    ids = [tp.id for tp in journey.touchpoints]
    index = {tp_id: i for i, tp_id in enumerate(ids)}
    moves = [(index[tr.target], index[tr.source], tr.share) for tr in journey.transitions if tr.share > 0]
    n = len(ids)
    s = np.zeros(n)
    for tp_id, share in start.items():
        s[index[tp_id]] += share
    if not moves:
        solved = s
    else:
        rows, cols, shares = (np.array(part) for part in zip(*moves, strict=True))
        a = identity(n, format="csc") - coo_matrix((shares, (rows, cols)), shape=(n, n)).tocsc()
        solved = np.atleast_1d(spsolve(a, s))  # v = s + Pᵀv, one sparse LU for all loops at once
    return {tp_id: float(max(0.0, x)) for tp_id, x in zip(ids, solved, strict=True)}


def flows(journey: Journey, reach: dict[str, float] | None = None) -> dict[str, float]:
    """Expected crossings per customer of each transition, keyed ``"from->to"``."""
    reach = visits(journey) if reach is None else reach
    return {tr.key: reach[tr.source] * tr.share for tr in journey.transitions}


def endings(journey: Journey, reach: dict[str, float] | None = None) -> dict[str, float]:
    """Share of customers whose journey ends at each touchpoint (exit or drop-out); sums to 1."""
    reach = visits(journey) if reach is None else reach
    left: dict[str, float] = defaultdict(float)
    for tr in journey.transitions:
        left[tr.source] += tr.share
    return {tp_id: v * max(0.0, 1.0 - left[tp_id]) for tp_id, v in reach.items()}
