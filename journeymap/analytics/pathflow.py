"""Paths from a step: where customers go next (or came from), as a tree of the next N steps.

Definitions (what the numbers mean):

* A customer's **anchor** is their FIRST event of ``step`` in log order (case,
  timestamp, file position: ties keep file order). Later occurrences of the
  step are ordinary steps of the path.
* ``direction="forward"`` follows the events after the anchor; ``"backward"``
  the events before it, nearest first (level 1 is the step just before).
* Level 0 is the root (the step itself, every anchored customer). A node at
  level *L* is the path ``prefix + (activity,)`` of the *L* events after (or
  before) the anchor; ``customers`` counts the distinct customers whose path
  starts so. A customer whose journey stops earlier ends in an ``"(end)"``
  node (``"(start)"`` going backward), which has no children.
* ``top=k`` keeps the *k* largest children of each node (ties: label order)
  and merges the others into one ``"(other)"`` node whose customers go on
  together (its children are the next steps of all of them). ``"(end)"`` is
  never merged.
* ``conversion``: a customer converts when they have a conversion event at or
  after their anchor (``conversion`` column = share of the node's customers who
  do; the same customer-level flag whichever the direction).

In-memory (pandas) logs; a Parquet log small enough for memory is read and runs
the same way; a larger one or a Spark frame gets a one-line "not available out
of core yet" error (read a sample with ``read_events(..., lazy=False)``).

>>> import pandas as pd
>>> ev = pd.DataFrame({"case_id": list("aaabbc"), "activity": ["ad", "web", "buy", "ad", "web", "ad"],
...                    "timestamp": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 09:30", "2026-03-03 09:00",
...                        "2026-03-02 10:00", "2026-03-02 10:05", "2026-03-04 08:00"], utc=True)})
>>> tree = paths_from(ev, "ad", depth=2, conversion="buy")
>>> tree[["level", "activity", "customers", "conversion"]].values.tolist()
[[0, 'ad', 3, 0.3333333333333333], [1, 'web', 2, 0.5], [1, '(end)', 1, 0.0], [2, 'buy', 1, 1.0], [2, '(end)', 1, 0.0]]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from journeymap.analytics._dispatch import dispatch
from journeymap.analytics._engine import Ordered, first_per_case
from journeymap.analytics._frame import ACTIVITY, CASE, TIMESTAMP, ordered, require_values
from journeymap.analytics._rules import as_set

__all__ = ["END", "OTHER", "START", "paths_after_dropoff", "paths_from"]

END, START, OTHER = "(end)", "(start)", "(other)"
_END_CODE, _OTHER_CODE = -1, -2
COLUMNS = ["level", "prefix", "activity", "customers", "share"]


def _check(depth: int, direction: str, top: int | None) -> None:
    if not isinstance(depth, (int, np.integer)) or isinstance(depth, bool) or depth < 1:
        raise ValueError(f"depth must be a whole number ≥ 1, got {depth!r}")
    if direction not in ("forward", "backward"):
        raise ValueError(f"direction must be 'forward' or 'backward', got {direction!r}")
    if top is not None and (not isinstance(top, (int, np.integer)) or isinstance(top, bool) or top < 1):
        raise ValueError(f"top must be a whole number ≥ 1 or None, got {top!r}")


def _converted(log: Ordered, anchor: np.ndarray, conversion: str | Sequence[str] | None) -> np.ndarray | None:
    """Per case: a conversion event at or after the anchor (None without ``conversion``)."""
    if conversion is None:
        return None
    wanted, _ = as_set(conversion)
    mask = np.isin(log.activity, np.flatnonzero(log.activities.astype(str).isin(list(wanted))))
    after = np.where(anchor >= 0, anchor - 1, len(log.case))  # first_per_case looks strictly after
    return first_per_case(log, mask, after) >= 0


def tree_from(log: Ordered, anchor: np.ndarray, root: str, *, depth: int, direction: str, top: int | None,
              converted: np.ndarray | None) -> pd.DataFrame:
    """The path tree of the cases with ``anchor >= 0`` (log index of each case's anchor event)."""
    labels = log.activities.astype(str).to_numpy()
    cases = np.flatnonzero(anchor >= 0)
    at = anchor[cases]
    starts = np.flatnonzero(log.first)
    lo, hi = starts[cases], np.flatnonzero(log.last)[cases]
    step = 1 if direction == "forward" else -1
    stop = END if direction == "forward" else START
    conv = converted[cases] if converted is not None else None
    rows: list[dict[str, Any]] = [{"level": 0, "prefix": (), "activity": root, "customers": len(cases),
                                   "conversions": int(conv.sum()) if conv is not None else 0}]
    node = np.zeros(len(cases), dtype=np.int64)  # row of each live customer's current node
    alive = np.ones(len(cases), dtype=bool)
    for level in range(1, depth + 1):
        idx = np.flatnonzero(alive)
        if not len(idx):
            break
        pos = at[idx] + step * level
        inside = (pos >= lo[idx]) & (pos <= hi[idx])
        code = np.full(len(idx), _END_CODE, dtype=np.int64)
        code[inside] = log.activity[pos[inside]]
        frame = pd.DataFrame({"parent": node[idx], "code": code})
        if top is not None:
            frame["code"] = _merge_small(frame, labels, top)
        frame["conv"] = conv[idx] if conv is not None else False
        groups = frame.groupby(["parent", "code"], sort=False)
        counts = groups.agg(customers=("conv", "size"), conversions=("conv", "sum")).reset_index()
        counts["label"] = [stop if c == _END_CODE else OTHER if c == _OTHER_CODE else labels[c]
                           for c in counts["code"]]
        counts["kind"] = np.select([counts["code"] == _OTHER_CODE, counts["code"] == _END_CODE], [1, 2], 0)
        counts = counts.sort_values(["parent", "kind", "customers", "label"], ascending=[True, True, False, True],
                                    kind="stable").reset_index(drop=True)
        first_row = len(rows)
        for p, label, n, n_conv in zip(counts["parent"].tolist(), counts["label"].tolist(),
                                       counts["customers"].tolist(), counts["conversions"].tolist(), strict=True):
            rows.append({"level": level, "prefix": _prefix(rows[p]), "activity": label,
                         "customers": int(n), "conversions": int(n_conv)})
        key = pd.MultiIndex.from_frame(counts[["parent", "code"]])
        node[idx] = first_row + key.get_indexer(pd.MultiIndex.from_frame(frame[["parent", "code"]]))
        alive[idx[frame["code"].to_numpy() == _END_CODE]] = False
    out = pd.DataFrame(rows)
    total = len(cases)
    out["share"] = out["customers"] / total if total else 0.0
    if converted is not None:
        out["conversion"] = np.where(out["customers"] > 0, out["conversions"] / out["customers"].clip(lower=1), 0.0)
    out = out[[*COLUMNS, "conversions", "conversion"] if converted is not None else COLUMNS]
    out.attrs["direction"] = direction  # read by jm.plot.path_flow
    return out


def _prefix(parent: dict[str, Any]) -> tuple[str, ...]:
    """The path from the root to ``parent`` (the root itself excluded), as labels."""
    if parent["level"] == 0:
        return ()
    return (*parent["prefix"], parent["activity"])


def _merge_small(frame: pd.DataFrame, labels: np.ndarray, top: int) -> np.ndarray:
    """Codes with every child beyond the ``top`` largest of its parent replaced by the OTHER code."""
    real = frame[frame["code"] != _END_CODE]
    if not len(real):
        return frame["code"].to_numpy()
    sizes = real.groupby(["parent", "code"]).size().rename("n").reset_index()
    sizes["label"] = labels[sizes["code"].to_numpy()]
    sizes = sizes.sort_values(["parent", "n", "label"], ascending=[True, False, True], kind="stable")
    sizes["rank"] = sizes.groupby("parent").cumcount()
    dropped = sizes[sizes["rank"] >= top]
    if not len(dropped):
        return frame["code"].to_numpy()
    gone = pd.MultiIndex.from_frame(dropped[["parent", "code"]])
    hit = pd.MultiIndex.from_frame(frame[["parent", "code"]]).isin(gone)
    return np.where(hit, _OTHER_CODE, frame["code"].to_numpy())


def out_of_core(name: str) -> Any:
    """The ``lazy=`` engine of an analytic that has none yet: a Parquet log small enough for memory is read
    and runs in pandas (see :func:`~journeymap.analytics._dispatch.dispatch`); a larger one, a DuckDB relation
    or a Spark frame gets one line saying so."""

    def refuse(events: Any, case: Any = None, activity: Any = None, by: Any = None, timestamp: Any = None) -> Any:
        from journeymap.analytics._backend import native
        from journeymap.analytics._dispatch import engine
        from journeymap.errors import JourneyError, Problem

        source = str(events) if isinstance(events, (str, os.PathLike)) else type(events).__name__
        found = list(native(events).columns)
        missing = [str(c) for c in (case, activity, by, timestamp) if c is not None and c not in found]
        if missing:
            raise JourneyError([Problem(source, "columns", f"missing column(s): {', '.join(missing)}; found: "
                                        + ", ".join(map(str, found[:12])))])
        raise JourneyError([Problem(source, "", f"{name} is not available out of core yet ({engine(events)}); read "
                                    "the log, or a sample, with read_events(..., lazy=False) and pass the events")])

    return refuse


def _conversion_check(events: Any, activity: str, conversion: str | Sequence[str] | None) -> None:
    if conversion is not None:
        require_values(events, activity, as_set(conversion)[0], "conversion")


@dispatch(lazy=out_of_core("paths_from"), check=_conversion_check)
def paths_from(events: pd.DataFrame, step: str | Sequence[str], *, depth: int = 5,
               direction: Literal["forward", "backward"] = "forward", top: int | None = None,
               conversion: str | Sequence[str] | None = None, case: str = CASE, activity: str = ACTIVITY,
               timestamp: str = TIMESTAMP) -> pd.DataFrame:
    """The tree of the ``depth`` steps after (or before) each customer's first ``step`` (see the module notes).

    ``step`` is an activity or a list of activities (any of them anchors). One row per node:
    ``level`` (0 = the root), ``prefix`` (tuple of the activities between the root and the node),
    ``activity``, ``customers``, ``share`` (of the root's customers) and, with ``conversion``,
    ``conversions`` and ``conversion`` (share of the node's customers who convert at or after the anchor).
    Rows are by level, then by parent, then largest first (``"(other)"`` and ``"(end)"`` last).
    """
    _check(depth, direction, top)
    events, log = ordered(events, case, activity, timestamp)
    wanted, label = as_set(step)
    require_values(events, activity, wanted, "step")
    anchor = first_per_case(log, np.isin(log.activity, np.flatnonzero(log.activities.astype(str).isin(list(wanted)))))
    return tree_from(log, anchor, label, depth=depth, direction=direction, top=top,
                     converted=_converted(log, anchor, conversion))


def funnel_anchors(log: Ordered, stages: Sequence[str | Sequence[str]], strict_order: bool = True) -> list[np.ndarray]:
    """Per funnel step, each case's matched event (log index, -1 when the case did not reach it), by the rules
    of :func:`journeymap.analytics.funnel` (strict order: after the previous step's event)."""
    labels = log.activities.astype(str)
    n = len(log.case)
    prev = np.full(log.n_cases, -1, dtype=np.int64)
    found = []
    for k, stage in enumerate(stages):
        wanted, _ = as_set(stage)
        mask = np.isin(log.activity, np.flatnonzero(labels.isin(list(wanted))))
        if k == 0 or strict_order:
            idx = first_per_case(log, mask, np.where(prev >= 0, prev, n) if k else None)
        else:
            idx = np.where(prev >= 0, first_per_case(log, mask), -1)
        found.append(idx)
        prev = idx
    return found


def _dropoff_check(events: Any, stages: Sequence[str | Sequence[str]], k: int, activity: str) -> None:
    if len(stages) < 2:
        raise ValueError("paths_after_dropoff needs at least two funnel stages")
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not 1 <= k < len(stages):
        raise ValueError(f"k must be a step number from 1 to {len(stages) - 1} (customers who reached step k "
                         f"but not step k+1), got {k!r}")
    require_values(events, activity, [v for s in stages for v in as_set(s)[0]], "funnel step")


@dispatch(lazy=out_of_core("paths_after_dropoff"), check=_dropoff_check)
def paths_after_dropoff(events: pd.DataFrame, stages: Sequence[str | Sequence[str]], k: int, *, depth: int = 5,
                        top: int | None = None, conversion: str | Sequence[str] | None = None,
                        strict_order: bool = True, case: str = CASE, activity: str = ACTIVITY,
                        timestamp: str = TIMESTAMP) -> pd.DataFrame:
    """Where did the customers who left the funnel at step ``k`` go? (``k`` counts from 1.)

    The customers who reached step ``k`` of ``stages`` but not step ``k+1``, by the rules of
    :func:`~journeymap.analytics.funnel` (with ``strict_order`` step *k+1* must come after step *k*'s
    event); the tree (as :func:`paths_from`, forward) of their next ``depth`` events after the event that
    matched step ``k``. The root's ``customers`` equals the funnel's ``drop_off`` at step ``k+1``.
    """
    _check(depth, "forward", top)
    if conversion is not None:
        _conversion_check(events, activity, conversion)
    events, log = ordered(events, case, activity, timestamp)
    anchors = funnel_anchors(log, stages[:k + 1], strict_order)
    anchor = np.where(anchors[k] >= 0, -1, anchors[k - 1])
    return tree_from(log, anchor, as_set(stages[k - 1])[1], depth=depth, direction="forward", top=top,
                     converted=_converted(log, anchor, conversion))
