"""Any analytic per segment, side by side, with a test of difference; and the A/B view.

A **segment** is a column of the log (persona, device, variant, …) or a derived one:

* ``"first_channel"`` — the channel of the customer's first event;
* ``"cohort_month"`` — the month (``YYYY-MM``, UTC) of the customer's first event;
* ``"converted"`` — ``"converted"`` / ``"not converted"`` (needs ``conversion=``).

A column of the log with one of these names wins over the derived meaning. A customer whose
segment value changes over their events takes the value of their **first** event that has one
(ties in time keep file order); a customer with no value at all is in segment ``"(missing)"``.
Segment values are compared as text.

:func:`by_segment` runs one measure on each segment's customers and returns one tidy frame with
a ``segment`` column; :func:`compare_segments` puts the segments side by side (one column each);
:func:`~journeymap.analytics.abtest.conversion_test` and :func:`~journeymap.analytics.abtest.funnel_test`
say whether the segments differ (formulas in :mod:`journeymap.analytics._significance`);
:func:`~journeymap.analytics.abtest.ab_test` is the A/B view of experiment arms.

>>> import pandas as pd
>>> ev = pd.DataFrame({"case_id": list("aabbccd"), "activity": ["ad", "buy", "ad", "web", "ad", "buy", "ad"],
...                    "channel": ["tiktok", "web", "email", "web", "tiktok", "web", "email"],
...                    "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02"] * 3 + ["2026-02-01"], utc=True)})
>>> by_segment(ev, "first_channel", "conversion", conversion="buy")[["segment", "customers", "conversions"]]
  segment  customers  conversions
0   email          2            0
1  tiktok          2            2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics._engine import Ordered, first_per_case
from journeymap.analytics._frame import ACTIVITY, CASE, CHANNEL, TIMESTAMP, frame_of, ordered, require
from journeymap.analytics._significance import rate_interval
from journeymap.analytics.measures import _conversion_check, _conversions, _funnel_check
from journeymap.errors import JourneyError, Problem

__all__ = ["DERIVED", "MEASURES", "MISSING", "by_segment", "compare_segments", "segments_of"]

#: Segments computed from the log rather than read from a column.
DERIVED = ("first_channel", "cohort_month", "converted")
#: What :func:`by_segment` can compute per segment.
MEASURES = ("conversion", "funnel", "channels", "dfg", "time_to_convert", "attribution", "paths")
#: Segment of customers with no value in the segment column.
MISSING = "(missing)"
_NS_PER_MIN = 60 * 1_000_000_000
_NEEDS_CONVERSION = ("conversion", "channels", "time_to_convert", "attribution")


def _problem(field: str, message: str, value: Any = None) -> JourneyError:
    return JourneyError([Problem("<events>", field, message, value)])


def _check_segment(frame: pd.DataFrame, segment: Any, conversion: Any, channel: str) -> None:
    from journeymap.safety import suggest

    if segment in frame.columns:
        return
    if segment not in DERIVED:
        choices = [*map(str, frame.columns), *DERIVED]
        raise _problem("segment", f"no column {str(segment)!r} in the log and not a derived segment; "
                       + suggest(segment, choices))
    if segment == "converted" and conversion is None:
        raise _problem("segment", "the 'converted' segment needs conversion= (the activity that counts as "
                       "converting)")
    if segment == "first_channel":
        require(frame, [channel])


def _segment_codes(frame: pd.DataFrame, log: Ordered, segment: Any, conversion: Any, activity: str,
                   channel: str) -> np.ndarray:
    """The segment (text) of each case of ``log`` (case code order)."""
    if segment not in frame.columns and segment == "converted":
        conv = _conversions(frame, log, activity, conversion)
        return np.where(conv >= 0, "converted", "not converted").astype(object)
    first = first_per_case(log, np.ones(len(log.case), dtype=bool))
    if segment not in frame.columns and segment == "cohort_month":
        return pd.to_datetime(log.ts[first], utc=True).strftime("%Y-%m").to_numpy(dtype=object)
    column = channel if segment not in frame.columns else segment
    values = pd.Series(log.take(frame, column), dtype=object)
    has = values.notna().to_numpy() & (values.astype(str).str.strip() != "").to_numpy()
    idx = first_per_case(log, has)
    text = values.astype(str).to_numpy(dtype=object)
    return np.where(idx >= 0, text[np.maximum(idx, 0)], MISSING).astype(object)


def events_frame(events: Any, case: str, activity: str, timestamp: str) -> pd.DataFrame:
    """``events`` as a pandas frame: a DataFrame or EventLog as is, a Parquet log that fits in memory read
    once (:mod:`journeymap.analytics._memory`); anything else is a one-line :class:`JourneyError`."""
    from journeymap.analytics._memory import in_memory

    frame = frame_of(events)
    if not isinstance(frame, pd.DataFrame):
        import os

        read = in_memory(frame, [case, activity, timestamp])
        if read is None and isinstance(frame, (str, os.PathLike)) and os.path.exists(frame):
            raise _problem("", f"segments run in memory: this log is not a Parquet log with columns {case}, "
                           f"{activity}, {timestamp} (timestamps typed) small enough for memory; read it with "
                           "read_events(...) and pass the events", os.fspath(frame))
        if read is None:
            require(frame, [])  # a missing path, a Spark frame, anything else: says what to do
        frame = read
    return frame


def segments_of(events: Any, segment: Any, *, conversion: str | Sequence[str] | None = None, case: str = CASE,
                activity: str = ACTIVITY, timestamp: str = TIMESTAMP, channel: str = CHANNEL) -> pd.Series:
    """The segment of every customer: a Series indexed by case id, values as text (see the module notes)."""
    frame = events_frame(events, case, activity, timestamp)
    require(frame, [case, activity, timestamp])
    _check_segment(frame, segment, conversion, channel)
    if conversion is not None:
        _conversion_check(frame, activity, conversion)
    frame, log = ordered(frame, case, activity, timestamp)
    codes = _segment_codes(frame, log, segment, conversion, activity, channel)
    return pd.Series(codes, index=pd.Index(log.cases, name=case), name="segment", dtype=object)


def _order(seg: pd.Series, first: Any = None) -> list[str]:
    """Segments by customers (most first), then by name; ``first`` leads when given."""
    counts = seg.value_counts()
    names = sorted(counts.index, key=lambda s: (-int(counts[s]), str(s)))
    if first is not None and first in names:
        names.remove(first)
        names.insert(0, first)
    return names


def _per_customer(frame: pd.DataFrame, log: Ordered, seg: pd.Series, conversion: Any, activity: str,
                  ) -> pd.DataFrame:
    """One row per customer: segment, converted, minutes to the first conversion (NaN if none)."""
    conv = _conversions(frame, log, activity, conversion)
    start = first_per_case(log, np.ones(len(log.case), dtype=bool))
    minutes = np.where(conv >= 0, (log.ts[np.maximum(conv, 0)] - log.ts[start]) / _NS_PER_MIN, np.nan)
    return pd.DataFrame({"segment": seg.to_numpy(), "converted": conv >= 0, "minutes": minutes})


def _conversion_rows(per: pd.DataFrame, names: list[str], level: float) -> pd.DataFrame:
    grp = per.groupby("segment", sort=False)["converted"]
    out = pd.DataFrame({"customers": grp.size(), "conversions": grp.sum()}).reindex(names).fillna(0)
    out = out.astype(np.int64)
    out["rate"] = out["conversions"] / out["customers"]
    out["rate_low"], out["rate_high"] = rate_interval(out["conversions"], out["customers"], level)
    out.index.name = "segment"
    return out


def _time_rows(per: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    done = per[per["converted"]]
    grp = done.groupby("segment", sort=False)["minutes"]
    out = pd.DataFrame({"converted": grp.size(), "p25_min": grp.quantile(0.25), "median_min": grp.median(),
                        "p75_min": grp.quantile(0.75), "p90_min": grp.quantile(0.9), "mean_min": grp.mean()})
    out = out.reindex(names)
    out["converted"] = out["converted"].fillna(0).astype(np.int64)
    out.index.name = "segment"
    return out


def by_segment(events: Any, segment: Any, measure: str = "conversion", *,
               conversion: str | Sequence[str] | None = None, stages: Sequence[Any] | None = None,
               case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP, channel: str = CHANNEL,
               level: float = 0.95, **kwargs: Any) -> pd.DataFrame:
    """``measure`` computed on each segment's customers: one tidy frame, ``segment`` first.

    ``measure`` is one of :data:`MEASURES`:

    * ``"conversion"`` — ``customers``, ``conversions``, ``rate`` and its Wilson interval
      ``rate_low``/``rate_high`` (at ``level``);
    * ``"funnel"`` — :func:`~journeymap.analytics.funnel` rows (needs ``stages``);
    * ``"channels"`` — :func:`~journeymap.analytics.conversion_by_channel` rows (``channel`` column);
    * ``"dfg"`` — the directly-follows edges of :func:`~journeymap.analytics.dfg`;
    * ``"time_to_convert"`` — converted customers and minutes to convert (p25, median, p75, p90, mean);
    * ``"attribution"`` — :func:`~journeymap.analytics.attribution` credits (``channel`` column);
    * ``"paths"`` — ``paths_from`` of :mod:`journeymap.analytics.pathflow` (pass ``step=``).

    ``events`` is a pandas DataFrame, an EventLog or a Parquet log small enough for memory (segments
    run in memory; larger logs give a one-line error).

    Other keyword arguments go to the measure's function (``strict_order=``, ``by=``, ``models=``,
    ``touch=``, ``depth=``, …). Segments come most customers first (``first=NAME`` puts that one first).
    """
    if measure not in MEASURES:
        from journeymap.safety import suggest

        raise _problem("measure", f"unknown measure {measure!r}; " + suggest(measure, MEASURES))
    if measure in _NEEDS_CONVERSION and conversion is None:
        raise _problem("conversion", f"the {measure!r} measure needs conversion= (the converting activity)")
    frame = events_frame(events, case, activity, timestamp)
    seg = segments_of(frame, segment, conversion=conversion, case=case, activity=activity, timestamp=timestamp,
                      channel=channel)
    names = _order(seg, kwargs.pop("first", None))
    if measure in ("conversion", "time_to_convert"):
        frame, log = ordered(frame, case, activity, timestamp)
        per = _per_customer(frame, log, seg, conversion, activity)
        rows = _conversion_rows(per, names, level) if measure == "conversion" else _time_rows(per, names)
        return rows.reset_index()
    run = _runner(frame, measure, conversion, stages, case, activity, timestamp, channel, kwargs)
    row_seg = frame[case].map(seg).to_numpy()
    parts = []
    for name in names:
        part = run(frame[row_seg == name])
        part.insert(0, "segment", name)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _body(analytic: Any) -> Any:
    """The in-memory body of a dispatched analytic, without its argument checks (done once, on the whole log)."""
    return analytic.__wrapped__


def _runner(frame: pd.DataFrame, measure: str, conversion: Any, stages: Any, case: str, activity: str,
            timestamp: str, channel: str, kwargs: dict[str, Any]) -> Any:
    """A function of one segment's events → that segment's rows; arguments are checked once, on the whole log."""
    from journeymap.analytics.attribution import attribution
    from journeymap.analytics.discovery import dfg
    from journeymap.analytics.measures import conversion_by_channel, funnel

    if measure == "funnel":
        if not stages:
            raise _problem("stages", "the 'funnel' measure needs stages= (a list of steps)")
        by = kwargs.pop("by", activity)
        require(frame, [by])
        _funnel_check(frame, stages, by)  # once on the whole log: a segment may lack a step (0 customers)
        return lambda sub: _body(funnel)(sub, stages, by=by, case=case, timestamp=timestamp, **kwargs)
    if measure == "channels":
        require(frame, [channel])
        by_channel = _body(conversion_by_channel)
        return lambda sub: by_channel(sub, conversion, case=case, activity=activity, timestamp=timestamp,
                                      channel=channel, **kwargs).reset_index()
    if measure == "dfg":
        return lambda sub: dfg(sub, case=case, activity=activity, timestamp=timestamp, **kwargs).edges
    if measure == "attribution":
        from journeymap.analytics.attribution import MODELS
        from journeymap.analytics.measures import _as_set

        models = list(kwargs.pop("models", MODELS))
        unknown = [m for m in models if m not in MODELS]
        if unknown:
            raise _problem("models", f"unknown attribution model(s) {', '.join(map(str, unknown))}; choose from "
                           + ", ".join(MODELS))
        touch = kwargs.pop("touch", channel)
        require(frame, [touch])
        wanted = [str(v) for v in _as_set(conversion)[0]]

        def credit(sub: pd.DataFrame) -> pd.DataFrame:
            has = sub[activity].astype(str).isin(wanted).any()
            use = models if has else [m for m in models if m != "markov"]  # no conversions: no chain to solve
            out = _body(attribution)(sub, conversion, models=use, touch=touch, case=case, activity=activity,
                                     timestamp=timestamp, **kwargs)
            return out.reindex(columns=models, fill_value=0.0).reset_index()

        return credit
    return _paths_runner(frame, conversion, case, activity, timestamp, kwargs)


def _paths_runner(frame: pd.DataFrame, conversion: Any, case: str, activity: str, timestamp: str,
                  kwargs: dict[str, Any]) -> Any:
    """``paths_from`` per segment; a segment that never reaches ``step`` has no rows, one that never
    converts has conversion 0."""
    from journeymap.analytics._frame import require_values
    from journeymap.analytics.measures import _as_set
    from journeymap.analytics.pathflow import paths_from

    step = kwargs.pop("step", None)
    if step is None:
        raise _problem("step", "the 'paths' measure needs step= (the activity the paths start from)")
    wanted = [str(v) for v in _as_set(step)[0]]
    require_values(frame, activity, wanted, "step")
    converting = [str(v) for v in _as_set(conversion)[0]] if conversion is not None else []

    def paths(sub: pd.DataFrame) -> pd.DataFrame:
        text = sub[activity].astype(str)
        if not text.isin(wanted).any():
            return pd.DataFrame()
        has = bool(converting) and bool(text.isin(converting).any())
        out = paths_from(sub, step, conversion=conversion if has else None, case=case, activity=activity,
                         timestamp=timestamp, **kwargs)
        if converting and not has:
            out = out.assign(conversions=0, conversion=0.0)
        return out

    return paths


#: The column :func:`compare_segments` shows by default, and the key columns of its rows, per measure.
_WIDE = {"funnel": (["step"], "conversion"), "channels": (["channel"], "rate"), "dfg": (["source", "target"], "count"),
         "attribution": (["channel"], None), "paths": (["prefix", "activity"], "customers")}


def compare_segments(events: Any, segment: Any, measure: str = "conversion", *, value: str | None = None,
                     **kwargs: Any) -> pd.DataFrame:
    """The segments side by side: one column per segment (in :func:`by_segment` order).

    For ``conversion`` and ``time_to_convert`` the rows are the measures (customers, rate, …). For the
    others the rows are the measure's keys (funnel step, channel, DFG edge ``"source → target"``) and the
    cells are ``value`` — by default the funnel ``conversion``, the channel ``rate``, the edge ``count``,
    the first attribution model, the customers of a ``paths`` node (key ``"step > b > c"``); a key a
    segment never has is 0 for counts and credits, else NaN.
    """
    tidy = by_segment(events, segment, measure, **kwargs)
    names = list(dict.fromkeys(tidy["segment"]))
    if measure in ("conversion", "time_to_convert"):
        wide = tidy.set_index("segment").T
        wide.columns.name = "segment"
        return wide[names]
    if measure in _WIDE:
        keys, default = _WIDE[measure]
    else:
        keys = [c for c in tidy.columns if c != "segment" and not pd.api.types.is_numeric_dtype(tidy[c])]
        default = None
    numeric = [c for c in tidy.columns if c not in keys and c != "segment"]
    column = value or default or (numeric[0] if numeric else None)
    if column not in tidy.columns:
        from journeymap.safety import suggest

        raise _problem("value", f"no column {str(column)!r} in the {measure} table; " + suggest(column, numeric))
    if measure == "paths":  # a node is its path from the root: "ig_profile > blog_post > (end)"
        root = str(tidy["activity"].iloc[0])
        key_index = pd.Series([" > ".join([root, *map(str, p), str(a)]) if lv else root for lv, p, a
                               in zip(tidy["level"], tidy["prefix"], tidy["activity"], strict=True)])
        keys = ["path"]
    else:
        key_index = tidy[keys].astype(str).agg(" → ".join, axis=1) if len(keys) > 1 else tidy[keys[0]]
    wide = pd.DataFrame({"key": key_index.to_numpy(), "segment": tidy["segment"].to_numpy(),
                         "value": tidy[column].to_numpy()})
    wide = wide.pivot_table(index="key", columns="segment", values="value", aggfunc="first", sort=False)
    wide = wide.reindex(columns=names)
    if measure in ("dfg", "attribution", "paths") or column in ("count", "customers", "conversions"):
        wide = wide.fillna(0)
    wide.index.name = keys[0] if len(keys) == 1 else " → ".join(keys)
    wide.columns.name = "segment"
    return wide
