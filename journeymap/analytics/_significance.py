"""Tests of difference between segments: two proportions, chi-square, Fisher exact (numpy + scipy).

Formulas (two groups *a* and *b*, ``x`` conversions among ``n`` customers, rate ``p = x / n``):

* **difference** ``d = p_b − p_a`` with a Wald interval ``d ± z · √(p_a(1−p_a)/n_a + p_b(1−p_b)/n_b)``,
  ``z = Φ⁻¹(1 − α/2)`` (1.96 for 95 %);
* **two-proportion z test** of ``p_a = p_b`` with the pooled rate ``p = (x_a + x_b)/(n_a + n_b)``:
  ``z = d / √(p(1−p)(1/n_a + 1/n_b))``, two-sided p-value ``2 · (1 − Φ(|z|))``;
* **relative lift** ``d / p_a`` (NaN when ``p_a = 0``);
* **chi-square test of independence** (:func:`scipy.stats.chi2_contingency`, no continuity correction,
  so for two groups χ² = z²) on the groups × (converted, not converted) table;
* **Fisher exact** (:func:`scipy.stats.fisher_exact`, two-sided) for a 2 × 2 table when an expected
  count is below 5, where the normal and χ² approximations are unreliable.

A group with fewer than :data:`MIN_GROUP` customers, or a table with an expected count below
:data:`MIN_EXPECTED`, gets a warning: read its p-value and interval with care.

>>> r = two_proportions(30, 200, 45, 200)
>>> round(float(r["difference"]), 3), round(float(r["p_value"]), 4)
(0.075, 0.0547)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["MIN_EXPECTED", "MIN_GROUP", "chi_square", "rate_interval", "small_warning", "two_proportions"]

#: Groups smaller than this get a warning.
MIN_GROUP = 30
#: Expected counts below this make the χ² approximation unreliable (Fisher exact is used for 2 × 2).
MIN_EXPECTED = 5.0


def _z(level: float) -> float:
    from scipy.stats import norm

    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (got {level})")
    return float(norm.ppf(1 - (1 - level) / 2))


def two_proportions(x_a: Any, n_a: Any, x_b: Any, n_b: Any, level: float = 0.95) -> dict[str, np.ndarray]:
    """Difference ``p_b − p_a`` with its Wald interval, the pooled z test and the relative lift.

    Arguments may be numbers or numpy arrays (vectorised: one test per element). Returns arrays
    ``rate_a``, ``rate_b``, ``difference``, ``ci_low``, ``ci_high``, ``z``, ``p_value``, ``relative_lift``;
    a group with no customers gives NaN.
    """
    from scipy.stats import norm

    x_a, n_a, x_b, n_b = (np.asarray(v, dtype=float) for v in (x_a, n_a, x_b, n_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_a, p_b = x_a / n_a, x_b / n_b
        diff = p_b - p_a
        half = _z(level) * np.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
        pooled = (x_a + x_b) / (n_a + n_b)
        se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
        z = np.where(se0 > 0, diff / np.where(se0 > 0, se0, 1), 0.0)
        z = np.where(np.isfinite(diff), z, np.nan)
        p_value = 2 * norm.sf(np.abs(z))
        lift = np.where(p_a > 0, diff / np.where(p_a > 0, p_a, 1), np.nan)
    return {"rate_a": p_a, "rate_b": p_b, "difference": diff, "ci_low": diff - half, "ci_high": diff + half,
            "z": z, "p_value": p_value, "relative_lift": lift}


def rate_interval(x: Any, n: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a rate ``x / n`` (stays inside [0, 1], fine for small groups).

    >>> lo, hi = rate_interval(0, 10)
    >>> float(lo), round(float(hi), 3)
    (0.0, 0.278)
    """
    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def chi_square(table: Any) -> dict[str, Any]:
    """χ² test of independence of a groups × outcomes table of counts (no continuity correction).

    Returns ``chi2``, ``dof``, ``p_value``, ``min_expected`` and, for a 2 × 2 table whose smallest expected
    count is below :data:`MIN_EXPECTED`, ``fisher_p`` (two-sided Fisher exact; else NaN). Rows or
    columns that are all zero are dropped first (they carry no information); with fewer than two
    rows or columns left there is nothing to test (NaN).
    """
    from scipy.stats import chi2_contingency, fisher_exact

    counts = np.asarray(table, dtype=float)
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0] if counts.size else counts
    out: dict[str, Any] = {"chi2": np.nan, "dof": 0, "p_value": np.nan, "min_expected": np.nan, "fisher_p": np.nan}
    if counts.ndim != 2 or min(counts.shape) < 2:
        return out
    chi2, p, dof, expected = chi2_contingency(counts, correction=False)
    smallest = float(np.min(np.asarray(expected)))
    out.update(chi2=float(chi2), dof=int(dof), p_value=float(p), min_expected=smallest)
    if counts.shape == (2, 2) and smallest < MIN_EXPECTED:
        out["fisher_p"] = float(fisher_exact(counts.astype(np.int64))[1])
    return out


def small_warning(customers: dict[str, int], min_expected: float = np.nan) -> str:
    """The warning text for small groups / expected counts ("" when none applies).

    >>> small_warning({"a": 12, "b": 400})
    "small group: 'a' has 12 customers (< 30)"
    """
    parts = [f"small group: {name!r} has {n} customers (< {MIN_GROUP})" for name, n in customers.items()
             if n < MIN_GROUP]
    if np.isfinite(min_expected) and min_expected < MIN_EXPECTED:
        parts.append(f"expected count {min_expected:.2g} < {MIN_EXPECTED:g}: chi-square approximation unreliable")
    return "; ".join(parts)
