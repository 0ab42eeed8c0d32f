"""Reading event logs: CSV, Parquet or a DataFrame in; clean events and an :class:`IngestReport` out.

No row is dropped silently: every row set aside is counted under one reason
(the first that applies, in the order of :data:`REASONS`) with a few examples.

Time zones are explicit, and one time rule holds on pandas, DuckDB and Spark
alike (the same rows kept, the same report; details in
:mod:`journeymap.analytics._time`):

* Timestamps that carry ``Z``/``z``, ``UTC``, ``GMT`` or an offset
  (``+01:00``, ``+0100``, ``+01``), or a time-zone-aware dtype, are converted to UTC.
* Timestamps without one are local times in ``tz`` (default ``"UTC"``); local
  times that do not exist or are ambiguous in ``tz`` (the hour a DST change
  skips or repeats) are set aside. ``tz=None`` refuses naive timestamps altogether.
* Numbers, and text of digits only, are Unix epoch seconds.
* Set aside as unparseable: named zones and abbreviations (``10:00 EST``,
  ``CET``: ambiguous, never guessed), malformed ISO dates (``2026-02-30``,
  ``24:00``), words, and instants outside 1678-01-01 … 2262-01-01 UTC (so
  ``9999-12-31`` too).
* Only pandas guesses other layouts (``03/04/2026 10:00``, see ``dayfirst``).

The result's ``timestamp`` column is always UTC.

Example
-------
>>> import pandas as pd
>>> raw = pd.DataFrame({"customer": ["c1", "c1", "", "c2", "c2"],
...                     "touchpoint": ["ad", "shop", "ad", "ad", "ad"],
...                     "ts": ["2026-03-02 09:00", "2026-03-02T10:00:00+01:00", "2026-03-02 09:00",
...                            "yesterday", "2026-03-02 11:00"],
...                     "channel": ["Instagram", "store", "instagram", "instagram", "fax"]})
>>> events, report = read_events(raw, case="customer", activity="touchpoint", timestamp="ts")
>>> events[["case_id", "activity", "channel"]].values.tolist()
[['c1', 'ad', 'instagram'], ['c1', 'shop', 'store']]
>>> print(report)
<DataFrame>: 5 rows read, 2 kept, 3 set aside
  empty case id: 1 (e.g. row 2: '')
  unparseable or empty timestamp: 1 (e.g. row 3: 'yesterday')
  channel not in the catalogue: 1 (e.g. row 4: 'fax')
  timestamps without an offset read as local time in UTC: 1
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from journeymap.analytics._frame import ACTIVITY, CASE, CHANNEL, TIMESTAMP, show_progress
from journeymap.analytics._time import parse
from journeymap.analytics._types import REASONS, Ingested, IngestReport
from journeymap.channels import Channel, known_channels
from journeymap.errors import JourneyError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable

    from journeymap.model import Journey

#: Parquet files with at least this many rows are read lazily (by DuckDB) unless ``lazy=False``.
LAZY_MIN_ROWS = 20_000_000

#: CSV files at least this large are read in chunks with a progress bar.
PROGRESS_MIN_BYTES = 64 * 1024 * 1024



class _Raw(NamedTuple):
    frame: pd.DataFrame
    name: str
    unit: str  # "row" (0-based position) or "line" (1-based line in the file, header = 1)
    labels: Any  # the label of each row in the report
    reasons: np.ndarray | None  # rows already set aside while reading (bad bytes, wrong number of fields)


def _read_source(source: Any, progress: bool | None) -> _Raw:
    """The raw frame (every column as text or native type) and how its rows are named in the report."""
    if isinstance(source, pd.DataFrame):
        return _Raw(source, "<DataFrame>", "row", source.index, None)
    path = Path(os.fspath(source))
    name = str(path)
    if not path.exists():
        raise JourneyError([Problem(name, "", "file not found (the path does not exist)")])
    if not path.is_file():
        raise JourneyError([Problem(name, "", "not a file; a folder of Parquet files is read lazily: "
                                    "read_events(folder) with .parquet files in it")])
    suffixes = [x.lower() for x in path.suffixes]
    try:
        if suffixes[-1:] in ([".parquet"], [".pq"]):
            frame = _read_parquet(path, progress)
            return _Raw(frame, name, "row", frame.index, None)
        if suffixes[-1:] in ([".csv"], [".txt"], [".tsv"], [".gz"]):
            from journeymap.analytics import _csv

            frame, lines, reasons = _csv.read(path, "\t" if ".tsv" in suffixes else ",", progress,
                                                min_bytes=PROGRESS_MIN_BYTES)
            return _Raw(frame, name, "line", lines, reasons)
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError, EOFError) as exc:
        raise JourneyError([Problem(name, "", f"cannot read the file: {str(exc).splitlines()[0]}")]) from None
    raise JourneyError([Problem(name, "", "unknown file type; expected .csv or .parquet", path.suffix)])


def _read_parquet(path: Path, progress: bool | None) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    if not show_progress(pf.metadata.num_rows, progress):
        return pf.read().to_pandas()
    from tqdm.auto import tqdm

    tables = [pf.read_row_group(i) for i in tqdm(range(pf.num_row_groups), desc=f"reading {path.name}",
                                                   unit="row group", leave=False)]
    return pa.concat_tables(tables).to_pandas()


def _blank(values: pd.Series) -> np.ndarray:
    text = values.astype("string")
    return (text.isna() | (text.str.strip() == "")).to_numpy(dtype=bool)


def parse_timestamps(values: pd.Series, tz: str | None = "UTC", dayfirst: bool = False,
                     ) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse to UTC: ``(timestamps, unparseable mask, bad local time mask)``; see the module notes.

    >>> ts, bad, local = parse_timestamps(pd.Series(["2026-03-29 02:30", "2026-03-29T02:30Z", "x"]),
    ...                                   tz="Europe/Madrid")
    >>> ts.dt.strftime("%H:%M").tolist(), bad.tolist(), local.tolist()
    ([nan, '02:30', nan], [False, False, True], [True, False, False])
    """
    ts, bad, local_bad, _ = parse(values, tz, dayfirst)
    return ts, bad, local_bad


def read_events(
    source: Any,
    *,
    case: str | None = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    channel: str | None = CHANNEL,
    tz: str | None = "UTC",
    dayfirst: bool = False,
    channels: Iterable[str | Channel] = (),
    channel_map: dict[str, str] | None = None,
    unknown_channels: Literal["set_aside", "keep", "error"] = "set_aside",
    progress: bool | None = None,
    lazy: bool | None = None,
    journey: Journey | None = None,
) -> Ingested:
    """Read an event log (CSV, Parquet or DataFrame) into clean events and an :class:`IngestReport`.

    ``case``, ``activity``, ``timestamp`` and ``channel`` name the input
    columns; they are renamed to ``case_id``, ``activity``, ``timestamp`` and
    ``channel`` in the result (other columns are kept, empty cells as <NA>).
    ``case=None`` reads a log without a case column (link the per-channel ids
    with :func:`~journeymap.analytics.stitch`), ``channel=None`` one without
    channels. Channel values are trimmed, lower-cased and mapped through
    ``channel_map``; the catalogue's channels are known, and so are those the
    ``journey`` defines (its ``channels:``, e.g. the journey the log was
    simulated from) and ``channels`` (ids or :class:`~journeymap.channels.Channel`
    objects). Other channels are set aside (``unknown_channels="set_aside"``),
    kept, or an error.
    Row order is kept: it breaks timestamp ties later on.

    **Large logs.** A Parquet folder, a PySpark DataFrame, or a Parquet file
    with ``lazy=True`` (or at least :data:`LAZY_MIN_ROWS` rows) is not loaded:
    the checks run in the engine (DuckDB for Parquet, Spark for Spark) and
    ``events`` is a lazy frame of that engine with an ``event_row`` column
    (file order), which every analytics function accepts. See ``docs/scale.md``.
    """
    _check_tz(tz)
    known = sorted(known_channels(journey, channels))
    if _wants_lazy(source, lazy):
        from journeymap.analytics._lazy_ingest import read_events_lazy

        return read_events_lazy(source, case=case, activity=activity, timestamp=timestamp, channel=channel, tz=tz,
                                channels=known, channel_map=channel_map, unknown_channels=unknown_channels)
    raw, name, unit, labels, read_reasons = _read_source(source, progress)
    roles = {"case": case, "activity": activity, "timestamp": timestamp, "channel": channel}
    missing = [f"{col} (the {role} column)" for role, col in roles.items() if col is not None and col not in raw]
    if missing:
        found = ", ".join(map(str, raw.columns[:15]))
        raise JourneyError([Problem(name, "columns", f"missing column(s): {', '.join(missing)}; found: {found}")])
    n = len(raw)
    reason = np.full(n, "", dtype=object) if read_reasons is None else read_reasons.copy()

    def flag(key: str, mask: np.ndarray) -> None:
        reason[mask & (reason == "")] = key

    if case is not None:
        flag("empty_case", _blank(raw[case]))
    flag("empty_activity", _blank(raw[activity]))
    ts, bad, local_bad, naive = parse(raw[timestamp], tz, dayfirst)
    flag("bad_timestamp", bad)
    flag("bad_local_time", local_bad)
    chan = None
    if channel is not None:
        chan = raw[channel].astype("string").str.strip().str.lower()
        if channel_map:
            chan = chan.replace({k.lower(): v for k, v in channel_map.items()})
        flag("empty_channel", _blank(chan))
        unknown = ~chan.isin(known).to_numpy(dtype=bool) & ~_blank(chan)
        if unknown.any() and unknown_channels == "error":
            values = sorted(set(chan[unknown].dropna()))
            raise JourneyError([Problem(name, channel, "channel(s) not in the catalogue: " + ", ".join(values))])
        if unknown_channels != "keep":
            flag("unknown_channel", unknown)
    candidates = np.flatnonzero(reason == "")
    dup = raw.iloc[candidates].duplicated(keep="first").to_numpy()
    reason[candidates[dup]] = "duplicate"

    report = IngestReport(source=name, rows_read=n, rows_kept=int((reason == "").sum()), tz=tz,
                         columns={k: v for k, v in roles.items() if v is not None})
    for key in REASONS:
        where = np.flatnonzero(reason == key)
        if len(where):
            column = {"empty_case": case, "empty_activity": activity, "bad_timestamp": timestamp,
                      "bad_local_time": timestamp, "empty_channel": channel, "unknown_channel": channel}.get(key)
            report.set_aside[key] = len(where)
            report.examples[key] = [
                (f"{unit} {labels[i]}", _example(raw, i, column, chan if key == "unknown_channel" else None))
                for i in where[:3]]
    keep = reason == ""
    report.naive_timestamps = int((keep & naive).sum())
    return Ingested(_clean(raw, keep, roles, ts, chan), report)


def _check_tz(tz: str | None) -> None:
    """A known IANA time zone (or None), else one clear line — never passed on to an engine unchecked."""
    if tz is None:
        return
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(str(tz))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise JourneyError([Problem("<events>", "tz", "unknown time zone; use an IANA name such as "
                                    "'Europe/Madrid' or 'UTC'", tz)]) from None


def _wants_lazy(source: Any, lazy: bool | None) -> bool:
    from journeymap.analytics._dispatch import engine

    if lazy is False or isinstance(source, pd.DataFrame) or engine(source) == "pandas":
        return False
    if lazy or not isinstance(source, (str, os.PathLike)) or Path(os.fspath(source)).is_dir():
        return True
    path = Path(os.fspath(source))
    if not path.is_file():
        return False
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows >= LAZY_MIN_ROWS
    except Exception:  # not readable as Parquet: the pandas path reports it
        return False


def _example(raw: pd.DataFrame, i: int, column: str | None, normalised: pd.Series | None) -> Any:
    if column is None:  # duplicates: show the whole row briefly
        return ", ".join(str(v) for v in raw.iloc[i].tolist())[:80]
    value = raw[column].iloc[i]
    if normalised is not None:
        value = normalised.iloc[i]
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA else str(value)


def _clean(raw: pd.DataFrame, keep: np.ndarray, roles: dict[str, str | None], ts: pd.Series,
           chan: pd.Series | None) -> pd.DataFrame:
    canonical = {"case": CASE, "activity": ACTIVITY, "timestamp": TIMESTAMP, "channel": CHANNEL}
    out = {}
    for role, col in roles.items():
        if col is None:
            continue
        if role == "timestamp":
            out[canonical[role]] = ts[keep]
        elif role == "channel" and chan is not None:
            out[canonical[role]] = chan[keep].astype(str)
        else:
            out[canonical[role]] = raw[col][keep].astype("string").str.strip().astype(str)
    used = {c for c in roles.values() if c is not None}
    for col in raw.columns:
        if col in used:
            continue
        values = raw[col][keep]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            values = values.mask(_blank(values))
        target = col if col not in out else f"{col}_raw"
        out[target] = values
    frame = pd.DataFrame(out)
    return frame.reset_index(drop=True)
