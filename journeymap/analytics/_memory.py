"""Parquet logs small enough for memory run on the in-memory engine: read once, ordered once.

The same rule as :func:`~journeymap.analytics.read_events` (Parquet files under
``LAZY_MIN_ROWS`` rows are read into pandas): an analytic given a Parquet file or
folder of at most :data:`MEMORY_ROWS` events (and :data:`MEMORY_BYTES`
uncompressed) reads it into a pandas frame — kept for the next call on the same
files, so ``dfg(path)``, ``variants(path)``, ``funnel(path, ...)`` read and order
it once — and runs the numpy engine, which is faster than DuckDB at this size
(docs/scale.md). Larger logs, logs with an ``event_row`` column, Hive-partitioned
folders, and text timestamps stay with DuckDB (its time rule for text differs
from pandas' parser). ``JOURNEYMAP_MEMORY_ROWS=0`` sends every Parquet log to DuckDB.
"""

from __future__ import annotations

import os
from typing import Any

#: Parquet logs up to this many events run in memory; override with JOURNEYMAP_MEMORY_ROWS (0: never).
MEMORY_ROWS = 20_000_000
#: ... and up to this many bytes, uncompressed (the footers' sizes).
MEMORY_BYTES = 3 * 1024**3

_LAST: dict[str, Any] = {"key": None, "frame": None}  # the last log read: one at a time


def _limit() -> int:
    try:
        return int(os.environ.get("JOURNEYMAP_MEMORY_ROWS", MEMORY_ROWS))
    except ValueError:
        return MEMORY_ROWS


def in_memory(source: Any, columns: list[Any]) -> Any:
    """``source`` as a pandas DataFrame when it is a Parquet path that fits (see the module docstring),
    has every one of ``columns`` and a timestamp-typed ``columns[-1]``; else None."""
    if not isinstance(source, (str, os.PathLike)) or _limit() <= 0 or not os.path.exists(source):
        return None
    from journeymap.analytics._backend import ROW, parquet_files

    try:
        files = parquet_files(source)
    except Exception:  # no Parquet file: the lazy engine says so
        return None
    key = tuple((f, os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files)
    if _LAST["key"] != key:
        import pyarrow.parquet as pq

        if any("=" in part for f in files for part in os.path.relpath(f, source).split(os.sep)[:-1]):
            return None  # Hive partitions: columns live in folder names
        metas = [pq.ParquetFile(f).metadata for f in files]
        rows = sum(m.num_rows for m in metas)
        size = sum(m.row_group(i).total_byte_size for m in metas for i in range(m.num_row_groups))
        names = {tuple(pq.read_schema(f).names) for f in files}
        if rows > _limit() or size > MEMORY_BYTES or len(names) != 1 or ROW in next(iter(names)):
            return None
        import pandas as pd

        frames = [pd.read_parquet(f) for f in files]
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        _LAST.update(key=key, frame=frame)
    frame = _LAST["frame"]
    if any(c not in frame.columns for c in columns if c is not None):
        return None
    import pandas as pd

    return frame if pd.api.types.is_datetime64_any_dtype(frame[columns[-1]]) else None
