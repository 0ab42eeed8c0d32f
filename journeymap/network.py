"""The journey as an interactive network (pyvis / vis-network) that works offline.

:func:`to_pyvis` lays the journey out left to right by stage order, one column
per touchpoint and one row per channel kind, so every switch of channel shows
as a vertical move. Node colour is friction (from ``jm.score``; emotion when
scoring is unavailable), node shape the node type, edge width the share of
customers, dashed edges lose context on the move. Evidence: an observed touchpoint has a thick
border, a proposed one a dashed border, ◆ marks a partly measured one; an observed transition
share has a pale blue halo, a proposed one a dashed grey halo. :func:`network_html` writes
one self-contained page: vis-network is inlined, nothing is fetched from a CDN,
all data is embedded as script-safe JSON and tooltips are plain text (never
parsed as HTML), so names like ``<script>`` show as text. :func:`show_network`
displays it in JupyterLab or Voilà through an ``<iframe srcdoc>``.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> net = jm.to_pyvis(j)
>>> len(net.nodes), len(net.edges)
(14, 22)
>>> html = network_html(net)
>>> "<link" in html or 'src="http' in html      # nothing to fetch
False
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from journeymap.channels import KINDS
from journeymap.i18n import t
from journeymap.plot._alt import alt_text
from journeymap.plot._common import column_order, friction_report, resolve_lang, short_label, touchpoint_friction
from journeymap.plot._fonts import BROWSER_FACE, BROWSER_STACK
from journeymap.plot._style import (
    FAINT,
    INK,
    MUTED,
    NEGATIVE,
    NEGATIVE_TEXT,
    emotion_colour,
    heat_colour,
    hex_colour,
    kind_colour,
    wrap,
)
from journeymap.scoring.evidence import has_evidence, touchpoint_class

if TYPE_CHECKING:
    from pyvis.network import Network

    from journeymap.model import Journey

COL_DX, ROW_DY = 210, 120
SHAPES = {"touchpoint": "dot", "stage": "box", "channel": "diamond", "persona": "star",
          "pain_point": "triangleDown", "opportunity": "triangle"}



def _short(text: str, size_pt: float = 140, lines: int = 2) -> str:
    return "\n".join(wrap(text, size_pt, 10, max_lines=lines))


@lru_cache(maxsize=1)
def _network_class():
    from pyvis.network import Network

    class JourneyNetwork(Network):
        """A pyvis ``Network`` whose HTML is journeymap's offline, script-safe page."""

        journey_title = ""
        lang = "en"

        def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
            self.html = network_html(self)
            return self.html

        def write_html(self, name: str, local: bool = True, notebook: bool = False,
                       open_browser: bool = False) -> None:
            from journeymap.io import atomic_write

            atomic_write(name, self.generate_html())

        def show(self, name: str = "network.html", local: bool = True, notebook: bool = True):
            """Write ``name`` and return a displayable inline view (no file URL needed)."""
            self.write_html(name)
            return _display(self.generate_html(), self.height, getattr(self, "alt", "network"))

    return JourneyNetwork


def to_pyvis(journey: Journey, kind: str = "flow", lang: str | None = None, report: Any = None,
             height: str = "640px") -> Network:
    """The journey as a pyvis ``Network`` (a subclass whose HTML output is offline and escaped).

    ``kind="flow"``: touchpoints and transitions. ``kind="full"``: also stages (boxes), channels
    (diamonds), the persona (star), pain points (▽) and opportunities (△). Positions are fixed
    (physics off): x by stage order, y by channel kind. Node colour = friction 0–100 (pale → dark red),
    or emotion (vermillion → blue) without scoring; touchpoint size = reach. Edges: width = share,
    dashed = context lost, dotted = context partly kept, vermillion = customer not recognised.
    """
    if kind not in ("flow", "full"):
        raise ValueError(f"kind must be 'flow' or 'full', got {kind!r}")
    lang = resolve_lang(journey, lang)
    report = friction_report(journey, report)
    friction = touchpoint_friction(report)
    reach = {}
    if report is not None and "reach" in report.by_touchpoint.columns:
        reach = {str(k): float(v) for k, v in report.by_touchpoint["reach"].items()}
    net = _network_class()(height=height, width="100%", directed=True, cdn_resources="in_line")
    net.journey_title, net.lang = journey.title, lang
    net.evidence = has_evidence(journey)
    net.alt = alt_text(journey, "network", lang, report)
    full = kind == "full"
    key = (lambda tp_id: f"touchpoint:{tp_id}") if full else (lambda tp_id: tp_id)
    cols = column_order(journey)
    col = {tp.id: i for i, tp in enumerate(cols)}
    stage_names = {s.id: s.name for s in journey.stages}
    for tp in cols:
        ch = journey.channel_info(tp.channel)
        colour = heat_colour(friction[tp.id]) if tp.id in friction else emotion_colour(tp.emotion)
        tip = [tp.action, f"{t('channel', lang)}: {ch.name(lang)} ({t(ch.kind, lang)})",
               f"{t('stage', lang)}: {stage_names[tp.stage]}", f"{t('emotion', lang)}: {tp.emotion:+g}"]
        if tp.effort is not None:
            tip.append(f"{t('effort', lang)}: {tp.effort}/7")
        if tp.id in friction:
            tip.append(f"{t('friction', lang)}: {friction[tp.id]:.0f}/100")
        if tp.id in reach:
            tip.append(f"{t('reach', lang)}: {reach[tp.id]:.0%}")
        if tp.thoughts:
            tip.append(f"“{tp.thoughts}”")
        tip += [f"⚠ {p.text}" for p in tp.pain_points]
        tip += _evidence_tip(tp, lang)
        mark = " ◆" if touchpoint_class(tp).endswith("+measured") else ""
        net.add_node(key(tp.id), label=f"{short_label(journey, tp.channel)} · {_short(tp.action)}{mark}",
                     shape="dot", color={"background": hex_colour(colour), "border": kind_colour(ch.kind),
                                         "highlight": {"background": hex_colour(colour), "border": INK}},
                     **NODE_EVIDENCE[tp.evidence], size=12 + 22 * reach.get(tp.id, 0.5), title="\n".join(tip),
                     x=col[tp.id] * COL_DX, y=KINDS.index(ch.kind) * ROW_DY if ch.kind in KINDS else 0,
                     font={"size": 12, "face": BROWSER_FACE, "color": INK})
    for tr in journey.transitions:
        back = col[tr.target] <= col[tr.source]
        edge_tip = f"{journey.touchpoint(tr.source).action} → {journey.touchpoint(tr.target).action}\n" \
                   f"{t('share', lang)}: {tr.share:.0%} · {t('context', lang)}: {tr.context} · " \
                   f"{t('recognised', lang)}: {t('yes' if tr.recognised else 'no', lang)}"
        edge_tip += "".join(f"\n⚠ {p.text}" for p in tr.pain_points)
        edge_tip += f"\n{t('evidence', lang)}: {t(f'ev_{tr.evidence}', lang)}"
        if tr.observed is not None:
            edge_tip += f" (n={tr.observed.count}, {tr.observed.source})"
        extra = {"background": {**EDGE_EVIDENCE[tr.evidence], "size": 1 + 7 * tr.share + 8}} \
            if tr.evidence in EDGE_EVIDENCE else {}
        net.add_edge(key(tr.source), key(tr.target), width=1 + 7 * tr.share, title=edge_tip, **extra,
                     dashes={"none": True, "partial": [2, 5], "full": False}[tr.context],
                     color={"color": NEGATIVE if not tr.recognised else MUTED, "opacity": 0.8},
                     smooth={"type": "curvedCW" if back else "cubicBezier", "roundness": 0.35 if back else 0.5,
                             "forceDirection": "none" if back else "horizontal"})
    if full:
        _add_context(net, journey, lang, col)
    net.set_options(json.dumps(_OPTIONS))
    return net


#: Touchpoint node look by evidence: a thick border when observed, a dashed one when proposed.
NODE_EVIDENCE: dict[str, dict[str, Any]] = {
    "observed": {"borderWidth": 5},
    "assumed": {"borderWidth": 3},
    "proposed": {"borderWidth": 3, "shapeProperties": {"borderDashes": [4, 3]}},
}
#: Transition halo by evidence (vis-network edge ``background``); assumed edges have none.
EDGE_EVIDENCE: dict[str, dict[str, Any]] = {
    "observed": {"enabled": True, "color": "#9CC3E6", "dashes": False},
    "proposed": {"enabled": True, "color": "#CBD2D9", "dashes": [3, 5]},
}


def _evidence_tip(tp: Any, lang: str) -> list[str]:
    """Tooltip lines: the evidence, measured values, observed visits and survey metrics with n."""
    from journeymap.plot._evidence import metric_entries

    lines = [f"{t('evidence', lang)}: {t(f'ev_{tp.evidence}', lang)}"
             + (f" · {t('ev_measured', lang)}: {', '.join(tp.measured)}" if tp.measured else "")]
    if tp.observed is not None:
        lines.append(f"n={tp.observed.customers} ({tp.observed.source})")
    lines += [text for text, _ in metric_entries(tp.metrics, lang)]
    return lines


def _spread_x(wanted: dict[str, float], gap: float) -> dict[str, float]:
    """Positions near ``wanted`` but at least ``gap`` apart, order kept."""
    placed: dict[str, float] = {}
    last = None
    for node, x in sorted(wanted.items(), key=lambda kv: kv[1]):
        x = x if last is None else max(x, last + gap)
        placed[node] = last = x
    return placed


def _add_context(net, journey: Journey, lang: str, col: dict[str, int]) -> None:
    font = {"size": 12, "face": BROWSER_FACE, "color": INK}
    bottom = len(KINDS) * ROW_DY
    persona = journey.persona_obj()
    if persona is not None:
        tip = [persona.name, persona.summary, *persona.goals]
        net.add_node(f"persona:{persona.id}", label=persona.name, shape="star", color="#F0E442", size=26,
                     title="\n".join(x for x in tip if x), x=-COL_DX, y=bottom / 2, font=font)
    for stage in journey.ordered_stages():
        xs = [col[tp.id] * COL_DX for tp in journey.touchpoints if tp.stage == stage.id]
        if xs:
            net.add_node(f"stage:{stage.id}", label=_short(stage.name, 160), shape="box", color="#323F4B",
                         title="\n".join(x for x in (stage.name, stage.goal) if x), x=sum(xs) / len(xs),
                         y=-ROW_DY, font={**font, "color": "#FFFFFF"})
    used: dict[str, list[float]] = {}
    for tp in journey.touchpoints:
        used.setdefault(tp.channel, []).append(col[tp.id] * COL_DX)
    for ch_id, x in _spread_x({c: sum(v) / len(v) for c, v in used.items()}, 150).items():
        ch = journey.channel_info(ch_id)
        net.add_node(f"channel:{ch_id}", label=ch.name(lang), shape="diamond", color=kind_colour(ch.kind), size=16,
                     title=f"{ch.name(lang)} ({t(ch.kind, lang)})", x=x, y=bottom + 40, font=font)
    pains = {}
    for pain, where in journey.pain_points():
        owner = where.split("->")[-1]
        pains[pain.id] = (pain, owner, col[owner] * COL_DX)
    pain_x = _spread_x({pid: x for pid, (_, _, x) in pains.items()}, 170)
    for n, (pid, (pain, owner, _)) in enumerate(sorted(pains.items(), key=lambda kv: pain_x[kv[0]])):
        net.add_node(f"pain_point:{pid}", label=_short(pain.text, 120), shape="triangleDown",
                     color=hex_colour(heat_colour(pain.severity * 20)), size=14, x=pain_x[pid],
                     y=bottom + 170 + 60 * (n % 2),
                     title=f"{pain.text}\n{t('severity_short', lang)}: {pain.severity}/5 · "
                           f"{t('frequency_short', lang)}: {pain.frequency:.0%}", font=font)
        net.add_edge(f"touchpoint:{owner}", f"pain_point:{pid}", color={"color": FAINT}, width=1, dashes=[1, 4])
    opp_x = {}
    for opp in journey.opportunities:
        near = [pain_x[p] for p in opp.addresses if p in pain_x]
        opp_x[opp.id] = sum(near) / len(near) if near else 0.0
    opp_x = _spread_x(opp_x, 170)
    for opp in journey.opportunities:
        net.add_node(f"opportunity:{opp.id}", label=_short(opp.text, 130), shape="triangle", color="#009E73", size=14,
                     x=opp_x[opp.id], y=bottom + 360, font=font,
                     title=f"{opp.text}\n{t('value_short', lang)}: {opp.value}/5 · "
                           f"{t('effort_short', lang)}: {opp.effort}/5")
        for p in opp.addresses:
            if p in pains:
                net.add_edge(f"opportunity:{opp.id}", f"pain_point:{p}", color={"color": "#009E73"}, width=1.5)
    for tp in journey.touchpoints:
        net.add_edge(f"touchpoint:{tp.id}", f"stage:{tp.stage}", color={"color": FAINT, "opacity": 0.35}, width=0.5,
                     arrows={"to": {"enabled": False}})
        net.add_edge(f"touchpoint:{tp.id}", f"channel:{tp.channel}", color={"color": FAINT, "opacity": 0.35},
                     width=0.5, arrows={"to": {"enabled": False}})


_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 100, "multiselect": True},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.55}}},
    "nodes": {"font": {"strokeWidth": 3, "strokeColor": "#FFFFFF"}},
}


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    import pyvis

    base = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (base / "vis-network.min.js").read_text(encoding="utf-8"), \
        (base / "vis-network.css").read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and line separators are escaped.

    >>> script_json({"a": "</script><b>"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                     ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


#: Blocks every request: the page may only use what it carries inline.
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:; frame-src 'self' about: data:")


def _evidence_key(lang: str) -> list[str]:
    """The evidence part of the page's key (node borders and edge halos)."""
    ev = {e: html.escape(t(f"ev_{e}", lang)) for e in ("observed", "assumed", "proposed")}
    return [
        f'<span class="jm-ev"><b>{html.escape(t("evidence", lang).capitalize())}:</b> '
        f'<span class="jm-ev-node jm-ev-observed"></span>{ev["observed"]} '
        f'<span class="jm-ev-node jm-ev-assumed"></span>{ev["assumed"]} '
        f'<span class="jm-ev-node jm-ev-proposed"></span>{ev["proposed"]} '
        f'◆ {html.escape(t("ev_measured", lang))} '
        f'<span class="jm-ev-edge jm-ev-edge-observed"></span>{html.escape(t("ev_move_observed", lang))} '
        f'<span class="jm-ev-edge jm-ev-edge-proposed"></span>{html.escape(t("ev_move_proposed", lang))}</span>']


def network_html(net: Network | Journey, lang: str | None = None, **to_pyvis_args: Any) -> str:
    """One self-contained HTML page showing the network (give a ``Network`` or a ``Journey``).

    No external requests (vis-network inlined, a Content-Security-Policy that forbids fetching),
    user text only as escaped HTML or script-safe JSON.
    """
    from journeymap.model import Journey

    if isinstance(net, Journey):
        net = to_pyvis(net, lang=lang, **to_pyvis_args)
    page_lang = lang or cast(str, getattr(net, "lang", "en"))  # to_pyvis sets net.lang to a str
    title = getattr(net, "journey_title", "") or t("network", page_lang)
    alt = getattr(net, "alt", "") or title
    js, css = _vis_assets()
    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    key = " · ".join([
        f"<b>{html.escape(t('network', page_lang))}</b>",
        html.escape(f"● {t('touchpoint', page_lang)}: {t('friction', page_lang)} (0–100)"),
        html.escape(f"— — {t('context_lost', page_lang)}"),
        html.escape(f"┈ {t('context_partial', page_lang)}"),
        f'<span style="color:{NEGATIVE_TEXT}">{html.escape("— " + t("not_recognised", page_lang))}</span>',
    ] + (_evidence_key(page_lang) if getattr(net, "evidence", False) else []))
    return f"""<!DOCTYPE html>
<html lang="{html.escape(page_lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{css}</style>
<style>
body {{ margin: 0; font-family: {BROWSER_STACK}; color: {INK}; background: #fff; }}
.jm-head {{ padding: 10px 16px 6px; }}
.jm-head h1 {{ font-size: 18px; margin: 0 0 4px; }}
.jm-key {{ font-size: 12px; color: {MUTED}; }}
#jm-network {{ width: 100%; height: {html.escape(str(net.height))}; border-top: 1px solid #E4E7EB; }}
.jm-ev-node {{ display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin: 0 3px 0 8px;
  vertical-align: middle; border: 3px solid {MUTED}; }}
.jm-ev-observed {{ border-width: 5px; width: 6px; height: 6px; }} .jm-ev-proposed {{ border-style: dashed; }}
.jm-ev-edge {{ display: inline-block; width: 28px; height: 8px; margin: 0 3px 0 8px; vertical-align: middle; }}
.jm-ev-edge-observed {{ background: #9CC3E6; }}
.jm-ev-edge-proposed {{ background: repeating-linear-gradient(90deg, #CBD2D9 0 4px, transparent 4px 9px); }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 360px; font-family: inherit; font-size: 12px; }}
</style>
<script>{js}</script>
</head>
<body>
<div class="jm-head"><h1>{html.escape(title)}</h1><div class="jm-key">{key}</div></div>
<div id="jm-network" role="img" aria-label="{html.escape(alt, quote=True)}"></div>
<script>
(function () {{
  var nodes = new vis.DataSet({script_json(net.nodes)});
  var edges = new vis.DataSet({script_json(net.edges)});
  var options = {script_json(options)};
  var network = new vis.Network(document.getElementById("jm-network"), {{nodes: nodes, edges: edges}}, options);
  network.once("afterDrawing", function () {{ document.body.setAttribute("data-drawn", "yes"); }});
  window.jmNetwork = network;
}})();
</script>
</body>
</html>
"""


def _display(page: str, height: str | int = "640px", title: str = "network"):
    import warnings

    from IPython.display import HTML

    pixels = int(str(height).removesuffix("px")) if str(height).removesuffix("px").isdigit() else 640
    with warnings.catch_warnings():  # IPython suggests IFrame(src=file), which Voilà refuses
        warnings.simplefilter("ignore", UserWarning)
        return HTML(f'<iframe srcdoc="{html.escape(page, quote=True)}" title="{html.escape(title, quote=True)}" '
                    'sandbox="allow-scripts" '
                    f'style="width:100%;height:{pixels + 90}px;border:0"></iframe>')


def show_network(journey: Journey, kind: str = "flow", lang: str | None = None, report: Any = None,
                 height: str = "640px"):
    """Display the network in a notebook (JupyterLab 4, Voilà): an ``IPython.display.HTML`` iframe.

    The page is inlined with ``srcdoc`` (escaped), so it needs no file URL and no network.
    """
    net = to_pyvis(journey, kind=kind, lang=lang, report=report, height=height)
    return _display(network_html(net), height, net.alt)


def write_network(journey: Journey, path: str | Path, kind: str = "flow", lang: str | None = None,
                  report: Any = None) -> Path:
    """Write the network page to ``path`` atomically and return the path."""
    from journeymap.io import atomic_write

    path = Path(path)
    atomic_write(path, network_html(to_pyvis(journey, kind=kind, lang=lang, report=report)))
    return path
