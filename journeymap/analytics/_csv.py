"""Reading an event-log CSV record by record: a bad byte or a ragged row is one row set aside, not the file.

:func:`read` returns every record as text (columns named by the header), the
line on which each record starts (right after quoted fields that hold a
newline, and after blank lines, which are skipped), and a reason per record
(``""`` for a good one, ``"bad_encoding"`` or ``"wrong_fields"``). A file that
is plain — valid UTF-8, no quotes, no blank lines, every line with the header's
number of fields — goes through pandas' C parser as before (fast, in chunks
with a progress bar for large files); any other file through Python's
:mod:`csv` module, which can tell one record from another.

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


def read(path: Path | str, sep: str, progress: bool | None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """(records as text, start line of each record (header = line 1), reason per record)."""
    path = Path(path)
    data = _bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark is not part of the first column's name
        data = data[3:]
    plain = _plain(data, sep)
    if plain is not None:
        frame = _pandas(path, data, sep, progress)
        if len(frame) == plain:
            return frame, np.arange(2, len(frame) + 2), np.full(len(frame), "", dtype=object)
    return _records(data, sep)


def _plain(data: bytes, sep: str) -> int | None:
    """The number of data lines when every record is one line of the header's width, valid UTF-8 and
    unquoted; else None."""
    if len(sep) != 1 or b'"' in data or b"\r" in data.replace(b"\r\n", b"\n"):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    arr = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(arr == _NL)
    if len(arr) and arr[-1] != _NL:
        ends = np.append(ends, len(arr))
    if len(ends) == 0:
        return None
    starts = np.concatenate([[0], ends[:-1] + 1])
    lengths = ends - starts - (arr[np.maximum(ends - 1, 0)] == _CR)
    if (lengths <= 0).any():  # blank lines: pandas would skip them and the numbering would drift
        return None
    seps = np.concatenate([[0], np.cumsum(arr == ord(sep))])
    counts = seps[ends] - seps[starts]
    return int(len(ends) - 1) if (counts == counts[0]).all() else None


def _pandas(path: Path, data: bytes, sep: str, progress: bool | None) -> pd.DataFrame:
    import io

    from journeymap.analytics.ingest import PROGRESS_MIN_BYTES

    opts: dict[str, Any] = {"dtype": str, "keep_default_na": False, "sep": sep}
    size = len(data)
    if not (progress if progress is not None else size >= PROGRESS_MIN_BYTES):
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
    bad_lines: set[int] = set()

    def lines() -> Any:
        for number, raw in enumerate(data.splitlines(keepends=True), start=1):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                bad_lines.add(number)
                yield raw.decode("utf-8", errors="replace")

    reader = csv.reader(lines(), delimiter=sep)
    header: list[str] | None = None
    rows: list[list[str]] = []
    starts: list[int] = []
    reasons: list[str] = []
    done = 0
    for record in reader:
        first, done = done + 1, reader.line_num
        if not record or (record == [""] and header is not None):  # a blank line
            continue
        if header is None:
            if bad_lines & set(range(first, done + 1)):
                raise UnicodeDecodeError("utf-8", b"", 0, 1, "the header line is not valid UTF-8")
            header = _unique(record)
            continue
        why = ""
        if bad_lines & set(range(first, done + 1)):
            why = "bad_encoding"
        elif len(record) != len(header):
            why = "wrong_fields"
        rows.append((record + [""] * len(header))[: len(header)])
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
