"""The only engine-specific code of :mod:`journeymap.analytics` (pandas + numpy today).

Every analytic is written on a handful of primitives over an *ordered log*:
events sorted by case, then timestamp, then position in the file (so
timestamp ties keep file order, exactly as pm4py after ``format_dataframe``).
An engine that cannot hold row order (Spark, DuckDB) implements the same
primitives with ``lead() over (partition by case order by ts, row)``; nothing
outside this module touches rows one by one.

>>> import pandas as pd
>>> ev = pd.DataFrame({"case_id": ["b", "a", "a", "b"], "activity": ["x", "y", "z", "y"],
...                    "timestamp": pd.to_datetime(["2026-01-01 10:00"] * 4, utc=True)})
>>> log = order(ev, "case_id", "activity", "timestamp")
>>> list(zip(log.case_labels(), log.activity_labels()))   # ties keep file order
[('b', 'x'), ('b', 'y'), ('a', 'y'), ('a', 'z')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Hashable


@dataclass(frozen=True)
class Ordered:
    """A log sorted by (case, timestamp, file position), held as numpy arrays.

    ``case`` and ``activity`` are integer codes into ``cases`` and
    ``activities``; ``ts`` is int64 nanoseconds since the epoch (UTC);
    ``rows`` the sorted rows' positions in the input frame; ``first``/``last``
    mark each case's first and last event.
    """

    case: np.ndarray
    cases: pd.Index
    activity: np.ndarray
    activities: pd.Index
    ts: np.ndarray
    rows: np.ndarray
    first: np.ndarray
    last: np.ndarray

    @property
    def n_cases(self) -> int:
        return len(self.cases)

    def case_labels(self) -> np.ndarray:
        return self.cases.to_numpy()[self.case]

    def activity_labels(self) -> np.ndarray:
        return self.activities.to_numpy()[self.activity]

    def take(self, frame: pd.DataFrame, column: Hashable) -> np.ndarray:
        """A column of the input ``frame`` in log order."""
        return frame[column].to_numpy()[self.rows]

    def position(self) -> np.ndarray:
        """Position of each event within its case (0 for the first)."""
        idx = np.arange(len(self.case))
        start = np.maximum.accumulate(np.where(self.first, idx, 0))
        return idx - start

    def case_start(self) -> np.ndarray:
        """Index (in log order) of the first event of each event's case."""
        idx = np.arange(len(self.case))
        return np.maximum.accumulate(np.where(self.first, idx, 0))

    def lead(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(next value in the same case, has_next mask)``; the value is arbitrary where the mask is False."""
        if len(values) == 0:
            return values.copy(), np.zeros(0, dtype=bool)
        nxt = np.roll(values, -1)
        return nxt, ~self.last

    def sequences(self, codes: np.ndarray | None = None) -> tuple[np.ndarray, list[tuple[int, ...]]]:
        """Variant id per case and the distinct code sequences (in order of first case)."""
        codes = self.activity if codes is None else codes
        bounds = np.flatnonzero(self.first)[1:]
        chunks = np.split(codes.astype(np.int32, copy=False), bounds) if len(codes) else []
        keys = pd.Series([c.tobytes() for c in chunks], dtype=object)
        variant_ids, uniques = pd.factorize(keys)
        seqs = [tuple(int(x) for x in np.frombuffer(u, dtype=np.int32)) for u in uniques]
        return variant_ids, seqs


def _ns(values: pd.Series) -> np.ndarray:
    """Timestamps as int64 nanoseconds (UTC if tz-aware)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values.astype("datetime64[ns]").to_numpy().view("int64")


def order(frame: pd.DataFrame, case: Hashable, activity: Hashable, timestamp: Hashable) -> Ordered:
    """Sort ``frame`` by case, timestamp and file position; rows with a null key are left out.

    Like pm4py's ``format_dataframe``, rows with a null case, activity or
    timestamp take no part. Cases are numbered in order of first appearance.
    """
    keep = frame[case].notna().to_numpy() & frame[activity].notna().to_numpy() & frame[timestamp].notna().to_numpy()
    rows = np.flatnonzero(keep)
    case_codes, cases = pd.factorize(frame[case].to_numpy()[rows])
    act_codes, activities = pd.factorize(frame[activity].to_numpy()[rows])
    ts = _ns(frame[timestamp].iloc[rows])
    perm = np.lexsort((rows, ts, case_codes))  # last key is the primary one
    case_s = case_codes[perm]
    n = len(case_s)
    first = np.ones(n, dtype=bool)
    last = np.ones(n, dtype=bool)
    if n:
        first[1:] = case_s[1:] != case_s[:-1]
        last[:-1] = first[1:]
    return Ordered(
        case=case_s,
        cases=pd.Index(cases),
        activity=act_codes[perm],
        activities=pd.Index(activities),
        ts=ts[perm],
        rows=rows[perm],
        first=first,
        last=last,
    )


def count_pairs(a: np.ndarray, b: np.ndarray, n_b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct ``(a, b)`` code pairs and their counts, most frequent first (ties by codes)."""
    key = a.astype(np.int64) * max(n_b, 1) + b.astype(np.int64)
    uniq, counts = np.unique(key, return_counts=True)
    sel = np.lexsort((uniq, -counts))
    uniq, counts = uniq[sel], counts[sel]
    return uniq // max(n_b, 1), uniq % max(n_b, 1), counts


def median_by(key: np.ndarray, values: np.ndarray) -> pd.Series:
    """Median of ``values`` per ``key``."""
    return pd.Series(values).groupby(key).median()


def first_per_case(log: Ordered, mask: np.ndarray, after: np.ndarray | None = None) -> np.ndarray:
    """Index (log order) of each case's first event where ``mask`` holds and, if given,
    whose index is greater than ``after[case]``; -1 where there is none."""
    idx = np.arange(len(log.case))
    ok = mask.copy()
    if after is not None:
        ok &= idx > after[log.case]
    out = np.full(log.n_cases, -1, dtype=np.int64)
    hits = idx[ok]
    # first hit per case: cases appear in sorted order, so take the first index of each code
    codes = log.case[hits]
    uniq, first_pos = np.unique(codes, return_index=True)
    out[uniq] = hits[first_pos]
    return out
