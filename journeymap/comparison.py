"""Compare two journeys (multichannel vs omnichannel, current vs future) and ask "what if?".

>>> import journeymap as jm
>>> multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
>>> omni = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> c = jm.compare(multi, omni)
>>> bool(c.totals.loc["friction", "delta"] < 0)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeymap.cost_to_serve import Economics, economics, money
from journeymap.i18n import t
from journeymap.model import Journey
from journeymap.scoring import FrictionReport, score

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Comparison:
    """Scores of journey ``a`` and ``b`` side by side; every ``delta`` is ``b − a``.

    ``money_a``/``money_b`` hold each journey's :class:`~journeymap.cost_to_serve.Economics`; ``totals`` shows
    its cost per customer, repeat cost, expected value and net beside friction and conversion.
    ``changes`` counts what :func:`what_if` changed (``carry_context``, ``recognise``, ``fix``).
    """

    a: FrictionReport
    b: FrictionReport
    totals: pd.DataFrame
    by_stage: pd.DataFrame
    by_channel: pd.DataFrame
    money_a: Economics | None = None
    money_b: Economics | None = None
    changes: dict[str, int] = field(default_factory=dict)

    @property
    def conversion_delta(self) -> float:
        """Change in expected conversion (``b − a``)."""
        return float(self.totals.to_dict("index")["expected_conversion"]["delta"])

    def summary(self, lang: str = "en") -> str:
        """A few readable lines: what changed and by how much (in ``lang``: ``"en"`` or ``"es"``)."""
        rows = self.totals.to_dict("index")

        def cell(row: str, col: str) -> float:
            return float(rows[row][col])

        def label(key: str) -> str:  # the English labels are 19 wide; Spanish ones pad to their own width
            return f"{t(key, lang):<{19 if lang != 'es' else 21}}"

        return "\n".join([
            f"{self.a.journey.id} → {self.b.journey.id}",
            f"  {label('cmp_friction')} {cell('friction', 'a'):6.1f} → {cell('friction', 'b'):6.1f}"
            f"  {t('cmp_points', lang).format(delta=format(cell('friction', 'delta'), '+.1f'))}",
            f"  {label('cmp_continuity')} {cell('continuity', 'a'):6.1f} → {cell('continuity', 'b'):6.1f}",
            f"  {label('cmp_conversion')} {cell('expected_conversion', 'a'):6.1%} → "
            f"{cell('expected_conversion', 'b'):6.1%}  "
            f"{t('cmp_pp', lang).format(delta=format(self.conversion_delta * 100, '+.1f'))}",
            f"  {label('cmp_repeats')} {cell('repeats_per_customer', 'a'):6.2f} → "
            f"{cell('repeats_per_customer', 'b'):6.2f}",
            *self._money_lines(lang),
        ])

    def _money_lines(self, lang: str = "en") -> list[str]:
        if self.money_a is None or self.money_b is None:
            return []
        a, b = self.money_a, self.money_b
        cur = b.currency

        def m(v: float | None) -> str:
            return "–" if v is None else money(v, cur, lang) if lang == "es" else money(v, cur)

        def label(key: str) -> str:
            return f"{t(key, lang):<{19 if lang != 'es' else 21}}"

        lines = [f"  {label('cmp_cost')} {m(a.cost_per_customer):>7} → {m(b.cost_per_customer):>7}"
                 f"  {t('cmp_repeat_cost', lang).format(a=m(a.repeat_cost), b=m(b.repeat_cost))}"]
        if a.net is not None or b.net is not None:
            lines.append(f"  {label('cmp_value')} {m(a.expected_value):>7} → {m(b.expected_value):>7}"
                         f"  {t('cmp_net', lang).format(a=m(a.net), b=m(b.net))}")
        return [*lines, "  " + self.money_sentence(lang)]  # the summary's language, as its other lines

    def money_sentence(self, lang: str | None = None) -> str:
        """What the change saves (or costs) per customer and adds to conversion, in words, from the numbers:
        "Carrying context at these 3 handoffs saves €0.84 per customer and leaves conversion unchanged."
        """
        lang = lang or self.b.journey.lang
        a, b = self.money_a, self.money_b
        if a is None or b is None:
            return ""
        parts = [t(f"ec_{k}_one", lang) if n == 1 else t(f"ec_{k}_many", lang).format(n)
                 for k in ("carry", "recognise", "fix") if (n := self.changes.get(k, 0))]
        if self.changes:
            subject = t("ec_and", lang).join(parts) or t("ec_nothing", lang)
        else:
            subject = t("ec_instead", lang).format(self.b.journey.id, self.a.journey.id)
        cost = round(b.cost_per_customer - a.cost_per_customer, 2)
        cost_text = (t("ec_same_cost", lang) if cost == 0 else
                     t("ec_saves" if cost < 0 else "ec_costs_more", lang).format(money(abs(cost), b.currency, lang)))
        pp = round(self.conversion_delta * 100, 1)
        number = f"{abs(pp):.1f}".replace(".", "," if lang == "es" else ".")
        conv_text = t("ec_same_conv", lang) if pp == 0 else t("ec_adds_pp" if pp > 0 else "ec_loses_pp",
                                                               lang).format(number)
        said = [cost_text, conv_text]
        if a.net is not None and b.net is not None and round(b.net - a.net, 2) != 0:
            d = b.net - a.net
            said.append(t("ec_net_up" if d > 0 else "ec_net_down", lang).format(money(abs(d), b.currency, lang)))
        text = f"{subject} {', '.join(said[:-1])}{t('ec_and', lang)}{said[-1]}."
        return text[:1].upper() + text[1:] if self.changes else text


def _side_by_side(a: pd.DataFrame, b: pd.DataFrame, name_col: str | None) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame({"a": a["friction"], "b": b["friction"]})
    df["delta"] = df["b"] - df["a"]
    if name_col:
        names = b[name_col].combine_first(a[name_col]) if name_col in b else a[name_col]
        df.insert(0, "name", names)
    order = list(dict.fromkeys([*a.index, *b.index]))
    return df.loc[order]


def compare_reports(a: FrictionReport, b: FrictionReport, costs: Any = None) -> Comparison:
    """Compare two reports already computed (``costs``: see :func:`journeymap.cost_to_serve.economics`)."""
    import pandas as pd

    money_a, money_b = economics(a.journey, costs, a), economics(b.journey, costs, b)

    rows = {
        "friction": (a.total, b.total),
        "continuity": (a.continuity, b.continuity),
        "expected_conversion": (a.expected_conversion, b.expected_conversion),
    }
    for key in ("data", "personalisation", "brand_coherence", "channels", "cross_channel_rate",
                "repeats_per_customer"):
        rows[key] = (float(a.scorecard.at[key, "value"]), float(b.scorecard.at[key, "value"]))  # type: ignore[arg-type]
    nan = float("nan")
    for key in ("cost_per_customer", "repeat_cost", "expected_value", "net"):
        va, vb = getattr(money_a, key), getattr(money_b, key)
        rows[key] = (nan if va is None else va, nan if vb is None else vb)
    totals = pd.DataFrame(rows, index=["a", "b"]).T.astype(float)
    totals["delta"] = totals["b"] - totals["a"]
    return Comparison(a, b, totals, _side_by_side(a.by_stage, b.by_stage, "name"),
                      _side_by_side(a.by_channel, b.by_channel, "name"), money_a, money_b)


def compare(a: Journey, b: Journey, weights: Any = None, costs: Any = None) -> Comparison:
    """Score two journeys with the same weights (and costs per contact) and compare them (``delta = b − a``)."""
    return compare_reports(score(a, weights), score(b, weights), costs)


def _keys(journey: Journey, keys: Iterable[str] | str, what: str) -> set[str]:
    known = {tr.key for tr in journey.transitions}
    if keys == "all":
        from journeymap.graph import cross_channel_transitions

        return {tr.key for tr in cross_channel_transitions(journey)}
    chosen = set(keys)
    unknown = sorted(chosen - known)
    if unknown:
        raise KeyError(f"{what}: no transition {', '.join(unknown)} in '{journey.id}' (use 'from->to')")
    return chosen


def what_if(journey: Journey, fix: Iterable[str] = (), carry_context: Iterable[str] | str = (),
            recognise: Iterable[str] | str = (), weights: Any = None,
            costs: Any = None) -> tuple[Journey, Comparison]:
    """Apply changes and return ``(changed journey, comparison with the original)``.

    The changed journey's id is the original's plus ``_what_if``; the original is untouched.

    ``fix``: pain point ids to remove; ``carry_context``: transitions (``"from->to"``,
    or ``"all"`` channel switches) that now carry full context; ``recognise``: the
    same for recognising the customer. ``costs``: costs per contact (see :func:`journeymap.cost_to_serve.economics`);
    the comparison's :meth:`~Comparison.money_sentence` says what the changes save per customer.

    >>> import journeymap as jm
    >>> j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    >>> changed, c = what_if(j, carry_context="all", recognise="all")
    >>> float(c.totals.loc["continuity", "b"])
    100.0
    >>> c.money_sentence()[:60]
    'Carrying context at these 21 handoffs and recognising the cu'
    """
    from journeymap.scoring.priorities import without_pains

    fix = set(fix)
    known_pains = {p.id for p, _ in journey.pain_points()}
    if fix - known_pains:
        raise KeyError(f"fix: no pain point {', '.join(sorted(fix - known_pains))} in '{journey.id}'")
    carry = _keys(journey, carry_context, "carry_context")
    recog = _keys(journey, recognise, "recognise")
    changed = without_pains(journey, fix)
    transitions = [
        tr.model_copy(update={
            **({"context": "full"} if tr.key in carry else {}),
            **({"recognised": True} if tr.key in recog else {}),
        })
        for tr in changed.transitions
    ]
    changed = changed.model_copy(update={"transitions": transitions, "id": f"{journey.id}_what_if"})
    result = compare(journey, changed, weights, costs)
    before = {tr.key: tr for tr in journey.transitions}
    result.changes = {"carry": sum(before[k].context != "full" for k in carry),
                      "recognise": sum(not before[k].recognised for k in recog), "fix": len(fix)}
    return changed, result
