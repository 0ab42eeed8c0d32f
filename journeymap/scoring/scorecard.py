"""The omnichannel scorecard: the four components of an omnichannel strategy, each 0..100.

1. **Channel integration** — the continuity index: of the customers who switch
   channel, the share whose context travels with them (full = 1, partial = ½),
   weighted by how many customers make each switch.
2. **Data** — of those switches, the share where the customer is recognised.
3. **Personalisation** — reach-weighted share of touchpoints flagged
   ``personalised: true`` (among those where the flag is set).
4. **Brand coherence** — the same for ``on_brand``.

Plus: channel count, cross-channel rate (share of customers whose journey starts
in one channel and ends in another) and repeats (expected times per customer
that they must repeat information: a switch with no context or without being
recognised), and **evidence**: the share of the reach-weighted friction that rests on
assumed values (see :mod:`journeymap.scoring.evidence`).

Example
-------
>>> import journeymap as jm
>>> card = jm.score(jm.load(jm.shipped_journey("retail_bopis_omnichannel"))).scorecard
>>> list(card.index[:4])
['channel_integration', 'data', 'personalisation', 'brand_coherence']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeymap.scoring import flow

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.scoring.report import FrictionReport

_CARRIED = {"none": 0.0, "partial": 0.5, "full": 1.0}


def _switches(report: FrictionReport) -> pd.DataFrame:
    t = report.by_transition
    return t.loc[t["cross_channel"].astype(bool)]


def continuity_index(report: FrictionReport) -> float:
    """Flow-weighted share of channel switches that carry context (0..100; 100 when there is no switch)."""
    s = _switches(report)
    total = s["flow"].sum()
    if total <= 0:
        return 100.0
    return float(100 * (s["flow"] * s["context"].map(_CARRIED)).sum() / total)


def recognition_index(report: FrictionReport) -> float:
    """Flow-weighted share of channel switches where the customer is recognised (0..100)."""
    s = _switches(report)
    total = s["flow"].sum()
    return 100.0 if total <= 0 else float(100 * (s["flow"] * s["recognised"]).sum() / total)


def _flag_index(report: FrictionReport, flag: str) -> tuple[float | None, int]:
    rated = [(tp.id, getattr(tp, flag)) for tp in report.journey.touchpoints if getattr(tp, flag) is not None]
    reach = sum(report.reach[i] for i, _ in rated)
    if not rated or reach <= 0:
        return None, len(rated)
    return 100 * sum(report.reach[i] for i, v in rated if v) / reach, len(rated)


def cross_channel_rate(report: FrictionReport) -> float:
    """Share of customers (0..1) whose journey starts in one channel and ends in another."""
    journey = report.journey
    channel = {tp.id: tp.channel for tp in journey.touchpoints}
    rate = 0.0
    for entry, share in flow.entry_distribution(journey).items():
        ends = flow.endings(journey, flow.visits(journey, {entry: 1.0}))
        rate += share * sum(v for tp, v in ends.items() if channel[tp] != channel[entry])
    return float(rate)


def repeats_per_customer(report: FrictionReport) -> float:
    """Expected number of times a customer must repeat information (switches losing context or identity)."""
    s = _switches(report)
    lost = (s["context"] == "none") | (~s["recognised"].astype(bool))
    return float(s.loc[lost, "flow"].sum())


def _evidence_row(report: FrictionReport) -> tuple[str, float, str, str]:
    ev = report.evidence_summary()
    return ("evidence", 100 * ev.assumed, "%",
            f"{100 * ev.assumed:.0f}% of the reach-weighted friction rests on assumed values "
            f"({100 * ev.observed:.0f}% observed, {100 * ev.proposed:.0f}% proposed); "
            f"{100 * ev.flow_observed:.0f}% of the flow rests on observed shares")


def scorecard(report: FrictionReport, lang: str | None = None) -> pd.DataFrame:
    """The scorecard as a table: ``value``, ``unit`` and an ``explanation`` per row; the explanations and
    units in ``lang`` (default: the journey's own ``lang``; English or Spanish). Values and row names are the
    same in every language."""
    import pandas as pd

    s = _switches(report)
    n_switch = len(s)
    cont, recog = continuity_index(report), recognition_index(report)
    pers, n_pers = _flag_index(report, "personalised")
    brand, n_brand = _flag_index(report, "on_brand")
    channels = len({tp.channel for tp in report.journey.touchpoints})
    rate = cross_channel_rate(report)
    repeats = repeats_per_customer(report)

    def flagged(value: float | None, n: int, what: str) -> str:
        if value is None:
            return f"not assessed: no touchpoint says whether it is {what} (set `{what}: true/false`)"
        return f"{value:.0f}% of visits (over {n} touchpoints with the flag set) are {what}"

    rows = [
        ("channel_integration", cont, "0-100",
         f"{cont:.0f}% of the customers switching channel keep their context "
         f"({n_switch} kinds of switch; full context counts 1, partial 1/2, none 0)"),
        ("data", recog, "0-100", f"{recog:.0f}% of channel switches recognise the customer (single customer view)"),
        ("personalisation", pers, "0-100", flagged(pers, n_pers, "personalised")),
        ("brand_coherence", brand, "0-100", flagged(brand, n_brand, "on_brand")),
        ("channels", float(channels), "count", f"{channels} channels used"),
        ("cross_channel_rate", 100 * rate, "%", f"{100 * rate:.0f}% of customers end in a different channel "
                                                 "from the one they started in"),
        ("repeats_per_customer", repeats, "per customer",
         f"on average a customer repeats their information {repeats:.2f} times"),
        _evidence_row(report),
    ]
    table = pd.DataFrame(rows, columns=["component", "value", "unit", "explanation"]).set_index("component")
    lang = lang or getattr(report.journey, "lang", "en")
    return _in_spanish(report, table, n_switch) if lang == "es" else table


def _in_spanish(report: FrictionReport, table: pd.DataFrame, n_switch: int) -> pd.DataFrame:
    """The scorecard with its explanations and units in Spanish (from the label table)."""
    from journeymap.i18n import _TABLE, t

    values = table["value"].to_dict()

    def pct(key: str) -> str:
        return f"{values[key]:.0f}"

    def flagged(flag: str) -> str:
        value, n = _flag_index(report, flag)
        if value is None:
            return t("scx_not_assessed", "es").format(what=flag)
        return t("scx_flagged", "es").format(v=f"{value:.0f}", n=n, what=flag)

    said = {"channel_integration": t("scx_channel_integration", "es").format(v=pct("channel_integration"),
                                                                             n=n_switch),
            "data": t("scx_data", "es").format(v=pct("data")),
            "personalisation": flagged("personalised"),
            "brand_coherence": flagged("on_brand"),
            "channels": t("scx_channels", "es").format(n=f"{values['channels']:.0f}"),
            "cross_channel_rate": t("scx_cross_channel_rate", "es").format(v=pct("cross_channel_rate")),
            "repeats_per_customer": t("scx_repeats", "es").format(v=f"{values['repeats_per_customer']:.2f}"),
            "evidence": report.evidence_summary().text("es")}
    out = table.copy()
    out["explanation"] = [said.get(k, e) for k, e in zip(out.index, out["explanation"], strict=True)]
    out["unit"] = [t(f"unit_{u}", "es") if f"unit_{u}" in _TABLE else u for u in out["unit"]]
    return out
