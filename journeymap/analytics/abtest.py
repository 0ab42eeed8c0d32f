"""Do segments differ? Conversion and funnel tests across segments, and the A/B view of experiment arms.

Segments are those of :mod:`journeymap.analytics.segments` (a column or a derived segment, each
customer in the segment of their first event). Formulas are in
:mod:`journeymap.analytics._significance`: the difference of two rates with its Wald interval and
the pooled two-proportion z test against a reference segment, the χ² test of independence across
all segments (no continuity correction), and Fisher's exact test for a 2 × 2 table with an
expected count below 5. Groups under 30 customers and expected counts under 5 are flagged in a
``warning`` column (and ``attrs["warning"]``).

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> arm = np.repeat(["control", "new"], 400)
>>> buys = rng.random(800) < np.where(arm == "new", 0.30, 0.20)
>>> ev = pd.DataFrame({"case_id": np.repeat(np.arange(800), 2), "variant": np.repeat(arm, 2),
...                    "activity": np.column_stack([np.full(800, "visit"), np.where(buys, "buy", "leave")]).ravel(),
...                    "timestamp": pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(np.tile([0, 1], 800), "h")})
>>> cols = ["customers", "conversions", "rate", "difference", "p_value"]
>>> ab_test(ev, conversion="buy")[cols].round(4)  # doctest: +NORMALIZE_WHITESPACE
         customers  conversions    rate  difference  p_value
variant
control        400           83  0.2075       0.000      NaN
new            400          113  0.2825       0.075   0.0137
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeymap.analytics._frame import ACTIVITY, CASE, CHANNEL, TIMESTAMP, frame_of, require
from journeymap.analytics._significance import chi_square, small_warning, two_proportions
from journeymap.analytics.segments import _problem, by_segment, events_frame

__all__ = ["ab_test", "concat_logs", "conversion_test", "funnel_test"]

#: Names taken as the control arm by :func:`ab_test` when ``control`` is not given (first match).
CONTROL_NAMES = ("control", "baseline", "A", "a", "old")


def conversion_test(events: Any, segment: Any, conversion: str | Sequence[str], *, reference: Any = None,
                    level: float = 0.95, case: str = CASE, activity: str = ACTIVITY, timestamp: str = TIMESTAMP,
                    channel: str = CHANNEL) -> pd.DataFrame:
    """Overall conversion per segment, each compared with the ``reference`` segment.

    Rows: segments (``reference`` first; default the largest). Columns: ``customers``,
    ``conversions``, ``rate`` with its Wilson interval ``rate_low``/``rate_high``; ``difference``
    (rate − reference rate, percentage points as a fraction) with its Wald interval
    ``ci_low``/``ci_high``, the two-proportion z test ``p_value``, ``relative_lift`` (difference /
    reference rate), ``fisher_p`` (Fisher exact, only when that 2 × 2 table has an expected count < 5)
    and ``warning``. ``attrs`` hold the χ² test across all segments: ``chi2``, ``dof``, ``p_value``,
    ``min_expected``, ``fisher_p`` (2 segments), ``warning``, ``reference``, ``level``.
    """
    rates = by_segment(events, segment, "conversion", conversion=conversion, case=case, activity=activity,
                       timestamp=timestamp, channel=channel, level=level, first=None if reference is None
                       else str(reference))
    names = rates["segment"].tolist()
    if reference is not None and str(reference) not in names:
        from journeymap.safety import suggest

        raise _problem("reference", f"no segment {str(reference)!r}; " + suggest(reference, names))
    table = rates.set_index("segment")
    ref = table.iloc[0]
    x, n = table["conversions"].to_numpy(), table["customers"].to_numpy()
    test = two_proportions(ref["conversions"], ref["customers"], x, n, level)
    for column in ("difference", "ci_low", "ci_high", "p_value", "relative_lift"):
        table[column] = test[column]
    table.loc[table.index[0], ["ci_low", "ci_high", "p_value", "relative_lift"]] = np.nan
    fisher, warnings = [], []
    for name, xi, ni in zip(table.index, x, n, strict=True):
        pair = chi_square([[ref["conversions"], ref["customers"] - ref["conversions"]], [xi, ni - xi]])
        first = name == table.index[0]
        fisher.append(np.nan if first else pair["fisher_p"])
        groups = {name: int(ni)} if first else {table.index[0]: int(ref["customers"]), name: int(ni)}
        warnings.append(small_warning(groups, np.nan if first else pair["min_expected"]))
    table["fisher_p"], table["warning"] = fisher, warnings
    overall = chi_square(np.column_stack([x, n - x]))
    table.attrs.update(overall, warning=small_warning(dict(zip(table.index, map(int, n), strict=True)),
                                                       overall["min_expected"]),
                       reference=table.index[0], level=level, test="chi-square (no continuity correction)")
    table.index.name = str(segment)
    return table


def funnel_test(events: Any, segment: Any, stages: Sequence[Any], *, case: str = CASE, activity: str = ACTIVITY,
                timestamp: str = TIMESTAMP, channel: str = CHANNEL, **kwargs: Any) -> pd.DataFrame:
    """Does reaching each funnel step depend on the segment? One χ² test per step after the first.

    For step *k* the table is segments × (reached step *k*, did not) among the customers who reached the
    first step (the funnel's base, :func:`~journeymap.analytics.funnel` rules; ``strict_order=`` and
    ``by=`` pass through). Columns: ``step``, ``reach`` (per segment, as a dict of rates), ``chi2``,
    ``dof``, ``p_value``, ``min_expected``, ``fisher_p`` (2 segments with an expected count < 5) and
    ``warning``.
    """
    tidy = by_segment(events, segment, "funnel", stages=stages, case=case, activity=activity,
                      timestamp=timestamp, channel=channel, **kwargs)
    wide = tidy.pivot_table(index="step", columns="segment", values="customers", sort=False, aggfunc="first")
    names = list(dict.fromkeys(tidy["segment"]))
    steps = list(dict.fromkeys(tidy["step"]))
    wide = wide.reindex(index=steps, columns=names).fillna(0).astype(np.int64)
    base = wide.iloc[0].to_numpy()
    rows = []
    for step in steps[1:]:
        reached = wide.loc[step].to_numpy()
        test = chi_square(np.column_stack([reached, base - reached]))
        reach = {n: (r / b if b else float("nan")) for n, r, b in zip(names, reached, base, strict=True)}
        rows.append({"step": step, "reach": reach, **test,
                     "warning": small_warning(dict(zip(names, map(int, base), strict=True)), test["min_expected"])})
    return pd.DataFrame(rows, columns=["step", "reach", "chi2", "dof", "p_value", "min_expected", "fisher_p",
                                       "warning"])


def ab_test(events: Any, variant: Any = "variant", conversion: str | Sequence[str] | None = None, *,
            control: Any = None, level: float = 0.95, case: str = CASE, activity: str = ACTIVITY,
            timestamp: str = TIMESTAMP) -> pd.DataFrame:
    """The A/B view: per arm customers, conversions, rate; difference vs ``control`` with its interval,
    p-value and relative lift (:func:`conversion_test` with the arms as segments).

    ``control`` defaults to the first arm named in :data:`CONTROL_NAMES`, else the largest arm. Each
    customer belongs to the arm of their first event. Two journeys' logs are compared the same way:
    ``ab_test(concat_logs({"old": ev1, "new": ev2}), conversion=…)``.
    """
    if conversion is None:
        raise _problem("conversion", "ab_test needs conversion= (the activity that counts as converting)")
    frame = events_frame(events, case, activity, timestamp)
    if control is None and variant in getattr(frame, "columns", ()):
        present = set(frame[variant].dropna().astype(str))
        control = next((c for c in CONTROL_NAMES if c in present), None)
    return conversion_test(frame, variant, conversion, reference=control, level=level, case=case,
                           activity=activity, timestamp=timestamp)


def concat_logs(logs: Mapping[Any, pd.DataFrame], *, label: str = "variant", case: str = CASE) -> pd.DataFrame:
    """Several logs as one, with a ``label`` column naming the log each row comes from.

    Case ids become ``"<label>:<id>"`` so that the same id in two logs stays two customers.

    >>> a = pd.DataFrame({"case_id": ["1"], "activity": ["x"]}); b = pd.DataFrame({"case_id": ["1"], "activity": ["y"]})
    >>> concat_logs({"old": a, "new": b})[["case_id", "variant"]].values.tolist()
    [['old:1', 'old'], ['new:1', 'new']]
    """
    parts = []
    for name, log in logs.items():
        frame = frame_of(log)
        require(frame, [case])
        if label in frame.columns:
            raise _problem(label, f"the log {str(name)!r} already has a {label!r} column; pass another label=")
        ids = frame[case].astype("string")
        parts.append(frame.assign(**{case: (str(name) + ":" + ids).astype(object).where(ids.notna(), None),
                                     label: str(name)}))
    if not parts:
        raise ValueError("concat_logs needs at least one log")
    return pd.concat(parts, ignore_index=True)
