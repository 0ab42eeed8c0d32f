"""``read_events`` on a lazy engine: the same checks and report, computed where the events are.

The clean events stay in the engine (a DuckDB relation or a Spark DataFrame,
with ``event_row`` for file order); only the report's counts and examples are
collected. Differences from the pandas path: text timestamps are parsed by the engine
(ISO 8601, with or without an offset). Local times skipped or repeated by a
DST change are set aside as in pandas (checked for shifts of 30, 60 and 120
minutes, which covers the time zones in use).
"""

from __future__ import annotations

from typing import Any

from journeymap.analytics._backend import ROW, collect, kind, native, per_bucket, safe_name, select_safe
from journeymap.analytics._time import utc_timestamps
from journeymap.errors import JourneyError, Problem

_ORDER = ("empty_case", "empty_activity", "bad_timestamp", "bad_local_time", "empty_channel", "unknown_channel")


def _blank(expr: Any) -> Any:
    import narwhals as nw

    return expr.is_null() | (expr.cast(nw.String).str.strip_chars() == "")


def read_events_lazy(source: Any, *, case: str | None, activity: str, timestamp: str, channel: str | None,
                     tz: str | None, channels: Any, channel_map: dict[str, str] | None,
                     unknown_channels: str) -> Any:
    import narwhals as nw

    from journeymap.analytics._names import ACTIVITY, CASE, CHANNEL, TIMESTAMP
    from journeymap.analytics._types import REASONS, Ingested, IngestReport
    from journeymap.channels import CATALOGUE

    frame = native(source)
    name = str(source) if isinstance(source, str) or hasattr(source, "__fspath__") else f"<{kind(frame)} frame>"
    roles = {"case": case, "activity": activity, "timestamp": timestamp, "channel": channel}
    missing = [f"{col} (the {role} column)" for role, col in roles.items() if col is not None and col not in
               frame.columns]
    if missing:
        found = ", ".join(map(str, list(frame.columns)[:15]))
        raise JourneyError([Problem(name, "columns", f"missing column(s): {', '.join(missing)}; found: {found}")])
    # every column under its safe alias: names from the file never reach SQL text (see _backend)
    user = {safe_name(c): c for c in frame.columns if c != ROW}
    frame = select_safe(frame, list(user.values()))
    case, activity, timestamp = (None if case is None else safe_name(case)), safe_name(activity), safe_name(timestamp)
    channel = None if channel is None else safe_name(channel)
    original = list(user)
    lf = nw.from_native(utc_timestamps(frame, timestamp, tz))
    tests: dict[str, Any] = {"empty_activity": _blank(nw.col(activity)), "bad_local_time": nw.col("_bad_local"),
                             "bad_timestamp": nw.col("_ts").is_null() & ~nw.col("_bad_local")}
    if case is not None:
        tests["empty_case"] = _blank(nw.col(case))
    if channel is not None:
        chan = nw.col(channel).cast(nw.String).str.strip_chars().str.to_lowercase()
        for old, new in (channel_map or {}).items():
            chan = nw.when(chan == old.lower()).then(nw.lit(new)).otherwise(chan)
        lf = lf.with_columns(chan.alias("_chan"))
        known = sorted(set(CATALOGUE) | set(channels))
        tests["empty_channel"] = _blank(nw.col("_chan"))
        if unknown_channels != "keep":
            tests["unknown_channel"] = ~nw.col("_chan").is_in(known)
    reason: Any = nw.lit(None, dtype=nw.String)
    for key in reversed([k for k in _ORDER if k in tests]):  # the first test that applies wins
        reason = nw.when(tests[key]).then(nw.lit(key)).otherwise(reason)
    lf = lf.with_columns(reason.alias("_reason"))
    lf = lf.with_columns(nw.col("_reason").is_null().alias("_ok"))

    def dedupe(part: Any) -> Any:  # copies share every column, so a bucket (by case or time) holds them all
        first_copy = nw.col(ROW).min().over(*original, "_ok")
        return nw.from_native(part).with_columns(
            nw.when(nw.col("_reason").is_null() & (nw.col(ROW) != first_copy))
            .then(nw.lit("duplicate")).otherwise(nw.col("_reason")).alias("_reason")).to_native()

    if kind(frame) == "duckdb":  # checked once, to Parquet: the report and every later analytic read that
        with per_bucket(source, lf.to_native(), case or timestamp, dedupe, keep_as="events") as checked:
            lf = nw.from_native(checked)
    else:
        lf = nw.from_native(dedupe(lf.to_native()))
    counts = collect(lf.group_by("_reason").agg(nw.len().alias("n"),
                                                nw.col("_naive").cast(nw.Int64).sum().alias("naive")))
    by = {(None if r is None or r != r else str(r)): (int(n), int(v))
          for r, n, v in counts[["_reason", "n", "naive"]].itertuples(index=False)}
    if unknown_channels == "error" and "unknown_channel" in by:
        bad = collect(lf.filter(nw.col("_reason") == "unknown_channel").select("_chan").unique().head(20))
        raise JourneyError([Problem(name, str(roles["channel"]), "channel(s) not in the catalogue: "
                                    + ", ".join(sorted(map(str, bad["_chan"]))))])
    kept, naive = by.get(None, (0, 0))
    if naive and tz is None:
        raise JourneyError([Problem(name, "timestamp", f"{naive} timestamp(s) have no time zone; pass tz= "
                                    "(e.g. tz='Europe/Madrid' or tz='UTC')")])
    report = IngestReport(source=name, rows_read=sum(n for n, _ in by.values()), rows_kept=kept, tz=tz,
                          columns={k: v for k, v in roles.items() if v is not None}, naive_timestamps=naive)
    for key in REASONS:
        if key not in by:
            continue
        column = {"empty_case": case, "empty_activity": activity, "bad_timestamp": timestamp,
                  "bad_local_time": timestamp,
                  "empty_channel": channel, "unknown_channel": "_chan"}.get(key)
        shown = [column] if column else original
        ex = collect(lf.filter(nw.col("_reason") == key).sort(ROW).head(3).select(ROW, *shown))
        report.set_aside[key] = by[key][0]
        report.examples[key] = [(f"row {r[0]}", "" if r[1] is None or r[1] != r[1] else str(r[1]) if column
                                 else ", ".join(map(str, r[1:]))[:80]) for r in ex.itertuples(index=False)]
    canonical = {case: CASE, activity: ACTIVITY, timestamp: TIMESTAMP}
    if channel is not None:
        canonical[channel] = CHANNEL
    others = [nw.col(c).alias(f"{user[c]}_raw" if user[c] in canonical.values() else user[c])
              for c in original if c not in canonical]
    out = [nw.col(c).cast(nw.String).str.strip_chars().alias(canonical[c]) for c in (case, activity) if c]
    out.append(nw.col("_ts").alias(TIMESTAMP))
    if channel is not None:
        out.append(nw.col("_chan").alias(CHANNEL))
    clean = lf.filter(nw.col("_reason").is_null()).select(*out, *others, ROW).to_native()
    if kind(frame) == "duckdb":
        clean = clean.set_alias(lf.to_native().alias)  # still known as kept files: analytics bucket it
    return Ingested(clean, report)
