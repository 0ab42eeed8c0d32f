"""Conformance: does what customers did fit the journey that was designed?

Activities in the events are matched to touchpoint ids of the designed
journey. A customer's path **fits** when every activity is a designed
touchpoint, the first one is an entry of the design (a touchpoint with no
incoming transition), and every move between consecutive events is a
designed transition. Ending anywhere fits: designed shares allow drop-out.

Example
-------
>>> import journeymap as jm, pandas as pd
>>> design = jm.Journey(id="d", title="D", stages=[{"id": "s", "name": "S"}],
...     touchpoints=[{"id": t, "stage": "s", "channel": "website", "action": t} for t in ("ad", "web", "buy")])
>>> ev = pd.DataFrame({"case_id": list("aaabb"), "activity": ["ad", "web", "buy", "ad", "buy"],
...                    "timestamp": pd.to_datetime(["2026-01-0%d" % d for d in (1, 2, 3, 1, 2)], utc=True)})
>>> report = conformance(design, ev)
>>> report.fitness, report.unexpected["key"].tolist(), report.missing["key"].tolist()
(0.5, ['ad->buy'], [])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from journeymap.analytics import _lazy_paths
from journeymap.analytics._dispatch import dispatch
from journeymap.analytics._frame import ACTIVITY, CASE, TIMESTAMP, ordered
from journeymap.analytics._types import ConformanceReport
from journeymap.graph import entries
from journeymap.model import Journey


@dispatch(lazy=_lazy_paths.conformance, memory=False)  # fits stays in the engine: never read into memory
def conformance(designed: Journey, events: pd.DataFrame, *, case: str = CASE, activity: str = ACTIVITY,
                timestamp: str = TIMESTAMP) -> ConformanceReport:
    """Compare ``events`` with the ``designed`` journey (activities = touchpoint ids).

    With a Parquet path or a PySpark DataFrame the work runs in that engine and
    ``fits`` is left there as a lazy frame (``case``, ``fits``) instead of a Series.
    """
    events, log = ordered(events, case, activity, timestamp)
    labels = log.activities.astype(str).to_numpy()
    tp_ids = [tp.id for tp in designed.touchpoints]
    known = np.isin(labels, tp_ids)
    nxt, has = log.lead(log.activity)
    a, b = labels[log.activity[has]], labels[nxt[has]]
    moves = pd.DataFrame({"source": a, "target": b, "case": log.case[has]})
    designed_keys = {(t.source, t.target) for t in designed.transitions}
    moves["designed"] = [pair in designed_keys for pair in zip(moves["source"], moves["target"], strict=True)]
    observed = moves.groupby(["source", "target"], sort=False).size().rename("count").reset_index()
    observed["key"] = observed["source"] + "->" + observed["target"]

    unknown_event = ~known[log.activity]
    bad_start = ~np.isin(labels[log.activity[log.first]], entries(designed))
    reason = pd.Series("fits", index=range(log.n_cases), dtype=object)
    undesigned = np.zeros(log.n_cases, dtype=bool)
    undesigned[moves.loc[~moves["designed"], "case"].to_numpy()] = True
    has_unknown = np.zeros(log.n_cases, dtype=bool)
    has_unknown[log.case[unknown_event]] = True
    reason[undesigned] = "move not designed"
    reason[bad_start] = "starts outside the design's entries"
    reason[has_unknown] = "activity not in the design"
    fits = pd.Series((reason == "fits").to_numpy(), index=pd.Index(log.cases, name=case), name="fits")

    occurrences = pd.Series(np.bincount(log.activity, minlength=len(labels)), index=labels)
    rows = []
    counts = {(s, t): c for s, t, c in observed[["source", "target", "count"]].itertuples(index=False)}
    for tr in designed.transitions:
        n = counts.get((tr.source, tr.target), 0)
        occ = int(occurrences.get(tr.source, 0))
        rows.append({"key": tr.key, "source": tr.source, "target": tr.target, "designed_share": tr.share,
                     "count": n, "observed_share": n / occ if occ else np.nan})
    table = pd.DataFrame(rows, columns=["key", "source", "target", "designed_share", "count", "observed_share"])
    unexpected = observed[np.array([(s, t) not in designed_keys for s, t in zip(  # an empty list would pick columns
        observed["source"], observed["target"], strict=True)], dtype=bool)]
    unexpected = unexpected.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
    unknown = occurrences[~known].sort_values(ascending=False, kind="stable").rename("events")
    return ConformanceReport(
        cases=log.n_cases,
        fitting_cases=int(fits.sum()),
        missing=table[table["count"] == 0][["key", "source", "target", "designed_share"]].reset_index(drop=True),
        unexpected=unexpected[["key", "source", "target", "count"]],
        unknown_activities=unknown,
        transitions=table,
        deviations=reason.value_counts().rename("customers"),
        fits=fits,
    )
