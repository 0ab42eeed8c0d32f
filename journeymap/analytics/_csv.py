"""Reading an event-log CSV record by record: a bad byte or a ragged row is one row set aside, not the file.

:func:`read` returns every record as text (columns named by the header), the
line on which each record starts (right after quoted fields that hold a
newline, and after blank lines, which are skipped), and a reason per record
(``""`` for a good one, ``"bad_encoding"`` or ``"wrong_fields"``). A file in
valid UTF-8 goes through pandas' C parser as before (fast, in chunks with a
progress bar for large files): records are told apart by the newlines outside
quotes, and fields by the separators outside quotes; a file with a bad
byte, a row with too many fields, or anything pandas and that count disagree
on goes through Python's :mod:`csv` module, record by record.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
>>> _ = open(path, "wb").write(b'a,b\\n1,"two\\nlines"\\n\\n3\\n4,\\xff\\n5,6,7\\n8,9\\n')
>>> frame, lines, why = read(path, ",", progress=False)
>>> frame["a"].tolist(), lines.tolist(), why.tolist()
(['1', '3', '4', '5', '8'], [2, 5, 6, 7, 8], ['', 'wrong_fields', 'bad_encoding', 'wrong_fields', ''])
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_QUOTE, _NL, _CR = ord('"'), ord("\n"), ord("\r")


def _bytes(path: Path) -> bytes:
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as fh:
            return fh.read()
    return path.read_bytes()


def read(path: Path | str, sep: str, progress: bool | None,
         min_bytes: int = 64 * 1024 * 1024) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """(records as text, start line of each record (header = line 1), reason per record)."""
    path = Path(path)
    data = _bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark is not part of the first column's name
        data = data[3:]
    fast = _fast(path, data, sep, progress, min_bytes)
    return fast if fast is not None else _records(data, sep)


def _fast(path: Path, data: bytes, sep: str, progress: bool | None, min_bytes: int = 64 * 1024 * 1024,
          ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray] | None:
    """pandas' C parser, when the file is valid UTF-8 and pandas and a count of the records agree;
    records are told apart by newlines outside quotes, short rows by the fields pandas had to fill in.
    None when the file needs the record-by-record reader."""
    if len(sep) != 1:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == _NL)
    quotes = np.flatnonzero(arr == _QUOTE)
    if len(arr) and arr[-1] != _NL:
        newlines = np.append(newlines, len(arr))  # the last record may end without a newline
    if len(newlines) == 0:
        return None
    if b"\r" in data.replace(b"\r\n", b"\n"):  # old Mac line ends: leave them to the csv module
        return None
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]  # newlines outside quotes end a record
    starts = np.concatenate([[0], ends[:-1] + 1])
    ends_cr = ends - (arr[np.maximum(ends - 1, 0)] == _CR)
    blank = ends_cr <= starts
    line_of_start = np.searchsorted(newlines, starts) + 1  # 1-based physical line of each record's start
    records = line_of_start[~blank]
    if len(records) == 0:
        return None
    seps = np.flatnonzero(arr == ord(sep))
    seps = seps[np.searchsorted(quotes, seps) % 2 == 0]  # separators outside quotes split fields
    fields = (np.searchsorted(seps, ends[~blank]) - np.searchsorted(seps, starts[~blank]) + 1)
    if (fields[1:] > fields[0]).any():  # too many fields: pandas would refuse the file
        return None
    try:
        frame = _pandas(path, data, sep, progress, min_bytes)
    except (pd.errors.ParserError, ValueError):  # too many fields somewhere, a stray quote…
        return None
    if len(frame) != len(records) - 1:
        return None
    short = fields[1:] < fields[0]  # pandas filled the missing fields in
    reasons = np.where(short, "wrong_fields", "").astype(object)
    if short.any():
        frame = frame.fillna("")
    return frame, records[1:].astype(np.int64), reasons


def _pandas(path: Path, data: bytes, sep: str, progress: bool | None,
            min_bytes: int = 64 * 1024 * 1024) -> pd.DataFrame:
    """Read with pandas; in chunks with a progress bar when ``progress`` or when at least ``min_bytes`` long."""
    import io

    opts: dict[str, Any] = {"dtype": str, "keep_default_na": False, "sep": sep}
    size = len(data)
    if not (progress if progress is not None else size >= min_bytes):
        return pd.read_csv(io.BytesIO(data), **opts)
    from tqdm.auto import tqdm

    chunks = []
    with io.BytesIO(data) as fh, tqdm(total=size, desc=f"reading {path.name}", unit="B", unit_scale=True,
                                      leave=False) as bar:
        for chunk in pd.read_csv(fh, chunksize=500_000, **opts):
            chunks.append(chunk)
            bar.update(fh.tell() - bar.n)
    return pd.concat(chunks, ignore_index=True) if chunks else pd.read_csv(io.BytesIO(data), **opts)


def _records(data: bytes, sep: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    import io

    bad_lines: set[int] = set()

    def lines() -> Any:  # line by line, so a bad byte spoils only its own line
        for number, raw in enumerate(data.splitlines(keepends=True), start=1):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                bad_lines.add(number)
                yield raw.decode("utf-8", errors="replace")

    try:
        source: Any = io.StringIO(data.decode("utf-8"), newline="")  # all valid: the C reader at full speed
    except UnicodeDecodeError:
        source = lines()
    reader = csv.reader(source, delimiter=sep)
    header: list[str] | None = None
    rows: list[list[str]] = []
    starts: list[int] = []
    reasons: list[str] = []
    done = 0
    for record in reader:
        first, done = done + 1, reader.line_num
        if not record or (record == [""] and header is not None):  # a blank line
            continue
        spoilt = bool(bad_lines) and any(n in bad_lines for n in range(first, done + 1))
        if header is None:
            if spoilt:
                raise UnicodeDecodeError("utf-8", b"", 0, 1, "the header line is not valid UTF-8")
            header = _unique(record)
            width = len(header)
            continue
        why = "bad_encoding" if spoilt else ("wrong_fields" if len(record) != width else "")
        rows.append(record if not why else (record + [""] * width)[:width])
        starts.append(first)
        reasons.append(why)
    if header is None:
        raise ValueError("No columns to parse from file")
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    return frame, np.array(starts, dtype=np.int64), np.array(reasons, dtype=object)


def _unique(names: list[str]) -> list[str]:
    """Repeated header names get ``.1``, ``.2``… as pandas names them."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            new = f"{name}.{seen[name]}"
            while new in seen:
                seen[name] += 1
                new = f"{name}.{seen[name]}"
            seen[new] = 0
            out.append(new)
        else:
            seen[name] = 0
            out.append(name)
    return out
