"""How long journeys take: time to convert (a distribution), time between steps, time in stage.

Definitions (all times in minutes; quantiles are numpy's default, linear interpolation):

* **Time to convert** (:func:`time_to_convert_distribution`): per converting customer, from their first
  event (or, with ``start=``, their first event of that step) to their first conversion event at or after
  it. Customers without the start step are not counted; those who have it but never convert after it
  count in ``customers`` but not in ``minutes``. Without ``start`` the minutes equal
  :func:`~journeymap.analytics.time_to_convert`.
* **Time between steps** (:func:`time_between`): on every edge of the directly-follows graph (two
  consecutive events of a case), the minutes between the two events: count, p25, median, p75, mean.
  ``count`` and ``median_min`` equal :func:`~journeymap.analytics.dfg`'s.
* **Time in stage** (:func:`time_in_stage`): per customer and stage (a value of the ``stage`` column;
  any column works, e.g. ``stage="channel"``), from the customer's first event in that stage to their
  last one (``until="last"``: whatever happened in between, a return to the stage included), or to their
  first event after that last one (``until="next"``: the time until they moved on; NaN when the stage
  ends their journey).

Ties in time keep file order, as everywhere in :mod:`journeymap.analytics`. In-memory (pandas) logs, and
Parquet logs small enough to be read into memory; larger ones get a one-line "not available out of core yet".

>>> import pandas as pd
>>> ev = pd.DataFrame({"case_id": list("aaabb"), "activity": ["ad", "web", "buy", "ad", "buy"],
...                    "timestamp": pd.to_datetime(["2026-01-01 09:00", "2026-01-01 09:30", "2026-01-01 11:00",
...                                                 "2026-01-02 09:00", "2026-01-02 09:10"], utc=True)})
>>> d = time_to_convert_distribution(ev, "buy")
>>> d.minutes.to_dict(), d.median
({'a': 120.0, 'b': 10.0}, 65.0)
>>> time_between(ev)[["source", "target", "count", "median_min"]].values.tolist()
[['ad', 'buy', 1, 10.0], ['ad', 'web', 1, 30.0], ['web', 'buy', 1, 90.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from journeymap.analytics._dispatch import dispatch
from journeymap.analytics._engine import first_per_case
from journeymap.analytics._frame import ACTIVITY, CASE, TIMESTAMP, ordered, require_values
from journeymap.analytics._rules import as_set
from journeymap.analytics.pathflow import out_of_core

__all__ = ["TimeToConvert", "time_between", "time_in_stage", "time_to_convert_distribution"]

_NS_PER_MIN = 60 * 1_000_000_000
STATS = ["p25_min", "median_min", "p75_min", "mean_min"]


def _stats(values: Any) -> dict[str, float]:
    """p25, median, p75 and mean of ``values`` (NaN ignored; NaN when none)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if not len(v):
        return dict.fromkeys(STATS, np.nan)
    p25, p50, p75 = np.percentile(v, [25, 50, 75])
    return {"p25_min": float(p25), "median_min": float(p50), "p75_min": float(p75), "mean_min": float(v.mean())}


@dataclass(frozen=True)
class TimeToConvert:
    """Minutes to convert per converting customer (``minutes``, indexed by case) and the customers who
    could convert (``customers``: all, or those with the start step). Quantiles by linear interpolation."""

    minutes: pd.Series
    customers: int
    start: str | None = None
    conversion: str = ""

    @property
    def converted(self) -> int:
        return len(self.minutes)

    @property
    def rate(self) -> float:
        return self.converted / self.customers if self.customers else 0.0

    def quantile(self, q: float) -> float:
        return float(np.percentile(self.minutes.to_numpy(dtype=float), q * 100)) if self.converted else np.nan

    @property
    def median(self) -> float:
        return self.quantile(0.5)

    @property
    def p90(self) -> float:
        return self.quantile(0.9)

    def summary(self) -> pd.Series:
        """customers, converted, rate, p25/median/p75/p90 and mean minutes."""
        return pd.Series({"customers": self.customers, "converted": self.converted, "rate": self.rate,
                          **_stats(self.minutes), "p90_min": self.p90}, name="time_to_convert")

    def __repr__(self) -> str:
        return (f"TimeToConvert({self.converted} of {self.customers} customers converted; "
                f"median {self.median:.1f} min, p90 {self.p90:.1f} min)")


def _check_conversion(events: Any, activity: str, conversion: str | Sequence[str],
                      start: str | Sequence[str] | None) -> None:
    require_values(events, activity, as_set(conversion)[0], "conversion")
    if start is not None:
        require_values(events, activity, as_set(start)[0], "start step")


@dispatch(lazy=out_of_core("time_to_convert_distribution"), check=_check_conversion)
def time_to_convert_distribution(events: pd.DataFrame, conversion: str | Sequence[str], *,
                                 start: str | Sequence[str] | None = None, case: str = CASE,
                                 activity: str = ACTIVITY, timestamp: str = TIMESTAMP) -> TimeToConvert:
    """The distribution of minutes to convert (see the module notes); ``.median``, ``.p90``, ``.summary()``."""
    events, log = ordered(events, case, activity, timestamp)
    labels = log.activities.astype(str)

    def mask(values: str | Sequence[str]) -> np.ndarray:
        return np.isin(log.activity, np.flatnonzero(labels.isin(list(as_set(values)[0]))))

    anchor = np.flatnonzero(log.first) if start is None else first_per_case(log, mask(start))
    n = len(log.case)
    conv = first_per_case(log, mask(conversion), np.where(anchor >= 0, anchor - 1, n))
    ok = (anchor >= 0) & (conv >= 0)
    minutes = (log.ts[conv[ok]] - log.ts[anchor[ok]]) / _NS_PER_MIN
    series = pd.Series(minutes.astype(float), index=pd.Index(log.cases[ok], name=case), name="minutes")
    return TimeToConvert(series, int((anchor >= 0).sum()), None if start is None else as_set(start)[1],
                         as_set(conversion)[1])


@dispatch(lazy=out_of_core("time_between"))
def time_between(events: pd.DataFrame, *, case: str = CASE, activity: str = ACTIVITY,
                 timestamp: str = TIMESTAMP) -> pd.DataFrame:
    """Minutes between the two events of every directly-follows edge: ``source``, ``target``, ``count``,
    ``p25_min``, ``median_min``, ``p75_min``, ``mean_min``; most frequent edge first (ties by name)."""
    events, log = ordered(events, case, activity, timestamp)
    nxt, has = log.lead(log.activity)
    tnext, _ = log.lead(log.ts)
    frame = pd.DataFrame({"a": log.activity[has], "b": nxt[has], "m": (tnext[has] - log.ts[has]) / _NS_PER_MIN})
    labels = log.activities.astype(str).to_numpy()
    grouped = frame.groupby(["a", "b"], sort=False)["m"]
    out = grouped.quantile(np.array([0.25, 0.5, 0.75])).unstack()
    out.columns = ["p25_min", "median_min", "p75_min"]
    out["mean_min"] = grouped.mean()
    out["count"] = grouped.size()
    out = out.reset_index()
    out.insert(0, "source", labels[out["a"].to_numpy()] if len(out) else [])
    out.insert(1, "target", labels[out["b"].to_numpy()] if len(out) else [])
    out = out.drop(columns=["a", "b"])[["source", "target", "count", *STATS]]
    out["count"] = out["count"].astype(np.int64)
    return out.sort_values(["count", "source", "target"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


@dispatch(lazy=out_of_core("time_in_stage"))
def time_in_stage(events: pd.DataFrame, *, stage: str = "stage", until: Literal["last", "next"] = "last",
                  per: Literal["customer", "stage"] = "customer", case: str = CASE,
                  timestamp: str = TIMESTAMP) -> pd.DataFrame:
    """Time in each stage (see the module notes).

    ``per="customer"``: one row per customer and stage: ``case``, ``stage``, ``events``, ``start``,
    ``end``, ``minutes`` (in log order of the stage's first event). ``per="stage"``: one row per stage:
    ``customers``, ``p25_min``, ``median_min``, ``p75_min``, ``mean_min`` (customers with a time only),
    stages in order of their median position in the journeys.
    """
    if until not in ("last", "next"):
        raise ValueError(f"until must be 'last' or 'next', got {until!r}")
    if per not in ("customer", "stage"):
        raise ValueError(f"per must be 'customer' or 'stage', got {per!r}")
    events, log = ordered(events, case, stage, timestamp)
    idx = np.arange(len(log.case))
    valid = log.activity >= 0
    frame = pd.DataFrame({"c": log.case[valid], "s": log.activity[valid], "i": idx[valid]})
    span = frame.groupby(["c", "s"], sort=False)["i"].agg(["min", "max", "size"]).reset_index()
    span = span.sort_values("min", kind="stable").reset_index(drop=True)
    first, last = span["min"].to_numpy(), span["max"].to_numpy()
    if until == "next":
        moved = ~log.last[last]
        end = np.where(moved, log.ts[np.minimum(last + 1, len(idx) - 1)], np.iinfo(np.int64).min)
    else:
        moved = np.ones(len(last), dtype=bool)
        end = log.ts[last]
    minutes = np.where(moved, (end - log.ts[first]) / _NS_PER_MIN, np.nan)
    rows = pd.DataFrame({case: log.cases[span["c"].to_numpy()], "stage": log.activities.astype(str)
                        .to_numpy()[span["s"].to_numpy()], "events": span["size"].to_numpy(),
                         "start": pd.to_datetime(log.ts[first], utc=True),
                         "end": pd.to_datetime(np.where(moved, end, np.iinfo(np.int64).min), utc=True),
                         "minutes": minutes})
    if per == "customer":
        return rows
    position = (first - np.flatnonzero(log.first)[span["c"].to_numpy()]).astype(float)
    order = pd.Series(position).groupby(rows["stage"].to_numpy()).median().sort_values(kind="stable")
    out = pd.DataFrame([{"stage": s, "customers": int(g.notna().sum()), **_stats(g)}
                        for s, g in rows.groupby("stage", sort=False)["minutes"]])
    return out.set_index("stage").loc[order.index].reset_index()
