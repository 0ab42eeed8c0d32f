"""The analytics on a lazy engine, written once on narwhals: DuckDB (Parquet, out of core) and PySpark.

Order is never implicit: every per-case sequence is a window
``over(case, order_by=[timestamp µs, event_row])`` — the same rule as the
pandas path (stable sort, ties in file order), with ``event_row`` standing for
the position in the file (see :mod:`journeymap.analytics._backend`). Only
aggregates (one row per activity, pair, variant, path or funnel step) are
collected; the events stay in the engine.

>>> import pandas as pd, tempfile, os
>>> ev = pd.DataFrame({"case_id": list("aab"), "activity": ["x", "y", "x"],
...                    "timestamp": pd.to_datetime(["2026-01-01"] * 3, utc=True).astype("datetime64[us, UTC]")})
>>> path = os.path.join(tempfile.mkdtemp(), "log.parquet"); ev.to_parquet(path)
>>> pairs(path, "case_id", "activity")[["activity", "_next", "count", "starts"]].values.tolist()
[['x', 'y', 1, 1], ['x', None, 1, 1], ['y', None, 1, 0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics._backend import (
    ROW,
    US,
    collect,
    kind,
    native,
    ordered_strings,
    per_bucket,
    safe_name,
    select_safe,
)
from journeymap.analytics._rules import as_set, funnel_row, normalize_rows
from journeymap.analytics._types import DFG
from journeymap.errors import JourneyError, Problem
from journeymap.safety import spark_ident, sql_ident

SEP = "\x1f"  # joins activities of a variant inside the engine; must not occur in activity names
S = safe_name  # the alias of a user column inside the engine (see scan)


def scan(events: Any, case: str, activity: str, timestamp: str, extra: Sequence[Any] = ()) -> Any:
    """A narwhals LazyFrame of the needed columns plus ``_ts_us`` and ``event_row``; null keys left out.

    Each column is renamed to its :func:`~journeymap.analytics._backend.safe_name` (``S(name)`` in the
    callers), so a name read from a file never reaches SQL text or narwhals' name parsing."""
    import narwhals as nw

    frame = native(events)
    wanted = [case, activity, timestamp, *[c for c in extra if c is not None]]
    missing = [str(c) for c in wanted if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, list(frame.columns)[:12]))
        raise JourneyError([Problem(_name(events), "columns",
                                    f"missing column(s): {', '.join(missing)}; found: {found}")])
    frame = select_safe(frame, wanted)
    keep = list(dict.fromkeys([S(c) for c in wanted if c != timestamp] + [ROW]))  # time travels as _ts_us
    lf = nw.from_native(with_micros(frame, S(timestamp))).select(*keep, US)
    return lf.filter(~nw.col(S(case)).is_null() & ~nw.col(S(activity)).is_null() & ~nw.col(US).is_null())


def with_micros(frame: Any, timestamp: str) -> Any:
    """``frame`` (native) plus ``_ts_us``: the timestamp as integer microseconds since the epoch (UTC).

    A text column follows the time rule of :mod:`journeymap.analytics._time` (naive text read as UTC;
    named zones such as ``10:00 EST`` and other unparseable text give null, so the event takes no part)."""
    from journeymap.analytics._time import utc_timestamps

    if kind(frame) == "spark":
        from pyspark.sql import functions as F
        from pyspark.sql import types as T

        if isinstance(frame.schema[timestamp].dataType, T.StringType):
            ruled = utc_timestamps(frame, timestamp, "UTC")
            return ruled.withColumn(US, F.unix_micros(F.col("_ts"))).drop("_ts", "_naive", "_bad_local")
        return frame.withColumn(US, F.unix_micros(F.col(spark_ident(timestamp)).cast("timestamp")))
    cols = ", ".join(sql_ident(c) for c in frame.columns)
    dtype = str(dict(zip(frame.columns, frame.types, strict=True))[timestamp]).upper()
    if dtype.startswith("VARCHAR"):
        return utc_timestamps(frame, timestamp, "UTC").project(f"{cols}, epoch_us(_ts) AS {US}")
    return frame.project(f"{cols}, epoch_us(TRY_CAST({sql_ident(timestamp)} AS TIMESTAMPTZ)) AS {US}")


def _name(events: Any) -> str:
    return str(events) if isinstance(events, str) or hasattr(events, "__fspath__") else "<events>"


def steps(lf: Any, case: str, activity: str) -> Any:
    """Add ``_next`` (next activity in the case), ``_next_us``, ``_prev_row`` and ``_next_row``."""
    import narwhals as nw

    order = [US, ROW]
    return lf.with_columns(
        nw.col(activity).shift(-1).over(case, order_by=order).alias("_next"),
        nw.col(US).shift(-1).over(case, order_by=order).alias("_next_us"),
        nw.col(ROW).shift(1).over(case, order_by=order).alias("_prev_row"),
        nw.col(ROW).shift(-1).over(case, order_by=order).alias("_next_row"),
    )


def pairs(events: Any, case: str, activity: str, timestamp: str = "timestamp") -> pd.DataFrame:
    """One row per (activity, next activity or None = case ended): ``count``, ``median_min``, ``starts``
    (cases starting with the activity) and ``first_row``; sorted by first appearance."""
    import narwhals as nw

    lf = scan(events, case, activity, timestamp)
    case, activity = S(case), S(activity)

    def step_rows(part: Any) -> Any:  # per case: the next activity and the gap to it
        e = steps(nw.from_native(part), case, activity)
        return e.select(activity, "_next", ((nw.col("_next_us") - nw.col(US)) / 60e6).alias("_gap"),
                        nw.col("_prev_row").is_null().cast(nw.Int64).alias("_start"), ROW).to_native()

    with per_bucket(events, lf.to_native(), case, step_rows) as rows:
        e = nw.from_native(rows)
        bins = _gap_bins(e, [activity, "_next"], nw.col("_start").sum().alias("starts"),
                         nw.col(ROW).min().alias("first_row"))
        medians = _exact_medians(e, bins, [activity, "_next"])
    bins = bins.rename(columns={activity: "activity"})
    out = bins.groupby(["activity", "_next"], dropna=False, sort=False).agg(
        count=("count", "sum"), starts=("starts", "sum"), first_row=("first_row", "min")).reset_index()
    out["_next"] = out["_next"].astype(object).where(out["_next"].notna(), None)
    out["median_min"] = [medians.get((a, b), np.nan) for a, b in zip(out["activity"], out["_next"], strict=True)]
    first = out.groupby("activity")["first_row"].min()
    out["_code"] = out["activity"].map(first.rank(method="first").astype(int) - 1)
    out["_ncode"] = out["_next"].map(first.rank(method="first").astype(int) - 1).fillna(-1).astype(int)
    out = out.sort_values(["_code", "_ncode"], key=lambda s: s.where(s >= 0, 10**9)).reset_index(drop=True)
    for col in ("count", "starts", "first_row"):
        out[col] = out[col].astype(np.int64)
    return out


def _bin_expr() -> Any:
    import narwhals as nw

    # 16 bins per doubling of the gap in microseconds: monotone, so a key's k-th gap is in a known bin;
    # mirrored for negative gaps (a funnel in any order can reach a step before the previous one)
    size = ((nw.col("_gap").abs() * 60e6 + 1).log(2) * 16)
    return nw.when(nw.col("_gap") < 0).then(-size).otherwise(size).cast(nw.Int64)


def _gap_bins(e: Any, keys: list[str], *aggs: Any) -> pd.DataFrame:
    """Per key and gap bin (``_gap`` in minutes, null allowed): ``count``, ``_lo``, ``_hi`` and ``aggs``.
    Counts add up over bins; the bins locate each key's median for :func:`_exact_medians`."""
    import narwhals as nw

    return collect(e.with_columns(_bin_expr().alias("_bin")).group_by(*keys, "_bin").agg(
        nw.len().alias("count"), nw.col("_gap").min().alias("_lo"), nw.col("_gap").max().alias("_hi"), *aggs))


def _exact_medians(e: Any, bins: pd.DataFrame, keys: list[str]) -> dict[tuple[Any, ...], float]:
    """Exact median of ``_gap`` per key, without sorting all gaps (a sort of the whole log is what
    stops scaling): the middle rank(s) are located in the histogram ``bins``; a bin holding a single
    value answers directly, the others are ranked in the engine (only their rows) and the one or two
    middle values collected. Same value as ``pandas.Series.median``."""
    import narwhals as nw

    b = bins[bins["_lo"].notna()].sort_values([*keys, "_bin"], kind="stable")
    if b.empty:
        return {}
    groups = b.groupby([b[k] for k in keys], sort=False)["count"]
    upto, total = groups.cumsum(), groups.transform("sum")
    before = upto - b["count"]
    found: dict[tuple[Any, ...], float] = {}  # (*key, which middle) -> value
    wanted: dict[str, list[tuple[Any, ...]]] = {}  # engine-side "key|bin" string -> [(*key, which, rank in bin)]
    for which, k in enumerate(((total + 1) // 2, total // 2 + 1)):
        hit = b[(before < k) & (k <= upto)]
        for row, r in zip(hit[[*keys, "_bin", "_lo", "_hi"]].itertuples(index=False), (k - before)[hit.index],
                          strict=True):
            *key, bn, lo, hi = row
            if lo == hi:
                found[(*key, which)] = float(lo)
            else:
                wanted.setdefault(SEP.join([*map(str, key), str(int(bn))]), []).append((*key, which, int(r)))
    if wanted:
        text = nw.concat_str([*[nw.col(k).cast(nw.String) for k in keys], nw.col("_bin").cast(nw.String)],
                             separator=SEP)
        sub = e.filter(~nw.col("_gap").is_null()).with_columns(_bin_expr().alias("_bin"))
        sub = sub.filter(nw.col("_bin").is_in(sorted({int(w.rsplit(SEP, 1)[1]) for w in wanted})))
        sub = sub.with_columns(text.alias("_key")).filter(nw.col("_key").is_in(sorted(wanted)))
        sub = sub.with_columns(nw.col("_gap").rank(method="ordinal").over("_key").alias("_r"))
        ranks = sorted({item[-1] for items in wanted.values() for item in items})
        got = collect(sub.filter(nw.col("_r").is_in(ranks)).select("_key", "_r", "_gap"))
        value = {(str(w), int(r)): float(g) for w, r, g in got.itertuples(index=False)}
        for w, items in wanted.items():
            for *key, which, r in items:
                found[(*key, which)] = value[(w, r)]
    return {key[:-1]: (found[key] + found[(*key[:-1], 1)]) / 2 for key in found if key[-1] == 0}


def activity_table(p: pd.DataFrame) -> pd.DataFrame:
    """Per activity (first-appearance order): ``events``, ``starts``, ``ends``, ``first_row``."""
    ends = p[p["_next"].isna()].groupby("activity")["count"].sum()
    t = p.groupby("activity").agg(events=("count", "sum"), starts=("starts", "sum"), first_row=("first_row", "min"))
    t["ends"] = ends.reindex(t.index).fillna(0).astype(np.int64)
    return t.sort_values("first_row")


def _by_count(values: pd.Series, name: str) -> pd.Series:
    s = values[values > 0].astype(np.int64)
    s.index = pd.Index(s.index, name="activity")
    return s.iloc[np.lexsort((s.index.astype(str), -s.to_numpy()))].rename(name)


def dfg(events: Any, case: str, activity: str, timestamp: str) -> Any:
    return dfg_from_pairs(pairs(events, case, activity, timestamp))


def dfg_from_pairs(p: pd.DataFrame) -> Any:
    """The :class:`~journeymap.analytics.discovery.DFG` of a :func:`pairs` table."""
    acts = activity_table(p)
    e = p[p["_next"].notna()]
    order = np.lexsort((e["_ncode"].to_numpy(), e["_code"].to_numpy(), -e["count"].to_numpy()))
    e = e.iloc[order]
    occ = acts["events"].reindex(e["activity"]).to_numpy()
    edges = pd.DataFrame({"source": e["activity"].to_numpy(), "target": e["_next"].to_numpy(),
                          "count": e["count"].to_numpy(), "share": e["count"].to_numpy() / occ,
                          "median_min": e["median_min"].to_numpy(dtype=float)})
    return DFG(edges, _by_count(acts["starts"], "start"), _by_count(acts["ends"], "end"))


def channel_transitions(events: Any, case: str, timestamp: str, channel: str,
                        normalize: str | None = None) -> pd.DataFrame:
    """Counts of moves between consecutive channels: one window and one count per pair (no gaps or
    medians, unlike :func:`pairs`)."""
    import narwhals as nw

    lf = scan(events, case, channel, timestamp)
    case, channel = S(case), S(channel)

    def moves(part: Any) -> Any:  # per (channel, next channel or null): events (re-summed across buckets)
        nxt = nw.col(channel).shift(-1).over(case, order_by=[US, ROW]).alias("_next")
        return nw.from_native(part).with_columns(nxt).group_by(channel, "_next").agg(
            nw.len().alias("count")).to_native()

    with per_bucket(events, lf.to_native(), case, moves) as parts:
        p = collect(nw.from_native(parts).group_by(channel, "_next").agg(nw.col("count").sum()))
    events_of = p.groupby(p[channel].astype(str))["count"].sum()
    labels = events_of.index
    order = labels[np.lexsort((labels.to_numpy(), -events_of.to_numpy()))]
    matrix = pd.DataFrame(0, index=order, columns=order, dtype=np.int64)
    for s, d, c in p[p["_next"].notna()][[channel, "_next", "count"]].itertuples(index=False):
        matrix.loc[str(s), str(d)] = c
    matrix.index.name, matrix.columns.name = "from", "to"
    return normalize_rows(matrix, normalize)


def variants(events: Any, case: str, activity: str, timestamp: str) -> pd.DataFrame:
    import narwhals as nw

    lf = scan(events, case, activity, timestamp)
    case, activity = S(case), S(activity)

    def per_path(part: Any) -> Any:  # per case its path, then cases per path (re-summed across buckets)
        per_case = nw.from_native(ordered_strings(part, case, activity, SEP))
        return per_case.group_by("path").agg(nw.len().alias("cases"), nw.col("first_row").min()).to_native()

    with per_bucket(events, lf.to_native(), case, per_path) as parts:
        g = collect(nw.from_native(parts).group_by("path").agg(nw.col("cases").sum(), nw.col("first_row").min()))
    g = g.sort_values("first_row").sort_values("cases", ascending=False, kind="stable")
    cases = g["cases"].to_numpy(dtype=np.int64)
    seqs = [tuple(p.split(SEP)) for p in g["path"]]
    return pd.DataFrame({"variant": seqs, "cases": cases, "share": cases / max(cases.sum(), 1),
                         "length": [len(s) for s in seqs]})


def first_event(cands: Any, case: str, prev: Any | None = None, strict: bool = True) -> Any:
    """Per case, the first candidate event (by time, then file order) as ``case, _us, _row``.

    With ``prev`` (``case, _pus, _prow``), only cases in ``prev``, and with
    ``strict`` only events after the previous one.
    """
    import narwhals as nw

    if prev is not None:
        cands = cands.join(prev, on=case, how="inner")
        if strict:
            cands = cands.filter((nw.col(US) > nw.col("_pus"))
                                 | ((nw.col(US) == nw.col("_pus")) & (nw.col(ROW) > nw.col("_prow"))))
        cands = cands.select(case, US, ROW)
    rank = nw.col(ROW).cum_count().over(case, order_by=[US, ROW])
    return cands.with_columns(rank.alias("_rank")).filter(nw.col("_rank") == 1).select(
        case, nw.col(US).alias("_us"), nw.col(ROW).alias("_row"))


def first_conversion(lf: Any, conversion: Any, case: str, activity: str) -> Any:
    """Per converted case, its first event whose ``activity`` is (one of) ``conversion``: ``case, _pus, _prow``."""
    import narwhals as nw

    wanted, _ = as_set(conversion)
    cands = lf.filter(_is_in(nw.col(activity).cast(nw.String), sorted(wanted))).select(case, US, ROW)
    return first_event(cands, case).select(case, nw.col("_us").alias("_pus"), nw.col("_row").alias("_prow"))


def _is_in(expr: Any, values: Sequence[str]) -> Any:
    import narwhals as nw

    return expr.is_in(list(values)) if len(values) else nw.lit(False)


def funnel(events: Any, stages: Sequence[Any], by: str, case: str, timestamp: str, strict_order: bool) -> pd.DataFrame:
    import narwhals as nw

    sets = [as_set(step) for step in stages]
    lf = scan(events, case, by, timestamp)
    case, by = S(case), S(by)

    def reached(part: Any) -> Any:  # per case and step reached: the step and the minutes since the previous one
        lf = nw.from_native(part)
        prev, parts = None, []
        for k, (wanted, _) in enumerate(sets):
            cands = lf.filter(_is_in(nw.col(by).cast(nw.String), sorted(wanted))).select(case, US, ROW)
            hit = first_event(cands, case, prev, strict_order or k == 0)
            gap = nw.lit(None, dtype=nw.Float64)
            if prev is not None:
                hit = hit.join(prev, on=case, how="inner")
                gap = (nw.col("_us") - nw.col("_pus")) / 60e6
            step_no = (nw.col("_us") * 0 + k).cast(nw.Int64)  # row-wise: a select of literals alone is one row
            parts.append(hit.select(step_no.alias("_k"), gap.cast(nw.Float64).alias("_gap")))
            prev = hit.select(case, nw.col("_us").alias("_pus"), nw.col("_row").alias("_prow"))
        return nw.concat(parts, how="vertical").to_native()

    with per_bucket(events, lf.to_native(), case, reached) as rows:
        e = nw.from_native(rows)
        bins = _gap_bins(e, ["_k"])
        medians = _exact_medians(e, bins, ["_k"])
    counts = bins.groupby("_k")["count"].sum()
    out: list[dict[str, Any]] = []
    for k, (_, label) in enumerate(sets):
        customers = int(counts.get(k, 0))
        base = out[0]["customers"] if out else customers
        before = out[-1]["customers"] if out else customers
        out.append(funnel_row(label, customers, base, before, medians.get((k,), np.nan) if k else np.nan))
    return pd.DataFrame(out)


def cross_channel_rate(events: Any, case: str, timestamp: str, channel: str, activity: str,
                       conversion: Any) -> float:
    import narwhals as nw

    extra = [activity] if conversion is not None else []
    lf = scan(events, case, channel, timestamp, extra=extra)
    case, channel, activity = S(case), S(channel), S(activity)

    def switched(part: Any) -> Any:  # customers counted, and those who ended in another channel
        lf = nw.from_native(part)
        e = steps(lf, case, channel)
        first = e.filter(nw.col("_prev_row").is_null()).select(case, nw.col(channel).alias("_c0"))
        if conversion is None:
            end = e.filter(nw.col("_next_row").is_null()).select(case, nw.col(channel).alias("_c1"))
        else:
            conv = first_conversion(lf, conversion, case, activity)
            end = lf.join(conv, on=case, how="inner").filter(nw.col(ROW) == nw.col("_prow")).select(
                case, nw.col(channel).alias("_c1"))
        both = first.join(end, on=case, how="inner")
        return both.select(nw.len().alias("n"),
                           (nw.col("_c0") != nw.col("_c1")).cast(nw.Float64).sum().alias("x")).to_native()

    with per_bucket(events, lf.to_native(), case, switched) as parts:
        res = collect(nw.from_native(parts).select(nw.col("n").sum(), nw.col("x").sum()))
    n = int(res["n"].iloc[0]) if len(res) and not pd.isna(res["n"].iloc[0]) else 0
    return float(res["x"].iloc[0]) / n if n else 0.0
