"""Small rules every engine shares (a leaf module): funnel steps, funnel rows, modes, row shares.

>>> values, label = as_set(["buy", "pickup"])
>>> sorted(values), label
(['buy', 'pickup'], 'buy | pickup')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def as_set(step: str | Sequence[str]) -> tuple[set[str], str]:
    """A funnel step or conversion (a value or a list of values) as ``(set of values, label)``."""
    if isinstance(step, str):
        return {step}, step
    values = [str(s) for s in step]
    return set(values), " | ".join(values)


def funnel_row(label: str, customers: int, base: int, before: int, median_min: float) -> dict[str, Any]:
    """One funnel step: customers reaching it, conversion from the first step and the previous one."""
    return {
        "step": label, "customers": customers,
        "conversion": customers / base if base else 0.0,
        "step_conversion": customers / before if before else 0.0,
        "drop_off": before - customers,
        "drop_off_rate": (before - customers) / before if before else 0.0,
        "median_min": median_min,
    }


def mode_of_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Most frequent value ``v`` per key ``k`` (ties: alphabetical) and its share, from a table of
    ``k``, ``v``, ``n`` (how often value v occurs for key k)."""
    counts = counts.sort_values(["k", "n", "v"], ascending=[True, False, True], kind="stable")
    total = counts.groupby("k")["n"].transform("sum")
    top = counts.assign(share=counts["n"] / total).drop_duplicates("k")
    return top.set_index("k")[["v", "share"]]


def normalize_rows(matrix: pd.DataFrame, normalize: str | None) -> pd.DataFrame:
    """``matrix`` as it is, or with ``normalize="row"`` each row's share of its total."""
    if normalize == "row":
        totals = matrix.sum(axis=1).replace(0, np.nan)
        return matrix.div(totals, axis=0).fillna(0.0)
    return matrix
