"""Per-channel measures on a lazy engine (DuckDB over Parquet, PySpark): conversion by channel, repeats.

Same rules as :mod:`journeymap.analytics.measures`; per customer bucket on
large Parquet logs (see :func:`journeymap.analytics._backend.per_bucket`).
Only one row per channel is collected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics._backend import ROW, US, collect, per_bucket
from journeymap.analytics._lazy import S, _is_in, first_conversion, scan


def conversion_by_channel(events: Any, conversion: str | Sequence[str], case: str, activity: str, timestamp: str,
                          channel: str, touch: str) -> pd.DataFrame:
    import narwhals as nw

    lf = scan(events, case, activity, timestamp, extra=[channel])
    case, activity, channel = S(case), S(activity), S(channel)

    def per_channel(part: Any) -> Any:  # customers and conversions per channel (re-summed over buckets)
        lf = nw.from_native(part)
        e = lf.join(first_conversion(lf, conversion, case, activity), on=case, how="left")
        if touch == "first":
            e = e.filter(nw.col(US) == nw.col(US).min().over(case))  # the earliest time, then
            e = e.filter(nw.col(ROW) == nw.col(ROW).min().over(case))  # the first of those in file order
        else:  # every event up to and including the first conversion (all events of a non-converter)
            e = e.filter(nw.col("_pus").is_null() | (nw.col(US) < nw.col("_pus"))
                         | ((nw.col(US) == nw.col("_pus")) & (nw.col(ROW) <= nw.col("_prow"))))
        used = e.group_by(case, channel).agg((~nw.col("_pus").is_null()).cast(nw.Int64).max().alias("_conv"))
        return used.group_by(channel).agg(nw.len().alias("customers"),
                                          nw.col("_conv").sum().alias("conversions")).to_native()

    with per_bucket(events, lf.to_native(), case, per_channel) as parts:
        res = collect(nw.from_native(parts).group_by(channel).agg(nw.col("customers").sum(),
                                                                   nw.col("conversions").sum()))
    out = res.assign(**{channel: res[channel].astype(str)}).set_index(channel).sort_index()
    out.index.name = "channel"
    out = out.astype({"customers": np.int64, "conversions": np.int64})
    out["rate"] = out["conversions"] / out["customers"]
    return out.sort_values(["customers", "conversions"], ascending=False, kind="stable")


def repeated_contacts(events: Any, case: str, timestamp: str, channel: str, channels: Sequence[str] | None,
                      within: Any) -> pd.DataFrame:
    import narwhals as nw

    lf = scan(events, case, channel, timestamp)
    case, channel = S(case), S(channel)

    def per_channel(part: Any) -> Any:  # customers, contacts and repeat customers per channel
        lf = nw.from_native(part)
        if channels is not None:
            lf = lf.filter(_is_in(nw.col(channel).cast(nw.String), sorted(map(str, channels))))
        prev = nw.col(US).shift(1).over(case, channel, order_by=[US, ROW])
        repeat = ~prev.is_null()
        if within is not None:
            repeat = repeat & ((nw.col(US) - prev) <= pd.Timedelta(within).value // 1000)
        per = lf.with_columns(repeat.alias("_repeat")).group_by(channel, case).agg(
            nw.len().alias("contacts"), nw.col("_repeat").cast(nw.Int64).max().alias("_repeats"))
        return per.group_by(channel).agg(nw.len().alias("customers"), nw.col("contacts").sum(),
                                         nw.col("_repeats").sum().alias("repeat_customers")).to_native()

    with per_bucket(events, lf.to_native(), case, per_channel) as parts:
        res = collect(nw.from_native(parts).group_by(channel).agg(
            nw.col("customers").sum(), nw.col("contacts").sum(), nw.col("repeat_customers").sum()))
    out = res.assign(**{channel: res[channel].astype(str)}).set_index(channel).sort_index()
    out.index.name = "channel"
    out = out.astype(np.int64)
    out["repeat_rate"] = out["repeat_customers"] / out["customers"]
    out["contacts_per_customer"] = out["contacts"] / out["customers"]
    return out.sort_values("repeat_rate", ascending=False, kind="stable")
