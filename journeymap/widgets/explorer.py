"""``FrictionExplorer``: weights, rankings, the stage × channel heatmap, the scorecard, and what-if toggles."""

from __future__ import annotations

from html import escape
from typing import Any

from journeymap.comparison import what_if
from journeymap.graph import cross_channel_transitions
from journeymap.i18n import t
from journeymap.model import Journey
from journeymap.plot._alt import alt_text
from journeymap.scoring import COMPONENTS, Weights
from journeymap.scoring.scorecard import scorecard
from journeymap.widgets._common import axes_figure, figure_png, table_html

#: Height every what-if row keeps (the list scrolls rather than squashing rows).
ROW_HEIGHT = "28px"


class FrictionExplorer:
    """Explore a journey's friction: move the weights, tick what-if changes, watch the numbers move."""

    def __init__(self, journey: Journey, lang: str | None = None, heatmap: bool = True):
        import ipywidgets as w

        self.journey = journey
        self.lang = lang or journey.lang
        self.show_heatmap = heatmap
        defaults = Weights()
        L = self._label
        self.weights = {c: w.FloatSlider(description=L("w_weight", t(c, self.lang)), min=0, max=1, step=0.05,
                                         value=getattr(defaults, c), continuous_update=False,
                                         tooltip=L("w_weight", t(c, self.lang)),
                                         style={"description_width": "initial"}) for c in COMPONENTS}
        self.reset_button = w.Button(description=L("w_reset_what_if"), tooltip=L("w_reset_what_if"))
        self.reset_button.on_click(lambda _b: self._reset())
        self.summary = w.HTML()
        self.worst = w.HTML()
        self.pains = w.HTML()
        self.scorecard = w.HTML()
        self.heatmap = w.Image(format="png")
        self.message = w.HTML()
        for slider in self.weights.values():
            slider.observe(lambda _c: self.refresh(), "value")
        # Rows keep their height (flex: none) and the box scrolls: with ~11 pain points the switches were
        # squashed to zero height inside a fixed max height.
        self.what_if_box = w.VBox(layout=w.Layout(max_height="420px", overflow="hidden auto",
                                                  min_width="320px", flex="1 1 auto"))
        self._build_toggles()
        tabs = w.Tab(children=[w.VBox([self.worst, self.pains]), self.heatmap, self.scorecard])
        for i, key in enumerate(("w_rankings", "w_stage_channel", "w_scorecard")):
            tabs.set_title(i, L(key))
        self.widget = w.VBox([self.summary, self.message,
                              w.HBox([w.VBox([w.HTML(f"<b>{escape(L('w_weights'))}</b>"), *self.weights.values()]),
                                      self.what_if_box]),
                              tabs])
        from journeymap.widgets._a11y import accessible

        self.names = accessible(self.widget)  # slider handles named after their description; images get alt
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _label(self, key: str, *args: Any) -> str:
        """A translated label (``{}`` filled with ``args``)."""
        return t(key, self.lang).format(*args)

    def _build_toggles(self) -> None:
        import ipywidgets as w

        L = self._label
        journey = self.journey
        row = {"min_height": ROW_HEIGHT, "flex": "0 0 auto"}  # never squashed: the box scrolls instead
        self.fix = {pain.id: w.Checkbox(description=L("w_fix", pain.text[:60]), value=False, indent=False,
                                        tooltip=L("w_fix", pain.text), layout=w.Layout(width="auto", **row))
                    for pain, _where in journey.pain_points()}
        switches = cross_channel_transitions(journey)
        self.carry = {tr.key: w.Checkbox(description=L("w_carry_context"), value=False, indent=False,
                                         tooltip=L("w_carry_context_on", tr.key), layout=w.Layout(width="auto"),
                                         disabled=tr.context == "full") for tr in switches}
        self.recognise = {tr.key: w.Checkbox(description=L("w_recognise"), value=False, indent=False,
                                             tooltip=L("w_recognise_on", tr.key), layout=w.Layout(width="auto"),
                                             disabled=tr.recognised) for tr in switches}
        for box in (*self.fix.values(), *self.carry.values(), *self.recognise.values()):
            box.observe(lambda _c: self.refresh(), "value")
        switch_rows = [w.HBox([w.HTML(f"<code>{escape(key)}</code>", layout=w.Layout(width="260px")),
                               self.carry[key], self.recognise[key]], layout=w.Layout(**row)) for key in self.carry]
        self.what_if_box.children = [w.HTML(f"<b>{escape(L('w_what_if'))}</b>", layout=w.Layout(**row)),
                                     *self.fix.values(), *switch_rows, self.reset_button]
        self.reset_button.layout = w.Layout(**row, width="auto")

    def set_journey(self, journey: Journey) -> None:
        """Explore another version of the journey (e.g. after an edit); what-if choices start afresh."""
        self.journey = journey
        self._build_toggles()
        self.refresh()

    def follow(self, editor: Any) -> FrictionExplorer:
        """Keep following a :class:`~journeymap.widgets.JourneyEditor`: every edit updates the explorer."""
        editor.session.listeners.append(lambda session: self.set_journey(session.journey))
        return self

    def current_weights(self) -> dict[str, float] | None:
        """The weights set by the sliders (``None`` if all are zero)."""
        values = {c: s.value for c, s in self.weights.items()}
        return values if sum(values.values()) > 0 else None

    def _reset(self) -> None:
        for box in (*self.fix.values(), *self.carry.values(), *self.recognise.values()):
            box.value = False

    def _money_line(self, comparison: Any) -> str:
        """Cost per customer before → after (and net when the journey has a value per conversion), escaped."""
        from journeymap.cost_to_serve import money

        a, b = comparison.money_a, comparison.money_b
        if a is None or b is None:
            return ""
        m = lambda v: money(v, b.currency, self.lang)  # noqa: E731
        label = t("ec_cost_per_customer", self.lang).capitalize()
        text = f"{label}: {m(a.cost_per_customer)} → {m(b.cost_per_customer)}"
        if a.net is not None and b.net is not None:
            text += f" · {t('ec_net', self.lang)}: {m(a.net)} → {m(b.net)}"
        if comparison.changes and any(comparison.changes.values()):
            text += f" · {comparison.money_sentence(self.lang)}"
        return f"<br><span class='jm-money'>{escape(text)}</span>"

    def refresh(self) -> None:
        """Re-score with the current weights and what-if choices, and redraw."""
        weights = self.current_weights()
        L = self._label
        self.message.value = "" if weights else f"<i>{escape(L('w_zero_weights'))}</i>"
        fix = [k for k, box in self.fix.items() if box.value]
        carry = [k for k, box in self.carry.items() if box.value]
        recog = [k for k, box in self.recognise.items() if box.value]
        changed, comparison = what_if(self.journey, fix=fix, carry_context=carry, recognise=recog, weights=weights)
        self.report = comparison.b
        self.comparison = comparison
        totals = comparison.totals.to_dict("index")  # {row: {"a", "b", "delta"}}, plain floats
        fr, conv = totals["friction"], totals["expected_conversion"]
        self.summary.value = (
            f"<b>{t('friction', self.lang).capitalize()}: {fr['a']:.1f} → {fr['b']:.1f}</b> ({fr['delta']:+.1f}) · "
            f"{escape(L('w_expected_conversion'))} {conv['a']:.1%} → {conv['b']:.1%} · "
            f"{escape(L('w_continuity'))} {totals['continuity']['b']:.0f}/100" + self._money_line(comparison))
        by_tp = self.report.by_touchpoint.sort_values("friction", ascending=False).head(8)
        columns = ["stage", "channel", "reach", *COMPONENTS, "friction"]
        self.worst.value = f"<b>{escape(L('w_worst_touchpoints'))}</b>" + table_html(by_tp[columns], 1)
        self.pains.value = f"<b>{escape(L('w_pains_by_impact'))}</b>" + table_html(
            self.report.pain_ranking()[["where", "text", "severity", "frequency", "reach", "impact"]].head(8), 2)
        self.scorecard.value = table_html(scorecard(self.report, self.lang), 1)
        if self.show_heatmap:
            from journeymap.plot import friction_heatmap

            self.names.describe(self.heatmap, alt_text(changed, "heatmap", self.lang, self.report))
            self.heatmap.value = figure_png(axes_figure(friction_heatmap(changed, lang=self.lang,
                                                                         report=self.report)))

