"""Attribution: which channels get credit for conversions.

Heuristic models (first touch, last touch, linear, time decay) and the
**Markov removal effect computed exactly** (first order): the paths become an
absorbing Markov chain (start → channels → conversion / null); the
probability of conversion from start is the solution of a linear system, and
the removal effect of a channel is the relative fall in that probability when
the channel is removed (every move into it goes to null instead). See
``docs/attribution.md`` for the method and its checks.

Example
-------
>>> import pandas as pd
>>> paths = pd.DataFrame({"path": ["a > b > c", "a > a > b", "b", "c > a", "a > c > c"],
...                       "conversions": [3, 2, 1, 0, 1], "nulls": [1, 2, 4, 3, 2]})
>>> m = attribution_markov(paths)
>>> m.round(4)  # doctest: +NORMALIZE_WHITESPACE
         removal_effect   share  conversions
channel
a                0.5758  0.3068       2.1479
b                0.6728  0.3585       2.5098
c                0.6279  0.3346       2.3423
>>> round(m.attrs["conversion_probability"], 4)
0.3684
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics import _lazy_paths
from journeymap.analytics._dispatch import dispatch
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
from journeymap.analytics.measures import _as_set, _conversion_check, _conversions
from journeymap.analytics.pathtable import check_paths

MODELS = ("first", "last", "linear", "time_decay", "markov")


def _touches(events: pd.DataFrame, conversion: str | Sequence[str], case: str, activity: str, timestamp: str,
             touch: str) -> pd.DataFrame:
    """One row per touch on a path: ``case`` (code), ``touch``, ``ts``, ``converted``, ``conv_ts``.

    A converted customer's path is their touches before the first conversion
    event; a non-converted customer's path is all of their touches.
    """
    require(frame_of(events), [touch])
    events, log = ordered(events, case, activity, timestamp)
    conv = _conversions(events, log, activity, conversion)
    idx = np.arange(len(log.case))
    converted = conv[log.case] >= 0
    keep = np.where(converted, idx < conv[log.case], True)
    conv_ts = np.where(conv >= 0, log.ts[np.maximum(conv, 0)], 0)
    return pd.DataFrame({
        "case": log.case[keep], "touch": log.take(events, touch).astype(str)[keep], "ts": log.ts[keep],
        "converted": converted[keep], "conv_ts": conv_ts[log.case[keep]],
    })


@dispatch(lazy=_lazy_paths.conversion_paths, check=_conversion_check)
def conversion_paths(events: pd.DataFrame, conversion: str | Sequence[str], *, touch: str = CHANNEL,
                     case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP,
                     sep: str = " > ") -> pd.DataFrame:
    """Distinct paths of touches (channels by default) with ``conversions`` and ``nulls`` counts.

    This is the input of :func:`attribution_markov` and of ChannelAttribution's
    ``markov_model``. Customers who converted on their very first event have an
    empty path and are left out.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"case_id": list("aaabb"), "activity": ["ad", "mail", "buy", "ad", "mail"],
    ...                    "channel": ["instagram", "email", "website", "instagram", "email"],
    ...                    "timestamp": pd.to_datetime(["2026-01-0%d" % d for d in (1, 2, 3, 1, 2)], utc=True)})
    >>> conversion_paths(ev, "buy").values.tolist()
    [['instagram > email', 1, 1]]
    """
    t = _touches(events, conversion, case, activity, timestamp, touch)
    per_case = t.groupby("case", sort=False).agg(path=("touch", sep.join), converted=("converted", "first"))
    counts = pd.DataFrame(per_case.groupby("path", sort=False)["converted"].agg(conversions="sum", total="size"))
    counts["nulls"] = counts["total"] - counts["conversions"]
    out = counts.drop(columns="total").reset_index()
    out["conversions"] = out["conversions"].astype(np.int64)
    return out.sort_values(["conversions", "nulls"], ascending=False, kind="stable").reset_index(drop=True)


def _split_paths(paths: pd.DataFrame, path: str, sep: str) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """(path row of each step, channel code of each step, channel labels) — in path order."""
    steps = paths[path].astype(str).str.split(sep.strip(), regex=False).explode()
    steps = steps.str.strip()
    steps = steps[steps != ""]
    codes, labels = pd.factorize(steps.to_numpy())
    return steps.index.to_numpy(), codes, pd.Index(labels, name="channel")


def _chain(paths: pd.DataFrame, path: str, conversions: str, nulls: str, sep: str):
    """Transition counts of the absorbing chain; state 0 = start, 1..k = channels, k+1 conv, k+2 null."""
    # identical paths first: splitting text is the slow part, and real tables repeat paths a lot
    paths = paths.groupby(path, sort=False)[[conversions, nulls]].sum().reset_index()
    conv = paths[conversions].to_numpy(dtype=float)
    null = paths[nulls].to_numpy(dtype=float)
    row, code, labels = _split_paths(paths, path, sep)
    k = len(labels)
    state = code + 1
    first = np.ones(len(row), dtype=bool)
    first[1:] = row[1:] != row[:-1]
    last = np.ones(len(row), dtype=bool)
    last[:-1] = first[1:]
    weight = conv[row] + null[row]
    src = np.concatenate([np.zeros(first.sum(), dtype=np.int64), state[:-1][~first[1:]],
                          state[last], state[last]])
    dst = np.concatenate([state[first], state[1:][~first[1:]],
                          np.full(last.sum(), k + 1), np.full(last.sum(), k + 2)])
    w = np.concatenate([weight[first], weight[1:][~first[1:]], conv[row[last]], null[row[last]]])
    keep = src != dst  # self-loops do not change absorption probabilities
    counts = np.zeros((k + 1, k + 3))
    np.add.at(counts, (src[keep], dst[keep]), w[keep])
    return counts, labels


def _p_convert(counts: np.ndarray, removed: int | None = None) -> float:
    """Probability of reaching conversion from start, optionally with one channel state removed."""
    k = counts.shape[0] - 1
    totals = counts.sum(axis=1, keepdims=True)
    probs = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    live = [s for s in range(k + 1) if s != removed]
    q = probs[np.ix_(live, live)]
    r = probs[live, k + 1]
    x = np.linalg.solve(np.eye(len(live)) - q, r)
    return float(x[0])


def attribution_markov(paths: pd.DataFrame, *, path: str = "path", conversions: str = "conversions",
                       nulls: str = "nulls", sep: str = " > ", order: int = 1) -> pd.DataFrame:
    """Exact first-order Markov removal effects from a table of paths.

    ``paths`` has one row per path (``"a > b > c"``) with the number of
    customers who converted after it and who did not. Returns per channel
    ``removal_effect`` (1 − P(convert | channel removed) / P(convert)),
    ``share`` (removal effects normalised to sum to 1) and ``conversions``
    (share × total conversions). ``attrs["conversion_probability"]`` holds
    P(convert) of the chain. Repeats of a channel in a row (self-loops) do
    not change the result. ``order=2`` or ``3``: states are the last 2–3
    channels (:func:`~journeymap.analytics.markov_order.markov_removal`).
    """
    paths = check_paths(paths, path=path, conversions=conversions, nulls=nulls)
    if order != 1:
        from journeymap.analytics.markov_order import markov_removal
        from journeymap.analytics.position import parse_paths

        steps = parse_paths(paths, path=path, conversions=conversions, nulls=nulls, sep=sep, check=False)
        return markov_removal(steps, order=order)
    counts, labels = _chain(paths, path, conversions, nulls, sep)
    base = _p_convert(counts)
    effects = np.array([1 - _p_convert(counts, s) / base if base > 0 else 0.0 for s in range(1, len(labels) + 1)])
    total_effect = effects.sum()
    share = effects / total_effect if total_effect > 0 else np.zeros_like(effects)
    out = pd.DataFrame({"removal_effect": effects, "share": share,
                        "conversions": share * float(paths[conversions].sum())}, index=labels)
    out.attrs["conversion_probability"] = base
    return out


def markov_transition_matrix(paths: pd.DataFrame, *, path: str = "path", conversions: str = "conversions",
                             nulls: str = "nulls", sep: str = " > ") -> pd.DataFrame:
    """The chain's transition probabilities.

    Rows: ``(start)`` and the channels; columns add ``(conversion)`` and ``(null)``.
    """
    paths = check_paths(paths, path=path, conversions=conversions, nulls=nulls)
    counts, labels = _chain(paths, path, conversions, nulls, sep)
    totals = counts.sum(axis=1, keepdims=True)
    probs = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    names = ["(start)", *labels]
    return pd.DataFrame(probs, index=names, columns=[*names, "(conversion)", "(null)"])


def _attribution_check(events: Any, conversion: str | Sequence[str], models: Sequence[str], activity: str) -> None:
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"unknown attribution model(s): {', '.join(unknown)}; choose from {', '.join(MODELS)}")
    require_values(events, activity, _as_set(conversion)[0], "conversion")


@dispatch(check=_attribution_check)
def attribution(events: pd.DataFrame, conversion: str | Sequence[str], *, models: Sequence[str] = MODELS,
                touch: str = CHANNEL, case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP,
                half_life: str | pd.Timedelta = "7D") -> pd.DataFrame:
    """Conversions credited to each channel (columns: one per model; each column sums to the conversions).

    * ``first`` / ``last``: all credit to the first / last touch before converting;
    * ``linear``: equal credit to every touch;
    * ``time_decay``: credit ∝ 2^(−age / ``half_life``), age = time from the touch to the conversion;
    * ``markov``: exact removal effects (:func:`attribution_markov`) on :func:`conversion_paths`.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"case_id": list("aaab"), "activity": ["ad", "mail", "buy", "ad"],
    ...                    "channel": ["instagram", "email", "website", "instagram"],
    ...                    "timestamp": pd.to_datetime(["2026-01-01", "2026-01-08", "2026-01-08", "2026-01-01"],
    ...                                                utc=True)})
    >>> credit = attribution(ev, "buy", models=["first", "last", "linear", "time_decay"])
    >>> credit.round(3)  # doctest: +NORMALIZE_WHITESPACE
               first  last  linear  time_decay
    channel
    email        0.0   1.0     0.5       0.667
    instagram    1.0   0.0     0.5       0.333
    """
    out, channels = _credit(events, conversion, models, touch, case, activity, timestamp, half_life)
    if "markov" in models:
        paths = conversion_paths(events, conversion, touch=touch, case=case, activity=activity, timestamp=timestamp)
        out["markov"] = attribution_markov(paths)["conversions"] if paths["conversions"].sum() else pd.Series()
    frame = pd.DataFrame({m: out.get(m, pd.Series(dtype=float)) for m in models}, index=channels)
    frame = frame.reindex(channels).fillna(0.0).astype(float)
    frame.index.name = "channel"
    return frame


@dispatch(lazy=_lazy_paths.heuristic_credit)
def _credit(events: Any, conversion: str | Sequence[str], models: Sequence[str], touch: str, case: str,
            activity: str, timestamp: str, half_life: str | pd.Timedelta) -> tuple[dict[str, Any], list[str]]:
    """Credits of the heuristic models, and every touch channel seen."""
    t = _touches(events, conversion, case, activity, timestamp, touch)
    return _heuristics(t, models, half_life), sorted(set(t["touch"]))


def _heuristics(t: pd.DataFrame, models: Sequence[str], half_life: str | pd.Timedelta) -> dict[str, Any]:
    conv = t[t["converted"]]
    out: dict[str, Any] = {}
    if len(conv):
        grp = conv.groupby("case", sort=False)
        pos = grp.cumcount()
        size = grp["touch"].transform("size")
        if "first" in models:
            out["first"] = conv[pos == 0].groupby("touch")["case"].size()
        if "last" in models:
            out["last"] = conv[pos == size - 1].groupby("touch")["case"].size()
        if "linear" in models:
            out["linear"] = (1 / size).groupby(conv["touch"]).sum()
        if "time_decay" in models:
            age = (conv["conv_ts"] - conv["ts"]) / pd.Timedelta(half_life).value
            w = np.exp2(-age)
            w = w / w.groupby(conv["case"]).transform("sum")
            out["time_decay"] = w.groupby(conv["touch"]).sum()
    return out
