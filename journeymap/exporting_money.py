"""The HTML report's money section: cost per customer (contacts + repeats), value, net, cost by channel.

Used by :func:`journeymap.exporting.report_html`. Every user text (channel names, ids, currency) is escaped.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
>>> html = money_html(j, jm.score(j), "en")
>>> 'class="card money"' in html and "€6.77" in html and "instagram" in html
True
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

from journeymap.i18n import t

if TYPE_CHECKING:
    from journeymap.model import Journey


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def money_html(journey: Journey, report: Any, lang: str, costs: Any = None) -> str:
    """The section as HTML text: key figures, the sentence on missing costs, and the table by channel."""
    from journeymap.cost_to_serve import economics, money

    e = economics(journey, costs, report)

    def m(value: float | None) -> str:
        return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else money(
            value, e.currency, lang)

    kpis = [(m(e.cost_per_customer), t("ec_cost_per_customer", lang)), (m(e.contact_cost), t("ec_contacts", lang)),
            (m(e.repeat_cost), t("ec_repeat_cost", lang))]
    if e.expected_value is not None:
        kpis += [(m(e.expected_value), t("ec_expected_value", lang)), (m(e.net), t("ec_net", lang))]
    parts = ["<div class='kpis'>" + "".join(f"<div><b>{_e(v)}</b>{_e(label)}</div>" for v, label in kpis) + "</div>"]
    if e.expected_value is None:
        parts.append(f"<p class='meta'>{_e(t('ec_no_value', lang))}</p>")
    if e.missing:
        parts.append(f"<p class='small'>{_e(t('ec_missing', lang).format(', '.join(e.missing)))}</p>")
    num_cls = " class='num'"
    head = "".join(f"<th{num_cls if num else ''}>{_e(label)}</th>" for label, num in (
        (t("channel", lang), False), ("", False), (t("ec_cost_per_contact", lang), True),
        (t("ec_source", lang), False), (t("ec_contacts", lang), True), (t("ec_repeat_cost", lang), True),
        (t("ec_cost_per_customer", lang), True)))
    rows = []
    for ch, row in e.by_channel.iterrows():
        per = row["cost_per_contact"]
        rows.append(f"<tr><td>{_e(ch)}</td><td>{_e(row['name'])}</td><td class='num'>{_e(m(per))}</td>"
                    f"<td>{_e(row['cost_source'])}</td><td class='num'>{row['contacts']:.2f}</td>"
                    f"<td class='num'>{_e(m(row['repeat_cost']))}</td><td class='num'>{_e(m(row['cost']))}</td></tr>")
    parts.append(f"<div class='scroll'><table class='money-table'><tr>{head}</tr>{''.join(rows)}</table></div>")
    parts.append(f"<p class='meta'>{_e(t('ec_defaults_note', lang))}</p>")
    return f"<h2>{_e(t('ec_title', lang))}</h2><div class=\"card money\">{''.join(parts)}</div>"
