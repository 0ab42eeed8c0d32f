"""The HTML report's evidence parts: legend, summary block, per-touchpoint evidence and survey metrics.

Used by :func:`journeymap.exporting.report_html`. Every user text is escaped here.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("hotel_stay"))
>>> html = evidence_html(j, jm.score(j), "en")
>>> 'class="ev-legend"' in html and "rests on assumed values" in html
True
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from journeymap.i18n import t

if TYPE_CHECKING:
    from journeymap.model import Journey, SurveyMetrics

#: Styles of the evidence chips and the metrics table (appended to the report's CSS).
CSS = """
.ev { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 12px; color: #1F2933; }
.ev-observed { background: #E3EEF7; border: 2px solid #1F2933; }
.ev-assumed { background: #fff; border: 1px solid #9AA5B1; }
.ev-proposed { background: #fff; border: 2px dashed #52606D; }
.ev-measured::after { content: " \\25C6"; }
.ev-legend { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; margin: 4px 0 12px; }
.ev-move { display: inline-block; width: 36px; vertical-align: middle; margin-right: 6px; }
.ev-move-observed { border-top: 2px solid #1F2933; } .ev-move-assumed { border-top: 2px dashed #52606D; }
.ev-move-proposed { border-top: 2px dotted #52606D; }
.small { color: #A84A00; font-style: italic; }
"""
SMALL_N = 30


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: float, lang: str) -> str:
    return f"{100 * value:.0f}{' %' if lang == 'es' else '%'}"


def legend_html(lang: str) -> str:
    """The evidence key: the three card styles, the partly-measured mark and the three move styles."""
    chips = [f'<span class="ev ev-{ev}">{_e(t(f"ev_{ev}", lang))}</span>' for ev in ("observed", "assumed", "proposed")]
    chips.append(f'<span class="ev ev-assumed ev-measured">{_e(t("ev_measured", lang))}</span>')
    chips += [f'<span><span class="ev-move ev-move-{ev}"></span>{_e(t(f"ev_move_{ev}", lang))}</span>'
              for ev in ("observed", "assumed", "proposed")]
    return f'<div class="ev-legend" role="list" aria-label="{_e(t("evidence", lang))}">' + "".join(
        f'<span role="listitem">{c}</span>' for c in chips) + "</div>"


def _chip(tp: Any, lang: str) -> str:
    from journeymap.scoring.evidence import touchpoint_class

    cls = touchpoint_class(tp)
    extra = " ev-measured" if cls.endswith("+measured") else ""
    title = f' title="{_e(", ".join(tp.measured))}"' if tp.measured else ""
    return f'<span class="ev ev-{tp.evidence}{extra}"{title}>{_e(t(f"ev_{tp.evidence}", lang))}</span>'


def _sources_html(journey: Journey, lang: str) -> str:
    if not journey.sources:
        return ""
    rows = []
    for s in journey.sources:
        period = " – ".join(x for x in (s.start, s.end) if x)
        rows.append(f"<tr><td>{_e(s.id)}</td><td>{_e(s.kind)}</td><td>{_e(s.file)}</td>"
                    f"<td class='num'>{'' if s.customers is None else s.customers}</td>"
                    f"<td class='num'>{'' if s.rows is None else s.rows}</td><td>{_e(period)}</td>"
                    f"<td>{_e(s.note)}</td></tr>")
    from journeymap.i18n import header

    names = ("source", "kind", "file", "customers", "rows", "period", "note")
    cells = [f"<th class='num'>{_e(header(c, lang))}</th>" if c in ("customers", "rows") else
             f"<th>{_e(header(c, lang))}</th>" for c in names]
    head = f"<tr>{''.join(cells)}</tr>"
    return f"<h3>{_e(t('ev_sources', lang))}</h3><table class='sources'>{head}{''.join(rows)}</table>"


def evidence_html(journey: Journey, report: Any, lang: str) -> str:
    """The evidence section: legend, summary (shares of friction and flow), sources, per-touchpoint table."""
    from journeymap.scoring.evidence import by_touchpoint
    from journeymap.scoring.scorecard import scorecard

    s = report.evidence_summary()
    kpis = (f"<div class='kpis'><div><b>{_e(_pct(s.assumed, lang))}</b>{_e(t('ev_assumed', lang))}</div>"
            f"<div><b>{_e(_pct(s.observed, lang))}</b>{_e(t('ev_observed', lang))}</div>"
            f"<div><b>{_e(_pct(s.proposed, lang))}</b>{_e(t('ev_proposed', lang))}</div>"
            f"<div><b>{_e(_pct(s.flow_observed, lang))}</b>{_e(t('ev_flow', lang))}</div></div>")
    summary = f"<p class='ev-summary'>{_e(scorecard(report, 'en').loc['evidence', 'explanation'])}</p>" \
        if lang == "en" else f"<p class='ev-summary'>{_e(s.text(lang))}</p>"
    points = by_touchpoint(report)
    rows = []
    for tp in journey.touchpoints:
        p = points.loc[tp.id]
        rows.append(f"<tr><td>{_e(tp.id)}</td><td>{_e(tp.action)}</td><td>{_chip(tp, lang)}</td>"
                    f"<td>{_e(', '.join(tp.measured))}</td>"
                    + "".join(f"<td class='num'>{p[ev]:.1f}</td>" for ev in ("observed", "assumed", "proposed"))
                    + "</tr>")
    head = (f"<tr><th>{_e(t('touchpoint', lang))}</th><th></th><th>{_e(t('evidence', lang))}</th>"
            f"<th>{_e(t('ev_measured_values', lang))}</th>"
            + "".join(f"<th class='num'>{_e(t('friction', lang))}: {_e(t(f'ev_{ev}', lang))}</th>"
                      for ev in ("observed", "assumed", "proposed")) + "</tr>")
    return (f"<h2>{_e(t('evidence_summary', lang))}</h2><div class='card ev-block'>{legend_html(lang)}{kpis}{summary}"
            f"{_sources_html(journey, lang)}<div class='scroll'><table class='ev-table'>{head}{''.join(rows)}</table>"
            "</div></div>")


def _metric_cell(metrics: SurveyMetrics, key: str, lang: str) -> str:
    value = getattr(metrics, key)
    if value is None:
        return "<td class='num'></td>"
    n = getattr(metrics, f"{key}_n")
    n = metrics.responses if n is None else n
    ci = getattr(metrics, f"{key}_ci")
    shown = f"{value:.1f}" if key == "ces" else f"{value:.0f}"
    if ci:
        shown += f" [{ci[0]:.1f}, {ci[1]:.1f}]" if key == "ces" else f" [{ci[0]:.0f}, {ci[1]:.0f}]"
    shown += f" · n={n if n is not None else '?'}"
    if n is not None and n < SMALL_N:
        return f"<td class='num small'>{_e(shown)} ({_e(t('small_sample', lang))})</td>"
    return f"<td class='num'>{_e(shown)}</td>"


def metrics_html(journey: Journey, lang: str) -> str:
    """Survey metrics per stage and touchpoint with their 95 % intervals and n ("" when there are none)."""
    steps = [(t("stage", lang), s.id, s.name, s.metrics) for s in journey.ordered_stages() if s.metrics]
    steps += [(t("touchpoint", lang), tp.id, tp.action, tp.metrics) for tp in journey.touchpoints if tp.metrics]
    if not steps:
        return ""
    rows = [f"<tr><td>{_e(kind)}</td><td>{_e(sid)}</td><td>{_e(name)}</td>"
            + "".join(_metric_cell(m, k, lang) for k in ("nps", "csat", "ces")) + "</tr>"
            for kind, sid, name, m in steps]
    head = ("<tr><th></th><th>id</th><th></th><th class='num'>NPS [95 %]</th><th class='num'>CSAT % [95 %]</th>"
            "<th class='num'>CES [95 %]</th></tr>")
    note = f"<p class='meta'>{_e(t('ev_small_note', lang).format(n=SMALL_N))}</p>"
    return (f"<h2>{_e(t('survey_metrics', lang))}</h2><div class='card scroll'><table class='metrics'>{head}"
            f"{''.join(rows)}</table>{note}</div>")
