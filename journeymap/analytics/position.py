"""Rule-based credit on a path table: first, last, linear and **position-based (40/20/40)**.

Every model here is *linear in the counts*: a distinct path gives each of its
channels a fixed fraction of each of its conversions. :func:`parse_paths`
reads a path table once (identical paths grouped, text split into channel
codes) and :func:`credit_matrix` builds the (paths × channels) fractions, so
credit = conversions @ fractions — which the bootstrap reuses for every
resample (``analytics/attribution_ci.py``).

Position-based (U-shaped) credit of one conversion:

* one touch: 100 % to it;
* two touches: 50 % / 50 %;
* three or more: 40 % to the first, 40 % to the last, and 20 % split equally
  among the touches in between.

Touches are counted as they appear (a channel touched twice in the middle gets
two middle parts), the same rule as ``linear``.

>>> import pandas as pd
>>> paths = pd.DataFrame({"path": ["a > b > c > d", "b", "a > c"], "conversions": [10, 2, 4], "nulls": [5, 1, 0]})
>>> attribution_heuristics(paths).round(2)  # doctest: +NORMALIZE_WHITESPACE
         first  last  linear  position
channel
a         14.0   0.0     4.5       6.0
b          2.0   2.0     4.5       3.0
c          0.0   4.0     4.5       3.0
d          0.0  10.0     2.5       4.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Rule-based models computed on a path table.
HEURISTICS = ("first", "last", "linear", "position")


@dataclass(frozen=True)
class Steps:
    """A path table parsed once: distinct paths, their counts and their steps.

    ``row[i]``/``code[i]``: path (0..P-1) and channel code (0..K-1) of step ``i``, in path order;
    ``conversions``/``nulls``: counts per distinct path; ``labels``: channel names (sorted).
    """

    paths: pd.Index
    conversions: np.ndarray
    nulls: np.ndarray
    row: np.ndarray
    code: np.ndarray
    labels: pd.Index

    @property
    def n_paths(self) -> int:
        return len(self.paths)

    @property
    def n_channels(self) -> int:
        return len(self.labels)

    def first_step(self) -> np.ndarray:
        first = np.ones(len(self.row), dtype=bool)
        first[1:] = self.row[1:] != self.row[:-1]
        return first

    def last_step(self) -> np.ndarray:
        last = np.ones(len(self.row), dtype=bool)
        last[:-1] = self.row[1:] != self.row[:-1]
        return last

    def channel_sets(self) -> np.ndarray:
        """(P × K) booleans: channel k appears on path p."""
        out = np.zeros((self.n_paths, self.n_channels), dtype=bool)
        out[self.row, self.code] = True
        return out


def parse_paths(paths: pd.DataFrame, *, path: str = "path", conversions: str = "conversions",
                nulls: str = "nulls", sep: str = " > ", check: bool = True) -> Steps:
    """:class:`Steps` of a path table (checked with :func:`~journeymap.analytics.pathtable.check_paths`)."""
    if check:
        from journeymap.analytics.pathtable import check_paths

        paths = check_paths(paths, path=path, conversions=conversions, nulls=nulls)
    grouped = paths.groupby(paths[path].astype(str), sort=False)[[conversions, nulls]].sum()
    steps = pd.Series(grouped.index, dtype=object).str.split(sep.strip(), regex=False).explode().str.strip()
    steps = steps[steps != ""]
    labels = pd.Index(sorted(set(steps.to_numpy())), name="channel")
    code = labels.get_indexer(steps.to_numpy())
    return Steps(paths=grouped.index, conversions=grouped[conversions].to_numpy(dtype=float),
                 nulls=grouped[nulls].to_numpy(dtype=float), row=steps.index.to_numpy(dtype=np.int64),
                 code=code.astype(np.int64), labels=labels)


def credit_matrix(steps: Steps, model: str) -> np.ndarray:
    """(P × K) share of one conversion of each distinct path given to each channel (rows sum to 1)."""
    first, last = steps.first_step(), steps.last_step()
    size = np.bincount(steps.row, minlength=steps.n_paths).astype(float)
    n = size[steps.row]
    if model == "first":
        w = first.astype(float)
    elif model == "last":
        w = last.astype(float)
    elif model == "linear":
        w = 1 / n
    elif model == "position":
        middle = np.maximum(n - 2, 1)
        w = np.where(n == 1, 1.0, np.where(n == 2, 0.5, np.where(first | last, 0.4, 0.2 / middle)))
    else:
        raise ValueError(f"unknown rule-based model {model!r}; choose from {', '.join(HEURISTICS)}")
    out = np.zeros((steps.n_paths, steps.n_channels))
    np.add.at(out, (steps.row, steps.code), w)
    return out


def attribution_heuristics(paths: pd.DataFrame | Steps, models: tuple[str, ...] | list[str] = HEURISTICS, *,
                           sep: str = " > ") -> pd.DataFrame:
    """Conversions credited to each channel by the rule-based ``models`` (each column sums to the conversions)."""
    steps = paths if isinstance(paths, Steps) else parse_paths(paths, sep=sep)
    return pd.DataFrame({m: steps.conversions @ credit_matrix(steps, m) for m in models}, index=steps.labels)
