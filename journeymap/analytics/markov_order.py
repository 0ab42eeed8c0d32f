"""Markov removal effects of any order, exact, and batched over many weightings of the same paths.

Order *k*: a state is the tuple of the last (up to) *k* channels, so the chain
remembers where the customer came from. Repeats of a channel in a row are
kept (``website > website`` is the state ``(website, website)`` at order 2),
as ChannelAttribution does; at order 1 they are self-loops that change nothing.
A path ``a > b > c`` at order 2 visits ``(start) → (a) → (a, b) → (b, c)`` and
then ``(conversion)`` or ``(null)``. Removing channel *c* removes every state
whose tuple contains *c* (moves into them go to null). Each probability is the
exact solution of the absorbing chain's linear system, as at order 1
(``docs/attribution.md``); order 1 gives exactly :func:`attribution_markov`'s
numbers.

The chain's transition counts are a linear function of the per-path counts,
so :class:`Chain` stores that map once and :meth:`Chain.removal_effects`
solves B weightings (bootstrap resamples) at once with batched solves.

>>> import pandas as pd
>>> toy = pd.DataFrame({"path": ["a > b > c", "a > a > b", "b", "c > a", "a > c > c"],
...                     "conversions": [3, 2, 1, 0, 1], "nulls": [1, 2, 4, 3, 2]})
>>> markov_removal(toy, order=2).round(4)  # doctest: +NORMALIZE_WHITESPACE
         removal_effect  share  conversions
channel
a                0.8571  0.375        2.625
b                0.8571  0.375        2.625
c                0.5714  0.250        1.750
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics.position import Steps, parse_paths

MAX_ORDER = 3


class Chain:
    """The absorbing chain of a parsed path table at one order (state 0 = start)."""

    def __init__(self, steps: Steps, order: int = 1) -> None:
        from scipy import sparse

        if not isinstance(order, int | np.integer) or not 1 <= order <= MAX_ORDER:
            raise ValueError(f"Markov order must be 1, 2 or {MAX_ORDER} (got {order!r})")
        self.steps, self.order = steps, int(order)
        row, code = steps.row, steps.code
        k = steps.n_channels
        first = np.ones(len(row), dtype=bool)
        first[1:] = row[1:] != row[:-1]
        start_of = np.maximum.accumulate(np.where(first, np.arange(len(row)), 0))
        pos = np.arange(len(row)) - start_of
        key = np.zeros(len(row), dtype=np.int64)
        for lag in range(self.order):  # state key: base-(k+1) digits of the last `order` channel codes (+1)
            idx = np.arange(len(row)) - lag
            digit = np.where(pos >= lag, code[np.maximum(idx, 0)] + 1, 0)
            key = key * (k + 1) + digit
        state_keys, state = np.unique(key, return_inverse=True)
        state = state + 1
        self.n_states = len(state_keys) + 1  # + start
        contains = np.zeros((self.n_states, k), dtype=bool)  # which channels each state's tuple holds
        rest = state_keys.copy()
        for _ in range(self.order):
            digit = rest % (k + 1)
            has = digit > 0
            contains[1:][np.flatnonzero(has), digit[has] - 1] = True
            rest //= k + 1
        self.contains = contains
        last = np.ones(len(row), dtype=bool)
        last[:-1] = first[1:]
        src = np.concatenate([np.zeros(first.sum(), dtype=np.int64), state[:-1][~first[1:]]])
        dst = np.concatenate([state[first], state[1:][~first[1:]]])
        via = np.concatenate([row[first], row[1:][~first[1:]]])
        edge = src * self.n_states + dst
        self.edges, edge_id = np.unique(edge, return_inverse=True)
        n_paths = steps.n_paths
        ones = np.ones(len(edge_id))
        #: (paths × edges): customers of a path make each of its moves
        self.moves = sparse.csr_matrix((ones, (via, edge_id)), shape=(n_paths, len(self.edges)))
        #: (paths × states): the state each path ends in
        self.ends = sparse.csr_matrix((np.ones(last.sum()), (row[last], state[last])),
                                      shape=(n_paths, self.n_states))

    def probabilities(self, conv: np.ndarray, null: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(Q, r) for B weightings: conv/null are (B × P); Q is (B × S × S), r is (B × S)."""
        conv, null = np.atleast_2d(conv), np.atleast_2d(null)
        b, s = conv.shape[0], self.n_states
        move = np.asarray((self.moves.T @ (conv + null).T).T)  # (B × E)
        flat = np.zeros((b, s * s))
        flat[:, self.edges] = move
        q = flat.reshape(b, s, s)
        to_conv = np.asarray((self.ends.T @ conv.T).T)
        to_null = np.asarray((self.ends.T @ null.T).T)
        total = q.sum(axis=2) + to_conv + to_null
        safe = np.where(total > 0, total, 1.0)
        return q / safe[:, :, None], to_conv / safe

    def removal_effects(self, conv: np.ndarray, null: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(convert) of shape (B,), removal effects of shape (B × K)) for B weightings of the paths."""
        q, r = self.probabilities(conv, null)
        base = _absorb(q, r)
        effects = np.zeros((len(base), self.steps.n_channels))
        for c in range(self.steps.n_channels):
            live = np.flatnonzero(~self.contains[:, c])  # start is never removed
            p = _absorb(q[:, live][:, :, live], r[:, live])
            effects[:, c] = np.divide(base - p, base, out=np.zeros_like(base), where=base > 0)
        return base, effects


def _absorb(q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """P(conversion) from start (state 0) for each of B chains: solve (I − Q) x = r."""
    eye = np.eye(q.shape[1])
    return np.linalg.solve(eye[None] - q, r[:, :, None])[:, 0, 0]


def credited(effects: np.ndarray, conversions: np.ndarray) -> np.ndarray:
    """Removal effects (B × K) → conversions credited (effects normalised, × each weighting's conversions)."""
    total = effects.sum(axis=1, keepdims=True)
    share = np.divide(effects, total, out=np.zeros_like(effects), where=total > 0)
    return share * np.asarray(conversions, dtype=float).reshape(-1, 1)


def markov_removal(paths: pd.DataFrame | Steps, *, order: int = 1, sep: str = " > ", **columns: Any) -> pd.DataFrame:
    """Exact removal effects at ``order`` 1–3: ``removal_effect``, ``share``, ``conversions`` per channel."""
    steps = paths if isinstance(paths, Steps) else parse_paths(paths, sep=sep, **columns)
    chain = Chain(steps, order)
    base, effects = chain.removal_effects(steps.conversions, steps.nulls)
    conv = credited(effects, np.array([steps.conversions.sum()]))[0]
    total = effects[0].sum()
    out = pd.DataFrame({"removal_effect": effects[0], "share": effects[0] / total if total > 0 else effects[0] * 0,
                        "conversions": conv}, index=steps.labels)
    out.attrs["conversion_probability"] = float(base[0])
    out.attrs["order"] = order
    out.attrs["states"] = chain.n_states - 1
    return out
