"""Lazy-engine (narwhals) conformance, attribution paths and credits, and discovery statistics.

Same rules as the pandas path; only aggregates are collected. Used through the
public functions (``conformance``, ``conversion_paths``, ``attribution``,
``discover``) when they get a Parquet path or a PySpark DataFrame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics._backend import ROW, US, collect, ordered_strings, per_bucket
from journeymap.analytics._lazy import S, _is_in, activity_table, dfg_from_pairs, first_conversion, pairs, scan, steps
from journeymap.analytics._rules import mode_of_counts
from journeymap.analytics._types import ConformanceReport
from journeymap.graph import entries

_REASONS = ("activity not in the design", "starts outside the design's entries", "move not designed", "fits")


def conformance(designed: Any, events: Any, case: str, activity: str, timestamp: str) -> Any:
    import narwhals as nw

    tp_ids = [tp.id for tp in designed.touchpoints]
    designed_keys = {(t.source, t.target) for t in designed.transitions}
    p = pairs(events, case, activity, timestamp)
    acts = activity_table(p)
    e = steps(scan(events, case, activity, timestamp), S(case), S(activity))
    case, activity = S(case), S(activity)
    act = nw.col(activity).cast(nw.String)
    key = nw.concat_str(act, nw.lit("\x1f"), nw.col("_next").cast(nw.String))
    flags = e.group_by(case).agg(
        (~_is_in(act, tp_ids)).cast(nw.Int64).max().alias("_unknown"),
        (nw.col("_prev_row").is_null() & ~_is_in(act, entries(designed))).cast(nw.Int64).max().alias("_bad_start"),
        (~nw.col("_next").is_null() & ~_is_in(key, sorted(f"{s}\x1f{t}" for s, t in designed_keys)))
        .cast(nw.Int64).max().alias("_undesigned"))
    counts = collect(flags.group_by("_unknown", "_bad_start", "_undesigned").agg(nw.len().alias("n")))
    reason = np.where(counts["_unknown"] == 1, _REASONS[0], np.where(
        counts["_bad_start"] == 1, _REASONS[1], np.where(counts["_undesigned"] == 1, _REASONS[2], _REASONS[3])))
    deviations = counts.groupby(reason)["n"].sum().astype(np.int64).sort_values(ascending=False, kind="stable")
    deviations.index.name, deviations.name = None, "customers"
    fits = flags.select(case, ((nw.col("_unknown") + nw.col("_bad_start") + nw.col("_undesigned")) == 0)
                        .alias("fits")).to_native()

    observed = p[p["_next"].notna()].rename(columns={"activity": "source", "_next": "target"})
    observed = observed.assign(key=observed["source"].astype(str) + "->" + observed["target"].astype(str))
    table = pd.DataFrame([{"key": tr.key, "source": tr.source, "target": tr.target, "designed_share": tr.share,
                           "count": int(observed.loc[(observed["source"] == tr.source)
                                                     & (observed["target"] == tr.target), "count"].sum()),
                           "occ": int(acts["events"].get(tr.source, 0))} for tr in designed.transitions],
                         columns=["key", "source", "target", "designed_share", "count", "occ"])
    table["observed_share"] = np.where(table["occ"] > 0, table["count"] / table["occ"].replace(0, 1), np.nan)
    table = table.drop(columns="occ")
    unexpected = observed[[(s, t) not in designed_keys for s, t in zip(observed["source"], observed["target"],
                                                                      strict=True)]]
    unexpected = unexpected.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
    unknown = acts["events"][~acts.index.isin(tp_ids)].sort_values(ascending=False, kind="stable").rename("events")
    unknown.index.name = None
    n_cases = int(counts["n"].sum())
    return ConformanceReport(
        cases=n_cases, fitting_cases=int(deviations.get(_REASONS[3], 0)),
        missing=table[table["count"] == 0][["key", "source", "target", "designed_share"]].reset_index(drop=True),
        unexpected=unexpected[["key", "source", "target", "count"]], unknown_activities=unknown,
        transitions=table, deviations=deviations, fits=fits)


def touches(lf: Any, conversion: str | Sequence[str], case: str, activity: str) -> tuple[Any, Any]:
    """(touches before the first conversion, or all for non-converters, with ``_converted`` and
    ``_case_first``; first conversion per case ``case, _pus, _prow``) — lazy, from scanned events."""
    import narwhals as nw

    lf = lf.with_columns(nw.col(ROW).min().over(case).alias("_case_first"))
    conv = first_conversion(lf, conversion, case, activity)
    t = lf.join(conv, on=case, how="left").filter(
        nw.col("_pus").is_null() | (nw.col(US) < nw.col("_pus"))
        | ((nw.col(US) == nw.col("_pus")) & (nw.col(ROW) < nw.col("_prow"))))
    return t.with_columns((~nw.col("_pus").is_null()).alias("_converted")), conv


def conversion_paths(events: Any, conversion: str | Sequence[str], touch: str, case: str, activity: str,
                     timestamp: str, sep: str) -> pd.DataFrame:
    import narwhals as nw

    lf = scan(events, case, activity, timestamp, extra=[touch])
    case, activity, touch = S(case), S(activity), S(touch)

    def per_path(part: Any) -> Any:  # per path: conversions, customers, earliest first row (re-summed over buckets)
        t, _ = touches(nw.from_native(part), conversion, case, activity)
        t = t.with_columns(nw.col("_case_first").alias("_cf"))  # ties between paths: the case's first row
        per_case = nw.from_native(ordered_strings(t.to_native(), case, touch, sep))
        flags = t.group_by(case).agg(nw.col("_converted").cast(nw.Int64).max().alias("_conv"),
                                     nw.col("_cf").min().alias("_cf"))
        return per_case.join(flags, on=case, how="inner").group_by("path").agg(
            nw.col("_conv").sum().alias("conversions"), nw.len().alias("total"), nw.col("_cf").min()).to_native()

    with per_bucket(events, lf.to_native(), case, per_path) as parts:
        g = nw.from_native(parts).group_by("path").agg(nw.col("conversions").sum(), nw.col("total").sum(),
                                                      nw.col("_cf").min())
        out = collect(g).sort_values("_cf").reset_index(drop=True)
    out["conversions"] = out["conversions"].astype(np.int64)
    out["nulls"] = out["total"].astype(np.int64) - out["conversions"]
    out = out[["path", "conversions", "nulls"]]
    return out.sort_values(["conversions", "nulls"], ascending=False, kind="stable").reset_index(drop=True)


def heuristic_credit(events: Any, conversion: str | Sequence[str], models: Sequence[str], touch: str, case: str,
                     activity: str, timestamp: str, half_life: Any) -> tuple[dict[str, pd.Series], list[str]]:
    """Credits of the first/last/linear/time_decay models, and every touch channel seen."""
    import narwhals as nw

    decay = np.log(2) / (pd.Timedelta(half_life).value / 1000)
    lf = scan(events, case, activity, timestamp, extra=[touch])
    case, activity, touch = S(case), S(activity), S(touch)

    def credit(part: Any) -> Any:  # per touch channel: credits and touches (re-summed over buckets)
        t, _ = touches(nw.from_native(part), conversion, case, activity)
        order = [US, ROW]
        t = t.with_columns(
            nw.col(ROW).shift(1).over(case, order_by=order).is_null().alias("_first"),
            nw.col(ROW).shift(-1).over(case, order_by=order).is_null().alias("_last"),
            nw.len().over(case).alias("_n"),
            (-(nw.col("_pus") - nw.col(US)) * decay).exp().alias("_w"))
        t = t.with_columns((nw.col("_w") / nw.col("_w").sum().over(case)).alias("_w"))
        conv = nw.col("_converted")
        return t.group_by(touch).agg(
            (nw.col("_first") & conv).cast(nw.Int64).sum().alias("first"),
            (nw.col("_last") & conv).cast(nw.Int64).sum().alias("last"),
            nw.when(conv).then(1 / nw.col("_n")).otherwise(0.0).sum().alias("linear"),
            nw.when(conv).then(nw.col("_w")).otherwise(0.0).sum().alias("time_decay"),
            conv.cast(nw.Int64).sum().alias("_converted")).to_native()

    with per_bucket(events, lf.to_native(), case, credit) as parts:
        res = collect(nw.from_native(parts).group_by(touch).agg(
            *[nw.col(m).sum() for m in ("first", "last", "linear", "time_decay", "_converted")]))
    res = res.set_index(touch)
    res.index = res.index.astype(str)
    channels = sorted(res.index)
    res = res[res["_converted"] > 0]
    return {m: res[m] for m in ("first", "last", "linear", "time_decay") if m in models and len(res)}, channels


def discovery_stats(events: Any, case: str, activity: str, timestamp: str, channel: str,
                    stage: str | None) -> dict[str, Any]:
    """The inputs of discovery's assembly step: graph, per-activity tables, totals (as the pandas path's)."""
    import narwhals as nw

    from journeymap.analytics._backend import native

    if stage is not None and stage not in native(events).columns:
        stage = None
    p = pairs(events, case, activity, timestamp)
    if p.empty:
        return {"n_events": 0}
    by_case = scan(events, case, activity, timestamp)  # the same split as pairs' (reused on large logs)
    lf = scan(events, case, activity, timestamp, extra=[channel, stage])
    case, activity, channel = S(case), S(activity), S(channel)
    stage = S(stage) if stage is not None else None
    graph = dfg_from_pairs(p)
    acts = activity_table(p)
    labels = [str(x) for x in acts.index]
    code = {a: i for i, a in enumerate(labels)}

    def places(part: Any) -> Any:  # per activity: customers, and the sum and count of positions in the case
        pos = nw.from_native(part).with_columns(
            (nw.col(ROW).cum_count().over(case, order_by=[US, ROW]) - 1).alias("_pos"))
        return pos.group_by(activity).agg(nw.col(case).n_unique().alias("cases"), nw.col("_pos").sum(),
                                          nw.len().alias("_n")).to_native()

    with per_bucket(events, by_case.to_native(), case, places) as parts:
        per = collect(nw.from_native(parts).group_by(activity).agg(nw.col("cases").sum(), nw.col("_pos").sum(),
                                                                    nw.col("_n").sum()))
    per["place"] = per["_pos"] / per["_n"]
    per.index = per[activity].astype(str).map(code)

    def counts(col: str) -> pd.DataFrame:
        c = collect(lf.group_by(activity, col).agg(nw.len().alias("n")))
        return pd.DataFrame({"k": c[activity].astype(str).map(code), "v": c[col].astype(str), "n": c["n"]})

    totals = collect(lf.select(nw.len().alias("n"), nw.col(case).n_unique().alias("cases"),
                               nw.col(US).min().alias("t0"), nw.col(US).max().alias("t1")))
    if not int(totals["n"].iloc[0]):
        return {"n_events": 0}
    return {"graph": graph, "labels": labels, "chan": mode_of_counts(counts(channel)),
            "stages": mode_of_counts(counts(stage)) if stage is not None else None,
            "place": per["place"].sort_index(), "events": acts["events"].to_numpy(),
            "cases": per["cases"].sort_index().to_numpy(), "n_events": int(totals["n"].iloc[0]),
            "n_cases": int(totals["cases"].iloc[0]),
            "first": pd.Timestamp(int(totals["t0"].iloc[0]) * 1000, tz="UTC"),
            "last": pd.Timestamp(int(totals["t1"].iloc[0]) * 1000, tz="UTC")}
