"""Process discovery: directly-follows graph, variants, and a :class:`~journeymap.model.Journey` from events.

Events are ordered by case, then timestamp; **ties keep file order** (the row
order of the frame), exactly as pm4py does after ``format_dataframe``, so the
counts equal pm4py's. Rows with an empty case, activity or timestamp take no part.

Example
-------
>>> import pandas as pd
>>> ev = pd.DataFrame({"case_id": ["a", "a", "a", "b", "b"],
...                    "activity": ["ad", "web", "shop", "ad", "shop"],
...                    "channel": ["instagram", "website", "store", "instagram", "store"],
...                    "timestamp": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 09:10",
...                        "2026-03-03 18:00", "2026-03-02 12:00", "2026-03-04 12:00"], utc=True)})
>>> g = dfg(ev)
>>> g.edges[["source", "target", "count", "share"]].values.tolist()
[['ad', 'web', 1, 0.5], ['ad', 'shop', 1, 0.5], ['web', 'shop', 1, 1.0]]
>>> g.start.to_dict(), g.end.to_dict()
({'ad': 2}, {'shop': 2})
>>> j = discover(ev)
>>> [(t.source, t.target, t.share) for t in j.transitions]
[('ad', 'web', 0.5), ('ad', 'shop', 0.5), ('web', 'shop', 1.0)]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd

from journeymap.analytics import _lazy, _lazy_paths
from journeymap.analytics._dispatch import dispatch
from journeymap.analytics._engine import count_pairs, median_by
from journeymap.analytics._frame import ACTIVITY, CASE, CHANNEL, TIMESTAMP, frame_of, ordered, require, rows_of, steps
from journeymap.analytics._rules import mode_of_counts as _mode_of_counts
from journeymap.analytics._types import DFG, Discovery
from journeymap.channels import CATALOGUE, Channel, known_channels
from journeymap.errors import JourneyError, Problem
from journeymap.frames import slug
from journeymap.i18n import t as _label
from journeymap.model import Journey

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_NS_PER_MIN = 60 * 1_000_000_000


def _counts(codes: np.ndarray, labels: pd.Index, name: str) -> pd.Series:
    counts = np.bincount(codes, minlength=len(labels))
    s = pd.Series(counts, index=pd.Index(labels, name="activity"), name=name)
    s = s[s > 0]
    return s.iloc[np.lexsort((s.index.astype(str), -s.to_numpy()))]


@dispatch(lazy=_lazy.dfg)
def dfg(events: pd.DataFrame, *, case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP,
        progress: bool | None = None) -> DFG:
    """Directly-follows counts with start and end counts (most frequent first).

    ``events`` may also be a Parquet file or folder, or a PySpark DataFrame: see :doc:`docs/scale.md`.
    """
    return _on_log(events, _dfg, "directly-follows", case, activity, timestamp, progress)


def _on_log(events: Any, on_log: Callable[[Any], Any], label: str, case: str, activity: str, timestamp: str,
            progress: bool | None) -> Any:
    """``on_log`` of the ordered pandas log (with a progress bar)."""
    with steps(2, label, len(events), progress) as bar:
        _, log = ordered(events, case, activity, timestamp)
        bar.update()
        out = on_log(log)
        bar.update()
    return out


def _dfg(log: Any) -> DFG:
    nxt, has = log.lead(log.activity)
    gap_ts, _ = log.lead(log.ts)
    a, b = log.activity[has], nxt[has]
    src, dst, counts = count_pairs(a, b, len(log.activities))
    k = max(len(log.activities), 1)
    minutes = (gap_ts[has] - log.ts[has]) / _NS_PER_MIN
    med = median_by(a.astype(np.int64) * k + b, minutes)
    occurrences = np.bincount(log.activity, minlength=len(log.activities))
    labels = log.activities.to_numpy()
    edges = pd.DataFrame({
        "source": labels[src], "target": labels[dst], "count": counts,
        "share": counts / occurrences[src] if len(src) else np.zeros(0),
        "median_min": med.reindex(src * k + dst).to_numpy(),
    })
    return DFG(edges, _counts(log.activity[log.first], log.activities, "start"),
               _counts(log.activity[log.last], log.activities, "end"))


@dispatch(lazy=_lazy.variants)
def variants(events: pd.DataFrame, *, case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP,
             progress: bool | None = None) -> pd.DataFrame:
    """Distinct activity sequences: ``variant`` (tuple), ``cases``, ``share``, ``length``; most frequent first.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"case_id": list("aabbc"), "activity": list("xyxyx"),
    ...                    "timestamp": pd.to_datetime(["2026-01-01"] * 5, utc=True)})
    >>> variants(ev).values.tolist()
    [[('x', 'y'), 2, 0.6666666666666666, 2], [('x',), 1, 0.3333333333333333, 1]]
    """
    return _on_log(events, _variants, "variants", case, activity, timestamp, progress)


def _variants(log: Any) -> pd.DataFrame:
    ids, seqs = log.sequences()
    counts = np.bincount(ids, minlength=len(seqs))
    labels = log.activities.tolist()
    frame = pd.DataFrame({
        "variant": [tuple([labels[i] for i in s]) for s in seqs],
        "cases": counts,
        "share": counts / max(counts.sum(), 1),
        "length": [len(s) for s in seqs],
    })
    return frame.sort_values("cases", ascending=False, kind="stable").reset_index(drop=True)


def _ids(labels: list[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for label in labels:
        base = label if _ID.match(label) and len(label) <= 80 else slug(label)[:70]
        new, i = base, 2
        while new in seen:
            new, i = f"{base}_{i}", i + 1
        seen.add(new)
        out.append(new)
    return out


def _mode(keys: np.ndarray, values: np.ndarray) -> pd.DataFrame:
    """Most frequent value per key (ties: alphabetical) and its share."""
    return _mode_of_counts(pd.DataFrame({"k": keys, "v": values}).value_counts().rename("n").reset_index())


def _no_events() -> None:
    raise JourneyError([Problem("<events>", "", "no events to discover a journey from: the log is empty or every "
                                "row was set aside (see the ingest report)")])


@dispatch(lazy=_lazy_paths.discovery_stats)
def _stats(events: pd.DataFrame, case: str, activity: str, timestamp: str, channel: str, stage: str | None,
           bar: Any) -> dict[str, Any]:
    """Everything discovery needs from the events (pandas path); the lazy engines compute the same dict."""
    require(frame_of(events), [channel])
    events, log = ordered(events, case, activity, timestamp)
    if not len(log.case):
        _no_events()
    bar.update()
    use_stage = stage is not None and stage in events.columns
    return {
        "graph": _dfg(log), "labels": [str(x) for x in log.activities],
        "chan": _mode(log.activity, log.take(events, channel).astype(str)),
        "stages": _mode(log.activity, log.take(events, stage).astype(str)) if use_stage else None,
        "place": pd.Series(log.position()).groupby(log.activity).mean(),
        "events": np.bincount(log.activity, minlength=len(log.activities)),
        "cases": pd.Series(log.case).groupby(log.activity).nunique().reindex(range(len(log.activities))).to_numpy(),
        "n_events": len(log.case), "n_cases": log.n_cases,
        "first": pd.Timestamp(log.ts.min(), tz="UTC") if len(log.ts) else None,
        "last": pd.Timestamp(log.ts.max(), tz="UTC") if len(log.ts) else None,
    }


@dispatch()
def discover_with_stats(
    events: pd.DataFrame, *, case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP,
    channel: str = CHANNEL, stage: str | None = "stage", id: str = "discovered", title: str | None = None,
    min_count: int = 1, lang: str = "en", progress: bool | None = None, journey: Journey | None = None,
    channels: Iterable[str | Channel] = (), unknown_channels: Literal["error", "keep"] = "error",
) -> Discovery:
    """Like :func:`discover`, also returning transition and touchpoint statistics."""
    with steps(4, "discover", rows_of(events), progress) as bar:
        st = _stats(events, case, activity, timestamp, channel, stage, bar)
        if not st["n_events"]:
            _no_events()
        graph, labels, chan = st["graph"], st["labels"], st["chan"]
        bar.update()
        tp_ids = _ids(labels)
        bar.update()
        touchpoints, stage_list = _touchpoints(labels, tp_ids, chan, st["stages"], st["place"])
        custom = _channels(touchpoints, journey, list(channels), unknown_channels, channel)
        by_label = dict(zip(labels, tp_ids, strict=True))
        entry = _entry_shares(graph.start, by_label, st["n_cases"])
        for t in touchpoints:
            if t["id"] in entry:
                t["entry_share"] = entry[t["id"]]
        table = graph.edges[graph.edges["count"] >= min_count].copy()
        table["source"] = table["source"].astype(str).map(by_label)
        table["target"] = table["target"].astype(str).map(by_label)
        table["share"] = [math.floor(s * 10_000) / 10_000 for s in table["share"]]  # keeps sums ≤ 1
        transitions = [{"from": s, "to": t, "share": float(sh)}
                       for s, t, sh in table[["source", "target", "share"]].itertuples(index=False)]
        description = _label("at_discovered", lang).format(events=f"{st['n_events']:,}", cases=f"{st['n_cases']:,}",
                                                      first=f"{st['first']:%Y-%m-%d}", last=f"{st['last']:%Y-%m-%d}")
        journey = Journey.model_validate({
            "id": id, "title": title or _label("at_discovered_title", lang).format(cases=f"{st['n_cases']:,}"),
            "lang": lang,
            "description": description, "channels": custom, "stages": stage_list, "touchpoints": touchpoints,
            "transitions": transitions,
        })
        bar.update()
    table.index = pd.Index(table["source"] + "->" + table["target"], name="key")
    starts = graph.start.rename(index=lambda x: by_label[str(x)])
    ends = graph.end.rename(index=lambda x: by_label[str(x)])
    tp_stats = pd.DataFrame({
        "activity": labels,
        "events": st["events"],
        "cases": st["cases"],
        "channel_share": chan["share"].reindex(range(len(labels))).to_numpy(),
    }, index=pd.Index(tp_ids, name="touchpoint"))
    tp_stats["starts"] = starts.reindex(tp_stats.index).fillna(0).astype(int)
    tp_stats["ends"] = ends.reindex(tp_stats.index).fillna(0).astype(int)
    tp_order = [t["id"] for t in touchpoints]
    return Discovery(journey, table[["count", "share", "median_min"]], tp_stats.loc[tp_order])


def _touchpoints(labels: list[str], tp_ids: list[str], chan: pd.DataFrame, stages: pd.DataFrame | None,
                 place: pd.Series) -> tuple[list[dict], list[dict]]:
    stage_of = ({i: str(stages.loc[i, "v"]) for i in range(len(labels))} if stages is not None
                else dict.fromkeys(range(len(labels)), "observed"))
    stage_place = pd.Series({s: place[[i for i in stage_of if stage_of[i] == s]].mean()
                             for s in set(stage_of.values())}).sort_values(kind="stable")
    stage_ids = _ids(list(stage_place.index))
    stage_id = dict(zip(stage_place.index, stage_ids, strict=True))
    stage_rank = {s: r for r, s in enumerate(stage_place.index)}
    order = sorted(range(len(labels)), key=lambda i: (stage_rank[stage_of[i]], place[i], labels[i]))
    touchpoints = [{"id": tp_ids[i], "stage": stage_id[stage_of[i]], "channel": str(chan.loc[i, "v"]),
                    "action": labels[i][:2000] or tp_ids[i], "evidence": "observed"} for i in order]
    stage_list = [{"id": stage_id[s], "name": s.replace("_", " ").capitalize() if s == stage_id[s] else s}
                  for s in stage_place.index]
    return touchpoints, stage_list


def _entry_shares(start: pd.Series, by_label: dict[str, str], n_cases: int) -> dict[str, float]:
    """Share of cases starting at each touchpoint, rounded down to 6 decimals so they sum to ≤ 1 (one too
    small for that keeps its exact value: every observed start stays an entry).

    >>> _entry_shares(pd.Series({"ad": 2, "web": 1}), {"ad": "ad", "web": "web"}, 3)
    {'ad': 0.666666, 'web': 0.333333}
    """
    exact = {by_label[str(label)]: int(n) / n_cases for label, n in start.items() if n > 0}
    return {k: math.floor(v * 1_000_000) / 1_000_000 or v for k, v in exact.items()}


def _channels(touchpoints: list[dict], journey: Journey | None, channels: list[str | Channel], unknown: str,
              column: str) -> list[dict]:
    """Point each touchpoint at a known channel's id; the channels the journey must define (not built in)."""
    known = known_channels(journey, channels)

    def find(value: str) -> Channel | None:
        return known.get(value) or known.get(value.strip().lower())

    missing = sorted({t["channel"] for t in touchpoints if find(t["channel"]) is None})
    if missing and unknown != "keep":
        raise JourneyError([Problem("<events>", column, "channel(s) not in the catalogue: " + ", ".join(missing)
                                    + "; pass the journey that defines them (journey=, --journey), list them "
                                    "(channels=, --channels) or keep them as new channels (unknown_channels="
                                    "'keep', --keep-unknown-channels)")])
    if missing:
        known = known_channels(journey, [*channels, *missing])
    used: dict[str, Channel] = {}
    for t in touchpoints:
        ch = find(t["channel"]) or known[t["channel"].strip().lower()]
        t["channel"] = ch.id
        if ch.id not in CATALOGUE:
            used[ch.id] = ch
    return [c.model_dump() for c in used.values()]


@dispatch()
def discover(
    events: pd.DataFrame, *, case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP,
    channel: str = CHANNEL, stage: str | None = "stage", id: str = "discovered", title: str | None = None,
    min_count: int = 1, lang: str = "en", progress: bool | None = None, journey: Journey | None = None,
    channels: Iterable[str | Channel] = (), unknown_channels: Literal["error", "keep"] = "error",
) -> Journey:
    """A :class:`~journeymap.model.Journey` discovered from events — the same type as a designed one.

    One touchpoint per activity, on the channel where most of its events
    happen, in the stage most of its events carry (``stage`` column, if
    present; else one stage "observed"). Stages and touchpoints are ordered by
    the mean position (0 = first event of a case) of their events. One transition per directly-follows pair
    seen at least ``min_count`` times, with ``share`` = count / occurrences of
    the source (rounded down to 4 decimals, so shares leaving a touchpoint sum
    to ≤ 1; the rest ended there). Each touchpoint where cases start carries
    its observed ``entry_share`` (cases starting there / all cases), so the
    journey's reach (:func:`journeymap.scoring.visits`) is the observed number
    of visits per customer. Context and recognition are not observable
    in an event log and keep the model defaults. Counts and median times are in
    :func:`discover_with_stats` (and :func:`dfg`).

    Channels: those of the catalogue, of ``journey`` (e.g. the designed
    journey the log comes from) and ``channels`` (ids or
    :class:`~journeymap.channels.Channel` objects) are known; the discovered
    journey defines the ones not built in under its ``channels:``. Any other
    channel stops discovery with one line, unless ``unknown_channels="keep"``
    (then it is defined too, as ``known_channels`` describes).
    """
    return discover_with_stats(events, case=case, activity=activity, timestamp=timestamp, channel=channel,
                               stage=stage, id=id, title=title, min_count=min_count, lang=lang,
                               progress=progress, journey=journey, channels=channels,
                               unknown_channels=unknown_channels).journey
