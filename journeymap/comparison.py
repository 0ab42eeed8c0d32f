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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from journeymap.model import Journey
from journeymap.scoring import FrictionReport, score

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Comparison:
    """Scores of journey ``a`` and ``b`` side by side; every ``delta`` is ``b − a``."""

    a: FrictionReport
    b: FrictionReport
    totals: pd.DataFrame
    by_stage: pd.DataFrame
    by_channel: pd.DataFrame

    @property
    def conversion_delta(self) -> float:
        """Change in expected conversion (``b − a``)."""
        return float(self.totals.to_dict("index")["expected_conversion"]["delta"])

    def summary(self) -> str:
        """A few readable lines: what changed and by how much."""
        rows = self.totals.to_dict("index")

        def t(row: str, col: str) -> float:
            return float(rows[row][col])

        return "\n".join([
            f"{self.a.journey.id} → {self.b.journey.id}",
            f"  friction            {t('friction', 'a'):6.1f} → {t('friction', 'b'):6.1f}"
            f"  ({t('friction', 'delta'):+.1f} points)",
            f"  continuity index    {t('continuity', 'a'):6.1f} → {t('continuity', 'b'):6.1f}",
            f"  expected conversion {t('expected_conversion', 'a'):6.1%} → "
            f"{t('expected_conversion', 'b'):6.1%}  ({self.conversion_delta * 100:+.1f} pp)",
            f"  repeats / customer  {t('repeats_per_customer', 'a'):6.2f} → "
            f"{t('repeats_per_customer', 'b'):6.2f}",
        ])


def _side_by_side(a: pd.DataFrame, b: pd.DataFrame, name_col: str | None) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame({"a": a["friction"], "b": b["friction"]})
    df["delta"] = df["b"] - df["a"]
    if name_col:
        names = b[name_col].combine_first(a[name_col]) if name_col in b else a[name_col]
        df.insert(0, "name", names)
    order = list(dict.fromkeys([*a.index, *b.index]))
    return df.loc[order]


def compare_reports(a: FrictionReport, b: FrictionReport) -> Comparison:
    """Compare two reports already computed."""
    import pandas as pd

    rows = {
        "friction": (a.total, b.total),
        "continuity": (a.continuity, b.continuity),
        "expected_conversion": (a.expected_conversion, b.expected_conversion),
    }
    for key in ("data", "personalisation", "brand_coherence", "channels", "cross_channel_rate",
                "repeats_per_customer"):
        rows[key] = (float(a.scorecard.at[key, "value"]), float(b.scorecard.at[key, "value"]))  # type: ignore[arg-type]
    totals = pd.DataFrame(rows, index=["a", "b"]).T.astype(float)
    totals["delta"] = totals["b"] - totals["a"]
    return Comparison(a, b, totals, _side_by_side(a.by_stage, b.by_stage, "name"),
                      _side_by_side(a.by_channel, b.by_channel, "name"))


def compare(a: Journey, b: Journey, weights: Any = None) -> Comparison:
    """Score two journeys with the same weights and compare them (``delta = b − a``)."""
    return compare_reports(score(a, weights), score(b, weights))


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
            recognise: Iterable[str] | str = (), weights: Any = None) -> tuple[Journey, Comparison]:
    """Apply changes and return ``(changed journey, comparison with the original)``.

    The changed journey's id is the original's plus ``_what_if``; the original is untouched.

    ``fix``: pain point ids to remove; ``carry_context``: transitions (``"from->to"``,
    or ``"all"`` channel switches) that now carry full context; ``recognise``: the
    same for recognising the customer.

    >>> import journeymap as jm
    >>> j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
    >>> changed, c = what_if(j, carry_context="all", recognise="all")
    >>> float(c.totals.loc["continuity", "b"])
    100.0
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
    return changed, compare(journey, changed, weights)
