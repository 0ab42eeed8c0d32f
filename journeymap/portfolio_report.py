"""The HTML portfolio report: one self-contained page (no request leaves it) for a portfolio.

Every user text (titles, persona, stage, pain and opportunity texts, file names) is escaped with the HTML
report's own escaping (:func:`journeymap.exporting._e`); the heatmap is an inline PNG whose alt text is
written from the numbers. Headers are English or Spanish (``lang=``).

>>> import journeymap as jm
>>> page = portfolio_html(jm.portfolio(jm.shipped_journeys()), lang="es")
>>> "<h2>Actual frente a futuro</h2>" in page, 'src="data:image/png;base64,' in page
(True, True)
"""

from __future__ import annotations

import base64
import io
import math
import os
from typing import TYPE_CHECKING, cast

from journeymap.exporting import _CSS, _e
from journeymap.portfolio import word

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.portfolio import Portfolio

#: How many ranked pain points and opportunities the page lists.
TOP = 25


def _number(value: object, kind: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)  # type: ignore[arg-type]
    text = {"pct": f"{100 * v:.1f}%", "pp": f"{100 * v:+.1f} pp", "int": f"{v:.0f}", "delta": f"{v:+.1f}",
            "f2": f"{v:.2f}"}.get(kind, f"{v:.1f}")
    return text.replace(".", ",") if lang == "es" else text


def _table(frame: pd.DataFrame, columns: dict[str, str], lang: str, caption: str = "") -> str:
    """``frame``'s ``columns`` (name → number kind, ``""`` for text) as an escaped HTML table."""
    head = "".join(f"<th{' class=num' if kind else ''}>{_e(word(col, lang))}</th>" for col, kind in columns.items())
    body = []
    for _, row in frame.iterrows():
        cells = [f"<td class=num>{_e(_number(row[col], kind, lang))}</td>" if kind else f"<td>{_e(row[col])}</td>"
                 for col, kind in columns.items()]
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def heatmap_alt(frame: pd.DataFrame, lang: str = "en") -> str:
    """A text alternative of the heatmap written from its numbers: size and the highest cell.

    >>> import pandas as pd
    >>> heatmap_alt(pd.DataFrame({"Buy": [10.0, 42.0]}, index=["Ana", "Bo"]))
    'Heatmap of reach-weighted friction (0–100) for 2 personas across 1 stages; the highest is 42 for Bo at Buy.'
    """
    stacked = frame.stack().dropna() if not frame.empty else frame
    if len(stacked) == 0:
        return word("alt_empty", lang)
    persona, stage = cast("tuple[str, str]", stacked.idxmax())
    return word("alt", lang).format(rows=frame.shape[0], cols=frame.shape[1], value=f"{stacked.max():.0f}",
                                    persona=persona, stage=stage)


def heatmap_png(pf: Portfolio, lang: str = "en", state: str | None = "current", dpi: int = 100) -> bytes:
    """The portfolio heatmap as PNG bytes (see :func:`journeymap.plot.portfolio.portfolio_heatmap`)."""
    import matplotlib.pyplot as plt

    from journeymap.plot.portfolio import portfolio_heatmap

    fig = portfolio_heatmap(pf, lang=lang, state=state).get_figure(root=True)
    assert fig is not None, "an Axes always belongs to a figure"
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    return buf.getvalue()


def portfolio_html(pf: Portfolio, lang: str = "en", state: str | None = "current") -> str:
    """The report as text: journeys, the persona × stage heatmap (``state`` as in :meth:`Portfolio.heatmap`),
    pain points and opportunities across journeys, current vs future, and the files left out."""
    from journeymap.network import CSP

    df = pf.journeys.reset_index()
    df["state"] = [word(s, lang) for s in df["state"]]
    df["persona"] = df["persona_name"].fillna(word("no_persona", lang))
    df["journey"], df["id"] = df["title"], df["key"]
    body = [f"<h1>{_e(word('title', lang))}</h1>", f"<p class='meta'>{_e(pf.summary(lang))}</p>",
            f"<h2>{_e(word('journeys_h', lang))}</h2><div class='card scroll'>",
            _table(df, {"id": "", "journey": "", "persona": "", "state": "", "touchpoints": "int", "friction": "f1",
                        "conversion": "pct", "continuity": "f1", "observed": "pct", "assumed": "pct",
                        "proposed": "pct"}, lang), "</div>"]
    frame = pf.heatmap(state)
    png = base64.b64encode(heatmap_png(pf, lang, state)).decode("ascii")
    alt, title = _e(heatmap_alt(frame, lang)), _e(word("heatmap_short", lang))
    body.append(f"<h2>{_e(word('heatmap', lang))}</h2><div class='card'>"
                f'<img class="chart" alt="{alt}" title="{title}" src="data:image/png;base64,{png}"></div>')
    pains = pf.pain_points.head(TOP)
    body.append(f"<h2>{_e(word('pains', lang))}</h2><div class='card scroll'>"
                + _table(pains, {"journey": "", "text": "", "where": "", "severity": "int", "frequency": "pct",
                                 "reach": "f2", "impact": "f2"}, lang) + "</div>")
    opp_cols = {"text": "", "journeys": "", "n_journeys": "int", "value": "int", "effort": "int",
                "friction_removed": "f2", "removed_per_effort": "f2"}
    shared = pf.shared_opportunities
    if len(shared):
        body.append(f"<h2>{_e(word('shared', lang))}</h2><div class='card scroll'>"
                    + _table(shared.head(TOP), opp_cols, lang) + "</div>")
    body.append(f"<h2>{_e(word('opportunities', lang))}</h2><div class='card scroll'>"
                + _table(pf.opportunities.head(TOP), opp_cols, lang) + "</div>")
    body.append(f"<h2>{_e(word('pairs', lang))}</h2><div class='card scroll'>")
    if len(pf.pairs):
        body.append(_table(pf.pairs, {"current": "", "future": "", "friction_current": "f1", "friction_future": "f1",
                                      "friction_delta": "delta", "conversion_current": "pct",
                                      "conversion_future": "pct", "conversion_delta": "pp",
                                      "continuity_current": "f1", "continuity_future": "f1",
                                      "continuity_delta": "delta"}, lang))
    else:
        body.append(f"<p class='meta'>{_e(word('no_pairs', lang))}</p>")
    body.append("</div>")
    if pf.problems:
        items = "".join(f"<li><code>{_e(p)}</code></li>" for p in pf.problems)
        body.append(f"<h2>{_e(word('problems', lang))}</h2><div class='card'><ul>{items}</ul></div>")
    body.append(f"<footer>{_e(word('generated', lang))}</footer>")
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(word('title', lang))}</title>\n<style>{_CSS}caption {{ text-align: left; }}</style>\n"
            "</head>\n<body><main>\n" + "\n".join(body) + "\n</main></body>\n</html>\n")


def write_portfolio_html(pf: Portfolio, path: str | os.PathLike[str], lang: str = "en",
                         state: str | None = "current") -> None:
    """Write :func:`portfolio_html` to ``path`` atomically."""
    from journeymap.io import atomic_write

    atomic_write(path, portfolio_html(pf, lang, state))
