"""The path table (``path``, ``conversions``, ``nulls``) every attribution model reads, checked once.

A leaf of the attribution modules: :mod:`~journeymap.analytics.attribution`,
:mod:`~journeymap.analytics.position` and the CLI import it, it imports none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics._frame import require


def check_paths(paths: pd.DataFrame, *, path: str = "path", conversions: str = "conversions", nulls: str = "nulls",
                source: str = "<paths>", lines: Sequence[int] | None = None) -> pd.DataFrame:
    """The path table with numeric counts, or a :class:`~journeymap.errors.JourneyError` naming the first bad
    cell (a missing column, an empty path, a count that is not a finite number ≥ 0) — by ``lines`` when given
    (line numbers in the file), else by row position.

    >>> check_paths(pd.DataFrame({"path": ["a > b"], "conversions": ["2"], "nulls": [1]}))["conversions"].tolist()
    [2.0]
    """
    from journeymap.errors import JourneyError, Problem

    require(paths, [path, conversions, nulls], source=source)
    out = paths.copy()

    def fail(i: int, column: str, message: str, value: Any) -> None:
        line = int(lines[i]) if lines is not None else None
        field = column if lines is not None else f"{column}[{i}]"
        raise JourneyError([Problem(source, field, message, value, line=line)])

    for column in (conversions, nulls):
        values = pd.to_numeric(out[column], errors="coerce").astype(float)
        bad = np.flatnonzero(~np.isfinite(values.to_numpy()) | (values.to_numpy() < 0))
        if len(bad):
            fail(int(bad[0]), column, "expected a count (a number ≥ 0)", paths[column].iloc[bad[0]])
        out[column] = values
    text = out[path].astype("string").str.strip()
    empty = np.flatnonzero(text.isna().to_numpy() | (text == "").to_numpy(dtype=bool))
    if len(empty):
        fail(int(empty[0]), path, "empty path", paths[path].iloc[empty[0]])
    if not len(out):
        raise JourneyError([Problem(source, "", "the path table has no rows")])
    return out
