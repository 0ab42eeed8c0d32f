"""Reading the tables evidence comes in (survey answers, quotes): a DataFrame, or a CSV/TSV/Parquet file.

One place decides what a path may be and how a file that cannot be read is reported, for every reader
in :mod:`journeymap.evidence`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from journeymap.errors import JourneyError, Problem


class Table(NamedTuple):
    """A table as read: the raw ``frame``, its ``name`` for messages, whether ``labels`` are file ``"line"``
    numbers or frame ``"row"`` labels, and the CSV reader's per-record problems (``None`` if not a CSV)."""

    frame: pd.DataFrame
    name: str
    unit: str
    labels: Any
    reasons: np.ndarray | None


def separator(path: Path) -> str:
    """Tab for .tsv; ``;`` when the header has semicolons and no commas (a spreadsheet's European CSV).

    >>> separator(Path("answers.tsv"))
    '\\t'
    """
    suffixes = [s.lower() for s in path.suffixes]
    if ".tsv" in suffixes:
        return "\t"
    if suffixes[-1:] == [".gz"]:
        return ","
    with path.open("rb") as fh:
        head = fh.readline(65536)
    return ";" if b";" in head and b"," not in head else ","


def read_table(source: Any, what: str, expected: str = "a CSV path or a pandas DataFrame") -> Table:
    """``source`` (a DataFrame or a path) as a :class:`Table`; anything else, a missing file, an unknown file
    type or an unreadable file is one :class:`~journeymap.errors.JourneyError` line (``what`` names the
    table when there is no file name, e.g. ``"<survey>"``)."""
    if isinstance(source, pd.DataFrame):
        return Table(source, "<DataFrame>", "row", source.index, None)
    if not isinstance(source, str | os.PathLike):
        raise JourneyError([Problem(what, "", f"expected {expected}", type(source).__name__)])
    path = Path(os.fspath(source))
    name = str(path)
    if not path.is_file():
        raise JourneyError([Problem(name, "", "file not found" if not path.exists() else "not a file")])
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
            return Table(frame, name, "row", frame.index, None)
        if suffix in (".csv", ".txt", ".tsv", ".gz"):
            from journeymap.analytics._csv import read

            frame, lines, reasons = read(path, separator(path), progress=False)
            return Table(frame, name, "line", lines, reasons)
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError, EOFError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "No columns to parse" in message:
            message = "the file is empty (no header line)"
        raise JourneyError([Problem(name, "", f"cannot read the file: {message}")]) from None
    raise JourneyError([Problem(name, "", "unknown file type; expected .csv, .tsv or .parquet", path.suffix)])
