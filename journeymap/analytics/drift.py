"""Drift: what the designed journey assumed beside what an event log observed, ranked by what it changes.

One row per value (``kind``): ``entry share`` and ``transition share`` (the
causes: the flow the design assumes), ``reach`` and ``drop-off`` per touchpoint
and ``conversion`` (their consequences), ``waiting`` (designed ``wait_min`` beside
the observed time from the previous event) and ``activity`` (events on no touchpoint).

``status`` says what happened: *changed* (moved by at least ``min_change`` and by
more than sampling noise, |z| ≥ 3 with the binomial standard error), *as designed*,
*not designed* (seen, but not in the design), *never seen* (designed, its touchpoint
seen, the move never), *not measured* (its touchpoint never appears in the log),
*not in design* (an activity that is no touchpoint). For waiting: *longer* or
*shorter* when the designed wait lies outside the observed interquartile range.

Effects are exact, one value at a time: ``effect_conversion`` and
``effect_friction`` are how much the designed journey's expected conversion and
reach-weighted friction change when only that value is set to the observed one
(the other shares leaving the same touchpoint, or the other entry shares, scaled so
they still fit in 1). Rows with an effect come first, largest |effect on
conversion| first, then |effect on friction|.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from journeymap.errors import JourneyError
from journeymap.model import Journey
from journeymap.scoring import flow

if TYPE_CHECKING:
    from journeymap.analytics._types import Measured

COLUMNS = ["kind", "key", "assumed", "observed", "change", "status", "n", "effect_conversion", "effect_friction",
           "note"]
FLAGGED = ("changed", "not designed", "never seen", "longer", "shorter", "not in design")


@dataclass(frozen=True)
class Drift:
    """Assumed vs observed values (``table``: one row per value, ranked; see the module notes)."""

    table: pd.DataFrame
    designed_conversion: float
    calibrated_conversion: float

    @property
    def flagged(self) -> pd.DataFrame:
        """Only the rows whose status is not *as designed* / *not measured*."""
        return self.table[self.table["status"].isin(FLAGGED)].reset_index(drop=True)

    def keys(self, kind: str, status: str | tuple[str, ...] = FLAGGED) -> list[str]:
        """Keys of one kind with a status, e.g. ``drift.keys("transition share", "changed")``."""
        wanted = (status,) if isinstance(status, str) else status
        t = self.table
        return t.loc[(t["kind"] == kind) & t["status"].isin(wanted), "key"].tolist()

    def to_csv(self, path: str | Path) -> None:
        """Write the table as CSV (names from the log are text in a spreadsheet, never formulas)."""
        from journeymap.io import atomic_write
        from journeymap.safety import csv_frame

        atomic_write(Path(path), csv_frame(self.table).to_csv(index=False, float_format="%.6g"))

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The summary in ``lang`` (English or Spanish): the flagged values, ten at most."""
        from journeymap.i18n import _TABLE, t

        def said(prefix: str, value: str) -> str:  # a kind or status in lang; as written when unknown
            return t(f"{prefix}{value}", lang) if f"{prefix}{value}" in _TABLE else value

        f = self.flagged
        lines = [t("at_drift", lang).format(n=len(f), total=len(self.table), designed=f"{self.designed_conversion:.3f}",
                                            calibrated=f"{self.calibrated_conversion:.3f}")]
        for row in f.head(10).to_dict("records"):
            conv, fric = float(row["effect_conversion"]), float(row["effect_friction"])
            effect = "" if math.isnan(conv) else t("at_drift_effect", lang).format(conversion=f"{conv:+.3f}",
                                                                                   friction=f"{fric:+.2f}")
            lines.append(t("at_drift_row", lang).format(
                kind=said("at_kind_", row["kind"]), key=row["key"], assumed=_fmt(row["assumed"]),
                observed=_fmt(row["observed"]), status=said("at_status_", row["status"]), effect=effect))
        if len(f) > 10:
            lines.append(t("at_drift_more", lang).format(n=len(f) - 10))
        return "\n".join(lines)


def _fmt(x: Any) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3g}"


def _status(assumed: float, observed: float, n: int, min_change: float) -> str:
    change = observed - assumed
    if abs(change) < min_change:
        return "as designed"
    var = max(assumed * (1 - assumed), observed * (1 - observed), 0.0) / max(n, 1)
    z = abs(change) / math.sqrt(var) if var > 0 else math.inf
    return "changed" if z >= 3 else "as designed"


def _fit(shares: dict[Any, float], key: Any, value: float) -> dict[Any, float]:
    """``shares`` with ``key`` set to ``value`` and the others scaled so they sum to ≤ 1."""
    others = sum(v for k, v in shares.items() if k != key)
    room = max(1.0 - value, 0.0)
    scale = min(1.0, room / others) if others > 0 else 1.0
    return {k: (value if k == key else v * scale) for k, v in shares.items()} | {key: value}


class _Effects:
    """Exact one-value-at-a-time effects on the designed journey's conversion and friction."""

    def __init__(self, designed: Journey) -> None:
        from journeymap.scoring import score

        self.designed = designed
        self.data = designed.model_dump(by_alias=True, exclude_none=True)
        base = score(designed)
        self.conversion, self.friction = base.expected_conversion, base.total

    def _of(self, data: dict) -> tuple[float, float]:
        from journeymap.scoring import score

        try:
            report = score(Journey.model_validate(data))
        except (JourneyError, ValueError):  # e.g. a loop customers could never leave
            return math.nan, math.nan
        return report.expected_conversion - self.conversion, report.total - self.friction

    def transition(self, source: str, target: str, share: float) -> tuple[float, float]:
        data = {**self.data, "transitions": [dict(t) for t in self.data["transitions"]]}
        outs = {(t["from"], t["to"]): t.get("share", 1.0) for t in data["transitions"] if t["from"] == source}
        new = _fit(outs, (source, target), share)
        if (source, target) not in outs:
            data["transitions"].append({"from": source, "to": target})
        for t in data["transitions"]:
            if (t["from"], t["to"]) in new:
                t["share"] = new[(t["from"], t["to"])]
        return self._of(data)

    def entry(self, tp_id: str, share: float) -> tuple[float, float]:
        data = {**self.data, "touchpoints": [dict(t) for t in self.data["touchpoints"]]}
        new = _fit(flow.entry_distribution(self.designed), tp_id, share)
        for t in data["touchpoints"]:
            t.pop("entry_share", None)
            if new.get(t["id"]):
                t["entry_share"] = new[t["id"]]
        return self._of(data)


def _flow_rows(designed: Journey, calibrated: Journey, m: Measured, min_change: float,
               effects: _Effects) -> list[dict]:
    rows = []
    visits = m.touchpoints["visits"]
    designed_keys = {tr.key for tr in designed.transitions}
    assumed_entry = flow.entry_distribution(designed)
    for tp in designed.touchpoints:
        n_entries = int(m.touchpoints["entries"].get(tp.id, 0))
        a, o = assumed_entry.get(tp.id, 0.0), n_entries / m.customers
        if a == 0 and o == 0:
            continue
        status = ("not designed" if a == 0 else "never seen" if o == 0 else _status(a, o, m.customers, min_change))
        rows.append({"kind": "entry share", "key": tp.id, "assumed": a, "observed": o, "n": m.customers,
                     "status": status, "note": f"{n_entries:,} of {m.customers:,} customers start here",
                     "_effect": ("entry", tp.id, o)})
    observed = {tr.key: tr for tr in calibrated.transitions}
    for tr in [*designed.transitions, *(t for t in calibrated.transitions if t.key not in designed_keys)]:
        n = int(visits.get(tr.source, 0))
        designed_tr = tr.key in designed_keys
        cal = observed.get(tr.key)
        a = tr.share if designed_tr else math.nan
        if n == 0 or cal is None:
            rows.append({"kind": "transition share", "key": tr.key, "assumed": a, "observed": math.nan, "n": 0,
                         "status": "not measured", "note": f"'{tr.source}' never appears in the log"})
            continue
        count = cal.observed.count if cal.observed else 0
        o = count / n
        status = ("not designed" if not designed_tr else "never seen" if count == 0 and a > 0
                  else _status(a, o, n, min_change))
        rows.append({"kind": "transition share", "key": tr.key, "assumed": a, "observed": o, "n": n,
                     "status": status, "note": f"{count:,} of {n:,} events at '{tr.source}' go straight on",
                     "_effect": ("transition", tr.source, tr.target, o)})
    return rows


def _consequence_rows(designed: Journey, m: Measured, min_change: float) -> list[dict]:
    rows = []
    reach = flow.visits(designed)
    out_share: dict[str, float] = {}
    for tr in designed.transitions:
        out_share[tr.source] = out_share.get(tr.source, 0.0) + tr.share
    for tp in designed.touchpoints:
        if tp.id not in m.touchpoints.index:
            rows.append({"kind": "reach", "key": tp.id, "assumed": reach[tp.id], "observed": 0.0, "n": m.customers,
                         "status": "never seen" if reach[tp.id] > 0 else "as designed",
                         "note": "no event at this touchpoint"})
            continue
        st: dict[Any, Any] = m.touchpoints.loc[tp.id].to_dict()
        o = float(st["visits"]) / m.customers
        se = math.sqrt(float(st["visits"])) / m.customers
        changed = abs(o - reach[tp.id]) >= min_change and abs(o - reach[tp.id]) >= 3 * se
        rows.append({"kind": "reach", "key": tp.id, "assumed": reach[tp.id], "observed": o, "n": m.customers,
                     "status": "changed" if changed else "as designed",
                     "note": f"{int(st['visits']):,} visits by {int(st['customers']):,} customers"})
        a_drop, o_drop = max(1.0 - out_share.get(tp.id, 0.0), 0.0), float(st["exits"]) / float(st["visits"])
        rows.append({"kind": "drop-off", "key": tp.id, "assumed": a_drop, "observed": o_drop,
                     "n": int(st["visits"]), "status": _status(a_drop, o_drop, int(st["visits"]), min_change),
                     "note": f"{int(st['exits']):,} customers end here"})
        if not pd.isna(st["median"]):
            a_wait = tp.wait_min if tp.wait_min is not None else math.nan
            status = ("as designed" if math.isnan(a_wait) or st["q1"] <= a_wait <= st["q3"]
                      else "longer" if st["q1"] > a_wait else "shorter")
            rows.append({"kind": "waiting", "key": tp.id, "assumed": a_wait, "observed": float(st["median"]),
                         "n": int(st["visits"] - st["entries"]), "status": status,
                         "note": f"minutes from the previous event: median {st['median']:.0f}, "
                                 f"IQR {st['q1']:.0f}–{st['q3']:.0f} (includes the customer's own pauses)"})
    for activity, n_events in m.unknown.items():
        rows.append({"kind": "activity", "key": str(activity), "assumed": math.nan, "observed": float(n_events),
                     "n": int(n_events), "status": "not in design",
                     "note": "events on an activity that is no touchpoint (add it, or map it with mapping=)"})
    return rows


def drift(designed: Journey, calibrated: Journey, m: Measured, *, min_change: float = 0.02) -> Drift:
    """The :class:`Drift` between ``designed`` and its ``calibrated`` copy (see the module notes)."""
    from journeymap.scoring import score

    effects = _Effects(designed)
    rows = _flow_rows(designed, calibrated, m, min_change, effects)
    rows += _consequence_rows(designed, m, min_change)
    cal_conv = score(calibrated).expected_conversion
    if any(tp.conversion for tp in designed.touchpoints):
        # expected conversion counts conversions per customer (a customer may convert twice): so does this
        o = m.conversions / m.customers
        rows.append({"kind": "conversion", "key": designed.id, "assumed": effects.conversion, "observed": o,
                     "n": m.customers, "status": _status(effects.conversion, min(o, 1.0), m.customers, min_change),
                     "note": f"{m.conversions:,} conversions by {m.converted:,} of {m.customers:,} customers"})
    for row in rows:
        spec = row.pop("_effect", None)
        if spec is None or row["status"] not in ("changed", "not designed", "never seen"):
            row["effect_conversion"] = row["effect_friction"] = math.nan
        elif spec[0] == "entry":
            row["effect_conversion"], row["effect_friction"] = effects.entry(spec[1], spec[2])
        else:
            row["effect_conversion"], row["effect_friction"] = effects.transition(spec[1], spec[2], spec[3])
        row["change"] = row["observed"] - row["assumed"]
    table = pd.DataFrame(rows, columns=COLUMNS)
    has = table["effect_conversion"].notna()
    order = np.lexsort((-table["effect_friction"].abs().fillna(0).to_numpy(),
                        -table["effect_conversion"].abs().fillna(0).to_numpy(), ~has.to_numpy()))
    table = table.iloc[order].reset_index(drop=True)
    return Drift(table, effects.conversion, cal_conv)
