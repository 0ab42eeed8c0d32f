"""Reading raw survey responses for :mod:`journeymap.evidence.survey`: the source, its columns, text as arrays.

Kept apart only for size. Each text column is parsed once per distinct value
(``pd.factorize``), so a million rows with a few hundred distinct answers cost
little more than reading the file.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from journeymap.errors import JourneyError, Problem
from journeymap.evidence._table import read_table
from journeymap.safety import suggest, terminal

#: The answer scales (whole numbers, inclusive).
SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


def _read(source: Any) -> tuple[pd.DataFrame, str, str, Any, np.ndarray | None]:
    """(raw frame, name, unit, row labels, reasons found while reading)."""
    return tuple(read_table(source, "<survey>"))  # type: ignore[return-value]


def _columns(raw: pd.DataFrame, name: str, given: dict[str, str | None], defaults: dict[str, str]
             ) -> dict[str, str]:
    """Role -> column present in ``raw``; a one-line error for a required or explicitly named one missing."""
    present = {str(c): c for c in raw.columns}
    loose = {str(c).strip().lower(): c for c in raw.columns}
    found: dict[str, Any] = {}
    missing = []
    if given["respondent"] is None:
        missing.append(("respondent", "respondent"))
    for role, col in given.items():
        if col is None:
            continue
        col = given[role] = str(col)
        if col in present:
            found[role] = present[col]
        elif col.strip().lower() in loose:
            found[role] = loose[col.strip().lower()]
        elif role == "respondent" or col != defaults[role]:
            missing.append((role, col))
    names = [terminal(n) for n in list(present)[:50]]
    problems = [Problem(name, "columns", f"missing column {col!r} (the {role} column); {suggest(col, names)}")
                for role, col in missing]
    if "touchpoint" not in found and "stage" not in found:
        wanted = " or ".join(repr(given[r]) for r in ("touchpoint", "stage") if given[r]) or "none given"
        problems.append(Problem(name, "columns", f"missing column {wanted} (which step each row is about); "
                                f"found: {', '.join(names[:15])}"))
    if not any(k in found for k in SCALES):
        wanted = ", ".join(repr(given[k]) for k in SCALES if given[k]) or "none given"
        problems.append(Problem(name, "columns", f"no answer column: expected at least one of {wanted}; "
                                f"found: {', '.join(names[:15])}"))
    if problems:
        raise JourneyError(problems[:1])  # one line: the first thing to fix
    return found


def _text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Stripped text as an object array (``None`` where empty) and the empty mask; each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    stripped = np.array([None if pd.isna(u) else str(u).strip() for u in uniques] + [None], dtype=object)
    stripped[stripped == ""] = None
    text = stripped[codes]  # code -1 (missing) takes the trailing None
    return text, pd.isna(text)


def _strings(values: np.ndarray) -> pd.Series:
    """An object array of text (``None`` where empty) as a ``string`` Series."""
    return pd.Series(pd.array(values, dtype="string"))


def _answers(values: pd.Series, low: int, high: int) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """(answers as nullable Int16, empty mask, bad mask): bad = not a whole number from low to high."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series([None if pd.isna(u) else str(u).strip() or None for u in uniques] + [None], dtype=object)
    number = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        good_u = np.isfinite(number) & (number == np.floor(number)) & (number >= low) & (number <= high)
    blank = text.isna().to_numpy()[codes]
    num, good = number[codes], good_u[codes]
    if pd.api.types.is_bool_dtype(values.dtype):
        good[:] = False
    elif values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        good &= ~values.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    bad = ~blank & ~good
    return pd.Series(np.where(good, num, np.nan)).astype("Int16"), blank, bad


def _dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """ISO dates parsed to UTC (NaT where empty or not understood), and the empty mask."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series([None if pd.isna(u) else str(u).strip() or None for u in uniques] + [None], dtype=object)
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True).dt.tz_convert(None).to_numpy()
    return pd.Series(parsed[codes]).dt.tz_localize("UTC"), text.isna().to_numpy()[codes]


def _hints(values: np.ndarray, choices: list[str]) -> list[str]:
    """"did you mean" for each value, worked out once per distinct value."""
    known = {v: suggest(v, choices) for v in set(values)}
    return [known[v] for v in values]
