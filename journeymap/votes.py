"""The room's view vs the model's view: dot-voting results next to the computed priorities.

A workshop room gives dots to pain points and opportunities (``votes:`` rounds, see
docs/workshop_room.md); the model ranks the same items by numbers — pain points by impact
(:func:`~journeymap.scoring.priorities.pain_ranking`), opportunities by friction removed per unit of effort
(:func:`~journeymap.scoring.priorities.opportunity_ranking`). :func:`vote_ranking` puts the two ranks side
by side and :func:`spearman` says how far they agree (1 = same order, -1 = reversed).

>>> import journeymap as jm
>>> from journeymap.model_room import VoteRound
>>> j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
>>> pains = [p.id for p, _ in j.pain_points()]
>>> j = j.model_copy(update={"votes": [VoteRound(id="r1", on="pain_points", counts={pains[0]: 5, pains[1]: 2})]})
>>> table = vote_ranking(j)
>>> list(table.columns)
['kind', 'text', 'dots', 'room_rank', 'model_rank', 'model_score']
>>> int(table.loc[pains[0], "dots"]), int(table.loc[pains[0], "room_rank"])
(5, 1)
>>> -1 <= table.attrs["spearman"]["pain"] <= 1
True
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.model import Journey
    from journeymap.model_room import VoteRound

COLUMNS = ["kind", "text", "dots", "room_rank", "model_rank", "model_score"]
KINDS = ("pain", "opportunity")


def pick_round(journey: Journey, round: str | None = None) -> VoteRound | None:
    """The voting round ``round`` (by id) of ``journey``; the latest one when ``None`` (``None`` if there is none).

    An unknown id raises ``ValueError`` naming the ids there are.
    """
    if round is None:
        return journey.votes[-1] if journey.votes else None
    for r in journey.votes:
        if r.id == round:
            return r
    from journeymap.safety import suggest

    raise ValueError(f"no voting round {round!r}; {suggest(round, [r.id for r in journey.votes])}")


def dots_of(journey: Journey, round: str | None = None) -> dict[str, int]:
    """Dots per pain point / opportunity id: of one round (the latest when ``None``), or of every round
    added up when ``round="all"``."""
    rounds = journey.votes if round == "all" else [r for r in [pick_round(journey, round)] if r is not None]
    out: dict[str, int] = {}
    for r in rounds:
        for target, n in r.counts.items():
            out[target] = out.get(target, 0) + int(n)
    return out


def average_ranks(values: list[float]) -> list[float]:
    """Ranks 1..n of ``values``, largest first; tied values share the mean of their positions.

    >>> average_ranks([5, 2, 2, 0])
    [1.0, 2.5, 2.5, 4.0]
    """
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(a: list[float], b: list[float]) -> float:
    """Spearman's rank correlation of two equally long lists of scores (ties get average ranks): the Pearson
    correlation of their ranks. ``nan`` when fewer than two items or either side has all-equal scores.

    >>> spearman([3, 2, 1], [30, 20, 10]), spearman([3, 2, 1], [1, 2, 3])
    (1.0, -1.0)
    """
    if len(a) != len(b):
        raise ValueError(f"lists of different lengths ({len(a)} and {len(b)})")
    if len(a) < 2:
        return math.nan
    ra, rb = average_ranks(list(a)), average_ranks(list(b))
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    if va == 0 or vb == 0:
        return math.nan
    return cov / math.sqrt(va * vb)


def _min_ranks(values: list[float]) -> list[int]:
    """Competition ranks, largest first: ties share the best place (5, 2, 2, 0 → 1, 2, 2, 4)."""
    return [1 + sum(1 for w in values if w > v) for v in values]


def vote_ranking(journey: Journey, round: str | None = None, report: Any = None) -> pd.DataFrame:
    """The room's ranking next to the model's, one row per pain point / opportunity the round votes on.

    ``round``: a round id, ``None`` for the latest round, ``"all"`` for the dots of every round added up
    (every pain point and opportunity is then listed). With no rounds at all every item has 0 dots.
    ``report``: a :class:`~journeymap.scoring.report.FrictionReport` of ``journey`` (scored when omitted).

    Columns: ``kind`` (``pain`` / ``opportunity``), ``text``, ``dots``, ``room_rank`` (by dots, ties share
    the best place), ``model_rank`` (by ``model_score``: a pain point's impact, an opportunity's friction
    removed per effort; ties share the best place). Rows are grouped by kind, most dots first (ties in the
    model's order). ``attrs["spearman"]``: Spearman's rank correlation of dots and model score per kind
    (``nan`` when it is undefined: fewer than two items, or all dots equal); ``attrs["round"]``: the round's
    id (``"all"``, or ``None`` when there is none).
    """
    import pandas as pd

    from journeymap.model_room import votable

    if report is None:
        from journeymap.scoring import score

        report = score(journey)
    chosen = None if round == "all" else pick_round(journey, round)
    dots = dots_of(journey, round)
    on = chosen.on if chosen is not None else "both"
    pain_ids = {p.id for p, _ in journey.pain_points()}
    opp_ids = {o.id for o in journey.opportunities}
    wanted = votable(on, pain_ids, opp_ids)
    rows: list[dict[str, Any]] = []
    rho: dict[str, float] = {}
    for kind, table, col in (("pain", report.pain_ranking(), "impact"),
                             ("opportunity", report.opportunity_ranking(), "removed_per_effort")):
        ids = [i for i in table.index if i in wanted]
        if not ids:
            continue
        scores = [float(table.loc[i, col]) for i in ids]
        counts = [dots.get(i, 0) for i in ids]
        model_rank, room_rank = _min_ranks(scores), _min_ranks([float(c) for c in counts])
        order = sorted(range(len(ids)), key=lambda k: (-counts[k], k))
        rows += [{"id": ids[k], "kind": kind, "text": str(table.loc[ids[k], "text"]), "dots": counts[k],
                  "room_rank": room_rank[k], "model_rank": model_rank[k], "model_score": scores[k]} for k in order]
        rho[kind] = spearman([float(c) for c in counts], scores)
    df = pd.DataFrame(rows, columns=["id", *COLUMNS]).set_index("id")
    df = df.astype({"dots": int, "room_rank": int, "model_rank": int, "model_score": float})
    df.attrs["spearman"] = rho
    df.attrs["round"] = "all" if round == "all" else (chosen.id if chosen is not None else None)
    return df
