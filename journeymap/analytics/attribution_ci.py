"""Bootstrap confidence intervals for attribution, and one table comparing every model.

**The bootstrap.** The customers behind a path table are resampled with
replacement: each row of the table is two cells (the customers of that path
who converted, and those who did not), and a resample draws the same number
of customers from those cells — a multinomial draw of the cell counts with a
seeded ``numpy`` Generator. Every model is recomputed on each resample and the
interval is the 2.5 % and 97.5 % percentiles of the resampled values (a
percentile interval; ``level`` changes it). The same ``seed`` gives the same
intervals.

It is fast because nothing is re-read per resample: the table is parsed once
(:func:`~journeymap.analytics.position.parse_paths`); the rule-based models and
Shapley are (paths × channels) matrices, so B resamples are one matrix product;
the Markov chain's transition counts are a sparse linear map of the per-path
counts, and its removal effects are batched linear solves (one per channel,
all resamples at once). Counts are whole customers (non-integer counts are
rounded).

>>> import pandas as pd
>>> toy = pd.DataFrame({"path": ["a > b > c", "a > a > b", "b", "c > a", "a > c > c"],
...                     "conversions": [30, 20, 10, 0, 10], "nulls": [10, 20, 40, 30, 20]})
>>> t = attribution_table(toy, models=["last", "markov"], n_boot=100, seed=0)
>>> list(t.columns)
['last', 'last_low', 'last_high', 'markov', 'markov_low', 'markov_high']
>>> bool((t["markov_low"] <= t["markov"]).all() and (t["markov"] <= t["markov_high"]).all())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics.markov_order import Chain, credited
from journeymap.analytics.position import HEURISTICS, Steps, credit_matrix, parse_paths
from journeymap.analytics.shapley import attribution_shapley, unanimity_matrix

#: Models of :func:`attribution_table` (``models="all"``), in display order.
PATH_MODELS = ("first", "last", "linear", "position", "markov", "shapley")
#: Resamples drawn and solved together (bounds memory: chunk × distinct paths × 2 counts).
CHUNK = 25


def _models(models: str | Sequence[str]) -> list[str]:
    chosen = list(PATH_MODELS) if models == "all" else ([models] if isinstance(models, str) else list(models))
    unknown = [m for m in chosen if m not in PATH_MODELS]
    if unknown:
        from journeymap.safety import suggest

        hint = suggest(unknown[0], PATH_MODELS)
        raise ValueError(f"unknown attribution model(s): {', '.join(unknown)}{hint}; "
                         f"choose from {', '.join(PATH_MODELS)} or 'all'")
    return chosen


def bootstrap(steps: Steps, models: Sequence[str], *, n_boot: int = 200, seed: int | None = 0, order: int = 1,
              ) -> dict[str, np.ndarray]:
    """Resampled credits: model → (n_boot × channels) conversions; ``"removal_effect"`` too with Markov."""
    if n_boot < 1:
        raise ValueError(f"n_boot must be ≥ 1 (got {n_boot})")
    rng = np.random.default_rng(seed)
    cells = np.rint(np.concatenate([steps.conversions, steps.nulls])).astype(np.int64)
    customers = int(cells.sum())
    if customers == 0:
        raise ValueError("the path table has no customers to resample")
    prob = cells / customers
    linear = {m: credit_matrix(steps, m) for m in models if m in HEURISTICS}
    if "shapley" in models:
        linear["shapley"] = unanimity_matrix(steps)
    chain = Chain(steps, order) if "markov" in models else None
    out: dict[str, list[np.ndarray]] = {m: [] for m in [*models, *(["removal_effect"] if chain else [])]}
    done = 0
    while done < n_boot:
        b = min(CHUNK, n_boot - done)
        draw = rng.multinomial(customers, prob, size=b).astype(float)
        conv, null = draw[:, :steps.n_paths], draw[:, steps.n_paths:]
        for m, matrix in linear.items():
            out[m].append(conv @ matrix)
        if chain is not None:
            _, effects = chain.removal_effects(conv, null)
            out["removal_effect"].append(effects)
            out["markov"].append(credited(effects, conv.sum(axis=1)))
        done += b
    return {m: np.concatenate(v) for m, v in out.items()}


def point_estimates(steps: Steps, models: Sequence[str], *, order: int = 1) -> dict[str, np.ndarray]:
    """Credits on the table itself (model → channels); ``"removal_effect"`` too with Markov."""
    out: dict[str, np.ndarray] = {m: steps.conversions @ credit_matrix(steps, m) for m in models if m in HEURISTICS}
    if "shapley" in models:
        out["shapley"] = attribution_shapley(steps, method="unanimity")["shapley"].to_numpy()
    if "markov" in models:
        _, effects = Chain(steps, order).removal_effects(steps.conversions, steps.nulls)
        out["removal_effect"] = effects[0]
        out["markov"] = credited(effects, np.array([steps.conversions.sum()]))[0]
    return {m: out[m] for m in [*models, "removal_effect"] if m in out}


def _interval(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail], axis=0)
    return low, high


def _steps(paths: Any, conversion: str | Sequence[str] | None, sep: str, **columns: Any) -> Steps:
    if isinstance(paths, Steps):
        return paths
    if conversion is not None:
        from journeymap.analytics.attribution import conversion_paths

        paths = conversion_paths(paths, conversion, **columns)
    return parse_paths(paths, sep=sep)


def attribution_table(paths: Any, models: str | Sequence[str] = "all", *, ci: bool = True, n_boot: int = 200,
                      seed: int | None = 0, order: int = 1, level: float = 0.95, sep: str = " > ",
                      conversion: str | Sequence[str] | None = None, **columns: Any) -> pd.DataFrame:
    """Conversions credited to each channel by every model, side by side, with bootstrap intervals.

    ``paths`` is a path table (path, conversions, nulls), or an event log when ``conversion`` is given
    (made into one by :func:`~journeymap.analytics.conversion_paths`; ``columns`` go to it). Rows: channels;
    columns: one per model (``first``, ``last``, ``linear``, ``position``, ``markov`` at ``order``,
    ``shapley``), each followed by ``<model>_low`` and ``<model>_high`` when ``ci``. Each model column sums
    to the conversions. ``attrs``: ``n_boot``, ``seed``, ``level``, ``order``, ``conversions``.
    """
    chosen = _models(models)
    steps = _steps(paths, conversion, sep, **columns)
    est = point_estimates(steps, chosen, order=order)
    draws = bootstrap(steps, chosen, n_boot=n_boot, seed=seed, order=order) if ci else {}
    data: dict[str, np.ndarray] = {}
    for m in chosen:
        data[m] = est[m]
        if ci:
            data[f"{m}_low"], data[f"{m}_high"] = _interval(draws[m], level)
    table = pd.DataFrame(data, index=steps.labels)
    table.attrs.update(n_boot=n_boot if ci else 0, seed=seed, level=level, order=order,
                       conversions=float(steps.conversions.sum()))
    return table


def markov_ci(paths: Any, *, order: int = 1, n_boot: int = 200, seed: int | None = 0, level: float = 0.95,
              sep: str = " > ") -> pd.DataFrame:
    """Exact Markov removal effects with bootstrap intervals: ``removal_effect``, ``low``, ``high``,
    ``conversions``, ``conversions_low``, ``conversions_high`` per channel."""
    steps = _steps(paths, None, sep)
    est = point_estimates(steps, ["markov"], order=order)
    draws = bootstrap(steps, ["markov"], n_boot=n_boot, seed=seed, order=order)
    low, high = _interval(draws["removal_effect"], level)
    c_low, c_high = _interval(draws["markov"], level)
    out = pd.DataFrame({"removal_effect": est["removal_effect"], "low": low, "high": high,
                        "conversions": est["markov"], "conversions_low": c_low, "conversions_high": c_high},
                       index=steps.labels)
    out.attrs.update(n_boot=n_boot, seed=seed, level=level, order=order)
    return out
