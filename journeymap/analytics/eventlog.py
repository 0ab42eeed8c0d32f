"""An event log ordered once: :class:`EventLog`, and the cache that orders a pandas frame once for every analytic.

Every analytic works on the *ordered log* (events by case, then timestamp, then
file position; see :mod:`journeymap.analytics._engine`). Ordering is most of
the work (factorizing the case ids, one sort), so it is done **once per frame**:

* **Implicitly.** Called on a pandas DataFrame, an analytic keeps the ordered
  log in a cache keyed on that frame object (freed with the frame) and the
  columns it used. ``dfg(df)``, ``variants(df)``, ``funnel(df, ...)`` and
  ``channel_transitions(df)`` order ``df`` once between them; each other column
  (activity, channel, ...) is factorized once. The cache holds a reference to
  each column it used and checks at every call that the frame still has the
  very same column data: under pandas' copy-on-write, writing into the frame
  (``df.loc[...] = ...``, ``df[col] = ...``) gives it new data, so a changed
  frame is ordered again, never served stale. Users still pass and get pandas
  objects.
* **Explicitly.** ``log = EventLog.from_frame(df, case="customer")`` orders
  now and remembers the column names; pass ``log`` wherever the analytics take
  events (the column arguments default to the log's). Useful to pay the
  ordering up front (e.g. before a dashboard) or to name the columns once.

>>> import pandas as pd
>>> ev = pd.DataFrame({"customer": ["b", "a", "a", "b"], "activity": ["x", "y", "z", "y"],
...                    "timestamp": pd.to_datetime(["2026-01-01 10:00"] * 4, utc=True)})
>>> log = EventLog.from_frame(ev, case="customer")
>>> view = log.ordered()
>>> list(zip(view.case_labels(), view.activity_labels()))   # ties keep file order
[('b', 'x'), ('b', 'y'), ('a', 'y'), ('a', 'z')]
>>> ordered_log(ev, "customer", "activity", "timestamp") is not None and len(log)
4
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from journeymap.analytics._engine import Ordered, ns, sort_log
from journeymap.analytics._names import ACTIVITY, CASE, CHANNEL, TIMESTAMP
from journeymap.errors import JourneyError, Problem

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

_NAT = np.iinfo(np.int64).min
_MAX_ORDERS = 4  # ordered logs kept per frame (different case/timestamp/null-dropping choices)


class EventLog:
    """A pandas event frame with its column names, ordered once (by case, timestamp, file position).

    Build with :meth:`from_frame`; pass it to any analytic instead of the
    frame. ``frame`` is the frame; ``case``, ``activity``, ``timestamp`` and
    ``channel`` the column names the analytics use unless told otherwise.
    """

    def __init__(self, frame: pd.DataFrame, case: str, activity: str, timestamp: str, channel: str) -> None:
        self.frame, self.case, self.activity, self.timestamp, self.channel = frame, case, activity, timestamp, channel

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, case: str = CASE, activity: str = ACTIVITY,
                   timestamp: str = TIMESTAMP, channel: str = CHANNEL) -> EventLog:
        """Check the columns, order the log now (it is cached for the frame), and return it."""
        if not isinstance(frame, pd.DataFrame):
            raise JourneyError([Problem("<events>", "", "expected a pandas DataFrame of events", type(frame).__name__)])
        missing = [str(c) for c in (case, activity, timestamp) if c not in frame.columns]
        if missing:
            raise JourneyError([Problem("<events>", "columns", f"missing column(s): {', '.join(missing)}")])
        log = cls(frame, case, activity, timestamp, channel)
        log.ordered()
        return log

    def ordered(self, activity: str | None = None) -> Ordered:
        """The ordered log with ``activity`` (default: the log's) as its activity codes."""
        return ordered_log(self.frame, self.case, activity or self.activity, self.timestamp)

    def columns(self) -> dict[str, str]:
        """The log's column names by role (``case``, ``activity``, ``timestamp``, ``channel``)."""
        return {"case": self.case, "activity": self.activity, "timestamp": self.timestamp, "channel": self.channel}

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return (f"EventLog({len(self.frame):,} events; case={self.case!r}, activity={self.activity!r}, "
                f"timestamp={self.timestamp!r}, channel={self.channel!r})")


def frame_of(events: Any) -> Any:
    """The pandas frame behind ``events`` (an :class:`EventLog` or anything else, returned as it is)."""
    return events.frame if isinstance(events, EventLog) else events


def parse_times(events: pd.DataFrame, column: Any, source: str = "<events>") -> pd.Series:
    """``events[column]`` as datetimes (text parsed as ISO 8601, UTC)."""
    col = events[column]
    if pd.api.types.is_datetime64_any_dtype(col):
        return col
    try:
        return pd.to_datetime(col, utc=True, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise JourneyError([Problem(source, str(column), "timestamps could not be parsed; read the log with "
                                    f"journeymap.analytics.read_events to set bad rows aside ({exc})")]) from None


def _token(series: pd.Series) -> tuple[Any, ...]:
    """What identifies the data of ``series``: the identity of its buffers (kept alive by the cache)."""
    arr = series.array
    arrow = getattr(arr, "_pa_array", None)
    if arrow is not None:
        return ("arrow", id(arrow), len(arr))
    data = arr.codes if isinstance(arr, pd.Categorical) else getattr(arr, "_ndarray", None)
    if data is None:
        data = getattr(arr, "_data", None)
    if not isinstance(data, np.ndarray):
        return ("unknown", object())  # never equal: such a column is factorized again at every call
    return ("numpy", data.__array_interface__["data"][0], data.strides, data.shape)


class _Column:
    """A column factorized once: codes (file order, -1 = missing) and labels (order of first appearance)."""

    def __init__(self, series: pd.Series) -> None:
        self.series = series  # held: under copy-on-write a later write into the frame gets new buffers
        self.arrow = getattr(series.array, "_pa_array", None)
        self.token = _token(series)
        codes, labels = pd.factorize(series)
        self.codes = codes.astype(np.int32) if len(labels) < 2**31 - 1 else codes
        self.labels = pd.Index(labels)


class _Frame:
    """Everything cached for one frame: factorized columns and ordered logs."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.ref = weakref.ref(frame)
        self.columns: dict[Any, _Column] = {}
        self.orders: dict[tuple[Any, ...], _Base] = {}

    def column(self, frame: pd.DataFrame, name: Hashable) -> _Column:
        series = frame[name]
        got = self.columns.get(name)
        if got is None or got.token != _token(series):
            got = self.columns[name] = _Column(series)
        return got

    def base(self, frame: pd.DataFrame, case: Hashable, timestamp: Hashable, also: tuple[Any, ...] = ()) -> _Base:
        key = (case, timestamp, also)
        got = self.orders.get(key)
        cols = [self.column(frame, c) for c in (case, *also)]
        ts_series = frame[timestamp]
        if got is not None and got.tokens == (*[c.token for c in cols], _token(ts_series)):
            return got
        if len(self.orders) >= _MAX_ORDERS:
            self.orders.pop(next(iter(self.orders)))
        got = self.orders[key] = _Base(self, frame, cols, ts_series)
        return got


_FRAMES: dict[int, _Frame] = {}


def _state(frame: pd.DataFrame) -> _Frame:
    key = id(frame)
    got = _FRAMES.get(key)
    if got is None or got.ref() is not frame:
        got = _FRAMES[key] = _Frame(frame)
        weakref.finalize(frame, _FRAMES.pop, key, None)
    return got


class _Base:
    """The ordering of one frame by one case and timestamp column (rows with a null key left out)."""

    def __init__(self, state: _Frame, frame: pd.DataFrame, cols: Sequence[_Column], ts_series: pd.Series) -> None:
        self.state, self.frame = weakref.ref(state), weakref.ref(frame)
        self.ts_series = ts_series
        self.tokens = (*[c.token for c in cols], _token(ts_series))
        ts_all = ns(parse_times(frame, ts_series.name))
        case = cols[0]
        keep = None if len(case.labels) and not (case.codes < 0).any() else case.codes >= 0
        for extra in [ts_all != _NAT] + [c.codes >= 0 for c in cols[1:]]:
            if not extra.all():
                keep = extra if keep is None else keep & extra
        if keep is None:
            self.kept, codes, ts, self.cases = None, case.codes, ts_all, case.labels
        else:
            self.kept = np.flatnonzero(keep)
            codes, self.cases = _renumber(case.codes[self.kept], case.labels)
            ts = ts_all[self.kept]
        perm, self.case, self.ts = sort_log(codes, ts)
        self.rows = perm if self.kept is None else self.kept[perm]
        n = len(self.case)
        self.first = np.ones(n, dtype=bool)
        self.last = np.ones(n, dtype=bool)
        if n:
            self.first[1:] = self.case[1:] != self.case[:-1]
            self.last[:-1] = self.first[1:]
        self._codes: dict[Any, tuple[Any, np.ndarray, pd.Index]] = {}

    def codes_of(self, name: Hashable, rows: np.ndarray | None = None) -> tuple[np.ndarray, pd.Index]:
        """Codes of column ``name`` in log order and its labels, numbered by first appearance among the
        rows of this log (file order)."""
        frame, state = self.frame(), self.state()
        if frame is None or state is None:
            raise RuntimeError("the frame of this ordered log no longer exists")
        col = state.column(frame, name)
        got = self._codes.get(name)
        if got is None or got[0] is not col:
            if self.kept is None:
                got = (col, col.codes[self.rows], col.labels)
            else:
                sub, labels = _renumber(col.codes[self.kept], col.labels, keep_missing=True)
                full = np.full(len(col.codes), -1, dtype=sub.dtype)
                full[self.kept] = sub
                got = (col, full[self.rows], labels)
            self._codes[name] = got
        return got[1], got[2]

    def view(self, activity: Hashable) -> Ordered:
        codes, labels = self.codes_of(activity)
        return Ordered(case=self.case, cases=self.cases, activity=codes, activities=labels, ts=self.ts,
                       rows=self.rows, first=self.first, last=self.last, source=self)


def _renumber(codes: np.ndarray, labels: pd.Index, keep_missing: bool = False) -> tuple[np.ndarray, pd.Index]:
    """Codes renumbered by first appearance in ``codes`` (a subset of rows), with their labels."""
    seen = pd.unique(codes[codes >= 0]) if keep_missing else pd.unique(codes)
    remap = np.full(len(labels) + 1, -1, dtype=codes.dtype)
    remap[seen] = np.arange(len(seen), dtype=codes.dtype)
    return remap[codes], labels[seen]


def ordered_log(frame: pd.DataFrame, case: Hashable, activity: Hashable, timestamp: Hashable) -> Ordered:
    """The ordered log of ``frame`` (from the cache when the frame and its columns are unchanged).

    Like pm4py's ``format_dataframe``, rows with a null case, activity or
    timestamp take no part. Cases are numbered in order of first appearance.
    """
    state = _state(frame)
    view = state.base(frame, case, timestamp).view(activity)
    if (view.activity < 0).any():  # null activities: leave those rows out, as a log of its own
        view = state.base(frame, case, timestamp, (activity,)).view(activity)
    return view


def distinct_labels(frame: pd.DataFrame, column: Hashable) -> pd.Index:
    """The distinct non-null values of ``frame[column]`` (factorized once per column, cached)."""
    return _state(frame).column(frame, column).labels
