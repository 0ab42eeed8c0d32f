"""Shared helpers: default column names, input checks, and the progress bar rule.

Every analytic takes a pandas DataFrame of events (one row per event, in file
order) plus the names of its columns. The defaults are the names that
:func:`~journeymap.analytics.read_events` writes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from journeymap.analytics._names import ACTIVITY, CASE, CHANNEL, TIMESTAMP
from journeymap.analytics.eventlog import EventLog, distinct_labels, frame_of, ordered_log, parse_times
from journeymap.errors import JourneyError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.analytics._engine import Ordered

__all__ = ["ACTIVITY", "CASE", "CHANNEL", "PROGRESS_MIN_ROWS", "TIMESTAMP", "EventLog", "frame_of", "ordered",
           "require", "require_values", "rows_of", "show_progress", "steps", "timestamps"]

#: Logs with at least this many rows show a tqdm progress bar (on stderr) during long
#: operations; smaller logs stay quiet. ``progress=True``/``False`` overrides it.
PROGRESS_MIN_ROWS = 1_000_000


def require(events: Any, columns: Iterable[Any], source: str = "<events>") -> None:
    """Raise :class:`JourneyError` naming every missing column (``None`` entries are skipped)."""
    import pandas as pd

    if not isinstance(events, pd.DataFrame):
        import os

        from journeymap.analytics._dispatch import engine

        lazy = engine(events) != "pandas"
        if isinstance(events, (str, os.PathLike)) and not os.path.exists(events):
            raise JourneyError([Problem(os.fspath(events), "", "the path does not exist")])
        if isinstance(events, (str, os.PathLike)) and not lazy:
            raise JourneyError([Problem(os.fspath(events), "", "not a Parquet file or folder; read CSV logs with "
                                        "journeymap.analytics.read_events and pass the events")])
        if lazy:
            raise JourneyError([Problem(source, "", "this function runs on pandas events only (time_to_convert and "
                                        "stitch work per customer in memory); read a "
                                        "sample with read_events(..., lazy=False) — see docs/scale.md",
                                        type(events).__name__)])
        raise JourneyError([Problem(source, "", "expected a pandas DataFrame of events "
                                    "(use journeymap.analytics.read_events for files)", type(events).__name__)])
    missing = [str(name) for name in columns if name is not None and name not in events.columns]
    if missing:
        found = ", ".join(map(str, events.columns[:12])) + (", …" if len(events.columns) > 12 else "")
        raise JourneyError([Problem(source, "columns", f"missing column(s): {', '.join(missing)}; found: {found}")])


def require_values(events: Any, column: Any, values: Iterable[Any], what: str, source: str = "<events>") -> None:
    """Raise :class:`JourneyError` when one of ``values`` never occurs in ``column`` (a typo gives 0
    customers otherwise), with the closest values that do occur ("did you mean 'checkout'?").

    ``events`` is a pandas DataFrame or a lazy source; a missing column is left to the caller's checks.
    """
    from journeymap.safety import suggest

    wanted = list(dict.fromkeys(str(v) for v in values))
    present = _distinct(events, column)
    if present is None:
        return
    for value in wanted:
        if value not in present:
            raise JourneyError([Problem(source, str(column), f"{what} {value!r} matches no value of this column; "
                                        + suggest(value, sorted(present)))])


def _distinct(events: Any, column: Any) -> set[str] | None:
    """The distinct non-null values of ``column`` as text, or None when there is no such column."""
    import pandas as pd

    events = frame_of(events)
    if isinstance(events, pd.DataFrame):
        if column not in events.columns:
            return None
        return set(distinct_labels(events, column).astype(str))
    import narwhals as nw

    from journeymap.analytics._backend import collect, native, safe_name, select_safe

    frame = native(events)
    if column not in frame.columns:
        return None
    name = safe_name(column)
    got = collect(nw.from_native(select_safe(frame, [column], keep=())).select(nw.col(name).cast(nw.String))
                  .filter(~nw.col(name).is_null()).unique())
    return set(got[name].astype(str))


def timestamps(events: pd.DataFrame, column: Any, source: str = "<events>") -> pd.DataFrame:
    parsed = parse_times(events, column, source)
    return events if parsed is events[column] else events.assign(**{column: parsed})


def ordered(events: pd.DataFrame | EventLog, case: Any, activity: Any, timestamp: Any,
            extra: Iterable[Any] | None = None) -> tuple[pd.DataFrame, Ordered]:
    """Check columns and return ``(events frame, ordered log)``; the ordering is done once per frame and
    columns (see :mod:`journeymap.analytics.eventlog`)."""
    frame: pd.DataFrame = frame_of(events)
    require(frame, [case, activity, timestamp, *(extra or ())])
    return frame, ordered_log(frame, case, activity, timestamp)


def rows_of(events: Any) -> int:
    """Rows of in-memory events (a DataFrame or an EventLog); 0 for a lazy source (no progress bar)."""
    import pandas as pd

    frame = frame_of(events)
    return len(frame) if isinstance(frame, pd.DataFrame) else 0


def show_progress(rows: int, progress: bool | None) -> bool:
    """Whether to draw a progress bar for a log of ``rows`` rows.

    >>> show_progress(10, None), show_progress(10, True), show_progress(PROGRESS_MIN_ROWS, None)
    (False, True, True)
    """
    return rows >= PROGRESS_MIN_ROWS if progress is None else bool(progress)


class _Quiet:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, text: str) -> None:
        pass


@contextlib.contextmanager
def steps(total: int, desc: str, rows: int, progress: bool | None) -> Iterator[Any]:
    """A tqdm bar of ``total`` steps when :func:`show_progress` says so, else a silent stand-in."""
    if not show_progress(rows, progress):
        yield _Quiet()
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=desc, unit="step", leave=False) as bar:
        yield bar
