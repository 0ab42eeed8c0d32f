"""Calibrate a designed journey from an event log: observed shares, visits and times written in.

A workshop map assumes how customers move; an event log measures it.
:func:`calibrate` returns a copy of the designed journey in which every value
the log can measure is replaced by the measured one and marked as observed,
plus a :class:`~journeymap.analytics.drift.Drift` report of assumed vs observed:

* **transition shares** — moves from *a* straight to *b* / events at *a*
  (the rest ended at *a* or went somewhere else); ``evidence: observed`` and an
  ``observed`` block (moves counted, time between the two events: median, q1, q3);
* **entry shares** — customers whose first event is at a touchpoint / all customers;
* **visits** — per touchpoint an ``observed`` block: customers, events, entries, exits
  and the time from the previous event (median and quartiles, minutes);
* **conversion** — the share of customers with an event at a ``conversion`` touchpoint,
  kept in the journey's new ``sources`` entry with customers, events, period and file.

Moves between designed touchpoints that the design lacks are added (``add_unseen=True``)
so the calibrated flow is the observed one. Activities that are no touchpoint are
counted in the drift report. Times between events are not written into
``duration_min``/``wait_min``: a log's gap is the touchpoint's duration + the
customer's own pause + the wait at the next one, which the timestamps cannot
separate; they stay beside the designed values in the ``observed`` blocks and the
drift report. Context and recognition are not observable in a log and are kept.

``mapping`` links activities to touchpoint ids (``{"web_visit": "web"}``);
activities not in it are matched by id. Several activities may map to one touchpoint.

Example
-------
>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> events = jm.analytics.simulate(j, customers=2000, seed=4, friction_dropoff=0)
>>> cal = calibrate(j, events, case="customer_id")
>>> tr = cal.journey.transitions[0]
>>> tr.evidence, tr.observed.count > 0, cal.journey.sources[0].customers
('observed', True, 2000)
>>> cal.drift.table.columns[:4].tolist()
['kind', 'key', 'assumed', 'observed']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics._frame import ACTIVITY, CASE, TIMESTAMP, ordered
from journeymap.analytics._types import Measured
from journeymap.analytics.drift import Drift, drift
from journeymap.errors import JourneyError, Problem
from journeymap.model import Journey, Observed, ObservedMove, Source, Spread
from journeymap.safety import suggest

_NS_PER_MIN = 60 * 1_000_000_000


@dataclass(frozen=True)
class Calibration:
    """:func:`calibrate`'s result: the calibrated journey, what was measured and the drift report."""

    journey: Journey
    measured: Measured
    drift: Drift

    def __repr__(self) -> str:
        return f"Calibration({self.journey.id!r}, {self.measured.customers:,} customers)\n{self.drift}"


def _apply_mapping(events: pd.DataFrame, activity: str, mapping: Mapping[str, str] | None,
                   designed: Journey) -> pd.DataFrame:
    if not mapping:
        return events
    ids = [tp.id for tp in designed.touchpoints]
    bad = [(k, v) for k, v in mapping.items() if v not in ids]
    if bad:
        k, v = bad[0]
        raise JourneyError([Problem("<mapping>", str(k), f"'{v}' is no touchpoint of the design{suggest(v, ids)}"
                                    + (f" ({len(bad)} such entries)" if len(bad) > 1 else ""))])
    column = events[activity]
    mapped = column.map(lambda a: mapping.get(str(a), a) if isinstance(a, str) else a)
    return events.assign(**{activity: mapped})


def _spread(keys: np.ndarray, minutes: np.ndarray, n_keys: int) -> np.ndarray:
    """Per key (0..n_keys-1) the quartiles q1, median, q3 of ``minutes``; NaN where a key has none."""
    out = np.full((n_keys, 3), np.nan)
    if not len(keys):
        return out
    frame = pd.DataFrame({"k": keys, "m": minutes})
    q = frame.groupby("k")["m"].quantile(np.array([0.25, 0.5, 0.75])).unstack()
    out[q.index.to_numpy()] = q.to_numpy()
    return out


def measure(designed: Journey, events: pd.DataFrame, *, mapping: Mapping[str, str] | None = None,
            case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP) -> Measured:
    """Count what ``events`` say about ``designed``'s touchpoints and moves (see :func:`calibrate`)."""
    events = _apply_mapping(events, activity, mapping, designed)
    events, log = ordered(events, case, activity, timestamp)
    if not len(log.case):
        raise JourneyError([Problem("<events>", "", "no events to calibrate from: the log is empty")])
    labels = log.activities.astype(str)
    n_act = len(labels)
    nxt, has = log.lead(log.activity)
    nxt_ts, _ = log.lead(log.ts)
    a, b = log.activity[has], nxt[has]
    gap = (nxt_ts[has] - log.ts[has]) / _NS_PER_MIN
    pair = a.astype(np.int64) * n_act + b
    pair_codes, pair_inv, pair_n = np.unique(pair, return_inverse=True, return_counts=True)
    pair_q = _spread(pair_inv, gap, len(pair_codes))
    moves = pd.DataFrame({"source": labels.to_numpy()[pair_codes // n_act],
                          "target": labels.to_numpy()[pair_codes % n_act], "count": pair_n,
                          "q1": pair_q[:, 0], "median": pair_q[:, 1], "q3": pair_q[:, 2]})
    in_q = _spread(b, gap, n_act)
    visits = np.bincount(log.activity, minlength=n_act)
    customers = pd.Series(log.case).groupby(log.activity).nunique().reindex(range(n_act), fill_value=0).to_numpy()
    per_tp = pd.DataFrame({
        "customers": customers, "visits": visits,
        "entries": np.bincount(log.activity[log.first], minlength=n_act),
        "exits": np.bincount(log.activity[log.last], minlength=n_act),
        "q1": in_q[:, 0], "median": in_q[:, 1], "q3": in_q[:, 2],
    }, index=pd.Index(labels, name="touchpoint"))
    tp_ids = [tp.id for tp in designed.touchpoints]
    known = per_tp.index.isin(tp_ids)
    conv_ids = [tp.id for tp in designed.touchpoints if tp.conversion]
    conv_codes = np.flatnonzero(labels.isin(conv_ids))
    at_conversion = np.isin(log.activity, conv_codes)
    converted = len(np.unique(log.case[at_conversion])) if len(conv_codes) else 0
    return Measured(
        customers=log.n_cases, events=len(log.case),
        start=pd.Timestamp(int(log.ts.min()), tz="UTC"), end=pd.Timestamp(int(log.ts.max()), tz="UTC"),
        touchpoints=per_tp[known], moves=moves,
        unknown=per_tp.loc[~known, "visits"].sort_values(ascending=False, kind="stable").rename("events"),
        converted=converted, conversions=int(at_conversion.sum()),
    )


def _floor(x: float, digits: int = 6) -> float:
    """Round down, so observed shares leaving a touchpoint still sum to ≤ 1."""
    scale = 10 ** digits
    return math.floor(x * scale + 1e-9) / scale


def _spread_of(row: Any) -> Spread | None:
    if any(pd.isna(row[k]) for k in ("q1", "median", "q3")):
        return None
    return Spread(median=max(float(row["median"]), 0.0), q1=max(float(row["q1"]), 0.0),
                  q3=max(float(row["q3"]), 0.0))


def write_in(designed: Journey, m: Measured, *, source: Source, add_unseen: bool = True) -> Journey:
    """A copy of ``designed`` with ``m``'s measurements written in (see :func:`calibrate`)."""
    data = designed.model_dump(by_alias=True, exclude_none=True)
    tp_stats = m.touchpoints
    visits = tp_stats["visits"].to_dict()
    moves = {(s, t): row for (s, t), row in zip(zip(m.moves["source"], m.moves["target"], strict=True),
                                                m.moves.to_dict("records"), strict=True)}
    seen_tp = {k for k, v in visits.items() if v > 0}

    def observed_move(key: tuple[str, str]) -> dict[str, Any]:
        row = moves.get(key)
        block = ObservedMove(source=source.id, count=int(row["count"]) if row else 0,
                             gap_min=_spread_of(row) if row else None)
        return block.model_dump(exclude_none=True)

    designed_pairs = set()
    for tr in data["transitions"]:
        key = (tr["from"], tr["to"])
        designed_pairs.add(key)
        if tr["from"] not in seen_tp:  # nothing measured where the move starts: the design stands
            continue
        count = int(moves[key]["count"]) if key in moves else 0
        tr["share"] = _floor(count / visits[tr["from"]])
        tr["evidence"] = "observed"
        tr["observed"] = observed_move(key)
    if add_unseen:
        for key, row in moves.items():
            if key in designed_pairs or key[0] not in tp_stats.index or key[1] not in tp_stats.index:
                continue
            data["transitions"].append({"from": key[0], "to": key[1], "share": _floor(row["count"] / visits[key[0]]),
                                        "evidence": "observed", "observed": observed_move(key)})
    for tp in data["touchpoints"]:
        if tp["id"] not in seen_tp:
            tp.pop("entry_share", None)
            continue
        row = tp_stats.loc[tp["id"]]
        block = Observed(source=source.id, customers=int(row["customers"]), visits=int(row["visits"]),
                         entries=int(row["entries"]), exits=int(row["exits"]), gap_min=_spread_of(row))
        tp["observed"] = block.model_dump(exclude_none=True)
        entries = int(row["entries"])
        if entries:
            tp["entry_share"] = _floor(entries / m.customers) or entries / m.customers
        else:
            tp.pop("entry_share", None)
    data["sources"] = [s for s in data.get("sources", []) if s["id"] != source.id]
    data["sources"].append(source.model_dump(exclude_none=True))
    return Journey.model_validate(data)


def calibrate(designed: Journey, events: pd.DataFrame, *, mapping: Mapping[str, str] | None = None,
              case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP, source_id: str = "events",
              file: str | Path | None = None, add_unseen: bool = True, min_change: float = 0.02) -> Calibration:
    """The designed journey with observed shares, entries, visits and times from ``events``; and the drift.

    ``events`` is a DataFrame (e.g. from :func:`~journeymap.analytics.read_events`); ``file`` names where it
    came from (kept in the journey's ``sources``). ``min_change``: a share that moved less than this (or
    whose move is within sampling noise, |z| < 3) counts as "as designed" in the drift report.
    """
    m = measure(designed, events, mapping=mapping, case=case, activity=activity, timestamp=timestamp)
    source = Source(
        id=source_id, kind="events", file=str(file) if file is not None else "", customers=m.customers,
        rows=m.events, start=m.start.date().isoformat() if m.start is not None else None,
        end=m.end.date().isoformat() if m.end is not None else None,
        conversion=(m.converted / m.customers) if any(tp.conversion for tp in designed.touchpoints) else None,
    )
    calibrated = write_in(designed, m, source=source, add_unseen=add_unseen)
    return Calibration(calibrated, m, drift(designed, calibrated, m, min_change=min_change))
