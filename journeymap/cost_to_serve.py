"""Cost to serve and the business case: what a journey costs per customer, and what it earns.

``economics(journey)`` prices every touchpoint's **reach** (expected visits per customer, see
:mod:`journeymap.scoring.flow`) at the cost of one contact on its channel, adds the **cost of repeats**
(customers who arrive over a channel switch that loses their context or does not recognise them repeat
their information — the scorecard's ``repeats_per_customer`` — each repeat priced as one more contact on
the channel they arrive at), and sets the **expected value** (expected conversion × the journey's
``value_per_conversion``) against it. See docs/economics.md for the method and a worked example.

Costs per contact, later ones winning: the catalogue's illustrative defaults
(:data:`journeymap.channels.DEFAULT_COSTS`) < ``cost`` on the journey's own ``channels:`` < the
journey's ``costs:`` < ``costs=`` (a mapping or a YAML file). A channel without a cost counts 0 and is
listed in :attr:`Economics.missing` — never silently.

>>> import journeymap as jm
>>> e = jm.economics(jm.load(jm.shipped_journey("retail_bopis_multichannel")))
>>> bool(e.cost_per_customer > e.repeat_cost > 0), e.missing
(True, ['instagram', 'reviews'])
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymap.channels import CATALOGUE
from journeymap.errors import JourneyError, Problem, format_loc, lower_first
from journeymap.i18n import t

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.model import Journey
    from journeymap.scoring.report import FrictionReport

#: Costs given to :func:`economics`: a mapping channel id → cost, or a YAML/JSON file of one.
CostsArg = Mapping[str, float] | str | os.PathLike[str] | None
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "MXN": "MX$", "BRL": "R$"}


def money(value: float, currency: str = "EUR", lang: str = "en") -> str:
    """An amount for people: ``€0.84`` (en), ``0,84 €`` (es); other codes are written out.

    >>> money(0.8449, "EUR"), money(1234.5, "USD", "es"), money(-2, "CHF")
    ('€0.84', '1.234,50 $', '-CHF 2.00')
    """
    symbol = _SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.2f}"
    if lang == "es":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return f"{sign}{text} {symbol.strip()}"
    return f"{sign}{symbol}{text}"


def load_costs(source: Any, journey: Journey | None = None) -> dict[str, float]:
    """Costs per contact from a mapping or a YAML/JSON file (``channel_id: cost`` lines).

    Problems raise :class:`~journeymap.errors.JourneyError`, one line each with file and line; with a
    ``journey``, a channel that is neither in the catalogue nor the journey's own is one of them.
    """
    from pydantic import TypeAdapter, ValidationError

    from journeymap.model import Money

    doc = None
    name = "costs"
    if isinstance(source, str | os.PathLike):
        from journeymap.io import read_text
        from journeymap.yamlmap import parse

        name = str(source)
        doc = parse(read_text(Path(source)), name)
        data = {} if doc.data is None else doc.data
        if not isinstance(data, dict):
            raise JourneyError([Problem(name, "", "expected a mapping of channel id: cost per contact",
                                        type(data).__name__, 1)])
    elif isinstance(source, Mapping):
        data = dict(source)
    else:
        raise JourneyError([Problem(name, "", "expected a mapping of channel id: cost per contact, or a file",
                                    type(source).__name__)])

    def line(key: object) -> int | None:
        return doc.line((key,)) if doc is not None else None

    problems, costs = [], {}
    try:
        costs = TypeAdapter(dict[str, Money]).validate_python(data)
    except ValidationError as exc:
        problems = [Problem(name, format_loc(tuple(e["loc"][:1])), lower_first(e["msg"]),
                            e.get("input"), line(e["loc"][0]) if e["loc"] else None)
                    for e in exc.errors(include_url=False)]
    if journey is not None:
        from journeymap.safety import suggest

        known = [*CATALOGUE, *(c.id for c in journey.channels)]
        problems += [Problem(name, str(key), f"unknown channel; {suggest(key, known)}", key, line(key))
                     for key in data if key not in known]
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise JourneyError(problems)
    return costs


def resolve_costs(journey: Journey, costs: CostsArg = None) -> tuple[dict[str, float | None], dict[str, str]]:
    """Cost per contact and where it comes from (``catalogue``, ``channel``, ``journey``, ``given``, ``missing``)
    for every channel the journey's touchpoints use (file order)."""
    given = load_costs(costs, journey) if costs is not None else {}
    cost: dict[str, float | None] = {}
    source: dict[str, str] = {}
    own = {c.id: c for c in journey.channels}
    for ch in dict.fromkeys(tp.channel for tp in journey.touchpoints):
        info = own.get(ch) or CATALOGUE.get(ch)
        value, where = (info.cost, "channel" if ch in own else "catalogue") if info else (None, "missing")
        if ch in journey.costs:
            value, where = journey.costs[ch], "journey"
        if ch in given:
            value, where = given[ch], "given"
        cost[ch], source[ch] = value, where if value is not None else "missing"
    return cost, source


@dataclass
class Economics:
    """Cost to serve one customer, and what they are worth; every amount is per customer, in ``currency``.

    ``by_touchpoint``: ``stage``, ``channel``, ``reach``, ``cost_per_contact``, ``cost`` (reach × cost per
    contact). ``repeats``: one row per channel switch that makes customers repeat themselves, with its
    ``flow`` (customers per customer making it), the ``channel`` they arrive at and ``cost``.
    """

    journey: Journey
    by_touchpoint: pd.DataFrame
    repeats: pd.DataFrame
    cost_per_contact: dict[str, float | None]
    cost_source: dict[str, str]
    expected_conversion: float
    value_per_conversion: float | None
    currency: str = "EUR"
    missing: list[str] = field(default_factory=list)

    @cached_property
    def contact_cost(self) -> float:
        """Expected cost of the contacts themselves (Σ reach × cost per contact)."""
        return float(self.by_touchpoint["cost"].sum())

    @cached_property
    def repeat_cost(self) -> float:
        """Expected cost of the repeats caused by lost context or an unrecognised customer."""
        return float(self.repeats["cost"].sum())

    @cached_property
    def cost_per_customer(self) -> float:
        """Contacts plus repeats: the expected cost to serve one customer entering the journey."""
        return self.contact_cost + self.repeat_cost

    @cached_property
    def expected_value(self) -> float | None:
        """Expected conversion × value per conversion (``None`` without ``value_per_conversion``)."""
        vpc = self.value_per_conversion
        return None if vpc is None else self.expected_conversion * vpc

    @cached_property
    def net(self) -> float | None:
        """Expected value minus cost per customer (``None`` without ``value_per_conversion``)."""
        return None if self.expected_value is None else self.expected_value - self.cost_per_customer

    @cached_property
    def cost_per_conversion(self) -> float | None:
        """Cost per customer divided by expected conversions per customer (``None`` if nobody converts)."""
        return self.cost_per_customer / self.expected_conversion if self.expected_conversion > 0 else None

    @cached_property
    def by_stage(self) -> pd.DataFrame:
        """Contact cost per stage (stage order), and the repeats arriving in it."""
        df = self.by_touchpoint
        stage_of = df["stage"].to_dict()
        rep = self.repeats.groupby(self.repeats["target"].map(stage_of))["cost"].sum() if len(self.repeats) else None
        out = df.groupby("stage", sort=False).agg(reach=("reach", "sum"), contact_cost=("cost", "sum"))
        order = [s.id for s in self.journey.ordered_stages() if s.id in out.index]
        out = out.loc[order]
        out["repeat_cost"] = 0.0 if rep is None else rep.reindex(out.index).fillna(0.0)
        out["cost"] = out["contact_cost"] + out["repeat_cost"]
        return out

    @cached_property
    def by_channel(self) -> pd.DataFrame:
        """Per channel: cost per contact and its source, contacts per customer, contact and repeat cost."""
        import pandas as pd

        df = self.by_touchpoint
        rep = self.repeats.groupby("channel")["cost"].sum() if len(self.repeats) else pd.Series(dtype=float)
        reps = self.repeats.groupby("channel")["flow"].sum() if len(self.repeats) else pd.Series(dtype=float)
        rows = []
        for ch, part in df.groupby("channel", sort=False):
            rows.append({"channel": ch, "name": self.journey.channel_info(str(ch)).name(self.journey.lang),
                         "cost_per_contact": self.cost_per_contact[str(ch)],
                         "cost_source": self.cost_source[str(ch)], "contacts": float(part["reach"].sum()),
                         "repeats": float(reps.get(ch, 0.0)), "contact_cost": float(part["cost"].sum()),
                         "repeat_cost": float(rep.get(ch, 0.0))})
        out = pd.DataFrame(rows).set_index("channel")
        out["cost"] = out["contact_cost"] + out["repeat_cost"]
        return out.sort_values("cost", ascending=False, kind="stable")

    @cached_property
    def totals(self) -> pd.DataFrame:
        """One row per figure (``value``), per customer; value and net are NaN without a value per conversion."""
        import pandas as pd

        nan = float("nan")
        rows = {"contact_cost": self.contact_cost, "repeat_cost": self.repeat_cost,
                "cost_per_customer": self.cost_per_customer, "expected_conversion": self.expected_conversion,
                "expected_value": nan if self.expected_value is None else self.expected_value,
                "net": nan if self.net is None else self.net,
                "cost_per_conversion": nan if self.cost_per_conversion is None else self.cost_per_conversion}
        return pd.DataFrame({"value": rows}).rename_axis("figure")

    def summary(self, lang: str | None = None) -> str:
        """A few readable lines: cost (contacts + repeats), value, net, and the channels without a cost."""
        lang = lang or self.journey.lang
        m = lambda v: money(v, self.currency, lang)  # noqa: E731
        lines = [f"{self.journey.id}: {t('ec_cost_per_customer', lang)} {m(self.cost_per_customer)} "
                 f"({t('ec_contacts', lang)} {m(self.contact_cost)} + {t('ec_repeat_cost', lang)} "
                 f"{m(self.repeat_cost)})"]
        if self.expected_value is not None and self.net is not None:
            lines.append(f"  {t('ec_expected_value', lang)} {m(self.expected_value)} "
                         f"({self.expected_conversion:.1%} × {m(self.value_per_conversion or 0)}) · "
                         f"{t('ec_net', lang)} {m(self.net)}")
        else:
            lines.append("  " + t("ec_no_value", lang))
        if self.missing:
            lines.append("  " + t("ec_missing", lang).format(", ".join(self.missing)))
        return "\n".join(lines)


def economics(journey: Journey, costs: CostsArg = None, report: FrictionReport | None = None) -> Economics:
    """The cost to serve and value of ``journey`` per customer (see the module doc and docs/economics.md).

    ``costs``: a mapping channel id → cost per contact, or a YAML/JSON file of one, overriding the
    journey's costs. ``report``: a :class:`~journeymap.scoring.FrictionReport` already computed (reach,
    switches, expected conversion are taken from it).
    """
    import pandas as pd

    from journeymap.scoring import score

    report = report if report is not None else score(journey)
    per_contact, source = resolve_costs(journey, costs)
    price = {ch: (c or 0.0) for ch, c in per_contact.items()}
    tp = report.by_touchpoint[["stage", "channel", "reach"]].copy()
    tp["cost_per_contact"] = [per_contact[c] for c in tp["channel"]]
    tp["cost"] = tp["reach"] * tp["channel"].map(price)
    tr = report.by_transition
    lost = tr["cross_channel"].astype(bool) & ((tr["context"] == "none") | ~tr["recognised"].astype(bool))
    rep = tr.loc[lost, ["source", "target", "flow", "context", "recognised"]].copy()
    channel_of = tp["channel"].to_dict()
    rep["channel"] = [channel_of[x] for x in rep["target"]]
    rep["cost_per_contact"] = [per_contact[c] for c in rep["channel"]]
    rep["cost"] = rep["flow"] * rep["channel"].map(price).astype(float) if len(rep) else pd.Series(dtype=float)
    missing = [ch for ch, where in source.items() if where == "missing"]
    return Economics(journey, tp, rep, per_contact, source, float(report.expected_conversion),
                     journey.value_per_conversion, journey.currency, missing)


def economics_from_events(events: pd.DataFrame, costs: CostsArg = None, channel: str = "channel",
                          case: str = "customer_id", currency: str | None = None,
                          journey: Journey | None = None) -> pd.DataFrame:
    """Observed cost to serve from an event log: contacts per channel × cost per contact, per customer.

    Costs per contact: the catalogue defaults < with a ``journey``, its channels' ``cost`` and its ``costs:``
    (and its currency) < ``costs`` (a mapping or YAML file); channel values are matched trimmed and
    lower-cased. Rows per channel: ``contacts``, ``customers`` (who used it), ``contacts_per_customer``
    (over all customers of the log), ``cost_per_contact`` (NaN when unknown: counted 0, and the
    ``cost_source`` says ``missing``), ``cost`` (total) and ``cost_per_customer``; a last ``TOTAL`` row
    sums them. ``attrs["missing"]`` lists the channels without a cost, ``attrs["customers"]`` the customers.

    >>> import pandas as pd
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2, 2], "channel": ["phone", "phone", "fax", "email"]})
    >>> out = economics_from_events(log)
    >>> float(out.loc["TOTAL", "cost_per_customer"]), out.attrs["missing"]   # (2×5.25 + 4.42) / 2
    (7.46, ['fax'])
    """
    import pandas as pd

    from journeymap.errors import JourneyError, Problem

    for col in (channel, case):
        if col not in events.columns:
            from journeymap.safety import suggest

            raise JourneyError([Problem("events", col, f"no such column; {suggest(col, map(str, events.columns))}")])
    base: dict[str, float] = {k: c.cost for k, c in CATALOGUE.items() if c.cost is not None}
    if journey is not None:
        base.update({c.id: c.cost for c in journey.channels if c.cost is not None})
        base.update(journey.costs)
        currency = currency or journey.currency
    given = load_costs(costs, journey) if costs is not None else {}
    given = {str(k).strip().lower(): v for k, v in given.items()}
    chans = events[channel].astype(str).str.strip().str.lower()
    customers = int(events[case].nunique())
    grouped = pd.DataFrame({"channel": chans, "case": events[case]}).groupby("channel", sort=True)
    out = grouped.agg(contacts=("case", "size"), customers=("case", "nunique"))
    per, where = [], []
    for ch in out.index:
        value = given.get(ch, base.get(ch))
        per.append(float("nan") if value is None else value)
        where.append("given" if ch in given else "journey" if journey is not None and value is not None and (
            ch in journey.costs or ch not in CATALOGUE) else "catalogue" if value is not None else "missing")
    out["contacts_per_customer"] = out["contacts"] / max(customers, 1)
    out["cost_per_contact"], out["cost_source"] = per, where
    out["cost"] = out["contacts"] * out["cost_per_contact"].fillna(0.0)
    out["cost_per_customer"] = out["cost"] / max(customers, 1)
    out = out.sort_values("cost", ascending=False, kind="stable")
    total = {"contacts": out["contacts"].sum(), "customers": customers,
             "contacts_per_customer": out["contacts_per_customer"].sum(), "cost_per_contact": float("nan"),
             "cost_source": "", "cost": out["cost"].sum(), "cost_per_customer": out["cost_per_customer"].sum()}
    out.loc["TOTAL"] = pd.Series(total)
    out["cost_per_customer"] = out["cost_per_customer"].astype(float).round(10)
    out.attrs.update(missing=[ch for ch, w in zip(out.index, out["cost_source"], strict=True) if w == "missing"],
                     customers=customers, currency=currency or "EUR")
    return out
