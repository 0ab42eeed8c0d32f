"""The only engine-specific code of :mod:`journeymap.analytics` for in-memory logs (numpy).

Every analytic is written on a handful of primitives over an *ordered log*:
events sorted by case, then timestamp, then position in the file (so
timestamp ties keep file order, exactly as pm4py after ``format_dataframe``).
An engine that cannot hold row order (Spark, DuckDB) implements the same
primitives with ``lead() over (partition by case order by ts, row)``; nothing
outside this module touches rows one by one. The ordered log itself is built
once per frame by :class:`journeymap.analytics.eventlog.EventLog`.

How the primitives stay fast (10 M events, 1 M cases; figures in docs/scale.md):

* :func:`sort_log` groups the rows by case with a value sort of int64 keys
  ``case | row`` (numpy's SIMD sort, ~6x an argsort), reads the timestamps
  once in that order, then orders each case by a stable argsort of the
  already-grouped keys ``case | time since the case's first event`` (cheap:
  timsort's runs); ties keep file order. ~1.5 s at 10 M events instead of 9 s
  for ``np.lexsort``, its fallback when the keys do not fit in 63 bits.
* :func:`count_pairs` counts code pairs with ``bincount`` on ``a * n + b``.
* :meth:`Ordered.sequences` numbers the distinct per-case sequences by two
  polynomial hashes per case (``add.reduceat``), then checks every case
  against its variant's first case, event by event, and falls back to the
  exact byte-string path if two sequences ever collide.

>>> import numpy as np
>>> sort_order(np.array([1, 0, 0, 1]), np.array([5, 5, 5, 4])).tolist()   # ties keep file order
[1, 2, 3, 0]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Hashable

_M1 = np.uint64(0x9E3779B97F4A7C15)  # odd multipliers of the two sequence hashes
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)


@dataclass(frozen=True)
class Ordered:
    """A log sorted by (case, timestamp, file position), held as numpy arrays.

    ``case`` and ``activity`` are integer codes into ``cases`` and
    ``activities``; ``ts`` is int64 nanoseconds since the epoch (UTC);
    ``rows`` the sorted rows' positions in the input frame; ``first``/``last``
    mark each case's first and last event. ``source`` is the
    :class:`~journeymap.analytics.eventlog.EventLog` it is a view of (codes of
    other columns come from there, computed once per column).
    """

    case: np.ndarray
    cases: pd.Index
    activity: np.ndarray
    activities: pd.Index
    ts: np.ndarray
    rows: np.ndarray
    first: np.ndarray
    last: np.ndarray
    source: Any = field(default=None, compare=False, repr=False)

    @property
    def n_cases(self) -> int:
        return len(self.cases)

    def case_labels(self) -> np.ndarray:
        return self.cases.to_numpy()[self.case]

    def activity_labels(self) -> np.ndarray:
        return self.activities.to_numpy()[self.activity]

    def take(self, frame: pd.DataFrame, column: Hashable) -> np.ndarray:
        """A column of the input ``frame`` in log order."""
        if self.source is not None:
            codes, labels = self.codes(column)
            values = labels.to_numpy(dtype=object)
            if not len(values):
                return np.full(len(codes), np.nan, dtype=object)
            return np.where(codes >= 0, values[np.maximum(codes, 0)], np.nan)
        return frame[column].to_numpy()[self.rows]

    def codes(self, column: Hashable) -> tuple[np.ndarray, pd.Index]:
        """``(codes in log order, labels)`` of a column of the frame; code -1 for a missing value."""
        return self.source.codes_of(column, self.rows)

    def codes_in(self, column: Hashable, values: Any) -> np.ndarray:
        """Mask (log order): the column's value, as text, is one of ``values``."""
        codes, labels = self.codes(column)
        return np.isin(codes, np.flatnonzero(labels.astype(str).isin([str(v) for v in values])))

    def position(self) -> np.ndarray:
        """Position of each event within its case (0 for the first)."""
        return np.arange(len(self.case)) - self.case_start()

    def case_start(self) -> np.ndarray:
        """Index (in log order) of the first event of each event's case."""
        idx = np.arange(len(self.case))
        return np.maximum.accumulate(np.where(self.first, idx, 0))

    def lead(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(next value in the same case, has_next mask)``; the value is arbitrary where the mask is False."""
        if len(values) == 0:
            return values.copy(), np.zeros(0, dtype=bool)
        nxt = np.empty_like(values)
        nxt[:-1] = values[1:]
        nxt[-1] = values[0]
        return nxt, ~self.last

    def sequences(self, codes: np.ndarray | None = None) -> tuple[np.ndarray, list[tuple[int, ...]]]:
        """Variant id per case and the distinct code sequences (in order of first case)."""
        codes = self.activity if codes is None else codes
        if not len(codes):
            return np.zeros(0, dtype=np.int64), []
        starts = np.flatnonzero(self.first)
        ids = _hashed_variants(codes, starts, self.case_start())
        if ids is None:  # two different sequences with equal hashes: the exact (slower) path
            chunks = np.split(codes.astype(np.int32, copy=False), starts[1:])
            ids, _ = pd.factorize(pd.Series([c.tobytes() for c in chunks], dtype=object))
        _, first_case = np.unique(ids, return_index=True)  # ids are 0..k-1 in order of first case
        lengths = np.diff(np.append(starts, len(codes)))[first_case]
        ends = np.cumsum(lengths)
        flat = codes[np.repeat(starts[first_case] - (ends - lengths), lengths) + np.arange(int(ends[-1]))].tolist()
        seqs = [tuple(flat[e - n:e]) for e, n in zip(ends.tolist(), lengths.tolist(), strict=True)]
        return ids, seqs


def _hashed_variants(codes: np.ndarray, starts: np.ndarray, case_start: np.ndarray) -> np.ndarray | None:
    """Variant id per case (first-case order) from two hashes and the length of each case's sequence,
    verified event by event; None on a hash collision."""
    n = len(codes)
    pos = (np.arange(n) - case_start).astype(np.uint64)
    x = (codes.astype(np.uint64) << np.uint64(32)) + pos
    h1 = np.add.reduceat(_mix(x, _M1), starts)
    h2 = np.add.reduceat(_mix(x, _M2), starts)
    lengths = np.diff(np.append(starts, n))
    key = pd.DataFrame({"h1": h1, "h2": h2, "n": lengths})
    ids = key.groupby(["h1", "h2", "n"], sort=False).ngroup().to_numpy()
    _, rep = np.unique(ids, return_index=True)  # the first case of each variant
    case_of = np.repeat(np.arange(len(starts)), lengths)
    same = codes == codes[starts[rep[ids[case_of]]] + pos.astype(np.int64)]
    return ids if bool(same.all()) else None


def _mix(x: np.ndarray, mult: np.uint64) -> np.ndarray:
    """A 64-bit mixing function (splitmix64's finaliser), element-wise; wraps around on overflow."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * mult
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def ns(values: pd.Series) -> np.ndarray:
    """Timestamps as int64 nanoseconds since the epoch (UTC if tz-aware; naive ones as they are); NaT stays
    the minimum int64. No copy beyond a change of unit."""
    arr = values.array
    if isinstance(arr, pd.arrays.DatetimeArray):
        return np.asarray(arr.as_unit("ns").asi8)  # type: ignore[attr-defined]  # UTC epoch, NaT = int64 min
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values.astype("datetime64[ns]").to_numpy().view("int64")


def sort_order(case: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Positions that sort events by case code, then ``ts``, then position (a stable sort)."""
    return sort_log(case, ts)[0]


def sort_log(case: np.ndarray, ts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(positions, case codes, ts)`` of the events sorted by case code (dense codes ≥ 0), then ``ts``,
    then position: a stable sort, with ties in position order.

    Sorting int64 values is several times faster than an argsort (numpy's SIMD sort), and a stable
    argsort of keys already grouped is cheap (timsort's runs), so: one value sort groups the rows by
    case, in file order (key ``case | row``); the timestamps are read once in that order; a stable
    argsort of ``case | time since the case's first event`` then orders each case, ties in file order.
    Falls back to ``np.lexsort`` when the keys do not fit in 63 bits."""
    n = len(case)
    if not n:
        return np.zeros(0, dtype=np.int64), case.copy(), ts.copy()
    n_cases = int(case.max()) + 1
    row_bits, case_bits = (n - 1).bit_length(), (n_cases - 1).bit_length()
    if case_bits + row_bits <= 62:
        grouped = np.sort((case.astype(np.int64) << row_bits) | np.arange(n, dtype=np.int64))
        rows = grouped & ((1 << row_bits) - 1)
        sizes = np.bincount(case, minlength=n_cases)
        start = np.cumsum(sizes) - sizes
        used = sizes > 0
        ts_g = ts[rows]
        lo = np.zeros(n_cases, dtype=np.int64)
        lo[used] = np.minimum.reduceat(ts_g, start[used])
        rel = ts_g - np.repeat(lo[used], sizes[used])
        span = int(rel.max())
        unit = 1000 if span > 0 and not bool((rel % 1000).any()) else 1  # µs data held as ns: 10 bits fewer
        if unit > 1:
            rel //= unit
        shift = (span // unit).bit_length()
        if case_bits + shift <= 62:
            case_g = grouped >> row_bits
            # within each case the rows are in file order: a stable sort of ``case | time`` keeps ties in it,
            # and the keys are already grouped by case, which timsort's runs make cheap
            order = np.argsort((case_g << shift) | rel, kind="stable")
            return rows[order], case_g[order].astype(case.dtype, copy=False), ts_g[order]
    perm = np.lexsort((ts, case))  # stable: ties keep position
    return perm, case[perm], ts[perm]


def count_pairs(a: np.ndarray, b: np.ndarray, n_b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct ``(a, b)`` code pairs and their counts, most frequent first (ties by codes)."""
    k = max(n_b, 1)
    key = a.astype(np.int64) * k + b.astype(np.int64)
    size = (int(a.max()) + 1) * k if len(a) else 0
    if size <= 1 << 24:  # a dense table: one pass, no sort
        counts = np.bincount(key, minlength=size)
        uniq = np.flatnonzero(counts)
        counts = counts[uniq]
    else:
        uniq, counts = np.unique(key, return_counts=True)
    sel = np.lexsort((uniq, -counts))
    uniq, counts = uniq[sel], counts[sel]
    return uniq // k, uniq % k, counts


def median_by(key: np.ndarray, values: np.ndarray) -> pd.Series:
    """Median of ``values`` per ``key``."""
    return pd.Series(values).groupby(key).median()


def first_per_case(log: Ordered, mask: np.ndarray, after: np.ndarray | None = None) -> np.ndarray:
    """Index (log order) of each case's first event where ``mask`` holds and, if given,
    whose index is greater than ``after[case]``; -1 where there is none."""
    ok = mask if after is None else mask & (np.arange(len(log.case)) > after[log.case])
    hits = np.flatnonzero(ok)
    out = np.full(log.n_cases, -1, dtype=np.int64)
    if len(hits):
        codes = log.case[hits]  # the log is sorted by case: the first hit of each case opens a run
        new = np.ones(len(hits), dtype=bool)
        new[1:] = codes[1:] != codes[:-1]
        out[codes[new]] = hits[new]
    return out
