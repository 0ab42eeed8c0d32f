"""Journey measures from events: funnels, channel switches, conversion, time to convert, repeat contacts.

All take a DataFrame of events (see :func:`~journeymap.analytics.read_events`)
and the names of its columns; ties in time keep the frame's row order.

Example
-------
>>> import pandas as pd
>>> ev = pd.DataFrame({"case_id": list("aaabbc"),
...                    "activity": ["ad", "web", "buy", "ad", "web", "ad"],
...                    "channel": ["instagram", "website", "store", "instagram", "website", "instagram"],
...                    "timestamp": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 09:30",
...                        "2026-03-03 09:00", "2026-03-02 10:00", "2026-03-02 10:05", "2026-03-04 08:00"], utc=True)})
>>> funnel(ev, stages=["ad", "web", "buy"])[["step", "customers", "conversion", "drop_off"]].values.tolist()
[['ad', 3, 1.0, 0], ['web', 2, 0.6666666666666666, 1], ['buy', 1, 0.3333333333333333, 1]]
>>> cross_channel_rate(ev)          # a and b started on Instagram and finished elsewhere
0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from journeymap.analytics import _lazy, _lazy_channels
from journeymap.analytics._dispatch import dispatch
from journeymap.analytics._engine import Ordered, count_pairs, first_per_case
from journeymap.analytics._frame import (
    ACTIVITY,
    CASE,
    CHANNEL,
    TIMESTAMP,
    frame_of,
    ordered,
    require,
    require_values,
)
from journeymap.analytics._rules import as_set as _as_set
from journeymap.analytics._rules import funnel_row, normalize_rows

__all__ = ["channel_transitions", "conversion_by_channel", "cross_channel_rate", "funnel", "funnel_row",
           "repeated_contacts", "time_to_convert"]

_NS_PER_MIN = 60 * 1_000_000_000


def _funnel_check(events: Any, stages: Sequence[str | Sequence[str]], by: str) -> None:
    if not stages:
        raise ValueError("funnel needs at least one stage")
    require_values(events, by, [v for step in stages for v in _as_set(step)[0]], "funnel step")


@dispatch(lazy=_lazy.funnel, check=_funnel_check)
def funnel(events: pd.DataFrame, stages: Sequence[str | Sequence[str]], *, by: str = ACTIVITY,
           case: str = CASE, timestamp: str = TIMESTAMP, strict_order: bool = True) -> pd.DataFrame:
    """Customers reaching each step, with conversion and drop-off.

    ``stages`` lists the steps; a step is a value of the ``by`` column (an
    activity by default, or e.g. ``by="stage"``) or a list of values (any of
    them counts). With ``strict_order`` a customer reaches step *k* with an
    event of step *k* after their event for step *k−1*; otherwise having any
    event of each step so far is enough. Columns: ``step``, ``customers``,
    ``conversion`` (of those at the first step), ``step_conversion`` (of the
    previous step), ``drop_off`` (customers lost since the previous step),
    ``drop_off_rate`` and ``median_min`` (median minutes from the previous step).
    """
    events, log = ordered(events, case, by, timestamp)
    labels = log.activities.astype(str)
    n = len(log.case)
    prev = np.full(log.n_cases, -1, dtype=np.int64)
    rows: list[dict[str, Any]] = []
    for k, step in enumerate(stages):
        wanted, label = _as_set(step)
        mask = np.isin(log.activity, np.flatnonzero(labels.isin(list(wanted))))
        if k == 0 or strict_order:
            after = prev if k else None
            if k:
                after = np.where(prev >= 0, prev, n)  # cases that dropped out can't match
            idx = first_per_case(log, mask, after)
        else:
            idx = first_per_case(log, mask)
            idx = np.where(prev >= 0, idx, -1)
        reached = idx >= 0
        base = rows[0]["customers"] if rows else int(reached.sum())
        before = rows[-1]["customers"] if rows else int(reached.sum())
        both = reached & (prev >= 0)
        gaps = (log.ts[idx[both]] - log.ts[prev[both]]) / _NS_PER_MIN if k else np.zeros(0)
        customers = int(reached.sum())
        rows.append(funnel_row(label, customers, base, before, float(np.median(gaps)) if len(gaps) else np.nan))
        prev = idx
    return pd.DataFrame(rows)


@dispatch(lazy=_lazy.channel_transitions)
def channel_transitions(events: pd.DataFrame, *, case: str = CASE, timestamp: str = TIMESTAMP,
                        channel: str = CHANNEL, normalize: Literal["row"] | None = None) -> pd.DataFrame:
    """Matrix of moves between the channels of consecutive events of a case (rows: from, columns: to).

    The diagonal counts moves within a channel. ``normalize="row"`` gives the
    share of moves out of each channel instead of counts.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"case_id": list("aab"), "channel": ["email", "store", "email"],
    ...                    "timestamp": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-01"], utc=True)})
    >>> channel_transitions(ev).to_dict()
    {'email': {'email': 0, 'store': 0}, 'store': {'email': 1, 'store': 0}}
    """
    events, log = ordered(events, case, channel, timestamp)
    nxt, has = log.lead(log.activity)
    src, dst, counts = count_pairs(log.activity[has], nxt[has], len(log.activities))
    labels = log.activities.astype(str)
    freq = np.bincount(log.activity, minlength=len(labels))
    order = labels[np.lexsort((labels.to_numpy(), -freq))]
    matrix = pd.DataFrame(0, index=order, columns=order, dtype=np.int64)
    for s, d, c in zip(labels[src], labels[dst], counts, strict=True):
        matrix.loc[s, d] = c
    matrix.index.name, matrix.columns.name = "from", "to"
    return normalize_rows(matrix, normalize)


def _conversions(events: pd.DataFrame, log: Ordered, activity: str, conversion: str | Sequence[str]) -> np.ndarray:
    """Log index of each case's first conversion event (-1 if none)."""
    wanted, _ = _as_set(conversion)
    return first_per_case(log, log.codes_in(activity, wanted))


def _conversion_check(events: Any, activity: str, conversion: str | Sequence[str] | None) -> None:
    if conversion is not None:
        require_values(events, activity, _as_set(conversion)[0], "conversion")


@dispatch(lazy=_lazy.cross_channel_rate, check=_conversion_check)
def cross_channel_rate(events: pd.DataFrame, *, case: str = CASE, timestamp: str = TIMESTAMP,
                       channel: str = CHANNEL, activity: str = ACTIVITY,
                       conversion: str | Sequence[str] | None = None) -> float:
    """Share of customers who started in one channel and finished in another.

    "Finished" is the last event, or with ``conversion`` the first conversion
    event (and only converted customers count).
    """
    extra = [activity] if conversion is not None else []
    events, log = ordered(events, case, channel, timestamp, extra=extra)
    first_idx = np.flatnonzero(log.first)
    if conversion is None:
        end_idx = np.flatnonzero(log.last)
    else:
        conv = _conversions(events, log, activity, conversion)
        first_idx, end_idx = first_idx[conv >= 0], conv[conv >= 0]
    if not len(first_idx):
        return 0.0
    return float(np.mean(log.activity[first_idx] != log.activity[end_idx]))


@dispatch(lazy=_lazy_channels.conversion_by_channel, check=_conversion_check)
def conversion_by_channel(events: pd.DataFrame, conversion: str | Sequence[str], *, case: str = CASE,
                          activity: str = ACTIVITY, timestamp: str = TIMESTAMP, channel: str = CHANNEL,
                          touch: Literal["any", "first"] = "any") -> pd.DataFrame:
    """Conversion rate of the customers who used each channel.

    With ``touch="any"`` a customer counts for every channel they used up to
    their conversion (all their events if they did not convert); with
    ``"first"`` only for the channel they started in. Columns: ``customers``,
    ``conversions``, ``rate``; most customers first.
    """
    require(frame_of(events), [channel])
    events, log = ordered(events, case, activity, timestamp)
    conv = _conversions(events, log, activity, conversion)
    chans = log.take(events, channel).astype(str)
    idx = np.arange(len(log.case))
    limit = np.where(conv >= 0, conv, len(idx))[log.case]
    use = (idx <= limit) if touch == "any" else log.first
    pairs = pd.DataFrame({"case": log.case[use], "channel": chans[use]}).drop_duplicates()
    pairs["converted"] = conv[pairs["case"].to_numpy()] >= 0
    out = pairs.groupby("channel").agg(customers=("case", "size"), conversions=("converted", "sum"))
    out["rate"] = out["conversions"] / out["customers"]
    return out.sort_values(["customers", "conversions"], ascending=False, kind="stable")


@dispatch()
def time_to_convert(events: pd.DataFrame, conversion: str | Sequence[str], *, case: str = CASE,
                    activity: str = ACTIVITY, timestamp: str = TIMESTAMP) -> pd.Series:
    """Time from each converted customer's first event to their first conversion event (Timedelta per case).

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"case_id": list("aab"), "activity": ["ad", "buy", "ad"],
    ...                    "timestamp": pd.to_datetime(["2026-01-01", "2026-01-03", "2026-01-01"], utc=True)})
    >>> time_to_convert(ev, "buy").to_dict()
    {'a': Timedelta('2 days 00:00:00')}
    """
    events, log = ordered(events, case, activity, timestamp)
    require_values(events, activity, _as_set(conversion)[0], "conversion")
    conv = _conversions(events, log, activity, conversion)
    start = np.flatnonzero(log.first)
    ok = conv >= 0
    delta = pd.to_timedelta(log.ts[conv[ok]] - log.ts[start[ok]], unit="ns")
    return pd.Series(delta, index=pd.Index(log.cases[ok], name=case), name="time_to_convert")


def _channels_check(events: Any, channel: str, channels: Sequence[str] | None) -> None:
    if channels is not None:
        require_values(events, channel, channels, "channel")


@dispatch(lazy=_lazy_channels.repeated_contacts, check=_channels_check)
def repeated_contacts(events: pd.DataFrame, *, case: str = CASE, timestamp: str = TIMESTAMP,
                      channel: str = CHANNEL, channels: Sequence[str] | None = None,
                      within: str | pd.Timedelta | None = None) -> pd.DataFrame:
    """How often customers come back to the same channel (e.g. calling again about the same issue).

    A contact is a repeat when the same customer used the same channel before
    (within ``within``, e.g. ``"7D"``, if given). Columns per channel:
    ``customers``, ``contacts``, ``repeat_customers``, ``repeat_rate`` (share of
    customers with at least one repeat), ``contacts_per_customer``.
    Restrict to service channels with ``channels=["phone", "live_chat"]``.
    """
    events, log = ordered(events, case, channel, timestamp)
    frame = pd.DataFrame({"case": log.case, "channel": log.activity_labels().astype(str), "ts": log.ts})
    if channels is not None:
        frame = frame[frame["channel"].isin(list(channels))]
    gap = frame.groupby(["case", "channel"], sort=False)["ts"].diff()
    repeat = gap.notna()
    if within is not None:
        repeat &= gap <= pd.Timedelta(within).value
    frame = frame.assign(repeat=repeat.to_numpy())
    per = frame.groupby(["channel", "case"]).agg(contacts=("ts", "size"), repeats=("repeat", "any"))
    out = per.groupby("channel").agg(customers=("contacts", "size"), contacts=("contacts", "sum"),
                                     repeat_customers=("repeats", "sum"))
    out["repeat_rate"] = out["repeat_customers"] / out["customers"]
    out["contacts_per_customer"] = out["contacts"] / out["customers"]
    return out.sort_values("repeat_rate", ascending=False, kind="stable")
