"""Shapley-value attribution: channels are players of a cooperative game over the conversions.

Characteristic function (the common one for paths): the worth of a set *S* of
channels is the number of conversions of the paths that use **only channels in
S** — ``v(S) = Σ conversions of paths p with channels(p) ⊆ S``. Then
``v(all) = total conversions``, and each channel's Shapley value

    φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))

is its average marginal worth over all orders in which channels could join.
The credits sum to the conversions (efficiency), two channels with identical
roles get equal credit (symmetry), and a channel on no converting path gets 0
(null player).

* ``method="exact"`` (the default up to :data:`MAX_EXACT` = 15 channels): each
  path becomes a bitmask, conversions are summed per mask, ``v`` for all 2^n
  subsets comes from a subset-sum (zeta) transform, and the formula above is
  evaluated for every channel at once — O(2^n · n).
* ``method="sampling"`` (the default above 15 channels): ``n_permutations``
  random orders of the channels (seeded ``numpy`` Generator); in each, a path's
  conversions are the marginal worth of the channel of the path that joins
  *last*. The estimate is the mean over orders; ``std_error`` is the standard
  deviation over orders / √(orders).
* ``method="unanimity"``: this ``v`` is a sum of unanimity games (one per
  distinct channel set, worth its conversions), whose Shapley value is known in
  closed form — each path's conversions split equally among its **distinct**
  channels. It is exact for any number of channels and is what the bootstrap
  uses per resample; the tests check it equals the exact subset computation.

>>> import pandas as pd
>>> paths = pd.DataFrame({"path": ["a > b", "a", "b > c > b"], "conversions": [6, 2, 3], "nulls": [1, 1, 9]})
>>> attribution_shapley(paths)["shapley"].round(3).to_dict()
{'a': 5.0, 'b': 4.5, 'c': 1.5}
"""

from __future__ import annotations

from math import factorial

import numpy as np
import pandas as pd

from journeymap.analytics.position import Steps, parse_paths

#: Largest number of channels for which ``method="auto"`` enumerates every subset.
MAX_EXACT = 15
METHODS = ("auto", "exact", "sampling", "unanimity")


def _masks(steps: Steps) -> np.ndarray:
    """Bitmask of the channel set of each distinct path."""
    bits = np.zeros(steps.n_paths, dtype=np.int64)
    sets = steps.channel_sets()
    for k in range(steps.n_channels):
        bits |= sets[:, k].astype(np.int64) << k
    return bits


def shapley_exact(worth: np.ndarray) -> np.ndarray:
    """Shapley values of a game given as ``worth[mask]`` of every subset of n players (length 2^n)."""
    size = len(worth)
    n = size.bit_length() - 1
    if size != 1 << n:
        raise ValueError("worth needs one value per subset (length 2**n)")
    count = np.zeros(size, dtype=np.int64)  # |S| of every mask
    for i in range(n):
        count.reshape(-1, 2, 1 << i)[:, 1, :] += 1
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)]) if n else np.zeros(0)
    out = np.zeros(n)
    for i in range(n):
        pair = worth.reshape(-1, 2, 1 << i)
        out[i] = (weight[count.reshape(-1, 2, 1 << i)[:, 0, :]] * (pair[:, 1, :] - pair[:, 0, :])).sum()
    return out


def subset_worth(masks: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """``v(S) = Σ values of masks ⊆ S`` for every S (zeta transform over n bits)."""
    v = np.bincount(masks, weights=values, minlength=1 << n).astype(float)
    for i in range(n):
        pair = v.reshape(-1, 2, 1 << i)
        pair[:, 1, :] += pair[:, 0, :]
    return v


def unanimity_matrix(steps: Steps) -> np.ndarray:
    """(P × K): each distinct path's conversions split equally among its distinct channels."""
    sets = steps.channel_sets().astype(float)
    size = sets.sum(axis=1, keepdims=True)
    return np.divide(sets, size, out=np.zeros_like(sets), where=size > 0)


def shapley_sampling(masks: np.ndarray, values: np.ndarray, n: int, n_permutations: int,
                     seed: int | np.random.Generator | None) -> tuple[np.ndarray, np.ndarray]:
    """(estimate, standard error) of the Shapley values by random orders of the players (see the module notes)."""
    rng = np.random.default_rng(seed)
    used = values != 0
    masks, values = masks[used], values[used]
    members = ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
    draws = np.zeros((n_permutations, n))
    for r in range(n_permutations):
        rank = rng.permutation(n)  # rank[i]: when player i joins
        last = np.where(members, rank[None, :], -1).argmax(axis=1)
        draws[r] = np.bincount(last, weights=values, minlength=n)
    se = draws.std(axis=0, ddof=1) / np.sqrt(n_permutations) if n_permutations > 1 else np.full(n, np.nan)
    return draws.mean(axis=0), se


def attribution_shapley(paths: pd.DataFrame | Steps, *, method: str = "auto", n_permutations: int = 1000,
                        seed: int | np.random.Generator | None = 0, sep: str = " > ") -> pd.DataFrame:
    """Shapley credit per channel: ``shapley`` (conversions), ``share``, and ``std_error`` (0 unless sampled).

    ``attrs["method"]`` says which computation ran (see the module notes).
    """
    if method not in METHODS:
        raise ValueError(f"unknown Shapley method {method!r}; choose from {', '.join(METHODS)}")
    steps = paths if isinstance(paths, Steps) else parse_paths(paths, sep=sep)
    n = steps.n_channels
    if method == "auto":
        method = "exact" if n <= MAX_EXACT else "sampling"
    se = np.zeros(n)
    if method == "exact":
        if n > 25:
            raise ValueError(f"exact Shapley over {n} channels needs 2**{n} subsets; use method='sampling'")
        value = shapley_exact(subset_worth(_masks(steps), steps.conversions, n))
    elif method == "sampling":
        value, se = shapley_sampling(_masks(steps), steps.conversions, n, n_permutations, seed)
    else:
        value = steps.conversions @ unanimity_matrix(steps)
    total = value.sum()
    out = pd.DataFrame({"shapley": value, "share": value / total if total > 0 else value * 0, "std_error": se},
                       index=steps.labels)
    out.attrs["method"] = method
    return out
